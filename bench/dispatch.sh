#!/usr/bin/env bash
# Dispatch bench: briefcast's dispatcher and Postfix's smtp-source, each into the same smtp-sink
# on loopback, with the same message size and number of connections.
#
#   bench/dispatch.sh            100,000 then 1,000,000 recipients per backend
#   bench/dispatch.sh 20000      a quick run
#
# PostgreSQL is measured when BRIEFCAST_BENCH_DATABASE_URL is set, or when PG_HOST is set (then
# a database `bc_bench` is created there and dropped after). The sink only counts: nothing is
# written to disk per message.
set -euo pipefail
cd "$(dirname "$0")/.."

COUNT="${1:-}"
SESSIONS="${BRIEFCAST_BENCH_POOL:-4}"
export BRIEFCAST_BENCH_POOL="$SESSIONS"

if ! [ -x /usr/sbin/smtp-sink ] || ! [ -x /usr/sbin/smtp-source ]; then
    # Installing postfix must not start a mail system: policy-rc.d refuses every service start.
    if ! [ -e /usr/sbin/policy-rc.d ]; then
        printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
        chmod +x /usr/sbin/policy-rc.d
    fi
    echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postfix
fi

# smtp-sink binds with SO_REUSEPORT, so a busy port would not fail: check it is free first.
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
PORT=""
for _ in $(seq 1 50); do
    candidate=$((20000 + RANDOM % 20000))
    if port_free "$candidate"; then PORT=$candidate; break; fi
done
[ -n "$PORT" ] || { echo "no free loopback port found" >&2; exit 1; }

SINK_OUT="$(mktemp)"
BENCH_LOG="$(mktemp)"
PG_DB=""
cleanup() {
    [ -n "${SINK_PID:-}" ] && kill "$SINK_PID" 2>/dev/null && wait "$SINK_PID" 2>/dev/null || true
    rm -f "$SINK_OUT" "$BENCH_LOG"
    if [ -n "$PG_DB" ]; then dropdb -h "$PG_HOST" -U postgres --if-exists "$PG_DB" || true; fi
}
trap cleanup EXIT

# -c counts transactions; options go before the address; 1024 is the listen backlog.
/usr/sbin/smtp-sink -u nobody -c 127.0.0.1:"$PORT" 1024 > "$SINK_OUT" &
SINK_PID=$!
for _ in $(seq 1 50); do port_free "$PORT" || break; sleep 0.1; done
echo "smtp-sink on 127.0.0.1:$PORT (pid $SINK_PID)"

if [ -z "${BRIEFCAST_BENCH_DATABASE_URL:-}" ] && [ -n "${PG_HOST:-}" ]; then
    PG_DB=bc_bench
    dropdb -h "$PG_HOST" -U postgres --if-exists "$PG_DB"
    createdb -h "$PG_HOST" -U postgres "$PG_DB"
    export BRIEFCAST_BENCH_DATABASE_URL="postgres://postgres@$PG_HOST/$PG_DB"
fi

df -h /work | tail -1
export BRIEFCAST_BENCH_SMTP="127.0.0.1:$PORT"
# Through a file rather than `tee /dev/stderr`, which would write over a log this script's
# output is redirected to.
cargo bench --bench dispatch -- ${COUNT} | tee "$BENCH_LOG"
BENCH_OUT="$(cat "$BENCH_LOG")"

# smtp-source with the message size briefcast sent and the same number of connections.
SIZE="$(grep -o '[0-9]* bytes/message' <<<"$BENCH_OUT" | head -1 | cut -d' ' -f1)"
TOTAL="${COUNT:-100000}"
[ "$TOTAL" -gt 100000 ] && TOTAL=100000
start=$(date +%s.%N)
/usr/sbin/smtp-source -d -s "$SESSIONS" -l "$SIZE" -m "$TOTAL" -f from@example.test -t to@example.test 127.0.0.1:"$PORT"
end=$(date +%s.%N)
SOURCE_RATE=$(echo "$TOTAL / ($end - $start)" | bc -l)
printf 'smtp-source: %d messages of %d bytes over %d sessions: %.0f msg/s\n' "$TOTAL" "$SIZE" "$SESSIONS" "$SOURCE_RATE"

# One line per briefcast run: its rate against smtp-source's.
grep -E '^(sqlite|postgres) +[0-9]+ recipients:' <<<"$BENCH_OUT" | while read -r backend n _ rate _; do
    printf '%-8s %9s recipients: briefcast %6.0f msg/s, smtp-source %6.0f msg/s, ratio %.2f\n' \
        "$backend" "$n" "$rate" "$SOURCE_RATE" "$(echo "$rate / $SOURCE_RATE" | bc -l)"
done

# With an RSA key, the machine's own RSA-2048 signing rate (OpenSSL, one core) times its cores is
# the most a signed send can reach here, whatever else it does: say how close briefcast came.
if [ -n "${BRIEFCAST_BENCH_DKIM_KEY:-}" ] && grep -q "rsa-sha256" <<<"$BENCH_OUT"; then
    OPENSSL_RATE=$(openssl speed -seconds 3 rsa2048 2>/dev/null | awk '/^rsa 2048 bits/ { print $6 }')
    CORES=$(nproc)
    CEILING=$(echo "$OPENSSL_RATE * $CORES" | bc -l)
    printf 'openssl speed rsa2048: %.0f signs/s on one core; %d cores: a signed send cannot pass %.0f msg/s here\n' \
        "$OPENSSL_RATE" "$CORES" "$CEILING"
    grep -E '^(sqlite|postgres) +[0-9]+ recipients:' <<<"$BENCH_OUT" | while read -r backend n _ rate _; do
        printf '%-8s %9s recipients: briefcast %6.0f msg/s signed, %.0f%% of that ceiling\n' \
            "$backend" "$n" "$rate" "$(echo "100 * $rate / $CEILING" | bc -l)"
    done
fi
