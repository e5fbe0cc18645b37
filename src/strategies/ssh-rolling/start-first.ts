/**
 * Start-first on one host, for the services whose order says so: start the new containers beside the old, gate the
 * new ones themselves, let the proxy see them for `switch-delay`, then retire the old and bring the rest of the
 * project up. Until the switch begins, the old containers never stopped: a failure or a cancel before it removes the
 * new ones, and nothing else restarts (rollback.ts).
 */
import { formatSeconds } from '../../duration.js'
import { diagnoseHost } from './audit.js'
import type { SshRun } from './context.js'
import { healthGate, type Probe } from './health.js'
import { endTurn, turnEnd, type HostState, type StartFirstRecord } from './host-state.js'
import { CONTAINER_PROBE_TIMEOUT_MS, ROLLBACK_STEP_TIMEOUT_MS } from './limits.js'
import { composeArgs, runScript, timeLeft, type PhaseRun } from './run-script.js'
import type { Container, PhaseResult } from './remote/phases.js'
import type { ServiceOrder } from './update-order.js'

/** What deployHost lends the replacement: its phase runner and failure bookkeeping. */
export interface HostSteps {
  phase(name: string, run: () => Promise<PhaseRun>): Promise<boolean>
  mayStart(name: string): boolean
  fail(phase: string, error: string): void
}

const DEFAULT_GRACE_SECONDS = 10

/** The services of the host's plan that go start-first. */
export function startFirstServices(host: HostState): ServiceOrder[] {
  return (host.orders ?? []).filter((o) => o.order === 'start-first')
}

/** One look at the new containers: running, healthy where they have a healthcheck, answering their probe. */
async function probeNew(run: SshRun, host: HostState, ids: string[], remaining: number): Promise<Probe> {
  const probes = Object.entries(run.config.containerChecks)
  const r = await runScript(
    run,
    host,
    'gate',
    'gate',
    { appDir: run.config.appDir, ids, probes },
    {
      timeoutMs: Math.min(CONTAINER_PROBE_TIMEOUT_MS, remaining),
      unreported: true,
      quiet: true,
      signal: run.signal
    }
  )
  if (!r.ok) return { ok: false, detail: r.error ?? 'the check of the new containers failed' }
  const detail = (r.result?.problems ?? []).join('; ')
  switch (r.result?.state) {
    case 'healthy':
      return { ok: true, detail: 'new containers running and healthy' }
    // Docker's own healthcheck decides when `starting` ends: waiting for it is not a failed try.
    case 'starting':
      return { ok: false, wait: r.result?.probeFailed !== true, detail }
    default:
      return { ok: false, final: true, detail: detail || 'new containers unhealthy' }
  }
}

/** Runs the replacement; false when it failed or was cancelled (the host's state says which and why). */
export async function startFirstUp(
  run: SshRun,
  host: HostState,
  orders: readonly ServiceOrder[],
  steps: HostSteps
): Promise<boolean> {
  const { config, clock, log, hostJournal } = run
  const grace = (service: string): number =>
    Math.ceil((host.facts?.get(service)?.stopGraceMs ?? DEFAULT_GRACE_SECONDS * 1000) / 1000)
  const record: StartFirstRecord = {
    services: orders.map((o) => ({ service: o.service, graceSeconds: grace(o.service) }))
  }
  // Journaled before the round trip: if the job dies during it, recovery removes whatever new containers exist.
  host.startFirst = record
  hostJournal.save(host)

  const scales = orders.map((o) => [o.service, host.facts?.get(o.service)?.declaredScale ?? 1] as const)
  let started: PhaseRun<PhaseResult<'start'>> | undefined
  const ok = await steps.phase('start', async () => {
    started = await runScript(
      run,
      host,
      'start',
      'start',
      {
        appDir: config.appDir,
        compose: host.compose ?? 'v2',
        files: config.composeFiles,
        ...(host.project ? { project: host.project } : {}),
        scales
      },
      { timeoutMs: timeLeft(run), signal: run.signal }
    )
    return started
  })
  if (!ok) {
    const end = turnEnd(host.stage)
    if (end?.phase === 'start' && !end.cancelled && !host.unstopped) await diagnoseHost(run, host)
    return false
  }
  const old = started?.result?.old ?? []
  const fresh = started?.result?.new ?? []
  const names = (list: Container[]): string => list.map((c) => c.name).join(', ') || 'none'
  log.info(`[${host.name}] started ${names(fresh)} beside ${names(old)}`)

  if (!steps.mayStart('gate')) return false
  const ids = fresh.map((c) => c.id)
  const gate = await healthGate(run, host, 'gate', run.deadline, run.signal, (remaining) =>
    probeNew(run, host, ids, remaining)
  )
  if (!gate.ok) {
    if (run.signal.aborted) {
      endTurn(host, { error: 'cancelled while the new containers were checked', cancelled: true })
    } else {
      steps.fail('gate', `the new containers did not pass: ${gate.detail}`)
      await diagnoseHost(run, host)
    }
    return false
  }

  if (config.switchDelayMs > 0 && old.length > 0) {
    log.info(
      `[${host.name}] new containers serve beside the old for ${formatSeconds(config.switchDelayMs)} (switch-delay)`
    )
    const waited = clock.now()
    await clock.sleep(config.switchDelayMs, run.signal)
    host.phases.record('switch-delay', { ok: !run.signal.aborted, durationMs: clock.now() - waited })
    if (!steps.mayStart('switch')) return false
    // Still healthy after the delay: a container that crashed meanwhile is caught before the old ones go.
    const again = await probeNew(run, host, ids, timeLeft(run))
    if (!again.ok) {
      steps.fail('gate', `a new container failed during switch-delay: ${again.detail}`)
      await diagnoseHost(run, host)
      return false
    }
  }

  // From here the old containers go: a rollback must recreate them, not merely drop the new ones.
  record.switching = true
  hostJournal.save(host)
  const retire = old.map((c) => [c.id, grace(c.service)] as const)
  // Not cancellable: it is short, and a switch cut in half would leave neither generation whole.
  const switched = await runScript(
    run,
    host,
    'switch',
    'switch',
    { ...composeArgs(run, host), retire },
    {
      timeoutMs: Math.max(timeLeft(run), ROLLBACK_STEP_TIMEOUT_MS)
    }
  )
  if (!switched.ok) {
    steps.fail('switch', switched.error ?? 'failed')
    if (!host.unstopped) await diagnoseHost(run, host)
    return false
  }
  log.info(`[${host.name}] retired ${names(old)}`)
  return true
}
