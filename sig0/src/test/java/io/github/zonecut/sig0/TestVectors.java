package io.github.zonecut.sig0;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.LocalDateTime;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.xbill.DNS.Name;

/** The captured SIG(0) vectors and keys in src/test/resources/vectors. */
final class TestVectors {
  private TestVectors() {}

  static final String[] POSITIVE = {
    "sig0-nsupdate-ed25519",
    "sig0-nsupdate-ecdsap256sha256",
    "sig0-nsupdate-rsasha256",
    "sig0-miekg-ed25519",
    "sig0-miekg-ecdsap256sha256",
    "sig0-netdns-ed25519",
  };

  static final String KEY_ED25519 = "Kchild.parent.test.+015+49340";
  static final String KEY_ED25519_WRONG = "Kchild.parent.test.+015+59079";
  static final String KEY_P256 = "Kchild.parent.test.+013+59419";
  static final String KEY_RSA = "Kchild.parent.test.+008+08279";

  // RFC specs.md §9.2
  static final byte[] SPEC92_UNSIGNED = HexFormat.of().parseHex(
      "12342800000100000002000006706172656e74076578616d706c650000060001056368696c6406706172656e74"
          + "076578616d706c6500001900ff000000000000056368696c6406706172656e74076578616d706c650000190001"
          + "00000e1000240100030f03a107bff3ce10be1d70dd18e74bc09967e4d6309ba50d5f1ddc8664125531b8");
  static final byte[] SPEC92_SIGNED = HexFormat.of().parseHex(
      "12342800000100000002000106706172656e74076578616d706c650000060001056368696c6406706172656e74"
          + "076578616d706c6500001900ff000000000000056368696c6406706172656e74076578616d706c650000190001"
          + "00000e1000240100030f03a107bff3ce10be1d70dd18e74bc09967e4d6309ba50d5f1ddc8664125531b8000018"
          + "00ff00000000006800000f00000000006955ba2c6955b90085d2056368696c6406706172656e74076578616d70"
          + "6c650043b492275f9688d5a21313a54606019127ec94002344a5d104efdb695277848195767b3de23ab32c96f7"
          + "121897cb412d3690b88bb763dce55ba24fd82648cc0d");
  static final long SPEC92_INCEPTION = 1767225600L;

  static String text(String resource) {
    try (InputStream in = TestVectors.class.getResourceAsStream("/vectors/" + resource)) {
      if (in == null) {
        throw new IllegalArgumentException("no test resource " + resource);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte[] wire(String vector) {
    return HexFormat.of().parseHex(text(vector + ".hex").trim());
  }

  private static final Pattern FIELDS =
      Pattern.compile("inception=(\\d{14}) expiration=(\\d{14})");
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");

  /** [inception, expiration] from the vector's .txt. */
  static Instant[] window(String vector) {
    Matcher m = FIELDS.matcher(text(vector + ".txt"));
    if (!m.find()) {
      throw new IllegalStateException("no SIG(0) fields in " + vector);
    }
    return new Instant[] {
      LocalDateTime.parse(m.group(1), STAMP).toInstant(ZoneOffset.UTC),
      LocalDateTime.parse(m.group(2), STAMP).toInstant(ZoneOffset.UTC)
    };
  }

  /** A clock in the middle of the vector's window. */
  static Clock insideWindow(String vector) {
    Instant[] w = window(vector);
    return Clock.fixed(w[0].plusSeconds((w[1].getEpochSecond() - w[0].getEpochSecond()) / 2),
        ZoneOffset.UTC);
  }

  /** The public key of a BIND .key file in the vectors, parsed by hand (no zonecut code). */
  static Sig0PublicKey publicKey(String base) {
    for (String line : text("keys/" + base + ".key").split("\n")) {
      if (line.isBlank() || line.startsWith(";")) {
        continue;
      }
      String[] f = line.trim().split("\\s+");
      try {
        StringBuilder b64 = new StringBuilder();
        for (int i = 6; i < f.length; i++) {
          b64.append(f[i]);
        }
        return Sig0PublicKey.of(Name.fromString(f[0]), Integer.parseInt(f[3]),
            Sig0Algorithm.of(Integer.parseInt(f[5])), Base64.getDecoder().decode(b64.toString()));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    throw new IllegalStateException("no KEY in " + base);
  }

  /** The §9.2 key pair: Ed25519 seed 00..1f. */
  static Sig0KeyPair spec92Key() throws Exception {
    byte[] seed = new byte[32];
    for (int i = 0; i < 32; i++) {
      seed[i] = (byte) i;
    }
    byte[] pkcs8 = HexFormat.of().parseHex("302e020100300506032b657004220420" + HexFormat.of().formatHex(seed));
    PrivateKey priv = KeyFactory.getInstance("Ed25519", Sig0Config.defaultProvider())
        .generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
    Sig0PublicKey pub = Sig0PublicKey.of(Name.fromString("child.parent.example."), 256,
        Sig0Algorithm.ED25519,
        Base64.getDecoder().decode("A6EHv/POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg="));
    return Sig0KeyPair.of(pub, priv);
  }
}
