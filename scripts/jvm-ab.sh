#!/usr/bin/env bash
# Throughput and CPU cost of JVM flag sets for the proxy, compared A/B: each round starts the proxy jar once
# per variant (in turn, so the variants share whatever else the machine is doing), waits for /health/ready,
# warms it up, then runs redis-benchmark SET and GET (-c 16 -d 512 -r 100000) at pipeline 1 and 16.
# Reported per variant and test, as medians over the rounds: requests per second (redis-benchmark's own
# figure) and the proxy's CPU per 1000 commands (user + system time from /proc/<pid>/stat), and the
# proxy's peak resident memory.
#
#   scripts/jvm-ab.sh 'g1=-XX:+UseG1GC -Xmx256m' 'parallel=-XX:+UseParallelGC -Xmx256m'
#
# Each argument is a variant, NAME=JVM FLAGS. Bounded: ROUNDS x variants x 4 redis-benchmark runs of
# at most N requests each, each cut off after RB_TIMEOUT.
#
# Environment (defaults in brackets):
#   BASE_PORT [34001]  MASTERS [5]  the cluster (started with scripts/cluster.sh when it is not up, and
#                      then stopped at the end unless KEEP=1)
#   PROXY_PORT [34100]  METRICS_PORT [34190]  ROUNDS [3]
#   N_P1 [30000]  N_P16 [150000]  requests per redis-benchmark run at pipeline 1 and 16
#   WARMUP_N [100000]  requests (pipeline 16) run before measuring, so the JIT has compiled the hot path
#   RB_TIMEOUT [15]  seconds   READY_TIMEOUT [30] seconds
#   JAR [proxy-server/target/redis-cluster-proxy.jar]  copied to run/jvm-ab/ first
# Logs: run/jvm-ab/<variant>-<round>.log; raw results: run/jvm-ab/results.txt
set -euo pipefail
cd "$(dirname "$0")/.."

readonly HOST=127.0.0.1
BASE_PORT=${BASE_PORT:-34001}
MASTERS=${MASTERS:-5}
PROXY_PORT=${PROXY_PORT:-34100}
METRICS_PORT=${METRICS_PORT:-34190}
ROUNDS=${ROUNDS:-3}
N_P1=${N_P1:-30000}
N_P16=${N_P16:-150000}
WARMUP_N=${WARMUP_N:-100000}
RB_TIMEOUT=${RB_TIMEOUT:-15}
READY_TIMEOUT=${READY_TIMEOUT:-30}
JAR=${JAR:-proxy-server/target/redis-cluster-proxy.jar}
KEEP=${KEEP:-0}
readonly OUT_DIR=run/jvm-ab
readonly RESULTS=$OUT_DIR/results.txt
TICKS=$(getconf CLK_TCK)
readonly TICKS

if (( $# == 0 )); then
  sed -n '2,12p' "$0" >&2
  exit 2
fi
for tool in java redis-cli redis-benchmark curl timeout; do
  command -v "$tool" >/dev/null 2>&1 || { echo "error: $tool not found" >&2; exit 1; }
done
if (( ROUNDS < 1 || ROUNDS > 20 )); then
  echo "error: ROUNDS must be between 1 and 20" >&2
  exit 2
fi
mkdir -p "$OUT_DIR"
: >"$RESULTS"
cp -p "$JAR" "$OUT_DIR/redis-cluster-proxy.jar"

started_cluster=0
proxy_pid=
cleanup() {
  if [[ -n $proxy_pid ]] && kill -0 "$proxy_pid" 2>/dev/null; then
    kill -TERM "$proxy_pid"
    wait "$proxy_pid" || true
  fi
  if (( started_cluster && ! KEEP )); then
    scripts/cluster.sh stop --masters "$MASTERS" --base-port "$BASE_PORT"
  fi
}
trap cleanup EXIT
if ! redis-cli -h "$HOST" -p "$BASE_PORT" cluster info 2>/dev/null | grep -q '^cluster_state:ok'; then
  scripts/cluster.sh start --masters "$MASTERS" --base-port "$BASE_PORT"
  started_cluster=1
fi
seeds=$HOST:$BASE_PORT,$HOST:$((BASE_PORT + 1)),$HOST:$((BASE_PORT + 2))

# user + system clock ticks of a process (fields 14 and 15 of /proc/PID/stat, after the command name).
cpu_ticks() {
  local rest
  rest=$(sed 's/^.*) //' "/proc/$1/stat")
  awk '{ print $12 + $13 }' <<<"$rest"
}

start_proxy() {
  local name=$1 flags=$2 log=$3 deadline attempt
  # The ports are in Linux's ephemeral range, so an outgoing connection of any process can hold one as its
  # source port for a while (seen here as an occasional "Address already in use"): try up to three times.
  for attempt in 1 2 3; do
    # shellcheck disable=SC2086 # the flags are words on purpose
    PROXY_METRICS_PORT=$METRICS_PORT java $flags -jar "$OUT_DIR/redis-cluster-proxy.jar" \
      --port "$PROXY_PORT" --seeds "$seeds" >"$log" 2>&1 &
    proxy_pid=$!
    deadline=$(( SECONDS + READY_TIMEOUT ))
      # Probe only once the proxy listens: a connect to a port nobody listens on can pick that same port as
    # its source and connect to itself, and then the proxy cannot bind it.
    until grep -q 'metrics and health on' "$log" && curl -sf -o /dev/null "http://$HOST:$METRICS_PORT/health/ready"; do
      if ! kill -0 "$proxy_pid" 2>/dev/null; then
        wait "$proxy_pid" || true
        if grep -q 'Address already in use' "$log" && (( attempt < 3 )); then
          sleep 2
          continue 2
        fi
        break 2
      fi
      if (( SECONDS >= deadline )); then
        break 2
      fi
      sleep 0.05
    done
    return 0
  done
  echo "error: variant $name did not become ready; see $log" >&2
  exit 1
}

stop_proxy() {
  kill -TERM "$proxy_pid"
  wait "$proxy_pid" || true
  proxy_pid=
}

# Runs one redis-benchmark and appends "variant test rps cpu-ms-per-1k" to the results.
measure() {
  local name=$1 command=$2 pipeline=$3 requests=$4 before after rps
  before=$(cpu_ticks "$proxy_pid")
  rps=$(timeout "$RB_TIMEOUT" redis-benchmark -h "$HOST" -p "$PROXY_PORT" -t "$command" -c 16 -d 512 \
    -r 100000 -n "$requests" -P "$pipeline" --csv 2>/dev/null | awk -F'"' 'NR == 2 { print $4 }')
  after=$(cpu_ticks "$proxy_pid")
  if [[ -z $rps ]]; then
    echo "error: redis-benchmark $command -P $pipeline gave no result (cut off after ${RB_TIMEOUT}s?)" >&2
    exit 1
  fi
  awk -v n="$name" -v t="${command}-P${pipeline}" -v r="$rps" -v c=$(( after - before )) -v k="$TICKS" \
    -v q="$requests" 'BEGIN { printf "%s %s %.0f %.1f\n", n, t, r, c * 1000 / k / (q / 1000) }' >>"$RESULTS"
}

for round in $(seq 1 "$ROUNDS"); do
  for variant in "$@"; do
    name=${variant%%=*}
    flags=${variant#*=}
    start_proxy "$name" "$flags" "$OUT_DIR/$name-$round.log"
    redis-benchmark -h "$HOST" -p "$PROXY_PORT" -t set,get -c 16 -d 512 -r 100000 -n "$WARMUP_N" -P 16 -q \
      >/dev/null 2>&1 || true
    for pipeline in 1 16; do
      requests=$N_P1
      (( pipeline == 16 )) && requests=$N_P16
      measure "$name" set "$pipeline" "$requests"
      measure "$name" get "$pipeline" "$requests"
    done
    hwm=$(awk '/^VmHWM:/ { printf "%.0f", $2 / 1024 }' "/proc/$proxy_pid/status")
    echo "$name peak-rss-MiB $hwm 0" >>"$RESULTS"
    stop_proxy
    echo "round $round $name done" >&2
  done
done

echo "medians of $ROUNDS rounds: requests/s, proxy CPU ms per 1000 commands (peak-rss-MiB: MiB)"
printf '%-16s %-14s %9s %8s\n' variant test 'req/s' 'cpu/1k'
for variant in "$@"; do
  name=${variant%%=*}
  for test in set-P1 get-P1 set-P16 get-P16 peak-rss-MiB; do
    awk -v n="$name" -v t="$test" '$1 == n && $2 == t { print $3, $4 }' "$RESULTS" | sort -n -k1,1 >"$OUT_DIR/col"
    rps=$(awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }' "$OUT_DIR/col")
    cpu=$(sort -n -k2,2 "$OUT_DIR/col" | awk '{ a[NR] = $2 } END { print a[int((NR + 1) / 2)] }')
    printf '%-16s %-14s %9s %8s\n' "$name" "$test" "$rps" "$cpu"
  done
done
