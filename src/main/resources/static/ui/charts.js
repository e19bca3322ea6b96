/*
 * Charts of a run's timeline (one point per second) with uPlot, for the run page, the compare page
 * and the saved report. Every chart drawn is also in window.barrageCharts by name, so that a person
 * (or a browser test) can read the data a chart holds.
 */
(function (global) {
    'use strict';
    const Barrage = global.Barrage = global.Barrage || {};
    const HEIGHT = 220;
    const registry = global.barrageCharts = global.barrageCharts || {};

    const COLORS = {
        blue: '#2563eb', grey: '#6b7280', green: '#16a34a', amber: '#d97706', red: '#dc2626',
        purple: '#7c3aed', teal: '#0d9488', orange: '#ea580c'
    };

    /** What a run page draws: per chart, its series (a value from a timeline point each) and axes. */
    const RUN_CHARTS = [
        {
            name: 'throughput', title: 'Throughput (requests/s)', left: 'req/s',
            series: [
                { label: 'throughput', color: COLORS.blue, value: p => p.throughput },
                { label: 'target rate', color: COLORS.grey, dash: [6, 4], openOnly: true, value: p => p.targetRate }
            ]
        },
        {
            name: 'latency', title: 'Latency (ms, from when each request was due)', left: 'ms',
            series: [
                { label: 'p50', color: COLORS.green, value: p => p.p50 },
                { label: 'p90', color: COLORS.amber, value: p => p.p90 },
                { label: 'p99', color: COLORS.red, value: p => p.p99 }
            ]
        },
        {
            name: 'errors', title: 'Errors and requests in flight', left: 'failures/s', right: 'in flight',
            series: [
                { label: 'failures', color: COLORS.red, value: p => p.failures },
                { label: 'in flight', color: COLORS.purple, axis: 'right', value: p => p.inFlight }
            ]
        },
        {
            name: 'schedule', title: 'Keeping to the schedule (open model)', left: 'requests/s', right: 'lag ms', openOnly: true,
            series: [
                { label: 'delayed', color: COLORS.amber, value: p => p.delayed },
                { label: 'connect-delayed', color: COLORS.teal, value: p => p.connectDelayed },
                { label: 'dropped', color: COLORS.red, value: p => p.dropped },
                { label: 'scheduler lag ms', color: COLORS.purple, axis: 'right', value: p => p.schedulerLagMs }
            ]
        }
    ];

    function valueOrNull(value) {
        return value === undefined || value === null || Number.isNaN(value) ? null : value;
    }

    function options(spec, width) {
        const axes = [{ label: 'seconds since start' }, { label: spec.left, scale: 'left', size: 70 }];
        if (spec.right) {
            axes.push({ label: spec.right, scale: 'right', side: 1, size: 70, grid: { show: false } });
        }
        return {
            title: spec.title,
            width: width,
            height: HEIGHT,
            scales: { x: { time: false }, left: { range: (u, min, max) => [0, max > 0 ? max * 1.1 : 1] },
                right: { range: (u, min, max) => [0, max > 0 ? max * 1.1 : 1] } },
            axes: axes,
            series: [{ label: 'second' }].concat(spec.series.map(s => ({
                label: s.label, stroke: s.color, width: 2, dash: s.dash, spanGaps: true,
                scale: s.axis === 'right' ? 'right' : 'left',
                value: (u, v) => v === null || v === undefined ? '—' : Barrage.format.number(v, 3)
            }))),
            legend: { live: true }
        };
    }

    /** The drawing width that fits a chart's box (a grid cell) inside its padding. */
    function widthOf(box) {
        const style = global.getComputedStyle(box);
        const padding = parseFloat(style.paddingLeft) + parseFloat(style.paddingRight) || 0;
        return Math.max(280, Math.floor((box.getBoundingClientRect().width || 640) - padding));
    }

    /** One uPlot chart in `into` (a new div), registered under `name`; update(data) replaces its data. */
    function chart(into, spec, data) {
        const box = document.createElement('div');
        box.className = 'chart';
        box.dataset.chart = spec.name;
        into.appendChild(box);
        const plot = new global.uPlot(options(spec, widthOf(box)), data, box);
        plot.box = box;
        registry[spec.name] = plot;
        return plot;
    }

    /** The run's charts in `container`; returns { update(timeline) }. */
    function runCharts(container, timeline, openModel) {
        const specs = RUN_CHARTS.filter(spec => openModel || !spec.openOnly)
            .map(spec => Object.assign({}, spec, { series: spec.series.filter(s => openModel || !s.openOnly) }));
        const dataOf = (spec, points) => [points.map(p => p.t)]
            .concat(spec.series.map(s => points.map(p => valueOrNull(s.value(p)))));
        const plots = specs.map(spec => ({ spec, plot: chart(container, spec, dataOf(spec, timeline)) }));
        keepWidth(container, plots.map(p => p.plot));
        return {
            update(points) {
                plots.forEach(({ spec, plot }) => plot.setData(dataOf(spec, points)));
            }
        };
    }

    /** Two runs' timelines overlaid: per chart, a's series and b's on one time axis (seconds since each start). */
    function compareCharts(container, a, b) {
        const times = Array.from(new Set(a.timeline.map(p => p.t).concat(b.timeline.map(p => p.t)))).sort((x, y) => x - y);
        const at = timeline => {
            const byT = new Map(timeline.map(p => [p.t, p]));
            return t => byT.get(t);
        };
        const pointA = at(a.timeline);
        const pointB = at(b.timeline);
        const figures = [
            { name: 'throughput', title: 'Throughput (requests/s)', left: 'req/s', value: p => p.throughput },
            { name: 'p99', title: 'Latency p99 (ms)', left: 'ms', value: p => p.p99 },
            { name: 'p50', title: 'Latency p50 (ms)', left: 'ms', value: p => p.p50 },
            { name: 'failures', title: 'Failures per second', left: 'failures/s', value: p => p.failures }
        ];
        const plots = figures.map(figure => {
            const spec = {
                name: figure.name, title: figure.title, left: figure.left,
                series: [
                    { label: 'a: ' + a.label, color: COLORS.blue },
                    { label: 'b: ' + b.label, color: COLORS.orange }
                ]
            };
            const series = [pointA, pointB].map(point => times.map(t => {
                const p = point(t);
                return p ? valueOrNull(figure.value(p)) : null;
            }));
            return chart(container, spec, [times].concat(series));
        });
        keepWidth(container, plots);
    }

    /** Fits the charts to their boxes now (the grid may have changed as charts were added) and on every resize. */
    function keepWidth(container, plots) {
        plots.forEach(plot => plot.setSize({ width: widthOf(plot.box), height: HEIGHT }));
        let pending = false;
        global.addEventListener('resize', () => {
            if (pending) {
                return;
            }
            pending = true;
            global.requestAnimationFrame(() => {
                pending = false;
                plots.forEach(plot => plot.setSize({ width: widthOf(plot.box), height: HEIGHT }));
            });
        });
    }

    Barrage.charts = { runCharts, compareCharts };
})(window);
