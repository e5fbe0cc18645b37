/** Our own poll loop on the injected clock: fixed interval, backoff on transient errors, a deadline, cancellation. */
import { deadlineAfter, pollUntil as poll, type PollOutcome } from '../../poll.js'
import type { Clock, Logger } from '../../types.js'
import { awsMessage, isTransient, wrapError } from './errors.js'

export type { PollOutcome } from '../../poll.js'

/**
 * How long the post step follows a rollback: GitHub force-stops the post step of a cancelled job after about
 * 5 minutes, so it stops waiting first and says what it left.
 */
export const POST_STEP_WAIT_MS = 4 * 60_000

/** Upper bound of the backoff after consecutive transient errors. */
export const MAX_BACKOFF_MS = 60_000

export interface PollOptions {
  clock: Clock
  log: Logger
  intervalMs: number
  /** Absolute time (clock.now()) after which the loop gives up. */
  deadline: number
  /** Ends the loop early (job cancelled). */
  signal?: AbortSignal | undefined
}

/** What an ECS strategy's environment gives a poll loop: the injected clock and log, the interval, the timeout. */
export interface PollEnv {
  config: { timeoutMinutes: number }
  deps: { clock: Clock; log: Logger }
  intervalMs: number
}

export function pollOptions(env: PollEnv, deadline: number, signal: AbortSignal | undefined): PollOptions {
  return { clock: env.deps.clock, log: env.deps.log, intervalMs: env.intervalMs, deadline, signal }
}

/** The deadline of a phase that starts now and may take `timeout-minutes`. */
export function deadlineFromNow(env: PollEnv): number {
  return deadlineAfter(env.deps.clock.now(), env.config.timeoutMinutes)
}

/**
 * Calls `tick` now and then every interval until it returns a value, the deadline passes or the signal aborts.
 * A transient error (throttling, 5xx, network) is logged and the loop backs off; any other error is thrown at once,
 * wrapped with `what` (e.g. `Could not read deployment d-1`).
 */
export async function pollUntil<T>(
  options: PollOptions,
  what: string,
  tick: () => Promise<T | undefined>
): Promise<PollOutcome<T>> {
  const { log, intervalMs, signal } = options
  let failures = 0
  return poll(options, async () => {
    try {
      const value = await tick()
      failures = 0
      return value === undefined ? { waitMs: intervalMs } : { value }
    } catch (error) {
      if (signal?.aborted) return { waitMs: 0 }
      if (!isTransient(error)) throw wrapError(what, error)
      failures++
      log.warning(`${what}: ${awsMessage(error)} (transient; retrying)`)
      return { waitMs: Math.min(intervalMs * 2 ** failures, Math.max(MAX_BACKOFF_MS, intervalMs)) }
    }
  })
}
