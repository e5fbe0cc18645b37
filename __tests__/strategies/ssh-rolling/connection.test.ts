/**
 * The connector (node-ssh, commands on its ssh2 client) against a real OpenSSH server on 127.0.0.1: host keys, auth
 * errors, retries, exec framing, jump host.
 */
import { execFileSync } from 'node:child_process'
import ssh2 from 'ssh2'
import { generateKeyPairSync } from 'node:crypto'
import fs from 'node:fs'
import net from 'node:net'
import type { HostTarget } from '../../../src/strategies/ssh-rolling/config.js'
import type { KnownHostEntry } from '../../../src/strategies/ssh-rolling/known-hosts.js'
import { systemClock } from '../../../src/clock.js'
import {
  ConnectionError,
  createSsh2Connector,
  type Ssh2ConnectorOptions,
  type SshConnector,
  type SshSession
} from '../../../src/strategies/ssh-rolling/connection.js'
import { parsePrivateKey } from '../../../src/strategies/ssh-rolling/private-key.js'
import { SSH_KEEPALIVE_COUNT_MAX, SSH_KEEPALIVE_INTERVAL_MS } from '../../../src/strategies/ssh-rolling/limits.js'
import { SCRIPTS } from '../../../src/strategies/ssh-rolling/scripts.js'
import { parseScriptOutput } from '../../../src/strategies/ssh-rolling/shell.js'
import { fakeClock, recordingLogger } from '../../helpers/fake-deps.js'
import { sshdAvailable, startSshd, type LocalSshd } from './helpers/sshd.js'

function sshString(data: Buffer | string): Buffer {
  const b = Buffer.from(data)
  const len = Buffer.alloc(4)
  len.writeUInt32BE(b.length)
  return Buffer.concat([len, b])
}

const suite = sshdAvailable ? describe : describe.skip
if (!sshdAvailable) console.warn('connection tests skipped: /usr/sbin/sshd is missing or not running as root')

suite('ssh2 connector (local sshd)', () => {
  let sshd: LocalSshd
  let target: HostTarget
  const connectors: SshConnector[] = []
  const sessions: SshSession[] = []
  beforeAll(async () => {
    sshd = await startSshd()
    target = { spec: `127.0.0.1:${sshd.port}`, user: sshd.user, host: '127.0.0.1', port: sshd.port }
  }, 30_000)
  afterEach(async () => {
    await Promise.all(sessions.splice(0).map((s) => s.close()))
    await Promise.all(connectors.splice(0).map((c) => c.close()))
  })
  afterAll(async () => {
    await sshd?.stop()
  })

  const loadPrivateKey = (key: string, passphrase = ''): ssh2.ParsedKey =>
    parsePrivateKey(ssh2.utils.parseKey, key, passphrase)

  const known = (key: string, name = `[127.0.0.1]:${sshd.port}`): KnownHostEntry => {
    const [keyType, keyBase64] = key.split(' ') as [string, string]
    return { kind: 'plain', patterns: [name], negated: [], keyType, keyBase64 }
  }

  function connector(overrides: Partial<Ssh2ConnectorOptions> = {}) {
    const log = recordingLogger()
    const c = createSsh2Connector({
      privateKey: loadPrivateKey(sshd.keys.authorized),
      knownHosts: [known(sshd.hostKeys.ed25519)],
      insecureSkipHostKeyCheck: false,
      log,
      clock: systemClock,
      readyTimeoutMs: 5000,
      keepaliveIntervalMs: 1000,
      keepaliveCountMax: 3,
      retryDelaysMs: [],
      ...overrides
    })
    connectors.push(c)
    const tracked: SshConnector = {
      connect: async (t, signal) => {
        const session = await c.connect(t, signal)
        sessions.push(session)
        return session
      },
      close: () => c.close()
    }
    return { c: tracked, log }
  }

  async function connectError(c: SshConnector, t: HostTarget = target): Promise<ConnectionError> {
    const error = await c.connect(t).then(
      () => undefined,
      (e: unknown) => e
    )
    expect(error).toBeInstanceOf(ConnectionError)
    return error as ConnectionError
  }

  test('runs a phase script: arguments quoted, input on stdin only, exit code and result back', async () => {
    const { c } = connector()
    const session = await c.connect(target)
    const secret = `pa$$w0rd 'x' "y"`
    const script = [
      'printf "%s\\n" "$DEPLOY_INPUT" > /dev/null',
      'cmd=$(tr "\\0" " " < /proc/$$/cmdline)',
      'printf "args=[%s] [%s]\\n" "$1" "$2"',
      'printf "cmdline=%s\\n" "$cmd"',
      'printf "input=%s\\n" "$DEPLOY_INPUT"',
      'echo \'@@RESULT {"ok":true}\'',
      'exit 0'
    ].join('\n')
    const r = await session.exec(script, ["it's", '$(id)'], { input: secret })
    expect(r.code).toBe(0)
    expect(r.stdout).toContain(`args=[it's] [$(id)]`)
    expect(r.stdout).toContain(`input=${secret}`)
    const cmdline = /cmdline=(.*)/.exec(r.stdout)?.[1] ?? ''
    expect(cmdline).toContain('sh -s -- ')
    expect(cmdline).not.toContain('w0rd')
    expect(parseScriptOutput(r.stdout).result).toEqual({ ok: true })
    const failed = await session.exec('echo oops >&2; exit 7', [])
    expect(failed).toMatchObject({ code: 7, stderr: 'oops\n' })
    const phase = await session.exec(SCRIPTS.run, [sshd.dir, 'cmd'], { input: 'echo hello' })
    expect(parseScriptOutput(phase.stdout)).toEqual({
      result: { ok: true, exitCode: 0 },
      text: '\nhello'.trim() ? 'hello' : ''
    })
    await session.close()
    expect(session.alive).toBe(false)
  })

  test('streams output as it comes', async () => {
    const { c } = connector()
    const session = await c.connect(target)
    const chunks: string[] = []
    await session.exec('echo one; sleep 0.2; echo two >&2', [], {
      onStdout: (t) => chunks.push(`out:${t}`),
      onStderr: (t) => chunks.push(`err:${t}`)
    })
    expect(chunks).toEqual(['out:one\n', 'err:two\n'])
  })

  test('a command over its time limit ends with no exit code', async () => {
    const { c } = connector()
    const session = await c.connect(target)
    const started = Date.now()
    const r = await session.exec('sleep 5', [], { timeoutMs: 300 })
    expect(r).toMatchObject({ code: null, timedOut: true, error: 'timed out after 0.3 s' })
    expect(Date.now() - started).toBeLessThan(3000)
  })

  test('a connection that drops mid-command resolves with code null, and the session is no longer alive', async () => {
    const { c } = connector()
    const session = await c.connect(target)
    // Kill this session's sshd process: the link is gone while the command runs.
    const r = await session.exec('kill -9 $PPID; sleep 5', [])
    expect(r.code).toBeNull()
    expect(r.error).toEqual(expect.any(String))
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(session.alive).toBe(false)
    expect(await session.exec('echo hi', [])).toMatchObject({ code: null })
  })

  test('an unknown host key is refused, naming the host and the offered fingerprint', async () => {
    const { c } = connector({ knownHosts: [known(sshd.hostKeys.ed25519, 'other-host')] })
    const e = await connectError(c)
    expect(e.failure).toBe('host-key')
    expect(e.retryable).toBe(false)
    expect(e.message).toBe(
      `Host key verification failed for ${sshd.user}@127.0.0.1:${sshd.port}: the server offered ssh-ed25519 key ${sshd.fingerprints.ed25519}, but ssh-known-hosts has no entry for '[127.0.0.1]:${sshd.port}' (add the line \`ssh-keyscan -p ${sshd.port} 127.0.0.1\` prints, or a pin '[127.0.0.1]:${sshd.port} ${sshd.fingerprints.ed25519}' after checking it)`
    )
  })

  test('a changed host key is refused as a mismatch', async () => {
    const { publicKey } = generateKeyPairSync('ed25519')
    const x = Buffer.from(publicKey.export({ format: 'jwk' }).x as string, 'base64url')
    const other = Buffer.concat([sshString('ssh-ed25519'), sshString(x)]).toString('base64')
    const { c } = connector({ knownHosts: [known(`ssh-ed25519 ${other}`)] })
    const e = await connectError(c)
    expect(e.failure).toBe('host-key')
    expect(e.message).toContain('which does not match ssh-known-hosts')
  })

  test('only the RSA host key is known: RSA is negotiated instead of ed25519', async () => {
    const { c, log } = connector({ knownHosts: [known(sshd.hostKeys.rsa)] })
    const session = await c.connect(target)
    expect((await session.exec('exit 0', [])).code).toBe(0)
    expect(log.entries).toContainEqual({
      level: 'debug',
      message: `${sshd.user}@127.0.0.1:${sshd.port}: host key ssh-rsa ${sshd.fingerprints.rsa}`
    })
  })

  test('a SHA256 pin is enough', async () => {
    const { c } = connector({
      knownHosts: [{ kind: 'pin', host: '127.0.0.1', fingerprint: sshd.fingerprints.ed25519 }]
    })
    await expect(c.connect(target)).resolves.toBeDefined()
  })

  test('skipping the host key check works but warns with the fingerprint', async () => {
    const { c, log } = connector({ knownHosts: [], insecureSkipHostKeyCheck: true })
    await c.connect(target)
    expect(log.entries.some((e) => e.level === 'warning' && e.message.includes(sshd.fingerprints.ed25519))).toBe(true)
  })

  test('a key the server does not accept: a clear auth error, not retried', async () => {
    const clock = fakeClock()
    const { c } = connector({ privateKey: loadPrivateKey(sshd.keys.stranger), clock, retryDelaysMs: [1000, 2000] })
    const e = await connectError(c)
    expect(e.failure).toBe('auth')
    expect(e.message).toBe(
      `${sshd.user}@127.0.0.1:${sshd.port} refused the key: authentication failed for user '${sshd.user}' (is the public key in that user's authorized_keys?)`
    )
    expect(clock.sleeps).toEqual([])
  })

  test('connection refused is retried with backoff, then reported with the attempts', async () => {
    const clock = fakeClock()
    const { c, log } = connector({ clock, retryDelaysMs: [1000, 2000] })
    const closed = { ...target, port: 1 }
    const e = await connectError(c, closed)
    expect(e.failure).toBe('refused')
    expect(e.message).toBe(
      `${sshd.user}@127.0.0.1:1: connection refused (is sshd listening on port 1?) (after 3 attempts)`
    )
    expect(clock.sleeps).toEqual([1000, 2000])
    expect(log.entries.filter((x) => x.message.includes('attempt'))).toHaveLength(2)
  })

  interface FakeServer {
    port: number
    /** Connections accepted so far. */
    sockets: net.Socket[]
    stop(): Promise<void>
  }

  /** A TCP server on 127.0.0.1 that does `onConnection` with each connection, and nothing else. */
  async function tcpServer(onConnection: (socket: net.Socket) => void): Promise<FakeServer> {
    const sockets: net.Socket[] = []
    const server = net.createServer((socket) => {
      sockets.push(socket)
      onConnection(socket)
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const { port } = server.address() as net.AddressInfo
    const stop = (): Promise<void> => {
      for (const socket of sockets) socket.destroy()
      return new Promise((resolve) => server.close(() => resolve()))
    }
    return { port, sockets, stop }
  }

  test('a server that closes the connection during the handshake: a clear error, retried', async () => {
    // An SSH banner, then the end of the connection before any key exchange.
    const server = await tcpServer((socket) => socket.end('SSH-2.0-OpenSSH_9.6\r\n'))
    try {
      const clock = fakeClock()
      const { c, log } = connector({ clock, retryDelaysMs: [1000] })
      const closing = { ...target, port: server.port }
      const outcome = connectError(c, closing)
      const hung = new Promise<'hung'>((resolve) => setTimeout(() => resolve('hung'), 3_000).unref())
      const e = await Promise.race([outcome, hung])
      expect(e).not.toBe('hung')
      const error = e as ConnectionError
      expect(error.failure).toBe('lost')
      expect(error.message).toBe(
        `${sshd.user}@127.0.0.1:${server.port}: connection closed during the handshake (the server closed the connection) (after 2 attempts)`
      )
      expect(server.sockets).toHaveLength(2)
      expect(clock.sleeps).toEqual([1000])
      expect(log.entries.filter((x) => x.message.includes('attempt 2 of 2'))).toHaveLength(1)
    } finally {
      await server.stop()
    }
  })

  test('a server that never answers: the handshake times out, and cancelling ends the attempt at once', async () => {
    // Reads what the client sends (so it sees the client hang up), answers nothing.
    const server = await tcpServer((socket) => socket.resume())
    try {
      const { c } = connector({ readyTimeoutMs: 500 })
      const silent = { ...target, port: server.port }
      const e = await connectError(c, silent)
      expect(e.failure).toBe('timeout')
      expect(e.message).toBe(
        `${sshd.user}@127.0.0.1:${server.port}: timed out after 0.5 s waiting for the SSH handshake`
      )
      const { c: patient } = connector({ readyTimeoutMs: 20_000 })
      const cancel = new AbortController()
      setTimeout(() => cancel.abort(), 200)
      const started = Date.now()
      const cancelled = await patient.connect(silent, cancel.signal).then(
        () => undefined,
        (error: unknown) => error as ConnectionError
      )
      expect(cancelled?.failure).toBe('cancelled')
      expect(cancelled?.message).toBe(`${sshd.user}@127.0.0.1:${server.port}: cancelled while connecting`)
      expect(Date.now() - started).toBeLessThan(2_000)
      // The cancelled attempt's socket is closed, not left to the server.
      const last = server.sockets.at(-1)
      await new Promise((resolve) => (last?.closed ? resolve(undefined) : last?.once('close', resolve)))
      expect(server.sockets).toHaveLength(2)
    } finally {
      await server.stop()
    }
  })

  test('an encrypted key, decrypted once when the inputs are read, authenticates', async () => {
    const { c } = connector({ privateKey: loadPrivateKey(sshd.keys.encrypted, 'pw') })
    const session = await c.connect(target)
    expect((await session.exec('exit 3', [])).code).toBe(3)
  })

  test('through a jump host (forwardOut), one jump connection for several targets', async () => {
    const jumpHost = { ...target, spec: 'jump' }
    const { c } = connector({ jumpHost })
    const [a, b] = await Promise.all([c.connect(target), c.connect({ ...target, spec: 'second' })])
    expect((await a.exec('echo "$SSH_CONNECTION"', [])).stdout).toMatch(/^127\.0\.0\.1 \d+ 127\.0\.0\.1 \d+\n$/)
    expect((await b.exec('exit 0', [])).code).toBe(0)
    const e = await connectError(c, { ...target, port: 1 })
    expect(e.message).toContain(`the jump host ${sshd.user}@127.0.0.1:${sshd.port} could not reach it`)
  })

  /** Stops (SIGSTOP) or resumes every per-connection sshd process of the test server: the server stalls. */
  function stallServer(signal: 'SIGSTOP' | 'SIGCONT'): number {
    const master = Number(fs.readFileSync(`${sshd.dir}/sshd.pid`, 'utf8'))
    const rows = execFileSync('ps', ['-eo', 'pid=,ppid=,comm='], { encoding: 'utf8' })
      .split('\n')
      .map((l) => l.trim().split(/\s+/))
    const descendants = new Set([master])
    for (let grew = true; grew;) {
      grew = false
      for (const [pid, ppid, comm] of rows) {
        if (comm === 'sshd' && descendants.has(Number(ppid)) && !descendants.has(Number(pid))) {
          descendants.add(Number(pid))
          grew = true
        }
      }
    }
    descendants.delete(master)
    for (const pid of descendants) process.kill(pid, signal)
    return descendants.size
  }

  test("a server that stalls for a few seconds keeps the connection (the action's keepalive limits)", async () => {
    const { c } = connector({
      keepaliveIntervalMs: SSH_KEEPALIVE_INTERVAL_MS,
      keepaliveCountMax: SSH_KEEPALIVE_COUNT_MAX
    })
    const session = await c.connect(target)
    const running = session.exec('sleep 5; echo done', [])
    await new Promise((r) => setTimeout(r, 300))
    expect(stallServer('SIGSTOP')).toBeGreaterThan(0)
    try {
      await new Promise((r) => setTimeout(r, 4_500))
    } finally {
      stallServer('SIGCONT')
    }
    expect(await running).toMatchObject({ code: 0, stdout: 'done\n' })
    expect(session.alive).toBe(true)
  })

  test('a jump host that never answers the forward: bounded by the handshake timeout, and cancellable', async () => {
    const jumpHost = { ...target, spec: 'jump' }
    const { c } = connector({ jumpHost, readyTimeoutMs: 1_500 })
    await c.connect(target)
    expect(stallServer('SIGSTOP')).toBeGreaterThan(0)
    try {
      const started = Date.now()
      const e = await connectError(c, { ...target, spec: 'stalled' })
      expect(e.failure).toBe('timeout')
      expect(e.message).toMatch(/the jump host .* did not open a connection to it within 1\.5 s/)
      expect(Date.now() - started).toBeLessThan(3_000)
      const cancel = new AbortController()
      setTimeout(() => cancel.abort(), 200)
      const cancelledAt = Date.now()
      const cancelled = await c.connect({ ...target, spec: 'cancelled' }, cancel.signal).then(
        () => undefined,
        (error: unknown) => error as ConnectionError
      )
      expect(cancelled?.failure).toBe('cancelled')
      expect(Date.now() - cancelledAt).toBeLessThan(1_200)
    } finally {
      stallServer('SIGCONT')
    }
  })
})
