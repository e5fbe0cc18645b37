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
/* harmony import */ var _constants_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(7242);
/* harmony import */ var _deps_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(2137);
/* harmony import */ var _inputs_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(8422);
/* harmony import */ var _journal_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(2588);
/* harmony import */ var _publish_js__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(4496);
/* harmony import */ var _strategy_js__WEBPACK_IMPORTED_MODULE_8__ = __webpack_require__(8594);
/** The main step: read inputs, run the chosen strategy, publish the result. */









function errorMessage(error) {
    if (!(error instanceof Error))
        return String(error);
    const cause = error.cause instanceof Error ? error.cause.message : undefined;
    return cause && !error.message.includes(cause) ? `${error.message}: ${cause}` : error.message;
}
/** A private temp folder for this run (journal copy, key material never goes here); the post step removes it. */
function makeTempDir(deps) {
    const base = deps.env.RUNNER_TEMP || node_os__WEBPACK_IMPORTED_MODULE_1___default().tmpdir();
    const dir = node_fs__WEBPACK_IMPORTED_MODULE_0___default().mkdtempSync(node_path__WEBPACK_IMPORTED_MODULE_2___default().join(base, 'deploy-action-'));
    node_fs__WEBPACK_IMPORTED_MODULE_0___default().chmodSync(dir, 0o700);
    deps.io.saveState(_constants_js__WEBPACK_IMPORTED_MODULE_3__/* .State */ .Uw.tempDir, dir);
    return dir;
}
async function run(deps = (0,_deps_js__WEBPACK_IMPORTED_MODULE_4__/* .createDefaultDeps */ .aK)()) {
    deps.io.saveState(_constants_js__WEBPACK_IMPORTED_MODULE_3__/* .State */ .Uw.isPost, 'true');
    let config;
    let result;
    try {
        config = (0,_inputs_js__WEBPACK_IMPORTED_MODULE_5__/* .readInputs */ .Ko)(deps.inputs, deps.env, deps.log, await (0,_inputs_js__WEBPACK_IMPORTED_MODULE_5__/* .yamlFor */ .rf)(deps.inputs));
        const strategy = await (0,_strategy_js__WEBPACK_IMPORTED_MODULE_8__/* .createStrategy */ .W)(config, deps);
        const journal = (0,_journal_js__WEBPACK_IMPORTED_MODULE_6__/* .createJournal */ .s9)(deps.io, makeTempDir(deps), { done: false });
        result = await strategy.deploy({
            journal,
            signal: deps.cancel,
            setOutput: (name, value) => deps.io.setOutput(name, value)
        });
        journal.update({ done: true });
        for (const [name, value] of Object.entries((0,_publish_js__WEBPACK_IMPORTED_MODULE_7__/* .resultOutputs */ .wg)(config.strategy, result))) {
            deps.io.setOutput(name, value ?? '');
        }
        if (result.status === 'succeeded' || result.status === 'planned')
            deps.log.notice(result.message);
        else
            deps.io.setFailed(result.message);
    }
    catch (error) {
        deps.io.setFailed(errorMessage(error));
    }
    finally {
        if (config && result) {
            try {
                await deps.io.appendSummary((0,_publish_js__WEBPACK_IMPORTED_MODULE_7__/* .renderSummary */ .Br)(config.strategy, result, (0,_inputs_js__WEBPACK_IMPORTED_MODULE_5__/* .configView */ .ut)(config)));
            }
            catch (error) {
                deps.log.warning(`Could not write the job summary: ${errorMessage(error)}`);
            }
        }
    }
}


/***/ })

};
