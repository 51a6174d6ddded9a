package io.github.zonecut.sig0;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Update;

/** The README's sig0 example, compiled and run. */
class ReadmeExampleTest {

  @Test
  void readmeExample(@TempDir Path keyDir) throws Exception {
    // --- README example start ---
    // The child: a key (or Sig0KeyFiles.read(Path.of("Kchild.parent.test.+015+49340"))).
    Name child = Name.fromString("child.parent.test.");
    Sig0KeyPair key = Sig0KeyPair.generate(child, Sig0Algorithm.ED25519, Sig0PublicKey.FLAGS_HOST);
    Sig0KeyFiles.write(keyDir, key, PrivateKeyAccess.exposingPrivateKeys()); // .private is 0600

    Update update = new Update(Name.fromString("parent.test."));
    update.add(new TXTRecord(child, DClass.IN, 300, "hello"));
    byte[] wire = Sig0Signer.create().sign(update, key); // send exactly these bytes, over TCP

    // The parent: one replay guard for the process's life, shared by every verifier it builds
    // (a verifier per request is fine); trusted keys; then verify the bytes as received.
    Sig0ReplayGuard guard = Sig0ReplayGuard.create();
    Sig0Verifier verifier = Sig0Verifier.builder(Sig0KeyLookup.of(key.publicKey()))
        .replayGuard(guard)
        .build();
    Sig0Outcome outcome = verifier.verify(wire);
    if (outcome instanceof Sig0Outcome.Verified verified) {
      System.out.println("signed by " + verified.key());
    } else {
      System.out.println("answer with RCODE " + outcome.rcode() + ": " + outcome);
    }
    // --- README example end ---
    assertThat(outcome).isInstanceOf(Sig0Outcome.Verified.class);
    assertThat(verifier.verify(wire)).isInstanceOf(Sig0Outcome.Replayed.class);
  }
}
