#!/usr/bin/env bash
# Builds the proxy, starts a local 5-master Redis Cluster on 127.0.0.1:7001-7005 (unless it is already
# up) and runs the proxy in the foreground on 127.0.0.1:6380. Extra arguments go to the proxy.
set -euo pipefail
cd "$(dirname "$0")/.."

# Installs redis-server and redis-tools when they are missing and it can (root, or sudo without a
# password); otherwise it prints the command to run and stops here.
scripts/install-redis.sh

for tool in java mvn; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "error: $tool not found. Install Java 17 or later and Maven, e.g.:" \
      "sudo apt-get install -y default-jdk-headless maven" >&2
    exit 1
  fi
done

jar=proxy-server/target/redis-cluster-proxy.jar
if [[ ! -f $jar || -n "$(find cluster-client/src proxy-server/src pom.xml */pom.xml -newer "$jar" -print -quit)" ]]; then
  echo "building $jar ..."
  mvn -B -q -DskipTests package
fi

scripts/cluster.sh start

# JVM flags, measured and explained in docs/jvm.md. ParallelGC: the proxy's garbage is short-lived and its
# heap small; it cost the same CPU per command as G1 with 20-40 MiB less memory. A fixed 256 MiB heap and
# direct memory twice the heap (see README: "Big values and JVM memory").
jvm_flags=(-XX:+UseParallelGC -Xms256m -Xmx256m -XX:MaxDirectMemorySize=512m)

# A class-data-sharing archive of the proxy's classes cuts the CPU the JVM spends reaching readiness by a
# third. It is tied to this jar file, so it is written again after each build (a few seconds, no Redis
# needed); when that fails the proxy starts without it.
archive=run/cds/redis-cluster-proxy.jsa
if [[ ! -f $archive || $jar -nt $archive ]]; then
  echo "writing the class-data-sharing archive $archive ..."
  mkdir -p "$(dirname "$archive")"
  if ! scripts/cds-archive.sh "$jar" "$archive" "${jvm_flags[@]}" >run/cds/training.log 2>&1; then
    echo "warning: no class-data-sharing archive (see run/cds/training.log); starting without it" >&2
    rm -f "$archive"
  fi
fi
if [[ -f $archive ]]; then
  jvm_flags+=(-XX:SharedArchiveFile="$archive")
fi

exec java "${jvm_flags[@]}" -jar "$jar" --seeds 127.0.0.1:7001,127.0.0.1:7002,127.0.0.1:7003 "$@"
