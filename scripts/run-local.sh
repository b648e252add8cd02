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

exec java -XX:+UseParallelGC -Xms256m -Xmx256m -XX:MaxDirectMemorySize=512m -jar "$jar" \
  --seeds 127.0.0.1:7001,127.0.0.1:7002,127.0.0.1:7003 "$@"
