#!/usr/bin/env bash
# Start-up time of the proxy jar: starts it RUNS times against a local cluster and reports, as medians,
# the time from launching `java` to the first 200 from /health/ready, the CPU the JVM spent until then,
# its resident memory at that moment, and the latency of a new client's first request and of its first
# 100 (sequential SET/GET of 512-byte values over keys spread across the masters).
#
#   scripts/startup-time.sh                                  # the JVM flags of scripts/run-local.sh
#   RUNS=7 scripts/startup-time.sh 'g1=-XX:+UseG1GC' 'serial=-XX:+UseSerialGC'
#
# Each argument is a variant, NAME=JVM FLAGS; the variants take turns start after start (A B A B ...),
# so they share whatever else the machine is doing. Without arguments the one variant is "default".
#
# Environment (defaults in brackets):
#   BASE_PORT [34001]  MASTERS [5]  the cluster (started with scripts/cluster.sh when it is not up, and
#                      then stopped at the end unless KEEP=1)
#   PROXY_PORT [34100]  METRICS_PORT [34190]  RUNS [5]  starts per variant
#   READY_TIMEOUT [30]  seconds one start may take to become ready before it counts as failed
#   JAR [proxy-server/target/redis-cluster-proxy.jar]  copied to run/startup-time/ first, so a rebuild
#                      during the runs does not change it
#   PROXY_ARGS []      extra proxy flags
# Logs of each start: run/startup-time/<variant>-<n>.log
set -euo pipefail
cd "$(dirname "$0")/.."

readonly HOST=127.0.0.1
BASE_PORT=${BASE_PORT:-34001}
MASTERS=${MASTERS:-5}
PROXY_PORT=${PROXY_PORT:-34100}
METRICS_PORT=${METRICS_PORT:-34190}
RUNS=${RUNS:-5}
READY_TIMEOUT=${READY_TIMEOUT:-30}
JAR=${JAR:-proxy-server/target/redis-cluster-proxy.jar}
PROXY_ARGS=${PROXY_ARGS:-}
KEEP=${KEEP:-0}
readonly OUT_DIR=run/startup-time
export PROXY_PORT METRICS_PORT RUNS READY_TIMEOUT PROXY_ARGS OUT_DIR
# The flags scripts/run-local.sh starts the proxy with.
readonly DEFAULT_FLAGS="-XX:+UseParallelGC -Xms256m -Xmx256m -XX:MaxDirectMemorySize=512m"

for tool in java python3 redis-cli; do
  command -v "$tool" >/dev/null 2>&1 || { echo "error: $tool not found" >&2; exit 1; }
done
if (( RUNS < 1 || RUNS > 50 )); then
  echo "error: RUNS must be between 1 and 50" >&2
  exit 2
fi
if [[ ! -f $JAR ]]; then
  echo "error: $JAR not found; build it with: mvn -B -DskipTests package" >&2
  exit 1
fi
mkdir -p "$OUT_DIR"
# -p keeps the modification time, which a class-data-sharing archive made for this copy checks.
cp -p "$JAR" "$OUT_DIR/redis-cluster-proxy.jar"

started_cluster=0
if ! redis-cli -h "$HOST" -p "$BASE_PORT" cluster info 2>/dev/null | grep -q '^cluster_state:ok'; then
  scripts/cluster.sh start --masters "$MASTERS" --base-port "$BASE_PORT"
  started_cluster=1
fi
stop_cluster() {
  if (( started_cluster && ! KEEP )); then
    scripts/cluster.sh stop --masters "$MASTERS" --base-port "$BASE_PORT"
  fi
}
trap stop_cluster EXIT

if (( $# == 0 )); then
  set -- "default=$DEFAULT_FLAGS"
fi
seeds=$HOST:$BASE_PORT,$HOST:$((BASE_PORT + 1)),$HOST:$((BASE_PORT + 2))

python3 - "$OUT_DIR/redis-cluster-proxy.jar" "$seeds" "$@" <<'PY'
import os, signal, socket, statistics, subprocess, sys, time

jar, seeds, variants = sys.argv[1], sys.argv[2], sys.argv[3:]
host = "127.0.0.1"
proxy_port = int(os.environ["PROXY_PORT"])
metrics_port = int(os.environ["METRICS_PORT"])
runs = int(os.environ["RUNS"])
ready_timeout = float(os.environ["READY_TIMEOUT"])
proxy_args = os.environ.get("PROXY_ARGS", "").split()
out_dir = os.environ["OUT_DIR"]
ticks = os.sysconf("SC_CLK_TCK")
value = b"x" * 512


def port_free(port):
    with socket.socket() as s:
        return s.connect_ex((host, port)) != 0


def ready_status():
    """The status code of /health/ready, or None while nothing listens."""
    try:
        with socket.create_connection((host, metrics_port), timeout=1) as s:
            s.sendall(b"GET /health/ready HTTP/1.0\r\nHost: localhost\r\n\r\n")
            line = s.makefile("rb").readline()
            return int(line.split()[1])
    except (OSError, IndexError, ValueError):
        return None


def listening(log_name):
    with open(log_name, "rb") as f:
        return b"metrics and health on" in f.read()


def cpu_ms(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000 / ticks


def rss_mib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def command(*args):
    out = b"*%d\r\n" % len(args)
    for a in args:
        out += b"$%d\r\n%s\r\n" % (len(a), a)
    return out


def read_reply(f):
    line = f.readline()
    if line[:1] == b"$" and int(line[1:]) >= 0:
        f.read(int(line[1:]) + 2)
    elif line[:1] == b"-":
        raise RuntimeError("proxy answered " + line.decode().strip())
    elif not line:
        raise RuntimeError("proxy closed the connection")


def first_requests(count):
    """Milliseconds for the first request and for the first `count`, on one new connection."""
    with socket.create_connection((host, proxy_port), timeout=10) as s:
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        f = s.makefile("rb")
        first = None
        start = time.perf_counter_ns()
        for i in range(count):
            key = b"startup:%d" % i
            s.sendall(command(b"SET", key, value) if i % 2 == 0 else command(b"GET", key))
            read_reply(f)
            if first is None:
                first = (time.perf_counter_ns() - start) / 1e6
        return first, (time.perf_counter_ns() - start) / 1e6


def stop(proc):
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


class PortBusy(Exception):
    """The proxy could not bind a port: another process's outgoing connection can hold it as its source port."""


def one_start(name, flags, n):
    for attempt in range(1, 4):
        try:
            return try_start(name, flags, n, attempt)
        except PortBusy:
            time.sleep(2)


def try_start(name, flags, n, attempt):
    for port in (proxy_port, metrics_port):
        if not port_free(port):
            sys.exit(f"error: port {port} is taken; stop what listens there or set PROXY_PORT/METRICS_PORT")
    env = dict(os.environ, PROXY_METRICS_PORT=str(metrics_port))
    argv = ["java", *flags.split(), "-jar", jar, "--port", str(proxy_port), "--seeds", seeds, *proxy_args]
    with open(f"{out_dir}/{name}-{n}.log", "wb") as log:
        launched = time.perf_counter_ns()
        proc = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT, env=env)
        try:
            deadline = time.monotonic() + ready_timeout
            # Probe only once the proxy says it listens: a connect to a port nobody listens on can pick that
            # same port as its own source port (34190 is in Linux's ephemeral range) and connect to itself,
            # and then the proxy cannot bind it.
            while not listening(log.name) or ready_status() != 200:
                if proc.poll() is not None:
                    log.flush()
                    if attempt < 3 and b"Address already in use" in open(log.name, "rb").read():
                        raise PortBusy()
                    sys.exit(f"error: {name} exited with {proc.returncode}; see {log.name}")
                if time.monotonic() > deadline:
                    sys.exit(f"error: {name} not ready within {ready_timeout:.0f}s; see {log.name}")
                time.sleep(0.005)
            ready = (time.perf_counter_ns() - launched) / 1e6
            cpu, rss = cpu_ms(proc.pid), rss_mib(proc.pid)
            first, hundred = first_requests(100)
            return ready, cpu, rss, first, hundred
        finally:
            stop(proc)


named = []
for v in variants:
    name, sep, flags = v.partition("=")
    if not sep or not name:
        sys.exit(f"error: variant {v!r} is not NAME=JVM FLAGS")
    named.append((name, flags))

results = {name: [] for name, _ in named}
for n in range(1, runs + 1):
    for name, flags in named:
        r = one_start(name, flags, n)
        results[name].append(r)
        print(f"  run {n} {name}: ready {r[0]:.0f} ms, cpu {r[1]:.0f} ms, rss {r[2]:.0f} MiB, "
              f"first request {r[3]:.2f} ms, first 100 {r[4]:.1f} ms", file=sys.stderr, flush=True)

print(f"medians of {runs} starts each (ms; rss in MiB at ready)")
print(f"{'variant':<16} {'ready':>7} {'cpu':>7} {'rss':>5} {'first':>8} {'first100':>9}  flags")
for name, flags in named:
    cols = [statistics.median(r[i] for r in results[name]) for i in range(5)]
    print(f"{name:<16} {cols[0]:7.0f} {cols[1]:7.0f} {cols[2]:5.0f} {cols[3]:8.2f} {cols[4]:9.1f}  {flags}")
PY
