package io.github.zonecut.cli.ops;

import io.github.zonecut.cli.CliException;
import io.github.zonecut.cli.ExitCode;
import io.github.zonecut.cli.Inputs;
import io.github.zonecut.cli.Session;
import io.github.zonecut.core.DiscoveryResult;
import io.github.zonecut.core.DsData;
import io.github.zonecut.core.ZonecutException;
import io.github.zonecut.dsync.AgentResult;
import io.github.zonecut.dsync.DelegationAgent;
import io.github.zonecut.dsync.RetrySchedule;
import io.github.zonecut.dsync.UpdateOutcome;
import io.github.zonecut.keystate.Delayer;
import io.github.zonecut.sig0.Sig0Config;
import io.github.zonecut.sig0.Sig0KeyFiles;
import io.github.zonecut.sig0.Sig0KeyPair;
import io.github.zonecut.sig0.Sig0KeyStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;

/** What the operational commands share: key files, waiting, and outcomes in words. */
final class Ops {
  /** How long a command waits for the protocol to finish (retries included). */
  static final Duration WAIT = Duration.ofSeconds(120);

  private Ops() {}

  /**
   * The key pair of BIND files {@code KBASE.key} and {@code KBASE.private} (the base may be given
   * with either suffix).
   *
   * @throws CliException (usage) naming the missing or bad file
   */
  static Sig0KeyPair keyPair(String kbase, String what) throws CliException {
    String base = kbase;
    for (String suffix : new String[] {".key", ".private"}) {
      if (base.endsWith(suffix)) {
        base = base.substring(0, base.length() - suffix.length());
      }
    }
    for (String suffix : new String[] {".key", ".private"}) {
      Path f = Path.of(base + suffix);
      if (!Files.isRegularFile(f)) {
        throw CliException.usage(what + " file " + f + " does not exist");
      }
    }
    try {
      return Sig0KeyFiles.read(Path.of(base));
    } catch (ZonecutException e) {
      throw CliException.usage("bad " + what + " " + base + ": " + Inputs.oneLine(e.getMessage()));
    }
  }

  /**
   * An address to listen on: {@code ADDR:PORT} ({@code [v6]:PORT}), where port 0 means any free
   * port.
   */
  static java.net.InetSocketAddress bindAddress(String text, String what) throws CliException {
    boolean any = text.endsWith(":0");
    io.github.zonecut.core.DnsEndpoint e = Inputs.endpoint(
        any ? text.substring(0, text.length() - 1) + "53" : text, what);
    return new java.net.InetSocketAddress(e.address(), any ? 0 : e.port());
  }

  /** SIG(0) settings on the run's clock. */
  static Sig0Config sig0(Session session) {
    return Sig0Config.builder().clock(session.clock()).build();
  }

  /** Pauses on the run's executor. */
  static Delayer delayer(Session session) {
    return Delayer.using(session.executor());
  }

  /** A delegation agent for this run, signing with the keys of {@code keys}. */
  static DelegationAgent agent(Session session, Sig0KeyStore keys) throws CliException {
    return agent(session, keys, RetrySchedule.DRAFT_MAX_TRIES);
  }

  /** A delegation agent making at most {@code tries} tries per UPDATE (ddns §8). */
  static DelegationAgent agent(Session session, Sig0KeyStore keys, int tries)
      throws CliException {
    return DelegationAgent.builder(session.transport(), session.lookup(), keys, delayer(session))
        .endpointOverrides(session.overrides())
        .sig0Config(sig0(session))
        .retrySchedule(schedule(tries))
        .build();
  }

  /** The draft's default schedule with at most {@code tries} tries. */
  static RetrySchedule schedule(int tries) {
    RetrySchedule d = RetrySchedule.draftDefault();
    return RetrySchedule.of(d.initialTimeout(), d.maxTimeout(), tries);
  }

  /**
   * The stage's value, waiting at most {@link #WAIT}.
   *
   * @throws CliException ({@link ExitCode#NETWORK}) when it takes longer
   * @throws Exception the stage's own failure
   */
  static <T> T await(CompletionStage<T> stage) throws Exception {
    try {
      return stage.toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new CliException(ExitCode.NETWORK, "no result within " + WAIT.toSeconds() + " s");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof Exception ex) {
        throw ex;
      }
      throw e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException(ExitCode.NETWORK, "interrupted");
    }
  }

  /** A DS RDATA in presentation form ({@code keytag alg digesttype hex}) for {@code child}. */
  static DsData ds(Name child, String rdata) throws CliException {
    Record r = Inputs.record(child + " 3600 IN DS " + rdata, 3600, "--ds");
    if (!(r instanceof DSRecord ds)) {
      throw CliException.usage("malformed --ds '" + rdata + "': not DS RDATA");
    }
    try {
      return DsData.of(ds);
    } catch (IllegalArgumentException e) {
      throw CliException.usage("malformed --ds '" + rdata + "': " + e.getMessage());
    }
  }

  /** The exit code of a discovery that found nothing usable. */
  static ExitCode exitOf(DiscoveryResult d) {
    if (d instanceof DiscoveryResult.Refused r && r.reason() == DiscoveryResult.Reason.BOGUS) {
      return ExitCode.VALIDATION;
    }
    return ExitCode.NEGATIVE;
  }

  /** An RCODE's name; 16-18 are the SIG(0) codes here (RFC 2931, RFC 8945 §3). */
  static String rcode(int rcode) {
    return switch (rcode) {
      case 16 -> "BADSIG";
      case 17 -> "BADKEY";
      case 18 -> "BADTIME";
      default -> Rcode.string(rcode);
    };
  }

  /** An UPDATE outcome in a few words. */
  static String describe(UpdateOutcome o) {
    if (o instanceof UpdateOutcome.Accepted a) {
      return "accepted (" + reply(a.reply()) + ")";
    }
    if (o instanceof UpdateOutcome.Refused r) {
      return "refused " + r.reason() + " (" + reply(r.reply()) + ")";
    }
    if (o instanceof UpdateOutcome.UnknownKey u) {
      return "BADKEY: the receiver does not know the key" + (u.rebootstrapped()
          ? ", even after one re-bootstrap" : "") + " (" + reply(u.reply()) + ")";
    }
    if (o instanceof UpdateOutcome.BadSignature b) {
      return "BADSIG (" + reply(b.reply()) + ")";
    }
    if (o instanceof UpdateOutcome.BadTime b) {
      return "BADTIME: check the clock (" + reply(b.reply()) + ")";
    }
    if (o instanceof UpdateOutcome.ErrorRcode e) {
      return "error (" + reply(e.reply()) + ")";
    }
    if (o instanceof UpdateOutcome.NoAnswer n) {
      return "no answer after " + n.tries() + " tries: " + String.join("; ", n.problems());
    }
    if (o instanceof UpdateOutcome.UnsignedAnswer u) {
      return "unsigned answer " + rcode(u.claimedRcode()) + " from " + u.from()
          + " (not trusted)";
    }
    if (o instanceof UpdateOutcome.ForgedAnswer f) {
      return "answer from " + f.from() + " failed verification: " + f.detail();
    }
    if (o instanceof UpdateOutcome.NoReceiverKey n) {
      return "no receiver KEY: " + n.detail();
    }
    return o.toString();
  }

  private static String reply(UpdateOutcome.Reply r) {
    String ede = r.extendedErrors().stream()
        .map(e -> "EDE " + e.infoCode() + (e.extraText().isEmpty() ? "" : " \"" + e.extraText()
            + "\""))
        .collect(Collectors.joining(", "));
    return rcode(r.rcode()) + " from " + r.from() + (ede.isEmpty() ? "" : ", " + ede);
  }

  /** A short outcome word for JSON: the outcome's kind. */
  static String kind(Object outcome) {
    return outcome.getClass().getSimpleName();
  }

  /** An agent result in a few words, with its exit code. */
  static Described describe(AgentResult r) {
    if (r instanceof AgentResult.InSync s) {
      return new Described(ExitCode.OK, "in sync: the parent already publishes "
          + s.published().nameservers().size() + " NS and " + s.published().ds().size()
          + " DS; nothing sent");
    }
    if (r instanceof AgentResult.Sent s) {
      String text = s.operation() + " UPDATE " + describe(s.outcome())
          + s.rebootstrap().map(b -> "; re-bootstrap after BADKEY " + describe(b)).orElse("");
      return new Described(s.outcome().isAccepted() ? ExitCode.OK : outcomeExit(s.outcome()),
          text);
    }
    if (r instanceof AgentResult.NoReceiver n) {
      return new Described(exitOf(n.discovery()), "no UPDATE receiver: " + discovery(n.discovery()));
    }
    if (r instanceof AgentResult.NoSigningKey n) {
      return new Described(ExitCode.USAGE, "no signing key: " + n.detail());
    }
    AgentResult.NotReadable n = (AgentResult.NotReadable) r;
    return new Described(ExitCode.NETWORK, "cannot read the " + n.what() + " delegation: "
        + n.detail());
  }

  /** The exit code of an UPDATE outcome that is not an acceptance. */
  static ExitCode outcomeExit(UpdateOutcome o) {
    return o instanceof UpdateOutcome.NoAnswer ? ExitCode.NETWORK : ExitCode.NEGATIVE;
  }

  /** A discovery result that found nothing, in words. */
  static String discovery(DiscoveryResult d) {
    if (d instanceof DiscoveryResult.Refused r) {
      return "refused " + r.reason() + ": " + r.detail();
    }
    if (d instanceof DiscoveryResult.NotFound) {
      return "no DSYNC record for " + d.child();
    }
    return d.toString();
  }

  /** Text with its exit code. */
  record Described(ExitCode exit, String text) {}

  /** Names as text, comma-separated. */
  static String names(List<Name> names) {
    return names.stream().map(Name::toString).collect(Collectors.joining(", "));
  }
}
