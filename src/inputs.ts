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
import { defaultCodeDeployNames } from './strategies/ecs-blue-green/names.js'
import { ENV_VALUE_FORM, envValueProblem } from './strategies/ssh-rolling/env-file.js'
import type { Logger } from './types.js'
import { errorMessage } from './error-message.js'
import { redactUrl, URL_PASSWORD_RE, urlSecrets } from './redact-url.js'

/** A bad input: the message names the input, the position and the expected form, on one line. */
export class InputError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'InputError'
  }
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

function invalid(name: InputName, expected: string, got: string, position?: string): InputError {
  return new InputError(`Invalid '${name}'${position ? ` ${position}` : ''}: expected ${expected}, got ${got}`)
}

/** Runs a parser on one value; its `FormError` becomes an `InputError` naming the input, the position and the value. */
function at<T>(name: InputName, position: string | undefined, value: string, parse: () => T): T {
  try {
    return parse()
  } catch (error) {
    if (error instanceof FormError) throw invalid(name, error.expected, error.got ?? show(value), position)
    throw error
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

/** Parses `ssh-known-hosts`: plain, hashed and `@marker` known_hosts lines, and `SHA256:` pins. */
export function parseKnownHosts(text: string): KnownHostEntry[] {
  return contentLines(text).map(({ line, number }) =>
    at(Inputs.sshKnownHosts, `line ${number}`, line, () => parseKnownHostsLine(line))
  )
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

/** `KEY=value` lines (value may contain `=`); values under secret-looking keys are masked before anything else. */
function parseEnvLines(name: InputName, text: string, log: Logger, rules: EnvRules = {}): EnvPair[] {
  const { reserved } = rules
  const pairs: EnvPair[] = []
  const firstLine = new Map<string, number>()
  for (const { line, number } of contentLines(text)) {
    const position = `line ${number}`
    const eq = line.indexOf('=')
    // The line may hold a secret: describe it rather than echo it.
    if (eq < 0) throw invalid(name, 'KEY=value', `a line of ${line.length} characters without '='`, position)
    const key = line.slice(0, eq)
    const value = line.slice(eq + 1)
    maskValue(key, value, log)
    if (!VARIABLE_RE.test(key)) {
      const got = /^[\w.-]{1,64}$/.test(key) ? `key ${show(key)}` : 'a key that is not a variable name'
      throw invalid(name, `KEY=value with KEY ${VARIABLE_FORM}`, got, position)
    }
    const problem = rules.value?.problem(value)
    if (rules.value && problem)
      throw invalid(name, `KEY=value with ${rules.value.form}`, `a value under ${show(key)} with ${problem}`, position)
    if (key === reserved?.key)
      throw invalid(name, `keys other than ${show(key)} (${reserved.why})`, show(key), position)
    const first = firstLine.get(key)
    if (first !== undefined)
      throw invalid(name, `each key once`, `${show(key)} again (first on line ${first})`, position)
    firstLine.set(key, number)
    pairs.push({ key, value })
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

function parseComposeFiles(text: string): string[] {
  const files: string[] = []
  for (const [i, line] of text.split(/\r?\n/).entries()) {
    for (const item of line.split(',')) {
      const file = item.trim()
      if (!file) continue
      at(Inputs.composeFile, `line ${i + 1}`, file, () => {
        if (file.startsWith('/') || !SAFE_PATH_RE.test(file) || hasDotDot(file)) {
          throw new FormError(`file names relative to '${Inputs.appDir}' (characters A-Z a-z 0-9 . _ - /, no '..')`)
        }
      })
      files.push(file)
    }
  }
  return files
}

const SERVICE_RE = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/

function parseComposeServices(text: string): string[] {
  const services: string[] = []
  for (const [i, line] of text.split(/\r?\n/).entries()) {
    for (const service of line.split(/[\s,]+/).filter(Boolean)) {
      if (!SERVICE_RE.test(service)) {
        throw invalid(
          Inputs.composeServices,
          'Compose service names ([a-zA-Z0-9][a-zA-Z0-9_.-]*) separated by commas, spaces or newlines',
          show(service),
          `line ${i + 1}`
        )
      }
      if (!services.includes(service)) services.push(service)
    }
  }
  return services
}

const CONTAINER_CHECK_RE = /^([a-zA-Z0-9][a-zA-Z0-9_.-]*)\s*=\s*(\d{1,5})(\/[A-Za-z0-9._~/?=&%+-]*)?$/

/** `service=port/path` lines: the HTTP GET each new start-first container must answer with 2xx. */
function parseContainerChecks(text: string): Record<string, string> {
  const checks: Record<string, string> = {}
  for (const [i, raw] of text.split(/\r?\n/).entries()) {
    const line = raw.trim()
    if (!line || line.startsWith('#')) continue
    const m = CONTAINER_CHECK_RE.exec(line)
    const port = Number(m?.[2])
    if (!m || port < 1 || port > 65535) {
      throw invalid(
        Inputs.containerCheck,
        'lines service=port/path (e.g. web=8080/healthz): an HTTP GET each new container must answer with 2xx',
        show(line),
        `line ${i + 1}`
      )
    }
    checks[m[1] as string] = `${port}${m[3] ?? '/'}`
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

type Get = (name: InputName) => string

function readValue<T>(get: Get, name: InputName, fallback: T, parse: (value: string) => T): T {
  const value = get(name)
  return value === '' ? fallback : at(name, undefined, value, () => parse(value))
}

function readOptional<T>(get: Get, name: InputName, parse: (value: string) => T): T | undefined {
  const value = get(name)
  return value === '' ? undefined : at(name, undefined, value, () => parse(value))
}

function requireValue(get: Get, name: InputName, why: string, expected: string): string {
  const value = get(name)
  if (value === '') throw new InputError(`Missing '${name}': required ${why}; expected ${expected}`)
  return value
}

function readCommon(get: Get, strategy: StrategyName): CommonConfig {
  const image = parseImage(requireValue(get, Inputs.image, 'for every strategy', IMAGE_FORM))
  return {
    strategy,
    image,
    timeoutMinutes: readValue(get, Inputs.timeoutMinutes, 30, (v) => {
      const n = /^[0-9]+(?:\.[0-9]+)?$/.test(v) ? Number(v) : NaN
      if (!(n > 0 && n <= 1440)) throw new FormError('a number of minutes greater than 0 and at most 1440')
      return n
    }),
    dryRun: readValue(get, Inputs.dryRun, false, parseBoolean),
    rollbackOnFailure: readValue(get, Inputs.rollbackOnFailure, true, parseBoolean)
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

function readEcs(
  get: Get,
  env: NodeJS.ProcessEnv,
  log: Logger,
  common: CommonConfig,
  parseYaml: YamlParse | undefined
): EcsCommonConfig {
  const why = `for ${common.strategy}`
  const regionInput = get(Inputs.awsRegion)
  const region = regionInput || env.AWS_REGION?.trim() || env.AWS_DEFAULT_REGION?.trim() || ''
  if (!region) {
    throw new InputError(
      `Missing '${Inputs.awsRegion}': required ${why} (or set AWS_REGION); expected a region like us-east-1`
    )
  }
  if (!REGION_RE.test(region)) {
    const source = regionInput ? '' : env.AWS_REGION?.trim() ? ' (from AWS_REGION)' : ' (from AWS_DEFAULT_REGION)'
    throw invalid(Inputs.awsRegion, 'a region like us-east-1', `${show(region)}${source}`)
  }
  const cluster = readValue(get, Inputs.cluster, 'default', parseEcsName)
  const service = at(Inputs.service, undefined, get(Inputs.service), () =>
    parseEcsName(requireValue(get, Inputs.service, why, 'the ECS service name'))
  )
  const config: EcsCommonConfig = {
    ...common,
    region,
    cluster,
    service,
    environmentVariables: parseEnvLines(Inputs.environmentVariables, get(Inputs.environmentVariables), log)
  }
  const taskDefinitionPath = get(Inputs.taskDefinition)
  if (taskDefinitionPath) {
    const doc = readDocument(Inputs.taskDefinition, taskDefinitionPath, env, parseYaml)
    if (!Array.isArray(doc.containerDefinitions)) {
      const hint =
        'taskDefinition' in doc ? '; the file looks like describe-task-definition output, use its .taskDefinition' : ''
      throw invalid(
        Inputs.taskDefinition,
        "a task definition object with a 'containerDefinitions' array",
        `${show(taskDefinitionPath)} without one${hint}`
      )
    }
    config.taskDefinitionPath = taskDefinitionPath
    config.taskDefinitionDocument = doc
  }
  const containerName = get(Inputs.containerName)
  if (containerName) {
    const containers = (config.taskDefinitionDocument?.containerDefinitions as unknown[] | undefined)
      ?.map((c) => (c as { name?: unknown } | null)?.name)
      .filter((n): n is string => typeof n === 'string')
    if (containers && !containers.includes(containerName)) {
      throw invalid(
        Inputs.containerName,
        `a container of '${Inputs.taskDefinition}' (${containers.join(', ') || 'none named'})`,
        show(containerName)
      )
    }
    config.containerName = containerName
  }
  return config
}

function readBlueGreen(
  get: Get,
  env: NodeJS.ProcessEnv,
  ecs: EcsCommonConfig,
  parseYaml: YamlParse | undefined
): EcsBlueGreenConfig {
  const defaults = defaultCodeDeployNames(shortName(ecs.cluster), shortName(ecs.service))
  const parseName = (v: string): string => {
    if (!CODEDEPLOY_NAME_RE.test(v)) throw new FormError(CODEDEPLOY_NAME_FORM)
    return v
  }
  const config: EcsBlueGreenConfig = {
    ...ecs,
    strategy: 'ecs-blue-green',
    codedeployApplication: readValue(get, Inputs.codedeployApplication, defaults.application, parseName),
    codedeployDeploymentGroup: readValue(get, Inputs.codedeployDeploymentGroup, defaults.group, parseName),
    waitUntil: readValue<WaitUntil>(get, Inputs.waitUntil, 'succeeded', (v) =>
      parseEnum(v, ['created', 'traffic-shifted', 'succeeded'] as const)
    ),
    onActiveDeployment: readValue<OnActiveDeployment>(get, Inputs.onActiveDeployment, 'fail', (v) =>
      parseEnum(v, ['fail', 'wait', 'stop-previous'] as const)
    )
  }
  const deploymentConfig = readOptional(get, Inputs.codedeployDeploymentConfig, parseName)
  if (deploymentConfig) config.deploymentConfig = deploymentConfig
  const appspecPath = get(Inputs.codedeployAppspec)
  if (appspecPath) {
    config.appspecPath = appspecPath
    config.appspecDocument = readDocument(Inputs.codedeployAppspec, appspecPath, env, parseYaml)
  }
  return config
}

function readHosts(get: Get): { specs: { spec: string; parsed: HostSpec; line: number }[] } {
  const text = requireValue(
    get,
    Inputs.hosts,
    'for ssh-rolling',
    `${HOST_FORM} entries, one per line or comma-separated`
  )
  const specs: { spec: string; parsed: HostSpec; line: number }[] = []
  for (const { line, number } of contentLines(text)) {
    for (const item of line.split(',')) {
      const spec = item.trim()
      if (!spec) continue
      specs.push({ spec, parsed: at(Inputs.hosts, `line ${number}`, spec, () => parseHostSpec(spec)), line: number })
    }
  }
  if (specs.length === 0) {
    throw new InputError(`Missing '${Inputs.hosts}': required for ssh-rolling; expected ${HOST_FORM} entries`)
  }
  return { specs }
}

function readSsh(get: Get, log: Logger, common: CommonConfig): SshRollingConfig {
  // Masked the moment they are read, before any validation can fail.
  const rawKey = get(Inputs.sshPrivateKey)
  if (rawKey) log.setSecret(rawKey)
  const passphrase = get(Inputs.sshPassphrase)
  if (passphrase) log.setSecret(passphrase)

  const { specs } = readHosts(get)
  const sshUser = readOptional(get, Inputs.sshUser, (v) => {
    if (!USER_RE.test(v)) throw new FormError('a user name matching [a-z_][a-z0-9_.-]*')
    return v
  })
  const sshPort = readValue(get, Inputs.sshPort, 22, (v) => parseInteger(v, 1, 65535))

  const hosts: HostTarget[] = []
  const seen = new Map<string, number>()
  for (const { spec, parsed, line } of specs) {
    const user = parsed.user ?? sshUser
    if (user === undefined) {
      throw new InputError(
        `Missing '${Inputs.sshUser}': required unless every entry of '${Inputs.hosts}' has user@; expected a user name, line ${line} ${show(spec)} has none`
      )
    }
    const port = parsed.port ?? sshPort
    const key = endpointKey(parsed.host, port)
    const first = seen.get(key)
    if (first !== undefined) {
      throw invalid(Inputs.hosts, 'each host once', `${show(spec)} again (first on line ${first})`, `line ${line}`)
    }
    seen.set(key, line)
    hosts.push({ spec, user, host: parsed.host, port })
  }

  const privateKey = at(Inputs.sshPrivateKey, undefined, '', () =>
    parsePrivateKey(requireValue(get, Inputs.sshPrivateKey, 'for ssh-rolling', KEY_FORM))
  )
  if (privateKey.key.trim() !== rawKey) log.setSecret(privateKey.key)
  if (privateKey.encrypted && !passphrase) {
    throw new InputError(
      `Missing '${Inputs.sshPassphrase}': required because '${Inputs.sshPrivateKey}' is encrypted; expected the key's passphrase`
    )
  }

  const insecure = readValue(get, Inputs.sshInsecureSkipHostKeyCheck, false, parseBoolean)
  const knownHostsText = get(Inputs.sshKnownHosts)
  const knownHosts = parseKnownHosts(knownHostsText)
  if (knownHosts.some((e) => e.kind !== 'pin' && e.marker === '@cert-authority')) {
    log.warning(
      `'${Inputs.sshKnownHosts}': @cert-authority lines are ignored: host certificates are not supported; give each host's own key (ssh-keyscan output) or a pin`
    )
  }
  if (knownHosts.length === 0 && !insecure) {
    throw new InputError(
      `Missing '${Inputs.sshKnownHosts}': required unless '${Inputs.sshInsecureSkipHostKeyCheck}' is true; expected known_hosts lines (ssh-keyscan output) or pins host[:port] SHA256:<fingerprint>`
    )
  }
  if (insecure) {
    log.warning(
      `'${Inputs.sshInsecureSkipHostKeyCheck}' is true: host keys are NOT verified, so anyone between the runner and the hosts can impersonate them and read the deploy. Use '${Inputs.sshKnownHosts}' in production.`
    )
  }

  const jumpHost = readOptional(get, Inputs.sshJumpHost, (v) => {
    const parsed = parseHostSpec(v)
    const user = parsed.user ?? sshUser
    if (user === undefined) throw new FormError(`${HOST_FORM} with user@ (or set '${Inputs.sshUser}')`)
    return { spec: v, user, host: parsed.host, port: parsed.port ?? 22 }
  })

  const imageVariable = readValue(get, Inputs.imageVariable, 'IMAGE', (v) => {
    if (!VARIABLE_RE.test(v)) throw new FormError(VARIABLE_FORM)
    return v
  })
  const env = parseEnvLines(Inputs.env, get(Inputs.env), log, {
    reserved: { key: imageVariable, why: `set from '${Inputs.image}' via '${Inputs.imageVariable}'` },
    value: { form: ENV_VALUE_FORM, problem: envValueProblem }
  })

  const healthCheck: HealthCheckConfig = {
    retries: readValue(get, Inputs.healthCheckRetries, 10, (v) => parseInteger(v, 1, 1000)),
    intervalMs: readValue(get, Inputs.healthCheckInterval, 3000, positiveDuration),
    timeoutMs: readValue(get, Inputs.healthCheckTimeout, 5000, positiveDuration),
    startPeriodMs: readValue(get, Inputs.healthCheckStartPeriod, 0, parseDuration)
  }
  const url = readOptional(get, Inputs.healthCheckUrl, parseHealthCheckUrl)
  if (url) {
    // A token in the query is masked too: the URL is shown with `{host}` replaced, which a whole-URL mask misses.
    for (const secret of urlSecrets(url)) log.setSecret(secret)
    healthCheck.url = url
  }
  const command = get(Inputs.healthCheckCommand)
  if (command) healthCheck.command = command

  const config: SshRollingConfig = {
    ...common,
    strategy: 'ssh-rolling',
    hosts,
    privateKey: privateKey.key,
    knownHosts,
    insecureSkipHostKeyCheck: insecure,
    appDir: readValue(get, Inputs.appDir, '/app', parseAppDir),
    composeFiles: parseComposeFiles(get(Inputs.composeFile)),
    composeServices: parseComposeServices(get(Inputs.composeServices)),
    env,
    imageVariable,
    healthCheck,
    updateOrder: readValue<UpdateOrder>(get, Inputs.updateOrder, 'auto', (v) =>
      parseEnum(v, ['auto', 'start-first', 'stop-first'] as const)
    ),
    switchDelayMs: readValue(get, Inputs.switchDelay, 5000, parseDuration),
    containerChecks: parseContainerChecks(get(Inputs.containerCheck)),
    batchSize: readValue(get, Inputs.batchSize, { kind: 'count', value: 1 }, parseBatchSize),
    rollbackScope: readValue<'fleet' | 'host'>(get, Inputs.rollbackScope, 'fleet', (v) =>
      parseEnum(v, ['fleet', 'host'] as const)
    ),
    backupRetention: readValue(get, Inputs.backupRetention, 5, (v) => parseInteger(v, 1, Number.MAX_SAFE_INTEGER)),
    lockWaitSeconds: readValue(get, Inputs.lockWaitSeconds, 0, (v) => parseInteger(v, 0, Number.MAX_SAFE_INTEGER))
  }
  if (passphrase) config.passphrase = passphrase
  if (jumpHost) config.jumpHost = jumpHost
  const firstBatchSize = readOptional(get, Inputs.firstBatchSize, parseBatchSize)
  if (firstBatchSize) config.firstBatchSize = firstBatchSize
  const pre = get(Inputs.preDeployCommand)
  if (pre) config.preDeployCommand = pre
  const post = get(Inputs.postDeployCommand)
  if (post) config.postDeployCommand = post
  return config
}

function positiveDuration(value: string): number {
  const ms = parseDuration(value)
  if (ms <= 0) throw new FormError(`${DURATION_FORM}, greater than 0`)
  return ms
}

/**
 * Reads every input of the chosen strategy into one validated `Config`; inputs of other strategies are ignored.
 * Throws `InputError` (one line: input, position, expected form, value) on the first bad input. `parseYaml` (from
 * `yamlFor`) is needed when an input names a YAML file.
 */
export function readInputs(source: InputSource, env: NodeJS.ProcessEnv, log: Logger, parseYaml?: YamlParse): Config {
  const get: Get = (name) => source.getInput(name).trim()
  const strategyValue = get(Inputs.strategy)
  const strategyForm = `one of ${Strategies.join(', ')}`
  if (!strategyValue) throw new InputError(`Missing '${Inputs.strategy}': required; expected ${strategyForm}`)
  const strategy = at(Inputs.strategy, undefined, strategyValue, () =>
    parseEnum<StrategyName>(strategyValue, Strategies)
  )
  const common = readCommon(get, strategy)
  switch (strategy) {
    case 'ecs-rolling':
      return { ...readEcs(get, env, log, common, parseYaml), strategy }
    case 'ecs-blue-green':
      return readBlueGreen(get, env, readEcs(get, env, log, common, parseYaml), parseYaml)
    case 'ssh-rolling':
      return readSsh(get, log, common)
    default: {
      const unknown: never = strategy
      throw new InputError(`Unknown strategy ${String(unknown)}`)
    }
  }
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
