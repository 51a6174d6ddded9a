package io.github.zonecut.keystate;

import io.github.zonecut.core.Codepoints.KeyStateTable;
import io.github.zonecut.core.DnsEndpoint;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.xbill.DNS.Name;

/**
 * What a child's KeyState inquiry produced. Only {@link Answered} and {@link NoKeyState} come
 * from an answer whose SIG(0) verified against the receiver's key; everything else is reported,
 * never acted on.
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
   * A signed answer without a KeyState option: the receiver does not speak KeyState, or refused
   * to authenticate the inquiry (see {@link KeyStateResponder}): BADKEY (17) when it holds no key
   * of this tag for the child, so the key is to be uploaded; BADSIG (16); BADTIME (18) for a
   * clock outside the signature window or a replay; REFUSED (5) for an unsigned inquiry or one
   * signed by another name or asking about another key than the one that signed. An answer the
   * receiver could not sign would not have verified.
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
   * Every answer received was unsigned, forged, signed by another key or malformed.
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
