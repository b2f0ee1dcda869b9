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

# The server fills in full-text vectors after a burst; rows the ceiling COPYs past it are found by polling, every 2 s
# here (default 30 s) so that each measured path starts on an idle server.
export Cortex__Observations__IndexPollInterval=00:00:02
# bench_start (like up.sh) runs the server from the state directory, which also holds the Postgres data directory, and
# the configuration reload watcher then receives every Postgres file write: a tenth of the server's CPU during this
# benchmark. No configuration file changes while it runs, so the watcher is off here (see bench/README.md).
export DOTNET_hostBuilder__reloadConfigOnChange=false
bench_start bench-ingest bench/Cortex.Ingest.Bench

dotnet bench/Cortex.Ingest.Bench/bin/Release/net10.0/Cortex.Ingest.Bench.dll --url "$url" --key "$key" --db "$db" "$@"
