#!/usr/bin/env bash
# Profiles the proxy under redis-benchmark load with JDK Flight Recorder and prints where its CPU goes:
# the hottest methods by own samples, and the share of samples inside each of the proxy's own classes.
#
#   scripts/profile.sh                      # GET, pipeline 16, 50 clients, against a cluster on 7001
#   TEST=set PIPELINE=1 scripts/profile.sh
#
# Needs the local cluster (scripts/cluster.sh start) and a built jar. Starts its own proxy on PROFILE_PORT
# [6395], stops it at the end, and leaves the recording in run/profile/proxy.jfr.
set -euo pipefail
cd "$(dirname "$0")/.."

PORT=${PROFILE_PORT:-6395}
SEEDS=${SEEDS:-127.0.0.1:7001}
TEST=${TEST:-get}
PIPELINE=${PIPELINE:-16}
REQUESTS=${REQUESTS:-1000000}
TOP=${TOP:-25}
readonly JAR=proxy-server/target/redis-cluster-proxy.jar
readonly OUT=run/profile
mkdir -p "$OUT"

[[ -f $JAR ]] || mvn -B -q -DskipTests package
redis-cli -p "${SEEDS##*:}" ping >/dev/null 2>&1 || { echo "error: no cluster at $SEEDS (scripts/cluster.sh start)" >&2; exit 1; }

PROXY_METRICS_PORT=0 java -XX:+UseParallelGC -Xms256m -Xmx256m -XX:StartFlightRecording=filename=$OUT/proxy.jfr,settings=profile \
  -jar "$JAR" --port "$PORT" --seeds "$SEEDS" > "$OUT/proxy.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true' EXIT
for _ in $(seq 50); do redis-cli -p "$PORT" ping >/dev/null 2>&1 && break; sleep 0.2; done

# Warm up, then record only the measured run.
redis-benchmark -p "$PORT" -t "$TEST" -P "$PIPELINE" -d 512 -r 100000 -n 200000 -c 50 -q >/dev/null 2>&1
jcmd "$pid" JFR.stop >/dev/null
jcmd "$pid" JFR.start name=measured filename="$OUT/proxy.jfr" settings=profile >/dev/null
read -r u0 s0 < <(awk '{print $14, $15}' "/proc/$pid/stat")
redis-benchmark -p "$PORT" -t "$TEST" -P "$PIPELINE" -d 512 -r 100000 -n "$REQUESTS" -c 50 --csv | tail -1
read -r u1 s1 < <(awk '{print $14, $15}' "/proc/$pid/stat")
jcmd "$pid" JFR.dump name=measured filename="$OUT/proxy.jfr" >/dev/null
tck=$(getconf CLK_TCK)
user_ms=$(( (u1 - u0) * 1000 / tck )); sys_ms=$(( (s1 - s0) * 1000 / tck ))
echo "proxy CPU for $REQUESTS commands: $((user_ms + sys_ms)) ms = $user_ms ms in Java (user) + $sys_ms ms in the kernel (system)"

jfr print --events jdk.ExecutionSample "$OUT/proxy.jfr" | awk '
  /stackTrace = \[/ { inStack = 1; first = 1; split("", seen); samples++; next }
  inStack && /^[[:space:]]*\]/ { inStack = 0; next }
  inStack {
    frame = $1; sub(/\(.*/, "", frame)
    if (first) { self[frame]++; first = 0 }
    cls = frame; sub(/\.[^.]*$/, "", cls)
    if (cls ~ /^io\.rcproxy/ && !(cls in seen)) { seen[cls] = 1; incl[cls]++ }
  }
  END {
    print "total " samples
    for (f in self) printf "self %.1f %s\n", 100 * self[f] / samples, f
    for (c in incl) printf "incl %.1f %s\n", 100 * incl[c] / samples, c
  }' > "$OUT/samples.txt"

echo
echo "$(awk '$1 == "total" {print $2}' "$OUT/samples.txt") execution samples (Java code only: time in the kernel, such as socket I/O, is not sampled)"
echo
echo "hottest methods, by own samples:"
awk '$1 == "self" {printf "  %5.1f%%  %s\n", $2, $3}' "$OUT/samples.txt" | sort -rn -k1 | head -n "$TOP"
echo
echo "proxy classes, by samples with the class anywhere on the stack:"
awk '$1 == "incl" {printf "  %5.1f%%  %s\n", $2, $3}' "$OUT/samples.txt" | sort -rn -k1
