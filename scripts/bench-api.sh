#!/usr/bin/env bash
# Loopback load benchmark of core-server (create-thread, get-thread): its own Postgres cluster and
# server instance, 32 concurrent clients for 20 s each by default. Prints req/s and p50/p95/p99.
#   scripts/bench-api.sh [--clients N] [--seconds S]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
source scripts/lib/pg.sh
source scripts/lib/proc.sh
source scripts/lib/bench.sh

bench_start bench bench/Cortex.Api.Bench --no-rate-limits

dotnet bench/Cortex.Api.Bench/bin/Release/net10.0/Cortex.Api.Bench.dll --url "$url" --key "$key" "$@"
