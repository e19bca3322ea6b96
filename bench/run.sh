#!/usr/bin/env bash
# Barrage against wrk, hey, ab, h2load and the seed's Go design, in one run, on one nginx target
# (issues 4 and 15).
#
#   bench/run.sh                      # everything: ~13 minutes, writes bench/results/latest.json + .svg
#   BARRAGE_JVM_FLAGS='-XX:+UseParallelGC' RESULTS_NAME=parallelgc bench/run.sh
#   SCENARIOS='1 3' bench/run.sh      # a subset (scenario 4 is measured inside scenario 2)
#
# Layout: nginx (one worker) is pinned to CPU 0, the load generator under test -- Barrage or a
# peer -- to CPU 1, one at a time, against the same two locations:
#   /fast   return 200 (immediate)          /delay   echo_sleep 0.01; echo ok; (~10 ms)
# Scenarios (each Barrage measurement follows an uncounted 5 s JIT warm-up of the same shape):
#   1  closed, 100 users, /fast, 10 s: req/s, p50/p99, CPU per request of Barrage and each peer
#   2  closed, 10,000 users, /delay, 15 s: the same and the peak RSS (VmHWM) of each
#   3  open, 20,000 req/s, /fast, 10 s: achieved rate, delayed, p99, warnings (Barrage only: no wrk2)
#   4  GET /tests/{id} answer time (20 polls, curl time_total) while scenario 2 runs
# Peers (scenarios 1 and 2, one connection per user, kept alive; the round order rotates):
#   wrk     wrk -t1 -cUSERS -dSECONDS --latency URL
#   hey     hey -z SECONDS -c USERS URL
#   ab      ab -k -c USERS -t SECONDS -n 100000000 URL
#   h2load  h2load --h1 -c USERS -t 1 -D SECONDS URL (nghttp2-client; HTTP/1.1). It reports no
#           percentiles: the table's notes give its latency's mean and max, p50/p99 stay empty
#   seed    the seed project's design, bench/seed/main.go: one goroutine per user in a net/http
#           client loop (MaxIdleConnsPerHost = users), a Prometheus counter and histogram observed
#           per request; p50/p99 from its local recording of every latency. Built into the temp
#           dir with Debian's Go and client_golang (golang-go,
#           golang-github-prometheus-client-golang-dev): GOPATH mode, no Go modules, no network
# CPU per request (both scenarios): the generator's own CPU over the measurement (user + system,
# all its threads: /proc/PID/stat's utime + stime; a peer's as the kernel accounted it at its exit,
# read with the shell's `times`), in microseconds per request it completed. Barrage's includes
# its JVM's own threads and answering the script's GET /tests/{id} polls (every 0.5 s).
# Environment:
#   BARRAGE_JVM_FLAGS  extra JVM flags for Barrage (default: none, the JVM's own ergonomics)
#   BARRAGE_JAR        the jar to run (default target/barrage-0.1.0-SNAPSHOT.jar, built if missing
#                      or older than src/main)
#   BARRAGE_SECURITY_API_KEY  if set, Barrage requires it and the script sends it
#   RESULTS_NAME       results file stem under bench/results (default: latest)
#   SCENARIOS          which scenarios to run (default: "1 2 3")
#   REPEAT             rounds of each measurement (default 3; the table shows medians, the JSON
#                      every sample). The machine is shared: one 10 s sample can be off by 2x.
#   SKIP_PEERS=1       Barrage only (for trying JVM flags quickly): installs and builds no peer
#   PEERS              which peers run beside Barrage (default: "wrk hey ab h2load seed"); PEERS=wrk
#                      with REPEAT=7 takes more rounds of the ratio to wrk in the time of fewer
#   KEEP_TMP=1         keep the temp dir (nginx config and logs)
# The functions it shares with bench/compare-builds.sh (tools, nginx, starting Barrage, the
# measurements' meta files) are in bench/lib.sh.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
RESULTS_DIR=$HERE/results
RESULTS_NAME=${RESULTS_NAME:-latest}
SCENARIOS=${SCENARIOS:-"1 2 3"}
BARRAGE_JVM_FLAGS=${BARRAGE_JVM_FLAGS:-}
SKIP_PEERS=${SKIP_PEERS:-0}
PEERS=${PEERS:-"wrk hey ab h2load seed"}
for peer in $PEERS; do # a misspelt peer would otherwise be left out without a word
    case $peer in wrk | hey | ab | h2load | seed) ;; *) echo "bench/run.sh: PEERS takes wrk, hey, ab, h2load and seed, not '$peer'" >&2; exit 1 ;; esac
done
REPEAT=${REPEAT:-3}

LOG_TAG=bench
# shellcheck source=bench/lib.sh
source "$HERE/lib.sh"
# lib.sh's probes (nginx, /actuator/health)
CURL=(curl -s)

settle() { sleep "${1:-2}"; }
peers() { [ "$SKIP_PEERS" != 1 ]; }
has() { case " $SCENARIOS " in *" $1 "*) return 0 ;; esac; return 1; }
# the peers run in scenarios 1 and 2 only
peer_scenarios() { peers && { has 1 || has 2; }; }

# ---------------------------------------------------------------------------------------------
# Tools: install what is missing (Debian). wrk, hey and nginx are usually there already; h2load
# and Go (for the seed peer) only when peers run.
# ---------------------------------------------------------------------------------------------
GOCODE=/usr/share/gocode  # Debian's Go library sources (the golang-*-dev packages)
missing=()
command -v hey >/dev/null || missing+=(hey)
command -v ab >/dev/null || [ -x /usr/sbin/ab ] || missing+=(apache2-utils)
find_echo_module >/dev/null || missing+=(libnginx-mod-http-echo)
if peer_scenarios; then
    command -v h2load >/dev/null || missing+=(nghttp2-client)
    command -v go >/dev/null || missing+=(golang-go)
    [ -d "$GOCODE/src/github.com/prometheus/client_golang/prometheus" ] || missing+=(golang-github-prometheus-client-golang-dev)
fi
ensure_tools nginx-light "${missing[@]}"
AB=$(command -v ab || echo /usr/sbin/ab)
ECHO_MODULE=$(find_echo_module) || die "ngx_http_echo_module.so not found after installing libnginx-mod-http-echo"

# ---------------------------------------------------------------------------------------------
# JDK 25 and the jar
# ---------------------------------------------------------------------------------------------
java_major() { "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | head -1; }
JAVA=""
if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ] && [ "$(java_major "$JAVA_HOME/bin/java")" -ge 25 ] 2>/dev/null; then
    JAVA=$JAVA_HOME/bin/java
elif [ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]; then
    JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
else
    for candidate in /usr/lib/jvm/*25*/bin/java; do
        [ -x "$candidate" ] && { JAVA=$candidate; break; }
    done
fi
[ -n "$JAVA" ] || die "no JDK 25 found: set JAVA_HOME to a JDK 25+"
JAVA_VERSION=$("$JAVA" -version 2>&1 | head -1)

# The jar under test: the one given, else target/'s, rebuilt when missing or older than the sources
# (others edit the code meanwhile: a stale jar would measure code that no longer exists).
if [ -n "${BARRAGE_JAR:-}" ]; then
    [ -f "$BARRAGE_JAR" ] || die "BARRAGE_JAR=$BARRAGE_JAR does not exist"
else
    BARRAGE_JAR=$ROOT/target/barrage-0.1.0-SNAPSHOT.jar
    if [ ! -f "$BARRAGE_JAR" ] || [ -n "$(find "$ROOT/src/main" "$ROOT/pom.xml" -newer "$BARRAGE_JAR" -type f -print -quit)" ]; then
        log "building $BARRAGE_JAR (missing or older than src/main): ./mvnw -B -q package -DskipTests"
        (cd "$ROOT" && JAVA_HOME=$(dirname "$(dirname "$JAVA")") ./mvnw -B -q package -DskipTests)
    fi
fi
JAR_BUILT=$(date -u -r "$BARRAGE_JAR" +%Y-%m-%dT%H:%M:%SZ)
GIT_COMMIT=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
if [ "$GIT_COMMIT" != unknown ] && [ -n "$(git -C "$ROOT" status --porcelain -- src/main pom.xml 2>/dev/null)" ]; then
    GIT_COMMIT="$GIT_COMMIT+uncommitted changes in src/main or pom.xml"
fi
# A configured API key (barrage.security.api-key) is sent along; loopback must be an allowed target.
AUTH=()
[ -n "${BARRAGE_SECURITY_API_KEY:-}" ] && AUTH=(-H "Authorization: Bearer $BARRAGE_SECURITY_API_KEY")

# ---------------------------------------------------------------------------------------------
# Limits, temp dir, cleanup
# ---------------------------------------------------------------------------------------------
raise_nofile
[ "$NOFILE" -ge 10100 ] || die "open-file limit is $NOFILE (hard $(ulimit -Hn)); 10,000 connections need more"
[ "$NOFILE" -lt 65535 ] && log "open-file limit raised only to $NOFILE (the hard limit): enough for 10,000 connections"

TMP=$(mktemp -d "${TMPDIR:-/tmp}/barrage-bench.XXXXXX")
chmod 755 "$TMP"  # nginx workers may run as another user
RAW=$TMP/raw
mkdir -p "$RAW" "$RESULTS_DIR"
NGINX_PID=""
BARRAGE_PID=""
PEER_PID=""
PEER_CHILD=""
cleanup() {
    local pid
    # the peer itself first: its subshell (PEER_PID) would leave it running
    for pid in "$PEER_CHILD" "$PEER_PID" "$BARRAGE_PID" "$NGINX_PID"; do
        if [ -n "$pid" ] && kill "$pid" 2>/dev/null; then wait "$pid" 2>/dev/null || true; fi
    done
    if [ "${KEEP_TMP:-0}" = 1 ]; then log "kept $TMP"; else rm -rf "$TMP"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------------------------------------
# The seed peer, built into the temp dir (Debian's Go and Prometheus client, GOPATH mode)
# ---------------------------------------------------------------------------------------------
SEED=$TMP/seed
if peer_scenarios; then
    log "building the seed peer (bench/seed/main.go) with $(go version | cut -d' ' -f3)"
    GO111MODULE=off GOPATH=$TMP/gopath:$GOCODE GOCACHE=$TMP/gocache GOFLAGS='' \
        go build -o "$SEED" "$HERE/seed/main.go" >"$RAW/seed-build.log" 2>&1 \
        || { cat "$RAW/seed-build.log" >&2; die "could not build bench/seed/main.go"; }
    rm -rf "$TMP/gocache" "$TMP/gopath"
fi

# ---------------------------------------------------------------------------------------------
# The target: nginx, one worker, pinned to CPU 0
# ---------------------------------------------------------------------------------------------
start_nginx "$ECHO_MODULE" 'location = /fast  { return 200 "ok\n"; }' 'location = /delay { echo_sleep 0.01; echo ok; }'
FAST=http://127.0.0.1:$NGINX_PORT/fast
DELAY=http://127.0.0.1:$NGINX_PORT/delay

# ---------------------------------------------------------------------------------------------
# Barrage, pinned to CPU 1 (a private copy of the jar: others may rebuild target/ meanwhile)
# ---------------------------------------------------------------------------------------------
cp "$BARRAGE_JAR" "$TMP/barrage.jar"
BARRAGE_PORT=$(free_port)
BARRAGE=http://127.0.0.1:$BARRAGE_PORT
BARRAGE_CMD=$(barrage_cmd "$(basename "$BARRAGE_JAR")" "$BARRAGE_PORT")
log "Barrage on $BARRAGE (CPU $GEN_CPU), JVM flags: '${BARRAGE_JVM_FLAGS:-<none: JVM defaults>}'"
barrage_start "$TMP/barrage.jar" "$BARRAGE_PORT" "$RAW/barrage-service.log"
BARRAGE_PID=$!
wait_healthy Barrage "$BARRAGE" "$BARRAGE_PID" "$RAW/barrage-service.log" 120

vm_field() { local key value _; while read -r key value _; do [ "$key" = "$1:" ] && { echo "$value"; return; }; done <"/proc/$2/status"; }

# barrage_run NAME JSON [POLLS]: starts a test, polls it to the end, keeps the final run as
# RAW/NAME.json. With POLLS, the first POLLS polls while RUNNING are timed (curl time_total,
# 0.7 s apart) into RAW/NAME.polls.
barrage_run() {
    local name=$1 body=$2 polls=${3:-0} id status timed=0 t waited=0 cpu0
    meta "$name" tool barrage
    meta "$name" command "curl -s -X POST $BARRAGE/tests -H 'Content-Type: application/json' -d '$body'"
    measure_begin "$name" "$BARRAGE_PID"
    cpu0=$(proc_cpu_ms "$BARRAGE_PID")
    id=$(curl -sf -X POST "$BARRAGE/tests" "${AUTH[@]}" -H 'Content-Type: application/json' -d "$body" \
         | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])') || die "POST /tests failed for $name"
    : >"$RAW/$name.polls"
    while true; do
        sleep "$( [ "$polls" -gt 0 ] && echo 0.7 || echo 0.5 )"
        t=$(curl -s "${AUTH[@]}" -o "$RAW/$name.json" -w '%{time_total}' "$BARRAGE/tests/$id") || die "GET /tests/$id failed"
        status=$(grep -o '"status":"[A-Z]*"' "$RAW/$name.json" | head -1 | cut -d'"' -f4)
        if [ "$status" = RUNNING ] && [ "$timed" -lt "$polls" ]; then
            echo "$t" >>"$RAW/$name.polls"
            timed=$((timed + 1))
        fi
        case $status in COMPLETED | CANCELLED | FAILED) break ;; esac
        waited=$((waited + 1))
        [ "$waited" -lt 600 ] || die "$name still $status after 600 polls"
    done
    meta "$name" generator_utime_stime_ms $(($(proc_cpu_ms "$BARRAGE_PID") - cpu0))
    measure_end "$name" "$BARRAGE_PID"
    meta "$name" service_vmhwm_kb "$(vm_field VmHWM "$BARRAGE_PID")"
    meta "$name" service_vmrss_kb "$(vm_field VmRSS "$BARRAGE_PID")"
    [ "$status" = COMPLETED ] || log "WARNING: $name ended $status"
}

# peer_run NAME COMMAND...: runs a peer pinned to CPU 1, samples its VmHWM/VmRSS every 0.25 s, and
# records its CPU (user + system) as the kernel accounted it at its exit: a subshell runs it and
# then `times`, whose second line is the CPU of the subshell's one child, the peer (taskset execs it).
peer_run() {
    local name=$1 hwm=0 rss=0 v rc=0 gen="0 0" comm user sys
    shift
    meta "$name" tool "$(basename "$1")"
    meta "$name" command "taskset -c $GEN_CPU $*"
    comm=$(basename "$1")
    comm=${comm:0:15}
    measure_begin "$name"
    (
        code=0
        taskset -c $GEN_CPU "$@" >"$RAW/$name.out" 2>&1 || code=$?
        times >"$RAW/$name.times"
        exit "$code"
    ) &
    PEER_PID=$!
    while kill -0 "$PEER_PID" 2>/dev/null; do
        # the peer is the subshell's child: sampled once it is the peer (no longer bash or taskset)
        [ -n "$PEER_CHILD" ] || PEER_CHILD=$(pgrep -P "$PEER_PID" | head -1 || true)
        if [ -n "$PEER_CHILD" ] && [ "$(cat "/proc/$PEER_CHILD/comm" 2>/dev/null)" = "$comm" ]; then
            v=$(vm_field VmHWM "$PEER_CHILD" 2>/dev/null || true); [ -n "$v" ] && [ "$v" -gt "$hwm" ] && hwm=$v
            v=$(vm_field VmRSS "$PEER_CHILD" 2>/dev/null || true); [ -n "$v" ] && [ "$v" -gt "$rss" ] && rss=$v
            # keep the largest reading: an exiting process's threads may already be gone
            v=$(sched_sum "$PEER_CHILD"); [ "${v%% *}" -gt "${gen%% *}" ] && gen=$v
        fi
        sleep 0.25
    done
    wait "$PEER_PID" || rc=$?
    PEER_PID=""
    PEER_CHILD=""
    measure_end "$name" "0 0" "$gen"
    meta "$name" exit_code "$rc"
    meta "$name" peak_vmhwm_kb "$hwm"
    meta "$name" peak_vmrss_kb "$rss"
    # `times` prints two lines, "0m0.004s 0m0.001s" (user, system): the subshell's own, its children's
    if { read -r _ && read -r user sys; } <"$RAW/$name.times" 2>/dev/null; then
        meta "$name" generator_utime_stime_ms $(($(times_ms "$user") + $(times_ms "$sys")))
    fi
    [ "$rc" -eq 0 ] || log "WARNING: $name exited with $rc (see its output in the results)"
}
# times_ms 1m2.345s: one figure of `times`, in ms (its decimal point is the locale's)
times_ms() {
    local m=${1%%m*} sec=${1#*m}
    sec=${sec%s}
    sec=${sec/,/.}
    echo $((10#$m * 60000 + 10#${sec%.*} * 1000 + 10#${sec#*.}))
}

START_DATE=$(date -u +%Y-%m-%dT%H:%M:%SZ)
START_LOAD=$(loadavg)

# run_tool SCENARIO TOOL ROUND: one measurement, named SCENARIO-TOOL-ROUND
run_tool() {
    local name=$1-$2-$3
    case $1-$2 in
        s1-barrage) barrage_run "$name" "$(closed closed-100-fast "$FAST" 100 10s)" ;;
        s1-wrk) peer_run "$name" wrk -t1 -c100 -d10s --latency "$FAST" ;;
        s1-hey) peer_run "$name" hey -z 10s -c 100 "$FAST" ;;
        s1-ab) peer_run "$name" "$AB" -k -c 100 -t 10 -n 100000000 "$FAST" ;;
        s1-h2load) peer_run "$name" h2load --h1 -c 100 -t 1 -D 10 "$FAST" ;;
        s1-seed) peer_run "$name" "$SEED" -c 100 -d 10s "$FAST" ;;
        s2-barrage) barrage_run "$name" "$(closed closed-10k-delay "$DELAY" 10000 15s)" 20 ;;
        s2-wrk) peer_run "$name" wrk -t1 -c10000 -d15s --latency "$DELAY" ;;
        s2-hey) peer_run "$name" hey -z 15s -c 10000 "$DELAY" ;;
        s2-ab) peer_run "$name" "$AB" -k -c 10000 -t 15 -n 100000000 "$DELAY" ;;
        s2-h2load) peer_run "$name" h2load --h1 -c 10000 -t 1 -D 15 "$DELAY" ;;
        s2-seed) peer_run "$name" "$SEED" -c 10000 -d 15s "$DELAY" ;;
        s3-barrage) barrage_run "$name" "$(open_ open-20k-fast "$FAST" 20000 10s)" ;;
        *) die "unknown measurement $1-$2" ;;
    esac
}

# rounds SCENARIO PAUSE TOOL...: REPEAT rounds; the order rotates by one tool each round, so no
# tool always runs right after Barrage's warm-up or right after the heaviest peer.
rounds() {
    local sid=$1 pause=$2 round i tool
    shift 2
    local tools=("$@")
    local wanted=(barrage) each
    for each in "${tools[@]}"; do
        case " $PEERS " in *" $each "*) wanted+=("$each") ;; esac
    done
    tools=("${wanted[@]}")
    peers || tools=(barrage)
    for ((round = 1; round <= REPEAT; round++)); do
        for ((i = 0; i < ${#tools[@]}; i++)); do
            tool=${tools[$(((i + round - 1) % ${#tools[@]}))]}
            settle "$pause"
            log "  $sid round $round/$REPEAT: $tool"
            run_tool "$sid" "$tool" "$round"
        done
    done
}

if has 1; then
    log "scenario 1: closed, 100 users, immediate endpoint, 10 s"
    barrage_run warmup-1-closed "$(closed warmup-closed-100 "$FAST" 100 5s)"
    barrage_run warmup-1-open "$(open_ warmup-open-20k "$FAST" 20000 5s)"
    rounds s1 2 barrage wrk hey ab h2load seed
fi

if has 2; then
    log "scenario 2 (+4): closed, 10,000 users, 10 ms endpoint, 15 s; GET /tests/{id} timed meanwhile"
    settle 3
    barrage_run warmup-2-closed "$(closed warmup-closed-10k "$DELAY" 10000 5s)"
    rounds s2 3 barrage wrk hey ab h2load seed
fi

if has 3; then
    log "scenario 3: open, 20,000 req/s, immediate endpoint, 10 s"
    settle 3
    barrage_run warmup-3-open "$(open_ warmup-open-20k "$FAST" 20000 5s)"
    rounds s3 2 barrage
fi

meta service vmhwm_kb_end "$(vm_field VmHWM "$BARRAGE_PID")"
meta service java "$JAVA"

# ---------------------------------------------------------------------------------------------
# Report: table on stdout, results JSON, SVG chart, raw outputs beside them
# ---------------------------------------------------------------------------------------------
export BENCH_RAW=$RAW BENCH_RESULTS_DIR=$RESULTS_DIR BENCH_RESULTS_NAME=$RESULTS_NAME \
    BENCH_JAVA_VERSION=$JAVA_VERSION BENCH_JVM_FLAGS=$BARRAGE_JVM_FLAGS BENCH_BARRAGE_CMD=$BARRAGE_CMD \
    BENCH_NGINX_CMD=$NGINX_CMD BENCH_NGINX_CONF=$TMP/nginx.conf BENCH_START_DATE=$START_DATE \
    BENCH_START_LOAD=$START_LOAD BENCH_NOFILE=$NOFILE BENCH_GIT_COMMIT=$GIT_COMMIT BENCH_JAR_BUILT=$JAR_BUILT BENCH_SCENARIOS=$SCENARIOS BENCH_REPEAT=$REPEAT BENCH_NGINX=$NGINX
python3 "$HERE/report.py"
