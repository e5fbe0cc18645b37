export const id = 936;
export const ids = [936];
export const modules = {

/***/ 3543:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   DJ: () => (/* binding */ createEcsClient),
/* harmony export */   l_: () => (/* binding */ withSignal),
/* harmony export */   m: () => (/* binding */ MAX_ATTEMPTS)
/* harmony export */ });
/* harmony import */ var _aws_sdk_client_ecs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(212);
/** The AWS clients of the ECS strategies: built here only, or taken from `deps.overrides` in tests. */

/** SDK standard retry mode: throttling, 5xx and dropped connections are retried with backoff before we see them. */
const MAX_ATTEMPTS = 5;
// Endpoints come from AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_ECS / AWS_ENDPOINT_URL_CODEDEPLOY, read by the SDK itself.
function createEcsClient(region, deps) {
    const fake = deps.overrides?.ecs;
    if (fake)
        return fake;
    return new _aws_sdk_client_ecs__WEBPACK_IMPORTED_MODULE_0__/* .ECSClient */ .Zgc({ region, maxAttempts: MAX_ATTEMPTS, retryMode: 'standard' });
}
/** Per-request options: the abort signal when there is one. */
function withSignal(signal) {
    return signal ? { abortSignal: signal } : {};
}


/***/ }),

/***/ 180:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Is: () => (/* binding */ errorName),
/* harmony export */   J4: () => (/* binding */ wrapError),
/* harmony export */   Jk: () => (/* binding */ awsMessage),
/* harmony export */   dg: () => (/* binding */ isTransient)
/* harmony export */ });
/** Sorting AWS errors: transient ones a poll loop may outlast, permanent ones that end the run at once. */
// Names the SDK's standard retry treats as throttling or transient, plus server-side faults.
const TRANSIENT_NAMES = new Set([
    'Throttling',
    'ThrottlingException',
    'ThrottledException',
    'TooManyRequestsException',
    'RequestLimitExceeded',
    'RequestThrottled',
    'RequestThrottledException',
    'SlowDown',
    'PriorRequestNotComplete',
    'LimitExceededException',
    'ServerException',
    'InternalFailure',
    'InternalError',
    'InternalServerError',
    'InternalServerException',
    'ServiceUnavailable',
    'ServiceUnavailableException',
    'RequestTimeout',
    'RequestTimeoutException',
    'TimeoutError'
]);
const NETWORK_CODES = new Set([
    'ECONNRESET',
    'ECONNREFUSED',
    'ECONNABORTED',
    'EPIPE',
    'ETIMEDOUT',
    'EAI_AGAIN',
    'ENOTFOUND',
    'ENETUNREACH',
    'EHOSTUNREACH',
    'UND_ERR_SOCKET'
]);
function shape(error) {
    return typeof error === 'object' && error !== null ? error : {};
}
/** The AWS error code (`AccessDeniedException`, `DeploymentLimitExceededException`, …) or the JS error name. */
function errorName(error) {
    return shape(error).name ?? 'Error';
}
/** `Name: message`, the way AWS reports it. */
function awsMessage(error) {
    if (!(error instanceof Error) && typeof error !== 'object')
        return String(error);
    const { name, message } = shape(error);
    if (!message)
        return name ?? String(error);
    return name && name !== 'Error' && !message.startsWith(name) ? `${name}: ${message}` : message;
}
/** Throttling, a 5xx or 429, a timeout or a dropped connection: worth another try later. Everything else is final. */
function isTransient(error) {
    const { name, code, $metadata } = shape(error);
    const status = $metadata?.httpStatusCode;
    if (status !== undefined && (status === 429 || status >= 500))
        return true;
    if (name && TRANSIENT_NAMES.has(name))
        return true;
    return Boolean(code && NETWORK_CODES.has(code)) || Boolean(name && NETWORK_CODES.has(name));
}
/** Wraps an AWS error with what we were doing, keeping the original as `cause`. */
function wrapError(action, error) {
    return new Error(`${action}: ${awsMessage(error)}`, { cause: error });
}


/***/ }),

/***/ 7040:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   BN: () => (/* binding */ preflightService),
/* harmony export */   Jv: () => (/* binding */ describeService),
/* harmony export */   S7: () => (/* binding */ deploymentStrategyOf),
/* harmony export */   VF: () => (/* binding */ isNativeStrategy),
/* harmony export */   Y6: () => (/* binding */ serviceLoadBalancer)
/* harmony export */ });
/* unused harmony exports nativeStrategyError, checkDeploymentController */
/* harmony import */ var _aws_sdk_client_ecs__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(212);
/* harmony import */ var _constants_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7242);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(180);
/* harmony import */ var _task_definition_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(9742);
/* harmony import */ var _clients_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(3543);
/* harmony import */ var _rollback_target_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(6609);
/**
 * Pre-flight for both ECS strategies: everything a user could get wrong is checked here, before anything is
 * registered or deployed — the service, its deployment controller, the task definition to register and (blue/green)
 * (blue/green, in ecs-blue-green/preflight-group.ts) the CodeDeploy deployment group.
 */






function nameFromArn(value) {
    return value.startsWith('arn:') ? value.slice(value.lastIndexOf('/') + 1) : value;
}
/** DescribeServices for one service; a missing or inactive service is an error naming cluster and service. */
async function describeService(ecs, cluster, service, signal) {
    let out;
    try {
        out = await ecs.send(new _aws_sdk_client_ecs__WEBPACK_IMPORTED_MODULE_4__/* .DescribeServicesCommand */ .H7c({ cluster, services: [service] }), (0,_clients_js__WEBPACK_IMPORTED_MODULE_5__/* .withSignal */ .l_)(signal));
    }
    catch (error) {
        if ((0,_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .errorName */ .Is)(error) === 'ClusterNotFoundException') {
            throw new Error(`Invalid '${_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Inputs */ .G0.cluster}': cluster '${cluster}' was not found`, { cause: error });
        }
        throw (0,_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .wrapError */ .J4)(`Could not describe ECS service ${cluster}/${service}`, error);
    }
    const found = out.services?.[0];
    if (!found) {
        const reason = out.failures?.[0]?.reason ?? 'MISSING';
        throw new Error(`ECS service '${service}' was not found in cluster '${cluster}' (${reason}): check the '${_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Inputs */ .G0.cluster}' and '${_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Inputs */ .G0.service}' inputs and the region`);
    }
    if (found.status !== undefined && found.status !== 'ACTIVE') {
        throw new Error(`ECS service ${cluster}/${service} is ${found.status}, not ACTIVE: it cannot be deployed`);
    }
    return found;
}
/** `deploymentConfiguration.strategy` of an ECS-controller service; ECS reports ROLLING when none was set. */
function deploymentStrategyOf(service) {
    return service.deploymentConfiguration?.strategy ?? 'ROLLING';
}
/** Whether ECS runs the service's deployments itself as blue/green, linear or canary (service deployments). */
function isNativeStrategy(service) {
    return deploymentStrategyOf(service) !== 'ROLLING';
}
/**
 * The error for an ECS-controller service whose deployments ECS runs as blue/green, linear or canary: `strategy`
 * (a rolling one) cannot deploy it (a rolling rollback would start another full blue/green deployment). Undefined
 * for ROLLING.
 */
function nativeStrategyError(service, label, strategy) {
    if (!isNativeStrategy(service))
        return undefined;
    return new Error(`ECS service ${label} uses ECS-managed ${deploymentStrategyOf(service)} deployments (deploymentConfiguration.strategy), which strategy '${strategy}' does not deploy: use strategy 'ecs-native' (or 'ecs', which picks it); nothing was changed`);
}
/** The strategy that deploys an ECS-controller service: `ecs-native` for blue/green, linear or canary. */
function ecsControllerStrategy(service) {
    return isNativeStrategy(service) ? 'ecs-native' : 'ecs-rolling';
}
/** The service's deployment controller and strategy must match the strategy; when they do not, say which fits. */
function checkDeploymentController(service, strategy, label) {
    const controller = service.deploymentController?.type ?? 'ECS';
    const wanted = strategy === 'ecs-blue-green' ? 'CODE_DEPLOY' : 'ECS';
    if (controller === wanted) {
        if (strategy === 'ecs-rolling') {
            const native = nativeStrategyError(service, label, strategy);
            if (native)
                throw native;
        }
        if (strategy === 'ecs-native' && !isNativeStrategy(service)) {
            throw new Error(`ECS service ${label} uses ROLLING deployments (deploymentConfiguration.strategy), but strategy 'ecs-native' deploys ECS-managed BLUE_GREEN, LINEAR or CANARY ones: use strategy 'ecs-rolling' (or 'ecs', which picks it); nothing was changed`);
        }
        return;
    }
    const fits = controller === 'CODE_DEPLOY'
        ? "use strategy 'ecs-blue-green'"
        : controller === 'ECS'
            ? `use strategy '${ecsControllerStrategy(service)}' (its deploymentConfiguration.strategy is ${deploymentStrategyOf(service)})`
            : 'no ECS strategy of this action can deploy it';
    throw new Error(`ECS service ${label} uses the ${controller} deployment controller, but strategy '${strategy}' needs ${wanted}: ${fits}`);
}
async function describeTaskDefinition(ecs, ref, what, signal) {
    try {
        const out = await ecs.send(new _aws_sdk_client_ecs__WEBPACK_IMPORTED_MODULE_4__/* .DescribeTaskDefinitionCommand */ .Zy$({ taskDefinition: ref, include: ['TAGS'] }), (0,_clients_js__WEBPACK_IMPORTED_MODULE_5__/* .withSignal */ .l_)(signal));
        if (!out.taskDefinition)
            throw new Error('the response holds no task definition');
        return { document: out.taskDefinition, tags: out.tags ?? [] };
    }
    catch (error) {
        throw (0,_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .wrapError */ .J4)(`Could not describe ${what} ${ref}`, error);
    }
}
/**
 * The registered revision `task-definition` or `rollback-to` names (`input`); a revision ECS does not know, or a
 * deregistered one, is an error naming the input. `found`: how a resolved `rollback-to: previous` chose it.
 */
async function describeRegisteredRevision(ecs, ref, region, signal, input = _constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Inputs */ .G0.taskDefinition, found) {
    const invalid = found
        ? (expected, got) => `The previous task definition ${ref} (${found}) cannot be rolled back to: expected ${expected}, got ${got}; name another with '${_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Inputs */ .G0.rollbackTo}: family:revision'`
        : (expected, got) => `Invalid '${input}': expected ${expected}, got '${ref}', ${got}`;
    let described;
    try {
        described = await describeTaskDefinition(ecs, ref, 'task definition', signal);
    }
    catch (error) {
        // ECS answers ClientException "Unable to describe task definition." for a revision it does not have.
        if ((0,_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .errorName */ .Is)(error.cause) !== 'ClientException')
            throw error;
        throw new Error(invalid(`a task definition registered in ${region} (family:revision or its ARN)`, 'which ECS does not have'), { cause: error });
    }
    const arn = described.document.taskDefinitionArn;
    if (typeof arn !== 'string')
        throw new Error(`ECS described task definition ${ref} without its ARN`);
    if (described.document.status === 'INACTIVE') {
        // ECS does not update a service to a deregistered revision.
        throw new Error(invalid('an ACTIVE task definition', 'which is deregistered (INACTIVE)'));
    }
    return { arn, document: (0,_task_definition_js__WEBPACK_IMPORTED_MODULE_2__/* .cleanTaskDefinition */ .IC)({ ...described.document, tags: described.tags }) };
}
/** Checks the service and builds the task definition to register (or reads the revision to deploy); registers nothing. */
async function preflightService(ecs, config, strategy, signal, previous) {
    const service = await describeService(ecs, config.cluster, config.service, signal);
    const label = `${config.cluster}/${config.service}`;
    checkDeploymentController(service, strategy, label);
    const previousTaskDefinitionArn = service.taskDefinition;
    if (!previousTaskDefinitionArn)
        throw new Error(`ECS service ${label} reports no task definition`);
    const live = await describeTaskDefinition(ecs, previousTaskDefinitionArn, "the service's task definition", signal);
    const liveTaskDefinition = (0,_task_definition_js__WEBPACK_IMPORTED_MODULE_2__/* .cleanTaskDefinition */ .IC)({ ...live.document, tags: live.tags });
    const planned = {
        cluster: config.cluster,
        clusterName: nameFromArn(service.clusterArn ?? config.cluster),
        serviceName: service.serviceName ?? nameFromArn(config.service),
        service,
        previousTaskDefinitionArn,
        liveTaskDefinition
    };
    if (config.rollbackTo) {
        let ref;
        let evidence;
        if (config.rollbackTo.kind === 'named') {
            ref = config.rollbackTo.name;
            evidence = `named by '${_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Inputs */ .G0.rollbackTo}'`;
        }
        else {
            if (!previous)
                throw new Error(`'${_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Inputs */ .G0.rollbackTo}: previous' is not supported for ${strategy}`);
            const resolved = await previous(previousTaskDefinitionArn, signal);
            if (resolved.kind === 'unknown')
                throw (0,_rollback_target_js__WEBPACK_IMPORTED_MODULE_3__/* .previousUnknownError */ .sp)(label, previousTaskDefinitionArn, resolved.reason);
            ref = resolved.taskDefinition;
            evidence = resolved.evidence;
        }
        const found = config.rollbackTo.kind === 'previous' ? evidence : undefined;
        const revision = await describeRegisteredRevision(ecs, ref, config.region, signal, _constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Inputs */ .G0.rollbackTo, found);
        return {
            ...planned,
            taskDefinition: revision.document,
            registeredArn: revision.arn,
            diff: (0,_task_definition_js__WEBPACK_IMPORTED_MODULE_2__/* .diffTaskDefinitions */ .n2)(liveTaskDefinition, revision.document),
            rollback: { evidence }
        };
    }
    if (config.taskDefinitionRevision) {
        const revision = await describeRegisteredRevision(ecs, config.taskDefinitionRevision, config.region, signal);
        return {
            ...planned,
            taskDefinition: revision.document,
            registeredArn: revision.arn,
            diff: (0,_task_definition_js__WEBPACK_IMPORTED_MODULE_2__/* .diffTaskDefinitions */ .n2)(liveTaskDefinition, revision.document)
        };
    }
    if (!config.image)
        throw new Error(`Missing '${_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Inputs */ .G0.image}': required to render a task definition`);
    const base = config.taskDefinitionDocument ? (0,_task_definition_js__WEBPACK_IMPORTED_MODULE_2__/* .cleanTaskDefinition */ .IC)(config.taskDefinitionDocument) : liveTaskDefinition;
    const { taskDefinition, containerName } = (0,_task_definition_js__WEBPACK_IMPORTED_MODULE_2__/* .renderTaskDefinition */ .P9)(base, {
        image: config.image.ref,
        containerName: config.containerName,
        environment: config.environmentVariables
    });
    return { ...planned, taskDefinition, containerName, diff: (0,_task_definition_js__WEBPACK_IMPORTED_MODULE_2__/* .diffTaskDefinitions */ .n2)(liveTaskDefinition, taskDefinition) };
}
/** The service's load balancer entry that CodeDeploy shifts (container name and port). */
function serviceLoadBalancer(service, label) {
    const lb = service.loadBalancers?.find((l) => l.containerName && l.containerPort !== undefined);
    if (!lb?.containerName || lb.containerPort === undefined) {
        throw new Error(`ECS service ${label} has no load balancer with a container name and port; CodeDeploy needs one`);
    }
    return { containerName: lb.containerName, containerPort: lb.containerPort };
}


/***/ }),

/***/ 3873:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   B9: () => (/* binding */ consoleUrl),
/* harmony export */   gE: () => (/* binding */ ecsServiceUrl),
/* harmony export */   mh: () => (/* binding */ targetReport)
/* harmony export */ });
/* harmony import */ var _task_definition_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(9742);

/** One `TargetReport` named `<cluster>/<service>`, versions as `family:revision`. */
function targetReport(facts) {
    const report = {
        name: `${facts.cluster}/${facts.service}`,
        outcome: facts.outcome,
        durationMs: facts.durationMs,
        phases: facts.phases
    };
    const before = (0,_task_definition_js__WEBPACK_IMPORTED_MODULE_0__/* .taskDefinitionLabel */ .$7)(facts.previousTaskDefinitionArn);
    const after = (0,_task_definition_js__WEBPACK_IMPORTED_MODULE_0__/* .taskDefinitionLabel */ .$7)(facts.taskDefinitionArn);
    if (before)
        report.before = before;
    if (after)
        report.after = after;
    if (facts.state)
        report.state = facts.state;
    if (facts.error)
        report.error = facts.error;
    return report;
}
/**
 * A page of the AWS console of the region's partition: China (`cn-*`) and GovCloud (`us-gov-*`) have their own
 * console domains; elsewhere the regional `console.aws.amazon.com` host. `path` starts with `/`.
 */
function consoleUrl(region, path) {
    const origin = region.startsWith('cn-')
        ? 'https://console.amazonaws.cn'
        : region.startsWith('us-gov-')
            ? 'https://console.amazonaws-us-gov.com'
            : `https://${region}.console.aws.amazon.com`;
    return `${origin}${path}${path.includes('?') ? '&' : '?'}region=${encodeURIComponent(region)}`;
}
/** The ECS console page of a service's deployments. */
function ecsServiceUrl(region, cluster, service) {
    return consoleUrl(region, `/ecs/v2/clusters/${encodeURIComponent(cluster)}/services/${encodeURIComponent(service)}/deployments`);
}


/***/ }),

/***/ 6609:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Jz: () => (/* binding */ newerRevision),
/* harmony export */   Y6: () => (/* binding */ sameRevision),
/* harmony export */   pd: () => (/* binding */ previousInstall),
/* harmony export */   sp: () => (/* binding */ previousUnknownError)
/* harmony export */ });
/* harmony import */ var _constants_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7242);
/* harmony import */ var _task_definition_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(9742);
/**
 * `rollback-to` on ECS: what "previous" resolved to, or why it could not be. Each path reads its own history
 * (ecs-rolling: ECS service deployments; ecs-blue-green: the deployment group's deployments); the revision found is
 * then deployed like a registered one named by `task-definition`.
 */


/** The error for a `previous` that cannot be determined: the reason, and what to give instead. */
function previousUnknownError(label, liveArn, reason) {
    return new Error(`Cannot roll back ${label} to its previous task definition: ${reason}. Nothing was changed; name the revision to go back to with '${_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Inputs */ .G0.rollbackTo}: family:revision' (the service runs ${(0,_task_definition_js__WEBPACK_IMPORTED_MODULE_1__/* .taskDefinitionLabel */ .$7)(liveArn) ?? liveArn})`);
}
/** Whether a `family:revision` or ARN names the same revision as `arn`. */
function sameRevision(ref, arn) {
    return (0,_task_definition_js__WEBPACK_IMPORTED_MODULE_1__/* .taskDefinitionLabel */ .$7)(ref) === (0,_task_definition_js__WEBPACK_IMPORTED_MODULE_1__/* .taskDefinitionLabel */ .$7)(arn);
}
const LABEL_RE = /^(.+):(\d+)$/;
/**
 * Whether `ref` is a later revision of the live one's family: revisions are numbered in registration order, so going
 * "back" to it would go forward, to a release the live one may have been rolled back from.
 */
function newerRevision(ref, liveArn) {
    const candidate = LABEL_RE.exec((0,_task_definition_js__WEBPACK_IMPORTED_MODULE_1__/* .taskDefinitionLabel */ .$7)(ref) ?? '');
    const live = LABEL_RE.exec((0,_task_definition_js__WEBPACK_IMPORTED_MODULE_1__/* .taskDefinitionLabel */ .$7)(liveArn) ?? '');
    return !!candidate && !!live && candidate[1] === live[1] && Number(candidate[2]) > Number(live[2]);
}
/**
 * "Previous" is what ran before the live revision was first installed, as on ssh-rolling: the newest install older
 * than the live revision's oldest listed one. Measured from the latest install instead, a rollback would make the
 * release it left "previous" again (web:42 → web:41 → web:42). A later revision of the live one's family is skipped
 * too: a history cut short (90 days, a page limit) may not list the live revision's first install. `installs`:
 * successful installs, newest first, the newest being the live revision's (the caller checks it; when none records
 * the live revision, the newest is taken as its first).
 */
function previousInstall(liveArn, installs) {
    const live = (entry) => !!entry.taskDefinition && sameRevision(entry.taskDefinition, liveArn);
    const firstIndex = Math.max(0, installs.findLastIndex(live));
    const first = installs[firstIndex];
    for (const entry of installs.slice(firstIndex + 1)) {
        if (!entry.taskDefinition)
            return { kind: 'unrecorded', entry };
        if (!newerRevision(entry.taskDefinition, liveArn)) {
            return { kind: 'found', entry, taskDefinition: entry.taskDefinition, first };
        }
    }
    return { kind: 'none', first };
}


/***/ }),

/***/ 9742:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   $7: () => (/* binding */ taskDefinitionLabel),
/* harmony export */   IC: () => (/* binding */ cleanTaskDefinition),
/* harmony export */   MR: () => (/* binding */ containerNames),
/* harmony export */   P9: () => (/* binding */ renderTaskDefinition),
/* harmony export */   e6: () => (/* binding */ selectContainer),
/* harmony export */   n2: () => (/* binding */ diffTaskDefinitions),
/* harmony export */   p7: () => (/* binding */ containerHasPort)
/* harmony export */ });
/* unused harmony exports DESCRIBE_ONLY_FIELDS, stripEmptyValues */
/* harmony import */ var _constants_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7242);

/** Fields DescribeTaskDefinition returns but RegisterTaskDefinition does not take. */
const DESCRIBE_ONLY_FIELDS = [
    'taskDefinitionArn',
    'revision',
    'status',
    'requiresAttributes',
    'compatibilities',
    'registeredAt',
    'deregisteredAt',
    'deleteRequestedAt',
    'registeredBy'
];
function isPlainObject(value) {
    return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}
function isEmptyValue(value) {
    if (value === null || value === undefined || value === '')
        return true;
    if (Array.isArray(value))
        return value.every(isEmptyValue);
    if (isPlainObject(value))
        return Object.values(value).every(isEmptyValue);
    return false;
}
/** Maps whose keys the user names and whose `""` values mean something (`dockerLabels`, log driver `options`). */
const STRING_MAPS = new Set(['dockerLabels', 'options']);
/**
 * Drops empty strings, nulls, and arrays/objects holding nothing else, at every depth; `false` and `0` stay. Kept,
 * because there `""` is a value ECS passes on: an environment variable's `value` (ECS drops an entry without one),
 * `""` items of an argument list that has other items (`command: ["sh", "-c", ""]`), and `""` values of
 * `dockerLabels` and log driver `options` (a splunk `tag` of `""`).
 */
function stripEmptyValues(value, key) {
    if (Array.isArray(value)) {
        const isArgs = value.every((v) => typeof v === 'string') && value.some((v) => v !== '');
        return (isArgs ? value : value.filter((v) => !isEmptyValue(v)).map((v) => stripEmptyValues(v)));
    }
    if (isPlainObject(value)) {
        const out = {};
        const keepEmptyStrings = key !== undefined && STRING_MAPS.has(key);
        // `{name, value: ""}` in `environment` (and `{name, value}` pairs elsewhere, e.g. ulimits have no `value`).
        const isEnvPair = typeof value.name === 'string' && value.name !== '' && value.value === '';
        for (const [k, child] of Object.entries(value)) {
            if (child === '' && (keepEmptyStrings || (isEnvPair && k === 'value')))
                out[k] = '';
            else if (!isEmptyValue(child))
                out[k] = stripEmptyValues(child, k);
        }
        return out;
    }
    return value;
}
/**
 * Turns a task definition (a file, or a described one with its tags) into RegisterTaskDefinition input: strips
 * describe-only fields and empty values. The CLI's `{taskDefinition, tags}` wrapper is refused by the
 * `task-definition` input, which says to use its `.taskDefinition` (`--query taskDefinition`).
 */
function cleanTaskDefinition(document) {
    const copy = { ...document };
    for (const field of DESCRIBE_ONLY_FIELDS)
        delete copy[field];
    return stripEmptyValues(copy);
}
function containersOf(doc) {
    const list = doc.containerDefinitions;
    return Array.isArray(list) ? list.filter(isPlainObject) : [];
}
function containerNames(doc) {
    return containersOf(doc).map((c) => String(c.name ?? ''));
}
/**
 * The container that receives the image: `containerName` when given, else the only one.
 * Errors name the input and list the containers there are.
 */
function selectContainer(doc, containerName) {
    const names = containerNames(doc);
    if (names.length === 0)
        throw new Error('The task definition has no containerDefinitions');
    const list = names.map((n) => `'${n}'`).join(', ');
    if (containerName === undefined) {
        if (names.length === 1)
            return names[0];
        throw new Error(`Missing '${_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Inputs */ .G0.containerName}': required because the task definition has ${names.length} containers (${list})`);
    }
    if (!names.includes(containerName)) {
        throw new Error(`Invalid '${_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Inputs */ .G0.containerName}': the task definition has no container '${containerName}'; its containers: ${list}`);
    }
    return containerName;
}
/**
 * A copy of `doc` with `image` in the selected container and `environment` upserted into its environment
 * (a variable of the same name is replaced where it stands; new ones are appended in the given order).
 */
function renderTaskDefinition(doc, options) {
    const containerName = selectContainer(doc, options.containerName);
    const rendered = structuredClone(doc);
    const container = containersOf(rendered).find((c) => c.name === containerName);
    container.image = options.image;
    if (options.environment.length > 0) {
        const env = [...(container.environment ?? [])];
        for (const { key, value } of options.environment) {
            const at = env.findIndex((e) => e.name === key);
            if (at >= 0)
                env[at] = { ...env[at], name: key, value };
            else
                env.push({ name: key, value });
        }
        container.environment = env;
    }
    return { taskDefinition: rendered, containerName };
}
/** Whether `containerName` exists and maps `containerPort` (what a load balancer or AppSpec needs). */
function containerHasPort(doc, containerName, containerPort) {
    const container = containersOf(doc).find((c) => c.name === containerName);
    return (container?.portMappings ?? []).some((m) => m.containerPort === containerPort);
}
/** `family:revision` from a task definition ARN (`arn:…:task-definition/web:42` → `web:42`). */
function taskDefinitionLabel(arn) {
    if (!arn)
        return undefined;
    const slash = arn.lastIndexOf('/');
    return slash >= 0 ? arn.slice(slash + 1) : arn;
}
function show(value) {
    if (value === undefined)
        return '(unset)';
    const text = JSON.stringify(value);
    return text.length > 100 ? `${text.slice(0, 97)}...` : text;
}
function sameJson(a, b) {
    return JSON.stringify(a) === JSON.stringify(b);
}
function envMap(container) {
    return new Map((container?.environment ?? []).map((e) => [String(e.name), e.value]));
}
function diffContainer(name, before, after) {
    const lines = [];
    if (before.image !== after.image)
        lines.push(`container \`${name}\` image: ${show(before.image)} → ${show(after.image)}`);
    // Names only: environment values may be sensitive and the diff goes to the job summary.
    const oldEnv = envMap(before);
    const newEnv = envMap(after);
    const added = [...newEnv.keys()].filter((k) => !oldEnv.has(k));
    const changed = [...newEnv.keys()].filter((k) => oldEnv.has(k) && oldEnv.get(k) !== newEnv.get(k));
    const removed = [...oldEnv.keys()].filter((k) => !newEnv.has(k));
    const envParts = [
        added.length ? `added ${added.join(', ')}` : '',
        changed.length ? `changed ${changed.join(', ')}` : '',
        removed.length ? `removed ${removed.join(', ')}` : ''
    ].filter(Boolean);
    if (envParts.length)
        lines.push(`container \`${name}\` environment: ${envParts.join('; ')}`);
    const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
    for (const key of [...keys].sort()) {
        if (key === 'image' || key === 'environment' || key === 'name')
            continue;
        if (!sameJson(before[key], after[key])) {
            lines.push(`container \`${name}\` ${key}: ${show(before[key])} → ${show(after[key])}`);
        }
    }
    return lines;
}
/**
 * A readable diff of two cleaned task definitions (live → new), one line per change: images, environment
 * variable names, other changed keys, containers added or removed. Empty when they are the same.
 */
function diffTaskDefinitions(before, after) {
    const lines = [];
    const oldContainers = new Map(containersOf(before).map((c) => [String(c.name), c]));
    const newContainers = new Map(containersOf(after).map((c) => [String(c.name), c]));
    for (const [name, container] of newContainers) {
        const old = oldContainers.get(name);
        if (old)
            lines.push(...diffContainer(name, old, container));
        else
            lines.push(`container \`${name}\` added (image ${show(container.image)})`);
    }
    for (const name of oldContainers.keys())
        if (!newContainers.has(name))
            lines.push(`container \`${name}\` removed`);
    const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
    for (const key of [...keys].sort()) {
        if (key === 'containerDefinitions')
            continue;
        if (!sameJson(before[key], after[key]))
            lines.push(`${key}: ${show(before[key])} → ${show(after[key])}`);
    }
    return lines;
}


/***/ })

};
