/*
 * The run list of the home page: refreshed every 2 s; tick two runs to compare them.
 */
(function (global) {
    'use strict';
    const { api, format } = global.Barrage;
    const REFRESH_MS = 2000;
    const body = document.querySelector('#runs tbody');
    const empty = document.getElementById('runs-empty');
    const compare = document.getElementById('compare-selected');
    const message = document.getElementById('message');
    const ticked = new Set();

    function row(run) {
        const s = run.summary;
        const checked = ticked.has(run.id) ? ' checked' : '';
        const id = format.escape(run.id);
        return `<tr data-id="${id}" data-status="${format.escape(run.status)}">
            <td><input type="checkbox" class="pick" value="${id}" aria-label="compare ${id}"${checked}></td>
            <td><a href="/runs/${encodeURIComponent(run.id)}">${format.escape(run.name)}</a></td>
            <td>${format.badge(run.status)}${run.status === 'RUNNING' ? ` <span class="muted">${Math.round(run.progress * 100)} %</span>` : ''}</td>
            <td>${run.verdict === 'NONE' ? '' : format.badge(run.verdict)}${(run.warnings || []).length ? ` <span class="warn-mark" title="${format.escape(run.warnings.join('\n'))}">⚠ ${run.warnings.length}</span>` : ''}</td>
            <td>${format.number(s.requests)}</td>
            <td>${format.number(s.throughput, 1)}</td>
            <td>${format.ms(s.latencyMs.p99)}</td>
            <td>${format.percent(s.errorRate, 2)}</td>
            <td title="${format.escape(run.createdAt)}">${format.shortTime(run.createdAt)}</td></tr>`;
    }

    let order = [];
    let refreshing = false;

    async function refresh() {
        if (refreshing) {
            return; // the last refresh still waits (for the server, or for the API key)
        }
        refreshing = true;
        try {
            const runs = await api.json('GET', '/tests?limit=100');
            order = runs.map(run => run.id);
            [...ticked].filter(id => !order.includes(id)).forEach(id => ticked.delete(id));
            body.innerHTML = runs.map(row).join('');
            empty.hidden = runs.length > 0;
            if (message.dataset.from === 'list') {
                message.hidden = true;
            }
        } catch (failure) {
            message.hidden = false;
            message.dataset.from = 'list';
            message.className = 'message error';
            message.textContent = 'The run list cannot be read: ' + failure.message;
        } finally {
            refreshing = false;
        }
        updateCompare();
    }

    function updateCompare() {
        compare.disabled = ticked.size !== 2;
    }

    body.addEventListener('change', event => {
        if (event.target.classList.contains('pick')) {
            if (event.target.checked) {
                ticked.add(event.target.value);
            } else {
                ticked.delete(event.target.value);
            }
            updateCompare();
        }
    });

    compare.addEventListener('click', () => {
        // the older run is the baseline a, the newer one b (the list is newest first)
        const [newer, older] = order.filter(id => ticked.has(id));
        global.location.assign(`/compare?a=${encodeURIComponent(older)}&b=${encodeURIComponent(newer)}`);
    });

    global.Barrage.refreshRuns = refresh;
    refresh();
    setInterval(refresh, REFRESH_MS);
})(window);
