export const id = 15;
export const ids = [15];
export const modules = {

/***/ 119:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   w: () => (/* binding */ PhaseRecorder)
/* harmony export */ });
/* harmony import */ var _error_message_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(6587);

/** Records one target's phases in order and their total time. */
class PhaseRecorder {
    clock;
    list = [];
    /** The sum of the recorded phases' durations. */
    totalMs = 0;
    constructor(clock) {
        this.clock = clock;
    }
    /** Records a phase that ran elsewhere (its duration measured by the caller). */
    record(name, outcome) {
        const report = { name, ok: outcome.ok, durationMs: outcome.durationMs };
        if (outcome.exitCode !== undefined)
            report.exitCode = outcome.exitCode;
        const detail = outcome.error ?? outcome.detail;
        if (detail)
            report.detail = detail;
        this.list.push(report);
        this.totalMs += outcome.durationMs;
        return report;
    }
    /** Runs `fn` as phase `name`; the phase is recorded as failed when `fn` throws (and the error rethrown). */
    async run(name, fn) {
        const start = this.clock.now();
        try {
            const value = await fn();
            this.record(name, { ok: true, durationMs: this.clock.now() - start });
            return value;
        }
        catch (error) {
            this.record(name, { ok: false, durationMs: this.clock.now() - start, error: (0,_error_message_js__WEBPACK_IMPORTED_MODULE_0__/* .errorMessage */ .g)(error) });
            throw error;
        }
    }
}


/***/ }),

/***/ 9810:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Rv: () => (/* binding */ sleepBefore),
/* harmony export */   d8: () => (/* binding */ deadlineAfter),
/* harmony export */   g3: () => (/* binding */ pollUntil)
/* harmony export */ });
/** When `timeout-minutes` run out for something that started at `start` (clock time). */
function deadlineAfter(start, timeoutMinutes) {
    return start + timeoutMinutes * 60_000;
}
/** Sleeps `ms` on the injected clock, never past `deadline`; ends early when `signal` aborts. */
function sleepBefore(clock, ms, deadline, signal) {
    return clock.sleep(Math.max(0, Math.min(ms, deadline - clock.now())), signal);
}
/**
 * Calls `tick` now and then after each wait it asks for, until it returns a value, the deadline passes or the
 * signal aborts. The deadline is checked after each tick, so the last look happens at the deadline. An error `tick`
 * throws ends the loop.
 */
async function pollUntil(loop, tick) {
    const { clock, deadline, signal } = loop;
    for (;;) {
        if (signal?.aborted)
            return { kind: 'cancelled' };
        const step = await tick();
        if ('value' in step)
            return { kind: 'done', value: step.value };
        if (signal?.aborted)
            return { kind: 'cancelled' };
        if (clock.now() >= deadline)
            return { kind: 'timeout' };
        await sleepBefore(clock, step.waitMs, deadline, signal);
    }
}


/***/ }),

/***/ 1184:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   CN: () => (/* binding */ gatherDiagnostics),
/* harmony export */   SP: () => (/* binding */ explainFailure),
/* harmony export */   v8: () => (/* binding */ codeDeployHeadline)
/* harmony export */ });
/* unused harmony exports EXPLAIN_LIMIT, readServiceEvents, readStoppedTasks, describeStoppedTask */
/* harmony import */ var _aws_sdk_client_ecs__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(212);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(180);
/* harmony import */ var _clients_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(3543);



/** How many service events and stopped tasks an explanation shows. */
const EXPLAIN_LIMIT = 5;
/** The newest service events since `since`, newest first (DescribeServices returns them that way). */
async function readServiceEvents(ecs, cluster, service, since, signal) {
    const out = await ecs.send(new _aws_sdk_client_ecs__WEBPACK_IMPORTED_MODULE_1__/* .DescribeServicesCommand */ .H7c({ cluster, services: [service] }), (0,_clients_js__WEBPACK_IMPORTED_MODULE_2__/* .withSignal */ .l_)(signal));
    const events = out.services?.[0]?.events ?? [];
    return events.filter((e) => (e.createdAt?.getTime() ?? 0) >= since);
}
/** Tasks of the service that ran `taskDefinitionArn` and stopped at or after `since`, most recently stopped first. */
async function readStoppedTasks(ecs, cluster, service, taskDefinitionArn, since, signal) {
    const listed = await ecs.send(new _aws_sdk_client_ecs__WEBPACK_IMPORTED_MODULE_1__/* .ListTasksCommand */ .MYg({ cluster, serviceName: service, desiredStatus: 'STOPPED', maxResults: 100 }), (0,_clients_js__WEBPACK_IMPORTED_MODULE_2__/* .withSignal */ .l_)(signal));
    const arns = listed.taskArns ?? [];
    if (arns.length === 0)
        return [];
    const described = await ecs.send(new _aws_sdk_client_ecs__WEBPACK_IMPORTED_MODULE_1__/* .DescribeTasksCommand */ .z8X({ cluster, tasks: arns }), (0,_clients_js__WEBPACK_IMPORTED_MODULE_2__/* .withSignal */ .l_)(signal));
    return (described.tasks ?? [])
        .filter((t) => t.taskDefinitionArn === taskDefinitionArn && (t.stoppedAt?.getTime() ?? since) >= since)
        .sort((a, b) => (b.stoppedAt?.getTime() ?? 0) - (a.stoppedAt?.getTime() ?? 0));
}
/** Service events and stopped tasks; a read that fails becomes a note instead of an error. */
async function gatherDiagnostics(ecs, query, signal) {
    const result = { events: [], stoppedTasks: [], notes: [] };
    try {
        result.events = (await readServiceEvents(ecs, query.cluster, query.service, query.since, signal)).slice(0, EXPLAIN_LIMIT);
    }
    catch (error) {
        result.notes.push(`Could not read service events: ${(0,_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .awsMessage */ .Jk)(error)}`);
    }
    if (query.taskDefinitionArn) {
        try {
            result.stoppedTasks = (await readStoppedTasks(ecs, query.cluster, query.service, query.taskDefinitionArn, query.since, signal)).slice(0, EXPLAIN_LIMIT);
        }
        catch (error) {
            result.notes.push(`Could not read stopped tasks: ${(0,_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .awsMessage */ .Jk)(error)}`);
        }
    }
    return result;
}
/** One stopped task in one line: its stop reason, then each container that exited non-zero or has a reason. */
function describeStoppedTask(task) {
    const parts = [task.stoppedReason ?? task.stopCode ?? 'stopped'];
    for (const c of task.containers ?? []) {
        const bits = [];
        if (c.exitCode !== undefined && c.exitCode !== 0)
            bits.push(`exit code ${c.exitCode}`);
        if (c.reason)
            bits.push(c.reason);
        if (bits.length)
            parts.push(`container ${c.name ?? '?'}: ${bits.join(', ')}`);
    }
    return parts.join('; ');
}
function taskId(task) {
    return task.taskArn?.split('/').pop() ?? '?';
}
function time(date) {
    return date ? date.toISOString().replace(/\.\d{3}Z$/, 'Z') : '?';
}
/** The first line of a CodeDeploy failure: status, failed lifecycle event, error code and message. */
function codeDeployHeadline(deploymentId, info, lifecycle) {
    const verb = info.status === 'Stopped' ? 'was stopped' : 'failed';
    const failedEvent = lifecycle.find((e) => e.status === 'Failed');
    const at = failedEvent?.lifecycleEventName ? ` at ${failedEvent.lifecycleEventName}` : '';
    const error = info.errorInformation;
    const reason = error ? `: ${[error.code, error.message].filter(Boolean).join(': ')}` : '';
    return `Deployment ${deploymentId} ${verb}${at}${reason}`;
}
/** Puts the facts together: headline + first stopped task reason on one line; everything in the body and the log. */
function explainFailure(input) {
    const { headline, details = [], diagnostics } = input;
    const firstTask = diagnostics.stoppedTasks[0];
    // No trailing period: callers append to the message (`…; task stopped: …`, `…. Rolled back …`).
    const bare = headline.replace(/\.+$/, '');
    const message = (firstTask ? `${bare}; task stopped: ${describeStoppedTask(firstTask)}` : bare).replace(/\.+$/, '');
    const lines = [headline, ...details.map((d) => `  ${d}`)];
    const body = [`**${escapeMarkdown(headline)}**`, ''];
    if (details.length)
        body.push(...details.map((d) => `- ${escapeMarkdown(d)}`), '');
    if (diagnostics.stoppedTasks.length) {
        lines.push('Stopped tasks of the new task definition:');
        body.push('Stopped tasks of the new task definition:', '');
        for (const task of diagnostics.stoppedTasks) {
            const line = `${taskId(task)} (stopped ${time(task.stoppedAt)}): ${describeStoppedTask(task)}`;
            lines.push(`  ${line}`);
            body.push(`- ${escapeMarkdown(line)}`);
        }
        body.push('');
    }
    if (diagnostics.events.length) {
        lines.push('Newest service events:');
        body.push('Newest service events:', '');
        for (const event of diagnostics.events) {
            const line = `${time(event.createdAt)} ${event.message ?? ''}`;
            lines.push(`  ${line}`);
            body.push(`- ${escapeMarkdown(line)}`);
        }
        body.push('');
    }
    for (const note of diagnostics.notes) {
        lines.push(note);
        body.push(`_${escapeMarkdown(note)}_`, '');
    }
    return { message, body: body.join('\n').trimEnd(), lines };
}
function escapeMarkdown(text) {
    return text.replace(/([\\`*_[\]<>|])/g, '\\$1');
}


/***/ }),

/***/ 1259:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Uo: () => (/* binding */ runOneOffTask),
/* harmony export */   wd: () => (/* binding */ stopLeftOneOffTask)
/* harmony export */ });
/* unused harmony exports ONE_OFF_STARTED_BY, oneOffCommand, runTaskInput, oneOffLogUrl */
/* harmony import */ var _aws_sdk_client_ecs__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(212);
/* harmony import */ var _constants_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7242);
/* harmony import */ var _log_text_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(3529);
/* harmony import */ var _clients_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(3543);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(180);
/* harmony import */ var _poll_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(8602);
/* harmony import */ var _report_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(3873);
/**
 * `pre-deploy-command` on ECS: the new task definition runs once as a one-off task (RunTask) with the command as
 * the container's command, where the service runs its tasks; the deploy goes on only when that container exits 0.
 */







/** RunTask's `startedBy`: how the task is found in the console and in ListTasks. */
const ONE_OFF_STARTED_BY = 'deploy-action/pre-deploy';
/**
 * The container's command: the input is one shell command line, as on the hosts of ssh-rolling, so it runs under
 * `sh -c` (pipes, `&&`, quoting work); an image without `sh` needs its entrypoint to take the command instead.
 */
function oneOffCommand(command) {
    return ['sh', '-c', command];
}
/** RunTask's input: the service's network configuration and its capacity provider strategy or launch type. */
function runTaskInput(task) {
    const { service } = task;
    const input = {
        cluster: task.cluster,
        taskDefinition: task.taskDefinitionArn,
        count: 1,
        startedBy: ONE_OFF_STARTED_BY,
        overrides: { containerOverrides: [{ name: task.containerName, command: oneOffCommand(task.command) }] }
    };
    if (service.networkConfiguration)
        input.networkConfiguration = service.networkConfiguration;
    // A capacity provider strategy or a launch type, never both (RunTask rejects the pair).
    if (service.capacityProviderStrategy?.length)
        input.capacityProviderStrategy = service.capacityProviderStrategy;
    else if (service.launchType)
        input.launchType = service.launchType;
    if (service.platformVersion)
        input.platformVersion = service.platformVersion;
    return input;
}
/** The CloudWatch Logs console page of the container's stream, from its `awslogs` options; undefined without them. */
function oneOffLogUrl(task, taskArn) {
    const containers = task.taskDefinition.containerDefinitions ?? [];
    const container = containers.find((c) => c.name === task.containerName);
    const logging = container?.logConfiguration;
    const group = logging?.options?.['awslogs-group'];
    const prefix = logging?.options?.['awslogs-stream-prefix'];
    // Without a prefix awslogs names the stream after the container id, which the task does not report.
    if (logging?.logDriver !== 'awslogs' || !group || !prefix)
        return undefined;
    const region = logging.options?.['awslogs-region'] ?? task.region;
    const taskId = taskArn.slice(taskArn.lastIndexOf('/') + 1);
    // The console's fragment escapes twice, with `$` for `%`.
    const escape = (s) => encodeURIComponent(encodeURIComponent(s)).replace(/%/g, '$');
    const stream = `${prefix}/${task.containerName}/${taskId}`;
    return `${(0,_report_js__WEBPACK_IMPORTED_MODULE_3__/* .consoleUrl */ .B9)(region, '/cloudwatch/home')}#logsV2:log-groups/log-group/${escape(group)}/log-events/${escape(stream)}`;
}
/**
 * Runs the one-off task and waits for it to stop within the poll deadline. Resolves when the container exited 0;
 * otherwise throws one message with the exit code, the stop reason and the log link. A timeout or a cancelled job
 * stops the task first.
 */
async function runOneOffTask(ecs, task, poll, journal) {
    const { log } = poll;
    let started;
    try {
        const out = await ecs.send(new _aws_sdk_client_ecs__WEBPACK_IMPORTED_MODULE_4__/* .RunTaskCommand */ ._eD(runTaskInput(task)), (0,_clients_js__WEBPACK_IMPORTED_MODULE_5__/* .withSignal */ .l_)(poll.signal));
        started = out.tasks?.[0];
        if (!started?.taskArn) {
            const failure = out.failures?.[0];
            throw new Error(`${failure?.reason ?? 'no task started'}${failure?.detail ? ` (${failure.detail})` : ''}`);
        }
    }
    catch (error) {
        throw new Error(`Could not run the '${_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Inputs */ .G0.preDeployCommand}' task: ${(0,_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .awsMessage */ .Jk)(error)}`, { cause: error });
    }
    const taskArn = started.taskArn;
    // Journaled at once: a main step cut short leaves the post step a task to stop.
    journal.update({ oneOffTaskArn: taskArn });
    const taskId = taskArn.slice(taskArn.lastIndexOf('/') + 1);
    const logUrl = oneOffLogUrl(task, taskArn);
    log.info(`Started one-off task ${taskId} (${task.containerName}: sh -c '…')`);
    if (logUrl)
        log.info(`Logs: ${logUrl}`);
    let lastStatus = started.lastStatus;
    const outcome = await (0,_poll_js__WEBPACK_IMPORTED_MODULE_2__/* .pollUntil */ .g3)(poll, `Could not read one-off task ${taskId}`, async () => {
        const out = await ecs.send(new _aws_sdk_client_ecs__WEBPACK_IMPORTED_MODULE_4__/* .DescribeTasksCommand */ .z8X({ cluster: task.cluster, tasks: [taskArn] }));
        const current = out.tasks?.[0];
        if (!current)
            return undefined;
        if (current.lastStatus !== lastStatus)
            log.info(`One-off task ${taskId}: ${current.lastStatus ?? 'unknown'}`);
        lastStatus = current.lastStatus;
        return current.lastStatus === 'STOPPED' ? current : undefined;
    });
    const logs = logUrl ? `; logs: ${logUrl}` : '';
    if (outcome.kind !== 'done') {
        const why = outcome.kind === 'cancelled' ? 'the job was cancelled' : 'it did not stop within the timeout';
        await ecs
            .send(new _aws_sdk_client_ecs__WEBPACK_IMPORTED_MODULE_4__/* .StopTaskCommand */ .PP1({ cluster: task.cluster, task: taskArn, reason: `Deploy stopped: ${why}` }))
            .then(() => log.info(`Stopped one-off task ${taskId}`))
            .catch((error) => log.warning(`Could not stop one-off task ${taskId}: ${(0,_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .awsMessage */ .Jk)(error)}`));
        throw new Error(`One-off task ${taskId} (${_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Inputs */ .G0.preDeployCommand}) was stopped: ${why}${logs}`);
    }
    const stopped = outcome.value;
    const container = stopped.containers?.find((c) => c.name === task.containerName);
    const reason = (0,_log_text_js__WEBPACK_IMPORTED_MODULE_6__/* .toPlainLogText */ .R)(stopped.stoppedReason ?? 'no stop reason');
    if (container?.exitCode === 0) {
        log.info(`One-off task ${taskId}: '${task.containerName}' exited 0 (${reason})`);
        return;
    }
    const exit = container?.exitCode === undefined ? 'no exit code' : `exit code ${container.exitCode}`;
    const detail = container?.reason ? `, ${(0,_log_text_js__WEBPACK_IMPORTED_MODULE_6__/* .toPlainLogText */ .R)(container.reason)}` : '';
    throw new Error(`One-off task ${taskId} (${_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Inputs */ .G0.preDeployCommand}) failed: '${task.containerName}' ended with ${exit}${detail} (${reason})${logs}`);
}
/**
 * The post step: a main step cut short before the deploy may have left its one-off task running (the phase is
 * still `registered`): stop it, and the run is finished (nothing was deployed). Running this twice is safe.
 */
async function stopLeftOneOffTask(ecs, cluster, journal, log) {
    const { oneOffTaskArn: taskArn, phase } = journal.read();
    if (!taskArn || phase !== 'registered')
        return;
    const taskId = taskArn.slice(taskArn.lastIndexOf('/') + 1);
    try {
        const out = await ecs.send(new _aws_sdk_client_ecs__WEBPACK_IMPORTED_MODULE_4__/* .StopTaskCommand */ .PP1({ cluster, task: taskArn, reason: 'Deploy stopped: the main step ended' }));
        journal.update({ phase: 'finished' });
        if (out.task?.stopCode === 'UserInitiated') {
            log.warning(`Stopped one-off task ${taskId} (${_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Inputs */ .G0.preDeployCommand}), left running by the main step; nothing was deployed`);
        }
    }
    catch (error) {
        log.warning(`Could not stop one-off task ${taskId}: ${(0,_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .awsMessage */ .Jk)(error)}`);
    }
}


/***/ }),

/***/ 8602:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Oh: () => (/* binding */ pollOptions),
/* harmony export */   TY: () => (/* binding */ POST_STEP_WAIT_MS),
/* harmony export */   fG: () => (/* binding */ deadlineFromNow),
/* harmony export */   g3: () => (/* binding */ pollUntil)
/* harmony export */ });
/* unused harmony export MAX_BACKOFF_MS */
/* harmony import */ var _poll_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(9810);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(180);
/** Our own poll loop on the injected clock: fixed interval, backoff on transient errors, a deadline, cancellation. */


/**
 * How long the post step follows a rollback: GitHub force-stops the post step of a cancelled job after about
 * 5 minutes, so it stops waiting first and says what it left.
 */
const POST_STEP_WAIT_MS = 4 * 60_000;
/** Upper bound of the backoff after consecutive transient errors. */
const MAX_BACKOFF_MS = 60_000;
function pollOptions(env, deadline, signal) {
    return { clock: env.deps.clock, log: env.deps.log, intervalMs: env.intervalMs, deadline, signal };
}
/** The deadline of a phase that starts now and may take `timeout-minutes`. */
function deadlineFromNow(env) {
    return (0,_poll_js__WEBPACK_IMPORTED_MODULE_1__/* .deadlineAfter */ .d8)(env.deps.clock.now(), env.config.timeoutMinutes);
}
/**
 * Calls `tick` now and then every interval until it returns a value, the deadline passes or the signal aborts.
 * A transient error (throttling, 5xx, network) is logged and the loop backs off; any other error is thrown at once,
 * wrapped with `what` (e.g. `Could not read deployment d-1`).
 */
async function pollUntil(options, what, tick) {
    const { log, intervalMs, signal } = options;
    let failures = 0;
    return (0,_poll_js__WEBPACK_IMPORTED_MODULE_1__/* .pollUntil */ .g3)(options, async () => {
        try {
            const value = await tick();
            failures = 0;
            return value === undefined ? { waitMs: intervalMs } : { value };
        }
        catch (error) {
            if (signal?.aborted)
                return { waitMs: 0 };
            if (!(0,_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .isTransient */ .dg)(error))
                throw (0,_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .wrapError */ .J4)(what, error);
            failures++;
            log.warning(`${what}: ${(0,_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .awsMessage */ .Jk)(error)} (transient; retrying)`);
            return { waitMs: Math.min(intervalMs * 2 ** failures, Math.max(MAX_BACKOFF_MS, intervalMs)) };
        }
    });
}


/***/ }),

/***/ 1367:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   H: () => (/* binding */ recoveryResult),
/* harmony export */   l: () => (/* binding */ beginRecovery)
/* harmony export */ });
/* harmony import */ var _phases_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(119);
/* harmony import */ var _one_off_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1259);
/* harmony import */ var _report_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3873);



/**
 * Stops a one-off task left running, then reads the journal: undefined when there is no deployment (`deploymentOf`)
 * or nothing left of it to recover (finished, or only registered).
 */
async function beginRecovery(env, ctx, deploymentOf) {
    await (0,_one_off_js__WEBPACK_IMPORTED_MODULE_0__/* .stopLeftOneOffTask */ .wd)(env.ecs, env.config.cluster, ctx.journal, env.deps.log);
    const journal = ctx.journal.read();
    const id = deploymentOf(journal);
    if (!id || journal.phase === 'finished' || journal.phase === 'registered')
        return undefined;
    return { journal, id, start: env.deps.clock.now(), phases: new _phases_js__WEBPACK_IMPORTED_MODULE_2__/* .PhaseRecorder */ .w(env.deps.clock) };
}
/** The post step's result for `outcome`; a finished outcome finishes the journal (running the post again is a no-op). */
function recoveryResult(env, ctx, recovery, done) {
    const { outcome } = done;
    if (outcome.finished)
        ctx.journal.update({ phase: 'finished' });
    return {
        status: outcome.status,
        message: done.message,
        targets: [
            (0,_report_js__WEBPACK_IMPORTED_MODULE_1__/* .targetReport */ .mh)({
                cluster: env.config.cluster,
                service: env.config.service,
                previousTaskDefinitionArn: recovery.journal.previousTaskDefinitionArn,
                taskDefinitionArn: recovery.journal.taskDefinitionArn,
                outcome: outcome.outcome,
                state: outcome.summary,
                durationMs: env.deps.clock.now() - recovery.start,
                phases: recovery.phases.list
            })
        ],
        outputs: done.outputs,
        links: [done.link]
    };
}


/***/ }),

/***/ 2738:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Dv: () => (/* binding */ outcomeWithLive),
/* harmony export */   MN: () => (/* binding */ describeLeftAlone)
/* harmony export */ });
/* unused harmony exports readRunningTaskDefinitions, liveTaskDefinition, verdict */
/* harmony import */ var _aws_sdk_client_ecs__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(212);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(180);
/* harmony import */ var _preflight_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(7040);
/* harmony import */ var _task_definition_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(9742);
/** What undoing (or leaving alone) an ECS deployment came to: shared by both ECS strategies. */




/** DescribeTasks takes at most 100 tasks a call. */
const DESCRIBE_TASKS_LIMIT = 100;
/** The task definition ARN of every task of the service that ECS keeps running (desired status RUNNING). */
async function readRunningTaskDefinitions(ecs, cluster, service) {
    const arns = [];
    const pages = (0,_aws_sdk_client_ecs__WEBPACK_IMPORTED_MODULE_3__/* .paginateListTasks */ ._rc)({ client: ecs, pageSize: 100 }, { cluster, serviceName: service, desiredStatus: 'RUNNING' });
    for await (const page of pages)
        arns.push(...(page.taskArns ?? []));
    const running = [];
    for (let i = 0; i < arns.length; i += DESCRIBE_TASKS_LIMIT) {
        const tasks = arns.slice(i, i + DESCRIBE_TASKS_LIMIT);
        const out = await ecs.send(new _aws_sdk_client_ecs__WEBPACK_IMPORTED_MODULE_3__/* .DescribeTasksCommand */ .z8X({ cluster, tasks }));
        for (const task of out.tasks ?? []) {
            if (task.desiredStatus !== 'STOPPED' && task.lastStatus !== 'STOPPED')
                running.push(task.taskDefinitionArn ?? '?');
        }
    }
    return running;
}
/** `web:41 ×2, web:42 ×1`, or `none`. */
function countByRevision(arns) {
    const counts = new Map();
    for (const arn of arns)
        counts.set(arn, (counts.get(arn) ?? 0) + 1);
    const parts = [...counts].map(([arn, n]) => `${(0,_task_definition_js__WEBPACK_IMPORTED_MODULE_2__/* .taskDefinitionLabel */ .$7)(arn) ?? arn} ×${n}`);
    return parts.length ? parts.join(', ') : 'none';
}
/**
 * What runs now: the task definition the service serves with and the revisions its running tasks run, in words.
 * `arn` is set only when they agree: every running task runs the service's task definition, and at least one runs
 * unless the service (its PRIMARY task set, for CodeDeploy services) wants none. A service points at the previous
 * revision as soon as a rollback starts, its tasks only once it has worked.
 */
async function liveTaskDefinition(ecs, cluster, service) {
    let pointed;
    let desired;
    try {
        const found = await (0,_preflight_js__WEBPACK_IMPORTED_MODULE_1__/* .describeService */ .Jv)(ecs, cluster, service);
        const primary = found.taskSets?.find((t) => t.status === 'PRIMARY');
        pointed = primary?.taskDefinition ?? found.taskDefinition;
        desired = primary ? primary.computedDesiredCount : found.desiredCount;
    }
    catch (error) {
        return { text: `could not read the live task definition (${(0,_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .awsMessage */ .Jk)(error)})` };
    }
    const live = pointed
        ? `live task definition: ${(0,_task_definition_js__WEBPACK_IMPORTED_MODULE_2__/* .taskDefinitionLabel */ .$7)(pointed) ?? pointed}`
        : 'live task definition unknown';
    let running;
    try {
        running = await readRunningTaskDefinitions(ecs, cluster, service);
    }
    catch (error) {
        return { text: `${live}; could not read its running tasks (${(0,_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .awsMessage */ .Jk)(error)})` };
    }
    const wantsNone = desired === 0 && running.length === 0;
    const text = `${live}; running tasks: ${countByRevision(running)}${wantsNone ? ' (desired count 0)' : ''}`;
    if (pointed === undefined || (running.length === 0 && !wantsNone) || running.some((arn) => arn !== pointed)) {
        return { text };
    }
    return { arn: pointed, text };
}
/** Rolled back only when the previous task definition is what runs (see `liveTaskDefinition`). */
function verdict(liveArn, previousArn) {
    return liveArn !== undefined && liveArn === previousArn
        ? { status: 'rolled-back', outcome: 'rolled-back' }
        : { status: 'failed', outcome: 'failed' };
}
/**
 * The outcome once what runs is read: `summary`, then the live task definition in words. Rolled back only when
 * `undone` (the undo was seen to its end) and the previous task definition is what runs: a service points at the
 * previous revision as soon as a rollback starts, not when it has succeeded.
 */
async function outcomeWithLive(env, previousArn, summary, { finished, undone }) {
    const live = await liveTaskDefinition(env.ecs, env.config.cluster, env.config.service);
    return { ...verdict(undone ? live.arn : undefined, previousArn), summary: `${summary}; ${live.text}`, finished };
}
/**
 * Nothing is changed (`rollback-on-failure: false`, or another deployment took over): `why`, `what` state things
 * are in, and what runs. `undone` when something else (CodeDeploy's own rollback) ended the deployment.
 */
function describeLeftAlone(env, previousArn, what, { why = 'not rolled back (rollback-on-failure: false)', undone = false } = {}) {
    return outcomeWithLive(env, previousArn, `${why}: ${what}`, { finished: true, undone });
}


/***/ }),

/***/ 6989:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  W: () => (/* binding */ EcsRunState),
  M: () => (/* binding */ newRevisionChangesSection)
});

// EXTERNAL MODULE: ./src/constants.ts
var constants = __webpack_require__(7242);
// EXTERNAL MODULE: ./src/poll.ts
var poll = __webpack_require__(9810);
// EXTERNAL MODULE: ./src/strategies/ecs/explain.ts
var explain = __webpack_require__(1184);
// EXTERNAL MODULE: ./src/strategies/ecs/preflight.ts
var preflight = __webpack_require__(7040);
// EXTERNAL MODULE: ./src/strategies/ecs/report.ts
var report = __webpack_require__(3873);
// EXTERNAL MODULE: ./src/phases.ts
var phases = __webpack_require__(119);
// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-ecs/dist-cjs/index.js
var dist_cjs = __webpack_require__(212);
// EXTERNAL MODULE: ./src/strategies/ecs/errors.ts
var errors = __webpack_require__(180);
// EXTERNAL MODULE: ./src/strategies/ecs/clients.ts
var clients = __webpack_require__(3543);
;// CONCATENATED MODULE: ./src/strategies/ecs/service.ts
/** The ECS call both strategies share: register the new task definition. */



/** Registers the task definition and returns the new revision's ARN. */
async function registerTaskDefinition(ecs, taskDefinition, signal) {
    try {
        // Unknown fields are kept in the document; the SDK leaves out whatever the API does not model.
        const input = taskDefinition;
        const out = await ecs.send(new dist_cjs/* RegisterTaskDefinitionCommand */.$Hl(input), (0,clients/* withSignal */.l_)(signal));
        const arn = out.taskDefinition?.taskDefinitionArn;
        if (!arn)
            throw new Error('the response holds no task definition ARN');
        return arn;
    }
    catch (error) {
        throw (0,errors/* wrapError */.J4)(`Could not register task definition family '${String(taskDefinition.family)}'`, error);
    }
}

// EXTERNAL MODULE: ./src/strategies/ecs/task-definition.ts
var task_definition = __webpack_require__(9742);
// EXTERNAL MODULE: ./src/strategies/ecs/one-off.ts
var one_off = __webpack_require__(1259);
// EXTERNAL MODULE: ./src/strategies/ecs/poll.ts
var ecs_poll = __webpack_require__(8602);
// EXTERNAL MODULE: ./src/error-message.ts
var error_message = __webpack_require__(6587);
;// CONCATENATED MODULE: ./src/strategies/ecs/run-state.ts











/**
 * The task definition changes when a new revision is always registered (the blue/green strategies), even for the
 * same content, unless `task-definition` names a registered one.
 */
function newRevisionChangesSection(plan) {
    const before = (0,task_definition/* taskDefinitionLabel */.$7)(plan.previousTaskDefinitionArn);
    const registered = (0,task_definition/* taskDefinitionLabel */.$7)(plan.registeredArn);
    const lines = plan.diff.length
        ? plan.diff.map((l) => `- ${l}`)
        : [
            `No changes: ${registered ? `${registered} holds the live content` : 'the same content is registered as a new revision'}.`
        ];
    const after = registered ? `${registered}, as registered` : 'new revision';
    return { title: `Task definition changes (${before} → ${after})`, body: lines.join('\n') };
}
/** The state of one ECS deploy run, and the steps both ECS strategies take the same way. */
class EcsRunState {
    env;
    ctx;
    options;
    phases;
    start;
    /** When `timeout-minutes` from the start runs out. */
    deadline;
    links = [];
    sections = [];
    /** What the latest pre-flight planned. */
    plan;
    /** The task definition being deployed, once registered (or reused). */
    taskDefinitionArn;
    /** The container `pre-deploy-command` runs in, chosen at pre-flight. */
    oneOffContainer;
    outputs = {};
    constructor(env, ctx, options) {
        this.env = env;
        this.ctx = ctx;
        this.options = options;
        this.phases = new phases/* PhaseRecorder */.w(env.deps.clock);
        this.start = env.deps.clock.now();
        this.deadline = (0,poll/* deadlineAfter */.d8)(this.start, env.config.timeoutMinutes);
    }
    /** `<cluster>/<service>` as the user gave them. */
    get label() {
        return `${this.env.config.cluster}/${this.env.config.service}`;
    }
    /** Publishes an output now and keeps it for the result. */
    output(name, value) {
        this.outputs[name] = value;
        this.ctx.setOutput(name, value);
    }
    /**
     * Pre-flight → (a dry run stops here) → `steps.settle` → `steps.deploy`. A failed pre-flight, or a job
     * cancelled before anything was deployed, ends the run with nothing deployed.
     */
    async execute(steps) {
        let plan;
        try {
            plan = await this.preflight(steps.check);
        }
        catch (error) {
            return this.notDeployed((0,error_message/* errorMessage */.g)(error));
        }
        if (plan.rollback && plan.registeredArn === plan.previousTaskDefinitionArn)
            return this.alreadyLive(plan);
        if (this.env.config.dryRun) {
            const planned = steps.planned(plan);
            if (!this.env.config.preDeployCommand)
                return planned;
            return { ...planned, message: `${planned.message}, after a one-off task that runs ${constants/* Inputs */.G0.preDeployCommand}` };
        }
        if (this.ctx.signal.aborted)
            return this.notDeployed('The job was cancelled before anything was deployed');
        if (steps.settle?.needed()) {
            try {
                const blocked = await steps.settle.run();
                if (blocked)
                    return this.notDeployed(blocked);
                plan = await this.preflight(steps.check, true);
            }
            catch (error) {
                return this.notDeployed((0,error_message/* errorMessage */.g)(error));
            }
        }
        return steps.deploy(plan);
    }
    /** The pre-flight group: the service and the task definition to register, then the strategy's `check`. */
    async preflight(check, again = false) {
        const title = `Pre-flight ecs service ${this.label}${again ? ' again' : ''}`;
        return this.env.deps.log.group(title, () => this.phases.run('preflight', async () => {
            const { config, deps, ecs } = this.env;
            const plan = await (0,preflight/* preflightService */.BN)(ecs, config, this.options.strategy, this.ctx.signal, this.options.previous);
            this.plan = plan;
            this.output('previous-task-definition-arn', plan.previousTaskDefinitionArn);
            deps.log.info(`Service ${this.label}: ${plan.service.runningCount ?? 0}/${plan.service.desiredCount ?? 0} tasks running ${(0,task_definition/* taskDefinitionLabel */.$7)(plan.previousTaskDefinitionArn)}`);
            if (plan.rollback) {
                deps.log.info(`Rollback: ${this.rollbackLabel(plan)} (${plan.rollback.evidence}), deployed as registered`);
            }
            else if (plan.registeredArn) {
                deps.log.info(`Task definition ${(0,task_definition/* taskDefinitionLabel */.$7)(plan.registeredArn)}: deployed as registered`);
            }
            else {
                deps.log.info(`Image ${config.image?.ref ?? ''} → container '${plan.containerName ?? ''}'`);
            }
            for (const line of plan.diff)
                deps.log.info(`  ${line}`);
            // An ambiguous container fails here, before anything is registered.
            if (config.preDeployCommand)
                this.oneOffContainer = (0,task_definition/* selectContainer */.e6)(plan.taskDefinition, config.containerName ?? plan.containerName);
            await check(plan);
            return plan;
        }));
    }
    /**
     * The task definition to deploy: the registered revision `task-definition` named, as it is, or the planned one
     * registered in its own group.
     */
    async registerTaskDefinition(plan) {
        const { deps, ecs } = this.env;
        if (plan.registeredArn) {
            deps.log.info(`Deploying ${plan.registeredArn} as registered: no new revision`);
            this.useTaskDefinition(plan, plan.registeredArn);
            return plan.registeredArn;
        }
        const arn = await deps.log.group('Register task definition', () => this.phases.run('register', async () => {
            const registered = await registerTaskDefinition(ecs, plan.taskDefinition);
            deps.log.info(`Registered ${registered}`);
            return registered;
        }));
        this.useTaskDefinition(plan, arn);
        return arn;
    }
    /**
     * `pre-deploy-command`, when given: `arn` runs once as a one-off task; throws (nothing deployed) unless its
     * container exits 0.
     */
    async runPreDeployTask(plan, arn) {
        const { config, deps, ecs } = this.env;
        const command = config.preDeployCommand;
        if (!command || !this.oneOffContainer)
            return;
        const task = {
            cluster: config.cluster,
            region: config.region,
            service: plan.service,
            taskDefinitionArn: arn,
            taskDefinition: plan.taskDefinition,
            containerName: this.oneOffContainer,
            command
        };
        await deps.log.group(`One-off task: ${constants/* Inputs */.G0.preDeployCommand} in ${(0,task_definition/* taskDefinitionLabel */.$7)(arn) ?? arn}`, () => this.phases.run('pre-deploy-task', () => (0,one_off/* runOneOffTask */.Uo)(ecs, task, (0,ecs_poll/* pollOptions */.Oh)(this.env, this.deadline, this.ctx.signal), this.ctx.journal)));
    }
    /** From now on `arn` is the task definition being deployed: output and journal say so. */
    useTaskDefinition(plan, arn) {
        this.taskDefinitionArn = arn;
        this.output('task-definition-arn', arn);
        this.ctx.journal.update({
            phase: 'registered',
            taskDefinitionArn: arn,
            previousTaskDefinitionArn: plan.previousTaskDefinitionArn,
            startedAt: this.start
        });
    }
    /**
     * Explains why deployment `deploymentId` did not succeed (`headline`, `details`, the service's diagnostics), runs
     * `undo`, and returns the failed or rolled-back result.
     */
    async concludeFailure(failure) {
        const { config, deps, ecs } = this.env;
        const { deploymentId, headline, details, cancelled, undo } = failure;
        // On cancellation the runner allows only seconds: the rollback is started before anything else.
        const early = cancelled ? await undo() : undefined;
        const explanation = await deps.log.group(`Why deployment ${deploymentId} did not succeed`, async () => {
            const diagnostics = cancelled
                ? { events: [], stoppedTasks: [], notes: [] }
                : await (0,explain/* gatherDiagnostics */.CN)(ecs, {
                    cluster: config.cluster,
                    service: config.service,
                    taskDefinitionArn: this.taskDefinitionArn,
                    since: this.start
                });
            const explained = (0,explain/* explainFailure */.SP)({ headline, details: details ?? [], diagnostics });
            for (const line of explained.lines)
                deps.log.info(line);
            return explained;
        });
        const outcome = early ?? (await undo());
        if (outcome.finished)
            this.ctx.journal.update({ phase: 'finished' });
        this.sections.push({ title: 'Why the deployment failed', body: explanation.body });
        const text = `${explanation.message}. ${outcome.summary.charAt(0).toUpperCase()}${outcome.summary.slice(1)}`;
        return this.result(outcome.status, text, outcome.outcome, outcome.summary, explanation.message);
    }
    /** `live → target` of a rollback, as `family:revision`. */
    rollbackLabel(plan) {
        return `${(0,task_definition/* taskDefinitionLabel */.$7)(plan.previousTaskDefinitionArn) ?? '?'} → ${(0,task_definition/* taskDefinitionLabel */.$7)(plan.registeredArn) ?? '?'}`;
    }
    /**
     * `rollback-to` names the revision the service already runs: nothing to do, and nothing is done (no forced
     * redeploy), so running the same rollback twice succeeds both times.
     */
    alreadyLive(plan) {
        const live = (0,task_definition/* taskDefinitionLabel */.$7)(plan.previousTaskDefinitionArn) ?? plan.previousTaskDefinitionArn;
        this.ctx.journal.update({ phase: 'finished' });
        this.output('task-definition-arn', plan.previousTaskDefinitionArn);
        this.taskDefinitionArn = plan.previousTaskDefinitionArn;
        const text = `${this.label} already runs ${live}: nothing to roll back, nothing was changed`;
        this.env.deps.log.info(text);
        return this.result(this.env.config.dryRun ? 'planned' : 'succeeded', text, 'untouched', `already on ${live}`);
    }
    /** Nothing was deployed (pre-flight failed, the way stayed blocked, registration or creation failed). */
    notDeployed(text) {
        this.ctx.journal.update({ phase: 'finished' });
        return this.result('failed', text, 'untouched', 'nothing deployed', text);
    }
    /** The result of the run so far: one target, the outputs, links and sections, the changes section first. */
    result(status, text, outcome, state, error) {
        const plan = this.plan;
        const sections = plan ? [this.options.changesSection(plan), ...this.sections] : [...this.sections];
        let message = text;
        if (plan?.rollback) {
            sections.unshift({
                title: `Rollback (${this.rollbackLabel(plan)})`,
                body: `Rolling back from ${(0,task_definition/* taskDefinitionLabel */.$7)(plan.previousTaskDefinitionArn) ?? '?'} (live) to ${(0,task_definition/* taskDefinitionLabel */.$7)(plan.registeredArn) ?? '?'}: ${plan.rollback.evidence}.`
            });
            if (status === 'succeeded' && outcome === 'deployed') {
                const to = (0,task_definition/* taskDefinitionLabel */.$7)(plan.registeredArn) ?? '?';
                state ??= `rolled back to ${to}`;
                message = `Rolled back ${this.label} to ${to} (from ${(0,task_definition/* taskDefinitionLabel */.$7)(plan.previousTaskDefinitionArn) ?? '?'}): ${text.charAt(0).toLowerCase()}${text.slice(1)}`;
            }
        }
        return {
            status,
            message,
            targets: [
                (0,report/* targetReport */.mh)({
                    cluster: this.env.config.cluster,
                    service: this.env.config.service,
                    previousTaskDefinitionArn: plan?.previousTaskDefinitionArn,
                    taskDefinitionArn: this.taskDefinitionArn,
                    outcome,
                    state,
                    error,
                    durationMs: this.env.deps.clock.now() - this.start,
                    phases: this.phases.list
                })
            ],
            outputs: { ...this.outputs },
            links: [...this.links],
            sections
        };
    }
}


/***/ }),

/***/ 906:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   l: () => (/* binding */ verifyService)
/* harmony export */ });
/* harmony import */ var _verify_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3394);

function verifyService(deps, config, state, deploymentId, signal) {
    return deps.log.group(`Verify ${state.label}`, () => (0,_verify_js__WEBPACK_IMPORTED_MODULE_0__/* .runVerify */ .R9)(deps, config.verify, {
        vars: {
            DEPLOY_STRATEGY: config.strategy,
            DEPLOY_IMAGE: config.image?.ref ?? '',
            DEPLOY_TARGETS: `${config.cluster}/${config.service}`,
            DEPLOY_CLUSTER: config.cluster,
            DEPLOY_SERVICE: config.service,
            DEPLOY_TASK_DEFINITION_ARN: state.taskDefinitionArn ?? '',
            DEPLOY_DEPLOYMENT_ID: deploymentId
        },
        deadline: state.deadline,
        signal
    }));
}


/***/ }),

/***/ 3394:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  R9: () => (/* binding */ runVerify),
  Bb: () => (/* binding */ verifyPhase)
});

// UNUSED EXPORTS: verifyEnvironment

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
var external_node_fs_default = /*#__PURE__*/__webpack_require__.n(external_node_fs_);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
var external_node_os_default = /*#__PURE__*/__webpack_require__.n(external_node_os_);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
var external_node_path_default = /*#__PURE__*/__webpack_require__.n(external_node_path_);
;// CONCATENATED MODULE: ./src/command-runner.ts
/**
 * Runs a shell command on the runner through `@actions/exec` (imported on first use), in a process group of its own
 * so that stopping it (timeout, cancelled job) stops everything it started, not only the shell.
 */



const KILL_GRACE_MS = 3000;
// `set -m` puts the background job in a process group of its own (bash does this without a terminal, unlike dash),
// and is turned off again so no job notices reach the output; the job's pid, the group's id, goes to the file named
// by $2. The command is $1, never spliced into the script. `--norc`: bash reads ~/.bashrc when stdin is a socket,
// as Node's pipes are.
const GROUP_WRAPPER = 'set -m; bash --norc -c "$1" & set +m; echo "$!" > "$2"; wait "$!"';
function signalGroup(pidFile, signal) {
    let pid;
    try {
        pid = Number(external_node_fs_default().readFileSync(pidFile, 'utf8').trim());
    }
    catch {
        return false;
    }
    if (!Number.isInteger(pid) || pid <= 1)
        return false;
    try {
        process.kill(-pid, signal);
    }
    catch {
        // ESRCH: the group has already exited.
    }
    return true;
}
/** Stops the command's process group: SIGTERM now (once its pid is known), SIGKILL after the grace period. */
function stopGroup(pidFile, done) {
    let finished = false;
    void done.finally(() => (finished = true));
    const term = () => {
        if (finished)
            return;
        // The wrapper writes the pid right after starting the command: wait for it rather than miss it.
        if (!signalGroup(pidFile, 'SIGTERM'))
            return void setTimeout(term, 20).unref();
        setTimeout(() => finished || signalGroup(pidFile, 'SIGKILL'), KILL_GRACE_MS).unref();
    };
    term();
}
/** The real runner: `bash` through `@actions/exec`, output by lines, the process group stopped on abort. */
const execCommand = async (command, { env, onLine, signal }) => {
    const { exec } = await __webpack_require__.e(/* import() */ 260).then(__webpack_require__.bind(__webpack_require__, 1260));
    const dir = external_node_fs_default().mkdtempSync(external_node_path_default().join(external_node_os_default().tmpdir(), 'deploy-action-verify-'));
    const pidFile = external_node_path_default().join(dir, 'pid');
    try {
        const running = exec('bash', ['--norc', '-c', GROUP_WRAPPER, 'verify-command', command, pidFile], {
            env,
            silent: true,
            ignoreReturnCode: true,
            listeners: { stdline: onLine, errline: onLine }
        });
        const stop = () => stopGroup(pidFile, running);
        if (signal.aborted)
            stop();
        else
            signal.addEventListener('abort', stop, { once: true });
        try {
            return { exitCode: await running };
        }
        finally {
            signal.removeEventListener('abort', stop);
        }
    }
    finally {
        external_node_fs_default().rmSync(dir, { recursive: true, force: true });
    }
};

// EXTERNAL MODULE: ./src/duration.ts
var duration = __webpack_require__(7607);
// EXTERNAL MODULE: ./src/error-message.ts
var error_message = __webpack_require__(6587);
// EXTERNAL MODULE: ./src/log-text.ts
var log_text = __webpack_require__(3529);
;// CONCATENATED MODULE: ./src/verify.ts
/**
 * The verify gate: `verify-command` run on the runner once a target is deployed (a smoke test), with what was
 * deployed in its environment, its output in the log as plain text, bounded by `verify-timeout` and by what is left
 * of `timeout-minutes`, stopped when the job is cancelled.
 */




/** The gate as a phase of a target's report: a failure's reason is its detail. */
function verifyPhase(outcome) {
    return outcome.ok ? outcome : { ok: false, durationMs: outcome.durationMs, error: outcome.reason };
}
const LAST_LINES = 5;
const MAX_LINE = 200;
// Set by the runner for the action itself: the inputs (an SSH key, a passphrase), state, and the runner's own tokens.
const RUNNER_ONLY = /^(?:INPUT_|STATE_|ACTIONS_(?:RUNTIME_TOKEN|RUNTIME_URL|ID_TOKEN_REQUEST_TOKEN|ID_TOKEN_REQUEST_URL|RESULTS_URL|CACHE_URL)$)/i;
/**
 * The command's environment: the job's, without what the runner gives the action alone (its inputs, which hold its
 * secrets, and its tokens), plus `vars`. A secret the workflow puts in the step's `env` stays: the user chose it.
 */
function verifyEnvironment(env, vars) {
    const result = {};
    for (const [key, value] of Object.entries(env)) {
        if (value !== undefined && !RUNNER_ONLY.test(key))
            result[key] = value;
    }
    return { ...result, ...vars };
}
/** Runs the gate once; a failure's reason names the cause and the command's last output lines. */
async function runVerify(deps, verify, run) {
    const { log, clock } = deps;
    const started = clock.now();
    const left = run.deadline - started;
    const timeoutMs = Math.min(verify.timeoutMs, left);
    const timeoutText = `${(0,duration/* formatSeconds */.X)(timeoutMs)}${timeoutMs < verify.timeoutMs ? ` (what is left of timeout-minutes)` : ''}`;
    const last = [];
    const fail = (cancelled, cause) => {
        const output = last.length ? `; last output: ${last.map((l) => JSON.stringify(l)).join(' / ')}` : '';
        return { ok: false, durationMs: clock.now() - started, cancelled, reason: `verify-command ${cause}${output}` };
    };
    if (run.signal.aborted)
        return fail(true, 'not run: the job was cancelled');
    if (timeoutMs <= 0)
        return fail(false, 'not run: no time left within timeout-minutes');
    const stop = new AbortController();
    let ended;
    const onCancel = () => {
        ended ??= 'cancelled';
        stop.abort();
    };
    run.signal.addEventListener('abort', onCancel, { once: true });
    void clock.after(timeoutMs, stop.signal).then(() => {
        if (stop.signal.aborted)
            return;
        ended = 'timeout';
        stop.abort();
    });
    log.info(`Running verify-command (timeout ${timeoutText})`);
    try {
        const runCommand = deps.runCommand ?? execCommand;
        const { exitCode } = await runCommand(verify.command, {
            env: verifyEnvironment(deps.env, run.vars),
            signal: stop.signal,
            onLine: (line) => {
                const plain = (0,log_text/* toPlainLogText */.R)(line);
                log.info(`  ${plain}`);
                last.push(plain.length > MAX_LINE ? `${plain.slice(0, MAX_LINE)}…` : plain);
                if (last.length > LAST_LINES)
                    last.shift();
            }
        });
        if (ended === 'cancelled')
            return fail(true, 'stopped: the job was cancelled');
        if (ended === 'timeout')
            return fail(false, `timed out after ${(0,duration/* formatSeconds */.X)(timeoutMs)}`);
        if (exitCode !== 0)
            return fail(false, `failed with exit code ${exitCode}`);
        const durationMs = clock.now() - started;
        log.info(`verify-command passed in ${(0,duration/* formatSeconds */.X)(durationMs)}`);
        return { ok: true, durationMs };
    }
    catch (error) {
        return fail(ended === 'cancelled', `could not run: ${(0,error_message/* errorMessage */.g)(error)}`);
    }
    finally {
        run.signal.removeEventListener('abort', onCancel);
        stop.abort();
    }
}


/***/ })

};
