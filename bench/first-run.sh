#!/usr/bin/env bash
# The first run after start-up (issue 15: "on a freshly started service, the first open-model run at
# 20,000/s on the immediate endpoint keeps every second's schedulerLagMs <= 20 ms and gives no lag
# warning"). Each round starts a fresh Barrage pinned to one core, waits only until it answers
# (/actuator/health/liveness UP), and submits at once what a user would try first:
#   POST /tests {"name":"first-run","request":{"url":"http://127.0.0.1:<nginx>/fast"},
#                "workload":{"model":"open","rate":$RATE,"duration":"${SECONDS_PER_RUN}s"}}
# then polls it until it ends. Variants, interleaved round by round:
#   warm   the default: the start-up warm-up runs, the run waits QUEUED until it ends
#   cold   --barrage.warmup.enabled=false: the run starts on a JVM still compiling
#   ready  the warm-up runs and the run is submitted only once readiness is UP, as a user who waits
#          for the service does: its POST is the service's first, answered beside the run's start
#
#   bench/first-run.sh                                   # newest target/barrage-*.jar, 3 rounds
#   JAR=/path/barrage.jar ROUNDS=5 RATE=20000 bench/first-run.sh
#   VARIANTS=warm CPUS=0,1 bench/first-run.sh            # two cores for Barrage (nginx shares CPU 0)
#
# Per round: ms from the fork of java to liveness UP and to readiness UP (polled every 50 ms), the
# run's wait in the queue (startedAt - createdAt), requests sent and dropped, every second's
# schedulerLagMs from the timeline (its largest, and how many seconds exceed LAG_LIMIT_MS, 20),
# p99 latency, the warnings, and the warm-up's own log line; and for every second of the run, what
# Barrage's core did beside the run (bench/cpu_sampler.py, every 0.1 s): Barrage's own CPU ms, other
# processes' ms on that core, and steal (the hypervisor running another machine on it), so that a
# lagging second can be told apart from a machine that was busy elsewhere. nginx (one worker,
# `return 200`) is pinned to CPU 0 (TARGET_CPU), Barrage to CPUS (default 1); everything on 127.0.0.1.
# The report goes to stdout and bench/results/first-run-<UTC timestamp>.md; the raw answers and logs
# to bench/results/first-run-<stamp>-raw/ (ignored by git).
#
# With TRAPS=1 each JVM also logs its deoptimizations (-Xlog:deoptimization=debug), and the report
# lists the compiled code thrown away during the run ("uncommon traps": a branch the optimising
# compiler left out because the warm-up never took it), by method. With COMPILES=1 each JVM logs the
# compilations it begins (-Xlog:jit+compilation=debug), and the report counts those begun during the
# run, per second and tier, and names the methods C2 took up in the run's first 3 seconds: what the
# warm-up left for the run to compile. With PAUSES=1 each JVM logs its safepoints (-Xlog:safepoint),
# and the report lists those during the run that held the Java threads for more than 1 ms: the
# collections, among others, whose pauses show in the lag of the second they fall in.
#
# Environment: JAR, ROUNDS (3), RATE (20000), SECONDS_PER_RUN (10), VARIANTS ("warm cold"), CPUS (1),
# LAG_LIMIT_MS (20), BARRAGE_JVM_FLAGS (none), TRAPS (0), COMPILES (0), PAUSES (0), JAVA (/usr/lib/jvm/temurin-25-jdk-amd64/bin/java).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
LOG_TAG=first-run
# shellcheck source=bench/lib.sh
source "$HERE/lib.sh"

JAVA=${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
ROUNDS=${ROUNDS:-3}
RATE=${RATE:-20000}
SECONDS_PER_RUN=${SECONDS_PER_RUN:-10}
VARIANTS=${VARIANTS:-warm cold}
CPUS=${CPUS:-$GEN_CPU}
LAG_LIMIT_MS=${LAG_LIMIT_MS:-20}
TRAPS=${TRAPS:-0}
COMPILES=${COMPILES:-0}
PAUSES=${PAUSES:-0}
BARRAGE_JVM_FLAGS=${BARRAGE_JVM_FLAGS:-}
JAR=${JAR:-$(ls -t "$ROOT"/target/barrage-*.jar 2>/dev/null | grep -v -- '-plain' | head -1 || true)}
[ -n "$JAR" ] && [ -f "$JAR" ] || die "no jar: build one (./mvnw -q package -DskipTests) or set JAR"
[ -x "$JAVA" ] || die "no java at $JAVA"
for v in ROUNDS RATE SECONDS_PER_RUN LAG_LIMIT_MS; do
    [[ ${!v} =~ ^[0-9]+$ ]] && [ "${!v}" -gt 0 ] || die "$v must be a positive integer, not '${!v}'"
done
for variant in $VARIANTS; do
    case $variant in warm | cold | ready) ;; *) die "VARIANTS takes warm, cold and ready, not '$variant'" ;; esac
done

ensure_tools nginx
raise_nofile
CURL=(curl -s --noproxy '*' --max-time 2)
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
RAW=$HERE/results/first-run-$STAMP-raw
REPORT=$HERE/results/first-run-$STAMP.md
mkdir -p "$RAW"
TMP=$(mktemp -d /tmp/barrage-first-run.XXXXXX)
PID=""
SAMPLER=""
cleanup() { stop "$PID"; [ -z "$SAMPLER" ] || kill "$SAMPLER" 2>/dev/null || true; stop_nginx; rm -rf "$TMP"; }
trap cleanup EXIT INT TERM

cp "$JAR" "$TMP/barrage.jar"
start_nginx "" 'location = /fast { return 200 "ok"; }'
FAST=http://127.0.0.1:$NGINX_PORT/fast

# one_round VARIANT ROUND
one_round() {
    local variant=$1 round=$2 port name out t0 live ready id status args=()
    name=$variant-$round
    out=$RAW/$name.log
    port=$(free_port)
    [ "$variant" = cold ] && args+=(--barrage.warmup.enabled=false)
    local jvm_logs=()
    [ "$TRAPS" = 1 ] && jvm_logs=("-Xlog:deoptimization=debug:file=$RAW/$name.traps.log:time")
    [ "$COMPILES" = 1 ] && jvm_logs+=("-Xlog:jit+compilation=debug:file=$RAW/$name.jit.log:time")
    [ "$PAUSES" = 1 ] && jvm_logs+=("-Xlog:safepoint=info:file=$RAW/$name.safepoints.log:time")
    # shellcheck disable=SC2206 # the flags are words
    local cmd=("$JAVA" $BARRAGE_JVM_FLAGS "${jvm_logs[@]}" -jar "$TMP/barrage.jar" --server.port="$port" --server.address=127.0.0.1
        --barrage.targets.allow=127.0.0.0/8 "${args[@]}")
    echo "taskset -c $CPUS ${cmd[*]}" >"$RAW/$variant.cmd"
    t0=$(now_ns)
    taskset -c "$CPUS" "${cmd[@]}" >"$out" 2>&1 &
    PID=$!
    await_up "http://127.0.0.1:$port/actuator/health/liveness" "$PID" "$t0" 180 0.05 "$name (liveness)" "$out"
    live=$(( ($(now_ns) - t0) / 1000000 ))
    # from liveness on, so that the report has samples from before the run's start in every variant
    taskset -c "$TARGET_CPU" python3 "$HERE/cpu_sampler.py" "$PID" "$CPUS" "$RAW/$name.cpu.jsonl" 0.1 &
    SAMPLER=$!
    await_ready() {
        await_up "http://127.0.0.1:$port/actuator/health/readiness" "$PID" "$t0" 180 0.05 "$name (readiness)" "$out"
        ready=$(( ($(now_ns) - t0) / 1000000 ))
    }
    [ "$variant" != ready ] || await_ready
    "${CURL[@]}" -o "$RAW/$name.post.json" -w '%{http_code}' -H 'Content-Type: application/json' \
        -d "$(open_ first-run "$FAST" "$RATE" "${SECONDS_PER_RUN}s")" "http://127.0.0.1:$port/tests" >"$RAW/$name.post.code"
    [ "$(cat "$RAW/$name.post.code")" = 202 ] || die "POST /tests answered $(cat "$RAW/$name.post.code"): $RAW/$name.post.json"
    id=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["id"])' "$RAW/$name.post.json")
    [ "$variant" = ready ] || await_ready
    while true; do # the harness's own processes run on the target's core, never on Barrage's
        taskset -c "$TARGET_CPU" "${CURL[@]}" -o "$RAW/$name.run.json" "http://127.0.0.1:$port/tests/$id" || true
        status=$(taskset -c "$TARGET_CPU" python3 -c 'import json,sys; print(json.load(open(sys.argv[1])).get("status",""))' "$RAW/$name.run.json" 2>/dev/null || echo "")
        case $status in COMPLETED | CANCELLED | FAILED) break ;; esac
        kill -0 "$PID" 2>/dev/null || die "Barrage ended during the run: $out"
        sleep 0.5
    done
    "${CURL[@]}" -o "$RAW/$name.timeline.json" "http://127.0.0.1:$port/tests/$id/timeline" || true
    stop "$PID"; PID=""
    wait "$SAMPLER" 2>/dev/null || true; SAMPLER=""
    printf '%s\t%s\t%s\t%s\t%s\n' "$variant" "$round" "$live" "$ready" "$name" >>"$RAW/rounds.tsv"
    log "$name: liveness ${live} ms, readiness ${ready} ms, run $status"
}

log "$ROUNDS rounds of: $VARIANTS; open model $RATE/s for ${SECONDS_PER_RUN}s on $FAST; Barrage on CPU(s) $CPUS"
LOAD_BEFORE=$(loadavg)
for round in $(seq "$ROUNDS"); do
    for variant in $VARIANTS; do
        one_round "$variant" "$round"
    done
done
LOAD_AFTER=$(loadavg)

{
    echo "# Barrage: the first run after start-up $STAMP"
    echo
    echo "A fresh JVM per round, pinned to CPU(s) $CPUS, nginx \`return 200\` on CPU $TARGET_CPU; the run is submitted as"
    echo "soon as liveness is UP (\`ready\`: once readiness is UP): open model, $RATE/s for ${SECONDS_PER_RUN} s. Made by \`bench/first-run.sh\`,"
    echo "$ROUNDS interleaved rounds. JVM flags given: \`${BARRAGE_JVM_FLAGS:-none}\`; jar \`$(basename "$JAR")\`"
    echo "(sha256 \`$(sha256sum "$JAR" | cut -c1-16)\`, repo HEAD $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '-'))."
    echo "Load average before $LOAD_BEFORE, after $LOAD_AFTER."
    echo
    PYTHONPATH=$HERE python3 "$HERE/first_run_report.py" "$RAW" "$LAG_LIMIT_MS"
} | tee "$REPORT"
log "wrote $REPORT and $RAW/"
