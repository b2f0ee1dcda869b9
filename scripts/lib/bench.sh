# Shared setup of the loopback benchmarks (scripts/bench-*.sh): a fresh Postgres cluster and a published core-server
# of their own under .cortex/<name>, stopped on exit. Source after pg.sh and proc.sh.

# bench_start NAME BENCH_PROJECT [--worker] [--no-rate-limits]: sets state, db, url and key; builds BENCH_PROJECT.
bench_start() {
  local name=$1 project=$2 worker=false limits=true
  shift 2
  for option in "$@"; do
    case $option in
      --worker) worker=true ;;
      --no-rate-limits) limits=false ;;
    esac
  done

  bash scripts/lib/install-deps.sh
  state="$root/.cortex/$name"
  mkdir -p "$state"
  pg_stop "$state/pg"; rm -rf "$state/pg" "$state/objects"
  local pg_port
  pg_port=$(pg_start "$state/pg")
  pg_as_postgres "$PG_BIN/createdb" -h 127.0.0.1 -p "$pg_port" -U postgres cortex
  trap 'proc_stop "$state/worker.pid"; proc_stop "$state/server.pid"; pg_stop "$state/pg"' EXIT

  dotnet publish core-server/Cortex.CoreServer -c Release -o "$state/server" -nologo -v quiet -clp:ErrorsOnly >/dev/null
  if $worker; then
    dotnet publish core-server/Cortex.Worker -c Release -o "$state/worker" -nologo -v quiet -clp:ErrorsOnly >/dev/null
  fi
  dotnet build "$project" -c Release -nologo -v quiet -clp:ErrorsOnly >/dev/null

  db="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=cortex"
  export Cortex__Database__ConnectionString="$db;Maximum Pool Size=64"
  export Cortex__ObjectStore__Root="$state/objects"
  if ! $limits; then
    # The benchmark measures throughput, not the per-principal limiter.
    export Cortex__RateLimits__TokenLimit=1000000
    export Cortex__RateLimits__TokensPerPeriod=1000000
  fi
  export Logging__LogLevel__Default=Warning
  url="http://127.0.0.1:$(free_port)"
  start_background "$state/server" "$state/server/cortex-server" --urls "$url"
  wait_http "$url/readyz" 120 || { tail -n 30 "$state/server.log"; exit 1; }
  if $worker; then
    start_background "$state/worker" "$state/worker/cortex-worker"
  fi
  key=$("$state/server/cortex-server" bootstrap-admin --handle bench | sed -E 's/.*"key":"([^"]+)".*/\1/')
}
