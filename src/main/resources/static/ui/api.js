/*
 * The pages' only way to the REST API. With barrage.security.api-key set, a 401 opens a dialog that
 * asks for the key once; the key is kept in sessionStorage (this browser tab's session) and sent as
 * "Authorization: Bearer <key>" from then on. Event streams are read with fetch (EventSource cannot
 * send that header); when they cannot be had, a run is polled once a second instead.
 */
(function (global) {
    'use strict';
    const Barrage = global.Barrage = global.Barrage || {};
    const KEY = 'barrage.apiKey';
    const POLL_EVERY_MS = 1000;

    /** An answer other than 2xx; `problem` is its problem-details body when it had one. */
    class ApiError extends Error {
        constructor(status, problem, text) {
            super(problem && (problem.detail || problem.title) ? (problem.detail || problem.title) : `HTTP ${status}: ${text || ''}`);
            this.status = status;
            this.problem = problem;
        }
    }

    let pendingKey = null;

    /** Shows the key dialog (one at a time, however many calls were refused) and resolves once a key is given. */
    function askForKey(refused) {
        if (pendingKey) {
            return pendingKey;
        }
        pendingKey = new Promise((resolve, reject) => {
            const dialog = keyDialog();
            dialog.querySelector('.key-refused').hidden = !refused;
            const input = dialog.querySelector('input');
            input.value = '';
            const form = dialog.querySelector('form');
            form.onsubmit = event => {
                event.preventDefault();
                const key = input.value.trim();
                if (!key) {
                    return;
                }
                sessionStorage.setItem(KEY, key);
                dialog.close();
                pendingKey = null;
                resolve();
            };
            dialog.querySelector('.key-cancel').onclick = () => {
                dialog.close();
                pendingKey = null;
                reject(new ApiError(401, { title: 'API key required', detail: 'This server needs its API key; nothing can be shown or started without it.' }));
            };
            dialog.showModal();
            input.focus();
        });
        return pendingKey;
    }

    function keyDialog() {
        let dialog = document.getElementById('api-key-dialog');
        if (!dialog) {
            dialog = document.createElement('dialog');
            dialog.id = 'api-key-dialog';
            dialog.innerHTML = `
                <form method="dialog">
                  <h2>API key</h2>
                  <p>This Barrage server needs its API key (<code>barrage.security.api-key</code>). It is kept for this browser session only.</p>
                  <p class="key-refused error" hidden>That key was refused: it is not this server's key.</p>
                  <label>Key <input id="api-key-input" type="password" autocomplete="off" required></label>
                  <div class="actions"><button type="submit" id="api-key-submit">Use this key</button>
                  <button type="button" class="key-cancel secondary">Cancel</button></div>
                </form>`;
            dialog.addEventListener('cancel', event => event.preventDefault()); // Escape must not leave a call hanging
            document.body.appendChild(dialog);
        }
        return dialog;
    }

    function headers(extra) {
        const all = Object.assign({}, extra);
        const key = sessionStorage.getItem(KEY);
        if (key) {
            all.Authorization = 'Bearer ' + key;
        }
        return all;
    }

    /** fetch() with the key; asks for the key on a 401 and tries again with it. */
    async function call(method, path, body, options) {
        const opts = options || {};
        for (;;) {
            const extra = {};
            if (body !== undefined) {
                extra['Content-Type'] = 'application/json';
            }
            if (opts.accept) {
                extra.Accept = opts.accept;
            }
            const response = await fetch(path, { method, headers: headers(extra), body, cache: 'no-store', signal: opts.signal });
            if (response.status !== 401) {
                return response;
            }
            await askForKey(sessionStorage.getItem(KEY) !== null);
        }
    }

    /** The JSON answer of a call; an ApiError (with the problem details) for any other status than 2xx. */
    async function json(method, path, body) {
        const response = await call(method, path, body);
        const text = await response.text();
        let data = null;
        try {
            data = text ? JSON.parse(text) : null;
        } catch (ignored) {
            data = null;
        }
        if (!response.ok) {
            throw new ApiError(response.status, data, text);
        }
        return data;
    }

    /** Saves what GET path answers as a file, named as its Content-Disposition says. */
    async function download(path, fallbackName) {
        const response = await call('GET', path);
        if (!response.ok) {
            const text = await response.text();
            let problem = null;
            try {
                problem = JSON.parse(text);
            } catch (ignored) {
                problem = null;
            }
            throw new ApiError(response.status, problem, text);
        }
        const disposition = response.headers.get('Content-Disposition') || '';
        const named = /filename="([^"]+)"/.exec(disposition);
        const blob = await response.blob();
        const link = document.createElement('a');
        link.href = URL.createObjectURL(blob);
        link.download = named ? named[1] : fallbackName;
        document.body.appendChild(link);
        link.click();
        link.remove();
        setTimeout(() => URL.revokeObjectURL(link.href), 10000);
    }

    /**
     * Follows a run until it has ended: handlers.onSnapshot(run, newPoints) for each published state,
     * handlers.onEnd(status) once. Reads GET /tests/{id}/events; polls when the stream cannot be had
     * (or when `mode` is 'polling'). Returns { mode(), stop() }.
     */
    function follow(id, handlers, mode) {
        const controller = new AbortController();
        let current = mode === 'polling' ? 'polling' : 'events';
        let ended = false;

        const end = status => {
            if (!ended) {
                ended = true;
                handlers.onEnd(status);
            }
        };

        async function viaEvents() {
            const response = await call('GET', `/tests/${encodeURIComponent(id)}/events`, undefined,
                { accept: 'text/event-stream', signal: controller.signal });
            if (!response.ok || !response.body) {
                throw new Error(`no event stream (HTTP ${response.status})`);
            }
            const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
            let buffer = '';
            let event = 'message';
            let data = [];
            for (;;) {
                const { value, done } = await reader.read();
                if (done) {
                    return;
                }
                buffer += value;
                let newline;
                while ((newline = buffer.indexOf('\n')) >= 0) {
                    let line = buffer.slice(0, newline);
                    buffer = buffer.slice(newline + 1);
                    if (line.endsWith('\r')) {
                        line = line.slice(0, -1);
                    }
                    if (line === '') {
                        dispatch(event, data.join('\n'));
                        event = 'message';
                        data = [];
                    } else if (!line.startsWith(':')) {
                        const colon = line.indexOf(':');
                        const field = colon < 0 ? line : line.slice(0, colon);
                        let text = colon < 0 ? '' : line.slice(colon + 1);
                        if (text.startsWith(' ')) {
                            text = text.slice(1);
                        }
                        if (field === 'event') {
                            event = text;
                        } else if (field === 'data') {
                            data.push(text);
                        }
                    }
                }
            }
        }

        function dispatch(event, data) {
            if (event === 'snapshot') {
                const snapshot = JSON.parse(data);
                handlers.onSnapshot(snapshot.run, snapshot.points || []);
            } else if (event === 'end') {
                end(data);
            }
        }

        async function viaPolling() {
            current = 'polling';
            while (!ended && !controller.signal.aborted) {
                const run = await json('GET', `/tests/${encodeURIComponent(id)}`);
                const timeline = await json('GET', `/tests/${encodeURIComponent(id)}/timeline`);
                handlers.onSnapshot(run, timeline);
                if (Barrage.format.isFinal(run.status)) {
                    end(run.status);
                    return;
                }
                await new Promise(resolve => setTimeout(resolve, POLL_EVERY_MS));
            }
        }

        (async () => {
            if (current === 'events') {
                try {
                    await viaEvents();
                } catch (failure) {
                    if (controller.signal.aborted) {
                        return;
                    }
                    console.warn('Barrage: following by polling:', failure.message);
                }
            }
            if (!ended && !controller.signal.aborted) {
                try {
                    await viaPolling();
                } catch (failure) {
                    if (!controller.signal.aborted && handlers.onError) {
                        handlers.onError(failure);
                    }
                }
            }
        })();

        return {
            mode: () => current,
            stop: () => controller.abort()
        };
    }

    Barrage.api = { call, json, download, follow, ApiError, forgetKey: () => sessionStorage.removeItem(KEY) };
})(window);
