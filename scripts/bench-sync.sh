#!/usr/bin/env bash
# Sync benchmarks (issue 4): its own Postgres cluster and server instance, the real cortexd host in the bench process.
# Bootstrap of 100,000 items with 384-d vectors (vs raw Postgres read + raw SQLite insert of the same rows), steady-state
# lag at 200 writes/s for 30 s (vs a plain LISTEN on the feed channel), outbox upload after 10,000 offline writes (vs
# the same writes through REST one at a time).
#   scripts/bench-sync.sh [--items N] [--rate N] [--seconds N] [--offline N] [--only bootstrap|lag|outbox]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
source scripts/lib/pg.sh
source scripts/lib/proc.sh

bash scripts/lib/install-deps.sh
state="$root/.cortex/bench-sync"
mkdir -p "$state"
pg_stop "$state/pg"; rm -rf "$state/pg" "$state/objects"
pg_port=$(pg_start "$state/pg")
pg_as_postgres "$PG_BIN/createdb" -h 127.0.0.1 -p "$pg_port" -U postgres cortex
trap 'proc_stop "$state/server.pid"; pg_stop "$state/pg"' EXIT

dotnet publish core-server/Cortex.CoreServer -c Release -o "$state/server" -nologo -v quiet -clp:ErrorsOnly >/dev/null
dotnet build bench/Cortex.Sync.Bench -c Release -nologo -v quiet -clp:ErrorsOnly >/dev/null

db="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=cortex"
export Cortex__Database__ConnectionString="$db;Maximum Pool Size=64"
export Cortex__ObjectStore__Root="$state/objects"
# The benchmark measures sync, not the per-principal limiter.
export Cortex__RateLimits__TokenLimit=1000000
export Cortex__RateLimits__TokensPerPeriod=1000000
export Logging__LogLevel__Default=Warning
port=$(free_port)
url="http://127.0.0.1:$port"
(cd "$state" && nohup "$state/server/cortex-server" --urls "$url" >"$state/server.log" 2>&1 & echo $! >"$state/server.pid")
wait_http "$url/readyz" 60 || { tail -n 30 "$state/server.log"; exit 1; }
key=$("$state/server/cortex-server" bootstrap-admin --handle bench | sed -E 's/.*"key":"([^"]+)".*/\1/')

Logging__LogLevel__Default=Warning dotnet bench/Cortex.Sync.Bench/bin/Release/net10.0/Cortex.Sync.Bench.dll --url "$url" --key "$key" --db "$db" "$@"
