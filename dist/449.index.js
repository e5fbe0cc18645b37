export const id = 449;
export const ids = [449];
export const modules = {

/***/ 3449:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  createEcsPick: () => (/* binding */ createEcsPick)
});

// EXTERNAL MODULE: ./src/error-message.ts
var error_message = __webpack_require__(6587);
// EXTERNAL MODULE: ./src/strategies/ecs/clients.ts
var clients = __webpack_require__(3543);
// EXTERNAL MODULE: ./src/strategies/ecs/preflight.ts
var preflight = __webpack_require__(7040);
// EXTERNAL MODULE: ./src/strategies/ecs/report.ts
var report = __webpack_require__(3873);
// EXTERNAL MODULE: ./src/strategies/ecs-pick/config.ts
var ecs_pick_config = __webpack_require__(385);
;// CONCATENATED MODULE: ./src/strategies/ecs-pick/pick.ts

/**
 * CODE_DEPLOY → CodeDeploy blue/green; ECS with the ROLLING strategy → rolling; ECS with an ECS-managed BLUE_GREEN,
 * LINEAR or CANARY strategy → ecs-native. The EXTERNAL controller is an error: no path of this action deploys it.
 */
function pickPath(service, label) {
    const controller = service.deploymentController?.type ?? 'ECS';
    if (controller === 'CODE_DEPLOY') {
        return { path: 'ecs-blue-green', why: `service ${label} uses the CODE_DEPLOY deployment controller` };
    }
    if (controller === 'ECS') {
        if ((0,preflight/* isNativeStrategy */.VF)(service)) {
            return {
                path: 'ecs-native',
                why: `service ${label} uses the ECS deployment controller with ECS-managed ${(0,preflight/* deploymentStrategyOf */.S7)(service)} deployments`
            };
        }
        return {
            path: 'ecs-rolling',
            why: `service ${label} uses the ECS deployment controller with the ${(0,preflight/* deploymentStrategyOf */.S7)(service)} strategy`
        };
    }
    throw new Error(`ECS service ${label} uses the ${controller} deployment controller, which no strategy of this action deploys; nothing was changed`);
}

;// CONCATENATED MODULE: ./src/strategies/ecs-pick/index.ts






/** The strategy of `path`, with the config it reads (each loaded only when picked: only one loads CodeDeploy). */
async function createPath(config, path, deps) {
    const { blueGreenInputs, ...rest } = config;
    void blueGreenInputs;
    if (path === 'ecs-blue-green') {
        const { createEcsBlueGreen } = await Promise.all(/* import() */[__webpack_require__.e(507), __webpack_require__.e(15), __webpack_require__.e(887)]).then(__webpack_require__.bind(__webpack_require__, 6887));
        return createEcsBlueGreen({ ...rest, strategy: path }, deps);
    }
    if (path === 'ecs-native') {
        const { createEcsNative } = await Promise.all(/* import() */[__webpack_require__.e(15), __webpack_require__.e(819)]).then(__webpack_require__.bind(__webpack_require__, 4819));
        return createEcsNative({ ...rest, strategy: path }, deps);
    }
    const { createEcsRolling } = await Promise.all(/* import() */[__webpack_require__.e(15), __webpack_require__.e(855)]).then(__webpack_require__.bind(__webpack_require__, 7855));
    return createEcsRolling({ ...rest, strategy: path }, deps);
}
/** The summary says which path was taken, first. */
function withPath(result, picked) {
    const section = { title: `Path: ${picked.path}`, body: `Strategy \`ecs\` picked \`${picked.path}\`: ${picked.why}.` };
    return { ...result, sections: [section, ...(result.sections ?? [])] };
}
function createEcsPick(config, deps) {
    const label = `${config.cluster}/${config.service}`;
    /** Reads the service (no change) and picks its path; an error when no path of this action fits. */
    const pick = (signal) => deps.log.group(`Pick the path for ecs service ${label}`, async () => {
        const service = await (0,preflight/* describeService */.Jv)((0,clients/* createEcsClient */.DJ)(config.region, deps), config.cluster, config.service, signal);
        const picked = pickPath(service, label);
        deps.log.info(`Strategy ecs: ${picked.path}, as ${picked.why}`);
        const unused = picked.path === 'ecs-rolling'
            ? config.blueGreenInputs
            : picked.path === 'ecs-native'
                ? config.blueGreenInputs.filter((n) => ecs_pick_config/* CODEDEPLOY_INPUTS */.lk.includes(n))
                : [];
        if (unused.length > 0) {
            const names = unused.map((n) => `'${n}'`).join(', ');
            const how = picked.path === 'ecs-rolling' ? 'a rolling update' : 'an ECS-managed deployment';
            deps.log.warning(`${names} ${unused.length === 1 ? 'is' : 'are'} not used: ${picked.why}, so it is deployed with ${how}, not CodeDeploy`);
        }
        return picked;
    });
    const notDeployed = (ctx, text, durationMs) => {
        ctx.journal.update({ phase: 'finished' });
        return {
            status: 'failed',
            message: text,
            targets: [
                (0,report/* targetReport */.mh)({
                    cluster: config.cluster,
                    service: config.service,
                    outcome: 'untouched',
                    state: 'nothing deployed',
                    error: text,
                    durationMs,
                    phases: [{ name: 'pick', ok: false, durationMs, detail: text }]
                })
            ],
            outputs: {}
        };
    };
    return {
        async deploy(ctx) {
            const start = deps.clock.now();
            let picked;
            try {
                picked = await pick(ctx.signal);
            }
            catch (error) {
                return notDeployed(ctx, (0,error_message/* errorMessage */.g)(error), deps.clock.now() - start);
            }
            ctx.journal.update({ path: picked.path });
            const strategy = await createPath(config, picked.path, deps);
            return withPath(await strategy.deploy(ctx), picked);
        },
        async recover(ctx) {
            const path = ctx.journal.read().path;
            // No path journaled: the main step stopped before picking one, so nothing changed.
            if (!path)
                return undefined;
            const strategy = await createPath(config, path, deps);
            const result = await strategy.recover(ctx);
            return result && withPath(result, { path, why: 'the path the main step took' });
        }
    };
}


/***/ })

};
