#!/usr/bin/env bash
# Postgres cluster helpers, sourced by the other scripts.
# Postgres refuses to run as root, so the cluster runs as the `postgres` user in a data
# directory under the project, on a free loopback port.
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}

pg_as_postgres() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

free_port() {
  python3 - <<'PY' 2>/dev/null || node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close();})'
import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()
PY
}

# The postgres user must be able to reach DIR; an ancestor may be a workspace's .cortex/, which cortexd keeps
# at mode 0700 (traverse-only for others is enough and lists nothing).
pg_allow_traverse() {
  [ "$(id -u)" = 0 ] || return 0
  local d
  d=$(dirname "$1")
  while [ "$d" != "/" ]; do
    [ -n "$(find "$d" -maxdepth 0 -perm -o=x 2>/dev/null)" ] || chmod o+x "$d"
    d=$(dirname "$d")
  done
}

# pg_start DIR: starts (creating if needed) a cluster in DIR; prints its port.
# Idempotent: a running cluster in DIR is left alone and its port printed.
pg_start() {
  local dir=$1
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  pg_allow_traverse "$dir"
  if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$dir"; fi
  chmod 700 "$dir"
  if [ ! -f "$dir/data/PG_VERSION" ]; then
    pg_as_postgres "$PG_BIN/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  fi
  if pg_as_postgres "$PG_BIN/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
    cat "$dir/port"
    return 0
  fi
  local port
  port=$(free_port)
  echo "$port" > "$dir/port.tmp" && mv "$dir/port.tmp" "$dir/port"
  if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$dir/port"; fi
  pg_as_postgres "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=300 -c shared_buffers=256MB -c fsync=${PG_FSYNC:-on} -c maintenance_work_mem=512MB" \
    start >/dev/null
  echo "$port"
}

pg_stop() {
  local dir=$1
  [ -f "$dir/data/PG_VERSION" ] || return 0
  pg_allow_traverse "$dir"
  pg_as_postgres "$PG_BIN/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
}
