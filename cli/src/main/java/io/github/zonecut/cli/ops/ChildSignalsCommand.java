package io.github.zonecut.cli.ops;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.zonecut.cli.CliException;
import io.github.zonecut.cli.ExitCode;
import io.github.zonecut.cli.Inputs;
import io.github.zonecut.cli.Output;
import io.github.zonecut.cli.Session;
import io.github.zonecut.cli.ZonecutCommand;
import io.github.zonecut.core.CsyncRecord;
import io.github.zonecut.core.LookupResult;
import io.github.zonecut.core.Names;
import io.github.zonecut.core.Verdict;
import io.github.zonecut.core.ZonecutException;
import io.github.zonecut.dsync.Observations;
import io.github.zonecut.dsync.Observer;
import io.github.zonecut.dsync.ServerObservation;
import io.github.zonecut.dsync.Signals;
import io.github.zonecut.keystate.AtNsVerifier;
import io.github.zonecut.sig0.Sig0KeyFiles;
import io.github.zonecut.sig0.Sig0PublicKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code zonecut signals}: what a DNS operator publishes for a child so its parent can act, computed
 * from what the child's servers serve now (dsync {@link Signals}): CDS and CDNSKEY for the
 * key-signing keys (RFC 7344 §3), CSYNC for NS and glue (RFC 7477 §2), the RFC 9615 §3 {@code
 * _dsboot} copies under each out-of-bailiwick name server, and with {@code --key} the child's
 * SIG(0) KEY at the {@code _sig0key} signal names (ddns at-ns bootstrap) — and whether every
 * server already serves it (RFC 9859 §4.2: delay the NOTIFY until all copies agree).
 */
@Command(name = "signals", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "What CHILD's operator should publish for the parent (CDS, CDNSKEY, CSYNC, _dsboot "
            + "and, with --key, _sig0key), computed from the child's servers, and whether every "
            + "server already serves it (RFC 7344, RFC 7477, RFC 9615, RFC 9859 §4.2).",
        "Exit 0 when every server serves the CDS/CDNSKEY (and _dsboot) signals consistently."})
public final class ChildSignalsCommand extends ZonecutCommand {
  private static final long TTL = 3600;

  @Parameters(index = "0", paramLabel = "CHILD", description = "The delegated zone.")
  private String child = "";

  @Option(names = "--key", paramLabel = "KBASE",
      description = "The child's SIG(0) key (KBASE.key is enough): also list its _sig0key "
          + "signal records.")
  private @Nullable String key;

  @Option(names = "--sha384", description = "Add SHA-384 CDS beside SHA-256.")
  private boolean sha384;

  /** For picocli. */
  public ChildSignalsCommand() {}

  @Override
  protected ExitCode run(Session session, Output out) throws Exception {
    Name zone = Inputs.name(child, "CHILD");
    Sig0PublicKey sig0 = key == null ? null : publicKey(key);
    if (sig0 != null && !sig0.owner().equals(zone)) {
      throw CliException.usage("--key " + key + " belongs to " + sig0.owner() + ", not " + zone);
    }
    Observer observer = Observer.builder(session.transport(), session.lookup())
        .overrides(session.overrides()).clock(session.clock())
        .timeout(Duration.ofSeconds(5)).build();
    Signals.Consistency consistency = Ops.await(Signals.checkConsistency(observer, zone));
    Observations obs = consistency.observations();

    LookupResult keys = obs.validated(zone, Type.DNSKEY).orElse(null);
    LookupResult soa = obs.validated(zone, Type.SOA).orElse(null);
    if (keys instanceof LookupResult.Bogus || soa instanceof LookupResult.Bogus) {
      throw new CliException(ExitCode.VALIDATION, "the DNSKEY or SOA of " + zone
          + " is BOGUS: " + (keys instanceof LookupResult.Bogus ? keys : soa));
    }
    if (!(soa instanceof LookupResult.Answer soaAnswer)) {
      throw new CliException(ExitCode.NETWORK, "cannot read the SOA of " + zone + ": " + soa);
    }
    List<DNSKEYRecord> dnskeys = new ArrayList<>();
    boolean signed = keys instanceof LookupResult.Answer k && k.verdict() == Verdict.SECURE;
    if (keys instanceof LookupResult.Answer k) {
      for (Record r : k.rrset().rrs()) {
        if (r instanceof DNSKEYRecord d) {
          dnskeys.add(d);
        }
      }
    }
    long serial = ((SOARecord) soaAnswer.rrset().rrs().get(0)).getSerial();
    List<Record> cds = new ArrayList<>();
    List<Record> cdnskey = new ArrayList<>();
    if (!dnskeys.isEmpty()) {
      cds.addAll(Signals.cds(zone, dnskeys, sha384 ? List.of(2, 4) : List.of(2), TTL));
      cdnskey.addAll(Signals.cdnskey(zone, dnskeys, TTL));
    }
    CsyncRecord csync = Signals.csync(zone, serial, true, true, TTL);
    Set<Name> nameservers = obs.childNameservers();
    List<Record> dsboot;
    try {
      dsboot = Signals.dsboot(zone, nameservers, cds, cdnskey);
    } catch (ZonecutException e) {
      throw CliException.usage(Inputs.oneLine(e.getMessage()));
    }
    List<Record> sig0key = new ArrayList<>();
    if (sig0 != null) {
      sig0key.add(sig0.toKeyRecord(TTL));
      for (Name ns : new TreeSet<>(nameservers)) {
        if (!Names.isInBailiwick(ns, zone)) {
          Optional<Name> at = AtNsVerifier.signalName(zone, ns);
          if (at.isPresent()) {
            sig0key.add(sig0.toKeyRecord(TTL).withName(at.get()));
          }
        }
      }
    }

    List<ServerObservation.Reached> reached = new ArrayList<>();
    for (ServerObservation s : obs.servers()) {
      if (s instanceof ServerObservation.Reached r) {
        reached.add(r);
      }
    }
    out.line("%s: %s, SOA serial %d, %d name server(s), %d server address(es) reached", zone,
        signed ? "signed (SECURE)" : dnskeys.isEmpty() ? "unsigned" : "not validated SECURE",
        serial, nameservers.size(), reached.size());
    ArrayNode items = out.array();
    boolean allServed = true;
    allServed &= section(out, items, "CDS", cds, served(reached, zone, Type.CDS, cds), true);
    allServed &= section(out, items, "CDNSKEY", cdnskey,
        served(reached, zone, Type.CDNSKEY, cdnskey), true);
    section(out, items, "CSYNC (optional: publish to have NS and glue copied)", List.of(csync),
        servedAny(reached, zone, CsyncRecord.TYPE), false);
    if (!dsboot.isEmpty()) {
      allServed &= section(out, items, "_dsboot (RFC 9615, in the name servers' zones)", dsboot,
          signalServed(obs, dsboot), true);
    }
    if (!sig0key.isEmpty()) {
      section(out, items, "SIG(0) KEY (apex, and _sig0key for at-ns bootstrap)", sig0key,
          sig0Served(session, sig0key), false);
    }
    for (String p : consistency.problems()) {
      out.line("problem: %s", p);
    }
    boolean ok = allServed && consistency.consistent() && !cds.isEmpty();
    if (cds.isEmpty()) {
      out.line("no DNSKEY at %s: sign the zone first (or publish the delete signal CDS 0 0 0 00"
          + " to go insecure)", zone);
    }
    out.line("verdict: %s", ok ? "every server serves the signals: send the NOTIFY"
        : "not yet: publish what is missing on every server before the NOTIFY");
    ObjectNode node = out.object().put("child", zone.toString()).put("signed", signed)
        .put("serial", serial).put("serversReached", reached.size())
        .put("consistent", consistency.consistent()).put("ok", ok);
    node.set("signals", items);
    ArrayNode problems = node.putArray("problems");
    consistency.problems().forEach(problems::add);
    out.emit(node);
    return ok ? ExitCode.OK : ExitCode.NEGATIVE;
  }

  private static Sig0PublicKey publicKey(String kbase) throws CliException {
    String base = kbase.endsWith(".key") || kbase.endsWith(".private")
        ? kbase.substring(0, kbase.lastIndexOf('.')) : kbase;
    Path f = Path.of(base + ".key");
    if (!Files.isRegularFile(f)) {
      throw CliException.usage("--key file " + f + " does not exist");
    }
    try {
      return Sig0KeyFiles.readPublic(Path.of(base));
    } catch (ZonecutException e) {
      throw CliException.usage("bad --key " + f + ": " + Inputs.oneLine(e.getMessage()));
    }
  }

  /** How many of the reached servers serve exactly {@code expected} at (zone, type). */
  private static Served served(List<ServerObservation.Reached> servers, Name zone, int type,
      List<Record> expected) {
    Set<String> want = rdata(expected);
    int n = 0;
    for (ServerObservation.Reached s : servers) {
      LookupResult r = s.result(zone, type).orElse(null);
      Set<String> got = r instanceof LookupResult.Answer a ? rdata(a.rrset().rrs()) : Set.of();
      if (!want.isEmpty() && got.equals(want)) {
        n++;
      }
    }
    return new Served(n, servers.size());
  }

  private static Served servedAny(List<ServerObservation.Reached> servers, Name zone, int type) {
    int n = 0;
    for (ServerObservation.Reached s : servers) {
      if (s.result(zone, type).orElse(null) instanceof LookupResult.Answer) {
        n++;
      }
    }
    return new Served(n, servers.size());
  }

  /** The KEY at the apex and at each {@code _sig0key} name, SECURE through the resolver. */
  private static Served sig0Served(Session session, List<Record> records) throws Exception {
    java.util.Map<Name, LookupResult> found = new java.util.HashMap<>();
    for (Record r : records) {
      found.put(r.getName(), Ops.await(session.lookup().lookup(r.getName(), Type.KEY)));
    }
    return signalServed((name, type) -> Optional.ofNullable(found.get(name)), records);
  }

  /** Signal names are looked up through the validating resolver: served when SECURE there. */
  private static Served signalServed(Observations obs, List<Record> records) {
    return signalServed(obs::validated, records);
  }

  private static Served signalServed(
      java.util.function.BiFunction<Name, Integer, Optional<LookupResult>> validated,
      List<Record> records) {
    Set<Name> names = new TreeSet<>();
    records.forEach(r -> names.add(r.getName()));
    int n = 0;
    for (Name name : names) {
      boolean all = true;
      for (int type : records.stream().filter(r -> r.getName().equals(name))
          .mapToInt(Record::getType).distinct().toArray()) {
        LookupResult r = validated.apply(name, type).orElse(null);
        List<Record> want = records.stream()
            .filter(x -> x.getName().equals(name) && x.getType() == type).toList();
        all &= r instanceof LookupResult.Answer a && a.verdict() == Verdict.SECURE
            && rdata(a.rrset().rrs()).equals(rdata(want));
      }
      if (all) {
        n++;
      }
    }
    return new Served(n, names.size());
  }

  private static Set<String> rdata(List<? extends Record> rs) {
    Set<String> out = new TreeSet<>();
    for (Record r : rs) {
      out.add(Type.string(r.getType()) + " " + r.rdataToString());
    }
    return out;
  }

  /** How many of {@code of} serve a signal. */
  private record Served(int count, int of) {
    boolean all() {
      return of > 0 && count == of;
    }

    @Override
    public String toString() {
      return count == 0 ? "served by none of " + of : all() ? "served by all " + of
          : "served by " + count + " of " + of;
    }
  }

  private static boolean section(Output out, ArrayNode items, String title, List<Record> records,
      Served served, boolean required) {
    if (records.isEmpty()) {
      return true;
    }
    out.line("%s — %s", title, served);
    for (Record r : records) {
      out.line("  %s", r.toString().replace('\t', ' '));
      ObjectNode o = items.addObject().put("record", r.toString().replace('\t', ' '))
          .put("type", Type.string(r.getType())).put("served", served.count())
          .put("of", served.of()).put("required", required);
      o.put("servedByAll", served.all());
    }
    return !required || served.all();
  }
}
