#!/usr/bin/env bash
# One command for a fresh machine: install what is missing, build, create a demo database
# (once) and open TermCRM on it. Extra arguments go to crm, e.g. --lang en.
#   DEMO_DB=path       where the demo database lives (default: $XDG_DATA_HOME/termcrm/demo.sqlite)
#   DEMO_CLIENTS=N     how many demo clients to create (default 100000)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-packages.sh libncursesw5-dev libsqlite3-dev zlib1g-dev libphonenumber-dev tmux \
  sqlite3 libcairo2-dev libpango1.0-dev libqrencode-dev fonts-dejavu-core
swift build -c release --product crm
bin="$(swift build -c release --show-bin-path)/crm"
db="${DEMO_DB:-${XDG_DATA_HOME:-$HOME/.local/share}/termcrm/demo.sqlite}"
if [ ! -s "$db" ]; then
  "$bin" demo --db "$db" --clients "${DEMO_CLIENTS:-100000}"
fi
exec "$bin" --db "$db" "$@"
