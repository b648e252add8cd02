#!/usr/bin/env bash
# Writes an application class-data-sharing (AppCDS) archive for the proxy jar: one training run of the
# proxy with -XX:ArchiveClassesAtExit, which the JVM then maps at start-up (-XX:SharedArchiveFile) instead
# of loading and verifying those classes again. See docs/jvm.md for what it saves.
#
#   scripts/cds-archive.sh JAR ARCHIVE [JVM FLAGS...]
#
# Give the JVM flags the proxy will run with. The archive only works with the same JVM build and the jar
# at the same path with the same size and modification time; with anything else the JVM says so and
# starts without it. Used by scripts/run-local.sh and docker/Dockerfile.
#
# The training needs no Redis: the proxy is pointed at a seed that does not answer, so it listens without
# a slot map, and a few commands (answered with CLUSTERDOWN) and HTTP probes go through the client and
# admin paths. It listens on 127.0.0.1: the RESP port is a random free one (the proxy does not take 0),
# the metrics port one the proxy picks, so a proxy already running is no obstacle.
# Bounded: it gives the proxy TRAINING_TIMEOUT seconds (default 60) to come up, then gives up.
set -euo pipefail

if (( $# < 2 )); then
  sed -n '2,9p' "$0" >&2
  exit 2
fi
jar=$1
archive=$2
shift 2
timeout=${TRAINING_TIMEOUT:-60}
log=$(mktemp)
pid=

finish() {
  if [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null; then
    kill -KILL "$pid"
  fi
  rm -f "$log"
}
trap finish EXIT

# The port the proxy logged for a listener ("listening on /127.0.0.1:PORT", "on http://127.0.0.1:PORT/").
logged_port() {
  sed -n "s|.*$1/\{0,2\}127\.0\.0\.1:\([0-9]*\).*|\1|p" "$log" | head -n 1
}

# Sends one request over bash's /dev/tcp and prints the first line of the answer.
ask() {
  local port=$1 request=$2
  exec 3<>"/dev/tcp/127.0.0.1/$port"
  printf '%b' "$request" >&3
  head -n 1 <&3 || true
  exec 3>&-
}

# A random port in 20000-39999 that nothing answers on; a second proxy taking it meanwhile just makes the
# training fail with a bind error.
resp=
for _ in 1 2 3 4 5; do
  candidate=$(( 20000 + RANDOM % 20000 ))
  if ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then
    resp=$candidate
    break
  fi
done
[[ -n $resp ]] || { echo "error: found no free port for the training run" >&2; exit 1; }

rm -f "$archive"
PROXY_METRICS_BIND=127.0.0.1 PROXY_METRICS_PORT=0 \
  java -XX:ArchiveClassesAtExit="$archive" "$@" -jar "$jar" \
  --bind 127.0.0.1 --port "$resp" --seeds 127.0.0.1:1 --log-level INFO --fail-fast-startup false >"$log" 2>&1 &
pid=$!

deadline=$(( SECONDS + timeout ))
until [[ -n $(logged_port 'metrics and health on http:') ]]; do
  if ! kill -0 "$pid" 2>/dev/null || (( SECONDS >= deadline )); then
    echo "error: the training run of $jar did not come up; its output:" >&2
    cat "$log" >&2
    exit 1
  fi
  sleep 0.1
done
http=$(logged_port 'metrics and health on http:')

ask "$resp" '*1\r\n$4\r\nPING\r\n' >/dev/null
ask "$resp" '*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nvalue\r\n*2\r\n$3\r\nGET\r\n$3\r\nkey\r\n*1\r\n$4\r\nQUIT\r\n' >/dev/null
ask "$resp" '*3\r\n$4\r\nMGET\r\n$1\r\na\r\n$1\r\nb\r\n*2\r\n$4\r\nINFO\r\n$6\r\nserver\r\n*1\r\n$4\r\nQUIT\r\n' >/dev/null
for path in /health/live /health/ready /metrics; do
  ask "$http" "GET $path HTTP/1.0\r\nHost: localhost\r\n\r\n" >/dev/null
done

# SIGTERM: the proxy drains and exits 0, and the JVM writes the archive on the way out.
kill -TERM "$pid"
status=0
wait "$pid" || status=$?
pid=
if (( status != 0 )) || [[ ! -s $archive ]]; then
  echo "error: no archive written to $archive (the training run exited with $status); its output:" >&2
  cat "$log" >&2
  exit 1
fi
