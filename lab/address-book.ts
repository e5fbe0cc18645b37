// Typed reader of the lab address book that lab/up.sh writes to lab/.run/lab.json (format: lab/README.md).
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import { fileURLToPath } from 'node:url'

/** One lab host: a network namespace with its own sshd (and, for kind `full`, its own dockerd). */
export interface LabHost {
  name: string
  kind: 'full' | 'sshd-only'
  address: string
  port: number
  user: string
  /** How the host appears in known_hosts: `address`, or `[address]:port` when the port is not 22. */
  knownHostsName: string
  /** Key type (`ssh-ed25519`, `ssh-rsa`, `ecdsa-sha2-nistp256`) → `SHA256:<base64 without padding>`. */
  hostKeyFingerprints: Record<string, string>
  /** Key type → `<type> <base64>` as in a .pub file or a known_hosts line. */
  hostKeys: Record<string, string>
  namespace: string
  interface: string
  bridgePort: string
  sshdPidFile: string
  sshdLog: string
  /** What the host sees as /app, as a path in the root namespace. */
  appDir: string
  /** What the host sees as /tmp, as a path in the root namespace. */
  tmpDir: string
  /** Shell commands (root) that cut and restore the host's network link. */
  linkDown: string
  linkUp: string
  /** Only for kind `full`. */
  dockerHost?: string
  dockerSocket?: string
  dockerConfig?: string
  dockerdPidFile?: string
  dockerdLog?: string
  appUrl?: string
  /** A second SSH port of the same sshd (full hosts): sessions on it find busybox ash as `sh` (dash on `port`). */
  ashPort?: number
}

export interface LabAddressBook {
  version: 1
  createdAt: string
  user: string
  /** A login that is not root, in the `docker` group (lab key too): may use every full host's dockerd. */
  dockerUser: string
  keys: { privateKey: string; publicKey: string; encryptedPrivateKey: string; passphrase: string }
  knownHosts: { plain: string; hashed: string }
  network: {
    blackholed: string
    subnet: string
    rootAddress: string
    rootInterface: string
    switchNamespace: string
    bridge: string
  }
  registry: { address: string; namespace: string; pidFile: string; start: string; stop: string }
  /** `proxy`: the caddy reverse proxy image (lab/caddy.sh); absent in an address book written before it existed. */
  images: { repository: string; tags: Record<string, string>; push: string; proxy?: string }
  app: {
    dir: string
    composeFile: string
    envFile: string
    service: string
    project: string
    port: number
    healthPath: string
    versionPath: string
  }
  hosts: LabHost[]
}

/** Where lab/up.sh writes the address book. */
export const LAB_ADDRESS_BOOK = fileURLToPath(new URL('./.run/lab.json', import.meta.url))

/** Reads the address book; throws a message that says how to start the lab when there is none. */
export function readLabAddressBook(file: string = LAB_ADDRESS_BOOK): LabAddressBook {
  let text: string
  try {
    text = fs.readFileSync(file, 'utf8')
  } catch (error) {
    throw new Error(`No lab address book at ${file}: start the lab first with \`npm run lab:up\` (as root)`, {
      cause: error
    })
  }
  const book = JSON.parse(text) as LabAddressBook
  if (book.version !== 1) throw new Error(`Unsupported lab address book version ${String(book.version)} in ${file}`)
  return book
}

/** OpenSSH's fingerprint of a raw host key (what ssh2's hostVerifier receives): `SHA256:<base64, no padding>`. */
export function sshFingerprint(key: Buffer): string {
  return `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`
}
