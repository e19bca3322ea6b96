/*
 * The run page (/runs/{id}): the run as run-view draws it, followed live through the event stream
 * (or by polling: /runs/{id}?live=polling forces it), with cancel, re-run and downloads.
 * window.barrageRun shows the page's state: { run, timeline, mode }.
 */
(function (global) {
    'use strict';
    const { api, format, runView } = global.Barrage;
    const id = decodeURIComponent(global.location.pathname.split('/').filter(Boolean).pop());
    const state = global.barrageRun = { run: null, timeline: [], mode: null, ended: false };
    const main = document.getElementById('main');
    const message = document.getElementById('message');

    function say(text, kind) {
        message.hidden = !text;
        message.className = 'message ' + (kind || '');
        message.textContent = text || '';
    }

    function mergePoints(points) {
        const last = state.timeline.length ? state.timeline[state.timeline.length - 1].t : -Infinity;
        points.filter(p => p.t > last).forEach(p => state.timeline.push(p));
    }

    let view = null;

    function draw() {
        if (!view) {
            view = runView.create(main);
            buildActions(view.actions);
        }
        document.title = `${state.run.name} · ${state.run.status} · Barrage`;
        view.render(state.run, state.timeline);
        updateActions();
    }

    const buttons = {};

    function buildActions(into) {
        into.innerHTML = `
            <button id="cancel-run" class="danger">Cancel</button>
            <button id="rerun">Re-run</button>
            <button id="download-report" class="secondary">Download report</button>
            <button id="download-junit" class="secondary">JUnit XML</button>
            <a id="compare-run" class="button secondary" href="/compare?a=${encodeURIComponent(id)}">Compare…</a>
            <span id="live-mode" class="muted"></span>`;
        ['cancel-run', 'rerun', 'download-report', 'download-junit'].forEach(name => { buttons[name] = document.getElementById(name); });
        buttons['cancel-run'].onclick = () => act(async () => {
            state.run = Object.assign({}, await api.json('POST', `/tests/${encodeURIComponent(id)}/cancel`), { definition: state.run.definition });
            draw();
        });
        buttons.rerun.onclick = () => act(async () => {
            const started = await api.json('POST', '/tests', JSON.stringify(state.run.definition));
            global.location.assign('/runs/' + encodeURIComponent(started.id));
        });
        buttons['download-report'].onclick = () => act(() => api.download(`/tests/${encodeURIComponent(id)}/report`, `barrage-${id}.html`));
        buttons['download-junit'].onclick = () => act(() => api.download(`/tests/${encodeURIComponent(id)}/junit`, `barrage-${id}.xml`));
    }

    function updateActions() {
        const final = format.isFinal(state.run.status);
        buttons['cancel-run'].disabled = final;
        buttons.rerun.disabled = !state.run.definition;
        buttons['download-junit'].disabled = !final;
        buttons['download-junit'].title = final ? '' : 'once the run has ended';
        document.getElementById('live-mode').textContent = final ? '' : `live (${state.mode || '…'})`;
    }

    async function act(action) {
        try {
            say('');
            await action();
        } catch (failure) {
            say(failure.message, 'error');
        }
    }

    async function refreshWhole() {
        const [run, timeline] = await Promise.all([
            api.json('GET', `/tests/${encodeURIComponent(id)}`),
            api.json('GET', `/tests/${encodeURIComponent(id)}/timeline`)]);
        state.run = run;
        state.timeline = timeline;
    }

    async function start() {
        try {
            await refreshWhole();
        } catch (failure) {
            say(failure.status === 404 ? `There is no run with the id ${id}.` : failure.message, 'error');
            return;
        }
        draw();
        if (format.isFinal(state.run.status)) {
            state.ended = true;
            return;
        }
        const wanted = new URLSearchParams(global.location.search).get('live');
        const following = api.follow(id, {
            onSnapshot(run, points) {
                state.run = Object.assign({}, run, { definition: state.run.definition });
                mergePoints(points);
                state.mode = following ? following.mode() : state.mode;
                draw();
            },
            async onEnd() {
                await refreshWhole(); // the final run: thresholds judged, warnings written, the last points
                state.ended = true;
                draw();
            },
            onError(failure) {
                say('Lost the run: ' + failure.message, 'error');
            }
        }, wanted === 'polling' ? 'polling' : 'events');
        state.mode = following.mode();
        updateActions();
    }

    start();
})(window);
