#!/usr/bin/env bash
# Search benchmark: its own Postgres cluster, server and worker. Measures cortex-worker embedding throughput against
# the model alone, and server hybrid/semantic search p95 at 100,000 items against raw pgvector HNSW, in the same run.
#   scripts/bench-search.sh [--items N] [--queries N] [--worker-items N]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
source scripts/lib/pg.sh
source scripts/lib/proc.sh
source scripts/lib/bench.sh

bench_start bench-search bench/Cortex.Search.Bench --worker

dotnet bench/Cortex.Search.Bench/bin/Release/net10.0/Cortex.Search.Bench.dll --url "$url" --key "$key" --db "$db" "$@"
