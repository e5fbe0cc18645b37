/**
 * `ssh-private-key`: the usual paste mistakes named from the text (a public key, a PuTTY key, no BEGIN/END lines),
 * then one parse, by ssh2, which also decrypts the key with `ssh-passphrase`. Messages describe the key, never show it.
 */
import type ssh2 from 'ssh2'
import type { ParsedKey } from 'ssh2'
import { Inputs } from '../../constants.js'
import { FormError } from '../../inputs/forms.js'
import { invalid, missing } from '../../inputs/reader.js'

export const KEY_FORM =
  'a PEM or OpenSSH private key block (-----BEGIN ... PRIVATE KEY----- … -----END ... PRIVATE KEY-----)'

/** The key block with LF line ends and trimmed lines; throws `FormError` naming a paste mistake. */
export function checkKeyText(raw: string): string {
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
  const body = lines
    .slice(1, -1)
    .filter((l) => l !== '' && !/^[A-Za-z-]+: /.test(l))
    .join('')
  if (!body || !/^[A-Za-z0-9+/]+={0,2}$/.test(body)) throw got('a key block whose body is not base64')
  return `${lines.join('\n')}\n`
}

/** ssh2's key parser (`utils.parseKey`). */
export type KeyParser = typeof ssh2.utils.parseKey

/** ssh2's key parser, loaded when a key is to be parsed: ssh2 is not needed to fail on a bad input. */
export async function loadKeyParser(): Promise<KeyParser> {
  const { default: loaded } = await import('ssh2')
  return loaded.utils.parseKey
}

/**
 * Parses the key with ssh2's parser and decrypts it with `passphrase`: the one parse of the key, kept in memory for
 * every connection. Throws `InputError` naming `ssh-private-key` or `ssh-passphrase`.
 */
export function parsePrivateKey(parseKey: KeyParser, key: string, passphrase: string): ParsedKey {
  const parsed = parseKey(key, passphrase || undefined)
  const first = Array.isArray(parsed) ? parsed[0] : parsed
  if (first instanceof Error || first === undefined) {
    const message = first instanceof Error ? first.message : 'no key found'
    if (/no passphrase given/i.test(message)) {
      throw missing(
        Inputs.sshPassphrase,
        `required because '${Inputs.sshPrivateKey}' is encrypted; expected the key's passphrase`
      )
    }
    if (/bad passphrase|integrity check failed|decrypt/i.test(message)) {
      throw invalid(Inputs.sshPassphrase, `the passphrase of '${Inputs.sshPrivateKey}'`, 'one that does not decrypt it')
    }
    throw invalid(Inputs.sshPrivateKey, KEY_FORM, `a key ssh2 cannot read (${message})`)
  }
  if (first.isPrivateKey() !== true) {
    throw invalid(Inputs.sshPrivateKey, KEY_FORM, 'a public key; give the private key')
  }
  return first
}
