package io.github.zonecut.keystate;

import io.github.zonecut.core.Codepoints;
import io.github.zonecut.core.Codepoints.KeyStateTable;
import io.github.zonecut.core.MalformedDataException;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.Message;

/**
 * What a receiver makes of the KeyState option in a child's message: the receiver-side reading
 * of draft-berra-dnsop-keystate, one case per thing a child (or a stranger) can send.
 *
 * <p>-03 rule: {@link KeyStateCode#INQUIRE_KEY} (2) with KEY-DATA 0 is the only valid request;
 * anything else, including an unparseable option, is {@link Malformed} and is answered with
 * {@link KeyStateCode#REQUEST_MALFORMED} (0), KEY-ID echoed (0 when it cannot be read) and
 * KEY-DATA 0 ({@link Malformed#answer()}). -02 also has the two bootstrap requests 0 and 1 and no
 * malformed code, so a -02 receiver leaves the option out of its answer to a {@link Malformed}.
 */
public sealed interface KeyStateRequest {

  /** KEY-ID of the request as far as it could be read (0 when the option is shorter than 2). */
  int keyId();

  /** A valid inquiry for the state of the key with tag {@code keyId}. */
  record Inquiry(int keyId) implements KeyStateRequest {}

  /**
   * A -02 bootstrap request (codes 0 and 1); -03 starts bootstrap with the self-signed UPDATE
   * instead (ddns §9.4.1).
   *
   * @param manual true for REQUEST_MANUAL_BOOTSTRAP, false for REQUEST_AUTO_BOOTSTRAP
   */
  record BootstrapRequest(int keyId, boolean manual) implements KeyStateRequest {}

  /**
   * A request the receiver cannot act on.
   *
   * @param problem why, for logs
   */
  record Malformed(int keyId, String problem) implements KeyStateRequest {
    /** The -03 answer: code 0, KEY-ID echoed, KEY-DATA 0, no text. */
    public KeyStateOption answer() {
      return KeyStateOption.of(keyId, KeyStateCode.REQUEST_MALFORMED, KeyStateTable.DRAFT_03, "");
    }
  }

  /**
   * Reads the KeyState option of a received message; empty when there is none (the receiver
   * then MUST NOT add one to its answer, keystate-02 §"Use of the KeyState Option").
   */
  static Optional<KeyStateRequest> of(Message message, Codepoints codepoints) {
    byte[] payload;
    try {
      payload = KeyStateOption.findPayload(message, codepoints);
    } catch (MalformedDataException e) {
      return Optional.of(new Malformed(0, String.valueOf(e.getMessage())));
    }
    return payload == null ? Optional.empty()
        : Optional.of(read(payload, codepoints.keyStateTable()));
  }

  /** Reads an option payload under {@code table}; never throws for hostile bytes. */
  static KeyStateRequest read(byte @Nullable [] payload, KeyStateTable table) {
    if (payload == null) {
      return new Malformed(0, "no payload");
    }
    int echo = payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : 0;
    KeyStateOption option;
    try {
      option = KeyStateOption.parse(payload);
    } catch (MalformedDataException e) {
      return new Malformed(echo, String.valueOf(e.getMessage()));
    }
    Optional<KeyStateCode> code = option.code(table);
    if (code.isEmpty() || !code.get().isRequest()) {
      return new Malformed(echo, "KEY-STATE " + KeyStateCode.mnemonic(table, option.keyState())
          + " is not a request");
    }
    switch (code.get()) {
      case INQUIRE_KEY:
        if (table == KeyStateTable.DRAFT_03 && option.keyData() != 0) {
          return new Malformed(echo, "KEY-DATA " + option.keyData() + " in an inquiry, must be 0");
        }
        return new Inquiry(echo);
      case REQUEST_AUTO_BOOTSTRAP:
        return new BootstrapRequest(echo, false);
      case REQUEST_MANUAL_BOOTSTRAP:
        return new BootstrapRequest(echo, true);
      default:
        throw new AssertionError("isRequest() covers exactly three codes: " + code.get());
    }
  }
}
