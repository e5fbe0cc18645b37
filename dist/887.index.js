export const id = 887;
export const ids = [887];
export const modules = {

/***/ 6887:
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
/** A well-formed deployment id that names no deployment: reading it shows the permission without reading anything. */
const PROBE_DEPLOYMENT_ID = 'd-000000000';
/**
 * The role may read deployments (`codedeploy:GetDeployment`), which following ours needs: one harmless read of the
 * group's last deployment (or of an id that does not exist), before anything changes.
 */
async function checkCanReadDeployments(codedeploy, group, signal) {
    const deploymentId = group.lastAttemptedDeployment?.deploymentId ?? PROBE_DEPLOYMENT_ID;
    try {
        await codedeploy.send(new dist_cjs/* GetDeploymentCommand */.Tvn({ deploymentId }), (0,clients/* withSignal */.l_)(signal));
    }
    catch (error) {
        if ((0,errors/* errorName */.Is)(error) === 'DeploymentDoesNotExistException')
            return;
        throw (0,errors/* wrapError */.J4)(`Cannot read CodeDeploy deployments (codedeploy:GetDeployment), which following the deployment needs; nothing was changed`, error);
    }
}

// EXTERNAL MODULE: ./src/strategies/ecs/run-state.ts + 1 modules
var run_state = __webpack_require__(6989);
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
/** The key of `object` that is `name` in any case: AppSpec keys are matched as the AWS CLI and AWS action do. */
function keyOf(object, name) {
    const wanted = name.toLowerCase();
    return Object.keys(object).find((key) => key.toLowerCase() === wanted) ?? name;
}
/** `object[name]`, with the key in any case. */
function appspec_valueOf(object, name) {
    return isObject(object) ? object[keyOf(object, name)] : undefined;
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
    const resources = appspec_valueOf(appspec, 'Resources');
    if (!Array.isArray(resources) || resources.length !== 1) {
        throw invalid('expected `Resources` to be a list with exactly one ECS service');
    }
    const resource = resources[0];
    const entries = isObject(resource) ? Object.values(resource) : [];
    const target = entries[0];
    const properties = appspec_valueOf(target, 'Properties');
    if (entries.length !== 1 || !isObject(properties)) {
        throw invalid('expected the resource to be `<Name>: {Type: AWS::ECS::Service, Properties: {...}}`');
    }
    const type = appspec_valueOf(target, 'Type');
    if (type !== undefined && type !== 'AWS::ECS::Service') {
        throw invalid(`expected resource Type AWS::ECS::Service, got '${String(type)}'`);
    }
    return properties;
}
/**
 * A copy of the user's AppSpec with `TaskDefinition` set to the new revision; nothing else is changed. Keys are
 * matched in any case (`taskDefinition` is replaced where the file has it so).
 */
function mergeAppSpec(document, taskDefinitionArn) {
    const copy = structuredClone(document);
    const version = appspec_valueOf(copy, 'version');
    if (version !== undefined && version !== 0 && version !== '0.0') {
        throw invalid(`expected version 0.0, got '${String(version)}'`);
    }
    const properties = targetProperties(copy);
    properties[keyOf(properties, 'TaskDefinition')] = taskDefinitionArn;
    const hooks = appspec_valueOf(copy, 'Hooks');
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
    const lb = appspec_valueOf(targetProperties(appspec), 'LoadBalancerInfo');
    const containerName = appspec_valueOf(lb, 'ContainerName');
    const containerPort = appspec_valueOf(lb, 'ContainerPort');
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
    const rest = Object.fromEntries(Object.entries(appspec).filter(([key]) => key.toLowerCase() !== 'version'));
    const content = JSON.stringify({ version: VERSION_MARK.slice(1, -1), ...rest }, null, 2).replace(VERSION_MARK, '0.0');
    return { content, sha256: (0,external_node_crypto_.createHash)('sha256').update(content, 'utf8').digest('hex') };
}

// EXTERNAL MODULE: ./src/duration.ts
var duration = __webpack_require__(7607);
// EXTERNAL MODULE: ./src/error-message.ts
var error_message = __webpack_require__(6587);
// EXTERNAL MODULE: ./src/strategies/ecs/poll.ts
var ecs_poll = __webpack_require__(8602);
// EXTERNAL MODULE: ./src/strategies/ecs/report.ts
var report = __webpack_require__(3873);
;// CONCATENATED MODULE: ./src/strategies/ecs-blue-green/codedeploy.ts
/**
 * CodeDeploy for ECS blue/green: handle an already active deployment, create ours, follow it with our own poll
 * loop (logging only changes), and stop it with rollback and follow the rollback.
 */









/** Statuses of a deployment that still occupies its group (`Baking` is undocumented but seen). */
const ACTIVE_STATUSES = ['Created', 'Queued', 'InProgress', 'Baking', 'Ready'];
const NOT_STARTED = ['Created', 'Queued'];
/** CreateDeployment rejects a longer description (DescriptionTooLongException). */
const DESCRIPTION_MAX = 512;
/** How many times CreateDeployment is retried after losing a race with another deployment. */
const CREATE_ATTEMPTS = 3;
function deploymentUrl(region, deploymentId) {
    return (0,report/* consoleUrl */.B9)(region, `/codesuite/codedeploy/deployments/${deploymentId}`);
}
function isTerminal(status) {
    return status === 'Succeeded' || status === 'Failed' || status === 'Stopped';
}
/** Ids of the group's deployments that are not finished. */
async function listActiveDeployments(codedeploy, ref, signal) {
    const ids = [];
    const pages = (0,dist_cjs/* paginateListDeployments */.APY)({ client: codedeploy }, { applicationName: ref.application, deploymentGroupName: ref.group, includeOnlyStatuses: ACTIVE_STATUSES }, (0,clients/* withSignal */.l_)(signal));
    for await (const page of pages)
        ids.push(...(page.deployments ?? []));
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
function clip(text, max) {
    return text.length > max ? `${text.slice(0, max - 3)}...` : text;
}
/** A new random run token (8 hex digits). */
function newRunToken() {
    return (0,external_node_crypto_.randomBytes)(4).toString('hex');
}
/** How a deployment's description starts when run `token` created it. */
function descriptionMark(token) {
    return `deploy-action run ${token}: `;
}
/** The run token, as `deploy-action run <token>: ` starts a description. */
const MARK_RE = /^deploy-action run [0-9a-f]{8}: /;
/** The task definition part of a description; task definition names hold no `;` or space. */
const TASK_DEFINITION_RE = /; task-definition ([A-Za-z0-9_-]{1,255}:[0-9]{1,9})(?:;|$)/;
/**
 * This run's mark (a deployment that carries it is ours), what is deployed (the image, or a registered revision),
 * the task definition revision it installs (read back by `rollback-to: previous`), then the commit (ref and sha) and
 * the run, each cut to a share of CodeDeploy's limit; `what` keeps all the room the others leave.
 */
function deploymentDescription(what, identity, token, taskDefinition) {
    const parts = [
        ['task-definition', taskDefinition, 300],
        ['ref', identity.ref, 100],
        ['sha', identity.sha, 64],
        ['run', identity.runUrl, 120]
    ];
    const rest = parts.flatMap(([label, value, max]) => (value ? [`; ${label} ${clip(value, max)}`] : [])).join('');
    const mark = descriptionMark(token);
    return `${mark}${clip(what, DESCRIPTION_MAX - mark.length - rest.length)}${rest}`;
}
/** The task definition (`family:revision`) a deployment this action created records; undefined for any other. */
function recordedTaskDefinition(description) {
    if (!description || !MARK_RE.test(description))
        return undefined;
    return TASK_DEFINITION_RE.exec(description)?.[1];
}
/**
 * Which of `ids` (or, without ids, of the group's active deployments) carries this run's token: a CreateDeployment
 * whose response was lost made it, and the SDK's retry then collided with it.
 */
async function findOwnDeployment(codedeploy, request, ids) {
    const mark = descriptionMark(request.token);
    for (const id of ids ?? (await listActiveDeployments(codedeploy, request.ref))) {
        const out = await codedeploy.send(new dist_cjs/* GetDeploymentCommand */.Tvn({ deploymentId: id }));
        if (out.deploymentInfo?.description?.startsWith(mark))
            return id;
    }
    return undefined;
}
function activeIdFromMessage(message) {
    return /\b(d-[A-Z0-9]+)\b/.exec(message ?? '')?.[1];
}
/**
 * CreateDeployment with the AppSpec content. When the SDK retried a call whose response was lost, the deployment
 * that call made is recognised by this run's token and adopted. When another deployment got in first
 * (DeploymentLimitExceeded), the `on-active-deployment` policy is applied to it and creation is tried again.
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
            const collided = (0,errors/* errorName */.Is)(error) === 'DeploymentLimitExceededException';
            const id = collided ? activeIdFromMessage((0,error_message/* errorMessage */.g)(error)) : undefined;
            // A lost answer leaves a collision with our own deployment or, after the last retry, a network error (whose
            // shape varies): whatever failed, a deployment with our token means a try took effect.
            const own = await findOwnDeployment(codedeploy, request, id ? [id] : undefined).catch(() => undefined);
            if (own) {
                poll.log.warning(`CreateDeployment was retried after its answer was lost (${(0,errors/* awsMessage */.Jk)(error)}); deployment ${own} carries this run's token ${request.token}: it is ours, following it`);
                return { kind: 'done', value: own };
            }
            if (!collided || attempt >= CREATE_ATTEMPTS) {
                throw (0,errors/* wrapError */.J4)(`Could not create a CodeDeploy deployment in ${ref.application}/${ref.group}`, error);
            }
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
/**
 * Production traffic is fully on the new task set and stays there: the target Succeeded, or `AfterAllowTraffic`
 * Succeeded or was Skipped. `AllowTraffic` alone is not enough: a failing AfterAllowTraffic hook still rolls back.
 * The deployment itself may still be waiting to delete blue.
 */
function trafficShifted(target) {
    if (!target)
        return false;
    if (target.status === 'Succeeded')
        return true;
    return (target.lifecycleEvents?.some((e) => e.lifecycleEventName === 'AfterAllowTraffic' && (e.status === 'Succeeded' || e.status === 'Skipped')) ?? false);
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
    return ` (${(0,duration/* formatSeconds */.X)(event.endTime.getTime() - event.startTime.getTime())})`;
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
        if (info.status === 'Ready' && request.stopAtReady)
            return 'ready';
        if (info.status === 'Succeeded')
            return 'reached';
        if (info.status === 'Failed' || info.status === 'Stopped')
            return 'failed';
        // Any status that is not an end (InProgress, the undocumented Baking) once the shift is complete.
        if (waitUntil === 'traffic-shifted' && !isTerminal(info.status) && trafficShifted(view.target)) {
            return 'reached';
        }
        return undefined;
    });
    if (outcome.kind === 'done')
        return { kind: outcome.value, view };
    return { kind: outcome.kind, view };
}
/** Lets a deployment waiting in `Ready` shift production traffic (ContinueDeployment READY_WAIT). */
async function continueDeployment(codedeploy, deploymentId, signal) {
    try {
        await codedeploy.send(new dist_cjs/* ContinueDeploymentCommand */.Md$({ deploymentId, deploymentWaitType: 'READY_WAIT' }), (0,clients/* withSignal */.l_)(signal));
    }
    catch (error) {
        throw (0,errors/* wrapError */.J4)(`Could not continue deployment ${deploymentId} (ContinueDeployment READY_WAIT)`, error);
    }
}
/** How long after the original deployment ended CodeDeploy may still name the rollback deployment it creates. */
const ROLLBACK_NAMING_GRACE_MS = 120_000;
/** Whether CodeDeploy rolls back a deployment that ended this way by itself (its own auto-rollback settings). */
function rollsBackItself(info) {
    const auto = info.autoRollbackConfiguration;
    if (!auto?.enabled)
        return false;
    const events = auto.events ?? [];
    if (info.status === 'Failed')
        return events.includes('DEPLOYMENT_FAILURE');
    return events.includes('DEPLOYMENT_STOP_ON_REQUEST') || events.includes('DEPLOYMENT_STOP_ON_ALARM');
}
/**
 * After StopDeployment(autoRollbackEnabled) or an automatic rollback: waits for the original deployment to end,
 * then for the rollback deployment named in its `rollbackInfo` (which may finish before it is ever listed).
 * CodeDeploy may name it some time after the original ended: when a rollback is due (`requested`, or the
 * deployment's own auto-rollback settings) it is waited for up to `ROLLBACK_NAMING_GRACE_MS`; otherwise, or when
 * `rollbackInfo` says why there is none, there is no rollback deployment.
 */
async function followRollback(codedeploy, deploymentId, poll, requested) {
    const { clock, log, signal } = poll;
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
        if (rollbackMessage || !(requested || rollsBackItself(info)))
            return { id: undefined };
        if (endedAt === undefined) {
            endedAt = clock.now();
            log.info(`Deployment ${deploymentId} ended ${info.status ?? ''}; waiting for CodeDeploy to name its rollback`);
        }
        return clock.now() - endedAt >= ROLLBACK_NAMING_GRACE_MS ? { id: undefined } : undefined;
    });
    if (found.kind !== 'done')
        return { kind: found.kind, ...(rollbackMessage ? { rollbackMessage } : {}) };
    const rollbackId = found.value.id;
    if (!rollbackId) {
        const why = rollbackMessage ??
            (endedAt === undefined ? undefined : `none named within ${ROLLBACK_NAMING_GRACE_MS / 60_000} min of the end`);
        return { kind: 'done', ...(why ? { rollbackMessage: why } : {}) };
    }
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

// EXTERNAL MODULE: ./src/strategies/ecs/recover.ts
var recover = __webpack_require__(1367);
// EXTERNAL MODULE: ./src/strategies/ecs/rollback-outcome.ts
var rollback_outcome = __webpack_require__(2738);
;// CONCATENATED MODULE: ./src/strategies/ecs-blue-green/rollback.ts
/**
 * Rolling back a CodeDeploy deployment (StopDeployment with rollback, then following the rollback) and saying
 * which task definition is live afterwards; also the post step's recovery of a cut-short run.
 */






/**
 * StopDeployment(autoRollbackEnabled) — a deployment CodeDeploy already ended (and maybe rolled back itself) is
 * fine — then follows the rollback to its end (or the deadline) and reads the live task definition.
 */
async function rollBackDeployment(env, request) {
    const { log } = env.deps;
    const { deploymentId, previousArn, signal } = request;
    let requested = request.alreadyRequested ?? false;
    try {
        const stopped = await stopDeployment(env.codedeploy, deploymentId);
        requested ||= stopped;
        log.info(stopped
            ? `Stopped deployment ${deploymentId} with rollback`
            : `Deployment ${deploymentId} had already ended; following CodeDeploy's own rollback, if any`);
    }
    catch (error) {
        const summary = `could not stop deployment ${deploymentId} (${(0,error_message/* errorMessage */.g)(error)})`;
        return (0,rollback_outcome/* outcomeWithLive */.Dv)(env, previousArn, summary, { finished: true, undone: true });
    }
    let summary;
    let finished = true;
    let confirmed = true;
    /** A rollback deployment that ended other than Succeeded undid nothing we can vouch for. */
    let rollbackSucceeded = true;
    try {
        const poll = (0,ecs_poll/* pollOptions */.Oh)(env, request.deadline, signal);
        const rollback = await followRollback(env.codedeploy, deploymentId, poll, requested);
        const id = rollback.rollbackDeploymentId;
        if (rollback.kind !== 'done') {
            finished = false;
            const why = rollback.kind === 'timeout' ? 'no longer waited for' : 'cancelled';
            summary = id
                ? `rollback deployment ${id} is still ${rollback.rollbackStatus ?? 'running'} (${why}; see ${deploymentUrl(env.config.region, id)})`
                : `the rollback of ${deploymentId} had not started (${why}; see ${deploymentUrl(env.config.region, deploymentId)})`;
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
    // "Rolled back" only when the rollback was seen to its end and the previous task definition is live.
    const undone = finished && confirmed && rollbackSucceeded;
    return (0,rollback_outcome/* outcomeWithLive */.Dv)(env, previousArn, summary, { finished, undone });
}
/** With `rollback-on-failure: false`: nothing is changed; says what state the deployment and the service are in. */
function describeDeploymentLeftAlone(env, deploymentId, status, previousArn) {
    const ended = isTerminal(status);
    const still = ended ? `is ${status}` : `is left ${status ?? 'running'}`;
    // A deployment still running is not rolled back, whatever serves traffic at this moment.
    return (0,rollback_outcome/* describeLeftAlone */.MN)(env, previousArn, `deployment ${deploymentId} ${still}`, { undone: ended });
}
/**
 * The post step: when the main step was cut short after creating a deployment that had not finished, stop it with
 * rollback and follow the rollback. Idempotent: a finished journal, or a deployment that succeeded, means nothing to do.
 */
async function recoverBlueGreen(env, ctx) {
    const recovery = await (0,recover/* beginRecovery */.l)(env, ctx, (j) => j.deploymentId);
    if (!recovery)
        return undefined;
    const { journal, id: deploymentId, start, phases } = recovery;
    const { log } = env.deps;
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
        result = await log.group(`Roll back deployment ${deploymentId}`, () => phases.run('rollback', () => rollBackDeployment(env, {
            deploymentId,
            previousArn: journal.previousTaskDefinitionArn,
            signal: ctx.signal,
            deadline: start + ecs_poll/* POST_STEP_WAIT_MS */.TY,
            alreadyRequested: journal.phase === 'rolling-back'
        })));
    }
    else {
        result = await describeDeploymentLeftAlone(env, deploymentId, status, journal.previousTaskDefinitionArn);
    }
    const left = result.finished ? '' : ` (the post step waits at most ${ecs_poll/* POST_STEP_WAIT_MS */.TY / 60_000} min)`;
    const url = deploymentUrl(env.config.region, deploymentId);
    return (0,recover/* recoveryResult */.H)(env, ctx, recovery, {
        outcome: result,
        message: `The main step ended while deployment ${deploymentId} was ${status ?? 'running'}: ${result.summary}${left}`,
        outputs: { 'deployment-id': deploymentId, 'console-url': url },
        link: { title: `CodeDeploy deployment ${deploymentId}`, url }
    });
}

// EXTERNAL MODULE: ./src/verify.ts + 1 modules
var src_verify = __webpack_require__(3394);
// EXTERNAL MODULE: ./src/strategies/ecs/verify.ts
var ecs_verify = __webpack_require__(906);
// EXTERNAL MODULE: ./src/strategies/ecs/rollback-target.ts
var rollback_target = __webpack_require__(6609);
;// CONCATENATED MODULE: ./src/strategies/ecs-blue-green/history.ts
/**
 * `rollback-to: previous` for the CODE_DEPLOY controller, from the deployment group's history. The service's task
 * definition changes only through the group's deployments, so the newest Succeeded one installed the live revision,
 * and the one before the first that installed it installed the previous revision. What a deployment installed cannot
 * be read back from CodeDeploy: GetDeployment returns the AppSpec's sha256 but never its content (AWS-API.md §4), and the
 * deployment target names task sets, not task definitions, whose task sets ECS deletes after the deployment. So the
 * action records the revision in the description of every deployment it creates (`…; task-definition web:42; …`), and
 * reads it back here. A deployment without that record (made by another tool, or by a version of the action before it)
 * leaves "previous" unknown, and the run refuses and asks for a named revision.
 */







/** The most deployments read with GetDeployment before giving up. */
const HISTORY_LIMIT = 100;
/** ListDeployments' order is not documented: it is read by creation-time windows, widened until the answer is in. */
const WINDOW_DAYS = [7, 30, 90, 365];
const DAY_MS = 86_400_000;
/**
 * `deployments`: every Succeeded deployment created since some time, newest first. "Previous" is what the group
 * installed before it first installed the live revision (see `previousInstall`), so a rollback deployment this action
 * made (`rollback to web:41 (from web:42)`) does not make the release it left "previous" again. A rollback deployment
 * of CodeDeploy's own (creator `codeDeployRollback`) restored what ran before a failed deployment, so it changes
 * nothing here.
 */
function previousFromGroupDeployments(liveArn, deployments) {
    const installs = deployments
        .filter((d) => d.creator !== 'codeDeployRollback')
        .map((d) => ({ id: d.id, taskDefinition: recordedTaskDefinition(d.description) }));
    const latest = installs[0];
    if (!latest)
        return { kind: 'older' };
    if (latest.taskDefinition && !(0,rollback_target/* sameRevision */.Y6)(latest.taskDefinition, liveArn)) {
        return {
            kind: 'unknown',
            reason: `the group's latest successful deployment ${latest.id} installed ${latest.taskDefinition}, not the live revision (a deployment may be in progress)`
        };
    }
    const step = (0,rollback_target/* previousInstall */.pd)(liveArn, installs);
    switch (step.kind) {
        case 'unrecorded':
            return {
                kind: 'unknown',
                reason: `deployment ${step.entry.id}, the one before the live revision's, does not record its task definition (CodeDeploy does not return a deployment's AppSpec; this action records the revision in the descriptions of the deployments it creates)`
            };
        case 'found':
            return {
                kind: 'found',
                taskDefinition: step.taskDefinition,
                evidence: `deployment ${step.entry.id} (Succeeded) installed it before ${step.first.id} installed ${(0,task_definition/* taskDefinitionLabel */.$7)(liveArn) ?? liveArn}`
            };
        case 'none':
            return { kind: 'older' };
    }
}
/** BatchGetDeployments takes at most 25 ids a call. */
const BATCH_GET_LIMIT = 25;
/** Reads the group's Succeeded deployments, newest windows first, and resolves "previous" from them. */
async function previousFromGroupHistory(codedeploy, ref, liveArn, now, signal) {
    const read = new Map();
    try {
        for (const days of [...WINDOW_DAYS, undefined]) {
            const range = days === undefined ? {} : { createTimeRange: { start: new Date(now - days * DAY_MS) } };
            const pages = (0,dist_cjs/* paginateListDeployments */.APY)({ client: codedeploy }, {
                applicationName: ref.application,
                deploymentGroupName: ref.group,
                includeOnlyStatuses: ['Succeeded'],
                ...range
            }, (0,clients/* withSignal */.l_)(signal));
            for await (const page of pages) {
                const unread = (page.deployments ?? []).filter((id) => !read.has(id));
                if (read.size + unread.length > HISTORY_LIMIT) {
                    return {
                        kind: 'unknown',
                        reason: `the ${HISTORY_LIMIT} newest successful deployments of ${ref.application}/${ref.group} do not show it`
                    };
                }
                for (let i = 0; i < unread.length; i += BATCH_GET_LIMIT) {
                    const deploymentIds = unread.slice(i, i + BATCH_GET_LIMIT);
                    const out = await codedeploy.send(new dist_cjs/* BatchGetDeploymentsCommand */.ARk({ deploymentIds }), (0,clients/* withSignal */.l_)(signal));
                    for (const info of out.deploymentsInfo ?? []) {
                        if (!info.deploymentId)
                            continue;
                        read.set(info.deploymentId, {
                            id: info.deploymentId,
                            createTime: info.createTime?.getTime() ?? 0,
                            creator: info.creator,
                            description: info.description
                        });
                    }
                }
            }
            const newestFirst = [...read.values()].sort((a, b) => b.createTime - a.createTime);
            const step = previousFromGroupDeployments(liveArn, newestFirst);
            if (step.kind !== 'older')
                return step;
        }
    }
    catch (error) {
        const name = (0,errors/* errorName */.Is)(error);
        if (name === 'ApplicationDoesNotExistException' || name === 'DeploymentGroupDoesNotExistException') {
            throw new Error(`CodeDeploy deployment group '${ref.group}' of application '${ref.application}' was not found (${name}): check the '${constants/* Inputs */.G0.codedeployApplication}' and '${constants/* Inputs */.G0.codedeployDeploymentGroup}' inputs`, { cause: error });
        }
        throw (0,errors/* wrapError */.J4)(`Could not read the deployments of ${ref.application}/${ref.group}`, error);
    }
    return {
        kind: 'unknown',
        reason: read.size === 0
            ? `deployment group ${ref.application}/${ref.group} has no successful deployment`
            : `deployment group ${ref.application}/${ref.group} has no successful deployment of another revision before the live one`
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
        deps.log.warning(`'${constants/* Inputs */.G0.waitUntil}: succeeded' waits for the group's ready wait and termination wait (${needed} min in all), longer than '${constants/* Inputs */.G0.timeoutMinutes}' (${config.timeoutMinutes} min): the step would time out (before the traffic shift that rolls back; in the termination wait the step reports the shift and ends first). Raise the timeout or use '${constants/* Inputs */.G0.waitUntil}: traffic-shifted'.`);
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
/** The steps of one blue/green run; the state they share with ecs-rolling is in `EcsRunState`. */
class BlueGreenDeploy {
    env;
    ctx;
    state;
    ref;
    activeAtPreflight = [];
    /** Marks this run's deployment (in its description), to recognise it after a retried CreateDeployment. */
    token = newRunToken();
    /** The verify gate ran (in Ready): it does not run again once the deployment is followed to its end. */
    verified = false;
    constructor(env, ctx) {
        this.env = env;
        this.ctx = ctx;
        const ref = {
            application: env.config.codedeployApplication,
            group: env.config.codedeployDeploymentGroup,
            region: env.config.region
        };
        this.ref = ref;
        this.state = new run_state/* EcsRunState */.W(env, ctx, {
            strategy: 'ecs-blue-green',
            changesSection: run_state/* newRevisionChangesSection */.M,
            previous: (liveArn, signal) => previousFromGroupHistory(env.codedeploy, ref, liveArn, env.deps.clock.now(), signal)
        });
    }
    run() {
        return this.state.execute({
            check: (plan) => this.checkDeploymentGroup(plan),
            planned: (plan) => this.planned(plan),
            deploy: (plan) => this.deploy(plan),
            settle: { needed: () => this.activeAtPreflight.length > 0, run: () => this.settleActiveDeployments() }
        });
    }
    async deploy(plan) {
        const { config, deps } = this.env;
        const { state } = this;
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
        const follow = (stopAtReady) => deps.log.group(`Wait for deployment ${deploymentId}`, () => followDeployment(this.env.codedeploy, {
            deploymentId,
            targetId: `${plan.clusterName}:${plan.serviceName}`,
            waitUntil: config.waitUntil === 'traffic-shifted' ? 'traffic-shifted' : 'succeeded',
            stopAtReady
        }, (0,ecs_poll/* pollOptions */.Oh)(this.env, state.deadline, this.ctx.signal)));
        let followed;
        try {
            followed = await follow(config.verify !== undefined);
            if (followed.kind === 'ready')
                followed = await this.gateAtReady(deploymentId, followed.view, follow);
        }
        catch (error) {
            followed = { kind: 'error', error };
        }
        if (followed.kind === 'error')
            return this.lostSight(deploymentId, followed.error);
        for (const phase of lifecyclePhases(followed.view))
            state.phases.record(phase.name, phase);
        if (followed.kind === 'reached' && config.verify && !this.verified) {
            const gate = await this.verify(deploymentId);
            if (!gate.ok)
                return this.failedAfterShift(deploymentId, gate.reason);
        }
        if (followed.kind === 'reached') {
            this.ctx.journal.update({ phase: 'finished' });
            const status = followed.view.info?.status;
            return this.succeeded(status === 'Succeeded'
                ? `Deployed ${this.after()} to ${state.label} with CodeDeploy deployment ${deploymentId}`
                : `Traffic shifted to ${this.after()} on ${state.label}; deployment ${deploymentId} is still ${status ?? 'InProgress'} until the old task set is removed`);
        }
        const status = followed.view.info?.status;
        if (followed.kind === 'timeout' && trafficShifted(followed.view.target) && !isTerminal(status)) {
            return this.shiftedButUnfinished(deploymentId, status);
        }
        return this.handleFailure(deploymentId, followed);
    }
    /**
     * The deployment waits in Ready (test traffic only): the gate decides. Passed: ContinueDeployment shifts
     * production traffic and following goes on. Failed: handled as a failed deployment (stopped with rollback).
     */
    async gateAtReady(deploymentId, view, follow) {
        const { deps, codedeploy } = this.env;
        const gate = await this.verify(deploymentId);
        if (!gate.ok)
            return { kind: 'gate-failed', view, reason: gate.reason, cancelled: gate.cancelled };
        try {
            await deps.log.group(`Continue deployment ${deploymentId}`, () => this.state.phases.run('continue-deployment', () => continueDeployment(codedeploy, deploymentId, this.ctx.signal)));
        }
        catch (error) {
            return { kind: 'gate-failed', view, reason: (0,error_message/* errorMessage */.g)(error), cancelled: this.ctx.signal.aborted };
        }
        return follow(false);
    }
    /** Runs the verify gate against the new task set (in Ready: through the test listener; else: in production). */
    async verify(deploymentId) {
        const { config, deps } = this.env;
        const verify = config.verify;
        if (!verify)
            return { ok: true, durationMs: 0 };
        this.verified = true;
        const outcome = await (0,ecs_verify/* verifyService */.l)(deps, { ...config, verify }, this.state, deploymentId, this.ctx.signal);
        this.state.phases.record('verify', (0,src_verify/* verifyPhase */.Bb)(outcome));
        return outcome;
    }
    /**
     * The gate failed once production traffic was on the new task set (the group does not stop at Ready): CodeDeploy
     * can no longer roll the finished shift back, so the new revision stays and the step fails saying so.
     */
    failedAfterShift(deploymentId, reason) {
        this.ctx.journal.update({ phase: 'finished' });
        const previous = (0,task_definition/* taskDefinitionLabel */.$7)(this.state.plan?.previousTaskDefinitionArn) ?? 'the previous revision';
        const text = `Deployment ${deploymentId} shifted production traffic to ${this.after()} on ${this.state.label}, but ${reason}. Not rolled back: the traffic had already shifted (a deployment group with the ready option STOP_DEPLOYMENT runs the gate before it); to go back, deploy ${previous}`;
        return this.state.result('failed', text, 'failed', `running ${this.after()}, verify-command failed`, reason);
    }
    /**
     * Following stopped on an error that is not transient (e.g. AccessDenied on GetDeployment): the deployment may
     * be healthy, so it is neither stopped nor rolled back (and the post step leaves it too); says how to see it.
     */
    lostSight(deploymentId, error) {
        const { config } = this.env;
        this.ctx.journal.update({ phase: 'finished' });
        const text = `${(0,error_message/* errorMessage */.g)(error)}. Deployment ${deploymentId} was left running, neither stopped nor rolled back (it may be healthy); see its state at ${deploymentUrl(config.region, deploymentId)} or with 'aws deploy get-deployment --deployment-id ${deploymentId} --region ${config.region}'`;
        return this.state.result('failed', text, 'failed', `deployment ${deploymentId} left running, state unknown`, text);
    }
    /**
     * The deadline passed in the termination wait: production traffic is fully on the new task set and its hooks
     * passed, so nothing is rolled back; CodeDeploy deletes the original task set when the group's wait ends.
     */
    shiftedButUnfinished(deploymentId, status) {
        const { config, deps } = this.env;
        this.ctx.journal.update({ phase: 'finished' });
        deps.log.warning(`Deployment ${deploymentId} did not finish within ${config.timeoutMinutes} min, but production traffic had fully shifted to the new task set: not rolled back`);
        return this.succeeded(`Traffic shifted to ${this.after()} on ${this.state.label}; deployment ${deploymentId} is still ${status ?? 'InProgress'} after ${config.timeoutMinutes} min: the original task set is not terminated yet (the group's termination wait); not rolled back`);
    }
    /** Blue/green pre-flight after the service checks: the deployment group, the wait budget, active deployments. */
    async checkDeploymentGroup(plan) {
        const { config, deps, codedeploy } = this.env;
        const group = await preflightDeploymentGroup(codedeploy, config, plan, this.ctx.signal);
        await checkCanReadDeployments(codedeploy, group, this.ctx.signal);
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
        await state.runPreDeployTask(plan, arn);
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
                description: deploymentDescription(plan.rollback
                    ? `rollback to ${(0,task_definition/* taskDefinitionLabel */.$7)(arn) ?? arn} (from ${(0,task_definition/* taskDefinitionLabel */.$7)(plan.previousTaskDefinitionArn) ?? '?'})`
                    : (config.image?.ref ?? (0,task_definition/* taskDefinitionLabel */.$7)(arn) ?? arn), deps.identity, this.token, (0,task_definition/* taskDefinitionLabel */.$7)(arn)),
                token: this.token
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
        const cancelled = followed.kind === 'cancelled' || (followed.kind === 'gate-failed' && followed.cancelled);
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
            case 'ready':
            case 'gate-failed':
                headline = `Deployment ${deploymentId} stopped in Ready, before production traffic moved: ${followed.kind === 'gate-failed' ? followed.reason : 'not continued'}`;
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
                return describeDeploymentLeftAlone(this.env, deploymentId, status, previousArn);
            this.ctx.journal.update({ phase: 'rolling-back' });
            return deps.log.group(`Roll back deployment ${deploymentId}`, () => this.state.phases.run('rollback', () => rollBackDeployment(this.env, {
                deploymentId,
                previousArn,
                signal: rollbackSignal,
                deadline: (0,ecs_poll/* deadlineFromNow */.fG)(this.env)
            })));
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
        const what = plan.rollback
            ? `roll back, ${this.state.rollbackLabel(plan)} (${plan.rollback.evidence}), by deploying ${(0,task_definition/* taskDefinitionLabel */.$7)(plan.registeredArn)} as registered`
            : plan.registeredArn
                ? `deploy ${(0,task_definition/* taskDefinitionLabel */.$7)(plan.registeredArn)} as registered`
                : `register a new revision of ${String(plan.taskDefinition.family)} with ${this.env.config.image?.ref ?? ''} and deploy it`;
        return this.state.result('planned', `Dry run: would ${what} to ${this.state.label} through CodeDeploy ${this.ref.application}/${this.ref.group}`, 'planned');
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
        intervalMs: config.pollIntervalMs
    };
    return {
        deploy: (ctx) => new BlueGreenDeploy(env, ctx).run(),
        recover: (ctx) => recoverBlueGreen(env, ctx)
    };
}


/***/ })

};
