#!/usr/bin/env bash
# Issue 11's ScanBench against real DNS software on loopback: knotd serves a signed parent zone
# with N delegated children and the N child zones (signed by Knot, CDS/CDNSKEY published), unbound
# is the recursive resolver under zonecut's ValidatingLookup, and ScanKnotBench runs the Scanner
# over ScanService (Observer over TCP to every NS, validation through the lookup, AcceptanceChecks
# and DelegationChecks, the change applied to an in-memory backend) for every child.
# Usage: benchmarks/scan-knot-bench.sh [children=1000] [concurrency=64] [ceilingSeconds=3]
# Scenario: the parent holds a SHA-256 DS per child, each child publishes a SHA-384 CDS of the
# same key (Knot's cds-digest-type), so every child is a valid DS change: Applied.
# Prints ScanKnotBench's lines (children/s, ceiling, ratio, outcomes, heap under -Xmx256m), then
# ScanBench's line for the scanner alone against the same knotd over TCP.
# SCANKNOT_ALGORITHM: Knot's signing algorithm for every zone (default ecdsap256sha256; the scan
# is bound by the JDK's P-256 verification, rsasha256 shows the path with cheap verification).
# SCANKNOT_WARMUP: scan passes before the measured one (default 1; 0 measures the cold pass).
# SCANKNOT_JAVA_OPTS: extra JVM options, e.g. -Dzonecut.bench.tcpIdleMillis=0 (one TCP connection
# per exchange, as before TCP reuse).
# SCANKNOT_CLASSPATH, when set, replaces the shaded jar (ScanKnotBenchSmokeTest passes its own).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
JAR="$ROOT/benchmarks/target/benchmarks.jar"
N=${1:-1000}
CONC=${2:-64}
CEIL=${3:-3}
ALG=${SCANKNOT_ALGORITHM:-ecdsap256sha256}
for tool in knotd knotc unbound java python3; do
  command -v "$tool" >/dev/null || { echo "missing: $tool" >&2; exit 2; }
done
CP=${SCANKNOT_CLASSPATH:-$JAR}
[ -n "${SCANKNOT_CLASSPATH:-}" ] || [ -f "$JAR" ] || (cd "$ROOT" && ./mvnw -B -q -pl benchmarks -am package -DskipTests)

D=$(mktemp -d /tmp/zonecut-scanknot.XXXXXX)
cleanup() {
  for p in knot unbound; do
    if [ -s "$D/$p.pid" ]; then kill "$(cat "$D/$p.pid")" 2>/dev/null || true; fi
  done
  sleep 0.5
  rm -rf "$D"
}
trap cleanup EXIT
free_port() {
  python3 -c 'import socket
for _ in range(100):  # a UDP port whose TCP twin is free too
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind(("127.0.0.1", 0))
    p = u.getsockname()[1]
    try:
        socket.socket().bind(("127.0.0.1", p))
    except OSError:
        continue
    if p >= 20000:
        print(p); break'
}
PORT=$(free_port)
RPORT=$(free_port)
while [ "$RPORT" = "$PORT" ]; do RPORT=$(free_port); done
PARENT=bench.
mkdir -p "$D/db" "$D/zones"

# child zones: apex only, the name server is the parent's ns.bench. (all on this knotd)
python3 - "$D/zones" "$N" "$PARENT" <<'PYEOF'
import sys
d, n, parent = sys.argv[1], int(sys.argv[2]), sys.argv[3]
for i in range(n):
    with open("%s/c%d.%szone" % (d, i, parent), "w") as f:
        f.write("$TTL 3600\n@ IN SOA ns.%s hostmaster.%s 1 3600 600 86400 300\n"
                "@ IN NS ns.%s\nwww IN A 192.0.2.80\n" % (parent, parent, parent))
PYEOF
parent_zone() { # $1 serial, $2 file of DS records (may be empty)
  {
    echo "\$TTL 3600"
    echo "@    IN SOA ns.$PARENT hostmaster.$PARENT $1 3600 600 86400 300"
    echo "@    IN NS  ns.$PARENT"
    echo "ns   IN A   127.0.0.1"
    for i in $(seq 0 $((N - 1))); do echo "c$i IN NS ns.$PARENT"; done
    cat "$2"
  } > "$D/zones/${PARENT%.}.zone"
}
: > "$D/ds.txt"
parent_zone 1 "$D/ds.txt"

{
  cat <<CONF
server:
  rundir: "$D/db"
  pidfile: "$D/knot.pid"
  listen: 127.0.0.1@$PORT
  udp-workers: 2
  tcp-workers: 2
  background-workers: 2
log:
  - target: "$D/knot.log"
    any: warning
database:
  storage: "$D/db"
policy:
  - id: child
    algorithm: $ALG
    single-type-signing: on
    cds-cdnskey-publish: always
    cds-digest-type: sha384
  - id: parent
    algorithm: $ALG
    single-type-signing: on
template:
  - id: default
    storage: "$D/zones"
    file: "%s.zone"
    zonefile-sync: -1
    dnssec-signing: on
    dnssec-policy: child
zone:
  - domain: $PARENT
    dnssec-policy: parent
CONF
  for i in $(seq 0 $((N - 1))); do echo "  - domain: c$i.$PARENT"; done
} > "$D/knot.conf"

echo "== $N children ($ALG), knotd 127.0.0.1:$PORT, unbound 127.0.0.1:$RPORT, $(nproc) cores," \
  "load average $(cut -d' ' -f1-3 /proc/loadavg) (shared machine)"
knotd -c "$D/knot.conf" -d
KC="knotc -c $D/knot.conf"
# wait until Knot has signed every child and published its CDNSKEY (bounded: 600 s)
T0=$(date +%s)
for _ in $(seq 1 600); do
  C=$($KC zone-read -- @ 2>/dev/null | grep -c ' CDNSKEY ' || true)
  [ "$C" -ge "$N" ] && break
  sleep 1
done
[ "$C" -ge "$N" ] || { echo "knotd signed only $C of $N children" >&2; tail "$D/knot.log" >&2; exit 1; }
echo "   knotd signed $N children in $(( $(date +%s) - T0 )) s"

# the parent's SHA-256 DS of each child's CDNSKEY (RFC 4034 §5.1.4, key tag Appendix B)
$KC zone-read -- @ | python3 -c '
import base64, hashlib, sys
def wire(name):
    out = b""
    for label in name.rstrip(".").split("."):
        out += bytes([len(label)]) + label.lower().encode()
    return out + b"\0"
for line in sys.stdin:
    f = line.split()
    if len(f) < 8 or f[3] != "CDNSKEY":
        continue
    owner, flags, proto, alg = f[1], int(f[4]), int(f[5]), int(f[6])
    if owner.rstrip(".").count(".") == 0:
        continue
    rdata = flags.to_bytes(2, "big") + bytes([proto, alg]) + base64.b64decode("".join(f[7:]))
    acc = 0
    for i, b in enumerate(rdata):
        acc += b if i & 1 else b << 8
    tag = (acc + (acc >> 16)) & 0xFFFF
    digest = hashlib.sha256(wire(owner) + rdata).hexdigest().upper()
    print("%s IN DS %d %d 2 %s" % (owner, tag, alg, digest))
' > "$D/ds.txt"
[ "$(wc -l < "$D/ds.txt")" -ge "$N" ] || { echo "DS computation failed" >&2; exit 1; }
parent_zone 1000000 "$D/ds.txt"
$KC zone-reload "$PARENT" >/dev/null
LAST="c$((N - 1)).$PARENT"
for _ in $(seq 1 300); do
  $KC zone-read "$PARENT" "$LAST" DS 2>/dev/null | grep -q ' DS ' \
    && $KC zone-read "$PARENT" "$LAST" RRSIG 2>/dev/null | grep -q 'RRSIG DS' && break
  sleep 1
done
$KC zone-read "$PARENT" @ DNSKEY | awk '$4 == "DNSKEY" { $1 = ""; sub(/^ +/, ""); print }' > "$D/anchor.txt"
[ -s "$D/anchor.txt" ] || { echo "no parent DNSKEY" >&2; exit 1; }
# the backend's state: the parent zone as written (NS + SHA-256 DS per child)
cp "$D/zones/${PARENT%.}.zone" "$D/parent.txt"

cat > "$D/unbound.conf" <<CONF
server:
  interface: 127.0.0.1
  port: $RPORT
  do-ip6: no
  access-control: 127.0.0.0/8 allow
  do-not-query-localhost: no
  username: ""
  chroot: ""
  directory: "$D"
  pidfile: "$D/unbound.pid"
  logfile: "$D/unbound.log"
  use-syslog: no
  num-threads: 1
  verbosity: 0
  qname-minimisation: no
  # zonecut's ValidatingLookup validates (it sets CD): unbound only recurses and caches
  module-config: "iterator"
  val-log-level: 0
# a forward zone, not a stub: knotd is authoritative for the parent and every child, and a stub
# would follow the children's NS (ns.bench. = 127.0.0.1) to port 53
forward-zone:
  name: "$PARENT"
  forward-addr: 127.0.0.1@$PORT
remote-control:
  control-enable: no
CONF
unbound -c "$D/unbound.conf"
for _ in $(seq 1 50); do
  [ -s "$D/unbound.pid" ] && python3 - "$RPORT" <<'PYEOF' && break
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.settimeout(0.5)
name = b"".join(bytes([len(l)]) + l.encode() for l in ["ns", "bench"]) + b"\0"
q = bytes.fromhex("123401000001000000000000") + name + b"\x00\x01\x00\x01"
s.sendto(q, ("127.0.0.1", int(sys.argv[1])))
try:
    r = s.recv(512)
    sys.exit(0 if (r[3] & 0x0F) == 0 else 1)
except OSError:
    sys.exit(1)
PYEOF
  sleep 0.2
done

java -Xmx256m ${SCANKNOT_JAVA_OPTS:-} -cp "$CP" io.github.zonecut.benchmarks.ScanKnotBench "$PORT" "$RPORT" \
  "$D/parent.txt" "$PARENT" "$D/anchor.txt" "$CONC" "$CEIL" "${SCANKNOT_WARMUP:-1}" 2>"$D/java.err" \
  || { tail -30 "$D/java.err" >&2; exit 1; }
# the scanner alone against the same knotd (issue 11's ScanBench "1,000 against Knot"): each
# child's 6 questions over TCP, no validation or decision, next to the same kind of ceiling
java -Xmx256m ${SCANKNOT_JAVA_OPTS:-} -cp "$CP" io.github.zonecut.benchmarks.ScanBench "$N" \
  "$CONC" "$CEIL" "127.0.0.1:$PORT" "$PARENT" TCP 2>"$D/java2.err" \
  || { tail -30 "$D/java2.err" >&2; exit 1; }
echo "   load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
