#!/usr/bin/env bash
# Makes sure NATS (with JetStream) and PostgreSQL answer on loopback: uses them when they already run,
# otherwise starts them, installing them from Debian's packages first where they are missing.
# Used by `npm start`, the tests' CI entry point (.ci/run) and the benchmark.
set -euo pipefail

NATS_PORT=${NATS_PORT:-4222}
PG_PORT=${PG_PORT:-5432}

say() { printf '[infra] %s\n' "$*" >&2; }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
wait_for_port() {
  for _ in $(seq 1 60); do port_open "$1" && return 0; sleep 0.5; done
  say "nothing answers on 127.0.0.1:$1 after 30 s ($2)"; return 1
}
can_install() { [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; }
apt_install() {
  if ! can_install; then
    say "$1 is not installed. Install it with: sudo apt-get install -y $*"; exit 1
  fi
  say "installing $* from Debian's packages"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq "$@" >/dev/null
}

ensure_postgres() {
  if port_open "$PG_PORT"; then say "PostgreSQL answers on $PG_PORT"; return; fi
  if ! ls /etc/postgresql/*/main >/dev/null 2>&1; then apt_install postgresql; fi
  local version; version=$(ls /etc/postgresql | sort -V | tail -n 1)
  local conf=/etc/postgresql/$version/main
  # Local development and CI trust loopback connections, as the services' default DATABASE_URL expects.
  if ! grep -qE '^host\s+all\s+all\s+127\.0\.0\.1/32\s+trust' "$conf/pg_hba.conf"; then
    sed -i -E 's/^(host\s+all\s+all\s+(127\.0\.0\.1\/32|::1\/128)\s+)\S+/\1trust/' "$conf/pg_hba.conf"
  fi
  say "starting PostgreSQL $version"
  pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  wait_for_port "$PG_PORT" PostgreSQL
}

ensure_nats() {
  if port_open "$NATS_PORT"; then say "NATS answers on $NATS_PORT"; return; fi
  if ! command -v nats-server >/dev/null && [ ! -x /usr/sbin/nats-server ]; then apt_install nats-server; fi
  local bin; bin=$(command -v nats-server || echo /usr/sbin/nats-server)
  mkdir -p /var/lib/nats-server 2>/dev/null || true
  say "starting NATS with JetStream"
  if command -v start-stop-daemon >/dev/null; then
    start-stop-daemon --start --oknodo --background --exec "$bin" -- \
      -a 127.0.0.1 -p "$NATS_PORT" -js -sd /var/lib/nats-server -l /var/log/nats-server.log
  else
    nohup "$bin" -a 127.0.0.1 -p "$NATS_PORT" -js -sd "${TMPDIR:-/tmp}/nats-server" >/dev/null 2>&1 &
  fi
  wait_for_port "$NATS_PORT" NATS
}

ensure_postgres
ensure_nats
