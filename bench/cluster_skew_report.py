"""The report of bench/cluster-skew.sh: start skew of distributed runs on a three-node cluster.

    PYTHONPATH=bench python3 bench/cluster_skew_report.py RAW_DIR REPORT.md

reads what the script left in RAW_DIR (params.meta, runs.tsv, each round's answers and .meta, the
nodes' .meta), prints a table on stdout and writes the markdown report. Exit status 0 when every
counted run is whole, 3 when one is flagged (see problems_of), 1 on an error of its own.
"""
import json
import math
import re
import statistics
import sys
from datetime import datetime
from pathlib import Path

import benchlib
from benchlib import f, md_table, text_table


def instant_ms(text):
    """An ISO-8601 instant (2026-12-02T08:00:00.123Z) in epoch milliseconds; None if absent."""
    if not text:
        return None
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp() * 1000


def p90(values):
    """Nearest-rank 90th percentile, only from 10 values on (below that it would be the max)."""
    if len(values) < 10:
        return None
    return sorted(values)[math.ceil(0.9 * len(values)) - 1]


def stats_row(label, values, spec=".3f"):
    values = [v for v in values if v is not None]
    if not values:
        return [label, "0", "-", "-", "-", "-"]
    q = p90(values)
    return [label, str(len(values)), f(min(values), spec), f(statistics.median(values), spec),
            f(q, spec) if q is not None else "n<10", f(max(values), spec)]


def prometheus_skews(raw, n_nodes):
    """(member, run id) -> seconds, from load_tester_run_start_skew_seconds in each node's scrape at the end."""
    out = {}
    for k in range(1, n_nodes + 1):
        p = raw / f"node{k}.prom"
        if not p.exists():
            continue
        for line in p.read_text().splitlines():
            if line.startswith("load_tester_run_start_skew_seconds{"):
                labels, _, value = line.rpartition(" ")
                kv = dict(re.findall(r'(\w+)="([^"]*)"', labels))
                out[(kv.get("node"), kv.get("test"))] = float(value)
    return out


def load_round(raw, kind, rnd, recv, name, params, members):
    m = benchlib.meta(raw, name)
    path = raw / f"{name}.json"
    doc = json.loads(path.read_text()) if path.exists() else {}
    s = doc.get("summary") or {}
    nodes = doc.get("nodes") or []
    n_nodes = int(params["nodes"])
    views = {}
    for k in range(1, n_nodes + 1):
        p = raw / f"{name}.node{k}.json"
        views[k] = json.loads(p.read_text()) if p.exists() else None
    post_ms = int(m["post_ms"]) if m.get("post_ms") else None
    started = instant_ms(doc.get("startedAt"))
    return {
        "name": name, "kind": kind, "round": int(rnd), "receiver": int(recv), "id": doc.get("id") or m.get("id"),
        "receiver_member": m.get("receiver_member"), "status": doc.get("status"),
        "failure": doc.get("failureReason"), "coordinator": doc.get("coordinator"),
        "distributed": doc.get("distributed"), "nodes": nodes,
        "skews": [n.get("startSkewMs") for n in nodes],
        "requests": s.get("requests"), "failures": s.get("failures"),
        "node_sum": sum(n.get("requests") or 0 for n in nodes) if nodes else None,
        "last_complete": doc.get("lastCompleteSecond"), "warnings": doc.get("warnings") or [],
        "post_to_start": started - post_ms if started is not None and post_ms is not None else None,
        "post_answer": int(m["post_answer_ms"]) if m.get("post_answer_ms") else None,
        "final_ms": int(m["final_ms"]) if m.get("final_ms") else None,
        "waits": [m.get(f"node{k}_wait_ms") for k in range(1, n_nodes + 1)],
        "cpus": [m.get(f"node{k}_cpu_ms") for k in range(1, n_nodes + 1)],
        "views": views, "members": members,
    }


def problems_of(r, plan, n_nodes, seconds, prom):
    """Everything that makes a round not a whole, clean distributed run."""
    out = []
    if r["status"] != "COMPLETED":
        out.append(f"status {r['status']}" + (f" ({r['failure']})" if r["failure"] else ""))
    if not r["distributed"]:
        out.append("the run is not marked distributed")
    if len(r["nodes"]) != n_nodes:
        out.append(f"{len(r['nodes'])} generators in nodes[], not {n_nodes}")
    if r["requests"] != plan:
        out.append(f"summary.requests {r['requests']} != plan {plan}")
    if r["nodes"] and r["requests"] != r["node_sum"]:
        out.append(f"summary.requests {r['requests']} != sum of nodes[].requests {r['node_sum']}")
    if (r["failures"] or 0) > 0:
        out.append(f"{r['failures']} failed requests")
    for i, n in enumerate(r["nodes"], 1):
        if n.get("status") != "completed" or n.get("lost"):
            lost = ", lost" if n.get("lost") and n.get("status") != "lost" else ""
            out.append(f"generator {i} ({n.get('member')}) {n.get('status')}{lost}")
        if n.get("startSkewMs") is None:
            out.append(f"generator {i} ({n.get('member')}) has no startSkewMs")
        elif n["startSkewMs"] < 0:
            out.append(f"generator {i} ({n.get('member')}) startSkewMs {n['startSkewMs']} < 0")
        elif prom is not None:
            gauge = prom.get((n.get("member"), r["id"]))
            if gauge is None:
                out.append(f"generator {i} ({n.get('member')}): no load_tester_run_start_skew_seconds at the end")
            elif abs(gauge * 1000 - n["startSkewMs"]) > 0.0015:
                out.append(f"generator {i} ({n.get('member')}): load_tester_run_start_skew_seconds {gauge} "
                           f"!= startSkewMs {n['startSkewMs']} / 1000")
    members = [n.get("member") for n in r["nodes"]]
    if len(set(members)) != len(members):
        out.append(f"a member is twice among the generators: {members}")
    if r["coordinator"] != r["receiver_member"]:
        out.append(f"coordinator {r['coordinator']}, not the receiver {r['receiver_member']}")
    if r["nodes"] and r["nodes"][0].get("member") != r["receiver_member"]:
        out.append(f"generator 1 is {r['nodes'][0].get('member')}, not the receiver {r['receiver_member']}")
    if r["last_complete"] is not None and r["last_complete"] < seconds:
        out.append(f"lastCompleteSecond {r['last_complete']} < {seconds}")
    for k, view in r["views"].items():
        if view is None:
            out.append(f"node {k} gave no view of the run")
            continue
        vs = view.get("summary") or {}
        if view.get("status") != r["status"] or vs.get("requests") != r["requests"]:
            out.append(f"node {k} sees {view.get('status')} with {vs.get('requests')} requests")
        elif [n.get("startSkewMs") for n in view.get("nodes") or []] != r["skews"]:
            out.append(f"node {k} sees startSkewMs {[n.get('startSkewMs') for n in view.get('nodes') or []]}")
    return out


def main(raw, report):
    params = benchlib.meta(raw, "params")
    n_nodes = int(params["nodes"])
    rate, seconds = int(params["rate"]), int(params["seconds"])
    plan = rate * seconds
    node_meta = {k: benchlib.meta(raw, f"node{k}") for k in range(1, n_nodes + 1)}
    member_node = {node_meta[k].get("member"): k for k in node_meta}

    prom = prometheus_skews(raw, n_nodes) if all((raw / f"node{k}.prom").exists() for k in node_meta) else None
    rounds, warmups = [], []
    for line in (raw / "runs.tsv").read_text().splitlines():
        kind, rnd, recv, name = line.split("\t")
        r = load_round(raw, kind, rnd, recv, name, params, member_node)
        r["problems"] = problems_of(r, plan, n_nodes, seconds, prom)
        (rounds if kind == "round" else warmups).append(r)

    problems = [f"round {r['round']} (run {r['id']}): " + "; ".join(r["problems"]) for r in rounds if r["problems"]]
    if len(rounds) != int(params["rounds"]):
        problems.append(f"{len(rounds)} counted rounds recorded, not {params['rounds']}")
    warm_problems = [f"warm-up {r['round']} (run {r['id']}): " + "; ".join(r["problems"]) for r in warmups if r["problems"]]
    if problems:
        flagged = sum(1 for r in rounds if r["problems"])
        verdict, code = (f"!! INVALID: {flagged} of {len(rounds)} counted runs flagged"
                         + (f", {len(problems) - flagged} other problem(s)" if len(problems) > flagged else "")
                         + " (PROBLEMS below)"), 3
    else:
        verdict, code = (f"OK: all {len(rounds)} counted runs COMPLETED, every generator completed, "
                         f"summary.requests = plan {plan} = sum of nodes[].requests"), 0

    def node_of(member):
        k = member_node.get(member)
        return f"n{k}" if k else member or "?"

    def yes(a, b):
        return "yes" if a is not None and a == b else "**NO**"

    head = ["round", "receiver", "status"] + [f"g{i} skew ms" for i in range(1, n_nodes + 1)] + [
        "max skew ms", "generators (nodes)", "requests", "= plan", "= sum nodes", "per node", "last second",
        "POST->startedAt ms", "prepare ms", "wait ms n1/n2/n3", "ok"]

    def row(r, label):
        skews = r["skews"] + [None] * (n_nodes - len(r["skews"]))
        valid = [s for s in r["skews"] if s is not None]
        pts = r["post_to_start"]
        return ([label, f"n{r['receiver']}", r["status"] if r["status"] == "COMPLETED" else f"**{r['status']}**"]
                + [f(s, ".3f") for s in skews[:n_nodes]]
                + [f(max(valid), ".3f") if valid else "-",
                   ",".join(node_of(n.get("member")) for n in r["nodes"]) or "-",
                   f(r["requests"], ",d") if r["requests"] is not None else "-",
                   yes(r["requests"], plan), yes(r["requests"], r["node_sum"]),
                   "/".join(str(n.get("requests")) for n in r["nodes"]) or "-",
                   f"{r['last_complete']} ({'/'.join(str(n.get('lastSecond')) for n in r['nodes'])})",
                   f(pts, ".0f"), f(pts - 2000 if pts is not None else None, ".0f"),
                   "/".join(w or "-" for w in r["waits"]),
                   "yes" if not r["problems"] else "**NO**"])

    rows = [row(r, str(r["round"])) for r in rounds]
    warm_rows = [row(r, f"w{r['round']}") for r in warmups]

    shead = ["", "n", "min ms", "median ms", "p90 ms", "max ms"]
    srows = []
    for i in range(n_nodes):
        label = f"generator {i + 1}" + (" (coordinator)" if i == 0 else "")
        srows.append(stats_row(label, [r["skews"][i] for r in rounds if len(r["skews"]) > i]))
    for k in range(1, n_nodes + 1):
        member = node_meta[k].get("member")
        srows.append(stats_row(f"node {k} ({member})",
                               [n.get("startSkewMs") for r in rounds for n in r["nodes"] if n.get("member") == member]))
    srows.append(stats_row("all generators", [s for r in rounds for s in r["skews"]]))
    srows.append(stats_row("largest of each run", [max(v) for r in rounds if (v := [s for s in r["skews"] if s is not None])]))
    trows = [stats_row("POST -> startedAt", [r["post_to_start"] for r in rounds], ".0f"),
             stats_row("  minus the 2 s lead (prepare)",
                       [r["post_to_start"] - 2000 for r in rounds if r["post_to_start"] is not None], ".0f"),
             stats_row("POST answered (202)", [r["post_answer"] for r in rounds], ".0f"),
             stats_row("POST -> final answer", [r["final_ms"] for r in rounds], ".0f")]

    title = (f"{n_nodes} nodes on one machine, open model {rate}/s for {seconds} s (plan {plan} requests), "
             f"\"generators\": {n_nodes}, {len(rounds)} counted run(s)"
             + (f" after {len(warmups)} uncounted" if warmups else ""))
    print()
    print(f"Barrage cluster start skew: {title}")
    print(f"  jar: {params.get('jar')} (sha256 {params.get('sha256', '')[:12]})")
    print("  gN skew: nodes[N].startSkewMs (generator 1 = the receiver = the coordinator); "
          "prepare = POST->startedAt - 2000")
    print()
    print(text_table(head, rows))
    print()
    print(text_table(shead, srows))
    print()
    print(text_table(shead, trows))
    if warm_rows:
        print()
        print("uncounted warm-up:")
        print(text_table(head, warm_rows))
    if warm_problems:
        print("warm-up problems (uncounted): " + "; ".join(warm_problems))
    print()
    print(verdict)
    for p in problems:
        print(f"  !! {p}")

    raw_rel = f"bench/results/{raw.name}/"
    formed = ", ".join(f"node {k} {int(node_meta[k]['formed_ms']) / 1000:.1f} s" for k in node_meta
                       if node_meta[k].get("formed_ms"))
    warnings = sorted({w for r in rounds for w in r["warnings"]})
    problem_md = ("\n## !! PROBLEMS\n\n" + "\n".join(f"- **{p}**" for p in problems) + "\n") if problems else ""
    definition = (raw / f"{rounds[0]['name']}.request.json").read_text().strip() if rounds else ""
    md = f"""# Barrage cluster start skew {params.get('stamp')}

{title}; {'the node receiving the POST rotates (n1, n2, n3, n1, ...)' if params.get('rotate') == '1' else 'every POST goes to node 1'};
{params.get('pause')} s pause after each run has ended on every node; nothing pinned ({params.get('cpus')} CPUs shared by
the three JVMs and the target). Made by `bench/cluster-skew.sh`.

**{verdict}**
{problem_md}
| jar | sha256 | modified (UTC) |
|---|---|---|
| `{params.get('jar')}` | `{params.get('sha256')}` | {params.get('jar_mtime')} |

## Runs

gN skew ms: `nodes[N].startSkewMs`, how much later than the run's common start instant generator N
started (generator 1 is the node that received the POST, the coordinator; the others follow oldest
member first). generators (nodes): which node was each generator. requests: `summary.requests`;
= plan: equal to rate x duration = {plan}; = sum nodes: equal to the sum of `nodes[].requests`
(per node: each generator's). last second: `lastCompleteSecond` (each generator's `lastSecond`;
a request sent just before the end and answered after it falls into the next second).
POST->startedAt: from just before the POST (the script's wall clock) to the run's `startedAt`, the
common start instant (by Hazelcast's cluster clock: on one machine the same clock, give or take the
offset Hazelcast estimates); prepare: the same minus the 2 s start lead, i.e. the POST, the queue
and every node's prepare until the instant was set (it can be shorter than "POST answered": the run
may be prepared while the 202 is still on its way). wait ms: each JVM's run-queue wait during the round
(`/proc/PID/task/*/schedstat`), time it was ready to run but had no CPU. ok: every check passed
(status COMPLETED, {n_nodes} generators all `completed` and none lost, the counts above, no failed
request, the receiver as coordinator and generator 1, every node's view agreeing, each node's
`load_tester_run_start_skew_seconds` at the end equal to its `startSkewMs`).

{md_table(head, rows)}

## Start skew (ms, counted runs)

{md_table(shead, srows)}

p90: nearest rank, given from 10 values on. The per-node rows gather each node's skews whichever
generator it was; "largest of each run" is the run's skew (its latest generator).

## Time to start (ms, counted runs)

{md_table(shead, trows)}
{"" if not warm_rows else chr(10) + "## Uncounted warm-up" + chr(10) + chr(10) + md_table(head, warm_rows) + chr(10)}{"" if not warm_problems else chr(10) + "Warm-up problems (uncounted): " + "; ".join(warm_problems) + chr(10)}
## Barrage's warnings on the counted runs

{chr(10).join("- " + w for w in warnings) or "none"}

## Environment

- started {params.get('start_date')}; load average at start {params.get('start_load')}, at end {params.get('end_load')}
- java: {params.get('java')}; extra JVM flags: `{params.get('jvm_flags') or 'none'}`
- cluster formed (every node sees {n_nodes} members, from the JVMs' start): {formed or '-'}
- target: `{params.get('target_cmd')}`
{chr(10).join(f"- node {k}: `{node_meta[k].get('cmd')}`" for k in node_meta)}
- raw answers and logs: `{raw_rel}` (not in git)

## The definition (round 1)

```json
{definition}
```
"""
    report.write_text(md)
    return code


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    sys.exit(main(Path(sys.argv[1]), Path(sys.argv[2])))
