/**
 * Host key verification against `ssh-known-hosts`, the way OpenSSH reads known_hosts: plain patterns with
 * wildcards and negation, `[host]:port` for ports other than 22, hashed `|1|salt|hash` names, `@revoked` keys,
 * plus `SHA256:` pins. Fails closed: a host without a matching entry is rejected.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto'
import type { KnownHostEntry } from '../../config.js'

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
