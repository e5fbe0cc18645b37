/** One deadline and one poll loop on the injected clock, for every strategy. */
import type { Clock } from './types.js'

/** When `timeout-minutes` run out for something that started at `start` (clock time). */
export function deadlineAfter(start: number, timeoutMinutes: number): number {
  return start + timeoutMinutes * 60_000
}

/** Sleeps `ms` on the injected clock, never past `deadline`; ends early when `signal` aborts. */
export function sleepBefore(clock: Clock, ms: number, deadline: number, signal?: AbortSignal): Promise<void> {
  return clock.sleep(Math.max(0, Math.min(ms, deadline - clock.now())), signal)
}

export type PollOutcome<T> = { kind: 'done'; value: T } | { kind: 'timeout' } | { kind: 'cancelled' }

/** What one tick found: the value (the loop ends), or how long to wait before the next tick. */
export type PollStep<T> = { value: T } | { waitMs: number }

export interface PollLoop {
  clock: Clock
  /** Absolute time (clock.now()) after which the loop gives up. */
  deadline: number
  /** Ends the loop early (job cancelled). */
  signal?: AbortSignal | undefined
}

/**
 * Calls `tick` now and then after each wait it asks for, until it returns a value, the deadline passes or the
 * signal aborts. The deadline is checked after each tick, so the last look happens at the deadline. An error `tick`
 * throws ends the loop.
 */
export async function pollUntil<T>(loop: PollLoop, tick: () => Promise<PollStep<T>>): Promise<PollOutcome<T>> {
  const { clock, deadline, signal } = loop
  for (;;) {
    if (signal?.aborted) return { kind: 'cancelled' }
    const step = await tick()
    if ('value' in step) return { kind: 'done', value: step.value }
    if (signal?.aborted) return { kind: 'cancelled' }
    if (clock.now() >= deadline) return { kind: 'timeout' }
    await sleepBefore(clock, step.waitMs, deadline, signal)
  }
}
