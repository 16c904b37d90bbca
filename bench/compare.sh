#!/usr/bin/env bash
# Checked MQTT vs Mosquitto, on this machine, in the same run.
#
#   bench/compare.sh [--quick] [--rounds N] [--mqtt 3.1.1|5] [--broker-jar PATH]
#                    [--broker-label TEXT] [--mosquitto-only] [--out DIR] [--name NAME]
#                    [--only REGEX]
#
# Installs Debian's mosquitto if it is missing, starts Mosquitto and checked-mqtt on free
# 127.0.0.1 ports with the same limits (no persistence, 100 messages in flight and 1000 queued
# per client), then runs every scenario against each broker in alternation (A B, A B, ...),
# and writes a Markdown table of medians with the ratio checked-mqtt / Mosquitto plus an SVG
# chart to bench/results/. `conn -n 10000` is measured twice per round on a restarted broker:
# first on the fresh process (after 2,000 unrecorded connections that load its classes), which
# gives the memory per idle connection and the rate a broker has right after a restart; then,
# after another 10,000 unrecorded connections, three times on the warmed process, which gives the
# steady rate that the other scenarios (all run after a warm-up) measure too. A JVM compiles its
# connection path while the fresh run is going on; Mosquitto has nothing to compile. Everything
# it starts is stopped on exit; every run is bounded by the load tool's own limits and `timeout`.
#
#   --quick   3 s per run, 2 rounds (about 4 minutes); default: 10 s per run, 3 rounds (about 13)
#   --only    run only the scenarios matching an extended regular expression, e.g. --only '^conn'
#
# Environment: BROKER_JAVA_OPTS (JVM options of checked-mqtt), BENCH_JAVA_OPTS (of the load tool),
#   CONN_BENCH_JAVA_OPTS (of the load tool in conn runs; default -XX:TieredStopAtLevel=1, see below).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH_JAR="$ROOT/bench/target/checked-mqtt-bench.jar"
BROKER_JAR="$ROOT/nio-broker/target/checked-mqtt-broker.jar"
OUT="$ROOT/bench/results"
MODE=full
ROUNDS=""
MQTT=3.1.1
NAME=""
MOSQUITTO_ONLY=false
BROKER_LABEL=""
ONLY=""

while [ $# -gt 0 ]; do
  case "$1" in
    --quick) MODE=quick ;;
    --rounds) ROUNDS="$2"; shift ;;
    --mqtt) MQTT="$2"; shift ;;
    --broker-jar) BROKER_JAR="$2"; shift ;;
    --mosquitto-only) MOSQUITTO_ONLY=true ;;
    --broker-label) BROKER_LABEL="$2"; shift ;;
    --out) OUT="$2"; shift ;;
    --name) NAME="$2"; shift ;;
    --only) ONLY="$2"; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 1 ;;
  esac
  shift
done

if [ "$MODE" = quick ]; then
  DURATION=3; HOLD=2; WARMUP=3; : "${ROUNDS:=2}"
else
  DURATION=10; HOLD=5; WARMUP=10; : "${ROUNDS:=3}"
fi
: "${NAME:=$MODE}"

# scenario arguments, one run each; the targets of the performance issue
SCENARIOS=(
  "pairs -n 1 --qos 0"
  "pairs -n 1 --qos 1"
  "pairs -n 1 --qos 2"
  "pairs -n 10 --qos 0"
  "pairs -n 10 --qos 1"
  "pairs -n 10 --qos 2"
  "fanout -n 100 --qos 0"
  "fanout -n 100 --qos 1"
  "fanin -n 100 --qos 1"
  "latency -n 1 --qos 1 --rate 20000"
  "conn -n 10000"
)

if [ -n "$ONLY" ]; then
  mapfile -t SCENARIOS < <(printf '%s\n' "${SCENARIOS[@]}" | grep -E -- "$ONLY" || true)
  [ "${#SCENARIOS[@]}" -gt 0 ] || { echo "--only $ONLY matches no scenario" >&2; exit 1; }
fi

log() { printf '[compare %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# ---- prerequisites ----
if ! command -v mosquitto >/dev/null 2>&1 && [ ! -x /usr/sbin/mosquitto ]; then
  log "mosquitto is missing: installing Debian's package"
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mosquitto
  else
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mosquitto
  fi
fi
MOSQUITTO="$(command -v mosquitto || echo /usr/sbin/mosquitto)"

build() { # module
  (cd "$ROOT" && { mvn -B -ntp -o -q package -pl "$1" -am -DskipTests || mvn -B -ntp -q package -pl "$1" -am -DskipTests; })
}
[ -f "$BENCH_JAR" ] || { log "building the load tool"; build bench; }
if [ "$MOSQUITTO_ONLY" = false ] && [ ! -f "$BROKER_JAR" ]; then
  log "building checked-mqtt"
  build nio-broker || { log "checked-mqtt does not build: measuring Mosquitto only"; MOSQUITTO_ONLY=true; }
fi

# 10,000 connections need more than the usual 1024 descriptors, in both brokers and the tool
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt 10100 ]; then
  log "warning: only $(ulimit -n) file descriptors; conn -n 10000 will fail"
fi

WORK="$(mktemp -d /tmp/checked-mqtt-compare.XXXXXX)"
declare -A PORT=() PID=()   # the brokers running now, by name
CHILD=""                    # the load run in progress
cleanup() {
  local pid
  if [ -n "$CHILD" ]; then kill "$CHILD" 2>/dev/null || true; wait "$CHILD" 2>/dev/null || true; fi
  for pid in "${PID[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PID[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
  if command -v python3 >/dev/null 2>&1; then
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
  else
    local p
    for _ in $(seq 1 50); do
      p=$((20000 + RANDOM % 20000))
      ss -ltn | grep -q ":$p " || { echo "$p"; return; }
    done
    return 1
  fi
}

wait_port() { # port pid name
  for _ in $(seq 1 100); do
    kill -0 "$2" 2>/dev/null || { log "$3 exited while starting"; return 1; }
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    sleep 0.2
  done
  log "$3 did not listen on port $1 within 20 s"
  return 1
}

# ---- brokers, with the same limits ----
cat > "$WORK/mosquitto.conf.in" <<EOF
allow_anonymous true
persistence false
log_dest stdout
log_type error
log_type warning
max_inflight_messages 100
max_queued_messages 1000
max_connections -1
set_tcp_nodelay true
EOF
cat > "$WORK/checked-mqtt.conf" <<EOF
max_inflight_messages 100
max_queued_messages 1000
max_connections 100000
log_connections false
EOF

start_broker() { # name; sets PORT[name] and PID[name]
  local name="$1" port
  port="$(free_port)"
  if [ "$name" = mosquitto ]; then
    { echo "listener $port 127.0.0.1"; cat "$WORK/mosquitto.conf.in"; } > "$WORK/mosquitto.conf"
    "$MOSQUITTO" -c "$WORK/mosquitto.conf" >> "$WORK/mosquitto.log" 2>&1 &
  else
    # shellcheck disable=SC2086
    java ${BROKER_JAVA_OPTS:-} -jar "$BROKER_JAR" --port "$port" --bind 127.0.0.1 \
        --config "$WORK/checked-mqtt.conf" --quiet >> "$WORK/checked-mqtt.log" 2>&1 &
  fi
  PID[$name]=$!
  PORT[$name]=$port
  if ! wait_port "$port" "${PID[$name]}" "$name"; then
    tail -20 "$WORK/$name.log" >&2 || true
    return 1
  fi
  log "$name pid ${PID[$name]} on 127.0.0.1:$port"
}
stop_broker() { # name
  kill "${PID[$1]}" 2>/dev/null || true
  wait "${PID[$1]}" 2>/dev/null || true
  unset "PID[$1]"
}

start_broker mosquitto || exit 1
if [ "$MOSQUITTO_ONLY" = false ] && ! start_broker checked-mqtt; then
  log "checked-mqtt did not start: measuring Mosquitto only"
  MOSQUITTO_ONLY=true
fi

RAW="$WORK/raw.tsv"
: > "$RAW"

# A conn run lasts about a second, too short for the load tool's C2 compiler to pay for itself:
# C1 alone halves the tool's CPU per connection, and on a 2-core machine the tool shares the
# CPU with the broker, so a heavy tool would hide the broker's speed. The other scenarios run
# long enough to need the tool's C2.
CONN_BENCH_JAVA_OPTS="${CONN_BENCH_JAVA_OPTS--XX:TieredStopAtLevel=1}"
CONN_WARMED_RUNS=3

conn_unrecorded() { # broker count
  # shellcheck disable=SC2086
  timeout 120 java ${BENCH_JAVA_OPTS:-} $CONN_BENCH_JAVA_OPTS -jar "$BENCH_JAR" conn -n "$2" --hold 0 \
      --port "${PORT[$1]}" --mqtt "$MQTT" --quiet > /dev/null 2>&1 || log "unrecorded conn run against $1 reported errors"
  sleep 1   # the broker closes those connections before the next run starts
}

run_one() { # broker round scenario...
  local broker="$1" round="$2"; shift 2
  if [ "$1" = conn ]; then
    # memory per connection is only meaningful on a fresh process (a JVM keeps the heap it grew)
    stop_broker "$broker"
    start_broker "$broker" || { log "$broker did not restart"; return; }
    conn_unrecorded "$broker" 2000
    measure "$broker" "$round" "$HOLD" fresh "$@"
    conn_unrecorded "$broker" 10000
    # one conn run lasts half a second, and on two cores its rate varies by about 10% from run to
    # run: the warmed rate is measured several times per round, and the report takes the median
    for _ in $(seq "$CONN_WARMED_RUNS"); do
      measure "$broker" "$round" 1 warmed "$@"
    done
  else
    measure "$broker" "$round" "$HOLD" "" "$@"
  fi
}

measure() { # broker round hold phase scenario...   (phase "" for none)
  local broker="$1" round="$2" hold="$3" phase="$4"; shift 4
  local args=("$@") out="$WORK/run.out" bound tool_opts="${BENCH_JAVA_OPTS:-}"
  [ "${args[0]}" = conn ] && tool_opts="$tool_opts $CONN_BENCH_JAVA_OPTS"
  [ -n "$phase" ] && args+=(--phase "$phase")
  local port="${PORT[$broker]}" pid="${PID[$broker]}"
  bound=$(( DURATION + hold + 60 ))
  # in the background and waited for, so that a signal stops the comparison at once
  # shellcheck disable=SC2086
  timeout "$bound" java $tool_opts -jar "$BENCH_JAR" "${args[@]}" --port "$port" --mqtt "$MQTT" \
      --duration "$DURATION" --hold "$hold" --broker-pid "$pid" --label "$broker" --quiet > "$out" 2>&1 &
  CHILD=$!
  wait "$CHILD" || true
  CHILD=""
  local line
  line="$(grep '^RESULT ' "$out" | tail -1 || true)"
  if [ -z "$line" ]; then
    log "$broker ${args[*]}: no result"; sed 's/^/    /' "$out" >&2
    printf '# %s\t%s\tno result for %s\n' "$broker" "$round" "${args[*]}" >> "$RAW"
  else
    printf '%s\t%s\t%s\n' "$broker" "$round" "$line" >> "$RAW"
    grep -E '^  (published|connected|latency|errors|broker)|^    ' "$out" | sed "s/^/    [$broker] /" >&2 || true
  fi
  if ! kill -0 "$pid" 2>/dev/null; then
    log "$broker (pid $pid) died during: ${args[*]}; restarting it"
    start_broker "$broker" || true
  fi
}

BROKERS=()
[ "$MOSQUITTO_ONLY" = false ] && BROKERS+=(checked-mqtt)
BROKERS+=(mosquitto)

LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)"
log "warm-up: pairs -n 10 QoS 1 for $WARMUP s against each broker (not recorded)"
for b in "${BROKERS[@]}"; do
  # shellcheck disable=SC2086
  timeout $(( WARMUP + 60 )) java ${BENCH_JAVA_OPTS:-} -jar "$BENCH_JAR" pairs -n 10 --qos 1 --port "${PORT[$b]}" \
      --mqtt "$MQTT" --duration "$WARMUP" --quiet > /dev/null 2>&1 || log "warm-up against $b reported errors"
done

START=$(date +%s)
for round in $(seq 1 "$ROUNDS"); do
  for scenario in "${SCENARIOS[@]}"; do
    for b in "${BROKERS[@]}"; do
      log "round $round/$ROUNDS  $b  $scenario"
      # shellcheck disable=SC2086
      run_one "$b" "$round" $scenario
    done
  done
done
ELAPSED=$(( $(date +%s) - START ))

# ---- report ----
mkdir -p "$OUT"
cp "$RAW" "$OUT/$NAME-raw.tsv"
CPU="$(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ *//' || echo unknown)"
MEM="$(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo 2>/dev/null || echo unknown)"
JAVA_VERSION="$(java -version 2>&1 | head -1)"
MOSQ_VERSION="$("$MOSQUITTO" -h 2>/dev/null | head -1 || true)"
: "${BROKER_LABEL:=$(basename "$BROKER_JAR") built from commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)}"
java -jar "$BENCH_JAR" report "$OUT/$NAME-raw.tsv" --out "$OUT" --name "$NAME" \
  --info "machine=$CPU, $(nproc) cores, $MEM RAM, Linux $(uname -r)" \
  --info "load average before the run=$LOAD_BEFORE (other work on the machine is not stopped)" \
  --info "JVM=$JAVA_VERSION${BROKER_JAVA_OPTS:+, broker options $BROKER_JAVA_OPTS}" \
  --info "Mosquitto=$MOSQ_VERSION, set_tcp_nodelay true" \
  --info "checked-mqtt=$BROKER_LABEL$([ "$MOSQUITTO_ONLY" = true ] && echo ' (NOT MEASURED: --mosquitto-only, or the broker did not build or start)')" \
  --info "limits=no persistence; max_inflight_messages 100 and max_queued_messages 1000 on both" \
  --info "runs=$MODE: $DURATION s per run (conn: $HOLD s idle, warmed rate measured $CONN_WARMED_RUNS times per round; load tool options $CONN_BENCH_JAVA_OPTS), $ROUNDS rounds, brokers alternated A B per scenario, MQTT $MQTT; $ELAPSED s in all" \
  --info "command=bench/compare.sh$([ "$MODE" = quick ] && echo ' --quick')$([ -n "$ONLY" ] && echo " --only '$ONLY'")"
