#!/usr/bin/env bash
# How long until Barrage answers UP, on one pinned core, by the way it is launched (issue 15: "time
# to healthy ≤ 6 s on one pinned core"). Compares, in interleaved rounds on one machine:
#   jar        java $FLAGS -jar barrage.jar                          (the fat jar as built)
#   extracted  java $FLAGS -jar app/barrage.jar                      (java -Djarmode=tools ... extract)
#   aot        java -XX:AOTCache=app/barrage.aot $FLAGS -jar app/barrage.jar
#   aot-warm   java -XX:AOTCache=app/barrage-warm.aot $FLAGS -jar app/barrage.jar
#   aot-c1     java -XX:AOTCache=app/barrage.aot -XX:TieredStopAtLevel=1 $FLAGS -jar app/barrage.jar
#              (what the JIT's C2 costs start-up; not a way to run: C1 alone is slower under load)
#   aot-spring java -XX:AOTCache=app/barrage-spring.aot -Dspring.aot.enabled=true $FLAGS -jar app/barrage.jar
#              (Spring's build-time processing too: the bean definitions the build wrote as code)
#   aot-spring-warm  the same with a cache trained through the warm-up: the Dockerfile's start up
#              to issue 15's ninth step (the build's jar holds the generated bean definitions: see pom.xml)
#   x-NAME     aot-spring-warm plus the JVM flags in the variable X_NAME, for trying flags against it
#              in the same rounds (the training run is aot-spring-warm's, without them). The
#              Dockerfile's start since the ninth step, which adds the JIT factor after its training:
#              X_cts10=-XX:CompileThresholdScaling=10 VARIANTS="aot-spring-warm x-cts10" bench/startup.sh
# The AOT caches come from training runs made here first: "aot" from one that stops once the
# context is refreshed, as Spring Boot documents it,
#   java -XX:AOTCacheOutput=app/barrage.aot -Dspring.context.exit=onRefresh -jar app/barrage.jar
# and "aot-warm" from one that goes through the start-up warm-up (as the Dockerfile makes its cache),
#   docker/aot-training.sh app/barrage-warm.aot app/barrage.jar
# "aot-spring" and "aot-spring-warm" are trained the same two ways with -Dspring.aot.enabled=true
# (their times and the caches' sizes are in the report).
#
#   bench/startup.sh                                  # the newest target/barrage-*.jar, 5 rounds
#   JAR=/path/barrage.jar ROUNDS=7 VARIANTS="jar aot" bench/startup.sh
#   BARRAGE_JVM_FLAGS='-XX:TieredStopAtLevel=1' bench/startup.sh
#
# "healthy" is the time from the fork of java to the first GET /actuator/health/liveness that answers
# {"status":"UP"} (polled every 20 ms): the API answers. "ready" is the time to the first
# GET /actuator/health/readiness that answers UP (polled every 100 ms after that): the start-up
# warm-up (barrage.warmup) has ended; runs submitted before wait QUEUED. bench/first-run.sh
# measures what the warm-up does for the first run. "started" and "JVM" are Spring's own "Started ... in X
# seconds (process running for Y)". RSS is VmRSS at that moment. "CPU at healthy" is where the
# JVM's CPU went by then: every thread's run time (/proc/PID/task/*/schedstat), grouped by thread
# name ("java" is the launcher's main thread, which starts Spring; "C1"/"C2 CompilerThre" are the
# JIT's). Every JVM is pinned to CPU
# GEN_CPU (1) with taskset, nothing else runs in the script meanwhile; the machine's other work
# still counts, so compare the variants of one run (their medians), not runs of different days.
# The report goes to stdout and bench/results/startup-<UTC timestamp>.md; the logs of every start
# to bench/results/startup-<stamp>-raw/ (ignored by git).
#
# Environment: JAR, ROUNDS (5), CPUS (the CPU list for taskset, default 1; "0,1" for two cores), VARIANTS ("jar extracted aot"), BARRAGE_JVM_FLAGS (none),
# JAVA (/usr/lib/jvm/temurin-25-jdk-amd64/bin/java), KEEP_TMP=1 keeps the extracted application.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
LOG_TAG=startup
# shellcheck source=bench/lib.sh
source "$HERE/lib.sh"

JAVA=${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
ROUNDS=${ROUNDS:-5}
CPUS=${CPUS:-$GEN_CPU}
VARIANTS=${VARIANTS:-jar extracted aot aot-warm}
BARRAGE_JVM_FLAGS=${BARRAGE_JVM_FLAGS:-}
JAR=${JAR:-$(ls -t "$ROOT"/target/barrage-*.jar 2>/dev/null | grep -v -- '-plain' | head -1 || true)}
[ -n "$JAR" ] && [ -f "$JAR" ] || die "no jar: build one (./mvnw -q package -DskipTests) or set JAR"
[ -x "$JAVA" ] || die "no java at $JAVA"
command -v curl >/dev/null || die "curl is needed"
command -v taskset >/dev/null || die "taskset (util-linux) is needed"

STAMP=$(date -u +%Y%m%dT%H%M%SZ)
RAW=$HERE/results/startup-$STAMP-raw
REPORT=$HERE/results/startup-$STAMP.md
mkdir -p "$RAW"
TMP=$(mktemp -d /tmp/barrage-startup.XXXXXX)
PID=""
cleanup() { stop "$PID"; [ "${KEEP_TMP:-0}" = 1 ] || rm -rf "$TMP"; }
trap cleanup EXIT INT TERM

cp "$JAR" "$TMP/barrage.jar"
log "extracting $JAR"
"$JAVA" -Djarmode=tools -jar "$TMP/barrage.jar" extract --destination "$TMP/app" >"$RAW/extract.log" 2>&1
APP_JAR=$TMP/app/barrage.jar # extract names it after the jar it was given
[ -f "$APP_JAR" ] || die "extract made no $APP_JAR: $RAW/extract.log"

wants() { [[ " $VARIANTS " == *" $1 "* ]]; }
# x_flags VARIANT: the JVM flags of an x-NAME variant, from the variable X_NAME
x_flags() {
    local var="X_${1#x-}"
    [[ $var =~ ^X_[A-Za-z0-9_]+$ ]] && [ -n "${!var:-}" ] || die "variant $1 needs its JVM flags in $var"
    echo "${!var}"
}
for variant in $VARIANTS; do
    [[ $variant != x-* ]] || x_flags "$variant" >/dev/null
done
TRAINED=() # report lines, one per training run
# train CACHE HOW [JVM FLAG...]: makes TMP/app/CACHE by a training run, HOW "refresh" (stopped
# once the context is refreshed) or "warm-up" (docker/aot-training.sh, through the warm-up)
train() {
    local cache=$1 how=$2 t0 mb
    shift 2
    log "AOT cache training run for $cache ($how${*:+, $*})"
    t0=$(now_ns)
    if [ "$how" = refresh ]; then
        # shellcheck disable=SC2086 # the flags are words
        taskset -c "$CPUS" "$JAVA" -XX:AOTCacheOutput="$TMP/app/$cache" "$@" $BARRAGE_JVM_FLAGS \
            -Dspring.context.exit=onRefresh -jar "$APP_JAR" --server.port=0 >"$RAW/training-$cache.log" 2>&1 \
            || die "the training run failed: $RAW/training-$cache.log"
    else
        # shellcheck disable=SC2086 # the flags are words
        JAVA=$JAVA taskset -c "$CPUS" sh "$ROOT/docker/aot-training.sh" "$TMP/app/$cache" "$APP_JAR" \
            "$@" $BARRAGE_JVM_FLAGS >"$RAW/training-$cache.log" 2>&1 || die "the training run failed: $RAW/training-$cache.log"
    fi
    mb=$(awk -v b="$(stat -c %s "$TMP/app/$cache")" 'BEGIN { printf "%.0f", b / 1048576 }')
    [ "$how" = refresh ] && how="the context's refresh" || how="the end of the warm-up"
    TRAINED+=("AOT cache $cache, trained to $how${*:+ with $*}: $(( ($(now_ns) - t0) / 1000000 )) ms, $mb MB.")
}
if wants aot || wants aot-c1; then train barrage.aot refresh; fi
if wants aot-warm; then train barrage-warm.aot warm-up; fi
if wants aot-spring; then train barrage-spring.aot refresh -Dspring.aot.enabled=true; fi
if wants aot-spring-warm || [[ " $VARIANTS" == *" x-"* ]]; then train barrage-spring-warm.aot warm-up -Dspring.aot.enabled=true; fi

# thread_cpu PID OUT: "name<TAB>run ns" for every thread of the JVM, numbers in names (but the
# compilers' C1 and C2) folded to #
thread_cpu() {
    local task comm run
    for task in /proc/"$1"/task/*; do
        read -r comm <"$task/comm" 2>/dev/null || continue # the thread has ended
        run=$(cut -d' ' -f1 "$task/schedstat" 2>/dev/null) || continue
        [[ $comm == C[12]\ * ]] || comm=${comm//[0-9]/#}
        printf '%s\t%s\n' "$comm" "$run"
    done >"$2"
}

# start_one VARIANT ROUND: one start, up to ready; appends
# "variant round healthy_ms started_s jvm_s rss_mb ready_ms"
start_one() {
    local variant=$1 round=$2 port log cmd t0 t1 t2 rss started jvm
    port=$(free_port)
    log=$RAW/$variant-$round.log
    case $variant in
        jar) cmd=("$JAVA") ;;
        extracted) cmd=("$JAVA") ;;
        aot) cmd=("$JAVA" -XX:AOTCache="$TMP/app/barrage.aot") ;;
        aot-warm) cmd=("$JAVA" -XX:AOTCache="$TMP/app/barrage-warm.aot") ;;
        aot-c1) cmd=("$JAVA" -XX:AOTCache="$TMP/app/barrage.aot" -XX:TieredStopAtLevel=1) ;;
        aot-spring) cmd=("$JAVA" -XX:AOTCache="$TMP/app/barrage-spring.aot" -Dspring.aot.enabled=true) ;;
        aot-spring-warm) cmd=("$JAVA" -XX:AOTCache="$TMP/app/barrage-spring-warm.aot" -Dspring.aot.enabled=true) ;;
        x-*) # shellcheck disable=SC2206 # the flags are words
            cmd=("$JAVA" -XX:AOTCache="$TMP/app/barrage-spring-warm.aot" -Dspring.aot.enabled=true $(x_flags "$variant")) ;;
        *) die "unknown variant $variant" ;;
    esac
    # shellcheck disable=SC2206 # the flags are words
    cmd+=($BARRAGE_JVM_FLAGS -jar)
    [ "$variant" = jar ] && cmd+=("$TMP/barrage.jar") || cmd+=("$APP_JAR")
    cmd+=(--server.port="$port" --server.address=127.0.0.1)
    echo "${cmd[*]}" >"$RAW/$variant.cmd"
    t0=$(now_ns)
    taskset -c "$CPUS" "${cmd[@]}" >"$log" 2>&1 &
    PID=$!
    await_up "http://127.0.0.1:$port/actuator/health/liveness" "$PID" "$t0" 120 0.02 "$variant (liveness)" "$log"
    t1=$(now_ns)
    thread_cpu "$PID" "$RAW/$variant-$round.threads"
    rss=$(awk '/^VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$PID/status")
    await_up "http://127.0.0.1:$port/actuator/health/readiness" "$PID" "$t0" 180 0.1 "$variant (readiness)" "$log"
    t2=$(now_ns)
    stop "$PID"; PID=""
    started=$(sed -n 's/.*Started .* in \([0-9.]*\) seconds.*/\1/p' "$log" | head -1)
    jvm=$(sed -n 's/.*process running for \([0-9.]*\)).*/\1/p' "$log" | head -1)
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$variant" "$round" "$(( (t1 - t0) / 1000000 ))" "${started:--}" "${jvm:--}" \
        "$rss" "$(( (t2 - t0) / 1000000 ))" \
        | tee -a "$RAW/starts.tsv" >&2
}

log "$ROUNDS rounds of: $VARIANTS (pinned to CPU(s) $CPUS; load $(loadavg))"
LOAD_BEFORE=$(loadavg)
for round in $(seq "$ROUNDS"); do
    for variant in $VARIANTS; do
        start_one "$variant" "$round"
    done
done
LOAD_AFTER=$(loadavg)

{
    echo "# Barrage time to healthy $STAMP"
    echo
    echo "Each JVM pinned to CPU(s) $CPUS, $ROUNDS interleaved rounds, made by \`bench/startup.sh\`."
    echo "JVM flags given: \`${BARRAGE_JVM_FLAGS:-none}\`; jar \`$(basename "$JAR")\`"
    echo "(sha256 \`$(sha256sum "$JAR" | cut -c1-16)\`, repo HEAD $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '-'))."
    echo "Load average before $LOAD_BEFORE, after $LOAD_AFTER."
    for line in "${TRAINED[@]}"; do echo "$line"; done
    echo
    echo "| variant | healthy ms, median (min–max) | Spring \"started\" s, median | JVM uptime at started s, median | RSS at healthy MB, median | healthy / jar | ready ms, median (min–max) | ready / jar |"
    echo "|---|--:|--:|--:|--:|--:|--:|--:|"
    python3 - "$RAW/starts.tsv" "$VARIANTS" <<'EOF'
import statistics, sys
rows = [line.rstrip("\n").split("\t") for line in open(sys.argv[1]) if line.strip()]
order = sys.argv[2].split()
def med(values):
    values = [float(v) for v in values if v != "-"]
    return statistics.median(values) if values else float("nan")
jar = med([r[2] for r in rows if r[0] == "jar"]) if any(r[0] == "jar" for r in rows) else None
jar_ready = med([r[6] for r in rows if r[0] == "jar"]) if any(r[0] == "jar" for r in rows) else None
for variant in order:
    mine = [r for r in rows if r[0] == variant]
    healthy = [int(r[2]) for r in mine]
    m = med(healthy)
    ratio = f"{m / jar:.2f}" if jar else "-"
    ready = [int(r[6]) for r in mine]
    ready_ratio = f"{med(ready) / jar_ready:.2f}" if jar_ready else "-"
    print(f"| {variant} | {m:,.0f} ({min(healthy):,}–{max(healthy):,}) | {med([r[3] for r in mine]):.2f} | "
          f"{med([r[4] for r in mine]):.2f} | {med([r[5] for r in mine]):.0f} | {ratio} | "
          f"{med(ready):,.0f} ({min(ready):,}–{max(ready):,}) | {ready_ratio} |")
EOF
    echo
    echo "CPU at healthy, by thread (ms, median over the rounds; threads under 50 ms summed as \"other\"):"
    echo
    python3 - "$RAW" "$VARIANTS" <<'EOF'
import collections, glob, os, statistics, sys
raw, order = sys.argv[1], sys.argv[2].split()
per_variant = {}
for variant in order:
    starts = []
    for path in sorted(glob.glob(os.path.join(raw, f"{variant}-*.threads"))):
        by_name = collections.Counter()
        for line in open(path):
            name, run_ns = line.rstrip("\n").split("\t")
            by_name[name] += int(run_ns) / 1e6
        starts.append(by_name)
    per_variant[variant] = starts
names = collections.Counter()
for starts in per_variant.values():
    for by_name in starts:
        names.update(by_name)
shown = [n for n, _ in names.most_common() if max(
    (statistics.median([s.get(n, 0) for s in starts]) for starts in per_variant.values() if starts), default=0) >= 50]
print("| variant | all threads | " + " | ".join(shown) + " | other |")
print("|---|--:|" + "--:|" * (len(shown) + 1))
for variant, starts in per_variant.items():
    if not starts:
        continue
    cells = [statistics.median([sum(s.values()) for s in starts])]
    cells += [statistics.median([s.get(n, 0) for s in starts]) for n in shown]
    cells.append(statistics.median([sum(v for k, v in s.items() if k not in shown) for s in starts]))
    print(f"| {variant} | " + " | ".join(f"{c:,.0f}" for c in cells) + " |")
EOF
    echo
    echo "Commands (port and paths vary):"
    echo
    for variant in $VARIANTS; do echo "- $variant: \`$(sed "s|$TMP|<tmp>|g" "$RAW/$variant.cmd")\`"; done
} | tee "$REPORT"
log "report: $REPORT"
