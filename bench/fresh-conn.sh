#!/usr/bin/env bash
# Fresh-broker connections: the first N connections of a new broker process, checked-mqtt with
# several JVM option sets and Mosquitto in the same round, alternated for ROUNDS rounds.
#
#   N=10000 ROUNDS=2 bench/fresh-conn.sh
#
# Prints one RESULT line per run (label = the option set). Needs the two jars
# (mvn -B -ntp package -DskipTests) and mosquitto on the PATH; `ulimit -n` above N.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
N=${N:-10000}; ROUNDS=${ROUNDS:-2}
BROKER="$ROOT/nio-broker/target/checked-mqtt-broker.jar"
BENCH="$ROOT/bench/target/checked-mqtt-bench.jar"
WORK="$(mktemp -d)"; trap 'rm -rf "$WORK"' EXIT
ARCHIVE="$WORK/broker.jsa"
free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
conn() { java -XX:TieredStopAtLevel=1 -jar "$BENCH" conn -n "$N" --port "$1" --hold 2 --broker-pid "$2" --quiet --label "$3" 2>&1 | tail -1; }

# The class data sharing archive: what a broker loads serving connections and messages, dumped at exit.
port=$(free_port); java -XX:ArchiveClassesAtExit="$ARCHIVE" -jar "$BROKER" --port "$port" > /dev/null 2>&1 & pid=$!; sleep 3
java -XX:TieredStopAtLevel=1 -jar "$BENCH" conn -n 2000 --port "$port" --hold 1 --quiet > /dev/null 2>&1
java -XX:TieredStopAtLevel=1 -jar "$BENCH" pairs -n 2 --qos 1 --duration 2 --port "$port" --quiet > /dev/null 2>&1
kill "$pid"; wait "$pid" || true

for _ in $(seq "$ROUNDS"); do
  for set in "g1|" "serial|-XX:+UseSerialGC" "cds|-XX:SharedArchiveFile=$ARCHIVE" "c1-only|-XX:TieredStopAtLevel=1"; do
    label=${set%%|*}; opts=${set#*|}
    port=$(free_port); java $opts -jar "$BROKER" --port "$port" > /dev/null 2>&1 & pid=$!; sleep 3
    conn "$port" "$pid" "$label"; kill "$pid"; wait "$pid" 2>/dev/null || true
  done
  port=$(free_port)
  printf 'listener %s 127.0.0.1\nallow_anonymous true\nmax_connections -1\npersistence false\nlog_dest none\n' "$port" > "$WORK/mosquitto.conf"
  mosquitto -c "$WORK/mosquitto.conf" > /dev/null 2>&1 & pid=$!; sleep 1
  conn "$port" "$pid" mosquitto; kill "$pid"; wait "$pid" 2>/dev/null || true
  uptime
done
