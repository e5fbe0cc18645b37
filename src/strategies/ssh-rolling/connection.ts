/**
 * SSH connections: the `SshConnector` interface the strategy uses, and its real implementation on node-ssh
 * (host keys verified against `ssh-known-hosts`, key kept in memory, keepalive, jump host, clear errors). Commands
 * run on node-ssh's underlying ssh2 client, whose channel keeps the output bounded.
 */
import { StringDecoder } from 'node:string_decoder'
import { NodeSSH, SSHError, type Config } from 'node-ssh'
import type {
  AuthMethod,
  Channel,
  Client,
  ClientChannel,
  ParsedKey,
  PublicKeyAuthMethod,
  ServerHostKeyAlgorithm
} from 'ssh2'
import type { HostTarget } from './config.js'
import type { KnownHostEntry } from './known-hosts.js'
import { formatSeconds } from '../../duration.js'
import { errorMessage } from '../../error-message.js'
import type { Clock, Logger } from '../../types.js'
import { describeKey, preferredHostKeyAlgorithms, verifyHostKey, type PresentedKey } from './known-hosts.js'
import { EXEC_TAIL_MAX_CHARS, PHASE_OUTPUT_MAX_BYTES } from './limits.js'
import { remoteCommand, remoteStdin } from './shell.js'
import { TailBuffer } from './tail-buffer.js'

export interface ExecOptions {
  /** Secret input for the script: sent on stdin as `$DEPLOY_INPUT`, never on the command line. */
  input?: string
  /** Ends the command after this long: the result then has `code: null` and `timedOut`. */
  timeoutMs?: number
  /** Ends the command when this aborts: the result then has `code: null` and `cancelled`. */
  signal?: AbortSignal
  /**
   * Supervises the phase as part of this run (`.deploy/run/<runId>/` on the host): stdin stays open while it runs,
   * and closing the channel (timeout, cancel) makes the host stop the phase's process group.
   */
  runId?: string
  onStdout?(text: string): void
  onStderr?(text: string): void
}

export interface ExecResult {
  /** The exit code; `null` when there is none (connection lost, timed out, killed by a signal): a failure. */
  code: number | null
  signal?: string
  /** The end of stdout (the last `EXEC_TAIL_MAX_CHARS` characters), which holds the `@@RESULT` line. */
  stdout: string
  /** The end of stderr, kept the same way. */
  stderr: string
  /** Bytes of stdout and stderr not kept (`onStdout`/`onStderr` saw them all); absent when none. */
  droppedBytes?: number
  timedOut?: boolean
  /** Ended because `signal` aborted. */
  cancelled?: boolean
  /** Why there is no exit code, in words. */
  error?: string
}

/** One connection to one host, used for all its phases. */
export interface SshSession {
  /** Runs `script` as `sh -s -- <args…>` (args single-quoted): one round trip. Never retried. */
  exec(script: string, args: readonly string[], opts?: ExecOptions): Promise<ExecResult>
  /** False once the connection is gone: the caller reconnects before its next phase. */
  readonly alive: boolean
  close(): Promise<void>
}

export interface SshConnector {
  /** Opens a verified, authenticated session; transient failures are retried with backoff. Throws `ConnectionError`. */
  connect(target: HostTarget, signal?: AbortSignal): Promise<SshSession>
  /** Closes what the connector keeps open (the jump host connection). */
  close(): Promise<void>
}

export type ConnectionFailure =
  'host-key' | 'auth' | 'refused' | 'timeout' | 'unreachable' | 'dns' | 'lost' | 'cancelled' | 'other'

const RETRYABLE: ReadonlySet<ConnectionFailure> = new Set(['refused', 'timeout', 'unreachable', 'lost'])

export class ConnectionError extends Error {
  readonly failure: ConnectionFailure
  constructor(failure: ConnectionFailure, message: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause })
    this.name = 'ConnectionError'
    this.failure = failure
  }
  get retryable(): boolean {
    return RETRYABLE.has(this.failure)
  }
}

/** `user@host:port`, with brackets around an IPv6 address. */
export function describeTarget(target: HostTarget): string {
  const host = target.host.includes(':') ? `[${target.host}]` : target.host
  return `${target.user}@${host}:${target.port}`
}

export interface Ssh2ConnectorOptions {
  /** Parsed and decrypted once, when the inputs were read. */
  privateKey: ParsedKey
  knownHosts: readonly KnownHostEntry[]
  insecureSkipHostKeyCheck: boolean
  jumpHost?: HostTarget
  log: Logger
  clock: Clock
  readyTimeoutMs: number
  keepaliveIntervalMs: number
  keepaliveCountMax: number
  /** Waits before the 2nd, 3rd… attempt; its length + 1 is the number of attempts. */
  retryDelaysMs: readonly number[]
}

interface ErrnoLike {
  message?: string
  code?: string
  level?: string
}

function explainError(error: unknown, target: HostTarget, readyTimeoutMs: number): ConnectionError {
  const e = (error ?? {}) as ErrnoLike
  const message = e.message ?? String(error)
  const where = describeTarget(target)
  if (e.level === 'client-authentication') {
    return new ConnectionError(
      'auth',
      `${where} refused the key: authentication failed for user '${target.user}' (is the public key in that user's authorized_keys?)`,
      error
    )
  }
  if (e.code === 'ECONNREFUSED' || /connection refused/i.test(message)) {
    return new ConnectionError(
      'refused',
      `${where}: connection refused (is sshd listening on port ${target.port}?)`,
      error
    )
  }
  if (e.code === 'ETIMEDOUT' || e.level === 'client-timeout' || /timed out/i.test(message)) {
    return new ConnectionError(
      'timeout',
      /keepalive/i.test(message)
        ? `${where}: connection lost (no answer to keepalives)`
        : `${where}: timed out after ${formatSeconds(readyTimeoutMs)} waiting for the SSH handshake`,
      error
    )
  }
  if (e.code === 'ENOTFOUND') return new ConnectionError('dns', `${where}: host name '${target.host}' not found`, error)
  if (e.code === 'EAI_AGAIN') {
    return new ConnectionError('unreachable', `${where}: host name '${target.host}' could not be resolved now`, error)
  }
  if (e.code === 'EHOSTUNREACH' || e.code === 'ENETUNREACH') {
    return new ConnectionError('unreachable', `${where}: no route to host`, error)
  }
  if (e.code === 'ECONNRESET' || /connection lost|closed|ended/i.test(message)) {
    return new ConnectionError('lost', `${where}: connection closed during the handshake (${message})`, error)
  }
  return new ConnectionError('other', `${where}: ${message}`, error)
}

/** A node-ssh connection that is ready, and its ssh2 client. */
interface Connected {
  ssh: NodeSSH
  client: Client
}

class NodeSshSession implements SshSession {
  private closed = false
  private readonly pending = new Set<(error: string) => void>()
  private readonly ssh: NodeSSH
  private readonly client: Client
  lastError: string | undefined

  constructor(
    { ssh, client }: Connected,
    private readonly clock: Clock
  ) {
    this.ssh = ssh
    this.client = client
    const lost = (error: string): void => {
      this.closed = true
      for (const abort of [...this.pending]) abort(error)
    }
    client.on('error', (err: Error) => {
      this.lastError = err.message
      lost(/keepalive/i.test(err.message) ? 'connection lost (no answer to keepalives)' : err.message)
    })
    client.on('close', () => lost(this.lastError ? `connection lost: ${this.lastError}` : 'connection closed'))
  }

  get alive(): boolean {
    return !this.closed
  }

  exec(script: string, args: readonly string[], opts: ExecOptions = {}): Promise<ExecResult> {
    if (this.closed) {
      return Promise.resolve({ code: null, stdout: '', stderr: '', error: this.lastError ?? 'connection closed' })
    }
    return new Promise<ExecResult>((resolve) => {
      const stdout = new TailBuffer(EXEC_TAIL_MAX_CHARS)
      const stderr = new TailBuffer(EXEC_TAIL_MAX_CHARS)
      let code: number | null = null
      let signal: string | undefined
      let channel: ClientChannel | undefined
      let settled = false
      const timer = new AbortController()
      const finish = (extra: Partial<ExecResult>): void => {
        if (settled) return
        settled = true
        timer.abort()
        this.pending.delete(onLost)
        const droppedBytes = stdout.droppedBytes + stderr.droppedBytes
        resolve({
          code,
          stdout: stdout.tail(),
          stderr: stderr.tail(),
          ...(droppedBytes ? { droppedBytes } : {}),
          ...(signal ? { signal } : {}),
          ...extra
        })
      }
      const onLost = (error: string): void => finish({ code: null, error })
      this.pending.add(onLost)
      /** Gives up on the command: closing the channel ends its stdin, which stops a supervised phase on the host. */
      const abandon = (extra: Partial<ExecResult>): void => {
        if (settled) return
        try {
          channel?.end()
          channel?.close()
        } catch {
          // The channel may already be gone.
        }
        finish({ code: null, ...extra })
      }
      if (opts.timeoutMs !== undefined) {
        const ms = Math.max(0, opts.timeoutMs)
        void this.clock
          .sleep(ms, timer.signal)
          .then(() => abandon({ timedOut: true, error: `timed out after ${formatSeconds(ms)}` }))
      }
      const onAbort = (): void => abandon({ cancelled: true, error: 'cancelled' })
      if (opts.signal) {
        if (opts.signal.aborted) return finish({ code: null, cancelled: true, error: 'cancelled before it started' })
        opts.signal.addEventListener('abort', onAbort, { once: true })
        timer.signal.addEventListener('abort', () => opts.signal?.removeEventListener('abort', onAbort), { once: true })
      }
      // ssh2's exec, not node-ssh's execCommand: that keeps all output in memory (bounded output) and ends stdin at once.
      this.client.exec(remoteCommand(args), (err, ch) => {
        if (err) return finish({ code: null, error: `could not start the command: ${err.message}` })
        channel = ch
        if (settled) return void ch.close()
        const out = new StringDecoder('utf8')
        const errText = new StringDecoder('utf8')
        // A runaway command is stopped like a timed-out one: its output is not worth an unbounded wait.
        const stopIfFlooded = (): void => {
          if (stdout.totalBytes + stderr.totalBytes <= PHASE_OUTPUT_MAX_BYTES) return
          abandon({ error: `printed more than ${PHASE_OUTPUT_MAX_BYTES / 1024 ** 2} MiB of output` })
        }
        ch.on('data', (chunk: Buffer) => {
          if (settled) return
          const text = out.write(chunk)
          stdout.append(text)
          opts.onStdout?.(text)
          stopIfFlooded()
        })
        ch.stderr.on('data', (chunk: Buffer) => {
          if (settled) return
          const text = errText.write(chunk)
          stderr.append(text)
          opts.onStderr?.(text)
          stopIfFlooded()
        })
        ch.on('exit', (exitCode: number | null, exitSignal?: string) => {
          if (typeof exitCode === 'number') code = exitCode
          else if (exitSignal) signal = exitSignal
        })
        ch.on('close', () => {
          const tail = out.end()
          stdout.append(tail)
          if (tail) opts.onStdout?.(tail)
          const errTail = errText.end()
          stderr.append(errTail)
          if (errTail) opts.onStderr?.(errTail)
          finish(
            code === null ? { error: signal ? `killed by signal ${signal}` : 'no exit status (connection lost?)' } : {}
          )
        })
        // A supervised phase watches its stdin for the end of the channel: keep it open until the phase ends.
        const stdin = remoteStdin(script, opts.input, opts.runId)
        if (opts.runId === undefined) ch.end(stdin)
        else ch.write(stdin)
      })
    })
  }

  async close(): Promise<void> {
    this.closed = true
    this.ssh.dispose()
  }
}

/**
 * node-ssh's rejection when the connection closes before it is ready with no error from ssh2 (a server that hangs up
 * after its banner): it says "No response from server" and ETIMEDOUT, but nothing timed out.
 */
function closedBeforeReady(error: unknown): boolean {
  return error instanceof SSHError && error.message === 'No response from server'
}

/** The real connector. Create it once per run; `close()` it at the end. */
export function createSsh2Connector(options: Ssh2ConnectorOptions): SshConnector {
  const { log, clock } = options
  let jump: Promise<NodeSSH> | undefined

  const authMethods = (username: string): AuthMethod[] => [
    { type: 'publickey', username, key: options.privateKey } as PublicKeyAuthMethod
  ]

  const open = (target: HostTarget, sock?: Channel, signal?: AbortSignal): Promise<Connected> =>
    new Promise<Connected>((resolve, reject) => {
      const ssh = new NodeSSH()
      let presented: PresentedKey | undefined
      let hostKeyProblem: string | undefined
      let done = false
      const settle = (): boolean => {
        if (done) return false
        done = true
        signal?.removeEventListener('abort', onAbort)
        return true
      }
      const onAbort = (): void => {
        if (!settle()) return
        ssh.dispose()
        reject(new ConnectionError('cancelled', `${describeTarget(target)}: cancelled while connecting`))
      }
      const fail = (err: unknown): void => {
        if (!settle()) return
        ssh.dispose()
        if (hostKeyProblem !== undefined) {
          reject(
            new ConnectionError(
              'host-key',
              `Host key verification failed for ${describeTarget(target)}: ${hostKeyProblem}`,
              err
            )
          )
        } else {
          const cause = closedBeforeReady(err) ? new Error('the server closed the connection', { cause: err }) : err
          reject(explainError(cause, target, options.readyTimeoutMs))
        }
      }
      if (signal?.aborted) return onAbort()
      signal?.addEventListener('abort', onAbort, { once: true })
      const algorithms = preferredHostKeyAlgorithms(options.knownHosts, target.host, target.port)
      // node-ssh hands this to ssh2's connect: host key check before auth, keepalive and handshake timeout included.
      const config: Config = {
        host: target.host,
        port: target.port,
        username: target.user,
        readyTimeout: options.readyTimeoutMs,
        keepaliveInterval: options.keepaliveIntervalMs,
        keepaliveCountMax: options.keepaliveCountMax,
        hostVerifier: (key: Buffer): boolean => {
          presented = describeKey(key)
          if (options.insecureSkipHostKeyCheck) {
            log.warning(
              `${describeTarget(target)}: host key NOT verified (${presented.type} ${presented.fingerprint}); add it to ssh-known-hosts`
            )
            return true
          }
          const verdict = verifyHostKey(options.knownHosts, target.host, target.port, presented)
          if (!verdict.ok) hostKeyProblem = verdict.reason
          return verdict.ok
        },
        ...(algorithms ? { algorithms: { serverHostKey: algorithms as ServerHostKeyAlgorithm[] } } : {}),
        // The key ssh2 parsed (and decrypted) once: the passphrase's KDF runs once per run, not once per host.
        authHandler: authMethods(target.user),
        ...(sock ? { sock } : {})
      }
      const connecting = ssh.connect(config)
      const client = ssh.connection
      // node-ssh stops listening for errors once ready: this listener stays, so a later error is never unhandled.
      client?.on('error', () => undefined)
      connecting.then(() => {
        if (!client) return fail(new Error('connection closed'))
        if (!settle()) return void ssh.dispose()
        if (presented) log.debug(`${describeTarget(target)}: host key ${presented.type} ${presented.fingerprint}`)
        resolve({ ssh, client })
      }, fail)
    })

  const jumpClient = (jumpHost: HostTarget, signal?: AbortSignal): Promise<NodeSSH> => {
    if (!jump) {
      jump = open(jumpHost, undefined, signal).then(
        ({ ssh, client }) => {
          client.on('close', () => {
            jump = undefined
          })
          return ssh
        },
        (error: unknown) => {
          jump = undefined
          const e = error as ConnectionError
          throw new ConnectionError(e.failure ?? 'other', `jump host ${e.message}`, error)
        }
      )
    }
    return jump
  }

  const openTarget = async (target: HostTarget, signal?: AbortSignal): Promise<Connected> => {
    if (!options.jumpHost) return open(target, undefined, signal)
    const via = await jumpClient(options.jumpHost, signal)
    const jumpName = describeTarget(options.jumpHost)
    // The jump host may never answer the forward (its own connect to the target hangs): bounded, and cancellable.
    const stream = await new Promise<Channel>((resolve, reject) => {
      let done = false
      const settle = (): boolean => {
        if (done) return false
        done = true
        timer.abort()
        signal?.removeEventListener('abort', onAbort)
        return true
      }
      const timer = new AbortController()
      void clock.after(options.readyTimeoutMs, timer.signal).then(() => {
        if (!timer.signal.aborted && settle()) {
          reject(
            new ConnectionError(
              'timeout',
              `${describeTarget(target)}: the jump host ${jumpName} did not open a connection to it within ${formatSeconds(options.readyTimeoutMs)}`
            )
          )
        }
      })
      const onAbort = (): void => {
        if (settle()) reject(new ConnectionError('cancelled', `${describeTarget(target)}: cancelled while connecting`))
      }
      if (signal?.aborted) return onAbort()
      signal?.addEventListener('abort', onAbort, { once: true })
      // Called in a promise: node-ssh throws at once, not through it, when the jump connection has just ended.
      void Promise.resolve()
        .then(() => via.forwardOut('127.0.0.1', 0, target.host, target.port))
        .then(
          (channel) => {
            if (settle()) resolve(channel)
            else channel.close()
          },
          (err: unknown) => {
            if (!settle()) return
            const message = errorMessage(err)
            reject(
              new ConnectionError(
                /refused/i.test(message) ? 'refused' : 'unreachable',
                `${describeTarget(target)}: the jump host ${jumpName} could not reach it (${message})`,
                err
              )
            )
          }
        )
    })
    return open(target, stream, signal)
  }

  return {
    async connect(target, signal) {
      const attempts = options.retryDelaysMs.length + 1
      for (let attempt = 1; ; attempt++) {
        try {
          return new NodeSshSession(await openTarget(target, signal), clock)
        } catch (error) {
          const e = error instanceof ConnectionError ? error : explainError(error, target, options.readyTimeoutMs)
          const delay = options.retryDelaysMs[attempt - 1]
          if (!e.retryable || delay === undefined || signal?.aborted) {
            throw attempt > 1 ? new ConnectionError(e.failure, `${e.message} (after ${attempt} attempts)`, e) : e
          }
          log.info(`${e.message}; attempt ${attempt + 1} of ${attempts} in ${formatSeconds(delay)}`)
          await clock.sleep(delay, signal)
        }
      }
    },
    async close() {
      const pending = jump
      jump = undefined
      if (pending) await pending.then((ssh) => ssh.dispose()).catch(() => undefined)
    }
  }
}
