export const id = 717;
export const ids = [717];
export const modules = {

/***/ 7717:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  createEcsBlueGreen: () => (/* binding */ createEcsBlueGreen)
});

// EXTERNAL MODULE: ./src/strategies/ecs/clients.ts
var clients = __webpack_require__(3543);
// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-codedeploy/dist-cjs/index.js
var dist_cjs = __webpack_require__(7507);
;// CONCATENATED MODULE: ./src/strategies/ecs-blue-green/client.ts
/** The CodeDeploy client of ecs-blue-green: built here only, or taken from `deps.overrides` in tests. */


function createCodeDeployClient(region, deps) {
    const fake = deps.overrides?.codedeploy;
    if (fake)
        return fake;
    return new dist_cjs/* CodeDeployClient */.cHd({ region, maxAttempts: clients/* MAX_ATTEMPTS */.m, retryMode: 'standard' });
}

// EXTERNAL MODULE: ./src/strategies/ecs/poll.ts
var ecs_poll = __webpack_require__(8602);
// EXTERNAL MODULE: ./src/constants.ts
var constants = __webpack_require__(7242);
// EXTERNAL MODULE: ./src/strategies/ecs/explain.ts
var explain = __webpack_require__(1184);
// EXTERNAL MODULE: ./src/strategies/ecs/preflight.ts
var preflight = __webpack_require__(7040);
// EXTERNAL MODULE: ./src/strategies/ecs/errors.ts
var errors = __webpack_require__(180);
// EXTERNAL MODULE: ./src/strategies/ecs/task-definition.ts
var task_definition = __webpack_require__(9742);
;// CONCATENATED MODULE: ./src/strategies/ecs-blue-green/preflight-group.ts
/** Blue/green pre-flight of the CodeDeploy deployment group (kept apart so ecs-rolling never loads CodeDeploy). */






/**
 * Blue/green: the deployment group exists, targets this cluster/service, and the load balancer's container and
 * port exist in the new task definition.
 */
async function preflightDeploymentGroup(codedeploy, config, plan, signal) {
    const app = config.codedeployApplication;
    const group = config.codedeployDeploymentGroup;
    let info;
    try {
        const out = await codedeploy.send(new dist_cjs/* GetDeploymentGroupCommand */.WOp({ applicationName: app, deploymentGroupName: group }), (0,clients/* withSignal */.l_)(signal));
        info = out.deploymentGroupInfo;
    }
    catch (error) {
        const name = (0,errors/* errorName */.Is)(error);
        if (name === 'ApplicationDoesNotExistException' || name === 'DeploymentGroupDoesNotExistException') {
            throw new Error(`CodeDeploy deployment group '${group}' of application '${app}' was not found (${name}): check the '${constants/* Inputs */.G0.codedeployApplication}' and '${constants/* Inputs */.G0.codedeployDeploymentGroup}' inputs`, { cause: error });
        }
        throw (0,errors/* wrapError */.J4)(`Could not read CodeDeploy deployment group ${app}/${group}`, error);
    }
    if (!info)
        throw new Error(`CodeDeploy returned no deployment group for ${app}/${group}`);
    const label = `${plan.clusterName}/${plan.serviceName}`;
    const targets = info.ecsServices ?? [];
    const matches = targets.some((s) => s.serviceName === plan.serviceName && s.clusterName === plan.clusterName);
    if (!matches) {
        const actual = targets.map((s) => `${s.clusterName}/${s.serviceName}`).join(', ') || 'no ECS service';
        throw new Error(`CodeDeploy deployment group ${app}/${group} deploys ${actual}, not ${label}: check the '${constants/* Inputs */.G0.codedeployDeploymentGroup}' input`);
    }
    const { containerName, containerPort } = (0,preflight/* serviceLoadBalancer */.Y6)(plan.service, label);
    if (!(0,task_definition/* containerHasPort */.p7)(plan.taskDefinition, containerName, containerPort)) {
        const names = (0,task_definition/* containerNames */.MR)(plan.taskDefinition).join(', ');
        throw new Error(`The service's load balancer routes to container '${containerName}' port ${containerPort}, but the new task definition has no such container port mapping (containers: ${names})`);
    }
    return info;
}

// EXTERNAL MODULE: ./src/strategies/ecs/run-state.ts
var run_state = __webpack_require__(5086);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
;// CONCATENATED MODULE: ./src/strategies/ecs-blue-green/appspec.ts
/**
 * The AppSpec sent to CodeDeploy: generated from the live service, or the user's file with only `TaskDefinition`
 * replaced. Pure: no AWS calls.
 */



/** The lifecycle events CodeDeploy accepts hooks on, for ECS. */
const HOOKABLE_EVENTS = [
    'BeforeInstall',
    'AfterInstall',
    'AfterAllowTestTraffic',
    'BeforeAllowTraffic',
    'AfterAllowTraffic'
];
function isObject(value) {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}
function invalid(problem) {
    return new Error(`Invalid '${constants/* Inputs */.G0.codedeployAppspec}': ${problem}`);
}
/**
 * An AppSpec for the service as it runs now, pointing at `taskDefinitionArn`. PlatformVersion, the awsvpc network
 * configuration and the capacity provider strategy are copied because CodeDeploy drops what the AppSpec leaves out.
 */
function generateAppSpec(service, taskDefinitionArn, loadBalancer) {
    const properties = {
        TaskDefinition: taskDefinitionArn,
        LoadBalancerInfo: { ContainerName: loadBalancer.containerName, ContainerPort: loadBalancer.containerPort }
    };
    if (service.platformVersion)
        properties.PlatformVersion = service.platformVersion;
    const vpc = service.networkConfiguration?.awsvpcConfiguration;
    if (vpc) {
        // CodeDeploy wants all three or none.
        properties.NetworkConfiguration = {
            AwsvpcConfiguration: {
                Subnets: vpc.subnets ?? [],
                SecurityGroups: vpc.securityGroups ?? [],
                AssignPublicIp: vpc.assignPublicIp ?? 'DISABLED'
            }
        };
    }
    if (service.capacityProviderStrategy?.length) {
        properties.CapacityProviderStrategy = service.capacityProviderStrategy.map((item) => {
            const entry = { CapacityProvider: item.capacityProvider };
            if (item.base !== undefined)
                entry.Base = item.base;
            if (item.weight !== undefined)
                entry.Weight = item.weight;
            return entry;
        });
    }
    return {
        version: 0.0,
        Resources: [{ TargetService: { Type: 'AWS::ECS::Service', Properties: properties } }]
    };
}
/** The `Properties` of the AppSpec's single resource, after checking the shape CodeDeploy requires. */
function targetProperties(appspec) {
    const resources = appspec.Resources;
    if (!Array.isArray(resources) || resources.length !== 1) {
        throw invalid('expected `Resources` to be a list with exactly one ECS service');
    }
    const resource = resources[0];
    const entries = isObject(resource) ? Object.values(resource) : [];
    const target = entries[0];
    if (entries.length !== 1 || !isObject(target) || !isObject(target.Properties)) {
        throw invalid('expected the resource to be `<Name>: {Type: AWS::ECS::Service, Properties: {...}}`');
    }
    if (target.Type !== undefined && target.Type !== 'AWS::ECS::Service') {
        throw invalid(`expected resource Type AWS::ECS::Service, got '${String(target.Type)}'`);
    }
    return target.Properties;
}
/** A copy of the user's AppSpec with `TaskDefinition` set to the new revision; nothing else is changed. */
function mergeAppSpec(document, taskDefinitionArn) {
    const copy = structuredClone(document);
    if (copy.version !== undefined && copy.version !== 0 && copy.version !== '0.0') {
        throw invalid(`expected version 0.0, got '${String(copy.version)}'`);
    }
    targetProperties(copy).TaskDefinition = taskDefinitionArn;
    const hooks = copy.Hooks;
    if (hooks !== undefined) {
        if (!Array.isArray(hooks))
            throw invalid('expected `Hooks` to be a list of `<LifecycleEvent>: <Lambda>` entries');
        for (const hook of hooks) {
            for (const key of isObject(hook) ? Object.keys(hook) : ['?']) {
                if (!HOOKABLE_EVENTS.includes(key)) {
                    throw invalid(`hook '${key}' is not one of ${HOOKABLE_EVENTS.join(', ')}`);
                }
            }
        }
    }
    return copy;
}
/** The AppSpec's LoadBalancerInfo; an error if it is missing or malformed. */
function appSpecLoadBalancer(appspec) {
    const lb = targetProperties(appspec).LoadBalancerInfo;
    const containerName = lb?.ContainerName;
    const containerPort = lb?.ContainerPort;
    if (typeof containerName !== 'string' || typeof containerPort !== 'number') {
        throw invalid('expected `LoadBalancerInfo: {ContainerName: <name>, ContainerPort: <number>}` in the resource');
    }
    return { containerName, containerPort };
}
/** The AppSpec's load balancer container and port must exist in the task definition being deployed. */
function checkAppSpecAgainstTaskDefinition(appspec, taskDefinition) {
    const { containerName, containerPort } = appSpecLoadBalancer(appspec);
    if (!(0,task_definition/* containerHasPort */.p7)(taskDefinition, containerName, containerPort)) {
        throw new Error(`The AppSpec's LoadBalancerInfo names container '${containerName}' port ${containerPort}, which the new task definition does not map (containers: ${(0,task_definition/* containerNames */.MR)(taskDefinition).join(', ')})`);
    }
}
const VERSION_MARK = '"__appspec_version__"';
/**
 * The AppSpec as CodeDeploy receives it (JSON, a subset of YAML) and its hex SHA-256. The version is written as
 * `0.0`, the literal CodeDeploy documents, which JSON.stringify would shorten to `0`.
 */
function renderAppSpec(appspec) {
    const content = JSON.stringify({ ...appspec, version: VERSION_MARK.slice(1, -1) }, null, 2).replace(VERSION_MARK, '0.0');
    return { content, sha256: (0,external_node_crypto_.createHash)('sha256').update(content, 'utf8').digest('hex') };
}

;// CONCATENATED MODULE: ./src/strategies/ecs-blue-green/codedeploy.ts
/**
 * CodeDeploy for ECS blue/green: handle an already active deployment, create ours, follow it with our own poll
 * loop (logging only changes), and stop it with rollback and follow the rollback.
 */





/** Statuses of a deployment that still occupies its group (`Baking` is undocumented but seen). */
const ACTIVE_STATUSES = ['Created', 'Queued', 'InProgress', 'Baking', 'Ready'];
const NOT_STARTED = ['Created', 'Queued'];
/** CodeDeploy's description limit is short; the image reference is cut to fit. */
const DESCRIPTION_MAX = 100;
/** How many times CreateDeployment is retried after losing a race with another deployment. */
const CREATE_ATTEMPTS = 3;
function deploymentUrl(region, deploymentId) {
    return `https://${region}.console.aws.amazon.com/codesuite/codedeploy/deployments/${deploymentId}?region=${region}`;
}
function isTerminal(status) {
    return status === 'Succeeded' || status === 'Failed' || status === 'Stopped';
}
/** Ids of the group's deployments that are not finished. */
async function listActiveDeployments(codedeploy, ref, signal) {
    const ids = [];
    let nextToken;
    do {
        const out = await codedeploy.send(new dist_cjs/* ListDeploymentsCommand */.sr8({
            applicationName: ref.application,
            deploymentGroupName: ref.group,
            includeOnlyStatuses: ACTIVE_STATUSES,
            nextToken
        }), (0,clients/* withSignal */.l_)(signal));
        ids.push(...(out.deployments ?? []));
        nextToken = out.nextToken;
    } while (nextToken);
    return ids;
}
/** The error for `on-active-deployment: fail`: which deployment is in the way, with its console link. */
function activeDeploymentError(ref, ids) {
    const list = ids.map((id) => `${id} (${deploymentUrl(ref.region, id)})`).join(', ');
    return new Error(`Deployment group ${ref.application}/${ref.group} already has an active deployment: ${list}; '${constants/* Inputs */.G0.onActiveDeployment}' is 'fail' (use 'wait' or 'stop-previous' to deploy anyway)`);
}
/** StopDeployment with rollback. Returns false when the deployment had already completed (not an error). */
async function stopDeployment(codedeploy, deploymentId) {
    try {
        await codedeploy.send(new dist_cjs/* StopDeploymentCommand */.NzN({ deploymentId, autoRollbackEnabled: true }));
        return true;
    }
    catch (error) {
        if ((0,errors/* errorName */.Is)(error) === 'DeploymentAlreadyCompletedException')
            return false;
        throw (0,errors/* wrapError */.J4)(`Could not stop deployment ${deploymentId}`, error);
    }
}
/**
 * Clears the way for our deployment according to `on-active-deployment`: `fail` throws, `wait` waits until the group
 * has no active deployment, `stop-previous` stops them (with rollback) and then waits the same way.
 */
async function resolveActiveDeployments(codedeploy, ref, policy, active, poll) {
    const { log } = poll;
    if (active.length === 0)
        return { kind: 'done', value: true };
    if (policy === 'fail')
        throw activeDeploymentError(ref, active);
    if (policy === 'stop-previous') {
        for (const id of active) {
            log.warning(`Stopping active deployment ${id} with rollback (${constants/* Inputs */.G0.onActiveDeployment}: stop-previous)`);
            if (!(await stopDeployment(codedeploy, id)))
                log.info(`Deployment ${id} had already completed`);
        }
    }
    let last = '';
    return (0,ecs_poll/* pollUntil */.g3)(poll, `Could not list the deployments of ${ref.application}/${ref.group}`, async () => {
        const ids = await listActiveDeployments(codedeploy, ref, poll.signal);
        const now = ids.join(', ');
        if (ids.length > 0 && now !== last)
            log.info(`Waiting for active deployment ${now} to end`);
        last = now;
        return ids.length === 0 ? true : undefined;
    });
}
/** A description that mentions the image and fits CodeDeploy's limit. */
function deploymentDescription(image) {
    const prefix = 'deploy-action: ';
    const room = DESCRIPTION_MAX - prefix.length;
    return prefix + (image.length > room ? `${image.slice(0, room - 3)}...` : image);
}
function activeIdFromMessage(message) {
    return /\b(d-[A-Z0-9]+)\b/.exec(message ?? '')?.[1];
}
/**
 * CreateDeployment with the AppSpec content. When another deployment got in first (DeploymentLimitExceeded),
 * the `on-active-deployment` policy is applied to it and creation is tried again.
 */
async function createDeployment(codedeploy, request, policy, poll) {
    const { ref } = request;
    for (let attempt = 1;; attempt++) {
        try {
            // No abort signal: a cancelled request may still create a deployment we would not know about.
            const out = await codedeploy.send(new dist_cjs/* CreateDeploymentCommand */.ttP({
                applicationName: ref.application,
                deploymentGroupName: ref.group,
                revision: {
                    revisionType: 'AppSpecContent',
                    appSpecContent: { content: request.content, sha256: request.sha256 }
                },
                description: request.description,
                ...(request.deploymentConfigName ? { deploymentConfigName: request.deploymentConfigName } : {})
            }));
            if (!out.deploymentId)
                throw new Error('the response holds no deployment id');
            return { kind: 'done', value: out.deploymentId };
        }
        catch (error) {
            if ((0,errors/* errorName */.Is)(error) !== 'DeploymentLimitExceededException' || attempt >= CREATE_ATTEMPTS) {
                throw (0,errors/* wrapError */.J4)(`Could not create a CodeDeploy deployment in ${ref.application}/${ref.group}`, error);
            }
            const id = activeIdFromMessage(error.message);
            const active = id ? [id] : await listActiveDeployments(codedeploy, ref);
            poll.log.warning(`CreateDeployment: ${(0,errors/* awsMessage */.Jk)(error)}`);
            const cleared = await resolveActiveDeployments(codedeploy, ref, policy, active, poll);
            if (cleared.kind !== 'done')
                return cleared;
        }
    }
}
function greenWeight(target) {
    return target?.taskSetsInfo?.find((t) => t.taskSetLabel === 'Green')?.trafficWeight;
}
/** Production traffic is fully on the new task set (the deployment itself may still be waiting to delete blue). */
function trafficShifted(target) {
    if (!target)
        return false;
    if (target.status === 'Succeeded' && greenWeight(target) === 100)
        return true;
    return (target.lifecycleEvents?.some((e) => e.lifecycleEventName === 'AllowTraffic' && e.status === 'Succeeded') ?? false);
}
/** Logs only what changed since the last tick: deployment status, lifecycle event statuses, traffic weight. */
class ChangeLogger {
    log;
    deploymentId;
    status;
    events = new Map();
    weight = 0;
    constructor(log, deploymentId) {
        this.log = log;
        this.deploymentId = deploymentId;
    }
    deployment(info) {
        if (info.status === this.status)
            return;
        this.status = info.status;
        if (info.status === 'Ready') {
            this.log.info(`Deployment ${this.deploymentId} is Ready: the new task set is up and serves test traffic. The group's ready option is STOP_DEPLOYMENT, so production traffic shifts only after ContinueDeployment (READY_WAIT); waiting.`);
        }
        else {
            this.log.info(`Deployment ${this.deploymentId}: ${info.status ?? 'unknown status'}`);
        }
    }
    target(target) {
        for (const event of target.lifecycleEvents ?? []) {
            const name = event.lifecycleEventName ?? '?';
            const status = event.status ?? 'Unknown';
            const previous = this.events.get(name) ?? 'Pending';
            this.events.set(name, status);
            if (status !== previous)
                this.log.info(`  ${name}: ${status}${eventDuration(event)}`);
        }
        const weight = greenWeight(target);
        if (weight !== undefined && weight !== this.weight) {
            this.weight = weight;
            this.log.info(`  Traffic: ${weight}% on the new task set (green), ${100 - weight}% on the old (blue)`);
        }
    }
}
function eventDuration(event) {
    if (!event.startTime || !event.endTime)
        return '';
    return ` (${Math.round((event.endTime.getTime() - event.startTime.getTime()) / 1000)} s)`;
}
/**
 * Follows one deployment until `waitUntil` is reached, it fails or is stopped, the deadline passes, or the signal
 * aborts. Reads GetDeployment every tick, and GetDeploymentTarget once the deployment has started.
 */
async function followDeployment(codedeploy, request, poll) {
    const { deploymentId, waitUntil } = request;
    const { log, signal } = poll;
    const changes = new ChangeLogger(log, deploymentId);
    const view = {};
    let targetId = request.targetId;
    let targetReadable = true;
    const readTarget = async () => {
        if (!targetReadable)
            return undefined;
        try {
            if (!targetId) {
                const listed = await codedeploy.send(new dist_cjs/* ListDeploymentTargetsCommand */.$9V({ deploymentId }), (0,clients/* withSignal */.l_)(signal));
                targetId = listed.targetIds?.[0];
                if (!targetId)
                    return undefined;
            }
            const out = await codedeploy.send(new dist_cjs/* GetDeploymentTargetCommand */.Oxg({ deploymentId, targetId }), (0,clients/* withSignal */.l_)(signal));
            return out.deploymentTarget?.ecsTarget;
        }
        catch (error) {
            const name = (0,errors/* errorName */.Is)(error);
            if (name === 'DeploymentNotStartedException')
                return undefined;
            if (name === 'DeploymentTargetDoesNotExistException' && targetId === request.targetId) {
                targetId = undefined; // the id is not `<cluster>:<service>` after all: list it next tick
                return undefined;
            }
            if ((0,errors/* isTransient */.dg)(error) || signal?.aborted)
                throw error;
            // Progress details are a nicety: a role without codedeploy:GetDeploymentTarget can still deploy.
            targetReadable = false;
            log.warning(`Cannot read the deployment target (${(0,errors/* awsMessage */.Jk)(error)}): lifecycle events and traffic shifting will not be shown${waitUntil === 'traffic-shifted' ? "; 'wait-until: traffic-shifted' falls back to waiting for the deployment to succeed" : ''}`);
            return undefined;
        }
    };
    const outcome = await (0,ecs_poll/* pollUntil */.g3)(poll, `Could not read deployment ${deploymentId}`, async () => {
        const out = await codedeploy.send(new dist_cjs/* GetDeploymentCommand */.Tvn({ deploymentId }), (0,clients/* withSignal */.l_)(signal));
        const info = out.deploymentInfo ?? {};
        view.info = info;
        changes.deployment(info);
        if (!NOT_STARTED.includes(info.status)) {
            const target = await readTarget();
            if (target) {
                view.target = target;
                changes.target(target);
            }
        }
        if (info.status === 'Succeeded')
            return 'reached';
        if (info.status === 'Failed' || info.status === 'Stopped')
            return 'failed';
        if (waitUntil === 'traffic-shifted' && info.status === 'InProgress' && trafficShifted(view.target)) {
            return 'reached';
        }
        return undefined;
    });
    if (outcome.kind === 'done')
        return { kind: outcome.value, view };
    return { kind: outcome.kind, view };
}
/**
 * After StopDeployment(autoRollbackEnabled) or an automatic rollback: waits for the original deployment to end,
 * then for the rollback deployment named in its `rollbackInfo` (which may finish before it is ever listed).
 * If the original ends without naming one for a few intervals, there is no rollback deployment.
 */
async function followRollback(codedeploy, deploymentId, poll) {
    const { clock, log, signal, intervalMs } = poll;
    let endedAt;
    let rollbackMessage;
    const found = await (0,ecs_poll/* pollUntil */.g3)(poll, `Could not read deployment ${deploymentId}`, async () => {
        const out = await codedeploy.send(new dist_cjs/* GetDeploymentCommand */.Tvn({ deploymentId }), (0,clients/* withSignal */.l_)(signal));
        const info = out.deploymentInfo ?? {};
        rollbackMessage = info.rollbackInfo?.rollbackMessage ?? rollbackMessage;
        if (info.rollbackInfo?.rollbackDeploymentId)
            return { id: info.rollbackInfo.rollbackDeploymentId };
        if (!isTerminal(info.status))
            return undefined;
        endedAt ??= clock.now();
        return clock.now() - endedAt >= 3 * intervalMs ? { id: undefined } : undefined;
    });
    if (found.kind !== 'done')
        return { kind: found.kind, ...(rollbackMessage ? { rollbackMessage } : {}) };
    const rollbackId = found.value.id;
    if (!rollbackId)
        return { kind: 'done', ...(rollbackMessage ? { rollbackMessage } : {}) };
    log.info(`Rollback deployment ${rollbackId} follows ${deploymentId}`);
    let status;
    const ended = await (0,ecs_poll/* pollUntil */.g3)(poll, `Could not read rollback deployment ${rollbackId}`, async () => {
        const out = await codedeploy.send(new dist_cjs/* GetDeploymentCommand */.Tvn({ deploymentId: rollbackId }), (0,clients/* withSignal */.l_)(signal));
        const next = out.deploymentInfo?.status;
        if (next !== status)
            log.info(`Rollback deployment ${rollbackId}: ${next ?? 'unknown status'}`);
        status = next;
        return isTerminal(status) ? true : undefined;
    });
    const result = { kind: ended.kind, rollbackDeploymentId: rollbackId };
    if (status)
        result.rollbackStatus = status;
    return result;
}

// EXTERNAL MODULE: ./src/strategies/ecs/report.ts
var report = __webpack_require__(3873);
// EXTERNAL MODULE: ./src/strategies/ecs/rollback-outcome.ts
var rollback_outcome = __webpack_require__(2738);
// EXTERNAL MODULE: ./src/error-message.ts
var error_message = __webpack_require__(6587);
;// CONCATENATED MODULE: ./src/strategies/ecs-blue-green/rollback.ts
/**
 * Rolling back a CodeDeploy deployment (StopDeployment with rollback, then following the rollback) and saying
 * which task definition is live afterwards; also the post step's recovery of a cut-short run.
 */






/**
 * StopDeployment(autoRollbackEnabled) — a deployment CodeDeploy already ended (and maybe rolled back itself) is
 * fine — then follows the rollback to its end and reads the live task definition.
 * `signal` is undefined when the job is already cancelled: the rollback is followed regardless.
 */
async function rollBackDeployment(env, deploymentId, previousArn, signal) {
    const { log } = env.deps;
    try {
        const stopped = await stopDeployment(env.codedeploy, deploymentId);
        log.info(stopped
            ? `Stopped deployment ${deploymentId} with rollback`
            : `Deployment ${deploymentId} had already ended; following CodeDeploy's own rollback, if any`);
    }
    catch (error) {
        const live = await (0,rollback_outcome/* liveTaskDefinition */.t)(env.ecs, env.config.cluster, env.config.service);
        return {
            ...(0,rollback_outcome/* verdict */.W)(live.arn, previousArn),
            summary: `could not stop deployment ${deploymentId} (${(0,error_message/* errorMessage */.g)(error)}); ${live.text}`,
            finished: true
        };
    }
    let summary;
    let finished = true;
    let confirmed = true;
    /** A rollback deployment that ended other than Succeeded undid nothing we can vouch for. */
    let rollbackSucceeded = true;
    try {
        const rollback = await followRollback(env.codedeploy, deploymentId, (0,ecs_poll/* pollOptions */.Oh)(env, (0,ecs_poll/* deadlineFromNow */.fG)(env), signal));
        const id = rollback.rollbackDeploymentId;
        if (rollback.kind !== 'done') {
            finished = false;
            summary = id
                ? `rollback deployment ${id} is still ${rollback.rollbackStatus ?? 'running'} (${rollback.kind})`
                : `the rollback of ${deploymentId} had not started (${rollback.kind})`;
        }
        else if (id) {
            rollbackSucceeded = rollback.rollbackStatus === 'Succeeded';
            summary = `rollback deployment ${id} ${rollback.rollbackStatus === 'Succeeded' ? 'succeeded' : `ended ${rollback.rollbackStatus ?? 'unknown'}`}`;
        }
        else {
            summary = `CodeDeploy created no rollback deployment${rollback.rollbackMessage ? ` (${rollback.rollbackMessage})` : ''}`;
        }
    }
    catch (error) {
        confirmed = false;
        summary = `could not follow the rollback (${(0,error_message/* errorMessage */.g)(error)})`;
    }
    const live = await (0,rollback_outcome/* liveTaskDefinition */.t)(env.ecs, env.config.cluster, env.config.service);
    // "Rolled back" only when the rollback was seen to its end and the previous task definition is live.
    const done = finished && confirmed && rollbackSucceeded;
    return { ...(0,rollback_outcome/* verdict */.W)(done ? live.arn : undefined, previousArn), summary: `${summary}; ${live.text}`, finished };
}
/** With `rollback-on-failure: false`: nothing is changed; says what state the deployment and the service are in. */
async function describeLeftAlone(env, deploymentId, status, previousArn) {
    const live = await (0,rollback_outcome/* liveTaskDefinition */.t)(env.ecs, env.config.cluster, env.config.service);
    const ended = isTerminal(status);
    const still = ended ? `is ${status}` : `is left ${status ?? 'running'}`;
    return {
        // A deployment still running is not rolled back, whatever serves traffic at this moment.
        ...(0,rollback_outcome/* verdict */.W)(ended ? live.arn : undefined, previousArn),
        summary: `not rolled back (rollback-on-failure: false): deployment ${deploymentId} ${still}; ${live.text}`,
        finished: true
    };
}
/**
 * The post step: when the main step was cut short after creating a deployment that had not finished, stop it with
 * rollback and follow the rollback. Idempotent: a finished journal, or a deployment that succeeded, means nothing to do.
 */
async function recoverBlueGreen(env, ctx) {
    const journal = ctx.journal.read();
    const deploymentId = journal.deploymentId;
    if (!deploymentId || journal.phase === 'finished' || journal.phase === 'registered')
        return undefined;
    const { log, clock } = env.deps;
    const start = clock.now();
    const phases = new report/* PhaseRecorder */.wo(clock);
    const out = await env.codedeploy.send(new dist_cjs/* GetDeploymentCommand */.Tvn({ deploymentId }));
    const status = out.deploymentInfo?.status;
    if (status === 'Succeeded' && journal.phase !== 'rolling-back') {
        log.info(`Deployment ${deploymentId} succeeded after the main step ended; nothing to recover`);
        ctx.journal.update({ phase: 'finished' });
        return undefined;
    }
    let result;
    if (env.config.rollbackOnFailure) {
        ctx.journal.update({ phase: 'rolling-back' });
        result = await log.group(`Roll back deployment ${deploymentId}`, () => phases.run('rollback', () => rollBackDeployment(env, deploymentId, journal.previousTaskDefinitionArn, ctx.signal)));
    }
    else {
        result = await describeLeftAlone(env, deploymentId, status, journal.previousTaskDefinitionArn);
    }
    if (result.finished)
        ctx.journal.update({ phase: 'finished' });
    const message = `The main step ended while deployment ${deploymentId} was ${status ?? 'running'}: ${result.summary}`;
    const url = deploymentUrl(env.config.region, deploymentId);
    return {
        status: result.status,
        message,
        targets: [
            (0,report/* targetReport */.mh)({
                cluster: env.config.cluster,
                service: env.config.service,
                previousTaskDefinitionArn: journal.previousTaskDefinitionArn,
                taskDefinitionArn: journal.taskDefinitionArn,
                outcome: result.outcome,
                state: result.summary,
                durationMs: clock.now() - start,
                phases: phases.phases
            })
        ],
        outputs: { 'deployment-id': deploymentId, 'console-url': url },
        links: [{ title: `CodeDeploy deployment ${deploymentId}`, url }]
    };
}

;// CONCATENATED MODULE: ./src/strategies/ecs-blue-green/deploy.ts











/** The AppSpec for `taskDefinitionArn`: the user's file with only TaskDefinition replaced, or generated. */
function buildAppSpec(env, plan, taskDefinitionArn) {
    const { config } = env;
    if (config.appspecDocument)
        return mergeAppSpec(config.appspecDocument, taskDefinitionArn);
    const label = `${plan.clusterName}/${plan.serviceName}`;
    return generateAppSpec(plan.service, taskDefinitionArn, (0,preflight/* serviceLoadBalancer */.Y6)(plan.service, label));
}
/** Warns when `timeout-minutes` cannot cover the group's ready wait and termination wait before "succeeded". */
function checkWaitBudget(env, group) {
    const { config, deps } = env;
    const blueGreen = group.blueGreenDeploymentConfiguration;
    const ready = blueGreen?.deploymentReadyOption;
    if (ready?.actionOnTimeout === 'STOP_DEPLOYMENT') {
        deps.log.info(`The deployment group waits up to ${ready.waitTimeInMinutes ?? 0} min in Ready for ContinueDeployment (READY_WAIT) before shifting production traffic`);
    }
    const termination = blueGreen?.terminateBlueInstancesOnDeploymentSuccess;
    const terminationWait = termination?.action === 'TERMINATE' ? (termination.terminationWaitTimeInMinutes ?? 0) : 0;
    const readyWait = ready?.actionOnTimeout === 'STOP_DEPLOYMENT' ? (ready.waitTimeInMinutes ?? 0) : 0;
    const needed = terminationWait + readyWait;
    if (config.waitUntil === 'succeeded' && needed >= config.timeoutMinutes) {
        deps.log.warning(`'${constants/* Inputs */.G0.waitUntil}: succeeded' waits for the group's ready wait and termination wait (${needed} min in all), longer than '${constants/* Inputs */.G0.timeoutMinutes}' (${config.timeoutMinutes} min): the deploy would time out and roll back. Raise the timeout or use '${constants/* Inputs */.G0.waitUntil}: traffic-shifted'.`);
    }
}
function lifecyclePhases(view) {
    return (view.target?.lifecycleEvents ?? [])
        .filter((e) => e.status && e.status !== 'Pending')
        .map((e) => ({
        name: e.lifecycleEventName ?? '?',
        ok: e.status === 'Succeeded' || e.status === 'Skipped',
        durationMs: e.startTime && e.endTime ? e.endTime.getTime() - e.startTime.getTime() : 0
    }));
}
/** The task definition changes: blue/green always registers a new revision, even for the same content. */
function changesSection(plan) {
    const before = (0,task_definition/* taskDefinitionLabel */.$7)(plan.previousTaskDefinitionArn);
    const lines = plan.diff.length
        ? plan.diff.map((l) => `- ${l}`)
        : ['No changes: the same content is registered as a new revision.'];
    return { title: `Task definition changes (${before} → new revision)`, body: lines.join('\n') };
}
/** The steps of one blue/green run; the state they share with ecs-rolling is in `EcsRunState`. */
class BlueGreenDeploy {
    env;
    ctx;
    state;
    ref;
    activeAtPreflight = [];
    constructor(env, ctx) {
        this.env = env;
        this.ctx = ctx;
        this.state = new run_state/* EcsRunState */.W(env, ctx, { strategy: 'ecs-blue-green', changesSection });
        this.ref = {
            application: env.config.codedeployApplication,
            group: env.config.codedeployDeploymentGroup,
            region: env.config.region
        };
    }
    run() {
        return this.state.execute({
            check: (plan) => this.checkDeploymentGroup(plan),
            planned: (plan) => this.planned(plan),
            deploy: (plan) => this.deploy(plan)
        });
    }
    async deploy(preflightPlan) {
        const { config, deps } = this.env;
        const { state } = this;
        let plan = preflightPlan;
        if (this.activeAtPreflight.length > 0) {
            // The other deployment may change (or roll back) the live task definition: settle it, then plan again.
            try {
                const cleared = await this.settleActiveDeployments();
                if (cleared)
                    return state.notDeployed(cleared);
                plan = await state.preflight((p) => this.checkDeploymentGroup(p), true);
            }
            catch (error) {
                return state.notDeployed((0,error_message/* errorMessage */.g)(error));
            }
        }
        let deploymentId;
        try {
            const created = await this.registerAndCreate(plan);
            if (typeof created !== 'string')
                return state.notDeployed(created.reason);
            deploymentId = created;
        }
        catch (error) {
            return state.notDeployed((0,error_message/* errorMessage */.g)(error));
        }
        if (config.waitUntil === 'created') {
            this.ctx.journal.update({ phase: 'finished' });
            return this.succeeded(`Created deployment ${deploymentId} of ${this.after()} to ${state.label}; not waiting (wait-until: created)`);
        }
        let followed;
        try {
            followed = await deps.log.group(`Wait for deployment ${deploymentId}`, () => followDeployment(this.env.codedeploy, {
                deploymentId,
                targetId: `${plan.clusterName}:${plan.serviceName}`,
                waitUntil: config.waitUntil === 'traffic-shifted' ? 'traffic-shifted' : 'succeeded'
            }, (0,ecs_poll/* pollOptions */.Oh)(this.env, state.deadline, this.ctx.signal)));
        }
        catch (error) {
            followed = { kind: 'error', error, view: {} };
        }
        for (const phase of lifecyclePhases(followed.view))
            state.phases.add(phase);
        if (followed.kind === 'reached') {
            this.ctx.journal.update({ phase: 'finished' });
            const status = followed.view.info?.status;
            return this.succeeded(status === 'Succeeded'
                ? `Deployed ${this.after()} to ${state.label} with CodeDeploy deployment ${deploymentId}`
                : `Traffic shifted to ${this.after()} on ${state.label}; deployment ${deploymentId} is still ${status ?? 'InProgress'} until the old task set is removed`);
        }
        return this.handleFailure(deploymentId, followed);
    }
    /** Blue/green pre-flight after the service checks: the deployment group, the wait budget, active deployments. */
    async checkDeploymentGroup(plan) {
        const { config, deps, codedeploy } = this.env;
        const group = await preflightDeploymentGroup(codedeploy, config, plan, this.ctx.signal);
        checkWaitBudget(this.env, group);
        checkAppSpecAgainstTaskDefinition(buildAppSpec(this.env, plan, '<new task definition ARN>'), plan.taskDefinition);
        const active = await listActiveDeployments(codedeploy, this.ref, this.ctx.signal);
        this.activeAtPreflight = active;
        if (active.length > 0) {
            // Fail before registering anything; 'wait' and 'stop-previous' settle it before registering, then plan again.
            if (config.onActiveDeployment === 'fail')
                throw activeDeploymentError(this.ref, active);
            deps.log.info(`Active deployment in ${this.ref.application}/${this.ref.group}: ${active.join(', ')} (${constants/* Inputs */.G0.onActiveDeployment}: ${config.onActiveDeployment})`);
        }
    }
    /** Waits for (or stops) the deployments found active at pre-flight; returns why nothing can be deployed, if so. */
    async settleActiveDeployments() {
        const { config, deps, codedeploy } = this.env;
        const poll = (0,ecs_poll/* pollOptions */.Oh)(this.env, this.state.deadline, this.ctx.signal);
        const cleared = await deps.log.group(`Active deployment: ${config.onActiveDeployment}`, () => this.state.phases.run('active-deployment', () => resolveActiveDeployments(codedeploy, this.ref, config.onActiveDeployment, this.activeAtPreflight, poll)));
        if (cleared.kind === 'done')
            return undefined;
        const why = cleared.kind === 'cancelled' ? 'the job was cancelled' : `${config.timeoutMinutes} min passed`;
        return `No deployment was created: ${why} while waiting for the active deployment to end`;
    }
    async registerAndCreate(plan) {
        const { config, deps, codedeploy } = this.env;
        const { state } = this;
        const arn = await state.registerTaskDefinition(plan);
        const { content, sha256 } = renderAppSpec(buildAppSpec(this.env, plan, arn));
        deps.log.debug(`AppSpec (sha256 ${sha256}):\n${content}`);
        const poll = (0,ecs_poll/* pollOptions */.Oh)(this.env, state.deadline, this.ctx.signal);
        const created = await deps.log.group('Create deployment', () => state.phases.run('create-deployment', async () => {
            const active = await listActiveDeployments(codedeploy, this.ref, this.ctx.signal);
            const cleared = await resolveActiveDeployments(codedeploy, this.ref, config.onActiveDeployment, active, poll);
            if (cleared.kind !== 'done')
                return cleared;
            return createDeployment(codedeploy, {
                ref: this.ref,
                content,
                sha256,
                deploymentConfigName: config.deploymentConfig,
                description: deploymentDescription(config.image.ref)
            }, config.onActiveDeployment, poll);
        }));
        if (created.kind !== 'done') {
            const why = created.kind === 'cancelled' ? 'the job was cancelled' : `${config.timeoutMinutes} min passed`;
            return { reason: `No deployment was created: ${why} while waiting for the active deployment to end` };
        }
        const deploymentId = created.value;
        // Journal first: if the process dies now, the post step still knows what to stop.
        this.ctx.journal.update({ phase: 'deploying', deploymentId });
        const url = deploymentUrl(config.region, deploymentId);
        state.output('deployment-id', deploymentId);
        state.output('console-url', url);
        state.links.push({ title: `CodeDeploy deployment ${deploymentId}`, url });
        deps.log.info(`Created deployment ${deploymentId}: ${url}`);
        return deploymentId;
    }
    async handleFailure(deploymentId, followed) {
        const { config, deps } = this.env;
        const { info, target } = followed.view;
        const status = info?.status;
        const cancelled = followed.kind === 'cancelled';
        // Once cancelled, the rollback is followed without the (aborted) signal.
        const rollbackSignal = cancelled ? undefined : this.ctx.signal;
        let headline;
        const details = [];
        switch (followed.kind) {
            case 'failed':
                headline = (0,explain/* codeDeployHeadline */.v8)(deploymentId, info ?? {}, target?.lifecycleEvents ?? []);
                break;
            case 'timeout':
                headline = `Deployment ${deploymentId} did not reach '${config.waitUntil}' within ${config.timeoutMinutes} min (status ${status ?? 'unknown'})`;
                break;
            case 'cancelled':
                headline = `The job was cancelled while deployment ${deploymentId} was ${status ?? 'running'}`;
                break;
            case 'error':
                headline = (0,error_message/* errorMessage */.g)(followed.error);
                break;
        }
        const failedEvent = target?.lifecycleEvents?.find((e) => e.status === 'Failed');
        if (failedEvent?.diagnostics?.message) {
            details.push(`${failedEvent.lifecycleEventName}: ${failedEvent.diagnostics.message}`);
        }
        for (const line of info?.deploymentStatusMessages ?? [])
            details.push(line);
        if (info?.rollbackInfo?.rollbackMessage)
            details.push(`Rollback: ${info.rollbackInfo.rollbackMessage}`);
        const previousArn = this.state.plan?.previousTaskDefinitionArn;
        const rollBack = async () => {
            if (!config.rollbackOnFailure)
                return describeLeftAlone(this.env, deploymentId, status, previousArn);
            this.ctx.journal.update({ phase: 'rolling-back' });
            return deps.log.group(`Roll back deployment ${deploymentId}`, () => this.state.phases.run('rollback', () => rollBackDeployment(this.env, deploymentId, previousArn, rollbackSignal)));
        };
        return this.state.concludeFailure({ deploymentId, headline, details, cancelled, undo: rollBack });
    }
    after() {
        return (0,task_definition/* taskDefinitionLabel */.$7)(this.state.taskDefinitionArn) ?? 'the new task definition';
    }
    planned(plan) {
        const appspec = renderAppSpec(buildAppSpec(this.env, plan, '<new task definition ARN>'));
        this.state.sections.push({
            title: 'AppSpec that would be sent',
            body: ['```json', appspec.content, '```'].join('\n')
        });
        return this.state.result('planned', `Dry run: would register a new revision of ${String(plan.taskDefinition.family)} with ${this.env.config.image.ref} and deploy it to ${this.state.label} through CodeDeploy ${this.ref.application}/${this.ref.group}`, 'planned');
    }
    succeeded(text) {
        return this.state.result('succeeded', text, 'deployed');
    }
}

;// CONCATENATED MODULE: ./src/strategies/ecs-blue-green/index.ts





function createEcsBlueGreen(config, deps) {
    const env = {
        config,
        deps,
        ecs: (0,clients/* createEcsClient */.DJ)(config.region, deps),
        codedeploy: createCodeDeployClient(config.region, deps),
        intervalMs: (0,ecs_poll/* pollIntervalFrom */.z7)(deps.env)
    };
    return {
        deploy: (ctx) => new BlueGreenDeploy(env, ctx).run(),
        recover: (ctx) => recoverBlueGreen(env, ctx)
    };
}


/***/ })

};
