# Postgres for the tests, sourced by scripts/test and scripts/bench.
#
# `use_test_postgres` sets CUOCTHI_TEST_PG to a server the tests may create databases on:
#   - CUOCTHI_TEST_PG when it is set (it must answer), or
#   - the server at 127.0.0.1:5432 (user postgres, trust auth) when one answers, or
#   - a throw-away cluster from Debian's postgresql package, on a free port, in a temporary
#     folder; `stop_test_postgres` (the caller's exit trap) stops it and removes the folder.
# CUOCTHI_TEST_PG=throwaway asks for the throw-away cluster even when 5432 answers.

THROWAWAY_PG_DIR=""

pg_bin() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  if [ -z "$dir" ] || [ ! -x "$dir/initdb" ]; then
    echo "[postgres] installing Debian's postgresql package" >&2
    local sudo=""
    [ "$(id -u)" = 0 ] || sudo=sudo
    $sudo apt-get update -qq >&2 || true
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql >&2
    dir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  fi
  echo "$dir"
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

start_throwaway_postgres() {
  local bin port run
  bin=$(pg_bin)
  port=$(free_port)
  THROWAWAY_PG_DIR=$(mktemp -d /tmp/cuocthi-pg.XXXXXX)
  # initdb and postgres refuse to run as root; Debian's package has a postgres account.
  run=()
  if [ "$(id -u)" = 0 ]; then
    chown postgres: "$THROWAWAY_PG_DIR"
    run=(runuser -u postgres --)
  fi
  "${run[@]}" "$bin/initdb" -D "$THROWAWAY_PG_DIR/data" -U postgres -A trust -E UTF8 \
    --locale=C.UTF-8 --no-sync >"$THROWAWAY_PG_DIR/initdb.log" 2>&1 ||
    { cat "$THROWAWAY_PG_DIR/initdb.log" >&2; return 1; }
  # A cluster for tests: nothing in it must survive a crash, so no fsync.
  "${run[@]}" "$bin/pg_ctl" -D "$THROWAWAY_PG_DIR/data" -l "$THROWAWAY_PG_DIR/server.log" -w \
    -o "-p $port -k $THROWAWAY_PG_DIR -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300" \
    start >/dev/null ||
    { cat "$THROWAWAY_PG_DIR/server.log" >&2; return 1; }
  export CUOCTHI_TEST_PG="postgres://postgres@127.0.0.1:$port/postgres"
  echo "[postgres] throw-away cluster at 127.0.0.1:$port ($THROWAWAY_PG_DIR)"
}

stop_test_postgres() {
  [ -n "$THROWAWAY_PG_DIR" ] || return 0
  local bin run=()
  bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  [ "$(id -u)" = 0 ] && run=(runuser -u postgres --)
  "${run[@]}" "$bin/pg_ctl" -D "$THROWAWAY_PG_DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$THROWAWAY_PG_DIR"
  echo "[postgres] throw-away cluster stopped and removed"
  THROWAWAY_PG_DIR=""
}

use_test_postgres() {
  local default=postgres://postgres@127.0.0.1:5432/postgres
  case "${CUOCTHI_TEST_PG:-}" in
    throwaway) unset CUOCTHI_TEST_PG; start_throwaway_postgres ;;
    "")
      if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null && psql "$default" -Atqc 'select 1' >/dev/null 2>&1; then
        export CUOCTHI_TEST_PG=$default
      else
        echo "[postgres] nothing answers at 127.0.0.1:5432 as user postgres; starting a throw-away cluster"
        start_throwaway_postgres
      fi
      ;;
    *)
      psql "$CUOCTHI_TEST_PG" -Atqc 'select 1' >/dev/null ||
        { echo "CUOCTHI_TEST_PG=$CUOCTHI_TEST_PG does not answer" >&2; return 1; }
      ;;
  esac
}
