/** Host key verification against known_hosts entries (built here from real keys) and SHA256 pins. */
import { execFileSync } from 'node:child_process'
import { createHmac, generateKeyPairSync, randomBytes } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { KnownHostEntry } from '../../../src/strategies/ssh-rolling/known-hosts.js'
import {
  describeKey,
  fingerprintOf,
  knownHostsName,
  preferredHostKeyAlgorithms,
  verifyHostKey
} from '../../../src/strategies/ssh-rolling/known-hosts.js'

function sshString(data: Buffer | string): Buffer {
  const b = Buffer.isBuffer(data) ? data : Buffer.from(data)
  const len = Buffer.alloc(4)
  len.writeUInt32BE(b.length)
  return Buffer.concat([len, b])
}

/** A fresh ed25519 public key in SSH wire format. */
function ed25519Blob(): Buffer {
  const { publicKey } = generateKeyPairSync('ed25519')
  const x = Buffer.from(publicKey.export({ format: 'jwk' }).x as string, 'base64url')
  return Buffer.concat([sshString('ssh-ed25519'), sshString(x)])
}

const KEY = ed25519Blob()
const OTHER = ed25519Blob()
const presented = describeKey(KEY)

function plain(patterns: string[], blob = KEY, marker?: string): KnownHostEntry {
  const entry: KnownHostEntry = {
    kind: 'plain',
    patterns: patterns.filter((p) => !p.startsWith('!')),
    negated: patterns.filter((p) => p.startsWith('!')).map((p) => p.slice(1)),
    keyType: 'ssh-ed25519',
    keyBase64: blob.toString('base64')
  }
  return marker ? { ...entry, marker } : entry
}

/** A hashed line as `ssh-keygen -H` writes it: |1|base64(salt)|base64(HMAC-SHA1(salt, name)). */
function hashed(name: string, blob = KEY): KnownHostEntry {
  const salt = randomBytes(20)
  return {
    kind: 'hashed',
    salt,
    hash: createHmac('sha1', salt).update(name).digest(),
    keyType: 'ssh-ed25519',
    keyBase64: blob.toString('base64')
  }
}

const verify = (entries: KnownHostEntry[], host = 'web-1.example.com', port = 22) =>
  verifyHostKey(entries, host, port, presented)

describe('describeKey', () => {
  test('reads the type and computes the fingerprint ssh-keygen -lf prints', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kh-'))
    try {
      fs.writeFileSync(path.join(dir, 'k.pub'), `ssh-ed25519 ${KEY.toString('base64')} test\n`)
      const printed = execFileSync('ssh-keygen', ['-lf', path.join(dir, 'k.pub')], { encoding: 'utf8' })
      expect(printed.split(' ')[1]).toBe(presented.fingerprint)
      expect(presented.type).toBe('ssh-ed25519')
      expect(presented.fingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/)
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('verifyHostKey', () => {
  test.each([
    ['an exact name', ['web-1.example.com']],
    ['one of several names', ['db', 'web-1.example.com', '10.0.0.1']],
    ['a * wildcard', ['*.example.com']],
    ['a ? wildcard', ['web-?.example.com']],
    ['another case', ['WEB-1.Example.COM']]
  ])('accepts the key under %s', (_, patterns) => {
    expect(verify([plain(patterns)])).toEqual({ ok: true, matchedBy: 'plain entry' })
  })

  test('a negated pattern excludes a host the wildcard matched', () => {
    const entries = [plain(['*.example.com', '!web-1.example.com'])]
    expect(verify(entries).ok).toBe(false)
    expect(verify(entries, 'web-2.example.com').ok).toBe(true)
  })

  test('a port other than 22 is looked up as [host]:port, and only so', () => {
    expect(knownHostsName('Web', 2222)).toBe('[web]:2222')
    expect(knownHostsName('web', 22)).toBe('web')
    expect(verify([plain(['[web-1.example.com]:2222'])], 'web-1.example.com', 2222).ok).toBe(true)
    expect(verify([plain(['web-1.example.com'])], 'web-1.example.com', 2222).ok).toBe(false)
    expect(verify([plain(['[web-1.example.com]:2222'])]).ok).toBe(false)
    expect(verify([plain(['[*.example.com]:*'])], 'web-1.example.com', 2200).ok).toBe(true)
  })

  test('hashed names: HMAC-SHA1 of the name, or of [host]:port', () => {
    expect(verify([hashed('web-1.example.com')])).toEqual({ ok: true, matchedBy: 'hashed entry' })
    expect(verify([hashed('[web-1.example.com]:2222')], 'web-1.example.com', 2222).ok).toBe(true)
    expect(verify([hashed('web-2.example.com')]).ok).toBe(false)
    expect(verify([hashed('web-1.example.com')], 'web-1.example.com', 2222).ok).toBe(false)
  })

  test('a SHA256 pin, with or without port and padding', () => {
    const fp = fingerprintOf(KEY)
    expect(verify([{ kind: 'pin', host: 'web-1.example.com', fingerprint: fp }])).toEqual({
      ok: true,
      matchedBy: 'pin'
    })
    expect(
      verify([{ kind: 'pin', host: 'web-1.example.com', fingerprint: `${fp}=` }], 'web-1.example.com', 2222).ok
    ).toBe(true)
    expect(verify([{ kind: 'pin', host: 'web-1.example.com', port: 2222, fingerprint: fp }]).ok).toBe(false)
  })

  test('a changed key is refused, naming the host, the offered key and the expected one', () => {
    const verdict = verify([plain(['web-1.example.com'], OTHER)])
    expect(verdict).toEqual({
      ok: false,
      reason: `the server offered ssh-ed25519 key ${presented.fingerprint}, which does not match ssh-known-hosts for 'web-1.example.com' (expected ssh-ed25519 ${fingerprintOf(OTHER)}); the host key changed or someone is intercepting the connection`
    })
  })

  test('a pin for another key is a mismatch too', () => {
    const verdict = verify([{ kind: 'pin', host: 'web-1.example.com', fingerprint: fingerprintOf(OTHER) }])
    expect(verdict.ok).toBe(false)
    expect(!verdict.ok && verdict.reason).toContain(`(expected pin ${fingerprintOf(OTHER)})`)
  })

  test('an unknown host is refused with the line to add (fail closed)', () => {
    expect(verify([plain(['db.example.com'])], 'web-1.example.com', 2222)).toEqual({
      ok: false,
      reason: `the server offered ssh-ed25519 key ${presented.fingerprint}, but ssh-known-hosts has no entry for '[web-1.example.com]:2222' (add the line \`ssh-keyscan -p 2222 web-1.example.com\` prints, or a pin '[web-1.example.com]:2222 ${presented.fingerprint}' after checking it)`
    })
    expect(verify([]).ok).toBe(false)
  })

  test('@revoked wins over a matching entry', () => {
    const verdict = verify([plain(['web-1.example.com']), plain(['*'], KEY, '@revoked')])
    expect(verdict).toEqual({
      ok: false,
      reason: `the server offered ssh-ed25519 key ${presented.fingerprint}, which ssh-known-hosts marks @revoked`
    })
    expect(verify([plain(['web-1.example.com']), plain(['*'], OTHER, '@revoked')]).ok).toBe(true)
  })

  test('@cert-authority lines do not vouch for a plain host key, and the refusal says certificates are not supported', () => {
    const verdict = verify([plain(['*.example.com'], KEY, '@cert-authority')])
    expect(verdict.ok).toBe(false)
    expect(verdict.ok ? '' : verdict.reason).toMatch(
      /names only a @cert-authority for 'web-1\.example\.com': host certificates are not supported \(add the host's own key/
    )
    // A host the authority line does not name gets the ordinary message.
    const other = verify([plain(['*.other.org'], KEY, '@cert-authority')])
    expect(other.ok ? '' : other.reason).toMatch(/has no entry for 'web-1\.example\.com'/)
  })

  test('the key type the entry names is offered first, so the server does not pick another one', () => {
    const rsa: KnownHostEntry = { kind: 'plain', patterns: ['h'], negated: [], keyType: 'ssh-rsa', keyBase64: 'AAAA' }
    const ecdsa: KnownHostEntry = { ...rsa, keyType: 'ecdsa-sha2-nistp256' }
    expect(preferredHostKeyAlgorithms([rsa], 'h', 22)?.slice(0, 4)).toEqual([
      'rsa-sha2-512',
      'rsa-sha2-256',
      'ssh-rsa',
      'ssh-ed25519'
    ])
    expect(preferredHostKeyAlgorithms([ecdsa, rsa], 'h', 22)?.[0]).toBe('ecdsa-sha2-nistp256')
    expect(new Set(preferredHostKeyAlgorithms([ecdsa], 'h', 22)).size).toBe(
      preferredHostKeyAlgorithms([ecdsa], 'h', 22)?.length
    )
    expect(preferredHostKeyAlgorithms([rsa], 'other', 22)).toBeUndefined()
    expect(preferredHostKeyAlgorithms([{ kind: 'pin', host: 'h', fingerprint: 'SHA256:x' }], 'h', 22)).toBeUndefined()
  })
})
