#!/usr/bin/env bash
# Memory bench: the daemon's resident memory (VmRSS, and its peak VmHWM) at rest, through a
# million-row roster imported over the API, and through twenty 24 MB inbound messages posted
# four at a time; then whether it returns to its working size.
#
#   bench/memory.sh                      SQLite in a fresh data folder, the release binary
#   DBURL=postgres://… bench/memory.sh   PostgreSQL (an empty database)
#   BIN=target/debug/briefcast bench/memory.sh
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=$(realpath "${BIN:-target/release/briefcast}")
[ -x "$BIN" ] || cargo build --release -q
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
D=$(mktemp -d /tmp/briefcast-memory.XXXXXX)
cd "$D"
export BRIEFCAST_DATA_DIR="$D/data" BRIEFCAST_HTTP_ADDR="127.0.0.1:$PORT"
[ -n "${DBURL:-}" ] && export BRIEFCAST_DATABASE_URL="$DBURL"
OPS=$("$BIN" token create --role ops --label memory-bench 2>/dev/null)
COORDINATOR=$("$BIN" token create --role coordinator --label memory-bench 2>/dev/null)
"$BIN" serve > serve.log 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null; rm -rf "$D"' EXIT
deadline=$((SECONDS + 60))
until curl -sf "http://127.0.0.1:$PORT/healthz" > /dev/null; do
  ((SECONDS < deadline)) || { cat serve.log; exit 1; }
  sleep 0.2
done
rss() { awk '/VmRSS|VmHWM/ { printf "%s %d MB  ", $1, $2 / 1024 } END { print "" }' "/proc/$PID/status"; }
echo "at rest:            $(rss)"

python3 - <<'PY'
line = b"A" * 998 + b"\r\n"
head = b"From: someone@example.com\r\nTo: questions@example.org\r\nSubject: big\r\nMessage-ID: <big@x>\r\n\r\n"
open("big.eml", "wb").write(head + line * (24 * 1024 * 1024 // 1000))
with open("million.csv", "w") as f:
    f.write("email,name,language,platforms,followers,topics,region,tier,cadence,consent_at,consent_source\n")
    for i in range(1_000_000):
        f.write(f"reader{i:07}@example.fi,Reader Number {i},fi,instagram;tiktok,1000,health;preparedness,"
                "Uusimaa,open,weekly,2026-03-02T10:15:00+02:00,signup-form\n")
PY

start=$SECONDS
curl -sf -H "Authorization: Bearer $COORDINATOR" -H 'Content-Type: text/csv' -T million.csv -X POST \
  "http://127.0.0.1:$PORT/api/v1/influencers/import" \
  | python3 -c 'import json, sys; r = json.load(sys.stdin); print("imported: %d new, %d rejected" % (r["new"], len(r["rejected"])))'
echo "1M rows, $((SECONDS - start)) s:   $(rss)"

for round in 1 2 3 4 5; do
  pids=()
  for i in 1 2 3 4; do
    sed "s/<big@x>/<big-$round-$i@x>/" big.eml > "b$i.eml"
    curl -sf -o /dev/null -H "Authorization: Bearer $OPS" --data-binary "@b$i.eml" \
      "http://127.0.0.1:$PORT/api/v1/inbound" &
    pids+=($!)
  done
  wait "${pids[@]}"
done
echo "20 × 24 MB inbound: $(rss)"
