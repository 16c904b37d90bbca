#!/bin/bash
# Broker CPU per delivered message and throughput, QoS 1 pairs n=10, for several broker jars in
# turn (rounds alternate between them, so a change in the machine's load hits each alike).
# Usage: ROUNDS=4 bench/cpu-per-message.sh A.jar B.jar ...   (prints one line per jar and round)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$ROOT/bench/lib.sh"
BENCH_JAR="$ROOT/bench/target/checked-mqtt-bench.jar"
[ -f "$BENCH_JAR" ] || build bench
DURATION=6
TCK=$(getconf CLK_TCK)
for round in $(seq 1 "${ROUNDS:-3}"); do
  for jar in "$@"; do
    port=$(free_port)
    java -Xmx2g -jar "$jar" --port "$port" --quiet > /dev/null 2>&1 & broker=$!
    wait_port "$port"
    tool -jar "$BENCH_JAR" pairs -n 10 --qos 1 --port "$port" --duration 2 > /dev/null   # warm-up
    before=$(awk '{print $14 + $15}' "/proc/$broker/stat")
    result=$(tool -jar "$BENCH_JAR" pairs -n 10 --qos 1 --port "$port" --duration "$DURATION")
    after=$(awk '{print $14 + $15}' "/proc/$broker/stat")
    delivered=$(echo "$result" | field delivered)
    rate=$(echo "$result" | field msgs_per_s)
    python3 -c "print('%-28s round %d  cpu_us_per_msg=%.2f  msgs_per_s=%s  load=%s' % ('$(basename "$jar")', $round, ($after - $before) / $TCK * 1e6 / $delivered, '$rate', open('/proc/loadavg').read().split()[0]))"
    kill "$broker"; wait "$broker" 2>/dev/null || true
  done
done
