#!/usr/bin/env bash
# Regenerates proxy-server/src/main/resources/io/rcproxy/proxy/command/commands.tsv from a real
# redis-server's COMMAND reply, adding the proxy's own columns (keys, routing) by the rules below.
#
# Usage: scripts/gen-commands.sh [port]        (needs redis-server, redis-cli >= 7 and jq on PATH)
#
# It starts a throwaway redis-server on 127.0.0.1:<port> (default: a free port from 17300 up) and
# stops it with SHUTDOWN NOSAVE. Review the diff by hand: new commands land on the default rules.
set -euo pipefail

out="$(dirname "$0")/../proxy-server/src/main/resources/io/rcproxy/proxy/command/commands.tsv"

port="${1:-}"
if [[ -z "$port" ]]; then
  for p in $(seq 17300 17399); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then port=$p; break; fi
  done
fi
redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no --daemonize no \
  --logfile /dev/null >/dev/null 2>&1 &
server_pid=$!
trap 'redis-cli -p "$port" shutdown nosave >/dev/null 2>&1 || true; wait "$server_pid" 2>/dev/null || true' EXIT
for _ in $(seq 50); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done
version=$(redis-cli -p "$port" info server | tr -d '\r' | sed -n 's/^redis_version://p')

# How the proxy finds keys that COMMAND's (first, last, step) cannot describe (movablekeys).
keys_of() {
  case "$1" in
    eval|evalsha|eval_ro|evalsha_ro|fcall|fcall_ro) echo 'numkeys@2' ;;
    zunionstore|zinterstore|zdiffstore)             echo 'dest+numkeys@2' ;;
    zunion|zinter|zdiff|zintercard|sintercard|lmpop|zmpop) echo 'numkeys@1' ;;
    blmpop|bzmpop)                                  echo 'numkeys@2' ;;
    xread|xreadgroup)                               echo 'streams' ;;
    sort)                                           echo 'sort' ;;
    georadius|georadiusbymember)                    echo 'georadius' ;;
    cluster\|countkeysinslot|cluster\|getkeysinslot) echo 'slot@2' ;;
    *)                                              echo 'range' ;;  # sort_ro: no STORE; migrate: unsupported
  esac
}

# Redis 7.0 keeps may_replicate out of COMMAND's flags; CLIENT PAUSE WRITE holds these commands by it.
flags_of() {
  case "$1" in
    eval|evalsha|fcall|publish|spublish|pfcount) echo "$2,may_replicate" ;;
    *) echo "$2" ;;
  esac
}

# The proxy's treatment. Explicit names first, then rules on Redis's flags and key positions.
routing_of() {
  local name=$1 flags=$2 first=$3 container=$4
  case "$name" in
    ping|echo|quit|select|hello|reset|auth|client\|setname|client\|getname|client\|id|client\|list|client\|info \
      |client\|kill|client\|no-evict|client\|tracking|client\|caching|client\|trackinginfo|client\|getredir \
      |client\|no-touch|client\|setinfo|client\|reply|client\|pause|client\|unpause|client\|unblock \
      |readonly|readwrite|cluster\|info|cluster\|keyslot|cluster\|myid|cluster\|slots|cluster\|shards \
      |cluster\|nodes) echo local; return ;;
    acl\|whoami|acl\|list|acl\|users|acl\|getuser|acl\|cat|acl\|dryrun|acl\|load|acl\|setuser|acl\|deluser) echo local; return ;;  # the proxy's users
    command|command\|*|time|lolwut|function\|list|function\|dump|function\|stats|acl\|genpass)
      echo any_master; return ;;
    info|keys|scan|dbsize|randomkey|flushall|flushdb|script\|load|script\|exists|script\|flush|script\|kill \
      |function\|load|function\|delete|function\|flush|function\|restore|function\|kill|function\|stats|config\|get \
      |pubsub\|channels|pubsub\|numsub|pubsub\|numpat|pubsub\|shardchannels|pubsub\|shardnumsub)
      echo all_masters; return ;;
    config\|set|config\|resetstat|config\|rewrite) echo all_nodes; return ;;
    publish) echo slot; return ;;  # to the master of the channel's slot (its key range is set below)
    monitor) echo monitor; return ;;
    cluster\|countkeysinslot|cluster\|getkeysinslot) echo slot; return ;;  # to the slot's master
    role|lastsave|slowlog\|get|slowlog\|len|slowlog\|reset|latency\|latest|latency\|history|latency\|histogram \
      |latency\|reset|latency\|doctor|latency\|graph|memory\|stats|memory\|doctor|memory\|malloc-stats|memory\|purge)
      echo all_masters; return ;;
    eval|evalsha|eval_ro|evalsha_ro|fcall|fcall_ro) echo script; return ;;
    mget|mset|del|unlink|exists|touch) echo fan_out; return ;;
    multi|exec|discard|watch|unwatch|wait) echo pinned; return ;;
    subscribe|psubscribe|unsubscribe|punsubscribe|ssubscribe|sunsubscribe) echo pubsub; return ;;
    migrate|restore-asking|asking|swapdb) echo unsupported; return ;;
  esac
  if [[ "$container" == 1 ]]; then echo unsupported; return; fi
  if [[ "$name" == *\|help ]]; then echo any_master; return; fi
  if [[ ",$flags," == *,admin,* ]]; then echo unsupported; return; fi
  if [[ ",$flags," == *,blocking,* ]]; then echo blocking; return; fi
  if [[ "$first" != 0 || ",$flags," == *,movablekeys,* ]]; then echo slot; return; fi
  echo unsupported  # keyless commands are forwarded only when listed above
}

# How the replies of a fan_out or all_masters command become the client's one reply; - for other rows.
# Every fan_out and all_masters row needs one: the proxy refuses to start otherwise.
merge_of() {
  local name=$1 routing=$2
  if [[ "$routing" != fan_out && "$routing" != all_masters && "$routing" != all_nodes ]]; then echo -; return; fi
  case "$name" in
    mget)                                   echo keyed_array ;;
    mset|flushall|flushdb|script\|flush|config\|rewrite) echo all_ok ;;
    config\|get)                            echo config_get ;;
    role)                                   echo role ;;
    lastsave)                               echo min ;;
    slowlog\|get)                           echo slowlog ;;
    slowlog\|len|latency\|reset)            echo sum ;;
    slowlog\|reset|memory\|purge)           echo all_ok ;;
    latency\|latest)                        echo latency_latest ;;
    latency\|history)                       echo latency_history ;;
    latency\|histogram)                     echo latency_histogram ;;
    memory\|stats)                          echo memory_stats ;;
    latency\|doctor|latency\|graph|memory\|doctor|memory\|malloc-stats) echo node_text ;;
    config\|set)                            echo config_set ;;
    config\|resetstat)                      echo reset_stats ;;
    del|unlink|exists|touch|dbsize)         echo sum ;;
    keys)                                   echo concat ;;
    script\|load)                           echo same ;;
    script\|exists)                         echo and ;;
    script\|kill|function\|kill)            echo any_ok ;;
    function\|stats)                        echo running_script ;;
    function\|load|function\|delete|function\|flush|function\|restore) echo first ;;
    randomkey)                              echo random ;;
    scan)                                   echo scan ;;
    info)                                   echo info ;;
    pubsub\|channels|pubsub\|shardchannels) echo union ;;
    pubsub\|numsub|pubsub\|shardnumsub)     echo numsub ;;
    pubsub\|numpat)                         echo max ;;
    *)                                      echo - ;;  # CommandTable refuses to load this row: add its merge
  esac
}

{
  cat <<HEADER
# Redis commands as the proxy sees them. Generated by scripts/gen-commands.sh from redis-server $version's
# COMMAND reply; the keys, routing and merge columns are the proxy's own. Edit the script's rules, not this file.
#
# name       lowercase; subcommands as container|sub (container rows come first)
# arity      Redis's: n > 0 exactly n arguments (name included), n < 0 at least -n
# flags      Redis's command flags, comma separated, or -; may_replicate added where COMMAND omits it
# first,last,step  Redis's legacy key range: last -1 means the last argument, -2 the one before...
# keys       range | numkeys@I (keys follow the count at index I) | dest+numkeys@I (index 1 too)
#            | streams (after STREAMS) | sort (key, STORE dest) | georadius (key, STORE/STOREDIST dest)
#            | slot@I (no key: argument I is a slot number)
# routing    slot | any_master | local | unsupported | all_masters | all_nodes | fan_out | pinned | blocking
#            | pubsub | monitor. all_nodes: every master and replica (CONFIG SET/REWRITE/RESETSTAT).
#            | script (slot by the declared keys; none: the client's last key's master, then the others)
#            fan_out (mget, mset, del, unlink, exists, touch): split by slot when keys span slots; other
#            multi-key commands are slot: served when all keys share a slot, else CROSSSLOT.
#            pinned, blocking, pubsub, monitor: served on backend connections dedicated to the client.
#            PUBLISH's channel is its key (1 1 1): it goes to the master of the channel's slot.
# merge      fan_out, all_masters and all_nodes only (- elsewhere): how the parts' replies become one reply
#            sum (integers added) | all_ok (+OK once every part said so) | any_ok (+OK if any part did)
#            | same (every part's reply equal; that reply) | and (0/1 arrays ANDed by position)
#            | concat (arrays joined, master by master) | keyed_array (MGET: values back in key order)
#            | first (the first master's reply once none failed) | random (a random master's non-nil reply)
#            | scan (one master at a time, the proxy's cursor) | info (proxy sections + summed keyspace)
#            | union (arrays joined, duplicates dropped) | max (the largest integer)
#            | numsub (name/count pairs summed by position; keyspace notification channels: the largest)
#            | config_get (each parameter's most common value) | config_set (first master, then the rest)
#            | reset_stats (all_ok, and the proxy's own counters reset) | role | min | slowlog | latency_latest
#            | latency_history | latency_histogram | memory_stats | node_text (see docs/commands.md)
#            | running_script (the reply of the master running a script, else the first: FUNCTION STATS)
#            Any part's error is the reply (the first, in part order), except for any_ok.
# acl        Redis's ACL categories, comma separated without the @ (read,string,fast), or -: what
#            +@category and -@category rules of the proxy's users select
#
# name	arity	flags	first	last	step	keys	routing	merge	acl
HEADER
  # Redis 7.2's CLIENT SETINFO and CLIENT NO-TOUCH: modern clients send them, so the proxy knows them too.
  redis-cli -p "$port" -2 --json COMMAND | jq -r '
    map(if .[0] == "client" then .[9] += [
          ["client|setinfo", 4, ["noscript", "loading", "stale"], 0, 0, 0, [], [], [], []],
          ["client|no-touch", 3, ["noscript", "loading", "stale"], 0, 0, 0, [], [], [], []]]
        else . end) |
    def row(c; container): [c[0], (c[1]|tostring), (if (c[2]|length) == 0 then "-" else (c[2]|join(",")) end),
                            (c[3]|tostring), (c[4]|tostring), (c[5]|tostring), container,
                            (if (c[6]|length) == 0 then "-" else (c[6]|map(ltrimstr("@"))|join(",")) end)] | join("\t");
    sort_by(.[0])[] | row(.; (if (.[9]|length) > 0 then "1" else "0" end)), (.[9] | sort_by(.[0])[] | row(.; "0"))' |
  while IFS=$'\t' read -r name arity flags first last step container acl; do
    if [[ "$name" == publish ]]; then first=1 last=1 step=1; fi  # the channel hashes like a key
    flags=$(flags_of "$name" "$flags")
    routing=$(routing_of "$name" "$flags" "$first" "$container")
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$arity" "$flags" "$first" "$last" "$step" \
      "$(keys_of "$name")" "$routing" "$(merge_of "$name" "$routing")" "$acl"
  done
} > "$out.tmp"
mv "$out.tmp" "$out"
echo "wrote $(grep -vc '^#' "$out") commands from redis $version to $out"
