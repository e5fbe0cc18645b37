export const id = 661;
export const ids = [661];
export const modules = {

/***/ 6661:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   runPost: () => (/* binding */ runPost)
/* harmony export */ });
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _constants_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(7242);
/* harmony import */ var _deps_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(2137);
/* harmony import */ var _config_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(306);
/* harmony import */ var _journal_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(2588);
/* harmony import */ var _publish_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(4496);
/* harmony import */ var _strategy_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(8594);
/* harmony import */ var _error_message_js__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(6587);
/** The post step (runs even when the job was cancelled): finish what the main step left, then clean up. Never fails. */








async function runPost(startup = (0,_deps_js__WEBPACK_IMPORTED_MODULE_2__/* .createStartup */ .q)()) {
    const tempDir = startup.io.getState(_constants_js__WEBPACK_IMPORTED_MODULE_1__/* .State */ .Uw.tempDir) || undefined;
    let log = startup.log;
    try {
        const saved = (0,_journal_js__WEBPACK_IMPORTED_MODULE_4__/* .loadJournal */ ._e)(startup.io, tempDir);
        if (saved && saved.done !== true) {
            const config = await (0,_config_js__WEBPACK_IMPORTED_MODULE_3__/* .readInputs */ .Ko)(startup.inputs, startup.env, startup.log, await (0,_config_js__WEBPACK_IMPORTED_MODULE_3__/* .yamlFor */ .rf)(startup.inputs));
            const deps = await startup.load();
            log = deps.log;
            const strategy = await (0,_strategy_js__WEBPACK_IMPORTED_MODULE_6__/* .createStrategy */ .W)(config, deps);
            const journal = (0,_journal_js__WEBPACK_IMPORTED_MODULE_4__/* .createJournal */ .s9)(deps.io, tempDir, saved);
            const result = await strategy.recover({ journal, signal: deps.cancel });
            if (result) {
                journal.update({ done: true });
                deps.log.warning(`The main step did not finish; the post step recovered: ${result.message}`);
                await deps.io.appendSummary((summary) => (0,_publish_js__WEBPACK_IMPORTED_MODULE_5__/* .fillSummary */ .C)(summary, config.strategy, result, undefined));
            }
        }
    }
    catch (error) {
        log.warning(`Post step: ${(0,_error_message_js__WEBPACK_IMPORTED_MODULE_7__/* .errorMessage */ .g)(error)}`);
    }
    finally {
        if (tempDir)
            node_fs__WEBPACK_IMPORTED_MODULE_0___default().rmSync(tempDir, { recursive: true, force: true });
    }
}


/***/ })

};
