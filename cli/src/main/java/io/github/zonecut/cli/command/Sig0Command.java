package io.github.zonecut.cli.command;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.zonecut.cli.CliException;
import io.github.zonecut.cli.CommandGroup;
import io.github.zonecut.cli.ExitCode;
import io.github.zonecut.cli.Inputs;
import io.github.zonecut.cli.Output;
import io.github.zonecut.cli.Session;
import io.github.zonecut.cli.ZonecutCommand;
import io.github.zonecut.sig0.PrivateKeyAccess;
import io.github.zonecut.sig0.Sig0Algorithm;
import io.github.zonecut.sig0.Sig0Config;
import io.github.zonecut.sig0.Sig0KeyFiles;
import io.github.zonecut.sig0.Sig0KeyLookup;
import io.github.zonecut.sig0.Sig0KeyPair;
import io.github.zonecut.sig0.Sig0Outcome;
import io.github.zonecut.sig0.Sig0PublicKey;
import io.github.zonecut.sig0.Sig0Signer;
import io.github.zonecut.sig0.Sig0Verifier;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;
import org.xbill.DNS.Update;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code zonecut sig0}: SIG(0) (RFC 2931) keys in BIND's file format, signed DNS UPDATE messages
 * (RFC 3007) and their verification.
 */
@Command(name = "sig0", mixinStandardHelpOptions = true,
    description = "SIG(0) (RFC 2931): make keys, sign and verify DNS messages.",
    subcommands = {Sig0Command.Keygen.class, Sig0Command.Sign.class, Sig0Command.Verify.class})
public final class Sig0Command extends CommandGroup {

  /** For picocli. */
  public Sig0Command() {}

  private static Sig0Config config(Session session, @Nullable String at) throws CliException {
    Clock clock = at == null ? session.clock()
        : Clock.fixed(Inputs.time(at, "--at"), ZoneOffset.UTC);
    return Sig0Config.builder().clock(clock).build();
  }

  private static Sig0Algorithm algorithm(String text) throws CliException {
    Sig0Algorithm a;
    try {
      a = Sig0Algorithm.parse(text);
    } catch (IllegalArgumentException e) {
      throw CliException.usage("bad --alg '" + text + "': one of " + Sig0Algorithm.supported());
    }
    if (!a.isSupported()) {
      throw CliException.usage("--alg " + a + " is not supported for SIG(0): one of "
          + Sig0Algorithm.supported());
    }
    return a;
  }

  /** {@code zonecut sig0 keygen}: a new key pair in BIND's K*.key/K*.private files. */
  @Command(name = "keygen", mixinStandardHelpOptions = true,
      description = {"Generate a SIG(0) key pair for NAME and write BIND's Kname+alg+tag.key and "
          + ".private files (the private one with mode 0600).",
          "Prints the base path (what --key takes elsewhere) and the key tag."})
  public static final class Keygen extends ZonecutCommand {
    @Option(names = "--alg", paramLabel = "ALG", defaultValue = "ED25519",
        description = "Algorithm: ED25519 (default), ED448, ECDSAP256SHA256, ECDSAP384SHA384, "
            + "RSASHA256, RSASHA512, or its number.")
    private String alg = "ED25519";

    @Option(names = "--dir", paramLabel = "DIR", defaultValue = ".",
        description = "Directory to write the files into (default: the current one).")
    private Path dir = Path.of(".");

    @Option(names = "--zone-key",
        description = "Set the KEY's zone flag (256) instead of the host flag (512).")
    private boolean zoneKey;

    @Parameters(index = "0", paramLabel = "NAME", description = "The key's owner (the signer).")
    private String name = "";

    /** For picocli. */
    public Keygen() {}

    @Override
    protected ExitCode run(Session session, Output out) throws Exception {
      Name owner = Inputs.name(name, "NAME");
      Sig0Algorithm a = algorithm(alg);
      Sig0KeyPair pair = Sig0KeyPair.generate(owner, a,
          zoneKey ? Sig0PublicKey.FLAGS_ZONE : Sig0PublicKey.FLAGS_HOST);
      if (!java.nio.file.Files.isDirectory(dir)) {
        throw CliException.usage("--dir " + dir + " is not a directory");
      }
      Path base = Sig0KeyFiles.write(dir, pair, PrivateKeyAccess.exposingPrivateKeys());
      Sig0PublicKey pub = pair.publicKey();
      ObjectNode json = out.object()
          .put("base", base.toString())
          .put("keyFile", base + ".key")
          .put("privateFile", base + ".private")
          .put("name", owner.toString())
          .put("algorithm", a.mnemonic())
          .put("keyTag", pub.keyTag())
          .put("key", pub.rdataText());
      out.result(base + " (key tag " + pub.keyTag() + ", " + a.mnemonic() + ")", json);
      return ExitCode.OK;
    }
  }

  /** {@code zonecut sig0 sign}: a SIG(0)-signed DNS UPDATE, in hex. */
  @Command(name = "sign", mixinStandardHelpOptions = true,
      description = {"Build a DNS UPDATE (RFC 2136) for ZONE with the given additions and "
          + "deletions, sign it with SIG(0) and print the message in hex.",
          "RR is zone-file text ('child.example. 3600 IN NS ns1.example.'); --delete takes a "
          + "whole RR (that record), 'NAME TYPE' (the RRset) or 'NAME' (every RRset at NAME)."})
  public static final class Sign extends ZonecutCommand {
    @Option(names = "--key", required = true, paramLabel = "KBASE",
        description = "The key's base path (Kname+alg+tag, with or without .key/.private).")
    private Path key = Path.of("");

    @Option(names = "--zone", required = true, paramLabel = "ZONE",
        description = "The zone the UPDATE is for (its zone section).")
    private String zone = "";

    @Option(names = "--add", paramLabel = "RR", description = "A record to add (repeatable).")
    private List<String> add = new ArrayList<>();

    @Option(names = "--delete", paramLabel = "RR",
        description = "A record, 'NAME TYPE' or 'NAME' to delete (repeatable).")
    private List<String> delete = new ArrayList<>();

    @Option(names = "--at", paramLabel = "TIME",
        description = "Sign as if at TIME (epoch seconds or ISO-8601), not now.")
    private @Nullable String at;

    /** For picocli. */
    public Sign() {}

    @Override
    protected ExitCode run(Session session, Output out) throws Exception {
      Name zoneName = Inputs.name(zone, "--zone");
      Sig0Config config = config(session, at);
      Sig0KeyPair pair = Sig0KeyFiles.read(key);
      Update update = new Update(zoneName);
      for (String d : delete) {
        deletion(update, d);
      }
      for (String a : add) {
        update.add(Inputs.record(a, 3600, "--add RR"));
      }
      byte[] wire = Sig0Signer.create(config).sign(update, pair);
      String hex = HexFormat.of().formatHex(wire);
      Instant now = config.clock().instant();
      ObjectNode json = out.object()
          .put("hex", hex)
          .put("octets", wire.length)
          .put("zone", zoneName.toString())
          .put("signer", pair.publicKey().owner().toString())
          .put("keyTag", pair.publicKey().keyTag())
          .put("signedAt", now.toString());
      out.result(hex, json);
      return ExitCode.OK;
    }

    private static void deletion(Update update, String text) throws CliException {
      String[] tokens = text.trim().split("\\s+");
      if (tokens.length == 0 || tokens[0].isEmpty()) {
        throw CliException.usage("malformed --delete '': expected RR, 'NAME TYPE' or 'NAME'");
      }
      if (tokens.length <= 2) {
        Name owner = Inputs.name(tokens[0], "--delete");
        if (tokens.length == 1) {
          update.delete(owner);
          return;
        }
        int type = Type.value(tokens[1]);
        if (type < 0) {
          throw CliException.usage("malformed --delete '" + text + "': unknown type "
              + tokens[1]);
        }
        update.delete(owner, type);
        return;
      }
      Record r = Inputs.record(text, 0, "--delete RR");
      if (r.getDClass() != DClass.IN) {
        throw CliException.usage("malformed --delete '" + text + "': class must be IN");
      }
      update.delete(r);
    }
  }

  /** {@code zonecut sig0 verify}: one line, the verdict on a SIG(0)-signed message. */
  @Command(name = "verify", mixinStandardHelpOptions = true,
      description = {"Verify the SIG(0) of a DNS message (hex; whitespace ignored; @FILE reads "
          + "it from FILE) against the given public keys.",
          "Prints one line: VERIFIED <keytag>, BADSIG, BADTIME <offset seconds>, BADKEY, "
          + "UNSIGNED or MALFORMED <what>. Exit 0 only for VERIFIED; 2 for MALFORMED; 1 else."})
  public static final class Verify extends ZonecutCommand {
    @Option(names = "--key", required = true, paramLabel = "K.key",
        description = "A public key file (BIND .key; repeatable).")
    private List<Path> keys = new ArrayList<>();

    @Option(names = "--at", paramLabel = "TIME",
        description = "Check the validity window as if at TIME (epoch seconds or ISO-8601).")
    private @Nullable String at;

    @Parameters(index = "0", paramLabel = "HEX|@FILE", description = "The signed message.")
    private String message = "";

    /** For picocli. */
    public Verify() {}

    @Override
    protected ExitCode run(Session session, Output out) throws Exception {
      List<Sig0PublicKey> publics = new ArrayList<>();
      for (Path k : keys) {
        publics.add(Sig0KeyFiles.readPublic(k));
      }
      byte[] wire = Inputs.hex(message, "message");
      // A one-shot check of a message the user hands over: there is no stream of messages in
      // which a replay could hide, and a guard would only make a second check of the same bytes
      // say "replayed". A receiver must keep a replay guard (RFC 2931 §3.1 leaves replay to it).
      Sig0Verifier verifier = Sig0Verifier.builder(
              Sig0KeyLookup.of(publics.toArray(new Sig0PublicKey[0])))
          .config(config(session, at))
          .insecureWithoutReplayGuard()
          .build();
      Sig0Outcome outcome = verifier.verify(wire);
      ObjectNode json = out.object();
      String line;
      ExitCode code = ExitCode.NEGATIVE;
      if (outcome instanceof Sig0Outcome.Verified v) {
        line = "VERIFIED " + v.key().keyTag();
        code = ExitCode.OK;
        json.put("verdict", "VERIFIED").put("keyTag", v.key().keyTag())
            .put("signer", v.key().owner().toString())
            .put("inception", v.inception().toString())
            .put("expiration", v.expiration().toString());
      } else if (outcome instanceof Sig0Outcome.BadSignature b) {
        line = "BADSIG";
        json.put("verdict", "BADSIG").put("keyTag", b.keyTag()).put("reason", b.reason());
      } else if (outcome instanceof Sig0Outcome.BadTime t) {
        line = "BADTIME " + t.offsetSeconds();
        json.put("verdict", "BADTIME").put("offset", t.offsetSeconds())
            .put("inception", t.inception().toString())
            .put("expiration", t.expiration().toString());
      } else if (outcome instanceof Sig0Outcome.WindowTooLong w) {
        // refused with BADTIME (the window exceeds the longest accepted), at no offset
        line = "BADTIME 0";
        json.put("verdict", "BADTIME").put("offset", 0)
            .put("reason", "validity window " + w.window().toSeconds() + " s exceeds "
                + w.limit().toSeconds() + " s");
      } else if (outcome instanceof Sig0Outcome.UnknownKey u) {
        line = "BADKEY";
        json.put("verdict", "BADKEY").put("signer", u.signer().toString())
            .put("keyTag", u.keyTag()).put("reason", u.reason());
      } else if (outcome instanceof Sig0Outcome.Unsigned) {
        line = "UNSIGNED";
        json.put("verdict", "UNSIGNED");
      } else if (outcome instanceof Sig0Outcome.Malformed m) {
        line = "MALFORMED " + Inputs.oneLine(m.what());
        code = ExitCode.USAGE;
        json.put("verdict", "MALFORMED").put("what", m.what());
      } else {
        throw new CliException(ExitCode.INTERNAL, "unexpected outcome without a replay guard: "
            + outcome);
      }
      out.result(line, json);
      return code;
    }
  }
}
