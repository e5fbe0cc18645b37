export const id = 441;
export const ids = [441];
export const modules = {

/***/ 7441:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   loadToolkit: () => (/* binding */ loadToolkit)
/* harmony export */ });
/* unused harmony exports coreIO, runIdentity */
/* harmony import */ var _runner_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(4813);

/** Outputs and state in the runner's files, the summary through `core.summary`, a failure as an error annotation. */
function coreIO(core) {
    return {
        setOutput: (name, value) => core.setOutput(name, value),
        saveState: (name, value) => core.saveState(name, value),
        getState: (name) => core.getState(name),
        appendSummary: async (fill) => {
            if (!process.env.GITHUB_STEP_SUMMARY)
                return;
            fill(core.summary.emptyBuffer());
            await core.summary.write();
        },
        setFailed: (message, properties) => {
            process.exitCode = core.ExitCode.Failure;
            core.error(message, properties);
        }
    };
}
/** The run as `context` describes it; fields the runner did not set are left out (a local run has none). */
function runIdentity(context, env = process.env) {
    let repository;
    try {
        repository = `${context.repo.owner}/${context.repo.repo}`;
    }
    catch {
        // `context.repo` throws without GITHUB_REPOSITORY or an event payload naming the repository.
    }
    const runId = Number.isInteger(context.runId) ? context.runId : undefined;
    const runAttempt = Number.isInteger(context.runAttempt) ? context.runAttempt : undefined;
    const identity = { actor: context.actor || env.USER || 'unknown' };
    if (repository)
        identity.repository = repository;
    if (runId !== undefined)
        identity.runId = runId;
    if (runAttempt !== undefined)
        identity.runAttempt = runAttempt;
    if (context.sha)
        identity.sha = context.sha;
    if (context.ref)
        identity.ref = context.ref;
    if (context.workflow)
        identity.workflow = context.workflow;
    if (repository && runId !== undefined) {
        const attempt = runAttempt !== undefined && runAttempt > 1 ? `/attempts/${runAttempt}` : '';
        identity.runUrl = `${context.serverUrl}/${repository}/actions/runs/${runId}${attempt}`;
    }
    return identity;
}
/** Imports the toolkit (both packages at once) and builds the log, the runner IO and the run identity over it. */
async function loadToolkit() {
    const [core, github] = await Promise.all([Promise.all(/* import() */[__webpack_require__.e(119), __webpack_require__.e(260), __webpack_require__.e(264)]).then(__webpack_require__.bind(__webpack_require__, 7264)), Promise.all(/* import() */[__webpack_require__.e(119), __webpack_require__.e(564)]).then(__webpack_require__.bind(__webpack_require__, 5564))]);
    return { log: (0,_runner_js__WEBPACK_IMPORTED_MODULE_0__/* .loggerOver */ .Rl)(core), io: coreIO(core), identity: runIdentity(github.context) };
}


/***/ })

};
