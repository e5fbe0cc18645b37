/** A throwaway OpenSSH server on 127.0.0.1 (own host keys, own authorized_keys), for the connector's tests. */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'

export const SSHD = '/usr/sbin/sshd'
export const sshdAvailable = fs.existsSync(SSHD) && process.getuid?.() === 0

export interface LocalSshd {
  port: number
  dir: string
  user: string
  /** Public host keys as `type base64`. */
  hostKeys: { ed25519: string; rsa: string }
  /** `SHA256:…` of each host key, as ssh-keygen -lf prints it. */
  fingerprints: { ed25519: string; rsa: string }
  /** Private user keys (OpenSSH format): authorized, authorized but encrypted ('pw'), and unknown to the server. */
  keys: { authorized: string; encrypted: string; stranger: string }
  stop(): Promise<void>
}

function keygen(file: string, type: string, passphrase = ''): void {
  execFileSync('ssh-keygen', [
    '-q',
    '-t',
    type,
    ...(type === 'rsa' ? ['-b', '2048'] : []),
    '-N',
    passphrase,
    '-C',
    'test',
    '-f',
    file
  ])
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo
      server.close(() => resolve(port))
    })
    server.on('error', reject)
  })
}

async function waitForPort(port: number, ms: number): Promise<void> {
  const until = Date.now() + ms
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => {
        s.destroy()
        resolve(true)
      })
      s.on('error', () => resolve(false))
    })
    if (ok) return
    if (Date.now() > until) throw new Error(`sshd did not listen on ${port} within ${ms} ms`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

export async function startSshd(): Promise<LocalSshd> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sshd-test-'))
  fs.mkdirSync('/run/sshd', { recursive: true })
  for (const t of ['ed25519', 'rsa']) keygen(path.join(dir, `host_${t}`), t)
  keygen(path.join(dir, 'user'), 'ed25519')
  keygen(path.join(dir, 'user_enc'), 'ed25519', 'pw')
  keygen(path.join(dir, 'stranger'), 'ed25519')
  const pub = (f: string): string =>
    fs
      .readFileSync(path.join(dir, `${f}.pub`), 'utf8')
      .split(' ')
      .slice(0, 2)
      .join(' ')
  fs.writeFileSync(path.join(dir, 'authorized_keys'), `${pub('user')}\n${pub('user_enc')}\n`)
  const port = await freePort()
  const config = path.join(dir, 'sshd_config')
  fs.writeFileSync(
    config,
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${dir}/host_ed25519`,
      `HostKey ${dir}/host_rsa`,
      `AuthorizedKeysFile ${dir}/authorized_keys`,
      `PidFile ${dir}/sshd.pid`,
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'UsePAM no',
      'StrictModes no',
      'PermitRootLogin prohibit-password',
      'AllowTcpForwarding yes',
      'LogLevel ERROR',
      ''
    ].join('\n')
  )
  const child: ChildProcess = spawn(SSHD, ['-D', '-e', '-f', config], { stdio: ['ignore', 'ignore', 'pipe'] })
  let stderr = ''
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()))
  try {
    await waitForPort(port, 5000)
  } catch (error) {
    child.kill('SIGTERM')
    throw new Error(`${(error as Error).message}: ${stderr}`, { cause: error })
  }
  const fp = (f: string): string =>
    execFileSync('ssh-keygen', ['-lf', path.join(dir, `${f}.pub`)], { encoding: 'utf8' }).split(' ')[1] as string
  return {
    port,
    dir,
    user: os.userInfo().username,
    hostKeys: { ed25519: pub('host_ed25519'), rsa: pub('host_rsa') },
    fingerprints: { ed25519: fp('host_ed25519'), rsa: fp('host_rsa') },
    keys: {
      authorized: fs.readFileSync(path.join(dir, 'user'), 'utf8'),
      encrypted: fs.readFileSync(path.join(dir, 'user_enc'), 'utf8'),
      stranger: fs.readFileSync(path.join(dir, 'stranger'), 'utf8')
    },
    async stop() {
      await new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve()
        child.once('exit', () => resolve())
        child.kill('SIGTERM')
      })
      fs.rmSync(dir, { recursive: true, force: true })
    }
  }
}
