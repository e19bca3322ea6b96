/*
 * Small helpers every page and the saved report share: HTML escaping, number and time formats.
 * Classic script (not a module) so that the report can inline it as it is.
 */
(function (global) {
    'use strict';
    const Barrage = global.Barrage = global.Barrage || {};

    const ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

    /** Text made safe to put into HTML, attribute values included. */
    function escape(value) {
        return String(value === null || value === undefined ? '' : value).replace(/[&<>"']/g, c => ESCAPES[c]);
    }

    /** A number with thousands separators and at most `digits` decimals; an em dash for none. */
    function number(value, digits) {
        if (value === null || value === undefined || Number.isNaN(value)) {
            return '—';
        }
        return Number(value).toLocaleString('en-US', { maximumFractionDigits: digits === undefined ? 0 : digits });
    }

    function percent(fraction, digits) {
        if (fraction === null || fraction === undefined) {
            return '—';
        }
        return number(fraction * 100, digits === undefined ? 2 : digits) + ' %';
    }

    function ms(value) {
        return value === null || value === undefined ? '—' : number(value, value < 10 ? 3 : value < 100 ? 2 : 1);
    }

    function bytes(value) {
        if (value === null || value === undefined) {
            return '—';
        }
        const units = ['B', 'KB', 'MB', 'GB', 'TB'];
        let scaled = value;
        let unit = 0;
        while (scaled >= 1024 && unit < units.length - 1) {
            scaled /= 1024;
            unit++;
        }
        return number(scaled, unit === 0 ? 0 : 1) + ' ' + units[unit];
    }

    /** An instant as local date and time, to the second. */
    function time(iso) {
        if (!iso) {
            return '—';
        }
        const date = new Date(iso);
        return date.toLocaleString('sv-SE', { hour12: false }); // 2026-12-02 06:00:00: sortable, unambiguous
    }

    /** An instant as its time of day when it is today, else as date and time to the minute. */
    function shortTime(iso) {
        if (!iso) {
            return '—';
        }
        const full = time(iso);
        return full.slice(0, 10) === time(new Date().toISOString()).slice(0, 10) ? full.slice(11) : full.slice(0, 16);
    }

    /** An HTML table from header cells and rows of cells (cells are HTML already escaped by the caller). */
    function table(headers, rows, className) {
        const head = headers.map(h => `<th>${h}</th>`).join('');
        const body = rows.map(row => `<tr>${row.map(cell => `<td>${cell}</td>`).join('')}</tr>`).join('');
        return `<table class="${className || 'figures'}"><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
    }

    const FINAL = ['COMPLETED', 'CANCELLED', 'FAILED'];

    function isFinal(status) {
        return FINAL.includes(status);
    }

    /** A status or verdict as a coloured badge. */
    function badge(word) {
        return word ? `<span class="badge badge-${escape(String(word).toLowerCase())}">${escape(word)}</span>` : '';
    }

    Barrage.format = { escape, number, percent, ms, bytes, time, shortTime, table, badge, isFinal };
})(window);
