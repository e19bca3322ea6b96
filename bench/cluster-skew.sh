#!/usr/bin/env bash
# How far apart do the generators of a distributed run start? Three Barrage nodes on this machine
# form one cluster; ROUNDS distributed tests ("generators": 3) run one after another, and each
# run's nodes[].startSkewMs is collected and summarised.
#
#   bench/cluster-skew.sh                                      # the newest target/barrage-*.jar
#   JAR=/path/barrage.jar ROUNDS=20 bench/cluster-skew.sh
#   ROUNDS=3 bench/cluster-skew.sh                             # smoke test (~1.5 min)
#
# No acceptance rule: the report gives the figures (docs/performance.md, "Distributed runs: start
# skew", cites them) and checks that every run is whole.
#
# What it does (the functions it shares with the other scripts are in bench/lib.sh; the report is
# bench/cluster_skew_report.py, which also reads bench/benchlib.py):
#   1. the target, bench/demo_target.py, on a free loopback port (answers 200 "ok" on every path);
#   2. the jar (a private copy in a temp dir: target/ may be rebuilt meanwhile) started three times,
#      each node its own free HTTP port and member port, all on loopback:
#        java -jar barrage.jar --server.port=P --server.address=127.0.0.1
#          --barrage.cluster.enabled=true --barrage.cluster.name=bench-skew-<script pid>
#          --barrage.cluster.secret=bench --barrage.cluster.port=M
#          --barrage.cluster.interface-address=127.0.0.1
#          --barrage.cluster.members=127.0.0.1:M1,127.0.0.1:M2,127.0.0.1:M3
#          --barrage.targets.allow=127.0.0.0/8
#      (Hazelcast's JVM flags come from the jar's manifest.) Nothing is pinned with taskset: the
#      three JVMs and the target share the machine's CPUs, and what the scheduler does to the
#      nodes' start threads is part of the figure. The script waits until every node's
#      /actuator/prometheus says load_tester_cluster_members 3.0, CLUSTER_TIMEOUT (90) s at most
#      from the JVMs' start; if the cluster has not formed by then it fails (exit 1);
#   3. WARMUP_ROUNDS (1) uncounted rounds, then ROUNDS counted ones, one at a time (each node has
#      max-running 1, so a run must end everywhere before the next one prepares). Each round is
#        POST /tests   {"name":"cluster-skew-<round>","request":{"url":"http://127.0.0.1:<target>/"},
#                       "workload":{"model":"open","rate":$RATE,"duration":"${SECONDS_PER_RUN}s"},
#                       "generators":3}
#      to one node, the receiver, which coordinates the run and is its generator 1; the receiver
#      rotates node 1, 2, 3, 1, ... (ROTATE=0 keeps node 1). The POST must answer 202 with the run
#      id; then GET /tests/{id}?wait=<SECONDS_PER_RUN + 60>s on the receiver until the status is
#      final, then the same GET on every node (each node's own view of the run), then
#      PAUSE_SECONDS (2) s before the next round. The wall-clock time just before the POST is
#      kept, for the time from POST to startedAt (prepare on every node + the 2 s start lead);
#      the JVMs' CPU time and run-queue wait during the round come from /proc/PID/task/*/schedstat;
#   4. the report, on stdout and in
#        bench/results/cluster-skew-<UTC timestamp>.md
#      per round: each generator's startSkewMs, the round's largest, whether summary.requests
#      equals the plan (RATE x SECONDS_PER_RUN) and the sum of nodes[].requests, the time from
#      POST to startedAt; then per generator position (1 = the coordinator), per node and over all
#      generators: median, p90 (from 10 values on), max. Every round must be COMPLETED with every
#      generator completed, the counts above equal, no failed request, the receiver as coordinator
#      and every node's view agreeing; anything else is flagged at the top of the report and
#      makes the exit status 3. Raw material (every definition, POST and GET answer, each node's
#      view, timings, the nodes' and the target's logs, each node's /actuator/prometheus at the
#      end) goes to
#        bench/results/cluster-skew-<UTC timestamp>-raw/     (ignored by git: bench/results/*-raw/)
#      from which the report can be made again:
#        PYTHONPATH=bench python3 bench/cluster_skew_report.py bench/results/cluster-skew-<stamp>-raw OUT.md
#   The three JVMs and the target are stopped on exit, on error and on Ctrl-C (trap). No traffic
#   leaves 127.0.0.1: nodes, members and target are bound to loopback, curl runs with --noproxy '*'.
#
# Environment:
#   JAR                the build to measure (default: the newest target/barrage-*.jar of this repo)
#   ROUNDS             counted distributed runs (default 10)
#   WARMUP_ROUNDS      uncounted runs before them (default 1; 0 for none)
#   RATE               open-model requests per second of each run, all generators together (default 300)
#   SECONDS_PER_RUN    each run's duration (default 2)
#   PAUSE_SECONDS      pause after a run has ended on every node (default 2)
#   ROTATE             1 (default): the receiver rotates over the three nodes; 0: always node 1
#   CLUSTER_TIMEOUT    seconds the three nodes have to start and see each other (default 90)
#   JAVA               java binary (default /usr/lib/jvm/temurin-25-jdk-amd64/bin/java)
#   BARRAGE_JVM_FLAGS  extra JVM flags for every node (default none)
#   BARRAGE_SECURITY_API_KEY  if set, the nodes require it and the script sends it
#   KEEP_TMP=1         keep the temp dir (the jar copy)
# Exit status: 0 every counted run complete and whole, 3 a counted run flagged (not COMPLETED,
# counts off, a generator not completed, ...: the report says which), 1 any other error (the
# cluster did not form within CLUSTER_TIMEOUT s, a node died, a POST was refused: printed).
# Duration: the JVMs' start-up (20-40 s on two cores) + (WARMUP_ROUNDS + ROUNDS) x about
# (SECONDS_PER_RUN + 4 s + PAUSE_SECONDS); the defaults take about 2.5 minutes.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
RESULTS_DIR=$HERE/results
ROUNDS=${ROUNDS:-10}
WARMUP_ROUNDS=${WARMUP_ROUNDS:-1}
RATE=${RATE:-300}
SECONDS_PER_RUN=${SECONDS_PER_RUN:-2}
PAUSE_SECONDS=${PAUSE_SECONDS:-2}
ROTATE=${ROTATE:-1}
CLUSTER_TIMEOUT=${CLUSTER_TIMEOUT:-90}
JAVA=${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
BARRAGE_JVM_FLAGS=${BARRAGE_JVM_FLAGS:-}
NODES=3

LOG_TAG=cluster-skew
# shellcheck source=bench/lib.sh
source "$HERE/lib.sh"

if [ -z "${JAR:-}" ]; then
    JAR=$(find "$ROOT/target" -maxdepth 1 -type f -name 'barrage-*.jar' -printf '%T@\t%p\n' 2>/dev/null \
        | sort -rn | head -1 | cut -f2-)
    [ -n "$JAR" ] || die "no target/barrage-*.jar: build one (./mvnw -q package -DskipTests) or set JAR"
fi
[ -f "$JAR" ] || die "JAR=$JAR does not exist"
for v in ROUNDS RATE SECONDS_PER_RUN CLUSTER_TIMEOUT; do
    if ! [[ ${!v} =~ ^[0-9]+$ ]] || [ "${!v}" -eq 0 ]; then die "$v must be a positive integer, not '${!v}'"; fi
done
for v in WARMUP_ROUNDS PAUSE_SECONDS; do
    [[ ${!v} =~ ^[0-9]+$ ]] || die "$v must be a whole number, not '${!v}'"
done
[[ $ROTATE =~ ^[01]$ ]] || die "ROTATE must be 0 or 1, not '$ROTATE'"
[ -x "$JAVA" ] || die "no java at $JAVA (set JAVA to a JDK 25+ java binary)"
for tool in curl python3; do
    command -v "$tool" >/dev/null || die "needs $tool"
done
JAVA_VERSION=$("$JAVA" -version 2>&1 | head -1)

AUTH=()
[ -n "${BARRAGE_SECURITY_API_KEY:-}" ] && AUTH=(-H "Authorization: Bearer $BARRAGE_SECURITY_API_KEY")
# loopback only, whatever http_proxy / https_proxy / all_proxy say
CURL=(curl -s --noproxy '*' "${AUTH[@]}")

# ---------------------------------------------------------------------------------------------
# Results, temp dir, cleanup
# ---------------------------------------------------------------------------------------------
raise_nofile
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
REPORT=$RESULTS_DIR/cluster-skew-$STAMP.md
RAW=$RESULTS_DIR/cluster-skew-$STAMP-raw
mkdir -p "$RAW"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/barrage-cluster-skew.XXXXXX")

TARGET_PID=""
NODE_PIDS=("" "" "")

# shellcheck disable=SC2317
cleanup() {
    local rc=$? i
    trap - EXIT
    # TERM to every node first, so that they shut down together, then wait for each (lib.sh's stop:
    # up to 20 s, then KILL; only our own children, each PID cleared once reaped)
    for i in "${!NODE_PIDS[@]}"; do
        [ -z "${NODE_PIDS[$i]}" ] || kill "${NODE_PIDS[$i]}" 2>/dev/null || true
    done
    for i in "${!NODE_PIDS[@]}"; do
        stop "${NODE_PIDS[$i]}"; NODE_PIDS[i]=""
    done
    stop "$TARGET_PID"; TARGET_PID=""
    if [ "${KEEP_TMP:-0}" = 1 ]; then log "kept $TMP"; else rm -rf "$TMP"; fi
    [ "$rc" -eq 0 ] || [ "$rc" -eq 3 ] || log "stopped early (exit $rc): partial raw outputs in $RAW"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

param() { meta params "$@"; }
now_ms() { date +%s%3N; }

# ports: distinct free loopback ports, never 8080 (a user's service may want it)
USED_PORTS=" 8080 "
pick_port() {
    local p _
    for _ in $(seq 50); do
        p=$(free_port)
        case $USED_PORTS in *" $p "*) continue ;; esac
        USED_PORTS+="$p "
        echo "$p"
        return 0
    done
    die "no free port found"
}

# ---------------------------------------------------------------------------------------------
# The target: bench/demo_target.py on loopback
# ---------------------------------------------------------------------------------------------
TARGET_PORT=$(pick_port); USED_PORTS+="$TARGET_PORT "
TARGET_URL=http://127.0.0.1:$TARGET_PORT/
TARGET_CMD="python3 bench/demo_target.py $TARGET_PORT"
log "target: $TARGET_CMD"
python3 "$HERE/demo_target.py" "$TARGET_PORT" >"$RAW/target.log" 2>&1 &
TARGET_PID=$!
for _ in $(seq 50); do
    [ "$("${CURL[@]}" "$TARGET_URL" 2>/dev/null)" = ok ] && break
    kill -0 "$TARGET_PID" 2>/dev/null || { cat "$RAW/target.log" >&2; die "the target did not start"; }
    sleep 0.2
done
[ "$("${CURL[@]}" "$TARGET_URL")" = ok ] || die "the target does not answer on $TARGET_URL"

# ---------------------------------------------------------------------------------------------
# Three Barrage nodes, one cluster
# ---------------------------------------------------------------------------------------------
cp "$JAR" "$TMP/barrage.jar"
HTTP_PORTS=(); MEMBER_PORTS=(); URLS=()
for ((i = 0; i < NODES; i++)); do
    HTTP_PORTS+=("$(pick_port)"); USED_PORTS+="${HTTP_PORTS[i]} "
    MEMBER_PORTS+=("$(pick_port)"); USED_PORTS+="${MEMBER_PORTS[i]} "
    URLS+=("http://127.0.0.1:${HTTP_PORTS[i]}")
done
MEMBERS=$(printf '127.0.0.1:%s,' "${MEMBER_PORTS[@]}"); MEMBERS=${MEMBERS%,}
CLUSTER_NAME=bench-skew-$$

# node_args I: the command-line arguments of node I (0-based) after -jar barrage.jar
node_args() {
    echo "--server.port=${HTTP_PORTS[$1]} --server.address=127.0.0.1 --barrage.cluster.enabled=true" \
        "--barrage.cluster.name=$CLUSTER_NAME --barrage.cluster.secret=bench" \
        "--barrage.cluster.port=${MEMBER_PORTS[$1]} --barrage.cluster.interface-address=127.0.0.1" \
        "--barrage.cluster.members=$MEMBERS --barrage.targets.allow=127.0.0.0/8"
}

# shellcheck disable=SC2206
JVM_FLAGS=($BARRAGE_JVM_FLAGS)
CLUSTER_T0=$(now_ns)
for ((i = 0; i < NODES; i++)); do
    n=$((i + 1))
    log "node $n: http ${URLS[i]}, member 127.0.0.1:${MEMBER_PORTS[i]}"
    # shellcheck disable=SC2046
    "$JAVA" "${JVM_FLAGS[@]}" -jar "$TMP/barrage.jar" $(node_args "$i") >"$RAW/node$n.log" 2>&1 &
    NODE_PIDS[i]=$!
    meta "node$n" url "${URLS[i]}"
    meta "node$n" member "127.0.0.1:${MEMBER_PORTS[i]}"
    meta "node$n" cmd "$JAVA ${BARRAGE_JVM_FLAGS:+$BARRAGE_JVM_FLAGS }-jar barrage.jar $(node_args "$i")"
done

# members_seen I: the value of load_tester_cluster_members on node I (0-based), or "-" if it does not answer
members_seen() {
    { "${CURL[@]}" -f --max-time 5 "${URLS[$1]}/actuator/prometheus" 2>/dev/null || true; } \
        | awk '$1 == "load_tester_cluster_members" { v = $2 } END { print (v == "" ? "-" : v) }'
}

log "waiting for the cluster to form (every node sees $NODES members; at most $CLUSTER_TIMEOUT s)"
DEADLINE=$((CLUSTER_T0 + CLUSTER_TIMEOUT * 1000000000))
FORMED=("" "" "")
while true; do
    waiting=0
    for ((i = 0; i < NODES; i++)); do
        [ -z "${FORMED[i]}" ] || continue
        if ! kill -0 "${NODE_PIDS[i]}" 2>/dev/null; then
            tail -30 "$RAW/node$((i + 1)).log" >&2
            die "node $((i + 1)) exited before the cluster formed (log: $RAW/node$((i + 1)).log)"
        fi
        if [ "$(members_seen "$i")" = "$NODES.0" ]; then
            FORMED[i]=$((($(now_ns) - CLUSTER_T0) / 1000000))
            meta "node$((i + 1))" formed_ms "${FORMED[i]}"
            log "node $((i + 1)) sees $NODES members after $((FORMED[i] / 1000)).$(printf '%03d' $((FORMED[i] % 1000))) s"
        else
            waiting=1
        fi
    done
    [ "$waiting" = 1 ] || break
    if [ "$(now_ns)" -ge "$DEADLINE" ]; then
        seen=""
        for ((i = 0; i < NODES; i++)); do seen+=" node $((i + 1)): $(members_seen "$i");"; done
        for ((i = 0; i < NODES; i++)); do
            [ -n "${FORMED[i]}" ] || { log "node $((i + 1)), the end of its log:"; tail -15 "$RAW/node$((i + 1)).log" >&2; }
        done
        die "the cluster did not form within $CLUSTER_TIMEOUT s (members seen:${seen%;})"
    fi
    sleep 0.5
done

# ---------------------------------------------------------------------------------------------
# Rounds
# ---------------------------------------------------------------------------------------------
START_DATE=$(date -u +%Y-%m-%dT%H:%M:%SZ)
START_LOAD=$(loadavg)
param jar "$JAR"
param sha256 "$(sha256sum "$JAR" | cut -d' ' -f1)"
param jar_mtime "$(date -u -r "$JAR" +%Y-%m-%dT%H:%M:%SZ)"
param java "$JAVA_VERSION"
param jvm_flags "$BARRAGE_JVM_FLAGS"
param stamp "$STAMP"
param rounds "$ROUNDS"
param warmup_rounds "$WARMUP_ROUNDS"
param rate "$RATE"
param seconds "$SECONDS_PER_RUN"
param pause "$PAUSE_SECONDS"
param rotate "$ROTATE"
param nodes "$NODES"
param cluster_timeout "$CLUSTER_TIMEOUT"
param target_cmd "$TARGET_CMD"
param start_date "$START_DATE"
param start_load "$START_LOAD"
param cpus "$(nproc --all)"

# runs.tsv: KIND (warmup|round)<TAB>ROUND<TAB>RECEIVER (1-based node)<TAB>NAME, in the order they ran
record() { printf '%s\t%s\t%s\t%s\n' "$@" >>"$RAW/runs.tsv"; }
json_field() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1])).get(sys.argv[2], ""))' "$@"; }

# skew_run NAME RECEIVER: one distributed run posted to node RECEIVER (1-based). Writes
# RAW/NAME.request.json, RAW/NAME.post.json (the POST answer), RAW/NAME.json (the receiver's final
# answer), RAW/NAME.nodeK.json (node K's view once it ended) and RAW/NAME.meta (times, CPU, waits)
skew_run() {
    local name=$1 recv=$2 url code id status i before=() t0 polls=0 wait_s
    url=${URLS[$((recv - 1))]}
    wait_s=$((SECONDS_PER_RUN + 60)); [ "$wait_s" -le 300 ] || wait_s=300
    printf '{"name":"cluster-skew-%s","request":{"url":"%s"},"workload":{"model":"open","rate":%s,"duration":"%ss"},"generators":%s}\n' \
        "$name" "$TARGET_URL" "$RATE" "$SECONDS_PER_RUN" "$NODES" >"$RAW/$name.request.json"
    meta "$name" receiver "$recv"
    meta "$name" receiver_member "127.0.0.1:${MEMBER_PORTS[$((recv - 1))]}"
    meta "$name" load_before "$(loadavg)"
    for ((i = 0; i < NODES; i++)); do before+=("$(sched_sum "${NODE_PIDS[i]}")"); done
    t0=$(now_ns)
    meta "$name" post_ms "$(now_ms)"
    code=$("${CURL[@]}" -o "$RAW/$name.post.json" -w '%{http_code}' -X POST "$url/tests" \
        -H 'Content-Type: application/json' --data-binary "@$RAW/$name.request.json") \
        || die "POST $url/tests failed for $name"
    meta "$name" post_answer_ms $((($(now_ns) - t0) / 1000000))
    [ "$code" = 202 ] || die "POST $url/tests answered $code, not 202, for $name: $(head -c 2000 "$RAW/$name.post.json")"
    id=$(json_field "$RAW/$name.post.json" id)
    [ -n "$id" ] || die "no id in the POST answer for $name: $(head -c 2000 "$RAW/$name.post.json")"
    meta "$name" id "$id"
    while true; do
        "${CURL[@]}" -f -o "$RAW/$name.json" "$url/tests/$id?wait=${wait_s}s" || die "GET $url/tests/$id failed"
        status=$(json_field "$RAW/$name.json" status)
        case $status in COMPLETED | CANCELLED | FAILED) break ;; esac
        # a build without ?wait= answers at once: then ask every 0.5 s
        sleep 0.5
        polls=$((polls + 1))
        [ "$((($(now_ns) - t0) / 1000000000))" -lt $((SECONDS_PER_RUN + 240)) ] || die "$name ($id) still $status $((polls / 2)) s after its POST"
    done
    meta "$name" final_ms $((($(now_ns) - t0) / 1000000))
    # every node's own view of the run, once it has ended there too
    for ((i = 0; i < NODES; i++)); do
        "${CURL[@]}" -f -o "$RAW/$name.node$((i + 1)).json" "${URLS[i]}/tests/$id?wait=30s" \
            || log "WARNING: node $((i + 1)) does not answer GET /tests/$id"
    done
    meta "$name" all_final_ms $((($(now_ns) - t0) / 1000000))
    for ((i = 0; i < NODES; i++)); do
        sched_meta "$name" "node$((i + 1))" "${before[i]}" "$(sched_sum "${NODE_PIDS[i]}")"
    done
    meta "$name" load_after "$(loadavg)"
    [ "$status" = COMPLETED ] || log "WARNING: $name ($id) ended $status: $(json_field "$RAW/$name.json" failureReason)"
}

# still_up: dies if a node has exited
still_up() {
    for ((i = 0; i < NODES; i++)); do
        kill -0 "${NODE_PIDS[i]}" 2>/dev/null || { tail -30 "$RAW/node$((i + 1)).log" >&2; die "node $((i + 1)) has exited"; }
    done
}

k=0
for ((r = 1; r <= WARMUP_ROUNDS + ROUNDS; r++)); do
    if [ "$r" -le "$WARMUP_ROUNDS" ]; then kind=warmup; rnd=$r; name=w$r
    else kind=round; rnd=$((r - WARMUP_ROUNDS)); name=r$rnd; fi
    recv=1
    [ "$ROTATE" = 0 ] || recv=$((k % NODES + 1))
    k=$((k + 1))
    still_up
    log "$kind $rnd: $RATE/s for ${SECONDS_PER_RUN} s on $NODES generators, posted to node $recv"
    skew_run "$name" "$recv"
    record "$kind" "$rnd" "$recv" "$name"
    skews=$(python3 -c 'import json,sys; print(" ".join(str(n.get("startSkewMs")) for n in json.load(open(sys.argv[1])).get("nodes") or []))' "$RAW/$name.json")
    log "  $(json_field "$RAW/$name.json" status), startSkewMs: $skews"
    sleep "$PAUSE_SECONDS"
done
for ((i = 0; i < NODES; i++)); do
    "${CURL[@]}" -o "$RAW/node$((i + 1)).prom" "${URLS[i]}/actuator/prometheus" || true
done
param end_load "$(loadavg)"
param end_date "$(date -u +%Y-%m-%dT%H:%M:%SZ)"

# ---------------------------------------------------------------------------------------------
# Report: table on stdout, markdown in bench/results/cluster-skew-STAMP.md
# ---------------------------------------------------------------------------------------------
rc=0
PYTHONPATH="$HERE" python3 "$HERE/cluster_skew_report.py" "$RAW" "$REPORT" || rc=$?
[ "$rc" -eq 0 ] || [ "$rc" -eq 3 ] || die "report failed"
log "wrote $REPORT and $RAW/"
exit "$rc"
