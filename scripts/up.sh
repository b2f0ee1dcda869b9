#!/usr/bin/env bash
# Brings Cortex up locally on embedded defaults: a project-local Postgres (Debian packages, pgvector
# built from source), the filesystem object store, core-server. Prints the URL and the admin key.
# Running it again rebuilds and restarts the services; data is kept.
set -euo pipefail
workspace=$PWD
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
source scripts/lib/pg.sh
source scripts/lib/proc.sh

state="$root/.cortex"
mkdir -p "$state"
bash scripts/lib/install-deps.sh

pg_port=$(pg_start "$state/pg")
pg_as_postgres "$PG_BIN/psql" -h 127.0.0.1 -p "$pg_port" -U postgres -tAc \
  "SELECT 1 FROM pg_database WHERE datname = 'cortex'" | grep -q 1 ||
  pg_as_postgres "$PG_BIN/createdb" -h 127.0.0.1 -p "$pg_port" -U postgres cortex
export Cortex__Database__ConnectionString="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=cortex"
export Cortex__ObjectStore__Root="$state/objects"

echo "building the web UI..." >&2
(cd web && { [ -d node_modules ] || npm ci --no-audit --no-fund >/dev/null; } && npm run build >/dev/null)
export Cortex__Web__Root="$root/web/dist"

echo "building core-server and cortex-worker..." >&2
dotnet publish core-server/Cortex.CoreServer -c Release -o "$state/bin/server" -nologo -v quiet -clp:ErrorsOnly >/dev/null
dotnet publish core-server/Cortex.Worker -c Release -o "$state/bin/worker" -nologo -v quiet -clp:ErrorsOnly >/dev/null
dotnet publish cortexd/Cortex.Daemon -c Release -o "$state/bin/cortex" -nologo -v quiet -clp:ErrorsOnly >/dev/null

proc_stop "$state/server.pid"
port=${CORTEX_PORT:-5080}
port_free "$port" || port=$(free_port)
url="http://127.0.0.1:$port"
start_background "$state/server" "$state/bin/server/cortex-server" --urls "$url"
if ! wait_http "$url/readyz" 60; then
  echo "core-server did not become ready; see $state/server.log" >&2
  tail -n 20 "$state/server.log" >&2
  exit 1
fi
echo "$url" >"$state/server.url"

# The worker starts after the server, whose start-up applies the migrations it relies on.
proc_stop "$state/worker.pid"
start_background "$state/worker" "$state/bin/worker/cortex-worker"

if [ ! -s "$state/admin.key" ]; then
  set +e
  out=$("$state/bin/server/cortex-server" bootstrap-admin --handle admin)
  rc=$?
  set -e
  if [ "$rc" = 0 ]; then
    (umask 077 && printf '%s\n' "$out" | sed -E 's/.*"key":"([^"]+)".*/\1/' >"$state/admin.key")
  elif [ "$rc" != 3 ]; then
    echo "bootstrap-admin failed (exit $rc)" >&2
    exit 1
  fi
fi

# A sign-in password for the web UI, set once through the API with the admin key.
if [ -s "$state/admin.key" ] && [ ! -s "$state/admin.password" ]; then
  password=$(head -c 18 /dev/urandom | base64 | tr -d '/+=' | head -c 20)
  auth="Authorization: Bearer $(cat "$state/admin.key")"
  admin_id=$(curl -fsS -H "$auth" "$url/api/v1/principals/me" | sed -E 's/.*"id":"([^"]+)".*/\1/')
  if curl -fsS -o /dev/null -X PUT -H "$auth" -H 'Content-Type: application/json' \
      -d "{\"password\":\"$password\"}" "$url/api/v1/principals/$admin_id/password"; then
    (umask 077 && echo "$password" >"$state/admin.password")
  fi
fi

# The workspace's cortexd runs as an agent principal of its own, as agents do.
if [ -s "$state/admin.key" ] && [ ! -s "$state/agent.key" ]; then
  auth="Authorization: Bearer $(cat "$state/admin.key")"
  if agent=$(curl -fsS -H "$auth" -H 'Content-Type: application/json' \
      -d '{"handle":"workspace-agent","displayName":"Workspace agent","kind":"agent","role":"agent"}' \
      "$url/api/v1/principals" 2>/dev/null); then
    agent_id=$(printf '%s' "$agent" | sed -E 's/^\{"id":"([^"]+)".*/\1/')
    key=$(curl -fsS -H "$auth" -H 'Content-Type: application/json' -d '{"name":"cortexd"}' \
      "$url/api/v1/principals/$agent_id/keys" | sed -E 's/.*"key":"([^"]+)".*/\1/')
    (umask 077 && echo "$key" >"$state/agent.key")
  fi
fi
cortexd_line="not started (no agent key; set CORTEX_KEY and run 'cortex start')"
if [ -s "$state/agent.key" ]; then
  (cd "$workspace" && "$state/bin/cortex/cortex" stop >/dev/null 2>&1 || true)
  if (cd "$workspace" && CORTEX_URL="$url" CORTEX_KEY_FILE="$state/agent.key" "$state/bin/cortex/cortex" start >/dev/null); then
    cortexd_line="running for $workspace as workspace-agent ($state/bin/cortex/cortex status)"
  else
    cortexd_line="failed to start; see $workspace/.cortex/daemon.log"
  fi
fi

echo "Cortex is up."
echo "  web UI:    $url/"
echo "  API:       $url/api/v1   (health: $url/healthz)"
if [ -s "$state/admin.key" ]; then
  echo "  admin key: $(cat "$state/admin.key")   (kept in .cortex/admin.key, mode 0600)"
else
  echo "  admin key: the database already had principals; use an existing key"
fi
if [ -s "$state/admin.password" ]; then
  echo "  web sign-in: admin / $(cat "$state/admin.password")   (kept in .cortex/admin.password, mode 0600)"
fi
echo "  cortexd:   $cortexd_line"
echo "  logs:      .cortex/server.log, .cortex/worker.log      stop with: scripts/down.sh"
