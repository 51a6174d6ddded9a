package io.github.zonecut.cli.ops;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.zonecut.cli.Output;
import io.github.zonecut.dsync.DelegationBackend;
import io.github.zonecut.dsync.DelegationChange;
import io.github.zonecut.dsync.NotifyEvent;
import io.github.zonecut.dsync.ScanEvent;
import io.github.zonecut.dsync.UpdateEvent;
import io.github.zonecut.keystate.KeyStateEvent;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Type;

/**
 * The JSON-lines audit of a standalone parent: one object per UPDATE, NOTIFY, KeyState inquiry
 * and scan event, as
 * the receivers' listeners report them (ddns §11: operators need to know why a parent refused).
 * Holds no secret: key tags, never keys; no TSIG material. Each line is flushed.
 */
final class AuditLog implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AuditLog.class);

  private final Writer out;

  private AuditLog(Writer out) {
    this.out = out;
  }

  /** Appends to {@code file} (created if absent). */
  static AuditLog append(Path file) throws IOException {
    return new AuditLog(Files.newBufferedWriter(file, StandardCharsets.UTF_8,
        StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE));
  }

  /** Writes to {@code writer} (tests). */
  static AuditLog to(BufferedWriter writer) {
    return new AuditLog(writer);
  }

  void update(UpdateEvent e) {
    write(updateJson(e));
  }

  /** An UPDATE event as JSON. */
  static ObjectNode updateJson(UpdateEvent e) {
    ObjectNode o = Output.mapper().createObjectNode().put("time", e.time().toString())
        .put("kind", "update").put("source", e.source().getHostAddress())
        .put("outcome", e.outcome().name())
        .put("rcode", e.rcode() < 0 ? "none" : Ops.rcode(e.rcode()))
        .put("signed", e.signed());
    if (e.child() != null) {
      o.put("child", e.child().toString());
    }
    if (e.signerKey() != null) {
      o.put("keyTag", e.signerKey().keyTag()).put("keyOwner", e.signerKey().owner().toString());
    }
    DelegationChange c = e.change();
    if (c != null) {
      o.put("changeId", c.id()).put("change", c.delta().toString());
    }
    DelegationBackend.ApplyResult r = e.backendResult();
    if (r != null) {
      o.put("backend", r.getClass().getSimpleName());
    }
    o.put("detail", e.detail());
    return o;
  }

  void notify(NotifyEvent e) {
    write(notifyJson(e));
  }

  /** A NOTIFY event as JSON. */
  static ObjectNode notifyJson(NotifyEvent e) {
    ObjectNode o = Output.mapper().createObjectNode().put("time", e.at().toString())
        .put("kind", "notify").put("source", e.source().getHostAddress())
        .put("outcome", e.outcome().name())
        .put("rcode", e.rcode() < 0 ? "none" : Ops.rcode(e.rcode()));
    e.child().ifPresent(c -> o.put("child", c.toString()));
    if (e.type() >= 0) {
      o.put("type", Type.string(e.type()));
    }
    return o;
  }

  void keyState(KeyStateEvent e) {
    write(keyStateJson(e));
  }

  /**
   * A KeyState inquiry's event as JSON: who asked about which key (owner, algorithm, tag; never
   * key octets) and what was answered.
   */
  static ObjectNode keyStateJson(KeyStateEvent e) {
    ObjectNode o = Output.mapper().createObjectNode().put("time", e.time().toString())
        .put("kind", "keystate").put("source", e.source().getHostAddress())
        .put("outcome", e.outcome().name())
        .put("rcode", e.rcode() < 0 ? "none" : Ops.rcode(e.rcode()))
        .put("signed", e.signed());
    if (e.child() != null) {
      o.put("child", e.child().toString());
    }
    KeyStateEvent.KeyRef key = e.key();
    if (key != null) {
      o.put("askedKeyTag", key.keyTag());
      if (key.algorithm() != 0) {
        o.put("askedKeyAlgorithm", key.algorithm());
      }
    }
    if (e.signerKey() != null) {
      o.put("keyTag", e.signerKey().keyTag()).put("keyOwner", e.signerKey().owner().toString());
    }
    if (e.keyState() != null) {
      o.put("state", e.keyState().name());
    }
    o.put("detail", e.detail());
    return o;
  }

  void scan(ScanEvent e) {
    write(scanJson(e).put("kind", "scan"));
  }

  /** A scan event as JSON (also the {@code scan} command's line format). */
  static ObjectNode scanJson(ScanEvent e) {
    ObjectNode o = Output.mapper().createObjectNode().put("time", e.at().toString())
        .put("child", e.child().toString()).put("type", Type.string(e.type()))
        .put("event", e.getClass().getSimpleName());
    if (e instanceof ScanEvent.NoChange n) {
      o.put("detail", n.detail());
    } else if (e instanceof ScanEvent.Pending p) {
      o.put("reason", p.reason().toString()).put("detail", p.detail());
    } else if (e instanceof ScanEvent.Refused r) {
      o.put("reason", r.reason().toString()).put("detail", r.detail());
    } else if (e instanceof ScanEvent.Accepted a) {
      o.put("changeId", a.change().id()).put("detail", a.summary());
    } else if (e instanceof ScanEvent.Applied a) {
      o.put("changeId", a.change().id()).put("change", a.change().delta().toString())
          .put("backend", a.result().getClass().getSimpleName());
    } else if (e instanceof ScanEvent.Failed f) {
      o.put("failure", f.kind()).put("detail", f.detail());
    }
    return o;
  }

  private synchronized void write(ObjectNode o) {
    try {
      out.write(Output.mapper().writeValueAsString(o));
      out.write('\n');
      out.flush();
    } catch (IOException e) {
      // a full disk must not take the parent down: say so in the log, keep serving
      LOG.warn("audit line not written: {}", e.toString());
    }
  }

  @Override
  public synchronized void close() {
    try {
      out.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
