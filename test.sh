#!/usr/bin/env bash
# The project's one test command: installs what the tests need when it is missing (PostgreSQL
# server binaries, PgBouncer, Chromium, Node.js — from Debian's packages), then runs every test: the JS
# module's unit tests (node --test) and the .NET suite (unit, component, integration, browser).
set -euo pipefail
cd "$(dirname "$0")"

missing=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v node >/dev/null 2>&1 || missing+=(nodejs)
# The "behind PgBouncer" tests start Debian's pgbouncer (1.18 on Debian 12) in front of the test database.
[ -x /usr/sbin/pgbouncer ] || missing+=(pgbouncer)
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing test prerequisites: ${missing[*]}"
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# Test-only npm packages, pinned by the lock file: `eventsource` (a plain WHATWG client the stream tests
# read with) and `axe-core` (the accessibility checks). Installed again whenever the lock file changed.
if [ ! -f Tests/js/node_modules/.package-lock.json ] || [ Tests/js/package-lock.json -nt Tests/js/node_modules/.package-lock.json ]; then
  (cd Tests/js && npm ci --no-audit --no-fund)
fi

# Playwright drives the machine's Chromium; it must never download a browser of its own.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
export CHROMIUM_PATH="${CHROMIUM_PATH:-/usr/bin/chromium}"

results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT

# Both suites run whatever the other's outcome; the exit status says whether both passed.
set +e
echo "== JavaScript module tests (node --test)"
node --test Tests/js/ 2>&1 | tee "$results/node.txt"
node_status=${PIPESTATUS[0]}

echo "== .NET tests (dotnet test)"
dotnet test Tests/Tests.csproj -c Release --logger "console;verbosity=normal" 2>&1 | tee "$results/dotnet.txt"
dotnet_status=${PIPESTATUS[0]}

# A count that does not appear (no failures) must not end the script.
set +o pipefail
node_pass=$(grep -E '^# pass ' "$results/node.txt" | awk '{print $3}' | tail -1)
node_fail=$(grep -E '^# fail ' "$results/node.txt" | awk '{print $3}' | tail -1)
dotnet_pass=$(grep -oE '^ +Passed: +[0-9]+' "$results/dotnet.txt" | awk '{s+=$2} END {print s+0}')
dotnet_fail=$(grep -oE '^ +Failed: +[0-9]+' "$results/dotnet.txt" | awk '{s+=$2} END {print s+0}')
echo
echo "tests: $(( ${node_pass:-0} + dotnet_pass )) passed, $(( ${node_fail:-0} + dotnet_fail )) failed"

if [ "$node_status" -ne 0 ] || [ "$dotnet_status" -ne 0 ]; then
  exit 1
fi
