#!/bin/sh
# End to end `hallmark ledger add -` of N JSONL records (issue #20): a fresh log, the records signed by
# the command (--signing-key), wall time and CPU from /usr/bin/time, and the process's memory sampled
# every 0.2 s from /proc (peak RssAnon = heap and other private memory; peak RssFile = mapped files,
# i.e. the page cache of the Lucene index files the process reads; VmHWM = peak RSS, both).
#
#   benchmarks/scripts/ledger-add-e2e.sh HALLMARK_JAR BENCHMARKS_JAR N [WORKDIR] [JAVA_OPTS]
#
# e.g. benchmarks/scripts/ledger-add-e2e.sh cli/target/hallmark.jar benchmarks/target/benchmarks.jar 100000 /tmp/e2e -Xmx256m
# Run it under the machine's timing lock where one exists (flock /work/timing.lock ...).
set -eu
JAR=$1
BJAR=$2
N=$3
W=${4:-/tmp/hallmark-ledger-add-e2e}
OPTS=${5:--Xmx256m}
mkdir -p "$W"
IN="$W/$N.jsonl"
[ -f "$IN" ] || java -cp "$BJAR" dev.hallmark.benchmarks.ledger.LedgerAddInput "$N" > "$IN"
export HALLMARK_HOME="$W/home"
if [ ! -f "$HALLMARK_HOME/keys/producer.signing.pem" ]; then
  java -jar "$JAR" keys new --type signing --name producer >/dev/null
  java -jar "$JAR" keys new --type signing --name log >/dev/null
fi
rm -rf "$W/log"
java -jar "$JAR" ledger init --dir "$W/log" --origin bench.example/e2e --signing-key log >/dev/null 2>&1
echo "# $(date -u +%T) records=$N opts=$OPTS load=$(cut -d' ' -f1-3 /proc/loadavg) jar=$JAR"
# shellcheck disable=SC2086
/usr/bin/time -f "wall_s=%e user_s=%U sys_s=%S max_rss_kib=%M exit=%x" java $OPTS -jar "$JAR" ledger add --dir "$W/log" \
  --signing-key producer - < "$IN" > "$W/acks.txt" 2> "$W/stderr.txt" &
TPID=$!
sleep 0.3
JPID=$(pgrep -P "$TPID" java || true)
PEAK_ANON=0
PEAK_FILE=0
while kill -0 "$TPID" 2>/dev/null; do
  if [ -n "$JPID" ] && [ -r "/proc/$JPID/status" ]; then
    A=$(awk '/^RssAnon/ {print $2}' "/proc/$JPID/status" 2>/dev/null || echo 0)
    F=$(awk '/^RssFile/ {print $2}' "/proc/$JPID/status" 2>/dev/null || echo 0)
    [ -n "$A" ] && [ "$A" -gt "$PEAK_ANON" ] && PEAK_ANON=$A
    [ -n "$F" ] && [ "$F" -gt "$PEAK_FILE" ] && PEAK_FILE=$F
  fi
  sleep 0.2
done
wait "$TPID" || true
tail -1 "$W/stderr.txt" | grep -v '^wall_s' || true
T=$(grep '^wall_s' "$W/stderr.txt")
ACKS=$(wc -l < "$W/acks.txt")
echo "$T acks=$ACKS peak_rss_anon_mib=$((PEAK_ANON / 1024)) peak_rss_file_mib=$((PEAK_FILE / 1024)) load_after=$(cut -d' ' -f1-3 /proc/loadavg)"
echo "$T" | awk -v n="$N" '{split($1,w,"="); split($2,u,"="); split($3,s,"="); printf "records_per_s=%.0f cpu_us_per_record=%.0f\n", n / w[2], (u[2] + s[2]) * 1e6 / n}'
