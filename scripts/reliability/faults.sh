#!/usr/bin/env bash
# Fault injection against ledger appends through the CLI: kill -9 at random moments, I/O errors and
# delays injected with strace (fsync/fdatasync EIO, write ENOSPC, rename EIO, fsync delay), and a
# real full disk (a small tmpfs; needs permission to mount). After every fault the ledger must
# reopen, 'ledger verify' must pass, and every entry the CLI acknowledged (printed) must be in it.
# Usage: scripts/reliability/faults.sh [KILL_ROUNDS=100]   (FAULTS_KILL_ONLY=1: only the kills;
# FAULTS_SKIP_STRACE=1: no strace cases; KILL_ROUNDS=0: no kills)
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
acked_rounds=0
next=1
for r in $(seq 1 "$rounds"); do
  records 20 "$next" > "$work/in.jsonl"
  next=$((next + 20))
  java -jar "$jar" ledger add --dir "$work/k" --signing-key producer - < "$work/in.jsonl" > "$work/acks" 2>/dev/null &
  pid=$!
  if [ $((r % 2)) -eq 1 ]; then
    # Odd rounds: kill at a random moment of start-up or appending (JVM start takes 1-2 s or more).
    sleep "$(( RANDOM % 4 )).$(( RANDOM % 10 ))"
  else
    # Even rounds: wait for the first acknowledgement, then kill 0-0.5 s later, so that acknowledged
    # entries are really at stake (on a loaded machine start-up can outlast any fixed delay).
    for _ in $(seq 1 600); do
      [ -s "$work/acks" ] && break
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    sleep "0.$(( RANDOM % 6 ))"
  fi
  kill -9 "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  got=$(grep -c . "$work/acks")
  [ "$got" -gt 0 ] && acked_rounds=$((acked_rounds + 1))
  acked=$((acked + got))
  check "$work/k" "$acked" "kill round $r"
done
echo "   $rounds rounds ($acked_rounds killed after at least one acknowledgement), $acked entries acknowledged before the kills, all present; failures so far: $fail"
[ "${FAULTS_KILL_ONLY:-0}" = 1 ] && { echo "faults.sh: $fail failures"; [ "$fail" -eq 0 ]; exit; }

# One fault-injection case through the CLI on a fresh log: 'ledger add' of 50 records under strace,
# then 'ledger checkpoint' (integrates what the write-ahead log holds) and 'ledger verify'. One table row:
# exit code, the CLI's one-line error, the tree size after, acknowledged entries lost, and entries that
# appeared although the CLI said they were not appended (allowed only when it said "may or may not").
row() { printf '| %s | %s | %s | %s | %s | %s | %s | %s |\n' "$@"; }
inject() { # label strace-args...
  local label="$1"; shift
  local d="$work/s$RANDOM"
  hm ledger init --dir "$d" --origin faults.example/strace --signing-key log-key >/dev/null
  records 50 1 > "$work/in.jsonl"
  local args=("${@//@WAL@/$d/.hallmark-ledger/wal}")
  strace -f -qq -o /dev/null "${args[@]}" \
    java -jar "$jar" ledger add --dir "$d" --signing-key producer - < "$work/in.jsonl" > "$work/acks" 2> "$work/err"
  local code=$?
  local n maxidx said size vcode verdict lost appeared
  n=$(grep -c . "$work/acks")
  maxidx=$(cut -f1 "$work/acks" | sort -n | tail -1)
  said=$(grep -m1 '^hallmark:' "$work/err" | cut -c1-150 | tr '|' '/')
  [ -z "$said" ] && said="(nothing on stderr)"
  size=$(hm ledger checkpoint --dir "$d" 2>"$work/cp.err" | sed -n 2p)
  if hm ledger verify --dir "$d" --no-remember >/dev/null 2>"$work/verify.err"; then vcode="passes (size ${size:-?})"; else vcode="FAILS: $(head -1 "$work/verify.err")"; fi
  lost=no; appeared=no; verdict=PASS
  if [ -z "$size" ]; then lost="? (checkpoint: $(head -1 "$work/cp.err"))"; verdict=FAIL
  elif [ "$n" -gt 0 ] && { [ "$size" -lt "$n" ] || [ "$maxidx" -ge "$size" ]; }; then lost="YES"; verdict=FAIL
  elif [ "$size" -gt "$n" ]; then
    appeared="$((size - n)) unacknowledged"
    # Entries the CLI did not acknowledge may be in the log only if it said they may be.
    if ! grep -q "may or may not" "$work/err"; then verdict=FAIL; appeared="$appeared (NOT announced)"; else appeared="$appeared (announced as may-or-may-not)"; fi
  fi
  case "$vcode" in FAILS*) verdict=FAIL ;; esac
  if [ "$code" -ne 0 ] && [ -z "$(grep -m1 '^hallmark:' "$work/err")" ]; then verdict=FAIL; fi
  if [ "$code" -eq 4 ]; then verdict=FAIL; fi
  [ "$verdict" = FAIL ] && fail=$((fail + 1))
  row "$label" "$code" "$said" "$vcode" "$n" "${size:-?}" "$lost" "$appeared / $verdict"
}
if [ "${FAULTS_SKIP_STRACE:-0}" != 1 ]; then
echo "== strace fault injection on 'ledger add' of 50 records (then 'ledger checkpoint' and 'ledger verify')"
row "case" "exit" "CLI said" "ledger verify after" "acked" "entries after" "acked lost" "failed ones appeared / verdict"
row "---" "---" "---" "---" "---" "---" "---" "---"
inject "WAL fdatasync EIO (1st)" -P @WAL@ -e trace=fdatasync -e inject=fdatasync:error=EIO:when=1
inject "WAL write ENOSPC (1st)" -P @WAL@ -e trace=write,pwrite64 -e inject=write,pwrite64:error=ENOSPC:when=1
inject "WAL fdatasync EIO + rollback ftruncate EIO" -P @WAL@ -e trace=fdatasync,ftruncate -e inject=fdatasync,ftruncate:error=EIO
inject "fsync EIO (1st, any file)" -e trace=fsync -e inject=fsync:error=EIO:when=1
inject "fsync EIO (3rd, any file)" -e trace=fsync -e inject=fsync:error=EIO:when=3
inject "every fsync EIO" -e trace=fsync -e inject=fsync:error=EIO
inject "rename EIO (all)" -e trace=rename,renameat,renameat2 -e inject=rename,renameat,renameat2:error=EIO
inject "write ENOSPC (200th on, any file)" -e trace=write,pwrite64 -e inject=write,pwrite64:error=ENOSPC:when=200+
inject "fsync + fdatasync delay 0.3 s" -e trace=fsync,fdatasync -e inject=fsync,fdatasync:delay_enter=300000
fi

echo "== full disk (tmpfs of 2 MiB)"
mkdir -p "$work/full"
if mount -t tmpfs -o size=2m tmpfs "$work/full" 2>/dev/null; then
  hm ledger init --dir "$work/full/l" --origin faults.example/full --signing-key log-key >/dev/null
  records 20000 1 > "$work/in.jsonl"
  java -jar "$jar" ledger add --dir "$work/full/l" --signing-key producer - < "$work/in.jsonl" > "$work/acks" 2> "$work/err"
  code=$?
  n=$(grep -c . "$work/acks")
  echo "   ledger add: exit $code after $n acknowledged; stderr: $(grep -m1 hallmark: "$work/err" || echo '(none)')"
  # Still full: 'ledger checkpoint' must print the current checkpoint (nothing to integrate) or fail
  # cleanly saying the previous one stays valid; never a half-written checkpoint.
  dd if=/dev/zero of="$work/full/filler" bs=4k 2>/dev/null
  hm ledger checkpoint --dir "$work/full/l" > "$work/cp.out" 2> "$work/cp.err"
  code=$?
  echo "   ledger checkpoint on the full disk: exit $code, $(sed -n 2p "$work/cp.out" | sed 's/^/size /')$(grep -m1 hallmark: "$work/cp.err")"
  if [ "$code" -ne 0 ] && ! grep -q "stays valid\|still valid" "$work/cp.err"; then
    echo "FAIL full disk: 'ledger checkpoint' failed without saying the previous checkpoint stays valid"; fail=$((fail + 1))
  fi
  if hm ledger verify --dir "$work/full/l" --no-remember >/dev/null 2>"$work/verify.err"; then
    echo "   ledger verify on the full disk: passes (the previous checkpoint is intact)"
  else
    echo "FAIL full disk: ledger verify: $(head -1 "$work/verify.err")"; fail=$((fail + 1))
  fi
  # The operator adds space (the write-ahead log itself may fill the disk, so deleting the filler is
  # not enough): grow the tmpfs. Then every acknowledged entry must go into the next checkpoint.
  rm -f "$work/full/filler"
  mount -o remount,size=64m "$work/full"
  check "$work/full/l" "$n" "full disk (space added)"
  echo "   after adding space: log verifies, $(hm ledger checkpoint --dir "$work/full/l" | sed -n 2p) entries, $n acknowledged"
else
  echo "   SKIPPED: cannot mount a tmpfs here (needs CAP_SYS_ADMIN)"
fi
echo "faults.sh: $fail failures"
[ "$fail" -eq 0 ]
