# The release server on a throw-away SQLite file with the demo contest, for the browser
# tests (scripts/test) and the browser benchmark (scripts/bench-page).
#
# `serve_demo LOG` starts target/release/cuocthi with the site in target/site on a free port
# below the kernel's range for outgoing connections (another one if the server cannot bind
# it: a server left running by someone else must never answer), waits until it answers, and
# sets `port`, `server` (its pid) and `demo_db` (the database URL). It returns 1, with the
# server's log printed, when no server started.

serve_demo() {
  local log=$1
  demo_db="sqlite://$(mktemp -d)/demo.db"
  server=""
  for _ in $(seq 1 10); do
    port=$((20000 + RANDOM % 12000))
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then continue; fi
    DATABASE_URL="$demo_db" LEPTOS_SITE_ADDR="127.0.0.1:$port" LEPTOS_SITE_ROOT=target/site \
      LEPTOS_SITE_PKG_DIR=pkg RUST_LOG=warn CUOCTHI_SEED_DEMO=1 \
      target/release/cuocthi > "$log" 2>&1 &
    server=$!
    for _ in $(seq 1 100); do
      curl -fs "http://127.0.0.1:$port/" >/dev/null && break
      kill -0 "$server" 2>/dev/null || break
      sleep 0.2
    done
    kill -0 "$server" 2>/dev/null && return 0
    server=""
  done
  cat "$log"
  echo "the release server did not start"
  return 1
}
