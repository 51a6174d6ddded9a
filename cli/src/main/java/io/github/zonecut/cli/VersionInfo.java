package io.github.zonecut.cli;

import io.github.zonecut.sig0.Sig0Config;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/**
 * {@code zonecut --version}: the project's version, the Java runtime, the dnsjava and Bouncy
 * Castle versions, and the crypto provider chosen per SIG(0) algorithm.
 */
public final class VersionInfo implements IVersionProvider {

  /** For picocli. */
  public VersionInfo() {}

  @Override
  public String[] getVersion() {
    Properties p = buildProperties();
    List<String> lines = new ArrayList<>();
    lines.add("zonecut " + p.getProperty("version", "unknown"));
    lines.add("java " + System.getProperty("java.version") + " ("
        + System.getProperty("java.vendor") + ", " + System.getProperty("java.vm.name") + ")");
    lines.add("dnsjava " + p.getProperty("dnsjava", "unknown")
        + ", bouncycastle " + p.getProperty("bouncycastle", "unknown"));
    lines.add("sig0 crypto: " + Sig0Config.defaults().describe());
    lines.add("native provider: " + Sig0Config.nativeProviderStatus());
    return lines.toArray(new String[0]);
  }

  /** The versions the build wrote into {@code zonecut-cli.properties}. */
  static Properties buildProperties() {
    Properties p = new Properties();
    try (InputStream in = VersionInfo.class.getResourceAsStream("zonecut-cli.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      // versions unknown: reported as such
    }
    return p;
  }
}
