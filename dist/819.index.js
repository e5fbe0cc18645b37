export const id = 819;
export const ids = [819];
export const modules = {

/***/ 4819:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  createEcsNative: () => (/* binding */ createEcsNative)
});

// EXTERNAL MODULE: ./src/strategies/ecs/clients.ts
var clients = __webpack_require__(3543);
// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-ecs/dist-cjs/index.js
var dist_cjs = __webpack_require__(212);
// EXTERNAL MODULE: ./src/constants.ts
var constants = __webpack_require__(7242);
// EXTERNAL MODULE: ./src/error-message.ts
var error_message = __webpack_require__(6587);
// EXTERNAL MODULE: ./src/verify.ts + 1 modules
var src_verify = __webpack_require__(3394);
// EXTERNAL MODULE: ./src/strategies/ecs/errors.ts
var errors = __webpack_require__(180);
// EXTERNAL MODULE: ./src/strategies/ecs/poll.ts
var ecs_poll = __webpack_require__(8602);
// EXTERNAL MODULE: ./src/strategies/ecs/report.ts
var report = __webpack_require__(3873);
// EXTERNAL MODULE: ./src/strategies/ecs/rollback-outcome.ts
var rollback_outcome = __webpack_require__(2738);
// EXTERNAL MODULE: ./src/strategies/ecs/service-history.ts
var service_history = __webpack_require__(8741);
// EXTERNAL MODULE: ./src/strategies/ecs/run-state.ts + 1 modules
var run_state = __webpack_require__(6989);
// EXTERNAL MODULE: ./src/strategies/ecs/task-definition.ts
var task_definition = __webpack_require__(9742);
// EXTERNAL MODULE: ./src/strategies/ecs/verify.ts
var ecs_verify = __webpack_require__(906);
// EXTERNAL MODULE: ./src/duration.ts
var duration = __webpack_require__(7607);
// EXTERNAL MODULE: ./src/strategies/ecs/events.ts
var ecs_events = __webpack_require__(8774);
;// CONCATENATED MODULE: ./src/strategies/ecs-native/service-deployment.ts
/**
 * ECS service deployments, the way ECS runs blue/green, linear and canary deployments itself: find ours, follow it
 * (status, lifecycle stage, traffic weights, hooks, service events), and stop it or answer its PAUSE hooks.
 * // https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-deployment.html
 * // https://docs.aws.amazon.com/AmazonECS/latest/developerguide/blue-green-deployment-how-it-works.html
 * // https://docs.aws.amazon.com/AmazonECS/latest/developerguide/pause-lifecycle-hooks.html
 */







/**
 * Statuses of a service deployment that has not ended: what `on-active-deployment` waits for or stops. The
 * terminal ones are SUCCESSFUL, STOPPED, ROLLBACK_SUCCESSFUL and ROLLBACK_FAILED.
 */
const ACTIVE_STATUSES = [
    'PENDING',
    'IN_PROGRESS',
    'STOP_REQUESTED',
    'ROLLBACK_REQUESTED',
    'ROLLBACK_IN_PROGRESS'
];
function isTerminal(status) {
    return (status === 'SUCCESSFUL' || status === 'STOPPED' || status === 'ROLLBACK_SUCCESSFUL' || status === 'ROLLBACK_FAILED');
}
/**
 * The lifecycle stages in the order a deployment goes through them. PRE_PRODUCTION_TRAFFIC_SHIFT is documented (and
 * in the SDK's docs) but missing from the SDK's enum; LINEAR and CANARY repeat it and PRODUCTION_TRAFFIC_SHIFT per
 * step, and a rollback goes through stages again, so a stage counts only while the deployment is not rolling back.
 * // https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-type-linear.html
 */
const STAGES = [
    'RECONCILE_SERVICE',
    'PRE_SCALE_UP',
    'SCALE_UP',
    'POST_SCALE_UP',
    'TEST_TRAFFIC_SHIFT',
    'POST_TEST_TRAFFIC_SHIFT',
    'PRE_PRODUCTION_TRAFFIC_SHIFT',
    'PRODUCTION_TRAFFIC_SHIFT',
    'POST_PRODUCTION_TRAFFIC_SHIFT',
    'BAKE_TIME',
    'CLEAN_UP'
];
/** Where `stage` is in the lifecycle; -1 for none or one this code does not know. */
function stagePosition(stage) {
    return stage ? STAGES.indexOf(stage) : -1;
}
/** Production traffic is all on the new revision from this stage on (`wait-until: traffic-shifted`). */
const TRAFFIC_SHIFTED_STAGE = 'POST_PRODUCTION_TRAFFIC_SHIFT';
/**
 * The stage of the verify gate: test traffic is on the new revision, production still on the old one. PAUSE hooks
 * cannot be on TEST_TRAFFIC_SHIFT itself ("These stages are only valid for AWS_LAMBDA hooks", DeploymentLifecycleHook).
 */
const GATE_STAGE = 'POST_TEST_TRAFFIC_SHIFT';
/** The last segment of a service deployment ARN: what the console and the log show. */
function shortArn(arn) {
    return arn.slice(arn.lastIndexOf('/') + 1);
}
/** The service's service deployments that have not ended, newest first. */
async function listActiveServiceDeployments(ecs, cluster, service, signal) {
    const found = [];
    try {
        for await (const page of (0,service_history/* serviceDeploymentPages */.v5)(ecs, { cluster, service, status: ACTIVE_STATUSES }, signal)) {
            found.push(...page);
        }
    }
    catch (error) {
        throw (0,errors/* wrapError */.J4)(`Could not list the service deployments of ${cluster}/${service}`, error);
    }
    return found;
}
/** One service deployment; undefined when ECS does not show it (yet: its reads are eventually consistent). */
async function describeServiceDeployment(ecs, arn, signal) {
    const out = await ecs.send(new dist_cjs/* DescribeServiceDeploymentsCommand */.A6p({ serviceDeploymentArns: [arn] }), (0,clients/* withSignal */.l_)(signal));
    return out.serviceDeployments?.find((d) => d.serviceDeploymentArn === arn);
}
/** How long a deployment UpdateService started may stay missing from the reads before that counts. */
const UNSEEN_LIMIT_MS = 60_000;
/**
 * Our service deployment when UpdateService's answer did not name it: the newest one created after the update
 * whose target revision runs our task definition. Looked for until it shows up (ECS reads lag), for at most
 * `UNSEEN_LIMIT_MS`.
 */
async function findOurDeployment(ecs, query, poll) {
    const { cluster, service, taskDefinitionArn } = query;
    const found = await (0,ecs_poll/* pollUntil */.g3)({ ...poll, deadline: Math.min(poll.deadline, poll.clock.now() + UNSEEN_LIMIT_MS) }, `Could not list the service deployments of ${cluster}/${service}`, async () => {
        const out = await ecs.send(new dist_cjs/* ListServiceDeploymentsCommand */.jz8({ cluster, service, createdAt: { after: query.after }, maxResults: 100 }), (0,clients/* withSignal */.l_)(poll.signal));
        const briefs = (out.serviceDeployments ?? []).filter((d) => d.serviceDeploymentArn && d.targetServiceRevisionArn);
        if (briefs.length === 0)
            return undefined;
        const taskDefinitions = await (0,service_history/* revisionTaskDefinitions */.Ns)(ecs, briefs.map((d) => d.targetServiceRevisionArn), poll.signal);
        const ours = briefs
            .filter((d) => taskDefinitions.get(d.targetServiceRevisionArn) === taskDefinitionArn)
            .sort((a, b) => (b.createdAt?.getTime() ?? 0) - (a.createdAt?.getTime() ?? 0))[0];
        return ours?.serviceDeploymentArn;
    });
    if (found.kind === 'done')
        return found.value;
    throw new Error(`UpdateService of ${cluster}/${service} started no service deployment of ${taskDefinitionArn} that ListServiceDeployments shows (looked for ${(0,duration/* formatSeconds */.X)(UNSEEN_LIMIT_MS)})`);
}
/** PAUSE hooks of the deployment that wait for ContinueServiceDeployment (`AWAITING_ACTION`). */
function awaitingPauseHooks(deployment) {
    return (deployment.lifecycleHookDetails ?? []).filter((h) => h.targetType === 'PAUSE' && h.status === 'AWAITING_ACTION' && h.hookId);
}
/** ContinueServiceDeployment: releases a PAUSE hook with CONTINUE or ROLLBACK. */
async function continueServiceDeployment(ecs, arn, hookId, action) {
    try {
        // No abort signal: a cancelled request may still have been carried out.
        await ecs.send(new dist_cjs/* ContinueServiceDeploymentCommand */.LrH({ serviceDeploymentArn: arn, hookId, action }));
    }
    catch (error) {
        throw (0,errors/* wrapError */.J4)(`Could not continue service deployment ${shortArn(arn)} (${action} at hook ${hookId})`, error);
    }
}
/**
 * Asks ECS to roll the deployment back and says how. A PAUSE hook waiting is answered with ROLLBACK (what the
 * pause is for); otherwise, or when the hook was released meanwhile, StopServiceDeployment with ROLLBACK, which a
 * deployment already rolling back takes as "carry on". One that has ended (ConflictException) needs nothing.
 * // https://docs.aws.amazon.com/AmazonECS/latest/developerguide/stop-service-deployment.html
 * // https://docs.aws.amazon.com/AmazonECS/latest/developerguide/continue-service-deployment.html
 */
async function requestRollback(ecs, deployment) {
    const arn = deployment.serviceDeploymentArn ?? '';
    const paused = deployment.status === 'IN_PROGRESS' ? awaitingPauseHooks(deployment)[0] : undefined;
    if (paused?.hookId) {
        try {
            await continueServiceDeployment(ecs, arn, paused.hookId, 'ROLLBACK');
            return `answered PAUSE hook ${paused.hookId} with ROLLBACK`;
        }
        catch (error) {
            if ((0,errors/* errorName */.Is)(error.cause) !== 'InvalidParameterException')
                throw error;
        }
    }
    try {
        await ecs.send(new dist_cjs/* StopServiceDeploymentCommand */.a8L({ serviceDeploymentArn: arn, stopType: 'ROLLBACK' }));
        return 'stopped it with ROLLBACK';
    }
    catch (error) {
        if ((0,errors/* errorName */.Is)(error) === 'ConflictException')
            return 'it had already ended';
        throw (0,errors/* wrapError */.J4)(`Could not stop service deployment ${shortArn(arn)}`, error);
    }
}
function percent(value) {
    return `${Math.round((value ?? 0) * 10) / 10}%`;
}
function weights(revision) {
    if (!revision)
        return '';
    const tasks = `${revision.runningTaskCount ?? 0}/${revision.requestedTaskCount ?? 0} tasks`;
    return `new revision ${tasks}, test traffic ${percent(revision.requestedTestTrafficWeight)}, production ${percent(revision.requestedProductionTrafficWeight)}`;
}
/** `IN_PROGRESS, POST_TEST_TRAFFIC_SHIFT; new revision 2/2 tasks, test traffic 100%, production 0%`. */
function describeProgress(deployment) {
    const where = [deployment.status ?? 'unknown', deployment.lifecycleStage].filter(Boolean).join(', ');
    const traffic = weights(deployment.targetServiceRevision);
    return traffic ? `${where}; ${traffic}` : where;
}
/** Why the deployment ended as it did: its status reason, or the rollback's, or the circuit breaker's count. */
function endReason(deployment) {
    const breaker = deployment.deploymentCircuitBreaker;
    const counted = breaker?.status === 'TRIGGERED'
        ? ` (circuit breaker: ${breaker.failureCount ?? 0}/${breaker.threshold ?? 0} tasks failed)`
        : '';
    const reason = deployment.statusReason ?? deployment.rollback?.reason ?? `service deployment ${deployment.status ?? ''}`;
    return `${reason}${counted}`;
}
/**
 * Follows one service deployment until it ends, reaches the point `request` waits for, the deadline passes or the
 * signal aborts: logs status, stage and traffic as they change, each hook's state once per change, and service events.
 */
async function followServiceDeployment(ecs, request, poll) {
    const { cluster, service, arn, label } = request;
    const { log, signal } = poll;
    const events = new ecs_events/* EventStream */.v(log, request.since);
    const result = { outcome: { kind: 'timeout' }, shifted: false };
    const hookStates = new Map();
    let progress = '';
    let furthest = -1;
    const started = poll.clock.now();
    result.outcome = await (0,ecs_poll/* pollUntil */.g3)(poll, `Could not follow service deployment ${shortArn(arn)}`, async () => {
        const deployment = await describeServiceDeployment(ecs, arn, signal);
        const read = await ecs.send(new dist_cjs/* DescribeServicesCommand */.H7c({ cluster, services: [service] }), (0,clients/* withSignal */.l_)(signal));
        const current = read.services?.[0];
        if (current)
            events.push(current);
        if (!deployment) {
            if (!result.deployment && poll.clock.now() - started < UNSEEN_LIMIT_MS)
                return undefined;
            throw new Error(`Service deployment ${shortArn(arn)} is not shown by DescribeServiceDeployments (MISSING)`);
        }
        result.deployment = deployment;
        const now = describeProgress(deployment);
        if (now !== progress)
            log.info(`${label} ${shortArn(arn)}: ${now}`);
        progress = now;
        for (const hook of deployment.lifecycleHookDetails ?? []) {
            const state = `${hook.status ?? '?'}`;
            if (!hook.hookId || hookStates.get(hook.hookId) === state)
                continue;
            hookStates.set(hook.hookId, state);
            const target = hook.targetArn ? ` ${hook.targetArn}` : '';
            log.info(`  [hook] ${hook.targetType ?? 'hook'}${target} ${hook.hookId}: ${state}`);
        }
        const status = deployment.status;
        // Stages count only on the way forward: a rollback goes through PRODUCTION_TRAFFIC_SHIFT again.
        if (status === 'IN_PROGRESS')
            furthest = Math.max(furthest, stagePosition(deployment.lifecycleStage));
        if (furthest >= stagePosition(TRAFFIC_SHIFTED_STAGE) || status === 'SUCCESSFUL')
            result.shifted = true;
        return judge(deployment, request, furthest);
    });
    return result;
}
/** The verdict once `deployment` is where `request` stops, else undefined. */
function judge(deployment, request, furthest) {
    const status = deployment.status;
    if (status === 'SUCCESSFUL')
        return { kind: 'succeeded' };
    if (status === 'ROLLBACK_SUCCESSFUL')
        return { kind: 'rolled-back', reason: endReason(deployment) };
    if (status === 'ROLLBACK_FAILED' || status === 'STOPPED') {
        return { kind: 'failed', status, reason: endReason(deployment) };
    }
    if (status !== 'IN_PROGRESS')
        return undefined;
    if (request.until === 'traffic-shifted' && furthest >= stagePosition(TRAFFIC_SHIFTED_STAGE)) {
        return { kind: 'traffic-shifted' };
    }
    if (request.gate && deployment.lifecycleStage === GATE_STAGE) {
        const hook = awaitingPauseHooks(deployment).find((h) => !request.gatedHooks?.has(h.hookId ?? ''));
        if (hook?.hookId)
            return { kind: 'paused', hookId: hook.hookId };
    }
    return undefined;
}

// EXTERNAL MODULE: ./src/strategies/ecs/preflight.ts
var preflight = __webpack_require__(7040);
;// CONCATENATED MODULE: ./src/strategies/ecs-native/preflight.ts



/** What ECS needs of each load balancer to shift traffic between the two target groups. */
const ADVANCED_FIELDS = ['alternateTargetGroupArn', 'productionListenerRule', 'roleArn'];
/**
 * Every load balancer of the service needs `advancedConfiguration` (alternate target group, production listener
 * rule, role): without it ECS refuses the deployment ("advancedConfiguration field is required for all
 * loadBalancers when using the Blue/green deployment strategy").
 * // https://docs.aws.amazon.com/AmazonECS/latest/developerguide/blue-green-deployment-implementation.html
 */
function checkLoadBalancers(service, label) {
    const problems = (service.loadBalancers ?? []).flatMap((lb) => {
        const missing = ADVANCED_FIELDS.filter((f) => !lb.advancedConfiguration?.[f]);
        if (missing.length === 0)
            return [];
        const name = `${lb.containerName ?? '?'}:${lb.containerPort ?? '?'} (${lb.targetGroupArn ?? lb.loadBalancerName ?? 'no target group'})`;
        return [`${name} lacks advancedConfiguration.${missing.join(', ')}`];
    });
    if (problems.length === 0)
        return;
    throw new Error(`ECS service ${label} cannot be deployed with ECS-managed ${(0,preflight/* deploymentStrategyOf */.S7)(service)}: its load balancer ${problems.join('; ')}. Set them on the service (alternate target group, production listener rule, and the role ECS uses for the load balancer); nothing was changed`);
}
/** Whether `hook` is a PAUSE hook of the gate stage. */
function isGateHook(hook) {
    return hook.targetType === 'PAUSE' && (hook.lifecycleStages ?? []).includes(GATE_STAGE);
}
/**
 * `verify-command` runs while ECS waits at a PAUSE hook after the test traffic shift, and answers it: the service
 * must have one. A hook that times out before the gate's time is up rolls back (its default action) mid-gate.
 * // https://docs.aws.amazon.com/AmazonECS/latest/developerguide/pause-lifecycle-hooks.html
 */
function checkGateHook(service, config, label, log) {
    if (!config.verify)
        return;
    const hook = service.deploymentConfiguration?.lifecycleHooks?.find(isGateHook);
    if (!hook) {
        throw new Error(`'${constants/* Inputs */.G0.verifyCommand}' with strategy 'ecs-native' runs at a PAUSE lifecycle hook of stage ${GATE_STAGE}, which ECS service ${label} does not have: add {targetType: PAUSE, lifecycleStages: [${GATE_STAGE}]} to its deploymentConfiguration.lifecycleHooks; nothing was changed`);
    }
    const hookMinutes = hook.timeoutConfiguration?.timeoutInMinutes;
    const gateMinutes = config.verify.timeoutMs / 60_000;
    if (hookMinutes !== undefined && hookMinutes < gateMinutes) {
        log.warning(`The ${GATE_STAGE} PAUSE hook of ${label} times out after ${hookMinutes} min, before '${constants/* Inputs */.G0.verifyTimeout}' (${gateMinutes} min): a slow '${constants/* Inputs */.G0.verifyCommand}' is cut short by ECS's timeout action (${hook.timeoutConfiguration?.action ?? 'ROLLBACK'})`);
    }
    const untested = (service.loadBalancers ?? []).filter((lb) => !lb.advancedConfiguration?.testListenerRule);
    if (untested.length > 0) {
        log.warning(`'${constants/* Inputs */.G0.verifyCommand}' tests the new revision through the test listener, but ${untested.length} load balancer(s) of ${label} have no advancedConfiguration.testListenerRule`);
    }
}
/** ECS's documented defaults (LinearConfiguration, CanaryConfiguration). */
const LINEAR_DEFAULTS = { stepPercent: 10, stepBakeTimeInMinutes: 6 };
const CANARY_BAKE_DEFAULT = 10;
/** The minutes a deployment may spend waiting by design: bake time, step bakes, hook timeouts. */
function waitBudget(service, config) {
    const dc = service.deploymentConfiguration;
    const parts = [];
    let minutes = 0;
    const add = (m, what) => {
        if (m <= 0)
            return;
        minutes += m;
        parts.push(`${what} ${m} min`);
    };
    const strategy = (0,preflight/* deploymentStrategyOf */.S7)(service);
    if (strategy === 'LINEAR') {
        const step = dc?.linearConfiguration?.stepPercent ?? LINEAR_DEFAULTS.stepPercent;
        // No bake after the step that reaches 100%.
        const steps = Math.ceil(100 / step);
        const bake = dc?.linearConfiguration?.stepBakeTimeInMinutes ?? LINEAR_DEFAULTS.stepBakeTimeInMinutes;
        add((steps - 1) * bake, `${steps - 1} linear step bakes`);
    }
    if (strategy === 'CANARY') {
        add(dc?.canaryConfiguration?.canaryBakeTimeInMinutes ?? CANARY_BAKE_DEFAULT, 'canary bake');
    }
    if (config.waitUntil === 'succeeded')
        add(dc?.bakeTimeInMinutes ?? 0, 'bake time');
    for (const hook of dc?.lifecycleHooks ?? []) {
        const stages = (hook.lifecycleStages ?? []).length;
        // The gate's hook waits only as long as the gate runs.
        const each = config.verify && isGateHook(hook) ? config.verify.timeoutMs / 60_000 : hook.timeoutConfiguration?.timeoutInMinutes;
        if (each !== undefined)
            add(each * stages, `${hook.targetType ?? 'AWS_LAMBDA'} hook timeout`);
    }
    return { minutes, parts };
}
/** Warns when the waits by design may outlast `timeout-minutes`: the step would time out and roll back. */
function checkWaitBudget(service, config, label, log) {
    const { minutes, parts } = waitBudget(service, config);
    if (minutes < config.timeoutMinutes)
        return;
    log.warning(`The deployment of ${label} may wait ${minutes} min by design (${parts.join(', ')}; hooks without a timeoutConfiguration not counted), not less than '${constants/* Inputs */.G0.timeoutMinutes}' (${config.timeoutMinutes} min): the step would time out and roll back. Raise the timeout${config.waitUntil === 'succeeded' ? ` or use '${constants/* Inputs */.G0.waitUntil}: traffic-shifted'` : ''}.`);
}

// EXTERNAL MODULE: ./src/strategies/ecs/recover.ts
var recover = __webpack_require__(1367);
;// CONCATENATED MODULE: ./src/strategies/ecs-native/rollback.ts








/**
 * The outcome of a deployment that ended ROLLBACK_SUCCESSFUL: rolled back only when the revision ECS rolled back
 * to (DescribeServiceRevisions) runs the previous task definition and so does every running task.
 */
async function confirmRollback(env, deployment, previousArn) {
    const id = shortArn(deployment.serviceDeploymentArn ?? '');
    const revision = deployment.rollback?.serviceRevisionArn ?? deployment.sourceServiceRevisions?.[0]?.arn;
    let restored;
    let text;
    try {
        restored = revision ? (await (0,service_history/* revisionTaskDefinitions */.Ns)(env.ecs, [revision])).get(revision) : undefined;
        text = restored
            ? `ECS rolled service deployment ${id} back to ${(0,task_definition/* taskDefinitionLabel */.$7)(restored)}`
            : `ECS rolled service deployment ${id} back, to a revision it does not describe`;
    }
    catch (error) {
        text = `ECS rolled service deployment ${id} back; could not read the revision it rolled back to (${(0,error_message/* errorMessage */.g)(error)})`;
    }
    return (0,rollback_outcome/* outcomeWithLive */.Dv)(env, previousArn, text, { finished: true, undone: restored === previousArn });
}
/**
 * Rolls the service deployment back (unless it has ended) and follows it to its end or the deadline. A deployment
 * that ended SUCCESSFUL before the request is not rolled back: this action never starts another deployment.
 */
async function rollBackServiceDeployment(env, journal, request) {
    const { log } = env.deps;
    const { arn, previousArn, signal } = request;
    const id = shortArn(arn);
    let deployment;
    try {
        deployment = await describeServiceDeployment(env.ecs, arn);
        if (!deployment)
            throw new Error('DescribeServiceDeployments does not show it');
        if (!isTerminal(deployment.status)) {
            const how = await requestRollback(env.ecs, deployment);
            journal.update({ phase: 'rolling-back' });
            log.info(`Rolling back service deployment ${id}: ${how}`);
        }
    }
    catch (error) {
        const summary = `could not roll back service deployment ${id} (${(0,error_message/* errorMessage */.g)(error)})`;
        return (0,rollback_outcome/* outcomeWithLive */.Dv)(env, previousArn, summary, { finished: true, undone: false });
    }
    if (!isTerminal(deployment.status)) {
        try {
            const followed = await followServiceDeployment(env.ecs, {
                cluster: env.config.cluster,
                service: env.config.service,
                arn,
                since: env.deps.clock.now(),
                label: 'Rollback',
                until: 'succeeded',
                gate: false
            }, (0,ecs_poll/* pollOptions */.Oh)(env, request.deadline, signal));
            if (followed.outcome.kind !== 'done') {
                const summary = `the rollback of service deployment ${id} is still ${followed.deployment?.status ?? 'running'} (${followed.outcome.kind === 'timeout' ? 'no longer waited for' : 'cancelled'})`;
                return (0,rollback_outcome/* outcomeWithLive */.Dv)(env, previousArn, summary, { finished: false, undone: false });
            }
            deployment = followed.deployment ?? deployment;
        }
        catch (error) {
            const summary = `could not follow the rollback of service deployment ${id} (${(0,error_message/* errorMessage */.g)(error)})`;
            return (0,rollback_outcome/* outcomeWithLive */.Dv)(env, previousArn, summary, { finished: true, undone: false });
        }
    }
    if (deployment.status === 'ROLLBACK_SUCCESSFUL')
        return confirmRollback(env, deployment, previousArn);
    const summary = deployment.status === 'SUCCESSFUL'
        ? `service deployment ${id} had completed (SUCCESSFUL) before it could be rolled back`
        : `service deployment ${id} ended ${deployment.status ?? 'unknown'}: ${endReason(deployment)}`;
    return (0,rollback_outcome/* outcomeWithLive */.Dv)(env, previousArn, summary, { finished: true, undone: false });
}
/**
 * The post step: when the main step was cut short while our service deployment (or its rollback) ran, roll it back
 * and follow the rollback for at most `POST_STEP_WAIT_MS`. Idempotent: a finished journal, or a deployment that
 * succeeded, means nothing to do.
 */
async function recoverNative(env, ctx) {
    const recovery = await (0,recover/* beginRecovery */.l)(env, ctx, (j) => j.serviceDeploymentArn);
    if (!recovery)
        return undefined;
    const { journal, id: arn, start, phases } = recovery;
    const { log } = env.deps;
    const { config } = env;
    const previousArn = journal.previousTaskDefinitionArn;
    const deployment = await describeServiceDeployment(env.ecs, arn);
    const status = deployment?.status;
    if (status === 'SUCCESSFUL' && journal.phase !== 'rolling-back') {
        log.info(`Service deployment ${shortArn(arn)} succeeded after the main step ended; nothing to recover`);
        ctx.journal.update({ phase: 'finished' });
        return undefined;
    }
    let result;
    if (config.rollbackOnFailure || journal.phase === 'rolling-back') {
        result = await log.group(`Roll back service deployment ${shortArn(arn)}`, () => phases.run('rollback', () => rollBackServiceDeployment(env, ctx.journal, {
            arn,
            previousArn,
            signal: ctx.signal,
            deadline: start + ecs_poll/* POST_STEP_WAIT_MS */.TY
        })));
    }
    else {
        const state = `service deployment ${shortArn(arn)} is ${status ?? 'not shown'}`;
        result = await (0,rollback_outcome/* describeLeftAlone */.MN)(env, previousArn, state, { undone: status === 'ROLLBACK_SUCCESSFUL' });
    }
    const left = result.finished ? '' : ` (the post step waits at most ${ecs_poll/* POST_STEP_WAIT_MS */.TY / 60_000} min)`;
    const url = (0,report/* ecsServiceUrl */.gE)(config.region, config.cluster, config.service);
    return (0,recover/* recoveryResult */.H)(env, ctx, recovery, {
        outcome: result,
        message: `The main step ended while service deployment ${shortArn(arn)} was ${status ?? 'running'}: ${result.summary}${left}`,
        outputs: { 'deployment-id': arn, 'console-url': url },
        link: { title: `ECS service ${config.cluster}/${config.service} deployments`, url }
    });
}

;// CONCATENATED MODULE: ./src/strategies/ecs-native/deploy.ts















/** How far back (ms) ListServiceDeployments looks for ours: covers a runner clock behind AWS's. */
const CLOCK_SLACK_MS = 5 * 60_000;
class NativeDeploy {
    env;
    ctx;
    state;
    activeAtPreflight = [];
    /** PAUSE hooks this run answered (the gate runs once). */
    gatedHooks = new Set();
    /** Production traffic was seen all on the new revision. */
    shifted = false;
    constructor(env, ctx) {
        this.env = env;
        this.ctx = ctx;
        this.state = new run_state/* EcsRunState */.W(env, ctx, {
            strategy: 'ecs-native',
            changesSection: run_state/* newRevisionChangesSection */.M,
            // ECS records every deployment of an ECS-controller service, whatever its strategy.
            previous: (liveArn, signal) => (0,service_history/* previousFromServiceHistory */.FG)(env.ecs, env.config.cluster, env.config.service, liveArn, signal)
        });
        this.state.links.push({
            title: `ECS service ${env.config.cluster}/${env.config.service} deployments`,
            url: (0,report/* ecsServiceUrl */.gE)(env.config.region, env.config.cluster, env.config.service)
        });
    }
    run() {
        return this.state.execute({
            check: (plan) => this.check(plan),
            planned: (plan) => this.state.result('planned', `Dry run: would ${plan.registeredArn ? `deploy ${(0,task_definition/* taskDefinitionLabel */.$7)(plan.registeredArn)} as registered` : `register a new revision of ${String(plan.taskDefinition.family)} with ${this.env.config.image?.ref ?? ''} and deploy it`} to ${this.state.label} with an ECS-managed ${plan.service.deploymentConfiguration?.strategy ?? ''} deployment`, 'planned'),
            deploy: (plan) => this.deploy(plan),
            settle: { needed: () => this.activeAtPreflight.length > 0, run: () => this.settleActiveDeployments() }
        });
    }
    /** ecs-native pre-flight after the service checks: load balancers, the gate's hook, the time budget, the way. */
    async check(plan) {
        const { config, deps, ecs } = this.env;
        const label = this.state.label;
        checkLoadBalancers(plan.service, label);
        checkGateHook(plan.service, config, label, deps.log);
        checkWaitBudget(plan.service, config, label, deps.log);
        const active = await listActiveServiceDeployments(ecs, config.cluster, config.service, this.ctx.signal);
        this.activeAtPreflight = active;
        if (active.length === 0)
            return;
        const list = active.map((d) => `${shortArn(d.serviceDeploymentArn ?? '')} (${d.status ?? '?'})`).join(', ');
        if (config.onActiveDeployment === 'fail') {
            throw new Error(`ECS service ${label} has a service deployment in progress: ${list}. Wait for it to end, or set '${constants/* Inputs */.G0.onActiveDeployment}' to 'wait' or 'stop-previous'; nothing was changed`);
        }
        deps.log.info(`Service deployment in progress: ${list} (${constants/* Inputs */.G0.onActiveDeployment}: ${config.onActiveDeployment})`);
    }
    async deploy(plan) {
        const { config, deps } = this.env;
        const { state } = this;
        let arn;
        try {
            const taskDefinitionArn = await state.registerTaskDefinition(plan);
            await state.runPreDeployTask(plan, taskDefinitionArn);
            arn = await this.startDeployment(plan, taskDefinitionArn);
        }
        catch (error) {
            return state.notDeployed((0,error_message/* errorMessage */.g)(error));
        }
        if (config.waitUntil === 'created') {
            this.ctx.journal.update({ phase: 'finished' });
            return this.succeeded(`Started service deployment ${shortArn(arn)} of ${this.after()} on ${state.label}; not waiting (wait-until: created)`);
        }
        const followed = await deps.log.group(`Wait for service deployment ${shortArn(arn)}`, () => this.follow(arn));
        if (followed.kind === 'done' &&
            (followed.value.kind === 'succeeded' || followed.value.kind === 'traffic-shifted')) {
            this.ctx.journal.update({ phase: 'finished' });
            return this.succeeded(followed.value.kind === 'succeeded'
                ? `Deployed ${this.after()} to ${state.label} (service deployment ${shortArn(arn)})`
                : `Production traffic shifted to ${this.after()} on ${state.label}; service deployment ${shortArn(arn)} is still baking or cleaning up (wait-until: traffic-shifted)`);
        }
        return this.handleFailure(arn, followed);
    }
    /** Follows our deployment; at the gate's PAUSE hook, runs `verify-command` and answers the hook. */
    async follow(arn) {
        const { config, ecs } = this.env;
        const { state } = this;
        for (;;) {
            let result;
            try {
                result = await followServiceDeployment(ecs, {
                    cluster: config.cluster,
                    service: config.service,
                    arn,
                    since: state.start,
                    label: 'Deployment',
                    until: config.waitUntil === 'traffic-shifted' ? 'traffic-shifted' : 'succeeded',
                    gate: config.verify !== undefined,
                    gatedHooks: this.gatedHooks
                }, (0,ecs_poll/* pollOptions */.Oh)(this.env, state.deadline, this.ctx.signal));
            }
            catch (error) {
                return { kind: 'error', error };
            }
            this.shifted ||= result.shifted;
            const { outcome } = result;
            if (outcome.kind !== 'done' || outcome.value.kind !== 'paused')
                return outcome;
            const gate = await this.gate(arn, outcome.value.hookId);
            if (gate)
                return gate;
        }
    }
    /**
     * Test traffic is on the new revision and ECS waits at the PAUSE hook: the verify gate decides. Passed:
     * ContinueServiceDeployment CONTINUE. Failed (or the continue failed): a failed deployment, rolled back by
     * answering the same hook with ROLLBACK.
     */
    async gate(arn, hookId) {
        const { config, deps, ecs } = this.env;
        this.gatedHooks.add(hookId);
        const verify = config.verify;
        if (!verify)
            return undefined;
        deps.log.info(`Service deployment ${shortArn(arn)} waits at PAUSE hook ${hookId}: running '${constants/* Inputs */.G0.verifyCommand}'`);
        const outcome = await (0,ecs_verify/* verifyService */.l)(deps, { ...config, verify }, this.state, arn, this.ctx.signal);
        this.state.phases.record('verify', (0,src_verify/* verifyPhase */.Bb)(outcome));
        if (!outcome.ok)
            return { kind: 'gate-failed', reason: outcome.reason, cancelled: outcome.cancelled };
        try {
            await deps.log.group(`Continue service deployment ${shortArn(arn)}`, () => this.state.phases.run('continue-deployment', () => continueServiceDeployment(ecs, arn, hookId, 'CONTINUE')));
        }
        catch (error) {
            return { kind: 'gate-failed', reason: (0,error_message/* errorMessage */.g)(error), cancelled: this.ctx.signal.aborted };
        }
        return undefined;
    }
    /** UpdateService with the task definition only; returns our service deployment's ARN, journaled at once. */
    async startDeployment(plan, taskDefinitionArn) {
        const { config, deps, ecs } = this.env;
        const { state } = this;
        const arn = await deps.log.group(`Update service ${state.label}`, () => state.phases.run('update-service', async () => {
            const before = deps.clock.now();
            let current;
            try {
                // No abort signal: a cancelled request may still start a deployment we would not know about.
                const out = await ecs.send(new dist_cjs/* UpdateServiceCommand */.kZr({
                    cluster: config.cluster,
                    service: config.service,
                    taskDefinition: taskDefinitionArn
                }));
                current = out.service?.currentServiceDeployment;
            }
            catch (error) {
                throw (0,errors/* wrapError */.J4)(`Could not update ECS service ${state.label}`, error);
            }
            // The answer names the deployment it started; the one that ran before is not ours.
            if (current && current !== plan.service.currentServiceDeployment)
                return current;
            return findOurDeployment(ecs, {
                cluster: config.cluster,
                service: config.service,
                taskDefinitionArn,
                after: new Date(before - CLOCK_SLACK_MS)
            }, (0,ecs_poll/* pollOptions */.Oh)(this.env, state.deadline, this.ctx.signal));
        }));
        // Journal first: if the process dies now, the post step still knows what to roll back.
        this.ctx.journal.update({ phase: 'deploying', serviceDeploymentArn: arn });
        state.output('deployment-id', arn);
        state.output('console-url', (0,report/* ecsServiceUrl */.gE)(config.region, config.cluster, config.service));
        deps.log.info(`Started service deployment ${arn}`);
        return arn;
    }
    /** `wait` follows the deployments in progress to their end; `stop-previous` rolls them back first. */
    async settleActiveDeployments() {
        const { config, deps, ecs } = this.env;
        const poll = (0,ecs_poll/* pollOptions */.Oh)(this.env, this.state.deadline, this.ctx.signal);
        const ended = await deps.log.group(`Service deployment in progress: ${config.onActiveDeployment}`, () => this.state.phases.run('active-deployment', async () => {
            if (config.onActiveDeployment === 'stop-previous') {
                for (const brief of this.activeAtPreflight) {
                    const arn = brief.serviceDeploymentArn ?? '';
                    // Described again: it may wait at a PAUSE hook, which is answered instead of stopped.
                    const deployment = (await describeServiceDeployment(ecs, arn, this.ctx.signal)) ?? brief;
                    const how = await requestRollback(ecs, deployment);
                    deps.log.info(`Service deployment ${shortArn(arn)}: ${how}`);
                }
            }
            return (0,ecs_poll/* pollUntil */.g3)(poll, `Could not list the service deployments of ${this.state.label}`, async () => {
                const active = await listActiveServiceDeployments(ecs, config.cluster, config.service, this.ctx.signal);
                return active.length === 0 ? true : undefined;
            });
        }));
        if (ended.kind === 'done')
            return undefined;
        const why = ended.kind === 'cancelled' ? 'the job was cancelled' : `${config.timeoutMinutes} min passed`;
        return `Nothing was deployed: ${why} while waiting for the service deployment in progress to end`;
    }
    async handleFailure(arn, followed) {
        const { config, deps } = this.env;
        const { state } = this;
        const id = shortArn(arn);
        const previousArn = state.plan?.previousTaskDefinitionArn;
        const cancelled = followed.kind === 'cancelled' || (followed.kind === 'gate-failed' && followed.cancelled);
        const verdict = followed.kind === 'done' ? followed.value : undefined;
        let headline;
        switch (followed.kind) {
            case 'done':
                headline =
                    verdict?.kind === 'rolled-back'
                        ? `ECS rolled service deployment ${id} back: ${verdict.reason}`
                        : `Service deployment ${id} ended ${verdict?.kind === 'failed' ? `${verdict.status}: ${verdict.reason}` : 'unexpectedly'}`;
                break;
            case 'timeout':
                headline = `Service deployment ${id} did not reach '${config.waitUntil}' within ${config.timeoutMinutes} min${this.shifted ? ' (production traffic had shifted; it was still baking)' : ''}`;
                break;
            case 'cancelled':
                headline = `The job was cancelled while service deployment ${id} was in progress`;
                break;
            case 'gate-failed':
                headline = `Service deployment ${id} stopped at the test traffic gate, before production traffic moved: ${followed.reason}`;
                break;
            case 'error':
                headline = (0,error_message/* errorMessage */.g)(followed.error);
                break;
        }
        const undo = async () => {
            if (verdict?.kind === 'rolled-back') {
                return deps.log.group(`Check the rollback of ${id}`, () => state.phases.run('rollback', async () => {
                    const deployment = await describeServiceDeployment(this.env.ecs, arn);
                    return confirmRollback(this.env, deployment ?? { serviceDeploymentArn: arn }, previousArn);
                }));
            }
            if (verdict?.kind === 'failed') {
                return (0,rollback_outcome/* describeLeftAlone */.MN)(this.env, previousArn, headline, {
                    why: `not rolled back (the service deployment ended ${verdict.status})`
                });
            }
            if (!config.rollbackOnFailure)
                return (0,rollback_outcome/* describeLeftAlone */.MN)(this.env, previousArn, `service deployment ${id} is left as it is`);
            this.ctx.journal.update({ phase: 'rolling-back' });
            return deps.log.group(`Roll back service deployment ${id}`, () => state.phases.run('rollback', () => rollBackServiceDeployment(this.env, this.ctx.journal, {
                arn,
                previousArn,
                signal: cancelled ? undefined : this.ctx.signal,
                deadline: (0,ecs_poll/* deadlineFromNow */.fG)(this.env)
            })));
        };
        return state.concludeFailure({ deploymentId: id, headline, cancelled, undo });
    }
    after() {
        return (0,task_definition/* taskDefinitionLabel */.$7)(this.state.taskDefinitionArn) ?? 'the new task definition';
    }
    succeeded(text) {
        return this.state.result('succeeded', text, 'deployed');
    }
}

;// CONCATENATED MODULE: ./src/strategies/ecs-native/index.ts



function createEcsNative(config, deps) {
    const env = {
        config,
        deps,
        ecs: (0,clients/* createEcsClient */.DJ)(config.region, deps),
        intervalMs: config.pollIntervalMs
    };
    return {
        deploy: (ctx) => new NativeDeploy(env, ctx).run(),
        recover: (ctx) => recoverNative(env, ctx)
    };
}


/***/ }),

/***/ 8774:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   v: () => (/* binding */ EventStream)
/* harmony export */ });
/** Logs each service event once, oldest first, from `since` (ms since epoch) on. */
class EventStream {
    log;
    since;
    seen = new Set();
    constructor(log, since) {
        this.log = log;
        this.since = since;
    }
    push(service) {
        const fresh = (service.events ?? []).filter((e) => (e.createdAt?.getTime() ?? 0) >= this.since && !this.seen.has(e.id ?? e.message ?? ''));
        for (const event of fresh.reverse()) {
            this.seen.add(event.id ?? event.message ?? '');
            this.log.info(`  [service event] ${event.message ?? ''}`);
        }
    }
}


/***/ }),

/***/ 8741:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   FG: () => (/* binding */ previousFromServiceHistory),
/* harmony export */   Ns: () => (/* binding */ revisionTaskDefinitions),
/* harmony export */   v5: () => (/* binding */ serviceDeploymentPages)
/* harmony export */ });
/* unused harmony exports HISTORY_LIMIT, previousFromDeployments, previousFromSources */
/* harmony import */ var _aws_sdk_client_ecs__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(212);
/* harmony import */ var _clients_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(3543);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(180);
/* harmony import */ var _rollback_target_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6609);
/* harmony import */ var _task_definition_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(9742);
/**
 * `rollback-to: previous` on the ECS controller (rolling and ECS-managed blue/green, linear, canary), from ECS's own record of the service: its service deployments
 * (ListServiceDeployments) and the service revisions they deployed (DescribeServiceRevisions), each naming a task
 * definition. ECS creates a service deployment and a service revision when a service is created and whenever an
 * update starts a deployment; it keeps 90 days of them, from 2024-10-25 on, and a rollback (circuit breaker) creates
 * no new revision: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-deployment.html and
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-revision.html
 */





/** The most service deployments read (ListServiceDeployments pages of 100): 90 days of a busy service. */
const HISTORY_LIMIT = 300;
/** DescribeServiceDeployments and DescribeServiceRevisions take at most 20 ARNs. */
const DESCRIBE_BATCH = 20;
const ONGOING = new Set(['PENDING', 'IN_PROGRESS', 'STOP_REQUESTED', 'ROLLBACK_REQUESTED', 'ROLLBACK_IN_PROGRESS']);
function deploymentId(arn) {
    return arn.slice(arn.lastIndexOf('/') + 1);
}
/**
 * "Previous" is the task definition of the newest SUCCESSFUL deployment older than the first listed one of the live
 * revision, skipping later revisions of its family (see `previousInstall`): what ran steady before the live revision
 * was first deployed, so a second `previous` goes one release further back. A failed or stopped deployment (or one
 * ECS's circuit breaker rolled back) never ran steady, so it is never "previous"; a successful redeploy of the live
 * revision (a forced deployment, an UpdateService back to it after a failure, a rollback to it) is not its first
 * deployment. `history` is newest first.
 */
function previousFromDeployments(liveArn, history) {
    const ongoing = history.find((d) => ONGOING.has(d.status));
    if (ongoing) {
        return {
            kind: 'unknown',
            reason: `service deployment ${deploymentId(ongoing.arn)} is ${ongoing.status}: wait for it to end`
        };
    }
    const successful = history.filter((d) => d.status === 'SUCCESSFUL');
    const latest = successful[0];
    if (!latest) {
        return {
            kind: 'unknown',
            reason: history.length === 0
                ? 'ECS lists no service deployments for it (ECS keeps 90 days of them, from 2024-10-25 on)'
                : 'ECS lists no successful service deployment for it'
        };
    }
    if (!latest.taskDefinition || !(0,_rollback_target_js__WEBPACK_IMPORTED_MODULE_1__/* .sameRevision */ .Y6)(latest.taskDefinition, liveArn)) {
        return {
            kind: 'unknown',
            reason: `its latest successful service deployment ${deploymentId(latest.arn)} deployed ${(0,_task_definition_js__WEBPACK_IMPORTED_MODULE_2__/* .taskDefinitionLabel */ .$7)(latest.taskDefinition) ?? 'an unknown revision'}, not the live one`
        };
    }
    const step = (0,_rollback_target_js__WEBPACK_IMPORTED_MODULE_1__/* .previousInstall */ .pd)(liveArn, successful);
    switch (step.kind) {
        case 'unrecorded':
            return {
                kind: 'unknown',
                reason: `ECS does not describe the revision of service deployment ${deploymentId(step.entry.arn)}`
            };
        case 'found':
            return {
                kind: 'found',
                taskDefinition: step.taskDefinition,
                evidence: `service deployment ${deploymentId(step.entry.arn)} (SUCCESSFUL) deployed it before ${deploymentId(step.first.arn)} deployed the live revision`
            };
        case 'none':
            return { kind: 'sources', deployment: step.first };
    }
}
/**
 * Without an earlier successful deployment listed (its history starts later), what ran when `deployment` started
 * (its source revisions) is the previous revision, unless no listed deployment of it ran steady, or it is a later
 * revision of the live one's family.
 */
function previousFromSources(liveArn, deployment, sourceTaskDefinitions, history) {
    const id = deploymentId(deployment.arn);
    const candidates = [...new Set(sourceTaskDefinitions.filter((t) => !(0,_rollback_target_js__WEBPACK_IMPORTED_MODULE_1__/* .sameRevision */ .Y6)(t, liveArn)))];
    if (candidates.length === 0) {
        return {
            kind: 'unknown',
            reason: `no earlier revision is recorded: service deployment ${id} ${sourceTaskDefinitions.length === 0 ? 'has no source revision (it created the service)' : 'replaced the same revision'}`
        };
    }
    if (candidates.length > 1) {
        const names = candidates.map((t) => (0,_task_definition_js__WEBPACK_IMPORTED_MODULE_2__/* .taskDefinitionLabel */ .$7)(t)).join(', ');
        return { kind: 'unknown', reason: `service deployment ${id} replaced several revisions (${names})` };
    }
    const candidate = candidates[0];
    if ((0,_rollback_target_js__WEBPACK_IMPORTED_MODULE_1__/* .newerRevision */ .Jz)(candidate, liveArn)) {
        return {
            kind: 'unknown',
            reason: `no earlier revision is recorded: service deployment ${id} replaced ${(0,_task_definition_js__WEBPACK_IMPORTED_MODULE_2__/* .taskDefinitionLabel */ .$7)(candidate)}, a later revision than the live one`
        };
    }
    const listed = history.filter((d) => d.taskDefinition && (0,_rollback_target_js__WEBPACK_IMPORTED_MODULE_1__/* .sameRevision */ .Y6)(d.taskDefinition, candidate));
    const failed = listed[0];
    if (failed && !listed.some((d) => d.status === 'SUCCESSFUL')) {
        return {
            kind: 'unknown',
            reason: `the revision service deployment ${id} replaced, ${(0,_task_definition_js__WEBPACK_IMPORTED_MODULE_2__/* .taskDefinitionLabel */ .$7)(candidate)}, never ran steady (service deployment ${deploymentId(failed.arn)} is ${failed.status})`
        };
    }
    return {
        kind: 'found',
        taskDefinition: candidate,
        evidence: `service deployment ${id} replaced it with the live revision`
    };
}
/** Service revision ARN → its task definition, for as many ARNs as given. */
async function revisionTaskDefinitions(ecs, arns, signal) {
    const found = new Map();
    const unique = [...new Set(arns)];
    for (let i = 0; i < unique.length; i += DESCRIBE_BATCH) {
        const out = await ecs.send(new _aws_sdk_client_ecs__WEBPACK_IMPORTED_MODULE_3__/* .DescribeServiceRevisionsCommand */ .oF5({ serviceRevisionArns: unique.slice(i, i + DESCRIBE_BATCH) }), (0,_clients_js__WEBPACK_IMPORTED_MODULE_4__/* .withSignal */ .l_)(signal));
        for (const r of out.serviceRevisions ?? []) {
            if (r.serviceRevisionArn && r.taskDefinition)
                found.set(r.serviceRevisionArn, r.taskDefinition);
        }
    }
    return found;
}
/**
 * The pages of ListServiceDeployments (which the SDK has no paginator for), 100 a page, with the abort signal on
 * each request.
 */
async function* serviceDeploymentPages(ecs, input, signal) {
    let nextToken;
    do {
        const page = await ecs.send(new _aws_sdk_client_ecs__WEBPACK_IMPORTED_MODULE_3__/* .ListServiceDeploymentsCommand */ .jz8({ ...input, maxResults: 100, nextToken }), (0,_clients_js__WEBPACK_IMPORTED_MODULE_4__/* .withSignal */ .l_)(signal));
        yield page.serviceDeployments ?? [];
        nextToken = page.nextToken;
    } while (nextToken);
}
/** Reads the service's deployments (newest first, at most `HISTORY_LIMIT`) and resolves "previous" from them. */
async function previousFromServiceHistory(ecs, cluster, service, liveArn, signal) {
    try {
        const briefs = [];
        for await (const page of serviceDeploymentPages(ecs, { cluster, service }, signal)) {
            briefs.push(...page);
            if (briefs.length >= HISTORY_LIMIT)
                break;
        }
        // The order of the listing is not documented: sort by creation.
        briefs.sort((a, b) => (b.createdAt?.getTime() ?? 0) - (a.createdAt?.getTime() ?? 0));
        const targets = await revisionTaskDefinitions(ecs, briefs.flatMap((b) => (b.targetServiceRevisionArn ? [b.targetServiceRevisionArn] : [])), signal);
        const history = briefs.map((b) => ({
            arn: b.serviceDeploymentArn ?? '',
            status: b.status ?? 'UNKNOWN',
            createdAt: b.createdAt?.getTime() ?? 0,
            taskDefinition: b.targetServiceRevisionArn ? targets.get(b.targetServiceRevisionArn) : undefined
        }));
        const step = previousFromDeployments(liveArn, history);
        if (step.kind !== 'sources')
            return step;
        const described = await ecs.send(new _aws_sdk_client_ecs__WEBPACK_IMPORTED_MODULE_3__/* .DescribeServiceDeploymentsCommand */ .A6p({ serviceDeploymentArns: [step.deployment.arn] }), (0,_clients_js__WEBPACK_IMPORTED_MODULE_4__/* .withSignal */ .l_)(signal));
        const sources = (described.serviceDeployments?.[0]?.sourceServiceRevisions ?? []).flatMap((s) => s.arn ? [s.arn] : []);
        const sourceTaskDefinitions = [...(await revisionTaskDefinitions(ecs, sources, signal)).values()];
        return previousFromSources(liveArn, step.deployment, sourceTaskDefinitions, history);
    }
    catch (error) {
        throw (0,_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .wrapError */ .J4)(`Could not read the service deployments of ${cluster}/${service}`, error);
    }
}


/***/ })

};
