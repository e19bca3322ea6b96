#!/usr/bin/env bash
# Which of Barrage's threads wake during a run, and what each costs (issue 15: "count the platform
# threads that wake during a run (dispatcher, deadline sweeper, aggregation lane, pollers, Tomcat,
# JIT, GC) and what each costs").
#
#   bench/threads.sh                                        # the newest target/barrage-*.jar
#   JAR=/path/barrage.jar USERS=10000 URL_PATH=/delay bench/threads.sh
#   JAR=... MODEL=open RATE=20000 bench/threads.sh
#
# nginx (one worker, CPU 0) and Barrage (CPU 1) as bench/run.sh has them. One uncounted warm-up
# test, then the measured one; every thread of the JVM (/proc/PID/task/*) is read just before and
# just after the measured test, and once a second during it (a thread that ends with the test, such
# as the open model's dispatcher, counts up to its last reading): its CPU (utime + stime), its run-queue wait and its number of
# times on the CPU (schedstat), its voluntary and involuntary context switches (status). The report
# groups threads by name (digits dropped: "ForkJoinPool-1-worker-1" and "-2" are one row) and gives,
# per group, the threads, CPU ms, µs of CPU per request, wakeups (voluntary switches: the thread
# slept and was woken) per second and per 1,000 requests, and the run-queue wait: time it was
# ready but the core was busy with another thread, i.e. the queueing the issue counts. The GET
# polling for the end of the test (one a second) is Tomcat's part of it.
#
# Environment: JAR, USERS (100), MODEL (closed | open), RATE (open: 20000), SECONDS_PER_RUN (10),
# WARMUP_SECONDS (10), URL_PATH (/fast | /delay), BARRAGE_JVM_FLAGS, JAVA, KEEP_TMP=1.
# Output: stdout and bench/results/threads-<UTC stamp>.md; raw snapshots in ...-raw/ (not in git).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
LOG_TAG=threads
# shellcheck source=bench/lib.sh
source "$HERE/lib.sh"

JAVA=${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
USERS=${USERS:-100}
MODEL=${MODEL:-closed}
RATE=${RATE:-20000}
SECONDS_PER_RUN=${SECONDS_PER_RUN:-10}
WARMUP_SECONDS=${WARMUP_SECONDS:-10}
URL_PATH=${URL_PATH:-/fast}
BARRAGE_JVM_FLAGS=${BARRAGE_JVM_FLAGS:-}
JAR=${JAR:-$(ls -t "$ROOT"/target/barrage-*.jar 2>/dev/null | head -1 || true)}
[ -n "$JAR" ] && [ -f "$JAR" ] || die "no jar: build one (./mvnw -q package -DskipTests) or set JAR"
CURL=(curl -s --noproxy '*')
ensure_tools nginx-light
ECHO_MODULE=$(find_echo_module) || die "nginx's echo module is needed (apt-get install libnginx-mod-http-echo)"
raise_nofile

STAMP=$(date -u +%Y%m%dT%H%M%SZ)
REPORT=$HERE/results/threads-$STAMP.md
RAW=$HERE/results/threads-$STAMP-raw
mkdir -p "$RAW"
TMP=$(mktemp -d /tmp/barrage-threads.XXXXXX)
chmod 755 "$TMP"
NGINX_PID="" NGINX_WORKER="" BARRAGE_PID=""
# shellcheck disable=SC2317
cleanup() { stop "$BARRAGE_PID"; stop_nginx; [ "${KEEP_TMP:-0}" = 1 ] || rm -rf "$TMP"; }
trap cleanup EXIT INT TERM

start_nginx "$ECHO_MODULE" 'location = /fast  { return 200 "ok\n"; }' 'location = /delay { echo_sleep 0.01; echo ok; }'
TARGET=http://127.0.0.1:$NGINX_PORT$URL_PATH
cp "$JAR" "$TMP/barrage.jar"
PORT=$(free_port_except "$NGINX_PORT")
URL=http://127.0.0.1:$PORT
barrage_start "$TMP/barrage.jar" "$PORT" "$RAW/service.log" --server.address=127.0.0.1
BARRAGE_PID=$!
wait_healthy Barrage "$URL" "$BARRAGE_PID" "$RAW/service.log" 120

definition() { # NAME SECONDS
    if [ "$MODEL" = open ]; then open_ "$1" "$TARGET" "$RATE" "$2s"; else closed "$1" "$TARGET" "$USERS" "$2s"; fi
}
# run_test NAME SECONDS: POSTs the test, polls it once a second until it ends, leaves its JSON in RAW/NAME.json
run_test() {
    local id status
    id=$("${CURL[@]}" -X POST "$URL/tests" -H 'Content-Type: application/json' -d "$(definition "$1" "$2")" \
        | python3 -c 'import json, sys; print(json.load(sys.stdin)["id"])')
    local second=0
    while true; do
        sleep 1
        second=$((second + 1))
        # threads that end with the test (the open model's dispatcher) are counted from their last reading
        [ "$1" = warmup ] || snapshot "$RAW/during-$(printf %04d "$second").tsv"
        "${CURL[@]}" "$URL/tests/$id" >"$RAW/$1.json"
        status=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["status"])' "$RAW/$1.json")
        case $status in COMPLETED | CANCELLED | FAILED) break ;; esac
    done
    [ "$status" = COMPLETED ] || die "$1 ended $status: $RAW/$1.json"
}
# task_line TASK_DIR: tid, comm, utime+stime ticks, run ns, wait ns, timeslices, voluntary, involuntary
task_line() {
    local task=$1 comm stat sched vol invol
    comm=$(<"$task/comm")
    stat=$(<"$task/stat")
    sched=$(<"$task/schedstat")
    vol=$(awk '/^voluntary_ctxt_switches/ { print $2 }' "$task/status")
    invol=$(awk '/^nonvoluntary_ctxt_switches/ { print $2 }' "$task/status")
    stat=${stat##*) }
    # shellcheck disable=SC2086
    set -- $stat
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "${task##*/}" "$comm" "$((${12} + ${13}))" "${sched// /$'\t'}" "$vol" "$invol"
}
# snapshot FILE: one line per thread of the JVM; a thread that ends while it is read is left out
snapshot() {
    local out=$1 task
    : >"$out"
    for task in /proc/"$BARRAGE_PID"/task/*; do
        (task_line "$task") >>"$out" 2>/dev/null || true
    done
}

log "warm-up: $MODEL, ${WARMUP_SECONDS}s on $TARGET"
run_test warmup "$WARMUP_SECONDS"
sleep 2
LOAD_BEFORE=$(loadavg)
snapshot "$RAW/before.tsv"
T0=$(now_ns)
log "measured: $MODEL, ${SECONDS_PER_RUN}s"
run_test measured "$SECONDS_PER_RUN"
T1=$(now_ns)
snapshot "$RAW/after.tsv"
LOAD_AFTER=$(loadavg)

{
    echo "# Barrage's threads during one run $STAMP"
    echo
    echo "Made by \`bench/threads.sh\` (MODEL=$MODEL USERS=$USERS RATE=$RATE SECONDS_PER_RUN=$SECONDS_PER_RUN"
    echo "WARMUP_SECONDS=$WARMUP_SECONDS URL_PATH=$URL_PATH); Barrage pinned to CPU $GEN_CPU, nginx to CPU $TARGET_CPU;"
    echo "jar sha256 \`$(sha256sum "$JAR" | cut -c1-16)\` (repo HEAD $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo -)),"
    echo "JVM flags \`${BARRAGE_JVM_FLAGS:-none}\`; load average $LOAD_BEFORE before, $LOAD_AFTER after."
    echo
    python3 - "$RAW/before.tsv" "$RAW" "$RAW/measured.json" "$(( (T1 - T0) / 1000000 ))" "$(getconf CLK_TCK)" <<'EOF'
import collections, glob, json, os, re, sys
before_file, raw_dir, run_file, wall_ms, hz = sys.argv[1:6]
wall_s, hz = int(wall_ms) / 1000, int(hz)
def read(path):
    rows = {}
    for line in open(path):
        tid, comm, ticks, run_ns, wait_ns, slices, vol, invol = line.rstrip("\n").split("\t")
        rows[tid] = (comm, int(ticks), int(run_ns), int(wait_ns), int(slices), int(vol), int(invol))
    return rows
before = read(before_file)
after = {}  # each thread's last reading: the readings during the run, then the one after it
for path in sorted(glob.glob(os.path.join(raw_dir, "during-*.tsv"))) + [os.path.join(raw_dir, "after.tsv")]:
    after.update(read(path))
run = json.load(open(run_file))
requests = run["summary"]["requests"]
groups = collections.defaultdict(lambda: [0, 0, 0, 0, 0, 0, 0, set()])
for tid, (comm, ticks, run_ns, wait_ns, slices, vol, invol) in after.items():
    b = before.get(tid, (comm, 0, 0, 0, 0, 0, 0))
    d_run, d_wait, d_vol, d_invol = run_ns - b[2], wait_ns - b[3], vol - b[5], invol - b[6]
    name = re.sub(r"\d+", "#", comm)
    g = groups[name]
    g[0] += 1
    g[1] += d_run; g[2] += d_wait; g[3] += d_vol; g[4] += d_invol
    g[5] += 1 if (d_run > 0 or d_vol > 0) else 0
    g[6] += 1 if tid not in before else 0
final = read(os.path.join(raw_dir, "after.tsv"))
gone = [after[t][0] for t in after if t not in final]
total_run = sum(g[1] for g in groups.values())
total_wait = sum(g[2] for g in groups.values())
print(f"The measured run: {requests:,} requests in {run['summary']['elapsedSeconds']:.2f} s "
      f"({run['summary']['throughput']:,.0f} req/s, p99 {run['summary']['latencyMs']['p99']:.2f} ms); "
      f"between the snapshots {wall_s:.2f} s. The JVM's threads used {total_run / 1e6:,.0f} ms of CPU "
      f"({total_run / 1e3 / max(requests, 1):.2f} µs per request) and waited {total_wait / 1e6:,.0f} ms "
      f"ready to run while another of its threads (or another process) had the core.")
print()
print("| thread (digits as #) | threads | woke | CPU ms | CPU µs/request | share of CPU | wakeups/s | wakeups per 1k requests | preempted | run-queue wait ms |")
print("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|")
for name, g in sorted(groups.items(), key=lambda kv: -kv[1][1]):
    if g[1] == 0 and g[3] == 0 and g[4] == 0:
        continue
    print(f"| `{name}` | {g[0]}{f' ({g[6]} new)' if g[6] else ''} | {g[5]} | {g[1] / 1e6:,.1f} | "
          f"{g[1] / 1e3 / max(requests, 1):.3f} | {100 * g[1] / max(total_run, 1):.1f} % | {g[3] / wall_s:,.1f} | "
          f"{1000 * g[3] / max(requests, 1):,.2f} | {g[4]:,} | {g[2] / 1e6:,.1f} |")
idle = [name for name, g in groups.items() if g[1] == 0 and g[3] == 0 and g[4] == 0]
print()
print(f"Did not run at all: {', '.join(f'`{n}`' for n in sorted(idle)) or 'none'}."
      f"{' Ended before the run did (counted up to their last reading, taken once a second): ' + ', '.join(sorted(set(gone))) + '.' if gone else ''}")
print()
print("woke: threads of the group that ran or were woken at least once. wakeups: voluntary context "
      "switches (the thread blocked and was woken again). preempted: involuntary switches (the core "
      "was taken from it). CPU: schedstat's run time. Carriers (`ForkJoinPool-#-worker-#`) run the "
      "virtual threads: the users' work and the JDK's pollers.")
EOF
} | tee "$REPORT"
log "report: $REPORT"
