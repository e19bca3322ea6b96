#!/usr/bin/env bash
# How fast can the open model's one dispatcher hand hits to workers? (issue 15, "Past one core")
# The real engine (LoadEngine -> OpenModelRun: the platform dispatcher thread, virtual-thread
# workers, the idle stack, the RunRecorder sampled once a second) with a constant-rate pacer far
# above what it can hold, and a no-op transport: every session answers 200 at once, no socket, no
# sleeping. What the run falls short of the rate is the generator's own ceiling.
#
#   bench/dispatch-handoff.sh                                  # ~10 min: 5 rates x 3 layouts x 3 rounds
#   MAX_CONCURRENCY=10000 bench/dispatch-handoff.sh            # the service's default pool cap
#   RATES="200000 1000000" ROUNDS=1 SECONDS_PER_RUN=3 WARMUP_SECONDS=1 LAYOUTS=one bench/dispatch-handoff.sh  # smoke (~20 s)
#
# What it does:
#   1. compiles bench/harness/DispatchHandoffBench.java against CLASSES (default target/classes of
#      this repo, built with ./mvnw -q compile when missing) and HdrHistogram from ~/.m2;
#   2. per round, per rate of RATES, per layout (the order of the layouts reverses every round),
#      after waiting for a quiet second (QUIET_PCT), one fresh JVM:
#        one:    taskset -c $ONE_CPU  java -Djdk.virtualThreadScheduler.parallelism=1 ... DispatchHandoffBench RATE SECONDS WARMUP MAXC
#        two:    taskset -c $TWO_CPUS java ... DispatchHandoffBench RATE SECONDS WARMUP MAXC        (two carriers)
#        two-p1: taskset -c $TWO_CPUS java -Djdk.virtualThreadScheduler.parallelism=1 ...         (one carrier,
#                the dispatcher alone on the other core)
#      (the JVM's own choices otherwise: on one CPU the Serial collector, on two G1); each JVM
#      runs an uncounted warm-up of WARMUP_SECONDS at the same rate, then the
#      measured run of SECONDS_PER_RUN, and prints one JSON line about it (see the harness:
#      requests, dropped, delayed, connectDelayed, latency from the due time, the timeline's
#      schedulerLagMs, the JVM's CPU, the dispatcher thread's and the carriers' CPU and run-queue
#      wait, the idle time of the CPUs it was pinned to and of the whole machine: what other
#      processes took of them); the report leaves out of its medians the measurements in which other
#      processes took more than 5 % of the machine (on a VM, a busy sibling vCPU slows a pinned one);
#   3. the report, on stdout and in bench/results/dispatch-handoff-<UTC timestamp>.md; the JSON
#      lines and logs go to bench/results/dispatch-handoff-<stamp>-raw/ (ignored by git), from which
#        PYTHONPATH=bench python3 bench/dispatch_handoff_report.py RAW_DIR OUT.md
#      makes the report again.
#
# Environment:
#   RATES            hits per second to ask for (default "100000 200000 500000 1000000 2000000")
#   SECONDS_PER_RUN  the measured run (default 5)     WARMUP_SECONDS  the warm-up run before it (default 5)
#   ROUNDS           rounds (default 3; the report gives medians)
#   MAX_CONCURRENCY  the open model's maxConcurrency (default 1000). Above its ceiling the engine finds no
#                    idle worker and starts new ones until this cap: with the service's default of
#                    10000 the pool is still growing at the end of a 5 s run, every new worker costs
#                    a thread start, and the rate sent falls as the pool grows (on one core ~0.85M/s
#                    with 1000 workers; 0.3-0.6M/s with 10000, lower the longer the run), so the
#                    figure would measure pool growth rather than the hand-off
#   LAYOUTS          some of "one two two-p1" (the default: all three)
#   ONE_CPU          the CPU of the one-core layout (default 1)   TWO_CPUS  the two-core layouts' (default 0,1)
#   JAVA             java 25 (default /usr/lib/jvm/temurin-25-jdk-amd64/bin/java; javac beside it)
#   CLASSES          the build to measure (default target/classes of this repo: ./mvnw -q compile first
#                    when the sources changed since it was built)
#   PAUSE_SECONDS    pause between JVMs (default 1)
#   JVM_FLAGS        extra JVM flags for every layout (default none)
#   QUIET_PCT, QUIET_WAIT  before each JVM, wait up to QUIET_WAIT s (default 60) for a second in which
#                    the machine's CPUs were under QUIET_PCT % busy (default 15; 101 = never wait): a
#                    shared machine's other work would otherwise take the pinned CPUs (the report
#                    gives what it took all the same, as "others' CPU")
#   COMMIT           what to call the build in the report (default: git rev-parse --short HEAD)
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
RESULTS_DIR=$HERE/results
RATES=${RATES:-100000 200000 500000 1000000 2000000}
SECONDS_PER_RUN=${SECONDS_PER_RUN:-5}
WARMUP_SECONDS=${WARMUP_SECONDS:-5}
ROUNDS=${ROUNDS:-3}
MAX_CONCURRENCY=${MAX_CONCURRENCY:-1000}
LAYOUTS=${LAYOUTS:-one two two-p1}
ONE_CPU=${ONE_CPU:-1}
TWO_CPUS=${TWO_CPUS:-0,1}
JAVA=${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
CLASSES=${CLASSES:-$ROOT/target/classes}
PAUSE_SECONDS=${PAUSE_SECONDS:-1}
JVM_FLAGS=${JVM_FLAGS:-}
QUIET_PCT=${QUIET_PCT:-15}
QUIET_WAIT=${QUIET_WAIT:-60}

LOG_TAG=handoff
# shellcheck source=bench/lib.sh
source "$HERE/lib.sh"

for v in SECONDS_PER_RUN ROUNDS MAX_CONCURRENCY; do
    if ! [[ ${!v} =~ ^[0-9]+$ ]] || [ "${!v}" -eq 0 ]; then die "$v must be a positive integer, not '${!v}'"; fi
done
for v in WARMUP_SECONDS PAUSE_SECONDS QUIET_PCT QUIET_WAIT; do
    [[ ${!v} =~ ^[0-9]+$ ]] || die "$v must be a whole number, not '${!v}'"
done
for rate in $RATES; do
    [[ $rate =~ ^[0-9]+$ ]] && [ "$rate" -gt 0 ] || die "RATES must be positive integers, not '$rate'"
done
for layout in $LAYOUTS; do
    case $layout in one | two | two-p1) ;; *) die "LAYOUTS holds some of one, two, two-p1, not '$layout'" ;; esac
done
[ -x "$JAVA" ] || die "no java at $JAVA (set JAVA to a JDK 25+ java binary)"
JAVAC=$(dirname "$JAVA")/javac
[ -x "$JAVAC" ] || die "no javac beside $JAVA (a JDK, not a JRE, is needed)"
command -v taskset >/dev/null || die "needs taskset (util-linux)"
command -v python3 >/dev/null || die "needs python3"
taskset -c "$ONE_CPU" true 2>/dev/null || die "ONE_CPU=$ONE_CPU is not a CPU this machine has"
taskset -c "$TWO_CPUS" true 2>/dev/null || die "TWO_CPUS=$TWO_CPUS are not CPUs this machine has"

if [ ! -f "$CLASSES/dev/barrage/engine/LoadEngine.class" ]; then
    [ "$CLASSES" = "$ROOT/target/classes" ] || die "CLASSES=$CLASSES holds no dev/barrage/engine/LoadEngine.class"
    log "no target/classes: building them (./mvnw -q compile)"
    (cd "$ROOT" && ./mvnw -q compile) || die "./mvnw -q compile failed"
fi
HDR=$(find "$HOME/.m2" -name 'HdrHistogram-2.2.2.jar' 2>/dev/null | head -1)
[ -n "$HDR" ] || die "HdrHistogram 2.2.2 not in ~/.m2: run ./mvnw -q compile once"

STAMP=$(date -u +%Y%m%dT%H%M%SZ)
RAW=$RESULTS_DIR/dispatch-handoff-$STAMP-raw
REPORT=$RESULTS_DIR/dispatch-handoff-$STAMP.md
mkdir -p "$RAW"
TMP=$(mktemp -d)
JVM_PID=""
# shellcheck disable=SC2317
cleanup() { stop "$JVM_PID"; JVM_PID=""; rm -rf "$TMP"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

"$JAVAC" -nowarn -cp "$CLASSES:$HDR" -d "$TMP/harness" "$HERE/harness/DispatchHandoffBench.java" \
    || die "the harness does not compile against $CLASSES"
COMMIT=${COMMIT:-$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo "not a git checkout")}
{
    printf 'stamp\t%s\n' "$STAMP"
    printf 'commit\t%s\n' "$COMMIT"
    printf 'classes\t%s\n' "$CLASSES"
    printf 'java\t%s\n' "$("$JAVA" -version 2>&1 | head -1)"
    printf 'machine\t%s CPUs (%s), %s\n' "$(nproc --all)" "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | xargs)" \
        "$(uname -sr)"
    printf 'params\tRATES=%s SECONDS_PER_RUN=%s WARMUP_SECONDS=%s ROUNDS=%s MAX_CONCURRENCY=%s LAYOUTS=%s ONE_CPU=%s TWO_CPUS=%s JVM_FLAGS=%s\n' \
        "$RATES" "$SECONDS_PER_RUN" "$WARMUP_SECONDS" "$ROUNDS" "$MAX_CONCURRENCY" "$LAYOUTS" "$ONE_CPU" "$TWO_CPUS" "$JVM_FLAGS"
    printf 'load_start\t%s\n' "$(loadavg)"
} >"$RAW/params.meta"

# busy_pct SECONDS: how busy the machine's CPUs were over the next SECONDS, in % of all of them (/proc/stat)
busy_pct() {
    local a b
    a=$(head -1 /proc/stat); sleep "$1"; b=$(head -1 /proc/stat)
    echo "$a $b" | awk '{ busy = ($13+$14+$15+$18+$19+$20) - ($2+$3+$4+$7+$8+$9);
                          all = busy + ($16+$17) - ($5+$6); print (all > 0 ? int(100 * busy / all) : 0) }'
}
# await_quiet NAME: waits up to QUIET_WAIT s for a second with the CPUs under QUIET_PCT % busy; records what it saw
await_quiet() {
    local name=$1 waited=0 pct
    pct=$(busy_pct 1)
    while [ "$pct" -ge "$QUIET_PCT" ] && [ "$waited" -lt "$QUIET_WAIT" ]; do
        ((waited == 0)) && log "the CPUs are $pct % busy (others' work): waiting up to $QUIET_WAIT s for a quieter second"
        pct=$(busy_pct 1)
        waited=$((waited + 1))
    done
    meta "$name" busy_pct_before "$pct"
    meta "$name" quiet_wait_s "$waited"
}

# measure LAYOUT RATE ROUND: one JVM, its JSON line in RAW/LAYOUT-RATE-rROUND.json, the command and loads in .meta
measure() {
    local layout=$1 rate=$2 round=$3 name cpus flags cmd rc=0
    name=$layout-$rate-r$round
    # shellcheck disable=SC2206
    flags=($JVM_FLAGS)
    case $layout in
        one) cpus=$ONE_CPU; flags+=(-Djdk.virtualThreadScheduler.parallelism=1) ;;
        two) cpus=$TWO_CPUS ;;
        two-p1) cpus=$TWO_CPUS; flags+=(-Djdk.virtualThreadScheduler.parallelism=1) ;;
    esac
    cmd=(taskset -c "$cpus" "$JAVA" "${flags[@]}" -cp "$TMP/harness:$CLASSES:$HDR" DispatchHandoffBench
         "$rate" "$SECONDS_PER_RUN" "$WARMUP_SECONDS" "$MAX_CONCURRENCY")
    meta "$name" command "${cmd[*]//$TMP\/harness/<harness>}"
    meta "$name" load_before "$(loadavg)"
    "${cmd[@]}" >"$RAW/$name.json" 2>"$RAW/$name.err" &
    JVM_PID=$!
    wait "$JVM_PID" || rc=$?
    JVM_PID=""
    meta "$name" load_after "$(loadavg)"
    meta "$name" exit_code "$rc"
    [ "$rc" -eq 0 ] || die "$name: the harness exited with $rc: $(tail -5 "$RAW/$name.err")"
    log "$name: $(python3 -c 'import json, sys; r = json.load(sys.stdin); print("{:,.0f}/s sent, {:,} dropped, JVM CPU {:,.0f} ms, other processes {:,.0f} ms".format(r["achievedPerSecond"], r["dropped"], r["processCpuMs"], r["machineWallMs"] - r["machineIdleMs"] - r["processCpuMs"]))' <"$RAW/$name.json")"
}

read -r -a LAYOUT_LIST <<<"$LAYOUTS"
log "rates: $RATES; layouts: $LAYOUTS; $ROUNDS round(s) of ${WARMUP_SECONDS} s warm-up + ${SECONDS_PER_RUN} s"
for ((round = 1; round <= ROUNDS; round++)); do
    order=()
    for layout in "${LAYOUT_LIST[@]}"; do
        if ((round % 2)); then order+=("$layout"); else order=("$layout" "${order[@]}"); fi
    done
    for rate in $RATES; do
        for layout in "${order[@]}"; do
            sleep "$PAUSE_SECONDS"
            await_quiet "$layout-$rate-r$round"
            measure "$layout" "$rate" "$round"
        done
    done
done
printf 'load_end\t%s\n' "$(loadavg)" >>"$RAW/params.meta"

PYTHONPATH=$HERE python3 "$HERE/dispatch_handoff_report.py" "$RAW" "$REPORT"
log "report: $REPORT (raw: $RAW)"
