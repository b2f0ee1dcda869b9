#!/usr/bin/env bash
# Loopback load benchmark of core-server (create-thread, get-thread): its own Postgres cluster and
# server instance, 32 concurrent clients for 20 s each by default. Prints req/s and p50/p95/p99.
#   scripts/bench-api.sh [--clients N] [--seconds S]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
source scripts/lib/pg.sh
source scripts/lib/proc.sh

bash scripts/lib/install-deps.sh
state="$root/.cortex/bench"
mkdir -p "$state"
pg_stop "$state/pg"; rm -rf "$state/pg"
pg_port=$(pg_start "$state/pg")
pg_as_postgres "$PG_BIN/createdb" -h 127.0.0.1 -p "$pg_port" -U postgres cortex
trap 'proc_stop "$state/server.pid"; pg_stop "$state/pg"' EXIT

dotnet publish core-server/Cortex.CoreServer -c Release -o "$state/server" -nologo -v quiet -clp:ErrorsOnly >/dev/null
dotnet build bench/Cortex.Api.Bench -c Release -nologo -v quiet -clp:ErrorsOnly >/dev/null

export Cortex__Database__ConnectionString="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=cortex;Maximum Pool Size=64"
export Cortex__ObjectStore__Root="$state/objects"
# The benchmark measures throughput, not the per-principal limiter.
export Cortex__RateLimits__TokenLimit=1000000
export Cortex__RateLimits__TokensPerPeriod=1000000
export Logging__LogLevel__Default=Warning
port=$(free_port)
url="http://127.0.0.1:$port"
start_background "$state/server" "$state/server/cortex-server" --urls "$url"
wait_http "$url/readyz" 60 || { tail -n 30 "$state/server.log"; exit 1; }
key=$("$state/server/cortex-server" bootstrap-admin --handle bench | sed -E 's/.*"key":"([^"]+)".*/\1/')

dotnet bench/Cortex.Api.Bench/bin/Release/net10.0/Cortex.Api.Bench.dll --url "$url" --key "$key" "$@"
