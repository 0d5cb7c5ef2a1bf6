#!/usr/bin/env bash
# Every long form of docs/reliability.md, one after the other (hours on 2 cores; not in CI):
#
#   scripts/reliability.sh [crash] [concurrency] [fuzz] [sanitizers]   (default: all four)
#
#   crash        crm stress crash --kills 200          (release build; ~4 min)
#   concurrency  crm stress concurrency --processes 16 --seconds 30   (release; ~1 min)
#   fuzz         scripts/fuzz.sh (1,000,000 inputs per parser; ~2–4 h, search the slowest)
#   sanitizers   scripts/sanitizers.sh all (ASan and TSan builds and suites; ~45 min)
#
# Prints each part's figures as it goes and a summary; exits 1 if any part failed.
set -uo pipefail
cd "$(dirname "$0")/.."
parts=("$@")
[ ${#parts[@]} -gt 0 ] || parts=(crash concurrency fuzz sanitizers)
scripts/ensure-packages.sh
results=()
failed=0
release() {
  if [ -z "${crm:-}" ]; then
    swift build -c release --product crm || exit 1
    crm="$(swift build -c release --show-bin-path)/crm"
  fi
}
for part in "${parts[@]}"; do
  echo "== $part"
  start=$(date +%s)
  case "$part" in
    crash) release; "$crm" stress crash --kills 200 ;;
    concurrency)
      release
      db="$(mktemp -d)/stress.sqlite"
      "$crm" stress concurrency --processes 16 --seconds 30 --db "$db"
      ;;
    fuzz) scripts/fuzz.sh ;;
    sanitizers) scripts/sanitizers.sh all ;;
    *) echo "unknown part $part (crash, concurrency, fuzz, sanitizers)" >&2; exit 2 ;;
  esac
  status=$?
  [ $status -eq 0 ] || failed=1
  results+=("$(printf '%-12s exit %d  %5d s' "$part" "$status" $(( $(date +%s) - start )))")
done
echo "== summary"
printf '%s\n' "${results[@]}"
exit $failed
