package io.github.zonecut.interop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A BIND key pair as written by {@code dnssec-keygen}: {@code Kname.+alg+tag.key} (the public KEY or
 * DNSKEY record) and {@code Kname.+alg+tag.private} (the private key, BIND's "Private-key-format").
 * miekg/dns ({@code sig0tool}) takes the base name; Net::DNS::SEC takes the {@code .key} file to
 * verify and the {@code .private} file to sign; {@code nsupdate -k} takes the {@code .private} file.
 *
 * @param base the path without extension, e.g. {@code …/Kchild.parent.test.+015+02305}
 */
public record BindKeyFiles(Path base) {

  /** The {@code .key} file (public key record). */
  public Path keyFile() {
    return Path.of(base + ".key");
  }

  /** The {@code .private} file. */
  public Path privateFile() {
    return Path.of(base + ".private");
  }

  /**
   * The key record line of the {@code .key} file, e.g. {@code child.parent.test. IN KEY 512 3 15
   * base64…} (BIND writes comment lines first; they are skipped).
   */
  public String keyRecordText() {
    try {
      return Files.readAllLines(keyFile(), StandardCharsets.US_ASCII).stream()
          .filter(l -> !l.isBlank() && !l.startsWith(";"))
          .findFirst()
          .orElseThrow(() -> new IllegalStateException("no record line in " + keyFile()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The DNSSEC algorithm number, from the {@code +alg+} part of the file name. */
  public int algorithm() {
    return Integer.parseInt(nameParts()[1]);
  }

  /** The key tag, from the {@code +tag} part of the file name. */
  public int keyTag() {
    return Integer.parseInt(nameParts()[2]);
  }

  private String[] nameParts() {
    String[] parts = base.getFileName().toString().split("\\+");
    if (parts.length != 3) {
      throw new IllegalStateException("not a BIND key base name K<name>+<alg>+<tag>: " + base);
    }
    return parts;
  }
}
