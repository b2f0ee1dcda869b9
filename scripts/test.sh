#!/usr/bin/env bash
# Runs every test of Cortex: installs what is missing, starts a throwaway Postgres cluster
# (with pgvector) for the integration tests, runs the whole solution's tests, stops the cluster.
# Exits non-zero when any test fails.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
source scripts/lib/pg.sh

bash scripts/lib/install-deps.sh

state="$root/.cortex/test-pg"
pg_stop "$state"
rm -rf "$state"
port=$(PG_FSYNC=off pg_start "$state")
trap 'pg_stop "$state"' EXIT
export CORTEX_TEST_PG="Host=127.0.0.1;Port=$port;Username=postgres;Maximum Pool Size=40"

results="$root/.cortex/test-results"
rm -rf "$results"
mkdir -p "$results"

echo "checking docker-compose.yml..." >&2
docker-compose --env-file deploy/cortex.env.example config -q

dotnet build Cortex.sln -c Release -nologo -v quiet -clp:ErrorsOnly
status=0
dotnet test Cortex.sln -c Release --no-build -nologo \
  --results-directory "$results" --logger "trx" --logger "console;verbosity=minimal" \
  -- RunConfiguration.TestSessionTimeout=3600000 | tee "$results/console.log" || status=$?

echo "web unit tests (vitest)..." >&2
(cd web && { [ -d node_modules ] || npm ci --no-audit --no-fund --loglevel=error; } && npx vitest run) || status=1
echo "web end-to-end tests (Chromium)..." >&2
bash tests/web-e2e/run.sh || status=1

# One closing line summed over every .NET test assembly, from the trx files.
python3 - "$results" <<'PY' || true
import glob, sys, xml.etree.ElementTree as ET
passed = failed = skipped = 0
for f in glob.glob(sys.argv[1] + "/*.trx"):
    c = ET.parse(f).getroot().find(".//{*}Counters")
    if c is None:
        continue
    passed += int(c.get("passed", 0))
    failed += int(c.get("failed", 0)) + int(c.get("error", 0)) + int(c.get("timeout", 0)) + int(c.get("aborted", 0))
    skipped += int(c.get("notExecuted", 0))
print(f"tests: {passed} passed, {failed} failed, {skipped} skipped")
PY
exit $status
