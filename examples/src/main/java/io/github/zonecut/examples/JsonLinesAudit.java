package io.github.zonecut.examples;

import io.github.zonecut.dsync.NotifyEvent;
import io.github.zonecut.dsync.UpdateEvent;
import io.github.zonecut.dsync.UpdateListener;
import io.github.zonecut.keystate.KeyStateEvent;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * An audit trail for a parent's receivers: one JSON object per line for every UPDATE ({@link
 * UpdateEvent}), NOTIFY ({@link NotifyEvent}) and KeyState inquiry ({@link KeyStateEvent})
 * handled, appended to a file. The events carry no
 * secrets (no key material, no TSIG secret), so every field can be written as it is.
 */
final class JsonLinesAudit implements UpdateListener, AutoCloseable {
  private final BufferedWriter out;

  /** Appends to {@code file}, creating it if needed. */
  JsonLinesAudit(Path file) throws IOException {
    out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
  }

  @Override
  public void onEvent(UpdateEvent e) {
    write("{\"at\":\"" + e.time() + "\",\"kind\":\"update\",\"source\":\""
        + e.source().getHostAddress() + "\",\"child\":" + quote(e.child())
        + ",\"signer\":" + (e.signerKey() == null ? "null" : e.signerKey().keyTag())
        + ",\"outcome\":\"" + e.outcome() + "\",\"rcode\":" + rcode(e.rcode())
        + ",\"signed\":" + e.signed() + ",\"detail\":" + quote(e.detail()) + "}");
  }

  /** Records one NOTIFY. */
  void onNotify(NotifyEvent e) {
    write("{\"at\":\"" + e.at() + "\",\"kind\":\"notify\",\"source\":\""
        + e.source().getHostAddress() + "\",\"child\":" + quote(e.child().orElse(null))
        + ",\"type\":" + (e.type() < 0 ? "null" : quote(Type.string(e.type())))
        + ",\"outcome\":\"" + e.outcome()
        + "\",\"rcode\":" + rcode(e.rcode()) + "}");
  }

  /** Records one KeyState inquiry: who asked about which key tag, and what was answered. */
  void onKeyState(KeyStateEvent e) {
    write("{\"at\":\"" + e.time() + "\",\"kind\":\"keystate\",\"source\":\""
        + e.source().getHostAddress() + "\",\"child\":" + quote(e.child())
        + ",\"keyId\":" + (e.key() == null ? "null" : e.key().keyTag())
        + ",\"signer\":" + (e.signerKey() == null ? "null" : e.signerKey().keyTag())
        + ",\"outcome\":\"" + e.outcome() + "\",\"rcode\":" + rcode(e.rcode())
        + ",\"state\":" + quote(e.keyState()) + ",\"signed\":" + e.signed()
        + ",\"detail\":" + quote(e.detail()) + "}");
  }

  @Override
  public void close() throws IOException {
    synchronized (out) {
      out.close();
    }
  }

  /** The RCODE's mnemonic, or null when nothing was answered (-1). */
  private static String rcode(int rcode) {
    return rcode < 0 ? "null" : quote(Rcode.string(rcode));
  }

  /** A JSON string, or null: backslash, quote and control characters escaped (RFC 8259 §7). */
  private static String quote(@Nullable Object value) {
    if (value == null) {
      return "null";
    }
    StringBuilder b = new StringBuilder("\"");
    for (char c : value.toString().toCharArray()) {
      if (c == '"' || c == '\\') {
        b.append('\\').append(c);
      } else if (c < 0x20) {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.append('"').toString();
  }

  private void write(String line) {
    try {
      synchronized (out) { // the server's workers report concurrently
        out.write(line);
        out.newLine();
        out.flush(); // an audit line is on disk before the next request
      }
    } catch (IOException e) {
      throw new UncheckedIOException("audit log", e);
    }
  }
}
