export const id = 855;
export const ids = [855];
export const modules = {

/***/ 7855:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  createEcsRolling: () => (/* binding */ createEcsRolling)
});

// EXTERNAL MODULE: ./src/strategies/ecs/clients.ts
var clients = __webpack_require__(3543);
// EXTERNAL MODULE: ./src/strategies/ecs/report.ts
var report = __webpack_require__(3873);
// EXTERNAL MODULE: ./src/strategies/ecs/run-state.ts + 1 modules
var run_state = __webpack_require__(6989);
// EXTERNAL MODULE: ./src/strategies/ecs/task-definition.ts
var task_definition = __webpack_require__(9742);
// EXTERNAL MODULE: ./src/strategies/ecs/poll.ts
var ecs_poll = __webpack_require__(8602);
// EXTERNAL MODULE: ./src/strategies/ecs/recover.ts
var recover = __webpack_require__(1367);
// EXTERNAL MODULE: ./src/strategies/ecs/preflight.ts
var preflight = __webpack_require__(7040);
// EXTERNAL MODULE: ./src/strategies/ecs/rollback-outcome.ts
var rollback_outcome = __webpack_require__(2738);
// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-ecs/dist-cjs/index.js
var dist_cjs = __webpack_require__(212);
// EXTERNAL MODULE: ./src/duration.ts
var duration = __webpack_require__(7607);
// EXTERNAL MODULE: ./src/strategies/ecs/events.ts
var ecs_events = __webpack_require__(8774);
// EXTERNAL MODULE: ./src/strategies/ecs/errors.ts
var errors = __webpack_require__(180);
;// CONCATENATED MODULE: ./src/strategies/ecs-rolling/rollout.ts
/**
 * An ECS rolling deployment: start it with UpdateService, judge it by *its own* deployment id, follow it while
 * streaming service events, and roll back by updating the service to the previous task definition.
 */







const CIRCUIT_BREAKER_ROLLBACK = /circuit breaker: rolling back/i;
/** How long a deployment UpdateService returned may stay missing from DescribeServices before that counts. */
const UNSEEN_LIMIT_MS = 60_000;
/**
 * Where deployment `deploymentId` stands. COMPLETED is success; FAILED, disappearing or a newer PRIMARY mean it did
 * not make it (a newer PRIMARY is a rollback when the circuit breaker says so or it runs the previous task
 * definition). Without rolloutState (Classic Load Balancer) it has completed when it is the only deployment and
 * runs all desired tasks.
 */
function judgeDeployment(service, ref) {
    const { deploymentId, previousTaskDefinitionArn } = ref;
    const deployments = service.deployments ?? [];
    const ours = deployments.find((d) => d.id === deploymentId);
    const primary = deployments.find((d) => d.status === 'PRIMARY');
    const newer = primary && primary.id !== deploymentId ? primary : undefined;
    const rollback = newer &&
        (CIRCUIT_BREAKER_ROLLBACK.test(newer.rolloutStateReason ?? '') ||
            (previousTaskDefinitionArn !== undefined && newer.taskDefinition === previousTaskDefinitionArn));
    const replacement = () => !newer?.id ? {} : rollback ? { rolledBackTo: newer.id } : { replacedBy: newer.id };
    if (!ours) {
        if (!ref.seen)
            return { kind: 'pending' };
        const by = newer ? ` (the service now runs ${newer.id} with ${(0,task_definition/* taskDefinitionLabel */.$7)(newer.taskDefinition)})` : '';
        return { kind: 'failed', reason: `ECS deployment ${deploymentId} is gone from the service${by}`, ...replacement() };
    }
    if (ours.rolloutState === 'COMPLETED')
        return { kind: 'completed' };
    if (ours.rolloutState === 'FAILED') {
        return {
            kind: 'failed',
            reason: ours.rolloutStateReason ?? `ECS deployment ${deploymentId} failed`,
            ...replacement()
        };
    }
    if (newer) {
        return {
            kind: 'failed',
            reason: newer.rolloutStateReason
                ? `ECS deployment ${deploymentId} was superseded: ${newer.rolloutStateReason}`
                : `ECS deployment ${deploymentId} was superseded by ${newer.id} (${(0,task_definition/* taskDefinitionLabel */.$7)(newer.taskDefinition)})`,
            ...replacement()
        };
    }
    if (!ours.rolloutState && deployments.length === 1 && ours.runningCount === ours.desiredCount) {
        return { kind: 'completed' };
    }
    return { kind: 'pending' };
}
/**
 * UpdateService to `taskDefinitionArn` (forcing a new deployment when it is the one already running) and returns
 * the id of the PRIMARY deployment it started.
 */
async function updateService(ecs, cluster, service, taskDefinitionArn, currentArn) {
    const force = taskDefinitionArn === currentArn;
    let updated;
    try {
        // No abort signal: a cancelled request may still start a deployment we would not know about.
        const out = await ecs.send(new dist_cjs/* UpdateServiceCommand */.kZr({ cluster, service, taskDefinition: taskDefinitionArn, forceNewDeployment: force }));
        updated = out.service;
    }
    catch (error) {
        throw (0,errors/* wrapError */.J4)(`Could not update ECS service ${cluster}/${service}`, error);
    }
    const primaries = (updated?.deployments ?? []).filter((d) => d.status === 'PRIMARY');
    const id = primaries.find((d) => d.taskDefinition === taskDefinitionArn)?.id;
    if (id)
        return id;
    // ECS answers with the PRIMARY deployment it started; any other one is not ours to follow and judge.
    const other = primaries[0];
    const seen = other ? ` (PRIMARY: ${String(other.id)} with ${(0,task_definition/* taskDefinitionLabel */.$7)(other.taskDefinition)})` : '';
    throw new Error(`UpdateService of ${cluster}/${service} returned no PRIMARY deployment of ${(0,task_definition/* taskDefinitionLabel */.$7)(taskDefinitionArn)}${seen}`);
}
/** Follows one ECS deployment until it completes, fails, the deadline passes or the signal aborts. */
async function followRollout(ecs, request, poll) {
    const { cluster, service, deploymentId, label } = request;
    const { log, signal } = poll;
    const events = new ecs_events/* EventStream */.v(log, request.since);
    const result = { outcome: { kind: 'timeout' } };
    let progress = '';
    let seen = request.seen ?? false;
    const started = poll.clock.now();
    result.outcome = await (0,ecs_poll/* pollUntil */.g3)(poll, `Could not describe ECS service ${cluster}/${service}`, async () => {
        const out = await ecs.send(new dist_cjs/* DescribeServicesCommand */.H7c({ cluster, services: [service] }), (0,clients/* withSignal */.l_)(signal));
        const current = out.services?.[0];
        if (!current)
            throw new Error(`ECS service ${cluster}/${service} is gone`);
        result.service = current;
        events.push(current);
        const ours = current.deployments?.find((d) => d.id === deploymentId);
        if (ours) {
            const now = `${ours.rolloutState ?? 'no rollout state'}, ${ours.runningCount ?? 0}/${ours.desiredCount ?? 0} running${ours.failedTasks ? `, ${ours.failedTasks} failed` : ''}`;
            if (now !== progress)
                log.info(`${label} ${deploymentId}: ${now}`);
            progress = now;
        }
        if (ours)
            seen = true;
        else if (!seen && poll.clock.now() - started >= UNSEEN_LIMIT_MS) {
            return {
                kind: 'failed',
                reason: `ECS deployment ${deploymentId} (returned by UpdateService) did not appear in DescribeServices within ${(0,duration/* formatSeconds */.X)(UNSEEN_LIMIT_MS)}`
            };
        }
        const verdict = judgeDeployment(current, { ...request, seen });
        return verdict.kind === 'pending' ? undefined : verdict;
    });
    return result;
}

// EXTERNAL MODULE: ./src/error-message.ts
var error_message = __webpack_require__(6587);
;// CONCATENATED MODULE: ./src/strategies/ecs-rolling/rollback.ts








/** Follows a rollback deployment (ECS's own, or ours) to its end. */
async function followRollbackDeployment(env, rollbackId, previousArn, signal, who) {
    try {
        const followed = await followRollout(env.ecs, {
            cluster: env.config.cluster,
            service: env.config.service,
            deploymentId: rollbackId,
            since: env.deps.clock.now(),
            label: 'Rollback'
        }, (0,ecs_poll/* pollOptions */.Oh)(env, (0,ecs_poll/* deadlineFromNow */.fG)(env), signal));
        const { outcome } = followed;
        if (outcome.kind !== 'done')
            return (0,rollback_outcome/* outcomeWithLive */.Dv)(env, previousArn, `${who} ${rollbackId} still running (${outcome.kind})`, {
                finished: false,
                undone: false
            });
        const ended = outcome.value;
        const completed = ended.kind === 'completed';
        const text = ended.kind === 'completed'
            ? `${who} ${rollbackId} completed`
            : `${who} ${rollbackId} did not complete: ${ended.reason}`;
        return (0,rollback_outcome/* outcomeWithLive */.Dv)(env, previousArn, text, { finished: true, undone: completed });
    }
    catch (error) {
        const text = `could not follow the ${who} ${rollbackId} (${(0,error_message/* errorMessage */.g)(error)})`;
        return (0,rollback_outcome/* outcomeWithLive */.Dv)(env, previousArn, text, { finished: true, undone: false });
    }
}
/** Why a deployment another one replaced is left alone: rolling back would undo theirs, not ours. */
const NEWER_DEPLOYMENT = 'not rolled back (a newer deployment took over)';
/** ECS's circuit breaker rolled back on its own: follow its rollback deployment. */
function followEcsRollback(env, rollbackId, previousArn, signal) {
    env.deps.log.info(`ECS is rolling back with deployment ${rollbackId}`);
    return followRollbackDeployment(env, rollbackId, previousArn, signal, 'ECS rollback deployment');
}
/** UpdateService back to the previous task definition and follow that deployment. */
async function rollBackService(env, journal, previousArn, deployedArn, signal) {
    if (!previousArn || previousArn === deployedArn) {
        const summary = 'nothing to roll back to (the deploy forced a new deployment of the same task definition)';
        return (0,rollback_outcome/* outcomeWithLive */.Dv)(env, previousArn, summary, { finished: true, undone: true });
    }
    let rollbackId;
    try {
        const current = await (0,preflight/* describeService */.Jv)(env.ecs, env.config.cluster, env.config.service);
        rollbackId = await updateService(env.ecs, env.config.cluster, env.config.service, previousArn, current.taskDefinition);
    }
    catch (error) {
        return (0,rollback_outcome/* outcomeWithLive */.Dv)(env, previousArn, `could not roll back (${(0,error_message/* errorMessage */.g)(error)})`, {
            finished: true,
            undone: true
        });
    }
    journal.update({ phase: 'rolling-back', rollbackEcsDeploymentId: rollbackId });
    env.deps.log.info(`Updated the service back to ${(0,task_definition/* taskDefinitionLabel */.$7)(previousArn)}: deployment ${rollbackId}`);
    return followRollbackDeployment(env, rollbackId, previousArn, signal, 'rollback deployment');
}
/**
 * The post step: when the main step was cut short while our deployment (or our rollback) was still running, roll
 * back / keep following the rollback. Idempotent; a completed deployment means nothing to do.
 */
async function recoverRolling(env, ctx) {
    const recovery = await (0,recover/* beginRecovery */.l)(env, ctx, (j) => j.ecsDeploymentId);
    if (!recovery)
        return undefined;
    const { journal, id: deploymentId, phases } = recovery;
    const { log, clock } = env.deps;
    const { config } = env;
    const previousArn = journal.previousTaskDefinitionArn;
    let result;
    if (journal.phase === 'rolling-back' && journal.rollbackEcsDeploymentId) {
        const rollbackId = journal.rollbackEcsDeploymentId;
        result = await log.group(`Follow rollback ${rollbackId}`, () => phases.run('rollback', () => followRollbackDeployment(env, rollbackId, previousArn, ctx.signal, 'rollback deployment')));
    }
    else {
        const service = await (0,preflight/* describeService */.Jv)(env.ecs, config.cluster, config.service);
        // A cancelled job's post step may run seconds after UpdateService: until UNSEEN_LIMIT_MS have passed, a read
        // without our deployment may be lagging behind (ECS reads are eventually consistent), not showing it gone.
        const seen = clock.now() - (journal.ecsDeploymentAt ?? 0) >= UNSEEN_LIMIT_MS;
        const verdict = judgeDeployment(service, { deploymentId, previousTaskDefinitionArn: previousArn, seen });
        if (verdict.kind === 'completed') {
            log.info(`ECS deployment ${deploymentId} completed after the main step ended; nothing to recover`);
            ctx.journal.update({ phase: 'finished' });
            return undefined;
        }
        if (verdict.kind === 'failed' && verdict.rolledBackTo) {
            const rollbackId = verdict.rolledBackTo;
            result = await log.group(`Follow ECS rollback ${rollbackId}`, () => phases.run('rollback', () => followEcsRollback(env, rollbackId, previousArn, ctx.signal)));
        }
        else if (verdict.kind === 'failed' && verdict.replacedBy) {
            result = await (0,rollback_outcome/* describeLeftAlone */.MN)(env, previousArn, verdict.reason, { why: NEWER_DEPLOYMENT });
        }
        else if (config.rollbackOnFailure) {
            result = await log.group(`Roll back ${config.cluster}/${config.service}`, () => phases.run('rollback', () => rollBackService(env, ctx.journal, previousArn, journal.taskDefinitionArn, ctx.signal)));
        }
        else {
            const state = verdict.kind === 'failed' ? verdict.reason : `ECS deployment ${deploymentId} is still in progress`;
            result = await (0,rollback_outcome/* describeLeftAlone */.MN)(env, previousArn, state);
        }
    }
    const url = (0,report/* ecsServiceUrl */.gE)(config.region, config.cluster, config.service);
    return (0,recover/* recoveryResult */.H)(env, ctx, recovery, {
        outcome: result,
        message: `The main step ended while ECS deployment ${deploymentId} was running: ${result.summary}`,
        outputs: { 'console-url': url },
        link: { title: `ECS service ${config.cluster}/${config.service}`, url }
    });
}

// EXTERNAL MODULE: ./src/strategies/ecs/verify.ts
var ecs_verify = __webpack_require__(906);
// EXTERNAL MODULE: ./src/strategies/ecs/service-history.ts
var service_history = __webpack_require__(8741);
;// CONCATENATED MODULE: ./src/strategies/ecs-rolling/deploy.ts










/** The task definition changes: the same content redeploys the live revision; a registered one is deployed as it is. */
function changesSection(plan) {
    const redeploy = plan.registeredArn ? plan.registeredArn === plan.previousTaskDefinitionArn : plan.diff.length === 0;
    const lines = plan.diff.length
        ? plan.diff.map((l) => `- ${l}`)
        : [
            `No changes: ${redeploy ? 'the live revision is redeployed (forced new deployment)' : 'the revision holds the live content'}.`
        ];
    const after = plan.registeredArn
        ? `${(0,task_definition/* taskDefinitionLabel */.$7)(plan.registeredArn)}, as registered`
        : redeploy
            ? 'same revision'
            : 'new revision';
    return {
        title: `Task definition changes (${(0,task_definition/* taskDefinitionLabel */.$7)(plan.previousTaskDefinitionArn)} → ${after})`,
        body: lines.join('\n')
    };
}
/** The steps of one rolling run; the state they share with ecs-blue-green is in `EcsRunState`. */
class RollingDeploy {
    env;
    ctx;
    state;
    constructor(env, ctx) {
        this.env = env;
        this.ctx = ctx;
        this.state = new run_state/* EcsRunState */.W(env, ctx, {
            strategy: 'ecs-rolling',
            changesSection,
            previous: (liveArn, signal) => (0,service_history/* previousFromServiceHistory */.FG)(env.ecs, env.config.cluster, env.config.service, liveArn, signal)
        });
        this.state.links.push({
            title: `ECS service ${env.config.cluster}/${env.config.service}`,
            url: (0,report/* ecsServiceUrl */.gE)(env.config.region, env.config.cluster, env.config.service)
        });
    }
    run() {
        return this.state.execute({
            check: (plan) => this.checkCircuitBreaker(plan),
            planned: (plan) => this.state.result('planned', plan.rollback
                ? `Dry run: would roll ${this.state.label} back, ${this.state.rollbackLabel(plan)} (${plan.rollback.evidence}), by rolling out ${(0,task_definition/* taskDefinitionLabel */.$7)(plan.registeredArn)} as registered`
                : plan.registeredArn
                    ? `Dry run: would roll out ${(0,task_definition/* taskDefinitionLabel */.$7)(plan.registeredArn)} as registered to ${this.state.label}`
                    : `Dry run: would register a new revision of ${String(plan.taskDefinition.family)} with ${this.env.config.image?.ref ?? ''} and roll it out to ${this.state.label}`, 'planned'),
            deploy: (plan) => this.deploy(plan)
        });
    }
    async deploy(plan) {
        const { config, deps } = this.env;
        const { state } = this;
        let deploymentId;
        try {
            deploymentId = await this.registerAndUpdate(plan);
        }
        catch (error) {
            return state.notDeployed((0,error_message/* errorMessage */.g)(error));
        }
        let followed;
        try {
            const result = await deps.log.group(`Wait for deployment ${deploymentId}`, () => followRollout(this.env.ecs, {
                cluster: config.cluster,
                service: config.service,
                deploymentId,
                previousTaskDefinitionArn: plan.previousTaskDefinitionArn,
                since: state.start,
                label: 'Deployment'
            }, (0,ecs_poll/* pollOptions */.Oh)(this.env, state.deadline, this.ctx.signal)));
            followed = result.outcome;
        }
        catch (error) {
            followed = { kind: 'error', error };
        }
        if (followed.kind === 'done' && followed.value.kind === 'completed' && config.verify) {
            followed = await this.verify(config.verify, deploymentId);
        }
        if (followed.kind === 'done' && followed.value.kind === 'completed') {
            this.ctx.journal.update({ phase: 'finished' });
            return state.result('succeeded', `Deployed ${(0,task_definition/* taskDefinitionLabel */.$7)(state.taskDefinitionArn)} to ${state.label} (ECS deployment ${deploymentId})`, 'deployed');
        }
        return this.handleFailure(deploymentId, followed);
    }
    /** The verify gate once the service is steady: a failure is handled as a failed deployment. */
    async verify(verify, deploymentId) {
        const outcome = await (0,ecs_verify/* verifyService */.l)(this.env.deps, { ...this.env.config, verify }, this.state, deploymentId, this.ctx.signal);
        if (outcome.ok)
            return { kind: 'done', value: { kind: 'completed' } };
        return { kind: 'verify-failed', reason: outcome.reason, cancelled: outcome.cancelled };
    }
    /** Rolling pre-flight after the service checks: without the circuit breaker, failures wait for the timeout. */
    checkCircuitBreaker(plan) {
        const { config, deps } = this.env;
        const breaker = plan.service.deploymentConfiguration?.deploymentCircuitBreaker;
        if (!breaker?.enable) {
            deps.log.warning(`The deployment circuit breaker of ${this.state.label} is off: tasks that fail to start are only noticed at the timeout (${config.timeoutMinutes} min)`);
        }
    }
    async registerAndUpdate(plan) {
        const { config, deps, ecs } = this.env;
        const { state } = this;
        // Same content as the live revision: redeploy that revision (forced) instead of growing the family.
        let arn;
        if (!plan.registeredArn && plan.diff.length === 0) {
            arn = plan.previousTaskDefinitionArn;
            state.useTaskDefinition(plan, arn);
        }
        else {
            arn = await state.registerTaskDefinition(plan);
        }
        await state.runPreDeployTask(plan, arn);
        const deploymentId = await deps.log.group(`Update service ${state.label}`, () => state.phases.run('update-service', async () => {
            if (arn === plan.previousTaskDefinitionArn) {
                deps.log.info('The task definition is unchanged: forcing a new deployment');
            }
            return updateService(ecs, config.cluster, config.service, arn, plan.previousTaskDefinitionArn);
        }));
        this.ctx.journal.update({ phase: 'deploying', ecsDeploymentId: deploymentId, ecsDeploymentAt: deps.clock.now() });
        state.output('deployment-id', deploymentId);
        state.output('console-url', (0,report/* ecsServiceUrl */.gE)(config.region, config.cluster, config.service));
        deps.log.info(`Started ECS deployment ${deploymentId}`);
        return deploymentId;
    }
    async handleFailure(deploymentId, followed) {
        const { config, deps } = this.env;
        const { state } = this;
        const previousArn = state.plan?.previousTaskDefinitionArn;
        const cancelled = followed.kind === 'cancelled' || (followed.kind === 'verify-failed' && followed.cancelled);
        let headline;
        let ecsRollback;
        let replacedBy;
        if (followed.kind === 'done') {
            const verdict = followed.value;
            headline = verdict.kind === 'failed' ? verdict.reason : `ECS deployment ${deploymentId} failed`;
            if (verdict.kind === 'failed')
                ({ rolledBackTo: ecsRollback, replacedBy } = verdict);
        }
        else if (followed.kind === 'timeout') {
            headline = `ECS deployment ${deploymentId} did not complete within ${config.timeoutMinutes} min`;
        }
        else if (followed.kind === 'verify-failed') {
            headline = `ECS deployment ${deploymentId} completed, but ${followed.reason}`;
        }
        else if (followed.kind === 'cancelled') {
            headline = `The job was cancelled while ECS deployment ${deploymentId} was in progress`;
        }
        else {
            headline = (0,error_message/* errorMessage */.g)(followed.error);
        }
        const undo = async () => {
            if (ecsRollback) {
                const id = ecsRollback;
                return deps.log.group(`Follow ECS rollback ${id}`, () => state.phases.run('rollback', () => followEcsRollback(this.env, id, previousArn, cancelled ? undefined : this.ctx.signal)));
            }
            // Someone else deployed meanwhile: rolling back would undo their deployment, not ours.
            if (replacedBy)
                return (0,rollback_outcome/* describeLeftAlone */.MN)(this.env, previousArn, headline, { why: NEWER_DEPLOYMENT });
            if (!config.rollbackOnFailure)
                return (0,rollback_outcome/* describeLeftAlone */.MN)(this.env, previousArn, headline);
            this.ctx.journal.update({ phase: 'rolling-back' });
            return deps.log.group(`Roll back ${state.label}`, () => state.phases.run('rollback', () => rollBackService(this.env, this.ctx.journal, previousArn, state.taskDefinitionArn, cancelled ? undefined : this.ctx.signal)));
        };
        return state.concludeFailure({ deploymentId, headline, cancelled, undo });
    }
}

;// CONCATENATED MODULE: ./src/strategies/ecs-rolling/index.ts



function createEcsRolling(config, deps) {
    const env = {
        config,
        deps,
        ecs: (0,clients/* createEcsClient */.DJ)(config.region, deps),
        intervalMs: config.pollIntervalMs
    };
    return {
        deploy: (ctx) => new RollingDeploy(env, ctx).run(),
        recover: (ctx) => recoverRolling(env, ctx)
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
