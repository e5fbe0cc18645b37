/**
 * Rollback of one host from its backup: restore the files, re-tag the recorded image ids, `up` without pulling,
 * health-check, audit. Needs neither the registry nor the old tag. Not cancellable: it is what cancelling runs.
 * Only while the host's deploy lock is still this run's: a run that lost it never undoes the new owner's deploy.
 */
import { auditHost, diagnoseHost } from './audit.js'
import type { SshRun } from './context.js'
import { healthGate } from './health.js'
import { changedStage, type HostState } from './host-state.js'
import { ROLLBACK_STEP_TIMEOUT_MS } from './limits.js'
import { describeLockOwner } from './preflight.js'
import { composeArgs, ensureSession, runScript, stopPhases } from './run-script.js'

/**
 * A start-first replacement cut short before its switch: its services and grace periods, for the rollback to remove
 * their new containers first (service, grace seconds); none otherwise.
 */
function retireBeforeSwitch(host: HostState): [service: string, graceSeconds: number][] {
  const sf = host.startFirst
  if (!sf || sf.switching) return []
  return sf.services.map((s) => [s.service, s.graceSeconds])
}

/**
 * Rolls the host back (one that changed); its stage becomes `rolled-back` (with `reason`, when it did not fail
 * itself) or `rollback-failed`. Never throws.
 */
export async function rollbackHost(run: SshRun, host: HostState, reason?: string): Promise<void> {
  const { clock, log, hostJournal } = run
  const from = changedStage(host.stage)
  if (!from) return
  const started = clock.now()
  const markFailed = (error: string): string => {
    host.stage = { kind: 'rollback-failed', from, error }
    return error
  }
  const failed = async (error: string): Promise<void> => {
    markFailed(error)
    log.error(`${host.name}: rollback failed: ${error}`)
    await diagnoseHost(run, host)
    await auditHost(run, host, 'rollback-failed', error)
  }
  const connectError = await ensureSession(run, host)
  if (connectError) {
    const error = markFailed(`cannot connect: ${connectError}`)
    host.phases.record('rollback', { ok: false, durationMs: clock.now() - started, error })
    log.error(`${host.name}: rollback failed: ${error}`)
    return
  }
  // What this run started on the host is stopped before anything is restored, or nothing is.
  if (host.unstopped) await stopPhases(run, host, 'a phase of this run')
  if (host.unstopped) {
    const error = markFailed(`not rolled back: ${host.unstopped}`)
    host.phases.record('rollback', { ok: false, durationMs: clock.now() - started, error })
    log.error(`${host.name}: ${error}`)
    return
  }
  if (!host.backupDir) {
    host.phases.record('rollback', {
      ok: false,
      durationMs: 0,
      error: markFailed('no backup was recorded for this host')
    })
    return
  }
  const r = await runScript(
    run,
    host,
    'rollback',
    'rollback',
    {
      ...composeArgs(run, host),
      backupDir: host.backupDir,
      token: run.lock.token,
      retire: retireBeforeSwitch(host),
      ...(host.project ? { project: host.project } : {})
    },
    { timeoutMs: ROLLBACK_STEP_TIMEOUT_MS }
  )
  const lost = r.result?.lock
  if (lost === 'other' || lost === 'absent') {
    const error = markFailed(
      lost === 'other'
        ? `the deploy lock is now held by ${describeLockOwner(r.result?.owner)} (this run's expired and was taken over): not rolled back, so as not to undo that run's deploy`
        : 'the deploy lock is no longer held by this run (it expired and was released): not rolled back, as another run may have deployed since'
    )
    log.error(`${host.name}: ${error}`)
    return
  }
  if (!r.ok) return failed(r.error ?? 'failed')
  const retired = r.result?.retired ?? 0
  if (retired > 0) log.info(`${host.name}: removed ${retired} new container(s); the old ones never stopped`)
  const missing = r.result?.missing ?? []
  if (missing.length) {
    log.warning(`${host.name}: image(s) ${missing.join(', ')} are no longer on the host; compose used what it found`)
  }
  const hc = run.config.healthCheck
  const budget = Math.max(
    ROLLBACK_STEP_TIMEOUT_MS,
    hc.startPeriodMs + (Math.max(1, hc.retries) + 1) * (hc.intervalMs + hc.timeoutMs)
  )
  const gate = await healthGate(run, host, 'rollback-health', clock.now() + budget)
  if (!gate.ok) return failed(`the previous version is not healthy either: ${gate.detail}`)
  // Back on the release from before this run: the one before it is what the restored backup recorded.
  host.previous = r.result?.previous ?? null
  host.stage = { kind: 'rolled-back', from, ...(reason ? { reason } : {}) }
  hostJournal.save(host)
  await auditHost(run, host, 'rolled-back', reason)
  log.info(`${host.name}: rolled back to ${host.imageBefore ?? 'the previous version'}`)
}
