#!/usr/bin/env bash
# What the HTTP listener and $SYS cost, and how fast the API answers with many clients connected.
#
#   bench/observability.sh [--rounds N] [--duration S] [--clients N] [--baseline-jar JAR] [--out FILE]
#
# Two measurements:
#   throughput  pairs -n 10 --qos 1 for S seconds against three brokers of this build, started once
#               and warmed, measured in alternation every round (off on polled, on polled off, ...):
#                 off     sys_interval 0, no HTTP listener
#                 on      http_listener and $SYS every 10 s (the defaults), nobody asking
#                 polled  as on, and every second /metrics and /api/v1/summary are fetched (a
#                         Prometheus scrape and the dashboard's overview)
#               The ratios on/off and polled/off are the cost. With --baseline-jar, a fourth
#               broker runs that jar (a build from before this work, e.g. main's) with the
#               settings of off, for the cost of what is always on (the counters, the pass timer).
#               Besides msgs/s, each run's broker CPU time (all its threads, from /proc) per
#               message delivered: on a loaded machine the rate swings with what else runs, the
#               CPU a message costs much less. Ratios are medians of the ratios within a round
#               (variants of one round run back to back, so they share the machine's mood).
#   api         one broker with N idle clients connected by the load tool (conn --hold); each
#               endpoint is fetched 50 times with curl (a new connection each time), and the
#               median and largest times are reported, with the size of the answer.
# Writes a Markdown table to FILE (default bench/results/observability.md); stops everything it
# starts; every run is bounded by timeout.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH_JAR="$ROOT/bench/target/checked-mqtt-bench.jar"
BROKER_JAR="$ROOT/nio-broker/target/checked-mqtt-broker.jar"
ROUNDS=5
DURATION=10
CLIENTS=10000
OUTFILE="$ROOT/bench/results/observability.md"
BASELINE_JAR=""
while [ $# -gt 0 ]; do
  case "$1" in
    --baseline-jar) BASELINE_JAR="$2"; shift ;;
    --rounds) ROUNDS="$2"; shift ;;
    --duration) DURATION="$2"; shift ;;
    --clients) CLIENTS="$2"; shift ;;
    --out) OUTFILE="$2"; shift ;;
    *) echo "usage: bench/observability.sh [--rounds N] [--duration S] [--clients N] [--baseline-jar JAR] [--out FILE]" >&2; exit 2 ;;
  esac
  shift
done

log() { printf '[observability %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
build() { (cd "$ROOT" && { mvn -B -ntp -o -q package -pl "$1" -am -DskipTests || mvn -B -ntp -q package -pl "$1" -am -DskipTests; }); }
[ -f "$BENCH_JAR" ] || { log "building the load tool"; build bench; }
[ -f "$BROKER_JAR" ] || { log "building checked-mqtt"; build nio-broker; }
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

WORK="$(mktemp -d /tmp/checked-mqtt-observability.XXXXXX)"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Starts a broker with the config lines given; sets MQTT_PORT, HTTP_PORT (or empty) and BROKER_PID.
start_broker() {
  local name="$1"; shift
  printf '%s\n' "port 0" "log_connections false" "max_inflight_messages 100" "max_queued_messages 1000" "$@" \
    > "$WORK/$name.conf"
  java -jar "${JAR:-$BROKER_JAR}" --config "$WORK/$name.conf" > "$WORK/$name.log" 2>&1 &
  BROKER_PID=$!
  PIDS+=("$BROKER_PID")
  for _ in $(seq 1 100); do
    grep -q 'accepting connections' "$WORK/$name.log" 2>/dev/null && break
    sleep 0.1
  done
  MQTT_PORT=$(sed -n 's/.*listening on 127.0.0.1:\([0-9]*\) (mqtt).*/\1/p' "$WORK/$name.log")
  HTTP_PORT=$(sed -n 's/.*listening on 127.0.0.1:\([0-9]*\) (http).*/\1/p' "$WORK/$name.log")
  [ -n "$MQTT_PORT" ] || { cat "$WORK/$name.log" >&2; exit 1; }
}

pairs() {   # port label -> msgs/s
  timeout $((DURATION + 60)) java ${BENCH_JAVA_OPTS:-} -jar "$BENCH_JAR" pairs -n 10 --qos 1 --duration "$DURATION" \
    --port "$1" --label "$2" --quiet | tee -a "$WORK/raw.txt" | sed -n 's/^RESULT .* msgs_per_s=\([0-9.]*\).*/\1/p'
}
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }   # user + system time of a process, in clock ticks
TICK_US=$(( 1000000 / $(getconf CLK_TCK) ))

median() { sort -n | awk '{a[NR]=$1} END {if (NR % 2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }

# ---- throughput ----
start_broker off "sys_interval 0"; OFF_PORT=$MQTT_PORT; OFF_PID=$BROKER_PID
start_broker on "http_listener 0"; ON_PORT=$MQTT_PORT; ON_PID=$BROKER_PID
start_broker polled "http_listener 0"; POLLED_PORT=$MQTT_PORT; POLLED_HTTP=$HTTP_PORT; POLLED_PID=$BROKER_PID
VARIANTS="off on polled"
if [ -n "$BASELINE_JAR" ]; then
  JAR="$BASELINE_JAR" start_broker baseline; BASELINE_PORT=$MQTT_PORT; BASELINE_PID=$BROKER_PID
  VARIANTS="off on polled baseline"
fi
log "brokers: off :$OFF_PORT, on :$ON_PORT, polled :$POLLED_PORT (http :$POLLED_HTTP) ${BASELINE_PORT:+baseline :$BASELINE_PORT}"
# A scrape and an overview every second, until killed; each answer's time is noted with the
# variant then under load, so the times while the polled broker itself carries the pairs are known.
echo warmup > "$WORK/running"
: > "$WORK/scrapes"
poll() {
  while true; do
    for path in /metrics /api/v1/summary; do
      took=$(curl -s -o /dev/null -w '%{time_total}' "http://127.0.0.1:$POLLED_HTTP$path" || true)
      echo "$(cat "$WORK/running") $path ${took:-failed}" >> "$WORK/scrapes"
    done
    sleep 1
  done
}
poll & POLLER=$!
PIDS+=("$POLLER")
for port in $OFF_PORT $ON_PORT $POLLED_PORT ${BASELINE_PORT:-}; do
  log "warming :$port"; DURATION=5 pairs "$port" warmup > /dev/null
done
: > "$WORK/off"; : > "$WORK/on"; : > "$WORK/polled"; : > "$WORK/baseline"
read -r -a ORDER <<< "$VARIANTS"
for round in $(seq 1 "$ROUNDS"); do
  for i in $(seq 0 $(( ${#ORDER[@]} - 1 ))); do   # each variant in each position in turn
    variant=${ORDER[$(( (i + round - 1) % ${#ORDER[@]} ))]}
    case $variant in
      off) port=$OFF_PORT pid=$OFF_PID ;; on) port=$ON_PORT pid=$ON_PID ;;
      polled) port=$POLLED_PORT pid=$POLLED_PID ;; baseline) port=$BASELINE_PORT pid=$BASELINE_PID ;;
    esac
    echo "$variant" > "$WORK/running"
    before=$(cpu_ticks "$pid")
    rate=$(pairs "$port" "$variant")
    cpu=$(awk -v t="$(( $(cpu_ticks "$pid") - before ))" -v r="$rate" -v d="$DURATION" -v u="$TICK_US" \
      'BEGIN {printf "%.3f", t * u / (r * d)}')
    log "round $round $variant: $rate msgs/s, $cpu µs of broker CPU per message"
    echo "$round $rate $cpu" >> "$WORK/$variant"
  done
done
kill "$POLLER" 2>/dev/null || true
column() { awk -v c="$1" '{print $c}' "$2"; }
ratio() {   # variant column -> the median over rounds of variant / off in that round
  sort -n "$WORK/$1" > "$WORK/a"; sort -n "$WORK/off" > "$WORK/b"
  paste "$WORK/a" "$WORK/b" | awk -v c="$2" '{printf "%.4f\n", $c / $(c + 3)}' | median
}

# ---- API latency with many clients ----
for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
PIDS=()
start_broker api "http_listener 0"
log "connecting $CLIENTS idle clients"
timeout 300 java -XX:TieredStopAtLevel=1 -jar "$BENCH_JAR" conn -n "$CLIENTS" --hold 120 --port "$MQTT_PORT" --quiet \
  > "$WORK/conn.txt" 2>&1 &
CONN=$!
PIDS+=("$CONN")
for _ in $(seq 1 600); do
  connected=$(curl -s "http://127.0.0.1:$HTTP_PORT/api/v1/summary" | sed -n 's/.*"connected":\([0-9]*\).*/\1/p')
  [ "${connected:-0}" -ge "$CLIENTS" ] && break
  sleep 0.2
done
log "$connected clients connected"
FIRST=$(curl -s "http://127.0.0.1:$HTTP_PORT/api/v1/clients?limit=1" | sed -n 's/.*"id":"\([^"]*\)".*/\1/p')
ENDPOINTS=("/api/v1/summary" "/metrics" "/api/v1/clients?limit=100" "/api/v1/clients?search=zzz"
           "/api/v1/clients?limit=100000" "/api/v1/clients/$FIRST" "/api/v1/topics" "/")
: > "$WORK/api"
for endpoint in "${ENDPOINTS[@]}"; do
  for _ in 1 2 3 4 5; do curl -s -o /dev/null "http://127.0.0.1:$HTTP_PORT$endpoint"; done   # warm
  times=$(for _ in $(seq 1 50); do
    curl -s -o "$WORK/body" -w '%{time_total}\n' "http://127.0.0.1:$HTTP_PORT$endpoint"
  done)
  size=$(wc -c < "$WORK/body")
  p50=$(echo "$times" | median)
  max=$(echo "$times" | sort -n | tail -1)
  printf '%s\t%s\t%s\t%s\n' "$endpoint" "$p50" "$max" "$size" >> "$WORK/api"
  log "$endpoint: median $p50 s, max $max s, $size bytes"
done
kill "$CONN" 2>/dev/null || true

# ---- report ----
{
  echo "# The HTTP listener and \$SYS: cost and API latency"
  echo
  echo "- **machine**: $(uname -srm), $(nproc) cores; load average before: $(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine is not stopped)"
  echo "- **JVM**: $(java -version 2>&1 | head -1)"
  echo "- **build**: $(cd "$ROOT" && git rev-parse --short HEAD)"
  echo "- **command**: bench/observability.sh --rounds $ROUNDS --duration $DURATION --clients $CLIENTS${BASELINE_JAR:+ --baseline-jar $BASELINE_JAR}"
  echo "- **date**: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo
  echo "## QoS 1 pairs n=10 ($ROUNDS rounds of $DURATION s, the brokers alternated in each round)"
  echo
  echo "msgs/s delivered and the broker's CPU time (all threads) per message: medians over the rounds;"
  echo "a ratio is the median of the rounds' ratios to off (lower CPU is better)."
  echo
  echo "| Broker | msgs/s | Ratio | CPU µs/msg | Ratio | msgs/s of each round |"
  echo "|---|---:|---:|---:|---:|---|"
  row() {   # variant description
    printf '| %s | %.0f | %s | %.3f | %s | %s |\n' "$2" "$(column 2 "$WORK/$1" | median)" \
      "$([ "$1" = off ] && echo 1.00 || printf '%.3f' "$(ratio "$1" 2)")" "$(column 3 "$WORK/$1" | median)" \
      "$([ "$1" = off ] && echo 1.00 || printf '%.3f' "$(ratio "$1" 3)")" "$(column 2 "$WORK/$1" | paste -sd' ')"
  }
  row off "off: no HTTP listener, sys_interval 0"
  row on "on: HTTP listener (packet trails kept), \$SYS every 10 s"
  row polled "polled: as on, /metrics and /api/v1/summary fetched every second"
  if [ -s "$WORK/baseline" ]; then
    row baseline "baseline: $BASELINE_JAR, settings of off"
  fi
  echo
  echo "The polled broker's answers (curl, a new connection each) while it carried the pairs itself:"
  echo
  echo "| Request | Answers | Median (ms) | Largest (ms) |"
  echo "|---|---:|---:|---:|"
  for path in /metrics /api/v1/summary; do
    awk -v p="$path" '$1 == "polled" && $2 == p {print $3 * 1000}' "$WORK/scrapes" > "$WORK/took"
    printf '| `GET %s` | %d | %.2f | %.2f |\n' "$path" "$(wc -l < "$WORK/took")" "$(median < "$WORK/took")" \
      "$(sort -n "$WORK/took" | tail -1)"
  done
  echo
  echo "## API latency with $connected idle clients connected (curl, 50 requests each, new connection per request)"
  echo
  echo "| Request | Median (ms) | Largest (ms) | Answer (bytes) |"
  echo "|---|---:|---:|---:|"
  awk -F'\t' '{printf "| `GET %s` | %.2f | %.2f | %d |\n", $1, $2 * 1000, $3 * 1000, $4}' "$WORK/api"
} > "$OUTFILE"
log "wrote $OUTFILE"
cat "$OUTFILE"
