#!/usr/bin/env bash
# Make tls_sessions.pcap + tls_sessions.keylog + tls_sessions.sha256: four
# OpenSSL sessions (TLS 1.2 and 1.3, AES-128-GCM and AES-256-GCM), each
# sending a random message both ways, captured on the loopback interface
# with its MTU set to 1500 (MSS 1448: records span segments). Needs root,
# openssl and tcpdump. The committed files were made with this script; the
# replay test (testbench/tests/replay_capture.rs) checks them.
set -euo pipefail
cd "$(dirname "$0")"
work=$(mktemp -d)
trap 'rm -rf "$work"; ip link set dev lo mtu "$oldmtu" 2>/dev/null || true' EXIT
oldmtu=$(cat /sys/class/net/lo/mtu)
ip link set dev lo mtu 1500
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$work/key.pem" -out "$work/cert.pem" -days 2 -subj /CN=localhost 2>/dev/null
rm -f tls_sessions.keylog tls_sessions.sha256
tcpdump -i lo -w "$work/s.pcap" -s 0 -U 'tcp portrange 44400-44410' >/dev/null 2>&1 &
td=$!
sleep 1
port=44400
for s in "tls1_2 ECDHE-RSA-AES128-GCM-SHA256" "tls1_2 ECDHE-RSA-AES256-GCM-SHA384" \
         "tls1_3 TLS_AES_128_GCM_SHA256" "tls1_3 TLS_AES_256_GCM_SHA384"; do
    set -- $s
    if [ "$1" = tls1_3 ]; then c="-ciphersuites $2"; else c="-cipher $2"; fi
    head -c $((20000 + RANDOM)) /dev/urandom > "$work/c2s"
    head -c $((10000 + RANDOM)) /dev/urandom > "$work/s2c"
    (cat "$work/s2c"; sleep 4) | timeout 8 openssl s_server -accept $port -cert "$work/cert.pem" \
        -key "$work/key.pem" -"$1" $c -naccept 1 -quiet > "$work/srv.out" 2>/dev/null &
    sleep 1
    (cat "$work/c2s"; sleep 2) | timeout 5 openssl s_client -connect 127.0.0.1:$port -"$1" $c \
        -keylogfile "$work/kl" -quiet > "$work/cli.out" 2>/dev/null || true
    sleep 3
    cmp "$work/c2s" "$work/srv.out"
    cmp "$work/s2c" "$work/cli.out"
    echo "$1 $2 127.0.0.1:$port client->server $(sha256sum < "$work/c2s" | cut -d' ' -f1)" >> tls_sessions.sha256
    echo "$1 $2 127.0.0.1:$port server->client $(sha256sum < "$work/s2c" | cut -d' ' -f1)" >> tls_sessions.sha256
    port=$((port + 1))
done
sleep 1
kill -INT $td
wait $td || true
cp "$work/s.pcap" tls_sessions.pcap
cp "$work/kl" tls_sessions.keylog
echo "made tls_sessions.pcap ($(stat -c %s tls_sessions.pcap) bytes), tls_sessions.keylog, tls_sessions.sha256"
