#!/usr/bin/env bash
# What following a run costs the run: an open-model test at RATE/s on the immediate endpoint, on a
# warmed service pinned to one core, alternately polled with GET /tests/{id} every POLL_SECONDS
# (`poll`) and followed by one long poll, GET /tests/{id}?wait=60s (`wait`). Every answer of the
# API is work on the generator's core; this measures how much of it shows in the run's latency.
#
#   bench/poll-lag.sh                                      # newest target/barrage-*.jar, 3 rounds each
#   JAR=/path/barrage.jar ROUNDS=5 POLL_SECONDS=1 bench/poll-lag.sh
#
# nginx (`return 200`, one worker) on CPU 0, Barrage on CPU 1 (README flags), one JVM for all
# rounds; it is ready (warm-up done) before the first. The polling curl runs on nginx's core. Per round: requests, p99, the largest
# per-second schedulerLagMs and the warnings' first words. Report: stdout and
# bench/results/poll-lag-<UTC stamp>.md (raw answers in ...-raw/, not in git).
#
# Environment: JAR, ROUNDS (3), RATE (20000), SECONDS_PER_RUN (10), POLL_SECONDS (0.5),
# BARRAGE_JVM_FLAGS (-Xms32m -XX:NewRatio=4 -XX:TrimNativeHeapInterval=1000 -XX:CompileThresholdScaling=10), JAVA.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
LOG_TAG=poll-lag
# shellcheck source=bench/lib.sh
source "$HERE/lib.sh"

JAVA=${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
ROUNDS=${ROUNDS:-3}
RATE=${RATE:-20000}
SECONDS_PER_RUN=${SECONDS_PER_RUN:-10}
POLL_SECONDS=${POLL_SECONDS:-0.5}
BARRAGE_JVM_FLAGS=${BARRAGE_JVM_FLAGS:--Xms32m -XX:NewRatio=4 -XX:TrimNativeHeapInterval=1000 -XX:CompileThresholdScaling=10}
JAR=${JAR:-$(ls -t "$ROOT"/target/barrage-*.jar 2>/dev/null | grep -v -- '-plain' | head -1 || true)}
[ -n "$JAR" ] && [ -f "$JAR" ] || die "no jar: build one (./mvnw -q package -DskipTests) or set JAR"
for v in ROUNDS RATE SECONDS_PER_RUN; do
    [[ ${!v} =~ ^[0-9]+$ ]] && [ "${!v}" -gt 0 ] || die "$v must be a positive integer, not '${!v}'"
done

ensure_tools nginx
raise_nofile
CURL=(curl -s --noproxy '*' --max-time 2)
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
RAW=$HERE/results/poll-lag-$STAMP-raw
REPORT=$HERE/results/poll-lag-$STAMP.md
mkdir -p "$RAW"
TMP=$(mktemp -d /tmp/barrage-poll-lag.XXXXXX)
PID=""
trap 'stop_nginx; stop "$PID"; rm -rf "$TMP"' EXIT

start_nginx "" 'location = /fast { return 200 "ok"; }'
PORT=$(free_port_except "$NGINX_PORT")
URL=http://127.0.0.1:$PORT
barrage_start "$JAR" "$PORT" "$RAW/barrage.log" --server.address=127.0.0.1 --barrage.storage.directory="$TMP/store"
PID=$!
log "Barrage on $URL (CPU $GEN_CPU), JVM flags: '$BARRAGE_JVM_FLAGS'; waiting for it to be ready"
wait_healthy Barrage "$URL" "$PID" "$RAW/barrage.log" 120

run_round() {
    local variant=$1 round=$2 id
    id=$(curl -s --noproxy '*' -X POST -H 'Content-Type: application/json' "$URL/tests" \
        -d "$(open_ "poll-lag-$variant" "http://127.0.0.1:$NGINX_PORT/fast" "$RATE" "${SECONDS_PER_RUN}s")" \
        | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
    if [ "$variant" = poll ]; then
        # the harness's own processes run on the target's core, never on Barrage's
        while taskset -c "$TARGET_CPU" "${CURL[@]}" "$URL/tests/$id" | taskset -c "$TARGET_CPU" grep -q '"status":"\(RUNNING\|QUEUED\)"'; do
            sleep "$POLL_SECONDS"
        done
    fi
    curl -s --noproxy '*' --max-time 120 "$URL/tests/$id?wait=60s" >"$RAW/$variant-$round.json"
    curl -s --noproxy '*' --max-time 10 "$URL/tests/$id/timeline" >"$RAW/$variant-$round-timeline.json"
    log "$variant round $round: $id"
}

for round in $(seq "$ROUNDS"); do
    run_round poll "$round"
    run_round wait "$round"
done

python3 - "$RAW" "$ROUNDS" "$RATE" "$SECONDS_PER_RUN" "$POLL_SECONDS" "$(barrage_cmd "$(basename "$JAR")" "$PORT")" \
    "$(sha256sum "$JAR" | cut -c1-16)" "$(git -C "$ROOT" rev-parse --short HEAD)" >"$REPORT" <<'PY'
import json, statistics, sys
raw, rounds, rate, secs, poll, cmd, sha, head = sys.argv[1:]
print(f"# Following a run: polling against one long poll ({raw.split('/')[-1][:-4]})\n")
print(f"Open model, {rate}/s for {secs} s on nginx `return 200` (CPU 0); Barrage on CPU 1, ready before the first round:")
print(f"`{cmd}`; jar sha256 `{sha}` (repo HEAD {head}). `poll`: GET /tests/{{id}} every {poll} s while it runs;")
print("`wait`: one GET /tests/{id}?wait=60s. Made by `bench/poll-lag.sh`, rounds alternating.\n")
print("| variant | round | requests | p99 ms | schedulerLagMs per second | largest lag ms | warnings |")
print("|---|--:|--:|--:|---|--:|---|")
medians = {}
for variant in ("poll", "wait"):
    p99s, lags = [], []
    for r in range(1, int(rounds) + 1):
        run = json.load(open(f"{raw}/{variant}-{r}.json"))
        timeline = json.load(open(f"{raw}/{variant}-{r}-timeline.json"))
        points = timeline.get("timeline", timeline) if isinstance(timeline, dict) else timeline
        per_second = [p.get("schedulerLagMs") or 0 for p in points]
        summary = run["summary"]
        p99 = summary["latencyMs"]["p99"]
        p99s.append(p99); lags.append(max(per_second or [0]))
        warnings = "; ".join(w[:50] + "…" for w in run.get("warnings", [])) or "none"
        print(f"| {variant} | {r} | {summary['requests']:,} | {p99:.2f} | {' '.join(str(round(x)) for x in per_second)} | {max(per_second or [0]):.1f} | {warnings} |")
    medians[variant] = (statistics.median(p99s), statistics.median(lags))
print("\n| variant | median p99 ms | median largest lag ms |\n|---|--:|--:|")
for variant, (p99, lag) in medians.items():
    print(f"| {variant} | {p99:.2f} | {lag:.1f} |")
PY
cat "$REPORT"
log "report: $REPORT"
