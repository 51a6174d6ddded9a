package io.github.zonecut.keystate;

import io.github.zonecut.core.Codepoints.KeyStateTable;
import io.github.zonecut.core.DnsEndpoint;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.xbill.DNS.Name;

/**
 * What a child's KeyState inquiry produced. Only {@link Answered} and {@link NoKeyState} come
 * from an answer whose SIG(0) verified against the receiver's key; {@link Unauthenticated} is the
 * unsigned refusal a receiver gives an inquiry it could not authenticate, which anyone on the
 * path could have forged; everything else is reported, never acted on.
 */
public sealed interface InquiryResult {

  /**
   * The receiver answered with a signed key state.
   *
   * @param option the receiver's KeyState option (KEY-ID equals the inquired key tag)
   * @param rcode the answer's RCODE
   * @param from the receiver address that answered
   */
  record Answered(KeyStateOption option, int rcode, DnsEndpoint from) implements InquiryResult {
    /** Checks the fields. */
    public Answered {
      Objects.requireNonNull(option, "option");
      Objects.requireNonNull(from, "from");
    }

    /** The state's meaning in {@code table}; empty for unassigned and private codes. */
    public Optional<KeyStateCode> code(KeyStateTable table) {
      return option.code(table);
    }
  }

  /**
   * A signed answer without a KeyState option: the receiver verified the inquiry but declined to
   * state the key's trust (REFUSED: the inquiry asks about another key than the one that signed
   * it, or the child's rate limit), or does not speak KeyState. An answer the receiver could not
   * sign would not have verified.
   *
   * @param rcode the answer's RCODE, extended RCODE bits from the OPT included
   * @param from the receiver address that answered
   */
  record NoKeyState(int rcode, DnsEndpoint from) implements InquiryResult {
    /** Checks the fields. */
    public NoKeyState {
      Objects.requireNonNull(from, "from");
    }
  }

  /**
   * Every address answered, unsigned and without a KeyState option: what a receiver answers an
   * inquiry whose SIG(0) it could not authenticate (see {@link KeyStateResponder}), since it signs
   * nothing a stranger can trigger. BADKEY (17): it holds no key with this algorithm and tag for
   * the child, which ddns §8 tells the child to answer by (re-)bootstrapping the key; REFUSED
   * (5): it holds such a key but could not use it; BADSIG (16); BADTIME (18): the child's clock is
   * outside the signature window, or the inquiry was a replay. Not authenticated: anyone on the
   * path could have sent it, so acting on it is the child's policy (ddns §11.3); a forged BADKEY
   * can at worst cause a needless re-bootstrap, which never removes a trusted key.
   *
   * @param rcode the last such answer's RCODE, extended RCODE bits from the OPT included
   * @param from the receiver address that sent it
   */
  record Unauthenticated(int rcode, DnsEndpoint from) implements InquiryResult {
    /** Checks the fields. */
    public Unauthenticated {
      Objects.requireNonNull(from, "from");
    }
  }

  /**
   * Every answer received was unsigned with a key state, forged, signed by another key or
   * malformed.
   *
   * @param problems one line per rejected answer (or failed try)
   */
  record Rejected(List<String> problems) implements InquiryResult {
    /** Copies the list. */
    public Rejected {
      problems = List.copyOf(problems);
    }
  }

  /**
   * No answer from any address within the tries.
   *
   * @param problems one line per failed try
   */
  record Unreachable(List<String> problems) implements InquiryResult {
    /** Copies the list. */
    public Unreachable {
      problems = List.copyOf(problems);
    }
  }

  /**
   * The receiver's KEY is not available (not published, or not SECURE), so no answer could be
   * authenticated; the inquiry was not sent.
   */
  record NoReceiverKey(Name receiver) implements InquiryResult {
    /** Checks the field. */
    public NoReceiverKey {
      Objects.requireNonNull(receiver, "receiver");
    }
  }
}
