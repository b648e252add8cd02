#!/usr/bin/env bash
# Read throughput through the proxy with proxy.read-from = master, replica-preferred and nearest, in one
# run, alternated round by round so the three share the same machine state. Starts its own cluster of 3
# masters + 3 replicas and three proxies (one event loop each, one per mode) on 127.0.0.1, runs
# redis-benchmark GET against each in turn, and stops everything it started (by pid / SHUTDOWN NOSAVE).
#
#   scripts/bench-replica-reads.sh
#   ROUNDS=5 REQUESTS=300000 BASE_PORT=32001 scripts/bench-replica-reads.sh
#
# Environment (defaults in brackets):
#   BASE_PORT [32001]  nodes on BASE..BASE+5, proxies on BASE+10..BASE+12, their metrics on BASE+20..BASE+22
#   ROUNDS [3]  REQUESTS [200000] per run  CLIENTS [16]  PIPELINE [16]  KEYS [100000]  VALUE_BYTES [32]
# Prints each run, then per mode the median ops/s, its ratio to master, and where the proxy sent reads
# (redis_proxy_replica_reads_total and redis_proxy_master_reads_total from its /metrics).
set -euo pipefail
cd "$(dirname "$0")/.."

readonly HOST=127.0.0.1
BASE_PORT=${BASE_PORT:-32001}
ROUNDS=${ROUNDS:-3}
REQUESTS=${REQUESTS:-200000}
CLIENTS=${CLIENTS:-16}
PIPELINE=${PIPELINE:-16}
KEYS=${KEYS:-100000}
VALUE_BYTES=${VALUE_BYTES:-32}
readonly MODES=(master replica-preferred nearest)

jar=proxy-server/target/redis-cluster-proxy.jar
[[ -f $jar ]] || { echo "build $jar first: mvn -B -o -DskipTests package" >&2; exit 1; }
work=$(mktemp -d /tmp/bench-replica-reads.XXXXXX)
cp "$jar" "$work/proxy.jar" # a rebuild meanwhile must not change the jar under the running proxies

node_ports=()
for i in 0 1 2 3 4 5; do node_ports+=($((BASE_PORT + i))); done
proxy_pids=()

cleanup() {
  for pid in "${proxy_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for port in "${node_ports[@]}"; do redis-cli -h $HOST -p "$port" shutdown nosave >/dev/null 2>&1 || true; done
  rm -rf "$work"
}
trap cleanup EXIT

for port in "${node_ports[@]}"; do
  mkdir -p "$work/$port"
  redis-server --port "$port" --bind $HOST --protected-mode no --cluster-enabled yes \
    --cluster-config-file nodes.conf --cluster-node-timeout 2000 --dir "$work/$port" \
    --save "" --appendonly no --daemonize yes --logfile "$work/$port/redis.log" --pidfile "$work/$port/redis.pid"
done
for port in "${node_ports[@]}"; do
  until redis-cli -h $HOST -p "$port" ping >/dev/null 2>&1; do sleep 0.1; done
done
redis-cli --cluster create $(for p in "${node_ports[@]}"; do printf '%s:%s ' $HOST "$p"; done) \
  --cluster-replicas 1 --cluster-yes >/dev/null
for _ in $(seq 100); do
  ok=1
  for port in "${node_ports[@]}"; do
    redis-cli -h $HOST -p "$port" cluster info | grep -q cluster_state:ok || ok=0
  done
  (( ok )) && break
  sleep 0.2
done
seeds="$HOST:${node_ports[0]},$HOST:${node_ports[1]},$HOST:${node_ports[2]}"

for i in 0 1 2; do
  mode=${MODES[$i]}
  printf 'proxy { read-from = %s\n  cluster.refresh-interval = 1s\n  replica.read-your-writes-window = 0s }\n' \
    "$mode" > "$work/$mode.conf"
  PROXY_METRICS_PORT=$((BASE_PORT + 20 + i)) java -XX:+UseParallelGC -Xms256m -Xmx256m \
    -XX:MaxDirectMemorySize=512m -jar "$work/proxy.jar" --config "$work/$mode.conf" \
    --port $((BASE_PORT + 10 + i)) --seeds "$seeds" --event-loops 1 --log-level WARN \
    > "$work/proxy-$mode.log" 2>&1 &
  proxy_pids+=($!)
done
for i in 0 1 2; do
  until redis-cli -h $HOST -p $((BASE_PORT + 10 + i)) ping >/dev/null 2>&1; do sleep 0.2; done
done

echo "loading $KEYS keys of $VALUE_BYTES bytes"
redis-benchmark -h $HOST -p $((BASE_PORT + 10)) -t set -n "$KEYS" -r "$KEYS" -d "$VALUE_BYTES" \
  -c "$CLIENTS" -P "$PIPELINE" -q >/dev/null
# Replicas in sync and seen online by every proxy's next refresh.
for port in "${node_ports[@]}"; do
  until redis-cli -h $HOST -p "$port" info replication | grep -Eq 'role:master|master_link_status:up'; do
    sleep 0.2
  done
done
sleep 3

run() { # mode index -> ops/s
  redis-benchmark -h $HOST -p $((BASE_PORT + 10 + $1)) -t get -n "$REQUESTS" -r "$KEYS" \
    -c "$CLIENTS" -P "$PIPELINE" -q 2>/dev/null | tr '\r' '\n' | grep -Eo 'GET: [0-9.]+' | tail -1 | awk '{print $2}'
}

for i in 0 1 2; do run "$i" >/dev/null; done # warm-up: JIT, connections to the replicas
declare -A results
for round in $(seq "$ROUNDS"); do
  for i in 0 1 2; do
    ops=$(run "$i")
    results[$i]="${results[$i]:-} $ops"
    printf 'round %s %-18s %12s ops/s\n' "$round" "${MODES[$i]}" "$ops"
  done
done

median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
base=$(echo "${results[0]}" | median)
echo
for i in 0 1 2; do
  m=$(echo "${results[$i]}" | median)
  metrics=$(curl -s "http://$HOST:$((BASE_PORT + 20 + i))/metrics")
  to_replicas=$(echo "$metrics" | awk '/^redis_proxy_replica_reads_total/ {s += $2} END {printf "%.0f", s}')
  to_master=$(echo "$metrics" | awk '/^redis_proxy_master_reads_total/ {s += $2} END {printf "%.0f", s}')
  printf '%-18s median %12s ops/s  ratio %.2f  reads to replicas %s, kept on masters %s\n' \
    "${MODES[$i]}" "$m" "$(echo "$m / $base" | bc -l)" "$to_replicas" "$to_master"
done
echo "$(nproc) CPUs; every node, proxy and redis-benchmark on this host"
