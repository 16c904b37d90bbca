#!/usr/bin/env bash
# The cost of persistence, on this machine, in one run.
#
#   bench/persistence.sh [--rounds N] [--duration S] [--count N] [--out DIR]
#
# 1. Throughput: the load tool's `pairs -n 10 --qos 1` with kept sessions (--session-expiry 3600,
#    so that every message is in flight towards a session a restart must bring back), against
#    checked-mqtt without persistence, with `fsync pass`, with `fsync never`, and Mosquitto with
#    `persistence true` (which saves its database every 30 minutes and at a stop, not per message).
#    The brokers take turns, round after round; the table has the medians.
# 2. Recovery: one kept subscriber goes away, then --count QoS 1 messages of 64 bytes are queued
#    for it (bench/kept_queue.py fill) in checked-mqtt with `fsync pass`; the directory is measured
#    (bytes per queued message), the broker is killed with SIGKILL and launched again, and the
#    subscriber reconnects at once and takes the whole queue (kept_queue.py drain: every message,
#    in order, or the script fails). Mosquitto gets the same queue, is stopped with SIGTERM (it
#    writes its database then; a SIGKILL would lose everything since its last autosave) and is
#    launched again the same way.
#
#   --rounds N     throughput rounds (5)      --duration S  seconds per throughput run (10)
#   --count N      messages queued for the recovery measurement (1000000)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH_JAR="$ROOT/bench/target/checked-mqtt-bench.jar"
BROKER_JAR="$ROOT/nio-broker/target/checked-mqtt-broker.jar"
OUT="$ROOT/bench/results"
ROUNDS=5
DURATION=10
COUNT=1000000
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) ROUNDS="$2"; shift ;;
    --duration) DURATION="$2"; shift ;;
    --count) COUNT="$2"; shift ;;
    --out) OUT="$2"; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 1 ;;
  esac
  shift
done

log() { printf '[persistence %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
BUILT="$(cd "$ROOT" && git rev-parse --short HEAD)$(cd "$ROOT" && git diff --quiet HEAD || echo ' with uncommitted changes')"
log "building the broker and the load tool at $BUILT"
(cd "$ROOT" && { mvn -B -ntp -o -q package -pl bench,nio-broker -am -DskipTests \
    || mvn -B -ntp -q package -pl bench,nio-broker -am -DskipTests; })
MOSQUITTO="$(command -v mosquitto || echo /usr/sbin/mosquitto)"

WORK="$(mktemp -d /tmp/checked-mqtt-persistence.XXXXXX)"
chmod 0755 "$WORK"   # Mosquitto drops root for the user mosquitto, who must reach its directory
declare -A PID=() PORT=()
cleanup() {
  local pid
  for pid in "${PID[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

wait_port() { # port
  for _ in $(seq 1 600); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    sleep 0.05
  done
  return 1
}

launch() { # name kind(checked|mosquitto) config-lines...; the broker's data lives in $WORK/name
  local name="$1" kind="$2"; shift 2
  local port dir="$WORK/$name"
  port="${PORT[$name]:-$(free_port)}"
  mkdir -p "$dir"
  if [ "$kind" = mosquitto ]; then
    chmod 0777 "$dir"   # Mosquitto started as root writes its database as the user mosquitto
    printf '%s\n' "listener $port 127.0.0.1" "allow_anonymous true" "set_tcp_nodelay true" \
        "persistence_location $dir/" "log_dest none" "$@" > "$dir/broker.conf"
    "$MOSQUITTO" -c "$dir/broker.conf" >> "$dir/broker.log" 2>&1 &
  else
    printf '%s\n' "log_connections false" "persistence_location $dir/data" "$@" > "$dir/broker.conf"
    java -jar "$BROKER_JAR" --port "$port" --config "$dir/broker.conf" >> "$dir/broker.log" 2>&1 &
  fi
  PID[$name]=$!
  PORT[$name]=$port
}

start() { # as launch, and wait until the broker takes connections
  launch "$@"
  wait_port "${PORT[$1]}" || { log "$1 did not start"; tail "$WORK/$1/broker.log" >&2; exit 1; }
}

stop() { # name signal
  kill "-$2" "${PID[$1]}" 2>/dev/null || true
  wait "${PID[$1]}" 2>/dev/null || true
  unset "PID[$1]"
}

median() { sort -g | awk '{a[NR]=$1} END {if (NR) print (NR % 2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
# what one force costs on the disk under $WORK: the price of a pass under `fsync pass`
FSYNC_MS="$(python3 -c '
import os, sys, time
path = os.path.join(sys.argv[1], "fsync-probe")
fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND)
started = time.time()
for _ in range(200):
    os.write(fd, b"x" * 200)
    os.fsync(fd)
print("%.2f" % ((time.time() - started) / 200 * 1000))
os.close(fd)
os.unlink(path)' "$WORK")"
LIMITS=("max_inflight_messages 100" "max_queued_messages 1000")
start plain checked "${LIMITS[@]}" "persistence false"
start pass checked "${LIMITS[@]}" "persistence true" "fsync pass"
start never checked "${LIMITS[@]}" "persistence true" "fsync never"
start mosquitto mosquitto "${LIMITS[@]}" "persistence true"
BROKERS=(plain pass never mosquitto)
RAW="$WORK/throughput.tsv"
: > "$RAW"
log "warm-up: 5 s against each broker"
for b in "${BROKERS[@]}"; do
  java -jar "$BENCH_JAR" pairs -n 10 --qos 1 --session-expiry 3600 --port "${PORT[$b]}" --duration 5 --quiet \
      > /dev/null 2>&1 || true
done
for round in $(seq 1 "$ROUNDS"); do
  for b in "${BROKERS[@]}"; do
    log "round $round/$ROUNDS $b"
    line="$(timeout $((DURATION + 90)) java -jar "$BENCH_JAR" pairs -n 10 --qos 1 --session-expiry 3600 \
        --port "${PORT[$b]}" --duration "$DURATION" --quiet 2>&1 | grep '^RESULT' || true)"
    rate="$(sed -n 's/.* msgs_per_s=\([0-9.]*\).*/\1/p' <<< "$line")"
    errors="$(sed -n 's/.* lost=\([0-9]*\) dup=\([0-9]*\) ooo=\([0-9]*\) errors=\([0-9]*\).*/\1+\2+\3+\4/p' <<< "$line")"
    printf '%s\t%s\t%s\t%s\n' "$b" "$round" "${rate:-0}" "${errors:-?}" >> "$RAW"
  done
done
for b in "${BROKERS[@]}"; do stop "$b" TERM; done

per_message() { awk -v a="$1" -v n="$COUNT" 'BEGIN {printf "%.0f", a / n}'; }
rate_of() { awk -F'\t' -v b="$1" '$1 == b {print $3}' "$RAW" | median; }
runs_of() { awk -F'\t' -v b="$1" '$1 == b {printf "%s%.0f", (n++ ? ", " : ""), $3}' "$RAW"; }
errors_of() { awk -F'\t' -v b="$1" '$1 == b {print $4}' "$RAW" | paste -sd' '; }

# The restart: the broker is launched, and the kept subscriber connects as soon as it can and
# takes its whole queue (kept_queue.py drain fails unless all $COUNT arrive, in order); the times
# count from the launch, JVM start included.
restart_and_drain() { # name kind config-lines...; the three times go to $WORK/name.drain
  local name="$1"
  local launched
  launched="$(date +%s.%N)"
  launch "$@"
  python3 "$ROOT/bench/kept_queue.py" drain "${PORT[$name]}" "$COUNT" "$launched" > "$WORK/$name.drain"
}

QUEUE=("max_queued_messages $((COUNT * 2))" "max_inflight_messages 100")
log "recovery: $COUNT messages queued for one kept session in checked-mqtt, then SIGKILL"
start recovery checked "${QUEUE[@]}" "persistence true" "fsync pass"
FILL="$(python3 "$ROOT/bench/kept_queue.py" fill "${PORT[recovery]}" "$COUNT")"
sleep 1
LOG_BYTES="$(du -sb "$WORK/recovery/data" | cut -f1)"
stop recovery KILL
restart_and_drain recovery checked "${QUEUE[@]}" "persistence true" "fsync pass"
read -r CONNACK_MS FIRST_MS LAST_MS < "$WORK/recovery.drain"
REPLAY="$(grep 'persistence: .* sessions and' "$WORK/recovery/broker.log" | tail -1 | sed 's/.*persistence: [^:]*: //')"
stop recovery TERM

log "recovery: the same queue in Mosquitto, stopped with SIGTERM (a SIGKILL would lose it)"
start mosquitto-recovery mosquitto "${QUEUE[@]}" "persistence true"
MOSQUITTO_FILL="$(python3 "$ROOT/bench/kept_queue.py" fill "${PORT[mosquitto-recovery]}" "$COUNT")"
stop mosquitto-recovery TERM
MOSQUITTO_DB="$(stat -c %s "$WORK/mosquitto-recovery/mosquitto.db")"
restart_and_drain mosquitto-recovery mosquitto "${QUEUE[@]}" "persistence true"
read -r M_CONNACK_MS M_FIRST_MS M_LAST_MS < "$WORK/mosquitto-recovery.drain"
stop mosquitto-recovery TERM

mkdir -p "$OUT"
REPORT="$OUT/persistence.md"
{
  echo "# Persistence: throughput and recovery"
  echo
  echo "- **machine**: $(lscpu | sed -n 's/^Model name: *//p' | head -1), $(nproc) cores; load average before: $LOAD_BEFORE"
  echo "- **checked-mqtt**: $BUILT; **Mosquitto**: $("$MOSQUITTO" -h | head -1)"
  echo "- **disk**: $(df -T "$WORK" | awk 'NR == 2 {print $2}') under $WORK; one append of 200 bytes and its fsync: $FSYNC_MS ms (mean of 200)"
  echo "- **date**: $(date -u +%Y-%m-%dT%H:%M:%SZ); command: bench/persistence.sh --rounds $ROUNDS --duration $DURATION --count $COUNT"
  echo
  echo "## pairs n=10, QoS 1, 64 B, kept sessions (--session-expiry 3600)"
  echo
  echo "Medians of $ROUNDS runs of $DURATION s; the brokers took turns. Errors per run: lost+duplicated+out-of-order+other."
  echo
  echo "| Broker | msgs/s delivered | vs checked-mqtt without persistence | every run, msgs/s | errors per run |"
  echo "|---|---:|---:|---|---|"
  base="$(rate_of plain)"
  for b in plain pass never mosquitto; do
    label="$(case "$b" in plain) echo "checked-mqtt, persistence false";; pass) echo "checked-mqtt, fsync pass";;
        never) echo "checked-mqtt, fsync never";; mosquitto) echo "Mosquitto 2.0.11, persistence true";; esac)"
    r="$(rate_of "$b")"
    printf '| %s | %.0f | %.2f | %s | %s |\n' "$label" "$r" "$(awk -v a="$r" -v b="$base" 'BEGIN {print (b > 0 ? a / b : 0)}')" \
        "$(runs_of "$b")" "$(errors_of "$b")"
  done
  echo
  echo "## Recovery of $COUNT queued messages (64 B each, one kept session)"
  echo
  echo "Times from the launch of the restarted broker (JVM start included); the kept subscriber then took the whole queue, every message checked, in order."
  echo
  echo "| | checked-mqtt (fsync pass, killed with SIGKILL) | Mosquitto (persistence true, stopped with SIGTERM) |"
  echo "|---|---|---|"
  echo "| filling the queue | $FILL | $MOSQUITTO_FILL |"
  echo "| on disk before the restart | $LOG_BYTES bytes, $(per_message "$LOG_BYTES") bytes per queued message (log segments and snapshot) | $MOSQUITTO_DB bytes, $(per_message "$MOSQUITTO_DB") bytes per queued message (mosquitto.db, written at the stop) |"
  echo "| CONNACK with Session Present after | $CONNACK_MS ms (the broker's log: $REPLAY) | $M_CONNACK_MS ms |"
  echo "| first message after | $FIRST_MS ms | $M_FIRST_MS ms |"
  echo "| all $COUNT messages after | $LAST_MS ms (every pass of the drain forced: one fsync per round trip of the 100 messages in flight) | $M_LAST_MS ms (nothing written) |"
} > "$REPORT"
cat "$REPORT"
