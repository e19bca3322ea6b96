#!/usr/bin/env bash
# What does a scenario cost? A three-step scenario against single requests, one nginx, one run.
#
#   bench/scenario-cost.sh                                   # the newest target/barrage-*.jar
#   JAR=/path/barrage.jar ROUNDS=7 SECONDS_PER_RUN=10 USERS=100 bench/scenario-cost.sh
#   ROUNDS=1 SECONDS_PER_RUN=2 WARMUP_SECONDS=2 bench/scenario-cost.sh   # smoke test (~1 min)
#
# Acceptance rule: in the closed model, USERS users against immediate endpoints, a three-step
# scenario -- each step with two templates, one JSON capture and one check -- reaches at least
# MIN_RATIO (0.7) x the median req/s of single requests, counting every step's request, both
# measured in the SAME run (the machine has two noisy shared cores: absolute figures from different
# runs cannot be compared; a ratio taken in one run mostly can).
#
# What it does (same layout as bench/compare-builds.sh; the functions both use are in bench/lib.sh, and
# the report's, shared with bench/events-cost.sh, in bench/benchlib.py):
#   1. nginx, one worker, pinned to CPU 0, listening on 127.0.0.1 only, with
#        /fast                                   return 200 "ok\n";
#        /s/login, /s/items, /s/orders/42        return 200 '{"token":"abc123","id":"42","v":"ok"}';
#                                                (application/json; exact locations, so a wrong
#                                                capture shows as a 404, i.e. a failed request)
#   2. the jar (a private copy in a temp dir: target/ may be rebuilt meanwhile) started once,
#      pinned to CPU 1 with taskset, --server.port=<free port> --server.address=127.0.0.1
#      --barrage.targets.allow=127.0.0.0/8;
#   3. wrk reference:  taskset -c 1 wrk -t1 -c$USERS -d${SECONDS_PER_RUN}s --latency .../fast
#   4. an uncounted WARMUP_SECONDS (5 s) JIT warm-up of each shape (single, then scenario);
#   5. ROUNDS rounds; each round one test of each shape, the order flipping every round
#      (single,scenario / scenario,single / ...), PAUSE_SECONDS apart. The shapes, both closed
#      model, USERS users, SECONDS_PER_RUN s:
#        single    {"request":{"url":"http://127.0.0.1:<nginx>/fast"}, "workload":{...}}
#        scenario  "variables":{"base":"http://127.0.0.1:<nginx>"}, one scenario of three steps:
#          first   POST {{base}}/s/login  body {"vu":"{{$vu}}","n":"{{$iteration}}"}
#                  (Content-Type: application/json)   capture $.token as token; check status [200,299]
#          second  GET {{base}}/s/items?t={{token}}&r={{$randomInt(1,1000)}}
#                  capture $.id as id;   check jsonPath $.id exists true
#          third   GET {{base}}/s/orders/{{id}}?k={{$uuid}}
#                  capture $.v as v;     check bodyContains "ok"
#      A test is POST /tests (must answer 202 with the run id), then GET /tests/{id} every 0.5 s
#      until the status is final; summary.throughput (requests per second, all steps' requests),
#      summary.requests, summary.failures, summary.checks.failed, summary.iterations and
#      summary.latencyMs.p99 are read from it.
#   6. the wrk reference again; then a table on stdout and in
#        bench/results/scenario-cost-<UTC timestamp>.md
#      with each round's req/s of single and scenario, the per-round ratio scenario/single, the
#      medians, the ratio of the medians (the verdict's figure), each median against wrk (mean of
#      the two wrk runs), and the verdict. Raw material (every test definition, POST and final GET
#      answer, wrk outputs, run-queue waits from /proc/PID/task/*/schedstat, nginx.conf, the
#      service's log) goes to
#        bench/results/scenario-cost-<UTC timestamp>-raw/     (ignored by git: bench/results/*-raw/)
#   nginx and the JVM are stopped on exit, on error and on Ctrl-C (trap). No traffic leaves
#   127.0.0.1: nginx, Barrage and wrk are bound to / aimed at loopback, curl runs with --noproxy '*'.
#
# Environment:
#   JAR                the build to measure (default: the newest target/barrage-*.jar of this repo)
#   ROUNDS             counted rounds per shape (default 5; the medians need an odd number to be a
#                      real sample: even numbers average the middle two)
#   SECONDS_PER_RUN    length of each counted test and of each wrk run (default 10)
#   USERS              closed-model users and wrk connections (default 100)
#   WARMUP_SECONDS     uncounted warm-up per shape (default 5)
#   PAUSE_SECONDS      settle time before each measurement (default 2)
#   MIN_RATIO          the least acceptable scenario/single ratio of the medians (default 0.7)
#   JAVA               java binary (default /usr/lib/jvm/temurin-25-jdk-amd64/bin/java)
#   BARRAGE_JVM_FLAGS  extra JVM flags (default none)
#   BARRAGE_SECURITY_API_KEY  if set, Barrage requires it and the script sends it
#   KEEP_TMP=1         keep the temp dir (the jar copy, nginx's temp files)
# Exit status: 0 the scenario reaches MIN_RATIO, 2 it does not, 3 invalid (a counted test did not
# complete, had failed requests or failed checks, or the scenario counted no checks), 1 any other
# error (e.g. Barrage refused a definition: its answer is printed).
# Duration: about 2*WARMUP + (2*ROUNDS + 2) * (SECONDS_PER_RUN + PAUSE) + the JVM's start-up;
# the defaults take about 2.5 minutes.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
RESULTS_DIR=$HERE/results
ROUNDS=${ROUNDS:-5}
SECONDS_PER_RUN=${SECONDS_PER_RUN:-10}
USERS=${USERS:-100}
WARMUP_SECONDS=${WARMUP_SECONDS:-5}
PAUSE_SECONDS=${PAUSE_SECONDS:-2}
MIN_RATIO=${MIN_RATIO:-0.7}
JAVA=${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
BARRAGE_JVM_FLAGS=${BARRAGE_JVM_FLAGS:-}

LOG_TAG=scenario-cost
# shellcheck source=bench/lib.sh
source "$HERE/lib.sh"

if [ -z "${JAR:-}" ]; then
    JAR=$(find "$ROOT/target" -maxdepth 1 -type f -name 'barrage-*.jar' -printf '%T@\t%p\n' 2>/dev/null \
        | sort -rn | head -1 | cut -f2-)
    [ -n "$JAR" ] || die "no target/barrage-*.jar: build one (./mvnw -q package -DskipTests) or set JAR"
fi
[ -f "$JAR" ] || die "JAR=$JAR does not exist"
for v in ROUNDS SECONDS_PER_RUN USERS WARMUP_SECONDS PAUSE_SECONDS; do
    if ! [[ ${!v} =~ ^[0-9]+$ ]] || [ "${!v}" -eq 0 ]; then die "$v must be a positive integer, not '${!v}'"; fi
done
[ "$USERS" -le 10000 ] || die "USERS must be at most 10000 (Barrage's workload.concurrency limit), not $USERS"
[[ $MIN_RATIO =~ ^[0-9]+(\.[0-9]+)?$ ]] || die "MIN_RATIO must be a number, not '$MIN_RATIO'"
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
REPORT=$RESULTS_DIR/scenario-cost-$STAMP.md
RAW=$RESULTS_DIR/scenario-cost-$STAMP-raw
mkdir -p "$RAW"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/barrage-scenario-cost.XXXXXX")
chmod 755 "$TMP"  # nginx workers may run as another user

NGINX_PID=""
NGINX_WORKER=""
BARRAGE_PID=""
# shellcheck disable=SC2317
cleanup() {
    local rc=$?
    trap - EXIT
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
JSON_ANSWER='{"token":"abc123","id":"42","v":"ok"}'
json_location() { echo "location = $1 { default_type application/json; return 200 '$JSON_ANSWER'; }"; }
start_nginx "" 'location = /fast { return 200 "ok\n"; }' \
    "$(json_location /s/login)" "$(json_location /s/items)" "$(json_location /s/orders/42)"
cp "$TMP/nginx.conf" "$RAW/nginx.conf"
BASE=http://127.0.0.1:$NGINX_PORT
FAST=$BASE/fast

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

# test_body SHAPE NAME SECONDS: the JSON of a POST /tests, SHAPE single or scenario (see the header)
test_body() {
    python3 - "$1" "$2" "$3" "$BASE" "$USERS" <<'PY'
import json, sys

shape, name, secs, base, users = sys.argv[1:6]
workload = {"model": "closed", "concurrency": int(users), "duration": f"{secs}s"}
if shape == "single":
    doc = {"name": name, "request": {"url": f"{base}/fast"}, "workload": workload}
else:
    doc = {
        "name": name,
        "variables": {"base": base},
        "scenarios": [{"name": "three-steps", "steps": [
            {"name": "first",
             "request": {"method": "POST", "url": "{{base}}/s/login",
                         "headers": {"Content-Type": "application/json"},
                         "body": '{"vu":"{{$vu}}","n":"{{$iteration}}"}'},
             "capture": [{"jsonPath": "$.token", "as": "token"}],
             "checks": [{"status": [200, 299]}]},
            {"name": "second",
             "request": {"url": "{{base}}/s/items?t={{token}}&r={{$randomInt(1,1000)}}"},
             "capture": [{"jsonPath": "$.id", "as": "id"}],
             "checks": [{"jsonPath": "$.id", "exists": True}]},
            {"name": "third",
             "request": {"url": "{{base}}/s/orders/{{id}}?k={{$uuid}}"},
             "capture": [{"jsonPath": "$.v", "as": "v"}],
             "checks": [{"bodyContains": "ok"}]},
        ]}],
        "workload": workload,
    }
print(json.dumps(doc, indent=1))
PY
}

# runs.tsv: KIND<TAB>SHAPE<TAB>ROUND<TAB>NAME, in the order the measurements ran
record() { printf '%s\t%s\t%s\t%s\n' "$@" >>"$RAW/runs.tsv"; }

json_field() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$@"; }

# barrage_run NAME SHAPE SECONDS: one closed-model test; the definition goes to RAW/NAME.request.json,
# the POST answer to RAW/NAME.post.json, the final GET answer to RAW/NAME.json, timings and CPU
# waits to RAW/NAME.meta
barrage_run() {
    local name=$1 shape=$2 secs=$3 code id status polls=0
    test_body "$shape" "scenario-cost-$name" "$secs" >"$RAW/$name.request.json"
    meta "$name" command "curl -s -X POST $URL/tests -H 'Content-Type: application/json' -d @$name.request.json"
    measure_begin "$name" "$BARRAGE_PID"
    code=$("${CURL[@]}" -o "$RAW/$name.post.json" -w '%{http_code}' -X POST "$URL/tests" \
        -H 'Content-Type: application/json' --data-binary "@$RAW/$name.request.json") \
        || die "POST $URL/tests failed for $name"
    [ "$code" = 202 ] || die "POST $URL/tests answered $code, not 202, for $name: $(head -c 2000 "$RAW/$name.post.json")"
    id=$(json_field "$RAW/$name.post.json" id) || die "no id in the POST answer for $name"
    while true; do
        sleep 0.5
        "${CURL[@]}" -f -o "$RAW/$name.json" "$URL/tests/$id" || die "GET $URL/tests/$id failed"
        status=$(json_field "$RAW/$name.json" status)
        case $status in COMPLETED | CANCELLED | FAILED) break ;; esac
        polls=$((polls + 1))
        [ "$polls" -lt $((secs * 2 + 240)) ] || die "$name still $status $((polls / 2)) s after its start"
    done
    measure_end "$name" "$BARRAGE_PID"
    [ "$status" = COMPLETED ] || log "WARNING: $name ended $status"
}


alternate_shapes single scenario

# ---------------------------------------------------------------------------------------------
# Report: table on stdout, markdown in bench/results/scenario-cost-STAMP.md
# ---------------------------------------------------------------------------------------------
END_LOAD=$(loadavg)
export SC_RAW=$RAW SC_REPORT=$REPORT SC_STAMP=$STAMP SC_START_DATE=$START_DATE \
    SC_START_LOAD=$START_LOAD SC_END_LOAD=$END_LOAD SC_ROUNDS=$ROUNDS SC_SECONDS=$SECONDS_PER_RUN \
    SC_USERS=$USERS SC_WARMUP=$WARMUP_SECONDS SC_PAUSE=$PAUSE_SECONDS SC_MIN_RATIO=$MIN_RATIO \
    SC_JVM_FLAGS=$BARRAGE_JVM_FLAGS SC_NGINX_CMD=$NGINX_CMD
rc=0
PYTHONPATH="$HERE" python3 - <<'PY' || rc=$?
import json, os, re, statistics, sys
from pathlib import Path

import benchlib
from benchlib import f, md_table, median, text_table, wrk_ms, x

E = os.environ
RAW = Path(E["SC_RAW"])
min_ratio = float(E["SC_MIN_RATIO"])
SHAPES = ("single", "scenario")

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
    checks = s.get("checks") or {}
    it = s.get("iterations") or {}
    elapsed = s.get("elapsedSeconds")
    r = {"name": name, "shape": shape, "round": int(rnd), "status": doc.get("status"),
         "rps": s.get("throughput"), "requests": s.get("requests"), "failures": s.get("failures"),
         "checks_passed": checks.get("passed"), "checks_failed": checks.get("failed"),
         "iterations": it, "its": (it.get("completed") / elapsed) if it.get("completed") is not None and elapsed else None,
         "p99": (s.get("latencyMs") or {}).get("p99"), "warnings": doc.get("warnings") or [],
         "gen_wait": m.get("generator_wait_ms"), "gen_cpu": m.get("generator_cpu_ms"),
         "tgt_wait": m.get("target_wait_ms")}
    every[name] = r
    (runs[shape] if kind == "round" else warmups).append(r)


def problems_of(r):
    out = benchlib.run_problems(r)
    if (r["checks_failed"] or 0) > 0:
        out.append(f"{r['checks_failed']} failed checks")
    if r["shape"] == "scenario":
        if not r["checks_passed"]:
            out.append("no passed checks counted (summary.checks missing or empty)")
        if (r["iterations"].get("aborted") or 0) > 0:
            out.append(f"{r['iterations']['aborted']} aborted iterations")
    return out


problems = [f"{r['name']}: " + ", ".join(p) for s in SHAPES for r in runs[s] if (p := problems_of(r))]
if not all(runs[s] for s in SHAPES):
    problems.append("a shape has no counted run")
warm_problems = [f"{r['name']}: " + ", ".join(p) for r in warmups if (p := problems_of(r))]


med = {s: median(r["rps"] for r in runs[s]) for s in SHAPES}
med_p99 = {s: median(r["p99"] for r in runs[s]) for s in SHAPES}
med_its = median(r["its"] for r in runs["scenario"])
by_round = {}
for s in SHAPES:
    for r in runs[s]:
        by_round.setdefault(r["round"], {})[s] = r
round_ratios = [b["scenario"]["rps"] / b["single"]["rps"] for b in by_round.values()
                if "scenario" in b and "single" in b and b["scenario"]["rps"] is not None and b["single"]["rps"]]
ratio = med["scenario"] / med["single"] if med["single"] and med["scenario"] is not None else None
wrk_rps = [w["rps"] for w in wrk if w["rps"]]
wrk_ref = statistics.mean(wrk_rps) if wrk_rps else None
if problems or ratio is None:
    verdict, code = "INVALID: " + ("; ".join(problems) or "no ratio"), 3
elif ratio >= min_ratio:
    verdict, code = f"PASS: the scenario reaches {ratio:.3f} x the single-request req/s (needs >= {min_ratio:g})", 0
else:
    verdict, code = f"FAIL: the scenario reaches {ratio:.3f} x the single-request req/s (needs >= {min_ratio:g})", 2


head = ["round", "order", "single req/s", "scenario req/s", "scenario/single", "single p99 ms",
        "scenario p99 ms", "single wait ms", "scenario wait ms"]
rows = []
for rnd in sorted(by_round):
    a, b = by_round[rnd].get("single"), by_round[rnd].get("scenario")
    rows.append([str(rnd), "single,scenario" if rnd % 2 else "scenario,single", f(a and a["rps"]),
                 f(b and b["rps"]), x(b and b["rps"], a and a["rps"]), f(a and a["p99"], ".2f"),
                 f(b and b["p99"], ".2f"), (a and a["gen_wait"]) or "-", (b and b["gen_wait"]) or "-"])
rows.append(["median", "", f(med["single"]), f(med["scenario"]),
             f(statistics.median(round_ratios), ".3f") if round_ratios else "-",
             f(med_p99["single"], ".2f"), f(med_p99["scenario"], ".2f"), "", ""])
summary = [
    ["wrk (start)", f(wrk[0]["rps"]) if wrk else "-", f(wrk[0]["p99"], ".2f") if wrk else "-"],
    ["wrk (end)", f(wrk[-1]["rps"]) if len(wrk) > 1 else "-", f(wrk[-1]["p99"], ".2f") if len(wrk) > 1 else "-"],
    ["single median / wrk mean", x(med["single"], wrk_ref), ""],
    ["scenario median / wrk mean", x(med["scenario"], wrk_ref), ""],
    ["scenario median / single median (verdict)", x(med["scenario"], med["single"]), ""],
    ["median of the per-round ratios", f(statistics.median(round_ratios), ".3f") if round_ratios else "-", ""],
    ["scenario iterations/s (median)", f(med_its), ""],
    ["wrk end / wrk start (drift)", x(wrk[-1]["rps"], wrk[0]["rps"]) if len(wrk) > 1 else "-", ""],
]


def its(r):
    it = r["iterations"]
    if not it:
        return "-"
    return f"{it.get('completed', 0):,}/{it.get('aborted', 0)}/{it.get('interrupted', 0)}"


sm = meta("service")
title = (f"closed model, {E['SC_USERS']} users, immediate endpoints, {E['SC_SECONDS']} s per run, "
         f"{E['SC_ROUNDS']} round(s) per shape")
print()
print(f"Barrage scenario cost: {title}")
print(f"  jar: {sm.get('jar')} (sha256 {sm.get('sha256', '')[:12]})")
print("  single: GET /fast;  scenario: 3 steps (POST, GET, GET), each 2 templates, 1 JSON capture, 1 check")
print("  req/s counts every request (all steps' requests for the scenario)")
print()
print(text_table(head, rows))
print()
print(text_table(["reference", "value", "p99 ms"], summary))
if warm_problems:
    print()
    print("warm-up problems (uncounted): " + "; ".join(warm_problems))
print()
print(verdict)
print("(wait ms: the JVM's run-queue wait during the run, i.e. time CPU 1 was taken by something else)")

definition = (RAW / "scenario-r1.request.json").read_text() if (RAW / "scenario-r1.request.json").exists() else ""
warnings = sorted({w for s in SHAPES for r in runs[s] for w in r["warnings"]})
md = f"""# Barrage scenario cost {E['SC_STAMP']}

{title}; nginx (1 worker) on CPU 0, Barrage and wrk on CPU 1, one at a time;
uncounted {E['SC_WARMUP']} s warm-up per shape; round order flips each round; {E['SC_PAUSE']} s pause
before each measurement. Made by `bench/scenario-cost.sh`.

**{verdict}** (rule: median req/s of the scenario, all steps' requests counted, >= {min_ratio:g} x the
median req/s of single requests, same run)

| jar | sha256 | modified (UTC) |
|---|---|---|
| `{sm.get('jar')}` | `{sm.get('sha256')}` | {sm.get('jar_mtime')} |

- **single**: `GET /fast` (`return 200 "ok\\n"`)
- **scenario**: one scenario of three steps against `return 200 '{{"token":"abc123","id":"42","v":"ok"}}'`
  (application/json): `first` POST `{{{{base}}}}/s/login` with a body holding `{{{{$vu}}}}` and
  `{{{{$iteration}}}}`, capture `$.token`, check status [200, 299]; `second` GET
  `{{{{base}}}}/s/items?t={{{{token}}}}&r={{{{$randomInt(1,1000)}}}}`, capture `$.id`, check jsonPath `$.id`
  exists; `third` GET `{{{{base}}}}/s/orders/{{{{id}}}}?k={{{{$uuid}}}}`, capture `$.v`, check bodyContains `ok`.

## Rounds (req/s = summary.throughput, p99 = summary.latencyMs.p99)

{md_table(head, rows)}

The median row's scenario/single is the median of the per-round ratios; the verdict uses the ratio
of the medians (below). wait ms: the JVM threads' run-queue wait during the run
(`/proc/PID/task/*/schedstat`): time CPU 1 was taken by something else; a round with a much larger
wait than its pair was disturbed.

## Reference

{md_table(["", "value", "p99 ms"], summary)}

## Every measurement, in order

iterations: completed/aborted/interrupted (interrupted: cut short by the end of the duration).
checks passed: Barrage counts each capture that finds its value as a passed check too, so a
completed iteration of this scenario adds 6 (3 checks + 3 captures).

{md_table(["run", "status", "req/s", "requests", "failures", "checks passed/failed", "iterations", "p99 ms",
           "JVM cpu ms", "JVM wait ms", "nginx wait ms"],
          [[r["name"], r["status"], f(r["rps"]), f(r["requests"], ",d") if r["requests"] is not None else "-",
            r["failures"], "-" if r["checks_passed"] is None else f"{r['checks_passed']:,}/{r['checks_failed']:,}",
            its(r), f(r["p99"], ".2f"), r["gen_cpu"] or "-", r["gen_wait"] or "-", r["tgt_wait"] or "-"]
           for r in sorted(every.values(), key=lambda r: order.index(r["name"]))]
          + [[w["name"], w["errors"] or "ok", f(w["rps"]), f(w["requests"], ",d") if w["requests"] is not None else "-",
              "", "", "", f(w["p99"], ".2f"), "", "", w["wait"] or "-"] for w in wrk])}
{chr(10) + "Warm-up problems (uncounted): " + "; ".join(warm_problems) + chr(10) if warm_problems else ""}
## Barrage's warnings on the counted runs

{chr(10).join("- " + w for w in warnings) or "none"}

## Environment

- started {E['SC_START_DATE']}; load average at start {E['SC_START_LOAD']}, at end {E['SC_END_LOAD']}
- java: {sm.get('java')}; extra JVM flags: `{E['SC_JVM_FLAGS'] or 'none'}`
- Barrage: `{sm.get('cmd')}`
- nginx: `{E['SC_NGINX_CMD']}`
- wrk: `{meta('wrk-start').get('command', '')}`
- raw answers: `bench/results/scenario-cost-{E['SC_STAMP']}-raw/` (not in git)

## The scenario test's definition (round 1)

```json
{definition.strip()}
```
"""
Path(E["SC_REPORT"]).write_text(md)
sys.exit(code)
PY
[ "$rc" -eq 1 ] && die "report failed"
log "wrote $REPORT and $RAW/"
exit "$rc"
