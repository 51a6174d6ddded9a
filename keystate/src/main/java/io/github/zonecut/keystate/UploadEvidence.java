package io.github.zonecut.keystate;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.DClass;
import org.xbill.DNS.KEYRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * What a received KEY UPDATE asked for, after its SIG(0) was verified: which KEYs it adds, whether
 * it deletes the child's KEY RRset, and which key signed it.
 *
 * <p>The registry never verifies signatures itself; the caller (the UPDATE receiver) verifies the
 * SIG(0) over the received bytes first and reports the verified signer here, or none. That keeps
 * the registry's rules pure and testable.
 *
 * @param child the child whose KEY RRset the UPDATE touches
 * @param added the KEY records added ({@code child. TTL IN KEY …})
 * @param deletesKeyRrset whether it carries {@code child. 0 ANY KEY} (RFC 2136 §2.5.2)
 * @param signer the key whose SIG(0) verified, or null for an unsigned or unverifiable UPDATE
 * @param verifiedAt when the signature was verified
 */
public record UploadEvidence(Name child, List<KEYRecord> added, boolean deletesKeyRrset,
    @Nullable KeyIdentity signer, Instant verifiedAt) {

  /** Validates the fields: every added KEY is owned by {@code child}. */
  public UploadEvidence {
    Objects.requireNonNull(child, "child");
    Objects.requireNonNull(verifiedAt, "verifiedAt");
    added = List.copyOf(added);
    for (KEYRecord k : added) {
      if (!k.getName().equals(child)) {
        throw new IllegalArgumentException("KEY " + k.getName() + " is not owned by " + child);
      }
    }
  }

  /**
   * Reads the KEY operations of an UPDATE message for {@code child}: class IN KEY records are
   * additions, a class ANY KEY with empty RDATA deletes the RRset. Other records are ignored
   * here (the UPDATE receiver's policy judges them).
   *
   * @param signer the verified SIG(0) signer, or null
   */
  public static UploadEvidence fromUpdate(Message update, Name child,
      @Nullable KeyIdentity signer, Instant verifiedAt) {
    List<KEYRecord> added = new ArrayList<>();
    boolean delete = false;
    for (Record r : update.getSection(Section.UPDATE)) {
      if (r.getType() != Type.KEY || !r.getName().equals(child)) {
        continue;
      }
      if (r.getDClass() == DClass.ANY && r.rdataToWireCanonical().length == 0) {
        delete = true;
      } else if (r.getDClass() == DClass.IN && r instanceof KEYRecord k) {
        added.add(k);
      }
    }
    return new UploadEvidence(child, added, delete, signer, verifiedAt);
  }
}
