package io.github.zonecut.benchmarks;

import io.github.zonecut.core.Delegation;
import io.github.zonecut.dsync.InMemoryDelegationBackend;
import io.github.zonecut.dsync.UpdateReceiver;
import io.github.zonecut.keystate.BootstrapMethod;
import io.github.zonecut.keystate.InMemoryTrustStore;
import io.github.zonecut.keystate.KeyIdentity;
import io.github.zonecut.keystate.RegistryPolicy;
import io.github.zonecut.keystate.TrustRegistry;
import io.github.zonecut.keystate.UploadEvidence;
import io.github.zonecut.keystate.VerificationPolicy;
import io.github.zonecut.sig0.PrivateKeyAccess;
import io.github.zonecut.sig0.Sig0Algorithm;
import io.github.zonecut.sig0.Sig0Config;
import io.github.zonecut.sig0.Sig0KeyPair;
import io.github.zonecut.sig0.Sig0PublicKey;
import io.github.zonecut.sig0.Sig0ReplayGuard;
import io.github.zonecut.sig0.Sig0Signer;
import java.net.InetAddress;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;
import org.xbill.DNS.Update;

/**
 * {@link UpdateReceiver#handle} end to end for a signed delegation UPDATE (parse, verify with the
 * shared replay guard, authorise, trust-state lookup, RFC 2136 semantics, in-memory backend,
 * signed answer), Ed25519, on 1 and 2 threads, beside the bar in the same run: one raw verify
 * plus one raw sign with the same provider over a to-be-signed buffer of the same size (goal:
 * receiver ≥ 0.8× baseline; 2 threads ≥ 1.7× 1 thread).
 *
 * <p>Replay protection makes a repeated message a replay (answered BADTIME, much cheaper), so
 * every invocation handles a distinct message: a pool of {@value #POOL} UPDATEs, distinct by ID
 * and NS TTL, is signed once at set-up; each iteration gets a fresh replay guard and receiver
 * and walks the pool once. An iteration that would need more messages than the pool wraps and
 * reports it on stderr (its figure is then inflated by replays: lengthen the pool or shorten the
 * iteration). Run: {@code java -jar benchmarks/target/benchmarks.jar UpdateReceiverBench -f1
 * -wi 2 -i 3}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class UpdateReceiverBench {
  static final int POOL = 1 << 15;
  static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");

  /** The receiver, its pool of pre-signed UPDATEs and a cursor shared by the threads. */
  @State(Scope.Benchmark)
  public static class Receiver {
    final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    // Bouncy Castle for every step, so the baseline's raw primitives are the receiver's own: the
    // ratio is zonecut's overhead (Sig0Ratios compares the providers themselves)
    final Sig0Config config = Sig0Config.builder().clock(clock).pinBouncyCastleOnly().build();
    final InetAddress source = InetAddress.getLoopbackAddress();
    /** {@code memory}: InMemoryDelegationBackend; {@code sqlite}: JdbcDelegationBackend on a file. */
    @Param({"memory", "sqlite"})
    public String backendKind;

    TrustRegistry registry;
    io.github.zonecut.dsync.DelegationBackend backend;
    Sig0KeyPair receiverKey;
    byte[][] pool;
    final AtomicInteger next = new AtomicInteger();
    volatile boolean wrapped;
    final java.util.concurrent.atomic.LongAdder notApplied = new java.util.concurrent.atomic.LongAdder();
    volatile String lastNotApplied = "";
    UpdateReceiver receiver;

    @Setup(Level.Trial)
    public void trial() throws Exception {
      Name parent = Name.fromString("parent.test.");
      Name child = Name.fromString("child.parent.test.");
      Name ns1 = Name.fromString("ns1.child.parent.test.");
      receiverKey = Sig0KeyPair.generate(Name.fromString("updater.parent.test."),
          Sig0Algorithm.ED25519, Sig0PublicKey.FLAGS_HOST);
      Sig0KeyPair childKey = Sig0KeyPair.generate(child, Sig0Algorithm.ED25519,
          Sig0PublicKey.FLAGS_ZONE);
      registry = new TrustRegistry(new InMemoryTrustStore(), new RegistryPolicy(
          VerificationPolicy.of(BootstrapMethod.MANUAL), RegistryPolicy.DEFAULT_ALGORITHMS,
          true), clock);
      KeyIdentity id = new KeyIdentity(child, 15, childKey.publicKey().keyData());
      registry.upload(new UploadEvidence(child, List.of(childKey.publicKey().toKeyRecord(3600)),
          false, id, NOW), "bench");
      registry.approve(id, "bench", "bench");
      Delegation initial = Delegation.builder(child).nameservers(ns1, Name.fromString("ns.op.test."))
          .glue(ns1, InetAddress.getByName("192.0.2.1")).build();
      if (backendKind.equals("sqlite")) {
        java.nio.file.Path file = java.nio.file.Files.createTempFile("update-receiver-bench", ".db");
        file.toFile().deleteOnExit();
        org.sqlite.SQLiteDataSource ds = new org.sqlite.SQLiteDataSource();
        ds.setUrl("jdbc:sqlite:" + file);
        io.github.zonecut.dsync.JdbcDelegationBackend jdbc =
            io.github.zonecut.dsync.JdbcDelegationBackend.open(ds);
        jdbc.put(initial);
        backend = jdbc;
      } else {
        InMemoryDelegationBackend memory = new InMemoryDelegationBackend();
        memory.put(initial);
        backend = memory;
      }
      Sig0Signer signer = Sig0Signer.create(config);
      pool = new byte[POOL][];
      for (int i = 0; i < POOL; i++) {
        Update u = new Update(parent);
        u.getHeader().setID(i & 0xFFFF);
        u.addRecord(new OPTRecord(1232, 0, 0, 0), Section.ADDITIONAL);
        u.add(child, Type.NS, 3600 + i, "ns2.child.parent.test.");
        u.add(Name.fromString("ns2.child.parent.test."), Type.A, 3600 + i, "192.0.2.2");
        pool[i] = signer.sign(u, childKey);
      }
      iteration();
      byte[] answer = receiver.handle(pool[0], source);
      if (new org.xbill.DNS.Message(answer).getRcode() != 0) {
        throw new IllegalStateException("set-up UPDATE not accepted: " + new org.xbill.DNS.Message(answer));
      }
    }

    @Setup(Level.Iteration)
    public void iteration() {
      next.set(0);
      wrapped = false;
      receiver = UpdateReceiver.builder(Set.of(name("parent.test.")),
          receiverKey, registry, backend, Sig0ReplayGuard.withCapacity(POOL)).clock(clock)
          .verifierConfig(config).signer(Sig0Signer.create(config))
          .sourceRateLimit(Integer.MAX_VALUE, Duration.ofSeconds(1))
          .childRateLimit(Integer.MAX_VALUE, Duration.ofSeconds(1))
          .listener(e -> {
            if (e.outcome() != io.github.zonecut.dsync.UpdateEvent.Outcome.APPLIED) {
              notApplied.increment();
              lastNotApplied = e.outcome() + ": " + e.detail();
            }
          }).build();
      notApplied.reset();
    }

    private static Name name(String s) {
      try {
        return Name.fromString(s);
      } catch (Exception e) {
        throw new IllegalArgumentException(e);
      }
    }

    @TearDown(Level.Iteration)
    public void check() {
      if (notApplied.sum() > 0) {
        System.err.println("UpdateReceiverBench: " + notApplied.sum()
            + " UPDATEs not applied in this iteration, e.g. " + lastNotApplied);
      }
      if (wrapped) {
        System.err.println("UpdateReceiverBench: the pool of " + POOL
            + " messages wrapped in this iteration; its figure includes replays");
      }
    }

    byte[] take() {
      int i = next.getAndIncrement();
      if (i >= POOL) {
        wrapped = true;
      }
      return pool[i & (POOL - 1)];
    }
  }

  /** One raw verify + one raw sign per invocation, per thread, over the same-size buffer. */
  @State(Scope.Thread)
  public static class Raw {
    Signature signer;
    Signature verifier;
    PrivateKey privateKey;
    PublicKey publicKey;
    byte[] toBeSigned;
    byte[] signature;

    @Setup(Level.Trial)
    public void setUp(Receiver r) throws Exception {
      Provider provider = r.config.provider();
      Sig0KeyPair key = Sig0KeyPair.generate(Name.fromString("child.parent.test."),
          Sig0Algorithm.ED25519, Sig0PublicKey.FLAGS_ZONE, provider);
      privateKey = key.privateKey(PrivateKeyAccess.exposingPrivateKeys());
      publicKey = io.github.zonecut.sig0.internal.Sig0Crypto.decodePublicKey(15,
          key.publicKey().keyData(), provider);
      signer = Signature.getInstance("Ed25519", provider);
      verifier = Signature.getInstance("Ed25519", provider);
      toBeSigned = Arrays.copyOf(r.pool[0], r.pool[0].length);
      signer.initSign(privateKey);
      signer.update(toBeSigned);
      signature = signer.sign();
      verifier.initVerify(publicKey);
    }

    // Signature objects stay initialised between calls (JCA resets them after sign/verify), as
    // in Sig0Bench's raw primitive: the bar is the provider's cost alone.
    boolean verifyAndSign() throws Exception {
      verifier.update(toBeSigned);
      boolean ok = verifier.verify(signature);
      signer.update(toBeSigned);
      return ok & signer.sign().length == 64;
    }
  }

  @Benchmark
  @Threads(1)
  public byte[] handle1(Receiver r) {
    return r.receiver.handle(r.take(), r.source);
  }

  @Benchmark
  @Threads(2)
  public byte[] handle2(Receiver r) {
    return r.receiver.handle(r.take(), r.source);
  }

  @Benchmark
  @Threads(1)
  public boolean baselineVerifyPlusSign1(Raw raw) throws Exception {
    return raw.verifyAndSign();
  }

  @Benchmark
  @Threads(2)
  public boolean baselineVerifyPlusSign2(Raw raw) throws Exception {
    return raw.verifyAndSign();
  }
}
