#!/usr/bin/env bash
# Sustained UDP queries/s of zonecut's NioDnsTransport next to dnsperf, against the same knotd on
# loopback, in the same run. Usage: benchmarks/transport-bench.sh [seconds]   (default 10)
# Prints dnsperf's figure, the harness's figures at 1,000 and 10,000 in flight, and the ratios.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
JAR="$ROOT/benchmarks/target/benchmarks.jar"
DUR=${1:-10}
for tool in knotd dnsperf kdig java python3; do
  command -v "$tool" >/dev/null || { echo "missing: $tool" >&2; exit 2; }
done
[ -f "$JAR" ] || (cd "$ROOT" && ./mvnw -B -q -pl benchmarks -am package -DskipTests)

D=$(mktemp -d /tmp/zonecut-bench.XXXXXX)
cleanup() {
  if [ -f "$D/knot.pid" ]; then kill "$(cat "$D/knot.pid")" 2>/dev/null || true; sleep 0.5; fi
  rm -rf "$D"
}
trap cleanup EXIT
PORT=$(python3 -c 'import socket
u=socket.socket(socket.AF_INET,socket.SOCK_DGRAM); u.bind(("127.0.0.1",0)); p=u.getsockname()[1]
t=socket.socket(); t.bind(("127.0.0.1",p)); print(p)')
mkdir -p "$D/db" "$D/zones"
cat > "$D/zones/bench.example.zone" <<ZONE
\$TTL 300
@    IN SOA ns.bench.example. hostmaster.bench.example. 1 3600 600 86400 300
@    IN NS  ns.bench.example.
ns   IN A   127.0.0.1
www  IN A   192.0.2.80
ZONE
cat > "$D/knot.conf" <<CONF
server:
  rundir: "$D/db"
  pidfile: "$D/knot.pid"
  listen: 127.0.0.1@$PORT
  udp-workers: 2
  tcp-workers: 1
  background-workers: 1
log:
  - target: "$D/knot.log"
    any: warning
database:
  storage: "$D/db"
template:
  - id: default
    storage: "$D/zones"
    file: "%s.zone"
zone:
  - domain: bench.example.
CONF
knotd -c "$D/knot.conf" -d
for _ in $(seq 1 50); do
  kdig +short +time=1 +tries=1 @127.0.0.1 -p "$PORT" www.bench.example. A 2>/dev/null | grep -q 192.0.2.80 && break
  sleep 0.2
done
echo "www.bench.example. A" > "$D/q.txt"

echo "== knotd on 127.0.0.1:$PORT, ${DUR}s per run, $(nproc) cores (shared: runs alternate"
echo "   dnsperf / zonecut so each zonecut figure is compared with the dnsperf runs around it)"
# one dnsperf run; prints "qps=Q cpuUsPerQuery=C" (CPU = dnsperf's user+sys time)
dnsperf_run() {
  local TIMEFORMAT='%U %S'
  { time dnsperf -s 127.0.0.1 -p "$PORT" -d "$D/q.txt" -l "$DUR" -c 4 -q 1000 >"$D/dp.out" 2>&1; } 2>"$D/dp.time"
  python3 - "$D/dp.out" "$D/dp.time" <<'PYEOF'
import re, sys
out = open(sys.argv[1]).read()
u, s = map(float, open(sys.argv[2]).read().split()[-2:])
qps = float(re.search(r"Queries per second:\s+([0-9.]+)", out).group(1))
done = int(re.search(r"Queries completed:\s+([0-9]+)", out).group(1))
print("qps=%.0f cpuUsPerQuery=%.1f" % (qps, (u + s) * 1e6 / max(done, 1)))
PYEOF
}
run() {
  java -Xmx512m -cp "$JAR" io.github.zonecut.benchmarks.TransportBench "$@" 2>/dev/null | grep '^zonecut'
}
qps_of() { echo "$1" | sed -E 's/.*qps=([0-9.]+).*/\1/'; }
ratio() { python3 -c "import sys; print('%.2f' % (2 * float(sys.argv[1]) / (float(sys.argv[2]) + float(sys.argv[3]))))" "$@"; }

# --executor-threads 0: answers completed on the transport's selector thread (a direct
# executor); 2: on a 2-thread pool, paying a thread hand-off per batch of answers
K="--server 127.0.0.1:$PORT --names $D/q.txt --seconds $DUR"
P1=$(dnsperf_run); echo "dnsperf -q 1000 $P1"
D1=$(run $K --inflight 1000 --executor-threads 0 | sed 's/^zonecut/zonecut(direct)/'); echo "$D1"
P2=$(dnsperf_run); echo "dnsperf -q 1000 $P2"
D2=$(run $K --inflight 10000 --executor-threads 0 | sed 's/^zonecut/zonecut(direct)/'); echo "$D2"
P3=$(dnsperf_run); echo "dnsperf -q 1000 $P3"
T1=$(run $K --inflight 1000 --executor-threads 2 | sed 's/^zonecut/zonecut(pool2)/'); echo "$T1"
P4=$(dnsperf_run); echo "dnsperf -q 1000 $P4"
T2=$(run $K --inflight 10000 --executor-threads 2 | sed 's/^zonecut/zonecut(pool2)/'); echo "$T2"
P5=$(dnsperf_run); echo "dnsperf -q 1000 $P5"
E1=$(run --inflight 1000 --seconds "$DUR" --executor-threads 0 | sed 's/^zonecut/zonecut(direct,echo-responder)/'); echo "$E1"
E2=$(run --inflight 10000 --seconds "$DUR" --executor-threads 0 | sed 's/^zonecut/zonecut(direct,echo-responder)/'); echo "$E2"
q() { qps_of "$1"; }
echo "ratio vs dnsperf (knotd; mean of the dnsperf runs before and after each):"
echo "  direct: inflight=1000 $(ratio "$(q "$D1")" "$(q "$P1")" "$(q "$P2")")x," \
  "inflight=10000 $(ratio "$(q "$D2")" "$(q "$P2")" "$(q "$P3")")x"
echo "  pool2:  inflight=1000 $(ratio "$(q "$T1")" "$(q "$P3")" "$(q "$P4")")x," \
  "inflight=10000 $(ratio "$(q "$T2")" "$(q "$P4")" "$(q "$P5")")x"
