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
source scripts/lib/bench.sh

bench_start bench-sync bench/Cortex.Sync.Bench --no-rate-limits

Logging__LogLevel__Default=Warning dotnet bench/Cortex.Sync.Bench/bin/Release/net10.0/Cortex.Sync.Bench.dll --url "$url" --key "$key" --db "$db" "$@"
