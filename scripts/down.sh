#!/usr/bin/env bash
# Stops what scripts/up.sh started. Data stays in .cortex/ (delete it for a clean slate).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
source "$root/scripts/lib/pg.sh"
source "$root/scripts/lib/proc.sh"
state="$root/.cortex"
if [ -x "$state/bin/cortex/cortex" ]; then (cd "$PWD" && "$state/bin/cortex/cortex" stop >/dev/null 2>&1 || true); fi
proc_stop "$state/worker.pid"
proc_stop "$state/server.pid"
pg_stop "$state/pg"
echo "Cortex stopped (data kept in .cortex/)."
