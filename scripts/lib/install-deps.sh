#!/usr/bin/env bash
# Installs the machine-level dependencies Cortex needs: Postgres 15 server, pgvector (built from
# Debian's source package), the tools the tests run (promtool, redis-server, docker-compose, jq, sqlite3).
# Idempotent: each step checks first.
set -euo pipefail

PG_BIN=/usr/lib/postgresql/15/bin
PG_EXT_DIR=/usr/share/postgresql/15/extension

log() { printf '[install-deps] %s\n' "$*" >&2; }

apt_updated=0
apt_update_once() {
  if [ "$apt_updated" = 0 ]; then
    apt-get update -qq >/dev/null
    apt_updated=1
  fi
}

ensure_apt() {
  local missing=()
  for pkg in "$@"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
  done
  if ((${#missing[@]})); then
    log "installing ${missing[*]}"
    apt_update_once
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

ensure_postgres() {
  if [ ! -x "$PG_BIN/postgres" ]; then
    ensure_apt postgresql-15
  fi
}

# pgvector is not packaged for this Debian release: build it from the trixie source package,
# fetched from the same mirror as the machine's own apt sources.
ensure_pgvector() {
  if [ -f "$PG_EXT_DIR/vector.control" ]; then
    return
  fi
  local mirror
  mirror=$(grep -hE '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -n1 | awk '{print $2}')
  if [ -z "$mirror" ]; then
    mirror=$(grep -hE '^deb ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null | head -n1 | awk '{print $2}')
  fi
  [ -n "$mirror" ] || { log "cannot find the apt mirror URI"; exit 1; }
  local src_list=/etc/apt/sources.list.d/cortex-pgvector-src.list
  if [ ! -f "$src_list" ]; then
    echo "deb-src $mirror trixie main" > "$src_list"
    apt_updated=0
  fi
  apt_update_once
  ensure_apt postgresql-server-dev-15 build-essential dpkg-dev
  local work
  work=$(mktemp -d)
  log "building pgvector in $work"
  (
    cd "$work"
    apt-get source --download-only pgvector >/dev/null 2>&1
    tar xf pgvector_*.orig.tar.* >/dev/null
    cd pgvector-*/
    make PG_CONFIG="$PG_BIN/pg_config" >/dev/null 2>&1
    make PG_CONFIG="$PG_BIN/pg_config" install >/dev/null 2>&1
  )
  rm -rf "$work"
  [ -f "$PG_EXT_DIR/vector.control" ] || { log "pgvector build failed"; exit 1; }
  log "pgvector installed"
}

main() {
  # jq: the runbooks' tested snippets (RunbookTests); sqlite3: runbooks/sidecar-troubleshooting.md.
  ensure_apt ca-certificates curl docker-compose jq prometheus redis-server sqlite3
  ensure_postgres
  ensure_pgvector
}

main "$@"
