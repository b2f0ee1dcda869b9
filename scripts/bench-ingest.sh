#!/usr/bin/env bash
# Observation ingestion benchmark: its own Postgres cluster and server instance; posts N observations through
# POST /api/v1/observations/batch and, in the same run, COPYs N rows straight into the same table (the ceiling).
#   scripts/bench-ingest.sh [--rows N] [--batch N] [--clients N]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
source scripts/lib/pg.sh
source scripts/lib/proc.sh
source scripts/lib/bench.sh

bench_start bench-ingest bench/Cortex.Ingest.Bench

dotnet bench/Cortex.Ingest.Bench/bin/Release/net10.0/Cortex.Ingest.Bench.dll --url "$url" --key "$key" --db "$db" "$@"
