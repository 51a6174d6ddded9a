package io.github.zonecut.core;

import java.util.Objects;

/**
 * Every number zonecut uses that IANA has not (yet) assigned, in one immutable profile.
 *
 * <p>Draft numbers are configuration, not constants: when IANA assigns a value, or when a peer
 * uses another experimental value, a host builds its own profile with {@link #builder()} and
 * passes it to the zonecut entry points. {@link #DEFAULT} interoperates with the drafts'
 * reference implementation (tdns) wherever tdns is sane, and otherwise picks values from the
 * registries' private-use ranges.
 *
 * @param dsyncSchemeUpdate DSYNC scheme UPDATE (draft-ietf-dnsop-delegation-mgmt-via-ddns §5;
 *     TBD; tdns and ddns-01 use 2)
 * @param dsyncSchemeScanner DSYNC scheme SCANNER (draft-berra-dnsop-announce-scanner; TBD; tdns
 *     uses 3)
 * @param keyStateOptionCode the KeyState EDNS(0) option code (draft-berra-dnsop-keystate; TBD;
 *     tdns uses 65002 from the RFC 6891 local/experimental range)
 * @param svcbBootstrapKey the SVCB SvcParamKey {@code bootstrap} (ddns-02 §9.5; TBD; tdns uses
 *     65282 from the RFC 9460 private-use range)
 * @param hsyncType the HSYNC RR type (draft-leon-dnsop-signaling-zone-owner-intent; TBD; tdns's
 *     HSYNC3 uses 65285)
 * @param hsyncParamType the HSYNCPARAM RR type (same draft; TBD; tdns uses 65286)
 * @param hsyncStateOff the HSYNC state value emitted for OFF. The draft says 2, tdns writes 0;
 *     on input both are read as OFF whatever this says. Default 0 (tdns).
 * @param edeKeyKnownNotTrusted EDE INFO-CODE KEY-KNOWN-NOT-TRUSTED (ddns-02 §8; TBD)
 * @param edeKeyValidationFailed EDE INFO-CODE KEY-VALIDATION-FAILED (ddns-02 §8; TBD)
 * @param edeManualBootstrapRequired EDE INFO-CODE MANUAL-BOOTSTRAP-REQUIRED (ddns-02 §8; TBD)
 * @param keyStateTable which KeyState code table is spoken (-02 or -03)
 * @param sig0MlDsa44 the DNSSEC algorithm number zonecut gives ML-DSA-44 (FIPS 204) in SIG(0)
 *     and KEY records (experimental; not assigned by IANA; tdns registers it at 199)
 * @param sig0MlDsa65 the DNSSEC algorithm number zonecut gives ML-DSA-65 (FIPS 204) in SIG(0)
 *     and KEY records (experimental; not assigned by IANA; default 228, the first number of the
 *     experimental range 228–243 proposed by draft-johani-dnsop-dnssec-alg-experimental-range,
 *     as no implementation has claimed one)
 */
public record Codepoints(
    int dsyncSchemeUpdate,
    int dsyncSchemeScanner,
    int keyStateOptionCode,
    int svcbBootstrapKey,
    int hsyncType,
    int hsyncParamType,
    int hsyncStateOff,
    int edeKeyKnownNotTrusted,
    int edeKeyValidationFailed,
    int edeManualBootstrapRequired,
    KeyStateTable keyStateTable,
    int sig0MlDsa44,
    int sig0MlDsa65) {

  /** The KeyState code table versions (draft-berra-dnsop-keystate-02 and -03). */
  public enum KeyStateTable {
    /** draft-berra-dnsop-keystate-02: 0/1 are child bootstrap requests, inquiry QTYPE ANY. */
    DRAFT_02,
    /** draft-berra-dnsop-keystate-03: 0/1 are receiver codes, 2 is the only request, QTYPE KEY. */
    DRAFT_03
  }

  /**
   * The default profile: UPDATE=2, SCANNER=3, KeyState option 65002, SVCB key 65282,
   * HSYNC=65285, HSYNCPARAM=65286, HSYNC OFF emitted as 0 (all as tdns); the three ddns EDE codes
   * 49152–49154 (RFC 8914 private use; tdns's 514+ sit in the FCFS range); KeyState -03;
   * SIG(0) ML-DSA-44 at algorithm 199 (tdns) and ML-DSA-65 at 228 (experimental range).
   */
  public static final Codepoints DEFAULT =
      new Codepoints(2, 3, 65002, 65282, 65285, 65286, 0, 49152, 49153, 49154,
          KeyStateTable.DRAFT_03, 199, 228);

  /** The default SIG(0) algorithm number of ML-DSA-44 (tdns's). */
  public static final int DEFAULT_SIG0_ML_DSA_44 = 199;

  /** The default SIG(0) algorithm number of ML-DSA-65 (the first experimental-range number). */
  public static final int DEFAULT_SIG0_ML_DSA_65 = 228;

  /**
   * The profile before the SIG(0) ML-DSA numbers existed: they take their defaults (199, 228).
   */
  public Codepoints(int dsyncSchemeUpdate, int dsyncSchemeScanner, int keyStateOptionCode,
      int svcbBootstrapKey, int hsyncType, int hsyncParamType, int hsyncStateOff,
      int edeKeyKnownNotTrusted, int edeKeyValidationFailed, int edeManualBootstrapRequired,
      KeyStateTable keyStateTable) {
    this(dsyncSchemeUpdate, dsyncSchemeScanner, keyStateOptionCode, svcbBootstrapKey, hsyncType,
        hsyncParamType, hsyncStateOff, edeKeyKnownNotTrusted, edeKeyValidationFailed,
        edeManualBootstrapRequired, keyStateTable, DEFAULT_SIG0_ML_DSA_44,
        DEFAULT_SIG0_ML_DSA_65);
  }

  /** Validates every field's range; see the class documentation for the meaning of each. */
  public Codepoints {
    u8("dsyncSchemeUpdate", dsyncSchemeUpdate);
    u8("dsyncSchemeScanner", dsyncSchemeScanner);
    u16("keyStateOptionCode", keyStateOptionCode);
    u16("svcbBootstrapKey", svcbBootstrapKey);
    u16("hsyncType", hsyncType);
    u16("hsyncParamType", hsyncParamType);
    u8("hsyncStateOff", hsyncStateOff);
    u16("edeKeyKnownNotTrusted", edeKeyKnownNotTrusted);
    u16("edeKeyValidationFailed", edeKeyValidationFailed);
    u16("edeManualBootstrapRequired", edeManualBootstrapRequired);
    Objects.requireNonNull(keyStateTable, "keyStateTable");
    u8("sig0MlDsa44", sig0MlDsa44);
    u8("sig0MlDsa65", sig0MlDsa65);
    // The IANA-assigned DNSSEC algorithms (1-16, 23) must keep their meaning.
    for (int[] f : new int[][] {{sig0MlDsa44, 44}, {sig0MlDsa65, 65}}) {
      if (f[0] == 0 || f[0] <= 16 || f[0] == 23 || f[0] >= 252) {
        throw new IllegalArgumentException("sig0MlDsa" + f[1] + " must not be an assigned or"
            + " reserved DNSSEC algorithm number (0-16, 23, 252-255): " + f[0]);
      }
    }
    if (sig0MlDsa44 == sig0MlDsa65) {
      throw new IllegalArgumentException("sig0MlDsa44 and sig0MlDsa65 are equal");
    }
    if (dsyncSchemeUpdate == 0 || dsyncSchemeUpdate == 1) {
      throw new IllegalArgumentException(
          "dsyncSchemeUpdate must not be 0 (null scheme) or 1 (NOTIFY): " + dsyncSchemeUpdate);
    }
    if (dsyncSchemeUpdate == dsyncSchemeScanner) {
      throw new IllegalArgumentException("dsyncSchemeUpdate and dsyncSchemeScanner are equal");
    }
    if (hsyncType == hsyncParamType) {
      throw new IllegalArgumentException("hsyncType and hsyncParamType are equal");
    }
    if (hsyncStateOff == 1) {
      throw new IllegalArgumentException("hsyncStateOff must not be 1 (ON)");
    }
  }

  /** A builder starting from {@link #DEFAULT}. */
  public static Builder builder() {
    return new Builder(DEFAULT);
  }

  /** A builder starting from this profile. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  private static void u8(String field, int v) {
    if (v < 0 || v > 0xFF) {
      throw new IllegalArgumentException(field + " out of range 0..255: " + v);
    }
  }

  private static void u16(String field, int v) {
    if (v < 0 || v > 0xFFFF) {
      throw new IllegalArgumentException(field + " out of range 0..65535: " + v);
    }
  }

  /** Builds a {@link Codepoints} profile; every setter names the field it sets. */
  public static final class Builder {
    private int dsyncSchemeUpdate;
    private int dsyncSchemeScanner;
    private int keyStateOptionCode;
    private int svcbBootstrapKey;
    private int hsyncType;
    private int hsyncParamType;
    private int hsyncStateOff;
    private int edeKeyKnownNotTrusted;
    private int edeKeyValidationFailed;
    private int edeManualBootstrapRequired;
    private KeyStateTable keyStateTable;
    private int sig0MlDsa44;
    private int sig0MlDsa65;

    private Builder(Codepoints from) {
      dsyncSchemeUpdate = from.dsyncSchemeUpdate;
      dsyncSchemeScanner = from.dsyncSchemeScanner;
      keyStateOptionCode = from.keyStateOptionCode;
      svcbBootstrapKey = from.svcbBootstrapKey;
      hsyncType = from.hsyncType;
      hsyncParamType = from.hsyncParamType;
      hsyncStateOff = from.hsyncStateOff;
      edeKeyKnownNotTrusted = from.edeKeyKnownNotTrusted;
      edeKeyValidationFailed = from.edeKeyValidationFailed;
      edeManualBootstrapRequired = from.edeManualBootstrapRequired;
      keyStateTable = from.keyStateTable;
      sig0MlDsa44 = from.sig0MlDsa44;
      sig0MlDsa65 = from.sig0MlDsa65;
    }

    /** The SIG(0) algorithm number of ML-DSA-44 (experimental; default 199). */
    public Builder sig0MlDsa44(int v) {
      sig0MlDsa44 = v;
      return this;
    }

    /** The SIG(0) algorithm number of ML-DSA-65 (experimental; default 228). */
    public Builder sig0MlDsa65(int v) {
      sig0MlDsa65 = v;
      return this;
    }

    public Builder dsyncSchemeUpdate(int v) {
      dsyncSchemeUpdate = v;
      return this;
    }

    public Builder dsyncSchemeScanner(int v) {
      dsyncSchemeScanner = v;
      return this;
    }

    public Builder keyStateOptionCode(int v) {
      keyStateOptionCode = v;
      return this;
    }

    public Builder svcbBootstrapKey(int v) {
      svcbBootstrapKey = v;
      return this;
    }

    public Builder hsyncType(int v) {
      hsyncType = v;
      return this;
    }

    public Builder hsyncParamType(int v) {
      hsyncParamType = v;
      return this;
    }

    public Builder hsyncStateOff(int v) {
      hsyncStateOff = v;
      return this;
    }

    public Builder edeKeyKnownNotTrusted(int v) {
      edeKeyKnownNotTrusted = v;
      return this;
    }

    public Builder edeKeyValidationFailed(int v) {
      edeKeyValidationFailed = v;
      return this;
    }

    public Builder edeManualBootstrapRequired(int v) {
      edeManualBootstrapRequired = v;
      return this;
    }

    public Builder keyStateTable(KeyStateTable v) {
      keyStateTable = Objects.requireNonNull(v, "keyStateTable");
      return this;
    }

    /**
     * Builds the profile.
     *
     * @throws IllegalArgumentException naming the first field that is out of range or clashes
     */
    public Codepoints build() {
      return new Codepoints(dsyncSchemeUpdate, dsyncSchemeScanner, keyStateOptionCode,
          svcbBootstrapKey, hsyncType, hsyncParamType, hsyncStateOff, edeKeyKnownNotTrusted,
          edeKeyValidationFailed, edeManualBootstrapRequired, keyStateTable, sig0MlDsa44,
          sig0MlDsa65);
    }
  }
}
