export const id = 196;
export const ids = [196];
export const modules = {

/***/ 306:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  ut: () => (/* binding */ configView),
  Ko: () => (/* binding */ readInputs),
  rf: () => (/* binding */ yamlFor)
});

// EXTERNAL MODULE: ./src/constants.ts
var constants = __webpack_require__(7242);
// EXTERNAL MODULE: ./src/inputs/forms.ts
var inputs_forms = __webpack_require__(2198);
// EXTERNAL MODULE: ./src/inputs/reader.ts
var reader = __webpack_require__(9066);
;// CONCATENATED MODULE: ./src/inputs/common.ts
/** The inputs every strategy reads: image or rollback target, time limit, dry run, rollback on failure, the verify gate. */



const DEFAULT_VERIFY_TIMEOUT_MS = 5 * 60_000;
/** Stands in for a missing or bad image while the other inputs are read; a config holding it is never returned. */
const PLACEHOLDER_IMAGE = { ref: '', name: '' };
/**
 * The common inputs; the strategy is read first, by `readInputs`, since every other input depends on it. `image`
 * is optional when `imageOptional` (an ECS `task-definition` naming a registered revision) and when `rollback-to`
 * is given, which refuses it.
 */
function readCommon(r, options = {}) {
    const rollbackTo = readRollbackTo(r, options.rollbackName);
    const rollback = r.get(constants/* Inputs */.G0.rollbackTo) !== '';
    const image = options.imageOptional || rollback
        ? r.optional(constants/* Inputs */.G0.image, inputs_forms/* parseImage */.zZ)
        : (r.required(constants/* Inputs */.G0.image, `for every strategy unless '${constants/* Inputs */.G0.rollbackTo}' is given (for ECS, unless '${constants/* Inputs */.G0.taskDefinition}' names a registered revision)`, inputs_forms/* IMAGE_FORM */.f$, inputs_forms/* parseImage */.zZ) ?? PLACEHOLDER_IMAGE);
    if (rollback && r.get(constants/* Inputs */.G0.image) !== '') {
        const message = `Invalid '${constants/* Inputs */.G0.rollbackTo}': expected either '${constants/* Inputs */.G0.image}' (deploy it) or '${constants/* Inputs */.G0.rollbackTo}' (go back to an earlier release), got both`;
        r.add(new reader/* InputError */.dz([{ input: constants/* Inputs */.G0.rollbackTo, message }]));
    }
    const timeoutMinutes = r.value(constants/* Inputs */.G0.timeoutMinutes, 30, (v) => {
        const n = /^[0-9]+(?:\.[0-9]+)?$/.test(v) ? Number(v) : NaN;
        if (!(n > 0 && n <= 1440))
            throw new inputs_forms/* FormError */.jQ('a number of minutes greater than 0 and at most 1440');
        return n;
    });
    const dryRun = r.value(constants/* Inputs */.G0.dryRun, false, inputs_forms/* parseBoolean */.yG);
    const rollbackOnFailure = r.value(constants/* Inputs */.G0.rollbackOnFailure, true, inputs_forms/* parseBoolean */.yG);
    const verify = readVerify(r, timeoutMinutes);
    return {
        image,
        ...(rollbackTo ? { rollbackTo } : {}),
        timeoutMinutes,
        dryRun,
        rollbackOnFailure,
        ...(verify ? { verify } : {})
    };
}
/** `previous`, or a name in the strategy's form; undefined when unset or bad. */
function readRollbackTo(r, named) {
    return r.optional(constants/* Inputs */.G0.rollbackTo, (v) => {
        if (v === 'previous')
            return { kind: 'previous' };
        if (!named)
            return { kind: 'named', name: v };
        try {
            return { kind: 'named', name: named.parse(v) };
        }
        catch (error) {
            if (error instanceof inputs_forms/* FormError */.jQ)
                throw new inputs_forms/* FormError */.jQ(`previous or ${named.form}`, error.got);
            throw error;
        }
    });
}
/** The verify gate: the command (empty: none) and its timeout, within the run's time limit. */
function readVerify(r, timeoutMinutes) {
    const timeoutMs = r.optional(constants/* Inputs */.G0.verifyTimeout, inputs_forms/* positiveDuration */.Cz);
    const limitMs = timeoutMinutes * 60_000;
    if (timeoutMs !== undefined && timeoutMs > limitMs && !r.failed(constants/* Inputs */.G0.timeoutMinutes)) {
        const input = constants/* Inputs */.G0.verifyTimeout;
        const message = `Invalid '${input}': expected at most '${constants/* Inputs */.G0.timeoutMinutes}' (${timeoutMinutes} min), got ${(0,inputs_forms/* show */.WU)(r.get(input))}`;
        r.add(new reader/* InputError */.dz([{ input, message }]));
        return undefined;
    }
    const command = r.get(constants/* Inputs */.G0.verifyCommand);
    if (command === '')
        return undefined;
    return { command, timeoutMs: timeoutMs ?? Math.min(DEFAULT_VERIFY_TIMEOUT_MS, limitMs) };
}

// EXTERNAL MODULE: ./src/redact-url.ts
var redact_url = __webpack_require__(470);
// EXTERNAL MODULE: ./src/strategies/ecs-blue-green/config.ts + 1 modules
var config = __webpack_require__(7533);
// EXTERNAL MODULE: ./src/strategies/ecs/config.ts
var ecs_config = __webpack_require__(7989);
;// CONCATENATED MODULE: ./src/strategies/ecs-native/config.ts

function readEcsNativeConfig(r, common, context) {
    const ecs = (0,ecs_config/* readEcsConfig */.mA)(r, common, context);
    return { ...ecs, ...(0,ecs_config/* readDeploymentWaits */.ER)(r, ecs), strategy: 'ecs-native' };
}

// EXTERNAL MODULE: ./src/strategies/ecs-pick/config.ts
var ecs_pick_config = __webpack_require__(385);
;// CONCATENATED MODULE: ./src/strategies/ecs-rolling/config.ts

function readEcsRollingConfig(r, common, context) {
    return { ...(0,ecs_config/* readEcsConfig */.mA)(r, common, context), strategy: 'ecs-rolling' };
}

// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
var external_node_path_default = /*#__PURE__*/__webpack_require__.n(external_node_path_);
// EXTERNAL MODULE: ./src/strategies/ssh-rolling/dotenv.ts
var dotenv = __webpack_require__(4840);
;// CONCATENATED MODULE: ./src/strategies/ssh-rolling/hosts.ts
/** SSH targets as users write them: `[user@]host[:port]`, IPv6 in brackets; and the key that makes two the same. */

const HOST_FORM = '[user@]host[:port]';
const USER_RE = /^[a-z_][a-z0-9_.-]*$/i;
function parsePort(text) {
    const n = /^[0-9]{1,5}$/.test(text) ? Number(text) : NaN;
    if (!(n >= 1 && n <= 65535))
        throw new inputs_forms/* FormError */.jQ(`${HOST_FORM} with a port from 1 to 65535`);
    return n;
}
/** `[user@]host[:port]`, IPv6 as `[addr]` or `[addr]:port`. */
function parseHostSpec(spec) {
    const atIndex = spec.lastIndexOf('@');
    const user = atIndex >= 0 ? spec.slice(0, atIndex) : undefined;
    const rest = atIndex >= 0 ? spec.slice(atIndex + 1) : spec;
    if (user !== undefined && !USER_RE.test(user)) {
        throw new inputs_forms/* FormError */.jQ(`${HOST_FORM} with a user name matching [a-z_][a-z0-9_.-]*`);
    }
    let host;
    let port;
    const v6 = /^\[([^\]]*)\](?::(.*))?$/.exec(rest);
    if (v6) {
        host = v6[1] ?? '';
        if (!(0,inputs_forms/* isIPv6 */.w7)(host))
            throw new inputs_forms/* FormError */.jQ(`${HOST_FORM} with a valid IPv6 address in brackets ([2001:db8::1]:22)`);
        if (v6[2] !== undefined)
            port = parsePort(v6[2]);
    }
    else {
        const colons = rest.split(':').length - 1;
        if (colons > 1)
            throw new inputs_forms/* FormError */.jQ(`${HOST_FORM} with IPv6 addresses in brackets ([2001:db8::1]:22)`);
        const [name = '', portText] = rest.split(':');
        if (!(0,inputs_forms/* isHostName */.uy)(name)) {
            throw new inputs_forms/* FormError */.jQ(`${HOST_FORM} with an RFC 1123 host name, an IPv4 address or an [IPv6] address`);
        }
        host = name;
        if (portText !== undefined)
            port = parsePort(portText);
    }
    const parsed = { host };
    if (user !== undefined)
        parsed.user = user;
    if (port !== undefined)
        parsed.port = port;
    return parsed;
}
/** A key that identifies one SSH endpoint: case-insensitive names, canonical IPv6. */
function endpointKey(host, port) {
    const canonical = (0,inputs_forms/* isIPv6 */.w7)(host) ? new URL(`http://[${host}]/`).hostname : host.toLowerCase();
    return `${canonical}#${port}`;
}

// EXTERNAL MODULE: ./src/strategies/ssh-rolling/known-hosts.ts
var known_hosts = __webpack_require__(8981);
;// CONCATENATED MODULE: ./src/strategies/ssh-rolling/private-key.ts



const KEY_FORM = 'a PEM or OpenSSH private key block (-----BEGIN ... PRIVATE KEY----- … -----END ... PRIVATE KEY-----)';
/** The key block with LF line ends and trimmed lines; throws `FormError` naming a paste mistake. */
function checkKeyText(raw) {
    const text = raw.replace(/\r\n?/g, '\n').trim();
    const got = (what) => new inputs_forms/* FormError */.jQ(KEY_FORM, what);
    if (/^(?:ssh-|ecdsa-|sk-)\S+ AAAA/.test(text) || text.includes('PUBLIC KEY-----')) {
        throw got('a public key; give the private key');
    }
    if (text.startsWith('PuTTY-User-Key-File'))
        throw got('a PuTTY key; convert it with puttygen -O private-openssh');
    const lines = text.split('\n').map((l) => l.trim());
    const begin = /^-----BEGIN ((?:[A-Z0-9]+ )*)PRIVATE KEY-----$/.exec(lines[0] ?? '');
    const end = /^-----END ((?:[A-Z0-9]+ )*)PRIVATE KEY-----$/.exec(lines[lines.length - 1] ?? '');
    if (!begin || !end || lines.length < 3) {
        throw got(`a value of ${raw.length} characters without BEGIN/END PRIVATE KEY lines on their own lines`);
    }
    if (begin[1] !== end[1])
        throw got('a key block whose BEGIN and END lines name different key types');
    const body = lines
        .slice(1, -1)
        .filter((l) => l !== '' && !/^[A-Za-z-]+: /.test(l))
        .join('');
    if (!body || !/^[A-Za-z0-9+/]+={0,2}$/.test(body))
        throw got('a key block whose body is not base64');
    return `${lines.join('\n')}\n`;
}
/** ssh2's key parser, loaded when a key is to be parsed: ssh2 is not needed to fail on a bad input. */
async function loadKeyParser() {
    const { default: loaded } = await __webpack_require__.e(/* import() */ 472).then(__webpack_require__.t.bind(__webpack_require__, 5472, 23));
    return loaded.utils.parseKey;
}
/**
 * Parses the key with ssh2's parser and decrypts it with `passphrase`: the one parse of the key, kept in memory for
 * every connection. Throws `InputError` naming `ssh-private-key` or `ssh-passphrase`.
 */
function parsePrivateKey(parseKey, key, passphrase) {
    const parsed = parseKey(key, passphrase || undefined);
    const first = Array.isArray(parsed) ? parsed[0] : parsed;
    if (first instanceof Error || first === undefined) {
        const message = first instanceof Error ? first.message : 'no key found';
        if (/no passphrase given/i.test(message)) {
            throw (0,reader/* missing */.LO)(constants/* Inputs */.G0.sshPassphrase, `required because '${constants/* Inputs */.G0.sshPrivateKey}' is encrypted; expected the key's passphrase`);
        }
        if (/bad passphrase|integrity check failed|decrypt/i.test(message)) {
            throw (0,reader/* invalid */.Gq)(constants/* Inputs */.G0.sshPassphrase, `the passphrase of '${constants/* Inputs */.G0.sshPrivateKey}'`, 'one that does not decrypt it');
        }
        throw (0,reader/* invalid */.Gq)(constants/* Inputs */.G0.sshPrivateKey, KEY_FORM, `a key ssh2 cannot read (${message})`);
    }
    if (first.isPrivateKey() !== true) {
        throw (0,reader/* invalid */.Gq)(constants/* Inputs */.G0.sshPrivateKey, KEY_FORM, 'a public key; give the private key');
    }
    return first;
}

;// CONCATENATED MODULE: ./src/strategies/ssh-rolling/config.ts
/** The inputs of ssh-rolling: hosts and how to reach them, host keys, the Compose project, health, batches. */









const BATCH_FORM = 'a number of hosts (1 or more) or a percentage from 1% to 100%';
function parseBatchSize(value) {
    const m = /^([0-9]+)(%?)$/.exec(value);
    const n = m ? Number(m[1]) : NaN;
    if (!m || !Number.isSafeInteger(n) || n < 1 || (m[2] === '%' && n > 100))
        throw new inputs_forms/* FormError */.jQ(BATCH_FORM);
    return m[2] === '%' ? { kind: 'percent', value: n } : { kind: 'count', value: n };
}
/** A backup folder's name as `backup` creates it: `<UTC stamp>[-run<id>[-<attempt>]][.<n>]`. */
const BACKUP_NAME_RE = /^[0-9]{8}T[0-9]{6}Z(?:-run[0-9]{1,20}(?:-[0-9]{1,6})?)?(?:\.[0-9]{1,6})?$/;
const BACKUP_NAME_FORM = `a backup's folder name in <app-dir>/.deploy/backups/, like 20260102T030405Z-run123`;
/** `rollback-to` for ssh-rolling: the name goes to the host as a script argument, so only the names backups get. */
function parseBackupName(value) {
    if (!BACKUP_NAME_RE.test(value))
        throw new inputs_forms/* FormError */.jQ(BACKUP_NAME_FORM);
    return value;
}
const SAFE_PATH_RE = /^[A-Za-z0-9._/-]+$/;
function hasDotDot(p) {
    return p.split('/').includes('..');
}
function parseAppDir(value) {
    const expected = `an absolute directory path other than / (characters A-Z a-z 0-9 . _ - /, no '..')`;
    if (!value.startsWith('/') || !SAFE_PATH_RE.test(value) || hasDotDot(value))
        throw new inputs_forms/* FormError */.jQ(expected);
    const normalized = external_node_path_default().posix.normalize(value).replace(/\/+$/, '');
    if (normalized === '')
        throw new inputs_forms/* FormError */.jQ(expected);
    return normalized;
}
function readComposeFiles(r) {
    const files = [];
    for (const [i, line] of r.get(constants/* Inputs */.G0.composeFile).split(/\r?\n/).entries()) {
        for (const item of line.split(',')) {
            const file = item.trim();
            if (!file)
                continue;
            const ok = r.check(() => (0,reader.at)(constants/* Inputs */.G0.composeFile, i + 1, file, () => {
                if (file.startsWith('/') || !SAFE_PATH_RE.test(file) || hasDotDot(file)) {
                    throw new inputs_forms/* FormError */.jQ(`file names relative to '${constants/* Inputs */.G0.appDir}' (characters A-Z a-z 0-9 . _ - /, no '..')`);
                }
                return true;
            }));
            if (ok)
                files.push(file);
        }
    }
    return files;
}
const SERVICE_RE = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;
function readComposeServices(r) {
    const services = [];
    for (const [i, line] of r.get(constants/* Inputs */.G0.composeServices).split(/\r?\n/).entries()) {
        for (const service of line.split(/[\s,]+/).filter(Boolean)) {
            if (!SERVICE_RE.test(service)) {
                r.add((0,reader/* invalid */.Gq)(constants/* Inputs */.G0.composeServices, 'Compose service names ([a-zA-Z0-9][a-zA-Z0-9_.-]*) separated by commas, spaces or newlines', (0,inputs_forms/* show */.WU)(service), i + 1));
            }
            else if (!services.includes(service))
                services.push(service);
        }
    }
    return services;
}
const CONTAINER_CHECK_RE = /^([a-zA-Z0-9][a-zA-Z0-9_.-]*)\s*=\s*(\d{1,5})(\/[A-Za-z0-9._~/?=&%+-]*)?$/;
/** `service=port/path` lines: the HTTP GET each new start-first container must answer with 2xx. */
function readContainerChecks(r) {
    const checks = r.lines(constants/* Inputs */.G0.containerCheck, (line) => {
        const m = CONTAINER_CHECK_RE.exec(line);
        const port = Number(m?.[2]);
        if (!m || port < 1 || port > 65535) {
            throw new inputs_forms/* FormError */.jQ('lines service=port/path (e.g. web=8080/healthz): an HTTP GET each new container must answer with 2xx');
        }
        return [m[1], `${port}${m[3] ?? '/'}`];
    });
    return Object.fromEntries(checks);
}
function parseHealthCheckUrl(value) {
    const expected = 'an http:// or https:// URL (it may contain {host})';
    let url;
    try {
        url = new URL(value.replaceAll('{host}', 'host.invalid'));
    }
    catch {
        throw new inputs_forms/* FormError */.jQ(expected);
    }
    if ((url.protocol !== 'http:' && url.protocol !== 'https:') || /\s/.test(value))
        throw new inputs_forms/* FormError */.jQ(expected);
    return value;
}
/** The entries of `hosts`, each bad one a problem; none at all is a missing `hosts`. */
function readHosts(r) {
    const specs = [];
    let count = 0;
    for (const { line, number } of (0,inputs_forms/* contentLines */.$X)(r.get(constants/* Inputs */.G0.hosts))) {
        for (const item of line.split(',')) {
            const spec = item.trim();
            if (!spec)
                continue;
            count++;
            const parsed = r.check(() => (0,reader.at)(constants/* Inputs */.G0.hosts, number, spec, () => parseHostSpec(spec)));
            if (parsed)
                specs.push({ spec, parsed, line: number });
        }
    }
    if (count === 0) {
        r.add((0,reader/* missing */.LO)(constants/* Inputs */.G0.hosts, `required for ssh-rolling; expected ${HOST_FORM} entries, one per line or comma-separated`));
    }
    return specs;
}
/** Applies `ssh-user` and `ssh-port` to each host; one missing user and each duplicate are problems. */
function resolveHosts(r, specs, sshUser, sshPort) {
    const hosts = [];
    const seen = new Map();
    let userMissing = false;
    for (const { spec, parsed, line } of specs) {
        const user = parsed.user ?? sshUser;
        if (user === undefined) {
            if (!userMissing && !r.failed(constants/* Inputs */.G0.sshUser)) {
                r.add((0,reader/* missing */.LO)(constants/* Inputs */.G0.sshUser, `required unless every entry of '${constants/* Inputs */.G0.hosts}' has user@; expected a user name, line ${line} ${(0,inputs_forms/* show */.WU)(spec)} has none`));
            }
            userMissing = true;
            continue;
        }
        const port = parsed.port ?? sshPort;
        // A host is the same endpoint as another only once `ssh-port` is known.
        if (parsed.port !== undefined || !r.failed(constants/* Inputs */.G0.sshPort)) {
            const key = endpointKey(parsed.host, port);
            const first = seen.get(key);
            if (first !== undefined) {
                r.add((0,reader/* invalid */.Gq)(constants/* Inputs */.G0.hosts, 'each host once', `${(0,inputs_forms/* show */.WU)(spec)} again (first on line ${first})`, line));
                continue;
            }
            seen.set(key, line);
        }
        hosts.push({ spec, user, host: parsed.host, port });
    }
    return hosts;
}
async function readSshRollingConfig(r, { image, ...common }, { log }) {
    // Masked the moment they are read, before any validation can fail.
    const rawKey = r.get(constants/* Inputs */.G0.sshPrivateKey);
    if (rawKey)
        log.setSecret(rawKey);
    const passphrase = r.get(constants/* Inputs */.G0.sshPassphrase);
    if (passphrase)
        log.setSecret(passphrase);
    const specs = readHosts(r);
    const sshUser = r.optional(constants/* Inputs */.G0.sshUser, (v) => {
        if (!USER_RE.test(v))
            throw new inputs_forms/* FormError */.jQ('a user name matching [a-z_][a-z0-9_.-]*');
        return v;
    });
    const sshPort = r.value(constants/* Inputs */.G0.sshPort, 22, (v) => (0,inputs_forms/* parseInteger */.cG)(v, 1, 65535));
    const hosts = resolveHosts(r, specs, sshUser, sshPort);
    const keyText = r.required(constants/* Inputs */.G0.sshPrivateKey, 'for ssh-rolling', KEY_FORM, checkKeyText);
    if (keyText && keyText.trim() !== rawKey)
        log.setSecret(keyText);
    const insecure = r.value(constants/* Inputs */.G0.sshInsecureSkipHostKeyCheck, false, inputs_forms/* parseBoolean */.yG);
    const knownHosts = (0,known_hosts/* readKnownHosts */.DC)(r);
    if (knownHosts.some((e) => e.kind !== 'pin' && e.marker === '@cert-authority')) {
        log.warning(`'${constants/* Inputs */.G0.sshKnownHosts}': @cert-authority lines are ignored: host certificates are not supported; give each host's own key (ssh-keyscan output) or a pin`);
    }
    // Missing only when nothing was written: bad lines are problems of their own.
    if ((0,inputs_forms/* contentLines */.$X)(r.get(constants/* Inputs */.G0.sshKnownHosts)).length === 0 &&
        !insecure &&
        !r.failed(constants/* Inputs */.G0.sshInsecureSkipHostKeyCheck)) {
        r.add((0,reader/* missing */.LO)(constants/* Inputs */.G0.sshKnownHosts, `required unless '${constants/* Inputs */.G0.sshInsecureSkipHostKeyCheck}' is true; expected known_hosts lines (ssh-keyscan output) or pins host[:port] SHA256:<fingerprint>`));
    }
    if (insecure) {
        log.warning(`'${constants/* Inputs */.G0.sshInsecureSkipHostKeyCheck}' is true: host keys are NOT verified, so anyone between the runner and the hosts can impersonate them and read the deploy. Use '${constants/* Inputs */.G0.sshKnownHosts}' in production.`);
    }
    const jumpHost = r.optional(constants/* Inputs */.G0.sshJumpHost, (v) => {
        const parsed = parseHostSpec(v);
        const user = parsed.user ?? sshUser;
        if (user === undefined && !r.failed(constants/* Inputs */.G0.sshUser)) {
            throw new inputs_forms/* FormError */.jQ(`${HOST_FORM} with user@ (or set '${constants/* Inputs */.G0.sshUser}')`);
        }
        return { spec: v, user: user ?? '', host: parsed.host, port: parsed.port ?? 22 };
    });
    const imageVariable = r.value(constants/* Inputs */.G0.imageVariable, 'IMAGE', (v) => {
        if (!inputs_forms/* VARIABLE_RE */.b8.test(v))
            throw new inputs_forms/* FormError */.jQ(inputs_forms/* VARIABLE_FORM */.yW);
        return v;
    });
    const env = (0,reader/* readEnvLines */.xr)(r, constants/* Inputs */.G0.env, log, {
        // The key the image goes under is reserved only once it is known.
        ...(r.failed(constants/* Inputs */.G0.imageVariable)
            ? {}
            : { reserved: { key: imageVariable, why: `set from '${constants/* Inputs */.G0.image}' via '${constants/* Inputs */.G0.imageVariable}'` } }),
        value: { form: dotenv/* ENV_VALUE_FORM */.BC, problem: dotenv/* envValueProblem */.kl }
    });
    const healthCheck = {
        retries: r.value(constants/* Inputs */.G0.healthCheckRetries, 10, (v) => (0,inputs_forms/* parseInteger */.cG)(v, 1, 1000)),
        intervalMs: r.value(constants/* Inputs */.G0.healthCheckInterval, 3000, inputs_forms/* positiveDuration */.Cz),
        timeoutMs: r.value(constants/* Inputs */.G0.healthCheckTimeout, 5000, inputs_forms/* positiveDuration */.Cz),
        startPeriodMs: r.value(constants/* Inputs */.G0.healthCheckStartPeriod, 0, inputs_forms/* parseDuration */.E9)
    };
    const url = r.optional(constants/* Inputs */.G0.healthCheckUrl, parseHealthCheckUrl);
    if (url) {
        // A token in the query is masked too: the URL is shown with `{host}` replaced, which a whole-URL mask misses.
        for (const secret of (0,redact_url/* urlSecrets */.Fn)(url))
            log.setSecret(secret);
        healthCheck.url = url;
    }
    const command = r.get(constants/* Inputs */.G0.healthCheckCommand);
    if (command)
        healthCheck.command = command;
    const config = {
        ...common,
        strategy: 'ssh-rolling',
        hosts,
        knownHosts,
        insecureSkipHostKeyCheck: insecure,
        appDir: r.value(constants/* Inputs */.G0.appDir, '/app', parseAppDir),
        composeFiles: readComposeFiles(r),
        composeServices: readComposeServices(r),
        env,
        imageVariable,
        healthCheck,
        updateOrder: r.value(constants/* Inputs */.G0.updateOrder, 'auto', (v) => (0,inputs_forms/* parseEnum */.nL)(v, ['auto', 'start-first', 'stop-first'])),
        switchDelayMs: r.value(constants/* Inputs */.G0.switchDelay, 5000, inputs_forms/* parseDuration */.E9),
        containerChecks: readContainerChecks(r),
        batchSize: r.value(constants/* Inputs */.G0.batchSize, { kind: 'count', value: 1 }, parseBatchSize),
        rollbackScope: r.value(constants/* Inputs */.G0.rollbackScope, 'fleet', (v) => (0,inputs_forms/* parseEnum */.nL)(v, ['fleet', 'host'])),
        backupRetention: r.value(constants/* Inputs */.G0.backupRetention, 5, (v) => (0,inputs_forms/* parseInteger */.cG)(v, 1, Number.MAX_SAFE_INTEGER)),
        lockWaitSeconds: r.value(constants/* Inputs */.G0.lockWaitSeconds, 0, (v) => (0,inputs_forms/* parseInteger */.cG)(v, 0, Number.MAX_SAFE_INTEGER))
    };
    if (image && !common.rollbackTo)
        config.image = image;
    if (common.rollbackTo && env.length > 0) {
        log.warning(`'${constants/* Inputs */.G0.env}' is not used by '${constants/* Inputs */.G0.rollbackTo}': each host gets back the .env its backup holds, as it was`);
    }
    if (passphrase)
        config.passphrase = passphrase;
    // Parsed only once every other input is valid: loading ssh2, and an encrypted key's bcrypt rounds (~170 ms),
    // would otherwise slow every run that fails on another input.
    if (keyText && r.problems.length === 0) {
        const parseKey = await loadKeyParser();
        const privateKey = r.check(() => parsePrivateKey(parseKey, keyText, passphrase));
        if (privateKey)
            config.privateKey = privateKey;
    }
    if (jumpHost)
        config.jumpHost = jumpHost;
    const firstBatchSize = r.optional(constants/* Inputs */.G0.firstBatchSize, parseBatchSize);
    if (firstBatchSize)
        config.firstBatchSize = firstBatchSize;
    const pre = r.get(constants/* Inputs */.G0.preDeployCommand);
    if (pre)
        config.preDeployCommand = pre;
    const post = r.get(constants/* Inputs */.G0.postDeployCommand);
    if (post)
        config.postDeployCommand = post;
    return config;
}

;// CONCATENATED MODULE: ./src/config.ts
/**
 * The typed configuration: a discriminated union keyed on the strategy, and `readInputs`, the one place inputs are
 * read into it. Generic forms live in `src/inputs/`; each strategy's `config.ts` reads its own inputs. Only local
 * files are read (task definition, AppSpec); nothing remote is contacted.
 */












/** Each strategy's named form of `rollback-to` (besides `previous`). */
const ROLLBACK_NAMES = {
    ecs: { form: ecs_config/* REVISION_FORM */.xT, parse: ecs_config/* parseTaskDefinitionRevision */.Tb },
    'ecs-rolling': { form: ecs_config/* REVISION_FORM */.xT, parse: ecs_config/* parseTaskDefinitionRevision */.Tb },
    'ecs-blue-green': { form: ecs_config/* REVISION_FORM */.xT, parse: ecs_config/* parseTaskDefinitionRevision */.Tb },
    'ecs-native': { form: ecs_config/* REVISION_FORM */.xT, parse: ecs_config/* parseTaskDefinitionRevision */.Tb },
    'ssh-rolling': { form: BACKUP_NAME_FORM, parse: parseBackupName }
};
async function readStrategyConfig(r, common, context) {
    const strategy = common.strategy;
    switch (strategy) {
        case 'ecs':
            return (0,ecs_pick_config/* readEcsPickConfig */.HP)(r, { ...common, strategy }, context);
        case 'ecs-rolling':
            return readEcsRollingConfig(r, common, context);
        case 'ecs-blue-green':
            return (0,config/* readEcsBlueGreenConfig */.R)(r, common, context);
        case 'ecs-native':
            return readEcsNativeConfig(r, common, context);
        case 'ssh-rolling':
            return readSshRollingConfig(r, { ...common, strategy }, context);
        default: {
            const unknown = strategy;
            throw new Error(`Unknown strategy ${String(unknown)}`);
        }
    }
}
/**
 * Reads every input of the chosen strategy into one validated `Config`; inputs of other strategies are ignored.
 * Reads them all before it fails: `InputError` then lists every bad input (each one line: input, position,
 * expected form, value). An input that can only be checked once another is valid (the strategy's own inputs, a
 * container of the task definition, the private key's passphrase) is checked when that one is; the private key is
 * parsed, by ssh2, once every other input is valid. `parseYaml` (from `yamlFor`) is needed when an input names a
 * YAML file.
 */
async function readInputs(source, env, log, parseYaml) {
    const r = new reader/* InputReader */.i_(source);
    const strategyForm = `one of ${constants/* Strategies */.ie.join(', ')}`;
    if (r.get(constants/* Inputs */.G0.strategy) === '')
        r.add((0,reader/* missing */.LO)(constants/* Inputs */.G0.strategy, `required; expected ${strategyForm}`));
    const strategy = r.optional(constants/* Inputs */.G0.strategy, (v) => (0,inputs_forms/* parseEnum */.nL)(v, constants/* Strategies */.ie));
    // An ECS task definition revision is deployed as registered: no image goes into it.
    const ecs = strategy !== undefined && strategy !== 'ssh-rolling';
    const common = readCommon(r, {
        imageOptional: ecs && (0,ecs_config/* isTaskDefinitionRevision */.An)(r.get(constants/* Inputs */.G0.taskDefinition)),
        rollbackName: strategy ? ROLLBACK_NAMES[strategy] : undefined
    });
    // The other inputs depend on the strategy: without a valid one they are not read at all.
    const config = strategy ? await readStrategyConfig(r, { ...common, strategy }, { env, log, parseYaml }) : undefined;
    if (r.problems.length > 0 || !config)
        throw new reader/* InputError */.dz(r.problems);
    return config;
}
/**
 * The YAML parser when an input names a YAML file (a task definition or AppSpec not called *.json), loaded then
 * and only then; `readInputs` needs it for such files.
 */
async function yamlFor(source) {
    const files = [constants/* Inputs */.G0.taskDefinition, constants/* Inputs */.G0.codedeployAppspec].map((n) => source.getInput(n).trim());
    if (!files.some((f) => f && !(0,reader/* isJsonFile */.Hz)(f)))
        return undefined;
    const { parse } = await __webpack_require__.e(/* import() */ 815).then(__webpack_require__.t.bind(__webpack_require__, 8815, 19));
    return (text) => parse(text);
}
/** The configuration as shown in the job summary: no secrets, no parsed documents, env as keys only. */
function configView(config) {
    const view = { ...config, image: config.image?.ref };
    for (const key of ['privateKey', 'passphrase', 'taskDefinitionDocument', 'appspecDocument'])
        delete view[key];
    if (config.strategy === 'ssh-rolling') {
        view.env = config.env.map((p) => p.key);
        view.knownHosts = config.knownHosts.map(known_hosts/* describeKnownHost */.l);
        view.healthCheck = {
            ...config.healthCheck,
            ...(config.healthCheck.url ? { url: (0,redact_url/* redactUrl */.BO)(config.healthCheck.url) } : {})
        };
    }
    else {
        view.environmentVariables = config.environmentVariables.map((p) => p.key);
    }
    return view;
}


/***/ }),

/***/ 2137:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  q: () => (/* binding */ createStartup)
});

// UNUSED EXPORTS: cancelOnSignals

;// CONCATENATED MODULE: ./src/clock.ts
function sleep(ms, signal) {
    return new Promise((resolve) => {
        if (signal?.aborted || ms <= 0)
            return resolve();
        const done = () => {
            clearTimeout(timer);
            signal?.removeEventListener('abort', done);
            resolve();
        };
        const timer = setTimeout(done, ms);
        signal?.addEventListener('abort', done, { once: true });
    });
}
/** The real clock. */
const systemClock = { now: () => Date.now(), sleep, after: sleep };

// EXTERNAL MODULE: ./src/runner.ts
var runner = __webpack_require__(4813);
;// CONCATENATED MODULE: ./src/deps.ts
/** The side effects `main` and `post` use, and the one factory that builds the real ones. */


/** Wires SIGINT/SIGTERM to an AbortSignal: the runner sends them when the job is cancelled. */
function cancelOnSignals(log) {
    const controller = new AbortController();
    const onSignal = (signal) => {
        if (!controller.signal.aborted)
            log.warning(`Received ${signal}: cancelling, recovering what changed`);
        controller.abort(new Error(`Cancelled by ${signal}`));
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    return controller.signal;
}
function beforeToolkit(what) {
    throw new Error(`${what} needs the toolkit: call load() first`);
}
function createStartup(env = process.env) {
    const inputs = { getInput: (name) => (0,runner/* getInput */.V4)(name, env) };
    return {
        inputs,
        env,
        log: (0,runner/* loggerOver */.Rl)(runner/* earlyWriter */.$A),
        io: {
            setOutput: () => beforeToolkit('An output'),
            saveState: (name, value) => runner/* earlyWriter */.$A.saveState(name, value, env),
            getState: (name) => (0,runner/* getState */.Gu)(name, env),
            appendSummary: async () => beforeToolkit('The job summary'),
            setFailed: (message, properties) => runner/* earlyWriter */.$A.setFailed(message, properties)
        },
        load: async () => {
            const { loadToolkit } = await __webpack_require__.e(/* import() */ 441).then(__webpack_require__.bind(__webpack_require__, 7441));
            const { log, io, identity } = await loadToolkit();
            return { inputs, env, log, clock: systemClock, io, cancel: cancelOnSignals(log), identity };
        }
    };
}


/***/ }),

/***/ 7607:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   X: () => (/* binding */ formatSeconds),
/* harmony export */   a: () => (/* binding */ formatDuration)
/* harmony export */ });
/** Durations in words, written the same way by every strategy. */
/** For tables (the job summary, a host's phases): `250 ms`, `4.2 s`, `3 min 5 s`. */
function formatDuration(ms) {
    if (ms < 1000)
        return `${Math.round(ms)} ms`;
    const s = ms / 1000;
    if (s < 60)
        return `${s.toFixed(1)} s`;
    return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}
/** For log lines and messages, in seconds: one decimal below 10 s, none from there (`0.3 s`, `2 s`, `1.5 s`, `12 s`). */
function formatSeconds(ms) {
    const s = ms / 1000;
    return `${s < 9.95 ? Number(s.toFixed(1)) : Math.round(s)} s`;
}


/***/ }),

/***/ 6587:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   g: () => (/* binding */ errorMessage)
/* harmony export */ });
/**
 * The message of a thrown value: an Error's message, anything else as a string. With `withCause`, an Error's
 * `cause` message is appended when the message does not already carry it.
 */
function errorMessage(error, options = {}) {
    if (!(error instanceof Error))
        return String(error);
    const cause = options.withCause && error.cause instanceof Error ? error.cause.message : undefined;
    return cause && !error.message.includes(cause) ? `${error.message}: ${cause}` : error.message;
}


/***/ }),

/***/ 2198:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   $X: () => (/* binding */ contentLines),
/* harmony export */   Cz: () => (/* binding */ positiveDuration),
/* harmony export */   E9: () => (/* binding */ parseDuration),
/* harmony export */   WU: () => (/* binding */ show),
/* harmony export */   b8: () => (/* binding */ VARIABLE_RE),
/* harmony export */   cG: () => (/* binding */ parseInteger),
/* harmony export */   f$: () => (/* binding */ IMAGE_FORM),
/* harmony export */   jQ: () => (/* binding */ FormError),
/* harmony export */   nL: () => (/* binding */ parseEnum),
/* harmony export */   uy: () => (/* binding */ isHostName),
/* harmony export */   w7: () => (/* binding */ isIPv6),
/* harmony export */   yG: () => (/* binding */ parseBoolean),
/* harmony export */   yW: () => (/* binding */ VARIABLE_FORM),
/* harmony export */   zZ: () => (/* binding */ parseImage)
/* harmony export */ });
/* unused harmony exports DURATION_FORM, isIPv4 */
/**
 * Generic input forms: booleans, numbers, durations, enums, image references, host addresses, variable names.
 * Each parser takes one trimmed value and throws `FormError` (the expected form) when it does not fit; it knows no
 * input and no strategy.
 */
/** A value that does not have the expected form; the reader turns it into an `InputError` naming the input. */
class FormError extends Error {
    expected;
    got;
    constructor(expected, got) {
        super(expected);
        this.expected = expected;
        this.got = got;
    }
}
/** A user value inside an error message: quoted, on one line, cut when long. */
function show(value, max = 100) {
    const escapes = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };
    let oneLine = '';
    for (const c of value) {
        const code = c.charCodeAt(0);
        const control = code < 0x20 || code === 0x7f || code === 0x85 || code === 0x2028 || code === 0x2029;
        oneLine += control ? (escapes[c] ?? `\\u${code.toString(16).padStart(4, '0')}`) : c;
    }
    return `'${oneLine.length > max ? `${oneLine.slice(0, max)}…` : oneLine}'`;
}
/** Non-blank, non-comment lines with their 1-based line numbers. */
function contentLines(text) {
    return text
        .split(/\r?\n/)
        .map((raw, i) => ({ line: raw.trim(), number: i + 1 }))
        .filter(({ line }) => line !== '' && !line.startsWith('#'));
}
const BOOLEAN_FORM = 'true or false';
const TRUE_VALUES = ['true', 'True', 'TRUE'];
const FALSE_VALUES = ['false', 'False', 'FALSE'];
function parseBoolean(value) {
    // The YAML 1.2 core schema, like @actions/core getBooleanInput.
    if (TRUE_VALUES.includes(value))
        return true;
    if (FALSE_VALUES.includes(value))
        return false;
    throw new FormError(BOOLEAN_FORM);
}
function parseInteger(value, min, max) {
    const expected = max === Number.MAX_SAFE_INTEGER ? `an integer of at least ${min}` : `an integer from ${min} to ${max}`;
    if (!/^[0-9]+$/.test(value))
        throw new FormError(expected);
    const n = Number(value);
    if (!Number.isSafeInteger(n) || n < min || n > max)
        throw new FormError(expected);
    return n;
}
const DURATION_FORM = 'a duration like 500ms, 3s, 2m, 1m30s or a number of seconds';
const DURATION_RE = /^(?:(?<h>\d+(?:\.\d+)?)h)?(?:(?<m>\d+(?:\.\d+)?)m)?(?:(?<s>\d+(?:\.\d+)?)s)?(?:(?<ms>\d+(?:\.\d+)?)ms)?$/;
const MAX_DURATION_MS = 24 * 60 * 60 * 1000;
/** `500ms`, `3s`, `2m`, `1m30s`, `1h`, or a bare number of seconds → milliseconds. */
function parseDuration(value) {
    let ms;
    if (/^\d+(?:\.\d+)?$/.test(value)) {
        ms = Number(value) * 1000;
    }
    else {
        const g = value ? DURATION_RE.exec(value)?.groups : undefined;
        if (!g)
            throw new FormError(DURATION_FORM);
        ms = Number(g.h ?? 0) * 3_600_000 + Number(g.m ?? 0) * 60_000 + Number(g.s ?? 0) * 1000 + Number(g.ms ?? 0);
    }
    ms = Math.round(ms);
    if (ms > MAX_DURATION_MS)
        throw new FormError(`${DURATION_FORM}, at most 24h`);
    return ms;
}
function positiveDuration(value) {
    const ms = parseDuration(value);
    if (ms <= 0)
        throw new FormError(`${DURATION_FORM}, greater than 0`);
    return ms;
}
function parseEnum(value, allowed) {
    if (!allowed.includes(value))
        throw new FormError(`one of ${allowed.join(', ')}`);
    return value;
}
const IMAGE_FORM = 'an image reference [registry[:port]/]name[:tag][@sha256:<64 hex>] (lowercase name, no spaces or shell characters)';
const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const IMAGE_RE = new RegExp('^(?:(?<registry>(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\\.(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?))*' +
    '(?::[0-9]{1,5})?|\\[[0-9a-fA-F:]+\\](?::[0-9]{1,5})?)\\/)?' +
    `(?<name>${PATH_COMPONENT}(?:\\/${PATH_COMPONENT})*)` +
    '(?::(?<tag>[\\w][\\w.-]{0,127}))?(?:@(?<digest>sha256:[0-9a-f]{64}))?$');
/** Parses and validates an OCI image reference. */
function parseImage(value) {
    const fail = () => new FormError(IMAGE_FORM);
    const g = IMAGE_RE.exec(value)?.groups;
    if (!g?.name || value.length > 512)
        throw fail();
    let registry = g.registry;
    let name = g.name;
    // `library/nginx` has no registry: a first component is a registry only with a dot, a port, `localhost` or `[v6]`.
    if (registry && !/[.:]|^localhost$|^\[/.test(registry)) {
        if (!new RegExp(`^${PATH_COMPONENT}$`).test(registry))
            throw fail();
        name = `${registry}/${name}`;
        registry = undefined;
    }
    const port = registry ? /:([0-9]+)$/.exec(registry)?.[1] : undefined;
    if (port && (Number(port) < 1 || Number(port) > 65535))
        throw fail();
    if (registry?.startsWith('[') && !isIPv6(registry.slice(1, registry.indexOf(']'))))
        throw fail();
    const ref = { ref: value, name };
    if (registry)
        ref.registry = registry;
    if (g.tag)
        ref.tag = g.tag;
    if (g.digest)
        ref.digest = g.digest;
    return ref;
}
const LABEL_RE = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i;
/** An RFC 1123 host name or a dotted-quad IPv4 address. */
function isHostName(host) {
    if (host.length > 253)
        return false;
    const labels = host.split('.');
    if (!labels.every((l) => LABEL_RE.test(l)))
        return false;
    // An all-numeric last label is an IPv4 address or a typo of one, never a host name.
    if (/^[0-9]+$/.test(labels[labels.length - 1] ?? ''))
        return isIPv4(host);
    return true;
}
/** An IPv6 address as the WHATWG URL parser accepts it inside brackets (no zone id). */
function isIPv6(host) {
    if (!/^[0-9a-fA-F:.]+$/.test(host) || !host.includes(':'))
        return false;
    try {
        new URL(`http://[${host}]/`);
        return true;
    }
    catch {
        return false;
    }
}
function isIPv4(host) {
    const parts = host.split('.');
    return parts.length === 4 && parts.every((p) => /^(?:0|[1-9][0-9]{0,2})$/.test(p) && Number(p) <= 255);
}
const VARIABLE_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;
const VARIABLE_FORM = 'a variable name ([A-Za-z_][A-Za-z0-9_]*)';


/***/ }),

/***/ 9066:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Gq: () => (/* binding */ invalid),
/* harmony export */   Hz: () => (/* binding */ isJsonFile),
/* harmony export */   LO: () => (/* binding */ missing),
/* harmony export */   at: () => (/* binding */ at),
/* harmony export */   dz: () => (/* binding */ InputError),
/* harmony export */   i_: () => (/* binding */ InputReader),
/* harmony export */   u0: () => (/* binding */ readDocument),
/* harmony export */   xr: () => (/* binding */ readEnvLines)
/* harmony export */ });
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _error_message_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(6587);
/* harmony import */ var _redact_url_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(470);
/* harmony import */ var _forms_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(2198);
/**
 * How inputs are read: raw strings from the runner, through the forms, into values; every problem is recorded with
 * its input (and line) so one run reports them all. Also the shared list and file forms: `KEY=value` lines and JSON
 * or YAML documents. Reads local files only; contacts nothing.
 */





/** Bad inputs, every one found in one pass: each problem names its input, the position and the expected form. */
class InputError extends Error {
    problems;
    constructor(problems) {
        super(problems.map((p) => p.message).join('; '));
        this.name = 'InputError';
        this.problems = problems;
    }
}
function problem(input, message, line) {
    return new InputError([{ input, message, ...(line === undefined ? {} : { line }) }]);
}
/** `Missing '<input>': <text>`. */
function missing(input, text) {
    return problem(input, `Missing '${input}': ${text}`);
}
/** `Invalid '<input>' [line N]: expected <form>, got <value>`. */
function invalid(name, expected, got, line) {
    return problem(name, `Invalid '${name}'${line ? ` line ${line}` : ''}: expected ${expected}, got ${got}`, line);
}
/** Runs a parser on one value; its `FormError` becomes an `InputError` naming the input, the line and the value. */
function at(name, line, value, parse) {
    try {
        return parse();
    }
    catch (error) {
        if (error instanceof _forms_js__WEBPACK_IMPORTED_MODULE_2__/* .FormError */ .jQ)
            throw invalid(name, error.expected, error.got ?? (0,_forms_js__WEBPACK_IMPORTED_MODULE_2__/* .show */ .WU)(value), line);
        throw error;
    }
}
/**
 * Reads raw inputs and records what is wrong with them, so that one run reports every problem; a bad input reads
 * as its default (or undefined) and reading goes on. A check that depends on another input asks `failed()` first
 * and stays quiet when that input is bad: one mistake, one message.
 */
class InputReader {
    source;
    problems = [];
    bad = new Set();
    constructor(source) {
        this.source = source;
    }
    /** The raw value, trimmed; '' when unset. */
    get(name) {
        return this.source.getInput(name).trim();
    }
    /** The parsed value; the fallback when unset or bad (a bad value is recorded). */
    value(name, fallback, parse) {
        return this.optional(name, parse) ?? fallback;
    }
    /** The parsed value; undefined when unset or bad (a bad value is recorded). */
    optional(name, parse) {
        const value = this.get(name);
        return value === '' ? undefined : this.check(() => at(name, undefined, value, () => parse(value)));
    }
    /** The parsed value; undefined when bad or unset (both recorded: unset as missing, `why` and `expected` say why). */
    required(name, why, expected, parse) {
        if (this.get(name) === '') {
            this.add(missing(name, `required ${why}; expected ${expected}`));
            return undefined;
        }
        return this.optional(name, parse);
    }
    /** Each non-blank, non-comment line through `parse`; a bad line is recorded with its number and left out. */
    lines(name, parse) {
        const values = [];
        for (const { line, number } of (0,_forms_js__WEBPACK_IMPORTED_MODULE_2__/* .contentLines */ .$X)(this.get(name))) {
            const value = this.check(() => at(name, number, line, () => parse(line, number)));
            if (value !== undefined)
                values.push(value);
        }
        return values;
    }
    add(error) {
        for (const p of error.problems) {
            this.problems.push(p);
            this.bad.add(p.input);
        }
    }
    /** Runs `read`; its `InputError` is recorded and `undefined` returned, so reading goes on. */
    check(read) {
        try {
            return read();
        }
        catch (error) {
            if (!(error instanceof InputError))
                throw error;
            this.add(error);
            return undefined;
        }
    }
    /** True when one of `names` had a problem. */
    failed(...names) {
        return names.some((name) => this.bad.has(name));
    }
}
const SECRET_KEY_RE = /(SECRET|PASSWORD|PASSWD|TOKEN|KEY|CREDENTIAL|PRIVATE|AUTH)/i;
// Values too common to mask: masking `true` or `1` would blank them in every later log line.
const NOT_SECRET_VALUES = /^(?:true|false|yes|no|on|off|[0-9])$/i;
/** Masks the secret parts of a value: all of it under a secret-looking key, and any password inside a URL. */
function maskValue(key, value, log) {
    if (SECRET_KEY_RE.test(key) && value !== '' && !NOT_SECRET_VALUES.test(value))
        log.setSecret(value);
    for (const m of value.matchAll(_redact_url_js__WEBPACK_IMPORTED_MODULE_3__/* .URL_PASSWORD_RE */ .Wh)) {
        const password = m[1] ?? '';
        log.setSecret(password);
        try {
            const decoded = decodeURIComponent(password);
            if (decoded !== password)
                log.setSecret(decoded);
        }
        catch {
            // Not percent-encoded: the raw form is already masked.
        }
    }
}
/**
 * `KEY=value` lines (value may contain `=`); values under secret-looking keys are masked before anything else.
 * Each bad line is a problem of its own.
 */
function readEnvLines(r, name, log, rules = {}) {
    const { reserved } = rules;
    const firstLine = new Map();
    return r.lines(name, (line, number) => {
        const eq = line.indexOf('=');
        // The line may hold a secret: describe it rather than echo it.
        if (eq < 0)
            throw invalid(name, 'KEY=value', `a line of ${line.length} characters without '='`, number);
        const key = line.slice(0, eq);
        const value = line.slice(eq + 1);
        maskValue(key, value, log);
        if (!_forms_js__WEBPACK_IMPORTED_MODULE_2__/* .VARIABLE_RE */ .b8.test(key)) {
            const got = /^[\w.-]{1,64}$/.test(key) ? `key ${(0,_forms_js__WEBPACK_IMPORTED_MODULE_2__/* .show */ .WU)(key)}` : 'a key that is not a variable name';
            throw invalid(name, `KEY=value with KEY ${_forms_js__WEBPACK_IMPORTED_MODULE_2__/* .VARIABLE_FORM */ .yW}`, got, number);
        }
        const why = rules.value?.problem(value);
        if (rules.value && why)
            throw invalid(name, `KEY=value with ${rules.value.form}`, `a value under ${(0,_forms_js__WEBPACK_IMPORTED_MODULE_2__/* .show */ .WU)(key)} with ${why}`, number);
        if (key === reserved?.key)
            throw invalid(name, `keys other than ${(0,_forms_js__WEBPACK_IMPORTED_MODULE_2__/* .show */ .WU)(key)} (${reserved.why})`, (0,_forms_js__WEBPACK_IMPORTED_MODULE_2__/* .show */ .WU)(key), number);
        const first = firstLine.get(key);
        if (first !== undefined)
            throw invalid(name, `each key once`, `${(0,_forms_js__WEBPACK_IMPORTED_MODULE_2__/* .show */ .WU)(key)} again (first on line ${first})`, number);
        firstLine.set(key, number);
        return { key, value };
    });
}
// ---------------------------------------------------------------------------------------------------------------
// Files
const FILE_FORM = 'a readable JSON or YAML file';
function resolvePath(file, env) {
    return node_path__WEBPACK_IMPORTED_MODULE_1___default().resolve(env.GITHUB_WORKSPACE || process.cwd(), file);
}
const isJsonFile = (file) => /\.json$/i.test(file);
/** Reads and parses a JSON or YAML file into an object (mapping). */
function readDocument(name, file, env, parseYaml) {
    const resolved = resolvePath(file, env);
    let text;
    try {
        text = node_fs__WEBPACK_IMPORTED_MODULE_0___default().readFileSync(resolved, 'utf8').replace(/^\uFEFF/, '');
    }
    catch (error) {
        const code = error.code;
        const reason = code === 'ENOENT'
            ? 'no such file'
            : code === 'EISDIR'
                ? 'a directory'
                : code === 'EACCES'
                    ? 'no read permission'
                    : (code ?? 'unreadable');
        throw invalid(name, FILE_FORM, `${(0,_forms_js__WEBPACK_IMPORTED_MODULE_2__/* .show */ .WU)(file)} (${resolved}: ${reason})`);
    }
    let doc;
    try {
        if (isJsonFile(resolved))
            doc = JSON.parse(text);
        else if (parseYaml)
            doc = parseYaml(text);
        else
            throw new Error(`${name}: the YAML parser was not loaded (yamlFor)`);
    }
    catch (error) {
        const first = (0,_error_message_js__WEBPACK_IMPORTED_MODULE_4__/* .errorMessage */ .g)(error).split('\n')[0]?.replace(/:$/, '');
        throw invalid(name, FILE_FORM, `${(0,_forms_js__WEBPACK_IMPORTED_MODULE_2__/* .show */ .WU)(file)} that does not parse (${first})`);
    }
    if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
        throw invalid(name, `${FILE_FORM} holding an object`, `${(0,_forms_js__WEBPACK_IMPORTED_MODULE_2__/* .show */ .WU)(file)} holding ${Array.isArray(doc) ? 'a list' : typeof doc === 'object' ? 'nothing' : `a ${typeof doc}`}`);
    }
    return doc;
}


/***/ }),

/***/ 2588:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   _e: () => (/* binding */ loadJournal),
/* harmony export */   s9: () => (/* binding */ createJournal)
/* harmony export */ });
/* unused harmony export mergePatch */
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _constants_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(7242);
/**
 * The journal: what has changed so far, saved the moment it changes, for the post step. Each update is one line
 * appended to a private file (the patch, not the whole record), so a run writes O(hosts) bytes in all and the post
 * step replays the lines; without a private folder the whole record goes to action state instead.
 */



const FILE = 'journal.jsonl';
function isPlainObject(value) {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}
/** `patch` merged into `base`: objects key by key, all else (arrays too) replaced. */
function mergePatch(base, patch) {
    const merged = { ...base };
    for (const [key, value] of Object.entries(patch)) {
        const old = merged[key];
        merged[key] = isPlainObject(old) && isPlainObject(value) ? mergePatch(old, value) : value;
    }
    return merged;
}
function createJournal(io, tempDir, initial = {}) {
    let data = { ...initial };
    const file = tempDir ? node_path__WEBPACK_IMPORTED_MODULE_1___default().join(tempDir, FILE) : undefined;
    return {
        update(patch) {
            data = mergePatch(data, patch);
            if (file)
                node_fs__WEBPACK_IMPORTED_MODULE_0___default().appendFileSync(file, `${JSON.stringify(patch)}\n`, { mode: 0o600 });
            else
                io.saveState(_constants_js__WEBPACK_IMPORTED_MODULE_2__/* .State */ .Uw.journal, JSON.stringify(data));
        },
        read: () => data
    };
}
/**
 * Reads the journal the main step left: the private file's patches replayed in order (a last line cut short by a
 * kill is ignored), else the record in action state.
 */
function loadJournal(io, tempDir) {
    let text;
    try {
        text = tempDir ? node_fs__WEBPACK_IMPORTED_MODULE_0___default().readFileSync(node_path__WEBPACK_IMPORTED_MODULE_1___default().join(tempDir, FILE), 'utf8') : undefined;
    }
    catch {
        text = undefined;
    }
    if (text) {
        let data;
        for (const line of text.split('\n')) {
            if (!line)
                continue;
            try {
                data = mergePatch(data ?? {}, JSON.parse(line));
            }
            catch {
                break;
            }
        }
        return data;
    }
    const fromState = io.getState(_constants_js__WEBPACK_IMPORTED_MODULE_2__/* .State */ .Uw.journal);
    if (!fromState)
        return undefined;
    try {
        return JSON.parse(fromState);
    }
    catch {
        return undefined;
    }
}


/***/ }),

/***/ 4496:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   C: () => (/* binding */ fillSummary),
/* harmony export */   w: () => (/* binding */ resultOutputs)
/* harmony export */ });
/* harmony import */ var _constants_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7242);
/* harmony import */ var _duration_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(7607);
/** The only place that turns a result into outputs and a job summary. */


const ICON = {
    deployed: '✅',
    'rolled-back': '↩️',
    failed: '❌',
    untouched: '⏸️',
    planned: '📝'
};
const HEADLINE = {
    succeeded: '✅ Deploy succeeded',
    failed: '❌ Deploy failed',
    'rolled-back': '↩️ Deploy rolled back',
    planned: '📝 Deploy planned (dry run)'
};
function namesWith(targets, outcome) {
    return targets
        .filter((t) => t.outcome === outcome)
        .map((t) => t.name)
        .join(',');
}
/** Every output the result defines, including the derived `status`, `hosts-*` and `report`. */
function resultOutputs(strategy, result) {
    const out = { ...result.outputs, [_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Outputs */ .tY.status]: result.status };
    if (strategy === 'ssh-rolling') {
        out[_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Outputs */ .tY.hostsDeployed] = namesWith(result.targets, 'deployed');
        out[_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Outputs */ .tY.hostsRolledBack] = namesWith(result.targets, 'rolled-back');
        out[_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Outputs */ .tY.hostsFailed] = namesWith(result.targets, 'failed');
    }
    out[_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Outputs */ .tY.report] = JSON.stringify({
        strategy,
        status: result.status,
        message: result.message,
        targets: result.targets
    });
    return out;
}
// Messages, names and errors hold text from hosts and AWS: in the summary's HTML it stays text.
function html(text) {
    return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
/** The job summary: headline, per-target table, links, sections, and the configuration minus secrets. */
function fillSummary(summary, strategy, result, configView) {
    summary.addHeading(html(`${HEADLINE[result.status]} — ${strategy}`), 2).addRaw(html(result.message), true);
    if (result.targets.length > 0) {
        const header = ['Target', 'Before → after', 'Result', 'Duration'].map((data) => ({ data, header: true }));
        const rows = result.targets.map((t) => {
            const outcome = `${ICON[t.outcome]} ${t.outcome}${t.state ? ` (${t.state})` : ''}${t.error ? `: ${t.error}` : ''}`;
            return [t.name, `${t.before ?? '—'} → ${t.after ?? '—'}`, outcome, (0,_duration_js__WEBPACK_IMPORTED_MODULE_1__/* .formatDuration */ .a)(t.durationMs)].map(html);
        });
        summary.addTable([header, ...rows]);
    }
    for (const link of result.links ?? []) {
        summary.addLink(html(link.title), html(link.url).replace(/"/g, '&quot;')).addBreak();
    }
    // Markdown after an HTML block renders only past a blank line.
    for (const section of result.sections ?? []) {
        summary.addHeading(html(section.title), 3).addEOL().addRaw(section.body, true).addEOL();
    }
    if (configView) {
        summary.addDetails('Configuration', `\n\n\`\`\`json\n${JSON.stringify(configView, null, 2)}\n\`\`\`\n\n`);
    }
}


/***/ }),

/***/ 470:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   BO: () => (/* binding */ redactUrl),
/* harmony export */   Fn: () => (/* binding */ urlSecrets),
/* harmony export */   Wh: () => (/* binding */ URL_PASSWORD_RE)
/* harmony export */ });
/** Secrets a URL may carry (a password, a token in the query) kept out of messages, reports and summaries. */
/** `scheme://user:password@`: the password is group 1. */
const URL_PASSWORD_RE = /[a-z][a-z0-9+.-]*:\/\/[^\s/:@]*:([^\s/@]+)@/gi;
/** `?name=value` / `&name=value`: the name is group 1, the value group 2. */
const QUERY_PARAM_RE = /[?&]([^=&#\s]+)=([^&#\s]*)/g;
/** The URL as it may be shown: its password and every query value replaced by `***`. */
function redactUrl(url) {
    return url
        .replace(URL_PASSWORD_RE, (match, password) => match.replace(`:${password}@`, ':***@'))
        .replace(QUERY_PARAM_RE, (match, name, value) => value === '' ? match : `${match.slice(0, 1)}${name}=***`);
}
/** The URL's password and query values, raw and percent-decoded: what to mask in the log. */
function urlSecrets(url) {
    const found = [
        ...[...url.matchAll(URL_PASSWORD_RE)].map((m) => m[1] ?? ''),
        ...[...url.matchAll(QUERY_PARAM_RE)].map((m) => m[2] ?? '')
    ];
    const secrets = new Set();
    for (const value of found) {
        // Short values (`1`, `on`) would mask every such word in the log; they are only redacted where shown.
        if (value.length < 4)
            continue;
        secrets.add(value);
        try {
            secrets.add(decodeURIComponent(value));
        }
        catch {
            // Not percent-encoded: the raw form is enough.
        }
    }
    return [...secrets];
}


/***/ }),

/***/ 7533:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  R: () => (/* binding */ readEcsBlueGreenConfig)
});

// EXTERNAL MODULE: ./src/constants.ts
var constants = __webpack_require__(7242);
// EXTERNAL MODULE: ./src/inputs/forms.ts
var inputs_forms = __webpack_require__(2198);
// EXTERNAL MODULE: ./src/inputs/reader.ts
var reader = __webpack_require__(9066);
// EXTERNAL MODULE: ./src/strategies/ecs/config.ts
var ecs_config = __webpack_require__(7989);
;// CONCATENATED MODULE: ./src/strategies/ecs-blue-green/names.ts
/** The default CodeDeploy names of an ECS service: `AppECS-<cluster>-<service>` and `DgpECS-<cluster>-<service>`. */
/**
 * How much of the cluster name and of the service name the defaults keep: `AppECS-` + 46 + `-` + 46 is CodeDeploy's
 * limit of 100, and the AWS CLI's `ecs deploy` cuts each name at 46 the same way for these defaults.
 */
const NAME_PART_MAX = 46;
function defaultCodeDeployNames(cluster, service) {
    const suffix = `${cluster.slice(0, NAME_PART_MAX)}-${service.slice(0, NAME_PART_MAX)}`;
    return { application: `AppECS-${suffix}`, group: `DgpECS-${suffix}` };
}

;// CONCATENATED MODULE: ./src/strategies/ecs-blue-green/config.ts
/** The inputs of ecs-blue-green: the shared ECS ones, the CodeDeploy application and group, the AppSpec, the waits. */





const CODEDEPLOY_NAME_RE = /^[A-Za-z0-9_.+=,@-]{1,100}$/;
const CODEDEPLOY_NAME_FORM = 'a CodeDeploy name of letters, digits and _.+=,@- (up to 100)';
function parseCodeDeployName(value) {
    if (!CODEDEPLOY_NAME_RE.test(value))
        throw new inputs_forms/* FormError */.jQ(CODEDEPLOY_NAME_FORM);
    return value;
}
function readEcsBlueGreenConfig(r, common, context) {
    const ecs = (0,ecs_config/* readEcsConfig */.mA)(r, common, context);
    const defaults = defaultCodeDeployNames((0,ecs_config/* shortName */.EU)(ecs.cluster), (0,ecs_config/* shortName */.EU)(ecs.service));
    const config = {
        ...ecs,
        strategy: 'ecs-blue-green',
        codedeployApplication: r.value(constants/* Inputs */.G0.codedeployApplication, defaults.application, parseCodeDeployName),
        codedeployDeploymentGroup: r.value(constants/* Inputs */.G0.codedeployDeploymentGroup, defaults.group, parseCodeDeployName),
        ...(0,ecs_config/* readDeploymentWaits */.ER)(r, ecs)
    };
    const deploymentConfig = r.optional(constants/* Inputs */.G0.codedeployDeploymentConfig, parseCodeDeployName);
    if (deploymentConfig)
        config.deploymentConfig = deploymentConfig;
    const appspecPath = r.get(constants/* Inputs */.G0.codedeployAppspec);
    if (appspecPath) {
        config.appspecPath = appspecPath;
        const doc = r.check(() => (0,reader/* readDocument */.u0)(constants/* Inputs */.G0.codedeployAppspec, appspecPath, context.env, context.parseYaml));
        if (doc)
            config.appspecDocument = doc;
    }
    return config;
}


/***/ }),

/***/ 385:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   HP: () => (/* binding */ readEcsPickConfig),
/* harmony export */   lk: () => (/* binding */ CODEDEPLOY_INPUTS)
/* harmony export */ });
/* unused harmony export BLUE_GREEN_INPUTS */
/* harmony import */ var _constants_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7242);
/* harmony import */ var _ecs_blue_green_config_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(7533);
/**
 * The inputs of `ecs`: those of ecs-blue-green (a superset of ecs-rolling's), validated alike whichever path the
 * service turns out to need, plus which blue/green-only inputs were given (a rolling path warns about them).
 */


/** Inputs only the CodeDeploy blue/green path uses. */
const CODEDEPLOY_INPUTS = [
    _constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Inputs */ .G0.codedeployApplication,
    _constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Inputs */ .G0.codedeployDeploymentGroup,
    _constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Inputs */ .G0.codedeployAppspec,
    _constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Inputs */ .G0.codedeployDeploymentConfig
];
/** Inputs the blue/green paths (CodeDeploy and ECS-managed) use, and the rolling path does not. */
const BLUE_GREEN_INPUTS = [
    ...CODEDEPLOY_INPUTS,
    _constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Inputs */ .G0.waitUntil,
    _constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Inputs */ .G0.onActiveDeployment
];
function readEcsPickConfig(r, common, context) {
    const config = (0,_ecs_blue_green_config_js__WEBPACK_IMPORTED_MODULE_1__/* .readEcsBlueGreenConfig */ .R)(r, common, context);
    return { ...config, strategy: 'ecs', blueGreenInputs: BLUE_GREEN_INPUTS.filter((name) => r.get(name) !== '') };
}


/***/ }),

/***/ 7989:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   An: () => (/* binding */ isTaskDefinitionRevision),
/* harmony export */   ER: () => (/* binding */ readDeploymentWaits),
/* harmony export */   EU: () => (/* binding */ shortName),
/* harmony export */   Tb: () => (/* binding */ parseTaskDefinitionRevision),
/* harmony export */   mA: () => (/* binding */ readEcsConfig),
/* harmony export */   xT: () => (/* binding */ REVISION_FORM)
/* harmony export */ });
/* unused harmony export POLL_INTERVAL_MS */
/* harmony import */ var _constants_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7242);
/* harmony import */ var _inputs_forms_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(2198);
/* harmony import */ var _inputs_reader_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(9066);
/** The inputs both ECS strategies read: region, cluster, service, environment, task definition, container. */



/** The default poll interval: success is noticed within one interval, at one to three reads per interval. */
const POLL_INTERVAL_MS = 5000;
const REGION_RE = /^[a-z]{2,4}(?:-[a-z]+)+-[0-9]{1,2}$/;
const ECS_NAME_FORM = 'a name of letters, digits, _ and - (up to 255) or an ARN';
const ECS_NAME_RE = /^[A-Za-z0-9_-]{1,255}$/;
const ECS_ARN_RE = /^arn:aws[a-z-]*:ecs:[a-z0-9-]+:[0-9]{12}:(?:cluster|service)\/[A-Za-z0-9_/-]{1,512}$/;
function parseEcsName(value) {
    if (!ECS_NAME_RE.test(value) && !ECS_ARN_RE.test(value))
        throw new _inputs_forms_js__WEBPACK_IMPORTED_MODULE_1__/* .FormError */ .jQ(ECS_NAME_FORM);
    return value;
}
/** RunTask's 8192-character overrides limit, less the JSON around the command and a container name of up to 255. */
const MAX_COMMAND_JSON = 7850;
const REVISION_RE = /^(?:arn:aws[a-z-]*:ecs:[a-z0-9-]+:[0-9]{12}:task-definition\/)?[A-Za-z0-9_-]{1,255}:[0-9]{1,9}$/;
/** Whether `task-definition` names a registered revision (`family:revision` or its ARN) rather than a file. */
function isTaskDefinitionRevision(value) {
    return REVISION_RE.test(value);
}
/** `rollback-to` for ECS: a registered task definition revision. */
const REVISION_FORM = 'a task definition revision (family:revision or its ARN)';
function parseTaskDefinitionRevision(value) {
    if (!REVISION_RE.test(value))
        throw new _inputs_forms_js__WEBPACK_IMPORTED_MODULE_1__/* .FormError */ .jQ(REVISION_FORM);
    return value;
}
/** The last segment of an ARN, or the name itself. */
function shortName(nameOrArn) {
    return nameOrArn.startsWith('arn:') ? (nameOrArn.split('/').pop() ?? nameOrArn) : nameOrArn;
}
function readRegion(r, env, why) {
    const regionInput = r.get(_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Inputs */ .G0.awsRegion);
    const region = regionInput || env.AWS_REGION?.trim() || env.AWS_DEFAULT_REGION?.trim() || '';
    return (r.check(() => {
        if (!region) {
            throw (0,_inputs_reader_js__WEBPACK_IMPORTED_MODULE_2__/* .missing */ .LO)(_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Inputs */ .G0.awsRegion, `required ${why} (or set AWS_REGION); expected a region like us-east-1`);
        }
        if (!REGION_RE.test(region)) {
            const source = regionInput ? '' : env.AWS_REGION?.trim() ? ' (from AWS_REGION)' : ' (from AWS_DEFAULT_REGION)';
            throw (0,_inputs_reader_js__WEBPACK_IMPORTED_MODULE_2__/* .invalid */ .Gq)(_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Inputs */ .G0.awsRegion, 'a region like us-east-1', `${(0,_inputs_forms_js__WEBPACK_IMPORTED_MODULE_1__/* .show */ .WU)(region)}${source}`);
        }
        return region;
    }) ?? '');
}
/** The container names of a task definition document; undefined when it has none to check against. */
function containerNames(doc) {
    return doc?.containerDefinitions
        ?.map((c) => c?.name)
        .filter((n) => typeof n === 'string');
}
function readTaskDefinition(file, env, parseYaml) {
    const doc = (0,_inputs_reader_js__WEBPACK_IMPORTED_MODULE_2__/* .readDocument */ .u0)(_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Inputs */ .G0.taskDefinition, file, env, parseYaml);
    if (!Array.isArray(doc.containerDefinitions)) {
        const hint = 'taskDefinition' in doc ? '; the file looks like describe-task-definition output, use its .taskDefinition' : '';
        throw (0,_inputs_reader_js__WEBPACK_IMPORTED_MODULE_2__/* .invalid */ .Gq)(_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Inputs */ .G0.taskDefinition, "a task definition object with a 'containerDefinitions' array", `${(0,_inputs_forms_js__WEBPACK_IMPORTED_MODULE_1__/* .show */ .WU)(file)} without one${hint}`);
    }
    return doc;
}
/** Reads the inputs both ECS strategies share; `common.strategy` names the strategy in messages. */
function readEcsConfig(r, common, { env, log, parseYaml }) {
    const why = `for ${common.strategy}`;
    const region = readRegion(r, env, why);
    const cluster = r.value(_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Inputs */ .G0.cluster, 'default', parseEcsName);
    const service = r.required(_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Inputs */ .G0.service, why, 'the ECS service name', parseEcsName) ?? '';
    const { image, ...rest } = common;
    const config = {
        ...rest,
        region,
        cluster,
        service,
        environmentVariables: (0,_inputs_reader_js__WEBPACK_IMPORTED_MODULE_2__/* .readEnvLines */ .xr)(r, _constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Inputs */ .G0.environmentVariables, log),
        pollIntervalMs: r.value(_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Inputs */ .G0.pollInterval, POLL_INTERVAL_MS, _inputs_forms_js__WEBPACK_IMPORTED_MODULE_1__/* .positiveDuration */ .Cz)
    };
    if (image)
        config.image = image;
    const preDeployCommand = r.get(_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Inputs */ .G0.preDeployCommand);
    if (preDeployCommand) {
        // RunTask refuses overrides over 8192 characters of JSON; the container name's share is left for it.
        const size = JSON.stringify(preDeployCommand).length;
        if (size > MAX_COMMAND_JSON) {
            // The command may hold secrets: its size only.
            r.add((0,_inputs_reader_js__WEBPACK_IMPORTED_MODULE_2__/* .invalid */ .Gq)(_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Inputs */ .G0.preDeployCommand, `a command of at most ${MAX_COMMAND_JSON} characters as JSON (the RunTask overrides limit)`, `${size}`));
        }
        else
            config.preDeployCommand = preDeployCommand;
    }
    const taskDefinition = r.get(_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Inputs */ .G0.taskDefinition);
    if (common.rollbackTo || r.failed(_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Inputs */ .G0.rollbackTo)) {
        refuseWithRollback(r);
    }
    else if (isTaskDefinitionRevision(taskDefinition)) {
        config.taskDefinitionRevision = taskDefinition;
        refuseWithRevision(r, taskDefinition);
    }
    else if (taskDefinition) {
        const doc = r.check(() => readTaskDefinition(taskDefinition, env, parseYaml));
        config.taskDefinitionPath = taskDefinition;
        if (doc)
            config.taskDefinitionDocument = doc;
    }
    const containerName = r.get(_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Inputs */ .G0.containerName);
    if (containerName) {
        // Checked against the task definition only when that file could be read.
        const containers = containerNames(config.taskDefinitionDocument);
        if (containers && !containers.includes(containerName)) {
            r.add((0,_inputs_reader_js__WEBPACK_IMPORTED_MODULE_2__/* .invalid */ .Gq)(_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Inputs */ .G0.containerName, `a container of '${_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Inputs */ .G0.taskDefinition}' (${containers.join(', ') || 'none named'})`, (0,_inputs_forms_js__WEBPACK_IMPORTED_MODULE_1__/* .show */ .WU)(containerName)));
        }
        config.containerName = containerName;
    }
    return config;
}
/** `rollback-to` deploys a registered revision as it is: inputs that name or change another one are refused. */
function refuseWithRollback(r) {
    const expected = (what) => `no ${what} with '${_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Inputs */ .G0.rollbackTo}' (the revision rolled back to is deployed as registered)`;
    const taskDefinition = r.get(_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Inputs */ .G0.taskDefinition);
    if (taskDefinition) {
        r.add(new _inputs_reader_js__WEBPACK_IMPORTED_MODULE_2__/* .InputError */ .dz([
            {
                input: _constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Inputs */ .G0.rollbackTo,
                message: `Invalid '${_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Inputs */ .G0.rollbackTo}': expected either '${_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Inputs */ .G0.taskDefinition}' (deploy it) or '${_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Inputs */ .G0.rollbackTo}' (go back to an earlier revision), got both`
            }
        ]));
    }
    const env = r.get(_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Inputs */ .G0.environmentVariables);
    if (env) {
        const lines = env.split('\n').filter((l) => l.trim() !== '').length;
        // The lines may hold secrets: count them.
        r.add((0,_inputs_reader_js__WEBPACK_IMPORTED_MODULE_2__/* .invalid */ .Gq)(_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Inputs */ .G0.environmentVariables, expected('variables'), `${lines} line${lines === 1 ? '' : 's'}`));
    }
}
/** A registered revision is deployed as it is: inputs that would change it are refused. */
function refuseWithRevision(r, revision) {
    const expected = (what) => `no ${what} when '${_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Inputs */ .G0.taskDefinition}' names a registered revision (${(0,_inputs_forms_js__WEBPACK_IMPORTED_MODULE_1__/* .show */ .WU)(revision)} is deployed as registered; to change it, give a task definition file)`;
    const image = r.get(_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Inputs */ .G0.image);
    // A bad image is already reported as such.
    if (image && !r.failed(_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Inputs */ .G0.image))
        r.add((0,_inputs_reader_js__WEBPACK_IMPORTED_MODULE_2__/* .invalid */ .Gq)(_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Inputs */ .G0.image, expected('image'), (0,_inputs_forms_js__WEBPACK_IMPORTED_MODULE_1__/* .show */ .WU)(image)));
    const env = r.get(_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Inputs */ .G0.environmentVariables);
    if (env) {
        const lines = env.split('\n').filter((l) => l.trim() !== '').length;
        // The lines may hold secrets: count them.
        r.add((0,_inputs_reader_js__WEBPACK_IMPORTED_MODULE_2__/* .invalid */ .Gq)(_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Inputs */ .G0.environmentVariables, expected('variables'), `${lines} line${lines === 1 ? '' : 's'}`));
    }
}
/** Reads `wait-until` and `on-active-deployment`; `common` is the config read so far (its verify gate). */
function readDeploymentWaits(r, common) {
    const waits = {
        waitUntil: r.value(_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Inputs */ .G0.waitUntil, 'succeeded', (v) => (0,_inputs_forms_js__WEBPACK_IMPORTED_MODULE_1__/* .parseEnum */ .nL)(v, ['created', 'traffic-shifted', 'succeeded'])),
        onActiveDeployment: r.value(_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Inputs */ .G0.onActiveDeployment, 'fail', (v) => (0,_inputs_forms_js__WEBPACK_IMPORTED_MODULE_1__/* .parseEnum */ .nL)(v, ['fail', 'wait', 'stop-previous']))
    };
    // The gate needs a deployment to follow: with 'created' the step ends before there is anything to verify.
    if (common.verify && waits.waitUntil === 'created') {
        r.add((0,_inputs_reader_js__WEBPACK_IMPORTED_MODULE_2__/* .invalid */ .Gq)(_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Inputs */ .G0.waitUntil, `traffic-shifted or succeeded when '${_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Inputs */ .G0.verifyCommand}' is set`, "'created'"));
    }
    return waits;
}


/***/ }),

/***/ 4840:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   BC: () => (/* binding */ ENV_VALUE_FORM),
/* harmony export */   Xk: () => (/* binding */ envLines),
/* harmony export */   kl: () => (/* binding */ envValueProblem)
/* harmony export */ });
/* unused harmony export formatEnvLine */
const KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Unquoted: nothing either parser treats specially (no `#`, quotes, `$`, `\` or spaces). */
const PLAIN = /^[A-Za-z0-9_.,:/@+=%^~-]*$/;
/** The values `.env` can hold, as the expected form of an error message. */
const ENV_VALUE_FORM = 'a value compose v1 and v2 read the same from .env (no line break or NUL; no two backslashes in a row or one at the end; a single quote only without " \\ $ `)';
/**
 * Why `value` cannot be written to `.env` so that compose v1 and v2 read the same (`a value with …`), or undefined
 * when it can. Describes the value, never shows it (it may be a secret).
 */
function envValueProblem(value) {
    if (/[\r\n\0]/.test(value))
        return 'a line break or NUL character';
    if (PLAIN.test(value))
        return undefined;
    // compose v1 (python-dotenv) reads `\\` and `\'` as escapes even inside single quotes; compose v2 does not.
    if (value.includes('\\\\') || value.endsWith('\\'))
        return 'two backslashes in a row, or ending in one';
    // Single quotes are literal in both parsers; double quotes would expand `$…` and `\…` in both.
    if (value.includes("'") && /["\\$`]/.test(value))
        return 'a single quote and one of " \\ $ `';
    return undefined;
}
/** One `KEY=value` line. `readInputs` refuses what cannot be written; errors name the key, never the value. */
function formatEnvLine(key, value) {
    if (!KEY.test(key))
        throw new Error(`env '${key}': a variable name is letters, digits and _ (not starting with a digit)`);
    const problem = envValueProblem(value);
    if (problem)
        throw new Error(`env '${key}': a value with ${problem} cannot be written to .env so that compose v1 and v2 read it the same`);
    if (PLAIN.test(value))
        return `${key}=${value}`;
    if (!value.includes("'"))
        return `${key}='${value}'`;
    return `${key}="${value}"`;
}
/** The lines `apply` merges into `.env`: the env pairs, then the image variable (later keys win). */
function envLines(env, imageVariable, image) {
    const merged = new Map();
    for (const { key, value } of env)
        merged.set(key, value);
    merged.set(imageVariable, image);
    return [...merged].map(([k, v]) => formatEnvLine(k, v));
}


/***/ }),

/***/ 8981:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   $x: () => (/* binding */ preferredHostKeyAlgorithms),
/* harmony export */   DC: () => (/* binding */ readKnownHosts),
/* harmony export */   Hj: () => (/* binding */ verifyHostKey),
/* harmony export */   Rx: () => (/* binding */ describeKey),
/* harmony export */   l: () => (/* binding */ describeKnownHost)
/* harmony export */ });
/* unused harmony exports fingerprintOf, knownHostsName, readSshString */
/* harmony import */ var node_buffer__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(4573);
/* harmony import */ var node_buffer__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_buffer__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(7598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _constants_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(7242);
/* harmony import */ var _inputs_forms_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(2198);
/**
 * Host key verification against `ssh-known-hosts`, the way OpenSSH reads known_hosts: plain patterns with
 * wildcards and negation, `[host]:port` for ports other than 22, hashed `|1|salt|hash` names, `@revoked` keys,
 * plus `SHA256:` pins. Fails closed: a host without a matching entry is rejected.
 */




/** Reads the key type from an SSH wire-format public key and computes its fingerprint. */
function describeKey(blob) {
    let type = 'unknown';
    if (blob.length >= 4) {
        const length = blob.readUInt32BE(0);
        if (length > 0 && length <= 64 && blob.length >= 4 + length)
            type = blob.subarray(4, 4 + length).toString('latin1');
    }
    return { type, fingerprint: fingerprintOf(blob), blob };
}
function fingerprintOf(blob) {
    return `SHA256:${(0,node_crypto__WEBPACK_IMPORTED_MODULE_1__.createHash)('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}
/** The name known_hosts stores for a host: `host` on port 22, `[host]:port` otherwise; lower-cased like OpenSSH. */
function knownHostsName(host, port) {
    const h = host.toLowerCase();
    return port === 22 ? h : `[${h}]:${port}`;
}
function globToRegExp(pattern) {
    const body = pattern
        .toLowerCase()
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replace(/\*/g, '.*')
        .replace(/\?/g, '.');
    return new RegExp(`^${body}$`);
}
function matchesPlain(entry, name) {
    if (entry.negated.some((p) => globToRegExp(p.replace(/^!/, '')).test(name)))
        return false;
    return entry.patterns.some((p) => globToRegExp(p).test(name));
}
function matchesHashed(entry, name) {
    const digest = (0,node_crypto__WEBPACK_IMPORTED_MODULE_1__.createHmac)('sha1', entry.salt).update(name).digest();
    return digest.length === entry.hash.length && (0,node_crypto__WEBPACK_IMPORTED_MODULE_1__.timingSafeEqual)(digest, entry.hash);
}
function matchesPin(entry, host, port) {
    // A pin without a port holds for every port: the fingerprint alone identifies the key.
    return globToRegExp(entry.host).test(host.toLowerCase()) && (entry.port === undefined || entry.port === port);
}
function normalizeFingerprint(fp) {
    return fp.replace(/=+$/, '');
}
/** The entries that speak about this host (certificate authorities excluded: host certificates are not supported). */
function entriesFor(entries, host, port) {
    const name = knownHostsName(host, port);
    return entries.filter((e) => {
        if (e.kind === 'pin')
            return matchesPin(e, host, port);
        if (e.marker === '@cert-authority')
            return false;
        return e.kind === 'plain' ? matchesPlain(e, name) : matchesHashed(e, name);
    });
}
function entryMatchesKey(entry, key) {
    if (entry.kind === 'pin')
        return normalizeFingerprint(entry.fingerprint) === key.fingerprint;
    return entry.keyBase64.trim() === key.blob.toString('base64');
}
function describeEntry(entry) {
    if (entry.kind === 'pin')
        return `pin ${entry.fingerprint}`;
    try {
        return `${entry.keyType} ${fingerprintOf(node_buffer__WEBPACK_IMPORTED_MODULE_0__.Buffer.from(entry.keyBase64, 'base64'))}`;
    }
    catch {
        return entry.keyType;
    }
}
/** Verifies the key `host:port` presented. The reason says which host, which key was offered, and what was expected. */
function verifyHostKey(entries, host, port, key) {
    const name = knownHostsName(host, port);
    const offered = `${key.type} key ${key.fingerprint}`;
    const relevant = entriesFor(entries, host, port);
    if (relevant.some((e) => e.kind !== 'pin' && e.marker === '@revoked' && entryMatchesKey(e, key))) {
        return { ok: false, reason: `the server offered ${offered}, which ssh-known-hosts marks @revoked` };
    }
    const trusted = relevant.filter((e) => e.kind === 'pin' || e.marker !== '@revoked');
    const match = trusted.find((e) => entryMatchesKey(e, key));
    if (match)
        return { ok: true, matchedBy: match.kind === 'pin' ? 'pin' : `${match.kind} entry` };
    if (trusted.length > 0) {
        const expected = [...new Set(trusted.map(describeEntry))].join(', ');
        return {
            ok: false,
            reason: `the server offered ${offered}, which does not match ssh-known-hosts for '${name}' (expected ${expected}); the host key changed or someone is intercepting the connection`
        };
    }
    const byAuthority = entries.some((e) => e.kind !== 'pin' &&
        e.marker === '@cert-authority' &&
        (e.kind === 'plain' ? matchesPlain(e, name) : matchesHashed(e, name)));
    if (byAuthority) {
        return {
            ok: false,
            reason: `the server offered ${offered}, but ssh-known-hosts names only a @cert-authority for '${name}': host certificates are not supported (add the host's own key, as \`ssh-keyscan${port === 22 ? '' : ` -p ${port}`} ${host}\` prints it, or a pin '${port === 22 ? host : `[${host}]:${port}`} ${key.fingerprint}' after checking it)`
        };
    }
    return {
        ok: false,
        reason: `the server offered ${offered}, but ssh-known-hosts has no entry for '${name}' (add the line \`ssh-keyscan${port === 22 ? '' : ` -p ${port}`} ${host}\` prints, or a pin '${port === 22 ? host : `[${host}]:${port}`} ${key.fingerprint}' after checking it)`
    };
}
const RSA_ALGORITHMS = ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'];
/** ssh2's own default order of host key algorithms. */
const DEFAULT_HOST_KEY_ALGORITHMS = [
    'ssh-ed25519',
    'ecdsa-sha2-nistp256',
    'ecdsa-sha2-nistp384',
    'ecdsa-sha2-nistp521',
    ...RSA_ALGORITHMS
];
/**
 * Host key algorithms to offer, the types known for this host first (what OpenSSH does): a server with an
 * ed25519 and an RSA key, pinned by its RSA key, must not be rejected because ed25519 was negotiated.
 * Undefined when nothing is known by type (pins only): ssh2's default order.
 */
function preferredHostKeyAlgorithms(entries, host, port) {
    const known = entriesFor(entries, host, port).flatMap((e) => e.kind === 'pin' || e.marker === '@revoked' ? [] : e.keyType === 'ssh-rsa' ? RSA_ALGORITHMS : [e.keyType]);
    const preferred = known.filter((a) => DEFAULT_HOST_KEY_ALGORITHMS.includes(a) || a === 'ssh-dss');
    if (preferred.length === 0)
        return undefined;
    return [...new Set([...preferred, ...DEFAULT_HOST_KEY_ALGORITHMS])];
}
// ---------------------------------------------------------------------------------------------------------------
// Reading `ssh-known-hosts`
const KNOWN_HOSTS_FORM = 'a known_hosts line (host[,host…] key-type base64-key), a hashed line (|1|salt|hash key-type base64-key) or a pin (host[:port] SHA256:<43 base64 chars>)';
const PIN_FORM = 'a pin host[:port] SHA256:<43 base64 chars>';
const MARKERS = ['@cert-authority', '@revoked'];
/** Strict base64: canonical padding, nothing else; undefined when invalid. */
function decodeBase64(text) {
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text) || text.length % 4 !== 0)
        return undefined;
    const bytes = node_buffer__WEBPACK_IMPORTED_MODULE_0__.Buffer.from(text, 'base64');
    return bytes.toString('base64') === text ? bytes : undefined;
}
/** An SSH wire-format string (uint32 length + bytes) at `offset`; undefined when truncated. */
function readSshString(bytes, offset) {
    if (bytes.length < offset + 4)
        return undefined;
    const length = bytes.readUInt32BE(offset);
    const end = offset + 4 + length;
    if (end > bytes.length)
        return undefined;
    return { value: bytes.subarray(offset + 4, end), end };
}
function parseKeyBlob(keyType, keyBase64) {
    if (!/^[a-z0-9][a-z0-9@.-]*$/i.test(keyType))
        throw new _inputs_forms_js__WEBPACK_IMPORTED_MODULE_3__/* .FormError */ .jQ('a key type like ssh-ed25519 after the host patterns');
    if (keyBase64 === undefined)
        throw new _inputs_forms_js__WEBPACK_IMPORTED_MODULE_3__/* .FormError */ .jQ(`host[,host…] ${keyType} <base64 key>, the key is missing`);
    const blob = decodeBase64(keyBase64);
    if (!blob)
        throw new _inputs_forms_js__WEBPACK_IMPORTED_MODULE_3__/* .FormError */ .jQ(`the key after ${keyType} as valid base64`);
    const embedded = readSshString(blob, 0);
    if (!embedded || embedded.end >= blob.length)
        throw new _inputs_forms_js__WEBPACK_IMPORTED_MODULE_3__/* .FormError */ .jQ(`a complete ${keyType} key blob`);
    const embeddedType = embedded.value.toString('latin1');
    if (embeddedType !== keyType) {
        throw new _inputs_forms_js__WEBPACK_IMPORTED_MODULE_3__/* .FormError */ .jQ(`a key whose embedded type matches '${keyType}' (the key is ${(0,_inputs_forms_js__WEBPACK_IMPORTED_MODULE_3__/* .show */ .WU)(embeddedType, 40)})`);
    }
}
/** `host`, `host:port`, `[host]:port` or `[v6]` of a pin. */
function parsePinHost(text) {
    const bracketed = /^\[([^\]]+)\](?::([0-9]+))?$/.exec(text);
    let host;
    let portText;
    if (bracketed) {
        host = bracketed[1] ?? '';
        portText = bracketed[2];
    }
    else {
        const colons = text.split(':').length - 1;
        if (colons > 1)
            throw new _inputs_forms_js__WEBPACK_IMPORTED_MODULE_3__/* .FormError */ .jQ(`${PIN_FORM} with IPv6 addresses in brackets`);
        [host = '', portText] = text.split(':');
    }
    if (!(0,_inputs_forms_js__WEBPACK_IMPORTED_MODULE_3__/* .isHostName */ .uy)(host) && !(0,_inputs_forms_js__WEBPACK_IMPORTED_MODULE_3__/* .isIPv6 */ .w7)(host))
        throw new _inputs_forms_js__WEBPACK_IMPORTED_MODULE_3__/* .FormError */ .jQ(`${PIN_FORM} with a valid host`);
    const pin = { host };
    if (portText !== undefined) {
        const port = /^[0-9]{1,5}$/.test(portText) ? Number(portText) : NaN;
        if (!(port >= 1 && port <= 65535))
            throw new _inputs_forms_js__WEBPACK_IMPORTED_MODULE_3__/* .FormError */ .jQ(`${PIN_FORM} with a port from 1 to 65535`);
        pin.port = port;
    }
    return pin;
}
const PATTERN_RE = /^(?:\[[A-Za-z0-9.:%*?_-]+\]:[0-9]{1,5}|[A-Za-z0-9.:%*?_-]+)$/;
function parseKnownHostsLine(line) {
    const fields = line.split(/\s+/);
    let marker;
    if (fields[0]?.startsWith('@')) {
        marker = fields.shift();
        if (!MARKERS.includes(marker ?? ''))
            throw new _inputs_forms_js__WEBPACK_IMPORTED_MODULE_3__/* .FormError */ .jQ(`a marker ${MARKERS.join(' or ')} or none`);
    }
    const [hosts = '', second, third] = fields;
    if (second === undefined)
        throw new _inputs_forms_js__WEBPACK_IMPORTED_MODULE_3__/* .FormError */ .jQ(KNOWN_HOSTS_FORM);
    if (second.startsWith('SHA256:')) {
        if (marker || fields.length > 2)
            throw new _inputs_forms_js__WEBPACK_IMPORTED_MODULE_3__/* .FormError */ .jQ(PIN_FORM);
        const digest = /^SHA256:([A-Za-z0-9+/]{43})=?$/.exec(second)?.[1];
        if (!digest || decodeBase64(`${digest}=`)?.length !== 32) {
            throw new _inputs_forms_js__WEBPACK_IMPORTED_MODULE_3__/* .FormError */ .jQ(`${PIN_FORM} (a SHA256 fingerprint as ssh-keygen -lf prints it)`);
        }
        return { kind: 'pin', ...parsePinHost(hosts), fingerprint: `SHA256:${digest}` };
    }
    parseKeyBlob(second, third);
    const keyType = second;
    const keyBase64 = third ?? '';
    const withMarker = (entry) => (marker ? { ...entry, marker } : entry);
    if (hosts.startsWith('|')) {
        const m = /^\|1\|([^|]+)\|([^|]+)$/.exec(hosts);
        const salt = m?.[1] ? decodeBase64(m[1]) : undefined;
        const hash = m?.[2] ? decodeBase64(m[2]) : undefined;
        if (salt?.length !== 20 || hash?.length !== 20) {
            throw new _inputs_forms_js__WEBPACK_IMPORTED_MODULE_3__/* .FormError */ .jQ('a hashed host |1|<base64 20-byte salt>|<base64 20-byte hash>');
        }
        return withMarker({ kind: 'hashed', salt, hash, keyType, keyBase64 });
    }
    const patterns = [];
    const negated = [];
    for (const pattern of hosts.split(',')) {
        const bare = pattern.startsWith('!') ? pattern.slice(1) : pattern;
        if (!PATTERN_RE.test(bare)) {
            throw new _inputs_forms_js__WEBPACK_IMPORTED_MODULE_3__/* .FormError */ .jQ('host patterns like host1,[host2]:2222,*.example.com,!bad.example.com (no empty pattern)');
        }
        ;
        (pattern.startsWith('!') ? negated : patterns).push(bare);
    }
    if (patterns.length === 0)
        throw new _inputs_forms_js__WEBPACK_IMPORTED_MODULE_3__/* .FormError */ .jQ('at least one host pattern that is not negated');
    return withMarker({ kind: 'plain', patterns, negated, keyType, keyBase64 });
}
/** Reads `ssh-known-hosts`: plain, hashed and `@marker` known_hosts lines, and `SHA256:` pins; each bad line is a problem. */
function readKnownHosts(r) {
    return r.lines(_constants_js__WEBPACK_IMPORTED_MODULE_2__/* .Inputs */ .G0.sshKnownHosts, parseKnownHostsLine);
}
/** One entry as the job summary shows it: no key material. */
function describeKnownHost(entry) {
    switch (entry.kind) {
        case 'pin':
            return `${entry.port ? `[${entry.host}]:${entry.port}` : entry.host} ${entry.fingerprint}`;
        case 'hashed':
            return `${entry.marker ? `${entry.marker} ` : ''}(hashed) ${entry.keyType}`;
        case 'plain':
            return `${entry.marker ? `${entry.marker} ` : ''}${[...entry.patterns, ...entry.negated.map((n) => `!${n}`)].join(',')} ${entry.keyType}`;
    }
}


/***/ }),

/***/ 8594:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   W: () => (/* binding */ createStrategy)
/* harmony export */ });
async function createStrategy(config, deps) {
    switch (config.strategy) {
        case 'ssh-rolling': {
            const { createSshRolling } = await Promise.all(/* import() */[__webpack_require__.e(472), __webpack_require__.e(487), __webpack_require__.e(975)]).then(__webpack_require__.bind(__webpack_require__, 9975));
            return createSshRolling(config, deps);
        }
        case 'ecs': {
            const { createEcsPick } = await Promise.all(/* import() */[__webpack_require__.e(212), __webpack_require__.e(936), __webpack_require__.e(449)]).then(__webpack_require__.bind(__webpack_require__, 3449));
            return createEcsPick(config, deps);
        }
        case 'ecs-blue-green': {
            const { createEcsBlueGreen } = await Promise.all(/* import() */[__webpack_require__.e(212), __webpack_require__.e(507), __webpack_require__.e(15), __webpack_require__.e(936), __webpack_require__.e(887)]).then(__webpack_require__.bind(__webpack_require__, 6887));
            return createEcsBlueGreen(config, deps);
        }
        case 'ecs-native': {
            const { createEcsNative } = await Promise.all(/* import() */[__webpack_require__.e(212), __webpack_require__.e(15), __webpack_require__.e(936), __webpack_require__.e(819)]).then(__webpack_require__.bind(__webpack_require__, 4819));
            return createEcsNative(config, deps);
        }
        case 'ecs-rolling': {
            const { createEcsRolling } = await Promise.all(/* import() */[__webpack_require__.e(212), __webpack_require__.e(15), __webpack_require__.e(936), __webpack_require__.e(855)]).then(__webpack_require__.bind(__webpack_require__, 7855));
            return createEcsRolling(config, deps);
        }
        default: {
            const unknown = config;
            throw new Error(`Unknown strategy: ${JSON.stringify(unknown)}`);
        }
    }
    void deps;
}


/***/ })

};
