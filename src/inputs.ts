/**
 * The only module that reads inputs: raw strings in, one typed and validated `Config` out.
 * It reads local files (task definition, AppSpec) and never contacts anything remote.
 */
import { Buffer } from 'node:buffer'
import fs from 'node:fs'
import path from 'node:path'
import type {
  BatchSize,
  CommonConfig,
  Config,
  EcsBlueGreenConfig,
  EcsCommonConfig,
  EnvPair,
  HealthCheckConfig,
  HostTarget,
  ImageRef,
  KnownHostEntry,
  OnActiveDeployment,
  SshRollingConfig,
  UpdateOrder,
  WaitUntil
} from './config.js'
import { Inputs, Strategies, type InputName, type StrategyName } from './constants.js'
import type { InputSource } from './deps.js'
import { ENV_VALUE_FORM, envValueProblem } from './strategies/ssh-rolling/env-file.js'
import type { Logger } from './types.js'
import { errorMessage } from './error-message.js'
import { redactUrl, URL_PASSWORD_RE, urlSecrets } from './redact-url.js'

/** One bad input: a one-line message naming it and the expected form, and the line of a multi-line input it is on. */
export interface InputProblem {
  input: InputName
  message: string
  line?: number
}

/** Bad inputs, every one found in one pass: each problem names its input, the position and the expected form. */
export class InputError extends Error {
  readonly problems: readonly InputProblem[]
  constructor(problems: readonly InputProblem[]) {
    super(problems.map((p) => p.message).join('; '))
    this.name = 'InputError'
    this.problems = problems
  }
}

function problem(input: InputName, message: string, line?: number): InputError {
  return new InputError([{ input, message, ...(line === undefined ? {} : { line }) }])
}

function missing(input: InputName, text: string): InputError {
  return problem(input, `Missing '${input}': ${text}`)
}

/** A value that does not have the expected form; `at()` turns it into an `InputError` naming the input. */
class FormError extends Error {
  constructor(
    readonly expected: string,
    readonly got?: string
  ) {
    super(expected)
  }
}

/** A user value inside an error message: quoted, on one line, cut when long. */
function show(value: string, max = 100): string {
  const escapes: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' }
  let oneLine = ''
  for (const c of value) {
    const code = c.charCodeAt(0)
    const control = code < 0x20 || code === 0x7f || code === 0x85 || code === 0x2028 || code === 0x2029
    oneLine += control ? (escapes[c] ?? `\\u${code.toString(16).padStart(4, '0')}`) : c
  }
  return `'${oneLine.length > max ? `${oneLine.slice(0, max)}…` : oneLine}'`
}

function invalid(name: InputName, expected: string, got: string, line?: number): InputError {
  return problem(name, `Invalid '${name}'${line ? ` line ${line}` : ''}: expected ${expected}, got ${got}`, line)
}

/** Runs a parser on one value; its `FormError` becomes an `InputError` naming the input, the line and the value. */
function at<T>(name: InputName, line: number | undefined, value: string, parse: () => T): T {
  try {
    return parse()
  } catch (error) {
    if (error instanceof FormError) throw invalid(name, error.expected, error.got ?? show(value), line)
    throw error
  }
}

/**
 * Collects the problems of every input so that one run reports them all. A reader that depends on another input
 * asks `failed()` first and stays quiet when that input is bad: one mistake, one message.
 */
class Problems {
  readonly found: InputProblem[] = []
  private readonly bad = new Set<InputName>()

  add(error: InputError): void {
    for (const p of error.problems) {
      this.found.push(p)
      this.bad.add(p.input)
    }
  }

  /** Runs `read`; its `InputError` is recorded and `undefined` returned, so reading goes on. */
  check<T>(read: () => T): T | undefined {
    try {
      return read()
    } catch (error) {
      if (!(error instanceof InputError)) throw error
      this.add(error)
      return undefined
    }
  }

  failed(...names: InputName[]): boolean {
    return names.some((name) => this.bad.has(name))
  }
}

/** Non-blank, non-comment lines with their 1-based line numbers. */
function contentLines(text: string): { line: string; number: number }[] {
  return text
    .split(/\r?\n/)
    .map((raw, i) => ({ line: raw.trim(), number: i + 1 }))
    .filter(({ line }) => line !== '' && !line.startsWith('#'))
}

// ---------------------------------------------------------------------------------------------------------------
// Scalar forms

const BOOLEAN_FORM = 'true or false'
const TRUE_VALUES = ['true', 'True', 'TRUE']
const FALSE_VALUES = ['false', 'False', 'FALSE']

function parseBoolean(value: string): boolean {
  // The YAML 1.2 core schema, like @actions/core getBooleanInput.
  if (TRUE_VALUES.includes(value)) return true
  if (FALSE_VALUES.includes(value)) return false
  throw new FormError(BOOLEAN_FORM)
}

function parseInteger(value: string, min: number, max: number): number {
  const expected =
    max === Number.MAX_SAFE_INTEGER ? `an integer of at least ${min}` : `an integer from ${min} to ${max}`
  if (!/^[0-9]+$/.test(value)) throw new FormError(expected)
  const n = Number(value)
  if (!Number.isSafeInteger(n) || n < min || n > max) throw new FormError(expected)
  return n
}

const DURATION_FORM = 'a duration like 500ms, 3s, 2m, 1m30s or a number of seconds'
const DURATION_RE =
  /^(?:(?<h>\d+(?:\.\d+)?)h)?(?:(?<m>\d+(?:\.\d+)?)m)?(?:(?<s>\d+(?:\.\d+)?)s)?(?:(?<ms>\d+(?:\.\d+)?)ms)?$/
const MAX_DURATION_MS = 24 * 60 * 60 * 1000

/** `500ms`, `3s`, `2m`, `1m30s`, `1h`, or a bare number of seconds → milliseconds. */
function parseDuration(value: string): number {
  let ms: number
  if (/^\d+(?:\.\d+)?$/.test(value)) {
    ms = Number(value) * 1000
  } else {
    const g = value ? DURATION_RE.exec(value)?.groups : undefined
    if (!g) throw new FormError(DURATION_FORM)
    ms = Number(g.h ?? 0) * 3_600_000 + Number(g.m ?? 0) * 60_000 + Number(g.s ?? 0) * 1000 + Number(g.ms ?? 0)
  }
  ms = Math.round(ms)
  if (ms > MAX_DURATION_MS) throw new FormError(`${DURATION_FORM}, at most 24h`)
  return ms
}

const BATCH_FORM = 'a number of hosts (1 or more) or a percentage from 1% to 100%'

function parseBatchSize(value: string): BatchSize {
  const m = /^([0-9]+)(%?)$/.exec(value)
  const n = m ? Number(m[1]) : NaN
  if (!m || !Number.isSafeInteger(n) || n < 1 || (m[2] === '%' && n > 100)) throw new FormError(BATCH_FORM)
  return m[2] === '%' ? { kind: 'percent', value: n } : { kind: 'count', value: n }
}

function parseEnum<T extends string>(value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) throw new FormError(`one of ${allowed.join(', ')}`)
  return value as T
}

// ---------------------------------------------------------------------------------------------------------------
// Image

const IMAGE_FORM =
  'an image reference [registry[:port]/]name[:tag][@sha256:<64 hex>] (lowercase name, no spaces or shell characters)'
const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*'
const IMAGE_RE = new RegExp(
  '^(?:(?<registry>(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\\.(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?))*' +
    '(?::[0-9]{1,5})?|\\[[0-9a-fA-F:]+\\](?::[0-9]{1,5})?)\\/)?' +
    `(?<name>${PATH_COMPONENT}(?:\\/${PATH_COMPONENT})*)` +
    '(?::(?<tag>[\\w][\\w.-]{0,127}))?(?:@(?<digest>sha256:[0-9a-f]{64}))?$'
)

/** Parses and validates an OCI image reference; throws `InputError` naming `image`. */
export function parseImage(value: string): ImageRef {
  const fail = (): InputError => invalid(Inputs.image, IMAGE_FORM, show(value))
  const g = IMAGE_RE.exec(value)?.groups
  if (!g?.name || value.length > 512) throw fail()
  let registry = g.registry
  let name = g.name
  // `library/nginx` has no registry: a first component is a registry only with a dot, a port, `localhost` or `[v6]`.
  if (registry && !/[.:]|^localhost$|^\[/.test(registry)) {
    if (!new RegExp(`^${PATH_COMPONENT}$`).test(registry)) throw fail()
    name = `${registry}/${name}`
    registry = undefined
  }
  const port = registry ? /:([0-9]+)$/.exec(registry)?.[1] : undefined
  if (port && (Number(port) < 1 || Number(port) > 65535)) throw fail()
  if (registry?.startsWith('[') && !isIPv6(registry.slice(1, registry.indexOf(']')))) throw fail()
  const ref: ImageRef = { ref: value, name }
  if (registry) ref.registry = registry
  if (g.tag) ref.tag = g.tag
  if (g.digest) ref.digest = g.digest
  return ref
}

// ---------------------------------------------------------------------------------------------------------------
// Hosts

const HOST_FORM = '[user@]host[:port]'
const USER_RE = /^[a-z_][a-z0-9_.-]*$/i
const LABEL_RE = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i

/** An RFC 1123 host name or a dotted-quad IPv4 address. */
function isHostName(host: string): boolean {
  if (host.length > 253) return false
  const labels = host.split('.')
  if (!labels.every((l) => LABEL_RE.test(l))) return false
  // An all-numeric last label is an IPv4 address or a typo of one, never a host name.
  if (/^[0-9]+$/.test(labels[labels.length - 1] ?? '')) return isIPv4(host)
  return true
}

/** An IPv6 address as the WHATWG URL parser accepts it inside brackets (no zone id). */
function isIPv6(host: string): boolean {
  if (!/^[0-9a-fA-F:.]+$/.test(host) || !host.includes(':')) return false
  try {
    new URL(`http://[${host}]/`)
    return true
  } catch {
    return false
  }
}

function isIPv4(host: string): boolean {
  const parts = host.split('.')
  return parts.length === 4 && parts.every((p) => /^(?:0|[1-9][0-9]{0,2})$/.test(p) && Number(p) <= 255)
}

function parsePort(text: string): number {
  const n = /^[0-9]{1,5}$/.test(text) ? Number(text) : NaN
  if (!(n >= 1 && n <= 65535)) throw new FormError(`${HOST_FORM} with a port from 1 to 65535`)
  return n
}

interface HostSpec {
  user?: string
  host: string
  port?: number
}

/** `[user@]host[:port]`, IPv6 as `[addr]` or `[addr]:port`. */
function parseHostSpec(spec: string): HostSpec {
  const atIndex = spec.lastIndexOf('@')
  const user = atIndex >= 0 ? spec.slice(0, atIndex) : undefined
  const rest = atIndex >= 0 ? spec.slice(atIndex + 1) : spec
  if (user !== undefined && !USER_RE.test(user)) {
    throw new FormError(`${HOST_FORM} with a user name matching [a-z_][a-z0-9_.-]*`)
  }
  let host: string
  let port: number | undefined
  const v6 = /^\[([^\]]*)\](?::(.*))?$/.exec(rest)
  if (v6) {
    host = v6[1] ?? ''
    if (!isIPv6(host)) throw new FormError(`${HOST_FORM} with a valid IPv6 address in brackets ([2001:db8::1]:22)`)
    if (v6[2] !== undefined) port = parsePort(v6[2])
  } else {
    const colons = rest.split(':').length - 1
    if (colons > 1) throw new FormError(`${HOST_FORM} with IPv6 addresses in brackets ([2001:db8::1]:22)`)
    const [name = '', portText] = rest.split(':')
    if (!isHostName(name)) {
      throw new FormError(`${HOST_FORM} with an RFC 1123 host name, an IPv4 address or an [IPv6] address`)
    }
    host = name
    if (portText !== undefined) port = parsePort(portText)
  }
  const parsed: HostSpec = { host }
  if (user !== undefined) parsed.user = user
  if (port !== undefined) parsed.port = port
  return parsed
}

/** A key that identifies one SSH endpoint: case-insensitive names, canonical IPv6. */
function endpointKey(host: string, port: number): string {
  const canonical = isIPv6(host) ? new URL(`http://[${host}]/`).hostname : host.toLowerCase()
  return `${canonical}#${port}`
}

// ---------------------------------------------------------------------------------------------------------------
// known_hosts

const KNOWN_HOSTS_FORM =
  'a known_hosts line (host[,host…] key-type base64-key), a hashed line (|1|salt|hash key-type base64-key) or a pin (host[:port] SHA256:<43 base64 chars>)'
const PIN_FORM = 'a pin host[:port] SHA256:<43 base64 chars>'
const MARKERS = ['@cert-authority', '@revoked']

/** Strict base64: canonical padding, nothing else; undefined when invalid. */
function decodeBase64(text: string): Buffer | undefined {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text) || text.length % 4 !== 0) return undefined
  const bytes = Buffer.from(text, 'base64')
  return bytes.toString('base64') === text ? bytes : undefined
}

/** An SSH wire-format string (uint32 length + bytes) at `offset`; undefined when truncated. */
function readSshString(bytes: Buffer, offset: number): { value: Buffer; end: number } | undefined {
  if (bytes.length < offset + 4) return undefined
  const length = bytes.readUInt32BE(offset)
  const end = offset + 4 + length
  if (end > bytes.length) return undefined
  return { value: bytes.subarray(offset + 4, end), end }
}

function parseKeyBlob(keyType: string, keyBase64: string | undefined): void {
  if (!/^[a-z0-9][a-z0-9@.-]*$/i.test(keyType))
    throw new FormError('a key type like ssh-ed25519 after the host patterns')
  if (keyBase64 === undefined) throw new FormError(`host[,host…] ${keyType} <base64 key>, the key is missing`)
  const blob = decodeBase64(keyBase64)
  if (!blob) throw new FormError(`the key after ${keyType} as valid base64`)
  const embedded = readSshString(blob, 0)
  if (!embedded || embedded.end >= blob.length) throw new FormError(`a complete ${keyType} key blob`)
  const embeddedType = embedded.value.toString('latin1')
  if (embeddedType !== keyType) {
    throw new FormError(`a key whose embedded type matches '${keyType}' (the key is ${show(embeddedType, 40)})`)
  }
}

/** `host`, `host:port`, `[host]:port` or `[v6]` of a pin. */
function parsePinHost(text: string): { host: string; port?: number } {
  const bracketed = /^\[([^\]]+)\](?::([0-9]+))?$/.exec(text)
  let host: string
  let portText: string | undefined
  if (bracketed) {
    host = bracketed[1] ?? ''
    portText = bracketed[2]
  } else {
    const colons = text.split(':').length - 1
    if (colons > 1) throw new FormError(`${PIN_FORM} with IPv6 addresses in brackets`)
    ;[host = '', portText] = text.split(':')
  }
  if (!isHostName(host) && !isIPv6(host)) throw new FormError(`${PIN_FORM} with a valid host`)
  const pin: { host: string; port?: number } = { host }
  if (portText !== undefined) {
    const port = /^[0-9]{1,5}$/.test(portText) ? Number(portText) : NaN
    if (!(port >= 1 && port <= 65535)) throw new FormError(`${PIN_FORM} with a port from 1 to 65535`)
    pin.port = port
  }
  return pin
}

const PATTERN_RE = /^(?:\[[A-Za-z0-9.:%*?_-]+\]:[0-9]{1,5}|[A-Za-z0-9.:%*?_-]+)$/

function parseKnownHostsLine(line: string): KnownHostEntry {
  const fields = line.split(/\s+/)
  let marker: string | undefined
  if (fields[0]?.startsWith('@')) {
    marker = fields.shift()
    if (!MARKERS.includes(marker ?? '')) throw new FormError(`a marker ${MARKERS.join(' or ')} or none`)
  }
  const [hosts = '', second, third] = fields
  if (second === undefined) throw new FormError(KNOWN_HOSTS_FORM)

  if (second.startsWith('SHA256:')) {
    if (marker || fields.length > 2) throw new FormError(PIN_FORM)
    const digest = /^SHA256:([A-Za-z0-9+/]{43})=?$/.exec(second)?.[1]
    if (!digest || decodeBase64(`${digest}=`)?.length !== 32) {
      throw new FormError(`${PIN_FORM} (a SHA256 fingerprint as ssh-keygen -lf prints it)`)
    }
    return { kind: 'pin', ...parsePinHost(hosts), fingerprint: `SHA256:${digest}` }
  }

  parseKeyBlob(second, third)
  const keyType = second
  const keyBase64 = third ?? ''
  const withMarker = <E extends KnownHostEntry>(entry: E): E => (marker ? { ...entry, marker } : entry)

  if (hosts.startsWith('|')) {
    const m = /^\|1\|([^|]+)\|([^|]+)$/.exec(hosts)
    const salt = m?.[1] ? decodeBase64(m[1]) : undefined
    const hash = m?.[2] ? decodeBase64(m[2]) : undefined
    if (salt?.length !== 20 || hash?.length !== 20) {
      throw new FormError('a hashed host |1|<base64 20-byte salt>|<base64 20-byte hash>')
    }
    return withMarker({ kind: 'hashed', salt, hash, keyType, keyBase64 })
  }

  const patterns: string[] = []
  const negated: string[] = []
  for (const pattern of hosts.split(',')) {
    const bare = pattern.startsWith('!') ? pattern.slice(1) : pattern
    if (!PATTERN_RE.test(bare)) {
      throw new FormError('host patterns like host1,[host2]:2222,*.example.com,!bad.example.com (no empty pattern)')
    }
    ;(pattern.startsWith('!') ? negated : patterns).push(bare)
  }
  if (patterns.length === 0) throw new FormError('at least one host pattern that is not negated')
  return withMarker({ kind: 'plain', patterns, negated, keyType, keyBase64 })
}

/** Parses `ssh-known-hosts`: plain, hashed and `@marker` known_hosts lines, and `SHA256:` pins; each bad line is a problem. */
function parseKnownHosts(problems: Problems, text: string): KnownHostEntry[] {
  const entries: KnownHostEntry[] = []
  for (const { line, number } of contentLines(text)) {
    const entry = problems.check(() => at(Inputs.sshKnownHosts, number, line, () => parseKnownHostsLine(line)))
    if (entry) entries.push(entry)
  }
  return entries
}

// ---------------------------------------------------------------------------------------------------------------
// Secrets

const SECRET_KEY_RE = /(SECRET|PASSWORD|PASSWD|TOKEN|KEY|CREDENTIAL|PRIVATE|AUTH)/i
// Values too common to mask: masking `true` or `1` would blank them in every later log line.
const NOT_SECRET_VALUES = /^(?:true|false|yes|no|on|off|[0-9])$/i

/** Masks the secret parts of a value: all of it under a secret-looking key, and any password inside a URL. */
function maskValue(key: string, value: string, log: Logger): void {
  if (SECRET_KEY_RE.test(key) && value !== '' && !NOT_SECRET_VALUES.test(value)) log.setSecret(value)
  for (const m of value.matchAll(URL_PASSWORD_RE)) {
    const password = m[1] ?? ''
    log.setSecret(password)
    try {
      const decoded = decodeURIComponent(password)
      if (decoded !== password) log.setSecret(decoded)
    } catch {
      // Not percent-encoded: the raw form is already masked.
    }
  }
}

const KEY_FORM = 'a PEM or OpenSSH private key block (-----BEGIN ... PRIVATE KEY----- … -----END ... PRIVATE KEY-----)'

/** Checks the private key block; errors describe the value without ever echoing it. */
function parsePrivateKey(raw: string): { key: string; encrypted: boolean } {
  const text = raw.replace(/\r\n?/g, '\n').trim()
  const got = (what: string): FormError => new FormError(KEY_FORM, what)
  if (/^(?:ssh-|ecdsa-|sk-)\S+ AAAA/.test(text) || text.includes('PUBLIC KEY-----')) {
    throw got('a public key; give the private key')
  }
  if (text.startsWith('PuTTY-User-Key-File')) throw got('a PuTTY key; convert it with puttygen -O private-openssh')
  const lines = text.split('\n').map((l) => l.trim())
  const begin = /^-----BEGIN ((?:[A-Z0-9]+ )*)PRIVATE KEY-----$/.exec(lines[0] ?? '')
  const end = /^-----END ((?:[A-Z0-9]+ )*)PRIVATE KEY-----$/.exec(lines[lines.length - 1] ?? '')
  if (!begin || !end || lines.length < 3) {
    throw got(`a value of ${raw.length} characters without BEGIN/END PRIVATE KEY lines on their own lines`)
  }
  if (begin[1] !== end[1]) throw got('a key block whose BEGIN and END lines name different key types')
  const inner = lines.slice(1, -1)
  const headers = inner.filter((l) => /^[A-Za-z-]+: /.test(l))
  const body = inner.filter((l) => l !== '' && !/^[A-Za-z-]+: /.test(l)).join('')
  if (!body || !/^[A-Za-z0-9+/]+={0,2}$/.test(body)) throw got('a key block whose body is not base64')
  let encrypted = begin[1] === 'ENCRYPTED ' || headers.some((h) => /^Proc-Type:.*ENCRYPTED/i.test(h))
  if (begin[1] === 'OPENSSH ') {
    const bytes = Buffer.from(body, 'base64')
    const magic = 'openssh-key-v1\0'
    const cipher = bytes.subarray(0, magic.length).toString('latin1') === magic && readSshString(bytes, magic.length)
    if (!cipher) throw got('an OpenSSH key block that is not an openssh-key-v1 key')
    encrypted = cipher.value.toString('latin1') !== 'none'
  }
  return { key: `${lines.join('\n')}\n`, encrypted }
}

// ---------------------------------------------------------------------------------------------------------------
// Lists: env lines, files, services

const VARIABLE_RE = /^[A-Za-z_][A-Za-z0-9_]*$/
const VARIABLE_FORM = 'a variable name ([A-Za-z_][A-Za-z0-9_]*)'

/** What one list of `KEY=value` lines allows beyond variable names, each key once. */
interface EnvRules {
  /** A key set by the action itself. */
  reserved?: { key: string; why: string }
  /** Values the destination can hold: `problem` says why not (`a value with …`), never showing the value. */
  value?: { form: string; problem(value: string): string | undefined }
}

/**
 * `KEY=value` lines (value may contain `=`); values under secret-looking keys are masked before anything else.
 * Each bad line is a problem of its own.
 */
function parseEnvLines(
  problems: Problems,
  name: InputName,
  text: string,
  log: Logger,
  rules: EnvRules = {}
): EnvPair[] {
  const { reserved } = rules
  const pairs: EnvPair[] = []
  const firstLine = new Map<string, number>()
  const parseLine = (line: string, number: number): EnvPair => {
    const eq = line.indexOf('=')
    // The line may hold a secret: describe it rather than echo it.
    if (eq < 0) throw invalid(name, 'KEY=value', `a line of ${line.length} characters without '='`, number)
    const key = line.slice(0, eq)
    const value = line.slice(eq + 1)
    maskValue(key, value, log)
    if (!VARIABLE_RE.test(key)) {
      const got = /^[\w.-]{1,64}$/.test(key) ? `key ${show(key)}` : 'a key that is not a variable name'
      throw invalid(name, `KEY=value with KEY ${VARIABLE_FORM}`, got, number)
    }
    const why = rules.value?.problem(value)
    if (rules.value && why)
      throw invalid(name, `KEY=value with ${rules.value.form}`, `a value under ${show(key)} with ${why}`, number)
    if (key === reserved?.key) throw invalid(name, `keys other than ${show(key)} (${reserved.why})`, show(key), number)
    const first = firstLine.get(key)
    if (first !== undefined) throw invalid(name, `each key once`, `${show(key)} again (first on line ${first})`, number)
    firstLine.set(key, number)
    return { key, value }
  }
  for (const { line, number } of contentLines(text)) {
    const pair = problems.check(() => parseLine(line, number))
    if (pair) pairs.push(pair)
  }
  return pairs
}

const SAFE_PATH_RE = /^[A-Za-z0-9._/-]+$/

function hasDotDot(p: string): boolean {
  return p.split('/').includes('..')
}

function parseAppDir(value: string): string {
  const expected = `an absolute directory path other than / (characters A-Z a-z 0-9 . _ - /, no '..')`
  if (!value.startsWith('/') || !SAFE_PATH_RE.test(value) || hasDotDot(value)) throw new FormError(expected)
  const normalized = path.posix.normalize(value).replace(/\/+$/, '')
  if (normalized === '') throw new FormError(expected)
  return normalized
}

function parseComposeFiles(problems: Problems, text: string): string[] {
  const files: string[] = []
  for (const [i, line] of text.split(/\r?\n/).entries()) {
    for (const item of line.split(',')) {
      const file = item.trim()
      if (!file) continue
      const ok = problems.check(() =>
        at(Inputs.composeFile, i + 1, file, () => {
          if (file.startsWith('/') || !SAFE_PATH_RE.test(file) || hasDotDot(file)) {
            throw new FormError(`file names relative to '${Inputs.appDir}' (characters A-Z a-z 0-9 . _ - /, no '..')`)
          }
          return true
        })
      )
      if (ok) files.push(file)
    }
  }
  return files
}

const SERVICE_RE = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/

function parseComposeServices(problems: Problems, text: string): string[] {
  const services: string[] = []
  for (const [i, line] of text.split(/\r?\n/).entries()) {
    for (const service of line.split(/[\s,]+/).filter(Boolean)) {
      if (!SERVICE_RE.test(service)) {
        problems.add(
          invalid(
            Inputs.composeServices,
            'Compose service names ([a-zA-Z0-9][a-zA-Z0-9_.-]*) separated by commas, spaces or newlines',
            show(service),
            i + 1
          )
        )
      } else if (!services.includes(service)) services.push(service)
    }
  }
  return services
}

const CONTAINER_CHECK_RE = /^([a-zA-Z0-9][a-zA-Z0-9_.-]*)\s*=\s*(\d{1,5})(\/[A-Za-z0-9._~/?=&%+-]*)?$/

/** `service=port/path` lines: the HTTP GET each new start-first container must answer with 2xx. */
function parseContainerChecks(problems: Problems, text: string): Record<string, string> {
  const checks: Record<string, string> = {}
  for (const { line, number } of contentLines(text)) {
    const m = CONTAINER_CHECK_RE.exec(line)
    const port = Number(m?.[2])
    if (!m || port < 1 || port > 65535) {
      problems.add(
        invalid(
          Inputs.containerCheck,
          'lines service=port/path (e.g. web=8080/healthz): an HTTP GET each new container must answer with 2xx',
          show(line),
          number
        )
      )
    } else checks[m[1] as string] = `${port}${m[3] ?? '/'}`
  }
  return checks
}

function parseHealthCheckUrl(value: string): string {
  const expected = 'an http:// or https:// URL (it may contain {host})'
  let url: URL
  try {
    url = new URL(value.replaceAll('{host}', 'host.invalid'))
  } catch {
    throw new FormError(expected)
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || /\s/.test(value)) throw new FormError(expected)
  return value
}

// ---------------------------------------------------------------------------------------------------------------
// Files

const FILE_FORM = 'a readable JSON or YAML file'

function resolvePath(file: string, env: NodeJS.ProcessEnv): string {
  return path.resolve(env.GITHUB_WORKSPACE || process.cwd(), file)
}

/** Parses YAML text: the `yaml` library, loaded only when a file input is YAML (it is 300 KB of code). */
export type YamlParse = (text: string) => unknown

const isJsonFile = (file: string): boolean => /\.json$/i.test(file)

/**
 * The YAML parser when an input names a YAML file (a task definition or AppSpec not called *.json), loaded then
 * and only then; `readInputs` needs it for such files.
 */
export async function yamlFor(source: InputSource): Promise<YamlParse | undefined> {
  const files = [Inputs.taskDefinition, Inputs.codedeployAppspec].map((n) => source.getInput(n).trim())
  if (!files.some((f) => f && !isJsonFile(f))) return undefined
  const { parse } = await import('yaml')
  return (text) => parse(text) as unknown
}

/** Reads and parses a JSON or YAML file into an object (mapping). */
function readDocument(
  name: InputName,
  file: string,
  env: NodeJS.ProcessEnv,
  parseYaml: YamlParse | undefined
): Record<string, unknown> {
  const resolved = resolvePath(file, env)
  let text: string
  try {
    text = fs.readFileSync(resolved, 'utf8').replace(/^\uFEFF/, '')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    const reason =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'a directory'
          : code === 'EACCES'
            ? 'no read permission'
            : (code ?? 'unreadable')
    throw invalid(name, FILE_FORM, `${show(file)} (${resolved}: ${reason})`)
  }
  let doc: unknown
  try {
    if (isJsonFile(resolved)) doc = JSON.parse(text)
    else if (parseYaml) doc = parseYaml(text)
    else throw new Error(`${name}: the YAML parser was not loaded (yamlFor)`)
  } catch (error) {
    const first = errorMessage(error).split('\n')[0]?.replace(/:$/, '')
    throw invalid(name, FILE_FORM, `${show(file)} that does not parse (${first})`)
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    throw invalid(
      name,
      `${FILE_FORM} holding an object`,
      `${show(file)} holding ${Array.isArray(doc) ? 'a list' : typeof doc === 'object' ? 'nothing' : `a ${typeof doc}`}`
    )
  }
  return doc as Record<string, unknown>
}

// ---------------------------------------------------------------------------------------------------------------
// Strategies

/** Reads raw inputs and records what is wrong with them; a bad input reads as its default so reading goes on. */
class InputReader {
  readonly problems = new Problems()
  constructor(private readonly source: InputSource) {}

  get(name: InputName): string {
    return this.source.getInput(name).trim()
  }

  /** The parsed value, the fallback when unset or bad (a bad value is recorded). */
  value<T>(name: InputName, fallback: T, parse: (value: string) => T): T {
    return this.optional(name, parse) ?? fallback
  }

  optional<T>(name: InputName, parse: (value: string) => T): T | undefined {
    const value = this.get(name)
    return value === '' ? undefined : this.problems.check(() => at(name, undefined, value, () => parse(value)))
  }

  /** The raw value; undefined (and recorded as missing) when unset. */
  required(name: InputName, why: string, expected: string): string | undefined {
    const value = this.get(name)
    if (value === '') this.problems.add(missing(name, `required ${why}; expected ${expected}`))
    return value || undefined
  }

  check<T>(read: () => T): T | undefined {
    return this.problems.check(read)
  }

  failed(...names: InputName[]): boolean {
    return this.problems.failed(...names)
  }
}

/** Stands in for a missing or bad image while the other inputs are read; a config holding it is never returned. */
const PLACEHOLDER_IMAGE: ImageRef = { ref: '', name: '' }

function readCommon(r: InputReader): Omit<CommonConfig, 'strategy'> {
  const imageValue = r.required(Inputs.image, 'for every strategy', IMAGE_FORM)
  const image = imageValue === undefined ? undefined : r.check(() => parseImage(imageValue))
  return {
    image: image ?? PLACEHOLDER_IMAGE,
    timeoutMinutes: r.value(Inputs.timeoutMinutes, 30, (v) => {
      const n = /^[0-9]+(?:\.[0-9]+)?$/.test(v) ? Number(v) : NaN
      if (!(n > 0 && n <= 1440)) throw new FormError('a number of minutes greater than 0 and at most 1440')
      return n
    }),
    dryRun: r.value(Inputs.dryRun, false, parseBoolean),
    rollbackOnFailure: r.value(Inputs.rollbackOnFailure, true, parseBoolean)
  }
}

const REGION_RE = /^[a-z]{2,4}(?:-[a-z]+)+-[0-9]{1,2}$/
const ECS_NAME_FORM = 'a name of letters, digits, _ and - (up to 255) or an ARN'
const ECS_NAME_RE = /^[A-Za-z0-9_-]{1,255}$/
const ECS_ARN_RE = /^arn:aws[a-z-]*:ecs:[a-z0-9-]+:[0-9]{12}:(?:cluster|service)\/[A-Za-z0-9_/-]{1,512}$/
const CODEDEPLOY_NAME_RE = /^[A-Za-z0-9_.+=,@-]{1,100}$/
const CODEDEPLOY_NAME_FORM = 'a CodeDeploy name of letters, digits and _.+=,@- (up to 100)'

function parseEcsName(value: string): string {
  if (!ECS_NAME_RE.test(value) && !ECS_ARN_RE.test(value)) throw new FormError(ECS_NAME_FORM)
  return value
}

/** The last segment of an ARN, or the name itself. */
function shortName(nameOrArn: string): string {
  return nameOrArn.startsWith('arn:') ? (nameOrArn.split('/').pop() ?? nameOrArn) : nameOrArn
}

function readRegion(r: InputReader, env: NodeJS.ProcessEnv, why: string): string {
  const regionInput = r.get(Inputs.awsRegion)
  const region = regionInput || env.AWS_REGION?.trim() || env.AWS_DEFAULT_REGION?.trim() || ''
  return (
    r.check(() => {
      if (!region) {
        throw missing(Inputs.awsRegion, `required ${why} (or set AWS_REGION); expected a region like us-east-1`)
      }
      if (!REGION_RE.test(region)) {
        const source = regionInput ? '' : env.AWS_REGION?.trim() ? ' (from AWS_REGION)' : ' (from AWS_DEFAULT_REGION)'
        throw invalid(Inputs.awsRegion, 'a region like us-east-1', `${show(region)}${source}`)
      }
      return region
    }) ?? ''
  )
}

/** The container names of a task definition document; undefined when it has none to check against. */
function containerNames(doc: Record<string, unknown> | undefined): string[] | undefined {
  return (doc?.containerDefinitions as unknown[] | undefined)
    ?.map((c) => (c as { name?: unknown } | null)?.name)
    .filter((n): n is string => typeof n === 'string')
}

function readTaskDefinition(
  file: string,
  env: NodeJS.ProcessEnv,
  parseYaml: YamlParse | undefined
): Record<string, unknown> {
  const doc = readDocument(Inputs.taskDefinition, file, env, parseYaml)
  if (!Array.isArray(doc.containerDefinitions)) {
    const hint =
      'taskDefinition' in doc ? '; the file looks like describe-task-definition output, use its .taskDefinition' : ''
    throw invalid(
      Inputs.taskDefinition,
      "a task definition object with a 'containerDefinitions' array",
      `${show(file)} without one${hint}`
    )
  }
  return doc
}

function readEcs(
  r: InputReader,
  env: NodeJS.ProcessEnv,
  log: Logger,
  common: CommonConfig,
  parseYaml: YamlParse | undefined
): EcsCommonConfig {
  const why = `for ${common.strategy}`
  const region = readRegion(r, env, why)
  const cluster = r.value(Inputs.cluster, 'default', parseEcsName)
  const serviceValue = r.required(Inputs.service, why, 'the ECS service name')
  const service =
    serviceValue === undefined
      ? ''
      : (r.check(() => at(Inputs.service, undefined, serviceValue, () => parseEcsName(serviceValue))) ?? '')
  const config: EcsCommonConfig = {
    ...common,
    region,
    cluster,
    service,
    environmentVariables: parseEnvLines(
      r.problems,
      Inputs.environmentVariables,
      r.get(Inputs.environmentVariables),
      log
    )
  }
  const taskDefinitionPath = r.get(Inputs.taskDefinition)
  if (taskDefinitionPath) {
    const doc = r.check(() => readTaskDefinition(taskDefinitionPath, env, parseYaml))
    config.taskDefinitionPath = taskDefinitionPath
    if (doc) config.taskDefinitionDocument = doc
  }
  const containerName = r.get(Inputs.containerName)
  if (containerName) {
    // Checked against the task definition only when that file could be read.
    const containers = containerNames(config.taskDefinitionDocument)
    if (containers && !containers.includes(containerName)) {
      r.problems.add(
        invalid(
          Inputs.containerName,
          `a container of '${Inputs.taskDefinition}' (${containers.join(', ') || 'none named'})`,
          show(containerName)
        )
      )
    }
    config.containerName = containerName
  }
  return config
}

function readBlueGreen(
  r: InputReader,
  env: NodeJS.ProcessEnv,
  ecs: EcsCommonConfig,
  parseYaml: YamlParse | undefined
): EcsBlueGreenConfig {
  const cluster = shortName(ecs.cluster)
  const service = shortName(ecs.service)
  const parseName = (v: string): string => {
    if (!CODEDEPLOY_NAME_RE.test(v)) throw new FormError(CODEDEPLOY_NAME_FORM)
    return v
  }
  const config: EcsBlueGreenConfig = {
    ...ecs,
    strategy: 'ecs-blue-green',
    codedeployApplication: r.value(Inputs.codedeployApplication, `AppECS-${cluster}-${service}`, parseName),
    codedeployDeploymentGroup: r.value(Inputs.codedeployDeploymentGroup, `DgpECS-${cluster}-${service}`, parseName),
    waitUntil: r.value<WaitUntil>(Inputs.waitUntil, 'succeeded', (v) =>
      parseEnum(v, ['created', 'traffic-shifted', 'succeeded'] as const)
    ),
    onActiveDeployment: r.value<OnActiveDeployment>(Inputs.onActiveDeployment, 'fail', (v) =>
      parseEnum(v, ['fail', 'wait', 'stop-previous'] as const)
    )
  }
  const deploymentConfig = r.optional(Inputs.codedeployDeploymentConfig, parseName)
  if (deploymentConfig) config.deploymentConfig = deploymentConfig
  const appspecPath = r.get(Inputs.codedeployAppspec)
  if (appspecPath) {
    config.appspecPath = appspecPath
    const doc = r.check(() => readDocument(Inputs.codedeployAppspec, appspecPath, env, parseYaml))
    if (doc) config.appspecDocument = doc
  }
  return config
}

interface HostLine {
  spec: string
  parsed: HostSpec
  line: number
}

/** The entries of `hosts`, each bad one a problem; `count` includes the bad ones. */
function readHosts(r: InputReader): { specs: HostLine[]; count: number } {
  const text = r.get(Inputs.hosts)
  const specs: HostLine[] = []
  let count = 0
  for (const { line, number } of contentLines(text)) {
    for (const item of line.split(',')) {
      const spec = item.trim()
      if (!spec) continue
      count++
      const parsed = r.check(() => at(Inputs.hosts, number, spec, () => parseHostSpec(spec)))
      if (parsed) specs.push({ spec, parsed, line: number })
    }
  }
  if (count === 0) {
    r.problems.add(
      missing(Inputs.hosts, `required for ssh-rolling; expected ${HOST_FORM} entries, one per line or comma-separated`)
    )
  }
  return { specs, count }
}

/** Applies `ssh-user` and `ssh-port` to each host; one missing user and each duplicate are problems. */
function resolveHosts(r: InputReader, specs: HostLine[], sshUser: string | undefined, sshPort: number): HostTarget[] {
  const hosts: HostTarget[] = []
  const seen = new Map<string, number>()
  let userMissing = false
  for (const { spec, parsed, line } of specs) {
    const user = parsed.user ?? sshUser
    if (user === undefined) {
      if (!userMissing && !r.failed(Inputs.sshUser)) {
        r.problems.add(
          missing(
            Inputs.sshUser,
            `required unless every entry of '${Inputs.hosts}' has user@; expected a user name, line ${line} ${show(spec)} has none`
          )
        )
      }
      userMissing = true
      continue
    }
    const port = parsed.port ?? sshPort
    // A host is the same endpoint as another only once `ssh-port` is known.
    if (parsed.port !== undefined || !r.failed(Inputs.sshPort)) {
      const key = endpointKey(parsed.host, port)
      const first = seen.get(key)
      if (first !== undefined) {
        r.problems.add(invalid(Inputs.hosts, 'each host once', `${show(spec)} again (first on line ${first})`, line))
        continue
      }
      seen.set(key, line)
    }
    hosts.push({ spec, user, host: parsed.host, port })
  }
  return hosts
}

function readSsh(r: InputReader, log: Logger, common: CommonConfig): SshRollingConfig {
  // Masked the moment they are read, before any validation can fail.
  const rawKey = r.get(Inputs.sshPrivateKey)
  if (rawKey) log.setSecret(rawKey)
  const passphrase = r.get(Inputs.sshPassphrase)
  if (passphrase) log.setSecret(passphrase)

  const { specs } = readHosts(r)
  const sshUser = r.optional(Inputs.sshUser, (v) => {
    if (!USER_RE.test(v)) throw new FormError('a user name matching [a-z_][a-z0-9_.-]*')
    return v
  })
  const sshPort = r.value(Inputs.sshPort, 22, (v) => parseInteger(v, 1, 65535))
  const hosts = resolveHosts(r, specs, sshUser, sshPort)

  const keyValue = r.required(Inputs.sshPrivateKey, 'for ssh-rolling', KEY_FORM)
  const privateKey =
    keyValue === undefined
      ? undefined
      : r.check(() => at(Inputs.sshPrivateKey, undefined, '', () => parsePrivateKey(keyValue)))
  if (privateKey && privateKey.key.trim() !== rawKey) log.setSecret(privateKey.key)
  if (privateKey?.encrypted && !passphrase) {
    r.problems.add(
      missing(
        Inputs.sshPassphrase,
        `required because '${Inputs.sshPrivateKey}' is encrypted; expected the key's passphrase`
      )
    )
  }

  const insecure = r.value(Inputs.sshInsecureSkipHostKeyCheck, false, parseBoolean)
  const knownHostsText = r.get(Inputs.sshKnownHosts)
  const knownHosts = parseKnownHosts(r.problems, knownHostsText)
  if (knownHosts.some((e) => e.kind !== 'pin' && e.marker === '@cert-authority')) {
    log.warning(
      `'${Inputs.sshKnownHosts}': @cert-authority lines are ignored: host certificates are not supported; give each host's own key (ssh-keyscan output) or a pin`
    )
  }
  // Missing only when nothing was written: bad lines are problems of their own.
  if (contentLines(knownHostsText).length === 0 && !insecure && !r.failed(Inputs.sshInsecureSkipHostKeyCheck)) {
    r.problems.add(
      missing(
        Inputs.sshKnownHosts,
        `required unless '${Inputs.sshInsecureSkipHostKeyCheck}' is true; expected known_hosts lines (ssh-keyscan output) or pins host[:port] SHA256:<fingerprint>`
      )
    )
  }
  if (insecure) {
    log.warning(
      `'${Inputs.sshInsecureSkipHostKeyCheck}' is true: host keys are NOT verified, so anyone between the runner and the hosts can impersonate them and read the deploy. Use '${Inputs.sshKnownHosts}' in production.`
    )
  }

  const jumpHost = r.optional(Inputs.sshJumpHost, (v) => {
    const parsed = parseHostSpec(v)
    const user = parsed.user ?? sshUser
    if (user === undefined && !r.failed(Inputs.sshUser)) {
      throw new FormError(`${HOST_FORM} with user@ (or set '${Inputs.sshUser}')`)
    }
    return { spec: v, user: user ?? '', host: parsed.host, port: parsed.port ?? 22 }
  })

  const imageVariable = r.value(Inputs.imageVariable, 'IMAGE', (v) => {
    if (!VARIABLE_RE.test(v)) throw new FormError(VARIABLE_FORM)
    return v
  })
  const env = parseEnvLines(r.problems, Inputs.env, r.get(Inputs.env), log, {
    // The key the image goes under is reserved only once it is known.
    ...(r.failed(Inputs.imageVariable)
      ? {}
      : { reserved: { key: imageVariable, why: `set from '${Inputs.image}' via '${Inputs.imageVariable}'` } }),
    value: { form: ENV_VALUE_FORM, problem: envValueProblem }
  })

  const healthCheck: HealthCheckConfig = {
    retries: r.value(Inputs.healthCheckRetries, 10, (v) => parseInteger(v, 1, 1000)),
    intervalMs: r.value(Inputs.healthCheckInterval, 3000, positiveDuration),
    timeoutMs: r.value(Inputs.healthCheckTimeout, 5000, positiveDuration),
    startPeriodMs: r.value(Inputs.healthCheckStartPeriod, 0, parseDuration)
  }
  const url = r.optional(Inputs.healthCheckUrl, parseHealthCheckUrl)
  if (url) {
    // A token in the query is masked too: the URL is shown with `{host}` replaced, which a whole-URL mask misses.
    for (const secret of urlSecrets(url)) log.setSecret(secret)
    healthCheck.url = url
  }
  const command = r.get(Inputs.healthCheckCommand)
  if (command) healthCheck.command = command

  const config: SshRollingConfig = {
    ...common,
    strategy: 'ssh-rolling',
    hosts,
    privateKey: privateKey?.key ?? '',
    knownHosts,
    insecureSkipHostKeyCheck: insecure,
    appDir: r.value(Inputs.appDir, '/app', parseAppDir),
    composeFiles: parseComposeFiles(r.problems, r.get(Inputs.composeFile)),
    composeServices: parseComposeServices(r.problems, r.get(Inputs.composeServices)),
    env,
    imageVariable,
    healthCheck,
    updateOrder: r.value<UpdateOrder>(Inputs.updateOrder, 'auto', (v) =>
      parseEnum(v, ['auto', 'start-first', 'stop-first'] as const)
    ),
    switchDelayMs: r.value(Inputs.switchDelay, 5000, parseDuration),
    containerChecks: parseContainerChecks(r.problems, r.get(Inputs.containerCheck)),
    batchSize: r.value(Inputs.batchSize, { kind: 'count', value: 1 }, parseBatchSize),
    rollbackScope: r.value<'fleet' | 'host'>(Inputs.rollbackScope, 'fleet', (v) =>
      parseEnum(v, ['fleet', 'host'] as const)
    ),
    backupRetention: r.value(Inputs.backupRetention, 5, (v) => parseInteger(v, 1, Number.MAX_SAFE_INTEGER)),
    lockWaitSeconds: r.value(Inputs.lockWaitSeconds, 0, (v) => parseInteger(v, 0, Number.MAX_SAFE_INTEGER))
  }
  if (passphrase) config.passphrase = passphrase
  if (jumpHost) config.jumpHost = jumpHost
  const firstBatchSize = r.optional(Inputs.firstBatchSize, parseBatchSize)
  if (firstBatchSize) config.firstBatchSize = firstBatchSize
  const pre = r.get(Inputs.preDeployCommand)
  if (pre) config.preDeployCommand = pre
  const post = r.get(Inputs.postDeployCommand)
  if (post) config.postDeployCommand = post
  return config
}

function positiveDuration(value: string): number {
  const ms = parseDuration(value)
  if (ms <= 0) throw new FormError(`${DURATION_FORM}, greater than 0`)
  return ms
}

function readStrategyConfig(
  r: InputReader,
  env: NodeJS.ProcessEnv,
  log: Logger,
  common: CommonConfig,
  parseYaml: YamlParse | undefined
): Config {
  const strategy = common.strategy
  switch (strategy) {
    case 'ecs-rolling':
      return { ...readEcs(r, env, log, common, parseYaml), strategy }
    case 'ecs-blue-green':
      return readBlueGreen(r, env, readEcs(r, env, log, common, parseYaml), parseYaml)
    case 'ssh-rolling':
      return readSsh(r, log, common)
    default: {
      const unknown: never = strategy
      throw new Error(`Unknown strategy ${String(unknown)}`)
    }
  }
}

/**
 * Reads every input of the chosen strategy into one validated `Config`; inputs of other strategies are ignored.
 * Reads them all before it fails: `InputError` then lists every bad input (each one line: input, position,
 * expected form, value). An input that can only be checked once another is valid (the strategy's own inputs, a
 * container of the task definition) is checked when that one is. `parseYaml` (from `yamlFor`) is needed when an
 * input names a YAML file.
 */
export function readInputs(source: InputSource, env: NodeJS.ProcessEnv, log: Logger, parseYaml?: YamlParse): Config {
  const r = new InputReader(source)
  const strategyValue = r.get(Inputs.strategy)
  const strategyForm = `one of ${Strategies.join(', ')}`
  const strategy = r.check(() => {
    if (!strategyValue) throw missing(Inputs.strategy, `required; expected ${strategyForm}`)
    return at(Inputs.strategy, undefined, strategyValue, () => parseEnum<StrategyName>(strategyValue, Strategies))
  })
  const common = readCommon(r)
  // The other inputs depend on the strategy: without a valid one they are not read at all.
  const config = strategy ? readStrategyConfig(r, env, log, { ...common, strategy }, parseYaml) : undefined
  if (r.problems.found.length > 0 || !config) throw new InputError(r.problems.found)
  return config
}

// ---------------------------------------------------------------------------------------------------------------
// Summary view

function describeKnownHost(entry: KnownHostEntry): string {
  switch (entry.kind) {
    case 'pin':
      return `${entry.port ? `[${entry.host}]:${entry.port}` : entry.host} ${entry.fingerprint}`
    case 'hashed':
      return `${entry.marker ? `${entry.marker} ` : ''}(hashed) ${entry.keyType}`
    case 'plain':
      return `${entry.marker ? `${entry.marker} ` : ''}${[...entry.patterns, ...entry.negated.map((n) => `!${n}`)].join(',')} ${entry.keyType}`
  }
}

/** The configuration as shown in the job summary: no secrets, no parsed documents, env as keys only. */
export function configView(config: Config): Record<string, unknown> {
  const view: Record<string, unknown> = { ...config, image: config.image.ref }
  for (const key of ['privateKey', 'passphrase', 'taskDefinitionDocument', 'appspecDocument']) delete view[key]
  if (config.strategy === 'ssh-rolling') {
    view.env = config.env.map((p) => p.key)
    view.knownHosts = config.knownHosts.map(describeKnownHost)
    view.healthCheck = {
      ...config.healthCheck,
      ...(config.healthCheck.url ? { url: redactUrl(config.healthCheck.url) } : {})
    }
  } else {
    view.environmentVariables = config.environmentVariables.map((p) => p.key)
  }
  return view
}
