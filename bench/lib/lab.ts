/**
 * The SSH lab as the benchmarks use it: the address book, a route check before the first packet, the real OpenSSH
 * client with the lab key and known_hosts, and curl polling of a host's health URL. Every address comes from the
 * address book and is checked to leave through the lab's own veth (never eth0).
 */
import { execFile, execFileSync } from 'node:child_process'
import { performance } from 'node:perf_hooks'
import { readLabAddressBook, type LabAddressBook, type LabHost } from '../../lab/address-book.js'

export type { LabAddressBook, LabHost }

/** Why the lab parts cannot run (not root, no lab), or the address book. */
export function openLab(): { book: LabAddressBook } | { unavailable: string } {
  if (process.getuid?.() !== 0) return { unavailable: 'the SSH lab needs root' }
  try {
    return { book: readLabAddressBook() }
  } catch (error) {
    return { unavailable: error instanceof Error ? error.message : String(error) }
  }
}

/** Throws unless every address routes through the lab's root veth (`ip route get`), so nothing can leave the machine. */
export function assertLabRoutes(book: LabAddressBook, hosts: readonly LabHost[]): void {
  const dev = book.network.rootInterface
  for (const address of new Set(hosts.map((h) => h.address))) {
    const route = execFileSync('ip', ['route', 'get', address], { encoding: 'utf8' })
    if (!new RegExp(`\\bdev ${dev}\\b`).test(route)) {
      throw new Error(`Refusing to contact ${address}: it does not route through the lab's ${dev}: ${route.trim()}`)
    }
  }
}

/** How the action's `hosts` input names a host. */
export function spec(h: LabHost): string {
  return h.port === 22 ? `${h.user}@${h.address}` : `${h.user}@${h.address}:${h.port}`
}

/** OpenSSH client arguments for a host: the lab key and known_hosts only, no user or system config. */
export function sshArgs(book: LabAddressBook, h: LabHost): string[] {
  return [
    '-F',
    '/dev/null',
    '-i',
    book.keys.privateKey,
    '-o',
    'IdentitiesOnly=yes',
    '-o',
    `UserKnownHostsFile=${book.knownHosts.plain}`,
    '-o',
    'GlobalKnownHostsFile=/dev/null',
    '-o',
    'StrictHostKeyChecking=yes',
    '-o',
    'BatchMode=yes',
    '-o',
    'ConnectTimeout=10',
    '-o',
    'LogLevel=ERROR',
    '-p',
    String(h.port),
    `${h.user}@${h.address}`
  ]
}

export interface Exec {
  stdout: string
  stderr: string
}

/** Runs a program; rejects with its output when it fails or outlives `timeoutMs`. */
export function run(file: string, args: readonly string[], input?: string, timeoutMs = 120_000): Promise<Exec> {
  return new Promise((resolve, reject) => {
    const child = execFile(file, args, { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${file} ${args.slice(-1).join(' ')} failed: ${error.message}\n${stderr}`))
      else resolve({ stdout, stderr })
    })
    child.stdin?.end(input ?? '')
  })
}

/** Runs a shell script on the host over ssh: `sh -s -- args…` with the script on stdin (args must be plain words). */
export function ssh(book: LabAddressBook, h: LabHost, script: string, args: readonly string[] = []): Promise<Exec> {
  for (const a of args) if (!/^[\w./:@%+=-]+$/.test(a)) throw new Error(`unsafe remote argument '${a}'`)
  return run('ssh', [...sshArgs(book, h), 'sh', '-s', '--', ...args], script)
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/** Polls `url` with curl every `everyMs` until it answers 2xx; returns the number of tries. */
export async function curlUntilOk(url: string, everyMs: number, timeoutMs = 60_000): Promise<number> {
  const deadline = performance.now() + timeoutMs
  for (let tries = 1; ; tries++) {
    const ok = await run('curl', ['-fsS', '-o', '/dev/null', '--max-time', '2', url], undefined, 5_000).then(
      () => true,
      () => false
    )
    if (ok) return tries
    if (performance.now() > deadline) throw new Error(`${url} did not answer 2xx within ${timeoutMs} ms`)
    await sleep(everyMs)
  }
}

/** What the host's app answers on its version path (`v1`, `v2`), via curl. */
export async function appVersion(book: LabAddressBook, h: LabHost): Promise<string> {
  const { stdout } = await run('curl', ['-fsS', '--max-time', '2', `${h.appUrl ?? ''}${book.app.versionPath}`])
  return stdout.trim()
}
