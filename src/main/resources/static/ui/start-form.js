/*
 * The start form: the JSON editor holds the whole definition and is what is posted; the common
 * fields above it read from and write into that JSON. The API's validation errors are shown next
 * to the field they name, or under the editor when no field of the form holds that part.
 */
(function (global) {
    'use strict';
    const { api, format } = global.Barrage;
    const form = document.getElementById('start-form');
    const editor = document.getElementById('f-json');
    const examples = document.getElementById('f-example');
    const jsonProblem = document.getElementById('json-problem');
    const otherErrors = document.getElementById('definition-errors');
    const inputs = [...form.querySelectorAll('[data-field]')];
    const CLOSED_DEFAULTS = { concurrency: 10 };
    const OPEN_DEFAULTS = { rate: 100 };

    function parsed() {
        try {
            const value = JSON.parse(editor.value);
            jsonProblem.hidden = true;
            return value && typeof value === 'object' && !Array.isArray(value) ? value : null;
        } catch (failure) {
            jsonProblem.hidden = false;
            jsonProblem.textContent = 'The JSON does not parse: ' + failure.message;
            return null;
        }
    }

    function read(object, path) {
        return path.split('.').reduce((at, key) => (at && typeof at === 'object' ? at[key] : undefined), object);
    }

    function write(object, path, value) {
        const keys = path.split('.');
        let at = object;
        keys.slice(0, -1).forEach(key => {
            if (!at[key] || typeof at[key] !== 'object') {
                at[key] = {};
            }
            at = at[key];
        });
        const last = keys[keys.length - 1];
        if (value === undefined) {
            delete at[last];
        } else {
            at[last] = value;
        }
    }

    function valueOf(input) {
        const text = input.value.trim();
        if (input.dataset.type === 'lines') {
            const lines = input.value.split('\n').map(line => line.trim()).filter(Boolean);
            return lines.length ? lines : undefined;
        }
        if (text === '') {
            return undefined;
        }
        if (input.dataset.type === 'number') {
            const number = Number(text);
            return Number.isFinite(number) ? number : text; // the API names what is wrong with it
        }
        return text;
    }

    /** The fields show what the JSON holds. */
    function fieldsFromJson() {
        const definition = parsed();
        if (!definition) {
            return;
        }
        inputs.forEach(input => {
            if (document.activeElement === input) {
                return;
            }
            const value = read(definition, input.dataset.field);
            if (input.dataset.type === 'lines') {
                input.value = Array.isArray(value) ? value.join('\n') : '';
            } else if (input.tagName === 'SELECT') {
                const wanted = value === undefined ? input.options[0].value : String(value);
                input.value = input.dataset.field === 'workload.model' ? wanted.toLowerCase() : wanted.toUpperCase();
            } else {
                input.value = value === undefined || value === null ? '' : String(value);
            }
        });
        const scenarios = Array.isArray(definition.scenarios);
        document.getElementById('scenario-note').hidden = !scenarios;
        ['f-method', 'f-url'].forEach(id => { document.getElementById(id).disabled = scenarios; });
        showModel();
    }

    function showModel() {
        const open = document.getElementById('f-model').value === 'open';
        form.querySelectorAll('.closed-only').forEach(el => { el.hidden = open; });
        form.querySelectorAll('.open-only').forEach(el => { el.hidden = !open; });
    }

    /** A field was edited: write it into the JSON. */
    function jsonFromField(input) {
        const definition = parsed();
        if (!definition) {
            return; // the JSON is broken: the message under the editor says so; nothing is overwritten
        }
        const value = valueOf(input);
        write(definition, input.dataset.field, value);
        if (input.dataset.field === 'workload.model') {
            const workload = definition.workload;
            const open = value === 'open';
            const drop = open ? ['concurrency', 'stages', 'rampUp'] : ['rate', 'maxConcurrency'];
            drop.forEach(key => delete workload[key]);
            Object.entries(open ? OPEN_DEFAULTS : CLOSED_DEFAULTS).forEach(([key, v]) => {
                if (workload[key] === undefined || workload[key] === null) {
                    workload[key] = v;
                }
            });
        }
        editor.value = JSON.stringify(definition, null, 2);
        if (input.dataset.field === 'workload.model') {
            fieldsFromJson();
        }
    }

    function clearErrors() {
        form.querySelectorAll('.field-error[data-error-for]').forEach(p => { p.hidden = true; p.textContent = ''; });
        form.querySelectorAll('.invalid').forEach(el => el.classList.remove('invalid'));
        otherErrors.hidden = true;
        otherErrors.innerHTML = '';
    }

    /** The form field that holds `path` (such as thresholds[1] or workload.rate), if any is shown. */
    function fieldFor(path) {
        return inputs
            .filter(input => !input.closest('[hidden]') && !input.disabled)
            .filter(input => path === input.dataset.field || path.startsWith(input.dataset.field + '[')
                || path.startsWith(input.dataset.field + '.'))
            .sort((a, b) => b.dataset.field.length - a.dataset.field.length)[0];
    }

    function showErrors(problem) {
        const errors = problem && Array.isArray(problem.errors) && problem.errors.length
            ? problem.errors : [{ field: '', message: problem ? (problem.detail || problem.title) : 'refused' }];
        errors.forEach(error => {
            const input = error.field ? fieldFor(error.field) : null;
            if (input) {
                const slot = form.querySelector(`.field-error[data-error-for="${input.dataset.field}"]`);
                slot.hidden = false;
                slot.textContent = (slot.textContent ? slot.textContent + ' ' : '')
                    + (error.field === input.dataset.field ? error.message : `${error.field}: ${error.message}`);
                input.classList.add('invalid');
            } else {
                otherErrors.hidden = false;
                otherErrors.insertAdjacentHTML('beforeend', `<li data-error-field="${format.escape(error.field)}">`
                    + (error.field ? `<code>${format.escape(error.field)}</code>: ` : '') + `${format.escape(error.message)}</li>`);
            }
        });
    }

    form.addEventListener('input', event => {
        if (event.target === editor) {
            fieldsFromJson();
        } else if (event.target.dataset.field) {
            jsonFromField(event.target);
        }
    });
    form.addEventListener('change', event => {
        if (event.target.dataset && event.target.dataset.field) {
            jsonFromField(event.target);
            showModel();
        }
    });

    form.addEventListener('submit', async event => {
        event.preventDefault();
        clearErrors();
        const button = document.getElementById('start-test');
        button.disabled = true;
        try {
            const run = await api.json('POST', '/tests', editor.value);
            global.location.assign('/runs/' + encodeURIComponent(run.id));
        } catch (failure) {
            showErrors(failure.problem || { detail: failure.message });
        } finally {
            button.disabled = false;
        }
    });

    examples.addEventListener('change', () => {
        const chosen = examples.selectedOptions[0];
        if (chosen && chosen.dataset.definition) {
            editor.value = chosen.dataset.definition;
            clearErrors();
            fieldsFromJson();
        }
    });

    (async () => {
        const response = await fetch('/ui/examples.json', { cache: 'no-store' });
        const list = response.ok ? await response.json() : [];
        examples.innerHTML = list.map(example => `<option data-definition="${format.escape(JSON.stringify(example.definition, null, 2))}">`
            + `${format.escape(example.name)}</option>`).join('');
        if (list.length && !editor.value.trim()) {
            editor.value = JSON.stringify(list[0].definition, null, 2);
        }
        fieldsFromJson();
    })();
})(window);
