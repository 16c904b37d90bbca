# Shell helpers the bench scripts share (sourced by auth.sh, tracing.sh and cpu-per-message.sh; ROOT and DURATION set
# by the script). Each prints its answer on stdout.

# build MODULE: the module's jar, offline first
build() { (cd "$ROOT" && { mvn -B -ntp -o -q package -pl "$1" -am -DskipTests || mvn -B -ntp -q package -pl "$1" -am -DskipTests; }); }

# a free TCP port on 127.0.0.1, and waiting until a broker listens on one
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
wait_port() { for _ in $(seq 1 100); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.2; done; return 1; }

tool() { # args...: runs the load tool, prints its RESULT line
  timeout $(( DURATION + 90 )) java ${BENCH_JAVA_OPTS:-} "$@" 2>&1 | grep '^RESULT ' | tail -1 || true
}
field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p"; }
faults() { # lost + duplicated + out-of-order + protocol errors of a RESULT line
  local line="$1" total=0 k v
  for k in lost dup ooo errors; do v="$(echo "$line" | field "$k")"; total=$(( total + ${v:-0} )); done
  echo "$total"
}

# the median of the numbers on stdin, one a line ("-" for none)
median() { sort -n | awk '{a[NR]=$1} END {if (NR==0) print "-"; else if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }
