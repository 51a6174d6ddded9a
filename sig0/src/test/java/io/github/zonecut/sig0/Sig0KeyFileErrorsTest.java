package io.github.zonecut.sig0;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.zonecut.core.MalformedDataException;
import io.github.zonecut.core.ZonecutException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Name;

/**
 * A bad key file is named in the error, with the line and the problem, once (issue 14, item 7:
 * the message said {@code KEY file: line 2: Illegal base64 character 21} without the path).
 */
class Sig0KeyFileErrorsTest {

  @Test
  void badBase64NamesTheFileTheLineAndTheCharacter(@TempDir Path dir) throws Exception {
    Path key = dir.resolve("Kchild.example.+015+00001.key");
    Files.writeString(key, "; a comment\nchild.example. IN KEY 512 3 15 abc!defg\n");
    assertThatThrownBy(() -> Sig0KeyFiles.readPublic(key))
        .isInstanceOf(MalformedDataException.class)
        .hasMessage(key + ": KEY file: line 2: the public key is not base64 (character '!' at"
            + " position 4)");
  }

  @Test
  void aMissingFileIsOneShortLine(@TempDir Path dir) {
    Path base = dir.resolve("Knowhere.+015+00001");
    assertThatThrownBy(() -> Sig0KeyFiles.read(base))
        .isInstanceOf(ZonecutException.class)
        .hasMessage("key file " + base + ".key does not exist");
  }

  @Test
  void aBadPrivateFileIsNamed(@TempDir Path dir) throws Exception {
    Sig0KeyPair pair = Sig0KeyPair.generate(Name.fromString("child.example."),
        Sig0Algorithm.ED25519, Sig0PublicKey.FLAGS_HOST);
    Path base = Sig0KeyFiles.write(dir, pair, PrivateKeyAccess.exposingPrivateKeys());
    Path priv = dir.resolve(pair.publicKey().bindBaseName() + ".private");
    String text = Files.readString(priv);
    Files.writeString(priv, text.replaceAll("PrivateKey: .*", "PrivateKey: ####"));
    assertThatThrownBy(() -> Sig0KeyFiles.read(base))
        .isInstanceOf(MalformedDataException.class)
        .hasMessage(priv + ": PrivateKey: not base64 (character '#' at position 1)");
  }

  @Test
  void supportedAlgorithmsAreListed() {
    // The six IANA algorithms, then the experimental ML-DSA-44 and ML-DSA-65 (Codepoints).
    assertThat(Sig0Algorithm.supported()).extracting(Sig0Algorithm::number)
        .containsExactly(8, 10, 13, 14, 15, 16, 199, 228);
    assertThat(Sig0Algorithm.iana()).extracting(Sig0Algorithm::number)
        .containsExactly(8, 10, 13, 14, 15, 16);
    assertThat(Sig0Algorithm.supported()).allMatch(Sig0Algorithm::isSupported);
    assertThat(Sig0Algorithm.of(199).mnemonic()).isEqualTo("ML-DSA-44");
    assertThat(Sig0Algorithm.parse("ml-dsa-65")).isEqualTo(Sig0Algorithm.of(228));
  }
}
