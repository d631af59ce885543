#!/usr/bin/env bash
# Run a command with the services the test suite needs, then stop them.
#
#   scripts/test-services.sh COMMAND ARGS...
#
# PostgreSQL: a throwaway cluster in a temp dir, on a free port of 127.0.0.1,
#   with a database letopis_test; exported as
#   LETOPIS_TEST_POSTGRES=postgresql://postgres@127.0.0.1:PORT/letopis_test
# Chromium: Debian's /usr/bin/chromium, exported as LETOPIS_CHROMIUM.
#
# When a service is missing and CI=true (or LETOPIS_INSTALL_SERVICES=1) and we
# are root with apt-get, it is installed from Debian's packages first.  When it
# can't be had, the reason is printed and the command runs without its
# variable: tests/services.py then skips those tests (or fails them under CI).
# A variable already set in the environment is used as it is.
#
# The server is always stopped and the temp dir removed (on exit, Ctrl-C or
# TERM); the exit status is the command's.

# shellcheck disable=SC2329 # functions called only from the traps
set -euo pipefail

if [ "$#" -eq 0 ]; then
    echo "usage: $0 COMMAND [ARGS...]" >&2
    exit 2
fi

say() { printf 'test-services: %s\n' "$*" >&2; }

is_true() { case "${1:-}" in 1 | true | TRUE | True | yes | YES) return 0 ;; *) return 1 ;; esac; }

# what happens to the tests that need a missing service (tests/services.py)
if is_true "${CI:-}"; then WILL="will fail (CI=true)"; else WILL="will skip"; fi

APT_LOG="${LETOPIS_SERVICES_LOG:-${TMPDIR:-/tmp}/letopis-test-services-apt.log}"

may_install() {
    # Prints nothing; true when we are allowed and able to apt-get install.
    { is_true "${CI:-}" || is_true "${LETOPIS_INSTALL_SERVICES:-}"; } || return 1
    [ "$(id -u)" -eq 0 ] || return 1
    command -v apt-get >/dev/null 2>&1 || return 1
}

why_no_install() {
    if may_install; then
        echo "apt-get did not provide it, see $APT_LOG"
    elif ! { is_true "${CI:-}" || is_true "${LETOPIS_INSTALL_SERVICES:-}"; }; then
        echo "not installing it: set LETOPIS_INSTALL_SERVICES=1 (as root) to have it installed"
    elif [ "$(id -u)" -ne 0 ]; then
        echo "can't install it: not root"
    else
        echo "can't install it: no apt-get"
    fi
}

APT_UPDATED=0
apt_update_once() {
    [ "$APT_UPDATED" -eq 1 ] && return 0
    local i
    for i in 1 2 3; do
        if timeout 300 apt-get -q -o DPkg::Lock::Timeout=120 update >>"$APT_LOG" 2>&1; then
            APT_UPDATED=1
            return 0
        fi
        sleep $((i * 5))
    done
    return 1
}

pkg_exists() {
    apt-cache show --no-all-versions "$1" >/dev/null 2>&1
}

# apt_install PACKAGE...  (quiet, logged, with timeouts and retries; sets INSTALLED)
INSTALLED=""
apt_install() {
    local i t0
    t0=$(date +%s)
    say "installing $* with apt-get (log: $APT_LOG)"
    echo "== $(date -u +%FT%TZ) scripts/test-services.sh: installing $*" >>"$APT_LOG"
    apt_update_once || { say "apt-get update failed (log: $APT_LOG)"; return 1; }
    for i in 1 2 3; do
        echo "== apt-get install $* (try $i)" >>"$APT_LOG"
        if DEBIAN_FRONTEND=noninteractive timeout 1200 apt-get install -y -q \
            --no-install-recommends -o DPkg::Lock::Timeout=300 \
            -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
            "$@" >>"$APT_LOG" 2>&1; then
            INSTALLED="; installed in $(($(date +%s) - t0))s"
            return 0
        fi
        sleep $((i * 5))
        # a timed-out install can leave dpkg half done; a stale list can 404
        DEBIAN_FRONTEND=noninteractive dpkg --configure -a >>"$APT_LOG" 2>&1 || true
        APT_UPDATED=0
        apt_update_once || true
    done
    say "apt-get install $* failed (log: $APT_LOG):"
    tail -n 5 "$APT_LOG" | sed 's/^/    /' >&2
    return 1
}

# ---------------------------------------------------------------- cleanup

PG_TMP=""
PG_DATA=""
PG_USER=""
CHILD=""
CLEANED=0

as_pg() {
    # Run a PostgreSQL server binary as the cluster's owner (postgres refuses root).
    if [ -z "$PG_USER" ]; then
        (cd "$PG_TMP" && "$@")
    elif command -v runuser >/dev/null 2>&1; then
        (cd "$PG_TMP" && runuser -u "$PG_USER" -- "$@")
    else
        (cd "$PG_TMP" && su -s /bin/sh "$PG_USER" -c "$(printf '%q ' "$@")")
    fi
}

stop_postgres() {
    [ -n "$PG_DATA" ] && [ -f "$PG_DATA/postmaster.pid" ] || return 0
    local pid
    pid=$(head -n 1 "$PG_DATA/postmaster.pid" 2>/dev/null || true)
    as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w -t 30 stop >/dev/null 2>&1 ||
        as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -m immediate -w -t 10 stop >/dev/null 2>&1 || true
    # pg_ctl returns once the pid file is gone; wait for the process itself too.
    local n=100
    while [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && [ "$n" -gt 0 ]; do
        sleep 0.1
        n=$((n - 1))
    done
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
        kill -KILL "$pid" 2>/dev/null || true
        sleep 0.5
    fi
}

cleanup() {
    [ "$CLEANED" -eq 1 ] && return 0
    CLEANED=1
    trap '' INT TERM
    stop_postgres
    if [ -n "$PG_TMP" ] && [ -d "$PG_TMP" ]; then
        rm -rf -- "$PG_TMP"
    fi
}

child_alive() {
    [ -n "$CHILD" ] && kill -0 "$CHILD" 2>/dev/null &&
        ! [ "$(ps -o stat= -p "$CHILD" 2>/dev/null | cut -c1)" = Z ]
}

# wait_child SECONDS: true once the command has exited
wait_child() {
    local n=$(($1 * 10))
    while child_alive && [ "$n" -gt 0 ]; do
        sleep 0.1
        n=$((n - 1))
    done
    ! child_alive
}

on_signal() {
    local sig=$1 code=$2 rc
    trap '' INT TERM
    if [ -n "$CHILD" ]; then
        if [ "$sig" = INT ]; then
            # A Ctrl-C reached the command too: let it finish its own way first.
            wait_child 5 || kill -INT "$CHILD" 2>/dev/null || true
            wait_child 10 || kill -TERM "$CHILD" 2>/dev/null || true
        else
            kill -TERM "$CHILD" 2>/dev/null || true
        fi
        wait_child 10 || kill -KILL "$CHILD" 2>/dev/null || true
        rc=0
        wait "$CHILD" 2>/dev/null || rc=$?
        # (bash may report a child it already reaped as -1 here: keep the default)
        if [ "$rc" -gt 0 ] && [ "$rc" -le 255 ]; then code=$rc; fi
    fi
    say "interrupted ($sig): stopping services"
    cleanup
    exit "$code"
}

trap cleanup EXIT
trap 'on_signal INT 130' INT
trap 'on_signal TERM 143' TERM

# ---------------------------------------------------------------- PostgreSQL

PG_BIN=""
find_pg_bin() {
    local d
    # newest major version first
    for d in $(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V -r); do
        if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && [ -x "$d/postgres" ]; then
            PG_BIN=$d
            return 0
        fi
    done
    return 1
}

port_taken() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

start_postgres() {
    # Sets LETOPIS_TEST_POSTGRES or prints why not; never fails the script.
    if [ -n "${LETOPIS_TEST_POSTGRES:-}" ]; then
        say "postgres: using LETOPIS_TEST_POSTGRES from the environment"
        return 0
    fi
    INSTALLED=""
    if ! find_pg_bin; then
        if may_install; then
            # Don't let the package create its own 'main' cluster: we use a
            # throwaway one.  The setting is removed again after the install.
            local nomain=/etc/postgresql-common/createcluster.d/zz-letopis-no-main.conf
            mkdir -p "${nomain%/*}"
            echo "create_main_cluster = false" >"$nomain"
            apt_install postgresql || true
            rm -f "$nomain"
        fi
        if ! find_pg_bin; then
            say "postgres: not available (no /usr/lib/postgresql/*/bin/initdb; $(why_no_install)); PostgreSQL tests $WILL"
            return 0
        fi
    fi

    local base="${TMPDIR:-/tmp}"
    if [ "$(id -u)" -eq 0 ]; then
        base=/tmp # the postgres user must be able to reach it
        if id -u postgres >/dev/null 2>&1; then PG_USER=postgres; else PG_USER=nobody; fi
    fi
    [ "${#base}" -le 60 ] || base=/tmp # unix socket paths are limited to ~107 bytes
    PG_TMP=$(mktemp -d "$base/letopis-pg.XXXXXX")
    chmod 755 "$PG_TMP"
    PG_DATA="$PG_TMP/data"
    if [ -n "$PG_USER" ]; then
        chown "$PG_USER:" "$PG_TMP"
    fi

    if ! as_pg "$PG_BIN/initdb" -D "$PG_DATA" -U postgres -A trust -E UTF8 --locale=C.UTF-8 -N \
        >"$PG_TMP/initdb.log" 2>&1; then
        rm -rf -- "$PG_DATA"
        if ! as_pg "$PG_BIN/initdb" -D "$PG_DATA" -U postgres -A trust -E UTF8 --no-locale -N \
            >"$PG_TMP/initdb.log" 2>&1; then
            say "postgres: initdb failed; PostgreSQL tests $WILL:"
            tail -n 5 "$PG_TMP/initdb.log" | sed 's/^/    /' >&2
            PG_DATA=""
            return 0
        fi
    fi
    # shellcheck disable=SC2016 # $1 is expanded by that sh
    as_pg sh -c 'cat >"$1/pg_hba.conf"' sh "$PG_DATA" <<EOF
local   all all              trust
host    all all 127.0.0.1/32 trust
host    all all ::1/128      trust
EOF
    # shellcheck disable=SC2016
    as_pg sh -c 'cat >>"$1/postgresql.conf"' sh "$PG_DATA" <<EOF

# letopis test cluster (scripts/test-services.sh)
listen_addresses = '127.0.0.1'
unix_socket_directories = '$PG_TMP'
fsync = off
synchronous_commit = off
full_page_writes = off
shared_buffers = 16MB
max_connections = 50
logging_collector = off
EOF

    local _ port started=0
    for _ in 1 2 3 4 5; do
        port=$((20000 + RANDOM % 40000))
        port_taken "$port" && continue
        if as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_TMP/postgres.log" -o "-p $port" \
            -w -t 60 start >/dev/null 2>&1; then
            started=1
            break
        fi
    done
    if [ "$started" -ne 1 ]; then
        say "postgres: the server did not start; PostgreSQL tests $WILL:"
        tail -n 5 "$PG_TMP/postgres.log" 2>/dev/null | sed 's/^/    /' >&2
        return 0
    fi
    if ! "$PG_BIN/createdb" -h 127.0.0.1 -p "$port" -U postgres letopis_test >"$PG_TMP/createdb.log" 2>&1; then
        say "postgres: createdb letopis_test failed; PostgreSQL tests $WILL:"
        tail -n 5 "$PG_TMP/createdb.log" | sed 's/^/    /' >&2
        stop_postgres
        return 0
    fi
    export LETOPIS_TEST_POSTGRES="postgresql://postgres@127.0.0.1:$port/letopis_test"
    say "postgres: $("$PG_BIN/postgres" --version | sed 's/^postgres (PostgreSQL) /PostgreSQL /') at $LETOPIS_TEST_POSTGRES (data in $PG_TMP$INSTALLED)"
}

# ---------------------------------------------------------------- Chromium

CHROMIUM=/usr/bin/chromium
# Fonts with Cyrillic glyphs, so screenshots of Russian/Ukrainian text show text.
CHROMIUM_FONTS="fonts-dejavu-core fonts-liberation"

setup_chromium() {
    if [ -n "${LETOPIS_CHROMIUM:-}" ]; then
        say "chromium: using LETOPIS_CHROMIUM=$LETOPIS_CHROMIUM from the environment"
        return 0
    fi
    INSTALLED=""
    if [ ! -x "$CHROMIUM" ] && may_install; then
        local pkgs="chromium" p
        apt_update_once || true
        for p in $CHROMIUM_FONTS; do
            if pkg_exists "$p"; then pkgs="$pkgs $p"; fi
        done
        # shellcheck disable=SC2086
        apt_install $pkgs || true
    fi
    if [ ! -x "$CHROMIUM" ]; then
        say "chromium: not available (no $CHROMIUM; $(why_no_install)); browser tests $WILL"
        return 0
    fi
    export LETOPIS_CHROMIUM="$CHROMIUM"
    local v
    v=$(timeout 30 "$CHROMIUM" --version 2>/dev/null | head -n 1 || true)
    say "chromium: ${v:-$CHROMIUM (--version failed)} at $LETOPIS_CHROMIUM${INSTALLED:+ (${INSTALLED#; })}"
}

# ---------------------------------------------------------------- run

start_postgres
setup_chromium

# The command runs in the background so that a TERM or INT sent to this script
# alone is handled at once; stdin is passed on explicitly, and INT/QUIT are
# reset to their defaults (bash ignores them in background jobs otherwise).
rc=0
if env --default-signal=INT true >/dev/null 2>&1; then
    env --default-signal=INT,QUIT "$@" <&0 &
    CHILD=$!
    wait "$CHILD" || rc=$?
else
    "$@" || rc=$?
fi
CHILD=""
cleanup
exit "$rc"
