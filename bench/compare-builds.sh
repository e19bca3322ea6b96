#!/usr/bin/env bash
# Is a new Barrage build as fast as an old one? Both builds, one nginx, one wrk, one run.
#
#   OLD_JAR=/path/old.jar NEW_JAR=/path/new.jar bench/compare-builds.sh
#   OLD_JAR=... NEW_JAR=... ROUNDS=7 SECONDS_PER_RUN=10 USERS=100 bench/compare-builds.sh
#   OLD_JAR=a.jar NEW_JAR=a.jar ROUNDS=1 SECONDS_PER_RUN=2 bench/compare-builds.sh   # smoke test (~1 min)
#
# Acceptance rule: in the closed model, USERS users against an immediate endpoint, the new build's
# median req/s must be at least (100 - TOLERANCE_PCT) % of the old build's median, both measured in
# the SAME run (the machine has two noisy shared cores: absolute figures from different runs cannot
# be compared; a ratio taken in one run mostly can).
#
# What it does (same layout as bench/run.sh; the functions both use are in bench/lib.sh):
#   1. nginx, one worker, pinned to CPU 0, listening on 127.0.0.1 only:  /fast  return 200 "ok\n";
#   2. both jars (private copies in a temp dir: target/ may be rebuilt meanwhile) started ONCE each,
#      each pinned to CPU 1 with taskset, --server.port=<free port> --server.address=127.0.0.1
#      --barrage.targets.allow=127.0.0.0/8. Both JVMs stay up for the whole script, but only one
#      test runs at a time (the idle JVM shares CPU 1 with the busy one: the same for both builds).
#   3. wrk reference:  taskset -c 1 wrk -t1 -c$USERS -d${SECONDS_PER_RUN}s --latency .../fast
#   4. an uncounted WARMUP_SECONDS (5 s) JIT warm-up test of the same shape on each build;
#   5. ROUNDS rounds; each round one test on each build, the order flipping every round
#      (old,new / new,old / old,new ...), PAUSE_SECONDS apart. A test is
#        POST /tests  {"name":"...","request":{"url":"http://127.0.0.1:<nginx>/fast"},
#                      "workload":{"model":"closed","concurrency":$USERS,"duration":"${SECONDS_PER_RUN}s"}}
#      (must answer 202 with the run id), then GET /tests/{id} every 0.5 s until the status is
#      final; summary.throughput, summary.requests and summary.latencyMs.p99 are read from it.
#   6. the wrk reference again; then a table on stdout and in
#        bench/results/compare-<UTC timestamp>.md
#      with each round's req/s for old and new, the per-round ratio, the medians, the ratio
#      new/old of the medians, each build's median against wrk (mean of the two wrk runs), and the
#      verdict. Raw material (every POST and final GET answer, wrk outputs, run-queue waits from
#      /proc/PID/task/*/schedstat, nginx.conf, the services' logs) goes to
#        bench/results/compare-<UTC timestamp>-raw/        (ignored by git: bench/results/*-raw/)
#   nginx and both JVMs are stopped on exit, on error and on Ctrl-C (trap). No traffic leaves
#   127.0.0.1: nginx, Barrage and wrk are bound to / aimed at loopback, curl runs with --noproxy '*'.
#
# Environment:
#   OLD_JAR, NEW_JAR   the two builds (required; may be the same file, for an A/A check)
#   ROUNDS             counted rounds per build (default 5; the medians need an odd number to be a
#                      real sample: even numbers average the middle two)
#   SECONDS_PER_RUN    length of each counted test and of each wrk run (default 10)
#   USERS              closed-model users and wrk connections (default 100)
#   OPEN_RATE          if set, each test is an open-model one at this rate (req/s) instead: the
#                      achieved rate is compared (the report's title still says closed model)
#   WARMUP_SECONDS     uncounted warm-up per build (default 5)
#   PAUSE_SECONDS      settle time before each measurement (default 2)
#   TOLERANCE_PCT      acceptance tolerance in percent (default 3)
#   JAVA               java binary (default /usr/lib/jvm/temurin-25-jdk-amd64/bin/java)
#   BARRAGE_JVM_FLAGS  extra JVM flags, given to BOTH builds (default none)
#   OLD_JVM_FLAGS, NEW_JVM_FLAGS  extra JVM flags for one build only, after BARRAGE_JVM_FLAGS: with
#                      OLD_JAR=NEW_JAR this compares two flag sets in one run
#   BARRAGE_SECURITY_API_KEY  if set, both builds require it and the script sends it
#   KEEP_TMP=1         keep the temp dir (the jar copies, nginx's temp files)
# Exit status: 0 new within tolerance, 2 new slower than tolerance allows, 3 invalid (a counted
# test did not complete or had failed requests), 1 any other error.
# Duration: about 2*WARMUP + (2*ROUNDS + 2) * (SECONDS_PER_RUN + PAUSE) + JVM start-ups;
# the defaults take about 2.5 minutes.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
RESULTS_DIR=$HERE/results
ROUNDS=${ROUNDS:-5}
SECONDS_PER_RUN=${SECONDS_PER_RUN:-10}
USERS=${USERS:-100}
OPEN_RATE=${OPEN_RATE:-}
WARMUP_SECONDS=${WARMUP_SECONDS:-5}
PAUSE_SECONDS=${PAUSE_SECONDS:-2}
TOLERANCE_PCT=${TOLERANCE_PCT:-3}
JAVA=${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
BARRAGE_JVM_FLAGS=${BARRAGE_JVM_FLAGS:-}
OLD_JVM_FLAGS=${OLD_JVM_FLAGS:-}
NEW_JVM_FLAGS=${NEW_JVM_FLAGS:-}

LOG_TAG=compare
# shellcheck source=bench/lib.sh
source "$HERE/lib.sh"

[ -n "${OLD_JAR:-}" ] && [ -n "${NEW_JAR:-}" ] || die "set OLD_JAR and NEW_JAR (see the header of $0)"
[ -f "$OLD_JAR" ] || die "OLD_JAR=$OLD_JAR does not exist"
[ -f "$NEW_JAR" ] || die "NEW_JAR=$NEW_JAR does not exist"
for v in ROUNDS SECONDS_PER_RUN USERS WARMUP_SECONDS PAUSE_SECONDS; do
    [[ ${!v} =~ ^[0-9]+$ ]] && [ "${!v}" -gt 0 ] || die "$v must be a positive integer, not '${!v}'"
done
[[ $TOLERANCE_PCT =~ ^[0-9]+(\.[0-9]+)?$ ]] || die "TOLERANCE_PCT must be a number, not '$TOLERANCE_PCT'"
[ -x "$JAVA" ] || die "no java at $JAVA (set JAVA to a JDK 25+ java binary)"
[ "$(nproc --all)" -ge 2 ] || die "needs at least 2 CPUs (nginx on CPU $TARGET_CPU, generators on CPU $GEN_CPU)"

# ---------------------------------------------------------------------------------------------
# Tools: install what is missing (Debian)
# ---------------------------------------------------------------------------------------------
ensure_tools nginx
JAVA_VERSION=$("$JAVA" -version 2>&1 | head -1)

AUTH=()
[ -n "${BARRAGE_SECURITY_API_KEY:-}" ] && AUTH=(-H "Authorization: Bearer $BARRAGE_SECURITY_API_KEY")
# loopback only, whatever http_proxy / https_proxy / all_proxy say (lib.sh's probes use it too)
CURL=(curl -s --noproxy '*' "${AUTH[@]}")

# ---------------------------------------------------------------------------------------------
# Results, temp dir, cleanup
# ---------------------------------------------------------------------------------------------
raise_nofile
[ "$NOFILE" -ge $((USERS * 2 + 200)) ] || die "open-file limit is $NOFILE: too low for $USERS users"

STAMP=$(date -u +%Y%m%dT%H%M%SZ)
REPORT=$RESULTS_DIR/compare-$STAMP.md
RAW=$RESULTS_DIR/compare-$STAMP-raw
mkdir -p "$RAW"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/barrage-compare.XXXXXX")
chmod 755 "$TMP"  # nginx workers may run as another user

NGINX_PID=""
NGINX_WORKER=""
OLD_PID=""
NEW_PID=""
cleanup() {
    local rc=$?
    trap - EXIT
    stop "$NEW_PID"; NEW_PID=""
    stop "$OLD_PID"; OLD_PID=""
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
# The two builds, pinned to CPU 1, started once each
# ---------------------------------------------------------------------------------------------
declare -A PID_OF URL_OF PORT_OF
# start_build BUILD JAR: copies the jar, starts it on a free port, waits until it is healthy
start_build() {
    local build=$1 jar=$2 port pid url
    cp "$jar" "$TMP/$build.jar"
    port=$(free_port_except "$NGINX_PORT" "${PORT_OF[old]:-}")
    url=http://127.0.0.1:$port
    log "$build build on $url (CPU $GEN_CPU): $jar"
    local common_flags=$BARRAGE_JVM_FLAGS own_flags=$OLD_JVM_FLAGS
    [ "$build" = old ] || own_flags=$NEW_JVM_FLAGS
    BARRAGE_JVM_FLAGS="$common_flags${own_flags:+ $own_flags}"
    barrage_start "$TMP/$build.jar" "$port" "$RAW/$build-service.log" --server.address=127.0.0.1
    pid=$!
    if [ "$build" = old ]; then OLD_PID=$pid; else NEW_PID=$pid; fi
    wait_healthy "$build build" "$url" "$pid" "$RAW/$build-service.log" 120
    PID_OF[$build]=$pid URL_OF[$build]=$url PORT_OF[$build]=$port
    meta service "${build}_jar" "$jar"
    meta service "${build}_sha256" "$(sha256sum "$jar" | cut -d' ' -f1)"
    meta service "${build}_jar_mtime" "$(date -u -r "$jar" +%Y-%m-%dT%H:%M:%SZ)"
    meta service "${build}_cmd" "$(barrage_cmd "$build.jar" "$port" --server.address=127.0.0.1)"
    BARRAGE_JVM_FLAGS=$common_flags
}

# runs.tsv: KIND<TAB>BUILD<TAB>ROUND<TAB>NAME, in the order the measurements ran
record() { printf '%s\t%s\t%s\t%s\n' "$@" >>"$RAW/runs.tsv"; }

# barrage_run NAME BUILD SECONDS: one closed-model test on BUILD; the POST answer goes to
# RAW/NAME.post.json, the final GET answer to RAW/NAME.json, timings and CPU waits to RAW/NAME.meta
barrage_run() {
    local name=$1 build=$2 secs=$3 url=${URL_OF[$2]} pid=${PID_OF[$2]} body code id status polls=0
    if [ -n "$OPEN_RATE" ]; then
        body=$(open_ "compare-$name" "$FAST" "$OPEN_RATE" "${secs}s")
    else
        body=$(closed "compare-$name" "$FAST" "$USERS" "${secs}s")
    fi
    meta "$name" command "curl -s -X POST $url/tests -H 'Content-Type: application/json' -d '$body'"
    measure_begin "$name" "$pid"
    code=$("${CURL[@]}" -o "$RAW/$name.post.json" -w '%{http_code}' -X POST "$url/tests" \
        -H 'Content-Type: application/json' -d "$body") || die "POST $url/tests failed for $name"
    [ "$code" = 202 ] || die "POST $url/tests answered $code, not 202, for $name: $(head -c 500 "$RAW/$name.post.json")"
    id=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["id"])' "$RAW/$name.post.json") \
        || die "no id in the POST answer for $name"
    while true; do
        sleep 0.5
        "${CURL[@]}" -f -o "$RAW/$name.json" "$url/tests/$id" || die "GET $url/tests/$id failed"
        status=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["status"])' "$RAW/$name.json")
        case $status in COMPLETED | CANCELLED | FAILED) break ;; esac
        polls=$((polls + 1))
        [ "$polls" -lt $((secs * 2 + 240)) ] || die "$name still $status $((polls / 2)) s after its start"
    done
    measure_end "$name" "$pid"
    [ "$status" = COMPLETED ] || log "WARNING: $name ended $status"
}

# wrk_run NAME: the reference, pinned to CPU 1 like the builds (both idle meanwhile)
wrk_run() {
    local name=$1 rc=0
    meta "$name" command "taskset -c $GEN_CPU wrk -t1 -c$USERS -d${SECONDS_PER_RUN}s --latency $FAST"
    measure_begin "$name"
    taskset -c $GEN_CPU wrk -t1 -c"$USERS" -d"${SECONDS_PER_RUN}s" --latency "$FAST" >"$RAW/$name.out" 2>&1 || rc=$?
    measure_end "$name"
    meta "$name" exit_code "$rc"
    [ "$rc" -eq 0 ] || die "wrk exited with $rc: $(tail -5 "$RAW/$name.out")"
    record wrk wrk - "$name"
}

START_DATE=$(date -u +%Y-%m-%dT%H:%M:%SZ)
START_LOAD=$(loadavg)
start_build old "$OLD_JAR"
start_build new "$NEW_JAR"
meta service java "$JAVA_VERSION"

settle
log "wrk reference (start), ${SECONDS_PER_RUN} s"
wrk_run wrk-start

for build in old new; do
    settle
    log "warm-up on $build (uncounted), ${WARMUP_SECONDS} s"
    barrage_run "warmup-$build" "$build" "$WARMUP_SECONDS"
    record warmup "$build" 0 "warmup-$build"
done

for ((round = 1; round <= ROUNDS; round++)); do
    if ((round % 2)); then order=(old new); else order=(new old); fi
    for build in "${order[@]}"; do
        settle
        log "round $round/$ROUNDS: $build, ${SECONDS_PER_RUN} s"
        barrage_run "$build-r$round" "$build" "$SECONDS_PER_RUN"
        record round "$build" "$round" "$build-r$round"
    done
done

settle
log "wrk reference (end), ${SECONDS_PER_RUN} s"
wrk_run wrk-end

# ---------------------------------------------------------------------------------------------
# Report: table on stdout, markdown in bench/results/compare-STAMP.md
# ---------------------------------------------------------------------------------------------
export CMP_RAW=$RAW CMP_REPORT=$REPORT CMP_STAMP=$STAMP CMP_START_DATE=$START_DATE \
    CMP_START_LOAD=$START_LOAD CMP_END_LOAD="$(loadavg)" CMP_ROUNDS=$ROUNDS CMP_SECONDS=$SECONDS_PER_RUN \
    CMP_USERS=$USERS CMP_WARMUP=$WARMUP_SECONDS CMP_PAUSE=$PAUSE_SECONDS CMP_TOL=$TOLERANCE_PCT \
    CMP_JVM_FLAGS="$BARRAGE_JVM_FLAGS${OLD_JVM_FLAGS:+ old: $OLD_JVM_FLAGS}${NEW_JVM_FLAGS:+ new: $NEW_JVM_FLAGS}" CMP_NGINX_CMD=$NGINX_CMD
rc=0
PYTHONPATH="$HERE" python3 - <<'PY' || rc=$?
import json, os, re, statistics, sys
from pathlib import Path

import benchlib
from benchlib import f

E = os.environ
RAW = Path(E["CMP_RAW"])
tol = float(E["CMP_TOL"])

def meta(name):
    return benchlib.meta(RAW, name)


runs = {"old": [], "new": []}
wrk = []
order = []
for line in (RAW / "runs.tsv").read_text().splitlines():
    kind, build, rnd, name = line.split("\t")
    m = meta(name)
    if kind == "wrk":
        wrk.append(benchlib.wrk_run(RAW, name, m))
        order.append(name)
        continue
    doc = json.loads((RAW / f"{name}.json").read_text())
    s = doc.get("summary") or {}
    r = {"name": name, "build": build, "round": int(rnd), "status": doc.get("status"),
         "rps": s.get("throughput"), "requests": s.get("requests"), "failures": s.get("failures"),
         "p99": (s.get("latencyMs") or {}).get("p99"), "gen_wait": m.get("generator_wait_ms"),
         "gen_cpu": m.get("generator_cpu_ms"), "tgt_wait": m.get("target_wait_ms")}
    order.append(name)
    if kind == "round":
        runs[build].append(r)

problems = [f"{r['name']}: {r['status']}, {r['failures']} failed requests"
            for b in runs for r in runs[b]
            if r["status"] != "COMPLETED" or (r["failures"] or 0) > 0 or r["rps"] is None]
by_round = {}
for b in runs:
    for r in runs[b]:
        by_round.setdefault(r["round"], {})[b] = r
med = {b: statistics.median([r["rps"] for r in runs[b] if r["rps"] is not None]) if runs[b] else None
       for b in runs}
med_p99 = {b: statistics.median([r["p99"] for r in runs[b] if r["p99"] is not None]) if runs[b] else None
           for b in runs}
ratio = med["new"] / med["old"] if med["old"] and med["new"] is not None else None
wrk_rps = [w["rps"] for w in wrk if w["rps"]]
wrk_ref = statistics.mean(wrk_rps) if wrk_rps else None
floor = 1 - tol / 100
if problems or ratio is None:
    verdict, code = "INVALID: " + ("; ".join(problems) or "no ratio"), 3
elif ratio >= floor:
    verdict, code = f"PASS: new is {ratio * 100:.1f} % of old (needs >= {floor * 100:.1f} %)", 0
else:
    verdict, code = f"FAIL: new is {ratio * 100:.1f} % of old (needs >= {floor * 100:.1f} %)", 2


def pct(a, b):
    return "-" if a is None or not b else f"{a / b * 100:.1f} %"


# -- per-round table (stdout and markdown share the rows)
head = ["round", "order", "old req/s", "new req/s", "new/old", "old p99 ms", "new p99 ms",
        "old wait ms", "new wait ms"]
rows = []
for rnd in sorted(by_round):
    o, n = by_round[rnd].get("old"), by_round[rnd].get("new")
    first = "old,new" if rnd % 2 else "new,old"
    rows.append([str(rnd), first, f(o and o["rps"]), f(n and n["rps"]),
                 pct(n and n["rps"], o and o["rps"]), f(o and o["p99"], ".2f"), f(n and n["p99"], ".2f"),
                 (o and o["gen_wait"]) or "-", (n and n["gen_wait"]) or "-"])
rows.append(["median", "", f(med["old"]), f(med["new"]), pct(med["new"], med["old"]),
             f(med_p99["old"], ".2f"), f(med_p99["new"], ".2f"), "", ""])
summary = [
    ["wrk (start)", f(wrk[0]["rps"]) if wrk else "-", f(wrk[0]["p99"], ".2f") if wrk else "-"],
    ["wrk (end)", f(wrk[-1]["rps"]) if len(wrk) > 1 else "-", f(wrk[-1]["p99"], ".2f") if len(wrk) > 1 else "-"],
    ["old median / wrk mean", pct(med["old"], wrk_ref), ""],
    ["new median / wrk mean", pct(med["new"], wrk_ref), ""],
    ["new median / old median", pct(med["new"], med["old"]), ""],
    ["wrk end / wrk start (drift)", pct(wrk[-1]["rps"], wrk[0]["rps"]) if len(wrk) > 1 else "-", ""],
]


def text_table(head, rows):
    w = [max(len(str(x)) for x in col) for col in zip(head, *rows)]
    line = lambda r: "  ".join(str(x).rjust(w[i]) if i else str(x).ljust(w[i]) for i, x in enumerate(r))
    return "\n".join([line(head), line(["-" * x for x in w])] + [line(r) for r in rows])


def md_table(head, rows):
    out = ["| " + " | ".join(head) + " |", "|" + "|".join("---" if i == 0 else "--:" for i in range(len(head))) + "|"]
    return "\n".join(out + ["| " + " | ".join(str(x) for x in r) + " |" for r in rows])


sm = meta("service")
title = (f"closed model, {E['CMP_USERS']} users, /fast (return 200), {E['CMP_SECONDS']} s per run, "
         f"{E['CMP_ROUNDS']} round(s) per build")
print()
print(f"Barrage build comparison: {title}")
print(f"  old: {sm.get('old_jar')} (sha256 {sm.get('old_sha256', '')[:12]})")
print(f"  new: {sm.get('new_jar')} (sha256 {sm.get('new_sha256', '')[:12]})")
print()
print(text_table(head, rows))
print()
print(text_table(["reference", "req/s", "p99 ms"], summary))
print()
print(verdict)
print("(wait ms: the JVM's run-queue wait during the run, i.e. time CPU 1 was taken by something else)")

md = f"""# Barrage build comparison {E['CMP_STAMP']}

{title}; nginx (1 worker) on CPU 0, each build and wrk on CPU 1, one at a time,
both builds' JVMs up for the whole run; uncounted {E['CMP_WARMUP']} s warm-up per build; round order flips
each round; {E['CMP_PAUSE']} s pause before each measurement. Made by `bench/compare-builds.sh`.

**{verdict}** (rule: median req/s of new >= {100 - tol:g} % of old's, same run)

| | jar | sha256 | modified (UTC) |
|---|---|---|---|
| old | `{sm.get('old_jar')}` | `{sm.get('old_sha256')}` | {sm.get('old_jar_mtime')} |
| new | `{sm.get('new_jar')}` | `{sm.get('new_sha256')}` | {sm.get('new_jar_mtime')} |

## Rounds (req/s = summary.throughput, p99 = summary.latencyMs.p99)

{md_table(head, rows)}

wait ms: the build's JVM threads' run-queue wait during the run (`/proc/PID/task/*/schedstat`):
time CPU 1 was taken by something else; a round with a much larger wait than its pair was disturbed.

## Reference

{md_table(["", "req/s", "p99 ms"], summary)}

## Every measurement, in order

{md_table(["run", "status", "req/s", "requests", "failures", "p99 ms", "JVM cpu ms", "JVM wait ms", "nginx wait ms"],
          [[r["name"], r["status"], f(r["rps"]), f(r["requests"], ",d") if r["requests"] is not None else "-",
            r["failures"], f(r["p99"], ".2f"), r["gen_cpu"] or "-", r["gen_wait"] or "-", r["tgt_wait"] or "-"]
           for r in sorted(runs["old"] + runs["new"], key=lambda r: order.index(r["name"]))]
          + [[w["name"], w["errors"] or "ok", f(w["rps"]), f(w["requests"], ",d") if w["requests"] is not None else "-",
              "", f(w["p99"], ".2f"), "", "", w["wait"] or "-"] for w in wrk])}

## Environment

- started {E['CMP_START_DATE']}; load average at start {E['CMP_START_LOAD']}, at end {E['CMP_END_LOAD']}
- java: {sm.get('java')}; extra JVM flags: `{E['CMP_JVM_FLAGS'] or 'none'}`
- old: `{sm.get('old_cmd')}`
- new: `{sm.get('new_cmd')}`
- nginx: `{E['CMP_NGINX_CMD']}`
- wrk: `{meta('wrk-start').get('command', '')}`
- test: `{meta(runs['old'][0]['name']).get('command', '') if runs['old'] else ''}`
- raw answers: `bench/results/compare-{E['CMP_STAMP']}-raw/` (not in git)
"""
Path(E["CMP_REPORT"]).write_text(md)
sys.exit(code)
PY
[ "$rc" -eq 1 ] && die "report failed"
log "wrote $REPORT and $RAW/"
exit "$rc"
