#!/usr/bin/env bash
# Checked MQTT vs Mosquitto over TLS and WebSocket, on this machine, brokers back to back.
#
#   bench/transports.sh [--rounds N] [--duration S] [--conn N] [--out FILE]
#
# Makes a test CA with the broker's own generator (JDK only), starts both brokers with the same
# four listeners on free 127.0.0.1 ports (MQTT over TCP, TLS, WebSocket, secure WebSocket; no
# persistence, 100 in flight and 1000 queued per client), then for each round runs against each
# broker in turn:
#   - pairs n=10 QoS 1 over TCP, TLS, WebSocket and secure WebSocket (--duration s each);
#   - conn n=N over TLS: full TLS handshakes (no session resumption) plus CONNECT/CONNACK, per second,
#     with the load tool as the client (its JDK client crypto costs as much as the broker's);
#   - when the openssl command is there: `openssl s_time -new` for 5 s, full TLS handshakes per
#     second with OpenSSL as the client, which measures the broker's side of the handshake.
# Writes every RESULT line (broker, round, line) to FILE (default bench/results/transports-raw.tsv)
# and prints the medians. Everything it starts is stopped on exit.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH_JAR="$ROOT/bench/target/checked-mqtt-bench.jar"
BROKER_JAR="$ROOT/nio-broker/target/checked-mqtt-broker.jar"
ROUNDS=3
DURATION=5
CONN=2000
OUT="$ROOT/bench/results/transports-raw.tsv"
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) ROUNDS="$2"; shift ;;
    --duration) DURATION="$2"; shift ;;
    --conn) CONN="$2"; shift ;;
    --out) OUT="$2"; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 1 ;;
  esac
  shift
done

log() { echo "[transports] $*" >&2; }
MOSQUITTO="$(command -v mosquitto || echo /usr/sbin/mosquitto)"
[ -x "$MOSQUITTO" ] || { log "mosquitto is not installed (apt-get install mosquitto)"; exit 1; }
[ -f "$BENCH_JAR" ] && [ -f "$BROKER_JAR" ] || (cd "$ROOT" && mvn -B -ntp -q package -pl bench,nio-broker -am -DskipTests)
ulimit -n 65536 2>/dev/null || true

WORK="$(mktemp -d)"
chmod 755 "$WORK"   # mosquitto reads its files as its own user
PIDS=()
cleanup() {
  for pid in "${PIDS[@]:-}"; do [ -n "$pid" ] && kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
wait_port() { # port pid name
  for _ in $(seq 1 100); do
    kill -0 "$2" 2>/dev/null || { log "$3 exited while starting"; return 1; }
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    sleep 0.2
  done
  log "$3 did not listen on port $1"; return 1
}

# the test CA, made by the broker's own generator
cat > "$WORK/MakeCa.java" <<'JAVA'
public class MakeCa {
    public static void main(String[] args) throws Exception {
        io.checkedmqtt.broker.tls.TestServerCertificates.ensure(java.nio.file.Path.of(args[0]));
    }
}
JAVA
java -cp "$BROKER_JAR" "$WORK/MakeCa.java" "$WORK/ca"
chmod 644 "$WORK/ca/"*   # the key too: mosquitto runs as another user (a throw-away test key)
CA="$WORK/ca/ca.crt"

listeners() { # tcp tls ws wss -> the listener sections both brokers read
  cat <<CONF
listener $1 127.0.0.1
listener $2 127.0.0.1
certfile $WORK/ca/server.crt
keyfile $WORK/ca/server.key
listener $3 127.0.0.1
protocol websockets
listener $4 127.0.0.1
protocol websockets
certfile $WORK/ca/server.crt
keyfile $WORK/ca/server.key
CONF
}

declare -A PORT
start() { # name
  local name="$1" pid
  for t in tcp tls ws wss; do PORT[$name-$t]="$(free_port)"; done
  if [ "$name" = mosquitto ]; then
    { printf 'allow_anonymous true\npersistence false\nlog_dest stdout\nlog_type error\nmax_inflight_messages 100\nmax_queued_messages 1000\nmax_connections -1\nset_tcp_nodelay true\n'
      listeners "${PORT[$name-tcp]}" "${PORT[$name-tls]}" "${PORT[$name-ws]}" "${PORT[$name-wss]}"; } > "$WORK/mosquitto.conf"
    "$MOSQUITTO" -c "$WORK/mosquitto.conf" >> "$WORK/mosquitto.log" 2>&1 &
  else
    { printf 'max_inflight_messages 100\nmax_queued_messages 1000\nlog_connections false\n'
      listeners "${PORT[$name-tcp]}" "${PORT[$name-tls]}" "${PORT[$name-ws]}" "${PORT[$name-wss]}"; } > "$WORK/checked-mqtt.conf"
    # shellcheck disable=SC2086
    java ${BROKER_JAVA_OPTS:-} -jar "$BROKER_JAR" --config "$WORK/checked-mqtt.conf" >> "$WORK/checked-mqtt.log" 2>&1 &
  fi
  pid=$!
  PIDS+=("$pid")
  for t in tcp tls ws wss; do wait_port "${PORT[$name-$t]}" "$pid" "$name"; done
}

run() { # broker round transport scenario args...
  local broker="$1" round="$2" transport="$3"; shift 3
  local extra=()
  case "$transport" in
    tls) extra=(--cafile "$CA") ;;
    ws) extra=(--ws /mqtt) ;;
    wss) extra=(--cafile "$CA" --ws /mqtt) ;;
  esac
  local line
  # shellcheck disable=SC2086
  line="$(timeout 300 java ${BENCH_JAVA_OPTS:-} -jar "$BENCH_JAR" "$@" --port "${PORT[$broker-$transport]}" \
      "${extra[@]}" --label "$broker" --quiet 2>>"$WORK/bench.err" | grep '^RESULT' || true)"
  [ -n "$line" ] || { log "no RESULT from $broker $transport $*"; tail -5 "$WORK/bench.err" >&2; return 0; }
  printf '%s\t%s\t%s\n' "$broker" "$round" "$line" >> "$OUT"
  log "$broker round $round $transport: $(echo "$line" | grep -o 'msgs_per_s=[0-9.]*\|conn_per_s=[0-9.]*\|connections_per_s=[0-9.]*' | head -1) $(echo "$line" | grep -o 'lost=[0-9]* dup=[0-9]* ooo=[0-9]* errors=[0-9]*')"
}

mkdir -p "$(dirname "$OUT")"
: > "$OUT"
log "load before: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores; $("$MOSQUITTO" -h 2>/dev/null | head -1)"
start checked-mqtt
start mosquitto
for b in checked-mqtt mosquitto; do   # warm-up, not recorded
  timeout 120 java -jar "$BENCH_JAR" pairs -n 10 --qos 1 --duration 3 --port "${PORT[$b-tcp]}" --quiet > /dev/null 2>&1 || true
  timeout 120 java -jar "$BENCH_JAR" pairs -n 10 --qos 1 --duration 3 --port "${PORT[$b-tls]}" --cafile "$CA" --quiet > /dev/null 2>&1 || true
done
for round in $(seq 1 "$ROUNDS"); do
  for transport in tcp tls ws wss; do
    for b in checked-mqtt mosquitto; do
      run "$b" "$round" "$transport" pairs -n 10 --qos 1 --duration "$DURATION"
    done
  done
  for b in checked-mqtt mosquitto; do
    run "$b" "$round" tls conn -n "$CONN" --hold 1 --concurrency 32
  done
  if command -v openssl >/dev/null 2>&1; then
    for b in checked-mqtt mosquitto; do
      count="$(timeout 30 openssl s_time -connect "127.0.0.1:${PORT[$b-tls]}" -new -time 5 -CAfile "$CA" 2>/dev/null \
          | sed -n 's/^\([0-9]*\) connections in \([0-9.]*\) real seconds.*/\1 \2/p' | tail -1)"
      if [ -n "$count" ]; then
        rate="$(echo "$count" | awk '{ printf "%.1f", $1 / $2 }')"
        printf '%s\t%s\tRESULT scenario=s_time n=1 transport=tls handshakes_per_s=%s\n' "$b" "$round" "$rate" >> "$OUT"
        log "$b round $round openssl s_time: $rate full handshakes/s"
      fi
    done
  fi
done
log "raw results: $OUT"
python3 - "$OUT" <<'PY'
import sys, statistics, collections, re
rows = collections.defaultdict(list)
for line in open(sys.argv[1]):
    broker, _round, result = line.rstrip("\n").split("\t")
    kv = dict(p.split("=", 1) for p in result.split()[1:] if "=" in p)
    key = (kv["scenario"], kv.get("transport", "tcp"))
    value = kv.get("msgs_per_s") or kv.get("conn_per_s") or kv.get("handshakes_per_s")
    if value is not None:
        rows[(key, broker)].append(float(value))
keys = sorted({k for k, _ in rows})
print("| scenario | transport | checked-mqtt | Mosquitto | ratio | runs |")
print("|---|---|---:|---:|---:|---:|")
for key in keys:
    a, b = rows.get((key, "checked-mqtt"), []), rows.get((key, "mosquitto"), [])
    if a and b:
        ma, mb = statistics.median(a), statistics.median(b)
        print(f"| {key[0]} | {key[1]} | {ma:,.0f} | {mb:,.0f} | {ma / mb:.2f} | {len(a)}/{len(b)} |")
PY
