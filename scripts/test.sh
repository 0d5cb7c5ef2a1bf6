#!/usr/bin/env bash
# One command that runs every check: the format lint, unit and screen tests, the tmux
# end-to-end tests against the real binary, and the quick benchmark's regression gate.
# Installs missing system packages first.
set -euo pipefail
cd "$(dirname "$0")/.."
# passwd (useradd), util-linux (runuser, prlimit) and mount: the security tests attack the real
# binary from a second OS account, under a memory cap and through a read-only mount (as root).
scripts/ensure-packages.sh libncursesw5-dev libsqlite3-dev zlib1g-dev libphonenumber-dev tmux \
  sqlite3 passwd util-linux mount libxml2-utils python3-openpyxl msmtp python3 python3-aiosmtpd \
  python3-vobject libcairo2-dev libpango1.0-dev libqrencode-dev fonts-dejavu-core poppler-utils \
  zbar-tools
echo "== swift format lint"
swift format lint --strict --configuration .swiftformat -r Sources Tests Package.swift
echo "== build"
swift build --build-tests
export CRM_BIN="$(swift build --show-bin-path)/crm"
echo "== tests (unit, screen, end-to-end)"
swift test --skip-build
echo "== docs/keys.md is current"
"$CRM_BIN" keys | diff -u docs/keys.md - && echo ok
echo "== benchmark, quick: ratios to the SQLite floor against bench/baseline.json (release build)"
swift build -c release --product crm
"$(swift build -c release --show-bin-path)/crm" bench --quick
