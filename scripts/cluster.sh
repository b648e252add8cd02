#!/usr/bin/env bash
# Starts, stops or inspects a local Redis Cluster for development and benchmarks:
# N masters (default 5), no replicas, on 127.0.0.1 ports BASE..BASE+N-1 (default 7001..7005),
# each with its data and log under ./run/cluster/<port>/ (ignored by git via /run/).
#
#   scripts/cluster.sh start|stop|status [--masters 5] [--base-port 7001]
#
# Tests do not use this script: they start their own clusters on free ports (RedisClusterProcess).
set -euo pipefail

readonly HOST=127.0.0.1
ROOT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
readonly ROOT_DIR
readonly DATA_DIR="${ROOT_DIR}/run/cluster"
readonly READY_TIMEOUT_SECONDS=30

masters=5
base_port=7001

usage() {
  echo "usage: $0 start|stop|status [--masters N] [--base-port PORT]" >&2
  exit 2
}

require_redis() {
  local missing=0 tool
  for tool in redis-server redis-cli; do
    if ! command -v "${tool}" >/dev/null 2>&1; then
      echo "error: ${tool} not found on PATH." >&2
      missing=1
    fi
  done
  if (( missing )); then
    echo "Install Redis with: sudo apt-get install -y redis-server redis-tools" >&2
    exit 1
  fi
}

ports() {
  seq "${base_port}" $(( base_port + masters - 1 ))
}

is_up() {
  redis-cli -h "${HOST}" -p "$1" ping >/dev/null 2>&1
}

is_down() {
  ! is_up "$1"
}

cluster_ok() {
  redis-cli -h "${HOST}" -p "$1" cluster info 2>/dev/null | grep -q '^cluster_state:ok'
}

all_ok() {
  local port
  for port in $(ports); do
    cluster_ok "${port}" || return 1
  done
}

start_node() {
  local port=$1 dir="${DATA_DIR}/$1"
  mkdir -p "${dir}"
  # --daemonize keeps the servers running after this script exits; the pid file lets status find them.
  redis-server \
    --port "${port}" --bind "${HOST}" --protected-mode no \
    --cluster-enabled yes --cluster-config-file nodes.conf \
    --cluster-node-timeout 2000 --cluster-require-full-coverage no \
    --save "" --appendonly no \
    --dir "${dir}" --logfile "${dir}/redis.log" --pidfile "${dir}/redis.pid" \
    --daemonize yes
}

wait_until() {
  local what=$1; shift
  local deadline=$(( SECONDS + READY_TIMEOUT_SECONDS ))
  until "$@"; do
    if (( SECONDS >= deadline )); then
      echo "error: ${what} not reached within ${READY_TIMEOUT_SECONDS}s; logs in ${DATA_DIR}/<port>/redis.log" >&2
      exit 1
    fi
    sleep 0.2
  done
}

cmd_start() {
  require_redis
  local port up=0 addresses=()
  for port in $(ports); do
    if is_up "${port}"; then
      up=$(( up + 1 ))
    fi
  done
  if (( up == masters )) && all_ok; then
    echo "cluster already up on ${HOST} ports $(ports | paste -sd, -)"
    exit 0
  fi
  if (( up > 0 )); then
    echo "error: ${up} of ${masters} ports already answer but the cluster is not ok;" \
      "run '$0 stop' (or free the ports) first" >&2
    exit 1
  fi
  for port in $(ports); do
    # A node that finds an old nodes.conf would rejoin a cluster that no longer exists.
    rm -f "${DATA_DIR}/${port}/nodes.conf"
    start_node "${port}"
    addresses+=("${HOST}:${port}")
  done
  for port in $(ports); do
    wait_until "node ${port} answering PING" is_up "${port}"
  done
  redis-cli --cluster create "${addresses[@]}" --cluster-replicas 0 --cluster-yes >"${DATA_DIR}/create.log" 2>&1 || {
    echo "error: redis-cli --cluster create failed:" >&2
    cat "${DATA_DIR}/create.log" >&2
    exit 1
  }
  wait_until "cluster_state:ok on every node" all_ok
  echo "cluster up on ${HOST} ports $(ports | paste -sd, -) (data in ${DATA_DIR})"
}

cmd_stop() {
  require_redis
  local port stopped=0
  for port in $(ports); do
    if is_up "${port}"; then
      # The server closes the connection instead of replying when it shuts down.
      redis-cli -h "${HOST}" -p "${port}" shutdown nosave >/dev/null 2>&1 || true
      stopped=$(( stopped + 1 ))
    fi
  done
  for port in $(ports); do
    wait_until "node ${port} stopped" is_down "${port}"
  done
  echo "stopped ${stopped} node(s) on ${HOST} ports $(ports | paste -sd, -)"
}

cmd_status() {
  require_redis
  local port state down=0
  for port in $(ports); do
    if is_up "${port}"; then
      state=$(redis-cli -h "${HOST}" -p "${port}" cluster info | tr -d '\r' | sed -n 's/^cluster_state://p')
      echo "${HOST}:${port} up cluster_state:${state}"
      [[ "${state}" == ok ]] || down=1
    else
      echo "${HOST}:${port} down"
      down=1
    fi
  done
  return "${down}"
}

main() {
  (( $# >= 1 )) || usage
  local command=$1; shift
  while (( $# > 0 )); do
    case "$1" in
      --masters) [[ $# -ge 2 ]] || usage; masters=$2; shift 2 ;;
      --base-port) [[ $# -ge 2 ]] || usage; base_port=$2; shift 2 ;;
      *) usage ;;
    esac
  done
  if ! [[ "${masters}" =~ ^[0-9]+$ ]] || (( masters < 3 )); then
    echo "error: --masters must be at least 3 (redis-cli --cluster create needs 3 masters)" >&2
    exit 2
  fi
  if ! [[ "${base_port}" =~ ^[0-9]+$ ]] || (( base_port < 1 || base_port + masters - 1 > 55535 )); then
    echo "error: --base-port must leave room for the cluster bus ports (port + 10000 <= 65535)" >&2
    exit 2
  fi
  case "${command}" in
    start) cmd_start ;;
    stop) cmd_stop ;;
    status) cmd_status ;;
    *) usage ;;
  esac
}

main "$@"
