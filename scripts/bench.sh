#!/usr/bin/env bash
# Side-by-side benchmark of the cluster client, Lettuce, the proxy (and a single redis-server, as a check
# on the load generator, and any other proxy you name), then redis-benchmark straight to the masters and
# through the proxy. Prints each target's throughput as a ratio to the direct cluster (our cluster client)
# per operation and pipeline depth, and writes the results and a chart into a results directory.
#
#   scripts/bench.sh                     # 10 s per run, cluster on 7001-7005, proxy on 6380
#   DURATION=5s BASE_PORT=7101 PROXY_PORT=6390 scripts/bench.sh
#   scripts/bench.sh --targets client,proxy,envoy=127.0.0.1:6400     # also your own proxy, as plain RESP
#   RATES=10k,50k,100k OPS=get scripts/bench.sh   # adds latency under load at those fixed rates
#
# Results go to run/bench/results-<date>-<time>/ (printed at the start and the end): summary.txt (what
# was printed), throughput.tsv (every median run with its ratio), latency.tsv (the fixed-rate runs) and
# throughput.png / latency.png, drawn by gnuplot when it is installed (apt-get install -y gnuplot-nox).
#
# Builds the jars if they are missing or older than the sources; starts the 5-master cluster
# (scripts/cluster.sh), the proxy and the single redis-server when they are not already answering, and
# stops, at the end, only what it started itself (KEEP=1 leaves them running).
#
# Environment (defaults in brackets):
#   BASE_PORT [7001]   first cluster port     PROXY_PORT [6380]   proxy port
#   SINGLE_PORT [BASE_PORT+10]  stand-alone redis-server for target "single"
#   DURATION [10s]  WARMUP [2s]  OPS [get,set,mixed,mget10]  PIPELINES [1,16]  pipeline depths to run
#   TARGETS [client,lettuce,proxy,single]  also settable as --targets LIST; NAME=HOST:PORT entries add
#                        other proxies (already running, in front of any cluster), driven as plain RESP
#                        like proxy, their keys preloaded through them
#   RATES []  fixed total request rates (e.g. 10k,50k,100k): after the saturation runs, every target and
#             operation is run at each rate and p50/p99/p99.9 printed, measured from the intended send
#             time (coordinated omission accounted for)   RATE_DURATION [DURATION]  RATE_WORKERS [WORKERS]
#             RATE_OPS [OPS]  operations of the fixed-rate runs
#   RESULTS [run/bench/results-<date>-<time>]  where the files go
#   WORKERS [16]  CONNECTIONS [4]  BENCH_ARGS []  extra flags for the bench jar (e.g. --client-api command)
#   RB_SECONDS [5]  aimed length of each redis-benchmark run   SKIP_RB [0]   SKIP_BENCH [0]
#   IDLE_CLIENTS [1000]  idle connections held open to the proxy during our load generator's runs; the
#                        proxy's heap is sampled meanwhile (jstat) and its peak printed
#   CLIENT_API [command] how the client target calls the library (command: raw ClusterCommands; typed)
#   ROUNDS [3]  every target and operation runs ROUNDS times, interleaved; the median run is reported
set -euo pipefail
cd "$(dirname "$0")/.."

while (( $# > 0 )); do
  case "$1" in
    --targets) TARGETS=${2:?--targets needs a list}; shift 2 ;;
    --targets=*) TARGETS=${1#--targets=}; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "error: unknown argument '$1' (settings are environment variables; see the top of $0)" >&2; exit 2 ;;
  esac
done

readonly HOST=127.0.0.1
BASE_PORT=${BASE_PORT:-7001}
PROXY_PORT=${PROXY_PORT:-6380}
SINGLE_PORT=${SINGLE_PORT:-$((BASE_PORT + 10))}
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-2s}
TARGETS=${TARGETS:-client,lettuce,proxy,single}
OPS=${OPS:-get,set,mixed,mget10}
PIPELINES=${PIPELINES:-1,16}
RATES=${RATES:-}
RESULTS=${RESULTS:-run/bench/results-$(date +%Y%m%d-%H%M%S)}
WORKERS=${WORKERS:-16}
CONNECTIONS=${CONNECTIONS:-4}
BENCH_ARGS=${BENCH_ARGS:-}
RB_SECONDS=${RB_SECONDS:-5}
SKIP_RB=${SKIP_RB:-0}
SKIP_BENCH=${SKIP_BENCH:-0}
KEEP=${KEEP:-0}
IDLE_CLIENTS=${IDLE_CLIENTS:-1000}
CLIENT_API=${CLIENT_API:-command}
ROUNDS=${ROUNDS:-3}
RATE_DURATION=${RATE_DURATION:-$DURATION}
RATE_WORKERS=${RATE_WORKERS:-$WORKERS}
RATE_OPS=${RATE_OPS:-$OPS}

readonly PROXY_JAR=proxy-server/target/redis-cluster-proxy.jar
readonly BENCH_JAR=bench/target/redis-cluster-bench.jar
readonly RUN_DIR=run/bench

mkdir -p "$RESULTS"
echo "results: $RESULTS" >&2

started_cluster=0
started_proxy_pid=
started_single=0

for tool in redis-server redis-cli redis-benchmark java mvn; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "error: $tool not found (sudo apt-get install -y redis-server redis-tools; Java 17; Maven)" >&2
    exit 1
  fi
done

cleanup() {
  if (( KEEP )); then
    return
  fi
  if [[ -n "$started_proxy_pid" ]] && kill -0 "$started_proxy_pid" 2>/dev/null; then
    kill "$started_proxy_pid" 2>/dev/null || true
    wait "$started_proxy_pid" 2>/dev/null || true
    echo "stopped the proxy (pid $started_proxy_pid)" >&2
  fi
  if (( started_single )); then
    redis-cli -h "$HOST" -p "$SINGLE_PORT" shutdown nosave >/dev/null 2>&1 || true
    echo "stopped the single redis-server on $SINGLE_PORT" >&2
  fi
  if (( started_cluster )); then
    scripts/cluster.sh stop --base-port "$BASE_PORT" >&2 || true
  fi
}
trap cleanup EXIT

answers() {
  redis-cli -h "$HOST" -p "$1" ping 2>/dev/null | grep -q PONG
}

wait_for() {
  local port=$1 seconds=$2
  local deadline=$(( SECONDS + seconds ))
  until answers "$port"; do
    if (( SECONDS >= deadline )); then
      return 1
    fi
    sleep 0.2
  done
}

# --- build -------------------------------------------------------------------------------------------
if [[ ! -f $BENCH_JAR || ! -f $PROXY_JAR \
      || -n "$(find cluster-client/src proxy-server/src bench/src pom.xml */pom.xml -newer "$BENCH_JAR" -print -quit)" ]]; then
  echo "building $PROXY_JAR and $BENCH_JAR ..." >&2
  mvn -B -q -DskipTests package -pl bench -am
fi

# --- cluster, proxy, single server ---------------------------------------------------------------------
if ! scripts/cluster.sh status --base-port "$BASE_PORT" >/dev/null 2>&1; then
  scripts/cluster.sh start --base-port "$BASE_PORT" >&2
  started_cluster=1
fi
SEEDS="$HOST:$BASE_PORT,$HOST:$((BASE_PORT + 1)),$HOST:$((BASE_PORT + 2))"

mkdir -p "$RUN_DIR"
if answers "$PROXY_PORT"; then
  # Not ours: found by its port only to read its CPU time; it is left running.
  proxy_pid=$(ss -Hltnp "sport = :$PROXY_PORT" 2>/dev/null | sed -n 's/.*pid=\([0-9]*\).*/\1/p' | head -1)
  echo "using the proxy already on $HOST:$PROXY_PORT (pid ${proxy_pid:-unknown})" >&2
else
  java -XX:+UseParallelGC -Xms256m -Xmx256m -jar "$PROXY_JAR" --port "$PROXY_PORT" --seeds "$SEEDS" \
    >"$RUN_DIR/proxy.log" 2>&1 &
  started_proxy_pid=$!
  proxy_pid=$started_proxy_pid
  if ! wait_for "$PROXY_PORT" 30; then
    echo "error: the proxy did not answer on $PROXY_PORT within 30 s; see $RUN_DIR/proxy.log" >&2
    exit 1
  fi
  echo "started the proxy on $HOST:$PROXY_PORT (pid $proxy_pid, log $RUN_DIR/proxy.log)" >&2
fi

if [[ ",$TARGETS," == *",single,"* ]] && ! answers "$SINGLE_PORT"; then
  mkdir -p "$RUN_DIR/single"
  redis-server --port "$SINGLE_PORT" --bind "$HOST" --protected-mode no --save "" --appendonly no \
    --dir "$PWD/$RUN_DIR/single" --logfile "$PWD/$RUN_DIR/single/redis.log" --daemonize yes
  started_single=1
  wait_for "$SINGLE_PORT" 10 || { echo "error: redis-server on $SINGLE_PORT did not start" >&2; exit 1; }
fi

# --- our load generator --------------------------------------------------------------------------------
# Peak heap in use (eden + survivors + old, KiB) of a JVM, sampled every 200 ms until killed.
sample_heap() {
  local pid=$1 peak=0 used
  while kill -0 "$pid" 2>/dev/null; do
    used=$(jstat -gc "$pid" 2>/dev/null | awk 'NR==2 {printf "%d", $3+$4+$6+$8}')
    if [[ -n "$used" ]] && (( used > peak )); then
      peak=$used
      echo "$peak" > "$RUN_DIR/heap-peak-kib"
    fi
    sleep 0.2
  done
}

if (( ! SKIP_BENCH )); then
  heap_sampler=
  if [[ -n "${proxy_pid:-}" ]] && command -v jstat >/dev/null 2>&1; then
    rm -f "$RUN_DIR/heap-peak-kib"
    sample_heap "$proxy_pid" &
    heap_sampler=$!
  fi
  idle_args=()
  if [[ ",$TARGETS," == *",proxy,"* ]] && (( IDLE_CLIENTS > 0 )); then
    idle_args=(--idle-clients "$IDLE_CLIENTS")
  fi
  common_args=(--targets "$TARGETS" --connections-per-node "$CONNECTIONS" --warmup "$WARMUP"
    --client-api "$CLIENT_API" --rounds "$ROUNDS" --seeds "$SEEDS" --proxy "$HOST:$PROXY_PORT"
    --single "$HOST:$SINGLE_PORT" --out "$RESULTS")
  # shellcheck disable=SC2086 # BENCH_ARGS is a list of flags
  java -XX:+UseParallelGC -Xms512m -Xmx512m -jar "$BENCH_JAR" "${common_args[@]}" "${idle_args[@]}" \
    --ops "$OPS" --workers "$WORKERS" --pipeline "$PIPELINES" --duration "$DURATION" $BENCH_ARGS | tee "$RESULTS/summary.txt"
  if [[ -n "$RATES" ]]; then
    echo
    # shellcheck disable=SC2086 # BENCH_ARGS is a list of flags
    java -XX:+UseParallelGC -Xms512m -Xmx512m -jar "$BENCH_JAR" "${common_args[@]}" \
      --ops "$RATE_OPS" --workers "$RATE_WORKERS" --rates "$RATES" --duration "$RATE_DURATION" $BENCH_ARGS | tee -a "$RESULTS/summary.txt"
  fi
  if [[ -n "$heap_sampler" ]]; then
    kill "$heap_sampler" 2>/dev/null || true
    wait "$heap_sampler" 2>/dev/null || true
    if [[ -f "$RUN_DIR/heap-peak-kib" ]]; then
      echo
      echo "proxy heap: peak $(( $(cat "$RUN_DIR/heap-peak-kib") / 1024 )) MiB in use (jstat -gc every 200 ms," \
        "eden+survivors+old) with ${IDLE_CLIENTS} idle clients connected during the load above" \
        | tee -a "$RESULTS/summary.txt"
    fi
  fi
  if command -v gnuplot >/dev/null 2>&1; then
    if gnuplot -e "dir='$RESULTS'" scripts/bench-chart.gp; then
      echo "chart: $(ls "$RESULTS"/*.png 2>/dev/null | tr '\n' ' ')" >&2
    else
      echo "warning: gnuplot could not draw the chart" >&2
    fi
  else
    echo "no chart: gnuplot not found (apt-get install -y gnuplot-nox)" >&2
  fi
fi

# --- redis-benchmark, direct and through the proxy -----------------------------------------------------
cpu_ticks() {
  # utime + stime: fields 14 and 15 of /proc/<pid>/stat, counted after the ")" that ends the command name.
  [[ -n "${1:-}" && -r /proc/$1/stat ]] || { echo ""; return; }
  sed 's/^.*) //' "/proc/$1/stat" | awk '{ print $12 + $13 }'
}

# Prints the requests per second of one redis-benchmark run (CSV output, one test).
rb() {
  local port=$1 test=$2 n=$3 pipeline=$4; shift 4
  redis-benchmark "$@" -h "$HOST" -p "$port" -t "$test" -d 512 -c 50 -n "$n" -P "$pipeline" -r 100000 --csv 2>/dev/null \
    | awk -F'"' -v t="${test^^}" '$2 == t { print $4 }'
}

if (( ! SKIP_RB )); then
  clk_tck=$(getconf CLK_TCK)
  echo
  echo "redis-benchmark: -d 512 -c 50 -r 100000, about ${RB_SECONDS}s per run; direct = --cluster -p $BASE_PORT, proxy = -p $PROXY_PORT"
  printf '%-5s %8s %14s %14s %12s %22s\n' test pipeline "direct req/s" "proxy req/s" proxy/direct "proxy CPU ms/1k cmds"
  for pipeline in 1 16; do
    for test in set get; do
      # A short direct run sizes -n so the measured runs last about RB_SECONDS (and warms the keys up).
      probe=$(rb "$BASE_PORT" "$test" $(( pipeline == 1 ? 20000 : 100000 )) "$pipeline" --cluster)
      n=$(awk -v r="${probe:-0}" -v s="$RB_SECONDS" 'BEGIN { n = int(r * s); print (n < 10000 ? 10000 : n) }')
      direct=$(rb "$BASE_PORT" "$test" "$n" "$pipeline" --cluster)
      before=$(cpu_ticks "$proxy_pid")
      proxied=$(rb "$PROXY_PORT" "$test" "$n" "$pipeline")
      after=$(cpu_ticks "$proxy_pid")
      ratio=$(awk -v a="${proxied:-0}" -v b="${direct:-0}" 'BEGIN { if (b > 0) printf "%.2fx", a / b; else print "n/a" }')
      cpu=$(awk -v b="$before" -v a="$after" -v hz="$clk_tck" -v n="$n" \
        'BEGIN { if (b == "" || a == "") print "n/a"; else printf "%.3f", (a - b) / hz * 1000 / (n / 1000) }')
      printf '%-5s %8s %14s %14s %12s %22s\n' "${test^^}" "$pipeline" "${direct:-failed}" "${proxied:-failed}" "$ratio" "$cpu"
    done
  done
  echo "(n per run sized from a short direct probe; proxy CPU = utime+stime of pid ${proxy_pid:-unknown} over the proxy run)"
fi
echo "results: $RESULTS" >&2
