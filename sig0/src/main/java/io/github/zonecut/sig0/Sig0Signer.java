package io.github.zonecut.sig0;

import io.github.zonecut.core.MalformedDataException;
import io.github.zonecut.core.TransportProtocol;
import io.github.zonecut.core.ZonecutException;
import io.github.zonecut.core.ZonecutTypes;
import io.github.zonecut.sig0.internal.MlDsaCodec;
import io.github.zonecut.sig0.internal.SignaturePool;
import io.github.zonecut.sig0.internal.WireScan;
import java.security.GeneralSecurityException;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.Signature;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.Message;

/**
 * Signs DNS messages with SIG(0) (RFC 2931) and returns the exact bytes to send.
 *
 * <p>The message is rendered once; the SIG(0) is computed over those bytes and appended as the
 * last additional record (after any OPT), owner root, class ANY, TTL 0, type covered 0, signer
 * name uncompressed, and ARCOUNT is incremented in place. Re-rendering the result (for example
 * by dnsjava's {@code SimpleResolver}, which moves OPT behind the SIG) breaks it: send the bytes
 * as returned. Thread-safe.
 *
 * <p>A key pair bound to its own provider ({@link Sig0KeyPair#keyProvider()}, e.g. from a {@link
 * Pkcs11Token}) signs with that provider, not with the configuration's selection.
 */
public final class Sig0Signer {

  static {
    // every zonecut entry point registers zonecut's record types with dnsjava, so that
    // text and wire parsing yield DSYNC/CSYNC/HSYNC records, not "invalid unknown RR encoding"
    ZonecutTypes.register();
  }

  private final Sig0Config config;
  private final SignaturePool signatures;
  // The hedged ML-DSA signatures' randomness (thread-safe; this signer's own, no global state).
  private final SecureRandom random = new SecureRandom();

  private Sig0Signer(Sig0Config config) {
    this.config = config;
    this.signatures = new SignaturePool(
        alg -> config.signatureProviders().getOrDefault(Sig0Algorithm.of(alg), config.provider()),
        alg -> config.algorithms().find(Sig0Algorithm.of(alg))
            .map(spec -> spec.codec().signatureName()).orElse(null),
        false);
  }

  /** A signer with the given configuration (provider, clock, signing window). */
  public static Sig0Signer create(Sig0Config config) {
    return new Sig0Signer(Objects.requireNonNull(config, "config"));
  }

  /** A signer with {@link Sig0Config#defaults()}. */
  public static Sig0Signer create() {
    return create(Sig0Config.defaults());
  }

  /** The configuration. */
  public Sig0Config config() {
    return config;
  }

  /**
   * Renders {@code message} once with {@link Message#toWire()} (sections in list order, OPT where
   * it is) and signs those bytes as a request (RFC 2931 §3.1).
   *
   * @throws MalformedDataException when the message already carries a SIG(0) or TSIG
   * @throws ZonecutException when the provider fails to sign
   */
  public byte[] sign(Message message, Sig0KeyPair key) throws ZonecutException {
    return sign(message.toWire(), key);
  }

  /**
   * Signs a rendered, unsigned message as a request (RFC 2931 §3.1): the SIG(0) covers its RDATA
   * without the signature and then the message bytes exactly as given.
   *
   * @param unsigned a complete DNS message without SIG(0) or TSIG
   * @return a new array: the message with the SIG(0) appended and ARCOUNT incremented
   * @throws MalformedDataException when {@code unsigned} is not a well-formed message, already
   *     carries a SIG(0) or TSIG, or has 65535 additional records
   * @throws ZonecutException when the provider fails to sign
   */
  public byte[] sign(byte[] unsigned, Sig0KeyPair key) throws ZonecutException {
    return signWith(unsigned, null, key);
  }

  /**
   * Signs as {@link #sign(byte[], Sig0KeyPair)} a message that will be sent over {@code
   * protocol}, refusing first what cannot travel that way: an algorithm whose registry entry is
   * {@link Sig0AlgorithmSpec#tcpOnly() TCP only} (ML-DSA's kilobyte signatures; ddns §9.1) over
   * UDP.
   *
   * @throws Sig0TransportException when the algorithm is TCP only and {@code protocol} is UDP,
   *     or the signed message exceeds 65535 octets
   */
  public byte[] sign(byte[] unsigned, Sig0KeyPair key, TransportProtocol protocol)
      throws ZonecutException {
    Objects.requireNonNull(protocol, "protocol");
    Sig0Algorithm alg = key.publicKey().algorithm();
    Optional<Sig0AlgorithmSpec> spec = config.algorithms().find(alg);
    if (protocol == TransportProtocol.UDP && spec.isPresent() && spec.get().tcpOnly()) {
      throw new Sig0TransportException(Sig0TransportException.Reason.TCP_ONLY_ALGORITHM,
          "SIG(0) with " + spec.get() + " is TCP only (signatures of "
              + "kilobytes; ddns §9.1): send this message over TCP");
    }
    return signWith(unsigned, null, key);
  }

  /**
   * Signs a response as a transaction signature (RFC 2931 §3.2).
   *
   * @param response the rendered, unsigned response
   * @param query the query exactly as it was received, including its own SIG(0) if it had one;
   *     used only by {@link Sig0ResponseForm#WITH_QUERY}
   * @param form whether the query bytes are part of the signed data
   * @throws MalformedDataException when {@code response} is malformed or already signed
   * @throws ZonecutException when the provider fails to sign
   */
  public byte[] signResponse(byte[] response, byte[] query, Sig0KeyPair key, Sig0ResponseForm form)
      throws ZonecutException {
    Objects.requireNonNull(query, "query");
    return signWith(response, form == Sig0ResponseForm.WITH_QUERY ? query : null, key);
  }

  /**
   * Signs a response that will be sent over {@code protocol} to the requester of {@code query}.
   * Over TCP it is {@link #signResponse(byte[], byte[], Sig0KeyPair, Sig0ResponseForm)}. Over
   * UDP a signed answer must fit the requester's UDP payload size ({@link
   * #udpPayloadLimit(byte[])}: its EDNS(0) size, RFC 6891 §6.2.3/§7, or 512 octets without EDNS,
   * RFC 1035 §4.2.1), and a key whose algorithm is {@link #isTcpOnly TCP only} (ML-DSA's
   * kilobyte signatures) never signs a UDP answer: in both cases the result is instead {@link
   * #truncatedAnswer(byte[]) the truncated answer} (TC set, RFC 2181 §9, unsigned: it carries no
   * data), on which a resolver or sender retries over TCP, where the signed answer fits.
   *
   * @throws MalformedDataException when {@code response} is malformed or already signed
   * @throws ZonecutException when the provider fails to sign
   */
  public byte[] signResponse(byte[] response, byte[] query, Sig0KeyPair key,
      Sig0ResponseForm form, TransportProtocol protocol) throws ZonecutException {
    Objects.requireNonNull(protocol, "protocol");
    if (protocol == TransportProtocol.UDP) {
      if (isTcpOnly(key)) {
        return truncatedAnswer(response);
      }
      byte[] signed = signResponse(response, query, key, form);
      return signed.length <= udpPayloadLimit(query) ? signed : truncatedAnswer(response);
    }
    return signResponse(response, query, key, form);
  }

  /**
   * Whether messages signed with {@code key} must travel over TCP: its algorithm's registry
   * entry in this configuration is {@link Sig0AlgorithmSpec#tcpOnly() TCP only} (ddns §9.1). A
   * receiver holding such a key answers a request that came over UDP with {@link
   * #truncatedAnswer(byte[])} before doing any work, so the requester retries over TCP.
   */
  public boolean isTcpOnly(Sig0KeyPair key) {
    Sig0AlgorithmSpec spec = config.algorithms().get(key.publicKey().algorithm().number());
    return spec != null && spec.tcpOnly();
  }

  /**
   * The largest UDP answer the sender of {@code query} accepts: the UDP payload size of its OPT
   * record (RFC 6891 §6.2.3; values below 512 count as 512, §6.2.5), or 512 octets when it has no
   * OPT (RFC 1035 §4.2.1).
   */
  public static int udpPayloadLimit(byte[] query) {
    return Math.max(512, WireScan.ednsUdpSize(query));
  }

  /**
   * The answer sent over UDP instead of one that does not fit or cannot be signed for UDP (RFC
   * 2181 §9, RFC 7766 §5): the ID, opcode and RD of {@code message} (a request or the full
   * response to it), QR and TC set, NOERROR, its single question when well formed, nothing else
   * and no SIG(0). Empty when {@code message} is shorter than a header.
   */
  public static byte[] truncatedAnswer(byte[] message) {
    if (message.length < 12) {
      return new byte[0];
    }
    int end = WireScan.u16(message, 4) == 1 ? questionEnd(message) : -1;
    byte[] a = Arrays.copyOf(message, end < 0 ? 12 : end);
    a[2] = (byte) (0x80 | (message[2] & 0x79) | 0x02); // QR, opcode, TC, RD
    a[3] = 0;
    a[4] = 0;
    a[5] = (byte) (end < 0 ? 0 : 1);
    Arrays.fill(a, 6, 12, (byte) 0);
    return a;
  }

  // End of the first question (uncompressed name, type, class), or -1 when malformed.
  private static int questionEnd(byte[] m) {
    int i = 12;
    while (i < m.length) {
      int len = m[i] & 0xFF;
      if (len == 0) {
        return i + 5 <= m.length ? i + 5 : -1;
      }
      if (len > 63) {
        return -1;
      }
      i += 1 + len;
    }
    return -1;
  }

  private byte[] signWith(byte[] unsigned, byte @Nullable [] query, Sig0KeyPair key)
      throws ZonecutException {
    WireScan scan = WireScan.scan(unsigned);
    if (scan.sigStart >= 0) {
      throw new MalformedDataException("message", scan.sigStart, "already carries a SIG(0)");
    }
    if (scan.hasTsig) {
      throw new MalformedDataException("message", -1, "carries a TSIG; RFC 2931 allows one or the other");
    }
    if (scan.arCount == 0xFFFF) {
      throw new MalformedDataException("ARCOUNT", 10, "no room for one more additional record");
    }
    Sig0PublicKey pub = key.publicKey();
    int alg = pub.algorithm().number();
    Sig0AlgorithmSpec spec = config.algorithms().get(alg);
    if (spec == null) {
      throw new ZonecutException("SIG(0) algorithm " + pub.algorithm()
          + " is not registered in this configuration (" + config.algorithms() + ")");
    }
    Sig0AlgorithmCodec codec = spec.codec();
    long now = config.clock().instant().getEpochSecond();
    long inception = now - config.signBefore().getSeconds();
    long expiration = now + config.signAfter().getSeconds();
    byte[] signer = key.signerWireShared();
    byte[] prefix = new byte[WireScan.SIG_FIXED + signer.length];
    // RFC 2931 §3: type covered 0, labels 0, original TTL 0.
    prefix[2] = (byte) alg;
    put32(prefix, 8, expiration);
    put32(prefix, 12, inception);
    put16(prefix, 16, key.keyTag());
    System.arraycopy(signer, 0, prefix, WireScan.SIG_FIXED, signer.length);
    byte[] sig;
    try {
      Provider owner = key.keyProvider().orElse(null);
      Signature s;
      if (owner != null) {
        // A token key: only its own provider can use it (RFC 2931 signing inside the token).
        s = Signature.getInstance(codec.signatureName(), owner);
        s.initSign(key.signingKey());
      } else {
        s = signatures.borrow(alg);
        if (codec instanceof MlDsaCodec) {
          // FIPS 204 §3.4: the hedged variant (fresh rnd per signature) is the default; Bouncy
          // Castle signs deterministically unless handed a random source (AWS-LC hedges anyway).
          s.initSign(key.signingKeyFor(codec, signatures.provider(alg)), random);
        } else {
          s.initSign(key.signingKeyFor(codec, signatures.provider(alg)));
        }
      }
      // One contiguous update: a provider that buffers the whole message (EdDSA, ML-DSA) or
      // crosses into native code per update (ACCP) does that once.
      int qLen = query == null ? 0 : query.length;
      byte[] tbs = Arrays.copyOf(prefix, prefix.length + qLen + unsigned.length);
      if (query != null) {
        System.arraycopy(query, 0, tbs, prefix.length, qLen);
      }
      System.arraycopy(unsigned, 0, tbs, prefix.length + qLen, unsigned.length);
      s.update(tbs);
      byte[] jca = s.sign();
      if (owner == null) {
        signatures.release(alg, s);
      }
      sig = codec.toDnsSignature(jca);
    } catch (GeneralSecurityException e) {
      throw new ZonecutException("SIG(0) signing with " + pub + " failed: " + e.getMessage(), e);
    }
    int rdLen = prefix.length + sig.length;
    if ((long) unsigned.length + 11 + rdLen > 0xFFFF) {
      // RFC 1035 §4.2.2: a DNS message over TCP has a 16-bit length.
      throw new Sig0TransportException(Sig0TransportException.Reason.MESSAGE_TOO_LARGE,
          "the message signed with " + spec + " would be " + (unsigned.length + 11 + rdLen)
              + " octets, over the 65535 a DNS message can have");
    }
    byte[] out = Arrays.copyOf(unsigned, unsigned.length + 11 + rdLen);
    int p = unsigned.length;
    out[p] = 0; // owner: the root
    put16(out, p + 1, WireScan.TYPE_SIG);
    put16(out, p + 3, WireScan.CLASS_ANY);
    // TTL 0 (octets p+5..p+8 already zero)
    put16(out, p + 9, rdLen);
    System.arraycopy(prefix, 0, out, p + 11, prefix.length);
    System.arraycopy(sig, 0, out, p + 11 + prefix.length, sig.length);
    put16(out, 10, scan.arCount + 1);
    return out;
  }

  private static void put16(byte[] b, int off, int v) {
    b[off] = (byte) (v >>> 8);
    b[off + 1] = (byte) v;
  }

  // RFC 2931 §3 / RFC 4034 §3.1.5: times are 32-bit serial numbers of seconds.
  private static void put32(byte[] b, int off, long v) {
    b[off] = (byte) (v >>> 24);
    b[off + 1] = (byte) (v >>> 16);
    b[off + 2] = (byte) (v >>> 8);
    b[off + 3] = (byte) v;
  }

  @Override
  public String toString() {
    return "Sig0Signer[" + config.describe() + "]";
  }
}
