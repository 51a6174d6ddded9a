package io.github.zonecut.interop;

import io.github.zonecut.core.ZonecutException;
import io.github.zonecut.sig0.PrivateKeyAccess;
import io.github.zonecut.sig0.Sig0KeyFiles;
import io.github.zonecut.sig0.Sig0KeyPair;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The SIG(0) (RFC 2931) implementations zonecut is checked against, as command-line tools:
 *
 * <ul>
 *   <li><b>miekg/dns</b> (Go, Debian {@code golang-github-miekg-dns-dev}) through {@code sig0tool},
 *       built from the module's own copy of the recipe's {@code sig0tool.go} once per run (GOPATH
 *       mode, offline): {@link #miekgVerify}, {@link #miekgSign}, {@link #miekgServe};
 *   <li><b>Net::DNS::SEC</b> (Perl, {@code libnet-dns-sec-perl}) through {@code sig0.pl}: {@link
 *       #netDnsVerify}, {@link #netDnsSign};
 *   <li><b>BIND</b>: {@link #nsupdate} signs with SIG(0) ({@code -k K….private}) or TSIG, and {@link
 *       #keygen} makes KEY records ({@code dnssec-keygen -T KEY}), the only Debian tool that does.
 * </ul>
 *
 * <p>Neither named 9.18 nor knotd 3.2 verifies SIG(0) as a server; {@link #miekgServe} is the
 * third-party verifying endpoint. miekg/dns and Net::DNS::SEC check the signature's validity window
 * against the real clock, so messages must be fresh (nsupdate signs now±300 s).
 *
 * <p>Get it from {@link Sig0PeersExtension}.
 */
public final class Sig0Peers implements AutoCloseable {

  /** Debian packages these tools need. */
  public static final String PACKAGES =
      "golang-go golang-github-miekg-dns-dev libnet-dns-sec-perl bind9-utils bind9-dnsutils";

  private static final Path MIEKG_SOURCE = Path.of("/usr/share/gocode/src/github.com/miekg/dns");
  private static final Duration TOOL_TIMEOUT = Duration.ofSeconds(30);

  private final Path dir;
  private final Path sig0tool;
  private final Path sig0pl;

  private Sig0Peers(Path dir, Path sig0tool, Path sig0pl) {
    this.dir = dir;
    this.sig0tool = sig0tool;
    this.sig0pl = sig0pl;
  }

  /** Skips (or, under CI, fails) unless Go + miekg/dns, Perl + Net::DNS::SEC and BIND's tools exist. */
  public static void requireTools() {
    Peers.requireExecutables("golang-go", "go");
    Peers.require(Files.isDirectory(MIEKG_SOURCE), "miekg/dns sources not found at " + MIEKG_SOURCE,
        "golang-github-miekg-dns-dev");
    Peers.requireExecutables("perl", "perl");
    Peers.require(netDnsSecInstalled(), "Perl module Net::DNS::SEC not found", "libnet-dns-sec-perl");
    Peers.requireExecutables("bind9-utils bind9-dnsutils", "dnssec-keygen", "nsupdate");
  }

  private static volatile @Nullable Boolean netDnsSec;

  private static boolean netDnsSecInstalled() {
    Boolean known = netDnsSec;
    if (known == null) {
      known = Peers.run("perl", "-MNet::DNS::SEC", "-e", "1").succeeded();
      netDnsSec = known;
    }
    return known;
  }

  /**
   * Builds {@code sig0tool} under {@code workDir/sig0} (the Go build cache stays in {@code
   * workDir/gocache}, so a second run in the same {@code target/} takes about a second).
   */
  public static Sig0Peers start(Path workDir) {
    requireTools();
    try {
      Path dir = Files.createDirectories(workDir.resolve("sig0"));
      Path src = Files.createDirectories(dir.resolve("go/src/sig0tool"));
      copyResource("sig0tool.go", src.resolve("main.go"));
      Path sig0pl = dir.resolve("sig0.pl");
      copyResource("sig0.pl", sig0pl);
      Path binary = dir.resolve("sig0tool");
      Peers.run(Duration.ofSeconds(120), dir.resolve("go"),
          Map.of("GO111MODULE", "off",
              "GOPATH", dir.resolve("go") + ":/usr/share/gocode",
              "GOPROXY", "off",
              "GOFLAGS", "",
              "GOCACHE", workDir.resolve("gocache").toString()),
          List.of("go", "build", "-o", binary.toString(), "sig0tool")).orThrow();
      Path keys = Files.createDirectories(dir.resolve("keys"));
      return new Sig0Peers(keys, binary, sig0pl);
    } catch (IOException e) {
      throw new UncheckedIOException("interop: cannot prepare sig0tool", e);
    }
  }

  private static void copyResource(String name, Path target) throws IOException {
    try (InputStream in = Sig0Peers.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("resource " + name + " missing next to " + Sig0Peers.class);
      }
      Files.copy(in, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** The verdict of a third-party verifier. */
  public record Verdict(boolean verified, String output) {}

  /** The built {@code sig0tool} executable. */
  public Path sig0tool() {
    return sig0tool;
  }

  /**
   * Verifies the SIG(0) on a wire message with miekg/dns ({@code sig0tool verify KBASE HEX}).
   * miekg matches the key by signer name only, and checks the time window against now.
   */
  public Verdict miekgVerify(BindKeyFiles key, byte[] message) {
    ToolResult r = Peers.run(TOOL_TIMEOUT, null, Map.of(),
        List.of(sig0tool.toString(), "verify", key.base().toString(), HexFormat.of().formatHex(message)));
    return verdict(r);
  }

  /** Verifies the SIG(0) on a wire message with Net::DNS::SEC ({@code perl sig0.pl verify K.key HEX}). */
  public Verdict netDnsVerify(BindKeyFiles key, byte[] message) {
    ToolResult r = Peers.run(TOOL_TIMEOUT, null, Map.of(),
        List.of("perl", sig0pl.toString(), "verify", key.keyFile().toString(),
            HexFormat.of().formatHex(message)));
    return verdict(r);
  }

  private static Verdict verdict(ToolResult r) {
    boolean ok = r.succeeded() && r.stdout().contains("VERIFY OK");
    return new Verdict(ok, (r.stdout() + r.stderr()).strip());
  }

  /**
   * A fresh SIG(0)-signed UPDATE made by miekg/dns: zone {@code zone}, each of {@code records}
   * (presentation form) added, signed with {@code key} (validity now±300 s).
   */
  public byte[] miekgSign(BindKeyFiles key, String zone, String... records) {
    List<String> cmd = new ArrayList<>(List.of(sig0tool.toString(), "sign", key.base().toString(), zone));
    cmd.addAll(List.of(records));
    return HexFormat.of().parseHex(Peers.run(TOOL_TIMEOUT, null, Map.of(), cmd).orThrow().stdout().strip());
  }

  /**
   * A SIG(0)-signed reply made by miekg/dns to {@code query} ({@code sig0tool respond}): miekg
   * signs it request-style (RFC 2931 §3.1 form), having no §3.2 prior-query form.
   */
  public byte[] miekgRespond(BindKeyFiles key, byte[] query) {
    List<String> cmd = List.of(sig0tool.toString(), "respond", key.base().toString(),
        HexFormat.of().formatHex(query));
    return HexFormat.of().parseHex(Peers.run(TOOL_TIMEOUT, null, Map.of(), cmd).orThrow().stdout().strip());
  }

  /**
   * A fresh SIG(0)-signed UPDATE made by Net::DNS::SEC ({@code sign_sig0}, validity now to now+600 s).
   */
  public byte[] netDnsSign(BindKeyFiles key, String zone, String... records) {
    List<String> cmd = new ArrayList<>(
        List.of("perl", sig0pl.toString(), "sign", key.privateFile().toString(), zone));
    cmd.addAll(List.of(records));
    return HexFormat.of().parseHex(Peers.run(TOOL_TIMEOUT, null, Map.of(), cmd).orThrow().stdout().strip());
  }

  /**
   * Starts miekg/dns as a SIG(0)-verifying UPDATE endpoint on a free loopback port, UDP and TCP
   * ({@code sig0tool serve}; the exact received bytes are verified). It answers NOERROR when the signature verifies, NOTAUTH for a bad signature or
   * an unknown key, REFUSED when unsigned, prints one line per message ({@code VERIFIED name},
   * {@code BADSIG: …}, {@code UNKNOWN-KEY name}, {@code UNSIGNED}) and exits after {@code count}
   * messages. Close the returned server to stop it early.
   */
  public Sig0Server miekgServe(int count, BindKeyFiles... keys) {
    List<String> cmd = new ArrayList<>(List.of(sig0tool.toString(), "serve"));
    int port = Peers.freePort();
    cmd.add("127.0.0.1:" + port);
    for (BindKeyFiles k : keys) {
      cmd.add(k.base().toString());
    }
    cmd.addAll(List.of("-count", Integer.toString(count)));
    return Sig0Server.start(cmd, port, dir);
  }

  /**
   * Runs {@code nsupdate} with a script on standard input. Exit code 0 means NOERROR; 2 means
   * REFUSED or NOTAUTH (see {@link ToolResult#exitCode()}).
   *
   * @param args nsupdate's options, e.g. {@code "-k", key.privateFile().toString()} for SIG(0),
   *     {@code "-y", "hmac-sha256:upd:SECRET"} for TSIG, {@code "-v"} for TCP, {@code "-d"} to
   *     print the message
   * @param script the nsupdate commands, e.g. {@code "server 127.0.0.1 5340\nzone parent.test.\n…\nsend\n"}
   */
  public ToolResult nsupdate(String script, String... args) {
    List<String> cmd = new ArrayList<>(List.of("nsupdate"));
    cmd.addAll(List.of(args));
    return Peers.run(TOOL_TIMEOUT, null, Map.of(), script, cmd);
  }

  /**
   * Makes a SIG(0) key pair with {@code dnssec-keygen -T KEY -a ALGORITHM -n HOST name} in a fresh
   * directory (RSA algorithms get {@code -b 2048}).
   *
   * @param algorithm a BIND mnemonic: {@code ED25519}, {@code ECDSAP256SHA256}, {@code
   *     ECDSAP384SHA384}, {@code RSASHA256}, {@code RSASHA512}, {@code ED448}
   * @param name the owner (signer) name, e.g. {@code child.parent.test.}
   */
  public BindKeyFiles keygen(String algorithm, String name) {
    try {
      Path keyDir = Files.createTempDirectory(dir, "keygen-");
      List<String> cmd = new ArrayList<>(List.of("dnssec-keygen", "-q", "-K", keyDir.toString(),
          "-T", "KEY", "-a", algorithm, "-n", "HOST"));
      if (algorithm.toUpperCase(java.util.Locale.ROOT).startsWith("RSA")) {
        cmd.addAll(List.of("-b", "2048"));
      }
      cmd.add(name);
      String base = Peers.run(TOOL_TIMEOUT, null, Map.of(), cmd).orThrow().stdout().strip();
      Matcher m = Pattern.compile("K[^/\\s]+\\+\\d{3}\\+\\d{5}").matcher(base);
      if (!m.matches()) {
        throw new IllegalStateException("unexpected dnssec-keygen output: " + base);
      }
      return new BindKeyFiles(keyDir.resolve(base));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A copy of {@code key} whose files zonecut wrote ({@link Sig0KeyFiles#write}): the same key,
   * with an ECDSA {@code PrivateKey} field at full width. BIND 9.18 drops the scalar's leading
   * zero octets (about one key in 256); Net::DNS::SEC 1.20 pads such a field on the right
   * ({@code pack "a32"} in {@code Net::DNS::SEC::ECDSA::sign}) and signs with another key, so
   * its signature verifies nowhere. Sign with this copy when Net::DNS::SEC must produce a valid
   * signature; {@code Sig0InteropTest} pins the peer bug itself with a checked-in key.
   */
  public BindKeyFiles fullWidthCopy(BindKeyFiles key) {
    try {
      Sig0KeyPair pair = Sig0KeyFiles.read(key.base());
      Path copyDir = Files.createTempDirectory(dir, "rewritten-");
      return new BindKeyFiles(Sig0KeyFiles.write(copyDir, pair, PrivateKeyAccess.exposingPrivateKeys()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (ZonecutException e) {
      throw new IllegalStateException("zonecut cannot rewrite " + key.base(), e);
    }
  }

  /**
   * A checked-in key pair (test resource {@code keys/BASE.key} and {@code .private} next to this
   * class), copied into a fresh directory so that the peers can read it.
   */
  public BindKeyFiles resourceKey(String base) {
    try {
      Path keyDir = Files.createTempDirectory(dir, "resource-");
      copyResource("keys/" + base + ".key", keyDir.resolve(base + ".key"));
      copyResource("keys/" + base + ".private", keyDir.resolve(base + ".private"));
      return new BindKeyFiles(keyDir.resolve(base));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Nothing runs between calls: {@link Sig0Server}s are closed by their users. */
  @Override
  public void close() {}
}
