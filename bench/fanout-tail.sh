#!/usr/bin/env bash
# Issue 21's saturating fan-out: one publisher, 100 subscribers, QoS 1, 64-byte messages as fast
# as the broker takes them (the load tool's end-to-end window opened to 100,000, so only the
# broker holds the publisher back), queues of 100,000 and 64 in flight on every broker.
# checked-mqtt with publisher flow control off (the default) and on, and Mosquitto, side by side
# in every round; each broker fresh, warmed by a 3 s run first.
#
#   ROUNDS=3 DURATION=10 HIGH_WATER=1000 bench/fanout-tail.sh
#
# Prints each measured run's RESULT line (msgs/s delivered, latency percentiles in µs).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ROUNDS=${ROUNDS:-3}; DURATION=${DURATION:-10}; HIGH_WATER=${HIGH_WATER:-1000}
BROKER="$ROOT/nio-broker/target/checked-mqtt-broker.jar"
BENCH="$ROOT/bench/target/checked-mqtt-bench.jar"
WORK="$(mktemp -d)"; trap 'rm -rf "$WORK"' EXIT
. "$ROOT/bench/lib.sh"

load() { # PORT LABEL DURATION
  java -jar "$BENCH" fanout -n 100 --qos 1 --payload 64 --inflight 64 --window 100000 --drain 60 \
      --duration "$3" --port "$1" --label "$2" --quiet 2>&1 | grep '^RESULT ' || echo "# $2: no RESULT line"
}

run_checked() { # LABEL EXTRA-CONFIG
  local port; port=$(free_port)
  printf 'listener %s 127.0.0.1\nmax_queued_messages 100000\nmax_inflight_messages 64\nlog_connections false\n%s\n' \
      "$port" "$2" > "$WORK/checked.conf"
  java -jar "$BROKER" --config "$WORK/checked.conf" --quiet > "$WORK/checked.log" 2>&1 & local pid=$!
  wait_port "$port"; load "$port" warm-up 3 > /dev/null; load "$port" "$1" "$DURATION"
  kill "$pid"; wait "$pid" 2>/dev/null || true
}

run_mosquitto() {
  local port; port=$(free_port)
  printf 'listener %s 127.0.0.1\nallow_anonymous true\nmax_connections -1\npersistence false\nlog_dest none\nmax_queued_messages 100000\nmax_inflight_messages 64\nset_tcp_nodelay true\n' \
      "$port" > "$WORK/mosquitto.conf"
  mosquitto -c "$WORK/mosquitto.conf" > /dev/null 2>&1 & local pid=$!
  wait_port "$port"; load "$port" warm-up 3 > /dev/null; load "$port" mosquitto "$DURATION"
  kill "$pid"; wait "$pid" 2>/dev/null || true
}

echo "# ROUNDS=$ROUNDS DURATION=$DURATION HIGH_WATER=$HIGH_WATER; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
for _ in $(seq "$ROUNDS"); do
  run_checked flow-off ""
  run_checked flow-on "flow_control_high_water $HIGH_WATER"
  run_mosquitto
  echo "# load average after the round: $(cut -d' ' -f1-3 /proc/loadavg)"
done
