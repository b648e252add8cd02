#!/usr/bin/env bash
# TLS against plain through the proxy in one run: redis-benchmark on the proxy's plain port and on its TLS
# port (client TLS; the cluster behind is plain), each with the proxy's CPU per 1,000 commands, for each TLS
# provider asked for (jdk, and openssl when netty-tcnative-boringssl-static is given).
#
#   scripts/bench-tls.sh
#   PROVIDERS=jdk,openssl TCNATIVE_CP=/path/netty-tcnative-boringssl-static-linux-x86_64.jar:/path/netty-tcnative-classes.jar \
#     BASE_PORT=7501 PROXY_PORT=7520 TLS_PORT=7521 scripts/bench-tls.sh
#
# Starts a 5-master cluster (scripts/cluster.sh) unless one answers on BASE_PORT, a proxy per provider, and a
# throwaway CA and certificate (openssl, EC P-256) under run/bench-tls; stops what it started.
#
# Environment [defaults]: BASE_PORT [7501] PROXY_PORT [7520] TLS_PORT [7521] PROVIDERS [jdk]
#   TCNATIVE_CP [] class path entries for provider openssl   N1 [200000] N16 [1000000] requests per run at
#   pipeline 1 / 16   CLIENTS [50]   ROUNDS [2] runs of each (plain, tls) pair, interleaved; each is printed
#   AUTH_ROWS [0]  1: also compare, on the plain port, the open default user with a user whose ACL rules and
#   key pattern are checked on every command (user bench on >bench ~key:* +@all -@dangerous)
set -euo pipefail
cd "$(dirname "$0")/.."

readonly HOST=127.0.0.1
BASE_PORT=${BASE_PORT:-7501}
PROXY_PORT=${PROXY_PORT:-7520}
TLS_PORT=${TLS_PORT:-7521}
PROVIDERS=${PROVIDERS:-jdk}
TCNATIVE_CP=${TCNATIVE_CP:-}
N1=${N1:-200000}
N16=${N16:-1000000}
CLIENTS=${CLIENTS:-50}
ROUNDS=${ROUNDS:-2}
AUTH_ROWS=${AUTH_ROWS:-0}
readonly PROXY_JAR=proxy-server/target/redis-cluster-proxy.jar
readonly DIR=run/bench-tls

started_cluster=0
proxy_pid=
cleanup() {
  if [[ -n "$proxy_pid" ]] && kill -0 "$proxy_pid" 2>/dev/null; then
    kill "$proxy_pid"; wait "$proxy_pid" 2>/dev/null || true
  fi
  if (( started_cluster )); then
    scripts/cluster.sh stop --base-port "$BASE_PORT" >&2 || true
  fi
}
trap cleanup EXIT

answers() { redis-cli -h "$HOST" -p "$1" ping 2>/dev/null | grep -q PONG; }

if [[ ! -f $PROXY_JAR || -n "$(find cluster-client/src proxy-server/src pom.xml */pom.xml -newer "$PROXY_JAR" -print -quit)" ]]; then
  echo "building $PROXY_JAR ..." >&2
  mvn -B -q -o -DskipTests package -pl proxy-server -am
fi
if ! answers "$BASE_PORT"; then
  scripts/cluster.sh start --base-port "$BASE_PORT" >&2
  started_cluster=1
fi

mkdir -p "$DIR"
if [[ ! -f $DIR/proxy.pem ]]; then
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$DIR/ca.key" \
    -out "$DIR/ca.pem" -days 2 -subj /CN=bench-ca 2>/dev/null
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$DIR/proxy.key" \
    -out "$DIR/proxy.csr" -subj /CN=localhost 2>/dev/null
  printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\n' > "$DIR/proxy.ext"
  openssl x509 -req -in "$DIR/proxy.csr" -CA "$DIR/ca.pem" -CAkey "$DIR/ca.key" -CAcreateserial \
    -out "$DIR/proxy.pem" -days 2 -extfile "$DIR/proxy.ext" 2>/dev/null
fi

cpu_ticks() { sed 's/^.*) //' "/proc/$1/stat" | awk '{ print $12 + $13 }'; }
clk_tck=$(getconf CLK_TCK)

# One redis-benchmark run: prints "req/s cpu-ms-per-1k".
run() {
  local port=$1 test=$2 n=$3 pipeline=$4; shift 4
  local before after rps
  before=$(cpu_ticks "$proxy_pid")
  rps=$(redis-benchmark "$@" -h "$HOST" -p "$port" -t "$test" -d 512 -c "$CLIENTS" -n "$n" -P "$pipeline" \
      -r 100000 --csv 2>/dev/null | awk -F'"' -v t="${test^^}" '$2 == t { print $4 }')
  after=$(cpu_ticks "$proxy_pid")
  awk -v r="${rps:-0}" -v b="$before" -v a="$after" -v hz="$clk_tck" -v n="$n" \
    'BEGIN { printf "%s %.3f", r, (a - b) / hz * 1000 / (n / 1000) }'
}

IFS=, read -r -a providers <<< "$PROVIDERS"
echo "redis-benchmark -d 512 -c $CLIENTS -r 100000 through the proxy: plain port $PROXY_PORT, TLS port $TLS_PORT" \
  "(TLS 1.3, EC P-256 certificate, no client certificate)"
printf '%-8s %-5s %3s %5s %12s %12s %14s %14s\n' provider test P round "plain req/s" "tls req/s" "plain CPU/1k" "tls CPU/1k"
for provider in "${providers[@]}"; do
  cp="$PROXY_JAR"
  [[ "$provider" == openssl ]] && cp="$PROXY_JAR:$TCNATIVE_CP"
  cat > "$DIR/proxy-$provider.conf" <<CONF
proxy {
  listen.port = $PROXY_PORT
  cluster.seeds = ["$HOST:$BASE_PORT", "$HOST:$((BASE_PORT + 1))"]
  metrics.enabled = false
  auth.users = ["user default on nopass ~* &* +@all", "user bench on >bench ~key:* +@all -@dangerous"]
  tls { port = $TLS_PORT, cert-file = "$PWD/$DIR/proxy.pem", key-file = "$PWD/$DIR/proxy.key", provider = $provider }
}
CONF
  java -XX:+UseParallelGC -Xms256m -Xmx256m -cp "$cp" io.rcproxy.proxy.ProxyMain --config "$DIR/proxy-$provider.conf" \
    >"$DIR/proxy-$provider.log" 2>&1 &
  proxy_pid=$!
  for _ in $(seq 150); do answers "$PROXY_PORT" && break; sleep 0.2; done
  answers "$PROXY_PORT" || { echo "proxy ($provider) did not start; see $DIR/proxy-$provider.log" >&2; exit 1; }
  for pipeline in 1 16; do
    n=$(( pipeline == 1 ? N1 : N16 ))
    for test in get set; do
      run "$PROXY_PORT" "$test" $(( n / 10 )) "$pipeline" >/dev/null   # warm-up
      for round in $(seq "$ROUNDS"); do
        read -r plain plain_cpu <<< "$(run "$PROXY_PORT" "$test" "$n" "$pipeline")"
        read -r tls tls_cpu <<< "$(run "$TLS_PORT" "$test" "$n" "$pipeline" --tls --cacert "$DIR/ca.pem")"
        printf '%-8s %-5s %3s %5s %12s %12s %14s %14s\n' "$provider" "${test^^}" "$pipeline" "$round" \
          "$plain" "$tls" "$plain_cpu" "$tls_cpu"
      done
    done
  done
  if (( AUTH_ROWS )); then
    for pipeline in 1 16; do
      n=$(( pipeline == 1 ? N1 : N16 ))
      for test in get set; do
        for round in $(seq "$ROUNDS"); do
          read -r open open_cpu <<< "$(run "$PROXY_PORT" "$test" "$n" "$pipeline")"
          read -r acl acl_cpu <<< "$(run "$PROXY_PORT" "$test" "$n" "$pipeline" --user bench -a bench)"
          printf '%-8s %-5s %3s %5s %12s %12s %14s %14s   (open user | ACL user)\n' "$provider" "${test^^}" \
            "$pipeline" "$round" "$open" "$acl" "$open_cpu" "$acl_cpu"
        done
      done
    done
  fi
  kill "$proxy_pid"; wait "$proxy_pid" 2>/dev/null || true
  proxy_pid=
done
echo "(CPU/1k = proxy utime+stime in ms per 1,000 commands over that run; a 2-core machine shared with the load generator)"
