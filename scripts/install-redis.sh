#!/usr/bin/env bash
# Makes sure redis-server (for the tests' real clusters and scripts/cluster.sh), redis-cli, and openssl (the
# TLS tests make their certificates with it) are on PATH. When one is missing it installs Debian's
# redis-server, redis-tools and openssl packages, as root or through
# sudo when sudo needs no password; otherwise it prints the commands to run and exits 1.
# Used by scripts/run-local.sh and .ci/run.
set -euo pipefail

if command -v redis-server >/dev/null 2>&1 && command -v redis-cli >/dev/null 2>&1 \
    && command -v openssl >/dev/null 2>&1; then
  exit 0
fi

readonly HINT="sudo apt-get update && sudo apt-get install -y redis-server redis-tools openssl"

if ! command -v apt-get >/dev/null 2>&1; then
  echo "error: redis-server/redis-cli not found and there is no apt-get here to install them." >&2
  echo "Install Redis 7 with your package manager (on Debian/Ubuntu: ${HINT})." >&2
  exit 1
fi

as_root=()
if (( EUID != 0 )); then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    as_root=(sudo)
  else
    echo "error: redis-server/redis-cli not found, and installing them needs root (no password-less sudo here)." >&2
    echo "Run: ${HINT}" >&2
    exit 1
  fi
fi

echo "installing redis-server and redis-tools with apt-get ..." >&2
"${as_root[@]}" apt-get update
# Through env, not a prefix assignment: sudo would drop the variable.
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y redis-server redis-tools openssl

for tool in redis-server redis-cli openssl; do
  if ! command -v "${tool}" >/dev/null 2>&1; then
    echo "error: ${tool} still not on PATH after installing redis-server and redis-tools." >&2
    exit 1
  fi
done
