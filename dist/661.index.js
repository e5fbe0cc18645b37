export const id = 661;
export const ids = [661];
export const modules = {

/***/ 137:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  aK: () => (/* binding */ createDefaultDeps)
});

// UNUSED EXPORTS: cancelOnSignals, runnerIO, runnerLogger

;// CONCATENATED MODULE: ./src/clock.ts
/** The real clock. */
const systemClock = {
    now: () => Date.now(),
    sleep: (ms, signal) => new Promise((resolve) => {
        if (signal?.aborted || ms <= 0)
            return resolve();
        const done = () => {
            clearTimeout(timer);
            signal?.removeEventListener('abort', done);
            resolve();
        };
        const timer = setTimeout(done, ms);
        signal?.addEventListener('abort', done, { once: true });
    })
};

// EXTERNAL MODULE: ./src/runner.ts + 1 modules
var runner = __webpack_require__(562);
;// CONCATENATED MODULE: ./src/deps.ts
/** The side effects `main` and `post` use, and the one factory that builds the real ones. */


const runnerLogger = {
    info: (m) => runner/* info */.pq(m),
    debug: (m) => runner/* issueCommand */.Lb('debug', m),
    warning: (m) => runner/* issueCommand */.Lb('warning', m),
    error: (m) => runner/* issueCommand */.Lb('error', m),
    notice: (m) => runner/* issueCommand */.Lb('notice', m),
    setSecret: (s) => runner/* setSecret */.Pq(s),
    group: (name, fn) => runner/* group */.Os(name, fn)
};
const runnerIO = {
    setOutput: (name, value) => runner/* setOutput */.uH(name, value),
    saveState: (name, value) => runner/* saveState */.LZ(name, value),
    getState: (name) => runner/* getState */.Gu(name),
    appendSummary: async (markdown) => runner/* appendSummary */.fe(markdown),
    setFailed: (message) => {
        process.exitCode = 1;
        runner/* issueCommand */.Lb('error', message);
    }
};
/** Wires SIGINT/SIGTERM to an AbortSignal: the runner sends them when the job is cancelled. */
function cancelOnSignals(log) {
    const controller = new AbortController();
    const onSignal = (signal) => {
        if (!controller.signal.aborted)
            log.warning(`Received ${signal}: cancelling, recovering what changed`);
        controller.abort(new Error(`Cancelled by ${signal}`));
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    return controller.signal;
}
function createDefaultDeps() {
    return {
        inputs: { getInput: (name) => runner/* getInput */.V4(name) },
        env: process.env,
        log: runnerLogger,
        clock: systemClock,
        io: runnerIO,
        cancel: cancelOnSignals(runnerLogger)
    };
}


/***/ }),

/***/ 422:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Ko: () => (/* binding */ readInputs),
/* harmony export */   ut: () => (/* binding */ configView)
/* harmony export */ });
/* unused harmony exports InputError, parseImage */
/* harmony import */ var _constants_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(242);

/** A bad input: the message names the input, the position and the expected form. */
class InputError extends Error {
    constructor(message) {
        super(message);
        this.name = 'InputError';
    }
}
const IMAGE_RE = /^(?:(?<registry>(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\.(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?))*(?::[0-9]+)?|\[[0-9a-fA-F:]+\](?::[0-9]+)?)\/)?(?<name>[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*)(?::(?<tag>[\w][\w.-]{0,127}))?(?:@(?<digest>sha256:[0-9a-f]{64}))?$/;
function parseImage(value) {
    const m = IMAGE_RE.exec(value);
    if (!m?.groups) {
        throw new InputError(`Invalid '${_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Inputs */ .G0.image}': expected an image reference [registry[:port]/]name[:tag][@sha256:<64 hex>], got '${value}'`);
    }
    let { registry, name } = m.groups;
    // `library/nginx` has no registry: a first component is a registry only with a dot, a port or `localhost`.
    if (registry && !/[.:]|^localhost$|^\[/.test(registry)) {
        name = `${registry}/${name}`;
        registry = undefined;
    }
    const ref = { ref: value, name };
    if (registry)
        ref.registry = registry;
    if (m.groups.tag)
        ref.tag = m.groups.tag;
    if (m.groups.digest)
        ref.digest = m.groups.digest;
    return ref;
}
function required(source, name, why) {
    const value = source.getInput(name);
    if (!value)
        throw new InputError(`Missing '${name}': required ${why}`);
    return value;
}
function readInputs(source, env, log) {
    void env;
    void log;
    const strategy = source.getInput(_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Inputs */ .G0.strategy);
    if (!_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Strategies */ .ie.includes(strategy)) {
        throw new InputError(`${strategy ? 'Invalid' : 'Missing'} '${_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Inputs */ .G0.strategy}': expected one of ${_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Strategies */ .ie.join(', ')}${strategy ? `, got '${strategy}'` : ''}`);
    }
    const image = parseImage(required(source, _constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Inputs */ .G0.image, 'for every strategy'));
    throw new InputError(`Strategy '${strategy}' is not available yet (image ${image.ref})`);
}
/** The configuration as shown in the job summary: secrets left out. */
function configView(config) {
    const view = { ...config };
    for (const key of ['privateKey', 'passphrase', 'taskDefinitionDocument', 'appspecDocument', 'env'])
        delete view[key];
    return view;
}


/***/ }),

/***/ 588:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   _: () => (/* binding */ loadJournal),
/* harmony export */   s: () => (/* binding */ createJournal)
/* harmony export */ });
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(24);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _constants_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(242);
/** The journal: what has changed so far, saved as action state (and to a private file) the moment it changes. */



const FILE = 'journal.json';
function createJournal(io, tempDir, initial = {}) {
    let data = { ...initial };
    const persist = () => {
        const text = JSON.stringify(data);
        io.saveState(_constants_js__WEBPACK_IMPORTED_MODULE_2__/* .State */ .Uw.journal, text);
        if (tempDir)
            node_fs__WEBPACK_IMPORTED_MODULE_0___default().writeFileSync(node_path__WEBPACK_IMPORTED_MODULE_1___default().join(tempDir, FILE), text, { mode: 0o600 });
    };
    return {
        update(patch) {
            data = { ...data, ...patch };
            persist();
        },
        read: () => data
    };
}
/** Reads the journal the main step left: action state first, then the private file (if state was not saved). */
function loadJournal(io, tempDir) {
    const fromState = io.getState(_constants_js__WEBPACK_IMPORTED_MODULE_2__/* .State */ .Uw.journal);
    let text = fromState;
    if (!text && tempDir) {
        try {
            text = node_fs__WEBPACK_IMPORTED_MODULE_0___default().readFileSync(node_path__WEBPACK_IMPORTED_MODULE_1___default().join(tempDir, FILE), 'utf8');
        }
        catch {
            return undefined;
        }
    }
    if (!text)
        return undefined;
    try {
        return JSON.parse(text);
    }
    catch {
        return undefined;
    }
}


/***/ }),

/***/ 661:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   runPost: () => (/* binding */ runPost)
/* harmony export */ });
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(24);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _constants_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(242);
/* harmony import */ var _deps_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(137);
/* harmony import */ var _inputs_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(422);
/* harmony import */ var _journal_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(588);
/* harmony import */ var _publish_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(496);
/* harmony import */ var _strategy_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(594);
/** The post step (runs even when the job was cancelled): finish what the main step left, then clean up. Never fails. */







async function runPost(deps = (0,_deps_js__WEBPACK_IMPORTED_MODULE_2__/* .createDefaultDeps */ .aK)()) {
    const tempDir = deps.io.getState(_constants_js__WEBPACK_IMPORTED_MODULE_1__/* .State */ .Uw.tempDir) || undefined;
    try {
        const saved = (0,_journal_js__WEBPACK_IMPORTED_MODULE_4__/* .loadJournal */ ._)(deps.io, tempDir);
        if (saved && saved.done !== true) {
            const config = (0,_inputs_js__WEBPACK_IMPORTED_MODULE_3__/* .readInputs */ .Ko)(deps.inputs, deps.env, deps.log);
            const strategy = await (0,_strategy_js__WEBPACK_IMPORTED_MODULE_6__/* .createStrategy */ .W)(config, deps);
            const journal = (0,_journal_js__WEBPACK_IMPORTED_MODULE_4__/* .createJournal */ .s)(deps.io, tempDir, saved);
            const result = await strategy.recover({ journal, signal: deps.cancel });
            if (result) {
                journal.update({ done: true });
                deps.log.warning(`The main step did not finish; the post step recovered: ${result.message}`);
                await deps.io.appendSummary((0,_publish_js__WEBPACK_IMPORTED_MODULE_5__/* .renderSummary */ .Br)(config.strategy, result, undefined));
            }
        }
    }
    catch (error) {
        deps.log.warning(`Post step: ${error instanceof Error ? error.message : String(error)}`);
    }
    finally {
        if (tempDir)
            node_fs__WEBPACK_IMPORTED_MODULE_0___default().rmSync(tempDir, { recursive: true, force: true });
    }
}


/***/ }),

/***/ 496:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Br: () => (/* binding */ renderSummary),
/* harmony export */   wg: () => (/* binding */ resultOutputs)
/* harmony export */ });
/* unused harmony export formatDuration */
/* harmony import */ var _constants_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(242);
/** The only place that turns a result into outputs and a job summary. */

const ICON = {
    deployed: '✅',
    'rolled-back': '↩️',
    failed: '❌',
    untouched: '⏸️',
    planned: '📝'
};
const HEADLINE = {
    succeeded: '✅ Deploy succeeded',
    failed: '❌ Deploy failed',
    'rolled-back': '↩️ Deploy rolled back',
    planned: '📝 Deploy planned (dry run)'
};
function namesWith(targets, outcome) {
    return targets
        .filter((t) => t.outcome === outcome)
        .map((t) => t.name)
        .join(',');
}
/** Every output the result defines, including the derived `status`, `hosts-*` and `report`. */
function resultOutputs(strategy, result) {
    const out = { ...result.outputs, [_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Outputs */ .tY.status]: result.status };
    if (strategy === 'ssh-rolling') {
        out[_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Outputs */ .tY.hostsDeployed] = namesWith(result.targets, 'deployed');
        out[_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Outputs */ .tY.hostsRolledBack] = namesWith(result.targets, 'rolled-back');
        out[_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Outputs */ .tY.hostsFailed] = namesWith(result.targets, 'failed');
    }
    out[_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Outputs */ .tY.report] = JSON.stringify({
        strategy,
        status: result.status,
        message: result.message,
        targets: result.targets
    });
    return out;
}
function formatDuration(ms) {
    if (ms < 1000)
        return `${Math.round(ms)} ms`;
    const s = ms / 1000;
    if (s < 60)
        return `${s.toFixed(1)} s`;
    return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}
function cell(text) {
    return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}
/** The job summary: headline, per-target table, links, sections, and the configuration minus secrets. */
function renderSummary(strategy, result, configView) {
    const lines = [`## ${HEADLINE[result.status]} — ${strategy}`, '', cell(result.message), ''];
    if (result.targets.length > 0) {
        lines.push('| Target | Before → after | Result | Duration |', '| --- | --- | --- | --- |');
        for (const t of result.targets) {
            const versions = `${t.before ?? '—'} → ${t.after ?? '—'}`;
            const outcome = `${ICON[t.outcome]} ${t.outcome}${t.state ? ` (${t.state})` : ''}${t.error ? `: ${t.error}` : ''}`;
            lines.push(`| ${cell(t.name)} | ${cell(versions)} | ${cell(outcome)} | ${formatDuration(t.durationMs)} |`);
        }
        lines.push('');
    }
    for (const link of result.links ?? [])
        lines.push(`- [${link.title}](${link.url})`);
    if (result.links?.length)
        lines.push('');
    for (const section of result.sections ?? [])
        lines.push(`### ${section.title}`, '', section.body, '');
    if (configView) {
        lines.push('<details><summary>Configuration</summary>', '', '```json', JSON.stringify(configView, null, 2), '```', '', '</details>', '');
    }
    return lines.join('\n');
}


/***/ }),

/***/ 594:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   W: () => (/* binding */ createStrategy)
/* harmony export */ });
async function createStrategy(config, deps) {
    switch (config.strategy) {
        case 'ssh-rolling':
        case 'ecs-blue-green':
        case 'ecs-rolling':
            throw new Error(`Strategy '${config.strategy}' is not available in this version of the action`);
        default: {
            const unknown = config;
            throw new Error(`Unknown strategy: ${JSON.stringify(unknown)}`);
        }
    }
    void deps;
}


/***/ })

};
