package io.github.zonecut.dsync;

import io.github.zonecut.core.CsyncRecord;
import io.github.zonecut.core.Names;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/**
 * A request to check one child's signals of one kind now: {@link Type#CDS} for CDS/CDNSKEY
 * (RFC 9859 §4: NOTIFY(CDS) covers CDNSKEY too) or {@link CsyncRecord#TYPE} for CSYNC.
 *
 * @param child the child zone
 * @param type {@link Type#CDS} or {@link CsyncRecord#TYPE}
 */
public record ScanRequest(Name child, int type) {
  /** Checks the child is absolute and the type is CDS or CSYNC. */
  public ScanRequest {
    Names.requireAbsolute("child", child);
    if (type != Type.CDS && type != CsyncRecord.TYPE) {
      throw new IllegalArgumentException("scan type must be CDS or CSYNC: " + Type.string(type));
    }
  }

  /** A CDS/CDNSKEY check of {@code child}. */
  public static ScanRequest cds(Name child) {
    return new ScanRequest(child, Type.CDS);
  }

  /** A CSYNC check of {@code child}. */
  public static ScanRequest csync(Name child) {
    return new ScanRequest(child, CsyncRecord.TYPE);
  }

  @Override
  public String toString() {
    return child + " " + Type.string(type);
  }
}
