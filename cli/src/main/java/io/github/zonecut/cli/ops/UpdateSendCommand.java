package io.github.zonecut.cli.ops;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.zonecut.cli.CliException;
import io.github.zonecut.cli.ExitCode;
import io.github.zonecut.cli.Inputs;
import io.github.zonecut.cli.Output;
import io.github.zonecut.cli.Session;
import io.github.zonecut.cli.ZonecutCommand;
import io.github.zonecut.core.Delegation;
import io.github.zonecut.core.DnsEndpoint;
import io.github.zonecut.core.DnsLookup;
import io.github.zonecut.core.DsData;
import io.github.zonecut.core.EndpointOverrides;
import io.github.zonecut.core.LookupResult;
import io.github.zonecut.dsync.AgentResult;
import io.github.zonecut.dsync.DelegationAgent;
import io.github.zonecut.dsync.DelegationRead;
import io.github.zonecut.dsync.DelegationReader;
import io.github.zonecut.dsync.RetrySchedule;
import io.github.zonecut.dsync.KeyRollResult;
import io.github.zonecut.dsync.UpdateBuilder;
import io.github.zonecut.dsync.UpdateOutcome;
import io.github.zonecut.dsync.UpdateSender;
import io.github.zonecut.dsync.UpdateTarget;
import io.github.zonecut.sig0.InMemorySig0KeyStore;
import io.github.zonecut.sig0.Sig0KeyPair;
import io.github.zonecut.sig0.Sig0KeyState;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code zonecut update send}: the child's delegation agent (draft-ietf-dnsop-delegation-mgmt-via-
 * ddns): discovers the parent's DSYNC UPDATE receiver (RFC 9859 §4.1) and its KEY, then sends
 * SIG(0)-signed UPDATEs: the key bootstrap (§9.4.1), a delegation change read from the child's
 * zone or given on the command line (§6), and a key roll (§9.6).
 */
@Command(name = "send", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Send a SIG(0)-signed delegation UPDATE for CHILD to the receiver its parent advertises "
            + "with DSYNC (draft-ietf-dnsop-delegation-mgmt-via-ddns).",
        "With --from-child the desired NS, glue and DS are read from the child's own servers "
            + "(CDS/CDNSKEY); with --ns/--ds they are given here. --bootstrap uploads the key "
            + "first (self-signed); --roll-to rolls it afterwards."})
public final class UpdateSendCommand extends ZonecutCommand {

  @Parameters(index = "0", paramLabel = "CHILD", description = "The delegated zone.")
  private String child = "";

  @Option(names = "--key", required = true, paramLabel = "KBASE",
      description = "The child's SIG(0) key: BIND files KBASE.key and KBASE.private.")
  private String key = "";

  @Option(names = "--from-child",
      description = "Read the desired NS, glue and DS from the child's own servers.")
  private boolean fromChild;

  @Option(names = "--ns", paramLabel = "NAME[=ADDR,...]",
      description = "A name server of the desired NS set (repeatable); glue addresses for an "
          + "in-bailiwick one after '='.")
  private List<String> nsSpecs = new ArrayList<>();

  @Option(names = "--ds", paramLabel = "'TAG ALG DIGESTTYPE HEX'",
      description = "The RDATA of a DS record of the desired DS set (repeatable).")
  private List<String> dsSpecs = new ArrayList<>();

  @Option(names = "--bootstrap",
      description = "First upload the key with the self-signed bootstrap UPDATE (ddns §9.4.1).")
  private boolean bootstrap;

  @Option(names = "--roll-to", paramLabel = "KBASE",
      description = "Then roll the child's key at the parent to this one (ddns §9.6).")
  private @Nullable String rollTo;

  @Option(names = "--tries", paramLabel = "N", defaultValue = "5",
      description = "Tries per UPDATE, 1-5 (ddns §8; default ${DEFAULT-VALUE}), the first "
          + "waiting 5 s, each next twice as long.")
  private int tries;

  /** For picocli. */
  public UpdateSendCommand() {}

  @Override
  protected ExitCode run(Session session, Output out) throws Exception {
    Name zone = Inputs.name(child, "CHILD");
    if (tries < 1 || tries > RetrySchedule.DRAFT_MAX_TRIES) {
      throw CliException.usage("bad --tries " + tries + ": 1 to " + RetrySchedule.DRAFT_MAX_TRIES);
    }
    Sig0KeyPair pair = Ops.keyPair(key, "--key");
    if (!pair.publicKey().owner().equals(zone)) {
      throw CliException.usage("--key " + key + " belongs to " + pair.publicKey().owner()
          + ", not " + zone);
    }
    Sig0KeyPair next = null;
    String roll = rollTo;
    if (roll != null) {
      next = Ops.keyPair(roll, "--roll-to");
      if (!next.publicKey().owner().equals(zone)) {
        throw CliException.usage("--roll-to " + roll + " belongs to " + next.publicKey().owner()
            + ", not " + zone);
      }
    }
    boolean explicit = !nsSpecs.isEmpty() || !dsSpecs.isEmpty();
    if (explicit && fromChild) {
      throw CliException.usage("give either --from-child or --ns/--ds, not both");
    }
    Map<Name, List<InetAddress>> ns = nameservers(zone, nsSpecs);
    List<DsData> ds = new ArrayList<>();
    for (String text : dsSpecs) {
      ds.add(Ops.ds(zone, text));
    }
    if (!bootstrap && !fromChild && !explicit && next == null) {
      throw CliException.usage("nothing to send: give --bootstrap, --from-child, --ns/--ds or "
          + "--roll-to");
    }

    InMemorySig0KeyStore keys = InMemorySig0KeyStore.create();
    keys.store(pair, Sig0KeyState.ACTIVE);
    DelegationAgent agent = Ops.agent(session, keys, tries);
    ExitCode exit = ExitCode.OK;
    if (bootstrap) {
      exit = worst(exit, report(out, "bootstrap", Ops.await(agent.bootstrap(zone))));
    }
    if (exit == ExitCode.OK && fromChild) {
      exit = worst(exit, report(out, "delegation", Ops.await(agent.sync(zone))));
    }
    if (exit == ExitCode.OK && explicit) {
      exit = worst(exit, explicit(session, out, agent, zone, pair, ns, ds));
    }
    if (exit == ExitCode.OK && next != null) {
      KeyRollResult r = Ops.await(agent.rollKey(zone, next));
      if (r.addNew().isPresent()) {
        exit = worst(exit, report(out, "roll-add", r.addNew().get()));
      }
      if (r.deleteOld().isPresent()) {
        exit = worst(exit, report(out, "roll-delete", r.deleteOld().get()));
      }
      if (exit == ExitCode.OK && r.isComplete()) {
        out.line("key roll complete: sign with %s (key tag %d) from now on", String.valueOf(roll),
            next.publicKey().keyTag());
      }
    }
    return exit;
  }

  private static ExitCode worst(ExitCode a, ExitCode b) {
    return a == ExitCode.OK ? b : a;
  }

  private static ExitCode report(Output out, String step, AgentResult r) {
    Ops.Described d = Ops.describe(r);
    ObjectNode o = out.object().put("step", step).put("result", Ops.kind(r))
        .put("ok", d.exit() == ExitCode.OK).put("detail", d.text());
    if (r instanceof AgentResult.Sent s) {
      o.put("outcome", Ops.kind(s.outcome()));
      rcodeOf(s.outcome()).ifPresent(c -> o.put("rcode", Ops.rcode(c)));
    }
    out.result(step + ": " + d.text(), o);
    return d.exit();
  }

  private static Optional<Integer> rcodeOf(UpdateOutcome o) {
    if (o instanceof UpdateOutcome.Accepted a) {
      return Optional.of(a.reply().rcode());
    }
    if (o instanceof UpdateOutcome.Refused r) {
      return Optional.of(r.reply().rcode());
    }
    if (o instanceof UpdateOutcome.UnknownKey u) {
      return Optional.of(u.reply().rcode());
    }
    if (o instanceof UpdateOutcome.BadSignature b) {
      return Optional.of(b.reply().rcode());
    }
    if (o instanceof UpdateOutcome.BadTime b) {
      return Optional.of(b.reply().rcode());
    }
    if (o instanceof UpdateOutcome.ErrorRcode e) {
      return Optional.of(e.reply().rcode());
    }
    return Optional.empty();
  }

  private static Map<Name, List<InetAddress>> nameservers(Name zone, List<String> specs)
      throws CliException {
    Map<Name, List<InetAddress>> out = new LinkedHashMap<>();
    for (String spec : specs) {
      int eq = spec.indexOf('=');
      Name host = Inputs.name(eq < 0 ? spec : spec.substring(0, eq), "--ns");
      List<InetAddress> glue = new ArrayList<>();
      if (eq >= 0) {
        for (String a : spec.substring(eq + 1).split(",")) {
          glue.add(Inputs.ipLiteral(a.strip()).orElseThrow(() -> CliException.usage(
              "bad --ns '" + spec + "': '" + a.strip() + "' is not an IP address")));
        }
      }
      if (host.subdomain(zone) && glue.isEmpty()) {
        throw CliException.usage("--ns " + host + " is inside " + zone
            + ": give its glue as --ns " + host + "=ADDR");
      }
      out.put(host, glue);
    }
    return out;
  }

  /** The published delegation with NS (and glue) or DS replaced by what was given. */
  private ExitCode explicit(Session session, Output out, DelegationAgent agent, Name zone,
      Sig0KeyPair pair, Map<Name, List<InetAddress>> ns, List<DsData> ds) throws Exception {
    DelegationAgent.Located loc = Ops.await(agent.locate(zone));
    UpdateTarget target = loc.target();
    if (target == null) {
      AgentResult failure = loc.failure();
      return report(out, "delegation", java.util.Objects.requireNonNull(failure));
    }
    List<DnsEndpoint> parentServers = servers(session.lookup(), session.overrides(),
        target.parentZone());
    DelegationRead read = Ops.await(DelegationReader.builder(session.transport()).build()
        .published(zone, parentServers));
    if (!(read instanceof DelegationRead.Found found)) {
      return report(out, "delegation", new AgentResult.NotReadable("published", read.toString()));
    }
    Delegation published = found.delegation();
    Delegation.Builder b = Delegation.builder(zone).nsTtl(published.nsTtl())
        .dsTtl(published.dsTtl()).glueTtl(published.glueTtl());
    if (ns.isEmpty()) {
      b.nameservers(published.nameservers().toArray(new Name[0]));
      published.glue().forEach((h, a) -> b.glue(h, a.toArray(new InetAddress[0])));
    } else {
      b.nameservers(ns.keySet().toArray(new Name[0]));
      ns.forEach((h, a) -> {
        if (!a.isEmpty()) {
          b.glue(h, a.toArray(new InetAddress[0]));
        }
      });
    }
    b.ds((ds.isEmpty() ? new ArrayList<>(published.ds()) : ds).toArray(new DsData[0]));
    Delegation wanted = b.build();
    if (published.diff(wanted).isEmpty()) {
      return report(out, "delegation", new AgentResult.InSync(published));
    }
    Message update = UpdateBuilder.of(target.parentZone()).delegation(published, wanted);
    UpdateSender sender = UpdateSender.builder(session.transport(), Ops.delayer(session))
        .sig0Config(Ops.sig0(session)).retrySchedule(Ops.schedule(tries)).build();
    UpdateOutcome o = Ops.await(sender.send(target, update, pair));
    return report(out, "delegation", new AgentResult.Sent(AgentResult.Operation.DELEGATION,
        Optional.of(published.diff(wanted)), o, Optional.empty()));
  }

  /** The parent zone's servers: overrides, else validated A/AAAA of its NS hosts. */
  static List<DnsEndpoint> servers(DnsLookup lookup, EndpointOverrides overrides, Name zone)
      throws Exception {
    List<DnsEndpoint> out = new ArrayList<>();
    LookupResult r = Ops.await(lookup.lookup(zone, Type.NS));
    if (!(r instanceof LookupResult.Answer a)) {
      throw new CliException(ExitCode.NETWORK, "cannot find the name servers of " + zone + ": "
          + r);
    }
    for (Record rr : a.rrset().rrs()) {
      Name host = ((NSRecord) rr).getTarget();
      Optional<List<DnsEndpoint>> o = overrides.forName(host);
      if (o.isPresent()) {
        out.addAll(o.get());
        continue;
      }
      for (int type : new int[] {Type.A, Type.AAAA}) {
        LookupResult ar = Ops.await(lookup.lookup(host, type));
        if (ar instanceof LookupResult.Answer aa) {
          for (Record x : aa.rrset().rrs()) {
            InetAddress addr = x instanceof ARecord ar4 ? ar4.getAddress()
                : ((AAAARecord) x).getAddress();
            out.add(overrides.forAddress(addr, DnsEndpoint.DNS_PORT));
          }
        }
      }
    }
    if (out.isEmpty()) {
      throw new CliException(ExitCode.NETWORK, "no address for any name server of " + zone);
    }
    return out;
  }
}
