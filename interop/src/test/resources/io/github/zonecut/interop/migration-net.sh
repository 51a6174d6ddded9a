#!/usr/bin/env bash
# migration-net.sh - the loopback network of issue 16 scenario B (Knot -> BIND provider migration),
# driven by io.github.zonecut.interop.MigrationNet. Independent of testnet.sh (own ports, own keys).
#
#   migration-net.sh start DIR   build keys/zones/configs under DIR, start the servers, write DIR/env.sh
#   migration-net.sh stop  DIR   stop the servers started from DIR (by their PID files)
#
# Ports: MN_PORT_BASE (default 5400) + 10 / 20 / 30 / 53. On a failed start everything started is stopped.
#
#   base+10  named #1 (BIND 9.18)  "test."   the parent: dnssec-policy (CSK), dynamic (TSIG "upd"),
#                                            trust anchor = DS of its CSK; delegates ms.test. and neg.test.
#   base+20  knotd (Knot 3.2)      signer A: "ms.test.", "neg.test." signed with imported KSK+ZSK,
#                                  dnskey-management: incremental (keeps foreign DNSKEY/CDS/CDNSKEY
#                                  added by TSIG UPDATE), cds-cdnskey-publish: none (CDS only by UPDATE)
#   base+30  named #2 (BIND 9.18)  signer B: "ms.test.", "neg.test." dnssec-policy KSK+ZSK, update-policy
#   base+53  unbound 1.17          validating resolver, its own cache (TTLs honoured, never flushed);
#                                  stub-zones: test. -> parent, ms.test./neg.test. -> the signers
#                                  (the harness moves them with unbound-control stub_add as the
#                                  parent's NS RRset changes: a delegation cannot carry a port)
#
# ms.test.  : signed by A alone (parent: NS ns1.a.test., DS of A's KSK); B serves it but is not delegated.
# neg.test. : a finished two-signer group (A and B; parent DS of both KSKs, NS of both); the harness
#             cross-publishes the ZSKs before the negative control runs.
# All TTLs are 5 s, except probe.neg.test. TXT (30 s). Unbound asks A only for neg.test. until the
# negative control moves its stub.
set -euo pipefail

cmd=${1:?start|stop}; D=$(realpath -m "${2:?DIR}")
ALG=ECDSAP256SHA256
BASE=${MN_PORT_BASE:-5400}
P_TLD=$((BASE + 10)) P_A=$((BASE + 20)) P_B=$((BASE + 30)) P_RES=$((BASE + 53))
TTL=5

stop() {
  local pids=() f pid
  for f in "$D"/tld/named.pid "$D"/b/named.pid "$D"/a/knot.pid "$D"/res/unbound.pid; do
    [ -s "$f" ] || continue
    pid=$(cat "$f"); kill "$pid" 2>/dev/null && pids+=("$pid")
  done
  for pid in ${pids[@]+"${pids[@]}"}; do
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
  done
}
if [ "$cmd" = stop ]; then stop; exit 0; fi

wait_dig() { # port name type [dig-flags]
  for _ in $(seq 200); do
    [ -n "$(dig ${4:-+norec} +time=1 +tries=1 @127.0.0.1 -p "$1" "$2" "$3" +short 2>/dev/null)" ] && return 0
    sleep 0.05
  done; echo "timeout waiting for $2/$3 on port $1" >&2; return 1
}

trap 'rc=$?; [ $rc -ne 0 ] && { echo "migration-net start failed (exit $rc), stopping what was started" >&2; stop; }; exit $rc' EXIT
mkdir -p "$D"/{keys,tld/keys,a/zones,a/db,b/keys,res}
cd "$D"
keyrr() { grep -v '^;' "$1.key"; }
dsof() { dnssec-dsfromkey -2 "$1.key"; }
tsig-keygen -a hmac-sha256 upd > upd.tsig.conf
TSIG_SECRET=$(awk -F'"' '/secret/{print $2}' upd.tsig.conf)

# ---------- keys ----------
# signer A (Knot): KSK + ZSK per zone, made by BIND's tools and imported, so the parent's DS is known
kg() { dnssec-keygen -q -K keys -a $ALG "$@"; }
A_MS_KSK=keys/$(kg -f KSK -n ZONE ms.test.); A_MS_ZSK=keys/$(kg -n ZONE ms.test.)
A_NEG_KSK=keys/$(kg -f KSK -n ZONE neg.test.); A_NEG_ZSK=keys/$(kg -n ZONE neg.test.)
# signer B (named dnssec-policy) and the parent: policy keys pre-generated for the same reason
cat > b/policy.conf <<EOF
dnssec-policy "signer-b" {
  keys { ksk lifetime unlimited algorithm $ALG; zsk lifetime unlimited algorithm $ALG; };
  dnskey-ttl $TTL; max-zone-ttl 30; publish-safety 0; retire-safety 0;
  zone-propagation-delay 1; parent-ds-ttl $TTL; parent-propagation-delay 1;
};
EOF
cat > tld/policy.conf <<EOF
dnssec-policy "parent" {
  keys { csk lifetime unlimited algorithm $ALG; };
  dnskey-ttl $TTL; max-zone-ttl 60; publish-safety 0; retire-safety 0;
  zone-propagation-delay 1; parent-ds-ttl 60; parent-propagation-delay 1;
};
EOF
(cd b/keys && dnssec-keygen -q -k signer-b -l ../policy.conf ms.test. >/dev/null \
           && dnssec-keygen -q -k signer-b -l ../policy.conf neg.test. >/dev/null)
(cd tld/keys && dnssec-keygen -q -k parent -l ../policy.conf test. >/dev/null)
bksk() { # zone -> key base of B's KSK (flags 257)
  local f; for f in b/keys/K$1.+*.key; do grep -q ' 257 3 ' "$f" && { echo "${f%.key}"; return; }; done
}
B_MS_KSK=$(bksk ms.test); B_NEG_KSK=$(bksk neg.test)
TLD_CSK=tld/keys/$(cd tld/keys && ls Ktest.+*.key | head -1 | sed 's/\.key$//')

# ---------- zones of the signers (same data on both) ----------
for z in ms neg; do
  PTTL=$TTL; [ $z = neg ] && PTTL=30 # neg: data outlives the DNSKEY TTL, so an early ZSK removal shows
  ns="@ IN NS ns1.a.test."; [ $z = neg ] && ns="$ns
@ IN NS ns1.b.test."
  cat > zone.$z <<EOF
\$TTL $TTL
@ IN SOA ns1.a.test. hostmaster.$z.test. 1 3600 600 86400 $TTL
$ns
probe $PTTL IN TXT "zonecut migration probe"
EOF
  cp zone.$z a/zones/$z.test.zone
  cp zone.$z b/$z.test.db
done

# ---------- signer A: knotd ----------
cat > a/knot.conf <<EOF
server:
  rundir: "$D/a/db"
  pidfile: "$D/a/knot.pid"
  listen: 127.0.0.1@$P_A
  background-workers: 1
  udp-workers: 1
  tcp-workers: 1
log:
  - target: $D/a/knot.log
    any: info
database:
  storage: "$D/a/db"
key:
  - id: upd
    algorithm: hmac-sha256
    secret: $TSIG_SECRET
acl:
  - id: upd_tsig
    key: upd
    action: [update, transfer]
policy:
  - id: signer-a
    manual: on
    dnskey-ttl: $TTL
    zone-max-ttl: 30
    cds-cdnskey-publish: none
    dnskey-management: incremental
    delete-delay: 1d
template:
  - id: default
    storage: "$D/a/zones"
    file: "%s.zone"
    zonefile-sync: -1
    zonefile-load: difference-no-serial
    journal-content: all
    dnssec-signing: on
    dnssec-policy: signer-a
    acl: upd_tsig
zone:
  - domain: ms.test.
  - domain: neg.test.
EOF
for k in $A_MS_KSK $A_MS_ZSK; do keymgr -c a/knot.conf ms.test. import-bind $k.private >/dev/null; done
for k in $A_NEG_KSK $A_NEG_ZSK; do keymgr -c a/knot.conf neg.test. import-bind $k.private >/dev/null; done

# ---------- the parent: test. ----------
cat > tld/test.db <<EOF
\$TTL 60
@        IN SOA ns1.test. hostmaster.test. 1 3600 600 86400 5
@        IN NS ns1.test.
ns1      IN A 127.0.0.1
ns1.a    IN A 127.0.0.1
ns1.b    IN A 127.0.0.1
ms    $TTL IN NS ns1.a.test.
neg   $TTL IN NS ns1.a.test.
neg   $TTL IN NS ns1.b.test.
EOF
{ dsof $A_MS_KSK; dsof $A_NEG_KSK; dsof $B_NEG_KSK; } | sed "s/ IN DS / $TTL IN DS /" >> tld/test.db

named_conf() { # dir port
  cat <<EOF
include "$D/upd.tsig.conf";
options {
  directory "$D/$1"; pid-file "$D/$1/named.pid"; session-keyfile "$D/$1/session.key";
  listen-on port $2 { 127.0.0.1; }; listen-on-v6 { none; };
  recursion no; dnssec-validation no; notify no; key-directory "$D/$1/keys";
};
controls { };
logging { channel l { file "$D/$1/named.log"; severity info; print-time yes; print-category yes; };
          category default { l; }; };
EOF
}
named_conf tld $P_TLD > tld/named.conf
cat tld/policy.conf >> tld/named.conf
cat >> tld/named.conf <<'EOF'
zone "test." { type primary; file "test.db"; dnssec-policy "parent"; inline-signing no;
  update-policy { grant upd zonesub ANY; }; };
EOF
named_conf b $P_B > b/named.conf
cat b/policy.conf >> b/named.conf
for z in ms neg; do
  cat >> b/named.conf <<EOF
zone "$z.test." { type primary; file "$z.test.db"; dnssec-policy "signer-b"; inline-signing no;
  update-policy { grant upd zonesub ANY; }; };
EOF
done

# ---------- unbound ----------
dsof $TLD_CSK > res/test.anchor
cat > res/unbound.conf <<EOF
server:
  interface: 127.0.0.1@$P_RES
  port: $P_RES
  do-ip6: no
  access-control: 127.0.0.0/8 allow
  do-not-query-localhost: no
  chroot: ""
  username: ""
  directory: "$D/res"
  pidfile: "$D/res/unbound.pid"
  use-syslog: no
  logfile: "$D/res/unbound.log"
  verbosity: 1
  val-log-level: 2
  trust-anchor-file: "$D/res/test.anchor"
  local-zone: "test." nodefault
  qname-minimisation: no
  num-threads: 1
  prefetch: no
remote-control:
  control-enable: yes
  control-interface: "$D/res/unbound.ctl"
  control-use-cert: no
stub-zone:
  name: "test."
  stub-addr: 127.0.0.1@$P_TLD
stub-zone:
  name: "ms.test."
  stub-addr: 127.0.0.1@$P_A
stub-zone:
  name: "neg.test."
  stub-addr: 127.0.0.1@$P_A
EOF
named-checkconf tld/named.conf; named-checkconf b/named.conf; knotc -c a/knot.conf conf-check >/dev/null
unbound-checkconf res/unbound.conf >/dev/null

# ---------- start ----------
named -c "$D/tld/named.conf"
named -c "$D/b/named.conf"
knotd -c "$D/a/knot.conf" -d
unbound -c "$D/res/unbound.conf"
wait_dig $P_TLD test. DNSKEY
wait_dig $P_A ms.test. RRSIG
wait_dig $P_A neg.test. RRSIG
wait_dig $P_B ms.test. RRSIG
wait_dig $P_B neg.test. RRSIG
wait_dig $P_RES ms.test. SOA +rec
cat > env.sh <<EOF
# source me
MN_DIR=$D
MN_PARENT=127.0.0.1:$P_TLD
MN_SIGNER_A=127.0.0.1:$P_A
MN_SIGNER_B=127.0.0.1:$P_B
MN_RESOLVER=127.0.0.1:$P_RES
MN_TSIG_NAME=upd
MN_TSIG_ALGORITHM=hmac-sha256
MN_TSIG_SECRET=$TSIG_SECRET
MN_TRUST_ANCHOR="$(cat res/test.anchor)"
MN_UNBOUND_CONF=$D/res/unbound.conf
MN_KNOT_CONF=$D/a/knot.conf
EOF
echo "migration net up in $D"
