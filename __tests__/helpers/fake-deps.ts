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

export interface RecordingLogger extends Logger {
  entries: LogEntry[]
  secrets: string[]
  text(): string
}

export function recordingLogger(): RecordingLogger {
  const entries: LogEntry[] = []
  const secrets: string[] = []
  const add = (level: LogEntry['level']) => (message: string, properties?: Annotation) =>
    void entries.push({ level, message, ...(properties ? { properties } : {}) })
  return {
    entries,
    secrets,
    info: add('info'),
    debug: add('debug'),
    warning: add('warning'),
    error: add('error'),
    notice: add('notice'),
    setSecret: (s) => void secrets.push(s),
    group: async (name, fn) => {
      entries.push({ level: 'group', message: name })
      return fn()
    },
    text: () => entries.map((e) => `${e.level}: ${e.message}`).join('\n')
  }
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
 * A clock whose sleeps advance fake time at once (and stop early when the signal aborts); `after` timers fire once a
 * sleep moves the clock to their time.
 */
export function fakeClock(start = 1_700_000_000_000): Clock & { sleeps: number[] } {
  let now = start
  const sleeps: number[] = []
  const timers = new Set<{ at: number; fire(): void }>()
  return {
    sleeps,
    now: () => now,
    sleep: async (ms, signal) => {
      if (signal?.aborted) return
      sleeps.push(ms)
      now += ms
      for (const t of [...timers]) if (t.at <= now) t.fire()
      await Promise.resolve()
    },
    after: (ms, signal) =>
      new Promise((resolve) => {
        if (signal?.aborted) return resolve()
        const timer = {
          at: now + ms,
          fire: () => {
            timers.delete(timer)
            signal?.removeEventListener('abort', timer.fire)
            resolve()
          }
        }
        timers.add(timer)
        signal?.addEventListener('abort', timer.fire, { once: true })
      })
  }
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
