/** Runs one phase script on a host: one round trip, its output shown as plain log lines, its result parsed. */
import type { ExecResult } from './connection.js'
import type { SshRun } from './context.js'
import type { HostState } from './host-state.js'
import { createLineWriter } from './line-writer.js'
import { STOP_TIMEOUT_MS, STOP_TERM_NAPS } from './limits.js'
import { parsePhaseResult, phaseArgv, type ComposeTarget, type PhaseArgs, type PhaseResult } from './remote/phases.js'
import { READ_ONLY, SCRIPTS, UNSUPERVISED, type PhaseScriptName } from './scripts.js'
import { parseScriptOutput, type ScriptResult } from './shell.js'
import { errorMessage } from '../../error-message.js'
import { toPlainLogText } from '../../log-text.js'

export interface PhaseRun<Result = unknown> {
  ok: boolean
  /** The script's result line, as its entry in the phase table reads it. */
  result?: Result
  exitCode: number | null
  durationMs: number
  /** Why the phase failed, in one line. */
  error?: string
  /** The last lines the script printed (stdout, then stderr), for failure details. */
  outputTail?: string
}

/** The last `n` non-blank lines of `text` in one line, as plain text (they end up in messages and the summary). */
function lastLines(text: string, n: number): string {
  return toPlainLogText(text)
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .slice(-n)
    .join(' | ')
}

function explainFailure(exec: ExecResult, result: ScriptResult | undefined): string {
  if (exec.timedOut) return exec.error ?? 'timed out'
  if (exec.code === null) return exec.error ?? 'connection lost'
  if (!result) {
    const tail = lastLines(exec.stderr, 3)
    return `the script ended without a result (exit code ${exec.code})${tail ? `: ${tail}` : ''}`
  }
  return result.error ?? `failed with exit code ${exec.code}`
}

export interface RunScriptOptions {
  input?: string
  timeoutMs: number
  /** Leave the phase out of the host's report (health tries, diagnostics). */
  unreported?: boolean
  /** Do not print the script's output (health tries print a line of their own). */
  quiet?: boolean
  /** Stop the phase when this aborts (the job is cancelled). Rollback phases run to the end. */
  signal?: AbortSignal
}

/**
 * Runs `script` on the host's session, its arguments and result as the phase table says. Never throws for a remote
 * failure: the result says what happened.
 */
export async function runScript<N extends PhaseScriptName>(
  run: SshRun,
  host: HostState,
  phase: string,
  script: N,
  args: PhaseArgs<N>,
  options: RunScriptOptions
): Promise<PhaseRun<PhaseResult<N>>> {
  const started = run.clock.now()
  const session = host.session
  let outcome: PhaseRun<PhaseResult<N>>
  if (!session) {
    outcome = { ok: false, exitCode: null, durationMs: 0, error: 'no connection' }
  } else {
    const out = createLineWriter(run.log, `[${host.name}] `)
    const err = createLineWriter(run.log, `[${host.name}] `)
    const supervised = !UNSUPERVISED.has(script)
    const exec = await session.exec(SCRIPTS[script], phaseArgv(script, args), {
      timeoutMs: Math.max(0, options.timeoutMs),
      ...(options.input !== undefined ? { input: options.input } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(supervised ? { runId: run.lock.token } : {}),
      ...(options.quiet ? {} : { onStdout: (t: string) => out.write(t), onStderr: (t: string) => err.write(t) })
    })
    out.flush()
    err.flush()
    const { result, text } = parseScriptOutput(exec.stdout)
    const ok = exec.code === 0 && result?.ok === true
    const tail = lastLines(`${text}\n${exec.stderr}`, 3)
    // No exit status: the phase may still run on the host (timed out, cancelled, connection lost). Stop it, and
    // know that it stopped, before anything else happens on the host.
    const confirm = !ok && exec.code === null && supervised && !READ_ONLY.has(script)
    const why = explainFailure(exec, result)
    if (confirm) run.log.warning(`${host.name}: ${phase}: ${why}; stopping what it started on the host`)
    const stopped = confirm ? await stopPhases(run, host, `the ${phase} phase`) : undefined
    outcome = {
      ok,
      exitCode: exec.code,
      durationMs: run.clock.now() - started,
      ...(result ? { result: parsePhaseResult(script, result) } : {}),
      ...(ok ? {} : { error: stopped ? `${why}; ${stopped.text}` : why }),
      ...(tail ? { outputTail: tail } : {})
    }
  }
  if (!options.unreported) host.phases.record(phase, outcome)
  return outcome
}

/** What `stopPhases` came to: whether nothing of the run is left on the host, how many groups it stopped, in words. */
export interface StopOutcome {
  confirmed: boolean
  stopped: number
  text: string
}

/**
 * Stops what this run left running on the host (the phase that just lost its exit status, and any other) from a
 * new channel, reconnecting if the connection dropped, and waits until it is gone. When that cannot be confirmed,
 * `host.unstopped` says why (the host is then never reported as rolled back, and its lock is kept until it expires).
 */
export async function stopPhases(run: SshRun, host: HostState, what: string): Promise<StopOutcome> {
  const started = run.clock.now()
  const unstopped = (why: string): StopOutcome => {
    host.unstopped = `${what} may still be running on the host: ${why}`
    host.phases.record('stop', { ok: false, durationMs: run.clock.now() - started, error: why })
    run.log.error(`${host.name}: ${host.unstopped}`)
    return { confirmed: false, stopped: 0, text: `could NOT confirm it stopped (${why})` }
  }
  const connectError = await ensureSession(run, host)
  if (connectError) return unstopped(`cannot reconnect: ${connectError}`)
  const r = await runScript(
    run,
    host,
    'stop',
    'stop',
    { appDir: run.config.appDir, token: run.lock.token, termNaps: STOP_TERM_NAPS },
    { timeoutMs: STOP_TIMEOUT_MS, unreported: true }
  )
  if (!r.ok) return unstopped(r.error ?? 'the stop failed')
  const left = r.result?.left ?? []
  if (left.length > 0) return unstopped(`process group ${left.join(', ')} still runs after TERM and KILL`)
  delete host.unstopped
  host.phases.record('stop', { ok: true, durationMs: run.clock.now() - started })
  return { confirmed: true, stopped: r.result?.stopped ?? 0, text: 'stopped on the host' }
}

/** The compose arguments every compose phase takes: app dir, compose kind, files, services. */
export function composeArgs(run: SshRun, host: HostState): ComposeTarget {
  return {
    appDir: run.config.appDir,
    compose: host.compose ?? 'v2',
    files: run.config.composeFiles,
    services: run.config.composeServices
  }
}

/** The time left before the deploy deadline, for a phase's timeout. */
export function timeLeft(run: SshRun): number {
  return run.deadline - run.clock.now()
}

/**
 * Opens the host's connection if it has none (or it dropped); a new connection is a `connect` phase of the host's
 * report. Connection setup is retried; phases are not. Failures are left to the caller to report.
 */
export async function ensureSession(run: SshRun, host: HostState, signal?: AbortSignal): Promise<string | undefined> {
  if (host.session?.alive) return undefined
  const started = run.clock.now()
  try {
    if (host.session) await host.session.close().catch(() => undefined)
    host.session = await run.connector.connect(host.target, signal)
    host.phases.record('connect', { ok: true, durationMs: run.clock.now() - started })
    delete host.unreachable
    return undefined
  } catch (error) {
    delete host.session
    host.unreachable = errorMessage(error)
    return host.unreachable
  }
}
