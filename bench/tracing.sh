#!/usr/bin/env bash
# What a per-client trace costs: checked-mqtt's throughput with tracing off and on, back to back.
#
#   bench/tracing.sh [--rounds N] [--duration S] [--qos Q] [--out FILE]
#
# One load, pairs -n 50 (100 clients: 50 publishers, 50 subscribers, each pair on its own topic)
# for S seconds, against the same broker jar started three ways, in this order every round:
#   off     no client-testing setting at all
#   one     trace_clients bench-*-p0 and trace_directory: one client of the hundred (the first
#           publisher) traced, every packet in and out and every decision as a line in its file
#   report  report_clients *: no trace, but all hundred watched for the conformance report
#   all     trace_clients *: all hundred traced, in memory only (the last trace_lines lines each)
# The ratio on/off is what tracing costs; on a shared machine only pairs measured in the same
# round are compared, and the median over rounds is reported. Besides messages per second it
# reports the broker's CPU time per delivered message (user + system of the broker's process
# during the load, from /proc), which another process's load on the machine disturbs far less. Writes a Markdown table to FILE
# (default bench/results/tracing.md); stops everything it starts; every run is bounded by timeout.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$ROOT/bench/lib.sh"
BENCH_JAR="$ROOT/bench/target/checked-mqtt-bench.jar"
BROKER_JAR="$ROOT/nio-broker/target/checked-mqtt-broker.jar"
ROUNDS=3
DURATION=10
QOS=1
OUTFILE="$ROOT/bench/results/tracing.md"
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) ROUNDS="$2"; shift ;;
    --duration) DURATION="$2"; shift ;;
    --qos) QOS="$2"; shift ;;
    --out) OUTFILE="$2"; shift ;;
    *) echo "usage: bench/tracing.sh [--rounds N] [--duration S] [--qos Q] [--out FILE]" >&2; exit 2 ;;
  esac
  shift
done

log() { printf '[tracing %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

[ -f "$BENCH_JAR" ] || { log "building the load tool"; build bench; }
[ -f "$BROKER_JAR" ] || { log "building checked-mqtt"; build nio-broker; }

WORK="$(mktemp -d /tmp/checked-mqtt-tracing.XXXXXX)"
PID=""
cleanup() { [ -n "$PID" ] && { kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; }; rm -rf "$WORK"; }
trap cleanup EXIT
trap 'exit 130' INT TERM


start() { # "config lines" (not in a pipe: PID and PORT must be set in this shell)
  local port; port="$(free_port)"
  { echo "max_inflight_messages 100"; echo "max_queued_messages 1000"; echo "log_connections false";
    printf '%s\n' "$1"; } > "$WORK/c.conf"
  java ${BROKER_JAVA_OPTS:-} -jar "$BROKER_JAR" --port "$port" --bind 127.0.0.1 --config "$WORK/c.conf" --quiet \
      >> "$WORK/checked-mqtt.log" 2>&1 &
  PID=$!
  PORT=$port
  wait_port "$port" || { log "checked-mqtt did not start"; tail -5 "$WORK/checked-mqtt.log" >&2; exit 1; }
}
stop() { kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; PID=""; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }   # user + system time of a process, in clock ticks


RAW="$WORK/raw.tsv"; : > "$RAW"
TRACES="$WORK/traces"
for round in $(seq 1 "$ROUNDS"); do
  for mode in off one report all; do
    case "$mode" in
      off) settings="" ;;
      one) rm -rf "$TRACES"; mkdir -p "$TRACES"
           settings="$(printf 'trace_clients bench-*-p0\ntrace_directory %s' "$TRACES")" ;;
      report) settings="report_clients *" ;;
      all) settings="trace_clients *" ;;
    esac
    log "round $round: pairs -n 50 QoS $QOS, tracing $mode"
    start "$settings"
    cpu_before="$(cpu_ticks "$PID")"
    line="$(tool -jar "$BENCH_JAR" pairs -n 50 --qos "$QOS" --duration "$DURATION" --port "$PORT" --quiet)"
    cpu_after="$(cpu_ticks "$PID")"
    stop
    delivered="$(echo "$line" | field delivered)"
    cpu_us="$(awk -v t=$(( cpu_after - cpu_before )) -v hz="$(getconf CLK_TCK)" -v n="${delivered:-0}" \
        'BEGIN { if (n > 0) printf "%.2f", t * 1e6 / hz / n; else print "-" }')"
    lines=0
    if [ "$mode" = one ]; then
      lines="$(cat "$TRACES"/*.trace* 2>/dev/null | wc -l)"
      files="$(ls "$TRACES" | wc -l)"
      [ "$files" -ge 1 ] || { log "tracing one client wrote no trace file"; exit 1; }
    fi
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$mode" "$(echo "$line" | field msgs_per_s)" "$(faults "$line")" \
        "$lines" "$cpu_us" >> "$RAW"
  done
done

value() { awk -F'\t' -v m="$1" '$2==m {print $3}' "$RAW" | median; }
cpu() { awk -F'\t' -v m="$1" '$2==m && $6 != "-" {print $6}' "$RAW" | median; }
cpu_ratio() { # median over rounds of (CPU per message of mode / of off) in the same round
  awk -F'\t' -v m="$1" '$2=="off" {off[$1]=$6} $2==m {on[$1]=$6}
      END {for (r in on) if (off[r] > 0 && on[r] != "-") print on[r]/off[r]}' "$RAW" | median
}
errors() { awk -F'\t' -v m="$1" '$2==m {s+=$4} END {print s+0}' "$RAW"; }
pair_ratio() { # median over rounds of (mode / off) in the same round
  awk -F'\t' -v m="$1" '$2=="off" {off[$1]=$3} $2==m {on[$1]=$3}
      END {for (r in on) if (off[r] > 0) print on[r]/off[r]}' "$RAW" | median
}
fmt() { awk -v v="$1" 'BEGIN { if (v == "-") print "-"; else printf "%d", v }'; }
two() { awk -v v="$1" 'BEGIN { if (v == "-") print "-"; else printf "%.3f", v }'; }

mkdir -p "$(dirname "$OUTFILE")"
{
  echo "# Tracing: checked-mqtt with per-client traces off and on"
  echo
  echo "- **command**: bench/tracing.sh --rounds $ROUNDS --duration $DURATION --qos $QOS"
  echo "- **machine**: $(nproc) cores, $(grep -m1 MemTotal /proc/meminfo | awk '{printf "%.1f GiB", $2/1048576}'), load average before: $(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine is not stopped)"
  echo "- **JVM**: $(java -version 2>&1 | head -1)"
  echo "- **checked-mqtt**: $(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null || echo unknown)"
  echo "- **date**: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo
  echo "pairs -n 50 (100 clients) QoS $QOS, $DURATION s per run; medians over $ROUNDS rounds; the ratio is"
  echo "the median of each round's run divided by the same round's run with tracing off."
  echo
  echo "| Tracing | msgs/s delivered | Ratio to off | broker CPU µs per message | Ratio to off | Errors |"
  echo "|---|---:|---:|---:|---:|---:|"
  echo "| off | $(fmt "$(value off)") | 1 | $(cpu off) | 1 | $(errors off) |"
  for m in one report all; do
    case "$m" in
      one) what="one client of 100, to a file" ;;
      report) what="no trace, all 100 watched for the report" ;;
      all) what="all 100 clients, in memory" ;;
    esac
    echo "| $what | $(fmt "$(value $m)") | $(two "$(pair_ratio $m)") | $(cpu $m) | $(two "$(cpu_ratio $m)") | $(errors $m) |"
  done
  echo
  echo "Raw runs (round, tracing, msgs/s, errors, lines in the one client's trace files, broker CPU µs per message):"
  echo
  echo '```'
  cat "$RAW"
  echo '```'
} > "$OUTFILE"
log "wrote $OUTFILE"
cat "$OUTFILE"
