export const id = 379;
export const ids = [379];
export const modules = {

/***/ 2137:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  aK: () => (/* binding */ createDefaultDeps)
});

// UNUSED EXPORTS: cancelOnSignals, runnerIO, runnerLogger

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


const runnerLogger = {
    info: (m) => runner/* info */.pq(m),
    debug: (m) => runner/* issueCommand */.Lb('debug', m),
    warning: (m) => runner/* issueCommand */.Lb('warning', m),
    error: (m) => runner/* issueCommand */.Lb('error', m),
    notice: (m) => runner/* issueCommand */.Lb('notice', m),
    setSecret: (s) => runner/* setSecret */.Pq(s),
    group: (name, fn) => runner/* group */.Os(name, fn)
};
const runnerIO = {
    setOutput: (name, value) => runner/* setOutput */.uH(name, value),
    saveState: (name, value) => runner/* saveState */.LZ(name, value),
    getState: (name) => runner/* getState */.Gu(name),
    appendSummary: async (markdown) => runner/* appendSummary */.fe(markdown),
    setFailed: (message) => {
        process.exitCode = 1;
        runner/* issueCommand */.Lb('error', message);
    }
};
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
function createDefaultDeps() {
    return {
        inputs: { getInput: (name) => runner/* getInput */.V4(name) },
        env: process.env,
        log: runnerLogger,
        clock: systemClock,
        io: runnerIO,
        cancel: cancelOnSignals(runnerLogger)
    };
}


/***/ }),

/***/ 6587:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   g: () => (/* binding */ errorMessage)
/* harmony export */ });
/** The message of a thrown value: an Error's message, anything else as a string. */
function errorMessage(error) {
    return error instanceof Error ? error.message : String(error);
}


/***/ }),

/***/ 8422:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Ko: () => (/* binding */ readInputs),
/* harmony export */   rf: () => (/* binding */ yamlFor),
/* harmony export */   ut: () => (/* binding */ configView)
/* harmony export */ });
/* unused harmony exports InputError, parseImage, parseKnownHosts */
/* harmony import */ var node_buffer__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(4573);
/* harmony import */ var node_buffer__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_buffer__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var _constants_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(7242);
/* harmony import */ var _strategies_ssh_rolling_env_file_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(8622);
/* harmony import */ var _error_message_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(6587);
/* harmony import */ var _redact_url_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(470);
/**
 * The only module that reads inputs: raw strings in, one typed and validated `Config` out.
 * It reads local files (task definition, AppSpec) and never contacts anything remote.
 */







/** A bad input: the message names the input, the position and the expected form, on one line. */
class InputError extends Error {
    constructor(message) {
        super(message);
        this.name = 'InputError';
    }
}
/** A value that does not have the expected form; `at()` turns it into an `InputError` naming the input. */
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
function invalid(name, expected, got, position) {
    return new InputError(`Invalid '${name}'${position ? ` ${position}` : ''}: expected ${expected}, got ${got}`);
}
/** Runs a parser on one value; its `FormError` becomes an `InputError` naming the input, the position and the value. */
function at(name, position, value, parse) {
    try {
        return parse();
    }
    catch (error) {
        if (error instanceof FormError)
            throw invalid(name, error.expected, error.got ?? show(value), position);
        throw error;
    }
}
/** Non-blank, non-comment lines with their 1-based line numbers. */
function contentLines(text) {
    return text
        .split(/\r?\n/)
        .map((raw, i) => ({ line: raw.trim(), number: i + 1 }))
        .filter(({ line }) => line !== '' && !line.startsWith('#'));
}
// ---------------------------------------------------------------------------------------------------------------
// Scalar forms
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
const BATCH_FORM = 'a number of hosts (1 or more) or a percentage from 1% to 100%';
function parseBatchSize(value) {
    const m = /^([0-9]+)(%?)$/.exec(value);
    const n = m ? Number(m[1]) : NaN;
    if (!m || !Number.isSafeInteger(n) || n < 1 || (m[2] === '%' && n > 100))
        throw new FormError(BATCH_FORM);
    return m[2] === '%' ? { kind: 'percent', value: n } : { kind: 'count', value: n };
}
function parseEnum(value, allowed) {
    if (!allowed.includes(value))
        throw new FormError(`one of ${allowed.join(', ')}`);
    return value;
}
// ---------------------------------------------------------------------------------------------------------------
// Image
const IMAGE_FORM = 'an image reference [registry[:port]/]name[:tag][@sha256:<64 hex>] (lowercase name, no spaces or shell characters)';
const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const IMAGE_RE = new RegExp('^(?:(?<registry>(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\\.(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?))*' +
    '(?::[0-9]{1,5})?|\\[[0-9a-fA-F:]+\\](?::[0-9]{1,5})?)\\/)?' +
    `(?<name>${PATH_COMPONENT}(?:\\/${PATH_COMPONENT})*)` +
    '(?::(?<tag>[\\w][\\w.-]{0,127}))?(?:@(?<digest>sha256:[0-9a-f]{64}))?$');
/** Parses and validates an OCI image reference; throws `InputError` naming `image`. */
function parseImage(value) {
    const fail = () => invalid(_constants_js__WEBPACK_IMPORTED_MODULE_3__/* .Inputs */ .G0.image, IMAGE_FORM, show(value));
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
// ---------------------------------------------------------------------------------------------------------------
// Hosts
const HOST_FORM = '[user@]host[:port]';
const USER_RE = /^[a-z_][a-z0-9_.-]*$/i;
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
function parsePort(text) {
    const n = /^[0-9]{1,5}$/.test(text) ? Number(text) : NaN;
    if (!(n >= 1 && n <= 65535))
        throw new FormError(`${HOST_FORM} with a port from 1 to 65535`);
    return n;
}
/** `[user@]host[:port]`, IPv6 as `[addr]` or `[addr]:port`. */
function parseHostSpec(spec) {
    const atIndex = spec.lastIndexOf('@');
    const user = atIndex >= 0 ? spec.slice(0, atIndex) : undefined;
    const rest = atIndex >= 0 ? spec.slice(atIndex + 1) : spec;
    if (user !== undefined && !USER_RE.test(user)) {
        throw new FormError(`${HOST_FORM} with a user name matching [a-z_][a-z0-9_.-]*`);
    }
    let host;
    let port;
    const v6 = /^\[([^\]]*)\](?::(.*))?$/.exec(rest);
    if (v6) {
        host = v6[1] ?? '';
        if (!isIPv6(host))
            throw new FormError(`${HOST_FORM} with a valid IPv6 address in brackets ([2001:db8::1]:22)`);
        if (v6[2] !== undefined)
            port = parsePort(v6[2]);
    }
    else {
        const colons = rest.split(':').length - 1;
        if (colons > 1)
            throw new FormError(`${HOST_FORM} with IPv6 addresses in brackets ([2001:db8::1]:22)`);
        const [name = '', portText] = rest.split(':');
        if (!isHostName(name)) {
            throw new FormError(`${HOST_FORM} with an RFC 1123 host name, an IPv4 address or an [IPv6] address`);
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
    const canonical = isIPv6(host) ? new URL(`http://[${host}]/`).hostname : host.toLowerCase();
    return `${canonical}#${port}`;
}
// ---------------------------------------------------------------------------------------------------------------
// known_hosts
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
        throw new FormError('a key type like ssh-ed25519 after the host patterns');
    if (keyBase64 === undefined)
        throw new FormError(`host[,host…] ${keyType} <base64 key>, the key is missing`);
    const blob = decodeBase64(keyBase64);
    if (!blob)
        throw new FormError(`the key after ${keyType} as valid base64`);
    const embedded = readSshString(blob, 0);
    if (!embedded || embedded.end >= blob.length)
        throw new FormError(`a complete ${keyType} key blob`);
    const embeddedType = embedded.value.toString('latin1');
    if (embeddedType !== keyType) {
        throw new FormError(`a key whose embedded type matches '${keyType}' (the key is ${show(embeddedType, 40)})`);
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
            throw new FormError(`${PIN_FORM} with IPv6 addresses in brackets`);
        [host = '', portText] = text.split(':');
    }
    if (!isHostName(host) && !isIPv6(host))
        throw new FormError(`${PIN_FORM} with a valid host`);
    const pin = { host };
    if (portText !== undefined) {
        const port = /^[0-9]{1,5}$/.test(portText) ? Number(portText) : NaN;
        if (!(port >= 1 && port <= 65535))
            throw new FormError(`${PIN_FORM} with a port from 1 to 65535`);
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
            throw new FormError(`a marker ${MARKERS.join(' or ')} or none`);
    }
    const [hosts = '', second, third] = fields;
    if (second === undefined)
        throw new FormError(KNOWN_HOSTS_FORM);
    if (second.startsWith('SHA256:')) {
        if (marker || fields.length > 2)
            throw new FormError(PIN_FORM);
        const digest = /^SHA256:([A-Za-z0-9+/]{43})=?$/.exec(second)?.[1];
        if (!digest || decodeBase64(`${digest}=`)?.length !== 32) {
            throw new FormError(`${PIN_FORM} (a SHA256 fingerprint as ssh-keygen -lf prints it)`);
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
            throw new FormError('a hashed host |1|<base64 20-byte salt>|<base64 20-byte hash>');
        }
        return withMarker({ kind: 'hashed', salt, hash, keyType, keyBase64 });
    }
    const patterns = [];
    const negated = [];
    for (const pattern of hosts.split(',')) {
        const bare = pattern.startsWith('!') ? pattern.slice(1) : pattern;
        if (!PATTERN_RE.test(bare)) {
            throw new FormError('host patterns like host1,[host2]:2222,*.example.com,!bad.example.com (no empty pattern)');
        }
        ;
        (pattern.startsWith('!') ? negated : patterns).push(bare);
    }
    if (patterns.length === 0)
        throw new FormError('at least one host pattern that is not negated');
    return withMarker({ kind: 'plain', patterns, negated, keyType, keyBase64 });
}
/** Parses `ssh-known-hosts`: plain, hashed and `@marker` known_hosts lines, and `SHA256:` pins. */
function parseKnownHosts(text) {
    return contentLines(text).map(({ line, number }) => at(_constants_js__WEBPACK_IMPORTED_MODULE_3__/* .Inputs */ .G0.sshKnownHosts, `line ${number}`, line, () => parseKnownHostsLine(line)));
}
// ---------------------------------------------------------------------------------------------------------------
// Secrets
const SECRET_KEY_RE = /(SECRET|PASSWORD|PASSWD|TOKEN|KEY|CREDENTIAL|PRIVATE|AUTH)/i;
// Values too common to mask: masking `true` or `1` would blank them in every later log line.
const NOT_SECRET_VALUES = /^(?:true|false|yes|no|on|off|[0-9])$/i;
/** Masks the secret parts of a value: all of it under a secret-looking key, and any password inside a URL. */
function maskValue(key, value, log) {
    if (SECRET_KEY_RE.test(key) && value !== '' && !NOT_SECRET_VALUES.test(value))
        log.setSecret(value);
    for (const m of value.matchAll(_redact_url_js__WEBPACK_IMPORTED_MODULE_4__/* .URL_PASSWORD_RE */ .Wh)) {
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
const KEY_FORM = 'a PEM or OpenSSH private key block (-----BEGIN ... PRIVATE KEY----- … -----END ... PRIVATE KEY-----)';
/** Checks the private key block; errors describe the value without ever echoing it. */
function parsePrivateKey(raw) {
    const text = raw.replace(/\r\n?/g, '\n').trim();
    const got = (what) => new FormError(KEY_FORM, what);
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
    const inner = lines.slice(1, -1);
    const headers = inner.filter((l) => /^[A-Za-z-]+: /.test(l));
    const body = inner.filter((l) => l !== '' && !/^[A-Za-z-]+: /.test(l)).join('');
    if (!body || !/^[A-Za-z0-9+/]+={0,2}$/.test(body))
        throw got('a key block whose body is not base64');
    let encrypted = begin[1] === 'ENCRYPTED ' || headers.some((h) => /^Proc-Type:.*ENCRYPTED/i.test(h));
    if (begin[1] === 'OPENSSH ') {
        const bytes = node_buffer__WEBPACK_IMPORTED_MODULE_0__.Buffer.from(body, 'base64');
        const magic = 'openssh-key-v1\0';
        const cipher = bytes.subarray(0, magic.length).toString('latin1') === magic && readSshString(bytes, magic.length);
        if (!cipher)
            throw got('an OpenSSH key block that is not an openssh-key-v1 key');
        encrypted = cipher.value.toString('latin1') !== 'none';
    }
    return { key: `${lines.join('\n')}\n`, encrypted };
}
// ---------------------------------------------------------------------------------------------------------------
// Lists: env lines, files, services
const VARIABLE_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;
const VARIABLE_FORM = 'a variable name ([A-Za-z_][A-Za-z0-9_]*)';
/** `KEY=value` lines (value may contain `=`); values under secret-looking keys are masked before anything else. */
function parseEnvLines(name, text, log, rules = {}) {
    const { reserved } = rules;
    const pairs = [];
    const firstLine = new Map();
    for (const { line, number } of contentLines(text)) {
        const position = `line ${number}`;
        const eq = line.indexOf('=');
        // The line may hold a secret: describe it rather than echo it.
        if (eq < 0)
            throw invalid(name, 'KEY=value', `a line of ${line.length} characters without '='`, position);
        const key = line.slice(0, eq);
        const value = line.slice(eq + 1);
        maskValue(key, value, log);
        if (!VARIABLE_RE.test(key)) {
            const got = /^[\w.-]{1,64}$/.test(key) ? `key ${show(key)}` : 'a key that is not a variable name';
            throw invalid(name, `KEY=value with KEY ${VARIABLE_FORM}`, got, position);
        }
        const problem = rules.value?.problem(value);
        if (rules.value && problem)
            throw invalid(name, `KEY=value with ${rules.value.form}`, `a value under ${show(key)} with ${problem}`, position);
        if (key === reserved?.key)
            throw invalid(name, `keys other than ${show(key)} (${reserved.why})`, show(key), position);
        const first = firstLine.get(key);
        if (first !== undefined)
            throw invalid(name, `each key once`, `${show(key)} again (first on line ${first})`, position);
        firstLine.set(key, number);
        pairs.push({ key, value });
    }
    return pairs;
}
const SAFE_PATH_RE = /^[A-Za-z0-9._/-]+$/;
function hasDotDot(p) {
    return p.split('/').includes('..');
}
function parseAppDir(value) {
    const expected = `an absolute directory path other than / (characters A-Z a-z 0-9 . _ - /, no '..')`;
    if (!value.startsWith('/') || !SAFE_PATH_RE.test(value) || hasDotDot(value))
        throw new FormError(expected);
    const normalized = node_path__WEBPACK_IMPORTED_MODULE_2___default().posix.normalize(value).replace(/\/+$/, '');
    if (normalized === '')
        throw new FormError(expected);
    return normalized;
}
function parseComposeFiles(text) {
    const files = [];
    for (const [i, line] of text.split(/\r?\n/).entries()) {
        for (const item of line.split(',')) {
            const file = item.trim();
            if (!file)
                continue;
            at(_constants_js__WEBPACK_IMPORTED_MODULE_3__/* .Inputs */ .G0.composeFile, `line ${i + 1}`, file, () => {
                if (file.startsWith('/') || !SAFE_PATH_RE.test(file) || hasDotDot(file)) {
                    throw new FormError(`file names relative to '${_constants_js__WEBPACK_IMPORTED_MODULE_3__/* .Inputs */ .G0.appDir}' (characters A-Z a-z 0-9 . _ - /, no '..')`);
                }
            });
            files.push(file);
        }
    }
    return files;
}
const SERVICE_RE = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;
function parseComposeServices(text) {
    const services = [];
    for (const [i, line] of text.split(/\r?\n/).entries()) {
        for (const service of line.split(/[\s,]+/).filter(Boolean)) {
            if (!SERVICE_RE.test(service)) {
                throw invalid(_constants_js__WEBPACK_IMPORTED_MODULE_3__/* .Inputs */ .G0.composeServices, 'Compose service names ([a-zA-Z0-9][a-zA-Z0-9_.-]*) separated by commas, spaces or newlines', show(service), `line ${i + 1}`);
            }
            if (!services.includes(service))
                services.push(service);
        }
    }
    return services;
}
const CONTAINER_CHECK_RE = /^([a-zA-Z0-9][a-zA-Z0-9_.-]*)\s*=\s*(\d{1,5})(\/[A-Za-z0-9._~/?=&%+-]*)?$/;
/** `service=port/path` lines: the HTTP GET each new start-first container must answer with 2xx. */
function parseContainerChecks(text) {
    const checks = {};
    for (const [i, raw] of text.split(/\r?\n/).entries()) {
        const line = raw.trim();
        if (!line || line.startsWith('#'))
            continue;
        const m = CONTAINER_CHECK_RE.exec(line);
        const port = Number(m?.[2]);
        if (!m || port < 1 || port > 65535) {
            throw invalid(_constants_js__WEBPACK_IMPORTED_MODULE_3__/* .Inputs */ .G0.containerCheck, 'lines service=port/path (e.g. web=8080/healthz): an HTTP GET each new container must answer with 2xx', show(line), `line ${i + 1}`);
        }
        checks[m[1]] = `${port}${m[3] ?? '/'}`;
    }
    return checks;
}
function parseHealthCheckUrl(value) {
    const expected = 'an http:// or https:// URL (it may contain {host})';
    let url;
    try {
        url = new URL(value.replaceAll('{host}', 'host.invalid'));
    }
    catch {
        throw new FormError(expected);
    }
    if ((url.protocol !== 'http:' && url.protocol !== 'https:') || /\s/.test(value))
        throw new FormError(expected);
    return value;
}
// ---------------------------------------------------------------------------------------------------------------
// Files
const FILE_FORM = 'a readable JSON or YAML file';
function resolvePath(file, env) {
    return node_path__WEBPACK_IMPORTED_MODULE_2___default().resolve(env.GITHUB_WORKSPACE || process.cwd(), file);
}
const isJsonFile = (file) => /\.json$/i.test(file);
/**
 * The YAML parser when an input names a YAML file (a task definition or AppSpec not called *.json), loaded then
 * and only then; `readInputs` needs it for such files.
 */
async function yamlFor(source) {
    const files = [_constants_js__WEBPACK_IMPORTED_MODULE_3__/* .Inputs */ .G0.taskDefinition, _constants_js__WEBPACK_IMPORTED_MODULE_3__/* .Inputs */ .G0.codedeployAppspec].map((n) => source.getInput(n).trim());
    if (!files.some((f) => f && !isJsonFile(f)))
        return undefined;
    const { parse } = await __webpack_require__.e(/* import() */ 815).then(__webpack_require__.t.bind(__webpack_require__, 8815, 19));
    return (text) => parse(text);
}
/** Reads and parses a JSON or YAML file into an object (mapping). */
function readDocument(name, file, env, parseYaml) {
    const resolved = resolvePath(file, env);
    let text;
    try {
        text = node_fs__WEBPACK_IMPORTED_MODULE_1___default().readFileSync(resolved, 'utf8').replace(/^\uFEFF/, '');
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
        throw invalid(name, FILE_FORM, `${show(file)} (${resolved}: ${reason})`);
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
        const first = (0,_error_message_js__WEBPACK_IMPORTED_MODULE_5__/* .errorMessage */ .g)(error).split('\n')[0]?.replace(/:$/, '');
        throw invalid(name, FILE_FORM, `${show(file)} that does not parse (${first})`);
    }
    if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
        throw invalid(name, `${FILE_FORM} holding an object`, `${show(file)} holding ${Array.isArray(doc) ? 'a list' : typeof doc === 'object' ? 'nothing' : `a ${typeof doc}`}`);
    }
    return doc;
}
function readValue(get, name, fallback, parse) {
    const value = get(name);
    return value === '' ? fallback : at(name, undefined, value, () => parse(value));
}
function readOptional(get, name, parse) {
    const value = get(name);
    return value === '' ? undefined : at(name, undefined, value, () => parse(value));
}
function requireValue(get, name, why, expected) {
    const value = get(name);
    if (value === '')
        throw new InputError(`Missing '${name}': required ${why}; expected ${expected}`);
    return value;
}
function readCommon(get, strategy) {
    const image = parseImage(requireValue(get, _constants_js__WEBPACK_IMPORTED_MODULE_3__/* .Inputs */ .G0.image, 'for every strategy', IMAGE_FORM));
    return {
        strategy,
        image,
        timeoutMinutes: readValue(get, _constants_js__WEBPACK_IMPORTED_MODULE_3__/* .Inputs */ .G0.timeoutMinutes, 30, (v) => {
            const n = /^[0-9]+(?:\.[0-9]+)?$/.test(v) ? Number(v) : NaN;
            if (!(n > 0 && n <= 1440))
                throw new FormError('a number of minutes greater than 0 and at most 1440');
            return n;
        }),
        dryRun: readValue(get, _constants_js__WEBPACK_IMPORTED_MODULE_3__/* .Inputs */ .G0.dryRun, false, parseBoolean),
        rollbackOnFailure: readValue(get, _constants_js__WEBPACK_IMPORTED_MODULE_3__/* .Inputs */ .G0.rollbackOnFailure, true, parseBoolean)
    };
}
const REGION_RE = /^[a-z]{2,4}(?:-[a-z]+)+-[0-9]{1,2}$/;
const ECS_NAME_FORM = 'a name of letters, digits, _ and - (up to 255) or an ARN';
const ECS_NAME_RE = /^[A-Za-z0-9_-]{1,255}$/;
const ECS_ARN_RE = /^arn:aws[a-z-]*:ecs:[a-z0-9-]+:[0-9]{12}:(?:cluster|service)\/[A-Za-z0-9_/-]{1,512}$/;
const CODEDEPLOY_NAME_RE = /^[A-Za-z0-9_.+=,@-]{1,100}$/;
const CODEDEPLOY_NAME_FORM = 'a CodeDeploy name of letters, digits and _.+=,@- (up to 100)';
function parseEcsName(value) {
    if (!ECS_NAME_RE.test(value) && !ECS_ARN_RE.test(value))
        throw new FormError(ECS_NAME_FORM);
    return value;
}
/** The last segment of an ARN, or the name itself. */
function shortName(nameOrArn) {
    return nameOrArn.startsWith('arn:') ? (nameOrArn.split('/').pop() ?? nameOrArn) : nameOrArn;
}
function readEcs(get, env, log, common, parseYaml) {
    const why = `for ${common.strategy}`;
    const regionInput = get(_constants_js__WEBPACK_IMPORTED_MODULE_3__/* .Inputs */ .G0.awsRegion);
    const region = regionInput || env.AWS_REGION?.trim() || env.AWS_DEFAULT_REGION?.trim() || '';
    if (!region) {
        throw new InputError(`Missing '${_constants_js__WEBPACK_IMPORTED_MODULE_3__/* .Inputs */ .G0.awsRegion}': required ${why} (or set AWS_REGION); expected a region like us-east-1`);
    }
    if (!REGION_RE.test(region)) {
        const source = regionInput ? '' : env.AWS_REGION?.trim() ? ' (from AWS_REGION)' : ' (from AWS_DEFAULT_REGION)';
        throw invalid(_constants_js__WEBPACK_IMPORTED_MODULE_3__/* .Inputs */ .G0.awsRegion, 'a region like us-east-1', `${show(region)}${source}`);
    }
    const cluster = readValue(get, _constants_js__WEBPACK_IMPORTED_MODULE_3__/* .Inputs */ .G0.cluster, 'default', parseEcsName);
    const service = at(_constants_js__WEBPACK_IMPORTED_MODULE_3__/* .Inputs */ .G0.service, undefined, get(_constants_js__WEBPACK_IMPORTED_MODULE_3__/* .Inputs */ .G0.service), () => parseEcsName(requireValue(get, _constants_js__WEBPACK_IMPORTED_MODULE_3__/* .Inputs */ .G0.service, why, 'the ECS service name')));
    const config = {
        ...common,
        region,
        cluster,
        service,
        environmentVariables: parseEnvLines(_constants_js__WEBPACK_IMPORTED_MODULE_3__/* .Inputs */ .G0.environmentVariables, get(_constants_js__WEBPACK_IMPORTED_MODULE_3__/* .Inputs */ .G0.environmentVariables), log)
    };
    const taskDefinitionPath = get(_constants_js__WEBPACK_IMPORTED_MODULE_3__/* .Inputs */ .G0.taskDefinition);
    if (taskDefinitionPath) {
        const doc = readDocument(_constants_js__WEBPACK_IMPORTED_MODULE_3__/* .Inputs */ .G0.taskDefinition, taskDefinitionPath, env, parseYaml);
        if (!Array.isArray(doc.containerDefinitions)) {
            const hint = 'taskDefinition' in doc ? '; the file looks like describe-task-definition output, use its .taskDefinition' : '';
            throw invalid(_constants_js__WEBPACK_IMPORTED_MODULE_3__/* .Inputs */ .G0.taskDefinition, "a task definition object with a 'containerDefinitions' array", `${show(taskDefinitionPath)} without one${hint}`);
        }
        config.taskDefinitionPath = taskDefinitionPath;
        config.taskDefinitionDocument = doc;
    }
    const containerName = get(_constants_js__WEBPACK_IMPORTED_MODULE_3__/* .Inputs */ .G0.containerName);
    if (containerName) {
        const containers = config.taskDefinitionDocument?.containerDefinitions
            ?.map((c) => c?.name)
            .filter((n) => typeof n === 'string');
        if (containers && !containers.includes(containerName)) {
            throw invalid(_constants_js__WEBPACK_IMPORTED_MODULE_3__/* .Inputs */ .G0.containerName, `a container of '${_constants_js__WEBPACK_IMPORTED_MODULE_3__/* .Inputs */ .G0.taskDefinition}' (${containers.join(', ') || 'none named'})`, show(containerName));
        }
        config.containerName = containerName;
    }
    return config;
}
function readBlueGreen(get, env, ecs, parseYaml) {
    const cluster = shortName(ecs.cluster);
    const service = shortName(ecs.service);
    const parseName = (v) => {
        if (!CODEDEPLOY_NAME_RE.test(v))
            throw new FormError(CODEDEPLOY_NAME_FORM);
        return v;
    };
    const config = {
        ...ecs,
        strategy: 'ecs-blue-green',
        codedeployApplication: readValue(get, _constants_js__WEBPACK_IMPORTED_MODULE_3__/* .Inputs */ .G0.codedeployApplication, `AppECS-${cluster}-${service}`, parseName),
        codedeployDeploymentGroup: readValue(get, _constants_js__WEBPACK_IMPORTED_MODULE_3__/* .Inputs */ .G0.codedeployDeploymentGroup, `DgpECS-${cluster}-${service}`, parseName),
        waitUntil: readValue(get, _constants_js__WEBPACK_IMPORTED_MODULE_3__/* .Inputs */ .G0.waitUntil, 'succeeded', (v) => parseEnum(v, ['created', 'traffic-shifted', 'succeeded'])),
        onActiveDeployment: readValue(get, _constants_js__WEBPACK_IMPORTED_MODULE_3__/* .Inputs */ .G0.onActiveDeployment, 'fail', (v) => parseEnum(v, ['fail', 'wait', 'stop-previous']))
    };
    const deploymentConfig = readOptional(get, _constants_js__WEBPACK_IMPORTED_MODULE_3__/* .Inputs */ .G0.codedeployDeploymentConfig, parseName);
    if (deploymentConfig)
        config.deploymentConfig = deploymentConfig;
    const appspecPath = get(_constants_js__WEBPACK_IMPORTED_MODULE_3__/* .Inputs */ .G0.codedeployAppspec);
    if (appspecPath) {
        config.appspecPath = appspecPath;
        config.appspecDocument = readDocument(_constants_js__WEBPACK_IMPORTED_MODULE_3__/* .Inputs */ .G0.codedeployAppspec, appspecPath, env, parseYaml);
    }
    return config;
}
function readHosts(get) {
    const text = requireValue(get, _constants_js__WEBPACK_IMPORTED_MODULE_3__/* .Inputs */ .G0.hosts, 'for ssh-rolling', `${HOST_FORM} entries, one per line or comma-separated`);
    const specs = [];
    for (const { line, number } of contentLines(text)) {
        for (const item of line.split(',')) {
            const spec = item.trim();
            if (!spec)
                continue;
            specs.push({ spec, parsed: at(_constants_js__WEBPACK_IMPORTED_MODULE_3__/* .Inputs */ .G0.hosts, `line ${number}`, spec, () => parseHostSpec(spec)), line: number });
        }
    }
    if (specs.length === 0) {
        throw new InputError(`Missing '${_constants_js__WEBPACK_IMPORTED_MODULE_3__/* .Inputs */ .G0.hosts}': required for ssh-rolling; expected ${HOST_FORM} entries`);
    }
    return { specs };
}
function readSsh(get, log, common) {
    // Masked the moment they are read, before any validation can fail.
    const rawKey = get(_constants_js__WEBPACK_IMPORTED_MODULE_3__/* .Inputs */ .G0.sshPrivateKey);
    if (rawKey)
        log.setSecret(rawKey);
    const passphrase = get(_constants_js__WEBPACK_IMPORTED_MODULE_3__/* .Inputs */ .G0.sshPassphrase);
    if (passphrase)
        log.setSecret(passphrase);
    const { specs } = readHosts(get);
    const sshUser = readOptional(get, _constants_js__WEBPACK_IMPORTED_MODULE_3__/* .Inputs */ .G0.sshUser, (v) => {
        if (!USER_RE.test(v))
            throw new FormError('a user name matching [a-z_][a-z0-9_.-]*');
        return v;
    });
    const sshPort = readValue(get, _constants_js__WEBPACK_IMPORTED_MODULE_3__/* .Inputs */ .G0.sshPort, 22, (v) => parseInteger(v, 1, 65535));
    const hosts = [];
    const seen = new Map();
    for (const { spec, parsed, line } of specs) {
        const user = parsed.user ?? sshUser;
        if (user === undefined) {
            throw new InputError(`Missing '${_constants_js__WEBPACK_IMPORTED_MODULE_3__/* .Inputs */ .G0.sshUser}': required unless every entry of '${_constants_js__WEBPACK_IMPORTED_MODULE_3__/* .Inputs */ .G0.hosts}' has user@; expected a user name, line ${line} ${show(spec)} has none`);
        }
        const port = parsed.port ?? sshPort;
        const key = endpointKey(parsed.host, port);
        const first = seen.get(key);
        if (first !== undefined) {
            throw invalid(_constants_js__WEBPACK_IMPORTED_MODULE_3__/* .Inputs */ .G0.hosts, 'each host once', `${show(spec)} again (first on line ${first})`, `line ${line}`);
        }
        seen.set(key, line);
        hosts.push({ spec, user, host: parsed.host, port });
    }
    const privateKey = at(_constants_js__WEBPACK_IMPORTED_MODULE_3__/* .Inputs */ .G0.sshPrivateKey, undefined, '', () => parsePrivateKey(requireValue(get, _constants_js__WEBPACK_IMPORTED_MODULE_3__/* .Inputs */ .G0.sshPrivateKey, 'for ssh-rolling', KEY_FORM)));
    if (privateKey.key.trim() !== rawKey)
        log.setSecret(privateKey.key);
    if (privateKey.encrypted && !passphrase) {
        throw new InputError(`Missing '${_constants_js__WEBPACK_IMPORTED_MODULE_3__/* .Inputs */ .G0.sshPassphrase}': required because '${_constants_js__WEBPACK_IMPORTED_MODULE_3__/* .Inputs */ .G0.sshPrivateKey}' is encrypted; expected the key's passphrase`);
    }
    const insecure = readValue(get, _constants_js__WEBPACK_IMPORTED_MODULE_3__/* .Inputs */ .G0.sshInsecureSkipHostKeyCheck, false, parseBoolean);
    const knownHostsText = get(_constants_js__WEBPACK_IMPORTED_MODULE_3__/* .Inputs */ .G0.sshKnownHosts);
    const knownHosts = parseKnownHosts(knownHostsText);
    if (knownHosts.some((e) => e.kind !== 'pin' && e.marker === '@cert-authority')) {
        log.warning(`'${_constants_js__WEBPACK_IMPORTED_MODULE_3__/* .Inputs */ .G0.sshKnownHosts}': @cert-authority lines are ignored: host certificates are not supported; give each host's own key (ssh-keyscan output) or a pin`);
    }
    if (knownHosts.length === 0 && !insecure) {
        throw new InputError(`Missing '${_constants_js__WEBPACK_IMPORTED_MODULE_3__/* .Inputs */ .G0.sshKnownHosts}': required unless '${_constants_js__WEBPACK_IMPORTED_MODULE_3__/* .Inputs */ .G0.sshInsecureSkipHostKeyCheck}' is true; expected known_hosts lines (ssh-keyscan output) or pins host[:port] SHA256:<fingerprint>`);
    }
    if (insecure) {
        log.warning(`'${_constants_js__WEBPACK_IMPORTED_MODULE_3__/* .Inputs */ .G0.sshInsecureSkipHostKeyCheck}' is true: host keys are NOT verified, so anyone between the runner and the hosts can impersonate them and read the deploy. Use '${_constants_js__WEBPACK_IMPORTED_MODULE_3__/* .Inputs */ .G0.sshKnownHosts}' in production.`);
    }
    const jumpHost = readOptional(get, _constants_js__WEBPACK_IMPORTED_MODULE_3__/* .Inputs */ .G0.sshJumpHost, (v) => {
        const parsed = parseHostSpec(v);
        const user = parsed.user ?? sshUser;
        if (user === undefined)
            throw new FormError(`${HOST_FORM} with user@ (or set '${_constants_js__WEBPACK_IMPORTED_MODULE_3__/* .Inputs */ .G0.sshUser}')`);
        return { spec: v, user, host: parsed.host, port: parsed.port ?? 22 };
    });
    const imageVariable = readValue(get, _constants_js__WEBPACK_IMPORTED_MODULE_3__/* .Inputs */ .G0.imageVariable, 'IMAGE', (v) => {
        if (!VARIABLE_RE.test(v))
            throw new FormError(VARIABLE_FORM);
        return v;
    });
    const env = parseEnvLines(_constants_js__WEBPACK_IMPORTED_MODULE_3__/* .Inputs */ .G0.env, get(_constants_js__WEBPACK_IMPORTED_MODULE_3__/* .Inputs */ .G0.env), log, {
        reserved: { key: imageVariable, why: `set from '${_constants_js__WEBPACK_IMPORTED_MODULE_3__/* .Inputs */ .G0.image}' via '${_constants_js__WEBPACK_IMPORTED_MODULE_3__/* .Inputs */ .G0.imageVariable}'` },
        value: { form: _strategies_ssh_rolling_env_file_js__WEBPACK_IMPORTED_MODULE_6__/* .ENV_VALUE_FORM */ .BC, problem: _strategies_ssh_rolling_env_file_js__WEBPACK_IMPORTED_MODULE_6__/* .envValueProblem */ .kl }
    });
    const healthCheck = {
        retries: readValue(get, _constants_js__WEBPACK_IMPORTED_MODULE_3__/* .Inputs */ .G0.healthCheckRetries, 10, (v) => parseInteger(v, 1, 1000)),
        intervalMs: readValue(get, _constants_js__WEBPACK_IMPORTED_MODULE_3__/* .Inputs */ .G0.healthCheckInterval, 3000, positiveDuration),
        timeoutMs: readValue(get, _constants_js__WEBPACK_IMPORTED_MODULE_3__/* .Inputs */ .G0.healthCheckTimeout, 5000, positiveDuration),
        startPeriodMs: readValue(get, _constants_js__WEBPACK_IMPORTED_MODULE_3__/* .Inputs */ .G0.healthCheckStartPeriod, 0, parseDuration)
    };
    const url = readOptional(get, _constants_js__WEBPACK_IMPORTED_MODULE_3__/* .Inputs */ .G0.healthCheckUrl, parseHealthCheckUrl);
    if (url) {
        // A token in the query is masked too: the URL is shown with `{host}` replaced, which a whole-URL mask misses.
        for (const secret of (0,_redact_url_js__WEBPACK_IMPORTED_MODULE_4__/* .urlSecrets */ .Fn)(url))
            log.setSecret(secret);
        healthCheck.url = url;
    }
    const command = get(_constants_js__WEBPACK_IMPORTED_MODULE_3__/* .Inputs */ .G0.healthCheckCommand);
    if (command)
        healthCheck.command = command;
    const config = {
        ...common,
        strategy: 'ssh-rolling',
        hosts,
        privateKey: privateKey.key,
        knownHosts,
        insecureSkipHostKeyCheck: insecure,
        appDir: readValue(get, _constants_js__WEBPACK_IMPORTED_MODULE_3__/* .Inputs */ .G0.appDir, '/app', parseAppDir),
        composeFiles: parseComposeFiles(get(_constants_js__WEBPACK_IMPORTED_MODULE_3__/* .Inputs */ .G0.composeFile)),
        composeServices: parseComposeServices(get(_constants_js__WEBPACK_IMPORTED_MODULE_3__/* .Inputs */ .G0.composeServices)),
        env,
        imageVariable,
        healthCheck,
        updateOrder: readValue(get, _constants_js__WEBPACK_IMPORTED_MODULE_3__/* .Inputs */ .G0.updateOrder, 'auto', (v) => parseEnum(v, ['auto', 'start-first', 'stop-first'])),
        switchDelayMs: readValue(get, _constants_js__WEBPACK_IMPORTED_MODULE_3__/* .Inputs */ .G0.switchDelay, 5000, parseDuration),
        containerChecks: parseContainerChecks(get(_constants_js__WEBPACK_IMPORTED_MODULE_3__/* .Inputs */ .G0.containerCheck)),
        batchSize: readValue(get, _constants_js__WEBPACK_IMPORTED_MODULE_3__/* .Inputs */ .G0.batchSize, { kind: 'count', value: 1 }, parseBatchSize),
        rollbackScope: readValue(get, _constants_js__WEBPACK_IMPORTED_MODULE_3__/* .Inputs */ .G0.rollbackScope, 'fleet', (v) => parseEnum(v, ['fleet', 'host'])),
        backupRetention: readValue(get, _constants_js__WEBPACK_IMPORTED_MODULE_3__/* .Inputs */ .G0.backupRetention, 5, (v) => parseInteger(v, 1, Number.MAX_SAFE_INTEGER)),
        lockWaitSeconds: readValue(get, _constants_js__WEBPACK_IMPORTED_MODULE_3__/* .Inputs */ .G0.lockWaitSeconds, 0, (v) => parseInteger(v, 0, Number.MAX_SAFE_INTEGER))
    };
    if (passphrase)
        config.passphrase = passphrase;
    if (jumpHost)
        config.jumpHost = jumpHost;
    const firstBatchSize = readOptional(get, _constants_js__WEBPACK_IMPORTED_MODULE_3__/* .Inputs */ .G0.firstBatchSize, parseBatchSize);
    if (firstBatchSize)
        config.firstBatchSize = firstBatchSize;
    const pre = get(_constants_js__WEBPACK_IMPORTED_MODULE_3__/* .Inputs */ .G0.preDeployCommand);
    if (pre)
        config.preDeployCommand = pre;
    const post = get(_constants_js__WEBPACK_IMPORTED_MODULE_3__/* .Inputs */ .G0.postDeployCommand);
    if (post)
        config.postDeployCommand = post;
    return config;
}
function positiveDuration(value) {
    const ms = parseDuration(value);
    if (ms <= 0)
        throw new FormError(`${DURATION_FORM}, greater than 0`);
    return ms;
}
/**
 * Reads every input of the chosen strategy into one validated `Config`; inputs of other strategies are ignored.
 * Throws `InputError` (one line: input, position, expected form, value) on the first bad input. `parseYaml` (from
 * `yamlFor`) is needed when an input names a YAML file.
 */
function readInputs(source, env, log, parseYaml) {
    const get = (name) => source.getInput(name).trim();
    const strategyValue = get(_constants_js__WEBPACK_IMPORTED_MODULE_3__/* .Inputs */ .G0.strategy);
    const strategyForm = `one of ${_constants_js__WEBPACK_IMPORTED_MODULE_3__/* .Strategies */ .ie.join(', ')}`;
    if (!strategyValue)
        throw new InputError(`Missing '${_constants_js__WEBPACK_IMPORTED_MODULE_3__/* .Inputs */ .G0.strategy}': required; expected ${strategyForm}`);
    const strategy = at(_constants_js__WEBPACK_IMPORTED_MODULE_3__/* .Inputs */ .G0.strategy, undefined, strategyValue, () => parseEnum(strategyValue, _constants_js__WEBPACK_IMPORTED_MODULE_3__/* .Strategies */ .ie));
    const common = readCommon(get, strategy);
    switch (strategy) {
        case 'ecs-rolling':
            return { ...readEcs(get, env, log, common, parseYaml), strategy };
        case 'ecs-blue-green':
            return readBlueGreen(get, env, readEcs(get, env, log, common, parseYaml), parseYaml);
        case 'ssh-rolling':
            return readSsh(get, log, common);
        default: {
            const unknown = strategy;
            throw new InputError(`Unknown strategy ${String(unknown)}`);
        }
    }
}
// ---------------------------------------------------------------------------------------------------------------
// Summary view
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
/** The configuration as shown in the job summary: no secrets, no parsed documents, env as keys only. */
function configView(config) {
    const view = { ...config, image: config.image.ref };
    for (const key of ['privateKey', 'passphrase', 'taskDefinitionDocument', 'appspecDocument'])
        delete view[key];
    if (config.strategy === 'ssh-rolling') {
        view.env = config.env.map((p) => p.key);
        view.knownHosts = config.knownHosts.map(describeKnownHost);
        view.healthCheck = {
            ...config.healthCheck,
            ...(config.healthCheck.url ? { url: (0,_redact_url_js__WEBPACK_IMPORTED_MODULE_4__/* .redactUrl */ .BO)(config.healthCheck.url) } : {})
        };
    }
    else {
        view.environmentVariables = config.environmentVariables.map((p) => p.key);
    }
    return view;
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
/* harmony export */   Br: () => (/* binding */ renderSummary),
/* harmony export */   a3: () => (/* binding */ formatDuration),
/* harmony export */   wg: () => (/* binding */ resultOutputs)
/* harmony export */ });
/* harmony import */ var _constants_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7242);
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
function formatDuration(ms) {
    if (ms < 1000)
        return `${Math.round(ms)} ms`;
    const s = ms / 1000;
    if (s < 60)
        return `${s.toFixed(1)} s`;
    return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}
function cell(text) {
    return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}
/** The job summary: headline, per-target table, links, sections, and the configuration minus secrets. */
function renderSummary(strategy, result, configView) {
    const lines = [`## ${HEADLINE[result.status]} — ${strategy}`, '', cell(result.message), ''];
    if (result.targets.length > 0) {
        lines.push('| Target | Before → after | Result | Duration |', '| --- | --- | --- | --- |');
        for (const t of result.targets) {
            const versions = `${t.before ?? '—'} → ${t.after ?? '—'}`;
            const outcome = `${ICON[t.outcome]} ${t.outcome}${t.state ? ` (${t.state})` : ''}${t.error ? `: ${t.error}` : ''}`;
            lines.push(`| ${cell(t.name)} | ${cell(versions)} | ${cell(outcome)} | ${formatDuration(t.durationMs)} |`);
        }
        lines.push('');
    }
    for (const link of result.links ?? [])
        lines.push(`- [${link.title}](${link.url})`);
    if (result.links?.length)
        lines.push('');
    for (const section of result.sections ?? [])
        lines.push(`### ${section.title}`, '', section.body, '');
    if (configView) {
        lines.push('<details><summary>Configuration</summary>', '', '```json', JSON.stringify(configView, null, 2), '```', '', '</details>', '');
    }
    return lines.join('\n');
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

/***/ 8622:
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

/***/ 8594:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   W: () => (/* binding */ createStrategy)
/* harmony export */ });
async function createStrategy(config, deps) {
    switch (config.strategy) {
        case 'ssh-rolling': {
            const { createSshRolling } = await Promise.all(/* import() */[__webpack_require__.e(472), __webpack_require__.e(276)]).then(__webpack_require__.bind(__webpack_require__, 1276));
            return createSshRolling(config, deps);
        }
        case 'ecs-blue-green': {
            const { createEcsBlueGreen } = await Promise.all(/* import() */[__webpack_require__.e(212), __webpack_require__.e(507), __webpack_require__.e(598), __webpack_require__.e(717)]).then(__webpack_require__.bind(__webpack_require__, 7717));
            return createEcsBlueGreen(config, deps);
        }
        case 'ecs-rolling': {
            const { createEcsRolling } = await Promise.all(/* import() */[__webpack_require__.e(212), __webpack_require__.e(598), __webpack_require__.e(855)]).then(__webpack_require__.bind(__webpack_require__, 7855));
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
