/*
 * /compare?a={id}&b={id}: two runs' charts overlaid and their figures side by side with the change
 * of each (GET /tests/compare), and a's thresholds judged on b. Without both ids, pick two runs.
 */
(function (global) {
    'use strict';
    const { api, format, charts } = global.Barrage;
    const params = new URLSearchParams(global.location.search);
    const a = params.get('a');
    const b = params.get('b');
    const message = document.getElementById('message');
    /** Figures where a higher value in b is better; for every other figure lower is better. */
    const HIGHER_IS_BETTER = ['requests', 'throughput'];

    function say(text) {
        message.hidden = !text;
        message.className = 'message error';
        message.textContent = text || '';
    }

    async function fillPickers() {
        const runs = await api.json('GET', '/tests?limit=200');
        const options = chosen => runs.map(run => `<option value="${format.escape(run.id)}"${run.id === chosen ? ' selected' : ''}>`
            + `${format.escape(run.name)} · ${format.escape(run.status)} · ${format.time(run.createdAt)} (${format.escape(run.id)})</option>`).join('');
        document.getElementById('pick-a').innerHTML = options(a || (runs[1] && runs[1].id));
        document.getElementById('pick-b').innerHTML = options(b || (runs[0] && runs[0].id));
    }

    function side(label, s, link) {
        return `<div><h2>${label}: <a href="/runs/${encodeURIComponent(s.id)}">${format.escape(s.name)}</a></h2>`
            + `<p>${format.badge(s.status)} ${s.verdict === 'NONE' ? '' : format.badge(s.verdict)} <code>${format.escape(s.id)}</code></p>`
            + `<p>${format.number(s.summary.requests)} requests · ${format.number(s.summary.throughput, 1)} req/s · `
            + `p99 ${format.ms(s.summary.latencyMs.p99)} ms · error rate ${format.percent(s.summary.errorRate, 3)}</p>${link || ''}</div>`;
    }

    function changeCell(change) {
        if (change.change === 0) {
            return ['0', '—', ''];
        }
        const better = HIGHER_IS_BETTER.includes(change.figure) ? change.change > 0 : change.change < 0;
        const sign = change.change > 0 ? '+' : '';
        const relative = change.relativeChange === null || change.relativeChange === undefined
            ? '—' : sign + format.number(change.relativeChange * 100, 1) + ' %';
        return [sign + format.number(change.change, 3), relative, better ? 'better' : 'worse'];
    }

    async function show() {
        const [comparison, timelineA, timelineB] = await Promise.all([
            api.json('GET', `/tests/compare?a=${encodeURIComponent(a)}&b=${encodeURIComponent(b)}`),
            api.json('GET', `/tests/${encodeURIComponent(a)}/timeline`),
            api.json('GET', `/tests/${encodeURIComponent(b)}/timeline`)]);
        global.barrageComparison = comparison;
        document.title = `${comparison.a.name} vs ${comparison.b.name} · Barrage`;
        document.getElementById('comparison').hidden = false;
        document.getElementById('sides').innerHTML = side('a', comparison.a) + side('b', comparison.b);
        charts.compareCharts(document.getElementById('compare-charts'),
            { label: `${comparison.a.name} (${comparison.a.id})`, timeline: timelineA },
            { label: `${comparison.b.name} (${comparison.b.id})`, timeline: timelineB });
        document.getElementById('changes').innerHTML = format.table(['figure', 'a', 'b', 'change', 'relative', ''],
            comparison.changes.map(change => {
                const [absolute, relative, verdict] = changeCell(change);
                return [format.escape(change.figure), format.number(change.a, 3), format.number(change.b, 3), absolute, relative,
                    verdict ? `<span class="${verdict}">${verdict}</span>` : ''];
            }), 'figures changes');
        const judged = comparison.thresholdsOfAOnB || [];
        document.getElementById('judged-section').hidden = judged.length === 0;
        document.getElementById('judged').innerHTML = format.table(['threshold of a', 'b\'s actual', 'on b'], judged.map(t => [
            `<code>${format.escape(t.expression)}</code>`, t.actual === null ? '—' : format.number(t.actual, 4),
            t.passed === null ? format.badge('pending') : t.passed ? format.badge('PASSED') : format.badge('FAILED')]));
    }

    (async () => {
        try {
            await fillPickers();
            if (a && b) {
                await show();
            }
        } catch (failure) {
            say(failure.status === 404 ? 'One of the two runs does not exist: ' + failure.message : failure.message);
        }
    })();
})(window);
