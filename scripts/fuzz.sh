#!/usr/bin/env bash
# The long form of fuzzing: builds the libFuzzer binary in Fuzz/ (-sanitize=fuzzer,address,
# release) and runs each target, one after the other, on one core.
#
#   scripts/fuzz.sh [--runs N] [--timeout SECONDS] [target…]
#
# Targets: csv vcard bank xlsx search when toml xml ical values (default: all). Each runs N inputs
# (1,000,000 unless --runs), starting from its seeds (golden files and writer output) and its
# corpus of earlier runs (Fuzz/corpus/TARGET, kept); an input that takes longer than --timeout
# (10 s) is a hang. Crashes, hangs and property violations are saved as
# Fuzz/crashes/TARGET/crash-… (replay one: FUZZ_TARGET=TARGET Fuzz/.build/release/FuzzCRM FILE).
# Prints a table; exits 1 if any target found anything. Installs nothing: it needs the Swift
# toolchain (which ships libFuzzer) and what `swift build` needs anyway.
set -euo pipefail
cd "$(dirname "$0")/.."
all=(csv vcard bank xlsx search when toml xml ical values)
runs=1000000
timeout=10
targets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --timeout) timeout="$2"; shift 2 ;;
    -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
    *)
      if [[ " ${all[*]} " != *" $1 "* ]]; then
        echo "unknown target $1; targets: ${all[*]}" >&2
        exit 2
      fi
      targets+=("$1"); shift ;;
  esac
done
[ ${#targets[@]} -gt 0 ] || targets=("${all[@]}")

# -UNDEBUG keeps the C++ assertions of toml++ (TOMLKit) alive in the release build.
flags=(-c release -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library -Xcxx -UNDEBUG)
echo "== building Fuzz/ (libFuzzer, AddressSanitizer, release)"
(cd Fuzz && swift build "${flags[@]}")
bin="$(cd Fuzz && swift build "${flags[@]}" --show-bin-path)/FuzzCRM"

# libFuzzer reports crashes itself (not Swift's backtracer, whose stack reads ASan flags);
# TOMLKit 0.6.0 leaks a few bytes per parsed table (keys, strings), so leaks are not crashes.
export SWIFT_BACKTRACE=enable=no ASAN_OPTIONS=detect_leaks=0
work=Fuzz/.work
rows=()
failed=0
for t in "${targets[@]}"; do
  rm -rf "$work/$t"
  mkdir -p "$work/$t" "Fuzz/corpus/$t" "Fuzz/crashes/$t"
  FUZZ_TARGET=$t FUZZ_EXPORT="$work/$t" "$bin" >/dev/null
  before=$(find "Fuzz/crashes/$t" -type f | wc -l)
  echo "== $t: $runs inputs"
  start=$(date +%s.%N)
  set +e
  FUZZ_TARGET=$t "$bin" "Fuzz/corpus/$t" "$work/$t/seeds" -runs="$runs" \
    -max_len="$(cat "$work/$t/max_len")" -dict="$work/$t/dict" -timeout="$timeout" \
    -rss_limit_mb=2048 -detect_leaks=0 -print_final_stats=1 -jobs=0 -workers=1 \
    -artifact_prefix="Fuzz/crashes/$t/" >"$work/$t/log" 2>&1
  status=$?
  set -e
  end=$(date +%s.%N)
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/$t/log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$work/$t/log" | tail -1)
  corpus=$(find "Fuzz/corpus/$t" -type f | wc -l)
  crashes=$(($(find "Fuzz/crashes/$t" -type f | wc -l) - before))
  seconds=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.0f", b - a }')
  if [ $status -ne 0 ] || [ $crashes -gt 0 ]; then
    failed=1
    [ $crashes -gt 0 ] || crashes="exit $status"
    echo "   FOUND: see $work/$t/log and Fuzz/crashes/$t/"
    grep -m3 -E "PROPERTY VIOLATED|ERROR: |Fatal error|deadly signal|timeout" "$work/$t/log" | cut -c1-300 || true
  fi
  rows+=("$(printf '%-8s %10s %8s %7ss %8s %7s' "$t" "${execs:-?}" "${rate:-?}" "$seconds" "$crashes" "$corpus")")
done

echo
printf '%-8s %10s %8s %8s %8s %7s\n' target inputs exec/s time crashes corpus
for r in "${rows[@]}"; do echo "$r"; done
exit $failed
