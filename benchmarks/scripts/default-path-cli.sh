#!/usr/bin/env bash
# Issue #14's rows measured the way a user meets them: through ./hallmark itself, with fresh keys
# made by `hallmark keys new`, samples made by `hallmark text generate`, and `hallmark text detect
# --jsonl` and `hallmark clean` with no options but --alpha. Every count is a number of lines of the
# commands' own output (or clean's report.json), so nothing here re-implements detection.
#
#   benchmarks/scripts/default-path-cli.sh [N] [SEED] [TEXTDIR]
#
# N samples of 200 tokens per row (default 500), generation seed SEED (default 14000), TEXTDIR the
# human text the word edits draw from (default ../shared/testdata/text; the script stops when it is
# absent). Needs the benchmark jar (./mvnw -B -Pbench -pl benchmarks -am package -DskipTests).
#
# Two keyrings, each in its own HOME:
#   kgw2:        k1 and k2, two `keys new --type watermark` (both kgw, the default scheme)
#   kgw+unigram: k1 (the same key file, copied) and u1 (`--scheme unigram`)
# Columns, per row:
#   own     the scheme's own whole-text detector, one key: text detect --key K --no-windows
#   named   the scheme named and windows off, every key:   text detect --scheme S --no-windows
#   default text detect with no options (every key, its own scheme, windows on)
#   clean   hallmark clean with no options (its --alpha set to the row's alpha)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
n="${1:-500}"
seed="${2:-14000}"
text="${3:-$root/../shared/testdata/text}"
jar="$root/benchmarks/target/benchmarks.jar"
hm="$root/hallmark"
if [ ! -d "$text" ]; then
  echo "default-path-cli: $text is absent: pass a folder of human text (moby-dick/ and sotu/, as ../shared/testdata/text)" >&2
  exit 2
fi
if [ ! -f "$jar" ]; then
  echo "default-path-cli: $jar is missing: run ./mvnw -B -Pbench -pl benchmarks -am package -DskipTests" >&2
  exit 2
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
homeA="$work/kgw2"
homeB="$work/kgw-unigram"
mkdir -p "$homeA" "$homeB"

HOME="$homeA" "$hm" keys new -q --type watermark --name k1 >&2
HOME="$homeA" "$hm" keys new -q --type watermark --name k2 >&2
mkdir -p "$homeB/.hallmark/keys"
cp -p "$homeA/.hallmark/keys/k1.watermark" "$homeB/.hallmark/keys/"
HOME="$homeB" "$hm" keys new -q --type watermark --name u1 --scheme unigram >&2

HOME="$homeA" "$hm" text generate --key k1 --count "$n" --seed "$seed" > "$work/kgw.jsonl"
HOME="$homeB" "$hm" text generate --key u1 --count "$n" --seed "$seed" > "$work/unigram.jsonl"
java -cp "$jar" dev.hallmark.benchmarks.text.TextWatermarkBenchmark "$text" editwords 0.2 "$seed" \
  < "$work/kgw.jsonl" > "$work/kgw-edited.jsonl"

# text detect exits 0 when some line is detected and 1 when none is; anything else is a failure.
detect() {  # HOME ARGS... -> lines detected
  local h="$1" rc=0
  shift
  HOME="$h" "$hm" text detect -q --jsonl "$@" > "$work/detect.jsonl" || rc=$?
  if [ "$rc" -gt 1 ]; then
    echo "default-path-cli: text detect $* failed with exit $rc" >&2
    exit 1
  fi
  grep -c '"detected":true' "$work/detect.jsonl" || true
}
removed() {
  sed -n 's/^    "removed" : \([0-9]*\),$/\1/p' "$1/report.json" | head -1
}
clean() {  # HOME INPUT ALPHA -> documents removed
  local out="$work/out-$RANDOM$RANDOM"
  HOME="$1" "$hm" clean -q --input "$2" --output "$out" --alpha "$3" --progress none > /dev/null
  removed "$out"
}

echo "default-path-cli: $n samples a row, generation seed $seed, $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)"
echo "| row | keyring | own: one key, whole text | named: --scheme, --no-windows, every key | default: text detect | default: clean |"
echo "|---|---|---|---|---|---|"
row() {  # LABEL INPUT ALPHA OWNKEY SCHEME HOME KEYRING
  local own named def cl
  own=$(detect "$6" --alpha "$3" --key "$4" --no-windows "$2")
  named=$(detect "$6" --alpha "$3" --scheme "$5" --no-windows "$2")
  def=$(detect "$6" --alpha "$3" "$2")
  cl=$(clean "$6" "$2" "$3")
  echo "| $1 | $7 | $own | $named | $def | $cl |"
}
row "KGW, p <= 1e-6" "$work/kgw.jsonl" 1e-6 k1 kgw "$homeA" "k1, k2 (kgw)"
row "KGW, p <= 1e-6" "$work/kgw.jsonl" 1e-6 k1 kgw "$homeB" "k1 (kgw), u1 (unigram)"
row "KGW, 20% of words replaced, p <= 1e-3" "$work/kgw-edited.jsonl" 1e-3 k1 kgw "$homeA" "k1, k2 (kgw)"
row "KGW, 20% of words replaced, p <= 1e-3" "$work/kgw-edited.jsonl" 1e-3 k1 kgw "$homeB" "k1 (kgw), u1 (unigram)"
row "Unigram, p <= 1e-6" "$work/unigram.jsonl" 1e-6 u1 unigram "$homeB" "k1 (kgw), u1 (unigram)"
