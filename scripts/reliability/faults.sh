#!/usr/bin/env bash
# Fault injection against ledger appends through the CLI: kill -9 at random moments, I/O errors and
# delays injected with strace (fsync/fdatasync EIO, write ENOSPC, rename EIO, fsync delay), and a
# real full disk (a small tmpfs; needs permission to mount). After every fault the ledger must
# reopen, 'ledger verify' must pass, and every entry the CLI acknowledged (printed) must be in it.
# Usage: scripts/reliability/faults.sh [KILL_ROUNDS=100]
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
rounds="${1:-100}"
work="$(mktemp -d)"
trap 'umount "$work/full" 2>/dev/null; rm -rf "$work"' EXIT
export HALLMARK_HOME="$work/home"
hm() { "$root/hallmark" "$@"; }
hm keys new --type signing --name log-key >/dev/null
hm keys new --type signing --name producer >/dev/null
jar="$root/cli/target/hallmark.jar"
fail=0

records() { # N records with distinct hashes starting at $2
  for i in $(seq "$2" $(( $2 + $1 - 1 ))); do printf '{"kind":"text","contentSha256":"%064x","model":"fault"}\n' "$i"; done
}

check() { # dir acked_count label
  local size
  if ! hm ledger verify --dir "$1" --no-remember >/dev/null 2>"$work/verify.err"; then
    echo "FAIL $3: ledger verify: $(head -1 "$work/verify.err")"; fail=$((fail + 1)); return
  fi
  size=$(hm ledger checkpoint --dir "$1" 2>"$work/cp.err" | sed -n 2p)
  if [ -z "$size" ]; then
    echo "FAIL $3: ledger checkpoint: $(head -1 "$work/cp.err")"; fail=$((fail + 1)); return
  fi
  if [ "$size" -lt "$2" ]; then
    echo "FAIL $3: $2 entries acknowledged but the log holds $size"; fail=$((fail + 1)); return
  fi
}

echo "== kill -9 during 'ledger add', $rounds rounds"
hm ledger init --dir "$work/k" --origin faults.example/kill --signing-key log-key >/dev/null
acked=0
next=1
for r in $(seq 1 "$rounds"); do
  records 20 "$next" > "$work/in.jsonl"
  next=$((next + 20))
  java -jar "$jar" ledger add --dir "$work/k" --signing-key producer - < "$work/in.jsonl" > "$work/acks" 2>/dev/null &
  pid=$!
  # JVM start-up takes 1-2 s: kill anywhere from before the first append to after the acknowledgement
  sleep "$(( RANDOM % 4 )).$(( RANDOM % 10 ))"
  kill -9 "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  acked=$((acked + $(wc -l < "$work/acks")))
  check "$work/k" "$acked" "kill round $r"
done
echo "   $rounds rounds, $acked entries acknowledged before the kills, failures so far: $fail"
[ "${FAULTS_KILL_ONLY:-0}" = 1 ] && { echo "faults.sh: $fail failures"; [ "$fail" -eq 0 ]; exit; }

inject() { # label strace-inject-spec
  local d="$work/s$RANDOM"
  hm ledger init --dir "$d" --origin faults.example/strace --signing-key log-key >/dev/null
  records 50 1 > "$work/in.jsonl"
  strace -f -qq -o /dev/null -e trace="${2%%:*}" -e inject="$2" \
    java -jar "$jar" ledger add --dir "$d" --signing-key producer - < "$work/in.jsonl" > "$work/acks" 2> "$work/err"
  local code=$?
  local n; n=$(wc -l < "$work/acks")
  check "$d" "$n" "$1"
  printf '   %-28s exit %s, %s acknowledged, stderr: %s\n' "$1" "$code" "$n" "$(grep -m1 hallmark: "$work/err" || echo '(none)')"
}
echo "== strace fault injection (each case: then reopen, verify, acknowledged entries present)"
inject "fsync EIO (3rd call)" "fsync:error=EIO:when=3"
inject "fdatasync EIO (2nd call)" "fdatasync:error=EIO:when=2"
inject "write ENOSPC (from 200th)" "write:error=ENOSPC:when=200+"
inject "rename EIO" "rename:error=EIO"
inject "fsync delay 0.3 s" "fsync:delay_enter=300000"

echo "== full disk (tmpfs of 1 MiB)"
mkdir -p "$work/full"
if mount -t tmpfs -o size=1m tmpfs "$work/full" 2>/dev/null; then
  hm ledger init --dir "$work/full/l" --origin faults.example/full --signing-key log-key >/dev/null
  records 20000 1 > "$work/in.jsonl"
  java -jar "$jar" ledger add --dir "$work/full/l" --signing-key producer - < "$work/in.jsonl" > "$work/acks" 2> "$work/err"
  code=$?
  n=$(wc -l < "$work/acks")
  echo "   exit $code after $n acknowledged; stderr: $(grep -m1 hallmark: "$work/err" || echo '(none)')"
  check "$work/full/l" "$n" "full disk"
else
  echo "   SKIPPED: cannot mount a tmpfs here (needs CAP_SYS_ADMIN)"
fi
echo "faults.sh: $fail failures"
[ "$fail" -eq 0 ]
