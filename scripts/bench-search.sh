#!/usr/bin/env bash
# Search benchmark: its own Postgres cluster, server and worker. Measures cortex-worker embedding throughput against
# the model alone, and server hybrid/semantic search p95 at 100,000 items against raw pgvector HNSW, in the same run.
#   scripts/bench-search.sh [--items N] [--queries N] [--worker-items N]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
source scripts/lib/pg.sh
source scripts/lib/proc.sh

bash scripts/lib/install-deps.sh
state="$root/.cortex/bench-search"
mkdir -p "$state"
pg_stop "$state/pg"; rm -rf "$state/pg" "$state/objects"
pg_port=$(pg_start "$state/pg")
pg_as_postgres "$PG_BIN/createdb" -h 127.0.0.1 -p "$pg_port" -U postgres cortex
trap 'proc_stop "$state/worker.pid"; proc_stop "$state/server.pid"; pg_stop "$state/pg"' EXIT

dotnet publish core-server/Cortex.CoreServer -c Release -o "$state/server" -nologo -v quiet -clp:ErrorsOnly >/dev/null
dotnet publish core-server/Cortex.Worker -c Release -o "$state/worker" -nologo -v quiet -clp:ErrorsOnly >/dev/null
dotnet build bench/Cortex.Search.Bench -c Release -nologo -v quiet -clp:ErrorsOnly >/dev/null

db="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=cortex"
export Cortex__Database__ConnectionString="$db;Maximum Pool Size=64"
export Cortex__ObjectStore__Root="$state/objects"
export Logging__LogLevel__Default=Warning
port=$(free_port)
url="http://127.0.0.1:$port"
start_background "$state/server" "$state/server/cortex-server" --urls "$url"
wait_http "$url/readyz" 120 || { tail -n 30 "$state/server.log"; exit 1; }
start_background "$state/worker" "$state/worker/cortex-worker"
key=$("$state/server/cortex-server" bootstrap-admin --handle bench | sed -E 's/.*"key":"([^"]+)".*/\1/')

dotnet bench/Cortex.Search.Bench/bin/Release/net10.0/Cortex.Search.Bench.dll --url "$url" --key "$key" --db "$db" "$@"
