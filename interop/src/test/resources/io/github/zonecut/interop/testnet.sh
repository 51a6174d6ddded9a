#!/usr/bin/env bash
# testnet.sh - private signed DNS hierarchy on loopback for zonecut's interop tests.
# Adapted from the project's shared peer recipe (peers/testnet.sh); driven by io.github.zonecut.interop.Testnet,
# which checks the tools and the ports first, starts this once per test run and stops the servers by PID.
#
#   testnet.sh start DIR   build keys/zones/configs under DIR and start all servers; writes DIR/env.sh
#   testnet.sh stop  DIR   stop the servers started from DIR (by their PID files)
#
# Ports come from TN_PORT_TLD, TN_PORT_PARENT, TN_PORT_CHILD, TN_PORT_KCHILD, TN_PORT_RESOLVER (defaults below).
# On a failed start every server already started is stopped again (trap), so nothing is left behind.
#
# Layout (all 127.0.0.1, no other address is used):
#   5310/udp+tcp  named #1 (BIND 9.18)  "test."            offline-signed (dnssec-signzone); trust anchor
#   5320/udp+tcp  knotd   (Knot 3.2)    "parent.test."     knot auto-signing, imported BIND keys, CDS/CDNSKEY,
#                                        DSYNC records, DDNS via TSIG (key "upd")
#   5330/udp+tcp  named #2 (BIND 9.18)  "child.parent.test." dnssec-policy (dynamic, secure delegation)
#                                        "new.parent.test."   dnssec-policy (dynamic, NO DS in parent: bootstrap case)
#                                        "bogus.parent.test." dnssec-policy, parent holds a WRONG DS (SERVFAIL case)
#                                        "operator.test."     offline-signed; hosts the RFC 9615-style signal names
#                                        "roll.parent.test."  dnssec-policy "roll" (separate KSK and ZSK), DS in parent,
#                                        parental-agents = knotd; KSK rolls on demand through rndc
#                 knotd also serves "knot.parent.test." (knot-generated keys, CDS/CDNSKEY always, TSIG DDNS);
#                 its DS is put into parent.test. after start; KSK rolled with knotc zone-key-rollover
#   5340/udp+tcp  knotd #2 (Knot 3.2)  "kchild.parent.test." a Knot child on its own server (knot-generated keys,
#                                        CDS/CDNSKEY always, TSIG DDNS), delegated to ns1.kchild.parent.test. with
#                                        glue; its DS is put into parent.test. after start. Its own server, so that
#                                        the parent's knotd answers for the delegation (the NS RRset and glue in
#                                        parent.test.), not for the child's apex: CSYNC scans need both views
#   5339/tcp      named #2 control channel (rndc, key in child/rndc.key): rndc dnssec -rollover / -checkds
#   5353/udp+tcp  unbound 1.17           validating resolver, trust anchor = DS of "test.", stub-zones to the above
#
# Requirements (Debian 12): bind9 bind9-dnsutils knot knot-dnsutils unbound
set -euo pipefail

cmd=${1:?start|stop}; D=$(realpath -m "${2:?DIR}")
ALG=ECDSAP256SHA256
P_TLD=${TN_PORT_TLD:-5310} P_PARENT=${TN_PORT_PARENT:-5320} P_CHILD=${TN_PORT_CHILD:-5330} P_RES=${TN_PORT_RESOLVER:-5353}
P_RNDC=${TN_PORT_RNDC:-$((P_CHILD + 9))} P_KCHILD=${TN_PORT_KCHILD:-$((P_CHILD + 10))}

stop() { # SIGTERM every server started from $D (by PID file), then wait for all of them (each needs ~1-2 s)
  local pids=() f pid
  for f in "$D"/tld/named.pid "$D"/child/named.pid "$D"/parent/knot.pid "$D"/kchild/knot.pid "$D"/res/unbound.pid; do
    [ -s "$f" ] || continue
    pid=$(cat "$f"); kill "$pid" 2>/dev/null && pids+=("$pid")
  done
  for pid in ${pids[@]+"${pids[@]}"}; do
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
  done
}
if [ "$cmd" = stop ]; then stop; exit 0; fi

wait_dig() { # port name type [dig-flags] -> waits (at most ~10 s) until an answer with data arrives
  for _ in $(seq 100); do
    [ -n "$(dig ${4:-+norec} +time=1 +tries=1 @127.0.0.1 -p "$1" "$2" "$3" +short 2>/dev/null)" ] && return 0
    sleep 0.05
  done; echo "timeout waiting for $2/$3 on port $1" >&2; return 1
}

trap 'rc=$?; [ $rc -ne 0 ] && { echo "testnet start failed (exit $rc), stopping what was started" >&2; stop; }; exit $rc' EXIT
mkdir -p "$D"/{keys,tld/keys,parent/zones,parent/db,kchild/zones,kchild/db,child/keys,res,sig0}
cd "$D"
soa() { printf '$TTL %s\n@ IN SOA ns1.%s hostmaster.%s 1 3600 600 86400 %s\n' "${2:-60}" "$1" "$1" "${2:-60}"; }
keyrr() { grep -v '^;' "$1.key"; }               # full RR line of a .key file
dsof() { dnssec-dsfromkey -2 "$1.key"; }          # SHA-256 DS RR line

# ---------- keys ----------
kg() { dnssec-keygen -q -K keys -a $ALG "$@"; }
TLD_KSK=keys/$(kg -f KSK -n ZONE test.)
TLD_ZSK=keys/$(kg -n ZONE test.)
OP_KSK=keys/$(kg -f KSK -n ZONE operator.test.)
OP_ZSK=keys/$(kg -n ZONE operator.test.)
PAR_KSK=keys/$(kg -f KSK -n ZONE parent.test.)
PAR_ZSK=keys/$(kg -n ZONE parent.test.)
# SIG(0) keys (KEY RRs) of the children; ED25519 like nsupdate/miekg/Net::DNS all support
SIG0_CHILD=sig0/$(dnssec-keygen -q -K sig0 -T KEY -a ED25519 -n HOST child.parent.test.)
SIG0_NEW=sig0/$(dnssec-keygen -q -K sig0 -T KEY -a ED25519 -n HOST new.parent.test.)
tsig-keygen -a hmac-sha256 upd > upd.tsig.conf
TSIG_SECRET=$(awk -F'"' '/secret/{print $2}' upd.tsig.conf)

# child zones: BIND dnssec-policy keys pre-generated so the DS is known before start
cat > child/policy.conf <<EOF
dnssec-policy "fast" {
  keys { csk lifetime unlimited algorithm $ALG; };
  dnskey-ttl 5; max-zone-ttl 10; publish-safety 0; retire-safety 0;
  zone-propagation-delay 1; parent-ds-ttl 5; parent-propagation-delay 1;
};
dnssec-policy "roll" {
  keys { ksk lifetime unlimited algorithm $ALG; zsk lifetime unlimited algorithm $ALG; };
  dnskey-ttl 5; max-zone-ttl 10; publish-safety 0; retire-safety 0; purge-keys 0;
  zone-propagation-delay 1; parent-ds-ttl 5; parent-propagation-delay 1;
};
EOF
(cd child/keys && dnssec-keygen -q -k fast -l ../policy.conf child.parent.test. >/dev/null \
               && dnssec-keygen -q -k roll -l ../policy.conf roll.parent.test. >/dev/null \
               && dnssec-keygen -q -k fast -l ../policy.conf new.parent.test. >/dev/null \
               && dnssec-keygen -q -k fast -l ../policy.conf bogus.parent.test. >/dev/null)
CHILD_CSK=child/keys/$(cd child/keys && ls Kchild.parent.test.+*.key | head -1 | sed 's/\.key$//')
ROLL_KSK=child/keys/$(cd child/keys && grep -l "DNSKEY 257" Kroll.parent.test.+*.key | head -1 | sed 's/\.key$//')
tsig-keygen -a hmac-sha256 rndc-key > child/rndc.key

# ---------- zone: operator.test (signal names) ----------
{ soa operator.test.; cat <<EOF
@    IN NS ns1.operator.test.
ns1  IN A  127.0.0.1
EOF
  # authenticated SIG(0) KEY signals: _sig0key.{child}._signal.{ns}.
  echo "_sig0key.child.parent.test._signal.ns1 $(keyrr $SIG0_CHILD | cut -d' ' -f2-)"
  echo "_sig0key.new.parent.test._signal.ns1 $(keyrr $SIG0_NEW | cut -d' ' -f2-)"
  keyrr $OP_KSK; keyrr $OP_ZSK
} > child/operator.test.zone
dnssec-signzone -q -o operator.test. -f child/operator.test.signed child/operator.test.zone $OP_KSK $OP_ZSK >/dev/null

# ---------- zone: child.parent.test / new.parent.test (named dnssec-policy, dynamic) ----------
for z in child new bogus roll; do
  { soa $z.parent.test. 5; cat <<EOF
@    IN NS ns1.operator.test.
www  IN A  127.0.0.1
EOF
    case $z in child) keyrr $SIG0_CHILD | sed 's/^child.parent.test./@/';; new) keyrr $SIG0_NEW | sed 's/^new.parent.test./@/';; esac
  } > child/$z.parent.test.db
done

# ---------- zone: parent.test (knot) ----------
{ soa parent.test.; cat <<EOF
@       IN NS ns1.parent.test.
ns1     IN A  127.0.0.1
child   IN NS ns1.operator.test.
new     IN NS ns1.operator.test.
bogus   IN NS ns1.operator.test.
roll    IN NS ns1.operator.test.
knot    IN NS ns1.parent.test.
kchild  IN NS ns1.kchild.parent.test.
ns1.kchild IN A 127.0.0.1
; deliberately wrong DS -> validation of bogus.parent.test. must fail (SERVFAIL)
bogus   IN DS 4711 13 2 0000000000000000000000000000000000000000000000000000000000000001
EOF
  # DSYNC (RFC 9859) in RFC 3597 generic form (knot 3.2 has no DSYNC mnemonic); RDATA = RRtype(16)
  # Scheme(8) Port(16) Target(uncompressed), port = the parent's port (5320 by default):
  #   CDS NOTIFY $P_PARENT ns1.parent.test. / CSYNC NOTIFY $P_PARENT ns1.parent.test. / ANY 2 $P_PARENT ns1.parent.test.
  for tsp in 003b01 003e01 00ff02; do
    printf '_dsync  IN TYPE66 \\# 22 %s%04x036e733106706172656e74047465737400\n' $tsp $P_PARENT
  done
  dsof $CHILD_CSK | sed 's/^child.parent.test./child/'
  dsof $ROLL_KSK | sed 's/^roll.parent.test./roll/'
} > parent/zones/parent.test.zone

{ soa knot.parent.test. 5; cat <<EOF
@    IN NS ns1.parent.test.
www  IN A  127.0.0.1
EOF
} > parent/zones/knot.parent.test.zone

knot_conf() { # dir port [policies]: what every knotd here shares, up to its zone list
  cat <<EOF
server:
  rundir: "$D/$1/db"
  pidfile: "$D/$1/knot.pid"
  listen: 127.0.0.1@$2
  background-workers: 1
  udp-workers: 1
  tcp-workers: 1
log:
  - target: $D/$1/knot.log
    any: info
database:
  storage: "$D/$1/db"
key:
  - id: upd
    algorithm: hmac-sha256
    secret: $TSIG_SECRET
acl:
  - id: upd_tsig
    key: upd
    action: update
policy:
${3:-}  - id: kchild
    algorithm: ecdsap256sha256
    ksk-lifetime: 0
    zsk-lifetime: 0
    dnskey-ttl: 5
    zone-max-ttl: 5
    propagation-delay: 1
    cds-cdnskey-publish: always
template:
  - id: default
    storage: "$D/$1/zones"
    file: "%s.zone"
    zonefile-sync: -1
    zonefile-load: difference-no-serial
    journal-content: all
zone:
EOF
}
IMPORTED_POLICY='  - id: imported
    manual: on
    cds-cdnskey-publish: always
    dnskey-ttl: 60
    zone-max-ttl: 60
'
{ knot_conf parent $P_PARENT "$IMPORTED_POLICY"; cat <<EOF
  - domain: parent.test.
    dnssec-signing: on
    dnssec-policy: imported
    acl: upd_tsig
  - domain: knot.parent.test.
    dnssec-signing: on
    dnssec-policy: kchild
    acl: upd_tsig
EOF
} > parent/knot.conf
keymgr -c parent/knot.conf parent.test. import-bind $PAR_KSK.private >/dev/null
keymgr -c parent/knot.conf parent.test. import-bind $PAR_ZSK.private >/dev/null

# ---------- zone: kchild.parent.test (knotd #2: a Knot child on a server of its own) ----------
{ soa kchild.parent.test. 5; cat <<EOF
@    IN NS ns1.kchild.parent.test.
ns1  IN A  127.0.0.1
www  IN A  127.0.0.1
EOF
} > kchild/zones/kchild.parent.test.zone

{ knot_conf kchild $P_KCHILD; cat <<EOF
  - domain: kchild.parent.test.
    dnssec-signing: on
    dnssec-policy: kchild
    acl: upd_tsig
EOF
} > kchild/knot.conf

# ---------- zone: test. (named #1, offline signed) ----------
{ soa test.; cat <<EOF
@        IN NS ns1.test.
ns1      IN A  127.0.0.1
parent   IN NS ns1.parent.test.
ns1.parent IN A 127.0.0.1
operator IN NS ns1.operator.test.
ns1.operator IN A 127.0.0.1
EOF
  dsof $PAR_KSK | sed 's/^parent.test./parent/'
  dsof $OP_KSK  | sed 's/^operator.test./operator/'
  keyrr $TLD_KSK; keyrr $TLD_ZSK
} > tld/test.zone
dnssec-signzone -q -o test. -f tld/test.signed tld/test.zone $TLD_KSK $TLD_ZSK >/dev/null

named_conf() { # dir port zones...
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
echo 'zone "test." { type primary; file "test.signed"; };' >> tld/named.conf
named_conf child $P_CHILD | sed "s|^controls { };|include \"$D/child/rndc.key\";\ncontrols { inet 127.0.0.1 port $P_RNDC allow { 127.0.0.1; } keys { \"rndc-key\"; }; };|" > child/named.conf
cat child/policy.conf >> child/named.conf
cat >> child/named.conf <<'EOF'
zone "operator.test." { type primary; file "operator.test.signed"; };
zone "child.parent.test." { type primary; file "child.parent.test.db"; dnssec-policy "fast"; inline-signing no;
  update-policy { grant upd zonesub ANY; }; };
zone "new.parent.test." { type primary; file "new.parent.test.db"; dnssec-policy "fast"; inline-signing no;
  update-policy { grant upd zonesub ANY; }; };
zone "bogus.parent.test." { type primary; file "bogus.parent.test.db"; dnssec-policy "fast"; inline-signing yes; };
EOF
cat >> child/named.conf <<EOF
zone "roll.parent.test." { type primary; file "roll.parent.test.db"; dnssec-policy "roll"; inline-signing yes;
  parental-agents { 127.0.0.1 port $P_PARENT; }; };
EOF

# ---------- unbound ----------
dsof $TLD_KSK > res/test.anchor
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
  cache-max-ttl: 5
  cache-max-negative-ttl: 1
  num-threads: 1
remote-control:
  control-enable: yes
  control-interface: "$D/res/unbound.ctl"
  control-use-cert: no
EOF
for z in test.:$P_TLD parent.test.:$P_PARENT kchild.parent.test.:$P_KCHILD child.parent.test.:$P_CHILD new.parent.test.:$P_CHILD bogus.parent.test.:$P_CHILD roll.parent.test.:$P_CHILD knot.parent.test.:$P_PARENT operator.test.:$P_CHILD; do
  printf 'stub-zone:\n  name: "%s"\n  stub-addr: 127.0.0.1@%s\n' "${z%%:*}" "${z##*:}" >> res/unbound.conf
done
named-checkconf tld/named.conf; named-checkconf child/named.conf; knotc -c parent/knot.conf conf-check >/dev/null
knotc -c kchild/knot.conf conf-check >/dev/null
unbound-checkconf res/unbound.conf >/dev/null

# ---------- start ----------
named -c "$D/tld/named.conf"
named -c "$D/child/named.conf"
knotd -c "$D/parent/knot.conf" -d
knotd -c "$D/kchild/knot.conf" -d
unbound -c "$D/res/unbound.conf"
wait_dig $P_TLD test. SOA
wait_dig $P_PARENT parent.test. CDS
wait_dig $P_CHILD child.parent.test. DNSKEY
wait_dig $P_RES child.parent.test. SOA +rec
# the Knot children's keys are made by knotd at start: their DS go into parent.test. now
wait_dig $P_PARENT knot.parent.test. CDS
wait_dig $P_KCHILD kchild.parent.test. CDS
KNOT_CDS=$(dig +norec @127.0.0.1 -p $P_PARENT knot.parent.test. CDS +short | head -1)
KCHILD_CDS=$(dig +norec @127.0.0.1 -p $P_KCHILD kchild.parent.test. CDS +short | head -1)
printf 'server 127.0.0.1 %s\nzone parent.test.\nupdate add knot.parent.test. 60 DS %s\nupdate add kchild.parent.test. 60 DS %s\nsend\n' \
  "$P_PARENT" "$KNOT_CDS" "$KCHILD_CDS" | nsupdate -y "hmac-sha256:upd:$TSIG_SECRET"
cat > env.sh <<EOF
# source me
TN_DIR=$D
TN_RESOLVER=127.0.0.1:$P_RES
TN_TLD=127.0.0.1:$P_TLD
TN_PARENT=127.0.0.1:$P_PARENT
TN_CHILD=127.0.0.1:$P_CHILD
TN_KCHILD=127.0.0.1:$P_KCHILD
TN_TSIG=hmac-sha256:upd:$TSIG_SECRET
TN_TSIG_NAME=upd
TN_TSIG_ALGORITHM=hmac-sha256
TN_TSIG_SECRET=$TSIG_SECRET
TN_TRUST_ANCHOR="$(cat res/test.anchor)"
TN_TRUST_ANCHOR_DNSKEY="$(keyrr $TLD_KSK)"
TN_SIG0_CHILD=$D/$SIG0_CHILD
TN_SIG0_NEW=$D/$SIG0_NEW
# flush resolver state between tests, e.g.: \$TN_UNBOUND_CONTROL flush_zone test.
TN_UNBOUND_CONTROL="unbound-control -c $D/res/unbound.conf"
TN_UNBOUND_CONF=$D/res/unbound.conf
# named #2's control channel, e.g.: \$TN_RNDC dnssec -rollover -key TAG roll.parent.test.
TN_RNDC="rndc -k $D/child/rndc.key -s 127.0.0.1 -p $P_RNDC"
TN_ROLL_KSK=$D/$ROLL_KSK
# knotd's control, e.g.: \$TN_KNOTC zone-key-rollover knot.parent.test. ksk
TN_KNOTC="knotc -c $D/parent/knot.conf"
# knotd #2's control (kchild.parent.test.), e.g.: \$TN_KNOTC_KCHILD zone-status kchild.parent.test.
TN_KNOTC_KCHILD="knotc -c $D/kchild/knot.conf"
EOF
echo "testnet up in $D"
