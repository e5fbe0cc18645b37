export const id = 975;
export const ids = [975];
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

/***/ 9975:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  createSshRolling: () => (/* binding */ createSshRolling)
});

// UNUSED EXPORTS: fetchHttpGet

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: ./src/poll.ts
var src_poll = __webpack_require__(9810);
;// CONCATENATED MODULE: ./src/strategies/ssh-rolling/limits.ts
/** Fixed limits of the ssh-rolling strategy (not inputs: sensible for every fleet). */
/** Pre-flight fails below this much free space on app-dir's filesystem (a pull needs room). */
const MIN_FREE_DISK_BYTES = 1024 ** 3;
/** How often a held deploy lock is tried again while waiting for it. */
const LOCK_POLL_MS = 5_000;
/**
 * A deploy lock expires this long after its last renewal, by the host's clock. When the main step is killed, the
 * post step starts right after and is itself killed after ~5 minutes: the lock, renewed at most LOCK_RENEW_MS
 * before the kill, is still this run's for at least 9 minutes, so the post step's rollback finds it its own. A run
 * that vanishes without a post step blocks the host for at most this long.
 */
const LOCK_TTL_SECONDS = 10 * 60;
/** How often a held lock is renewed (well inside LOCK_TTL_SECONDS: nine renewals can fail before it expires). */
const LOCK_RENEW_MS = 60_000;
/** Hosts checked at once in pre-flight (a jump host's sshd throttles parallel handshakes, MaxStartups 10). */
const PREFLIGHT_CONCURRENCY = 8;
const SSH_READY_TIMEOUT_MS = 20_000;
/**
 * Keepalive: a server that answers nothing for up to interval × count (6 s: a busy host, a slow link) is still
 * there; a cut link is noticed after (count + 1) × interval (8 s), and an exec then ends with no exit code.
 */
const SSH_KEEPALIVE_INTERVAL_MS = 2_000;
const SSH_KEEPALIVE_COUNT_MAX = 3;
/** Waits before connection attempts 2 and 3. Connection setup is retried; deploy commands never are. */
const SSH_RETRY_DELAYS_MS = [2_000, 5_000];
/** Budget of each rollback step and of a whole host's rollback health gate, independent of the deploy deadline. */
const ROLLBACK_STEP_TIMEOUT_MS = 5 * 60_000;
/** One look at the containers (compose v1 alone takes ~1 s to start). */
const CONTAINER_PROBE_TIMEOUT_MS = 60_000;
/** Small bookkeeping steps: lock, unlock, audit, diagnostics. */
const SHORT_STEP_TIMEOUT_MS = 60_000;
/** How long a stopped phase's process group gets after TERM before KILL, in the stop script's 0.2 s naps (10 s). */
const STOP_TERM_NAPS = 50;
/** The whole stop round trip: TERM's wait, KILL's 5 s, and the connection. */
const STOP_TIMEOUT_MS = 30_000;
/** What one phase may print on one stream to the job log; the rest is counted, not shown. */
const PHASE_LOG_MAX_BYTES = 1024 ** 2;
/** A longer line is shown in pieces of this many characters, so a stream without line breaks stays bounded. */
const LOG_LINE_MAX_CHARS = 16 * 1024;
/** The end of each stream a phase keeps for its result line and failure details. */
const EXEC_TAIL_MAX_CHARS = 256 * 1024;
/** A phase printing more than this (stdout and stderr together) is stopped: a runaway command, not a deploy step. */
const PHASE_OUTPUT_MAX_BYTES = 64 * 1024 ** 2;

// EXTERNAL MODULE: ./src/log-text.ts
var log_text = __webpack_require__(3529);
;// CONCATENATED MODULE: ./src/strategies/ssh-rolling/shell.ts
/**
 * The remote script protocol, shared by the real SSH session and the local test runner:
 * command line `sh -s -- '<arg>'…`, stdin = optional input prologue + script, last stdout line `@@RESULT {json}`.
 */
/** Quotes one value as a single POSIX shell word: `'…'`, with each `'` written as `'\''`. */
function shellQuote(value) {
    if (value.includes('\0'))
        throw new Error('A shell argument cannot contain a NUL byte');
    return `'${value.replace(/'/g, `'\\''`)}'`;
}
/** The command line for a phase: the script comes on stdin; only harmless arguments appear here (and in `ps`). */
function remoteCommand(args) {
    return ['sh', '-s', '--', ...args.map(shellQuote)].join(' ');
}
/** The shell variable that carries secret input (env values) to a script: set on stdin, never on a command line. */
const INPUT_VARIABLE = 'DEPLOY_INPUT';
/** The shell variable that names the run a supervised phase belongs to (its records in `.deploy/run/<run>/`). */
const RUN_VARIABLE = 'DEPLOY_RUN';
/**
 * The text sent on stdin. Input travels as a first line `DEPLOY_INPUT='…'` rather than as a second stdin section:
 * dash and busybox sh read their script ahead in blocks, so a script cannot `read` what follows it on stdin.
 * The variable is not exported, so it reaches neither a child's argv nor its environment. With `runId`, the phase
 * is supervised (lib.sh `supervise`): the sender keeps stdin open until the phase ends.
 */
function remoteStdin(script, input, runId) {
    const run = runId === undefined ? '' : `${RUN_VARIABLE}=${shellQuote(runId)}\n`;
    const prologue = input === undefined ? '' : `${INPUT_VARIABLE}=${shellQuote(input)}\n`;
    return `${run}${prologue}${script.endsWith('\n') ? script : `${script}\n`}`;
}
const RESULT_MARKER = '@@RESULT ';
/** Splits a script's stdout into the human part and its `@@RESULT` line (the last one wins). */
function parseScriptOutput(stdout) {
    const lines = stdout.split('\n');
    let result;
    let resultIndex = -1;
    for (let i = lines.length - 1; i >= 0; i--) {
        const line = (lines[i] ?? '').replace(/\r$/, '');
        if (!line.startsWith(RESULT_MARKER))
            continue;
        try {
            const parsed = JSON.parse(line.slice(RESULT_MARKER.length));
            if (parsed && typeof parsed === 'object' && typeof parsed.ok === 'boolean') {
                result = parsed;
                resultIndex = i;
            }
        }
        catch {
            // A garbled result line is reported as a missing result by the caller.
        }
        break;
    }
    const kept = resultIndex >= 0 ? lines.filter((_, i) => i !== resultIndex) : lines;
    return { ...(result ? { result } : {}), text: kept.join('\n').replace(/\n+$/, '') };
}

;// CONCATENATED MODULE: ./src/strategies/ssh-rolling/line-writer.ts
/** A phase's output stream shown in the job log line by line, host-prefixed, in bounded memory and log space. */



/**
 * Shows the first `PHASE_LOG_MAX_BYTES` of a stream as `<prefix><line>` (a bare `\r` ends a line, as for the runner;
 * a line longer than `LOG_LINE_MAX_CHARS` comes in pieces) and counts the rest. The `@@RESULT` line is for the code,
 * not the user.
 */
function createLineWriter(log, prefix) {
    let partial = '';
    let received = 0;
    let inResultLine = false;
    const show = (piece, lineEnds) => {
        const hidden = inResultLine || piece.startsWith(RESULT_MARKER);
        inResultLine = hidden && !lineEnds;
        if (!hidden && piece.trim())
            log.info(`${prefix}${piece}`);
    };
    return {
        write(text) {
            const room = PHASE_LOG_MAX_BYTES - received;
            received += Buffer.byteLength(text);
            if (room <= 0)
                return;
            const shown = received > PHASE_LOG_MAX_BYTES ? Buffer.from(text).subarray(0, room).toString() : text;
            const lines = (partial + shown).split(log_text/* LINE_BREAK */.F);
            partial = lines.pop() ?? '';
            for (const line of lines)
                show(line, true);
            while (partial.length > LOG_LINE_MAX_CHARS) {
                show(partial.slice(0, LOG_LINE_MAX_CHARS), false);
                partial = partial.slice(LOG_LINE_MAX_CHARS);
            }
        },
        flush() {
            if (partial)
                show(partial, true);
            partial = '';
            const notShown = received - PHASE_LOG_MAX_BYTES;
            if (notShown > 0) {
                log.info(`${prefix}… ${notShown} more bytes not shown (a phase shows ${PHASE_LOG_MAX_BYTES / 1024 ** 2} MiB per stream)`);
            }
        }
    };
}

;// CONCATENATED MODULE: ./src/strategies/ssh-rolling/remote/phases.ts
const runningImage = (i) => ({
    service: String(i.service ?? ''),
    imageId: String(i.imageId ?? ''),
    image: String(i.image ?? '')
});
const lines = (items) => items.join('\n');
const rows = (items) => lines(items.map((row) => row.join('\t')));
const composeArgv = (c) => [c.appDir, c.compose, lines(c.files), lines(c.services)];
const str = (value) => (typeof value === 'string' ? value : undefined);
const num = (value) => (typeof value === 'number' ? value : undefined);
const strings = (value) => (Array.isArray(value) ? value.map(String) : []);
const objects = (value) => Array.isArray(value) ? value.filter((v) => typeof v === 'object' && v !== null) : [];
const optional = (key, value) => (value === undefined ? {} : { [key]: value });
const none = () => ({});
function lockAnswer(r) {
    return { lock: String(r.lock), ...optional('owner', str(r.lockOwner)), ...optional('audit', str(r.lockAudit)) };
}
function look(r) {
    return { ...optional('state', str(r.state)), problems: strings(r.problems), probeFailed: r.probeFailed === true };
}
function containers(value) {
    return objects(value).flatMap((c) => typeof c.id === 'string' && typeof c.service === 'string'
        ? [{ service: c.service, id: c.id, name: typeof c.name === 'string' ? c.name : c.id.slice(0, 12) }]
        : []);
}
const LOCK_PARAMS = ['TOKEN', 'OWNER_JSON', 'TTL'];
const LOCK_FIELDS = ['lock', 'lockOwner', 'lockAudit'];
const COMPOSE_PARAMS = ['APP_DIR', 'COMPOSE_KIND', 'COMPOSE_FILES', 'SERVICES'];
const ENV_LINES = 'the `KEY=value` lines of `.env`';
function spec(s) {
    return s;
}
const PHASES = {
    preflight: spec({
        about: "compose: v1 or v2; lock: acquired, taken-over or held; services and facts only with VALIDATE yes (a dry run); lastAudit: the audit log's last line",
        params: ['APP_DIR', 'COMPOSE_FILES', 'IMAGE_VAR', 'MIN_FREE_KB', ...LOCK_PARAMS, 'VALIDATE?'],
        fields: [
            'compose',
            'composeVersion',
            'dockerVersion',
            'freeKb',
            'imageBefore',
            'services',
            'facts',
            'project',
            'warnings',
            'lastAudit',
            ...LOCK_FIELDS
        ],
        argv: (a) => [
            a.appDir,
            lines(a.files),
            a.imageVariable,
            String(a.minFreeKb),
            a.claim.token,
            a.claim.ownerJson,
            String(a.claim.ttlSeconds),
            a.validate ? 'yes' : 'no'
        ],
        parse: (r) => ({
            compose: (r.compose === 'v1' ? 'v1' : 'v2'),
            dockerVersion: String(r.dockerVersion),
            ...optional('composeVersion', str(r.composeVersion) || undefined),
            ...optional('imageBefore', str(r.imageBefore) || undefined),
            ...optional('project', str(r.project) || undefined),
            ...optional('facts', str(r.facts)),
            ...optional('lastAudit', str(r.lastAudit) || undefined),
            warnings: strings(r.warnings),
            ...lockAnswer(r)
        })
    }),
    lock: spec({
        about: 'lockAudit (taken over): the last line of the audit log',
        params: ['APP_DIR', ...LOCK_PARAMS],
        fields: LOCK_FIELDS,
        argv: (a) => [
            a.appDir,
            a.claim.token,
            a.claim.ownerJson,
            String(a.claim.ttlSeconds)
        ],
        parse: lockAnswer
    }),
    renew: spec({
        about: 'lock: renewed, absent or other; expires: host epoch seconds',
        params: ['APP_DIR', 'TOKEN', 'TTL'],
        fields: ['expires', ...LOCK_FIELDS],
        argv: (a) => [a.appDir, a.token, String(a.ttlSeconds)],
        parse: (r) => ({ ...optional('lock', str(r.lock)), ...optional('owner', str(r.lockOwner)) })
    }),
    unlock: spec({
        about: 'BACKUP_DIR: tag its image ids again first; lock: released, absent or other',
        params: ['APP_DIR', 'TOKEN', 'BACKUP_DIR?'],
        fields: ['retagged', 'retagError', ...LOCK_FIELDS],
        argv: (a) => [
            a.appDir,
            a.token,
            ...(a.retagFrom === undefined ? [] : [a.retagFrom])
        ],
        parse: (r) => ({
            ...optional('lock', str(r.lock)),
            ...optional('owner', str(r.lockOwner)),
            ...optional('retagError', str(r.retagError))
        })
    }),
    backup: spec({
        about: 'images: [{service, imageId, image, completed?}]; PREVIOUS, RELEASE: written to its meta; KEEP: a backup never pruned',
        params: [
            'APP_DIR',
            'COMPOSE_KIND',
            'COMPOSE_FILES',
            'STAMP',
            'RETENTION',
            'PROJECT',
            'PREVIOUS?',
            'RELEASE?',
            'KEEP?'
        ],
        fields: ['dir', 'images', 'pruned'],
        argv: (a) => [
            a.appDir,
            a.compose,
            lines(a.files),
            a.stamp,
            String(a.retention),
            a.project ?? '',
            a.previous ?? '',
            a.release ?? '',
            a.keep ?? ''
        ],
        parse: (r) => ({
            ...optional('dir', str(r.dir)),
            images: objects(r.images).map((i) => ({
                ...optional('service', str(i.service)),
                ...optional('image', str(i.image)),
                completed: i.completed === true
            }))
        })
    }),
    run: spec({
        about: 'the command runs in a subshell as `sh -c` would',
        params: ['APP_DIR', 'LABEL'],
        input: 'the command',
        fields: ['exitCode'],
        argv: (a) => [a.appDir, a.label],
        parse: none
    }),
    stop: spec({
        about: 'WAIT: 0.2 s naps before KILL; stopped: groups gone now; left: pgids still running after TERM and KILL',
        params: ['APP_DIR', 'RUN', 'WAIT'],
        fields: ['stopped', 'left'],
        argv: (a) => [a.appDir, a.token, String(a.termNaps)],
        parse: (r) => ({ stopped: num(r.stopped) ?? 0, left: strings(r.left) })
    }),
    apply: spec({
        params: ['APP_DIR'],
        input: ENV_LINES,
        fields: ['keys', 'changed'],
        argv: (a) => [a.appDir],
        parse: none
    }),
    pull: spec({
        about: 'facts: `service_facts` lines of the new configuration; changed: services whose configuration or image id differs',
        params: [...COMPOSE_PARAMS, 'PROJECT?'],
        input: `${ENV_LINES} \`apply\` will set`,
        fields: ['facts', 'changed'],
        argv: (a) => [...composeArgv(a), a.project ?? ''],
        // Both or neither: without them compose could not print its configuration.
        parse: (r) => ({
            ...optional('update', typeof r.facts === 'string' && Array.isArray(r.changed)
                ? { facts: r.facts, changed: strings(r.changed) }
                : undefined)
        })
    }),
    start: spec({
        about: 'SCALES: `service<TAB>declared scale` lines; old, new: [{service, id, name}]',
        params: ['APP_DIR', 'COMPOSE_KIND', 'COMPOSE_FILES', 'PROJECT', 'SCALES'],
        fields: ['old', 'new'],
        argv: (a) => [a.appDir, a.compose, lines(a.files), a.project ?? '', rows(a.scales)],
        parse: (r) => ({ old: containers(r.old), new: containers(r.new) })
    }),
    gate: spec({
        about: 'PROBES: `service<TAB>port/path` lines; state: healthy, starting or unhealthy',
        params: ['APP_DIR', 'IDS', 'PROBES?'],
        fields: ['state', 'problems', 'containers', 'probeFailed'],
        argv: (a) => [a.appDir, lines(a.ids), rows(a.probes)],
        parse: look
    }),
    switch: spec({
        about: 'OLD: `container id<TAB>grace seconds` lines',
        params: [...COMPOSE_PARAMS, 'OLD'],
        fields: ['retired'],
        argv: (a) => [
            ...composeArgv(a),
            rows(a.retire)
        ],
        parse: none
    }),
    up: spec({ params: COMPOSE_PARAMS, fields: [], argv: composeArgv, parse: none }),
    health: spec({
        about: 'ALL_SERVICES: with SERVICES empty, those that must have a container; COMPLETED: one-shot services; state: healthy, starting or unhealthy',
        params: [...COMPOSE_PARAMS, 'PROJECT', 'ALL_SERVICES', 'COMPLETED?'],
        fields: ['state', 'problems', 'containers'],
        argv: (a) => [
            ...composeArgv(a),
            a.project ?? '',
            lines(a.expected),
            lines(a.completed)
        ],
        parse: look
    }),
    diagnose: spec({
        about: 'prints `compose ps`, logs, health logs',
        params: COMPOSE_PARAMS,
        fields: [],
        argv: composeArgv,
        parse: none
    }),
    rollback: spec({
        about: 'RETIRE: `service<TAB>grace` lines (before a switch); refused unless the lock holds TOKEN: lock other or absent',
        params: [...COMPOSE_PARAMS, 'BACKUP_DIR', 'TOKEN', 'RETIRE?', 'PROJECT?'],
        fields: ['retired', 'restored', 'retagged', 'missing', 'previous', 'lock', 'lockOwner', 'lockAudit'],
        argv: (a) => [...composeArgv(a), a.backupDir, a.token, rows(a.retire), a.project ?? ''],
        parse: (r) => ({
            ...optional('lock', str(r.lock)),
            ...optional('owner', str(r.lockOwner)),
            retired: num(r.retired) ?? 0,
            missing: strings(r.missing),
            ...optional('previous', str(r.previous) || undefined)
        })
    }),
    restore: spec({
        about: "a rollback-to's apply: the backup's files and image tags, no container changed; facts, changed as for `pull`; refused unless the lock holds TOKEN",
        params: [...COMPOSE_PARAMS, 'BACKUP_DIR', 'TOKEN', 'PROJECT?'],
        fields: ['restored', 'retagged', 'missing', 'previous', 'facts', 'changed', 'lock', 'lockOwner', 'lockAudit'],
        argv: (a) => [
            ...composeArgv(a),
            a.backupDir,
            a.token,
            a.project ?? ''
        ],
        parse: (r) => ({
            ...optional('lock', str(r.lock)),
            ...optional('owner', str(r.lockOwner)),
            missing: strings(r.missing),
            ...optional('previous', str(r.previous) || undefined),
            ...optional('update', typeof r.facts === 'string' && Array.isArray(r.changed)
                ? { facts: r.facts, changed: strings(r.changed) }
                : undefined)
        })
    }),
    releases: spec({
        about: 'running: [{service, imageId, image}]; backups: [{name, dir, complete, previous, release, images: [{service, imageId, image, present}]}]',
        params: ['APP_DIR', 'COMPOSE_KIND', 'COMPOSE_FILES', 'PROJECT?'],
        fields: ['running', 'backups'],
        argv: (a) => [
            a.appDir,
            a.compose,
            lines(a.files),
            a.project ?? ''
        ],
        parse: (r) => ({
            running: objects(r.running).map(runningImage),
            backups: objects(r.backups).map((b) => ({
                name: String(b.name),
                dir: String(b.dir),
                complete: b.complete === true,
                ...optional('previous', str(b.previous) || undefined),
                ...optional('release', str(b.release) || undefined),
                images: objects(b.images).map((i) => ({ ...runningImage(i), present: i.present === true }))
            }))
        })
    }),
    audit: spec({
        about: 'LINE: one JSON line for `.deploy/audit.log`; with COMPOSE_KIND, the image id each service runs is added as `running`',
        params: ['APP_DIR', 'LINE', 'COMPOSE_KIND?', 'COMPOSE_FILES?', 'PROJECT?'],
        fields: [],
        argv: (a) => a.running
            ? [a.appDir, a.line, a.running.compose, lines(a.running.files), a.running.project ?? '']
            : [a.appDir, a.line],
        parse: none
    })
};
/** The argv of one call of `script`. */
function phaseArgv(script, args) {
    // One place correlates a script's name with its own entry (TypeScript cannot across the union of entries).
    return PHASES[script].argv(args);
}
/** The typed result of one call of `script`. */
function parsePhaseResult(script, result) {
    return PHASES[script].parse(result);
}
/** The protocol table of ssh-rolling/README.md: script, parameters (and input), result fields, notes. */
function protocolRows() {
    return Object.entries(PHASES).map(([name, s]) => [
        `\`${name}\``,
        [s.params.join(', '), ...(s.input ? [`input: ${s.input}`] : [])].join('; '),
        s.fields.length ? s.fields.map((f) => `\`${f}\``).join(', ') : '—',
        s.about ?? ''
    ]);
}

;// CONCATENATED MODULE: ./src/strategies/ssh-rolling/remote/scripts.gen.ts
// Generated by scripts/gen-remote.mjs from remote/*.sh: do not edit, run `npm run gen:remote`.
const REMOTE_SCRIPTS = {
    apply: '# apply: merge KEY=value lines into <app-dir>/.env (mode 0600), keeping every other line; atomic (temp file + mv).\n# Args: APP_DIR\n# Input ($DEPLOY_INPUT): the KEY=value lines to set, already formatted for .env; they hold secrets, so they are\n# never put on a command line or in any file but .env.\n# Result: keys (the names set), changed (whether .env differs from before).\nAPP_DIR=$1\nenter_app_dir\n[ -n "${DEPLOY_INPUT:-}" ] || fail "no variables to write"\nsrc=.env\n[ -f .env ] || src=/dev/null\n# A new file of our own (mode 0600), never a path someone else prepared: app-dir may be writable by others.\ntmp=$(new_file "$APP_DIR/.env.deploy-tmp.$$") || fail "cannot create a temporary file in $APP_DIR"\nat_exit \'rm -f "$tmp"\'\nif ! merge_env "$src" >"$tmp"; then\n  fail "cannot write the new .env (the old one is unchanged)"\nfi\nchanged=true\ncmp -s "$src" "$tmp" && changed=false\nmv -f "$tmp" .env || fail "cannot replace $APP_DIR/.env (the old one is unchanged)"\nkeys=\'\'\nfor l in $DEPLOY_INPUT; do\n  keys="$keys${keys:+,}\\"$(json_str "${l%%=*}")\\""\ndone\nres_raw keys "[$keys]"\nres_raw changed "$changed"\nok\n',
    audit: '# audit: append one line (JSON) to <app-dir>/.deploy/audit.log. With COMPOSE_KIND (an outcome that leaves a known\n# release running), the line also records the image id each service\'s containers run now ("running"), which a later\n# `rollback-to: previous` compares with what runs then.\n# Args: APP_DIR LINE COMPOSE_KIND COMPOSE_FILES PROJECT\nAPP_DIR=$1 LINE=$2 COMPOSE_KIND=${3:-} COMPOSE_FILES=${4:-} PROJECT=${5:-}\nenter_app_dir\nmkdir -p "$APP_DIR/.deploy" || fail "cannot create $APP_DIR/.deploy"\nif [ -n "$COMPOSE_KIND" ]; then\n  running_images_json\n  LINE="${LINE%\\}},\\"running\\":[$RUNNING_JSON]}"\nfi\nprintf \'%s\\n\' "$LINE" >>"$APP_DIR/.deploy/audit.log" || fail "cannot append to $APP_DIR/.deploy/audit.log"\nok\n',
    backup: '# backup: save the compose file(s), .env and the image id each service\'s container runs, so a rollback needs\n# neither the registry nor the old tag. Prunes backups beyond the retention.\n# Args: APP_DIR COMPOSE_KIND COMPOSE_FILES STAMP RETENTION PROJECT (the confirmed project name, or empty)\n#   PREVIOUS (the backup holding the release before the one that runs now, as the audit log says; may be empty)\n#   RELEASE (the release that runs now, in words: the image variable\'s value; empty: the first container\'s image)\n#   KEEP (a backup the pruning must leave: the one a rollback-to restores)\n# Writes <app-dir>/.deploy/backups/<STAMP>/{manifest,files/N,images,containers,meta}:\n#   manifest: "N<TAB>1|0<TAB>path" (0: the file did not exist); images: "service<TAB>image id<TAB>image reference";\n#   containers: "service<TAB>container id" (what a start-first rollback keeps); meta: "previous<TAB>…", "release<TAB>…".\n# Result: dir, images [{service,imageId,image,completed?}] (completed: the container had exited with code 0), pruned.\nAPP_DIR=$1 COMPOSE_KIND=$2 COMPOSE_FILES=$3 STAMP=$4 RETENTION=$5 PROJECT=$6 PREVIOUS=${7:-} RELEASE=${8:-} KEEP=${9:-}\nenter_app_dir\nroot="$APP_DIR/.deploy/backups"\nmkdir -p "$root" || fail "cannot create $root"\nchmod 700 "$APP_DIR/.deploy" "$root" 2>/dev/null\ndir="$root/$STAMP"\nn=1\nwhile [ -e "$dir" ]; do\n  n=$((n + 1))\n  dir="$root/$STAMP.$n"\ndone\nmkdir "$dir" "$dir/files" || fail "cannot create $dir"\n\ni=0\nmanifest=\'\'\nfor f in $(compose_file_list) .env; do\n  i=$((i + 1))\n  if [ -f "$f" ]; then\n    cp -p "$f" "$dir/files/$i" || fail "cannot copy $f into $dir"\n    manifest="$manifest$i${TAB}1$TAB$f$NL"\n  else\n    manifest="$manifest$i${TAB}0$TAB$f$NL"\n  fi\ndone\n\nlist_containers\nrows=$ROWS\nimages=\'\'\njson=\'\'\nids=\'\'\nfor row in $rows; do\n  old_ifs=$IFS\n  IFS=$TAB\n  set -- $row\n  IFS=$old_ifs\n  service=${2:-} image_id=${6:-} image_ref=${7:-} completed=\'\'\n  ids="$ids$service$TAB$1$NL"\n  # One line per service (a scaled service runs one image).\n  case "$NL$images" in *"$NL$service$TAB"*) continue ;; esac\n  [ -n "$image_id" ] || fail "cannot read the image of container $1 of service $service"\n  images="$images$service$TAB$image_id$TAB$image_ref$NL"\n  # A one-shot service (a migration that ran): the health check after the deploy expects it exited with code 0.\n  if [ "${3:-}" = exited ] && [ "$(docker inspect --format \'{{.State.ExitCode}}\' "$1" 2>/dev/null)" = 0 ]; then\n    completed=\',"completed":true\'\n  fi\n  json="$json${json:+,}{\\"service\\":\\"$(json_str "$service")\\",\\"imageId\\":\\"$(json_str "$image_id")\\",\\"image\\":\\"$(json_str "$image_ref")\\"$completed}"\ndone\nprintf \'%s\' "$images" >"$dir/images" || fail "cannot write $dir/images"\nprintf \'%s\' "$ids" >"$dir/containers" || fail "cannot write $dir/containers"\nif [ -z "$RELEASE" ]; then\n  first=${images%%"$NL"*}\n  RELEASE=${first##*"$TAB"}\nfi\nprintf \'previous\\t%s\\nrelease\\t%s\\n\' "$PREVIOUS" "$RELEASE" >"$dir/meta" || fail "cannot write $dir/meta"\n# The manifest is written last: a backup without one is incomplete and never restored from.\nprintf \'%s\' "$manifest" >"$dir/manifest" || fail "cannot write $dir/manifest"\n\npruned=0\ncount=$(ls -1 "$root" | wc -l)\nexcess=$((count - RETENTION))\nif [ "$excess" -gt 0 ]; then\n  for old in $(ls -1 "$root" | head -n "$excess"); do\n    [ "$root/$old" = "$dir" ] && continue\n    [ -n "$KEEP" ] && [ "$old" = "$KEEP" ] && continue\n    rm -rf "${root:?}/$old" && pruned=$((pruned + 1))\n  done\nfi\n\nres_str dir "$dir"\nres_raw images "[$json]"\nres_raw pruned "$pruned"\nok\n',
    diagnose: '# diagnose: what a user needs to see when a host fails: compose ps, then for each container that is not running\n# healthy (all of them when each looks fine) its last 50 log lines and its health log.\n# Args: APP_DIR COMPOSE_KIND COMPOSE_FILES SERVICES\nAPP_DIR=$1 COMPOSE_KIND=$2 COMPOSE_FILES=$3 SERVICES=$4\nenter_app_dir\necho "== docker compose ps"\ncompose ps -a 2>&1\nlist_containers\nrows=$ROWS\nbad=\'\'\nall=\'\'\nfor row in $rows; do\n  old_ifs=$IFS\n  IFS=$TAB\n  set -- $row\n  IFS=$old_ifs\n  if [ -n "$SERVICES" ] && ! in_list "${2:-}" "$SERVICES"; then continue; fi\n  all="$all$1$TAB${5:-}$NL"\n  if [ "${3:-}" != running ] || [ "${4:-}" = unhealthy ] || [ "${4:-}" = starting ]; then bad="$bad$1$TAB${5:-}$NL"; fi\ndone\n[ -n "$bad" ] || bad=$all\nfor row in $bad; do\n  id=${row%%"$TAB"*}\n  name=${row#*"$TAB"}\n  echo "== last 50 log lines of $name"\n  docker logs --tail 50 "$id" 2>&1\n  echo "== health log of $name"\n  docker inspect --format \'{{if index .State "Health"}}{{range .State.Health.Log}}{{.Start}} exit {{.ExitCode}}: {{.Output}}{{"\\n"}}{{end}}{{else}}no healthcheck defined{{end}}\' "$id" 2>&1\ndone\nok\n',
    gate: '# gate: one look at the new containers of a start-first switch, each on its own (a URL through a proxy cannot tell\n# the old from the new): each must run, be healthy where it defines a healthcheck, and, where its service has a\n# probe, answer an HTTP GET at its own address with 2xx. One try; the runner decides when to try again.\n# Args: APP_DIR IDS (newline-separated container ids) PROBES ("service<TAB>port/path" lines)\n# Result: state (healthy|starting|unhealthy), problems [text], containers [{service,name,status,health}], probeFailed\n#   (a probe got no 2xx: a failed try, while a healthcheck still starting is only waited for).\nAPP_DIR=$1 IDS=$2 PROBES=${3:-}\nenter_app_dir\n[ -n "$IDS" ] || fail "no containers to check"\nstate=healthy\nprobe_failed=false\nproblems=\'\'\ncontainers=\'\'\nproblem() { problems="$problems${problems:+,}\\"$(json_str "$1")\\""; }\nworse() {\n  case $1 in\n  unhealthy) state=unhealthy ;;\n  starting) [ "$state" = healthy ] && state=starting ;;\n  esac\n}\n# probe_of SERVICE: its "port/path", or nothing.\nprobe_of() {\n  for _p in $PROBES; do\n    [ "${_p%%"$TAB"*}" = "$1" ] && printf \'%s\' "${_p#*"$TAB"}" && return\n  done\n}\n# http_ok URL: whether URL answers 2xx within 3 s (curl, else wget).\nhttp_ok() {\n  if command -v curl >/dev/null 2>&1; then\n    _code=$(curl -s -o /dev/null --max-time 3 -w \'%{http_code}\' "$1" 2>/dev/null)\n    case $_code in 2??) return 0 ;; esac\n    PROBE_ANSWER="HTTP ${_code:-no answer}"\n    return 1\n  fi\n  if command -v wget >/dev/null 2>&1; then\n    wget -q -T 3 -O /dev/null "$1" 2>/dev/null && return 0\n    PROBE_ANSWER="no 2xx answer"\n    return 1\n  fi\n  PROBE_ANSWER="neither curl nor wget is installed on the host"\n  return 1\n}\nfor id in $IDS; do\n  if ! row=$(docker inspect --format \'{{index .Config.Labels "com.docker.compose.service"}}{{"\\t"}}{{.State.Status}}{{"\\t"}}{{if index .State "Health"}}{{.State.Health.Status}}{{else}}none{{end}}{{"\\t"}}{{.Name}}{{"\\t"}}{{range .NetworkSettings.Networks}}{{.IPAddress}} {{end}}\' "$id" 2>/dev/null); then\n    state=unhealthy\n    problem "container ${id%"${id#????????????}"} is gone"\n    continue\n  fi\n  old_ifs=$IFS\n  IFS=$TAB\n  set -- $row\n  IFS=$old_ifs\n  svc=${1:-} status=${2:-} health=${3:-} name=${4:-} addrs=${5:-}\n  name=${name#/}\n  containers="$containers${containers:+,}{\\"service\\":\\"$(json_str "$svc")\\",\\"name\\":\\"$(json_str "$name")\\",\\"status\\":\\"$(json_str "$status")\\",\\"health\\":\\"$(json_str "$health")\\"}"\n  if [ "$status" = restarting ] || [ "$status" = exited ] || [ "$status" = dead ]; then\n    worse unhealthy\n    problem "$name is $status"\n    continue\n  fi\n  if [ "$status" != running ]; then\n    worse starting\n    problem "$name is $status"\n    continue\n  fi\n  case $health in\n  unhealthy)\n    worse unhealthy\n    problem "$name is unhealthy"\n    continue\n    ;;\n  starting)\n    worse starting\n    problem "$name is starting (healthcheck not passed yet)"\n    continue\n    ;;\n  esac\n  probe=$(probe_of "$svc")\n  [ -n "$probe" ] || continue\n  addr=${addrs%% *}\n  if [ -z "$addr" ]; then\n    worse unhealthy\n    problem "$name has no address to probe"\n    continue\n  fi\n  PROBE_ANSWER=\'\'\n  if ! http_ok "http://$addr:$probe"; then\n    worse starting\n    probe_failed=true\n    problem "$name: GET :${probe}: $PROBE_ANSWER"\n  fi\ndone\nres_str state "$state"\nres_raw problems "[$problems]"\nres_raw containers "[$containers]"\nres_raw probeFailed "$probe_failed"\nok\n',
    health: '# health: one look at the containers: every container of the services must run, and be healthy where it defines a\n# healthcheck. One try; the runner decides when to try again.\n# Args: APP_DIR COMPOSE_KIND COMPOSE_FILES SERVICES PROJECT ALL_SERVICES COMPLETED\n#   PROJECT: the project name pre-flight confirmed (containers found with docker alone), or empty;\n#   ALL_SERVICES: with SERVICES empty, services that must have a container (those that ran before the deploy);\n#   every service with a container now is checked as well.\n#   COMPLETED: one-shot services (migrations, init jobs): their container had exited with code 0 before the deploy,\n#   so exited with code 0 is what they should be now too.\n# Result: state (healthy|starting|unhealthy), problems [text], containers [{service,name,status,health}].\nAPP_DIR=$1 COMPOSE_KIND=$2 COMPOSE_FILES=$3 SERVICES=$4 PROJECT=$5 ALL_SERVICES=$6 COMPLETED=${7:-}\nenter_app_dir\nlist_containers\nrows=$ROWS\nservices=$SERVICES\nif [ -z "$services" ]; then\n  # Sorted and unique: ALL_SERVICES, then the services the containers carry.\n  services=$(printf \'%s\\n%s\\n\' "$ALL_SERVICES" "$(printf \'%s\\n\' "$rows" | cut -f 2)" | sed \'/^$/d\' | sort -u)\n  [ -n "$services" ] || fail "the project has no containers"\nfi\nstate=healthy\nproblems=\'\'\ncontainers=\'\'\nproblem() { problems="$problems${problems:+,}\\"$(json_str "$1")\\""; }\none_shot() { case "$NL$COMPLETED$NL" in *"$NL$1$NL"*) return 0 ;; esac; return 1; }\nfor svc in $services; do\n  found=no\n  for row in $rows; do\n    old_ifs=$IFS\n    IFS=$TAB\n    set -- $row\n    IFS=$old_ifs\n    [ "${2:-}" = "$svc" ] || continue\n    found=yes\n    id=${1:-} status=${3:-} health=${4:-} name=${5:-}\n    if [ "$status" = exited ] && one_shot "$svc"; then\n      # Asked only for a one-shot service\'s container: one more docker call.\n      code=$(docker inspect --format \'{{.State.ExitCode}}\' "$id" 2>/dev/null)\n      [ "$code" = 0 ] && status=completed || status="exited (code ${code:-unknown})"\n    fi\n    containers="$containers${containers:+,}{\\"service\\":\\"$(json_str "$svc")\\",\\"name\\":\\"$(json_str "$name")\\",\\"status\\":\\"$(json_str "$status")\\",\\"health\\":\\"$(json_str "$health")\\"}"\n    if [ "$status" = completed ]; then\n      :\n    elif [ "$status" != running ]; then\n      state=unhealthy\n      problem "$name is $status"\n    elif [ "$health" = unhealthy ]; then\n      state=unhealthy\n      problem "$name is unhealthy"\n    elif [ "$health" = starting ]; then\n      [ "$state" = healthy ] && state=starting\n      problem "$name is starting (healthcheck not passed yet)"\n    fi\n  done\n  if [ "$found" = no ]; then\n    state=unhealthy\n    problem "service $svc has no container"\n  fi\ndone\nres_str state "$state"\nres_raw problems "[$problems]"\nres_raw containers "[$containers]"\nok\n',
    lib: '# Shared helpers, prepended to every phase script. POSIX sh (dash, bash, busybox ash).\n# Protocol: arguments are positional parameters; secret input, when any, is in $DEPLOY_INPUT (set on stdin,\n# never on a command line); the last stdout line is `@@RESULT {json}` with at least "ok".\nset -u\numask 077\nLC_ALL=C\nexport LC_ALL\n# Unquoted expansions split on newlines only, without globbing: lists travel as newline-separated arguments.\nNL=\'\n\'\nTAB=\'\t\'\nIFS=$NL\nset -f\n\nR=\'\'\n\n# json_str VALUE: VALUE as the inside of a JSON string (control characters other than tab and newline dropped).\n# Plain values (the common case) need no escaping and start no process.\njson_str() {\n  case $1 in\n  *[!A-Za-z0-9\\ ._:/@+=,-]*) ;;\n  *)\n    printf \'%s\' "$1"\n    return\n    ;;\n  esac\n  printf \'%s\' "$1" | tr -d \'\\000-\\010\\013-\\037\' | sed -e \'s/\\\\/\\\\\\\\/g\' -e \'s/"/\\\\"/g\' -e "s/$TAB/\\\\\\\\t/g" |\n    awk \'NR > 1 { printf "\\\\n" } { printf "%s", $0 }\'\n}\n\n# res_str KEY VALUE / res_raw KEY JSON: add a field to the result.\nres_str() { R="$R${R:+,}\\"$1\\":\\"$(json_str "$2")\\""; }\nres_raw() { R="$R${R:+,}\\"$1\\":$2"; }\n\n# ok: print the result and exit 0. fail MESSAGE: print the result with "error" and exit 1.\nok() {\n  printf \'\\n@@RESULT {"ok":true%s}\\n\' "${R:+,$R}"\n  exit 0\n}\nfail() {\n  res_str error "$1"\n  printf \'\\n@@RESULT {"ok":false,%s}\\n\' "$R"\n  exit 1\n}\n\n# last_lines TEXT [N]: the last N (3) non-empty lines of TEXT on one line, for error messages.\nlast_lines() {\n  printf \'%s\\n\' "$1" | sed \'/^[[:space:]]*$/d\' | tail -n "${2:-3}" | tr \'\\n\' \' \' | sed \'s/ *$//\'\n}\n\n# enter_app_dir: cd into APP_DIR and make it absolute (a relative app-dir is relative to the login directory).\nenter_app_dir() {\n  [ -d "$APP_DIR" ] || fail "app-dir $APP_DIR does not exist"\n  cd "$APP_DIR" || fail "cannot enter app-dir $APP_DIR"\n  APP_DIR=$(pwd)\n}\n\n# compose ARGS…: docker compose (v2) or docker-compose (v1) with the -f files; only flags both versions have.\n# Globals: COMPOSE_KIND (v1|v2), COMPOSE_FILES (newline-separated, may be empty).\ncompose() {\n  _n=$#\n  for _f in $COMPOSE_FILES; do set -- "$@" -f "$_f"; done\n  # Move the caller\'s arguments after the -f options.\n  _i=0\n  while [ "$_i" -lt "$_n" ]; do\n    set -- "$@" "$1"\n    shift\n    _i=$((_i + 1))\n  done\n  if [ "$COMPOSE_KIND" = v2 ]; then docker compose "$@"; else docker-compose "$@"; fi\n}\n\n# compose_file_list: the compose files in use: the given ones, or the defaults compose finds on its own.\ncompose_file_list() {\n  if [ -n "$COMPOSE_FILES" ]; then\n    printf \'%s\\n\' "$COMPOSE_FILES"\n    return\n  fi\n  for _f in compose.yaml compose.yml docker-compose.yml docker-compose.yaml \\\n    compose.override.yaml compose.override.yml docker-compose.override.yml docker-compose.override.yaml; do\n    [ -f "$_f" ] && printf \'%s\\n\' "$_f"\n  done\n}\n\n# project_containers: "id<TAB>service<TAB>status<TAB>health<TAB>name<TAB>image id<TAB>image reference" per container\n# of the project (one-off run containers excluded; health "none" without a healthcheck), from docker inspect, which\n# compose v1 and v2 share. With PROJECT set (the name pre-flight confirmed), the containers are found by their\n# compose project label with docker alone; otherwise compose lists them.\n# Globals: PROJECT (may be empty), and compose\'s (COMPOSE_KIND, COMPOSE_FILES).\nproject_containers() {\n  if [ -n "${PROJECT:-}" ]; then\n    _ids=$(docker ps -a -q --no-trunc --filter "label=com.docker.compose.project=$PROJECT") || return 1\n  else\n    _ids=$(compose ps -a -q) || return 1\n  fi\n  [ -n "$_ids" ] || return 0\n  # One docker inspect for all of them; the ids split on newlines (IFS).\n  _rows=$(docker inspect --format \'{{.Id}}{{"\\t"}}{{index .Config.Labels "com.docker.compose.service"}}{{"\\t"}}{{.State.Status}}{{"\\t"}}{{if index .State "Health"}}{{.State.Health.Status}}{{end}}{{"\\t"}}{{.Name}}{{"\\t"}}{{index .Config.Labels "com.docker.compose.oneoff"}}{{"\\t"}}{{.Image}}{{"\\t"}}{{.Config.Image}}\' $_ids) ||\n    return 1\n  printf \'%s\\n\' "$_rows" | awk -F "$TAB" \'$6 != "True" { sub(/^\\//, "", $5); print $1 "\\t" $2 "\\t" $3 "\\t" ($4 == "" ? "none" : $4) "\\t" $5 "\\t" $7 "\\t" $8 }\'\n}\n\n# capture VAR COMMAND…: COMMAND\'s stdout into VAR and its stderr into ERR_TEXT (also passed on: compose may warn,\n# e.g. of an unset variable); returns COMMAND\'s exit code.\ncapture() {\n  _var=$1\n  shift\n  _errs=$(mktemp 2>/dev/null) || _errs="/tmp/deploy-err.$$"\n  _rc=0\n  _out=$("$@" 2>"$_errs") || _rc=$?\n  ERR_TEXT=\'\'\n  if [ -s "$_errs" ]; then\n    ERR_TEXT=$(cat "$_errs")\n    printf \'%s\\n\' "$ERR_TEXT" >&2\n  fi\n  rm -f "$_errs"\n  eval "$_var=\\$_out"\n  return "$_rc"\n}\n\n# list_containers: project_containers into ROWS, or fail naming docker\'s (or compose\'s) reason.\nlist_containers() {\n  capture ROWS project_containers && return 0\n  _reason=$(last_lines "$ERR_TEXT" 2)\n  fail "cannot list the containers of the project${_reason:+: $_reason}"\n}\n\n# running_images_json: list_containers, then one {service, imageId, image} JSON object per service (its first\n# container) in RUNNING_JSON (comma-separated, no brackets).\nrunning_images_json() {\n  list_containers\n  RUNNING_JSON=\'\'\n  _seen=\'\'\n  for _row in $ROWS; do\n    _ifs=$IFS\n    IFS=$TAB\n    set -- $_row\n    IFS=$_ifs\n    case "$NL$_seen$NL" in *"$NL${2:-}$NL"*) continue ;; esac\n    _seen="$_seen$NL${2:-}"\n    RUNNING_JSON="$RUNNING_JSON${RUNNING_JSON:+,}{\\"service\\":\\"$(json_str "${2:-}")\\",\\"imageId\\":\\"$(json_str "${6:-}")\\",\\"image\\":\\"$(json_str "${7:-}")\\"}"\n  done\n}\n\n# changed_services FACTS CFG_OLD WANT_FN: the services an update changes, as JSON strings (comma-separated) in\n# CHANGED: those whose configuration hash in FACTS (service_facts of the new configuration) differs from CFG_OLD\'s,\n# and those with the same configuration whose running containers run another image id than `WANT_FN SERVICE` prints\n# (nothing printed: no image check).\nchanged_services() {\n  _facts=$1 _want_fn=$3\n  _before=$(service_facts "$2" | awk -F "$TAB" \'$2 == "hash"\')\n  capture _rows project_containers || _rows=\'\'\n  CHANGED=\'\'\n  for _line in $_facts; do\n    _ifs=$IFS\n    IFS=$TAB\n    set -- $_line\n    IFS=$_ifs\n    [ "${2:-}" = hash ] || continue\n    _svc=$1 _differs=no\n    case "$NL$_before$NL" in *"$NL$_svc${TAB}hash$TAB${3:-}$NL"*) ;; *) _differs=yes ;; esac\n    if [ "$_differs" = no ]; then\n      _want=$("$_want_fn" "$_svc")\n      for _row in $_rows; do\n        IFS=$TAB\n        set -- $_row\n        IFS=$_ifs\n        [ "${2:-}" = "$_svc" ] || continue\n        [ -n "$_want" ] && [ "${6:-}" != "$_want" ] && _differs=yes\n      done\n    fi\n    [ "$_differs" = yes ] && CHANGED="$CHANGED${CHANGED:+,}\\"$(json_str "$_svc")\\""\n  done\n}\n\n# restore_backup BACKUP_DIR: restore_files and retag_images, their counts and the backup\'s `previous` as results;\n# fails the phase on the first error.\nrestore_backup() {\n  restore_files "$1" || fail "$RESTORE_ERROR"\n  retag_images "$1" || fail "$RETAG_ERROR"\n  res_raw restored "$RESTORED"\n  res_raw retagged "$RETAGGED"\n  res_raw missing "[$MISSING]"\n  _previous=$(meta_value "$1" previous)\n  [ -n "$_previous" ] && res_str previous "$_previous"\n  return 0\n}\n\n# merge_env SRC: SRC (a .env file, or /dev/null) with the KEY=value lines of $DEPLOY_INPUT merged in: a key already\n# there is replaced in place (its first line; later duplicates dropped), a new key is appended, every other line is\n# kept as it is. Written to stdout; the values come from stdin through printf, a builtin: never a process argument.\nmerge_env() {\n  printf \'%s\\n\' "$DEPLOY_INPUT" | awk \'\n    NR == FNR {\n      if ($0 == "") next\n      k = $0; sub(/=.*/, "", k)\n      if (!(k in line)) order[++n] = k\n      line[k] = $0\n      next\n    }\n    {\n      k = $0\n      sub(/^[ \\t]*(export[ \\t]+)?/, "", k)\n      if (k ~ /^[A-Za-z_][A-Za-z0-9_]*[ \\t]*=/) {\n        sub(/[ \\t]*=.*/, "", k)\n        if (k in line) {\n          if (!(k in done)) print line[k]\n          done[k] = 1\n          next\n        }\n      }\n      print\n    }\n    END { for (i = 1; i <= n; i++) if (!(order[i] in done)) print line[order[i]] }\n  \' - "$1"\n}\n\n# retag_images BACKUP_DIR: tag each image id the backup recorded as the reference its container was created from\n# again, so that reference resolves to what ran before even if a pull moved it (a re-pushed `latest`). Sets RETAGGED\n# (count) and MISSING (JSON strings of the ids no longer on the host); returns 1 with RETAG_ERROR set when a tag fails.\nretag_images() {\n  RETAGGED=0\n  MISSING=\'\'\n  RETAG_ERROR=\'\'\n  [ -f "$1/images" ] || return 0\n  while IFS=$TAB read -r _service _id _ref; do\n    [ -n "$_service" ] || continue\n    if ! docker image inspect "$_id" >/dev/null 2>&1; then\n      echo "image $_id of service $_service is no longer on this host; compose will look for $_ref"\n      MISSING="$MISSING${MISSING:+,}\\"$(json_str "$_id")\\""\n      continue\n    fi\n    case $_ref in\n    *@*) ;; # a digest reference names the image itself: nothing to re-tag\n    *)\n      if ! docker tag "$_id" "$_ref"; then\n        RETAG_ERROR="cannot tag $_id as $_ref"\n        return 1\n      fi\n      RETAGGED=$((RETAGGED + 1))\n      ;;\n    esac\n  done <"$1/images"\n}\n\n# restore_files BACKUP_DIR: put the files its manifest lists back as they were (a file that did not exist is removed);\n# each is replaced atomically. Sets RESTORED (count); returns 1 with RESTORE_ERROR set on the first failure.\nrestore_files() {\n  RESTORED=0\n  RESTORE_ERROR=\'\'\n  while IFS=$TAB read -r _idx _existed _path; do\n    [ -n "$_idx" ] || continue\n    if [ "$_existed" = 1 ]; then\n      if ! { cp -p "$1/files/$_idx" "$_path.rollback.$$" && mv -f "$_path.rollback.$$" "$_path"; }; then\n        RESTORE_ERROR="cannot restore $_path from $1"\n        return 1\n      fi\n    elif ! rm -f "$_path"; then\n      RESTORE_ERROR="cannot remove $_path (it did not exist when $1 was taken)"\n      return 1\n    fi\n    RESTORED=$((RESTORED + 1))\n  done <"$1/manifest"\n}\n\n# meta_value BACKUP_DIR KEY: the value of KEY in the backup\'s meta file ("key<TAB>value" lines), empty without one.\nmeta_value() {\n  [ -f "$1/meta" ] || return 0\n  awk -F "$TAB" -v k="$2" \'$1 == k { print $2; exit }\' "$1/meta"\n}\n\n# in_list ITEM LIST: whether ITEM is one of the newline-separated LIST.\nin_list() {\n  for _x in $2; do [ "$_x" = "$1" ] && return 0; done\n  return 1\n}\n\n# service_facts FILE: what decides how each service can be updated, from FILE (the output of `docker compose config`\n# or `docker-compose config`), as "service<TAB>key<TAB>value" lines, per service in this order: service (empty value),\n# container_name, network_mode, scale, replicas, order (deploy.update_config), stop_grace_period, image, healthcheck\n# (test|disable), one port per `ports` item (its short syntax, or published=…,target=…,host_ip=…,protocol=…), one\n# volume per `volumes` mount but tmpfs (rw|ro: never its source or target), and\n# hash: cksum\'s "CRC SIZE" of the service\'s lines, which changes with any of them (an environment value too) and\n# reveals none. Nothing else is printed: values that may be secret (environment, command, labels…) never leave.\n# The block YAML both versions emit (v1: PyYAML, sequences not indented under their key, long scalars wrapped onto\n# more lines; v2: go-yaml) is read by indentation, each key by its whole path in the service: a value\'s further\n# lines (a wrapped, quoted or block scalar) are indented deeper than its key, so they can only fall under that\n# key\'s path, where no key is read (a short-syntax port, the one scalar with keys read beside it, never wraps).\nservice_facts() {\n  awk -v T="$TAB" -v Q="\'" \'\n    function unquote(v, c) {\n      c = substr(v, 1, 1)\n      if (length(v) >= 2 && (c == Q || c == "\\"") && substr(v, length(v)) == c) return substr(v, 2, length(v) - 2)\n      return v\n    }\n    function path(i, p) {\n      p = key[1]\n      for (i = 2; i <= n; i++) p = p "/" key[i]\n      return p\n    }\n    function finish(i, p) {\n      if (svc == "") return\n      print svc T "service" T\n      for (i = 1; i <= 7; i++) if (FACT[i] in fact) print svc T FACT[i] T fact[FACT[i]]\n      if (hc_none) hc = "disable"\n      if (hc != "") print svc T "healthcheck" T hc\n      for (i = 1; i <= ports; i++) {\n        if ((i, "item") in port) {\n          print svc T "port" T port[i, "item"]\n          continue\n        }\n        p = ""\n        if ((i, "published") in port) p = "published=" port[i, "published"]\n        p = p (p == "" ? "" : ",") "target=" port[i, "target"]\n        if ((i, "host_ip") in port) p = p ",host_ip=" port[i, "host_ip"]\n        if ((i, "protocol") in port) p = p ",protocol=" port[i, "protocol"]\n        print svc T "port" T p\n      }\n      for (i = 1; i <= vols; i++) if (vol[i] != "tmpfs") print svc T "volume" T vol[i]\n      printf "%s%shash%s", svc, T, T\n      fflush()\n      close("cksum")\n      svc = ""\n    }\n    BEGIN {\n      split("container_name network_mode scale replicas order stop_grace_period image", FACT, " ")\n      SCALAR["container_name"] = SCALAR["network_mode"] = SCALAR["scale"] = SCALAR["stop_grace_period"] = 1\n      SCALAR["image"] = 1\n      svc_indent = -1\n    }\n    /^ *$/ { if (svc != "") blanks++; next }\n    {\n      match($0, /^ */)\n      ind = RLENGTH\n      if (ind == 0) {\n        finish()\n        in_services = $0 == "services:"\n        next\n      }\n      if (!in_services) next\n      if (svc_indent < 0) svc_indent = ind\n      if (ind == svc_indent) {\n        finish()\n        svc = substr($0, ind + 1)\n        sub(/:( .*)?$/, "", svc)\n        svc = unquote(svc)\n        n = ports = vols = blanks = hc_none = 0\n        hc = ""\n        split("", port)\n        split("", vol)\n        split("", fact)\n        print | "cksum"\n        next\n      }\n      # Blank lines count only inside the block (PyYAML writes them in multi-line quoted scalars).\n      for (; blanks > 0; blanks--) print "" | "cksum"\n      print | "cksum"\n      rest = substr($0, ind + 1)\n      col = ind\n      if (rest ~ /^-( |$)/) {\n        while (n > 0 && (indent[n] > ind || (indent[n] == ind && key[n] == "-"))) n--\n        parent = path()\n        indent[++n] = ind\n        key[n] = "-"\n        if (parent == "ports") ports++\n        if (parent == "volumes") vol[++vols] = "rw"\n        rest = substr(rest, 3)\n        col = ind + 2\n        if (rest == "") next\n        c = substr(rest, 1, 1)\n        if (c == Q || c == "\\"" || (index(rest, ": ") == 0 && rest !~ /:$/)) {\n          v = unquote(rest)\n          if (parent == "ports") port[ports, "item"] = v\n          if (parent == "volumes" && v ~ /:ro(,[^:]*)?$|:[^:]*,ro$/) vol[vols] = "ro"\n          if (parent == "healthcheck/test" && v == "NONE") hc_none = 1\n          next\n        }\n      } else {\n        while (n > 0 && indent[n] >= ind) n--\n      }\n      k = index(rest, ": ")\n      if (k) {\n        name = substr(rest, 1, k - 1)\n        v = unquote(substr(rest, k + 2))\n      } else {\n        name = rest\n        sub(/:$/, "", name)\n        v = ""\n      }\n      indent[++n] = col\n      key[n] = name\n      p = path()\n      if (n == 1 && name in SCALAR && v != "") fact[name] = v\n      else if (p == "deploy/replicas") fact["replicas"] = v\n      else if (p == "deploy/update_config/order") fact["order"] = v\n      else if (p == "healthcheck/disable" && v == "true") hc_none = 1\n      else if (p == "healthcheck/test") hc = "test"\n      else if (p ~ /^ports\\/-\\/(published|target|host_ip|protocol)$/ && v != "") port[ports, name] = v\n      else if (p == "volumes/-/read_only" && v == "true") vol[vols] = "ro"\n      else if (p == "volumes/-/type" && v == "tmpfs") vol[vols] = "tmpfs"\n    }\n    END { finish() }\n  \' "$1"\n}\n\n# Deploy lock: an atomic `mkdir <app-dir>/.deploy/lock` holding owner.json, token and expires: epoch seconds on this\n# host\'s clock (its `date +%s` plus TTL seconds), so runners\' clocks do not matter. Every change to an existing lock\n# (takeover, renewal, release) is made under the lock\'s mutex, so a takeover re-reads the expiry with nobody else\n# changing the lock: of any number of concurrent takers of an expired lock, exactly one replaces it.\n# Globals: APP_DIR TOKEN OWNER_JSON TTL. Sets LOCK (acquired|taken-over|held), LOCK_OWNER (the holder\'s owner.json,\n# when held or taken over) and LOCK_AUDIT (on takeover: the audit log\'s last line, shortened).\ntake_lock() {\n  lock_paths\n  LOCK_OWNER=\'\'\n  LOCK_AUDIT=\'\'\n  mkdir -p "$LOCK_HOME" || fail "cannot create $LOCK_HOME"\n  if mkdir "$LOCK_DIR" 2>/dev/null; then\n    write_lock_owner "$LOCK_DIR"\n    LOCK=acquired\n    return\n  fi\n  if lock_is_mine; then\n    LOCK=acquired\n    return\n  fi\n  LOCK=held\n  LOCK_OWNER=$(cat "$LOCK_DIR/owner.json" 2>/dev/null)\n  lock_expired || return 0\n  lock_mutex || return 0\n  # Read again under the mutex: another taker may have replaced the lock since, or its owner renewed it.\n  if ! lock_expired; then\n    # Replaced or renewed since (held), or released (free to take).\n    if mkdir "$LOCK_DIR" 2>/dev/null; then\n      write_lock_owner "$LOCK_DIR"\n      LOCK=acquired\n      LOCK_OWNER=\'\'\n    else\n      LOCK_OWNER=$(cat "$LOCK_DIR/owner.json" 2>/dev/null)\n    fi\n    unlock_mutex\n    return 0\n  fi\n  LOCK_OWNER=$(cat "$LOCK_DIR/owner.json" 2>/dev/null)\n  # Taken over in place: the lock never stops existing, so no run can find it free and take it meanwhile. The new\n  # expiry goes first: a run reading it without the mutex from then on sees a live lock.\n  if ! write_expiry "$LOCK_DIR" || ! replace_file "$LOCK_DIR/token" "$TOKEN" ||\n    ! replace_file "$LOCK_DIR/owner.json" "$OWNER_JSON"; then\n    unlock_mutex\n    fail "cannot take over the expired lock $LOCK_DIR"\n  fi\n  LOCK=taken-over\n  drop_stale_mutexes\n  unlock_mutex\n  if [ "$LOCK" = taken-over ] && [ -s "$LOCK_HOME/audit.log" ]; then\n    LOCK_AUDIT=$(tail -n 1 "$LOCK_HOME/audit.log" | cut -c 1-300)\n  fi\n}\n\n# report_lock: add take_lock\'s outcome to the result.\nreport_lock() {\n  res_str lock "$LOCK"\n  [ -n "$LOCK_OWNER" ] && res_str lockOwner "$LOCK_OWNER"\n  [ -n "$LOCK_AUDIT" ] && res_str lockAudit "$LOCK_AUDIT"\n  return 0\n}\n\n# lock_paths: LOCK_HOME (<app-dir>/.deploy) and LOCK_DIR (its lock).\nlock_paths() {\n  LOCK_HOME="$APP_DIR/.deploy"\n  LOCK_DIR="$LOCK_HOME/lock"\n}\n\n# lock_is_mine: whether the lock holds TOKEN.\nlock_is_mine() {\n  [ "$(cat "$LOCK_DIR/token" 2>/dev/null)" = "$TOKEN" ]\n}\n\n# lock_expired: whether the lock has expired by this host\'s clock. A lock without a readable expiry is being written\n# right now, or was left half-written by a killed run: then it is old (by mtime) and counts as expired.\nlock_expired() {\n  _exp=$(cat "$LOCK_DIR/expires" 2>/dev/null)\n  case $_exp in\n  \'\' | *[!0-9]*)\n    [ -d "$LOCK_DIR" ] && [ -n "$(find "$LOCK_DIR" -maxdepth 0 -mmin +10 2>/dev/null)" ]\n    return\n    ;;\n  esac\n  [ "$_exp" -le "$(date +%s)" ]\n}\n\n# lock_mutex: take the lock\'s mutex, `lock.mutex.N` (an atomic mkdir, held for a few file operations); returns 1\n# while another process holds it. A mutex older than a minute was left by a killed process: it is passed over for\n# the next N rather than removed, as two processes removing the same old mutex could each remove it and then the\n# one the other just made. Sets LOCK_MUTEX.\nlock_mutex() {\n  _n=1\n  while :; do\n    LOCK_MUTEX="$LOCK_DIR.mutex.$_n"\n    mkdir "$LOCK_MUTEX" 2>/dev/null && return 0\n    [ -n "$(find "$LOCK_MUTEX" -maxdepth 0 -mmin +1 2>/dev/null)" ] || return 1\n    _n=$((_n + 1))\n  done\n}\n\n# lock_mutex_wait: lock_mutex, waiting up to 10 s for another process to finish with it.\nlock_mutex_wait() {\n  _w=0\n  until lock_mutex; do\n    [ "$_w" -lt 10 ] || return 1\n    sleep 1\n    _w=$((_w + 1))\n  done\n}\n\nunlock_mutex() {\n  rmdir "$LOCK_MUTEX" 2>/dev/null || rm -rf "$LOCK_MUTEX"\n}\n\n# drop_stale_mutexes: remove the old mutexes LOCK_MUTEX passed over. Safe only once the lock is live again: a process\n# that takes one of them now finds nothing to take over.\ndrop_stale_mutexes() {\n  _k=1\n  while [ "$LOCK_DIR.mutex.$_k" != "$LOCK_MUTEX" ]; do\n    rm -rf "$LOCK_DIR.mutex.$_k"\n    _k=$((_k + 1))\n  done\n}\n\n# lock_check: succeed when the lock holds TOKEN; otherwise set LOCK (other|absent) and LOCK_OWNER, and return 1.\nlock_check() {\n  lock_paths\n  LOCK_OWNER=\'\'\n  LOCK_AUDIT=\'\'\n  if [ ! -d "$LOCK_DIR" ]; then\n    LOCK=absent\n    return 1\n  fi\n  lock_is_mine && return 0\n  LOCK=other\n  LOCK_OWNER=$(cat "$LOCK_DIR/owner.json" 2>/dev/null)\n  return 1\n}\n\n# write_expiry DIR: DIR/expires = this host\'s time + TTL, replaced by rename (readers see the old or the new value).\nwrite_expiry() {\n  printf \'%s\\n\' "$(($(date +%s) + TTL))" >"$1/expires.$$" && mv -f "$1/expires.$$" "$1/expires"\n}\n\n# replace_file FILE TEXT: FILE holds TEXT, replaced by rename (readers see the old or the new content).\nreplace_file() {\n  printf \'%s\\n\' "$2" >"$1.$$" && mv -f "$1.$$" "$1"\n}\n\nwrite_lock_owner() {\n  printf \'%s\\n\' "$TOKEN" >"$1/token" &&\n    write_expiry "$1" &&\n    printf \'%s\\n\' "$OWNER_JSON" >"$1/owner.json" ||\n    fail "cannot write the lock owner into $1"\n}\n\n# new_file PREFIX: create PREFIX.<random> as a new file of this user\'s, mode 0600 (mktemp: never an existing path or\n# a symlink someone planted), and print its path. The PREFIX names the phase\'s shell ($$), for stop\'s cleanup.\nnew_file() {\n  mktemp "$1.XXXXXX"\n}\n\n# remove_temp_files APP_DIR PID: the secret-bearing temp files (new_file) of a phase shell that was killed before it\n# could remove them itself.\nremove_temp_files() {\n  set +f\n  rm -f "$1/.env.deploy-tmp.$2".* "$1/.deploy/env.next.$2".* "$1/.deploy/pull.err.$2".* \\\n    "$1/.deploy/config.old.$2".* "$1/.deploy/config.new.$2".*\n  set -f\n}\n\n# at_exit COMMAND: run COMMAND (shell text) when the phase exits, after those added before it.\nAT_EXIT=\'\'\nat_exit() {\n  AT_EXIT="$AT_EXIT$1$NL"\n  trap \'eval "$AT_EXIT"\' EXIT\n}\n\n# --- Supervision: every phase can be stopped, and is known to have stopped ----------------------------------------\n# sshd starts each command in a session, and so a process group, of its own. `supervise` records that group in\n# <app-dir>/.deploy/run/<run>/<pgid> ("<pgid> <leader start time> <shell pid>") and starts a watcher that stops the\n# group (TERM, then KILL) when the SSH channel closes: the runner keeps the command\'s stdin open while it waits, so\n# stdin reaching its end means the runner gave up on the phase (timeout, cancel) or is gone. The runner then runs\n# `stop` from a new channel, which stops what is left and waits until it is gone.\n\n# proc_stat PID: the fields of /proc/PID/stat after the command name (1 state, 2 ppid, 3 pgrp, 4 session, 20 start\n# time) into STAT (space-separated); fails when there is no such process.\nproc_stat() {\n  { read -r STAT <"/proc/$1/stat"; } 2>/dev/null || return 1\n  STAT=${STAT##*) }\n}\n\n# stat_field N: field N of STAT into FIELD.\nstat_field() {\n  _n=$1\n  _old_ifs=$IFS\n  IFS=\' \'\n  # shellcheck disable=SC2086\n  set -- $STAT\n  IFS=$_old_ifs\n  eval "FIELD=\\${$_n:-}"\n}\n\n# group_alive PGID [EXCEPT_PID]: whether a live (not zombie) process other than EXCEPT_PID is in process group PGID.\ngroup_alive() {\n  set +f\n  for _p in /proc/[0-9]*; do\n    [ "${_p#/proc/}" = "${2:-}" ] && continue\n    proc_stat "${_p#/proc/}" || continue\n    case $STAT in Z\\ * | X\\ *) continue ;; esac\n    _rest=${STAT#* }\n    _rest=${_rest#* }\n    if [ "${_rest%% *}" = "$1" ]; then\n      set -f\n      return 0\n    fi\n  done\n  set -f\n  return 1\n}\n\n# nap: sleep a fifth of a second (a whole one where sleep takes no fraction).\nnap() { sleep 0.2 2>/dev/null || sleep 1; }\n\n# own_pid: this (sub)shell\'s own pid into OWN_PID ($$ is the main shell\'s in a subshell too).\nown_pid() {\n  { read -r OWN_PID _ </proc/self/stat; } 2>/dev/null\n  OWN_PID=${OWN_PID%% *}\n}\n\n# supervise APP_DIR: make this phase stoppable (see above). Does nothing without a run id (DEPLOY_RUN, set on stdin)\n# or when this shell is not in a session of its own (then its group is not ours to stop).\nsupervise() {\n  PHASE_RECORD=\'\'\n  [ -n "${DEPLOY_RUN:-}" ] || return 0\n  proc_stat $$ || return 0\n  stat_field 3\n  _pg=$FIELD\n  stat_field 4\n  [ "$_pg" = "$FIELD" ] && [ "$_pg" -gt 1 ] || return 0\n  proc_stat "$_pg" || return 0\n  stat_field 20\n  _start=$FIELD\n  case $1 in /*) _app=$1 ;; *) _app=$PWD/$1 ;; esac\n  _rd=$_app/.deploy/run/$DEPLOY_RUN\n  # No app dir (pre-flight then fails on it): nothing to record, the watcher still stops the phase.\n  mkdir -p "$_rd" 2>/dev/null && printf \'%s %s %s\\n\' "$_pg" "$_start" $$ >"$_rd/$_pg" 2>/dev/null &&\n    PHASE_RECORD=$_rd/$_pg\n  exec 3<&0\n  (\n    trap \'\' INT TERM HUP\n    own_pid\n    cat <&3 >/dev/null 2>&1\n    # The phase ended by itself: its shell is gone and removed its record on the way out.\n    if ! kill -s 0 $$ 2>/dev/null && { [ -z "$PHASE_RECORD" ] || [ ! -f "$PHASE_RECORD" ]; }; then exit 0; fi\n    kill -s TERM -- "-$_pg" 2>/dev/null\n    _i=0\n    while group_alive "$_pg" "$OWN_PID"; do\n      [ "$_i" -ge 50 ] && kill -s KILL -- "-$_pg" 2>/dev/null\n      nap\n      _i=$((_i + 1))\n    done\n    [ -z "$PHASE_RECORD" ] || rm -f "$PHASE_RECORD"\n    remove_temp_files "$_app" $$\n  ) </dev/null >/dev/null 2>&1 &\n  exec 3<&-\n  at_exit \'[ -z "$PHASE_RECORD" ] || { rm -f "$PHASE_RECORD"; rmdir "${PHASE_RECORD%/*}" "${PHASE_RECORD%/*/*}" 2>/dev/null; }\'\n}\n',
    lock: "# lock: try once to take the deploy lock (pre-flight polls with it while another run holds the lock).\n# Args: APP_DIR TOKEN OWNER_JSON TTL (seconds the lock lives on this host's clock unless renewed)\n# Result: lock (acquired|taken-over|held), lockOwner (the holder's owner.json, when held or taken over), lockAudit\n#   (taken over: the last line of the audit log).\nAPP_DIR=$1 TOKEN=$2 OWNER_JSON=$3 TTL=$4\nenter_app_dir\ntake_lock\nreport_lock\nok\n",
    preflight: '# preflight: check the host can be deployed to, then take the deploy lock. Changes nothing else.\n# Args: APP_DIR COMPOSE_FILES IMAGE_VAR MIN_FREE_KB TOKEN OWNER_JSON TTL (lock lifetime, seconds on this host\'s clock)\n#   VALIDATE (yes: dry run)\n# Result: compose (v1|v2), dockerVersion, freeKb, imageBefore, services[] and facts (VALIDATE only), project, composeVersion\n#   (of the compose that created the project\'s containers), warnings[], lastAudit (the audit log\'s last line), lock,\n#   lockOwner, lockAudit (as `lock`).\nAPP_DIR=$1 COMPOSE_FILES=$2 IMAGE_VAR=$3 MIN_FREE_KB=$4 TOKEN=$5 OWNER_JSON=$6 TTL=$7 VALIDATE=${8:-no}\nWARNINGS=\'\'\nwarn() { WARNINGS="$WARNINGS${WARNINGS:+,}\\"$(json_str "$1")\\""; }\n\nenter_app_dir\n[ -w . ] || fail "app-dir $APP_DIR is not writable by $(id -un 2>/dev/null || echo this user)"\n# The lock, backups and temp files live in .deploy: it must be this user\'s own folder, not one planted by another.\nif [ -e .deploy ] || [ -L .deploy ]; then\n  [ -d .deploy ] && [ ! -L .deploy ] && [ -O .deploy ] ||\n    fail "$APP_DIR/.deploy is not a folder owned by $(id -un 2>/dev/null || echo this user): remove it or fix its owner"\nfi\ncommand -v docker >/dev/null 2>&1 || fail "docker is not installed (no \'docker\' on PATH)"\nif ! out=$(docker version --format \'{{.Server.Version}}\' 2>&1); then\n  fail "the docker daemon is not reachable: $(last_lines "$out" 2)"\nfi\nres_str dockerVersion "$out"\n\nfor f in $COMPOSE_FILES; do\n  [ -f "$f" ] || fail "compose file $f not found in $APP_DIR"\ndone\nfiles=$(compose_file_list)\n[ -n "$files" ] || fail "no compose file in $APP_DIR (looked for compose.yaml, docker-compose.yml and their .yml/.yaml forms)"\n# Which compose: the `compose` CLI plugin (`docker compose`: v2, or v1 behind a plugin shim), else the standalone\n# `docker-compose` (v1). COMPOSE_KIND names the command, not the version. Found without starting compose where the\n# plugin sits in a directory the docker CLI searches (compose v1 takes 1-2 s of CPU to start); else asked.\nCOMPOSE_KIND=\nfor d in "${DOCKER_CONFIG:-${HOME:-/nonexistent}/.docker}/cli-plugins" /usr/local/lib/docker/cli-plugins \\\n  /usr/local/libexec/docker/cli-plugins /usr/lib/docker/cli-plugins /usr/libexec/docker/cli-plugins; do\n  [ -x "$d/docker-compose" ] && COMPOSE_KIND=v2 && break\ndone\nif [ -z "$COMPOSE_KIND" ]; then\n  if docker compose version >/dev/null 2>&1; then\n    COMPOSE_KIND=v2\n  elif command -v docker-compose >/dev/null 2>&1; then\n    COMPOSE_KIND=v1\n  else\n    fail "neither \'docker compose\' (v2) nor \'docker-compose\' (v1) is available"\n  fi\nfi\nres_str compose "$COMPOSE_KIND"\n# A deploy\'s pull validates the configuration (with the new values) before any host changes; a dry run, which\n# pulls nothing, validates it here and lists the services.\nif [ "$VALIDATE" = yes ]; then\n  capture services compose config --services\n  case $? in\n  0) ;;\n  126 | 127) fail "compose ($COMPOSE_KIND) cannot start: $(last_lines "$ERR_TEXT" 1)" ;;\n  *) fail "the compose configuration is invalid: $(last_lines "$ERR_TEXT")" ;;\n  esac\n  svc_json=\'\'\n  for s in $services; do svc_json="$svc_json${svc_json:+,}\\"$(json_str "$s")\\""; done\n  res_raw services "[$svc_json]"\n  # The plan\'s update order per service: the configuration\'s facts (structure only, never a value; the text itself\n  # holds .env\'s values and stays in this shell).\n  if capture config_text compose config 2>/dev/null; then\n    res_str facts "$(printf \'%s\\n\' "$config_text" | service_facts /dev/stdin)"\n  fi\n  config_text=\'\'\nfi\nreferenced=no\nfor f in $files; do\n  if grep -q -F -e "\\$$IMAGE_VAR" -e "\\${$IMAGE_VAR" "$f" 2>/dev/null; then referenced=yes; fi\ndone\n[ "$referenced" = yes ] || warn "no compose file mentions \\${$IMAGE_VAR}: setting it in .env will not change the image"\n\nfree=$(df -Pk . 2>/dev/null | awk \'NR == 2 { print $4 }\')\ncase $free in\n\'\' | *[!0-9]*) warn "could not read the free disk space of $APP_DIR" ;;\n*)\n  res_raw freeKb "$free"\n  [ "$free" -ge "$MIN_FREE_KB" ] ||\n    fail "only $((free / 1024)) MiB free on the filesystem of $APP_DIR; at least $((MIN_FREE_KB / 1024)) MiB are needed"\n  ;;\nesac\n\n# unquote: stdin without trailing blanks and one pair of surrounding quotes.\nunquote() { sed -e \'s/[[:space:]]*$//\' -e "s/^\'\\(.*\\)\'\\$/\\1/" -e \'s/^"\\(.*\\)"$/\\1/\'; }\n# env_value KEY: the last value .env gives KEY (plain, `export KEY=`, quoted), empty without one.\nenv_value() {\n  [ -f .env ] || return 0\n  sed -n "s/^[[:space:]]*\\(export[[:space:]][[:space:]]*\\)\\{0,1\\}$1[[:space:]]*=[[:space:]]*//p" .env | tail -n 1 | unquote\n}\n\nbefore=$(env_value "$IMAGE_VAR")\n[ -n "$before" ] && res_str imageBefore "$before"\n\n# The project\'s containers can be found by their label with docker alone (no compose start in later phases) when\n# the name compose gives the project is certain: derived as compose does (COMPOSE_PROJECT_NAME, a top-level\n# `name:`, else the directory\'s name) and carried by containers created from this directory.\nname=${COMPOSE_PROJECT_NAME:-}\n[ -n "$name" ] || name=$(env_value COMPOSE_PROJECT_NAME)\nif [ -z "$name" ]; then\n  for f in $files; do\n    n=$(sed -n \'s/^name:[[:space:]]*//p\' "$f" | tail -n 1 | unquote)\n    [ -n "$n" ] && name=$n\n  done\nfi\n[ -n "$name" ] || name=${APP_DIR##*/}\ncase $name in\n*\'$\'*) ;; # interpolated: left to compose\n*)\n  name=$(printf \'%s\' "$name" | tr \'A-Z\' \'a-z\' | tr -cd \'a-z0-9_-\')\n  # "project<TAB>compose version" of each container created from this directory.\n  labelled=$(docker ps -a --filter "label=com.docker.compose.project.working_dir=$APP_DIR" \\\n    --format \'{{.Label "com.docker.compose.project"}}{{"\\t"}}{{.Label "com.docker.compose.version"}}\' 2>/dev/null)\n  for row in $labelled; do\n    [ "${row%%"$TAB"*}" = "$name" ] || continue\n    res_str project "$name"\n    # The compose version that created them (no compose start needed to ask it).\n    case $row in *"$TAB"?*) res_str composeVersion "${row#*"$TAB"}" ;; esac\n    break\n  done\n  ;;\nesac\n\n# The last outcome recorded here: which backup holds the release before the one that runs (its `previous`).\n[ -s .deploy/audit.log ] && res_str lastAudit "$(tail -n 1 .deploy/audit.log)"\n\ntake_lock\nreport_lock\nres_raw warnings "[$WARNINGS]"\nok\n',
    pull: '# pull: pull the images of the services (all when SERVICES is empty) as they will be after `apply`: compose reads a\n# copy of .env with the new KEY=value lines merged in (mode 0600 under .deploy, removed on exit), so the new image\n# is pulled while .env and the running containers stay as they are. Compose\'s progress (stderr) is shown when it ends.\n# Meanwhile it reads the project\'s configuration with the current and with the new .env, and reports what the\n# update order needs: each service\'s facts under the new one (never a value: see service_facts) and the services\n# the deploy changes (their configuration differs, or their image reference now names another image).\n# Args: APP_DIR COMPOSE_KIND COMPOSE_FILES SERVICES PROJECT\n# Input ($DEPLOY_INPUT): the KEY=value lines `apply` will set (secret: never on a command line).\n# Result: facts (service_facts lines of the new configuration, as one string), changed [services]; both absent when\n#   compose could not print its configuration.\nAPP_DIR=$1 COMPOSE_KIND=$2 COMPOSE_FILES=$3 SERVICES=$4 PROJECT=${5:-}\nenter_app_dir\n[ -n "${DEPLOY_INPUT:-}" ] || fail "no variables to pull with"\nsrc=.env\n[ -f .env ] || src=/dev/null\nmkdir -p "$APP_DIR/.deploy" || fail "cannot create $APP_DIR/.deploy"\nnext=$(new_file "$APP_DIR/.deploy/env.next.$$") || fail "cannot create a temporary file in $APP_DIR/.deploy"\nerrs=$(new_file "$APP_DIR/.deploy/pull.err.$$") || fail "cannot create a temporary file in $APP_DIR/.deploy"\n# The configurations hold the values of .env (secrets): files of our own, mode 0600, removed on exit.\ncfg_old=$(new_file "$APP_DIR/.deploy/config.old.$$") || fail "cannot create a temporary file in $APP_DIR/.deploy"\ncfg_new=$(new_file "$APP_DIR/.deploy/config.new.$$") || fail "cannot create a temporary file in $APP_DIR/.deploy"\nat_exit \'rm -f "$next" "$errs" "$cfg_old" "$cfg_new"\'\nmerge_env "$src" >"$next" || fail "cannot write $next"\ncompose config >"$cfg_old" 2>/dev/null &\nold_pid=$!\ncompose --env-file "$next" config >"$cfg_new" 2>/dev/null &\nnew_pid=$!\ncompose --env-file "$next" pull $SERVICES 2>"$errs"\nrc=$?\ncat "$errs" >&2\nwait "$old_pid"\nold_rc=$?\nwait "$new_pid"\nnew_rc=$?\n[ "$rc" -eq 0 ] || fail "docker compose pull failed with exit code $rc: $(last_lines "$(cat "$errs")" 2)"\n[ "$old_rc" -eq 0 ] && [ "$new_rc" -eq 0 ] || ok\n\nfacts=$(service_facts "$cfg_new")\n# The same configuration may still change a service: its image reference may name another image now (a tag pushed\n# again, then pulled).\npulled_image_id() {\n  _ref=$(printf \'%s\\n\' "$facts" | awk -F "$TAB" -v s="$1" \'$1 == s && $2 == "image" { print $3; exit }\')\n  [ -n "$_ref" ] && docker image inspect --format \'{{.Id}}\' "$_ref" 2>/dev/null\n  return 0\n}\nchanged_services "$facts" "$cfg_old" pulled_image_id\nres_str facts "$facts"\nres_raw changed "[$CHANGED]"\nok\n',
    releases: '# releases: what a rollback-to needs to choose its backup, read in pre-flight. Changes nothing.\n# Args: APP_DIR COMPOSE_KIND COMPOSE_FILES PROJECT\n# Result: running [{service,imageId,image}] (one per service),\n#   backups [{name, complete, previous, release, images: [{service,imageId,image,present}]}] oldest first\n#   (complete: it has its manifest; present: the image id is still on this host).\nAPP_DIR=$1 COMPOSE_KIND=$2 COMPOSE_FILES=$3 PROJECT=${4:-}\nenter_app_dir\nrunning_images_json\nres_raw running "[$RUNNING_JSON]"\n\nroot=.deploy/backups\nlist=\'\'\nif [ -d "$root" ]; then\n  for name in $(ls -1 "$root"); do\n    dir="$root/$name"\n    [ -d "$dir" ] || continue\n    complete=false\n    [ -f "$dir/manifest" ] && complete=true\n    images=\'\'\n    if [ -f "$dir/images" ]; then\n      while IFS=$TAB read -r service id ref; do\n        [ -n "$service" ] || continue\n        present=false\n        docker image inspect "$id" >/dev/null 2>&1 && present=true\n        images="$images${images:+,}{\\"service\\":\\"$(json_str "$service")\\",\\"imageId\\":\\"$(json_str "$id")\\",\\"image\\":\\"$(json_str "$ref")\\",\\"present\\":$present}"\n      done <"$dir/images"\n    fi\n    list="$list${list:+,}{\\"name\\":\\"$(json_str "$name")\\",\\"dir\\":\\"$(json_str "$APP_DIR/$dir")\\",\\"complete\\":$complete,\\"previous\\":\\"$(json_str "$(meta_value "$dir" previous)")\\",\\"release\\":\\"$(json_str "$(meta_value "$dir" release)")\\",\\"images\\":[$images]}"\n  done\nfi\nres_raw backups "[$list]"\nok\n',
    renew: '# renew: push this run\'s deploy lock out to TTL seconds from now (this host\'s clock), only while it holds TOKEN.\n# Args: APP_DIR TOKEN TTL\n# Result: lock (renewed|absent|other), lockOwner (when another run holds it), expires (epoch seconds, when renewed).\nAPP_DIR=$1 TOKEN=$2 TTL=$3\nenter_app_dir\nlock_paths\nlock_mutex_wait || fail "the deploy lock is busy (another run is taking it over)"\nif lock_check; then\n  write_expiry "$LOCK_DIR" || {\n    unlock_mutex\n    fail "cannot write $LOCK_DIR/expires"\n  }\n  LOCK=renewed\n  res_raw expires "$(cat "$LOCK_DIR/expires")"\nfi\nunlock_mutex\nreport_lock\nok\n',
    restore: '# restore: the `apply` of a rollback-to: put back the files of an earlier backup and tag its recorded image ids again\n# as the references their containers were created from, so `up` runs them without a registry. Changes no container.\n# Only while the deploy lock still holds TOKEN. Meanwhile it reads the project\'s configuration before and after, and\n# reports what the update order needs, as `pull` does for a deploy: each service\'s facts under the restored\n# configuration, and the services it changes (their configuration differs, or they run another image id than the\n# backup recorded).\n# Args: APP_DIR COMPOSE_KIND COMPOSE_FILES SERVICES BACKUP_DIR TOKEN PROJECT\n# Result: restored (files), retagged (count), missing [image ids no longer on the host], previous (the backup the\n#   restored one records as holding the release before its own), facts and changed (both absent when compose could\n#   not print its configuration); refused: lock (other|absent), lockOwner.\nAPP_DIR=$1 COMPOSE_KIND=$2 COMPOSE_FILES=$3 SERVICES=$4 BACKUP_DIR=$5 TOKEN=$6 PROJECT=${7:-}\nenter_app_dir\nif ! lock_check; then\n  report_lock\n  fail "the deploy lock is no longer this run\'s"\nfi\n[ -f "$BACKUP_DIR/manifest" ] || fail "backup $BACKUP_DIR is missing or incomplete (no manifest)"\n# The configurations hold the values of .env (secrets): files of our own, mode 0600, removed on exit.\ncfg_old=$(new_file "$APP_DIR/.deploy/config.old.$$") || fail "cannot create a temporary file in $APP_DIR/.deploy"\ncfg_new=$(new_file "$APP_DIR/.deploy/config.new.$$") || fail "cannot create a temporary file in $APP_DIR/.deploy"\nat_exit \'rm -f "$cfg_old" "$cfg_new"\'\ncompose config >"$cfg_old" 2>/dev/null\nold_rc=$?\n\nrestore_backup "$BACKUP_DIR"\n\ncompose config >"$cfg_new" 2>/dev/null || ok\n[ "$old_rc" -eq 0 ] || ok\nfacts=$(service_facts "$cfg_new")\n# The same configuration may still change a service: the backup\'s containers ran another image id than the running ones.\nrecorded_image_id() {\n  awk -F "$TAB" -v s="$1" \'$1 == s { print $2; exit }\' "$BACKUP_DIR/images" 2>/dev/null\n  return 0\n}\nchanged_services "$facts" "$cfg_old" recorded_image_id\nres_str facts "$facts"\nres_raw changed "[$CHANGED]"\nok\n',
    rollback: '# rollback: restore the files of a backup, make the recorded image ids run again, then up without pulling.\n# Works with the registry unreachable and with a re-pushed (mutable) tag: each recorded image id is tagged again as\n# the reference its container was created from, which the restored files resolve to.\n# Only while the deploy lock still holds TOKEN: a run whose lock was taken over never undoes the new owner\'s deploy.\n# A start-first deploy cut short before its switch (RETIRE: "service<TAB>grace seconds" lines) first removes the\n# new containers of those services, each stopped within its grace period: every container the backup does not list.\n# The old ones never stopped, and the restored files are what they run, so `up` then leaves them alone.\n# Args: APP_DIR COMPOSE_KIND COMPOSE_FILES SERVICES BACKUP_DIR TOKEN RETIRE PROJECT\n# Result: restored (files), retagged (count), missing [image ids no longer on the host], previous (the backup the\n#   restored one records as holding the release before its own); refused: lock (other|absent), lockOwner.\nAPP_DIR=$1 COMPOSE_KIND=$2 COMPOSE_FILES=$3 SERVICES=$4 BACKUP_DIR=$5 TOKEN=$6 RETIRE=${7:-} PROJECT=${8:-}\nenter_app_dir\nif ! lock_check; then\n  report_lock\n  fail "the deploy lock is no longer this run\'s"\nfi\n[ -f "$BACKUP_DIR/manifest" ] || fail "backup $BACKUP_DIR is missing or incomplete (no manifest)"\n\nretired=0\nif [ -n "$RETIRE" ] && [ -f "$BACKUP_DIR/containers" ]; then\n  kept=$(cat "$BACKUP_DIR/containers")\n  list_containers\n  doomed=\'\'\n  pids=\'\'\n  for row in $ROWS; do\n    id=${row%%"$TAB"*}\n    rest=${row#*"$TAB"}\n    svc=${rest%%"$TAB"*}\n    case "$NL$kept$NL" in *"$TAB$id$NL"*) continue ;; esac\n    for r in $RETIRE; do\n      [ "${r%%"$TAB"*}" = "$svc" ] || continue\n      grace=${r#*"$TAB"}\n      case $grace in \'\' | *[!0-9]*) grace=10 ;; esac\n      docker stop -t "$grace" "$id" >/dev/null 2>&1 &\n      pids="$pids$!$NL"\n      doomed="$doomed$id$NL"\n    done\n  done\n  # By pid: a bare `wait` would also wait for the phase\'s watcher.\n  for pid in $pids; do wait "$pid"; done\n  for id in $doomed; do\n    if ! docker rm -f "$id" >/dev/null 2>&1 && docker inspect "$id" >/dev/null 2>&1; then\n      fail "cannot remove the new container $id"\n    fi\n    retired=$((retired + 1))\n  done\nfi\nres_raw retired "$retired"\nrestore_backup "$BACKUP_DIR"\n\ncompose up -d --no-build $SERVICES\nrc=$?\n[ "$rc" -eq 0 ] || fail "docker compose up failed with exit code $rc"\nok\n',
    run: '# run: run a user command (pre-deploy, post-deploy, health-check command) in the app directory.\n# Args: APP_DIR LABEL. Input: the command, which so never appears on a command line (`ps` shows only the label).\n# It runs in a subshell as `sh -c` would run it (default IFS, globbing on, unset variables allowed), stdin /dev/null.\n# Result: exitCode.\nAPP_DIR=$1 LABEL=$2\nenter_app_dir\n[ -n "${DEPLOY_INPUT:-}" ] || fail "no $LABEL given"\nrc=0\n(\n  set +u +f\n  IFS=\' \t\n\'\n  eval "$DEPLOY_INPUT"\n) || rc=$?\nres_raw exitCode "$rc"\n[ "$rc" -eq 0 ] || fail "$LABEL exited with code $rc"\nok\n',
    start: '# start: start-first, step 1. Creates each listed service\'s new containers beside its running ones, from the new\n# .env, with compose\'s own scaling: the old containers are neither recreated nor stopped, and the new ones carry the\n# service\'s labels and network aliases, so a proxy that follows Docker (Traefik, Caddy, nginx-proxy) finds them as\n# it finds the old. Nothing else in the project is touched (--no-deps).\n# Args: APP_DIR COMPOSE_KIND COMPOSE_FILES PROJECT SCALES ("service<TAB>declared count" lines)\n# Result: old [{service,id,name}] (the containers that ran before), new [{service,id,name}].\nAPP_DIR=$1 COMPOSE_KIND=$2 COMPOSE_FILES=$3 PROJECT=$4 SCALES=$5\nenter_app_dir\nlist_containers\nbefore=$ROWS\n\n# count_of SERVICE ROWS: how many of ROWS are containers of SERVICE.\ncount_of() {\n  printf \'%s\\n\' "$2" | awk -F "$TAB" -v s="$1" \'$2 == s { n++ } END { print n + 0 }\'\n}\n\nflags=\'\'\nservices=\'\'\nfor row in $SCALES; do\n  svc=${row%%"$TAB"*} want=${row#*"$TAB"}\n  case $want in \'\' | *[!0-9]*) fail "invalid scale for $svc: $want" ;; esac\n  have=$(count_of "$svc" "$before")\n  # Every container the service has stays; `want` new ones are added next to them.\n  flags="$flags--scale$NL$svc=$((have + want))$NL"\n  services="$services$svc$NL"\ndone\n[ -n "$services" ] || fail "no services to start"\n\ncompose up -d --no-build --no-deps --no-recreate $flags $services\nrc=$?\n[ "$rc" -eq 0 ] || fail "docker compose up (start-first) failed with exit code $rc"\n\nlist_containers\nafter=$ROWS\n# json_rows ROWS: [{service,id,name}] of ROWS.\njson_rows() {\n  _j=\'\'\n  for _r in $1; do\n    _old_ifs=$IFS\n    IFS=$TAB\n    set -- $_r\n    IFS=$_old_ifs\n    _j="$_j${_j:+,}{\\"service\\":\\"$(json_str "${2:-}")\\",\\"id\\":\\"$(json_str "${1:-}")\\",\\"name\\":\\"$(json_str "${5:-}")\\"}"\n  done\n  printf \'%s\' "$_j"\n}\nold=\'\'\nnew=\'\'\nfor row in $after; do\n  id=${row%%"$TAB"*}\n  rest=${row#*"$TAB"}\n  svc=${rest%%"$TAB"*}\n  in_list "$svc" "$services" || continue\n  case "$NL$before" in\n  *"$NL$id$TAB"*) old="$old$row$NL" ;;\n  *) new="$new$row$NL" ;;\n  esac\ndone\nfor row in $SCALES; do\n  svc=${row%%"$TAB"*} want=${row#*"$TAB"}\n  got=$(count_of "$svc" "$new")\n  [ "$got" -ge "$want" ] || fail "docker compose created $got new container(s) of $svc, $want expected"\ndone\nres_raw old "[$(json_rows "$old")]"\nres_raw new "[$(json_rows "$new")]"\nok\n',
    stop: '# stop: stop the phases a run left on this host (timed out, cancelled, or cut off with its connection) and wait until\n# they are gone. Not supervised itself. Each record <app-dir>/.deploy/run/<run>/<pgid> names a process group; a\n# record whose group leader is another process now (its start time differs) is stale and only removed.\n# Args: APP_DIR RUN WAIT (naps of 0.2 s that TERM may take before KILL; KILL then gets 25 more)\n# Result: stopped (groups that were running and are gone now), left [pgids still running after TERM and KILL].\nAPP_DIR=$1 RUN=$2 WAIT=$3\ncase $RUN in \'\' | *[!A-Za-z0-9_-]*) fail "invalid run id" ;; esac\ncase $WAIT in \'\' | *[!0-9]*) fail "invalid wait" ;; esac\nif [ ! -d "$APP_DIR/.deploy/run/$RUN" ]; then\n  res_raw stopped 0\n  res_raw left \'[]\'\n  ok\nfi\nenter_app_dir\ndir=$APP_DIR/.deploy/run/$RUN\nset +f\nrecords=$(for f in "$dir"/*; do [ -f "$f" ] && printf \'%s\\n\' "$f"; done)\nset -f\nrunning=\'\'\nfor f in $records; do\n  { IFS=\' \' read -r pg start pid <"$f"; } 2>/dev/null || pg=\'\'\n  case $pg in \'\' | *[!0-9]* | 0 | 1)\n    rm -f "$f"\n    continue\n    ;;\n  esac\n  # The leader still exists with another start time: the pid was reused, the group we recorded is gone.\n  if proc_stat "$pg"; then\n    stat_field 20\n    if [ "$FIELD" != "$start" ]; then\n      rm -f "$f"\n      continue\n    fi\n  fi\n  if group_alive "$pg"; then\n    echo "stopping process group $pg (left by this run)"\n    kill -s TERM -- "-$pg" 2>/dev/null\n    running="$running$pg $pid$NL"\n  else\n    rm -f "$f"\n    remove_temp_files "$APP_DIR" "$pid"\n  fi\ndone\nstopped=0\nleft=\'\'\nwaited=0\nfor entry in $running; do\n  pg=${entry%% *}\n  pid=${entry#* }\n  while group_alive "$pg"; do\n    if [ "$waited" -ge "$WAIT" ]; then\n      [ "$waited" -eq "$WAIT" ] && echo "process group $pg did not stop after TERM: KILL"\n      kill -s KILL -- "-$pg" 2>/dev/null\n    fi\n    [ "$waited" -ge $((WAIT + 25)) ] && break\n    nap\n    waited=$((waited + 1))\n  done\n  if group_alive "$pg"; then\n    left="$left${left:+,}$pg"\n  else\n    stopped=$((stopped + 1))\n    # What a killed phase could not clean up: its secret-bearing temp files.\n    rm -f "$dir/$pg"\n    remove_temp_files "$APP_DIR" "$pid"\n  fi\ndone\nrmdir "$dir" "$APP_DIR/.deploy/run" 2>/dev/null\nres_raw stopped "$stopped"\nres_raw left "[$left]"\nok\n',
    switch: '# switch: start-first, step 2, once the new containers passed their gate. Retires the old containers (all at once,\n# each stopped within its grace period, then removed), then brings the rest of the project to the new configuration\n# as `up` does: the new containers are current already, so compose leaves them alone and only recreates what is\n# deployed stop-first.\n# Args: APP_DIR COMPOSE_KIND COMPOSE_FILES SERVICES OLD ("container id<TAB>grace seconds" lines)\n# Result: retired (count).\nAPP_DIR=$1 COMPOSE_KIND=$2 COMPOSE_FILES=$3 SERVICES=$4 OLD=$5\nenter_app_dir\nretired=0\n# The stops run at once; waited for by pid (a bare `wait` would also wait for the phase\'s watcher).\npids=\'\'\nfor row in $OLD; do\n  id=${row%%"$TAB"*} grace=${row#*"$TAB"}\n  case $grace in \'\' | *[!0-9]*) grace=10 ;; esac\n  docker stop -t "$grace" "$id" >/dev/null 2>&1 &\n  pids="$pids$!$NL"\ndone\nfor pid in $pids; do wait "$pid"; done\nfor row in $OLD; do\n  id=${row%%"$TAB"*}\n  # Gone already (removed by hand meanwhile) is what we wanted.\n  if docker rm -f "$id" >/dev/null 2>&1 || ! docker inspect "$id" >/dev/null 2>&1; then\n    retired=$((retired + 1))\n  else\n    fail "cannot remove the old container $id"\n  fi\ndone\nres_raw retired "$retired"\ncompose up -d --no-build $SERVICES\nrc=$?\n[ "$rc" -eq 0 ] || fail "docker compose up failed with exit code $rc (the old containers are already retired)"\nok\n',
    unlock: '# unlock: release the deploy lock if this run holds it; another run\'s lock is left alone. With BACKUP_DIR (a host\n# this run backed up and pulled on, but never changed), first tag the image ids of that backup again, so a mutable\n# tag the pull moved (a re-pushed `latest`) names what the host ran before.\n# Args: APP_DIR TOKEN [BACKUP_DIR]\n# Result: lock (released|absent|other), lockOwner (when another run holds it), retagged and retagError (with\n#   BACKUP_DIR).\nAPP_DIR=$1 TOKEN=$2 BACKUP_DIR=${3:-}\nenter_app_dir\nif ! lock_check; then\n  report_lock\n  ok\nfi\n# Only while the lock is ours: another run may be deploying to this host. A tag that cannot be put back is reported;\n# the lock is released all the same.\nif [ -n "$BACKUP_DIR" ]; then\n  retag_images "$BACKUP_DIR" || res_str retagError "$RETAG_ERROR"\n  res_raw retagged "$RETAGGED"\nfi\n# Under the mutex, and checked again there: a run taking over a lock that expired must not find it gone mid-way.\nlock_mutex_wait || fail "cannot release the lock $LOCK_DIR: it is busy (another run is taking it over)"\nif lock_check; then\n  # Rename first, so nobody sees a half-deleted lock.\n  gone="$LOCK_DIR.released.$$"\n  if ! mv "$LOCK_DIR" "$gone"; then\n    unlock_mutex\n    fail "cannot release the lock $LOCK_DIR"\n  fi\n  LOCK=released\nfi\nunlock_mutex\n[ "$LOCK" = released ] && rm -rf "$gone"\nreport_lock\nok\n',
    up: '# up: (re)create the containers of the services (all when SERVICES is empty) on the pulled images.\n# Args: APP_DIR COMPOSE_KIND COMPOSE_FILES SERVICES\nAPP_DIR=$1 COMPOSE_KIND=$2 COMPOSE_FILES=$3 SERVICES=$4\nenter_app_dir\ncompose up -d --no-build $SERVICES\nrc=$?\n[ "$rc" -eq 0 ] || fail "docker compose up failed with exit code $rc"\nok\n'
};

;// CONCATENATED MODULE: ./src/strategies/ssh-rolling/scripts.ts
/** The shell each phase runs on a host: `remote/lib.sh` followed by the phase's `remote/<name>.sh`. */

/** The one phase that is not supervised: it is what stops the others. */
const UNSUPERVISED = new Set(['stop']);
/**
 * Phases that only look (container state, logs): one that loses its exit status is stopped by its watcher when the
 * channel closes, and nothing waits to confirm it; every other phase is confirmed stopped before the host goes on.
 */
const READ_ONLY = new Set(['health', 'diagnose', 'releases']);
/**
 * The full text of a phase script. The phase body is one `{ … } </dev/null` group: the shell parses all of it
 * before running any of it (bash reads a script on stdin line by line), and no command in it (a user's
 * pre-deploy command, docker) can read the rest of the script from stdin. The outer group first calls `supervise`
 * with the app dir (every phase's first argument), which watches stdin for the end of the SSH channel; it ends
 * with `exit`, so the shell never reads stdin again (the runner keeps it open while the phase runs).
 */
function phaseScript(name) {
    const supervise = UNSUPERVISED.has(name) ? '' : 'supervise "$1"\n';
    return `${REMOTE_SCRIPTS.lib}\n{\n${supervise}{\n${REMOTE_SCRIPTS[name]}\n} </dev/null\nexit $?\n}\n`;
}
const SCRIPTS = Object.fromEntries(Object.keys(REMOTE_SCRIPTS)
    .filter((name) => name !== 'lib')
    .map((name) => [name, phaseScript(name)]));

// EXTERNAL MODULE: ./src/error-message.ts
var error_message = __webpack_require__(6587);
;// CONCATENATED MODULE: ./src/strategies/ssh-rolling/run-script.ts







/** The last `n` non-blank lines of `text` in one line, as plain text (they end up in messages and the summary). */
function lastLines(text, n) {
    return (0,log_text/* toPlainLogText */.R)(text)
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean)
        .slice(-n)
        .join(' | ');
}
function explainFailure(exec, result) {
    if (exec.timedOut)
        return exec.error ?? 'timed out';
    if (exec.code === null)
        return exec.error ?? 'connection lost';
    if (!result) {
        const tail = lastLines(exec.stderr, 3);
        return `the script ended without a result (exit code ${exec.code})${tail ? `: ${tail}` : ''}`;
    }
    return result.error ?? `failed with exit code ${exec.code}`;
}
/**
 * Runs `script` on the host's session, its arguments and result as the phase table says. Never throws for a remote
 * failure: the result says what happened.
 */
async function runScript(run, host, phase, script, args, options) {
    const started = run.clock.now();
    const session = host.session;
    let outcome;
    if (!session) {
        outcome = { ok: false, exitCode: null, durationMs: 0, error: 'no connection' };
    }
    else {
        const out = createLineWriter(run.log, `[${host.name}] `);
        const err = createLineWriter(run.log, `[${host.name}] `);
        const supervised = !UNSUPERVISED.has(script);
        const exec = await session.exec(SCRIPTS[script], phaseArgv(script, args), {
            timeoutMs: Math.max(0, options.timeoutMs),
            ...(options.input !== undefined ? { input: options.input } : {}),
            ...(options.signal ? { signal: options.signal } : {}),
            ...(supervised ? { runId: run.lock.token } : {}),
            ...(options.quiet ? {} : { onStdout: (t) => out.write(t), onStderr: (t) => err.write(t) })
        });
        out.flush();
        err.flush();
        const { result, text } = parseScriptOutput(exec.stdout);
        const ok = exec.code === 0 && result?.ok === true;
        const tail = lastLines(`${text}\n${exec.stderr}`, 3);
        // No exit status: the phase may still run on the host (timed out, cancelled, connection lost). Stop it, and
        // know that it stopped, before anything else happens on the host.
        const confirm = !ok && exec.code === null && supervised && !READ_ONLY.has(script);
        const why = explainFailure(exec, result);
        if (confirm)
            run.log.warning(`${host.name}: ${phase}: ${why}; stopping what it started on the host`);
        const stopped = confirm ? await stopPhases(run, host, `the ${phase} phase`) : undefined;
        outcome = {
            ok,
            exitCode: exec.code,
            durationMs: run.clock.now() - started,
            ...(result ? { result: parsePhaseResult(script, result) } : {}),
            ...(ok ? {} : { error: stopped ? `${why}; ${stopped.text}` : why }),
            ...(tail ? { outputTail: tail } : {})
        };
    }
    if (!options.unreported)
        host.phases.record(phase, outcome);
    return outcome;
}
/**
 * Stops what this run left running on the host (the phase that just lost its exit status, and any other) from a
 * new channel, reconnecting if the connection dropped, and waits until it is gone. When that cannot be confirmed,
 * `host.unstopped` says why (the host is then never reported as rolled back, and its lock is kept until it expires).
 */
async function stopPhases(run, host, what) {
    const started = run.clock.now();
    const unstopped = (why) => {
        host.unstopped = `${what} may still be running on the host: ${why}`;
        host.phases.record('stop', { ok: false, durationMs: run.clock.now() - started, error: why });
        run.log.error(`${host.name}: ${host.unstopped}`);
        return { confirmed: false, stopped: 0, text: `could NOT confirm it stopped (${why})` };
    };
    const connectError = await ensureSession(run, host);
    if (connectError)
        return unstopped(`cannot reconnect: ${connectError}`);
    const r = await runScript(run, host, 'stop', 'stop', { appDir: run.config.appDir, token: run.lock.token, termNaps: STOP_TERM_NAPS }, { timeoutMs: STOP_TIMEOUT_MS, unreported: true });
    if (!r.ok)
        return unstopped(r.error ?? 'the stop failed');
    const left = r.result?.left ?? [];
    if (left.length > 0)
        return unstopped(`process group ${left.join(', ')} still runs after TERM and KILL`);
    delete host.unstopped;
    host.phases.record('stop', { ok: true, durationMs: run.clock.now() - started });
    return { confirmed: true, stopped: r.result?.stopped ?? 0, text: 'stopped on the host' };
}
/** The compose arguments every compose phase takes: app dir, compose kind, files, services. */
function composeArgs(run, host) {
    return {
        appDir: run.config.appDir,
        compose: host.compose ?? 'v2',
        files: run.config.composeFiles,
        services: run.config.composeServices
    };
}
/** The time left before the deploy deadline, for a phase's timeout. */
function timeLeft(run) {
    return run.deadline - run.clock.now();
}
/**
 * Opens the host's connection if it has none (or it dropped); a new connection is a `connect` phase of the host's
 * report. Connection setup is retried; phases are not. Failures are left to the caller to report.
 */
async function ensureSession(run, host, signal) {
    if (host.session?.alive)
        return undefined;
    const started = run.clock.now();
    try {
        if (host.session)
            await host.session.close().catch(() => undefined);
        host.session = await run.connector.connect(host.target, signal);
        host.phases.record('connect', { ok: true, durationMs: run.clock.now() - started });
        delete host.unreachable;
        return undefined;
    }
    catch (error) {
        delete host.session;
        host.unreachable = (0,error_message/* errorMessage */.g)(error);
        return host.unreachable;
    }
}

;// CONCATENATED MODULE: ./src/strategies/ssh-rolling/releases.ts


/** Outcomes after which the host runs a release the line names. */
const SETTLED = new Set(['deployed', 'rolled-back']);
function parseAuditLine(line) {
    if (!line)
        return undefined;
    let value;
    try {
        value = JSON.parse(line);
    }
    catch {
        return undefined;
    }
    if (typeof value !== 'object' || value === null)
        return undefined;
    const o = value;
    const text = (v) => (typeof v === 'string' ? v : undefined);
    const record = {};
    for (const key of ['outcome', 'after', 'run', 'time', 'detail']) {
        const v = text(o[key]);
        if (v !== undefined)
            record[key] = v;
    }
    if ('previous' in o)
        record.previous = text(o.previous) ?? null;
    if (Array.isArray(o.running)) {
        record.running = o.running.flatMap((r) => {
            const x = r;
            return x && typeof x.service === 'string' && typeof x.imageId === 'string'
                ? [{ service: x.service, imageId: x.imageId, image: text(x.image) ?? '' }]
                : [];
        });
    }
    return record;
}
/** Which backup holds the release before the one the line says runs; undefined when the line does not say. */
function previousOf(record) {
    return record && SETTLED.has(record.outcome ?? '') ? record.previous : undefined;
}
const shortId = (id) => id.replace(/^sha256:/, '').slice(0, 12);
/** `app:2 (3f2a…)`, one per image, for messages. */
function describeImages(images) {
    const seen = new Map();
    for (const i of images)
        seen.set(`${i.image}\t${i.imageId}`, `${i.image || '(no reference)'} (${shortId(i.imageId)})`);
    return [...seen.values()].join(', ') || 'no containers';
}
/** Whether each service runs the image id the line recorded, and runs nothing it did not. */
function sameImages(recorded, running) {
    const by = (list) => new Map(list.map((i) => [i.service, i.imageId]));
    const a = by(recorded);
    const b = by(running);
    return a.size === b.size && [...a].every(([service, id]) => b.get(service) === id);
}
/** The backup a rollback-to restores on a host, or why the host is refused. */
function chooseBackup(rollbackTo, audit, running, backups) {
    const names = backups.filter((b) => b.complete).map((b) => b.name);
    const nameOne = `name one in 'rollback-to' to restore it anyway (backups here: ${names.join(', ') || 'none'})`;
    const refuse = (error) => ({
        ok: false,
        error: `rollback-to ${describeTarget(rollbackTo)}: ${error}`
    });
    let name;
    if (rollbackTo.kind === 'named') {
        name = rollbackTo.name;
        if (!backups.some((b) => b.name === name)) {
            return refuse(`there is no backup ${name} here (backups here: ${names.join(', ') || 'none'})`);
        }
    }
    else {
        if (!audit)
            return refuse(`the audit log records no deploy here, so there is no previous release; ${nameOne}`);
        const after = audit.after ?? '(unknown)';
        if (!SETTLED.has(audit.outcome ?? '')) {
            return refuse(`the last run here ended '${audit.outcome ?? 'unknown'}'${audit.detail ? ` (${audit.detail})` : ''}, so what runs is not a release the audit log knows; ${nameOne}`);
        }
        if (audit.previous === undefined || audit.running === undefined) {
            return refuse(`the audit log's last line (written by an older version of this action) does not record which backup holds the release before ${after}; ${nameOne}`);
        }
        if (!sameImages(audit.running, running)) {
            const by = [audit.run ? `by ${audit.run}` : '', audit.time ? `at ${audit.time}` : ''].filter(Boolean).join(' ');
            return refuse(`the host runs ${describeImages(running)}, but its audit log says ${describeImages(audit.running)} was deployed${by ? ` (${by})` : ''}: changed by hand since? ${nameOne}`);
        }
        if (audit.previous === null) {
            return refuse(`no backup holds a release before ${after} (the audit log knows no earlier deploy)`);
        }
        name = audit.previous;
        if (!backups.some((b) => b.name === name)) {
            return refuse(`backup ${name}, which holds the release before ${after}, is no longer on the host (pruned: see backup-retention)`);
        }
    }
    const backup = backups.find((b) => b.name === name);
    if (!backup.complete)
        return refuse(`backup ${name} is incomplete (no manifest): it cannot be restored`);
    if (backup.images.length === 0) {
        return refuse(`backup ${name} holds no container (taken before anything ran here): no release to go back to`);
    }
    const gone = backup.images.filter((i) => !i.present);
    if (gone.length > 0) {
        return refuse(`the image(s) of backup ${name} are no longer on the host: ${gone.map((i) => `${i.service} ${describeImages([i])}`).join(', ')} (a rollback uses no registry)`);
    }
    const release = backup.release ?? backup.images[0]?.image ?? name;
    return { ok: true, target: { name, dir: backup.dir, release } };
}
function describeTarget(rollbackTo) {
    return rollbackTo.kind === 'previous' ? 'previous' : rollbackTo.name;
}
/** `app:2 (backup 20260102T030405Z-run7)`. */
function describeRestore(target) {
    return `${target.release} (backup ${target.name})`;
}
/**
 * Pre-flight of a rollback-to on one host (its lock held): lists what runs and the backups, and chooses. The host is
 * `blocked` when it is refused; never throws.
 */
async function resolveRestore(run, host, audit) {
    const { config, log } = run;
    if (!config.rollbackTo)
        return;
    const r = await runScript(run, host, 'releases', 'releases', {
        appDir: config.appDir,
        compose: host.compose ?? 'v2',
        files: config.composeFiles,
        ...(host.project ? { project: host.project } : {})
    }, { timeoutMs: SHORT_STEP_TIMEOUT_MS, quiet: true });
    if (!r.ok || !r.result) {
        host.stage = { kind: 'blocked', error: `could not list the backups: ${r.error ?? 'no result'}` };
        return;
    }
    const choice = chooseBackup(config.rollbackTo, audit, r.result.running, r.result.backups);
    if (!choice.ok) {
        host.stage = { kind: 'blocked', error: choice.error };
        return;
    }
    host.restore = choice.target;
    // Journaled as soon as it is chosen: the post step names it if this step is cut short.
    run.hostJournal.save(host);
    log.info(`[${host.name}] rollback-to ${describeTarget(config.rollbackTo)}: runs ${host.imageBefore ?? describeImages(r.result.running)}, goes back to ${describeRestore(choice.target)}`);
}

// EXTERNAL MODULE: ./src/duration.ts
var duration = __webpack_require__(7607);
// EXTERNAL MODULE: ./src/phases.ts
var phases = __webpack_require__(119);
;// CONCATENATED MODULE: ./src/strategies/ssh-rolling/host-state.ts

function newHostState(target, clock) {
    return { target, name: target.spec, stage: { kind: 'waiting' }, lock: 'none', phases: new phases/* PhaseRecorder */.w(clock) };
}
/** The changed stage a host is in or was rolled back from; undefined before `apply`. */
function changedStage(stage) {
    switch (stage.kind) {
        case 'changed':
        case 'deployed':
            return stage;
        case 'rolled-back':
        case 'rollback-failed':
            return stage.from;
        default:
            return undefined;
    }
}
/** How the host's turn ended when it did not deploy (also once rolled back); undefined otherwise. */
function turnEnd(stage) {
    const at = stage.kind === 'started' ? stage : changedStage(stage);
    return at && 'end' in at ? at.end : undefined;
}
/** Ends the host's turn (failed or cancelled) at the stage it reached; a turn ends once. */
function endTurn(host, end) {
    const { stage } = host;
    if ((stage.kind === 'started' || stage.kind === 'changed') && !stage.end)
        host.stage = { ...stage, end };
}
/** The host's stage and lock as the journal records them (only the fields that apply). */
function toRecord(host) {
    const changed = changedStage(host.stage);
    const sf = host.startFirst;
    return {
        ...(host.lock === 'none' ? { lockTried: false, locked: false } : { lockTried: true }),
        ...(host.lock === 'held' ? { locked: true } : {}),
        ...(host.compose ? { compose: host.compose } : {}),
        ...(host.imageBefore ? { imageBefore: host.imageBefore } : {}),
        ...(host.backupDir ? { backupDir: host.backupDir } : {}),
        ...(host.pulled ? { pulled: true } : {}),
        ...(changed ? { changed: true, changeOrder: changed.change } : {}),
        ...(sf
            ? { startFirst: { services: sf.services.map((s) => ({ ...s })), ...(sf.switching ? { switching: true } : {}) } }
            : {}),
        ...(host.restore ? { restore: { ...host.restore } } : {}),
        ...(changed?.kind === 'deployed' ? { deployed: true } : {}),
        ...(host.stage.kind === 'rolled-back' ? { rolledBack: true } : {})
    };
}
/** The host a journal record describes, as the post step resumes it (a lock pre-flight may have taken counts as held). */
function fromRecord(target, record, clock) {
    const host = newHostState(target, clock);
    if (record.compose)
        host.compose = record.compose;
    if (record.imageBefore)
        host.imageBefore = record.imageBefore;
    if (record.backupDir)
        host.backupDir = record.backupDir;
    if (record.pulled)
        host.pulled = true;
    if (record.startFirst)
        host.startFirst = record.startFirst;
    const restore = restoreTarget(record.restore);
    if (restore)
        host.restore = restore;
    if (record.locked === true || record.lockTried === true)
        host.lock = 'held';
    if (record.changed === true) {
        const change = record.changeOrder ?? 0;
        const from = record.deployed === true ? { kind: 'deployed', change } : { kind: 'changed', change };
        host.stage = record.rolledBack === true ? { kind: 'rolled-back', from } : from;
    }
    return host;
}
/** A journaled restore target, if it is well formed. */
function restoreTarget(value) {
    const v = value;
    if (!v || typeof v !== 'object')
        return undefined;
    const { name, dir, release } = v;
    if (typeof name !== 'string' || typeof dir !== 'string' || typeof release !== 'string')
        return undefined;
    return { name, dir, release };
}

;// CONCATENATED MODULE: ./src/strategies/ssh-rolling/report.ts



const LEFT_STATE = {
    apply: '.env old or new (replaced atomically), old containers still running',
    up: 'new .env written, containers may be half recreated (up failed)',
    health: 'new version running but unhealthy',
    'post-deploy': 'new version running, post-deploy command failed'
};
/** Phases whose failure leaves the old containers running: the host still serves the version from before. */
const OLD_CONTAINERS = new Set(['apply']);
/** What a changed host is left with when it was not (or could not be) rolled back, in words. */
function leftWith(end) {
    if (end?.cancelled)
        return 'cancelled after its .env changed';
    return LEFT_STATE[end?.phase ?? ''] ?? `changed, ${end?.phase ?? 'a phase'} failed`;
}
/** What the host is being moved to: the image deployed, or the release of the backup a rollback-to restores. */
function targetImage(config, host) {
    return host.restore?.release ?? config.image?.ref;
}
/** The image a changed, not rolled-back host runs: the old one when its containers were never recreated. */
function runningAfterChange(config, host) {
    return OLD_CONTAINERS.has(turnEnd(host.stage)?.phase ?? '') ? host.imageBefore : targetImage(config, host);
}
/** `4 hosts to app:2 (backup B)` when they share one, else `h1 to …, h2 to …`; hosts without a restore are left out. */
function describeRestores(hosts) {
    const going = hosts.flatMap((h) => (h.restore ? [{ name: h.name, to: describeRestore(h.restore) }] : []));
    const first = going[0];
    if (first && going.every((g) => g.to === first.to)) {
        return `${going.length} ${going.length === 1 ? 'host' : 'hosts'} to ${first.to}`;
    }
    return going.map((g) => `${g.name} to ${g.to}`).join(', ');
}
/** A rollback-to host that changed but is not on its backup's release: where it was going, as a state's prefix. */
function goingTo(host) {
    return host.restore ? `was being rolled back to ${describeRestore(host.restore)}; ` : '';
}
/** Why the host failed: its pre-flight, or its turn. */
function hostError(host) {
    return host.stage.kind === 'blocked' ? host.stage.error : turnEnd(host.stage)?.error;
}
function targetReport(config, host, planned = false) {
    const report = {
        name: host.name,
        outcome: 'untouched',
        durationMs: host.phases.totalMs,
        phases: host.phases.list
    };
    if (host.imageBefore)
        report.before = host.imageBefore;
    const error = hostError(host);
    if (error)
        report.error = error;
    const end = (outcome, after, state) => {
        report.outcome = outcome;
        if (after)
            report.after = after;
        if (state)
            report.state = state;
        return report;
    };
    const { stage } = host;
    const turn = turnEnd(stage);
    const wasTo = host.restore ? ` (was to roll back to ${describeRestore(host.restore)})` : '';
    if (planned) {
        return end('planned', targetImage(config, host), host.restore ? `would roll back to ${describeRestore(host.restore)}` : undefined);
    }
    if (host.unstopped) {
        const changed = changedStage(stage) !== undefined;
        const was = changed ? `${goingTo(host)}${leftWith(turn)}` : 'unchanged before it';
        return end('failed', changed ? runningAfterChange(config, host) : host.imageBefore, `${was}; ${host.unstopped}; left as it is (not rolled back), deploy lock kept`);
    }
    switch (stage.kind) {
        case 'rolled-back':
            return end('rolled-back', host.imageBefore, host.restore
                ? `${goingTo(host)}${stage.reason ?? 'undone'}: back on ${host.imageBefore ?? 'the release from before'}`
                : stage.reason);
        case 'rollback-failed':
            return end('failed', runningAfterChange(config, host), `${goingTo(host)}${leftWith(turn)}; rollback failed: ${stage.error}`);
        case 'deployed':
            return end('deployed', targetImage(config, host), host.restore ? `rolled back to ${describeRestore(host.restore)}` : undefined);
        case 'changed':
            return end('failed', runningAfterChange(config, host), `${goingTo(host)}${leftWith(turn)}; ${config.rollbackOnFailure ? 'not rolled back' : 'rollback disabled'}`);
        case 'blocked':
            return end('failed', host.imageBefore, host.backupDir ? 'backup or pull failed before the rollout, unchanged' : 'pre-flight failed, unchanged');
        case 'started':
            if (turn && !turn.cancelled) {
                return end('failed', host.imageBefore, `unchanged (${turn.phase ?? 'a phase'} failed before any change)`);
            }
            return end('untouched', host.imageBefore, `${turn ? 'cancelled before any change' : 'not reached'}${wasTo}`);
        case 'waiting':
            return end('untouched', host.imageBefore, `not reached${wasTo}`);
    }
}
/** succeeded: all deployed; rolled-back: every changed host is back; failed: anything else. */
function deployStatus(reports, problem) {
    if (!problem && reports.every((r) => r.outcome === 'deployed'))
        return 'succeeded';
    if (reports.some((r) => r.outcome === 'failed' || r.outcome === 'deployed'))
        return 'failed';
    return reports.some((r) => r.outcome === 'rolled-back') ? 'rolled-back' : 'failed';
}
function names(hosts) {
    return hosts.map((h) => h.name).join(', ');
}
/** One line for the whole run: the first failure's reason, then what became of every host. */
function resultMessage(config, hosts, reports, opening) {
    const parts = [opening];
    const by = (outcome) => reports.filter((r) => r.outcome === outcome);
    const rolledBack = by('rolled-back');
    const rollbackFailed = hosts.flatMap((h) => h.stage.kind === 'rollback-failed' && !h.unstopped ? [`${h.name} (${h.stage.error})`] : []);
    const left = hosts.filter((h) => h.stage.kind === 'changed');
    if (rolledBack.length) {
        // After a rollback-to, "rolled back" undid it: say which release those hosts are back on.
        const undone = hosts.filter((h) => h.restore && h.stage.kind === 'rolled-back' && !h.unstopped);
        const back = [...new Set(undone.map((h) => h.imageBefore ?? 'the release from before'))];
        parts.push(`rolled back ${names(rolledBack)}${back.length ? ` (back on ${back.join(', ')})` : ''}`);
    }
    const unstopped = hosts.filter((h) => h.unstopped);
    if (unstopped.length)
        parts.push(`NOT confirmed stopped: ${unstopped.map((h) => `${h.name} (${h.unstopped})`).join(', ')}`);
    if (rollbackFailed.length) {
        parts.push(`rollback FAILED on ${rollbackFailed.join(', ')}`);
    }
    if (left.length)
        parts.push(`left changed: ${names(left)}${config.rollbackOnFailure ? '' : ' (rollback disabled)'}`);
    const deployed = by('deployed');
    if (deployed.length && deployed.length < reports.length) {
        parts.push(`${hosts.some((h) => h.restore) ? 'on the restored release' : 'on the new version'}: ${names(deployed)}`);
    }
    const untouched = by('untouched');
    if (untouched.length && untouched.length < reports.length)
        parts.push(`untouched: ${names(untouched)}`);
    return parts.join('; ');
}
/** A host's update orders in one line: `web start-first (can run beside its old containers); db unchanged (…)`. */
function describeOrders(orders) {
    if (orders.length === 0)
        return 'no service in scope';
    return orders.map((o) => `${o.service} ${o.order} (${o.reason})`).join('; ');
}
/** Per host: how each service is (or, in a plan, would be) replaced, and why; none when no host has orders. */
function ordersSection(hosts, planned = false) {
    const withOrders = hosts.filter((h) => h.orders);
    if (withOrders.length === 0)
        return [];
    const lines = ['| Host | Update order |', '| --- | --- |'];
    for (const h of withOrders) {
        lines.push(`| ${h.name} | ${describeOrders(h.orders ?? []).replace(/\|/g, '\\|')} |`);
    }
    if (planned)
        lines.push('', 'A dry run does not pull: each service is shown as if the deploy changes it.');
    return [{ title: 'Update order per host', body: lines.join('\n') }];
}
/** Per host: each phase reached, ✓/✗, exit code on failure, duration. */
function phasesSection(hosts) {
    const lines = ['| Host | Phases |', '| --- | --- |'];
    for (const h of hosts) {
        const phases = h.phases.list
            .map((p) => {
            const code = !p.ok && p.exitCode !== undefined ? `, exit ${p.exitCode === null ? 'none' : p.exitCode}` : '';
            return `${p.ok ? '✓' : '✗'} ${p.name} ${(0,duration/* formatDuration */.a)(p.durationMs)}${code}`;
        })
            .join(' → ');
        lines.push(`| ${h.name} | ${(phases || '—').replace(/\|/g, '\\|')} |`);
    }
    return { title: 'Phases per host', body: lines.join('\n') };
}
function preflightSection(hosts) {
    const lines = ['| Host | Pre-flight |', '| --- | --- |'];
    for (const h of hosts) {
        const text = h.stage.kind === 'blocked'
            ? `❌ ${h.stage.error}`
            : `✅ compose ${h.compose ?? '?'}, image ${h.imageBefore ?? '(unset)'}`;
        lines.push(`| ${h.name} | ${text.replace(/\|/g, '\\|').replace(/\n/g, ' ')} |`);
    }
    return { title: 'Pre-flight', body: lines.join('\n') };
}
function planSection(config, batches, healthCheck) {
    const envKeys = config.env.map((e) => e.key);
    const services = config.composeServices.length ? `services ${config.composeServices.join(', ')}` : 'all services';
    const steps = [
        ...(config.preDeployCommand ? [`run the pre-deploy command \`${config.preDeployCommand}\``] : []),
        config.image
            ? `set \`${config.imageVariable}=${config.image.ref}\`${envKeys.length ? ` and ${envKeys.map((k) => `\`${k}\``).join(', ')}` : ''} in \`.env\` (mode 0600)`
            : `restore the backup's compose file(s) and \`.env\`, and tag its recorded image ids again (no registry needed)`,
        config.updateOrder === 'stop-first'
            ? `\`up -d\` ${services} (update-order stop-first: compose recreates each changed service)`
            : `${services}: each changed service that can run twice starts beside the old (start-first), passes its gate (its Docker healthcheck${Object.keys(config.containerChecks).length ? ' or container-check' : ''}), serves for ${(0,duration/* formatDuration */.a)(config.switchDelayMs)} (switch-delay), then the old containers stop; the others are recreated by \`up -d\` (stop-first)`,
        `health check: ${healthCheck} (${config.healthCheck.retries} retries every ${(0,duration/* formatDuration */.a)(config.healthCheck.intervalMs)}, start period ${(0,duration/* formatDuration */.a)(config.healthCheck.startPeriodMs)})`,
        ...(config.postDeployCommand ? [`run the post-deploy command \`${config.postDeployCommand}\``] : []),
        `on failure: ${config.rollbackOnFailure ? `roll back ${config.rollbackScope === 'fleet' ? 'every updated host' : 'the failed host'}` : 'no rollback'}`
    ];
    const target = (h) => h.restore ? describeRestore(h.restore) : (targetImage(config, h) ?? '(unknown)');
    const lines = [
        ...batches.map((b, i) => `${i + 1}. Batch ${i + 1}/${batches.length}: ${b.map((h) => `${h.name} (${h.imageBefore ?? 'image unset'} → ${target(h)})`).join(', ')}`),
        '',
        `Before the first batch, on every host at once (a dry run does ${config.rollbackTo ? 'not' : 'neither'}):`,
        `- back up the compose file(s), .env and the running image ids into \`${config.appDir}/.deploy/backups/\` (keep ${config.backupRetention})${config.rollbackTo ? ', to undo the rollback if it fails' : ''}`,
        ...(config.rollbackTo
            ? []
            : [
                `- pull ${services} with the new \`.env\` values (nothing changes yet; any pull failure stops the deploy here)`
            ]),
        '',
        'Then each host, batch by batch:',
        ...steps.map((s) => `- ${s}`)
    ];
    return { title: 'Plan', body: lines.join('\n') };
}
function buildResult(status, message, targets, sections) {
    return { status, message, targets, outputs: {}, sections };
}

;// CONCATENATED MODULE: ./src/strategies/ssh-rolling/audit.ts




/** Outcomes after which the host runs a known release: the line records its image ids and the release before it. */
const audit_SETTLED = new Set(['deployed', 'rolled-back']);
/**
 * The line: time, run, actor, commit, image before → after, outcome; after a settled outcome, `previous` (the backup
 * holding the release before the one now running: what `rollback-to: previous` restores next); after a rollback-to,
 * the backup it restored. No secrets: env values are never in it.
 */
function auditLine(run, host, outcome, detail) {
    const after = outcome === 'rolled-back' ? host.imageBefore : targetImage(run.config, host);
    const restored = outcome === 'deployed' && host.restore ? host.restore : undefined;
    const text = restored ? `rolled back to ${describeRestore(restored)}${detail ? `; ${detail}` : ''}` : detail;
    return JSON.stringify({
        time: new Date(run.clock.now()).toISOString(),
        host: host.name,
        run: run.identity.runUrl ?? null,
        actor: run.identity.actor,
        sha: run.identity.sha ?? null,
        ref: run.identity.ref ?? null,
        before: host.imageBefore ?? null,
        after: after ?? null,
        outcome,
        ...(restored ? { rollbackTo: restored.name } : {}),
        ...(audit_SETTLED.has(outcome) ? { previous: host.previous ?? null } : {}),
        ...(text ? { detail: text } : {})
    });
}
/** Appends the line; a failure to write it is a warning, not a failed deploy. */
async function auditHost(run, host, outcome, detail) {
    if (!host.session?.alive) {
        run.log.warning(`${host.name}: no audit line written (no connection)`);
        return;
    }
    const line = auditLine(run, host, outcome, detail);
    const r = await runScript(run, host, 'audit', 'audit', {
        appDir: run.config.appDir,
        line,
        ...(audit_SETTLED.has(outcome)
            ? {
                running: {
                    compose: host.compose ?? 'v2',
                    files: run.config.composeFiles,
                    ...(host.project ? { project: host.project } : {})
                }
            }
            : {})
    }, {
        timeoutMs: SHORT_STEP_TIMEOUT_MS
    });
    if (!r.ok)
        run.log.warning(`${host.name}: could not append to the audit log: ${r.error ?? 'no result'}`);
}
/** Prints `compose ps`, the failing containers' last 50 log lines and their health log. */
async function diagnoseHost(run, host) {
    if (!host.session?.alive)
        return;
    run.log.info(`[${host.name}] diagnostics:`);
    await runScript(run, host, 'diagnose', 'diagnose', composeArgs(run, host), {
        timeoutMs: SHORT_STEP_TIMEOUT_MS,
        unreported: true
    });
}

;// CONCATENATED MODULE: ./src/strategies/ssh-rolling/batches.ts
/** How many hosts one batch holds: `N`, or `N%` of the fleet rounded up; at least 1. */
function batchCount(size, total) {
    const n = size.kind === 'count' ? Math.floor(size.value) : Math.ceil((size.value * total) / 100);
    return Math.max(1, n);
}
/**
 * Hosts in deploy order, cut into batches of `batchSize`; with `firstBatchSize` the first batch (a canary)
 * has its own size. Every host is in exactly one batch, in the order given.
 */
function planBatches(hosts, batchSize, firstBatchSize) {
    const batches = [];
    let index = 0;
    if (firstBatchSize && hosts.length > 0) {
        const first = batchCount(firstBatchSize, hosts.length);
        batches.push(hosts.slice(0, first));
        index = first;
    }
    const size = batchCount(batchSize, hosts.length);
    for (; index < hosts.length; index += size)
        batches.push(hosts.slice(index, index + size));
    return batches;
}

// EXTERNAL MODULE: external "node:string_decoder"
var external_node_string_decoder_ = __webpack_require__(6193);
// EXTERNAL MODULE: ./node_modules/node-ssh/lib/esm/index.mjs + 2 modules
var esm = __webpack_require__(9487);
// EXTERNAL MODULE: ./src/strategies/ssh-rolling/known-hosts.ts
var known_hosts = __webpack_require__(8981);
;// CONCATENATED MODULE: ./src/strategies/ssh-rolling/tail-buffer.ts
/** The end of a stream of text, in bounded memory: a phase's `@@RESULT` line is its last stdout line. */
class TailBuffer {
    maxChars;
    text = '';
    total = 0;
    /** Keeps the last `maxChars` characters. */
    constructor(maxChars) {
        this.maxChars = maxChars;
    }
    append(chunk) {
        this.text += chunk;
        this.total += Buffer.byteLength(chunk);
        // Trimmed only once it holds twice the limit, so each character is copied a bounded number of times.
        if (this.text.length > 2 * this.maxChars)
            this.text = this.tail();
    }
    /** The last `maxChars` characters appended (one fewer rather than half a surrogate pair). */
    tail() {
        if (this.text.length <= this.maxChars)
            return this.text;
        const tail = this.text.slice(-this.maxChars);
        return /^[\udc00-\udfff]/.test(tail) ? tail.slice(1) : tail;
    }
    /** Every byte appended (UTF-8), kept or not. */
    get totalBytes() {
        return this.total;
    }
    /** The bytes (UTF-8) appended but no longer kept. */
    get droppedBytes() {
        return this.total - Buffer.byteLength(this.tail());
    }
}

;// CONCATENATED MODULE: ./src/strategies/ssh-rolling/connection.ts
/**
 * SSH connections: the `SshConnector` interface the strategy uses, and its real implementation on node-ssh
 * (host keys verified against `ssh-known-hosts`, key kept in memory, keepalive, jump host, clear errors). Commands
 * run on node-ssh's underlying ssh2 client, whose channel keeps the output bounded.
 */








const RETRYABLE = new Set(['refused', 'timeout', 'unreachable', 'lost']);
class ConnectionError extends Error {
    failure;
    constructor(failure, message, cause) {
        super(message, cause === undefined ? undefined : { cause });
        this.name = 'ConnectionError';
        this.failure = failure;
    }
    get retryable() {
        return RETRYABLE.has(this.failure);
    }
}
/** `user@host:port`, with brackets around an IPv6 address. */
function connection_describeTarget(target) {
    const host = target.host.includes(':') ? `[${target.host}]` : target.host;
    return `${target.user}@${host}:${target.port}`;
}
function explainError(error, target, readyTimeoutMs) {
    const e = (error ?? {});
    const message = e.message ?? String(error);
    const where = connection_describeTarget(target);
    if (e.level === 'client-authentication') {
        return new ConnectionError('auth', `${where} refused the key: authentication failed for user '${target.user}' (is the public key in that user's authorized_keys?)`, error);
    }
    if (e.code === 'ECONNREFUSED' || /connection refused/i.test(message)) {
        return new ConnectionError('refused', `${where}: connection refused (is sshd listening on port ${target.port}?)`, error);
    }
    if (e.code === 'ETIMEDOUT' || e.level === 'client-timeout' || /timed out/i.test(message)) {
        return new ConnectionError('timeout', /keepalive/i.test(message)
            ? `${where}: connection lost (no answer to keepalives)`
            : `${where}: timed out after ${(0,duration/* formatSeconds */.X)(readyTimeoutMs)} waiting for the SSH handshake`, error);
    }
    if (e.code === 'ENOTFOUND')
        return new ConnectionError('dns', `${where}: host name '${target.host}' not found`, error);
    if (e.code === 'EAI_AGAIN') {
        return new ConnectionError('unreachable', `${where}: host name '${target.host}' could not be resolved now`, error);
    }
    if (e.code === 'EHOSTUNREACH' || e.code === 'ENETUNREACH') {
        return new ConnectionError('unreachable', `${where}: no route to host`, error);
    }
    if (e.code === 'ECONNRESET' || /connection lost|closed|ended/i.test(message)) {
        return new ConnectionError('lost', `${where}: connection closed during the handshake (${message})`, error);
    }
    return new ConnectionError('other', `${where}: ${message}`, error);
}
class NodeSshSession {
    clock;
    closed = false;
    pending = new Set();
    ssh;
    client;
    lastError;
    constructor({ ssh, client }, clock) {
        this.clock = clock;
        this.ssh = ssh;
        this.client = client;
        const lost = (error) => {
            this.closed = true;
            for (const abort of [...this.pending])
                abort(error);
        };
        client.on('error', (err) => {
            this.lastError = err.message;
            lost(/keepalive/i.test(err.message) ? 'connection lost (no answer to keepalives)' : err.message);
        });
        client.on('close', () => lost(this.lastError ? `connection lost: ${this.lastError}` : 'connection closed'));
    }
    get alive() {
        return !this.closed;
    }
    exec(script, args, opts = {}) {
        if (this.closed) {
            return Promise.resolve({ code: null, stdout: '', stderr: '', error: this.lastError ?? 'connection closed' });
        }
        return new Promise((resolve) => {
            const stdout = new TailBuffer(EXEC_TAIL_MAX_CHARS);
            const stderr = new TailBuffer(EXEC_TAIL_MAX_CHARS);
            let code = null;
            let signal;
            let channel;
            let settled = false;
            const timer = new AbortController();
            const finish = (extra) => {
                if (settled)
                    return;
                settled = true;
                timer.abort();
                this.pending.delete(onLost);
                const droppedBytes = stdout.droppedBytes + stderr.droppedBytes;
                resolve({
                    code,
                    stdout: stdout.tail(),
                    stderr: stderr.tail(),
                    ...(droppedBytes ? { droppedBytes } : {}),
                    ...(signal ? { signal } : {}),
                    ...extra
                });
            };
            const onLost = (error) => finish({ code: null, error });
            this.pending.add(onLost);
            /** Gives up on the command: closing the channel ends its stdin, which stops a supervised phase on the host. */
            const abandon = (extra) => {
                if (settled)
                    return;
                try {
                    channel?.end();
                    channel?.close();
                }
                catch {
                    // The channel may already be gone.
                }
                finish({ code: null, ...extra });
            };
            if (opts.timeoutMs !== undefined) {
                const ms = Math.max(0, opts.timeoutMs);
                void this.clock
                    .sleep(ms, timer.signal)
                    .then(() => abandon({ timedOut: true, error: `timed out after ${(0,duration/* formatSeconds */.X)(ms)}` }));
            }
            const onAbort = () => abandon({ cancelled: true, error: 'cancelled' });
            if (opts.signal) {
                if (opts.signal.aborted)
                    return finish({ code: null, cancelled: true, error: 'cancelled before it started' });
                opts.signal.addEventListener('abort', onAbort, { once: true });
                timer.signal.addEventListener('abort', () => opts.signal?.removeEventListener('abort', onAbort), { once: true });
            }
            // ssh2's exec, not node-ssh's execCommand: that keeps all output in memory (bounded output) and ends stdin at once.
            this.client.exec(remoteCommand(args), (err, ch) => {
                if (err)
                    return finish({ code: null, error: `could not start the command: ${err.message}` });
                channel = ch;
                if (settled)
                    return void ch.close();
                const out = new external_node_string_decoder_.StringDecoder('utf8');
                const errText = new external_node_string_decoder_.StringDecoder('utf8');
                // A runaway command is stopped like a timed-out one: its output is not worth an unbounded wait.
                const stopIfFlooded = () => {
                    if (stdout.totalBytes + stderr.totalBytes <= PHASE_OUTPUT_MAX_BYTES)
                        return;
                    abandon({ error: `printed more than ${PHASE_OUTPUT_MAX_BYTES / 1024 ** 2} MiB of output` });
                };
                ch.on('data', (chunk) => {
                    if (settled)
                        return;
                    const text = out.write(chunk);
                    stdout.append(text);
                    opts.onStdout?.(text);
                    stopIfFlooded();
                });
                ch.stderr.on('data', (chunk) => {
                    if (settled)
                        return;
                    const text = errText.write(chunk);
                    stderr.append(text);
                    opts.onStderr?.(text);
                    stopIfFlooded();
                });
                ch.on('exit', (exitCode, exitSignal) => {
                    if (typeof exitCode === 'number')
                        code = exitCode;
                    else if (exitSignal)
                        signal = exitSignal;
                });
                ch.on('close', () => {
                    const tail = out.end();
                    stdout.append(tail);
                    if (tail)
                        opts.onStdout?.(tail);
                    const errTail = errText.end();
                    stderr.append(errTail);
                    if (errTail)
                        opts.onStderr?.(errTail);
                    finish(code === null ? { error: signal ? `killed by signal ${signal}` : 'no exit status (connection lost?)' } : {});
                });
                // A supervised phase watches its stdin for the end of the channel: keep it open until the phase ends.
                const stdin = remoteStdin(script, opts.input, opts.runId);
                if (opts.runId === undefined)
                    ch.end(stdin);
                else
                    ch.write(stdin);
            });
        });
    }
    async close() {
        this.closed = true;
        this.ssh.dispose();
    }
}
/**
 * node-ssh's rejection when the connection closes before it is ready with no error from ssh2 (a server that hangs up
 * after its banner): it says "No response from server" and ETIMEDOUT, but nothing timed out.
 */
function closedBeforeReady(error) {
    return error instanceof esm/* SSHError */.z && error.message === 'No response from server';
}
/** The real connector. Create it once per run; `close()` it at the end. */
function createSsh2Connector(options) {
    const { log, clock } = options;
    let jump;
    const authMethods = (username) => [
        { type: 'publickey', username, key: options.privateKey }
    ];
    const open = (target, sock, signal) => new Promise((resolve, reject) => {
        const ssh = new esm/* NodeSSH */.H();
        let presented;
        let hostKeyProblem;
        let done = false;
        const settle = () => {
            if (done)
                return false;
            done = true;
            signal?.removeEventListener('abort', onAbort);
            return true;
        };
        const onAbort = () => {
            if (!settle())
                return;
            ssh.dispose();
            reject(new ConnectionError('cancelled', `${connection_describeTarget(target)}: cancelled while connecting`));
        };
        const fail = (err) => {
            if (!settle())
                return;
            ssh.dispose();
            if (hostKeyProblem !== undefined) {
                reject(new ConnectionError('host-key', `Host key verification failed for ${connection_describeTarget(target)}: ${hostKeyProblem}`, err));
            }
            else {
                const cause = closedBeforeReady(err) ? new Error('the server closed the connection', { cause: err }) : err;
                reject(explainError(cause, target, options.readyTimeoutMs));
            }
        };
        if (signal?.aborted)
            return onAbort();
        signal?.addEventListener('abort', onAbort, { once: true });
        const algorithms = (0,known_hosts/* preferredHostKeyAlgorithms */.$x)(options.knownHosts, target.host, target.port);
        // node-ssh hands this to ssh2's connect: host key check before auth, keepalive and handshake timeout included.
        const config = {
            host: target.host,
            port: target.port,
            username: target.user,
            readyTimeout: options.readyTimeoutMs,
            keepaliveInterval: options.keepaliveIntervalMs,
            keepaliveCountMax: options.keepaliveCountMax,
            hostVerifier: (key) => {
                presented = (0,known_hosts/* describeKey */.Rx)(key);
                if (options.insecureSkipHostKeyCheck) {
                    log.warning(`${connection_describeTarget(target)}: host key NOT verified (${presented.type} ${presented.fingerprint}); add it to ssh-known-hosts`);
                    return true;
                }
                const verdict = (0,known_hosts/* verifyHostKey */.Hj)(options.knownHosts, target.host, target.port, presented);
                if (!verdict.ok)
                    hostKeyProblem = verdict.reason;
                return verdict.ok;
            },
            ...(algorithms ? { algorithms: { serverHostKey: algorithms } } : {}),
            // The key ssh2 parsed (and decrypted) once: the passphrase's KDF runs once per run, not once per host.
            authHandler: authMethods(target.user),
            ...(sock ? { sock } : {})
        };
        const connecting = ssh.connect(config);
        const client = ssh.connection;
        // node-ssh stops listening for errors once ready: this listener stays, so a later error is never unhandled.
        client?.on('error', () => undefined);
        connecting.then(() => {
            if (!client)
                return fail(new Error('connection closed'));
            if (!settle())
                return void ssh.dispose();
            if (presented)
                log.debug(`${connection_describeTarget(target)}: host key ${presented.type} ${presented.fingerprint}`);
            resolve({ ssh, client });
        }, fail);
    });
    const jumpClient = (jumpHost, signal) => {
        if (!jump) {
            jump = open(jumpHost, undefined, signal).then(({ ssh, client }) => {
                client.on('close', () => {
                    jump = undefined;
                });
                return ssh;
            }, (error) => {
                jump = undefined;
                const e = error;
                throw new ConnectionError(e.failure ?? 'other', `jump host ${e.message}`, error);
            });
        }
        return jump;
    };
    const openTarget = async (target, signal) => {
        if (!options.jumpHost)
            return open(target, undefined, signal);
        const via = await jumpClient(options.jumpHost, signal);
        const jumpName = connection_describeTarget(options.jumpHost);
        // The jump host may never answer the forward (its own connect to the target hangs): bounded, and cancellable.
        const stream = await new Promise((resolve, reject) => {
            let done = false;
            const settle = () => {
                if (done)
                    return false;
                done = true;
                timer.abort();
                signal?.removeEventListener('abort', onAbort);
                return true;
            };
            const timer = new AbortController();
            void clock.after(options.readyTimeoutMs, timer.signal).then(() => {
                if (!timer.signal.aborted && settle()) {
                    reject(new ConnectionError('timeout', `${connection_describeTarget(target)}: the jump host ${jumpName} did not open a connection to it within ${(0,duration/* formatSeconds */.X)(options.readyTimeoutMs)}`));
                }
            });
            const onAbort = () => {
                if (settle())
                    reject(new ConnectionError('cancelled', `${connection_describeTarget(target)}: cancelled while connecting`));
            };
            if (signal?.aborted)
                return onAbort();
            signal?.addEventListener('abort', onAbort, { once: true });
            // Called in a promise: node-ssh throws at once, not through it, when the jump connection has just ended.
            void Promise.resolve()
                .then(() => via.forwardOut('127.0.0.1', 0, target.host, target.port))
                .then((channel) => {
                if (settle())
                    resolve(channel);
                else
                    channel.close();
            }, (err) => {
                if (!settle())
                    return;
                const message = (0,error_message/* errorMessage */.g)(err);
                reject(new ConnectionError(/refused/i.test(message) ? 'refused' : 'unreachable', `${connection_describeTarget(target)}: the jump host ${jumpName} could not reach it (${message})`, err));
            });
        });
        return open(target, stream, signal);
    };
    return {
        async connect(target, signal) {
            const attempts = options.retryDelaysMs.length + 1;
            for (let attempt = 1;; attempt++) {
                try {
                    return new NodeSshSession(await openTarget(target, signal), clock);
                }
                catch (error) {
                    const e = error instanceof ConnectionError ? error : explainError(error, target, options.readyTimeoutMs);
                    const delay = options.retryDelaysMs[attempt - 1];
                    if (!e.retryable || delay === undefined || signal?.aborted) {
                        throw attempt > 1 ? new ConnectionError(e.failure, `${e.message} (after ${attempt} attempts)`, e) : e;
                    }
                    log.info(`${e.message}; attempt ${attempt + 1} of ${attempts} in ${(0,duration/* formatSeconds */.X)(delay)}`);
                    await clock.sleep(delay, signal);
                }
            }
        },
        async close() {
            const pending = jump;
            jump = undefined;
            if (pending)
                await pending.then((ssh) => ssh.dispose()).catch(() => undefined);
        }
    };
}

;// CONCATENATED MODULE: ./src/strategies/ssh-rolling/context.ts

/** Waits for the work `run.pending` holds; it never rejects (each piece reports its own failure). */
async function settlePending(run) {
    while (run.pending.length)
        await Promise.allSettled(run.pending.splice(0));
}
const JOURNAL_KEY = 'sshRolling';
/** Writes progress to the journal as it happens (each update is persisted at once). */
class HostJournal {
    journal;
    record;
    changes = 0;
    constructor(journal, record) {
        this.journal = journal;
        this.record = record;
        for (const h of Object.values(record.hosts))
            this.changes = Math.max(this.changes, h.changeOrder ?? 0);
        journal.update({ [JOURNAL_KEY]: record });
    }
    /** Records what changed on one host: only that host's fields go to the journal (O(1) per update). */
    host(name, patch) {
        this.record.hosts[name] = { ...this.record.hosts[name], ...patch };
        this.journal.update({ [JOURNAL_KEY]: { hosts: { [name]: patch } } });
    }
    /** Journals what changed in the host's record since it was last saved (nothing when nothing did). */
    save(host) {
        const saved = this.record.hosts[host.name] ?? {};
        const patch = Object.fromEntries(Object.entries(toRecord(host)).filter(([key, value]) => JSON.stringify(value) !== JSON.stringify(saved[key])));
        if (Object.keys(patch).length > 0)
            this.host(host.name, patch);
    }
    /** The next number in the order hosts are changed. */
    nextChange() {
        return ++this.changes;
    }
}
/** The journal's ssh-rolling record, if it has a well-formed one. */
function readRecord(journal) {
    const value = journal.read()[JOURNAL_KEY];
    if (!value || typeof value !== 'object' || typeof value.token !== 'string' || typeof value.hosts !== 'object') {
        return undefined;
    }
    return {
        token: value.token,
        ownerJson: typeof value.ownerJson === 'string' ? value.ownerJson : '{}',
        ...(typeof value.rollbackTo === 'string' ? { rollbackTo: value.rollbackTo } : {}),
        hosts: { ...value.hosts }
    };
}

// EXTERNAL MODULE: ./src/strategies/ssh-rolling/dotenv.ts
var dotenv = __webpack_require__(4840);
// EXTERNAL MODULE: ./src/redact-url.ts
var redact_url = __webpack_require__(470);
;// CONCATENATED MODULE: ./src/strategies/ssh-rolling/health.ts
/**
 * The health gate after `up` (and after a rollback): an HTTP URL checked from the runner, a command on the host,
 * or else the containers' own state. Tries are spaced on the injected clock and bounded by the deadline.
 */





/** The URL for a host: `{host}` replaced by its address (an IPv6 address in brackets). */
function healthUrl(template, host) {
    return template.replaceAll('{host}', host.includes(':') ? `[${host}]` : host);
}
async function probeUrl(run, host, timeoutMs) {
    const url = healthUrl(run.config.healthCheck.url ?? '', host.target.host);
    const shown = (0,redact_url/* redactUrl */.BO)(url);
    try {
        const { status } = await run.http(url, { timeoutMs });
        return status >= 200 && status < 300
            ? { ok: true, detail: `HTTP ${status}` }
            : { ok: false, detail: `HTTP ${status} from ${shown}` };
    }
    catch (error) {
        const name = error instanceof Error ? error.name : '';
        const timedOut = name === 'TimeoutError' || name === 'AbortError';
        return {
            ok: false,
            detail: timedOut
                ? `no answer from ${shown} within ${timeoutMs} ms`
                : `${shown}: ${(0,error_message/* errorMessage */.g)(error, { withCause: true }).replaceAll(url, shown)}`
        };
    }
}
async function probeCommand(run, host, timeoutMs, signal) {
    const r = await runScript(run, host, 'health', 'run', { appDir: run.config.appDir, label: 'health-check command' }, {
        input: run.config.healthCheck.command ?? '',
        timeoutMs,
        unreported: true,
        quiet: true,
        ...(signal ? { signal } : {})
    });
    return r.ok
        ? { ok: true, detail: 'command succeeded' }
        : { ok: false, detail: [r.error, r.outputTail].filter(Boolean).join(': ') };
}
async function probeContainers(run, host, timeoutMs, signal) {
    const r = await runScript(run, host, 'health', 'health', {
        ...composeArgs(run, host),
        ...(host.project ? { project: host.project } : {}),
        expected: host.services ?? [],
        completed: host.completedServices ?? []
    }, {
        timeoutMs,
        unreported: true,
        quiet: true,
        ...(signal ? { signal } : {})
    });
    if (!r.ok)
        return { ok: false, detail: r.error ?? 'container check failed' };
    const state = r.result?.state;
    const problems = r.result?.problems ?? [];
    if (state === 'healthy')
        return { ok: true, detail: 'all containers running and healthy' };
    return { ok: false, detail: problems.length ? problems.join('; ') : `containers ${String(state)}` };
}
/** One try, bounded by the check's timeout (a container look by its own) and by the time `remaining`. */
function probe(run, host, remaining, signal) {
    const hc = run.config.healthCheck;
    if (hc.url)
        return probeUrl(run, host, Math.min(hc.timeoutMs, remaining));
    if (hc.command)
        return probeCommand(run, host, Math.min(hc.timeoutMs, remaining), signal);
    return probeContainers(run, host, Math.min(CONTAINER_PROBE_TIMEOUT_MS, remaining), signal);
}
function describeHealthCheck(run) {
    const hc = run.config.healthCheck;
    if (hc.url)
        return `GET ${(0,redact_url/* redactUrl */.BO)(hc.url)}`;
    if (hc.command)
        return `command \`${hc.command}\``;
    return 'containers running (and healthy where they define a healthcheck)';
}
/**
 * Tries until healthy: failures in the start period do not count, then `retries` failures fail the gate.
 * Ends early at `deadline` or when `signal` aborts. Records the phase `phase` on the host.
 */
async function healthGate(run, host, phase, deadline, signal, look = (remaining) => probe(run, host, remaining, signal)) {
    const hc = run.config.healthCheck;
    const { clock, log } = run;
    const started = clock.now();
    const retries = Math.max(1, hc.retries);
    let tries = 0;
    let failures = 0;
    let last = '';
    let outcome;
    for (;;) {
        if (signal?.aborted) {
            outcome = { ok: false, tries, detail: `cancelled while waiting for health${last ? ` (last: ${last})` : ''}` };
            break;
        }
        const remaining = deadline - clock.now();
        if (remaining <= 0) {
            outcome = { ok: false, tries, detail: `deadline reached after ${tries} tries${last ? `: ${last}` : ''}` };
            break;
        }
        tries++;
        const p = await look(remaining);
        if (p.ok) {
            log.info(`[${host.name}] healthy (${p.detail}) after ${tries} ${tries === 1 ? 'try' : 'tries'}`);
            outcome = { ok: true, tries, detail: p.detail };
            break;
        }
        last = p.detail;
        const inStartPeriod = clock.now() - started < hc.startPeriodMs;
        if (!inStartPeriod && !p.wait)
            failures++;
        const counted = p.final
            ? ''
            : p.wait
                ? ' (waiting)'
                : inStartPeriod
                    ? ' (start period)'
                    : ` (${failures}/${retries})`;
        log.info(`[${host.name}] ${phase} try ${tries}: ${p.detail}${counted}`);
        if (p.final) {
            outcome = { ok: false, tries, detail: `${last} (after ${tries} ${tries === 1 ? 'try' : 'tries'})` };
            break;
        }
        if (failures >= retries) {
            outcome = { ok: false, tries, detail: `unhealthy after ${tries} tries: ${last}` };
            break;
        }
        await (0,src_poll/* sleepBefore */.Rv)(clock, hc.intervalMs, deadline, signal);
    }
    host.phases.record(phase, {
        ok: outcome.ok,
        durationMs: clock.now() - started,
        ...(outcome.ok
            ? { detail: `${outcome.tries} ${outcome.tries === 1 ? 'try' : 'tries'}` }
            : { error: outcome.detail })
    });
    return outcome;
}

;// CONCATENATED MODULE: ./src/strategies/ssh-rolling/update-order.ts
/** Compose's default `stop_grace_period`. */
const DEFAULT_STOP_GRACE_MS = 10_000;
const DURATION_UNIT_MS = {
    h: 3_600_000,
    m: 60_000,
    s: 1000,
    ms: 1,
    us: 1e-3,
    µs: 1e-3,
    ns: 1e-6
};
const DURATION = /^(?:\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h))+$/;
const DURATION_PART = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g;
/** Milliseconds in a compose (Go) duration: `1m30s`, `500ms`, `2s`, `1h`, `0`; undefined when it is not one. */
function parseDuration(text) {
    const s = text.trim();
    if (s === '0')
        return 0;
    if (!DURATION.test(s))
        return undefined;
    let ms = 0;
    for (const [, amount, unit] of s.matchAll(DURATION_PART))
        ms += Number(amount) * (DURATION_UNIT_MS[unit ?? ''] ?? 0);
    return Math.round(ms);
}
/** The facts of each service from `service_facts` output (`service<TAB>key<TAB>value` lines). */
function parseServiceFacts(text) {
    const fields = new Map();
    for (const line of text.split('\n')) {
        const [service, key, ...rest] = line.split('\t');
        if (!service || !key)
            continue;
        const byKey = fields.get(service) ?? new Map();
        fields.set(service, byKey);
        byKey.set(key, [...(byKey.get(key) ?? []), rest.join('\t')]);
    }
    return new Map([...fields].map(([service, byKey]) => [service, toFacts(service, byKey)]));
}
function toFacts(service, byKey) {
    const one = (key) => byKey.get(key)?.[0];
    const count = (key) => {
        const value = one(key);
        return value !== undefined && /^\d+$/.test(value) ? Number(value) : undefined;
    };
    const [containerName, networkMode, order, hash] = ['container_name', 'network_mode', 'order', 'hash'].map(one);
    const healthcheck = one('healthcheck');
    const ports = byKey.get('port') ?? [];
    const fixedHostPort = ports.find((port) => fixedHostPortOf(port) !== undefined);
    return {
        service,
        ...(containerName !== undefined ? { containerName } : {}),
        ...(networkMode !== undefined ? { networkMode } : {}),
        declaredScale: count('scale') ?? count('replicas') ?? 1,
        ...(order !== undefined ? { order } : {}),
        stopGraceMs: parseDuration(one('stop_grace_period') ?? '') ?? DEFAULT_STOP_GRACE_MS,
        healthcheck: healthcheck === 'test' || healthcheck === 'disable' ? healthcheck : 'none',
        ports,
        ...(fixedHostPort !== undefined ? { fixedHostPort } : {}),
        ...(hash !== undefined ? { hash } : {}),
        writableMounts: (byKey.get('volume') ?? []).filter((mode) => mode === 'rw').length
    };
}
/**
 * The fixed host port a `ports` item binds (`8080:80`, `127.0.0.1:8080:80/udp`, `published=8080,…`), or undefined
 * when any two containers can both bind theirs: no published port (`80`, `127.0.0.1::80`, `target=80`), a range
 * (`8000-8010:80`: each container takes a free one) or 0.
 */
function fixedHostPortOf(item) {
    let published;
    if (item.includes('=')) {
        published = item
            .split(',')
            .find((field) => field.startsWith('published='))
            ?.slice('published='.length);
    }
    else {
        const parts = item.replace(/\/\w+$/, '').split(':');
        published = parts.length >= 2 ? parts[parts.length - 2] : undefined;
    }
    return published !== undefined && /^[1-9]\d*$/.test(published) ? published : undefined;
}
/** The update order of each service in scope, sorted by name, with the reason a log line gives. */
function decideOrders(input, facts, opts = {}) {
    const scope = opts.services?.length ? new Set(opts.services) : undefined;
    return [...facts.values()]
        .filter((f) => !scope || scope.has(f.service))
        .sort((a, b) => (a.service < b.service ? -1 : a.service > b.service ? 1 : 0))
        .map((f) => ({ service: f.service, ...decideOrder(input, f, opts) }));
}
function decideOrder(input, f, opts) {
    if (opts.changed && !opts.changed.has(f.service))
        return { order: 'unchanged', reason: 'its containers do not change' };
    const blocker = sideBySideBlocker(f, opts.oneShot);
    if (blocker) {
        const asked = f.order === 'start-first'
            ? 'deploy.update_config.order start-first'
            : input === 'start-first'
                ? 'update-order: start-first'
                : undefined;
        return { order: 'stop-first', reason: `${blocker.what}: ${blocker.why}${asked ? `; ${asked} cannot apply` : ''}` };
    }
    if (f.order === 'start-first' || f.order === 'stop-first') {
        return { order: f.order, reason: 'deploy.update_config.order in the compose file' };
    }
    if (input === 'stop-first')
        return { order: 'stop-first', reason: 'update-order: stop-first' };
    // Two containers writing one volume at once (a database's data) can corrupt it: `auto` never risks it; the
    // compose file's own order (or update-order: start-first) says when the service is built for it.
    if (input === 'auto' && f.writableMounts > 0) {
        return {
            order: 'stop-first',
            reason: 'writes to a mounted volume, which two containers would write at once; deploy.update_config.order start-first allows it'
        };
    }
    return {
        order: 'start-first',
        reason: input === 'auto' ? 'can run beside its old containers' : 'update-order: start-first'
    };
}
/** Why a second container of the service cannot run beside the first, if it cannot. */
function sideBySideBlocker(f, oneShot) {
    if (oneShot?.has(f.service))
        return { what: 'runs once and exits', why: 'nothing to keep serving meanwhile' };
    if (f.containerName !== undefined) {
        return { what: `container_name "${f.containerName}"`, why: 'a second container cannot have the same name' };
    }
    if (f.networkMode === 'host') {
        return { what: 'network_mode host', why: 'a second container would bind the same host ports' };
    }
    const port = f.fixedHostPort !== undefined ? fixedHostPortOf(f.fixedHostPort) : undefined;
    if (port !== undefined)
        return { what: `publishes host port ${port}`, why: 'a second container cannot bind it' };
    return undefined;
}

;// CONCATENATED MODULE: ./src/strategies/ssh-rolling/prepare.ts



/** Whether the host may start `step`: not when the job is cancelled or the deadline has passed (then it says why). */
function mayStart(run, host, step) {
    if (run.signal.aborted)
        host.stage = { kind: 'blocked', error: `cancelled before its ${step}` };
    else if (timeLeft(run) <= 0) {
        host.stage = {
            kind: 'blocked',
            error: `deadline reached (timeout-minutes ${run.config.timeoutMinutes}) before its ${step}`
        };
    }
    return host.stage.kind !== 'blocked';
}
/** Backs up and pulls. The host is `blocked` on failure; never throws. */
async function prepareHost(run, host) {
    const { config, log, hostJournal } = run;
    if (!mayStart(run, host, 'backup'))
        return;
    const backup = await runScript(run, host, 'backup', 'backup', {
        appDir: config.appDir,
        compose: host.compose ?? 'v2',
        files: config.composeFiles,
        stamp: run.backupStamp,
        retention: config.backupRetention,
        ...(host.project ? { project: host.project } : {}),
        ...(host.previous ? { previous: host.previous } : {}),
        ...(host.imageBefore ? { release: host.imageBefore } : {}),
        // The backup a rollback-to restores must outlive the pruning of the one taken to undo it.
        ...(host.restore ? { keep: host.restore.name } : {})
    }, { timeoutMs: timeLeft(run) });
    const dir = backup.result?.dir;
    if (!backup.ok || typeof dir !== 'string') {
        host.stage = {
            kind: 'blocked',
            error: `backup: ${backup.ok ? 'the backup reported no folder' : (backup.error ?? 'failed')}`
        };
        return;
    }
    host.backupDir = dir;
    hostJournal.save(host);
    const images = backup.result?.images ?? [];
    host.services = [...new Set(images.flatMap((i) => (i.service ? [i.service] : [])))];
    host.completedServices = images.flatMap((i) => (i.service && i.completed === true ? [i.service] : []));
    if (images.length === 0)
        log.warning(`${host.name}: no containers run yet: a rollback can restore files, not images`);
    // Without the image variable in .env, "before" is what the (first deployed) service's container runs.
    const running = images.find((i) => i.service === config.composeServices[0]) ?? images[0];
    if (!host.imageBefore && running?.image) {
        host.imageBefore = running.image;
        hostJournal.save(host);
    }
    // A rollback-to pulls nothing: its images are on the host, tagged again by `restore`.
    if (host.restore)
        return;
    if (!mayStart(run, host, 'pull'))
        return;
    // Recorded before the round trip: a pull cut short may already have moved a tag.
    host.pulled = true;
    hostJournal.save(host);
    const pull = await runScript(run, host, 'pull', 'pull', { ...composeArgs(run, host), ...(host.project ? { project: host.project } : {}) }, {
        input: run.envInput,
        timeoutMs: timeLeft(run),
        signal: run.signal
    });
    if (!pull.ok) {
        host.stage = { kind: 'blocked', error: `pull: ${pull.error ?? 'failed'}` };
        return;
    }
    planOrders(run, host, pull.result?.update);
}
/**
 * Each service's update order on the host, from the facts of the configuration being deployed (read by `pull`, or
 * by a rollback-to's `restore`); without them, one `compose up` (stop-first).
 */
function planOrders(run, host, update) {
    const { config, log } = run;
    if (!update) {
        if (config.updateOrder !== 'stop-first') {
            log.warning(`${host.name}: compose did not print its configuration: every service is deployed stop-first`);
        }
        return;
    }
    host.facts = parseServiceFacts(update.facts);
    host.orders = decideOrders(config.updateOrder, host.facts, {
        changed: new Set(update.changed),
        oneShot: new Set(host.completedServices ?? []),
        services: config.composeServices
    });
    log.info(`${host.name}: ${describeOrders(host.orders)}`);
}

;// CONCATENATED MODULE: ./src/strategies/ssh-rolling/start-first.ts
/**
 * Start-first on one host, for the services whose order says so: start the new containers beside the old, gate the
 * new ones themselves, let the proxy see them for `switch-delay`, then retire the old and bring the rest of the
 * project up. Until the switch begins, the old containers never stopped: a failure or a cancel before it removes the
 * new ones, and nothing else restarts (rollback.ts).
 */






const DEFAULT_GRACE_SECONDS = 10;
/** The services of the host's plan that go start-first. */
function startFirstServices(host) {
    return (host.orders ?? []).filter((o) => o.order === 'start-first');
}
/** One look at the new containers: running, healthy where they have a healthcheck, answering their probe. */
async function probeNew(run, host, ids, remaining) {
    const probes = Object.entries(run.config.containerChecks);
    const r = await runScript(run, host, 'gate', 'gate', { appDir: run.config.appDir, ids, probes }, {
        timeoutMs: Math.min(CONTAINER_PROBE_TIMEOUT_MS, remaining),
        unreported: true,
        quiet: true,
        signal: run.signal
    });
    if (!r.ok)
        return { ok: false, detail: r.error ?? 'the check of the new containers failed' };
    const detail = (r.result?.problems ?? []).join('; ');
    switch (r.result?.state) {
        case 'healthy':
            return { ok: true, detail: 'new containers running and healthy' };
        // Docker's own healthcheck decides when `starting` ends: waiting for it is not a failed try.
        case 'starting':
            return { ok: false, wait: r.result?.probeFailed !== true, detail };
        default:
            return { ok: false, final: true, detail: detail || 'new containers unhealthy' };
    }
}
/** Runs the replacement; false when it failed or was cancelled (the host's state says which and why). */
async function startFirstUp(run, host, orders, steps) {
    const { config, clock, log, hostJournal } = run;
    const grace = (service) => Math.ceil((host.facts?.get(service)?.stopGraceMs ?? DEFAULT_GRACE_SECONDS * 1000) / 1000);
    const record = {
        services: orders.map((o) => ({ service: o.service, graceSeconds: grace(o.service) }))
    };
    // Journaled before the round trip: if the job dies during it, recovery removes whatever new containers exist.
    host.startFirst = record;
    hostJournal.save(host);
    const scales = orders.map((o) => [o.service, host.facts?.get(o.service)?.declaredScale ?? 1]);
    let started;
    const ok = await steps.phase('start', async () => {
        started = await runScript(run, host, 'start', 'start', {
            appDir: config.appDir,
            compose: host.compose ?? 'v2',
            files: config.composeFiles,
            ...(host.project ? { project: host.project } : {}),
            scales
        }, { timeoutMs: timeLeft(run), signal: run.signal });
        return started;
    });
    if (!ok) {
        const end = turnEnd(host.stage);
        if (end?.phase === 'start' && !end.cancelled && !host.unstopped)
            await diagnoseHost(run, host);
        return false;
    }
    const old = started?.result?.old ?? [];
    const fresh = started?.result?.new ?? [];
    const names = (list) => list.map((c) => c.name).join(', ') || 'none';
    log.info(`[${host.name}] started ${names(fresh)} beside ${names(old)}`);
    if (!steps.mayStart('gate'))
        return false;
    const ids = fresh.map((c) => c.id);
    const gate = await healthGate(run, host, 'gate', run.deadline, run.signal, (remaining) => probeNew(run, host, ids, remaining));
    if (!gate.ok) {
        if (run.signal.aborted) {
            endTurn(host, { error: 'cancelled while the new containers were checked', cancelled: true });
        }
        else {
            steps.fail('gate', `the new containers did not pass: ${gate.detail}`);
            await diagnoseHost(run, host);
        }
        return false;
    }
    if (config.switchDelayMs > 0 && old.length > 0) {
        log.info(`[${host.name}] new containers serve beside the old for ${(0,duration/* formatSeconds */.X)(config.switchDelayMs)} (switch-delay)`);
        const waited = clock.now();
        await clock.sleep(config.switchDelayMs, run.signal);
        host.phases.record('switch-delay', { ok: !run.signal.aborted, durationMs: clock.now() - waited });
        if (!steps.mayStart('switch'))
            return false;
        // Still healthy after the delay: a container that crashed meanwhile is caught before the old ones go.
        const again = await probeNew(run, host, ids, timeLeft(run));
        if (!again.ok) {
            steps.fail('gate', `a new container failed during switch-delay: ${again.detail}`);
            await diagnoseHost(run, host);
            return false;
        }
    }
    // From here the old containers go: a rollback must recreate them, not merely drop the new ones.
    record.switching = true;
    hostJournal.save(host);
    const retire = old.map((c) => [c.id, grace(c.service)]);
    // Not cancellable: it is short, and a switch cut in half would leave neither generation whole.
    const switched = await runScript(run, host, 'switch', 'switch', { ...composeArgs(run, host), retire }, {
        timeoutMs: Math.max(timeLeft(run), ROLLBACK_STEP_TIMEOUT_MS)
    });
    if (!switched.ok) {
        steps.fail('switch', switched.error ?? 'failed');
        if (!host.unstopped)
            await diagnoseHost(run, host);
        return false;
    }
    log.info(`[${host.name}] retired ${names(old)}`);
    return true;
}

;// CONCATENATED MODULE: ./src/strategies/ssh-rolling/host-deploy.ts
/**
 * One host's turn in its batch, over one connection: pre-deploy → apply → up (or, for start-first services: start →
 * gate → switch) → health → post-deploy, then its audit line in the background. Its backup and pull ran before the
 * first batch (prepare.ts).
 */









/** Runs the host's deploy. Never throws: the host state says how far it got and why it stopped. */
async function deployHost(run, host) {
    const { config, clock, log, hostJournal } = run;
    host.stage = { kind: 'started' };
    const started = clock.now();
    const fail = (phase, error) => {
        endTurn(host, { phase, error: `${phase}: ${error}`, cancelled: false });
        log.error(`${host.name}: ${phase} failed: ${error}`);
    };
    /** Checked before each phase: a cancelled job or a passed deadline starts nothing new. */
    const mayStart = (phase) => {
        if (run.signal.aborted) {
            endTurn(host, { error: `cancelled before ${phase}`, cancelled: true });
            return false;
        }
        if (timeLeft(run) <= 0) {
            fail(phase, `deadline reached (timeout-minutes ${config.timeoutMinutes}) before it started`);
            return false;
        }
        return true;
    };
    const phase = async (name, run_) => {
        if (!mayStart(name))
            return false;
        const r = await run_();
        if (r.ok)
            return true;
        if (run.signal.aborted) {
            endTurn(host, { phase: name, error: `cancelled during ${name}: ${r.error ?? 'stopped'}`, cancelled: true });
        }
        else
            fail(name, r.error ?? 'failed');
        return false;
    };
    const connectError = await ensureSession(run, host, run.signal);
    if (connectError) {
        host.phases.record('connect', { ok: false, durationMs: clock.now() - started, error: connectError });
        fail('connect', connectError);
        return;
    }
    if (config.preDeployCommand) {
        const command = config.preDeployCommand;
        const ok = await phase('pre-deploy', () => runScript(run, host, 'pre-deploy', 'run', { appDir: config.appDir, label: 'pre-deploy command' }, {
            input: command,
            timeoutMs: timeLeft(run),
            signal: run.signal
        }));
        if (!ok)
            return;
    }
    if (!mayStart('apply'))
        return;
    // Counted as changed before the round trip: if the job dies during it, recovery must restore the backup.
    const change = hostJournal.nextChange();
    host.stage = { kind: 'changed', change };
    hostJournal.save(host);
    if (host.restore) {
        if (!(await restoreFiles(run, host, host.restore, fail)))
            return;
    }
    else {
        const applied = await runScript(run, host, 'apply', 'apply', { appDir: config.appDir }, {
            input: run.envInput,
            timeoutMs: timeLeft(run)
        });
        if (!applied.ok)
            return fail('apply', applied.error ?? 'failed');
    }
    const startFirst = startFirstServices(host);
    if (startFirst.length > 0) {
        if (!(await startFirstUp(run, host, startFirst, { phase, mayStart, fail })))
            return;
    }
    else if (!(await phase('up', () => runScript(run, host, 'up', 'up', composeArgs(run, host), { timeoutMs: timeLeft(run), signal: run.signal })))) {
        const end = turnEnd(host.stage);
        if (end?.phase === 'up' && !end.cancelled && !host.unstopped)
            await diagnoseHost(run, host);
        return;
    }
    if (!mayStart('health'))
        return;
    const gate = await healthGate(run, host, 'health', run.deadline, run.signal);
    if (!gate.ok) {
        if (run.signal.aborted) {
            endTurn(host, { error: 'cancelled during the health check', cancelled: true });
        }
        else {
            fail('health', gate.detail);
            await diagnoseHost(run, host);
        }
        return;
    }
    if (config.postDeployCommand) {
        const command = config.postDeployCommand;
        const ok = await phase('post-deploy', () => runScript(run, host, 'post-deploy', 'run', { appDir: config.appDir, label: 'post-deploy command' }, {
            input: command,
            timeoutMs: timeLeft(run),
            signal: run.signal
        }));
        if (!ok)
            return;
    }
    host.stage = { kind: 'deployed', change };
    // The release before this one: what ran before this run, as its backup holds it (a rollback-to set it already).
    if (!host.restore)
        host.previous = host.backupDir ? backupName(host.backupDir) : null;
    hostJournal.save(host);
    // The audit line is written while the next batch starts; it is waited for before any rollback and the unlock.
    run.pending.push(auditHost(run, host, 'deployed'));
    const steps = host.phases.list.map((p) => `${p.name} ${(0,duration/* formatSeconds */.X)(p.durationMs)}`).join(', ');
    const what = host.restore
        ? `rolled back to ${describeRestore(host.restore)}`
        : `deployed ${targetImage(config, host)}`;
    log.info(`${host.name}: ${what} in ${(0,duration/* formatSeconds */.X)(clock.now() - started)} (${steps})`);
}
/**
 * A rollback-to's `apply`: the backup's files and image tags come back (no container changes yet), then the update
 * order is decided from the restored configuration, as a deploy decides it after its pull.
 */
async function restoreFiles(run, host, target, fail) {
    const r = await runScript(run, host, 'apply', 'restore', {
        ...composeArgs(run, host),
        backupDir: target.dir,
        token: run.lock.token,
        ...(host.project ? { project: host.project } : {})
    }, { timeoutMs: timeLeft(run) });
    if (!r.ok) {
        fail('apply', r.error ?? 'failed');
        return false;
    }
    const missing = r.result?.missing ?? [];
    if (missing.length) {
        run.log.warning(`${host.name}: image(s) ${missing.join(', ')} left the host since pre-flight; compose looks for them`);
    }
    host.previous = r.result?.previous ?? null;
    planOrders(run, host, r.result?.update);
    return true;
}
/** The folder name of a backup path. */
function backupName(dir) {
    return dir.replace(/\/+$/, '').split('/').pop() ?? dir;
}

;// CONCATENATED MODULE: ./src/strategies/ssh-rolling/preflight.ts
/** Pre-flight of one host (checks, then the deploy lock, waiting for it if another run holds it) and unlocking. */







/** A lock's owner.json in words: which run holds it, since when, until when. */
function describeLockOwner(ownerJson) {
    if (typeof ownerJson !== 'string' || !ownerJson.trim())
        return 'an unknown owner (no owner.json)';
    try {
        const o = JSON.parse(ownerJson);
        const parts = [
            typeof o.actor === 'string' ? `by ${o.actor}` : undefined,
            typeof o.startedAt === 'string' ? `since ${o.startedAt}` : undefined,
            typeof o.expiresAt === 'string' ? `expires ${o.expiresAt}` : undefined
        ].filter(Boolean);
        const who = typeof o.runUrl === 'string' ? `run ${o.runUrl}` : 'another run';
        return parts.length ? `${who} (${parts.join(', ')})` : who;
    }
    catch {
        return `an owner with an unreadable owner.json: ${ownerJson.slice(0, 200)}`;
    }
}
/** The lock's expiry is set by the host's clock: the runner's clock does not matter. */
/**
 * A takeover in words: the previous run stopped without releasing the lock, maybe mid-deploy, so the host may be
 * half-deployed; its audit log's last line says how far that run got.
 */
function takeoverMessage(owner, auditLine) {
    const last = typeof auditLine === 'string' && auditLine.trim()
        ? `its audit log last recorded: ${auditLine.length > 200 ? `${auditLine.slice(0, 200)}…` : auditLine}`
        : 'its audit log records nothing';
    return `took over an expired deploy lock from ${describeLockOwner(owner)}; the host may be half-deployed by that run (${last})`;
}
function lockClaim(run) {
    return { ...run.lock, ttlSeconds: LOCK_TTL_SECONDS };
}
/** What a host that cannot be unlocked is left with. */
const LOCK_LEFT = `it expires on its own within ${LOCK_TTL_SECONDS / 60} minutes`;
/** Connects, checks, locks. The host is `blocked` on failure; never throws. */
async function preflightHost(run, host) {
    const { clock, config, log } = run;
    const started = clock.now();
    const block = (error) => {
        host.stage = { kind: 'blocked', error };
    };
    const connectError = await ensureSession(run, host, run.signal);
    if (connectError) {
        block(connectError);
        host.phases.record('connect', { ok: false, durationMs: clock.now() - started, error: connectError });
        return;
    }
    host.lock = 'tried';
    run.hostJournal.save(host);
    const r = await runScript(run, host, 'preflight', 'preflight', {
        appDir: config.appDir,
        files: config.composeFiles,
        imageVariable: config.imageVariable,
        minFreeKb: Math.floor(MIN_FREE_DISK_BYTES / 1024),
        claim: lockClaim(run),
        validate: config.dryRun
    }, { timeoutMs: SHORT_STEP_TIMEOUT_MS });
    if (!r.ok || !r.result) {
        block(r.error ?? 'pre-flight failed');
        return;
    }
    const result = r.result;
    host.compose = result.compose;
    if (result.imageBefore)
        host.imageBefore = result.imageBefore;
    // An `env` that sets the project name changes the project at `apply`: later phases then ask compose.
    if (result.project && !config.env.some((e) => e.key === 'COMPOSE_PROJECT_NAME'))
        host.project = result.project;
    run.hostJournal.save(host);
    const command = host.compose === 'v1' ? 'docker-compose' : 'docker compose';
    const version = result.composeVersion ?? '(version unknown)';
    log.info(`[${host.name}] docker ${result.dockerVersion}, ${command} ${version}, image now ${host.imageBefore ?? '(not set in .env)'}`);
    for (const w of result.warnings)
        log.warning(`${host.name}: ${w}`);
    // A dry run's plan: each service's order as if the deploy changes it (a dry run does not pull to know).
    if (result.facts !== undefined) {
        host.facts = parseServiceFacts(result.facts);
        host.orders = decideOrders(config.updateOrder, host.facts, { services: config.composeServices });
    }
    let { lock, owner, audit } = result;
    if (lock === 'held') {
        const waitStarted = clock.now();
        const waitUntil = waitStarted + config.lockWaitSeconds * 1000;
        log.info(`[${host.name}] the deploy lock is held by ${describeLockOwner(owner)}; waiting up to ${config.lockWaitSeconds} s`);
        while (lock === 'held' && clock.now() < waitUntil && !run.signal.aborted) {
            await (0,src_poll/* sleepBefore */.Rv)(clock, LOCK_POLL_MS, waitUntil, run.signal);
            if (run.signal.aborted)
                break;
            const poll = await runScript(run, host, 'lock', 'lock', { appDir: config.appDir, claim: lockClaim(run) }, {
                timeoutMs: SHORT_STEP_TIMEOUT_MS,
                unreported: true,
                quiet: true
            });
            if (!poll.ok || !poll.result) {
                block(`could not take the deploy lock: ${poll.error ?? 'no result'}`);
                return;
            }
            ;
            ({ lock, owner, audit } = poll.result);
        }
        const waited = clock.now() - waitStarted;
        if (lock === 'held') {
            const error = run.signal.aborted
                ? `cancelled while waiting for the deploy lock held by ${describeLockOwner(owner)}`
                : `the deploy lock ${config.appDir}/.deploy/lock is held by ${describeLockOwner(owner)}; waited ${(0,duration/* formatSeconds */.X)(waited)} (lock-wait-seconds ${config.lockWaitSeconds})`;
            block(error);
            host.phases.record('lock', { ok: false, durationMs: waited, error });
            return;
        }
        host.phases.record('lock', { ok: true, durationMs: waited, detail: `waited ${(0,duration/* formatSeconds */.X)(waited)}` });
    }
    if (lock !== 'acquired' && lock !== 'taken-over') {
        block(`unexpected lock state '${lock}'`);
        return;
    }
    if (lock === 'taken-over')
        log.warning(`${host.name}: ${takeoverMessage(owner, audit)}`);
    host.lock = 'held';
    run.hostJournal.save(host);
    // Read under the lock: no other run appends to the audit log until it is released.
    const last = parseAuditLine(result.lastAudit);
    const previous = previousOf(last);
    if (previous !== undefined)
        host.previous = previous;
    if (config.rollbackTo)
        await resolveRestore(run, host, last);
}
/** Releases this run's lock on the host (never another run's). Failures are warnings: the lock expires anyway. */
async function releaseLock(run, host) {
    const { clock, log } = run;
    const started = clock.now();
    if (host.unstopped) {
        log.warning(`${host.name}: deploy lock kept, ${LOCK_LEFT}: ${host.unstopped}`);
        return;
    }
    // A host this run just failed to reach (with retries) is not tried again here: the lock expires on its own, and
    // the post step tries once more.
    const connectError = host.unreachable && !host.session?.alive ? host.unreachable : await ensureSession(run, host);
    if (connectError) {
        log.warning(`${host.name}: could not release the deploy lock (${connectError}); ${LOCK_LEFT}`);
        host.phases.record('unlock', { ok: false, durationMs: clock.now() - started, error: connectError });
        return;
    }
    // A host that pulled but never changed gets the image ids of its backup tagged again: a pull may have moved a tag.
    const retag = host.pulled && !changedStage(host.stage) && host.backupDir;
    const r = await runScript(run, host, 'unlock', 'unlock', { appDir: run.config.appDir, token: run.lock.token, ...(retag ? { retagFrom: host.backupDir } : {}) }, { timeoutMs: SHORT_STEP_TIMEOUT_MS });
    if (!r.ok || !r.result) {
        log.warning(`${host.name}: could not release the deploy lock (${r.error ?? 'no result'}); ${LOCK_LEFT}`);
        return;
    }
    if (r.result.retagError !== undefined) {
        log.warning(`${host.name}: ${r.result.retagError}: a tag this run's pull moved may now name the new build (the running containers are unchanged)`);
    }
    if (r.result.lock === 'other') {
        log.warning(`${host.name}: the deploy lock is now held by ${describeLockOwner(r.result.owner)}; left alone`);
    }
    host.lock = 'none';
    run.hostJournal.save(host);
}

;// CONCATENATED MODULE: ./src/strategies/ssh-rolling/lock-renewal.ts



/**
 * Renews the locks of `hosts` that hold theirs at each tick, until stopped. A tick does not wait for the last one's
 * renewals, and a host whose renewal is still under way (an unresponsive host) is skipped. Failures are warnings.
 */
function startLockRenewal(run, hosts) {
    const stopped = new AbortController();
    const inFlight = new Map();
    const loop = (async () => {
        for (;;) {
            await run.clock.after(LOCK_RENEW_MS, stopped.signal);
            if (stopped.signal.aborted)
                return;
            for (const host of hosts) {
                if (host.lock !== 'held' || inFlight.has(host))
                    continue;
                inFlight.set(host, renewLock(run, host).finally(() => inFlight.delete(host)));
            }
        }
    })();
    return {
        stop: async () => {
            stopped.abort();
            await loop;
            await Promise.all(inFlight.values());
        }
    };
}
/** One renewal. Never reconnects: a lost connection is the deploy's to notice; the lock then expires on its own. */
async function renewLock(run, host) {
    const { log } = run;
    // Not connected yet (the post step connects as it goes): its lock was renewed at most one period ago.
    if (!host.session)
        return;
    if (!host.session.alive) {
        log.warning(`${host.name}: could not renew the deploy lock (the connection is lost)`);
        return;
    }
    const r = await runScript(run, host, 'renew', 'renew', { appDir: run.config.appDir, token: run.lock.token, ttlSeconds: LOCK_TTL_SECONDS }, {
        timeoutMs: SHORT_STEP_TIMEOUT_MS,
        unreported: true,
        quiet: true
    });
    if (!r.ok || !r.result) {
        log.warning(`${host.name}: could not renew the deploy lock: ${r.error ?? 'no result'}`);
    }
    else if (r.result.lock === 'renewed') {
        log.debug(`[${host.name}] deploy lock renewed for ${LOCK_TTL_SECONDS} s`);
    }
    else if (r.result.lock === 'other') {
        log.warning(`${host.name}: the deploy lock is now held by ${describeLockOwner(r.result.owner)}: this run's expired and was taken over`);
    }
    else {
        log.warning(`${host.name}: could not renew the deploy lock: it is no longer there`);
    }
}

;// CONCATENATED MODULE: ./src/strategies/ssh-rolling/rollback.ts
/**
 * Rollback of one host from its backup: restore the files, re-tag the recorded image ids, `up` without pulling,
 * health-check, audit. Needs neither the registry nor the old tag. Not cancellable: it is what cancelling runs.
 * Only while the host's deploy lock is still this run's: a run that lost it never undoes the new owner's deploy.
 */






/**
 * A start-first replacement cut short before its switch: its services and grace periods, for the rollback to remove
 * their new containers first (service, grace seconds); none otherwise.
 */
function retireBeforeSwitch(host) {
    const sf = host.startFirst;
    if (!sf || sf.switching)
        return [];
    return sf.services.map((s) => [s.service, s.graceSeconds]);
}
/**
 * Rolls the host back (one that changed); its stage becomes `rolled-back` (with `reason`, when it did not fail
 * itself) or `rollback-failed`. Never throws.
 */
async function rollbackHost(run, host, reason) {
    const { clock, log, hostJournal } = run;
    const from = changedStage(host.stage);
    if (!from)
        return;
    const started = clock.now();
    const markFailed = (error) => {
        host.stage = { kind: 'rollback-failed', from, error };
        return error;
    };
    const failed = async (error) => {
        markFailed(error);
        log.error(`${host.name}: rollback failed: ${error}`);
        await diagnoseHost(run, host);
        await auditHost(run, host, 'rollback-failed', error);
    };
    const connectError = await ensureSession(run, host);
    if (connectError) {
        const error = markFailed(`cannot connect: ${connectError}`);
        host.phases.record('rollback', { ok: false, durationMs: clock.now() - started, error });
        log.error(`${host.name}: rollback failed: ${error}`);
        return;
    }
    // What this run started on the host is stopped before anything is restored, or nothing is.
    if (host.unstopped)
        await stopPhases(run, host, 'a phase of this run');
    if (host.unstopped) {
        const error = markFailed(`not rolled back: ${host.unstopped}`);
        host.phases.record('rollback', { ok: false, durationMs: clock.now() - started, error });
        log.error(`${host.name}: ${error}`);
        return;
    }
    if (!host.backupDir) {
        host.phases.record('rollback', {
            ok: false,
            durationMs: 0,
            error: markFailed('no backup was recorded for this host')
        });
        return;
    }
    const r = await runScript(run, host, 'rollback', 'rollback', {
        ...composeArgs(run, host),
        backupDir: host.backupDir,
        token: run.lock.token,
        retire: retireBeforeSwitch(host),
        ...(host.project ? { project: host.project } : {})
    }, { timeoutMs: ROLLBACK_STEP_TIMEOUT_MS });
    const lost = r.result?.lock;
    if (lost === 'other' || lost === 'absent') {
        const error = markFailed(lost === 'other'
            ? `the deploy lock is now held by ${describeLockOwner(r.result?.owner)} (this run's expired and was taken over): not rolled back, so as not to undo that run's deploy`
            : 'the deploy lock is no longer held by this run (it expired and was released): not rolled back, as another run may have deployed since');
        log.error(`${host.name}: ${error}`);
        return;
    }
    if (!r.ok)
        return failed(r.error ?? 'failed');
    const retired = r.result?.retired ?? 0;
    if (retired > 0)
        log.info(`${host.name}: removed ${retired} new container(s); the old ones never stopped`);
    const missing = r.result?.missing ?? [];
    if (missing.length) {
        log.warning(`${host.name}: image(s) ${missing.join(', ')} are no longer on the host; compose used what it found`);
    }
    const hc = run.config.healthCheck;
    const budget = Math.max(ROLLBACK_STEP_TIMEOUT_MS, hc.startPeriodMs + (Math.max(1, hc.retries) + 1) * (hc.intervalMs + hc.timeoutMs));
    const gate = await healthGate(run, host, 'rollback-health', clock.now() + budget);
    if (!gate.ok)
        return failed(`the previous version is not healthy either: ${gate.detail}`);
    // Back on the release from before this run: the one before it is what the restored backup recorded.
    host.previous = r.result?.previous ?? null;
    host.stage = { kind: 'rolled-back', from, ...(reason ? { reason } : {}) };
    hostJournal.save(host);
    await auditHost(run, host, 'rolled-back', reason);
    log.info(`${host.name}: rolled back to ${host.imageBefore ?? 'the previous version'}`);
}

// EXTERNAL MODULE: ./src/verify.ts + 1 modules
var src_verify = __webpack_require__(3394);
;// CONCATENATED MODULE: ./src/strategies/ssh-rolling/index.ts
/**
 * The ssh-rolling strategy: Docker Compose hosts over SSH, batch by batch, health-gated, with automatic rollback.
 * Pre-flight (and lock) every host → back up and pull on every host → batches (hosts of a batch in parallel) → on
 * failure or cancellation roll back in reverse order → release the locks (tagging the backed-up images again on hosts
 * that pulled but never changed). The locks are renewed in the background while held. Every phase is supervised on
 * the host and stopped when it is given up on. Progress goes to the journal as it happens, for `recover` in the post
 * step, which first stops what the main step left running.
 */



















/** Node's fetch, bounded by `timeoutMs`; the body is not read. */
const fetchHttpGet = async (url, { timeoutMs, signal }) => {
    const timeout = AbortSignal.timeout(timeoutMs);
    const response = await fetch(url, {
        redirect: 'follow',
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout
    });
    await response.body?.cancel().catch(() => undefined);
    return { status: response.status };
};
async function mapLimit(items, limit, fn) {
    let next = 0;
    const worker = async () => {
        while (next < items.length) {
            const item = items[next++];
            await fn(item);
        }
    };
    await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
/** `20240102T030405Z-run123`: sorts by time, names the run. */
function backupStamp(now, { runId, runAttempt }) {
    const iso = new Date(now)
        .toISOString()
        .replace(/[-:]/g, '')
        .replace(/\.\d+Z$/, 'Z');
    if (runId === undefined)
        return iso;
    return `${iso}-run${runId}${runAttempt !== undefined && runAttempt > 1 ? `-${runAttempt}` : ''}`;
}
function createSshRolling(config, deps) {
    const overrides = deps.overrides ?? {};
    const { log, clock } = deps;
    let connector;
    const getConnector = () => {
        if (overrides.sshConnector)
            return overrides.sshConnector;
        if (!connector) {
            const { privateKey } = config;
            if (!privateKey)
                throw new Error(`Missing 'ssh-private-key': required for the ssh-rolling strategy`);
            connector = createSsh2Connector({
                privateKey,
                knownHosts: config.knownHosts,
                insecureSkipHostKeyCheck: config.insecureSkipHostKeyCheck,
                ...(config.jumpHost ? { jumpHost: config.jumpHost } : {}),
                log,
                clock,
                readyTimeoutMs: SSH_READY_TIMEOUT_MS,
                keepaliveIntervalMs: SSH_KEEPALIVE_INTERVAL_MS,
                keepaliveCountMax: SSH_KEEPALIVE_COUNT_MAX,
                retryDelaysMs: SSH_RETRY_DELAYS_MS
            });
        }
        return connector;
    };
    const http = overrides.httpGet ?? fetchHttpGet;
    const { identity } = deps;
    const makeRun = (hostJournal, lock, signal, extra) => {
        const now = clock.now();
        return {
            config,
            log,
            clock,
            connector: getConnector(),
            http,
            hostJournal,
            lock,
            identity,
            deadline: (0,src_poll/* deadlineAfter */.d8)(now, config.timeoutMinutes),
            backupStamp: backupStamp(now, identity),
            envInput: '',
            signal,
            pending: [],
            ...extra
        };
    };
    const closeAll = async (run, hosts) => {
        await Promise.all(hosts.map((h) => h.session?.close().catch(() => undefined)));
        await run.connector.close().catch(() => undefined);
    };
    const releaseAll = async (run, hosts) => {
        const held = hosts.filter((h) => h.lock === 'held');
        if (held.length === 0)
            return;
        await log.group(`Release ${held.length} deploy ${held.length === 1 ? 'lock' : 'locks'}`, () => mapLimit(held, PREFLIGHT_CONCURRENCY, (h) => releaseLock(run, h)));
    };
    /** Rolls back `targets` one by one, the last changed first; `reason` says why a host that did not fail is. */
    const rollBack = async (run, targets, title, reason) => {
        const change = (h) => changedStage(h.stage)?.change ?? 0;
        const ordered = [...targets].sort((a, b) => change(b) - change(a));
        if (ordered.length === 0)
            return;
        await log.group(`${title}: ${ordered.map((h) => h.name).join(', ')}`, async () => {
            for (const host of ordered)
                await rollbackHost(run, host, reason(host));
        });
    };
    /** The verify gate after a batch passed its health gate: a failure fails the batch's hosts, as a health gate does. */
    const verifyBatch = async (run, verify, hosts, batch, position) => {
        const outcome = await (0,src_verify/* runVerify */.R9)(deps, verify, {
            vars: {
                DEPLOY_STRATEGY: config.strategy,
                DEPLOY_IMAGE: [...new Set(batch.map((h) => targetImage(config, h) ?? ''))].join(' '),
                DEPLOY_TARGETS: batch.map((h) => h.target.host).join(' '),
                DEPLOY_BATCH: position,
                DEPLOY_HOSTS_DEPLOYED: hosts
                    .filter((h) => h.stage.kind === 'deployed')
                    .map((h) => h.target.host)
                    .join(' ')
            },
            deadline: run.deadline,
            signal: run.signal
        });
        for (const host of batch) {
            host.phases.record('verify', (0,src_verify/* verifyPhase */.Bb)(outcome));
            if (outcome.ok || host.stage.kind !== 'deployed')
                continue;
            host.stage = {
                kind: 'changed',
                change: host.stage.change,
                end: { phase: 'verify', error: outcome.reason, cancelled: outcome.cancelled }
            };
            run.hostJournal.save(host);
        }
        if (!outcome.ok)
            log.error(`Batch ${position}: ${outcome.reason}`);
    };
    async function deploy(ctx) {
        const started = clock.now();
        const deadline = (0,src_poll/* deadlineAfter */.d8)(started, config.timeoutMinutes);
        // A rollback-to writes no variables: each host gets back its backup's .env as it was.
        const envInput = config.image ? (0,dotenv/* envLines */.Xk)(config.env, config.imageVariable, config.image.ref).join('\n') : '';
        const token = (0,external_node_crypto_.randomBytes)(16).toString('hex');
        const ownerJson = JSON.stringify({
            runUrl: identity.runUrl ?? null,
            runId: identity.runId ?? null,
            repository: identity.repository ?? null,
            workflow: identity.workflow ?? null,
            actor: identity.actor,
            sha: identity.sha ?? null,
            ref: identity.ref ?? null,
            image: config.image?.ref ?? null,
            ...(config.rollbackTo ? { rollbackTo: describeTarget(config.rollbackTo) } : {}),
            startedAt: new Date(started).toISOString()
        });
        const lock = { token, ownerJson };
        const rollbackTo = config.rollbackTo ? { rollbackTo: describeTarget(config.rollbackTo) } : {};
        const hostJournal = new HostJournal(ctx.journal, { ...lock, ...rollbackTo, hosts: {} });
        const run = makeRun(hostJournal, lock, ctx.signal, { envInput, deadline });
        const hosts = config.hosts.map((t) => newHostState(t, clock));
        // What this run does, in messages: the image it deploys, or where it rolls back to.
        const image = config.image?.ref ?? (config.rollbackTo ? describeTarget(config.rollbackTo) : '');
        const restores = () => describeRestores(hosts);
        /** Pre-flight, batches, rollback; returns how to build the result once the locks are released. */
        const proceed = async () => {
            await log.group(`Pre-flight ${hosts.length} ${hosts.length === 1 ? 'host' : 'hosts'}`, () => mapLimit(hosts, PREFLIGHT_CONCURRENCY, (h) => preflightHost(run, h)));
            const blocked = hosts.filter((h) => h.stage.kind === 'blocked');
            if (blocked.length > 0 || ctx.signal.aborted) {
                const reports = hosts.map((h) => targetReport(config, h));
                const why = blocked.length
                    ? `Pre-flight failed on ${blocked.length} of ${hosts.length} hosts, nothing was changed: ${blocked.map((h) => `${h.name}: ${hostError(h)}`).join('; ')}`
                    : 'Cancelled during pre-flight, nothing was changed';
                return () => buildResult('failed', why, reports, [preflightSection(hosts)]);
            }
            const batches = planBatches(hosts, config.batchSize, config.firstBatchSize);
            if (config.dryRun) {
                return () => buildResult('planned', `Dry run: ${hosts.length} ${hosts.length === 1 ? 'host' : 'hosts'} passed pre-flight; ${config.rollbackTo ? `would roll back ${restores()}` : `${image} would be deployed`} in ${batches.length} ${batches.length === 1 ? 'batch' : 'batches'}`, hosts.map((h) => targetReport(config, h, true)), [
                    planSection(config, batches, describeHealthCheck(run)),
                    ...ordersSection(hosts, true),
                    preflightSection(hosts)
                ]);
            }
            const prepare = config.rollbackTo ? 'Back up' : 'Back up and pull on';
            await log.group(`${prepare} ${hosts.length} ${hosts.length === 1 ? 'host' : 'hosts'}`, () => mapLimit(hosts, PREFLIGHT_CONCURRENCY, (h) => prepareHost(run, h)));
            const unprepared = hosts.filter((h) => h.stage.kind === 'blocked');
            if (unprepared.length > 0 || ctx.signal.aborted) {
                const reports = hosts.map((h) => targetReport(config, h));
                const why = ctx.signal.aborted
                    ? 'Cancelled before the first batch, nothing was changed'
                    : `Backup or pull failed on ${unprepared.length} of ${hosts.length} hosts, nothing was changed: ${unprepared.map((h) => `${h.name}: ${hostError(h)}`).join('; ')}`;
                return () => buildResult('failed', why, reports, [preflightSection(hosts), phasesSection(hosts)]);
            }
            let stopped;
            for (const [i, batch] of batches.entries()) {
                if (ctx.signal.aborted)
                    break;
                if (clock.now() >= deadline) {
                    stopped = `deadline reached (timeout-minutes ${config.timeoutMinutes}) before batch ${i + 1}/${batches.length}`;
                    break;
                }
                await log.group(`Batch ${i + 1}/${batches.length}: ${batch.map((h) => h.name).join(', ')}`, async () => {
                    await Promise.all(batch.map((h) => deployHost(run, h)));
                    if (config.verify && batch.every((h) => h.stage.kind === 'deployed')) {
                        await verifyBatch(run, config.verify, hosts, batch, `${i + 1}/${batches.length}`);
                    }
                });
                if (batch.some((h) => h.stage.kind !== 'deployed'))
                    break;
            }
            await settlePending(run);
            const failed = hosts.filter((h) => turnEnd(h.stage)?.cancelled === false);
            const cancelled = ctx.signal.aborted;
            const problem = failed.length > 0 || cancelled || stopped !== undefined;
            if (problem && config.rollbackOnFailure) {
                const everyChanged = cancelled || stopped !== undefined || config.rollbackScope === 'fleet';
                const targets = hosts.filter((h) => h.stage.kind === 'changed' || (everyChanged && h.stage.kind === 'deployed'));
                const cause = cancelled ? 'the job was cancelled' : failed[0] ? `${failed[0].name} failed` : (stopped ?? '');
                await rollBack(run, targets, cancelled ? 'Cancelled: roll back' : 'Roll back', (h) => turnEnd(h.stage)?.cancelled === false ? undefined : `rolled back because ${cause}`);
            }
            // The audit trail also records failures that were not rolled back.
            for (const h of hosts) {
                if (h.stage.kind === 'started' || h.stage.kind === 'changed') {
                    await auditHost(run, h, 'failed', turnEnd(h.stage)?.error ?? 'cancelled');
                }
            }
            const reports = hosts.map((h) => targetReport(config, h));
            const status = deployStatus(reports, problem);
            const inBatches = `in ${batches.length} ${batches.length === 1 ? 'batch' : 'batches'}`;
            const opening = !problem
                ? config.rollbackTo
                    ? `Rolled back ${restores()} ${inBatches}`
                    : `Deployed ${image} to ${hosts.length} ${hosts.length === 1 ? 'host' : 'hosts'} ${inBatches}`
                : cancelled
                    ? `Cancelled while ${config.rollbackTo ? 'rolling back to' : 'deploying'} ${image}`
                    : failed[0]
                        ? `${config.rollbackTo ? 'The rollback to' : 'Deploy of'} ${image} failed on ${failed.map((h) => `${h.name} (${hostError(h)})`).join(', ')}`
                        : `${config.rollbackTo ? 'The rollback to' : 'Deploy of'} ${image} stopped: ${stopped}`;
            return () => buildResult(status, resultMessage(config, hosts, reports, opening), reports, [
                phasesSection(hosts),
                ...ordersSection(hosts)
            ]);
        };
        const renewal = startLockRenewal(run, hosts);
        let finish;
        try {
            finish = await proceed();
        }
        finally {
            await settlePending(run);
            await renewal.stop();
            await releaseAll(run, hosts);
            await closeAll(run, hosts);
        }
        // Built after the locks are released, so each host's report includes its unlock.
        return finish();
    }
    async function recover(ctx) {
        const record = readRecord(ctx.journal);
        if (!record)
            return undefined;
        const hosts = [];
        for (const target of config.hosts) {
            const r = record.hosts[target.spec];
            if (!r)
                continue;
            const host = fromRecord(target, r, clock);
            if (needsRollback(host) || host.lock === 'held')
                hosts.push(host);
        }
        if (hosts.length === 0)
            return undefined;
        const lock = { token: record.token, ownerJson: record.ownerJson };
        // The host journal continues the saved record: a second recovery sees what this one finished.
        const run = makeRun(new HostJournal(ctx.journal, record), lock, ctx.signal, {});
        const renewal = startLockRenewal(run, hosts);
        try {
            // First stop whatever the main step left running on a host (it was killed mid-phase), and wait until it is gone.
            await log.group(`Stop what the main step left running on ${hosts.length} ${hosts.length === 1 ? 'host' : 'hosts'}`, () => mapLimit(hosts, PREFLIGHT_CONCURRENCY, async (h) => {
                const { confirmed, stopped, text } = await stopPhases(run, h, 'a phase of the main step');
                if (confirmed) {
                    log.info(`${h.name}: ${stopped ? `stopped ${stopped} process group(s) it left` : 'nothing left running'}`);
                }
                else
                    log.info(`${h.name}: ${text}`);
            }));
            const changed = hosts.filter(needsRollback);
            if (changed.length && config.rollbackOnFailure) {
                await rollBack(run, changed, 'Recover: roll back', () => 'rolled back because the main step was cut short');
            }
        }
        finally {
            await renewal.stop();
            await releaseAll(run, hosts);
            await closeAll(run, hosts);
        }
        const reports = hosts.map((h) => targetReport(config, h));
        const left = hosts.filter((h) => changedStage(h.stage) && h.stage.kind !== 'rolled-back');
        // Cut short means not deployed: rolled-back when every changed host is back, failed otherwise.
        const status = left.length === 0 && changedCount(hosts) > 0 ? 'rolled-back' : 'failed';
        // A rollback-to names where each host was going: the backups pre-flight chose, else the run's target.
        const going = hosts.some((h) => h.restore)
            ? describeRestores(hosts)
            : record.rollbackTo !== undefined
                ? `to ${record.rollbackTo}`
                : undefined;
        const opening = changedCount(hosts) === 0
            ? `The main step was cut short before any host changed${going ? ` (rolling back ${going})` : ''}; released the deploy locks`
            : `The main step was cut short${going ? ` while rolling back ${going}` : ''}`;
        return buildResult(status, resultMessage(config, hosts, reports, opening), reports, [phasesSection(hosts)]);
    }
    return { deploy, recover };
}
function changedCount(hosts) {
    return hosts.filter((h) => changedStage(h.stage)).length;
}
/** Changed and not rolled back yet. */
function needsRollback(host) {
    return host.stage.kind === 'changed' || host.stage.kind === 'deployed';
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
