package io.github.zonecut.sig0;

import io.github.zonecut.core.ZonecutException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Sig0KeyStore} over a directory of BIND key files ({@code K<name>+<alg>+<tag>.key},
 * with {@code .private} for keys this host signs with), so keys made by {@code dnssec-keygen -T
 * KEY} work as they are. A key's state is read from BIND's timing metadata (Publish, Activate,
 * Inactive) against the configured clock; storing a key or changing its state writes those
 * stamps. Private files are written 0600. The directory is read at {@link #open} and on {@link
 * #reload()}; the store is the only writer it expects. Thread-safe.
 */
public final class DirectorySig0KeyStore implements Sig0KeyStore {
  private static final Logger LOG = LoggerFactory.getLogger(DirectorySig0KeyStore.class);

  private record Entry(Sig0KeyState state, @Nullable Sig0KeyPair pair, Map<String, Instant> timing) {}

  private final Path dir;
  private final Sig0Config config;
  private final Map<Sig0PublicKey, Entry> keys = new ConcurrentHashMap<>();

  private DirectorySig0KeyStore(Path dir, Sig0Config config) {
    this.dir = dir;
    this.config = config;
  }

  /**
   * Opens (and reads) a directory of BIND key files; files that do not parse are skipped with a
   * warning naming the file.
   *
   * @param config the provider for decoding private keys, the algorithms whose files it reads
   *     and writes (host-registered ones included) and the clock for the timing metadata
   * @throws ZonecutException when the directory cannot be listed
   */
  public static DirectorySig0KeyStore open(Path dir, Sig0Config config) throws ZonecutException {
    DirectorySig0KeyStore store =
        new DirectorySig0KeyStore(Objects.requireNonNull(dir, "dir"), Objects.requireNonNull(config, "config"));
    store.reload();
    return store;
  }

  /** The directory. */
  public Path directory() {
    return dir;
  }

  /**
   * Re-reads the directory.
   *
   * @throws ZonecutException when the directory cannot be listed
   */
  public synchronized void reload() throws ZonecutException {
    Map<Sig0PublicKey, Entry> fresh = new LinkedHashMap<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "K*.key")) {
      for (Path keyFile : files) {
        try {
          Path base = Sig0KeyFiles.stripExtension(keyFile);
          Path priv = Sig0KeyFiles.sibling(base, ".private");
          String keyText = Files.readString(keyFile, StandardCharsets.US_ASCII);
          if (Files.exists(priv)) {
            String privText = Files.readString(priv, StandardCharsets.US_ASCII);
            Sig0KeyPair pair = Sig0KeyFiles.parseKeyPair(keyText, privText, config);
            Map<String, Instant> timing = Sig0KeyFiles.timing(privText);
            fresh.put(pair.publicKey(), new Entry(stateOf(timing, Sig0KeyState.ACTIVE), pair, timing));
          } else {
            Sig0PublicKey pub = Sig0KeyFiles.parsePublic(keyText);
            Map<String, Instant> timing = Sig0KeyFiles.timing(keyText);
            fresh.put(pub, new Entry(stateOf(timing, Sig0KeyState.PUBLISHED), null, timing));
          }
        } catch (ZonecutException | IOException e) {
          LOG.warn("skipping key file {}: {}", keyFile, e.getMessage());
        }
      }
    } catch (IOException e) {
      throw new ZonecutException("cannot list key directory " + dir + ": " + e, e);
    }
    keys.clear();
    keys.putAll(fresh);
  }

  private Sig0KeyState stateOf(Map<String, Instant> timing, Sig0KeyState whenUnstamped) {
    if (timing.isEmpty() || (timing.size() == 1 && timing.containsKey("Created"))) {
      return timing.isEmpty() ? whenUnstamped : Sig0KeyState.CREATED;
    }
    Instant now = config.clock().instant();
    if (reached(timing, "Inactive", now) || reached(timing, "Delete", now)) {
      return Sig0KeyState.RETIRED;
    }
    if (reached(timing, "Activate", now)) {
      return Sig0KeyState.ACTIVE;
    }
    if (reached(timing, "Publish", now)) {
      return Sig0KeyState.PUBLISHED;
    }
    return Sig0KeyState.CREATED;
  }

  private static boolean reached(Map<String, Instant> timing, String field, Instant now) {
    Instant t = timing.get(field);
    return t != null && !t.isAfter(now);
  }

  /** BIND stamps that put a key in {@code state} now, keeping earlier stamps that agree. */
  private Map<String, Instant> stampsFor(Sig0KeyState state, Map<String, Instant> old) {
    Instant now = config.clock().instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    Map<String, Instant> t = new LinkedHashMap<>();
    t.put("Created", old.getOrDefault("Created", now));
    String[] steps = {"Publish", "Activate", "Inactive"};
    int upTo = state.ordinal(); // CREATED 0, PUBLISHED 1, ACTIVE 2, RETIRED 3
    for (int i = 0; i < upTo; i++) {
      Instant prior = old.get(steps[i]);
      t.put(steps[i], prior != null && !prior.isAfter(now) ? prior : now);
    }
    return t;
  }

  @Override
  public List<StoredSig0Key> list() {
    List<StoredSig0Key> out = new ArrayList<>();
    keys.forEach((k, e) -> out.add(new StoredSig0Key(k, e.state(), e.pair() != null)));
    return List.copyOf(out);
  }

  @Override
  public synchronized void storePublic(Sig0PublicKey key, Sig0KeyState state) throws ZonecutException {
    Entry old = keys.get(key);
    write(key, old == null ? null : old.pair(), state, old == null ? Map.of() : old.timing());
  }

  @Override
  public synchronized void store(Sig0KeyPair pair, Sig0KeyState state) throws ZonecutException {
    Entry old = keys.get(pair.publicKey());
    write(pair.publicKey(), pair, state, old == null ? Map.of() : old.timing());
  }

  @Override
  public synchronized void setState(Sig0PublicKey key, Sig0KeyState state) throws ZonecutException {
    Entry old = keys.get(key);
    if (old == null) {
      throw new ZonecutException("no such key in " + dir + ": " + key);
    }
    write(key, old.pair(), state, old.timing());
  }

  private void write(Sig0PublicKey key, @Nullable Sig0KeyPair pair, Sig0KeyState state,
      Map<String, Instant> oldTiming) throws ZonecutException {
    Map<String, Instant> timing = stampsFor(state, oldTiming);
    // The store writes its own private files; the token is taken here, in one place.
    Sig0KeyFiles.writeFiles(dir.resolve(key.bindBaseName()), key, pair, timing,
        PrivateKeyAccess.exposingPrivateKeys(), config.algorithms());
    keys.put(key, new Entry(state, pair, timing));
  }

  @Override
  public Optional<Sig0KeyPair> findKeyPair(Sig0PublicKey key) {
    Entry e = keys.get(key);
    return e == null ? Optional.empty() : Optional.ofNullable(e.pair());
  }

  @Override
  public String toString() {
    return "DirectorySig0KeyStore[" + dir + ", " + keys.size() + " keys]";
  }
}
