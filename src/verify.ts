/**
 * The verify gate: `verify-command` run on the runner once a target is deployed (a smoke test), with what was
 * deployed in its environment, its output in the log as plain text, bounded by `verify-timeout` and by what is left
 * of `timeout-minutes`, stopped when the job is cancelled.
 */
import { execCommand, type CommandRunner } from './command-runner.js'
import type { Deps } from './deps.js'
import { formatSeconds } from './duration.js'
import { errorMessage } from './error-message.js'
import { toPlainLogText } from './log-text.js'
import type { PhaseOutcome } from './phases.js'

export interface VerifyConfig {
  command: string
  timeoutMs: number
}

/** What the gate needs of the run: the log, the clock, the runner's environment and the command runner. */
export type VerifyDeps = Pick<Deps, 'log' | 'clock' | 'env' | 'runCommand'>

/** One run of the gate: the `DEPLOY_*` variables describing what it checks, the run's deadline and cancellation. */
export interface VerifyRun {
  vars: Record<string, string>
  deadline: number
  signal: AbortSignal
}

export type VerifyOutcome =
  { ok: true; durationMs: number } | { ok: false; durationMs: number; cancelled: boolean; reason: string }

/** The gate as a phase of a target's report: a failure's reason is its detail. */
export function verifyPhase(outcome: VerifyOutcome): PhaseOutcome {
  return outcome.ok ? outcome : { ok: false, durationMs: outcome.durationMs, error: outcome.reason }
}

const LAST_LINES = 5
const MAX_LINE = 200

// Set by the runner for the action itself: the inputs (an SSH key, a passphrase), state, and the runner's own tokens.
const RUNNER_ONLY =
  /^(?:INPUT_|STATE_|ACTIONS_(?:RUNTIME_TOKEN|RUNTIME_URL|ID_TOKEN_REQUEST_TOKEN|ID_TOKEN_REQUEST_URL|RESULTS_URL|CACHE_URL)$)/i

/**
 * The command's environment: the job's, without what the runner gives the action alone (its inputs, which hold its
 * secrets, and its tokens), plus `vars`. A secret the workflow puts in the step's `env` stays: the user chose it.
 */
export function verifyEnvironment(env: NodeJS.ProcessEnv, vars: Record<string, string>): Record<string, string> {
  const result: Record<string, string> = {}
  for (const [key, value] of Object.entries(env)) {
    if (value !== undefined && !RUNNER_ONLY.test(key)) result[key] = value
  }
  return { ...result, ...vars }
}

/** Runs the gate once; a failure's reason names the cause and the command's last output lines. */
export async function runVerify(deps: VerifyDeps, verify: VerifyConfig, run: VerifyRun): Promise<VerifyOutcome> {
  const { log, clock } = deps
  const started = clock.now()
  const left = run.deadline - started
  const timeoutMs = Math.min(verify.timeoutMs, left)
  const timeoutText = `${formatSeconds(timeoutMs)}${timeoutMs < verify.timeoutMs ? ` (what is left of timeout-minutes)` : ''}`
  const last: string[] = []
  const fail = (cancelled: boolean, cause: string): VerifyOutcome => {
    const output = last.length ? `; last output: ${last.map((l) => JSON.stringify(l)).join(' / ')}` : ''
    return { ok: false, durationMs: clock.now() - started, cancelled, reason: `verify-command ${cause}${output}` }
  }
  if (run.signal.aborted) return fail(true, 'not run: the job was cancelled')
  if (timeoutMs <= 0) return fail(false, 'not run: no time left within timeout-minutes')

  const stop = new AbortController()
  let ended: 'timeout' | 'cancelled' | undefined
  const onCancel = (): void => {
    ended ??= 'cancelled'
    stop.abort()
  }
  run.signal.addEventListener('abort', onCancel, { once: true })
  void clock.after(timeoutMs, stop.signal).then(() => {
    if (stop.signal.aborted) return
    ended = 'timeout'
    stop.abort()
  })
  log.info(`Running verify-command (timeout ${timeoutText})`)
  try {
    const runCommand: CommandRunner = deps.runCommand ?? execCommand
    const { exitCode } = await runCommand(verify.command, {
      env: verifyEnvironment(deps.env, run.vars),
      signal: stop.signal,
      onLine: (line) => {
        const plain = toPlainLogText(line)
        log.info(`  ${plain}`)
        last.push(plain.length > MAX_LINE ? `${plain.slice(0, MAX_LINE)}…` : plain)
        if (last.length > LAST_LINES) last.shift()
      }
    })
    if (ended === 'cancelled') return fail(true, 'stopped: the job was cancelled')
    if (ended === 'timeout') return fail(false, `timed out after ${formatSeconds(timeoutMs)}`)
    if (exitCode !== 0) return fail(false, `failed with exit code ${exitCode}`)
    const durationMs = clock.now() - started
    log.info(`verify-command passed in ${formatSeconds(durationMs)}`)
    return { ok: true, durationMs }
  } catch (error) {
    return fail(ended === 'cancelled', `could not run: ${errorMessage(error)}`)
  } finally {
    run.signal.removeEventListener('abort', onCancel)
    stop.abort()
  }
}
