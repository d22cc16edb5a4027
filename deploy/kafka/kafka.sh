#!/usr/bin/env bash
# kafka.sh - run Apache Kafka (KRaft mode) locally from Maven Central jars, without Docker.
#
# Everything Kafka needs comes from deploy/kafka/pom.xml (copied once into deploy/kafka/lib/).
# Every node is a combined broker+controller. See deploy/kafka/README.md.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/../.." && pwd)"
LIB_DIR="$SCRIPT_DIR/lib"
POM="$SCRIPT_DIR/pom.xml"
MARKER="$LIB_DIR/.fetched"
BROKER_LOG4J="$SCRIPT_DIR/log4j2.properties"
TOOLS_LOG4J="$SCRIPT_DIR/tools-log4j2.properties"

DEFAULT_PORT=19092
CONTROLLER_OFFSET=100
HOST=127.0.0.1
JAVA_BIN="${JAVA_HOME:+$JAVA_HOME/bin/}java"
MVN_BIN="${MVN:-mvn}"
START_TIMEOUT="${KAFKA_START_TIMEOUT:-120}"
STOP_TIMEOUT="${KAFKA_STOP_TIMEOUT:-30}"

# ---------------------------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------------------------

log() { printf 'kafka.sh: %s\n' "$*" >&2; }
die() { printf 'kafka.sh: error: %s\n' "$*" >&2; exit 1; }

is_uint() { [[ ${1:-} =~ ^[0-9]+$ ]]; }

need_value() { # option value
    [[ $# -ge 2 && -n $2 ]] || die "option $1 needs a value"
}

abs_path() { # path -> absolute path (need not exist)
    case $1 in
        /*) printf '%s\n' "$1" ;;
        *) printf '%s\n' "$PWD/$1" ;;
    esac
}

default_dir() { printf '%s\n' "${KAFKA_DATA_DIR:-$REPO_ROOT/.run/kafka}"; }

pom_hash() { sha256sum "$POM" | cut -d' ' -f1; }

fetched() { [[ -f $MARKER && "$(cat "$MARKER")" == "$(pom_hash)" ]]; }

check_java() {
    command -v "$JAVA_BIN" >/dev/null 2>&1 || die "java not found (set JAVA_HOME or put java on PATH)"
    local v major
    v="$("$JAVA_BIN" -version 2>&1 | sed -n 's/.*version "\([^"]*\)".*/\1/p' | head -n1)"
    major="${v%%.*}"
    [[ $major == 1 ]] && major="$(cut -d. -f2 <<<"$v")"
    is_uint "$major" || die "cannot read the java version from '$JAVA_BIN -version'"
    ((major >= 17)) || die "Kafka 4 needs Java 17+, '$JAVA_BIN' is $v"
}

# Run a Kafka CLI class with the fetched classpath, quiet logging, small heap.
tool_cmd() { # class args... -> sets TOOL_CMD
    TOOL_CMD=("$JAVA_BIN" -Xms32m -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1
        -Djava.awt.headless=true "-Dlog4j2.configurationFile=$TOOLS_LOG4J"
        -cp "$LIB_DIR/*" "$@")
}

run_tool() { # class args...
    tool_cmd "$@"
    "${TOOL_CMD[@]}"
}

port_open() { # port
    (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null
}

# 22 characters of URL-safe base64 of a (version 4) UUID, as Kafka's Uuid prints it.
gen_cluster_id() {
    local hex id
    while :; do
        if [[ -r /proc/sys/kernel/random/uuid ]]; then
            hex="$(tr -d '-' </proc/sys/kernel/random/uuid)"
            # shellcheck disable=SC2059,SC2001  # hex pairs -> \xHH escapes -> 16 raw bytes
            id="$(printf "$(sed 's/../\\x&/g' <<<"$hex")" | base64 | tr '+/' '-_' | tr -d '=\n')"
        else
            id="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')"
        fi
        # Kafka never hands out ids starting with '-' (they look like CLI options).
        [[ $id =~ ^[A-Za-z0-9_][A-Za-z0-9_-]{21}$ ]] && break
    done
    printf '%s\n' "$id"
}

# ---------------------------------------------------------------------------------------------
# cluster layout: DIR/cluster.env (NODES, PORT, CLUSTER_ID), DIR/node-N/{server.properties,
# data/, logs/server.log, stdout.log, kafka.pid}
# ---------------------------------------------------------------------------------------------

DIR=""
NODES=""
PORT=""
CLUSTER_ID=""

env_file() { printf '%s/cluster.env\n' "$DIR"; }
node_dir() { printf '%s/node-%s\n' "$DIR" "$1"; }
props_file() { printf '%s/server.properties\n' "$(node_dir "$1")"; }
pid_file() { printf '%s/kafka.pid\n' "$(node_dir "$1")"; }
broker_port() { echo $((PORT + $1 - 1)); }
controller_port() { echo $((PORT + CONTROLLER_OFFSET + $1 - 1)); }

bootstrap_servers() {
    local i out=""
    for ((i = 1; i <= NODES; i++)); do
        out+="${out:+,}$HOST:$(broker_port "$i")"
    done
    printf '%s\n' "$out"
}

print_bootstrap() { printf 'KAFKA_BOOTSTRAP_SERVERS=%s\n' "$(bootstrap_servers)"; }

read_env_value() { # key
    sed -n "s/^$1=//p" "$(env_file)" | tail -n1
}

# Load DIR/cluster.env; returns 1 when the dir holds no cluster yet.
load_cluster() {
    [[ -f "$(env_file)" ]] || return 1
    NODES="$(read_env_value NODES)"
    PORT="$(read_env_value PORT)"
    CLUSTER_ID="$(read_env_value CLUSTER_ID)"
    if [[ ! $NODES =~ ^[13]$ ]] || ! is_uint "$PORT" || [[ -z $CLUSTER_ID ]]; then
        die "$(env_file) is damaged (expected NODES, PORT, CLUSTER_ID); run 'kafka.sh wipe --dir $DIR'"
    fi
}

require_cluster() {
    load_cluster || die "no cluster in $DIR (run 'kafka.sh start --dir $DIR' first)"
}

lock_dir() { # serialise commands that change the state of one data dir
    mkdir -p "$DIR"
    if command -v flock >/dev/null 2>&1; then
        exec 9>"$DIR/.lock"
        flock -w 300 9 || die "another kafka.sh command holds $DIR/.lock"
    fi
}

cmdline_of() { # pid -> command line with spaces
    tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null || true
}

# Print the pid of node N if it runs (pid file first, then a scan of /proc for its exact
# config path, so a lost pid file never leaves a broker behind).
node_pid() { # node
    local pf pid props p
    pf="$(pid_file "$1")"
    props="$(props_file "$1")"
    if [[ -f $pf ]]; then
        pid="$(cat "$pf" 2>/dev/null || true)"
        if is_uint "$pid" && kill -0 "$pid" 2>/dev/null; then
            if [[ ! -d /proc/$pid ]] || [[ "$(cmdline_of "$pid")" == *" kafka.Kafka $props "* ]]; then
                printf '%s\n' "$pid"
                return 0
            fi
        fi
        rm -f "$pf"
    fi
    [[ -d /proc/self ]] || return 1
    for p in $(grep -lsaF -- "$props" /proc/[0-9]*/cmdline 2>/dev/null || true); do
        pid="${p#/proc/}"
        pid="${pid%/cmdline}"
        if [[ "$(cmdline_of "$pid")" == *" kafka.Kafka $props "* ]]; then
            printf '%s\n' "$pid" >"$pf"
            printf '%s\n' "$pid"
            return 0
        fi
    done
    return 1
}

log_tail() { # node
    local nd f
    nd="$(node_dir "$1")"
    for f in "$nd/logs/server.log" "$nd/stdout.log"; do
        if [[ -s $f ]]; then
            printf -- '----- last 30 lines of %s -----\n' "$f" >&2
            tail -n 30 "$f" >&2
        fi
    done
}

write_props() { # node
    local n="$1" nd rf isr i voters=""
    nd="$(node_dir "$n")"
    mkdir -p "$nd/data" "$nd/logs"
    if ((NODES == 1)); then rf=1 isr=1; else rf=3 isr=2; fi
    {
        echo "# Generated by deploy/kafka/kafka.sh on every start: edit the script, not this file."
        echo "process.roles=broker,controller"
        echo "node.id=$n"
        echo "listeners=PLAINTEXT://$HOST:$(broker_port "$n"),CONTROLLER://$HOST:$(controller_port "$n")"
        echo "advertised.listeners=PLAINTEXT://$HOST:$(broker_port "$n"),CONTROLLER://$HOST:$(controller_port "$n")"
        echo "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"
        echo "inter.broker.listener.name=PLAINTEXT"
        echo "controller.listener.names=CONTROLLER"
        if ((NODES == 1)); then
            # dynamic quorum of one voter, formatted with --standalone
            echo "controller.quorum.bootstrap.servers=$HOST:$(controller_port 1)"
        else
            for ((i = 1; i <= NODES; i++)); do
                voters+="${voters:+,}$i@$HOST:$(controller_port "$i")"
            done
            # static quorum: the same voters on every node, formatted without --standalone
            echo "controller.quorum.voters=$voters"
        fi
        echo "log.dirs=$nd/data"
        echo "num.partitions=3"
        echo "auto.create.topics.enable=true"
        echo "default.replication.factor=$rf"
        echo "min.insync.replicas=$isr"
        echo "offsets.topic.replication.factor=$rf"
        echo "transaction.state.log.replication.factor=$rf"
        echo "transaction.state.log.min.isr=$isr"
        echo "share.coordinator.state.topic.replication.factor=$rf"
        echo "share.coordinator.state.topic.min.isr=$isr"
        echo "group.initial.rebalance.delay.ms=0"
    } >"$(props_file "$n")"
}

format_node() { # node  (no-op when already formatted)
    local n="$1" nd
    nd="$(node_dir "$n")"
    [[ -f $nd/data/meta.properties ]] && return 0
    local args=(kafka.tools.StorageTool format -t "$CLUSTER_ID" -c "$(props_file "$n")")
    ((NODES == 1)) && args+=(--standalone)
    if ! run_tool "${args[@]}" >"$nd/format.log" 2>&1; then
        cat "$nd/format.log" >&2
        return 1
    fi
}

check_ports_free() { # node
    local p
    for p in "$(broker_port "$1")" "$(controller_port "$1")"; do
        if port_open "$p"; then
            die "port $p (node $1) is already in use by another process; pick another --port or stop it"
        fi
    done
}

launch_node() { # node
    local n="$1" nd heap
    nd="$(node_dir "$n")"
    heap="${KAFKA_HEAP_OPTS:--Xms256m -Xmx512m}"
    local perf="${KAFKA_JVM_PERFORMANCE_OPTS:--server -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent -Djava.awt.headless=true}"
    local -a jcmd
    # shellcheck disable=SC2206  # heap/perf/extra options are meant to split on spaces
    jcmd=("$JAVA_BIN" $heap $perf ${KAFKA_OPTS:-}
        "-Dlog4j2.configurationFile=$BROKER_LOG4J"
        "-Dkafka.logs.dir=$nd/logs"
        -cp "$LIB_DIR/*" kafka.Kafka "$(props_file "$n")")
    rm -f "$(pid_file "$n")"
    printf '\n===== %s starting: %s\n' "$(date '+%F %T')" "${jcmd[*]}" >>"$nd/stdout.log"
    # New session (setsid) so the broker survives the calling shell and its terminal; the
    # small bash wrapper writes its own pid, then exec()s java under that same pid.
    (
        cd "$nd"
        exec 8>&- 9>&- # do not hand kafka.sh's lock files to the broker
        # shellcheck disable=SC2016  # $$, $1 and $@ belong to the inner bash
        exec setsid bash -c 'echo $$ >"$1"; shift; exec "$@"' kafka-node "$(pid_file "$n")" "${jcmd[@]}"
    ) </dev/null >>"$nd/stdout.log" 2>&1 &
    local waited=0
    while [[ ! -s "$(pid_file "$n")" ]] && ((waited < 50)); do
        sleep 0.1
        waited=$((waited + 1))
    done
    [[ -s "$(pid_file "$n")" ]] || die "node $n did not start (see $nd/stdout.log)"
    log "node $n started (pid $(cat "$(pid_file "$n")"), broker $HOST:$(broker_port "$n"), controller $HOST:$(controller_port "$n"))"
}

# The broker answers metadata requests and lists the wanted broker ids as registered.
# Asks via the given bootstrap servers; prints nothing; returns 0 when all ids are present.
brokers_visible() { # bootstrap ids...
    local bs="$1" out id cfg
    shift
    cfg="$DIR/.tools.properties"
    [[ -f $cfg ]] || printf 'request.timeout.ms=5000\ndefault.api.timeout.ms=8000\n' >"$cfg"
    tool_cmd org.apache.kafka.tools.BrokerApiVersionsCommand --bootstrap-server "$bs" --command-config "$cfg"
    out="$(timeout 30 "${TOOL_CMD[@]}" 2>/dev/null)" || return 1
    for id in "$@"; do
        [[ $out == *"(id: $id rack"* ]] || return 1
    done
}

# Wait until nodes (default: all) run, listen and are registered brokers.
wait_ready() { # timeout [nodes...]
    local timeout="$1" n bs="" deadline all_open
    shift
    local -a ids=("$@")
    if ((${#ids[@]} == 0)); then
        for ((n = 1; n <= NODES; n++)); do ids+=("$n"); done
    fi
    for n in "${ids[@]}"; do bs+="${bs:+,}$HOST:$(broker_port "$n")"; done
    deadline=$((SECONDS + timeout))
    while :; do
        for n in "${ids[@]}"; do
            if ! node_pid "$n" >/dev/null; then
                log_tail "$n"
                die "node $n is not running (it exited, or was never started; try 'kafka.sh start-node $n --dir $DIR')"
            fi
        done
        all_open=1
        for n in "${ids[@]}"; do port_open "$(broker_port "$n")" || all_open=0; done
        if ((all_open)) && brokers_visible "$bs" "${ids[@]}"; then
            return 0
        fi
        if ((SECONDS >= deadline)); then
            for n in "${ids[@]}"; do log_tail "$n"; done
            die "Kafka in $DIR not ready after ${timeout}s (nodes ${ids[*]}; bootstrap $bs)"
        fi
        sleep 1
    done
}

stop_nodes() { # nodes...
    local n pid deadline
    local -a pids=()
    for n in "$@"; do
        if pid="$(node_pid "$n")"; then
            log "stopping node $n (pid $pid)"
            kill -TERM "$pid" 2>/dev/null || true
            pids+=("$pid")
        fi
    done
    ((${#pids[@]} > 0)) || return 0
    deadline=$((SECONDS + STOP_TIMEOUT))
    while ((SECONDS < deadline)); do
        local alive=0
        for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
        ((alive)) || break
        sleep 0.5
    done
    for pid in "${pids[@]}"; do
        if kill -0 "$pid" 2>/dev/null; then
            log "pid $pid still alive after ${STOP_TIMEOUT}s, sending SIGKILL"
            kill -KILL "$pid" 2>/dev/null || true
        fi
    done
    local tries
    for pid in "${pids[@]}"; do
        tries=0
        while kill -0 "$pid" 2>/dev/null && ((tries < 100)); do
            sleep 0.1
            tries=$((tries + 1))
        done
    done
    for n in "$@"; do rm -f "$(pid_file "$n")"; done
}

# ---------------------------------------------------------------------------------------------
# subcommands
# ---------------------------------------------------------------------------------------------

usage_main() {
    cat <<EOF
Usage: kafka.sh COMMAND [OPTIONS]     (kafka.sh COMMAND --help for details)

Run Apache Kafka $(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$POM") (KRaft, combined broker+controller nodes) from
Maven Central jars, without Docker.

Commands:
  fetch                 copy the Kafka jars into deploy/kafka/lib (once)
  start                 start a 1- or 3-node cluster and wait until it is ready
  stop                  stop all nodes of a data dir
  status                show which nodes run, their pids and ports
  wait                  wait until all nodes of a data dir are ready
  kill-node N           SIGKILL node N (fault tests)
  start-node N          restart node N of an existing cluster
  wipe                  stop, then delete the data dir
  tool CLASS [ARGS]     run a Kafka CLI class (e.g. org.apache.kafka.tools.TopicCommand)

Default data dir: \${KAFKA_DATA_DIR:-<repo>/.run/kafka}; default broker port $DEFAULT_PORT,
controller port = broker port + $CONTROLLER_OFFSET.
EOF
}

usage_fetch() {
    cat <<EOF
Usage: kafka.sh fetch [--force]

Copy Kafka, its tools and the log4j2 backend (as pinned in deploy/kafka/pom.xml) from
Maven Central into deploy/kafka/lib/ with 'mvn dependency:copy-dependencies'. Skipped when
lib/ already holds the jars for the current pom.xml (marker lib/.fetched = sha256 of the pom).

  --force   fetch again even if lib/ is complete
EOF
}

cmd_fetch() {
    local force=0
    while (($#)); do
        case $1 in
            -h | --help) usage_fetch; return 0 ;;
            --force) force=1 ;;
            *) die "fetch: unknown argument '$1' (see kafka.sh fetch --help)" ;;
        esac
        shift
    done
    ensure_fetched "$force"
}

ensure_fetched() { # force
    local force="${1:-0}"
    if ((!force)) && fetched; then
        return 0
    fi
    command -v "$MVN_BIN" >/dev/null 2>&1 || die "mvn not found: needed once to fetch the Kafka jars"
    local lockfd_opened=0
    if command -v flock >/dev/null 2>&1; then
        exec 8>"$SCRIPT_DIR/.fetch.lock"
        flock -w 600 8 || die "another 'kafka.sh fetch' is still running"
        lockfd_opened=1
    fi
    # a concurrent fetch may have finished while we waited for the lock
    if ((!force)) && fetched; then
        ((lockfd_opened)) && exec 8>&-
        return 0
    fi
    local tmp="$SCRIPT_DIR/.lib.tmp.$$"
    rm -rf "$tmp"
    log "fetching Kafka jars from Maven Central into $LIB_DIR ..."
    # (sed drops the stray colour-reset codes Maven 3.8 prints even in batch/quiet mode)
    if ! "$MVN_BIN" -B -q -Dstyle.color=never -f "$POM" dependency:copy-dependencies \
        -DincludeScope=runtime -DoutputDirectory="$tmp" 2>&1 | sed 's/\x1b\[[0-9;]*m//g' >&2; then
        rm -rf "$tmp"
        die "mvn dependency:copy-dependencies failed"
    fi
    if ! compgen -G "$tmp/kafka_2.13-*.jar" >/dev/null || ! compgen -G "$tmp/kafka-tools-*.jar" >/dev/null; then
        rm -rf "$tmp"
        die "fetch produced no Kafka jars in $tmp"
    fi
    pom_hash >"$tmp/.fetched"
    rm -rf "$LIB_DIR"
    mv "$tmp" "$LIB_DIR"
    log "fetched $(find "$LIB_DIR" -name '*.jar' | wc -l) jars into $LIB_DIR"
    ((lockfd_opened)) && exec 8>&-
    return 0
}

usage_start() {
    cat <<EOF
Usage: kafka.sh start [--nodes 1|3] [--dir DIR] [--port P] [--timeout S]

Fetch the jars if needed, write each node's server.properties, format storage (cluster id
generated once per data dir and kept in DIR/cluster.env), start the node(s) in the
background and wait until every broker answers metadata requests. If the cluster already
runs and is healthy, says so and exits 0. The last line of stdout is
  KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:P[,127.0.0.1:P+1,...]

  --nodes 1|3   1 (default): one combined node, formatted --standalone, replication 1.
                3: nodes on ports P, P+1, P+2 (controllers P+$CONTROLLER_OFFSET..), static
                controller.quorum.voters, replication factor 3, min.insync.replicas 2.
  --dir DIR     data dir (default \${KAFKA_DATA_DIR:-<repo>/.run/kafka}); node N lives in
                DIR/node-N (server.properties, data/, logs/server.log, stdout.log, kafka.pid)
  --port P      first broker port (default $DEFAULT_PORT); controller port = P + $CONTROLLER_OFFSET
  --timeout S   readiness wait (default \${KAFKA_START_TIMEOUT:-120})

If the cluster is not ready in time, the nodes this call started are stopped again
(KAFKA_KEEP_ON_FAILURE=1 keeps them running for inspection).
An existing data dir keeps its node count and port (from DIR/cluster.env); asking for
different ones is an error: wipe it first.
Environment: KAFKA_HEAP_OPTS (default "-Xms256m -Xmx512m"), KAFKA_OPTS (extra JVM options),
KAFKA_JVM_PERFORMANCE_OPTS, JAVA_HOME, KAFKA_DATA_DIR.
EOF
}

parse_common() { # sets OPT_DIR/OPT_NODES/OPT_PORT/OPT_TIMEOUT/POSITIONAL; allowed options in $1
    local allowed="$1" cmd="$2"
    shift 2
    OPT_DIR="" OPT_NODES="" OPT_PORT="" OPT_TIMEOUT=""
    POSITIONAL=()
    while (($#)); do
        case $1 in
            --dir | --nodes | --port | --timeout)
                [[ " $allowed " == *" $1 "* ]] || die "$cmd: unknown option '$1' (see kafka.sh $cmd --help)"
                need_value "$@"
                case $1 in
                    --dir) OPT_DIR="$2" ;;
                    --nodes) OPT_NODES="$2" ;;
                    --port) OPT_PORT="$2" ;;
                    --timeout) OPT_TIMEOUT="$2" ;;
                esac
                shift 2
                continue
                ;;
            --dir=* | --nodes=* | --port=* | --timeout=*)
                set -- "${1%%=*}" "${1#*=}" "${@:2}"
                continue
                ;;
            -*) die "$cmd: unknown option '$1' (see kafka.sh $cmd --help)" ;;
            *) POSITIONAL+=("$1") ;;
        esac
        shift
    done
    DIR="$(abs_path "${OPT_DIR:-$(default_dir)}")"
    if [[ -n $OPT_TIMEOUT ]]; then
        is_uint "$OPT_TIMEOUT" || die "$cmd: --timeout must be a number of seconds"
    fi
}

wants_help() { # args... -> 0 if -h/--help among them
    local a
    for a in "$@"; do [[ $a == -h || $a == --help ]] && return 0; done
    return 1
}

cmd_start() {
    wants_help "$@" && { usage_start; return 0; }
    parse_common "--dir --nodes --port --timeout" start "$@"
    ((${#POSITIONAL[@]} == 0)) || die "start: unexpected argument '${POSITIONAL[0]}'"
    [[ -z $OPT_NODES || $OPT_NODES =~ ^[13]$ ]] || die "start: --nodes must be 1 or 3"
    if [[ -n $OPT_PORT ]]; then
        if ! is_uint "$OPT_PORT" || ((OPT_PORT < 1024 || OPT_PORT + CONTROLLER_OFFSET + 2 > 65535)); then
            die "start: --port must be a number between 1024 and $((65535 - CONTROLLER_OFFSET - 2))"
        fi
    fi

    ensure_fetched 0
    check_java
    lock_dir

    if load_cluster; then
        [[ -z $OPT_NODES || $OPT_NODES == "$NODES" ]] ||
            die "$DIR holds a $NODES-node cluster; wipe it first ('kafka.sh wipe --dir $DIR') to start $OPT_NODES node(s)"
        [[ -z $OPT_PORT || $OPT_PORT == "$PORT" ]] ||
            die "$DIR holds a cluster on port $PORT; wipe it first ('kafka.sh wipe --dir $DIR') to use port $OPT_PORT"
    else
        NODES="${OPT_NODES:-1}"
        PORT="${OPT_PORT:-$DEFAULT_PORT}"
        CLUSTER_ID="$(gen_cluster_id)"
        printf 'NODES=%s\nPORT=%s\nCLUSTER_ID=%s\n' "$NODES" "$PORT" "$CLUSTER_ID" >"$(env_file).tmp"
        mv "$(env_file).tmp" "$(env_file)"
        log "new $NODES-node cluster in $DIR (cluster id $CLUSTER_ID)"
    fi

    local n
    local -a down=()
    for ((n = 1; n <= NODES; n++)); do
        node_pid "$n" >/dev/null || down+=("$n")
    done

    if ((${#down[@]} == 0)); then
        wait_ready "${OPT_TIMEOUT:-$START_TIMEOUT}"
        log "already running and healthy ($NODES node(s), data dir $DIR)"
        print_bootstrap
        return 0
    fi

    for n in "${down[@]}"; do
        check_ports_free "$n"
        write_props "$n"
    done
    # format in parallel: each format is a JVM start
    local -a fpids=()
    for n in "${down[@]}"; do
        format_node "$n" &
        fpids+=($!)
    done
    local failed=0
    for n in "${fpids[@]}"; do wait "$n" || failed=1; done
    ((failed == 0)) || die "formatting storage in $DIR failed (see the output above)"

    # If the cluster does not come up, stop what this call started (KAFKA_KEEP_ON_FAILURE=1 keeps it).
    LAUNCHED=("${down[@]}")
    trap stop_launched_on_failure EXIT
    for n in "${down[@]}"; do launch_node "$n"; done
    wait_ready "${OPT_TIMEOUT:-$START_TIMEOUT}"
    trap - EXIT
    log "ready: $NODES node(s), data dir $DIR"
    print_bootstrap
}

LAUNCHED=()
stop_launched_on_failure() {
    local rc=$?
    if ((rc != 0)) && [[ ${KAFKA_KEEP_ON_FAILURE:-0} != 1 ]] && ((${#LAUNCHED[@]} > 0)); then
        log "start failed: stopping node(s) ${LAUNCHED[*]} (set KAFKA_KEEP_ON_FAILURE=1 to keep them)"
        stop_nodes "${LAUNCHED[@]}" || true
    fi
    exit "$rc"
}

usage_stop() {
    cat <<EOF
Usage: kafka.sh stop [--dir DIR]

Send SIGTERM to every node of the data dir, wait up to \${KAFKA_STOP_TIMEOUT:-30}s for them to
exit, then SIGKILL what is left. Exits 0 when nothing runs (also when nothing ran).
EOF
}

cmd_stop() {
    wants_help "$@" && { usage_stop; return 0; }
    parse_common "--dir" stop "$@"
    ((${#POSITIONAL[@]} == 0)) || die "stop: unexpected argument '${POSITIONAL[0]}'"
    if ! load_cluster; then
        log "no cluster in $DIR, nothing to stop"
        return 0
    fi
    lock_dir
    local n
    local -a all=()
    for ((n = 1; n <= NODES; n++)); do all+=("$n"); done
    stop_nodes "${all[@]}"
    log "stopped (data dir $DIR)"
}

usage_status() {
    cat <<EOF
Usage: kafka.sh status [--dir DIR]

Show each node of the data dir: running or not, pid, broker and controller port.
Exit status: 0 all nodes run, 3 some or all nodes are down, 4 no cluster in DIR.
EOF
}

cmd_status() {
    wants_help "$@" && { usage_status; return 0; }
    parse_common "--dir" status "$@"
    ((${#POSITIONAL[@]} == 0)) || die "status: unexpected argument '${POSITIONAL[0]}'"
    if ! load_cluster; then
        echo "no cluster in $DIR"
        return 4
    fi
    local n pid up=0
    echo "data dir $DIR: $NODES node(s), cluster id $CLUSTER_ID"
    for ((n = 1; n <= NODES; n++)); do
        if pid="$(node_pid "$n")"; then
            printf 'node %s: running  pid %-7s broker %s:%s  controller %s:%s\n' \
                "$n" "$pid" "$HOST" "$(broker_port "$n")" "$HOST" "$(controller_port "$n")"
            up=$((up + 1))
        else
            printf 'node %s: stopped  %-11s broker %s:%s  controller %s:%s\n' \
                "$n" "" "$HOST" "$(broker_port "$n")" "$HOST" "$(controller_port "$n")"
        fi
    done
    print_bootstrap
    ((up == NODES)) || return 3
}

usage_wait() {
    cat <<EOF
Usage: kafka.sh wait [--dir DIR] [--timeout S]

Wait until every node of the data dir runs and is a registered broker that answers metadata
requests (default timeout \${KAFKA_START_TIMEOUT:-120}s). Fails at once if a node is not running.
Prints KAFKA_BOOTSTRAP_SERVERS=... on success.
EOF
}

cmd_wait() {
    wants_help "$@" && { usage_wait; return 0; }
    parse_common "--dir --timeout" wait "$@"
    ((${#POSITIONAL[@]} == 0)) || die "wait: unexpected argument '${POSITIONAL[0]}'"
    require_cluster
    fetched || die "jars missing: run 'kafka.sh fetch'"
    wait_ready "${OPT_TIMEOUT:-$START_TIMEOUT}"
    print_bootstrap
}

node_arg() { # cmd -> validated node number from POSITIONAL
    ((${#POSITIONAL[@]} == 1)) || die "$1: give exactly one node number (see kafka.sh $1 --help)"
    local n="${POSITIONAL[0]}"
    if ! is_uint "$n" || ((n < 1 || n > NODES)); then
        die "$1: node must be 1..$NODES for $DIR"
    fi
    printf '%s\n' "$n"
}

usage_kill_node() {
    cat <<EOF
Usage: kafka.sh kill-node N [--dir DIR]

Send SIGKILL to node N (1-based) of the data dir - a crash, for fault tests. Its data stays;
bring it back with 'kafka.sh start-node N'.
EOF
}

cmd_kill_node() {
    wants_help "$@" && { usage_kill_node; return 0; }
    parse_common "--dir" kill-node "$@"
    require_cluster
    local n pid
    n="$(node_arg kill-node)"
    lock_dir
    if ! pid="$(node_pid "$n")"; then
        log "node $n is not running"
        return 0
    fi
    kill -KILL "$pid" 2>/dev/null || true
    local tries=0
    while kill -0 "$pid" 2>/dev/null && ((tries < 100)); do
        sleep 0.1
        tries=$((tries + 1))
    done
    rm -f "$(pid_file "$n")"
    log "killed node $n (pid $pid)"
}

usage_start_node() {
    cat <<EOF
Usage: kafka.sh start-node N [--dir DIR] [--timeout S]

Start node N of an existing, formatted cluster (e.g. after kill-node) and wait until it
listens and is registered as a broker again (default timeout \${KAFKA_START_TIMEOUT:-120}s).
EOF
}

cmd_start_node() {
    wants_help "$@" && { usage_start_node; return 0; }
    parse_common "--dir --timeout" start-node "$@"
    require_cluster
    local n
    n="$(node_arg start-node)"
    fetched || die "jars missing: run 'kafka.sh fetch'"
    check_java
    [[ -f "$(node_dir "$n")/data/meta.properties" ]] ||
        die "node $n in $DIR is not formatted; use 'kafka.sh start --dir $DIR'"
    lock_dir
    if node_pid "$n" >/dev/null; then
        log "node $n is already running"
    else
        check_ports_free "$n"
        write_props "$n"
        launch_node "$n"
    fi
    wait_ready "${OPT_TIMEOUT:-$START_TIMEOUT}" "$n"
    log "node $n ready"
}

usage_wipe() {
    cat <<EOF
Usage: kafka.sh wipe [--dir DIR]

Stop all nodes of the data dir, then delete the data dir (topics, offsets, logs, cluster id).
Refuses to delete a non-empty directory that does not look like a kafka.sh data dir.
EOF
}

cmd_wipe() {
    wants_help "$@" && { usage_wipe; return 0; }
    parse_common "--dir" wipe "$@"
    ((${#POSITIONAL[@]} == 0)) || die "wipe: unexpected argument '${POSITIONAL[0]}'"
    [[ -e $DIR ]] || { log "$DIR does not exist, nothing to wipe"; return 0; }
    local real
    real="$(cd "$DIR" && pwd -P)"
    case $real in
        / | "$HOME" | "$REPO_ROOT" | "$(cd "$REPO_ROOT" && pwd -P)") die "refusing to wipe $real" ;;
    esac
    if [[ ! -f "$(env_file)" ]]; then
        local f
        for f in "$DIR"/* "$DIR"/.[!.]*; do
            [[ -e $f ]] || continue
            case ${f##*/} in .lock | .tools.properties) ;; *)
                die "$DIR has no cluster.env: not a kafka.sh data dir, refusing to delete it" ;;
            esac
        done
    fi
    cmd_stop --dir "$DIR"
    exec 9>&-
    rm -rf "$DIR"
    log "wiped $DIR"
}

usage_tool() {
    cat <<EOF
Usage: kafka.sh tool CLASS [ARGS...]

Run a Kafka command-line class with the fetched classpath and quiet logging, e.g.
  kafka.sh tool org.apache.kafka.tools.TopicCommand --bootstrap-server 127.0.0.1:$DEFAULT_PORT --list
  kafka.sh tool org.apache.kafka.tools.ConsoleProducer --bootstrap-server ... --topic t
  kafka.sh tool org.apache.kafka.tools.consumer.ConsoleConsumer --bootstrap-server ... --topic t --from-beginning
  kafka.sh tool org.apache.kafka.tools.MetadataQuorumCommand --bootstrap-server ... describe --status
EOF
}

cmd_tool() {
    if (($# == 0)) || [[ $1 == -h || $1 == --help ]]; then
        usage_tool
        return 0
    fi
    ensure_fetched 0
    check_java
    run_tool "$@"
}

main() {
    local cmd="${1:-}"
    (($#)) && shift
    case $cmd in
        fetch) cmd_fetch "$@" ;;
        start) cmd_start "$@" ;;
        stop) cmd_stop "$@" ;;
        status) cmd_status "$@" ;;
        wait) cmd_wait "$@" ;;
        kill-node) cmd_kill_node "$@" ;;
        start-node) cmd_start_node "$@" ;;
        wipe) cmd_wipe "$@" ;;
        tool) cmd_tool "$@" ;;
        "" | -h | --help | help) usage_main ;;
        *) usage_main >&2; die "unknown command '$cmd'" ;;
    esac
}

main "$@"
