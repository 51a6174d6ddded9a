package io.github.zonecut.cli.command;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.zonecut.cli.CliException;
import io.github.zonecut.cli.CommandGroup;
import io.github.zonecut.cli.ExitCode;
import io.github.zonecut.cli.Inputs;
import io.github.zonecut.cli.Output;
import io.github.zonecut.cli.Session;
import io.github.zonecut.cli.ZonecutCommand;
import io.github.zonecut.core.AddressPolicy;
import io.github.zonecut.core.Codepoints;
import io.github.zonecut.core.DiscoveryResult;
import io.github.zonecut.core.DnsEndpoint;
import io.github.zonecut.core.DsyncDiscovery;
import io.github.zonecut.core.DsyncScheme;
import io.github.zonecut.core.LookupResult;
import io.github.zonecut.core.Verdict;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code zonecut dsync}: DSYNC (RFC 9859) endpoint discovery. */
@Command(name = "dsync", mixinStandardHelpOptions = true,
    description = "DSYNC (RFC 9859): discover where a child sends its delegation changes.",
    subcommands = DsyncCommand.Discover.class)
public final class DsyncCommand extends CommandGroup {

  /** For picocli. */
  public DsyncCommand() {}

  /** The (RRtype) a discovery is for, as typed. */
  enum TypeOption { CDS, CSYNC, ANY }

  /** The DSYNC scheme, as typed. */
  enum SchemeOption { NOTIFY, UPDATE }

  /**
   * {@code zonecut dsync discover}: the RFC 9859 §4.1 walk (the child's parent's {@code _dsync}
   * name, then up), each lookup printed with its DNSSEC verdict.
   */
  @Command(name = "discover", mixinStandardHelpOptions = true,
      description = {"Find the DSYNC endpoint of CHILD (RFC 9859 §4.1): each lookup step with "
          + "its DNSSEC verdict, then FOUND (the record and its endpoints), NOT FOUND or "
          + "REFUSED (why).",
          "Exit 0 when found, 1 not found or refused, 3 when lookups failed (unreachable "
          + "resolver), 4 BOGUS or (with --require-secure) insecure."})
  public static final class Discover extends ZonecutCommand {
    @Parameters(index = "0", paramLabel = "CHILD", description = "The child zone.")
    private String child = "";

    @Option(names = "--type", paramLabel = "TYPE", defaultValue = "CDS",
        description = "The RRtype the DSYNC record is for: CDS, CSYNC or ANY (default: CDS for "
            + "NOTIFY, ANY for UPDATE).")
    private TypeOption type = TypeOption.CDS;

    @Option(names = "--scheme", paramLabel = "SCHEME", defaultValue = "NOTIFY",
        description = "NOTIFY (RFC 9859) or UPDATE (draft-ietf-dnsop-delegation-mgmt-via-ddns); "
            + "default NOTIFY.")
    private SchemeOption scheme = SchemeOption.NOTIFY;

    @Option(names = "--require-secure",
        description = "Refuse any lookup that is not DNSSEC-SECURE (RFC 9859 §5). Without it, "
            + "INSECURE answers are accepted; BOGUS never is.")
    private boolean requireSecure;

    @Option(names = "--allow-private",
        description = "Accept loopback and private target addresses (test set-ups).")
    private boolean allowPrivate;

    /** For picocli. */
    public Discover() {}

    @Override
    protected ExitCode run(Session session, Output out) throws Exception {
      Name childName = Inputs.name(child, "CHILD");
      Codepoints codepoints = Codepoints.DEFAULT;
      DsyncDiscovery discovery = DsyncDiscovery.builder(session.lookup())
          .codepoints(codepoints)
          .policy(requireSecure ? DsyncDiscovery.Policy.REQUIRE_SECURE
              : DsyncDiscovery.Policy.ACCEPT_INSECURE)
          .overrides(session.overrides())
          .addressPolicy(allowPrivate ? AddressPolicy.allowLoopbackAndPrivateForTesting()
              : AddressPolicy.publicOnly())
          .build();
      // --scheme UPDATE without an explicit --type means ANY (ddns §5)
      TypeOption t = scheme == SchemeOption.UPDATE && type == TypeOption.CDS
          && !spec().commandLine().getParseResult().hasMatchedOption("--type")
          ? TypeOption.ANY : type;
      int rrType = t == TypeOption.CDS ? Type.CDS : t == TypeOption.CSYNC ? Type.CSYNC : Type.ANY;
      DsyncScheme s = scheme == SchemeOption.NOTIFY ? DsyncScheme.NOTIFY
          : DsyncScheme.update(codepoints);
      DiscoveryResult result;
      try {
        result = discovery.discover(childName, rrType, s).toCompletableFuture()
            .get(60, TimeUnit.SECONDS);
      } catch (TimeoutException e) {
        throw new CliException(ExitCode.NETWORK, "discovery of " + childName
            + " did not finish within 60 s");
      }
      out.line("DSYNC discovery for %s, RRtype %s, scheme %s, policy %s", childName,
          Type.string(rrType), scheme, requireSecure ? "REQUIRE_SECURE" : "ACCEPT_INSECURE");
      ObjectNode json = out.object()
          .put("child", childName.toString())
          .put("type", Type.string(rrType))
          .put("scheme", scheme.name())
          .put("requireSecure", requireSecure);
      ArrayNode steps = json.putArray("steps");
      int i = 1;
      for (DiscoveryResult.Step step : result.steps()) {
        String verdict = step.verdict().map(Verdict::toString).orElse("-");
        String what = step.name() + "/" + Type.string(step.result().type());
        out.line("  %d. %-40s %-28s %s", i++, what, describe(step.result()), verdict);
        steps.addObject().put("name", step.name().toString())
            .put("type", Type.string(step.result().type()))
            .put("result", describe(step.result()))
            .put("verdict", verdict);
      }
      if (result instanceof DiscoveryResult.Found f) {
        List<String> endpoints = f.endpoints().stream().map(DnsEndpoint::toString).toList();
        out.line("FOUND %s -> %s", f.record().rdataToString(), endpoints);
        json.put("verdict", "FOUND").put("record", f.record().rdataToString());
        ArrayNode eps = json.putArray("endpoints");
        endpoints.forEach(eps::add);
        out.emit(json);
        return ExitCode.OK;
      }
      if (result instanceof DiscoveryResult.NotFound) {
        out.line("NOT FOUND: no DSYNC record for (%s, %s) above %s", Type.string(rrType),
            scheme, childName);
        out.emit(json.put("verdict", "NOT_FOUND"));
        return ExitCode.NEGATIVE;
      }
      DiscoveryResult.Refused r = (DiscoveryResult.Refused) result;
      out.line("REFUSED %s: %s", r.reason(), r.detail());
      out.emit(json.put("verdict", "REFUSED").put("reason", r.reason().name())
          .put("detail", r.detail()));
      switch (r.reason()) {
        case LOOKUP_FAILED:
          throw new CliException(ExitCode.NETWORK, "discovery of " + childName
              + " failed: " + lastProblem(r));
        case BOGUS:
          throw new CliException(ExitCode.VALIDATION, "discovery of " + childName
              + " refused: BOGUS answer (wrong trust anchor or broken signatures): "
              + Inputs.oneLine(r.detail()));
        case NOT_SECURE:
          throw new CliException(ExitCode.VALIDATION, "discovery of " + childName
              + " refused: an answer was not SECURE: " + Inputs.oneLine(r.detail()));
        default:
          return ExitCode.NEGATIVE;
      }
    }
  }

  /** What the last lookup of a failed discovery ran into, in a few words. */
  static String lastProblem(DiscoveryResult.Refused r) {
    if (!r.steps().isEmpty()) {
      LookupResult last = r.steps().get(r.steps().size() - 1).result();
      String at = last.name() + "/" + Type.string(last.type()) + ": ";
      if (last instanceof LookupResult.Failed f) {
        return at + Inputs.oneLine(f.detail());
      }
      if (last instanceof LookupResult.Timeout t) {
        return at + "timed out (" + Inputs.oneLine(t.detail()) + ")";
      }
      if (last instanceof LookupResult.ServFail s) {
        return at + "SERVFAIL (" + Inputs.oneLine(s.detail()) + ")";
      }
    }
    return Inputs.oneLine(r.detail());
  }

  /** One lookup's result in a few words. */
  static String describe(LookupResult r) {
    if (r instanceof LookupResult.Answer a) {
      List<Record> rrs = a.rrset().rrs();
      if (rrs.size() == 1 && rrs.get(0) instanceof ARecord address) {
        return address.getAddress().getHostAddress();
      }
      if (rrs.size() == 1 && rrs.get(0) instanceof AAAARecord address) {
        return address.getAddress().getHostAddress();
      }
      return rrs.size() + " " + Type.string(a.type()) + " record" + (rrs.size() == 1 ? "" : "s");
    }
    if (r instanceof LookupResult.NxDomain n) {
      SOARecordName soa = new SOARecordName(n.soa() == null ? null : n.soa().getName());
      return "NXDOMAIN" + soa;
    }
    if (r instanceof LookupResult.NoData n) {
      SOARecordName soa = new SOARecordName(n.soa() == null ? null : n.soa().getName());
      return "NODATA" + soa;
    }
    if (r instanceof LookupResult.Bogus) {
      return "BOGUS";
    }
    if (r instanceof LookupResult.Timeout) {
      return "TIMEOUT";
    }
    if (r instanceof LookupResult.ServFail) {
      return "SERVFAIL";
    }
    if (r instanceof LookupResult.Failed f) {
      return "FAILED (" + f.problem() + ")";
    }
    return r.getClass().getSimpleName().toUpperCase(java.util.Locale.ROOT);
  }

  /** " (SOA name)" or "". */
  private record SOARecordName(@org.jspecify.annotations.Nullable Name name) {
    @Override
    public String toString() {
      Name n = name;
      return n == null ? "" : " (SOA " + n + ")";
    }
  }
}
