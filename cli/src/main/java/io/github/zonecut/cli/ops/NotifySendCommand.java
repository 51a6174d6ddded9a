package io.github.zonecut.cli.ops;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.zonecut.cli.CliException;
import io.github.zonecut.cli.ExitCode;
import io.github.zonecut.cli.Inputs;
import io.github.zonecut.cli.Output;
import io.github.zonecut.cli.Session;
import io.github.zonecut.cli.ZonecutCommand;
import io.github.zonecut.core.CsyncRecord;
import io.github.zonecut.core.DsyncDiscovery;
import io.github.zonecut.core.TransportProtocol;
import io.github.zonecut.dsync.NotifyOutcome;
import io.github.zonecut.dsync.NotifySender;
import java.time.Duration;
import java.util.Locale;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code zonecut notify send}: a generalized NOTIFY(CDS) or NOTIFY(CSYNC) for a child, sent to the
 * endpoint its parent advertises with DSYNC (RFC 9859 §4), with RFC 1996 §3.6 retransmissions.
 */
@Command(name = "send", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Send NOTIFY(CDS) or NOTIFY(CSYNC) for CHILD to the endpoint its parent "
        + "advertises with DSYNC (RFC 9859 §4): tell the parent to look at the child's signals now.")
public final class NotifySendCommand extends ZonecutCommand {

  @Parameters(index = "0", paramLabel = "CHILD", description = "The delegated zone.")
  private String child = "";

  @Parameters(index = "1", paramLabel = "cds|csync",
      description = "What changed: the CDS/CDNSKEY RRsets (cds) or the CSYNC RRset (csync).")
  private String what = "";

  @Option(names = "--retries", paramLabel = "N", defaultValue = "5",
      description = "Retransmissions without an answer (RFC 1996 §3.6; default ${DEFAULT-VALUE}).")
  private int retries;

  @Option(names = "--interval", paramLabel = "SECONDS", defaultValue = "60",
      description = "Seconds between retransmissions, at least 10 (default ${DEFAULT-VALUE}).")
  private long interval;

  @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "5",
      description = "Seconds each attempt waits for its answer (default ${DEFAULT-VALUE}).")
  private long timeout;

  @Option(names = "--tcp", description = "Send over TCP (default UDP, TCP after truncation).")
  private boolean tcp;

  /** For picocli. */
  public NotifySendCommand() {}

  @Override
  protected ExitCode run(Session session, Output out) throws Exception {
    Name zone = Inputs.name(child, "CHILD");
    int type = switch (what.toLowerCase(Locale.ROOT)) {
      case "cds" -> Type.CDS;
      case "csync" -> CsyncRecord.TYPE;
      default -> throw CliException.usage("bad NOTIFY type '" + what + "': cds or csync");
    };
    if (retries < 0 || retries > 20) {
      throw CliException.usage("bad --retries " + retries + ": 0 to 20");
    }
    if (interval < NotifySender.MIN_INTERVAL.toSeconds()) {
      throw CliException.usage("bad --interval " + interval + ": at least "
          + NotifySender.MIN_INTERVAL.toSeconds() + " s (RFC 9859 §5: parents rate-limit)");
    }
    if (timeout < 1 || timeout > 60) {
      throw CliException.usage("bad --timeout " + timeout + ": 1 to 60 s");
    }
    DsyncDiscovery discovery = DsyncDiscovery.builder(session.lookup())
        .overrides(session.overrides()).build();
    NotifySender sender = NotifySender.builder(session.transport(), discovery)
        .delayer(Ops.delayer(session))
        .timeout(Duration.ofSeconds(timeout))
        .retries(retries, Duration.ofSeconds(interval))
        .protocol(tcp ? TransportProtocol.TCP : TransportProtocol.UDP)
        .build();
    NotifyOutcome o = Ops.await(sender.send(zone, type));
    String t = Type.string(type);
    ObjectNode node = out.object().put("child", zone.toString()).put("type", t)
        .put("outcome", Ops.kind(o));
    ExitCode exit;
    String line;
    if (o instanceof NotifyOutcome.Acknowledged a) {
      node.put("endpoint", a.endpoint().toString()).put("attempts", a.attempts());
      line = "NOTIFY(" + t + ") for " + zone + " acknowledged by " + a.endpoint() + " after "
          + a.attempts() + (a.attempts() == 1 ? " attempt" : " attempts");
      exit = ExitCode.OK;
    } else if (o instanceof NotifyOutcome.Refused r) {
      node.put("endpoint", r.endpoint().toString()).put("rcode", Ops.rcode(r.rcode()));
      r.ede().ifPresent(e -> node.put("ede", e.code()).put("edeText", e.text()));
      line = "NOTIFY(" + t + ") for " + zone + " refused by " + r.endpoint() + ": "
          + Ops.rcode(r.rcode()) + r.ede().map(e -> ", EDE " + e.code()
              + (e.text().isEmpty() ? "" : " \"" + e.text() + "\"")).orElse("");
      exit = ExitCode.NEGATIVE;
    } else if (o instanceof NotifyOutcome.NoEndpoint n) {
      line = "no NOTIFY(" + t + ") endpoint for " + zone + ": " + Ops.discovery(n.discovery());
      node.put("detail", Ops.discovery(n.discovery()));
      exit = Ops.exitOf(n.discovery());
    } else if (o instanceof NotifyOutcome.NoAnswer n) {
      line = "no answer to NOTIFY(" + t + ") for " + zone + " after " + n.attempts()
          + (n.attempts() == 1 ? " attempt: " : " attempts: ") + n.lastProblem();
      node.put("attempts", n.attempts()).put("detail", n.lastProblem());
      exit = ExitCode.NETWORK;
    } else {
      NotifyOutcome.MalformedAnswer m = (NotifyOutcome.MalformedAnswer) o;
      line = "malformed answer from " + m.endpoint() + ": " + m.detail();
      node.put("endpoint", m.endpoint().toString()).put("detail", m.detail());
      exit = ExitCode.NEGATIVE;
    }
    out.result(line, node);
    return exit;
  }
}
