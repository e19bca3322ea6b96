/*
 * A run drawn as the run page and the saved report show it: status and verdict, warnings where
 * nobody can miss them, thresholds, live charts, and the tables of the summary, latency, status
 * codes, error kinds, steps, scenarios, checks and the definition; for a distributed run its generators. render() is called again with
 * every new snapshot; the charts are made once and then only given new data.
 */
(function (global) {
    'use strict';
    const Barrage = global.Barrage = global.Barrage || {};
    const f = () => Barrage.format;

    const SKELETON = `
        <header class="run-head">
          <div class="run-title"><h1 id="run-name"></h1><span id="run-status"></span><span id="run-verdict"></span></div>
          <div id="run-meta" class="run-meta"></div>
          <div id="run-progress" class="progress" hidden><div class="progress-bar"></div></div>
          <div id="run-actions" class="actions"></div>
        </header>
        <section id="run-failure" class="failure" hidden></section>
        <section id="run-warnings" class="warnings" hidden></section>
        <section id="run-thresholds-section" hidden><h2>Thresholds</h2><div id="run-thresholds"></div></section>
        <section id="run-nodes-section" hidden><h2>Generators</h2><p id="run-nodes-meta" class="run-meta"></p><div id="run-nodes"></div></section>
        <section><h2>Over time</h2><div id="run-charts" class="charts"></div></section>
        <section class="columns">
          <div><h2>Summary</h2><div id="run-summary"></div></div>
          <div><h2>Status codes</h2><div id="run-status-codes"></div><h2>Error kinds</h2><div id="run-errors"></div></div>
        </section>
        <section><h2>Latency (ms)</h2><div id="run-latency"></div></section>
        <section id="run-steps-section" hidden><h2>Steps</h2><div id="run-steps"></div></section>
        <section id="run-scenarios-section" hidden><h2>Scenarios</h2><div id="run-scenarios"></div></section>
        <section id="run-checks-section" hidden><h2>Checks</h2><div id="run-checks"></div></section>
        <section id="run-definition-section" hidden><h2>Definition</h2><pre id="run-definition"></pre></section>`;

    function isOpenModel(run) {
        const workload = run.definition && run.definition.workload;
        if (workload && workload.model) {
            return String(workload.model).toLowerCase() === 'open';
        }
        return run.summary && run.summary.targetRate !== null && run.summary.targetRate !== undefined;
    }

    function summaryTable(run) {
        const s = run.summary;
        const rows = [
            ['Requests', f().number(s.requests)],
            ['Successes', f().number(s.successes)],
            ['Failures', f().number(s.failures)],
            ['Error rate', f().percent(s.errorRate, 3)],
            ['Throughput', f().number(s.throughput, 1) + ' req/s'],
            ['Elapsed', f().number(s.elapsedSeconds, 1) + ' s'],
            ['Received', f().bytes(s.bytesReceived)],
            ['Sent', f().bytes(s.bytesSent)]
        ];
        if (s.targetRate !== null && s.targetRate !== undefined) {
            rows.push(['Target rate', f().number(s.targetRate, 1) + ' /s'], ['Delayed', f().number(s.delayed)],
                ['Connect-delayed', f().number(s.connectDelayed)], ['Dropped', f().number(s.dropped)]);
        }
        const hasScenarios = run.summary.scenarios && Object.keys(run.summary.scenarios).some(name => name !== 'default');
        if (s.iterations && hasScenarios) {
            const i = s.iterations;
            rows.push(['Iterations', `${f().number(i.started)} started, ${f().number(i.completed)} completed, `
                + `${f().number(i.aborted)} aborted, ${f().number(i.interrupted)} interrupted`]);
        }
        if (s.checks && (s.checks.passed + s.checks.failed) > 0) {
            rows.push(['Checks', `${f().number(s.checks.passed)} passed, ${f().number(s.checks.failed)} failed`]);
        }
        return `<table class="pairs">${rows.map(([k, v]) => `<tr><th>${k}</th><td>${v}</td></tr>`).join('')}</table>`;
    }

    const LATENCY = ['min', 'mean', 'p50', 'p90', 'p95', 'p99', 'p999', 'max'];

    function latencyTable(summary) {
        const rows = [['latency (from due time)'].concat(LATENCY.map(k => f().ms(summary.latencyMs[k])))];
        if (summary.serviceTimeMs) {
            rows.push(['service time (from send)'].concat(LATENCY.map(k => f().ms(summary.serviceTimeMs[k]))));
        }
        return f().table([''].concat(LATENCY), rows);
    }

    function countsTable(counts, what, total) {
        const entries = Object.entries(counts || {});
        if (entries.length === 0) {
            return `<p class="none">none</p>`;
        }
        return f().table([what, 'count', 'share'], entries.map(([key, count]) =>
            [f().escape(key), f().number(count), total > 0 ? f().percent(count / total, 2) : '—']));
    }

    function thresholdsTable(thresholds) {
        return f().table(['threshold', 'actual', 'result'], thresholds.map(t => [
            `<code>${f().escape(t.expression)}</code>`,
            t.actual === null || t.actual === undefined ? '—' : f().number(t.actual, 4),
            t.passed === null || t.passed === undefined ? '<span class="badge badge-pending">pending</span>'
                : t.passed ? '<span class="badge badge-passed">PASS</span>' : '<span class="badge badge-failed">FAIL</span>'
        ]), 'figures thresholds');
    }

    function groupsTable(groups, what) {
        return f().table([what, 'requests', 'failures', 'error rate', 'req/s', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'checks passed', 'checks failed'],
            Object.entries(groups).map(([name, g]) => [
                f().escape(name), f().number(g.requests), f().number(g.failures), f().percent(g.errorRate, 3),
                f().number(g.throughput, 1), f().ms(g.latencyMs.p50), f().ms(g.latencyMs.p95), f().ms(g.latencyMs.p99),
                f().ms(g.latencyMs.max), f().number(g.checks ? g.checks.passed : 0), f().number(g.checks ? g.checks.failed : 0)
            ]));
    }

    /** A distributed run's generators: where each runs, its part of the plan and how it is doing. */
    function nodesTable(nodes) {
        return f().table(['member', 'segment', 'status', 'start skew ms', 'last second', 'requests'], nodes.map(n => [
            `<code>${f().escape(n.member)}</code>`, f().escape(n.segment),
            n.lost ? `<strong class="bad">${f().escape(n.status)}</strong>` : f().escape(n.status),
            n.startSkewMs === null || n.startSkewMs === undefined ? '–' : f().number(n.startSkewMs, 3),
            f().number(n.lastSecond), f().number(n.requests)
        ]));
    }

    function checksTable(byCheck) {
        return f().table(['check', 'passed', 'failed'], Object.entries(byCheck).map(([name, c]) =>
            [f().escape(name), f().number(c.passed), c.failed > 0 ? `<strong class="bad">${f().number(c.failed)}</strong>` : '0']));
    }

    function show(container, id, visible, html) {
        const section = container.querySelector('#' + id + '-section');
        section.hidden = !visible;
        if (visible) {
            container.querySelector('#' + id).innerHTML = html;
        }
    }

    /** Draws into `container`; returns { render(run, timeline), actions }. */
    function create(container) {
        container.innerHTML = SKELETON;
        let charts = null;
        const q = id => container.querySelector('#' + id);

        function render(run, timeline) {
            const s = run.summary;
            q('run-name').textContent = run.name;
            q('run-status').innerHTML = f().badge(run.status);
            q('run-verdict').innerHTML = run.verdict && run.verdict !== 'NONE' ? f().badge(run.verdict) : '';
            const queued = run.queuePosition ? ` · position ${run.queuePosition} in the queue` : '';
            q('run-meta').innerHTML = `id <code>${f().escape(run.id)}</code>${queued} · created ${f().time(run.createdAt)}`
                + ` · started ${f().time(run.startedAt)} · finished ${f().time(run.finishedAt)}`;
            const progress = q('run-progress');
            progress.hidden = run.status !== 'RUNNING';
            progress.firstElementChild.style.width = Math.round((run.progress || 0) * 100) + '%';

            const failure = q('run-failure');
            failure.hidden = !run.failureReason;
            failure.innerHTML = run.failureReason ? `<strong>The run failed:</strong> ${f().escape(run.failureReason)}` : '';
            const warnings = run.warnings || [];
            const box = q('run-warnings');
            box.hidden = warnings.length === 0;
            box.innerHTML = `<h2>⚠ ${warnings.length} warning${warnings.length === 1 ? '' : 's'}: what did not go as planned</h2>`
                + `<ul>${warnings.map(w => `<li>${f().escape(w)}</li>`).join('')}</ul>`;

            show(container, 'run-thresholds', (run.thresholds || []).length > 0, thresholdsTable(run.thresholds || []));
            show(container, 'run-nodes', Array.isArray(run.nodes), nodesTable(run.nodes || []));
            if (Array.isArray(run.nodes)) {
                const fraction = run.effectiveLoadFraction === null || run.effectiveLoadFraction === undefined ? ''
                    : ` · effective load fraction ${f().number(run.effectiveLoadFraction, 4)}`;
                q('run-nodes-meta').innerHTML = `coordinator <code>${f().escape(run.coordinator)}</code>`
                    + ` · merged up to second ${f().number(run.lastCompleteSecond)}${fraction}`;
            }
            if (!charts) {
                charts = Barrage.charts.runCharts(q('run-charts'), timeline, isOpenModel(run));
            } else {
                charts.update(timeline);
            }
            q('run-summary').innerHTML = summaryTable(run);
            const responses = Object.values(s.statusCodes || {}).reduce((a, b) => a + b, 0);
            q('run-status-codes').innerHTML = countsTable(s.statusCodes, 'status', responses);
            q('run-errors').innerHTML = countsTable(s.errors, 'error kind', s.requests);
            q('run-latency').innerHTML = latencyTable(s);
            const steps = s.steps || {};
            const scenarios = s.scenarios || {};
            show(container, 'run-steps', Object.keys(steps).some(name => name !== 'request'), groupsTable(steps, 'step'));
            show(container, 'run-scenarios', Object.keys(scenarios).some(name => name !== 'default'), groupsTable(scenarios, 'scenario'));
            const byCheck = s.checks ? s.checks.byCheck || {} : {};
            show(container, 'run-checks', Object.keys(byCheck).length > 0, checksTable(byCheck));
            if (run.definition) {
                show(container, 'run-definition', true, f().escape(JSON.stringify(run.definition, null, 2)));
            }
        }

        return { render, actions: q('run-actions') };
    }

    Barrage.runView = { create, isOpenModel };
})(window);
