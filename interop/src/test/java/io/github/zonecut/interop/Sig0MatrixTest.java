package io.github.zonecut.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.zonecut.sig0.Sig0Algorithm;
import io.github.zonecut.sig0.Sig0Config;
import io.github.zonecut.sig0.Sig0KeyFiles;
import io.github.zonecut.sig0.Sig0KeyLookup;
import io.github.zonecut.sig0.Sig0KeyPair;
import io.github.zonecut.sig0.Sig0Outcome;
import io.github.zonecut.sig0.Sig0PublicKey;
import io.github.zonecut.sig0.Sig0ResponseForm;
import io.github.zonecut.sig0.Sig0Signer;
import io.github.zonecut.sig0.Sig0Verifier;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Update;

/**
 * Issue 16 scenario C, the SIG(0) cross-implementation matrix: zonecut (with each provider it
 * offers: Bouncy Castle, ACCP), BIND's nsupdate, miekg/dns and Net::DNS::SEC each sign an UPDATE
 * with one {@code dnssec-keygen -T KEY} key per algorithm (8, 10, 13, 14, 15, 16), and every
 * verifier judges every signature. What a tool cannot do is "n/a" with the reason (nsupdate only
 * signs; miekg/dns has no Ed448; AWS-LC has no Ed448). Responses: zonecut's request-style and
 * transaction-style (RFC 2931 §3.2) signed responses checked with miekg/dns, and miekg's signed
 * replies checked with zonecut.
 *
 * <p>Writes {@code interop/target/e2e/sig0-matrix.json} (signer × verifier × algorithm ×
 * provider → verdict), prints a summary table, and asserts on the same numbers: no signature is
 * rejected anywhere, and for 8, 10, 13, 14 and 15 every signer–verifier pair verifies.
 */
@ExtendWith(Sig0PeersExtension.class)
class Sig0MatrixTest {
  private static final String OWNER = "child.parent.test.";
  private static final String RR = OWNER + " 60 IN TXT \"matrix\"";
  static final String[] ALGORITHMS = {
    "RSASHA256", "RSASHA512", "ECDSAP256SHA256", "ECDSAP384SHA384", "ED25519", "ED448"
  };
  static final String VERIFIED = "verified";
  static final String REJECTED = "rejected";

  /** One cell: who signed, who verified, what it says. */
  record Cell(String kind, String algorithm, String signer, String verifier, String verdict) {
    boolean na() {
      return verdict.startsWith("n/a");
    }
  }

  private final List<Cell> cells = new ArrayList<>();

  private static Update update() throws Exception {
    Update u = new Update(Name.fromString("parent.test."));
    u.add(new TXTRecord(Name.fromString(OWNER), DClass.IN, 60, "matrix"));
    return u;
  }

  @Test
  void everySignerEveryVerifierEveryAlgorithm(Sig0Peers peers) throws Exception {
    List<String> providers = Sig0ProviderChoice.available();
    for (String mnemonic : ALGORITHMS) {
      Sig0Algorithm alg = Sig0Algorithm.parse(mnemonic);
      BindKeyFiles key = peers.keygen(mnemonic, OWNER);
      Sig0PublicKey pub = Sig0KeyFiles.readPublic(key.base());
      Sig0KeyPair pair = Sig0KeyFiles.read(key.base());
      Map<String, Object> signed = new LinkedHashMap<>(); // byte[] or the n/a reason
      for (String p : List.of(Sig0ProviderChoice.BC, Sig0ProviderChoice.ACCP)) {
        String who = "zonecut/" + p;
        if (!providers.contains(p)) {
          signed.put(who, "n/a: ACCP does not load here (" + Sig0Config.nativeProviderStatus() + ")");
        } else if (!Sig0ProviderChoice.offers(p, alg)) {
          signed.put(who, "n/a: AWS-LC has no " + mnemonic);
        } else {
          signed.put(who, Sig0Signer.create(Sig0ProviderChoice.config(p)).sign(update(), pair));
        }
      }
      signed.put("nsupdate", nsupdateSigned(peers, key, pub));
      signed.put("miekg/dns", tool(() -> peers.miekgSign(key, "parent.test.", RR)));
      // Net::DNS::SEC 1.20 misreads BIND's short ECDSA scalars (Sig0InteropTest pins that bug):
      // it signs with zonecut's full-width rewrite of the same key.
      signed.put("Net::DNS::SEC",
          tool(() -> peers.netDnsSign(peers.fullWidthCopy(key), "parent.test.", RR)));

      for (Map.Entry<String, Object> s : signed.entrySet()) {
        for (String verifier : List.of("zonecut/BC", "zonecut/ACCP", "miekg/dns",
            "Net::DNS::SEC", "nsupdate")) {
          String verdict;
          if (s.getValue() instanceof String reason) {
            verdict = "n/a: signer: " + reason.replaceFirst("^n/a: ", "");
          } else {
            verdict = verify(peers, verifier, alg, key, pub, (byte[]) s.getValue(), providers);
          }
          cells.add(new Cell("request", mnemonic, s.getKey(), verifier, verdict));
        }
      }
      responses(peers, mnemonic, alg, key, pub, pair, providers);
    }
    Path json = write();
    printTable(json);

    long rejected = cells.stream().filter(c -> c.verdict().equals(REJECTED)).count();
    long verified = cells.stream().filter(c -> c.verdict().equals(VERIFIED)).count();
    assertThat(cells.stream().filter(c -> c.verdict().equals(REJECTED)))
        .as("rejected cells").isEmpty();
    assertThat(rejected).isZero();
    // 8, 10, 13, 14, 15: every signer with every verifier that verifies at all (nsupdate only
    // signs), with every provider zonecut offers here.
    int zonecuts = providers.size();
    int signers = zonecuts + 3;
    int verifiers = zonecuts + 2;
    long classicRequests = cells.stream().filter(c -> c.kind().equals("request")
        && !c.algorithm().equals("ED448") && c.verdict().equals(VERIFIED)).count();
    assertThat(classicRequests).isEqualTo(5L * signers * verifiers);
    // Responses: zonecut's request-style ones verify with miekg/dns, miekg's replies with zonecut.
    // (zonecut → miekg/dns, miekg/dns → zonecut, zonecut → zonecut with every provider)
    assertThat(cells.stream().filter(c -> c.kind().equals("response-request-style")
        && !c.algorithm().equals("ED448") && c.verdict().equals(VERIFIED)).count())
        .isEqualTo(5L * (zonecuts * 2 + zonecuts * zonecuts));
    // Transaction-style responses verify wherever the form exists (zonecut, every provider).
    assertThat(cells.stream().filter(c -> c.kind().equals("response-transaction-style")
        && !c.algorithm().equals("ED448") && c.verdict().equals(VERIFIED)).count())
        .isEqualTo(5L * zonecuts * zonecuts);
    assertThat(verified).isGreaterThan(classicRequests);
  }

  /** Signs with nsupdate over TCP to a zonecut listener and returns the exact bytes received. */
  private static Object nsupdateSigned(Sig0Peers peers, BindKeyFiles key, Sig0PublicKey pub)
      throws Exception {
    Sig0Verifier v = Sig0Verifier.builder(Sig0KeyLookup.of(pub)).insecureWithoutReplayGuard()
        .build();
    try (Sig0Listener listener = Sig0Listener.start(v)) {
      String script = "server 127.0.0.1 " + listener.port() + "\nzone parent.test.\n"
          + "update add " + RR + "\nsend\n";
      ToolResult r = peers.nsupdate(script, "-v", "-k", key.privateFile().toString());
      if (!r.succeeded()) {
        return "n/a: nsupdate failed: " + firstLine(r.describe());
      }
      return listener.nextMessage(Duration.ofSeconds(10)).wire();
    }
  }

  private String verify(Sig0Peers peers, String verifier, Sig0Algorithm alg, BindKeyFiles key,
      Sig0PublicKey pub, byte[] msg, List<String> providers) {
    switch (verifier) {
      case "nsupdate":
        return "n/a: nsupdate only signs";
      case "miekg/dns":
        return tool(peers.miekgVerify(key, msg));
      case "Net::DNS::SEC":
        return tool(peers.netDnsVerify(key, msg));
      default:
        String p = verifier.substring("zonecut/".length());
        if (!providers.contains(p)) {
          return "n/a: ACCP does not load here";
        }
        if (!Sig0ProviderChoice.offers(p, alg)) {
          return "n/a: AWS-LC has no " + alg.mnemonic();
        }
        Sig0Outcome o = Sig0Verifier.builder(Sig0KeyLookup.of(pub))
            .config(Sig0ProviderChoice.config(p)).insecureWithoutReplayGuard().build().verify(msg);
        return o instanceof Sig0Outcome.Verified ? VERIFIED : REJECTED;
    }
  }

  /**
   * zonecut signs a response to miekg's signed UPDATE in both RFC 2931 forms, miekg/dns verifies
   * them; miekg/dns signs a reply (request-style, its only form), zonecut verifies it as a response.
   */
  private void responses(Sig0Peers peers, String mnemonic, Sig0Algorithm alg, BindKeyFiles key,
      Sig0PublicKey pub, Sig0KeyPair pair, List<String> providers) throws Exception {
    Object query = tool(() -> peers.miekgSign(key, "parent.test.", RR));
    if (query instanceof String) {
      // miekg/dns cannot sign with this algorithm (Ed448): the query comes from zonecut, and
      // miekg's verdicts are n/a for the same reason.
      query = Sig0Signer.create(Sig0ProviderChoice.config(Sig0ProviderChoice.BC))
          .sign(update(), pair);
    }
    byte[] q = (byte[]) query;
    org.xbill.DNS.Message reply = new org.xbill.DNS.Message(new org.xbill.DNS.Message(q).getHeader().getID());
    reply.getHeader().setFlag(org.xbill.DNS.Flags.QR);
    reply.getHeader().setOpcode(org.xbill.DNS.Opcode.UPDATE);
    byte[] unsigned = reply.toWire();
    for (String p : List.of(Sig0ProviderChoice.BC, Sig0ProviderChoice.ACCP)) {
      String signer = "zonecut/" + p;
      for (Sig0ResponseForm form : Sig0ResponseForm.values()) {
        String kind = form == Sig0ResponseForm.REQUEST_STYLE
            ? "response-request-style" : "response-transaction-style";
        String verdict;
        if (!providers.contains(p) || !Sig0ProviderChoice.offers(p, alg)) {
          verdict = "n/a: " + (providers.contains(p) ? "AWS-LC has no " + mnemonic
              : "ACCP does not load here");
        } else {
          byte[] r = Sig0Signer.create(Sig0ProviderChoice.config(p))
              .signResponse(unsigned, q, pair, form);
          verdict = tool(peers.miekgVerify(key, r));
          if (form == Sig0ResponseForm.WITH_QUERY && verdict.equals(REJECTED)) {
            // miekg/dns's SIG.Verify covers the message alone: it has no RFC 2931 §3.2 form.
            verdict = "n/a: miekg/dns verifies request-style only (no RFC 2931 §3.2 form)";
          }
          // zonecut's own verifier, with the other provider, checks both forms.
          for (String other : providers) {
            if (Sig0ProviderChoice.offers(other, alg)) {
              Sig0Outcome o = Sig0Verifier.builder(Sig0KeyLookup.of(pub))
                  .config(Sig0ProviderChoice.config(other)).insecureWithoutReplayGuard().build()
                  .verifyResponse(r, q);
              cells.add(new Cell(kind, mnemonic, signer, "zonecut/" + other,
                  o instanceof Sig0Outcome.Verified ? VERIFIED : REJECTED));
            }
          }
        }
        cells.add(new Cell(kind, mnemonic, signer, "miekg/dns", verdict));
      }
    }
    Object miekgReply = tool(() -> peers.miekgRespond(key, q));
    for (String p : List.of(Sig0ProviderChoice.BC, Sig0ProviderChoice.ACCP)) {
      String verdict;
      if (miekgReply instanceof String reason) {
        verdict = "n/a: signer: " + reason.replaceFirst("^n/a: ", "");
      } else if (!providers.contains(p) || !Sig0ProviderChoice.offers(p, alg)) {
        verdict = "n/a: " + (providers.contains(p) ? "AWS-LC has no " + mnemonic
            : "ACCP does not load here");
      } else {
        Sig0Outcome o = Sig0Verifier.builder(Sig0KeyLookup.of(pub))
            .config(Sig0ProviderChoice.config(p)).insecureWithoutReplayGuard().build()
            .verifyResponse((byte[]) miekgReply, q);
        verdict = o instanceof Sig0Outcome.Verified ? VERIFIED : REJECTED;
      }
      cells.add(new Cell("response-request-style", mnemonic, "miekg/dns", "zonecut/" + p,
          verdict));
    }
  }

  /** A tool's verdict: verified, rejected, or n/a when the tool cannot load the key. */
  private static String tool(Sig0Peers.Verdict v) {
    if (v.verified()) {
      return VERIFIED;
    }
    if (v.output().startsWith("error:") || v.output().contains("not supported")
        || v.output().contains("unsupported") || v.output().contains("ErrAlg")
        || v.output().contains("bad algorithm")) {
      return "n/a: " + firstLine(v.output());
    }
    return REJECTED;
  }

  private interface Signing {
    byte[] sign();
  }

  /** The signature a tool made, or "n/a: why" when it cannot sign with this algorithm. */
  private static Object tool(Signing s) {
    try {
      return s.sign();
    } catch (IllegalStateException | java.io.UncheckedIOException e) {
      return "n/a: " + firstLine(String.valueOf(e.getMessage()));
    }
  }

  private static String firstLine(String s) {
    for (String l : s.strip().split("\n")) {
      if (l.contains("error") || l.contains("rror:") || l.contains("nsupported")) {
        return l.strip();
      }
    }
    String[] lines = s.strip().split("\n");
    return lines.length == 0 ? "" : lines[lines.length - 1].strip();
  }

  private Path write() throws IOException {
    Path dir = Files.createDirectories(Peers.workDir().getParent().resolve("e2e"));
    StringBuilder b = new StringBuilder("{\n  \"scenario\": \"sig0-matrix\",\n");
    b.append("  \"providers\": ").append(jsonList(Sig0ProviderChoice.available())).append(",\n");
    b.append("  \"accp\": ").append(json(Sig0Config.nativeProviderStatus())).append(",\n");
    b.append("  \"counts\": {\"cells\": ").append(cells.size())
        .append(", \"verified\": ").append(count(VERIFIED))
        .append(", \"rejected\": ").append(count(REJECTED))
        .append(", \"na\": ").append(cells.stream().filter(Cell::na).count()).append("},\n");
    b.append("  \"cells\": [\n");
    for (int i = 0; i < cells.size(); i++) {
      Cell c = cells.get(i);
      String[] signer = split(c.signer());
      String[] verifier = split(c.verifier());
      b.append("    {\"kind\": ").append(json(c.kind()))
          .append(", \"algorithm\": ").append(json(c.algorithm()))
          .append(", \"number\": ").append(Sig0Algorithm.parse(c.algorithm()).number())
          .append(", \"signer\": ").append(json(signer[0]))
          .append(", \"signerProvider\": ").append(json(signer[1]))
          .append(", \"verifier\": ").append(json(verifier[0]))
          .append(", \"verifierProvider\": ").append(json(verifier[1]))
          .append(", \"verdict\": ").append(json(c.verdict())).append('}')
          .append(i + 1 < cells.size() ? ",\n" : "\n");
    }
    b.append("  ]\n}\n");
    Path out = dir.resolve("sig0-matrix.json");
    Files.writeString(out, b, StandardCharsets.UTF_8);
    return out;
  }

  private long count(String verdict) {
    return cells.stream().filter(c -> c.verdict().equals(verdict)).count();
  }

  /** "zonecut/BC" → zonecut, BC; a tool → tool, "-". */
  private static String[] split(String who) {
    return who.startsWith("zonecut/") ? new String[] {"zonecut", who.substring(8)}
        : new String[] {who, "-"};
  }

  private void printTable(Path json) {
    StringBuilder t = new StringBuilder("\nSIG(0) matrix: ok (verified) / REJECTED / n/a per algorithm;"
        + " req: signed UPDATEs, rsp-req / rsp-txn: responses signed request-style / with the"
        + " query (RFC 2931 §3.2)\n");
    t.append(String.format("%-26s %-16s", "signer", "verifier"));
    for (String a : ALGORITHMS) {
      t.append(String.format(" %-15s", a));
    }
    t.append('\n');
    Map<String, Map<String, String>> rows = new LinkedHashMap<>();
    for (Cell c : cells) {
      rows.computeIfAbsent(c.kind() + "|" + c.signer() + "|" + c.verifier(), k -> new LinkedHashMap<>())
          .put(c.algorithm(), c.verdict().equals(VERIFIED) ? "ok"
              : c.verdict().equals(REJECTED) ? "REJECTED" : "n/a");
    }
    rows.forEach((k, v) -> {
      String[] f = k.split("\\|");
      String kind = f[0].equals("request") ? "req " : f[0].equals("response-request-style")
          ? "rsp-req " : "rsp-txn ";
      t.append(String.format("%-26s %-16s", kind + f[1], f[2]));
      for (String a : ALGORITHMS) {
        t.append(String.format(" %-15s", v.getOrDefault(a, "")));
      }
      t.append('\n');
    });
    t.append(String.format("cells %d, verified %d, rejected %d, n/a %d -> %s%n", cells.size(),
        count(VERIFIED), count(REJECTED), cells.stream().filter(Cell::na).count(), json));
    System.out.println(t);
  }

  private static String json(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char ch : s.toCharArray()) {
      if (ch == '"' || ch == '\\') {
        b.append('\\').append(ch);
      } else if (ch < 0x20) {
        b.append(String.format("\\u%04x", (int) ch));
      } else {
        b.append(ch);
      }
    }
    return b.append('"').toString();
  }

  private static String jsonList(List<String> l) {
    List<String> q = new ArrayList<>();
    l.forEach(s -> q.add(json(s)));
    return "[" + String.join(", ", q) + "]";
  }
}
