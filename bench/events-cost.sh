#!/usr/bin/env bash
# What do event-stream subscribers cost? A run alone against the same run followed by SUBSCRIBERS
# GET /tests/{id}/events streams (server-sent events), one nginx, one run.
#
#   bench/events-cost.sh                                     # the newest target/barrage-*.jar
#   JAR=/path/barrage.jar ROUNDS=7 SECONDS_PER_RUN=10 USERS=100 SUBSCRIBERS=20 bench/events-cost.sh
#   ROUNDS=1 SECONDS_PER_RUN=2 WARMUP_SECONDS=2 bench/events-cost.sh   # smoke test (~1 min)
#
# Acceptance rule: in the closed model, USERS users against an immediate endpoint, a run followed
# by SUBSCRIBERS event streams (20 browsers' worth of GET /tests/{id}/events) keeps at least
# MIN_RATIO (0.97) x the median req/s of the same run with nobody following it, both measured in
# the SAME run (the machine has two noisy shared cores: absolute figures from different runs cannot
# be compared; a ratio taken in one run mostly can).
#
# What it does (same layout as bench/scenario-cost.sh; the functions both use are in bench/lib.sh, and
# the report's in bench/benchlib.py):
#   1. nginx, one worker, pinned to CPU 0, listening on 127.0.0.1 only:  /fast  return 200 "ok\n";
#   2. the jar (a private copy in a temp dir: target/ may be rebuilt meanwhile) started once,
#      pinned to CPU 1 with taskset, --server.port=<free port> --server.address=127.0.0.1
#      --barrage.targets.allow=127.0.0.0/8; its event streams are served on that CPU too;
#   3. wrk reference:  taskset -c 1 wrk -t1 -c$USERS -d${SECONDS_PER_RUN}s --latency .../fast
#   4. an uncounted WARMUP_SECONDS (5 s) JIT warm-up of each shape (alone, then events);
#   5. ROUNDS rounds; each round one test of each shape, the order flipping every round
#      (alone,events / events,alone / ...), PAUSE_SECONDS apart. Both shapes are the SAME test,
#        POST /tests  {"name":"...","request":{"url":"http://127.0.0.1:<nginx>/fast"},
#                      "workload":{"model":"closed","concurrency":$USERS,"duration":"${SECONDS_PER_RUN}s"}}
#      (A) alone    nobody follows the run;
#      Each test is posted behind a GATE_SECONDS one-user gate run, so it waits QUEUED while
#      the subscribers of (B) start and connect; the measurement begins when it leaves the queue.
#      (B) events   right after the POST answered 202 (QUEUED), SUBSCRIBERS clients start, each
#                     taskset -c $SUBSCRIBER_CPU curl -sN --noproxy '*' http://127.0.0.1:<port>/tests/<id>/events
#                   writing its stream to RAW/events-rN.subNNN.sse. They are pinned to CPU 0, nginx's
#                   CPU, not to CPU 1, so that they do not steal the generator's core: what is
#                   measured is Barrage's cost of serving the streams (on CPU 1), not curl's cost of
#                   reading them (SUBSCRIBER_CPU moves them). Their start (some 30 ms of CPU each,
#                   about 0.6 s for 20) falls in the gate run, before the measurement; what they
#                   cost CPU 0 afterwards shows as nginx wait ms on the events runs. After the run has ended each subscriber must exit by itself
#                   within SUBSCRIBER_GRACE s (the stream ends with event:end); one still running is
#                   killed and makes the round invalid, and so does a stream without an
#                   event:snapshot, one whose last event is not an event:end with data COMPLETED, a
#                   snapshot whose data is not JSON, or a curl exit status other than 0.
#      After the POST (must answer 202 with the run id) the script asks GET /tests/{id}?wait=<s>
#      (SECONDS_PER_RUN + 60 s, at most 5m: the answer comes when the run has ended) until the
#      status is final (a build without ?wait= answers at once: then it asks every 0.5 s);
#      summary.throughput, summary.requests, summary.failures and summary.latencyMs.p99 are read
#      from the final answer. The same GET is made for both shapes.
#   6. the wrk reference again; then a table on stdout and in
#        bench/results/events-cost-<UTC timestamp>.md
#      with each round's req/s of alone and events, the per-round ratio events/alone, the medians,
#      the ratio of the medians (the verdict's figure), each median against wrk (mean of the two wrk
#      runs), the snapshots each subscriber received, the JVM's CPU time per request of each shape,
#      and the verdict. Raw material (every test definition, POST and final GET answer, every
#      subscriber's stream and exit status, wrk outputs, run-queue waits from
#      /proc/PID/task/*/schedstat, nginx.conf, the service's log) goes to
#        bench/results/events-cost-<UTC timestamp>-raw/     (ignored by git: bench/results/*-raw/)
#   nginx, the JVM and every curl the script started (subscribers included) are stopped on exit,
#   on error and on Ctrl-C (trap). No traffic leaves 127.0.0.1: nginx, Barrage and wrk are bound to
#   / aimed at loopback, curl runs with --noproxy '*'.
#
# Environment:
#   JAR                the build to measure (default: the newest target/barrage-*.jar of this repo)
#   ROUNDS             counted rounds per shape (default 5; the medians need an odd number to be a
#                      real sample: even numbers average the middle two)
#   SECONDS_PER_RUN    length of each counted test and of each wrk run (default 10)
#   USERS              closed-model users and wrk connections (default 100)
#   SUBSCRIBERS        event-stream clients following each events run (default 20; Barrage serves
#                      at most 256 streams at once)
#   SUBSCRIBER_CPU     the CPU the subscribers are pinned to (default 0, nginx's; not 1, the
#                      generator's)
#   GATE_SECONDS       length of the one-user gate run each test waits behind while its subscribers
#                      connect (default 2)
#   SUBSCRIBER_GRACE   seconds a subscriber has, after the run's final answer, to see event:end and
#                      exit by itself (default 10)
#   WARMUP_SECONDS     uncounted warm-up per shape (default 5)
#   PAUSE_SECONDS      settle time before each measurement (default 2)
#   MIN_RATIO          the least acceptable events/alone ratio of the medians (default 0.97)
#   JAVA               java binary (default /usr/lib/jvm/temurin-25-jdk-amd64/bin/java)
#   BARRAGE_JVM_FLAGS  extra JVM flags (default none)
#   BARRAGE_SECURITY_API_KEY  if set, Barrage requires it and the script (subscribers too) sends it
#   KEEP_TMP=1         keep the temp dir (the jar copy, nginx's temp files)
# Exit status: 0 the events run keeps MIN_RATIO, 2 it does not, 3 invalid (a counted test did not
# complete or had failed requests, or a subscriber of a counted run failed one of the checks in
# 5.), 1 any other error (e.g. Barrage refused the definition: its answer is printed).
# Duration: about 2*WARMUP + (2*ROUNDS + 2) * (SECONDS_PER_RUN + PAUSE) + the JVM's start-up;
# the defaults take about 2.5 minutes.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
RESULTS_DIR=$HERE/results
ROUNDS=${ROUNDS:-5}
SECONDS_PER_RUN=${SECONDS_PER_RUN:-10}
USERS=${USERS:-100}
SUBSCRIBERS=${SUBSCRIBERS:-20}
SUBSCRIBER_GRACE=${SUBSCRIBER_GRACE:-10}
GATE_SECONDS=${GATE_SECONDS:-2}
WARMUP_SECONDS=${WARMUP_SECONDS:-5}
PAUSE_SECONDS=${PAUSE_SECONDS:-2}
MIN_RATIO=${MIN_RATIO:-0.97}
JAVA=${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
BARRAGE_JVM_FLAGS=${BARRAGE_JVM_FLAGS:-}

LOG_TAG=events-cost
# shellcheck source=bench/lib.sh
source "$HERE/lib.sh"
SUBSCRIBER_CPU=${SUBSCRIBER_CPU:-$TARGET_CPU}

if [ -z "${JAR:-}" ]; then
    JAR=$(find "$ROOT/target" -maxdepth 1 -type f -name 'barrage-*.jar' -printf '%T@\t%p\n' 2>/dev/null \
        | sort -rn | head -1 | cut -f2-)
    [ -n "$JAR" ] || die "no target/barrage-*.jar: build one (./mvnw -q package -DskipTests) or set JAR"
fi
[ -f "$JAR" ] || die "JAR=$JAR does not exist"
for v in ROUNDS SECONDS_PER_RUN USERS SUBSCRIBERS SUBSCRIBER_GRACE WARMUP_SECONDS PAUSE_SECONDS; do
    if ! [[ ${!v} =~ ^[0-9]+$ ]] || [ "${!v}" -eq 0 ]; then die "$v must be a positive integer, not '${!v}'"; fi
done
[ "$USERS" -le 10000 ] || die "USERS must be at most 10000 (Barrage's workload.concurrency limit), not $USERS"
[ "$SUBSCRIBERS" -le 256 ] || die "SUBSCRIBERS must be at most 256 (Barrage's limit of open event streams), not $SUBSCRIBERS"
[[ $MIN_RATIO =~ ^[0-9]+(\.[0-9]+)?$ ]] || die "MIN_RATIO must be a number, not '$MIN_RATIO'"
[ -x "$JAVA" ] || die "no java at $JAVA (set JAVA to a JDK 25+ java binary)"
[ "$(nproc --all)" -ge 2 ] || die "needs at least 2 CPUs (nginx on CPU $TARGET_CPU, generators on CPU $GEN_CPU)"
if ! [[ $SUBSCRIBER_CPU =~ ^[0-9]+$ ]] || [ "$SUBSCRIBER_CPU" -ge "$(nproc --all)" ]; then
    die "SUBSCRIBER_CPU must be a CPU number below $(nproc --all), not '$SUBSCRIBER_CPU'"
fi
[ "$SUBSCRIBER_CPU" != "$GEN_CPU" ] || log "WARNING: SUBSCRIBER_CPU=$GEN_CPU is the generator's CPU: the subscribers' own cost will count against the events runs"

# ---------------------------------------------------------------------------------------------
# Tools: install what is missing (Debian)
# ---------------------------------------------------------------------------------------------
ensure_tools nginx
JAVA_VERSION=$("$JAVA" -version 2>&1 | head -1)

AUTH=()
[ -n "${BARRAGE_SECURITY_API_KEY:-}" ] && AUTH=(-H "Authorization: Bearer $BARRAGE_SECURITY_API_KEY")
# loopback only, whatever http_proxy / https_proxy / all_proxy say (lib.sh's probes use it too)
CURL=(curl -s --noproxy '*' "${AUTH[@]}")
# a subscriber: -N, every event as it comes
SUBSCRIBE=(curl -sN --noproxy '*' "${AUTH[@]}")

# ---------------------------------------------------------------------------------------------
# Results, temp dir, cleanup
# ---------------------------------------------------------------------------------------------
raise_nofile
[ "$NOFILE" -ge $((USERS * 2 + SUBSCRIBERS * 2 + 200)) ] || die "open-file limit is $NOFILE: too low for $USERS users"

STAMP=$(date -u +%Y%m%dT%H%M%SZ)
REPORT=$RESULTS_DIR/events-cost-$STAMP.md
RAW=$RESULTS_DIR/events-cost-$STAMP-raw
mkdir -p "$RAW"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/barrage-events-cost.XXXXXX")
chmod 755 "$TMP"  # nginx workers may run as another user

NGINX_PID=""
NGINX_WORKER=""
BARRAGE_PID=""
GET_PID=""      # the curl of a GET /tests/{id}?wait= in progress
SUB_PIDS=()     # the subscribers of the events run in progress

# ours PID: PID is a child of this shell not yet reaped (a curl it started): only such a process is
# ever signalled (a reaped PID may belong to someone else by now)
ours() {
    [ -n "$1" ] && [ "$(cut -d' ' -f4 "/proc/$1/stat" 2>/dev/null)" = "$$" ]
}
# alive PID: PID runs (a child that has exited but is not yet reaped is a zombie: not alive)
alive() {
    kill -0 "$1" 2>/dev/null && [ "$(cut -d' ' -f3 "/proc/$1/stat" 2>/dev/null)" != Z ]
}
# stop_curls: ends the subscribers and the waiting GET, if any are left (error, Ctrl-C)
# shellcheck disable=SC2317
stop_curls() {
    local pid
    for pid in "${SUB_PIDS[@]}" "$GET_PID"; do
        if ours "$pid"; then kill "$pid" 2>/dev/null || true; fi
    done
    for pid in "${SUB_PIDS[@]}" "$GET_PID"; do
        [ -z "$pid" ] || wait "$pid" 2>/dev/null || true
    done
    SUB_PIDS=(); GET_PID=""
}
# shellcheck disable=SC2317
cleanup() {
    local rc=$?
    trap - EXIT
    stop_curls
    stop "$BARRAGE_PID"; BARRAGE_PID=""
    stop_nginx
    if [ "${KEEP_TMP:-0}" = 1 ]; then log "kept $TMP"; else rm -rf "$TMP"; fi
    [ "$rc" -eq 0 ] || [ "$rc" -eq 2 ] || [ "$rc" -eq 3 ] || log "stopped early (exit $rc): partial raw outputs in $RAW"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

settle() { sleep "$PAUSE_SECONDS"; }

# ---------------------------------------------------------------------------------------------
# The target: nginx, one worker, pinned to CPU 0, loopback only
# ---------------------------------------------------------------------------------------------
start_nginx "" 'location = /fast { return 200 "ok\n"; }'
cp "$TMP/nginx.conf" "$RAW/nginx.conf"
FAST=http://127.0.0.1:$NGINX_PORT/fast

# ---------------------------------------------------------------------------------------------
# Barrage, pinned to CPU 1, started once
# ---------------------------------------------------------------------------------------------
cp "$JAR" "$TMP/barrage.jar"
PORT=$(free_port_except "$NGINX_PORT")
URL=http://127.0.0.1:$PORT
log "Barrage on $URL (CPU $GEN_CPU): $JAR"
barrage_start "$TMP/barrage.jar" "$PORT" "$RAW/service.log" --server.address=127.0.0.1
BARRAGE_PID=$!
wait_healthy Barrage "$URL" "$BARRAGE_PID" "$RAW/service.log" 120
meta service jar "$JAR"
meta service sha256 "$(sha256sum "$JAR" | cut -d' ' -f1)"
meta service jar_mtime "$(date -u -r "$JAR" +%Y-%m-%dT%H:%M:%SZ)"
meta service cmd "$(barrage_cmd barrage.jar "$PORT" --server.address=127.0.0.1)"
meta service java "$JAVA_VERSION"

# runs.tsv: KIND<TAB>SHAPE<TAB>ROUND<TAB>NAME, in the order the measurements ran
record() { printf '%s\t%s\t%s\t%s\n' "$@" >>"$RAW/runs.tsv"; }

json_field() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$@"; }

# subscribe NAME ID: starts the SUBSCRIBERS event-stream clients of run ID (PIDs in SUB_PIDS), each
# writing its stream to RAW/NAME.subNNN.sse (curl's stderr to RAW/NAME.subNNN.err)
subscribe() {
    local name=$1 id=$2 i file
    SUB_PIDS=()
    for ((i = 1; i <= SUBSCRIBERS; i++)); do
        file=$RAW/$name.sub$(printf '%03d' "$i")
        taskset -c "$SUBSCRIBER_CPU" "${SUBSCRIBE[@]}" "$URL/tests/$id/events" >"$file.sse" 2>"$file.err" &
        SUB_PIDS+=("$!")
    done
}

# collect_subscribers NAME: after the run's end, gives the subscribers SUBSCRIBER_GRACE s to exit by
# themselves, kills those still running, and writes RAW/NAME.subscribers.tsv:
# N<TAB>exit status<TAB>by_itself (yes/no)<TAB>ms after the run's final answer
collect_subscribers() {
    local name=$1 i=0 pid rc itself t0 deadline
    t0=$(now_ns)
    deadline=$((t0 + SUBSCRIBER_GRACE * 1000000000))
    for pid in "${SUB_PIDS[@]}"; do
        i=$((i + 1))
        while alive "$pid" && [ "$(now_ns)" -lt "$deadline" ]; do sleep 0.05; done
        itself=yes
        if alive "$pid"; then
            itself=no
            if ours "$pid"; then kill "$pid" 2>/dev/null || true; fi
        fi
        rc=0
        wait "$pid" 2>/dev/null || rc=$?
        printf '%s\t%s\t%s\t%s\n' "$i" "$rc" "$itself" $((($(now_ns) - t0) / 1000000)) >>"$RAW/$name.subscribers.tsv"
    done
    SUB_PIDS=()
}

# check_subscribers NAME: reads the streams of NAME's subscribers and writes
# RAW/NAME.subscribers.json (per subscriber: events, snapshots, the last event, problems); logs a line
check_subscribers() {
    python3 - "$RAW" "$1" <<'PY'
import json, sys
from pathlib import Path

raw, name = Path(sys.argv[1]), sys.argv[2]
final = json.loads((raw / f"{name}.json").read_text())
final_requests = (final.get("summary") or {}).get("requests")


def parse(text):
    """Server-sent events (WHATWG): blank-line separated; 'field:value', one optional space after
    the colon; lines starting with ':' are comments. A last event without its blank line is not
    dispatched (returned as the tail)."""
    events, comments, name, data, pending = [], 0, None, [], []
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if line == "":
            if name is not None or data:
                events.append((name or "message", "\n".join(data)))
            name, data, pending = None, [], []
            continue
        pending.append(line)
        if line.startswith(":"):
            comments += 1
            continue
        field, _, value = line.partition(":")
        value = value[1:] if value.startswith(" ") else value
        if field == "event":
            name = value
        elif field == "data":
            data.append(value)
    return events, comments, "\n".join(p for p in pending if not p.startswith(":"))


subs = []
for line in (raw / f"{name}.subscribers.tsv").read_text().splitlines():
    n, rc, itself, ms = line.split("\t")
    sse = raw / f"{name}.sub{int(n):03d}.sse"
    text = sse.read_text(errors="replace") if sse.exists() else ""
    events, comments, tail = parse(text)
    snapshots = [d for e, d in events if e == "snapshot"]
    problems, last_snapshot = [], None
    bad_json = 0
    for d in snapshots:
        try:
            last_snapshot = json.loads(d)
        except ValueError:
            bad_json += 1
    if itself != "yes":
        problems.append(f"still running {ms} ms after the run's final answer: killed")
    if rc != "0":
        problems.append(f"curl exit status {rc}")
    if not events:
        problems.append(f"not an event stream: {text[:200]!r}" if text.strip() else "an empty stream")
    else:
        if not snapshots:
            problems.append("no event:snapshot")
        if bad_json:
            problems.append(f"{bad_json} snapshot(s) whose data is not JSON")
        if events[-1] != ("end", "COMPLETED"):
            problems.append(f"the stream does not end with event:end data:COMPLETED (its last event: "
                            f"event:{events[-1][0]} data:{events[-1][1][:80]!r})")
        if tail:
            problems.append(f"an unterminated event after the last one: {tail[:80]!r}")
    run = (last_snapshot or {}).get("run") or {}
    subs.append({
        "n": int(n), "exit": int(rc), "by_itself": itself == "yes", "exit_ms_after_final": int(ms),
        "events": len(events), "snapshots": len(snapshots), "comments": comments,
        "other_events": sorted({e for e, _ in events} - {"snapshot", "end"}),
        "last_event": list(events[-1]) if events else None,
        "last_snapshot_status": run.get("status"),
        "last_snapshot_requests": (run.get("summary") or {}).get("requests"),
        "last_snapshot_latest_t": ((last_snapshot or {}).get("latest") or {}).get("t"),
        "bytes": len(text.encode()), "problems": problems})
bad = [s for s in subs if s["problems"]]
groups = {}  # the same problems, the subscribers that had them
for s in bad:
    groups.setdefault("; ".join(s["problems"]), []).append(s["n"])
agree = sum(1 for s in subs if s["last_snapshot_requests"] == final_requests)
out = {"final_requests": final_requests, "subscribers": subs, "bad": len(bad),
       "problems": [{"subscribers": ns, "problems": text} for text, ns in groups.items()],
       "final_snapshot_agrees": agree}
(raw / f"{name}.subscribers.json").write_text(json.dumps(out, indent=1))
counts = sorted(s["snapshots"] for s in subs)
msg = (f"{name}: {len(subs) - len(bad)}/{len(subs)} subscribers ok, snapshots per subscriber "
       f"{counts[0] if counts else '-'}..{counts[-1] if counts else '-'}, "
       f"last snapshot = final answer's requests for {agree}/{len(subs)}")
for text, ns in groups.items():
    msg += f"; {len(ns)} subscriber(s) (first: {ns[0]}): {text}"
print(msg, file=sys.stderr)
PY
}

# wait_final NAME ID SECS: GET /tests/ID?wait=... until the status is final; the answer goes to
# RAW/NAME.json. The curl runs in the background and is waited for, so that Ctrl-C or a TERM is
# acted on at once, not when the answer comes.
wait_final() {
    local name=$1 id=$2 secs=$3 w status asks=0 rc deadline
    w=$((secs + 60))
    [ "$w" -le 300 ] || w=300
    deadline=$(($(date +%s) + secs + 240))
    while true; do
        asks=$((asks + 1))
        "${CURL[@]}" -f --max-time $((w + 30)) -o "$RAW/$name.json" "$URL/tests/$id?wait=${w}s" &
        GET_PID=$!
        rc=0
        wait "$GET_PID" || rc=$?
        GET_PID=""
        [ "$rc" -eq 0 ] || die "GET $URL/tests/$id?wait=${w}s failed (curl exit $rc)"
        status=$(json_field "$RAW/$name.json" status)
        case $status in COMPLETED | CANCELLED | FAILED) break ;; esac
        [ "$(date +%s)" -lt "$deadline" ] || die "$name still $status $((secs + 240)) s after its start"
        sleep 0.5
    done
    meta "$name" final_get_asks "$asks"
}

# barrage_run NAME SHAPE SECONDS: one closed-model test of SHAPE alone or events (see the header);
# the definition goes to RAW/NAME.request.json, the POST answer to RAW/NAME.post.json, the final GET
# answer to RAW/NAME.json, timings and CPU waits to RAW/NAME.meta, the subscribers' streams to
# RAW/NAME.subNNN.sse and their checks to RAW/NAME.subscribers.{tsv,json}
barrage_run() {
    local name=$1 shape=$2 secs=$3 code id
    closed "events-cost-$name" "$FAST" "$USERS" "${secs}s" >"$RAW/$name.request.json"
    meta "$name" command "curl -s -X POST $URL/tests -H 'Content-Type: application/json' -d @$name.request.json"
    [ "$shape" = alone ] || meta "$name" subscriber_command \
        "$SUBSCRIBERS x taskset -c $SUBSCRIBER_CPU curl -sN --noproxy '*' $URL/tests/<id>/events > $name.subNNN.sse"
    # A short gate run goes first (one user, GATE_SECONDS), so this test waits QUEUED behind it
    # (max-running is 1) while its subscribers start and connect: their start-up (some 30 ms of CPU
    # each) then falls before the measured run, not inside it. Both shapes have the same gate.
    closed "events-cost-gate-$name" "$FAST" 1 "${GATE_SECONDS}s" >"$RAW/$name.gate.request.json"
    code=$("${CURL[@]}" -o "$RAW/$name.gate.post.json" -w '%{http_code}' -X POST "$URL/tests" \
        -H 'Content-Type: application/json' --data-binary "@$RAW/$name.gate.request.json") \
        || die "POST $URL/tests failed for the gate of $name"
    [ "$code" = 202 ] || die "POST $URL/tests answered $code, not 202, for the gate of $name"
    code=$("${CURL[@]}" -o "$RAW/$name.post.json" -w '%{http_code}' -X POST "$URL/tests" \
        -H 'Content-Type: application/json' --data-binary "@$RAW/$name.request.json") \
        || die "POST $URL/tests failed for $name"
    [ "$code" = 202 ] || die "POST $URL/tests answered $code, not 202, for $name: $(head -c 2000 "$RAW/$name.post.json")"
    if [[ $(head -c 200 "$RAW/$name.post.json") =~ ^\{\"id\":\"([^\"]+)\" ]]; then
        id=${BASH_REMATCH[1]}
    else
        id=$(json_field "$RAW/$name.post.json" id) || die "no id in the POST answer for $name"
    fi
    [ "$(json_field "$RAW/$name.post.json" status)" = QUEUED ] || log "WARNING: $name did not wait behind its gate"
    [ "$shape" = alone ] || subscribe "$name" "$id"
    # measure from the moment the test leaves the queue
    while [ "$("${CURL[@]}" "$URL/tests/$id" | python3 -c 'import json,sys; print(json.load(sys.stdin)["status"])')" = QUEUED ]; do
        sleep 0.05
    done
    measure_begin "$name" "$BARRAGE_PID"
    meta "$name" id "$id"
    wait_final "$name" "$id" "$secs"
    measure_end "$name" "$BARRAGE_PID"
    if [ "$shape" = events ]; then
        collect_subscribers "$name"
        check_subscribers "$name"
    fi
    [ "$(json_field "$RAW/$name.json" status)" = COMPLETED ] || log "WARNING: $name ended $(json_field "$RAW/$name.json" status)"
}


alternate_shapes alone events

# ---------------------------------------------------------------------------------------------
# Report: table on stdout, markdown in bench/results/events-cost-STAMP.md
# ---------------------------------------------------------------------------------------------
END_LOAD=$(loadavg)
export EC_RAW=$RAW EC_REPORT=$REPORT EC_STAMP=$STAMP EC_START_DATE=$START_DATE \
    EC_START_LOAD=$START_LOAD EC_END_LOAD=$END_LOAD EC_ROUNDS=$ROUNDS EC_SECONDS=$SECONDS_PER_RUN \
    EC_USERS=$USERS EC_SUBSCRIBERS=$SUBSCRIBERS EC_SUBSCRIBER_CPU=$SUBSCRIBER_CPU \
    EC_GRACE=$SUBSCRIBER_GRACE EC_WARMUP=$WARMUP_SECONDS EC_PAUSE=$PAUSE_SECONDS \
    EC_MIN_RATIO=$MIN_RATIO EC_JVM_FLAGS=$BARRAGE_JVM_FLAGS EC_NGINX_CMD=$NGINX_CMD
rc=0
PYTHONPATH="$HERE" python3 - <<'PY' || rc=$?
import json, os, re, statistics, sys
from pathlib import Path

import benchlib
from benchlib import f, md_table, median, text_table, wrk_ms, x

E = os.environ
RAW = Path(E["EC_RAW"])
min_ratio = float(E["EC_MIN_RATIO"])
SHAPES = ("alone", "events")
n_subs = int(E["EC_SUBSCRIBERS"])

def meta(name):
    return benchlib.meta(RAW, name)


runs = {s: [] for s in SHAPES}
warmups = []
wrk = []
order = []
every = {}
for line in (RAW / "runs.tsv").read_text().splitlines():
    kind, shape, rnd, name = line.split("\t")
    m = meta(name)
    order.append(name)
    if kind == "wrk":
        wrk.append(benchlib.wrk_run(RAW, name, m))
        continue
    doc = json.loads((RAW / f"{name}.json").read_text())
    s = doc.get("summary") or {}
    subs = None
    if shape == "events":
        p = RAW / f"{name}.subscribers.json"
        none = {"subscribers": [], "bad": 0, "problems": [], "final_snapshot_agrees": 0}
        subs = json.loads(p.read_text()) if p.exists() else none
    cpu = int(m["generator_cpu_ms"]) if m.get("generator_cpu_ms") else None
    r = {"name": name, "shape": shape, "round": int(rnd), "status": doc.get("status"),
         "rps": s.get("throughput"), "requests": s.get("requests"), "failures": s.get("failures"),
         "p99": (s.get("latencyMs") or {}).get("p99"), "warnings": doc.get("warnings") or [],
         "gen_wait": m.get("generator_wait_ms"), "gen_cpu": m.get("generator_cpu_ms"),
         "cpu_us_per_req": cpu * 1000 / s["requests"] if cpu is not None and s.get("requests") else None,
         "tgt_wait": m.get("target_wait_ms"), "subs": subs}
    every[name] = r
    (runs[shape] if kind == "round" else warmups).append(r)


def problems_of(r):
    out = benchlib.run_problems(r)
    if r["shape"] == "events":
        subs = r["subs"]["subscribers"]
        if len(subs) != n_subs:
            out.append(f"{len(subs)} subscribers checked, not {n_subs}")
        for g in r["subs"].get("problems", []):
            ns = g["subscribers"]
            out.append(f"{len(ns)} of {len(subs)} subscribers (first: {ns[0]}): {g['problems']}")
    return out


problems = [f"{r['name']}: " + ", ".join(p) for s in SHAPES for r in runs[s] if (p := problems_of(r))]
if not all(runs[s] for s in SHAPES):
    problems.append("a shape has no counted run")
warm_problems = [f"{r['name']}: " + ", ".join(p) for r in warmups if (p := problems_of(r))]


def snaps(r):
    return [sub["snapshots"] for sub in r["subs"]["subscribers"]] if r and r["subs"] else []


med = {s: median(r["rps"] for r in runs[s]) for s in SHAPES}
med_p99 = {s: median(r["p99"] for r in runs[s]) for s in SHAPES}
med_cpu = {s: median(r["cpu_us_per_req"] for r in runs[s]) for s in SHAPES}
by_round = {}
for s in SHAPES:
    for r in runs[s]:
        by_round.setdefault(r["round"], {})[s] = r
round_ratios = [b["events"]["rps"] / b["alone"]["rps"] for b in by_round.values()
                if "events" in b and "alone" in b and b["events"]["rps"] is not None and b["alone"]["rps"]]
ratio = med["events"] / med["alone"] if med["alone"] and med["events"] is not None else None
wrk_rps = [w["rps"] for w in wrk if w["rps"]]
wrk_ref = statistics.mean(wrk_rps) if wrk_rps else None
all_snaps = [n for r in runs["events"] for n in snaps(r)]
if problems or ratio is None:
    verdict, code = "INVALID: " + ("; ".join(problems) or "no ratio"), 3
elif ratio >= min_ratio:
    verdict, code = (f"PASS: followed by {n_subs} event streams the run keeps {ratio:.3f} x its req/s alone "
                     f"(needs >= {min_ratio:g})"), 0
else:
    verdict, code = (f"FAIL: followed by {n_subs} event streams the run keeps {ratio:.3f} x its req/s alone "
                     f"(needs >= {min_ratio:g})"), 2


def span(values):
    if not values:
        return "-"
    lo, hi = min(values), max(values)
    return str(lo) if lo == hi else f"{lo}-{hi}"


def subs_ok(r):
    if not r or not r["subs"]:
        return "-"
    subs = r["subs"]["subscribers"]
    return f"{len(subs) - r['subs']['bad']}/{len(subs)}"


head = ["round", "order", "alone req/s", "events req/s", "events/alone", "alone p99 ms",
        "events p99 ms", "alone wait ms", "events wait ms", "alone nginx wait ms", "events nginx wait ms",
        "snapshots/subscriber", "subscribers ok"]
rows = []
for rnd in sorted(by_round):
    a, b = by_round[rnd].get("alone"), by_round[rnd].get("events")
    rows.append([str(rnd), "alone,events" if rnd % 2 else "events,alone", f(a and a["rps"]),
                 f(b and b["rps"]), x(b and b["rps"], a and a["rps"]), f(a and a["p99"], ".2f"),
                 f(b and b["p99"], ".2f"), (a and a["gen_wait"]) or "-", (b and b["gen_wait"]) or "-",
                 (a and a["tgt_wait"]) or "-", (b and b["tgt_wait"]) or "-", span(snaps(b)), subs_ok(b)])
rows.append(["median", "", f(med["alone"]), f(med["events"]),
             f(statistics.median(round_ratios), ".3f") if round_ratios else "-",
             f(med_p99["alone"], ".2f"), f(med_p99["events"], ".2f"), "", "", "", "",
             f(median(all_snaps), "g") if all_snaps else "-", ""])
summary = [
    ["wrk (start)", f(wrk[0]["rps"]) if wrk else "-", f(wrk[0]["p99"], ".2f") if wrk else "-"],
    ["wrk (end)", f(wrk[-1]["rps"]) if len(wrk) > 1 else "-", f(wrk[-1]["p99"], ".2f") if len(wrk) > 1 else "-"],
    ["alone median / wrk mean", x(med["alone"], wrk_ref), ""],
    ["events median / wrk mean", x(med["events"], wrk_ref), ""],
    ["events median / alone median (verdict)", x(med["events"], med["alone"]), ""],
    ["median of the per-round ratios", f(statistics.median(round_ratios), ".3f") if round_ratios else "-", ""],
    ["JVM cpu us/request, alone (median)", f(med_cpu["alone"], ".2f"), ""],
    ["JVM cpu us/request, events (median)", f(med_cpu["events"], ".2f"), ""],
    ["wrk end / wrk start (drift)", x(wrk[-1]["rps"], wrk[0]["rps"]) if len(wrk) > 1 else "-", ""],
]


def agrees(r):
    if not r["subs"]:
        return ""
    return f"{r['subs']['final_snapshot_agrees']}/{len(r['subs']['subscribers'])}"


def exit_ms(r):
    if not r["subs"] or not r["subs"]["subscribers"]:
        return ""
    return str(max(sub["exit_ms_after_final"] for sub in r["subs"]["subscribers"]))


sm = meta("service")
title = (f"closed model, {E['EC_USERS']} users, immediate endpoint, {E['EC_SECONDS']} s per run, "
         f"{E['EC_ROUNDS']} round(s) per shape, {n_subs} event-stream subscribers on the events runs")
print()
print(f"Barrage events cost: {title}")
print(f"  jar: {sm.get('jar')} (sha256 {sm.get('sha256', '')[:12]})")
print(f"  alone: GET /fast, nobody following;  events: the same, followed by {n_subs} x "
      f"curl -sN .../tests/<id>/events (CPU {E['EC_SUBSCRIBER_CPU']})")
print("  snapshots/subscriber: event:snapshot events each subscriber received (min-max over the subscribers)")
print()
print(text_table(head, rows))
print()
print(text_table(["reference", "value", "p99 ms"], summary))
if warm_problems:
    print()
    print("warm-up problems (uncounted): " + "; ".join(warm_problems))
print()
print(verdict)
print("(wait ms: the JVM's run-queue wait during the run, i.e. time CPU 1 was taken by something else, or by its")
print(" own other threads -- on the events runs its stream threads too; nginx wait ms: the same for CPU 0,")
print(" where the subscribers run)")

warnings = sorted({w for s in SHAPES for r in runs[s] for w in r["warnings"]})
first_sub = RAW / "events-r1.sub001.sse"
sample = first_sub.read_text(errors="replace") if first_sub.exists() else ""
sample = "\n".join(line if len(line) <= 240 else line[:240] + " [...]" for line in sample.splitlines())
md = f"""# Barrage events cost {E['EC_STAMP']}

{title}; nginx (1 worker) on CPU 0, Barrage and wrk on CPU 1, one at a time, the subscribers on
CPU {E['EC_SUBSCRIBER_CPU']}; uncounted {E['EC_WARMUP']} s warm-up per shape; round order flips each round;
{E['EC_PAUSE']} s pause before each measurement. Made by `bench/events-cost.sh`.

**{verdict}** (rule: median req/s of the run followed by {n_subs} event streams >= {min_ratio:g} x the
median req/s of the same run alone, same run of the script)

| jar | sha256 | modified (UTC) |
|---|---|---|
| `{sm.get('jar')}` | `{sm.get('sha256')}` | {sm.get('jar_mtime')} |

- **alone**: closed model, {E['EC_USERS']} users, `GET /fast` (`return 200 "ok\\n"`), nobody following the run
- **events**: the same test; right after the POST answered 202, {n_subs} x
  `taskset -c {E['EC_SUBSCRIBER_CPU']} curl -sN --noproxy '*' http://127.0.0.1:<port>/tests/<id>/events`,
  each of which must exit by itself within {E['EC_GRACE']} s of the run's end, its stream holding at
  least one `event:snapshot` and ending with `event:end` / `data:COMPLETED`

## Rounds (req/s = summary.throughput, p99 = summary.latencyMs.p99)

{md_table(head, rows)}

The median row's events/alone is the median of the per-round ratios; the verdict uses the ratio
of the medians (below). snapshots/subscriber: the `event:snapshot` events each subscriber received
(min-max; the median row: over every subscriber of every round). wait ms: the JVM threads'
run-queue wait during the run (`/proc/PID/task/*/schedstat`, summed over its threads): time CPU 1
was taken by something else or by the JVM's own other threads (on the events runs its stream
threads wake once a second each (when the run publishes), and wait behind the load threads: a higher figure there is
expected); a round with a much larger wait than its pair was disturbed. nginx wait ms: the same for
nginx's worker on CPU 0, which the subscribers share (their start, some 30 ms of CPU each, falls
into the events runs).

## Reference

{md_table(["", "value", "p99 ms"], summary)}

JVM cpu us/request: the JVM's CPU time during the run over summary.requests (its cost per request,
the streams' share included on the events runs).

## Every measurement, in order

last snapshot = final: subscribers whose last snapshot's `run.summary.requests` equals the final
GET's. end ms: the last subscriber's exit, after the run's final GET answer.

{md_table(["run", "status", "req/s", "requests", "failures", "p99 ms", "JVM cpu ms", "JVM cpu us/req",
           "JVM wait ms", "nginx wait ms", "subscribers ok", "snapshots", "last snapshot = final", "end ms"],
          [[r["name"], r["status"], f(r["rps"]), f(r["requests"], ",d") if r["requests"] is not None else "-",
            r["failures"], f(r["p99"], ".2f"), r["gen_cpu"] or "-", f(r["cpu_us_per_req"], ".2f"),
            r["gen_wait"] or "-", r["tgt_wait"] or "-", subs_ok(r) if r["subs"] else "", span(snaps(r)) if r["subs"] else "",
            agrees(r), exit_ms(r)]
           for r in sorted(every.values(), key=lambda r: order.index(r["name"]))]
          + [[w["name"], w["errors"] or "ok", f(w["rps"]), f(w["requests"], ",d") if w["requests"] is not None else "-",
              "", f(w["p99"], ".2f"), "", "", "", w["wait"] or "-", "", "", "", ""] for w in wrk])}
{chr(10) + "Warm-up problems (uncounted): " + "; ".join(warm_problems) + chr(10) if warm_problems else ""}
## Barrage's warnings on the counted runs

{chr(10).join("- " + w for w in warnings) or "none"}

## Environment

- started {E['EC_START_DATE']}; load average at start {E['EC_START_LOAD']}, at end {E['EC_END_LOAD']}
- java: {sm.get('java')}; extra JVM flags: `{E['EC_JVM_FLAGS'] or 'none'}`
- Barrage: `{sm.get('cmd')}`
- nginx: `{E['EC_NGINX_CMD']}`
- wrk: `{meta('wrk-start').get('command', '')}`
- raw answers and streams: `bench/results/events-cost-{E['EC_STAMP']}-raw/` (not in git)

## A subscriber's stream (round 1, subscriber 1)

```
{sample.strip()}
```
"""
Path(E["EC_REPORT"]).write_text(md)
sys.exit(code)
PY
[ "$rc" -eq 1 ] && die "report failed"
log "wrote $REPORT and $RAW/"
exit "$rc"
