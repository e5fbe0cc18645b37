export const id = 730;
export const ids = [730];
export const modules = {

/***/ 1730:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   run: () => (/* binding */ run)
/* harmony export */ });
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(8161);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_os__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var _config_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(306);
/* harmony import */ var _constants_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(7242);
/* harmony import */ var _deps_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(2137);
/* harmony import */ var _error_message_js__WEBPACK_IMPORTED_MODULE_10__ = __webpack_require__(6587);
/* harmony import */ var _inputs_reader_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(9066);
/* harmony import */ var _journal_js__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(2588);
/* harmony import */ var _publish_js__WEBPACK_IMPORTED_MODULE_8__ = __webpack_require__(4496);
/* harmony import */ var _strategy_js__WEBPACK_IMPORTED_MODULE_9__ = __webpack_require__(8594);
/** The main step: read inputs, run the chosen strategy, publish the result. */











/**
 * Each bad input is its own error annotation, titled with the input's name (and at its line, for a line of a
 * multi-line input); the last one fails the step, so N bad inputs show as N annotations.
 */
function failOnInputs(startup, problems) {
    problems.forEach((problem, i) => {
        const properties = { title: problem.input, ...(problem.line === undefined ? {} : { startLine: problem.line }) };
        if (i < problems.length - 1)
            startup.log.error(problem.message, properties);
        else
            startup.io.setFailed(problem.message, properties);
    });
}
/** A private temp folder for this run (journal copy, key material never goes here); the post step removes it. */
function makeTempDir(deps) {
    const base = deps.env.RUNNER_TEMP || node_os__WEBPACK_IMPORTED_MODULE_1___default().tmpdir();
    const dir = node_fs__WEBPACK_IMPORTED_MODULE_0___default().mkdtempSync(node_path__WEBPACK_IMPORTED_MODULE_2___default().join(base, 'deploy-action-'));
    node_fs__WEBPACK_IMPORTED_MODULE_0___default().chmodSync(dir, 0o700);
    deps.io.saveState(_constants_js__WEBPACK_IMPORTED_MODULE_4__/* .State */ .Uw.tempDir, dir);
    return dir;
}
async function run(startup = (0,_deps_js__WEBPACK_IMPORTED_MODULE_5__/* .createStartup */ .q)()) {
    startup.io.saveState(_constants_js__WEBPACK_IMPORTED_MODULE_4__/* .State */ .Uw.isPost, 'true');
    let config;
    let deps;
    let result;
    try {
        config = await (0,_config_js__WEBPACK_IMPORTED_MODULE_3__/* .readInputs */ .Ko)(startup.inputs, startup.env, startup.log, await (0,_config_js__WEBPACK_IMPORTED_MODULE_3__/* .yamlFor */ .rf)(startup.inputs));
        const ready = (deps = await startup.load());
        const strategy = await (0,_strategy_js__WEBPACK_IMPORTED_MODULE_9__/* .createStrategy */ .W)(config, ready);
        const journal = (0,_journal_js__WEBPACK_IMPORTED_MODULE_7__/* .createJournal */ .s9)(ready.io, makeTempDir(ready), { done: false });
        result = await strategy.deploy({
            journal,
            signal: ready.cancel,
            setOutput: (name, value) => ready.io.setOutput(name, value)
        });
        journal.update({ done: true });
        for (const [name, value] of Object.entries((0,_publish_js__WEBPACK_IMPORTED_MODULE_8__/* .resultOutputs */ .w)(config.strategy, result))) {
            ready.io.setOutput(name, value ?? '');
        }
        if (result.status === 'succeeded' || result.status === 'planned')
            ready.log.notice(result.message);
        else
            ready.io.setFailed(result.message);
    }
    catch (error) {
        if (error instanceof _inputs_reader_js__WEBPACK_IMPORTED_MODULE_6__/* .InputError */ .dz)
            failOnInputs(startup, error.problems);
        else
            (deps ?? startup).io.setFailed((0,_error_message_js__WEBPACK_IMPORTED_MODULE_10__/* .errorMessage */ .g)(error, { withCause: true }));
    }
    finally {
        if (deps && config && result) {
            const [strategy, published, view] = [config.strategy, result, (0,_config_js__WEBPACK_IMPORTED_MODULE_3__/* .configView */ .ut)(config)];
            try {
                await deps.io.appendSummary((summary) => (0,_publish_js__WEBPACK_IMPORTED_MODULE_8__/* .fillSummary */ .C)(summary, strategy, published, view));
            }
            catch (error) {
                deps.log.warning(`Could not write the job summary: ${(0,_error_message_js__WEBPACK_IMPORTED_MODULE_10__/* .errorMessage */ .g)(error, { withCause: true })}`);
            }
        }
    }
}


/***/ })

};
