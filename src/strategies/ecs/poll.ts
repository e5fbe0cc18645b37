/** Our own poll loop on the injected clock: fixed interval, backoff on transient errors, a deadline, cancellation. */
import { deadlineAfter, pollUntil as poll, type PollOutcome } from '../../poll.js'
import type { Clock, Logger } from '../../types.js'
import { awsMessage, isTransient, wrapError } from './errors.js'

export type { PollOutcome } from '../../poll.js'

/** How often a deployment is read. Success is noticed within one interval. */
export const POLL_INTERVAL_MS = 5000

/**
 * Advanced tuning knob: overrides the poll interval (milliseconds). Meant for tests that run the action against
 * a fast emulator; production runs keep the default.
 */
export const POLL_INTERVAL_ENV = 'DEPLOY_ACTION_POLL_INTERVAL_MS'

/** Upper bound of the backoff after consecutive transient errors. */
export const MAX_BACKOFF_MS = 60_000

/** The poll interval: `DEPLOY_ACTION_POLL_INTERVAL_MS` when it is a positive integer, else the default. */
export function pollIntervalFrom(env: NodeJS.ProcessEnv): number {
  const raw = env[POLL_INTERVAL_ENV]?.trim()
  if (!raw) return POLL_INTERVAL_MS
  const value = Number(raw)
  if (!Number.isInteger(value) || value <= 0) {
    throw new Error(`Invalid environment variable ${POLL_INTERVAL_ENV}: expected a positive integer (ms), got '${raw}'`)
  }
  return value
}

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
