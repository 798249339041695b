#!/usr/bin/env bash
# The benchmarks of performance.md (targets 1-4, 5 fan-out, 6 the job queue, 7 the live feed, 8 the landing visitor, 9 listener
# loss, 10 the landing guide's first use, and 11 PostgreSQL's NOTIFY ceiling, a bare commit loop beside target 5 that is not in
# performance.md's table): builds the server and the load driver in Release (into .artifacts/bench, apart from everyone else's
# builds), then runs them and
# rewrites docs/benchmarks.md. Installs what it needs when missing (PostgreSQL server binaries, wrk)
# from Debian's packages, and dotnet-gcdump (target 4's heap by type) from NuGet. On the 2-core reference
# machine: about 10 minutes for targets 1-3, 10-15 more for 6 (5,000-job batches through the app's worker and a bare
# SKIP LOCKED loop at 4 and 16 slots; --queue-jobs, --queue-concurrency and --queue-rounds shorten it), 2-3 more for 7,
# about 3 more for 5 (100 and 1,000 live feed streams, then 20 and 200 streaming answers, a server each; --fanout-seconds
# shortens the windows), about 2 more for 11 (six connection counts × NOTIFY, plain and NOTIFY with synchronous_commit=off × 5 s; --ceiling-seconds),
# about 50 more for 4 (10,000 streams held 10 minutes by each of four processes: the bare floor, landing, tutor and feed
# streams; --open-hold-seconds shortens the hold),
# 2-3 more for 8 (1,000 landing visitors, then 50 /feed circuits in headless Chromium: about 3 GB of the browser's memory)
# and 3-4 more for 9 (target 1's 1,000 streams twice, with and without the LISTEN connection terminated mid-run).
#   ./bench.sh              the documented run
#   ./bench.sh --quick      a smoke run at small sizes (writes docs/benchmarks.md too; pass --report to keep it)
#   ./bench.sh --targets 6  some targets (./bench.sh --help lists the options); the report keeps the
#                           other targets' sections from the docs/benchmarks.md it replaces, marked as such
#   ./bench.sh --targets 5,11  fan-out and the NOTIFY ceiling together
set -euo pipefail
cd "$(dirname "$0")"

missing=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
command -v wrk >/dev/null 2>&1 || missing+=(wrk)
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing benchmark prerequisites: ${missing[*]}"
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# Target 4 reads the managed heap by type with dotnet-gcdump (its collection also forces the full GC that the
# RSS figures are read after), and that GC's committed and fragmented bytes with dotnet-counters; without them
# target 4 reports RSS alone (or without the GC's breakdown).
export PATH="$PATH:$HOME/.dotnet/tools"
for tool in dotnet-gcdump dotnet-counters; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "Installing $tool (a .NET global tool)"
    dotnet tool install -g "$tool" --version 10.0.750501 >/dev/null || echo "$tool could not be installed: target 4 will report less"
  fi
done

# Thousands of open streams: one socket each in the driver and in the server (which inherits this).
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

artifacts=.artifacts/bench
echo "== Building Server and Bench (Release) into $artifacts"
dotnet build Server/Server.csproj -c Release --artifacts-path "$artifacts" -nologo -v quiet
dotnet build Bench/Bench.csproj -c Release --artifacts-path "$artifacts" -nologo -v quiet
# Target 10 (the landing guide's first use) compares the default run with a published build.
if [[ " $* " != *" --targets "* || "$*" =~ --targets[[:space:]]+([0-9]+,)*10(,|[[:space:]]|$) ]]; then
  echo "== Building Server (Debug: the default run) and publishing it (Release) into $artifacts, for target 10"
  dotnet build Server/Server.csproj -c Debug --artifacts-path "$artifacts" -nologo -v quiet
  dotnet publish Server/Server.csproj -c Release --artifacts-path "$artifacts" -nologo -v quiet
fi

command="./bench.sh${*:+ $*}"
exec dotnet "$artifacts/bin/Bench/release/BlazorJobs.Bench.dll" \
  --server "$artifacts/bin/Server/release/BlazorJobs.Server.dll" --command "$command" "$@"
