#!/usr/bin/env bash
# Load and abuse test of 'hallmark ledger serve' and 'hallmark serve' on 127.0.0.1 only, bounded in
# time. Needs wrk (Debian: apt-get install wrk) and python3. Usage: scripts/reliability/load.sh [SECONDS]
# Prints one line per scenario; the table in docs/RELIABILITY.md was made with it.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
secs="${1:-20}"
work="$(mktemp -d)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
export HALLMARK_HOME="$work/home"
hm() { "$root/hallmark" "$@"; }
command -v wrk >/dev/null || { echo "load.sh: wrk is missing (apt-get install wrk)" >&2; exit 2; }

hm keys new --type signing --name log-key >/dev/null
hm keys new --type signing --name producer >/dev/null
hm keys new --type watermark --name gen >/dev/null
hm ledger init --dir "$work/ledger" --origin load.example/log --signing-key log-key > "$work/log.vkey"
for i in $(seq 1 50); do
  printf '{"kind":"text","contentSha256":"%064x","model":"load"}\n' "$i"
done > "$work/records.jsonl"
hm ledger add --dir "$work/ledger" --signing-key producer - < "$work/records.jsonl" >/dev/null
sha=$(printf '%064x' 7)

export TOKEN="load-test-token-0123456789"
hm ledger serve --dir "$work/ledger" --port 0 --token-env TOKEN --port-file "$work/ledger.port" 2>"$work/ledger.err" &
pids+=($!)
for _ in $(seq 1 600); do [ -s "$work/ledger.port" ] && break; sleep 0.1; done
lp=$(cat "$work/ledger.port")
echo "ledger serve on 127.0.0.1:$lp"

echo "== wrk GET /checkpoint (4 threads, 64 connections, ${secs}s)"
wrk -t4 -c64 -d"${secs}s" --latency "http://127.0.0.1:$lp/checkpoint" | grep -E "Requests/sec|50%|99%|Non-2xx|Socket errors|requests in"
echo "== wrk GET /prove?sha256=... (4 threads, 32 connections, ${secs}s)"
wrk -t4 -c32 -d"${secs}s" --latency "http://127.0.0.1:$lp/prove?sha256=$sha" | grep -E "Requests/sec|50%|99%|Non-2xx|Socket errors|requests in"
echo "== wrk GET /tile/0/000.p/50"
wrk -t2 -c16 -d"$((secs / 2))s" --latency "http://127.0.0.1:$lp/tile/0/000.p/50" | grep -E "Requests/sec|50%|99%|Non-2xx|Socket errors"

echo "== concurrent writers: 8 x 50 POST /add with the token"
seq 1 8 | xargs -P 8 -I{} sh -c 'i={}; for j in $(seq 1 50); do
  printf "{\"kind\":\"text\",\"contentSha256\":\"%064x\",\"model\":\"w$i\"}" $((i * 1000 + j)) > "'"$work"'/w$i.json"
  curl -s -o /dev/null -w "%{http_code}\n" -H "Authorization: Bearer $TOKEN" --data-binary @"'"$work"'/w$i.json" "http://127.0.0.1:'"$lp"'/add"; done' \
  > "$work/writers.txt" || true
echo "   status counts: $(sort "$work/writers.txt" | uniq -c | tr '\n' ' ')"
echo "   (records are producer-signed; unsigned ones are refused 400: the point is no 5xx and no hang)"

echo "== abuse: bad token, no token, oversized body, path traversal"
printf '   bad token -> %s\n' "$(curl -s -o /dev/null -w '%{http_code}' -H 'Authorization: Bearer wrong-wrong-wrong-wrong' --data x "http://127.0.0.1:$lp/add")"
printf '   no token  -> %s\n' "$(curl -s -o /dev/null -w '%{http_code}' --data x "http://127.0.0.1:$lp/add")"
head -c $((9 << 20)) /dev/zero > "$work/big.bin"
printf '   9 MiB body -> %s\n' "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOKEN" --data-binary @"$work/big.bin" "http://127.0.0.1:$lp/add")"
for p in '/tile/../.hallmark-ledger/ledger.json' '/tile/%2e%2e/%2e%2e/etc/passwd' '/../../etc/passwd' '/tile/0/../../checkpoint'; do
  printf '   %s -> %s\n' "$p" "$(curl -s --path-as-is -o /dev/null -w '%{http_code}' "http://127.0.0.1:$lp$p")"
done
printf '   X-Content-Type-Options: %s\n' "$(curl -s -D - -o /dev/null "http://127.0.0.1:$lp/checkpoint" | grep -i x-content-type-options | tr -d '\r')"

echo "== slowloris against ledger serve: 40 connections, one header line every 5 s"
python3 "$root/scripts/reliability/slowloris.py" "$lp" /checkpoint 40 5 "$((secs + 15))" | tail -1
