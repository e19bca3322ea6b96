#!/usr/bin/env bash
# Where a run's CPU goes (issue 15: CPU per request against wrk's). Starts Barrage pinned to one core
# (GEN_CPU) with the README's flags and nginx on the other (TARGET_CPU), waits until it is ready,
# runs one uncounted warm run of the same shape, then records the measured run with JDK 25's
# CPU-time sampler (JFR's jdk.CPUTimeSample: a sample for every THROTTLE of CPU a thread uses, Java
# and native frames, kernel time included), and reports by thread, by frame and by the engine's
# own methods. Compare two builds by running it once for each on the same hour.
#
#   bench/profile.sh                                   # closed, 100 users, /fast, 10 s
#   SHAPE=open RATE=20000 bench/profile.sh             # open model, 20,000/s on /fast
#   SHAPE=closed USERS=10000 ENDPOINT=delay bench/profile.sh
#   JAR=/tmp/other.jar THROTTLE=2ms bench/profile.sh
#
# The report goes to stdout and bench/results/profile-<UTC stamp>.md; the recording (.jfr) and the
# run's JSON to bench/results/profile-<stamp>-raw/ (ignored by git). The sampler counts CPU time,
# not wall time: a thread waiting in epoll or parked shows nothing, a thread in a syscall shows the
# syscall's kernel time under the native frame that made it.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
LOG_TAG=profile
# shellcheck source=bench/lib.sh
source "$HERE/lib.sh"

JAVA=${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
JCMD=$(dirname "$JAVA")/jcmd
JFR=$(dirname "$JAVA")/jfr
SHAPE=${SHAPE:-closed}
USERS=${USERS:-100}
RATE=${RATE:-20000}
ENDPOINT=${ENDPOINT:-fast}
SECONDS_PER_RUN=${SECONDS_PER_RUN:-10}
THROTTLE=${THROTTLE:-1ms}
BARRAGE_JVM_FLAGS=${BARRAGE_JVM_FLAGS:--Xms32m -XX:NewRatio=4 -XX:TrimNativeHeapInterval=1000 -XX:CompileThresholdScaling=10}
JAR=${JAR:-$ROOT/target/barrage-0.1.0-SNAPSHOT.jar}
[ -f "$JAR" ] || die "no jar at $JAR: build one (./mvnw -q -B package -Dmaven.test.skip=true) or set JAR"
case $SHAPE in closed | open) ;; *) die "SHAPE takes closed or open, not '$SHAPE'" ;; esac
case $ENDPOINT in fast | delay) ;; *) die "ENDPOINT takes fast or delay, not '$ENDPOINT'" ;; esac
for v in USERS RATE SECONDS_PER_RUN; do
    [[ ${!v} =~ ^[0-9]+$ ]] && [ "${!v}" -gt 0 ] || die "$v must be a positive integer, not '${!v}'"
done

missing=()
find_echo_module >/dev/null || missing+=(libnginx-mod-http-echo)
ensure_tools nginx "${missing[@]}"
raise_nofile
CURL=(curl -s --noproxy '*' --max-time 5)
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
RAW=$HERE/results/profile-$STAMP-raw
REPORT=$HERE/results/profile-$STAMP.md
mkdir -p "$RAW"
TMP=$(mktemp -d /tmp/barrage-profile.XXXXXX)
PID=""
cleanup() { stop "$PID"; stop_nginx; rm -rf "$TMP"; }
trap cleanup EXIT INT TERM

ECHO_MODULE=$(find_echo_module) || die "ngx_http_echo_module.so not found"
start_nginx "$ECHO_MODULE" 'location = /fast { return 200 "ok"; }' 'location = /delay { echo_sleep 0.01; echo ok; }'
URL=http://127.0.0.1:$NGINX_PORT/$ENDPOINT

# Debug information at every instruction, not only at safepoints: without it a sample taken between
# safepoints is charged to the nearest one, often in another inlined method. It changes no code.
BARRAGE_JVM_FLAGS="$BARRAGE_JVM_FLAGS -XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints"
cp "$JAR" "$TMP/barrage.jar"
PORT=$(free_port)
BASE=http://127.0.0.1:$PORT
barrage_start "$TMP/barrage.jar" "$PORT" "$RAW/barrage.log" --server.address=127.0.0.1
PID=$!
await_up "$BASE/actuator/health/readiness" "$PID" "$(now_ns)" 180 0.5 "Barrage (readiness)" "$RAW/barrage.log"

definition() { # NAME DURATION
    if [ "$SHAPE" = open ]; then open_ "$1" "$URL" "$RATE" "$2"; else closed "$1" "$URL" "$USERS" "$2"; fi
}
# run_test NAME DURATION: POSTs the test and waits for its end; the run's JSON goes to RAW/NAME.json
run_test() {
    local name=$1 id status
    id=$("${CURL[@]}" -H 'Content-Type: application/json' -d "$(definition "$name" "$2")" "$BASE/tests" \
        | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])') || die "POST /tests failed"
    while true; do
        sleep 0.5
        taskset -c "$TARGET_CPU" "${CURL[@]}" -o "$RAW/$name.json" "$BASE/tests/$id" || true
        status=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1])).get("status",""))' "$RAW/$name.json" 2>/dev/null || true)
        case $status in COMPLETED | CANCELLED | FAILED) return ;; esac
        kill -0 "$PID" 2>/dev/null || die "Barrage ended during $name"
    done
}

log "warm run: $SHAPE on $URL"
run_test warm 5s
sleep 2
# no event but the sampler's: JFR's socket events, for one, would add their own checks to every read and write
cat >"$TMP/cpu-time.jfc" <<JFC
<?xml version="1.0" encoding="UTF-8"?>
<configuration version="2.0" label="CPU time only">
  <event name="jdk.CPUTimeSample">
    <setting name="enabled">true</setting>
    <setting name="throttle">$THROTTLE</setting>
    <setting name="stackTrace">true</setting>
  </event>
  <event name="jdk.CPUTimeSamplesLost">
    <setting name="enabled">true</setting>
  </event>
</configuration>
JFC
"$JCMD" "$PID" JFR.start name=profile settings="$TMP/cpu-time.jfc" filename="$RAW/run.jfr" >"$RAW/jfr-start.txt"
CPU_BEFORE=$(proc_cpu_ms "$PID")
log "measured run: $SHAPE on $URL for ${SECONDS_PER_RUN}s, sampling every $THROTTLE of CPU"
run_test measured "${SECONDS_PER_RUN}s"
CPU_AFTER=$(proc_cpu_ms "$PID")
"$JCMD" "$PID" JFR.stop name=profile >"$RAW/jfr-stop.txt"
stop "$PID"; PID=""

"$JFR" print --json --events jdk.CPUTimeSample,jdk.CPUTimeSamplesLost "$RAW/run.jfr" >"$TMP/samples.json"
taskset -c "$TARGET_CPU" python3 "$HERE/profile_report.py" "$TMP/samples.json" "$RAW/measured.json" \
    "$((CPU_AFTER - CPU_BEFORE))" "$(barrage_cmd barrage.jar "$PORT" --server.address=127.0.0.1)" \
    "$(definition measured "${SECONDS_PER_RUN}s")" \
    "jar $(basename "$JAR") (sha256 $(sha256sum "$JAR" | cut -c1-16), repo HEAD $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown))" \
    "$THROTTLE" | tee "$REPORT"
log "report: $REPORT; recording: $RAW/run.jfr"
