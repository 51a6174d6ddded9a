package io.github.zonecut.keystate;

import io.github.zonecut.core.Codepoints;
import io.github.zonecut.core.Codepoints.KeyStateTable;
import io.github.zonecut.core.MalformedDataException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.GenericEDNSOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;

/**
 * The KeyState EDNS(0) option (draft-berra-dnsop-keystate-02 §"The KeyState Option", with the
 * -02 wire diagram that -03 keeps): KEY-ID (u16, the SIG(0) key's key tag), KEY-STATE (u8),
 * KEY-DATA (u8) and EXTRA-TEXT (UTF-8 for humans, the rest of the option).
 *
 * <p>The value is table-neutral: {@code keyState} is the raw octet, read through {@link
 * #code(KeyStateTable)} with the table both sides speak. dnsjava cannot carry a custom option
 * class, so {@link #toEdnsOption(Codepoints)} and {@link #fromEdnsOption(EDNSOption, Codepoints)}
 * adapt to and from {@link GenericEDNSOption} under the option code of the {@link Codepoints}
 * profile.
 *
 * @param keyId KEY-ID, 0–65535
 * @param keyState KEY-STATE, 0–255, meaning per {@link KeyStateCode}
 * @param keyData KEY-DATA, 0–255; -03 requires 0 except as a receiver-defined sub-reason of
 *     KEY_INVALID and KEY_REFUSED
 * @param extraText EXTRA-TEXT, possibly empty; never parsed by machines
 */
public record KeyStateOption(int keyId, int keyState, int keyData, String extraText) {

  /** Octets of KEY-ID, KEY-STATE and KEY-DATA: the shortest valid payload. */
  public static final int FIXED_LENGTH = 4;

  /** The longest EXTRA-TEXT in UTF-8 octets: OPTION-LENGTH is a u16. */
  public static final int MAX_TEXT_OCTETS = 0xFFFF - FIXED_LENGTH;

  /** Validates the field ranges and that EXTRA-TEXT is encodable UTF-8 that fits. */
  public KeyStateOption {
    if (keyId < 0 || keyId > 0xFFFF) {
      throw new IllegalArgumentException("KEY-ID out of range 0..65535: " + keyId);
    }
    KeyStateCode.checkOctet(keyState);
    if (keyData < 0 || keyData > 0xFF) {
      throw new IllegalArgumentException("KEY-DATA out of range 0..255: " + keyData);
    }
    Objects.requireNonNull(extraText, "extraText");
    int octets = utf8(extraText).length;
    if (octets > MAX_TEXT_OCTETS) {
      throw new IllegalArgumentException(
          "EXTRA-TEXT too long: " + octets + " octets, at most " + MAX_TEXT_OCTETS);
    }
  }

  /** A child's inquiry for the state of the key with tag {@code keyId} (code 2 in -02 and -03). */
  public static KeyStateOption inquiry(int keyId) {
    return new KeyStateOption(keyId, 2, 0, "");
  }

  /**
   * A message with {@code code} expressed in {@code table}, KEY-DATA 0.
   *
   * @throws IllegalArgumentException when {@code table} has no number for {@code code}
   */
  public static KeyStateOption of(int keyId, KeyStateCode code, KeyStateTable table,
      String extraText) {
    return new KeyStateOption(keyId, code.requireCode(table), 0, extraText);
  }

  /** The meaning of KEY-STATE in {@code table}; empty for unassigned and private-use codes. */
  public Optional<KeyStateCode> code(KeyStateTable table) {
    return KeyStateCode.of(table, keyState);
  }

  /** The option payload (without the 4 octets of OPTION-CODE and OPTION-LENGTH). */
  public byte[] toPayload() {
    byte[] text = utf8(extraText);
    byte[] out = new byte[FIXED_LENGTH + text.length];
    out[0] = (byte) (keyId >>> 8);
    out[1] = (byte) keyId;
    out[2] = (byte) keyState;
    out[3] = (byte) keyData;
    System.arraycopy(text, 0, out, FIXED_LENGTH, text.length);
    return out;
  }

  /**
   * Parses an option payload.
   *
   * @throws MalformedDataException when the payload is shorter than 4 octets (the -01 3-octet
   *     layout is not accepted) or EXTRA-TEXT is not valid UTF-8
   */
  public static KeyStateOption parse(byte[] payload) throws MalformedDataException {
    Objects.requireNonNull(payload, "payload");
    if (payload.length < FIXED_LENGTH) {
      throw new MalformedDataException("KeyState option", payload.length,
          "payload is " + payload.length + " octets, at least " + FIXED_LENGTH + " required");
    }
    if (payload.length > FIXED_LENGTH + MAX_TEXT_OCTETS) {
      throw new MalformedDataException("KeyState option", 0xFFFF, "payload longer than 65535");
    }
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(payload, FIXED_LENGTH, payload.length - FIXED_LENGTH))
          .toString();
    } catch (CharacterCodingException e) {
      throw new MalformedDataException("KeyState EXTRA-TEXT", FIXED_LENGTH,
          "not valid UTF-8", e);
    }
    return new KeyStateOption(((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF),
        payload[2] & 0xFF, payload[3] & 0xFF, text);
  }

  /** This option as a dnsjava option under {@code codepoints.keyStateOptionCode()}. */
  public GenericEDNSOption toEdnsOption(Codepoints codepoints) {
    return new GenericEDNSOption(codepoints.keyStateOptionCode(), toPayload());
  }

  /**
   * Reads a KeyState option from a dnsjava option (normally a {@link GenericEDNSOption}, whose
   * payload dnsjava does not expose: it is taken from {@link EDNSOption#toWire()} minus the
   * 4-octet option header).
   *
   * @throws IllegalArgumentException when the option's code is not the profile's KeyState code
   * @throws MalformedDataException when the payload is malformed
   */
  public static KeyStateOption fromEdnsOption(EDNSOption option, Codepoints codepoints)
      throws MalformedDataException {
    if (option.getCode() != codepoints.keyStateOptionCode()) {
      throw new IllegalArgumentException("option code " + option.getCode()
          + " is not the KeyState code " + codepoints.keyStateOptionCode());
    }
    return parse(payloadOf(option));
  }

  /**
   * The KeyState option of {@code message}, or empty when it has no OPT record or no KeyState
   * option.
   *
   * @throws MalformedDataException when the option is malformed or appears more than once (an
   *     ambiguous state is never guessed at)
   */
  public static Optional<KeyStateOption> find(Message message, Codepoints codepoints)
      throws MalformedDataException {
    byte @Nullable [] payload = findPayload(message, codepoints);
    return payload == null ? Optional.empty() : Optional.of(parse(payload));
  }

  /** Like {@link #find} but returns the raw payload, so that a receiver can judge it itself. */
  static byte @Nullable [] findPayload(Message message, Codepoints codepoints)
      throws MalformedDataException {
    OPTRecord opt = message.getOPT();
    if (opt == null) {
      return null;
    }
    List<EDNSOption> options = opt.getOptions(codepoints.keyStateOptionCode());
    if (options.isEmpty()) {
      return null;
    }
    if (options.size() > 1) {
      throw new MalformedDataException("KeyState option", -1,
          "appears " + options.size() + " times in one message");
    }
    return payloadOf(options.get(0));
  }

  /** A one-line description with the mnemonic of {@code table}, e.g. for logs. */
  public String describe(KeyStateTable table) {
    return "KeyState{keyId=" + keyId + ", state=" + KeyStateCode.mnemonic(table, keyState)
        + "(" + keyState + "), keyData=" + keyData
        + (extraText.isEmpty() ? "" : ", text=\"" + extraText + "\"") + "}";
  }

  private static byte[] payloadOf(EDNSOption option) {
    byte[] wire = option.toWire();
    return Arrays.copyOfRange(wire, 4, wire.length);
  }

  private static byte[] utf8(String s) {
    try {
      ByteBuffer b = StandardCharsets.UTF_8.newEncoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .encode(CharBuffer.wrap(s));
      byte[] out = new byte[b.remaining()];
      b.get(out);
      return out;
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("EXTRA-TEXT is not encodable as UTF-8 (lone surrogate)",
          e);
    }
  }
}
