#!/usr/bin/env bash
# A throwaway PostgreSQL cluster and a `chroma run` server on loopback, for the servers backend of the
# tests and for `make bench-scale`.
#   .ci/servers.sh start DIR   installs PostgreSQL if missing, starts both, prints `export ...` lines
#   .ci/servers.sh stop DIR    stops both by the PIDs recorded in DIR
# Typical use: eval "$(.ci/servers.sh start /tmp/nb-servers)"; ...; .ci/servers.sh stop /tmp/nb-servers
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo -n "$@"; fi; }

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

install_postgres() {
  [ -n "$(pg_bin)" ] && return
  echo "servers: installing PostgreSQL (apt-get)" >&2
  as_root apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq postgresql >&2
}

free_port() { "$ROOT/.venv/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# initdb refuses to run as root: the cluster then belongs to the postgres user the package created.
as_owner() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

start_postgres() {
  local dir=$1/pg port=$2 bin
  bin=$(pg_bin)
  mkdir -p "$dir"
  [ "$(id -u)" = 0 ] && chown postgres: "$dir" && chmod 700 "$dir"
  as_owner "$bin/initdb" -D "$dir" -U newsbot --auth=trust -E UTF8 --locale=C.UTF-8 >"$1/initdb.log" 2>&1
  # a test cluster: durability off for speed; sockets in its own dir (no /run/postgresql needed)
  as_owner "$bin/pg_ctl" -D "$dir" -l "$dir/postgres.log" -w -t 60 start \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" >&2
  head -n 1 "$dir/postmaster.pid" >"$1/postgres.pid"
}

start_chroma() {
  local dir=$1 port=$2
  "$ROOT/.venv/bin/chroma" run --path "$dir/chroma" --host 127.0.0.1 --port "$port" >"$dir/chroma.log" 2>&1 &
  echo $! >"$dir/chroma.pid"
  for _ in $(seq 1 120); do
    "$ROOT/.venv/bin/python" -c "import urllib.request as u; u.urlopen('http://127.0.0.1:$port/api/v2/heartbeat', timeout=1)" \
      2>/dev/null && return
    kill -0 "$(cat "$dir/chroma.pid")" 2>/dev/null || break
    sleep 0.5
  done
  echo "servers: chroma did not start; its log:" >&2; cat "$dir/chroma.log" >&2; return 1
}

start() {
  local dir=$1 pg_port chroma_port
  install_postgres
  mkdir -p "$dir"
  pg_port=$(free_port); start_postgres "$dir" "$pg_port"
  chroma_port=$(free_port); start_chroma "$dir" "$chroma_port"
  echo "export NEWSBOT_TEST_DATABASE_URL=postgresql+psycopg://newsbot@127.0.0.1:$pg_port/postgres"
  echo "export NEWSBOT_TEST_CHROMA_HOST=127.0.0.1 NEWSBOT_TEST_CHROMA_PORT=$chroma_port"
}

stop() {
  local dir=$1 pid
  for name in chroma postgres; do
    [ -f "$dir/$name.pid" ] || continue
    pid=$(cat "$dir/$name.pid")
    # SIGINT is PostgreSQL's fast shutdown; chroma stops on it too
    kill -INT "$pid" 2>/dev/null || continue
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    rm -f "$dir/$name.pid"
  done
}

case "${1:-}" in
  start) start "${2:?usage: $0 start DIR}" ;;
  stop) stop "${2:?usage: $0 stop DIR}" ;;
  *) echo "usage: $0 start|stop DIR" >&2; exit 2 ;;
esac
