#!/usr/bin/env bash
# Observation ingestion benchmark: its own Postgres cluster and server instance; posts N observations through
# POST /api/v1/observations/batch and, in the same run, COPYs N rows straight into the same table (the ceiling).
#   scripts/bench-ingest.sh [--rows N] [--batch N] [--clients N]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
source scripts/lib/pg.sh
source scripts/lib/proc.sh

bash scripts/lib/install-deps.sh
state="$root/.cortex/bench-ingest"
mkdir -p "$state"
pg_stop "$state/pg"; rm -rf "$state/pg" "$state/objects"
pg_port=$(pg_start "$state/pg")
pg_as_postgres "$PG_BIN/createdb" -h 127.0.0.1 -p "$pg_port" -U postgres cortex
trap 'proc_stop "$state/server.pid"; pg_stop "$state/pg"' EXIT

dotnet publish core-server/Cortex.CoreServer -c Release -o "$state/server" -nologo -v quiet -clp:ErrorsOnly >/dev/null
dotnet build bench/Cortex.Ingest.Bench -c Release -nologo -v quiet -clp:ErrorsOnly >/dev/null

db="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=cortex"
export Cortex__Database__ConnectionString="$db;Maximum Pool Size=64"
export Cortex__ObjectStore__Root="$state/objects"
export Logging__LogLevel__Default=Warning
port=$(free_port)
url="http://127.0.0.1:$port"
(cd "$state" && nohup "$state/server/cortex-server" --urls "$url" >"$state/server.log" 2>&1 & echo $! >"$state/server.pid")
wait_http "$url/readyz" 60 || { tail -n 30 "$state/server.log"; exit 1; }
key=$("$state/server/cortex-server" bootstrap-admin --handle bench | sed -E 's/.*"key":"([^"]+)".*/\1/')

dotnet bench/Cortex.Ingest.Bench/bin/Release/net10.0/Cortex.Ingest.Bench.dll --url "$url" --key "$key" --db "$db" "$@"
