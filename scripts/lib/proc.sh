#!/usr/bin/env bash
# Background process helpers, sourced by the other scripts. Each service keeps
# .cortex/<name>.pid and .cortex/<name>.log under the project.

proc_running() {
  local pidfile=$1
  [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null
}

proc_stop() {
  local pidfile=$1
  if proc_running "$pidfile"; then
    local pid
    pid=$(cat "$pidfile")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.2
    done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$pidfile"
}

# start_background NAME COMMAND...: runs COMMAND detached from this shell's terminal and pipes, in
# COMMAND's directory, logging to NAME.log and recording its pid in NAME.pid.
start_background() {
  local name=$1 dir
  shift
  # Run from the program's own directory: ASP.NET makes the working directory its content root and watches it for
  # configuration changes, so it must not be a state directory Postgres writes into (that cost ~10% of server CPU).
  dir=$(dirname "$1")
  [ -d "$dir" ] || dir=$(dirname "$name")
  (cd "$dir" && exec nohup "$@" >"$name.log" 2>&1 </dev/null) &
  echo $! >"$name.pid"
}

# wait_http URL SECONDS: polls until URL answers 2xx.
wait_http() {
  local url=$1 seconds=$2
  for _ in $(seq 1 $((seconds * 5))); do
    if curl -fsS -o /dev/null "$url" 2>/dev/null; then return 0; fi
    sleep 0.2
  done
  return 1
}

port_free() {
  ! (echo >"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}
