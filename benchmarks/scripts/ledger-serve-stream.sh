#!/bin/sh
# Streamed `POST /add` end to end (issue #20): N producer-signed JSONL records piped through curl into
# `hallmark ledger serve` (signature checked by the server, one acknowledgement line per record), beside
# `hallmark ledger add -` of the same signed records into a local log (signature checked too, no
# signing), on the same machine in the same run. Prints wall time, records/s and the server's CPU.
#
#   benchmarks/scripts/ledger-serve-stream.sh HALLMARK_JAR BENCHMARKS_JAR N [WORKDIR] [JAVA_OPTS]
#
# e.g. benchmarks/scripts/ledger-serve-stream.sh cli/target/hallmark.jar benchmarks/target/benchmarks.jar 100000 /tmp/stream -Xmx256m
set -eu
JAR=$1
BJAR=$2
N=$3
W=${4:-/tmp/hallmark-ledger-serve-stream}
OPTS=${5:--Xmx256m}
mkdir -p "$W"
IN="$W/$N.signed.jsonl"
[ -f "$IN" ] || java -cp "$BJAR" dev.hallmark.benchmarks.ledger.LedgerAddInput "$N" --signed > "$IN"
export HALLMARK_HOME="$W/home"
[ -f "$HALLMARK_HOME/keys/log.signing.pem" ] || java -jar "$JAR" keys new --type signing --name log >/dev/null
TOKEN=$(head -c 18 /dev/urandom | base64)
export TOKEN
echo "# $(date -u +%T) records=$N opts=$OPTS load=$(cut -d' ' -f1-3 /proc/loadavg) jar=$JAR"
for round in 1 2; do
  # local: ledger add - of the signed records (the producer's signature is checked, nothing signed)
  rm -rf "$W/local"
  java -jar "$JAR" ledger init --dir "$W/local" --origin bench.example/local --signing-key log >/dev/null 2>&1
  /usr/bin/time -f "wall_s=%e cpu_s=%U+%S" -o "$W/time.txt" java $OPTS -jar "$JAR" ledger add --dir "$W/local" - < "$IN" > "$W/acks-local.txt" 2>/dev/null
  echo "local ledger add -:  $(cat "$W/time.txt") acks=$(wc -l < "$W/acks-local.txt")" \
    "records_per_s=$(awk -v n="$N" -F'[= ]' '{printf "%.0f", n / $2}' "$W/time.txt")"
  # served: ledger serve + curl -T - with Accept: application/x-ndjson
  rm -rf "$W/served" "$W/port"
  java -jar "$JAR" ledger init --dir "$W/served" --origin bench.example/served --signing-key log >/dev/null 2>&1
  # shellcheck disable=SC2086
  java $OPTS -jar "$JAR" ledger serve --dir "$W/served" --port 0 --port-file "$W/port" --token-env TOKEN 2> "$W/serve.err" &
  SPID=$!
  i=0
  while [ ! -s "$W/port" ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
  PORT=$(cat "$W/port")
  CPU0=$(awk '{print $14 + $15}' "/proc/$SPID/stat")
  S=$(date +%s.%N)
  curl -sS -N -T - -X POST -H 'Accept: application/x-ndjson' -H "Authorization: Bearer $TOKEN" \
    "http://127.0.0.1:$PORT/add" < "$IN" > "$W/acks-served.txt"
  E=$(date +%s.%N)
  CPU1=$(awk '{print $14 + $15}' "/proc/$SPID/stat")
  kill "$SPID" && wait "$SPID" 2>/dev/null || true
  TICKS=$(getconf CLK_TCK)
  echo "served POST /add:    wall_s=$(echo "$E - $S" | bc) server_cpu_s=$(echo "scale=2; ($CPU1 - $CPU0) / $TICKS" | bc)" \
    "acks=$(grep -c '"index"' "$W/acks-served.txt") last=$(tail -1 "$W/acks-served.txt")" \
    "records_per_s=$(echo "$N / ($E - $S)" | bc)"
done
