/**
 * Host key verification against `ssh-known-hosts`, the way OpenSSH reads known_hosts: plain patterns with
 * wildcards and negation, `[host]:port` for ports other than 22, hashed `|1|salt|hash` names, `@revoked` keys,
 * plus `SHA256:` pins. Fails closed: a host without a matching entry is rejected.
 */
import { Buffer } from 'node:buffer'
import { createHash, createHmac, timingSafeEqual } from 'node:crypto'
import { Inputs } from '../../constants.js'
import { FormError, isHostName, isIPv6, show } from '../../inputs/forms.js'
import type { InputReader } from '../../inputs/reader.js'

/**
 * One `ssh-known-hosts` line. `keyBase64` is the key blob as written (its embedded type equals `keyType`); a pin's
 * `fingerprint` is `SHA256:<43 base64 chars>` as `ssh-keygen -lf` prints it, and its `port` is absent when not written.
 */
export type KnownHostEntry =
  | { kind: 'plain'; patterns: string[]; negated: string[]; keyType: string; keyBase64: string; marker?: string }
  | { kind: 'hashed'; salt: Buffer; hash: Buffer; keyType: string; keyBase64: string; marker?: string }
  | { kind: 'pin'; host: string; port?: number; fingerprint: string }

/** A host key as the server presented it. */
export interface PresentedKey {
  type: string
  /** `SHA256:<base64 without padding>`, as `ssh-keygen -lf` prints it. */
  fingerprint: string
  blob: Buffer
}

export type HostKeyVerdict = { ok: true; matchedBy: string } | { ok: false; reason: string }

/** Reads the key type from an SSH wire-format public key and computes its fingerprint. */
export function describeKey(blob: Buffer): PresentedKey {
  let type = 'unknown'
  if (blob.length >= 4) {
    const length = blob.readUInt32BE(0)
    if (length > 0 && length <= 64 && blob.length >= 4 + length) type = blob.subarray(4, 4 + length).toString('latin1')
  }
  return { type, fingerprint: fingerprintOf(blob), blob }
}

export function fingerprintOf(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`
}

/** The name known_hosts stores for a host: `host` on port 22, `[host]:port` otherwise; lower-cased like OpenSSH. */
export function knownHostsName(host: string, port: number): string {
  const h = host.toLowerCase()
  return port === 22 ? h : `[${h}]:${port}`
}

function globToRegExp(pattern: string): RegExp {
  const body = pattern
    .toLowerCase()
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.')
  return new RegExp(`^${body}$`)
}

function matchesPlain(entry: Extract<KnownHostEntry, { kind: 'plain' }>, name: string): boolean {
  if (entry.negated.some((p) => globToRegExp(p.replace(/^!/, '')).test(name))) return false
  return entry.patterns.some((p) => globToRegExp(p).test(name))
}

function matchesHashed(entry: Extract<KnownHostEntry, { kind: 'hashed' }>, name: string): boolean {
  const digest = createHmac('sha1', entry.salt).update(name).digest()
  return digest.length === entry.hash.length && timingSafeEqual(digest, entry.hash)
}

function matchesPin(entry: Extract<KnownHostEntry, { kind: 'pin' }>, host: string, port: number): boolean {
  // A pin without a port holds for every port: the fingerprint alone identifies the key.
  return globToRegExp(entry.host).test(host.toLowerCase()) && (entry.port === undefined || entry.port === port)
}

function normalizeFingerprint(fp: string): string {
  return fp.replace(/=+$/, '')
}

/** The entries that speak about this host (certificate authorities excluded: host certificates are not supported). */
function entriesFor(entries: readonly KnownHostEntry[], host: string, port: number): KnownHostEntry[] {
  const name = knownHostsName(host, port)
  return entries.filter((e) => {
    if (e.kind === 'pin') return matchesPin(e, host, port)
    if (e.marker === '@cert-authority') return false
    return e.kind === 'plain' ? matchesPlain(e, name) : matchesHashed(e, name)
  })
}

function entryMatchesKey(entry: KnownHostEntry, key: PresentedKey): boolean {
  if (entry.kind === 'pin') return normalizeFingerprint(entry.fingerprint) === key.fingerprint
  return entry.keyBase64.trim() === key.blob.toString('base64')
}

function describeEntry(entry: KnownHostEntry): string {
  if (entry.kind === 'pin') return `pin ${entry.fingerprint}`
  try {
    return `${entry.keyType} ${fingerprintOf(Buffer.from(entry.keyBase64, 'base64'))}`
  } catch {
    return entry.keyType
  }
}

/** Verifies the key `host:port` presented. The reason says which host, which key was offered, and what was expected. */
export function verifyHostKey(
  entries: readonly KnownHostEntry[],
  host: string,
  port: number,
  key: PresentedKey
): HostKeyVerdict {
  const name = knownHostsName(host, port)
  const offered = `${key.type} key ${key.fingerprint}`
  const relevant = entriesFor(entries, host, port)
  if (relevant.some((e) => e.kind !== 'pin' && e.marker === '@revoked' && entryMatchesKey(e, key))) {
    return { ok: false, reason: `the server offered ${offered}, which ssh-known-hosts marks @revoked` }
  }
  const trusted = relevant.filter((e) => e.kind === 'pin' || e.marker !== '@revoked')
  const match = trusted.find((e) => entryMatchesKey(e, key))
  if (match) return { ok: true, matchedBy: match.kind === 'pin' ? 'pin' : `${match.kind} entry` }
  if (trusted.length > 0) {
    const expected = [...new Set(trusted.map(describeEntry))].join(', ')
    return {
      ok: false,
      reason: `the server offered ${offered}, which does not match ssh-known-hosts for '${name}' (expected ${expected}); the host key changed or someone is intercepting the connection`
    }
  }
  const byAuthority = entries.some(
    (e) =>
      e.kind !== 'pin' &&
      e.marker === '@cert-authority' &&
      (e.kind === 'plain' ? matchesPlain(e, name) : matchesHashed(e, name))
  )
  if (byAuthority) {
    return {
      ok: false,
      reason: `the server offered ${offered}, but ssh-known-hosts names only a @cert-authority for '${name}': host certificates are not supported (add the host's own key, as \`ssh-keyscan${port === 22 ? '' : ` -p ${port}`} ${host}\` prints it, or a pin '${port === 22 ? host : `[${host}]:${port}`} ${key.fingerprint}' after checking it)`
    }
  }
  return {
    ok: false,
    reason: `the server offered ${offered}, but ssh-known-hosts has no entry for '${name}' (add the line \`ssh-keyscan${port === 22 ? '' : ` -p ${port}`} ${host}\` prints, or a pin '${port === 22 ? host : `[${host}]:${port}`} ${key.fingerprint}' after checking it)`
  }
}

const RSA_ALGORITHMS = ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa']
/** ssh2's own default order of host key algorithms. */
const DEFAULT_HOST_KEY_ALGORITHMS = [
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  ...RSA_ALGORITHMS
]

/**
 * Host key algorithms to offer, the types known for this host first (what OpenSSH does): a server with an
 * ed25519 and an RSA key, pinned by its RSA key, must not be rejected because ed25519 was negotiated.
 * Undefined when nothing is known by type (pins only): ssh2's default order.
 */
export function preferredHostKeyAlgorithms(
  entries: readonly KnownHostEntry[],
  host: string,
  port: number
): string[] | undefined {
  const known = entriesFor(entries, host, port).flatMap((e) =>
    e.kind === 'pin' || e.marker === '@revoked' ? [] : e.keyType === 'ssh-rsa' ? RSA_ALGORITHMS : [e.keyType]
  )
  const preferred = known.filter((a) => DEFAULT_HOST_KEY_ALGORITHMS.includes(a) || a === 'ssh-dss')
  if (preferred.length === 0) return undefined
  return [...new Set([...preferred, ...DEFAULT_HOST_KEY_ALGORITHMS])]
}

// ---------------------------------------------------------------------------------------------------------------
// Reading `ssh-known-hosts`

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
export function readSshString(bytes: Buffer, offset: number): { value: Buffer; end: number } | undefined {
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

/** Reads `ssh-known-hosts`: plain, hashed and `@marker` known_hosts lines, and `SHA256:` pins; each bad line is a problem. */
export function readKnownHosts(r: InputReader): KnownHostEntry[] {
  return r.lines(Inputs.sshKnownHosts, parseKnownHostsLine)
}

/** One entry as the job summary shows it: no key material. */
export function describeKnownHost(entry: KnownHostEntry): string {
  switch (entry.kind) {
    case 'pin':
      return `${entry.port ? `[${entry.host}]:${entry.port}` : entry.host} ${entry.fingerprint}`
    case 'hashed':
      return `${entry.marker ? `${entry.marker} ` : ''}(hashed) ${entry.keyType}`
    case 'plain':
      return `${entry.marker ? `${entry.marker} ` : ''}${[...entry.patterns, ...entry.negated.map((n) => `!${n}`)].join(',')} ${entry.keyType}`
  }
}
