#!/usr/bin/env bash
# C100K (issue 21) at the size this machine allows: N clients, MQTT 3.1.1 and 5.0 alternating,
# Keep Alive 60, spread over SOURCES source addresses (127.0.0.1 ..), each subscribed at QoS 1 to
# one topic; held idle HOLD seconds; one QoS 1 PUBLISH that every one of them receives; then
# DISCONNECT from every client. checked-mqtt (a fresh process) and Mosquitto, side by side.
#
#   N=19900 SOURCES=4 bench/c100k.sh
#   BROKER_OPTS="-XX:+UseSerialGC -Xmn8m" N=19900 bench/c100k.sh   (JVM options for checked-mqtt)
#
# One load tool process holds all N sockets, and each broker holds N + a few: N is capped at the
# per-process limit of open files (`ulimit -n`) less 64. Prints each run's RESULT line, and for
# checked-mqtt its live heap after a full GC taken during the hold (jcmd GC.heap_info).
# Needs the two jars (mvn -B -ntp package -pl bench,nio-broker -am -DskipTests) and mosquitto.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
N=${N:-100000}; SOURCES=${SOURCES:-4}; HOLD=${HOLD:-20}; ROUNDS=${ROUNDS:-1}
BROKER="${BROKER_JAR:-$ROOT/nio-broker/target/checked-mqtt-broker.jar}"
BENCH="$ROOT/bench/target/checked-mqtt-bench.jar"
WORK="$(mktemp -d)"; trap 'rm -rf "$WORK"' EXIT
. "$ROOT/bench/lib.sh"

LIMIT=$(ulimit -n)
if [ "$LIMIT" != unlimited ] && [ "$N" -gt $(( LIMIT - 64 )) ]; then
  echo "# open-file limit $LIMIT per process (hard $(ulimit -Hn)): N lowered from $N to $(( LIMIT - 64 ))"
  N=$(( LIMIT - 64 ))
fi
echo "# N=$N SOURCES=$SOURCES HOLD=$HOLD; $(nproc) cores; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"

fleet() { # PORT PID LABEL: runs the scenario, prints its RESULT line
  java -XX:TieredStopAtLevel=1 -jar "$BENCH" fleet -n "$N" --port "$1" --broker-pid "$2" --label "$3" \
      --source-addresses "$SOURCES" --keepalive 60 --hold "$HOLD" --concurrency 32 \
      --setup-timeout 600 --drain 120 --quiet > "$WORK/$3.out" 2>&1 || true
  grep '^RESULT ' "$WORK/$3.out" || { echo "# $3: no RESULT line"; cat "$WORK/$3.out"; }
}

heap_when_held() { # PID: once the broker holds N sockets, a full GC and the heap it leaves
  for _ in $(seq 1 600); do
    [ "$(ls "/proc/$1/fd" 2>/dev/null | wc -l)" -ge "$N" ] && break; sleep 0.5
  done
  sleep 2
  jcmd "$1" GC.run > /dev/null
  # one line per generation (G1 prints one, the serial collector two): their sum
  jcmd "$1" GC.heap_info | sed -n 's/.*total \([0-9]*\)K, used \([0-9]*\)K.*/\2 \1/p' \
      | awk '{used += $1; total += $2} END {printf "# checked-mqtt heap after a full GC: used %dK of %dK committed\n", used, total}'
}

for _ in $(seq "$ROUNDS"); do
  port=$(free_port)
  java ${BROKER_OPTS:-} -jar "$BROKER" --port "$port" --quiet > "$WORK/broker.log" 2>&1 & pid=$!
  wait_port "$port"
  heap_when_held "$pid" & heap=$!
  fleet "$port" "$pid" checked-mqtt
  wait "$heap" || true
  kill "$pid"; wait "$pid" 2>/dev/null || true

  port=$(free_port)
  printf 'listener %s 127.0.0.1\nallow_anonymous true\nmax_connections -1\npersistence false\nlog_dest none\nmax_inflight_messages 100\nmax_queued_messages 1000\n' \
      "$port" > "$WORK/mosquitto.conf"
  mosquitto -c "$WORK/mosquitto.conf" > /dev/null 2>&1 & pid=$!
  wait_port "$port"
  fleet "$port" "$pid" mosquitto
  kill "$pid"; wait "$pid" 2>/dev/null || true
  echo "# load average after the round: $(cut -d' ' -f1-3 /proc/loadavg)"
done
