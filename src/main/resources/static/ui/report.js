/*
 * The saved report: one HTML file that holds the run, its timeline, uPlot and these scripts, and
 * draws what the run page draws, with no network at all (it opens from file://).
 */
(function (global) {
    'use strict';
    const data = JSON.parse(document.getElementById('barrage-report-data').textContent);
    global.barrageRun = data;
    const view = global.Barrage.runView.create(document.getElementById('main'));
    view.actions.innerHTML = `<span class="muted">Saved report, made ${global.Barrage.format.escape(global.Barrage.format.time(data.generatedAt))}`
        + ` by Barrage from <code>${global.Barrage.format.escape(data.source)}</code></span>`;
    view.render(data.run, data.timeline);
    document.title = `${data.run.name} · ${data.run.status} · Barrage report`;
})(window);
