#!/usr/bin/env bash
# keycloak.sh - run a Keycloak server locally from the Maven Central distribution, without Docker.
#
# The server zip (org.keycloak:keycloak-quarkus-dist, pinned in deploy/keycloak/pom.xml) is fetched
# once into deploy/keycloak/dist/ (Maven caches it in ~/.m2). Each data dir gets its own server
# copy (the jars are hard links), dev-file storage and the realms imported at start
# (deploy/keycloak/realm-binjai.json and any --realm FILE). HTTP on 127.0.0.1 only.
# Keycloak 26 needs Java 21+: KEYCLOAK_JAVA_HOME, else JAVA_HOME or java on PATH when new enough,
# else the newest JDK >= 21 under /usr/lib/jvm.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/../.." && pwd)"
POM="$SCRIPT_DIR/pom.xml"
DIST_DIR="$SCRIPT_DIR/dist"
MARKER="$DIST_DIR/.fetched"
REALM="$SCRIPT_DIR/realm-binjai.json"
MVN_BIN="${MVN:-mvn}"
HOST=127.0.0.1
DEFAULT_PORT=18080
START_TIMEOUT="${KEYCLOAK_START_TIMEOUT:-180}"
STOP_TIMEOUT="${KEYCLOAK_STOP_TIMEOUT:-30}"
MIN_JAVA=21

log() { printf 'keycloak.sh: %s\n' "$*" >&2; }
die() { printf 'keycloak.sh: error: %s\n' "$*" >&2; exit 1; }
is_uint() { [[ ${1:-} =~ ^[0-9]+$ ]]; }

version() { sed -n 's:.*<keycloak.version>\(.*\)</keycloak.version>.*:\1:p' "$POM" | head -n1; }
pom_hash() { sha256sum "$POM" | cut -d' ' -f1; }
server_home() { printf '%s/keycloak-%s\n' "$DIST_DIR" "$(version)"; }
fetched() { [[ -f $MARKER && "$(cat "$MARKER")" == "$(pom_hash)" && -x "$(server_home)/bin/kc.sh" ]]; }

abs_path() { case $1 in /*) printf '%s\n' "$1" ;; *) printf '%s\n' "$PWD/$1" ;; esac; }

java_major() { # java binary -> major version (or nothing)
    local v major
    v="$("$1" -version 2>&1 | sed -n 's/.*version "\([^"]*\)".*/\1/p' | head -n1)"
    major="${v%%.*}"
    [[ $major == 1 ]] && major="$(cut -d. -f2 <<<"$v")"
    is_uint "$major" && printf '%s\n' "$major"
}

# Print a JAVA_HOME with Java >= 21, or fail with what to install.
find_java_home() {
    local candidate major
    if [[ -n ${KEYCLOAK_JAVA_HOME:-} ]]; then
        [[ -x $KEYCLOAK_JAVA_HOME/bin/java ]] || die "KEYCLOAK_JAVA_HOME=$KEYCLOAK_JAVA_HOME has no bin/java"
        major="$(java_major "$KEYCLOAK_JAVA_HOME/bin/java")"
        ((${major:-0} >= MIN_JAVA)) || die "KEYCLOAK_JAVA_HOME=$KEYCLOAK_JAVA_HOME is Java ${major:-?}; Keycloak needs Java $MIN_JAVA+"
        printf '%s\n' "$KEYCLOAK_JAVA_HOME"
        return 0
    fi
    local -a candidates=()
    [[ -n ${JAVA_HOME:-} ]] && candidates+=("$JAVA_HOME")
    if command -v java >/dev/null 2>&1; then
        candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")
    fi
    local d
    for d in /usr/lib/jvm/* /opt/java/* /opt/jdk*; do [[ -d $d ]] && candidates+=("$d"); done
    local best="" best_major=0
    for candidate in "${candidates[@]}"; do
        [[ -x $candidate/bin/java ]] || continue
        major="$(java_major "$candidate/bin/java" || true)"
        if ((${major:-0} > best_major)); then best="$candidate" best_major="$major"; fi
    done
    ((best_major >= MIN_JAVA)) || die "Keycloak needs Java $MIN_JAVA+ and none was found (newest: ${best_major:-none}).
  Install one beside the default JDK, e.g. 'apt-get install openjdk-21-jdk-headless' (or a Temurin 21/25 JDK),
  or point KEYCLOAK_JAVA_HOME at it."
    printf '%s\n' "$best"
}

# ---------------------------------------------------------------------------------------------
# data dir: DIR/server (a copy of the distribution), DIR/keycloak.env (PORT), DIR/keycloak.pid,
# DIR/keycloak.log
# ---------------------------------------------------------------------------------------------
DIR=""
PORT=""
default_dir() { printf '%s\n' "${KEYCLOAK_DATA_DIR:-$REPO_ROOT/.run/keycloak}"; }
env_file() { printf '%s/keycloak.env\n' "$DIR"; }
pid_file() { printf '%s/keycloak.pid\n' "$DIR"; }
log_file() { printf '%s/keycloak.log\n' "$DIR"; }
url() { printf 'http://%s:%s\n' "$HOST" "$PORT"; }

load_env() {
    [[ -f "$(env_file)" ]] || return 1
    PORT="$(sed -n 's/^PORT=//p' "$(env_file)" | tail -n1)"
    is_uint "$PORT" || die "$(env_file) is damaged; run 'keycloak.sh wipe --dir $DIR'"
}

server_pid() {
    local pid
    [[ -f "$(pid_file)" ]] || return 1
    pid="$(cat "$(pid_file)" 2>/dev/null || true)"
    if is_uint "$pid" && kill -0 "$pid" 2>/dev/null &&
        tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$DIR/server"; then
        printf '%s\n' "$pid"
        return 0
    fi
    rm -f "$(pid_file)"
    return 1
}

ready() { # 0 when the master realm's discovery document answers
    command -v curl >/dev/null 2>&1 || { (exec 3<>"/dev/tcp/$HOST/$PORT") 2>/dev/null; return; }
    curl -fsS -o /dev/null --max-time 5 "$(url)/realms/master/.well-known/openid-configuration" 2>/dev/null
}

wait_ready() { # timeout
    local deadline=$((SECONDS + $1))
    while ! ready; do
        if ! server_pid >/dev/null; then
            [[ -s "$(log_file)" ]] && { log "last 40 lines of $(log_file):"; tail -n 40 "$(log_file)" >&2; }
            die "Keycloak exited before it was ready"
        fi
        ((SECONDS < deadline)) || {
            [[ -s "$(log_file)" ]] && tail -n 40 "$(log_file)" >&2
            die "Keycloak not ready after $1 s (log: $(log_file))"
        }
        sleep 1
    done
}

print_url() { printf 'KEYCLOAK_URL=%s\n' "$(url)"; }

parse() { # allowed-options cmd args...
    local allowed="$1" cmd="$2"
    shift 2
    OPT_DIR="" OPT_PORT="" OPT_TIMEOUT=""
    OPT_REALMS=()
    while (($#)); do
        case $1 in
            --dir | --port | --timeout | --realm)
                [[ " $allowed " == *" $1 "* ]] || die "$cmd: unknown option '$1' (see keycloak.sh $cmd --help)"
                [[ $# -ge 2 && -n $2 ]] || die "option $1 needs a value"
                case $1 in
                    --dir) OPT_DIR="$2" ;;
                    --port) OPT_PORT="$2" ;;
                    --timeout) OPT_TIMEOUT="$2" ;;
                    --realm) OPT_REALMS+=("$(abs_path "$2")") ;;
                esac
                shift 2
                ;;
            --*=*) set -- "${1%%=*}" "${1#*=}" "${@:2}" ;;
            *) die "$cmd: unexpected argument '$1' (see keycloak.sh $cmd --help)" ;;
        esac
    done
    DIR="$(abs_path "${OPT_DIR:-$(default_dir)}")"
    [[ -z $OPT_TIMEOUT ]] || is_uint "$OPT_TIMEOUT" || die "$cmd: --timeout must be a number of seconds"
    if [[ -n $OPT_PORT ]] && { ! is_uint "$OPT_PORT" || ((OPT_PORT < 1024 || OPT_PORT > 64535)); }; then
        die "$cmd: --port must be a number between 1024 and 64535"
    fi
}

wants_help() { local a; for a in "$@"; do [[ $a == -h || $a == --help ]] && return 0; done; return 1; }

usage_main() {
    cat <<EOF
Usage: keycloak.sh COMMAND [OPTIONS]

Run Keycloak $(version) (the Kota Binjai realm of deploy/keycloak/realm-binjai.json) on 127.0.0.1.

Commands:
  fetch     download the pinned server zip from Maven Central and unpack it (cached)
  start     start a server for a data dir (fetches first), import the realms, wait until ready
  stop      stop the data dir's server
  status    show whether the data dir's server runs (exit 3 when not)
  wait      wait until the data dir's server answers
  wipe      stop and delete the data dir (users, keys, sessions)
  java      print the JAVA_HOME Keycloak will use (exit 1 with what to install when none)

Run 'keycloak.sh COMMAND --help' for a command's options.
Environment: KEYCLOAK_JAVA_HOME, KEYCLOAK_DATA_DIR (default <repo>/.run/keycloak),
KEYCLOAK_ADMIN_PASSWORD (bootstrap admin 'admin' of the master realm, default 'admin'),
KEYCLOAK_START_TIMEOUT (default 180), MVN.
EOF
}

cmd_fetch() {
    wants_help "$@" && { echo "Usage: keycloak.sh fetch   (Maven Central -> ~/.m2 -> deploy/keycloak/dist/)"; return 0; }
    (($# == 0)) || die "fetch: unexpected argument '$1'"
    fetched && { log "Keycloak $(version) already fetched ($(server_home))"; return 0; }
    command -v "$MVN_BIN" >/dev/null 2>&1 || die "maven ('mvn') is needed to fetch Keycloak; install it (apt-get install maven)"
    command -v unzip >/dev/null 2>&1 || die "unzip is needed to unpack Keycloak; install it (apt-get install unzip)"
    local started=$SECONDS tmp
    mkdir -p "$DIST_DIR"
    tmp="$(mktemp -d "$DIST_DIR/.fetch.XXXXXX")"
    log "fetching org.keycloak:keycloak-quarkus-dist:$(version) (zip, about 165 MB) via Maven"
    "$MVN_BIN" -B -q -f "$POM" dependency:copy-dependencies -DoutputDirectory="$tmp" -DincludeTypes=zip >&2 ||
        { rm -rf "$tmp"; die "mvn could not fetch Keycloak $(version)"; }
    rm -rf "$(server_home)"
    unzip -q "$tmp/keycloak-quarkus-dist-$(version).zip" -d "$DIST_DIR" || { rm -rf "$tmp"; die "unzip failed"; }
    rm -rf "$tmp"
    pom_hash >"$MARKER"
    log "fetched Keycloak $(version) in $((SECONDS - started)) s: $(server_home)"
}

prepare_server() { # a private copy of the distribution for DIR (hard-linked jars, own conf/data/build)
    local home
    home="$(server_home)"
    if [[ -f $DIR/server/.version && "$(cat "$DIR/server/.version")" == "$(version)" ]]; then return 0; fi
    rm -rf "$DIR/server"
    mkdir -p "$DIR/server"
    cp -al "$home/." "$DIR/server/" 2>/dev/null || cp -a "$home/." "$DIR/server/"
    # Keycloak rewrites its build (lib/quarkus) and writes conf/data: real copies, not links.
    local d
    for d in lib/quarkus conf bin; do
        rm -rf "${DIR:?}/server/$d"
        cp -a "$home/$d" "$DIR/server/$d"
    done
    version >"$DIR/server/.version"
}

usage_start() {
    cat <<EOF
Usage: keycloak.sh start [--dir DIR] [--port P] [--realm FILE]... [--timeout S]

Start Keycloak in development mode (start-dev: dev-file storage in DIR/server/data, HTTP on
127.0.0.1:P, default $DEFAULT_PORT) and import deploy/keycloak/realm-binjai.json plus each --realm
FILE (realms that exist already are kept). Waits until it answers (default \${KEYCLOAK_START_TIMEOUT:-180} s),
then prints KEYCLOAK_URL=... An existing data dir keeps its port.
EOF
}

cmd_start() {
    wants_help "$@" && { usage_start; return 0; }
    parse "--dir --port --realm --timeout" start "$@"
    local java_home
    java_home="$(find_java_home)"
    cmd_fetch
    mkdir -p "$DIR"
    if load_env; then
        [[ -z $OPT_PORT || $OPT_PORT == "$PORT" ]] || die "$DIR runs on port $PORT; wipe it first to use $OPT_PORT"
    else
        PORT="${OPT_PORT:-$DEFAULT_PORT}"
        printf 'PORT=%s\n' "$PORT" >"$(env_file)"
    fi
    if server_pid >/dev/null; then
        wait_ready "${OPT_TIMEOUT:-$START_TIMEOUT}"
        log "already running ($(url), data dir $DIR)"
        print_url
        return 0
    fi
    (exec 3<>"/dev/tcp/$HOST/$PORT") 2>/dev/null && die "port $PORT is already in use; pick another --port"
    prepare_server
    mkdir -p "$DIR/server/data/import"
    cp "$REALM" "$DIR/server/data/import/"
    local f
    for f in "${OPT_REALMS[@]}"; do
        [[ -f $f ]] || die "start: realm file $f does not exist"
        cp "$f" "$DIR/server/data/import/"
    done
    local started=$SECONDS
    log "starting Keycloak $(version) on $(url) with Java $(java_major "$java_home/bin/java") ($java_home)"
    (
        cd "$DIR"
        export JAVA_HOME="$java_home" JAVA="$java_home/bin/java"
        export KC_BOOTSTRAP_ADMIN_USERNAME=admin KC_BOOTSTRAP_ADMIN_PASSWORD="${KEYCLOAK_ADMIN_PASSWORD:-admin}"
        export JAVA_OPTS_KC_HEAP="${KEYCLOAK_HEAP_OPTS:--Xms64m -Xmx512m}"
        exec setsid "$DIR/server/bin/kc.sh" start-dev --import-realm \
            --http-host="$HOST" --http-port="$PORT" --http-management-port=$((PORT + 1000)) \
            --hostname-strict=false --db=dev-file --cache=local \
            --log=file --log-file="$(log_file)" </dev/null >"$DIR/stdout.log" 2>&1
    ) &
    echo $! >"$(pid_file)"
    trap 'rc=$?; if ((rc != 0)); then log "start failed: stopping it"; cmd_stop --dir "$DIR" || true; fi; exit $rc' EXIT
    wait_ready "${OPT_TIMEOUT:-$START_TIMEOUT}"
    trap - EXIT
    log "ready in $((SECONDS - started)) s: $(url) (admin console $(url)/admin, realm binjai)"
    print_url
}

cmd_stop() {
    wants_help "$@" && { echo "Usage: keycloak.sh stop [--dir DIR]   (SIGTERM, then SIGKILL after \${KEYCLOAK_STOP_TIMEOUT:-30} s)"; return 0; }
    parse "--dir" stop "$@"
    local pid
    pid="$(server_pid)" || { log "no Keycloak runs for $DIR"; return 0; }
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    local deadline=$((SECONDS + STOP_TIMEOUT))
    while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.2; done
    if kill -0 "$pid" 2>/dev/null; then
        kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f "$(pid_file)"
    log "stopped (data dir $DIR)"
}

cmd_status() {
    wants_help "$@" && { echo "Usage: keycloak.sh status [--dir DIR]   (exit 0 running, 3 stopped, 4 no data dir)"; return 0; }
    parse "--dir" status "$@"
    load_env || { echo "no Keycloak in $DIR"; return 4; }
    local pid
    if pid="$(server_pid)"; then
        echo "keycloak: running  pid $pid  $(url)  data dir $DIR"
        print_url
    else
        echo "keycloak: stopped  $(url)  data dir $DIR"
        return 3
    fi
}

cmd_wait() {
    wants_help "$@" && { echo "Usage: keycloak.sh wait [--dir DIR] [--timeout S]"; return 0; }
    parse "--dir --timeout" wait "$@"
    load_env || die "no Keycloak in $DIR (run 'keycloak.sh start' first)"
    server_pid >/dev/null || die "Keycloak for $DIR is not running"
    wait_ready "${OPT_TIMEOUT:-$START_TIMEOUT}"
    print_url
}

cmd_wipe() {
    wants_help "$@" && { echo "Usage: keycloak.sh wipe [--dir DIR]   (stop, then delete the data dir)"; return 0; }
    parse "--dir" wipe "$@"
    [[ -e $DIR ]] || { log "$DIR does not exist"; return 0; }
    [[ -f "$(env_file)" ]] || die "$DIR has no keycloak.env: not a keycloak.sh data dir, refusing to delete it"
    cmd_stop --dir "$DIR"
    rm -rf "$DIR"
    log "wiped $DIR"
}

cmd_java() {
    wants_help "$@" && { echo "Usage: keycloak.sh java   (print the JAVA_HOME with Java $MIN_JAVA+ that start uses)"; return 0; }
    find_java_home
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
        wipe) cmd_wipe "$@" ;;
        java) cmd_java "$@" ;;
        "" | -h | --help | help) usage_main ;;
        *) usage_main >&2; die "unknown command '$cmd'" ;;
    esac
}

main "$@"
