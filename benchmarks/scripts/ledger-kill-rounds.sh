#!/bin/sh
# Kill -9 rounds of a streaming `hallmark ledger add -` (issue #20): each round a child process reads
# records from a pipe that stays open and acknowledges them as they become durable; it is killed with
# SIGKILL at a random moment; the same input is then run again and must answer every acknowledged
# record with the index it was acknowledged with, add nothing twice, and leave a log that verifies.
# The build runs 3 rounds (AddStreamKillTest); this runs ROUNDS (default 100) and keeps the log.
# A round waits up to FIRST_ACK_SECONDS (default 1800) for the child's first acknowledgement: on a
# shared, loaded machine a JVM start can take minutes, and that liveness limit is not what is tested.
#
#   benchmarks/scripts/ledger-kill-rounds.sh [ROUNDS] [SEED]
set -eu
cd "$(dirname "$0")/../.."
ROUNDS=${1:-100}
SEED=${2:-20261203}
FIRST_ACK_SECONDS=${FIRST_ACK_SECONDS:-1800}
LOG=benchmarks/scripts/ledger-kill-rounds.log
echo "# $(date -u +%FT%TZ) rounds=$ROUNDS seed=$SEED commit=$(git rev-parse --short HEAD) load=$(cut -d' ' -f1-3 /proc/loadavg)" | tee "$LOG"
nice -n 10 ./mvnw -B -o -pl cli -am test -Dtest=AddStreamKillTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dhallmark.killRounds="$ROUNDS" -Dhallmark.test.seed="$SEED" -Dhallmark.killFirstAckSeconds="$FIRST_ACK_SECONDS" 2>&1 | grep --line-buffered -E "AddStreamKillTest|Tests run:|FAIL|ERROR\]" | tee -a "$LOG"
echo "# $(date -u +%FT%TZ) done load=$(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$LOG"
