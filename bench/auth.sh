#!/usr/bin/env bash
# What authentication and access control cost, checked-mqtt against Mosquitto, back to back.
#
#   bench/auth.sh [--rounds N] [--duration S] [--out FILE]
#
# Two measurements, each on both brokers in alternation, every round:
#   conn    conn -n 10000 with user name and password against a password file made by the real
#           mosquitto_passwd ($7$: PBKDF2-SHA512, 101 rounds), allow_anonymous false: every
#           CONNECT is hashed by both brokers. Warmed like compare.sh (2,000 and 10,000
#           unrecorded connections first), then 3 measured runs.
#   acl     pairs -n 10 --qos 1 for S seconds without an ACL, then with a 1,000-line ACL
#           (a comment, 300 users with 3 lines each, then the bench user with 97 rules that do not match
#           and one that does, last): every PUBLISH is checked for write and every delivery for
#           read. The ratio with/without is the ACL's cost on each broker.
# Writes a Markdown table of medians to FILE (default bench/results/auth.md). Installs
# Debian's mosquitto if missing; stops everything it starts; every run is bounded by timeout.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH_JAR="$ROOT/bench/target/checked-mqtt-bench.jar"
BROKER_JAR="$ROOT/nio-broker/target/checked-mqtt-broker.jar"
ROUNDS=3
DURATION=10
OUTFILE="$ROOT/bench/results/auth.md"
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) ROUNDS="$2"; shift ;;
    --duration) DURATION="$2"; shift ;;
    --out) OUTFILE="$2"; shift ;;
    *) echo "usage: bench/auth.sh [--rounds N] [--duration S] [--out FILE]" >&2; exit 2 ;;
  esac
  shift
done

log() { printf '[auth %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

if ! command -v mosquitto_passwd >/dev/null 2>&1 || [ ! -x /usr/sbin/mosquitto ]; then
  log "installing Debian's mosquitto"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mosquitto
fi
MOSQUITTO=/usr/sbin/mosquitto
build() { (cd "$ROOT" && { mvn -B -ntp -o -q package -pl "$1" -am -DskipTests || mvn -B -ntp -q package -pl "$1" -am -DskipTests; }); }
[ -f "$BENCH_JAR" ] || { log "building the load tool"; build bench; }
[ -f "$BROKER_JAR" ] || { log "building checked-mqtt"; build nio-broker; }
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

WORK="$(mktemp -d /tmp/checked-mqtt-auth.XXXXXX)"
chmod 755 "$WORK"   # mosquitto drops root and reads the files as its own user
PID=""
cleanup() { [ -n "$PID" ] && { kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; }; rm -rf "$WORK"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- the files ----
: > "$WORK/passwd"
mosquitto_passwd -b "$WORK/passwd" bench bench-pass
for i in $(seq 1 99); do mosquitto_passwd -b "$WORK/passwd" "user$i" "pass$i"; done
{
  echo "# 1,000 lines"
  for u in $(seq 1 300); do
    echo "user user$u"
    echo "topic readwrite site/$u/#"
    echo "topic read public/$u/#"
  done
  echo "user bench"
  for r in $(seq 1 97); do echo "topic readwrite other/$r/#"; done
  echo "topic readwrite bench/#"
} > "$WORK/acl"
chmod 644 "$WORK/passwd" "$WORK/acl"
[ "$(wc -l < "$WORK/acl")" = 1000 ] || { log "the ACL is not 1,000 lines"; exit 1; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
wait_port() { for _ in $(seq 1 100); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.2; done; return 1; }

start() { # broker "config lines" (not in a pipe: PID and PORT must be set in this shell)
  local name="$1" extra="$2" port; port="$(free_port)"
  if [ "$name" = mosquitto ]; then
    { echo "listener $port 127.0.0.1"; echo "persistence false"; echo "log_dest stdout"; echo "log_type error";
      echo "max_inflight_messages 100"; echo "max_queued_messages 1000"; echo "set_tcp_nodelay true";
      printf '%s\n' "$extra"; } > "$WORK/m.conf"
    "$MOSQUITTO" -c "$WORK/m.conf" >> "$WORK/mosquitto.log" 2>&1 &
  else
    { echo "max_inflight_messages 100"; echo "max_queued_messages 1000"; echo "log_connections false";
      printf '%s\n' "$extra"; } > "$WORK/c.conf"
    java ${BROKER_JAVA_OPTS:-} -jar "$BROKER_JAR" --port "$port" --bind 127.0.0.1 --config "$WORK/c.conf" --quiet \
        >> "$WORK/checked-mqtt.log" 2>&1 &
  fi
  PID=$!
  PORT=$port
  wait_port "$port" || { log "$name did not start"; tail -5 "$WORK/$name.log" >&2; exit 1; }
}
stop() { kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; PID=""; }

tool() { # args...: runs the load tool, prints its RESULT line
  timeout $(( DURATION + 90 )) java ${BENCH_JAVA_OPTS:-} "$@" 2>&1 | grep '^RESULT ' | tail -1 || true
}
field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p"; }
faults() { # lost + duplicated + out-of-order + protocol errors of a RESULT line
  local line="$1" total=0 k v
  for k in lost dup ooo errors; do v="$(echo "$line" | field "$k")"; total=$(( total + ${v:-0} )); done
  echo "$total"
}

RAW="$WORK/raw.tsv"; : > "$RAW"
CRED=(--username bench --password bench-pass)
for round in $(seq 1 "$ROUNDS"); do
  for broker in mosquitto checked-mqtt; do
    log "round $round $broker: conn with a \$7\$ password file"
    start "$broker" "$(printf 'allow_anonymous false\npassword_file %s' "$WORK/passwd")"
    for n in 2000 10000; do
      tool -XX:TieredStopAtLevel=1 -jar "$BENCH_JAR" conn -n "$n" --hold 0 --port "$PORT" "${CRED[@]}" --quiet > /dev/null
      sleep 1
    done
    for _ in 1 2 3; do
      line="$(tool -XX:TieredStopAtLevel=1 -jar "$BENCH_JAR" conn -n 10000 --hold 1 --port "$PORT" "${CRED[@]}" --broker-pid "$PID" --quiet)"
      printf '%s\tconn\t%s\t%s\n' "$broker" "$(echo "$line" | field conn_per_s)" "$(faults "$line")" >> "$RAW"
      sleep 1
    done
    stop
    for acl in none 1000; do
      log "round $round $broker: pairs -n 10 QoS 1, ACL $acl"
      if [ "$acl" = none ]; then start "$broker" "allow_anonymous true"
      else start "$broker" "$(printf 'allow_anonymous true\nacl_file %s' "$WORK/acl")"; fi
      line="$(tool -jar "$BENCH_JAR" pairs -n 10 --qos 1 --duration "$DURATION" --port "$PORT" "${CRED[@]}" --quiet)"
      printf '%s\tacl-%s\t%s\t%s\n' "$broker" "$acl" "$(echo "$line" | field msgs_per_s)" "$(faults "$line")" >> "$RAW"
      stop
    done
  done
done

median() { sort -n | awk '{a[NR]=$1} END {if (NR==0) print "-"; else if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }
value() { awk -F'\t' -v b="$1" -v m="$2" '$1==b && $2==m {print $3}' "$RAW" | median; }
errors() { awk -F'\t' -v b="$1" -v m="$2" '$1==b && $2==m {s+=$4} END {print s+0}' "$RAW"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b+0 == 0) print "-"; else printf "%.2f", a/b }'; }
fmt() { awk -v v="$1" 'BEGIN { if (v == "-") print "-"; else printf "%\047d", v }'; }

mkdir -p "$(dirname "$OUTFILE")"
{
  echo "# Authentication and access control: checked-mqtt and Mosquitto"
  echo
  echo "- **command**: bench/auth.sh --rounds $ROUNDS --duration $DURATION"
  echo "- **machine**: $(nproc) cores, $(grep -m1 MemTotal /proc/meminfo | awk '{printf "%.1f GiB", $2/1048576}'), load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "- **JVM**: $(java -version 2>&1 | head -1); **Mosquitto**: $($MOSQUITTO -h 2>&1 | head -1 | sed 's/^mosquitto //')"
  echo "- **checked-mqtt**: $(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null || echo unknown)"
  echo "- **date**: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo
  echo "Medians over $ROUNDS rounds (conn: 3 runs per round); errors summed over all runs."
  echo
  echo "| Measurement | checked-mqtt | Mosquitto | Ratio | Errors (checked / Mosquitto) |"
  echo "|---|---:|---:|---:|---|"
  c="$(value checked-mqtt conn)"; m="$(value mosquitto conn)"
  echo "| conn n=10000, \$7\$ password file: connections/s | $(fmt "$c") | $(fmt "$m") | $(ratio "$c" "$m") | $(errors checked-mqtt conn) / $(errors mosquitto conn) |"
  for acl in none 1000; do
    c="$(value checked-mqtt acl-$acl)"; m="$(value mosquitto acl-$acl)"
    echo "| pairs n=10 QoS 1, ACL $acl: msgs/s | $(fmt "$c") | $(fmt "$m") | $(ratio "$c" "$m") | $(errors checked-mqtt acl-$acl) / $(errors mosquitto acl-$acl) |"
  done
  echo
  echo "With the 1,000-line ACL, each broker keeps this share of its own rate without one:"
  echo "checked-mqtt $(ratio "$(value checked-mqtt acl-1000)" "$(value checked-mqtt acl-none)"),"
  echo "Mosquitto $(ratio "$(value mosquitto acl-1000)" "$(value mosquitto acl-none)")."
  echo
  echo "Raw runs (broker, measurement, value, errors):"
  echo
  echo '```'
  cat "$RAW"
  echo '```'
} > "$OUTFILE"
log "wrote $OUTFILE"
cat "$OUTFILE"
