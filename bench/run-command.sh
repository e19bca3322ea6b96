#!/usr/bin/env bash
# Does the README's run command (./mvnw spring-boot:run) generate load as fast as the jar
# (java -jar) that the benchmarks measure? Issue 15: "the README's run command runs at the
# benchmarked speed". Both services run at once, each pinned to CPU 1 (spring-boot:run's forked
# JVM inherits Maven's affinity), nginx on CPU 0; after an uncounted 5 s test on each, ROUNDS
# rounds of one 10 s closed-model test (USERS users on nginx's immediate endpoint) on each, the
# order flipping every round. Per test: req/s from the summary and the JVM's CPU µs per request
# (utime + stime of the service's own JVM, not Maven's).
#
#   bench/run-command.sh                     # ROUNDS=5 USERS=100 SECONDS_PER_RUN=10
# Output: stdout and bench/results/run-command-<UTC stamp>.md (logs in ...-raw/, not in git).
# Builds nothing: run ./mvnw -q package -DskipTests first (the jar is target/barrage-*.jar, and
# spring-boot:run uses target/classes of this checkout).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
LOG_TAG=run-command
# shellcheck source=bench/lib.sh
source "$HERE/lib.sh"

JAVA=${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
ROUNDS=${ROUNDS:-5}
USERS=${USERS:-100}
SECONDS_PER_RUN=${SECONDS_PER_RUN:-10}
BARRAGE_JVM_FLAGS=""
JAR=$(ls -t "$ROOT"/target/barrage-*.jar 2>/dev/null | head -1 || true)
[ -n "$JAR" ] || die "no jar: ./mvnw -q package -DskipTests first"
CURL=(curl -s --noproxy '*')
ensure_tools nginx-light
raise_nofile

STAMP=$(date -u +%Y%m%dT%H%M%SZ)
REPORT=$HERE/results/run-command-$STAMP.md
RAW=$HERE/results/run-command-$STAMP-raw
mkdir -p "$RAW"
TMP=$(mktemp -d /tmp/barrage-run-command.XXXXXX)
chmod 755 "$TMP"
NGINX_PID="" NGINX_WORKER="" MVN_PID="" JAR_PID=""
# shellcheck disable=SC2317
cleanup() { stop "$MVN_PID"; stop "$JAR_PID"; stop_nginx; rm -rf "$TMP"; }
trap cleanup EXIT INT TERM

start_nginx "" 'location = /fast  { return 200 "ok\n"; }'
FAST=http://127.0.0.1:$NGINX_PORT/fast
MVN_PORT=$(free_port_except "$NGINX_PORT")
JAR_PORT=$(free_port_except "$NGINX_PORT" "$MVN_PORT")
(cd "$ROOT" && exec taskset -c "$GEN_CPU" ./mvnw -q -o spring-boot:run \
    -Dspring-boot.run.arguments="--server.port=$MVN_PORT --server.address=127.0.0.1 --barrage.targets.allow=127.0.0.0/8") \
    >"$RAW/spring-boot-run.log" 2>&1 &
MVN_PID=$!
barrage_start "$JAR" "$JAR_PORT" "$RAW/jar.log" --server.address=127.0.0.1
JAR_PID=$!
wait_healthy "spring-boot:run" "http://127.0.0.1:$MVN_PORT" "$MVN_PID" "$RAW/spring-boot-run.log" 300
wait_healthy "the jar" "http://127.0.0.1:$JAR_PORT" "$JAR_PID" "$RAW/jar.log" 120
# the service's own JVM: the process listening with our port in its arguments that is not Maven
service_pid() {
    local pid
    for pid in $(pgrep -f -- "--server.port=$1"); do
        tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q plexus-classworlds || { echo "$pid"; return; }
    done
}
declare -A PID_OF=([spring-boot:run]=$(service_pid "$MVN_PORT") [jar]=$JAR_PID)
declare -A PORT_OF=([spring-boot:run]=$MVN_PORT [jar]=$JAR_PORT)
tr '\0' ' ' <"/proc/${PID_OF[spring-boot:run]}/cmdline" >"$RAW/spring-boot-run.cmdline"

# one_test WHO SECONDS: prints "WHO req/s cpu_us_per_request"
one_test() {
    local who=$1 secs=$2 id answer cpu0 cpu1
    cpu0=$(proc_cpu_ms "${PID_OF[$who]}")
    id=$("${CURL[@]}" -X POST "http://127.0.0.1:${PORT_OF[$who]}/tests" -H 'Content-Type: application/json' \
        -d "$(closed run-command "$FAST" "$USERS" "${secs}s")" | python3 -c 'import json, sys; print(json.load(sys.stdin)["id"])')
    while true; do
        sleep 1
        answer=$("${CURL[@]}" "http://127.0.0.1:${PORT_OF[$who]}/tests/$id")
        case $answer in *'"status":"COMPLETED"'*) break ;; *'"status":"FAILED"'* | *'"status":"CANCELLED"'*) die "$who: $answer" ;; esac
    done
    cpu1=$(proc_cpu_ms "${PID_OF[$who]}")
    python3 -c 'import json, sys; s = json.loads(sys.argv[1])["summary"]; print(sys.argv[2], round(s["throughput"]), round((int(sys.argv[3]) * 1000) / max(s["requests"], 1), 1))' \
        "$answer" "$who" "$((cpu1 - cpu0))"
}

one_test spring-boot:run 5 >/dev/null
one_test jar 5 >/dev/null
for round in $(seq "$ROUNDS"); do
    if [ $((round % 2)) = 1 ]; then order="spring-boot:run jar"; else order="jar spring-boot:run"; fi
    for who in $order; do
        one_test "$who" "$SECONDS_PER_RUN" | tee -a "$RAW/tests.txt" >&2
    done
done

{
    echo "# The README's run command against the jar $STAMP"
    echo
    echo "Made by \`bench/run-command.sh\` (ROUNDS=$ROUNDS USERS=$USERS SECONDS_PER_RUN=$SECONDS_PER_RUN): closed model on"
    echo "nginx \`/fast\` (CPU $TARGET_CPU), both services on CPU $GEN_CPU, repo HEAD $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo -)."
    echo
    echo "- spring-boot:run's JVM: \`$(sed 's/ -cp [^ ]* / -cp … /' "$RAW/spring-boot-run.cmdline" | cut -c1-400)\`"
    echo "- the jar: \`$(barrage_cmd "$(basename "$JAR")" "$JAR_PORT" --server.address=127.0.0.1)\`"
    echo
    python3 - "$RAW/tests.txt" <<'PY'
import statistics, sys
rows = [line.split() for line in open(sys.argv[1]) if line.strip()]
med = {}
print("| | req/s per round | median | CPU µs/request per round | median |")
print("|---|---|--:|---|--:|")
for who in ("spring-boot:run", "jar"):
    mine = [r for r in rows if r[0] == who]
    rps, cpu = [int(r[1]) for r in mine], [float(r[2]) for r in mine]
    med[who] = (statistics.median(rps), statistics.median(cpu))
    print(f"| {who} | {', '.join(f'{v:,}' for v in rps)} | {med[who][0]:,.0f} | {', '.join(f'{v:.1f}' for v in cpu)} | {med[who][1]:.1f} |")
print()
print(f"spring-boot:run / jar: {med['spring-boot:run'][0] / med['jar'][0]:.2f} of the req/s, "
      f"{med['spring-boot:run'][1] / med['jar'][1]:.2f} of the CPU per request (medians).")
PY
} | tee "$REPORT"
log "report: $REPORT"
