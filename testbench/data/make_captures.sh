#!/usr/bin/env bash
# Make tls_sessions.pcap + tls_sessions.keylog + tls_sessions.sha256: six
# OpenSSL sessions (openssl s_server / s_client), each sending a random
# message both ways, captured with tcpdump in a private network namespace
# whose loopback has MTU 1500 and TSO/GSO/GRO off, so that every frame is a
# real MSS-1448 segment (on the default loopback the kernel hands tcpdump
# 16-64 KB super-segments):
#   TLS 1.2 AES-128-GCM, TLS 1.2 AES-256-GCM, TLS 1.3 AES-128-GCM,
#   TLS 1.3 AES-256-GCM (16 KB records: records span segments),
#   TLS 1.3 AES-128-GCM over IPv6,
#   TLS 1.2 AES-256-GCM with 512-byte records (several records a segment).
# Needs root, iproute2, ethtool, openssl and tcpdump. The committed files
# were made with this script; the replay test
# (testbench/tests/replay_capture.rs) checks them.
set -euo pipefail
cd "$(dirname "$0")"
if [ "${1:-}" != --inside ]; then
    ns="tlsnic-cap-$$"
    ip netns add "$ns"
    trap 'ip netns del "$ns"' EXIT
    ip netns exec "$ns" ip link set lo up
    ip netns exec "$ns" ip link set lo mtu 1500
    ip netns exec "$ns" ethtool -K lo tso off gso off gro off >/dev/null
    ip netns exec "$ns" "$0" --inside
    exit
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$work/key.pem" -out "$work/cert.pem" -days 2 -subj /CN=localhost 2>/dev/null
rm -f tls_sessions.keylog tls_sessions.sha256
tcpdump -i lo -w "$work/s.pcap" -s 0 -U 'tcp portrange 44400-44410' >/dev/null 2>&1 &
td=$!
sleep 1
port=44400
for s in "tls1_2 ECDHE-RSA-AES128-GCM-SHA256 127.0.0.1 16384" \
         "tls1_2 ECDHE-RSA-AES256-GCM-SHA384 127.0.0.1 16384" \
         "tls1_3 TLS_AES_128_GCM_SHA256 127.0.0.1 16384" \
         "tls1_3 TLS_AES_256_GCM_SHA384 127.0.0.1 16384" \
         "tls1_3 TLS_AES_128_GCM_SHA256 ::1 16384" \
         "tls1_2 ECDHE-RSA-AES256-GCM-SHA384 127.0.0.1 512"; do
    set -- $s
    if [ "$1" = tls1_3 ]; then c="-ciphersuites $2"; else c="-cipher $2"; fi
    if [ "$3" = ::1 ]; then addr="[::1]:$port"; acc="[::1]:$port"; else addr="$3:$port"; acc="$port"; fi
    head -c $((30000 + RANDOM)) /dev/urandom > "$work/c2s"
    head -c $((20000 + RANDOM)) /dev/urandom > "$work/s2c"
    (cat "$work/s2c"; sleep 4) | timeout 8 openssl s_server -accept "$acc" -cert "$work/cert.pem" \
        -key "$work/key.pem" -"$1" $c -max_send_frag "$4" -naccept 1 -quiet > "$work/srv.out" 2>/dev/null &
    sleep 1
    (cat "$work/c2s"; sleep 2) | timeout 5 openssl s_client -connect "$addr" -"$1" $c \
        -max_send_frag "$4" -keylogfile "$work/kl" -quiet > "$work/cli.out" 2>/dev/null || true
    sleep 3
    cmp "$work/c2s" "$work/srv.out"
    cmp "$work/s2c" "$work/cli.out"
    echo "$1 $2 $addr client->server $(sha256sum < "$work/c2s" | cut -d' ' -f1)" >> tls_sessions.sha256
    echo "$1 $2 $addr server->client $(sha256sum < "$work/s2c" | cut -d' ' -f1)" >> tls_sessions.sha256
    port=$((port + 1))
done
sleep 1
kill -INT $td
wait $td || true
cp "$work/s.pcap" tls_sessions.pcap
cp "$work/kl" tls_sessions.keylog
echo "made tls_sessions.pcap ($(stat -c %s tls_sessions.pcap) bytes), tls_sessions.keylog, tls_sessions.sha256"
