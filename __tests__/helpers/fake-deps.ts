/** Recording fakes of the action's side effects, for tests of `main`, `post` and the strategies. */
import type { ActionIO, Deps } from '../../src/deps.js'
import type { AnnotationProperties, Clock, Logger } from '../../src/types.js'

export interface LogEntry {
  level: 'info' | 'debug' | 'warning' | 'error' | 'notice' | 'group'
  message: string
  properties?: AnnotationProperties
}

export interface RecordingLogger extends Logger {
  entries: LogEntry[]
  secrets: string[]
  text(): string
}

export function recordingLogger(): RecordingLogger {
  const entries: LogEntry[] = []
  const secrets: string[] = []
  const add = (level: LogEntry['level']) => (message: string, properties?: AnnotationProperties) =>
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
  failedProperties: (AnnotationProperties | undefined)[]
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
    appendSummary: async (md) => void io.summary.push(md),
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
    ...extra
  } as Deps & { log: RecordingLogger; io: RecordingIO }
}
