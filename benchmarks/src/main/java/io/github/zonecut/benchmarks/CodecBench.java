package io.github.zonecut.benchmarks;

import io.github.zonecut.core.CsyncRecord;
import io.github.zonecut.core.DsyncRecord;
import io.github.zonecut.core.DsyncScheme;
import io.github.zonecut.core.MalformedDataException;
import io.github.zonecut.core.ZonecutTypes;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.xbill.DNS.DClass;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * DSYNC and CSYNC codec cost next to dnsjava's own MX codec, in the same run.
 *
 * <p>Two parse paths per type: zonecut's strict API ({@code fromRdata}, RDATA only; baseline
 * {@code Record.newRecord} for MX) and dnsjava's {@code Record.fromWire} on a whole resource
 * record, which reaches zonecut through the registered type hooks. Render is {@code
 * Record.toWire}. The MX and DSYNC records carry the same 23-octet target name. The bar: each
 * zonecut figure at least 0.8× its MX counterpart.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class CodecBench {
  private static final Name OWNER = Name.fromConstantString("_dsync.example.net.");
  private static final Name TARGET = Name.fromConstantString("cds-scanner.example.net.");

  private Record mx;
  private DsyncRecord dsync;
  private CsyncRecord csync;
  private byte[] mxRdata;
  private byte[] dsyncRdata;
  private byte[] csyncRdata;
  private byte[] mxWire;
  private byte[] dsyncWire;
  private byte[] csyncWire;

  @Setup
  public void setup() {
    ZonecutTypes.register();
    mx = new MXRecord(OWNER, DClass.IN, 3600, 10, TARGET);
    dsync = DsyncRecord.of(OWNER, 3600, Type.CDS, DsyncScheme.NOTIFY, 5359, TARGET);
    csync = new CsyncRecord(OWNER, DClass.IN, 3600, 66, 3, List.of(Type.A, Type.NS, Type.AAAA));
    mxRdata = mx.rdataToWireCanonical();
    dsyncRdata = dsync.rdataToWireCanonical();
    csyncRdata = csync.rdataToWireCanonical();
    mxWire = mx.toWire(Section.ANSWER);
    dsyncWire = dsync.toWire(Section.ANSWER);
    csyncWire = csync.toWire(Section.ANSWER);
  }

  // ---- parse, RDATA only

  @Benchmark
  public Record mxParseRdata() {
    return Record.newRecord(OWNER, Type.MX, DClass.IN, 3600, mxRdata);
  }

  @Benchmark
  public DsyncRecord dsyncParseRdata() throws MalformedDataException {
    return DsyncRecord.fromRdata(OWNER, DClass.IN, 3600, dsyncRdata);
  }

  @Benchmark
  public CsyncRecord csyncParseRdata() throws MalformedDataException {
    return CsyncRecord.fromRdata(OWNER, DClass.IN, 3600, csyncRdata);
  }

  // ---- parse, whole resource record through dnsjava

  @Benchmark
  public Record mxParseWire() throws IOException {
    return Record.fromWire(mxWire, Section.ANSWER);
  }

  @Benchmark
  public Record dsyncParseWire() throws IOException {
    return Record.fromWire(dsyncWire, Section.ANSWER);
  }

  @Benchmark
  public Record csyncParseWire() throws IOException {
    return Record.fromWire(csyncWire, Section.ANSWER);
  }

  // ---- render

  @Benchmark
  public byte[] mxRender() {
    return mx.toWire(Section.ANSWER);
  }

  @Benchmark
  public byte[] dsyncRender() {
    return dsync.toWire(Section.ANSWER);
  }

  @Benchmark
  public byte[] csyncRender() {
    return csync.toWire(Section.ANSWER);
  }
}
