#!/usr/bin/env bash
# End-to-end tests of the web UI in a real headless Chromium (Debian's) driven by playwright-core:
# builds the web app and core-server, starts a throwaway Postgres and the server on free ports, bootstraps an
# admin, runs specs/*.test.mjs (or the specs named as arguments) with node's test runner, and stops everything.
# Screenshots go to .cortex/artifacts/screenshots/. Exits non-zero when anything fails.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
source scripts/lib/pg.sh
source scripts/lib/proc.sh

# One run at a time per checkout: runs share .cortex/web-e2e, and a second one would stop the first one's server.
# The services started below get the lock's descriptor closed (9>&-), so only this script holds it.
mkdir -p "$root/.cortex"
exec 9>"$root/.cortex/web-e2e.lock"
flock -w 1800 9 || { echo "another web e2e run has held .cortex/web-e2e.lock for 30 minutes" >&2; exit 1; }

started=$(date +%s)
log() { printf '[web-e2e %3ss] %s\n' "$(($(date +%s) - started))" "$*" >&2; }

bash scripts/lib/install-deps.sh
if [ ! -x /usr/bin/chromium ]; then
  log "installing Debian's chromium"
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi

# nginx runs the cortex-web service's config (deploy/docker/nginx.conf) in front of the server.
if [ ! -x /usr/sbin/nginx ]; then
  log "installing Debian's nginx"
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null
fi

state="$root/.cortex/web-e2e"
artifacts="$root/.cortex/artifacts/screenshots"
proc_stop "$state/server.pid"
proc_stop "$state/worker.pid"
pg_stop "$state/pg"
rm -rf "$state" "$artifacts"
mkdir -p "$state" "$artifacts"

cleanup() {
  # A spec that failed half-way may leave its cortexd running.
  if [ -f "$state/cortexd-workspace/.cortex/daemon.json" ]; then
    (cd "$state/cortexd-workspace" && "$root/cortexd/Cortex.Daemon/bin/Release/net10.0/cortex" stop >/dev/null 2>&1) || true
  fi
  proc_stop "$state/server.pid"
  proc_stop "$state/worker.pid"
  pg_stop "$state/pg"
}
trap cleanup EXIT

log "building the web app"
(cd web && npm ci --no-audit --no-fund --loglevel=error && npm run build --silent) >"$state/web-build.log" 2>&1 ||
  { cat "$state/web-build.log" >&2; exit 1; }
(cd tests/web-e2e && npm ci --no-audit --no-fund --loglevel=error) >/dev/null

log "starting Postgres"
pg_port=$(PG_FSYNC=off pg_start "$state/pg" 9>&-)
pg_as_postgres "$PG_BIN/createdb" -h 127.0.0.1 -p "$pg_port" -U postgres cortex_e2e

# The same Release build scripts/test.sh makes, so after it this is an up-to-date check only.
log "building core-server"
dotnet build core-server/Cortex.CoreServer -c Release -nologo -v quiet -clp:ErrorsOnly >"$state/build.log" 2>&1 ||
  { cat "$state/build.log" >&2; exit 1; }
server="$root/core-server/Cortex.CoreServer/bin/Release/net10.0/cortex-server"
# The worker turns feed events into notifications (a task assigned → the assignee's live badge).
dotnet build core-server/Cortex.Worker -c Release -nologo -v quiet -clp:ErrorsOnly >"$state/worker-build.log" 2>&1 ||
  { cat "$state/worker-build.log" >&2; exit 1; }
worker="$root/core-server/Cortex.Worker/bin/Release/net10.0/cortex-worker"
# cortexd, for the spec whose replica edits offline and merges into a browser's live editor.
dotnet build cortexd/Cortex.Daemon -c Release -nologo -v quiet -clp:ErrorsOnly >"$state/cortexd-build.log" 2>&1 ||
  { cat "$state/cortexd-build.log" >&2; exit 1; }
export CORTEX_E2E_CORTEX="$root/cortexd/Cortex.Daemon/bin/Release/net10.0/cortex"
export CORTEX_E2E_WORKSPACE="$state/cortexd-workspace"

export Cortex__Database__ConnectionString="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=cortex_e2e"
export Cortex__ObjectStore__Root="$state/objects"
export Cortex__Web__Root="$root/web/dist"
port=$(free_port)
url="http://127.0.0.1:$port"
log "starting core-server at $url"
# Request-by-request framework logs would bury the server's own warnings and errors. `exec` makes the
# background job the server itself, so the recorded pid is the one cleanup stops.
(cd "$state" && exec env "Logging__LogLevel__Microsoft.AspNetCore=Warning" "$server" --urls "$url" >"$state/server.log" 2>&1 9>&-) &
echo $! >"$state/server.pid"
if ! wait_http "$url/readyz" 90; then
  echo "core-server did not become ready; see $state/server.log" >&2
  tail -n 40 "$state/server.log" >&2
  exit 1
fi

# The worker starts after the server, whose start-up applies the migrations it relies on.
(cd "$state" && exec env "Cortex__Worker__Notifications__FeedPollInterval=00:00:00.250" "$worker" >"$state/worker.log" 2>&1 9>&-) &
echo $! >"$state/worker.pid"

admin_json=$("$server" bootstrap-admin --handle admin 2>"$state/bootstrap.log" | grep '^{' | tail -n 1)
admin_key=$(printf '%s' "$admin_json" | sed -E 's/.*"key":"([^"]+)".*/\1/')
admin_id=$(printf '%s' "$admin_json" | sed -E 's/.*"principalId":"([^"]+)".*/\1/')
admin_password="e2e-pass-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
status=$(curl -sS -o "$state/password.json" -w '%{http_code}' -X PUT "$url/api/v1/principals/$admin_id/password" \
  -H "Authorization: Bearer $admin_key" -H 'Content-Type: application/json' \
  --data "{\"password\":\"$admin_password\"}")
if [ "$status" != 204 ]; then
  echo "setting the admin password failed ($status): $(cat "$state/password.json")" >&2
  exit 1
fi

export CORTEX_E2E_URL="$url"
export CORTEX_E2E_ADMIN_KEY="$admin_key"
export CORTEX_E2E_ADMIN_PASSWORD="$admin_password"
export CORTEX_E2E_ARTIFACTS="$artifacts"
log "running the specs"
set +e
# Arguments name specs to run (e.g. specs/artifacts.test.mjs) while iterating; CI runs them all.
(
  cd tests/web-e2e
  if [ "$#" -gt 0 ]; then specs=("$@"); else specs=(specs/*.test.mjs); fi
  node --test --test-concurrency=1 --test-reporter=spec "${specs[@]}"
)
rc=$?
set -e
if [ "$rc" != 0 ]; then
  echo "--- last lines of the server log ($state/server.log) ---" >&2
  tail -n 40 "$state/server.log" >&2
fi
log "done (exit $rc); screenshots in ${artifacts#"$root"/}"
exit "$rc"
