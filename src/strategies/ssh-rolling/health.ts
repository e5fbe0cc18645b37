/**
 * The health gate after `up` (and after a rollback): an HTTP URL checked from the runner, a command on the host,
 * or else the containers' own state. Tries are spaced on the injected clock and bounded by the deadline.
 */
import { errorMessage } from '../../error-message.js'
import { sleepBefore } from '../../poll.js'
import { redactUrl } from '../../redact-url.js'
import { CONTAINER_PROBE_TIMEOUT_MS } from './limits.js'
import type { SshRun } from './context.js'
import type { HostState } from './host-state.js'
import { composeArgs, runScript } from './run-script.js'

export interface Probe {
  ok: boolean
  detail: string
  /** Not a failed try: the answer is still to come (a Docker healthcheck still starting). */
  wait?: boolean
  /** A failure no further try can mend (a container exited or is unhealthy by its own healthcheck). */
  final?: boolean
}

export interface GateOutcome {
  ok: boolean
  tries: number
  /** On failure: why, with the last probe's answer. */
  detail: string
}

/** The URL for a host: `{host}` replaced by its address (an IPv6 address in brackets). */
export function healthUrl(template: string, host: string): string {
  return template.replaceAll('{host}', host.includes(':') ? `[${host}]` : host)
}

async function probeUrl(run: SshRun, host: HostState, timeoutMs: number): Promise<Probe> {
  const url = healthUrl(run.config.healthCheck.url ?? '', host.target.host)
  const shown = redactUrl(url)
  try {
    const { status } = await run.http(url, { timeoutMs })
    return status >= 200 && status < 300
      ? { ok: true, detail: `HTTP ${status}` }
      : { ok: false, detail: `HTTP ${status} from ${shown}` }
  } catch (error) {
    const name = error instanceof Error ? error.name : ''
    const timedOut = name === 'TimeoutError' || name === 'AbortError'
    return {
      ok: false,
      detail: timedOut
        ? `no answer from ${shown} within ${timeoutMs} ms`
        : `${shown}: ${errorMessage(error, { withCause: true }).replaceAll(url, shown)}`
    }
  }
}

async function probeCommand(run: SshRun, host: HostState, timeoutMs: number, signal?: AbortSignal): Promise<Probe> {
  const r = await runScript(
    run,
    host,
    'health',
    'run',
    { appDir: run.config.appDir, label: 'health-check command' },
    {
      input: run.config.healthCheck.command ?? '',
      timeoutMs,
      unreported: true,
      quiet: true,
      ...(signal ? { signal } : {})
    }
  )
  return r.ok
    ? { ok: true, detail: 'command succeeded' }
    : { ok: false, detail: [r.error, r.outputTail].filter(Boolean).join(': ') }
}

async function probeContainers(run: SshRun, host: HostState, timeoutMs: number, signal?: AbortSignal): Promise<Probe> {
  const r = await runScript(
    run,
    host,
    'health',
    'health',
    {
      ...composeArgs(run, host),
      ...(host.project ? { project: host.project } : {}),
      expected: host.services ?? [],
      completed: host.completedServices ?? []
    },
    {
      timeoutMs,
      unreported: true,
      quiet: true,
      ...(signal ? { signal } : {})
    }
  )
  if (!r.ok) return { ok: false, detail: r.error ?? 'container check failed' }
  const state = r.result?.state
  const problems = r.result?.problems ?? []
  if (state === 'healthy') return { ok: true, detail: 'all containers running and healthy' }
  return { ok: false, detail: problems.length ? problems.join('; ') : `containers ${String(state)}` }
}

/** One try, bounded by the check's timeout (a container look by its own) and by the time `remaining`. */
function probe(run: SshRun, host: HostState, remaining: number, signal?: AbortSignal): Promise<Probe> {
  const hc = run.config.healthCheck
  if (hc.url) return probeUrl(run, host, Math.min(hc.timeoutMs, remaining))
  if (hc.command) return probeCommand(run, host, Math.min(hc.timeoutMs, remaining), signal)
  return probeContainers(run, host, Math.min(CONTAINER_PROBE_TIMEOUT_MS, remaining), signal)
}

export function describeHealthCheck(run: SshRun): string {
  const hc = run.config.healthCheck
  if (hc.url) return `GET ${redactUrl(hc.url)}`
  if (hc.command) return `command \`${hc.command}\``
  return 'containers running (and healthy where they define a healthcheck)'
}

/**
 * Tries until healthy: failures in the start period do not count, then `retries` failures fail the gate.
 * Ends early at `deadline` or when `signal` aborts. Records the phase `phase` on the host.
 */
export async function healthGate(
  run: SshRun,
  host: HostState,
  phase: string,
  deadline: number,
  signal?: AbortSignal,
  look: (remaining: number) => Promise<Probe> = (remaining) => probe(run, host, remaining, signal)
): Promise<GateOutcome> {
  const hc = run.config.healthCheck
  const { clock, log } = run
  const started = clock.now()
  const retries = Math.max(1, hc.retries)
  let tries = 0
  let failures = 0
  let last = ''
  let outcome: GateOutcome
  for (;;) {
    if (signal?.aborted) {
      outcome = { ok: false, tries, detail: `cancelled while waiting for health${last ? ` (last: ${last})` : ''}` }
      break
    }
    const remaining = deadline - clock.now()
    if (remaining <= 0) {
      outcome = { ok: false, tries, detail: `deadline reached after ${tries} tries${last ? `: ${last}` : ''}` }
      break
    }
    tries++
    const p = await look(remaining)
    if (p.ok) {
      log.info(`[${host.name}] healthy (${p.detail}) after ${tries} ${tries === 1 ? 'try' : 'tries'}`)
      outcome = { ok: true, tries, detail: p.detail }
      break
    }
    last = p.detail
    const inStartPeriod = clock.now() - started < hc.startPeriodMs
    if (!inStartPeriod && !p.wait) failures++
    const counted = p.final
      ? ''
      : p.wait
        ? ' (waiting)'
        : inStartPeriod
          ? ' (start period)'
          : ` (${failures}/${retries})`
    log.info(`[${host.name}] ${phase} try ${tries}: ${p.detail}${counted}`)
    if (p.final) {
      outcome = { ok: false, tries, detail: `${last} (after ${tries} ${tries === 1 ? 'try' : 'tries'})` }
      break
    }
    if (failures >= retries) {
      outcome = { ok: false, tries, detail: `unhealthy after ${tries} tries: ${last}` }
      break
    }
    await sleepBefore(clock, hc.intervalMs, deadline, signal)
  }
  host.phases.record(phase, {
    ok: outcome.ok,
    durationMs: clock.now() - started,
    ...(outcome.ok
      ? { detail: `${outcome.tries} ${outcome.tries === 1 ? 'try' : 'tries'}` }
      : { error: outcome.detail })
  })
  return outcome
}
