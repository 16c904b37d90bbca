#!/usr/bin/env bash
# Fresh-broker connections: the first N connections of a new broker process, checked-mqtt with
# several JVM option sets and Mosquitto in the same round, alternated for ROUNDS rounds.
#
#   N=10000 ROUNDS=2 bench/fresh-conn.sh
#   VARIANTS="g1 cds" BEFORE_JAR=/tmp/old/checked-mqtt-broker.jar N=10000 ROUNDS=3 bench/fresh-conn.sh
#
# Prints one RESULT line per run (label = the option set: g1 = the default flags, serial, cds,
# c1-only, trim = native heap trimmed every second; "before" = BEFORE_JAR, an older build, with the
# default flags; serial-small = the serial collector with an 8 MB young generation, fleet = that and
# C1 only). Both brokers log nothing (checked-mqtt --quiet, Mosquitto log_dest
# none). Needs the two jars (mvn -B -ntp package -DskipTests) and mosquitto on the PATH;
# `ulimit -n` above N.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
N=${N:-10000}; ROUNDS=${ROUNDS:-2}; VARIANTS=${VARIANTS:-g1 serial cds c1-only}
BROKER="$ROOT/nio-broker/target/checked-mqtt-broker.jar"
BENCH="$ROOT/bench/target/checked-mqtt-bench.jar"
WORK="$(mktemp -d)"; trap 'rm -rf "$WORK"' EXIT
free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
conn() { java -XX:TieredStopAtLevel=1 -jar "$BENCH" conn -n "$N" --port "$1" --hold 2 --broker-pid "$2" --quiet --label "$3" 2>&1 | tail -1; }

# The class data sharing archive the build writes beside the jar (nio-broker's CdsTraining).
ARCHIVE="$ROOT/nio-broker/target/checked-mqtt-broker.jsa"
if [[ " $VARIANTS " == *" cds "* ]] && [ ! -f "$ARCHIVE" ]; then
  echo "no $ARCHIVE: build with mvn -B -ntp package -DskipTests (not -Dmaven.test.skip)" >&2; exit 1
fi

options_of() { case "$1" in
  g1) echo "";; serial) echo "-XX:+UseSerialGC";; cds) echo "-XX:SharedArchiveFile=$ARCHIVE";;
  c1-only) echo "-XX:TieredStopAtLevel=1";;
  serial-small) echo "-XX:+UseSerialGC -Xmn8m";; fleet) echo "-XX:+UseSerialGC -Xmn8m -XX:TieredStopAtLevel=1";; trim) echo "-XX:TrimNativeHeapInterval=1000";; *) echo "unknown variant $1" >&2; exit 1;; esac; }
echo "# N=$N ROUNDS=$ROUNDS; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
for _ in $(seq "$ROUNDS"); do
  runs="$VARIANTS"; [ -n "${BEFORE_JAR:-}" ] && runs="before $runs"
  for label in $runs; do
    jar="$BROKER"; opts=""
    if [ "$label" = before ]; then jar="$BEFORE_JAR"; else opts=$(options_of "$label"); fi
    port=$(free_port); java $opts -jar "$jar" --port "$port" --quiet > /dev/null 2>&1 & pid=$!; sleep 3
    conn "$port" "$pid" "$label"; kill "$pid"; wait "$pid" 2>/dev/null || true
  done
  port=$(free_port)
  printf 'listener %s 127.0.0.1\nallow_anonymous true\nmax_connections -1\npersistence false\nlog_dest none\n' "$port" > "$WORK/mosquitto.conf"
  mosquitto -c "$WORK/mosquitto.conf" > /dev/null 2>&1 & pid=$!; sleep 1
  conn "$port" "$pid" mosquitto; kill "$pid"; wait "$pid" 2>/dev/null || true
  echo "# load average after the round: $(cut -d' ' -f1-3 /proc/loadavg)"
done
