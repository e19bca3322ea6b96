# shellcheck shell=bash
# Functions shared by bench/run.sh and bench/compare-builds.sh, sourced by both (not run on its own).
#
# The layout they share: nginx (one worker) pinned to CPU TARGET_CPU, the load generator under test
# (a Barrage JVM, or a peer such as wrk) pinned to CPU GEN_CPU, everything on 127.0.0.1.
# What the sourcing script sets before calling:
#   LOG_TAG   the word in front of each log line ("bench", "compare"); set before sourcing
#   TMP       its temp dir (nginx's config, pid and temp files; the jar copies)
#   RAW       the dir of raw outputs (meta files, service logs)
#   NOFILE    the open-file limit (raise_nofile sets it)
#   NGINX     the nginx binary (ensure_tools sets it)
#   JAVA, BARRAGE_JVM_FLAGS   the java binary and the extra JVM flags for Barrage
#   CURL      the curl command (an array) the probes below use: at least (curl -s)
# Nothing here runs at source time but the two assignments below.
TARGET_CPU=0
GEN_CPU=1

log() { printf '[%s %s] %s\n' "$LOG_TAG" "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# ---------------------------------------------------------------------------------------------
# Tools
# ---------------------------------------------------------------------------------------------
# ensure_tools NGINX_PACKAGE [PACKAGE...]: sets NGINX, the nginx binary; installs with apt-get
# (Debian; as root, else with sudo where there is one) what is missing of wrk, nginx (from
# NGINX_PACKAGE), curl, taskset (util-linux) and python3, together with the PACKAGEs (those the
# caller's own checks found missing). Installs nothing when nothing is missing.
ensure_tools() {
    local nginx_package=$1 sudo=""
    shift
    local missing=("$@")
    NGINX=$(command -v nginx || true)
    [ -z "$NGINX" ] && [ -x /usr/sbin/nginx ] && NGINX=/usr/sbin/nginx
    command -v wrk >/dev/null || missing+=(wrk)
    [ -n "$NGINX" ] || missing+=("$nginx_package")
    command -v curl >/dev/null || missing+=(curl)
    command -v taskset >/dev/null || missing+=(util-linux)
    command -v python3 >/dev/null || missing+=(python3)
    [ ${#missing[@]} -gt 0 ] || return 0
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null && sudo="sudo" || true
    fi
    log "installing ${missing[*]} with apt-get"
    $sudo apt-get update -q
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
    NGINX=$(command -v nginx || echo /usr/sbin/nginx)
}

# find_echo_module: prints the path of nginx's echo module (ngx_http_echo_module.so), or fails
find_echo_module() {
    local candidate
    for candidate in /usr/lib/nginx/modules/ngx_http_echo_module.so \
                     /usr/share/nginx/modules/ngx_http_echo_module.so \
                     /usr/lib64/nginx/modules/ngx_http_echo_module.so; do
        [ -f "$candidate" ] && { echo "$candidate"; return 0; }
    done
    # Debian's snippet says "load_module modules/...so;", relative to nginx's prefix.
    if [ -f /usr/share/nginx/modules-available/mod-http-echo.conf ]; then
        candidate=$(sed -n 's/^ *load_module *\([^;]*\);.*/\1/p' /usr/share/nginx/modules-available/mod-http-echo.conf | head -1)
        case $candidate in /*) ;; *) candidate=/usr/share/nginx/$candidate ;; esac
        [ -f "$candidate" ] && { readlink -f "$candidate"; return 0; }
    fi
    return 1
}

# raise_nofile: raises the open-file limit to 65535 (else to the hard limit) and sets NOFILE to it
raise_nofile() {
    ulimit -n 65535 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
    NOFILE=$(ulimit -n)
    [ "$NOFILE" = unlimited ] && NOFILE=65535
    return 0
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
# free_port_except PORT...: a free port that is none of PORT... (ports already given out, which the
# kernel may hand out again while their owner is still starting)
free_port_except() {
    local port _ taken other
    port=$(free_port)
    for _ in $(seq 20); do
        taken=0
        for other in "$@"; do [ "$port" = "$other" ] && taken=1; done
        [ "$taken" = 0 ] && break
        port=$(free_port)
    done
    echo "$port"
}
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }
now_ns() { date +%s%N; }

# stop PID: TERM, up to 20 s for a graceful end (Spring, a running test), then KILL. Only our own
# children are ever signalled (a reaped child's PID is never signalled again: callers clear the variable).
# (stop and stop_nginx run from the callers' EXIT traps: shellcheck cannot see that, hence SC2317)
# shellcheck disable=SC2317
stop() {
    local pid=$1 _
    [ -n "$pid" ] || return 0
    kill "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
    for _ in $(seq 100); do
        kill -0 "$pid" 2>/dev/null || break
        # a child that has exited but is not yet reaped still answers kill -0: check its state
        [ "$(cut -d' ' -f3 "/proc/$pid/stat" 2>/dev/null)" = Z ] && break
        sleep 0.2
    done
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}

# stop_nginx: stops the nginx start_nginx started (NGINX_PID), and its worker if the master had to be killed.
# shellcheck disable=SC2317
stop_nginx() {
    [ -n "${NGINX_PID:-}" ] || return 0
    stop "$NGINX_PID"; NGINX_PID=""
    # the master normally takes its worker with it; if it had to be killed, end the orphan too
    if [ -n "${NGINX_WORKER:-}" ] && [ "$(cat "/proc/$NGINX_WORKER/comm" 2>/dev/null)" = nginx ]; then
        kill "$NGINX_WORKER" 2>/dev/null || true
    fi
}

# ---------------------------------------------------------------------------------------------
# The target: nginx
# ---------------------------------------------------------------------------------------------
# start_nginx ECHO_MODULE LOCATION...: starts nginx -- one worker, pinned to CPU TARGET_CPU,
# listening on 127.0.0.1:NGINX_PORT (a free port) only -- with TMP/nginx.conf: "load_module
# ECHO_MODULE;" first (no such line when ECHO_MODULE is ""), the LOCATIONs (one a line, each
# 'location = /PATH ...') in its one server. Waits until every /PATH answers (up to 10 s).
# Sets NGINX_PORT, NGINX_PID (as soon as it runs), NGINX_WORKER (the worker's PID) and NGINX_CMD
# (the command line, for the reports).
start_nginx() {
    local module=$1 location path urls=() url up _
    shift
    NGINX_PORT=$(free_port)
    {
        [ -z "$module" ] || echo "load_module $module;"
        cat <<EOF
worker_processes 1;
worker_rlimit_nofile $NOFILE;
pid $TMP/nginx.pid;
error_log $TMP/nginx-error.log error;
events {
    worker_connections $(( NOFILE - 100 > 65000 ? 65000 : NOFILE - 100 ));
    multi_accept on;
}
http {
    access_log off;
    keepalive_requests 1000000000;
    keepalive_timeout 300s;
    client_body_temp_path $TMP/client_body;
    proxy_temp_path $TMP/proxy;
    fastcgi_temp_path $TMP/fastcgi;
    uwsgi_temp_path $TMP/uwsgi;
    scgi_temp_path $TMP/scgi;
    server {
        listen 127.0.0.1:$NGINX_PORT backlog=65535;
$(printf '        %s\n' "$@")
    }
}
EOF
    } >"$TMP/nginx.conf"
    for location in "$@"; do
        path=${location#location = }
        urls+=("http://127.0.0.1:$NGINX_PORT${path%% *}")
    done
    NGINX_CMD="taskset -c $TARGET_CPU $NGINX -p $TMP -e $TMP/nginx-error.log -c $TMP/nginx.conf -g 'daemon off;'"
    log "nginx on 127.0.0.1:$NGINX_PORT (CPU $TARGET_CPU)${module:+, echo module $module}"
    taskset -c $TARGET_CPU "$NGINX" -p "$TMP" -e "$TMP/nginx-error.log" -c "$TMP/nginx.conf" -g 'daemon off;' \
        2>"$TMP/nginx-start.log" &
    NGINX_PID=$!
    for _ in $(seq 50); do
        up=1
        for url in "${urls[@]}"; do
            "${CURL[@]}" -f -o /dev/null "$url" || { up=0; break; }
        done
        [ "$up" = 1 ] && break
        kill -0 "$NGINX_PID" 2>/dev/null || { cat "$TMP/nginx-start.log" "$TMP/nginx-error.log" >&2 2>/dev/null; die "nginx did not start"; }
        sleep 0.2
    done
    "${CURL[@]}" -f -o /dev/null "${urls[-1]}" || die "nginx does not answer on ${urls[-1]}"
    NGINX_WORKER=$(pgrep -P "$NGINX_PID" | head -1)
    [ -n "$NGINX_WORKER" ] || die "no nginx worker process under $NGINX_PID"
}

# ---------------------------------------------------------------------------------------------
# Barrage
# ---------------------------------------------------------------------------------------------
# barrage_start JAR PORT LOG [ARG...]: starts JAR in the background (its PID is then in $!), pinned
# to CPU GEN_CPU, with BARRAGE_JVM_FLAGS, --server.port=PORT, the ARGs and
# --barrage.targets.allow=127.0.0.0/8; its output goes to LOG. barrage_cmd tells the same.
barrage_start() {
    local jar=$1 port=$2 out=$3
    shift 3
    # shellcheck disable=SC2206
    local flags=($BARRAGE_JVM_FLAGS)
    taskset -c $GEN_CPU "$JAVA" "${flags[@]}" -jar "$jar" --server.port="$port" "$@" \
        --barrage.targets.allow=127.0.0.0/8 >"$out" 2>&1 &
}
# barrage_cmd JAR_NAME PORT [ARG...]: the command line of barrage_start, for the reports
barrage_cmd() {
    local jar=$1 port=$2
    shift 2
    echo "taskset -c $GEN_CPU $JAVA ${BARRAGE_JVM_FLAGS:+$BARRAGE_JVM_FLAGS }-jar $jar --server.port=$port $*${*:+ }--barrage.targets.allow=127.0.0.0/8"
}
# wait_healthy WHO URL PID LOG SECONDS: waits until URL/actuator/health answers 200, SECONDS at most
# (that includes Barrage's start-up warm-up: health is OUT_OF_SERVICE until it ends, up to 30 s);
# if PID ends first, dies with the tail of LOG
wait_healthy() {
    local who=$1 url=$2 pid=$3 out=$4 secs=$5 _
    for _ in $(seq $((secs * 2))); do
        "${CURL[@]}" -f -o /dev/null "$url/actuator/health" && break
        kill -0 "$pid" 2>/dev/null || { tail -30 "$out" >&2; die "$who did not start"; }
        sleep 0.5
    done
    "${CURL[@]}" -f -o /dev/null "$url/actuator/health" || die "$who is not healthy after $secs s"
}

# await_up URL PID T0 LIMIT_S INTERVAL WHAT LOG: polls URL (a health endpoint) every INTERVAL s until it
# answers {"status":"UP"}; dies when PID ends first, or LIMIT_S s after T0 (a now_ns reading)
await_up() {
    local url=$1 pid=$2 t0=$3 limit=$4 interval=$5 what=$6 out=$7
    until curl -s --noproxy '*' --max-time 1 "$url" 2>/dev/null | grep -q '"status":"UP"'; do
        kill -0 "$pid" 2>/dev/null || die "$what: the process ended first: $out"
        [ $(( ($(now_ns) - t0) / 1000000000 )) -lt "$limit" ] || die "$what: not UP within $limit s: $out"
        sleep "$interval"
    done
}

# closed NAME URL USERS DURATION / open_ NAME URL RATE DURATION: the JSON of a POST /tests
closed() { printf '{"name":"%s","request":{"url":"%s"},"workload":{"model":"closed","concurrency":%s,"duration":"%s"}}' "$1" "$2" "$3" "$4"; }
open_() { printf '{"name":"%s","request":{"url":"%s"},"workload":{"model":"open","rate":%s,"duration":"%s"}}' "$1" "$2" "$3" "$4"; }

# ---------------------------------------------------------------------------------------------
# Measurements: RAW/NAME.meta
# ---------------------------------------------------------------------------------------------
# meta NAME KEY VALUE...: one "key<TAB>value" line per call in RAW/NAME.meta
meta() { local name=$1 key=$2; shift 2; printf '%s\t%s\n' "$key" "$*" >>"$RAW/$name.meta"; }

# sched_sum PID: "cpu_ns runqueue_wait_ns" summed over the threads (from /proc/PID/task/*/schedstat).
# The run-queue wait is time the process was ready to run but another process had the CPU: on a
# shared machine it says how much a figure was disturbed.
sched_sum() {
    local run=0 wait=0 a b _ f
    for f in /proc/"$1"/task/*/schedstat; do
        read -r a b _ 2>/dev/null <"$f" && { run=$((run + a)); wait=$((wait + b)); }
    done
    echo "$run $wait"
}
# proc_cpu_ms PID: the process's own CPU, user + system, of all its threads (those that have ended
# too), in ms: utime + stime of /proc/PID/stat (fields 14 and 15, in clock ticks)
proc_cpu_ms() {
    local stat ticks
    stat=$(<"/proc/$1/stat") || return 1
    ticks=$(getconf CLK_TCK 2>/dev/null || echo 100)
    stat=${stat##*) }  # the comm field, in parentheses, may hold spaces: field 3 on are left
    # shellcheck disable=SC2086
    set -- $stat
    echo $(((${12} + ${13}) * 1000 / ticks))
}
# sched_meta NAME WHO BEFORE AFTER: records WHO_cpu_ms and WHO_wait_ms from two sched_sum readings
sched_meta() {
    local before=($3) after=($4)
    meta "$1" "$2_cpu_ms" $(((after[0] - before[0]) / 1000000))
    meta "$1" "$2_wait_ms" $(((after[1] - before[1]) / 1000000))
}

# measure_begin NAME [PID]: just before a measurement: records load_before, reads the clock and the
# CPU counters of nginx's worker and of PID (the generator), if given, into MEASURE_*
measure_begin() {
    meta "$1" load_before "$(loadavg)"
    MEASURE_T0=$(now_ns); MEASURE_TGT0=$(sched_sum "$NGINX_WORKER")
    MEASURE_GEN0=""
    [ -z "${2:-}" ] || MEASURE_GEN0=$(sched_sum "$2")
}
# measure_end NAME [PID | GEN_BEFORE GEN_AFTER]: just after it: records wall_ms, target_cpu_ms and
# target_wait_ms (nginx's worker), generator_cpu_ms and generator_wait_ms (PID's since
# measure_begin, or from the two sched_sum readings given), load_after
measure_end() {
    local name=$1
    meta "$name" wall_ms $((($(now_ns) - MEASURE_T0) / 1000000))
    sched_meta "$name" target "$MEASURE_TGT0" "$(sched_sum "$NGINX_WORKER")"
    case $# in
        2) sched_meta "$name" generator "$MEASURE_GEN0" "$(sched_sum "$2")" ;;
        3) sched_meta "$name" generator "$2" "$3" ;;
    esac
    meta "$name" load_after "$(loadavg)"
}

# ---------------------------------------------------------------------------------------------
# Two shapes of test side by side (scenario-cost.sh, events-cost.sh)
# ---------------------------------------------------------------------------------------------

# wrk_run NAME: the wrk reference, pinned to CPU GEN_CPU like Barrage (idle meanwhile); needs the
# caller's meta, measure_begin, measure_end and record, and FAST, USERS, SECONDS_PER_RUN
wrk_run() {
    local name=$1 rc=0
    meta "$name" command "taskset -c $GEN_CPU wrk -t1 -c$USERS -d${SECONDS_PER_RUN}s --latency $FAST"
    measure_begin "$name"
    taskset -c "$GEN_CPU" wrk -t1 -c"$USERS" -d"${SECONDS_PER_RUN}s" --latency "$FAST" >"$RAW/$name.out" 2>&1 || rc=$?
    measure_end "$name"
    meta "$name" exit_code "$rc"
    [ "$rc" -eq 0 ] || die "wrk exited with $rc: $(tail -5 "$RAW/$name.out")"
    record wrk wrk - "$name"
}

# alternate_shapes A B: wrk at the start, an uncounted warm-up of each shape, ROUNDS rounds of one
# test of each shape with the order flipping every round (A,B / B,A / ...), wrk at the end; each
# test is the caller's barrage_run NAME SHAPE SECONDS, PAUSE_SECONDS (settle) apart. Sets
# START_DATE and START_LOAD.
alternate_shapes() {
    local first=$1 second=$2 shape round order
    START_DATE=$(date -u +%Y-%m-%dT%H:%M:%SZ)
    START_LOAD=$(loadavg)
    settle
    log "wrk reference (start), ${SECONDS_PER_RUN} s"
    wrk_run wrk-start
    for shape in "$first" "$second"; do
        settle
        log "warm-up, $shape (uncounted), ${WARMUP_SECONDS} s"
        barrage_run "warmup-$shape" "$shape" "$WARMUP_SECONDS"
        record warmup "$shape" 0 "warmup-$shape"
    done
    for ((round = 1; round <= ROUNDS; round++)); do
        if ((round % 2)); then order=("$first" "$second"); else order=("$second" "$first"); fi
        for shape in "${order[@]}"; do
            settle
            log "round $round/$ROUNDS: $shape, ${SECONDS_PER_RUN} s"
            barrage_run "$shape-r$round" "$shape" "$SECONDS_PER_RUN"
            record round "$shape" "$round" "$shape-r$round"
        done
    done
    settle
    log "wrk reference (end), ${SECONDS_PER_RUN} s"
    wrk_run wrk-end
}
