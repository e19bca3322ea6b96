#!/usr/bin/env bash
# Where does Barrage's memory go? Idle, and at the peak of a 10,000-user run (issue 15, "Leaner":
# peak RSS <= 200 MB through a 10,000-user run). Rerun it after each change to judge the change.
#
#   bench/memory.sh                                                # the newest target/barrage-*.jar
#   BARRAGE_JVM_FLAGS='-XX:+UseSerialGC -Xmx128m' bench/memory.sh
#   JAR=/path/barrage.jar MODE=diff USERS=10000 SECONDS_PER_RUN=15 bench/memory.sh
#   USERS=100 SECONDS_PER_RUN=3 REST_SECONDS=2 bench/memory.sh    # smoke test (~40 s)
#
# No acceptance rule: the report gives the figures. One JVM, one flag set, one run (no warm-up:
# a warm-up would itself set the peak), about a minute.
#
# What it does (the functions it shares with the other scripts are in bench/lib.sh; the report is
# bench/memory_report.py, which also reads bench/benchlib.py):
#   1. nginx, one worker, pinned to CPU 0, listening on 127.0.0.1 only, as bench/run.sh has it:
#        location = /delay { echo_sleep 0.01; echo ok; }      (nginx's echo module, ~10 ms)
#   2. the jar (a private copy in a temp dir: target/ may be rebuilt meanwhile) started once,
#      pinned to CPU 1 with taskset:
#        java -XX:NativeMemoryTracking=summary $BARRAGE_JVM_FLAGS -jar barrage.jar
#          --server.port=<free port> --server.address=127.0.0.1 --barrage.targets.allow=127.0.0.0/8
#      (NMT first, so a flag given may override it, e.g. -XX:NativeMemoryTracking=detail; NMT
#      itself costs a few MB: its own category, "Native Memory Tracking", in the report);
#   3. idle: once /actuator/health answers UP, REST_SECONDS (10) s of rest, then the snapshot
#      "idle": /proc/PID/status (VmRSS, VmHWM = the peak since start, i.e. start-up's), the threads
#      (/proc/PID/task), /proc/PID/smaps and smaps_rollup, then (each jcmd pinned to JCMD_CPU, 0 =
#      nginx's CPU, so as not to take the generator's) jcmd PID VM.native_memory summary,
#      jcmd PID GC.heap_info; then jcmd PID VM.flags (the collector and heap sizes the JVM chose),
#      with MODE=diff jcmd PID VM.native_memory baseline, and the class histogram (HISTOGRAM);
#   4. after PAUSE_SECONDS (2) s, the run:
#        POST /tests  {"name":"memory-<USERS>-delay","request":{"url":"http://127.0.0.1:<nginx>/delay"},
#                      "workload":{"model":"closed","concurrency":$USERS,"duration":"${SECONDS_PER_RUN}s"}}
#      (must answer 202), then GET /tests/{id} every 0.5 s until the status is final. Meanwhile a
#      sampler reads VmRSS, VmHWM and the thread count every 0.25 s (RAW/run.samples.tsv). At
#      2/3 of SECONDS_PER_RUN after the first poll that saw RUNNING (the peak is near the end of
#      the ramp) the snapshot "mid" (the same as idle's), with MODE=diff also
#      jcmd PID VM.native_memory summary.diff (against idle's baseline), then the class histogram;
#      right after the final GET the snapshot "after" (its VmHWM is the peak since start).
#      summary.throughput, summary.latencyMs.p99, requests and failures come from the final GET;
#   5. the report, on stdout and in
#        bench/results/memory-<UTC timestamp>.md
#      NMT's committed MB per category idle | mid-run | after; RSS figures (idle VmRSS, peak VmHWM,
#      the largest sampled VmRSS, the heap's resident part from smaps); threads; heap used /
#      committed (GC.heap_info); the run's req/s and p99; the flags, the jar's sha256; the top 25
#      classes of the mid-run histogram. Raw material (every jcmd output, /proc files, samples,
#      answers, nginx.conf, the service's log) goes to
#        bench/results/memory-<UTC timestamp>-raw/     (ignored by git: bench/results/*-raw/)
#      from which the report can be made again:
#        PYTHONPATH=bench python3 bench/memory_report.py bench/results/memory-<stamp>-raw OUT.md
#   nginx, the JVM and the sampler are stopped on exit, on error and on Ctrl-C (trap). No traffic
#   leaves 127.0.0.1: nginx and Barrage are bound to loopback, curl runs with --noproxy '*'.
#
# What the snapshots cost the run: each jcmd attaches to the JVM (an "Attach Listener" thread, a
# few hundred KB); GC.class_histogram stops the JVM while it walks the heap (its time is in the
# report, and it falls into the run's p99 at mid-run: HISTOGRAM=none for a clean p99).
#
# Environment:
#   JAR                the build to measure (default: the newest target/barrage-*.jar of this repo)
#   BARRAGE_JVM_FLAGS  JVM flags to measure, e.g. '-XX:+UseSerialGC -Xmx128m' (default none: the
#                      JVM's own ergonomics; on one CPU it picks Serial GC and a quarter of RAM as
#                      the heap's limit); -XX:NativeMemoryTracking=summary is always added
#   USERS              closed-model users (default 10000; Barrage's limit is 10000)
#   SECONDS_PER_RUN    the run's duration (default 15; not SECONDS, which is bash's own clock)
#   REST_SECONDS       rest after /actuator/health is UP, before the idle snapshot (default 10)
#   PAUSE_SECONDS      pause between the idle snapshot and the run (default 2)
#   MODE               summary (default) or diff: also NMT's baseline at idle and summary.diff at mid-run
#   HISTOGRAM          all (default): GC.class_histogram -all (no collection first: unreachable
#                      objects not yet collected count too); live: GC.class_histogram (a full GC
#                      first: live objects only, but it changes the heap the run goes on with);
#                      none: no histogram
#   JCMD_CPU           the CPU jcmd runs on (default 0, nginx's)
#   JAVA               java binary (default /usr/lib/jvm/temurin-25-jdk-amd64/bin/java; jcmd beside it)
#   BARRAGE_SECURITY_API_KEY  if set, Barrage requires it and the script sends it
#   KEEP_TMP=1         keep the temp dir (the jar copy, nginx's temp files)
# Exit status: 0 the run COMPLETED without failed requests, 3 it did not (the report says why:
# the memory figures are still there), 1 any other error (printed).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
RESULTS_DIR=$HERE/results
USERS=${USERS:-10000}
SECONDS_PER_RUN=${SECONDS_PER_RUN:-15}
REST_SECONDS=${REST_SECONDS:-10}
PAUSE_SECONDS=${PAUSE_SECONDS:-2}
MODE=${MODE:-summary}
HISTOGRAM=${HISTOGRAM:-all}
JAVA=${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
USER_JVM_FLAGS=${BARRAGE_JVM_FLAGS:-}
# what barrage_start (lib.sh) passes to the JVM
BARRAGE_JVM_FLAGS="-XX:NativeMemoryTracking=summary${USER_JVM_FLAGS:+ $USER_JVM_FLAGS}"

LOG_TAG=memory
# shellcheck source=bench/lib.sh
source "$HERE/lib.sh"
JCMD_CPU=${JCMD_CPU:-$TARGET_CPU}

if [ -z "${JAR:-}" ]; then
    JAR=$(find "$ROOT/target" -maxdepth 1 -type f -name 'barrage-*.jar' -printf '%T@\t%p\n' 2>/dev/null \
        | sort -rn | head -1 | cut -f2-)
    [ -n "$JAR" ] || die "no target/barrage-*.jar: build one (./mvnw -q package -DskipTests) or set JAR"
fi
[ -f "$JAR" ] || die "JAR=$JAR does not exist"
for v in USERS SECONDS_PER_RUN; do
    if ! [[ ${!v} =~ ^[0-9]+$ ]] || [ "${!v}" -eq 0 ]; then die "$v must be a positive integer, not '${!v}'"; fi
done
for v in REST_SECONDS PAUSE_SECONDS; do
    [[ ${!v} =~ ^[0-9]+$ ]] || die "$v must be a whole number, not '${!v}'"
done
[ "$USERS" -le 10000 ] || die "USERS must be at most 10000 (Barrage's workload.concurrency limit), not $USERS"
case $MODE in summary | diff) ;; *) die "MODE must be summary or diff, not '$MODE'" ;; esac
case $HISTOGRAM in all | live | none) ;; *) die "HISTOGRAM must be all, live or none, not '$HISTOGRAM'" ;; esac
[ -x "$JAVA" ] || die "no java at $JAVA (set JAVA to a JDK 25+ java binary)"
JCMD=$(dirname "$JAVA")/jcmd
[ -x "$JCMD" ] || die "no jcmd beside $JAVA (a JDK, not a JRE, is needed)"
[ "$(nproc --all)" -ge 2 ] || die "needs at least 2 CPUs (nginx on CPU $TARGET_CPU, Barrage on CPU $GEN_CPU)"
if ! [[ $JCMD_CPU =~ ^[0-9]+$ ]] || [ "$JCMD_CPU" -ge "$(nproc --all)" ]; then
    die "JCMD_CPU must be a CPU number below $(nproc --all), not '$JCMD_CPU'"
fi
[ -n "${EPOCHREALTIME:-}" ] || die "needs bash 5 (EPOCHREALTIME)"

# ---------------------------------------------------------------------------------------------
# Tools: install what is missing (Debian): nginx and its echo module, as bench/run.sh does
# ---------------------------------------------------------------------------------------------
missing=()
find_echo_module >/dev/null || missing+=(libnginx-mod-http-echo)
ensure_tools nginx-light "${missing[@]}"
ECHO_MODULE=$(find_echo_module) || die "ngx_http_echo_module.so not found after installing libnginx-mod-http-echo"
JAVA_VERSION=$("$JAVA" -version 2>&1 | head -1)

AUTH=()
[ -n "${BARRAGE_SECURITY_API_KEY:-}" ] && AUTH=(-H "Authorization: Bearer $BARRAGE_SECURITY_API_KEY")
# loopback only, whatever http_proxy / https_proxy / all_proxy say (lib.sh's probes use it too)
CURL=(curl -s --noproxy '*' "${AUTH[@]}")

# ---------------------------------------------------------------------------------------------
# Results, temp dir, cleanup
# ---------------------------------------------------------------------------------------------
raise_nofile
[ "$NOFILE" -ge $((USERS + 200)) ] || die "open-file limit is $NOFILE (hard $(ulimit -Hn)): too low for $USERS users"

STAMP=$(date -u +%Y%m%dT%H%M%SZ)
REPORT=$RESULTS_DIR/memory-$STAMP.md
RAW=$RESULTS_DIR/memory-$STAMP-raw
mkdir -p "$RAW"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/barrage-memory.XXXXXX")
chmod 755 "$TMP"  # nginx workers may run as another user

NGINX_PID=""
NGINX_WORKER=""
BARRAGE_PID=""
SAMPLER_PID=""

# shellcheck disable=SC2317
stop_sampler() {
    rm -f "$TMP/sampling"
    [ -n "$SAMPLER_PID" ] || return 0
    # it ends by itself within 0.25 s once the flag file is gone; only our own child is signalled
    for _ in 1 2 3 4 5 6 7 8 9 10; do
        [ "$(cut -d' ' -f3 "/proc/$SAMPLER_PID/stat" 2>/dev/null || echo Z)" = Z ] && break
        sleep 0.1
    done
    if [ "$(cut -d' ' -f4 "/proc/$SAMPLER_PID/stat" 2>/dev/null)" = "$$" ]; then kill "$SAMPLER_PID" 2>/dev/null || true; fi
    wait "$SAMPLER_PID" 2>/dev/null || true
    SAMPLER_PID=""
}
# shellcheck disable=SC2317
cleanup() {
    local rc=$?
    trap - EXIT
    stop_sampler
    stop "$BARRAGE_PID"; BARRAGE_PID=""
    stop_nginx
    if [ "${KEEP_TMP:-0}" = 1 ]; then log "kept $TMP"; else rm -rf "$TMP"; fi
    [ "$rc" -eq 0 ] || [ "$rc" -eq 3 ] || log "stopped early (exit $rc): partial raw outputs in $RAW"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

START_DATE=$(date -u +%Y-%m-%dT%H:%M:%SZ)
START_LOAD=$(loadavg)

# ---------------------------------------------------------------------------------------------
# The target: nginx, one worker, pinned to CPU 0, loopback only (bench/run.sh's /delay)
# ---------------------------------------------------------------------------------------------
start_nginx "$ECHO_MODULE" 'location = /delay { echo_sleep 0.01; echo ok; }'
cp "$TMP/nginx.conf" "$RAW/nginx.conf"
DELAY=http://127.0.0.1:$NGINX_PORT/delay

# ---------------------------------------------------------------------------------------------
# Barrage, pinned to CPU 1, started once
# ---------------------------------------------------------------------------------------------
cp "$JAR" "$TMP/barrage.jar"
PORT=$(free_port_except "$NGINX_PORT")
URL=http://127.0.0.1:$PORT
log "Barrage on $URL (CPU $GEN_CPU): $JAR"
log "JVM flags: ${USER_JVM_FLAGS:-<none: JVM defaults>} (+ -XX:NativeMemoryTracking=summary)"
JVM_T0=$(now_ns)
barrage_start "$TMP/barrage.jar" "$PORT" "$RAW/service.log" --server.address=127.0.0.1
BARRAGE_PID=$!
wait_healthy Barrage "$URL" "$BARRAGE_PID" "$RAW/service.log" 120
HEALTHY_MS=$((($(now_ns) - JVM_T0) / 1000000))

GIT_HEAD=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
meta params jar "$JAR"
meta params sha256 "$(sha256sum "$JAR" | cut -d' ' -f1)"
meta params jar_mtime "$(date -u -r "$JAR" +%Y-%m-%dT%H:%M:%SZ)"
meta params git_head "$GIT_HEAD"
meta params java "$JAVA_VERSION"
meta params jvm_flags "$USER_JVM_FLAGS"
meta params jvm_flags_effective "$BARRAGE_JVM_FLAGS"
meta params cmd "$(barrage_cmd barrage.jar "$PORT" --server.address=127.0.0.1)"
meta params nginx_cmd "$NGINX_CMD"
meta params users "$USERS"
meta params seconds "$SECONDS_PER_RUN"
meta params rest_seconds "$REST_SECONDS"
meta params mode "$MODE"
meta params histogram "$HISTOGRAM"
meta params jcmd "taskset -c $JCMD_CPU $JCMD"
meta params stamp "$STAMP"
meta params start_date "$START_DATE"
meta params start_load "$START_LOAD"
meta params nofile "$NOFILE"
meta params healthy_ms "$HEALTHY_MS"

# ---------------------------------------------------------------------------------------------
# Snapshots
# ---------------------------------------------------------------------------------------------
# jcmd_to NAME WHAT COMMAND...: jcmd PID COMMAND, pinned to JCMD_CPU, into RAW/NAME.WHAT.txt;
# records WHAT_ms (jcmd's wall time) in RAW/NAME.meta. A failing jcmd is logged, not fatal.
jcmd_to() {
    local name=$1 what=$2 t rc=0
    shift 2
    t=$(now_ns)
    taskset -c "$JCMD_CPU" "$JCMD" "$BARRAGE_PID" "$@" >"$RAW/$name.$what.txt" 2>&1 || rc=$?
    meta "$name" "${what}_ms" $((($(now_ns) - t) / 1000000))
    [ "$rc" -eq 0 ] || log "WARNING: jcmd $BARRAGE_PID $* exited with $rc (see $RAW/$name.$what.txt)"
}

# snapshot NAME: Barrage's memory now: /proc first (before jcmd attaches), then NMT and the heap
snapshot() {
    local name=$1 tasks
    kill -0 "$BARRAGE_PID" 2>/dev/null || die "Barrage (pid $BARRAGE_PID) is gone: see $RAW/service.log"
    meta "$name" at_ms_since_jvm_start $((($(now_ns) - JVM_T0) / 1000000))
    [ -z "${RUN_T0:-}" ] || meta "$name" at_ms_since_post $((($(now_ns) - RUN_T0) / 1000000))
    cp "/proc/$BARRAGE_PID/status" "$RAW/$name.status"
    tasks=(/proc/"$BARRAGE_PID"/task/*)
    meta "$name" threads "${#tasks[@]}"
    cp "/proc/$BARRAGE_PID/smaps_rollup" "$RAW/$name.smaps_rollup"
    cp "/proc/$BARRAGE_PID/smaps" "$RAW/$name.smaps"
    jcmd_to "$name" nmt VM.native_memory summary
    jcmd_to "$name" heap_info GC.heap_info
}

# histogram NAME: the class histogram (HISTOGRAM), the JVM stopped meanwhile
histogram() {
    case $HISTOGRAM in
        all) jcmd_to "$1" histogram GC.class_histogram -all ;;
        live) jcmd_to "$1" histogram GC.class_histogram ;;
    esac
}

# ---------------------------------------------------------------------------------------------
# 1. idle
# ---------------------------------------------------------------------------------------------
log "healthy after ${HEALTHY_MS} ms; ${REST_SECONDS} s of rest, then the idle snapshot"
sleep "$REST_SECONDS"
snapshot idle
jcmd_to idle flags VM.flags
[ "$MODE" = diff ] && jcmd_to idle baseline VM.native_memory baseline
histogram idle
sleep "$PAUSE_SECONDS"

# ---------------------------------------------------------------------------------------------
# 2. the run, VmRSS sampled every 0.25 s
# ---------------------------------------------------------------------------------------------
# sampler T0_US OUT: "ms since T0<TAB>VmRSS kB<TAB>VmHWM kB<TAB>threads" every 0.25 s, while
# TMP/sampling exists (no fork per sample but sleep's)
sampler() {
    local t0=$1 key value _ rss hwm tasks now
    while [ -e "$TMP/sampling" ] && [ -r "/proc/$BARRAGE_PID/status" ]; do
        rss="" hwm=""
        while read -r key value _; do
            case $key in VmRSS:) rss=$value ;; VmHWM:) hwm=$value ;; esac
        done <"/proc/$BARRAGE_PID/status" 2>/dev/null || true
        tasks=(/proc/"$BARRAGE_PID"/task/*)
        now=${EPOCHREALTIME//[.,]/}
        [ -z "$rss" ] || printf '%d\t%s\t%s\t%d\n' $(((now - t0) / 1000)) "$rss" "$hwm" "${#tasks[@]}"
        sleep 0.25
    done
}

closed "memory-$USERS-delay" "$DELAY" "$USERS" "${SECONDS_PER_RUN}s" >"$RAW/run.request.json"
meta run command "curl -s -X POST $URL/tests -H 'Content-Type: application/json' -d '$(cat "$RAW/run.request.json")'"
log "run: closed model, $USERS users, $DELAY, ${SECONDS_PER_RUN} s"
: >"$TMP/sampling"
RUN_T0=$(now_ns)
sampler "${EPOCHREALTIME//[.,]/}" >"$RAW/run.samples.tsv" &
SAMPLER_PID=$!
measure_begin run "$BARRAGE_PID"
code=$("${CURL[@]}" -o "$RAW/run.post.json" -w '%{http_code}' -X POST "$URL/tests" \
    -H 'Content-Type: application/json' --data-binary "@$RAW/run.request.json") || die "POST $URL/tests failed"
[ "$code" = 202 ] || die "POST $URL/tests answered $code, not 202: $(head -c 2000 "$RAW/run.post.json")"
if [[ $(head -c 200 "$RAW/run.post.json") =~ \"id\":\"([^\"]+)\" ]]; then
    ID=${BASH_REMATCH[1]}
else
    die "no id in the POST answer: $(head -c 500 "$RAW/run.post.json")"
fi
meta run id "$ID"

MID_NS=""      # when the mid-run snapshot is due: 2/3 of the duration after RUNNING was first seen
MID_DONE=0
polls=0
while true; do
    sleep 0.5
    "${CURL[@]}" -o "$RAW/run.json" "$URL/tests/$ID" || die "GET $URL/tests/$ID failed"
    status=$(grep -o '"status":"[A-Z]*"' "$RAW/run.json" | head -1 | cut -d'"' -f4)
    case $status in COMPLETED | CANCELLED | FAILED) break ;; esac
    if [ "$status" = RUNNING ] && [ -z "$MID_NS" ]; then
        MID_NS=$(($(now_ns) + SECONDS_PER_RUN * 2000000000 / 3))
        meta run running_seen_ms_since_post $((($(now_ns) - RUN_T0) / 1000000))
    fi
    if [ "$MID_DONE" = 0 ] && [ -n "$MID_NS" ] && [ "$(now_ns)" -ge "$MID_NS" ]; then
        log "  mid-run snapshot"
        snapshot mid
        [ "$MODE" = diff ] && jcmd_to mid diff VM.native_memory summary.diff
        histogram mid
        MID_DONE=1
    fi
    polls=$((polls + 1))
    [ "$polls" -lt $((SECONDS_PER_RUN * 2 + 600)) ] || die "run $ID still $status after $polls polls"
done
measure_end run "$BARRAGE_PID"
snapshot after
stop_sampler
meta run status "$status"
[ "$MID_DONE" = 1 ] || log "WARNING: the run ended before its mid-run snapshot was due: no mid-run figures"
[ "$status" = COMPLETED ] || log "WARNING: the run ended $status"
meta params end_load "$(loadavg)"

# ---------------------------------------------------------------------------------------------
# 3. report: table on stdout, markdown in bench/results/memory-STAMP.md
# ---------------------------------------------------------------------------------------------
rc=0
PYTHONPATH="$HERE" python3 "$HERE/memory_report.py" "$RAW" "$REPORT" || rc=$?
[ "$rc" -eq 0 ] || [ "$rc" -eq 3 ] || die "report failed"
log "wrote $REPORT and $RAW/"
exit "$rc"
