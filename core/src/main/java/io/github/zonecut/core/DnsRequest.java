package io.github.zonecut.core;

import io.github.zonecut.core.internal.WireQuestion;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The exact octets of one DNS request, rendered exactly once, plus the ID and question a
 * transport matches the answer against (RFC 5452 §9.1).
 *
 * <p>Two ways in:
 *
 * <ul>
 *   <li>{@link #ofWire(byte[])}: bytes the caller rendered (for example a SIG(0)-signed UPDATE,
 *       RFC 2931 §3, whose signature covers every octet). The transport sends them untouched, ID
 *       included.
 *   <li>{@link #of(Message)}: a dnsjava message rendered once with {@link Message#toWire()}, which
 *       keeps the additional section in list order (never {@code toWire(int)}, which moves OPT
 *       after a SIG(0); see dnsjava's {@code SimpleResolver}). If the message carries no SIG or
 *       TSIG record, the transport may replace the ID with a fresh random one ({@link
 *       #idAssignable()}) to avoid in-flight collisions.
 * </ul>
 */
public final class DnsRequest {
  /** The largest message that fits the TCP length prefix (RFC 1035 §4.2.2). */
  public static final int MAX_LENGTH = 0xFFFF;

  private final byte[] wire;
  private final WireQuestion question;
  private final boolean idAssignable;

  private DnsRequest(byte[] wire, WireQuestion question, boolean idAssignable) {
    this.wire = wire;
    this.question = question;
    this.idAssignable = idAssignable;
  }

  /**
   * A request made of exactly these bytes; the transport never changes them.
   *
   * @throws MalformedDataException if the bytes are shorter than a header, longer than 65535
   *     octets, have QR set, or their first question cannot be read
   */
  public static DnsRequest ofWire(byte[] wire) throws MalformedDataException {
    if (wire.length > MAX_LENGTH) {
      throw new MalformedDataException("DNS request", -1, "longer than 65535 octets");
    }
    WireQuestion q = WireQuestion.read(wire);
    if (q == null) {
      throw new MalformedDataException(
          "DNS request question", WireQuestion.HEADER_LENGTH, "truncated or unreadable");
    }
    if (q.response()) {
      throw new MalformedDataException("DNS request header", 2, "QR is set: not a request");
    }
    return new DnsRequest(wire.clone(), q, false);
  }

  /**
   * Renders {@code message} once with {@link Message#toWire()}.
   *
   * @throws IllegalArgumentException if the rendered message is longer than 65535 octets or is a
   *     response (QR set)
   */
  public static DnsRequest of(Message message) {
    byte[] wire = message.toWire();
    WireQuestion q = WireQuestion.read(wire);
    if (wire.length > MAX_LENGTH || q == null) {
      throw new IllegalArgumentException("message does not render to a valid request");
    }
    if (q.response()) {
      throw new IllegalArgumentException("QR is set: not a request");
    }
    boolean signed = false;
    for (Record r : message.getSection(Section.ADDITIONAL)) {
      // RFC 2931 §3 (SIG(0)) and RFC 8945 §4.2 (TSIG) cover the header ID
      if (r.getType() == Type.SIG || r.getType() == Type.TSIG) {
        signed = true;
        break;
      }
    }
    return new DnsRequest(wire, q, !signed);
  }

  /** A copy of the octets to send. */
  public byte[] wire() {
    return wire.clone();
  }

  /** The message length in octets. */
  public int length() {
    return wire.length;
  }

  /** The message ID. */
  public int id() {
    return question.id();
  }

  /** The first question's name, or null if the request has no question. */
  public @Nullable Name questionName() {
    return question.type() < 0 ? null : question.name();
  }

  /** The first question's type, or -1 if the request has no question. */
  public int questionType() {
    return question.type();
  }

  /**
   * Whether a transport may give this request a fresh random ID: true only for {@link
   * #of(Message)} requests without SIG or TSIG records.
   */
  public boolean idAssignable() {
    return idAssignable;
  }

  /**
   * This request with another ID.
   *
   * @throws IllegalStateException if the request is not {@link #idAssignable()} (its ID is covered
   *     by a signature or was fixed by the caller)
   */
  public DnsRequest withId(int id) {
    if (!idAssignable) {
      throw new IllegalStateException("the request's ID is fixed");
    }
    if (id < 0 || id > 0xFFFF) {
      throw new IllegalArgumentException("ID out of range 0..65535: " + id);
    }
    return new DnsRequest(WireQuestion.withId(wire, id), question.withId(id), true);
  }

  /** Internal view used by transports of this module. */
  WireQuestion question() {
    return question;
  }

  byte[] wireUnsafe() {
    return wire;
  }

  @Override
  public String toString() {
    return "DnsRequest[id=" + id() + ", " + question.name() + " "
        + (question.type() < 0 ? "-" : Type.string(question.type())) + ", " + wire.length
        + " octets]";
  }
}
