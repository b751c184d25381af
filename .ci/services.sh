# Sourced by .ci/run: makes sure PostgreSQL server binaries and Chromium are present and
# starts a throwaway PostgreSQL on loopback. Exports MOE_PG_URL and the MOE_REQUIRE_* flags
# that make the PostgreSQL and Chromium tests fail (not skip) in CI.
apt_install() {
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@") >/dev/null 2>&1 || echo "CI: apt-get install $* failed" >&2
  fi
}

pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$pg_bin" ]; then
  apt_install postgresql
  pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
fi
if [ ! -x /usr/bin/chromium ]; then
  apt_install chromium
fi
export MOE_REQUIRE_CHROMIUM=1

PG_DIR=""
stop_services() {
  if [ -n "$PG_DIR" ] && [ -d "$PG_DIR" ]; then
    run_pg "$pg_bin/pg_ctl" -D "$PG_DIR/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$PG_DIR"
  fi
}

run_pg() {
  # PostgreSQL refuses to run as root: run as the postgres user when we are root.
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

if [ -n "$pg_bin" ]; then
  PG_DIR=$(mktemp -d /tmp/moe-ci-pg.XXXXXX)
  chmod 755 "$PG_DIR"
  [ "$(id -u)" = 0 ] && chown postgres "$PG_DIR"
  pg_port=$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
  if run_pg "$pg_bin/initdb" -D "$PG_DIR/data" -U moe --auth=trust >"$PG_DIR/initdb.log" 2>&1 \
    && run_pg "$pg_bin/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -o "-c listen_addresses=127.0.0.1 -c port=$pg_port -k $PG_DIR -c fsync=off" start >/dev/null 2>&1; then
    export MOE_PG_URL="postgres://moe@127.0.0.1:$pg_port/postgres"
    export MOE_REQUIRE_PG=1
    echo "PostgreSQL running at $MOE_PG_URL"
  else
    echo "CI: could not start PostgreSQL (see $PG_DIR)" >&2
    cat "$PG_DIR"/*.log >&2 2>/dev/null
    export MOE_REQUIRE_PG=1
  fi
else
  echo "CI: no PostgreSQL server binaries" >&2
  export MOE_REQUIRE_PG=1
fi
