/**
 * Runs the remote scripts for real on this machine, exactly as sshd would (`<login shell> -c "sh -s -- '<arg>'…"`,
 * script and input on stdin), with the fake docker of __fixtures__/ssh on PATH. Each "host" is a folder used as
 * the login directory, so a relative app-dir lands inside it.
 */
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { HostTarget } from '../../../../src/strategies/ssh-rolling/config.js'
import type {
  ExecOptions,
  ExecResult,
  SshConnector,
  SshSession
} from '../../../../src/strategies/ssh-rolling/connection.js'
import { SCRIPTS, type PhaseScriptName } from '../../../../src/strategies/ssh-rolling/scripts.js'
import {
  parseScriptOutput,
  remoteCommand,
  remoteStdin,
  shellQuote,
  type ScriptResult
} from '../../../../src/strategies/ssh-rolling/shell.js'

export const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../__fixtures__/ssh')
export const FAKE_BIN = path.join(FIXTURES, 'bin')

export interface LocalOptions {
  input?: string
  cwd?: string
  env?: Record<string, string>
  /** The shell that reads the script: `sh` (dash here), `bash` or `busybox sh`. */
  shell?: string
  timeoutMs?: number
  /** Ends the run like a closed SSH channel (see `timeoutMs`). */
  signal?: AbortSignal
  /** Supervise the phase as the SSH session does: stdin stays open until the script ends or is given up on. */
  runId?: string
  onStdout?(text: string): void
  onStderr?(text: string): void
}

export interface LocalRun extends ExecResult {
  result?: ScriptResult
  text: string
}

export function commandFor(args: readonly string[], shell = 'sh'): string {
  return shell === 'sh' ? remoteCommand(args) : [shell, '-s', '--', ...args.map(shellQuote)].join(' ')
}

/** Runs script text (a phase name or raw text) the way an SSH session does. */
export function runText(script: string, args: readonly string[], options: LocalOptions = {}): Promise<LocalRun> {
  return new Promise((resolve, reject) => {
    // A session (and process group) of its own, as sshd starts each command: what `supervise` stops.
    const child = spawn('sh', ['-c', commandFor(args, options.shell)], {
      cwd: options.cwd ?? os.tmpdir(),
      env: {
        ...process.env,
        PATH: `${FAKE_BIN}:${process.env.PATH ?? ''}`,
        FAKE_DOCKER_NODE: process.execPath,
        ...options.env
      },
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true
    })
    let stdout = ''
    let stderr = ''
    let settled = false
    const finish = (run: LocalRun): void => {
      if (settled) return
      settled = true
      if (timer) clearTimeout(timer)
      options.signal?.removeEventListener('abort', onAbort)
      resolve(run)
    }
    /**
     * Gives up like the SSH session: a supervised script's stdin ends (its watcher stops the group); an unsupervised
     * one is killed. The result comes at once, without waiting for the script.
     */
    const abandon = (extra: Partial<LocalRun>): void => {
      if (options.runId !== undefined) child.stdin.end()
      else child.kill('SIGKILL')
      finish({ code: null, stdout, stderr, text: stdout, ...extra })
    }
    const timer = options.timeoutMs
      ? setTimeout(() => abandon({ timedOut: true, error: 'timed out' }), options.timeoutMs)
      : undefined
    const onAbort = (): void => abandon({ cancelled: true, error: 'cancelled' })
    options.signal?.addEventListener('abort', onAbort, { once: true })
    child.stdout.setEncoding('utf8').on('data', (t: string) => {
      stdout += t
      options.onStdout?.(t)
    })
    child.stderr.setEncoding('utf8').on('data', (t: string) => {
      stderr += t
      options.onStderr?.(t)
    })
    child.on('error', reject)
    child.on('close', (code) => {
      // As sshd does once the command has exited: its stdin ends, which lets a supervised script's watcher go.
      child.stdin.end()
      const { result, text } = parseScriptOutput(stdout)
      finish({ code, stdout, stderr, text, ...(result ? { result } : {}) })
    })
    child.stdin.on('error', () => undefined)
    const stdin = remoteStdin(script, options.input, options.runId)
    if (options.runId !== undefined) child.stdin.write(stdin)
    else child.stdin.end(stdin)
  })
}

export function runPhase(
  name: PhaseScriptName,
  args: readonly string[],
  options: LocalOptions = {}
): Promise<LocalRun> {
  return runText(SCRIPTS[name], args, options)
}

/** A fake docker host's state file ($FAKE_DOCKER_STATE). */
export interface DockerState {
  compose?: 'v1' | 'v2' | 'none'
  daemon?: boolean
  registryDown?: boolean
  registry?: Record<string, string>
  tags?: Record<string, string>
  images?: string[]
  removed?: string[]
  tagFails?: boolean
  behaviour?: Record<string, 'healthy' | 'unhealthy' | 'starting' | 'crash' | 'plain'>
  containers?: {
    id: string
    name: string
    project: string
    /** The compose working_dir label: containers created from the app dir carry it. */
    workingDir?: string
    service: string
    imageId: string
    image: string
    oneoff: string
    status: string
    health: string | null
    /** Of an exited container (default 1). */
    exitCode?: number
    logs: string[]
  }[]
  calls?: string[][]
}

export interface LocalHost {
  name: string
  home: string
  appDir: string
  stateFile: string
  env: Record<string, string>
  state(): DockerState
  setState(patch: Partial<DockerState>): void
  read(file: string): string
}

export function makeTempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix))
}

/** A host folder: `<home>/app` with a compose file and .env, and a fake docker state. */
export function makeLocalHost(
  root: string,
  name: string,
  setup: { compose?: string; env?: string; state?: DockerState; project?: string } = {}
): LocalHost {
  const home = path.join(root, name)
  const appDir = path.join(home, setup.project ?? 'app')
  fs.mkdirSync(appDir, { recursive: true })
  if (setup.compose !== undefined) fs.writeFileSync(path.join(appDir, 'docker-compose.yml'), setup.compose)
  if (setup.env !== undefined) fs.writeFileSync(path.join(appDir, '.env'), setup.env, { mode: 0o644 })
  const stateFile = path.join(home, 'docker.json')
  fs.writeFileSync(stateFile, JSON.stringify({ compose: 'v2', daemon: true, ...setup.state }))
  const host: LocalHost = {
    name,
    home,
    appDir,
    stateFile,
    env: { FAKE_DOCKER_STATE: stateFile, HOME: home },
    state: () => JSON.parse(fs.readFileSync(stateFile, 'utf8')) as DockerState,
    setState: (patch) => fs.writeFileSync(stateFile, JSON.stringify({ ...host.state(), ...patch })),
    read: (file) => fs.readFileSync(path.join(appDir, file), 'utf8')
  }
  return host
}

/** A running container in the fake docker's state, as `compose up` would have made it. */
export function container(
  project: string,
  service: string,
  imageId: string,
  image: string,
  extra: Partial<NonNullable<DockerState['containers']>[number]> = {}
): NonNullable<DockerState['containers']>[number] {
  return {
    id: `${service}${imageId.replace(/\W/g, '')}`.padEnd(64, '0').slice(0, 64),
    name: `/${project}_${service}_1`,
    project,
    service,
    imageId,
    image,
    oneoff: 'False',
    status: 'running',
    health: null,
    logs: ['started'],
    ...extra
  }
}

/** An SshConnector whose hosts are local folders: the real scripts, the real framing, no network. */
export class LocalConnector implements SshConnector {
  readonly execs: { host: string; script: PhaseScriptName; args: readonly string[]; input?: string }[] = []
  constructor(
    private readonly hosts: Record<string, LocalHost>,
    private readonly hooks: { beforeExec?(host: string, script: PhaseScriptName, args: readonly string[]): void } = {}
  ) {}

  async connect(target: HostTarget): Promise<SshSession> {
    const host = this.hosts[target.host]
    if (!host) throw new Error(`${target.host}: connection refused`)
    let alive = true
    const execs = this.execs
    const hooks = this.hooks
    return {
      get alive() {
        return alive
      },
      async exec(script: string, args: readonly string[], opts: ExecOptions = {}): Promise<ExecResult> {
        const name = (Object.keys(SCRIPTS) as PhaseScriptName[]).find((n) => SCRIPTS[n] === script)
        if (!name) throw new Error('LocalConnector: unknown script text')
        execs.push({
          host: target.host,
          script: name,
          args,
          ...(opts.input !== undefined ? { input: opts.input } : {})
        })
        hooks.beforeExec?.(target.host, name, args)
        return runText(script, args, {
          cwd: host.home,
          env: host.env,
          ...(opts.input !== undefined ? { input: opts.input } : {}),
          ...(opts.timeoutMs !== undefined ? { timeoutMs: opts.timeoutMs } : {}),
          ...(opts.signal ? { signal: opts.signal } : {}),
          ...(opts.runId !== undefined ? { runId: opts.runId } : {}),
          ...(opts.onStdout ? { onStdout: opts.onStdout } : {}),
          ...(opts.onStderr ? { onStderr: opts.onStderr } : {})
        })
      },
      async close() {
        alive = false
      }
    }
  }

  async close(): Promise<void> {}
}
