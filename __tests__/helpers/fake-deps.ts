/** Recording fakes of the action's side effects, for tests of `main`, `post` and the strategies. */
import { summary } from '@actions/core'
import type { ActionIO, Deps, RunIdentity, Startup } from '../../src/deps.js'
import type { Annotation, Clock, Logger } from '../../src/types.js'

export interface LogEntry {
  level: 'info' | 'debug' | 'warning' | 'error' | 'notice' | 'group'
  message: string
  properties?: Annotation
}

/** A run as `@actions/github`'s context describes it on a runner. */
export const RUN_IDENTITY: RunIdentity = {
  repository: 'acme/shop',
  runId: 4242,
  runAttempt: 1,
  actor: 'octocat',
  sha: '0123456789abcdef0123456789abcdef01234567',
  ref: 'refs/heads/main',
  workflow: 'deploy',
  runUrl: 'https://github.com/acme/shop/actions/runs/4242'
}

/** A logger that records every entry (level, message, annotation properties), the groups opened and the masks. */
export class RecordingLogger implements Logger {
  readonly entries: LogEntry[] = []
  readonly secrets: string[] = []
  readonly info = this.add('info')
  readonly debug = this.add('debug')
  readonly warning = this.add('warning')
  readonly error = this.add('error')
  readonly notice = this.add('notice')

  private add(level: Exclude<LogEntry['level'], 'group'>): (message: string, properties?: Annotation) => void {
    return (message, properties) => void this.entries.push({ level, message, ...(properties ? { properties } : {}) })
  }

  setSecret(secret: string): void {
    this.secrets.push(secret)
  }

  async group<T>(name: string, fn: () => Promise<T>): Promise<T> {
    this.entries.push({ level: 'group', message: name })
    return fn()
  }

  /** Every line as `level: message` (groups as `group: name`). */
  get lines(): string[] {
    return this.entries.filter((e) => e.level !== 'group').map((e) => `${e.level}: ${e.message}`)
  }

  /** The names of the groups opened, in order. */
  get groups(): string[] {
    return this.entries.filter((e) => e.level === 'group').map((e) => e.message)
  }

  /** Lines (`level: message`) containing `text`. */
  matching(text: string | RegExp): string[] {
    return this.lines.filter((l) => (typeof text === 'string' ? l.includes(text) : text.test(l)))
  }

  text(): string {
    return this.entries.map((e) => `${e.level}: ${e.message}`).join('\n')
  }
}

export function recordingLogger(): RecordingLogger {
  return new RecordingLogger()
}

export interface RecordingIO extends ActionIO {
  outputs: Record<string, string>
  state: Record<string, string>
  summary: string[]
  failed: string[]
  /** The annotation properties of each `setFailed`, in the same order as `failed`. */
  failedProperties: (Annotation | undefined)[]
}

export function recordingIO(initialState: Record<string, string> = {}): RecordingIO {
  const io: RecordingIO = {
    outputs: {},
    state: { ...initialState },
    summary: [],
    failed: [],
    failedProperties: [],
    setOutput: (n, v) => void (io.outputs[n] = v),
    saveState: (n, v) => void (io.state[n] = v),
    getState: (n) => io.state[n] ?? '',
    // The real builder (`core.summary`), its text recorded instead of written.
    appendSummary: async (fill) => {
      fill(summary.emptyBuffer())
      io.summary.push(summary.stringify())
      summary.emptyBuffer()
    },
    setFailed: (m, p) => {
      io.failed.push(m)
      io.failedProperties.push(p)
    }
  }
  return io
}

/**
 * A clock whose time moves only when the code under test sleeps (no real waiting, every sleep recorded) or a test
 * advances it; `after` timers fire once the clock reaches their time, or when their signal aborts.
 */
export class FakeClock implements Clock {
  readonly start: number
  private time: number
  /** Every sleep, in ms, in order (sleeps on an aborted signal are not counted). */
  readonly sleeps: number[] = []
  /** Called after each sleep, with the new time: lets a test change the world (abort, progress) at a given moment. */
  onSleep: ((now: number) => void) | undefined
  private readonly timers = new Set<{ at: number; fire(): void }>()

  constructor(start = 1_700_000_000_000) {
    this.start = start
    this.time = start
  }

  now(): number {
    return this.time
  }

  /** Time passed since the clock was made. */
  get elapsed(): number {
    return this.time - this.start
  }

  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return
    this.sleeps.push(ms)
    this.advance(ms)
    this.onSleep?.(this.time)
    await Promise.resolve()
  }

  after(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (signal?.aborted) return resolve()
      const timer = {
        at: this.time + ms,
        fire: () => {
          this.timers.delete(timer)
          signal?.removeEventListener('abort', timer.fire)
          resolve()
        }
      }
      this.timers.add(timer)
      signal?.addEventListener('abort', timer.fire, { once: true })
    })
  }

  advance(ms: number): void {
    this.time += Math.max(0, ms)
    for (const t of [...this.timers]) if (t.at <= this.time) t.fire()
  }
}

export function fakeClock(start?: number): FakeClock {
  return new FakeClock(start)
}

export function fakeDeps(
  inputs: Record<string, string>,
  extra: Partial<Deps> = {}
): Deps & { log: RecordingLogger; io: RecordingIO } {
  return {
    inputs: { getInput: (n) => (inputs[n] ?? '').trim() },
    env: { RUNNER_TEMP: undefined },
    log: recordingLogger(),
    clock: fakeClock(),
    io: recordingIO(),
    cancel: new AbortController().signal,
    identity: RUN_IDENTITY,
    ...extra
  } as Deps & { log: RecordingLogger; io: RecordingIO }
}

/** A startup over `deps`: the same recording log and IO before and after the toolkit loads; counts the loads. */
export function fakeStartup<D extends Deps>(deps: D): Startup & { loads: number } {
  const startup = {
    loads: 0,
    inputs: deps.inputs,
    env: deps.env,
    log: deps.log,
    io: deps.io,
    load: async () => {
      startup.loads++
      return deps
    }
  }
  return startup
}
