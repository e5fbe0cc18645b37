/**
 * One host's turn in its batch, over one connection: pre-deploy → apply → up (or, for start-first services: start →
 * gate → switch) → health → post-deploy, then its audit line in the background. Its backup and pull ran before the
 * first batch (prepare.ts).
 */
import { formatSeconds } from '../../duration.js'
import { auditHost, diagnoseHost } from './audit.js'
import type { SshRun } from './context.js'
import { healthGate } from './health.js'
import { endTurn, turnEnd, type HostState, type RestoreTarget } from './host-state.js'
import { planOrders } from './prepare.js'
import { describeRestore } from './releases.js'
import { targetImage } from './report.js'
import { composeArgs, ensureSession, runScript, timeLeft, type PhaseRun } from './run-script.js'
import { startFirstServices, startFirstUp } from './start-first.js'

/** Runs the host's deploy. Never throws: the host state says how far it got and why it stopped. */
export async function deployHost(run: SshRun, host: HostState): Promise<void> {
  const { config, clock, log, hostJournal } = run
  host.stage = { kind: 'started' }
  const started = clock.now()

  const fail = (phase: string, error: string): void => {
    endTurn(host, { phase, error: `${phase}: ${error}`, cancelled: false })
    log.error(`${host.name}: ${phase} failed: ${error}`)
  }
  /** Checked before each phase: a cancelled job or a passed deadline starts nothing new. */
  const mayStart = (phase: string): boolean => {
    if (run.signal.aborted) {
      endTurn(host, { error: `cancelled before ${phase}`, cancelled: true })
      return false
    }
    if (timeLeft(run) <= 0) {
      fail(phase, `deadline reached (timeout-minutes ${config.timeoutMinutes}) before it started`)
      return false
    }
    return true
  }
  const phase = async (name: string, run_: () => Promise<PhaseRun>): Promise<boolean> => {
    if (!mayStart(name)) return false
    const r = await run_()
    if (r.ok) return true
    if (run.signal.aborted) {
      endTurn(host, { phase: name, error: `cancelled during ${name}: ${r.error ?? 'stopped'}`, cancelled: true })
    } else fail(name, r.error ?? 'failed')
    return false
  }

  const connectError = await ensureSession(run, host, run.signal)
  if (connectError) {
    host.phases.record('connect', { ok: false, durationMs: clock.now() - started, error: connectError })
    fail('connect', connectError)
    return
  }

  if (config.preDeployCommand) {
    const command = config.preDeployCommand
    const ok = await phase('pre-deploy', () =>
      runScript(
        run,
        host,
        'pre-deploy',
        'run',
        { appDir: config.appDir, label: 'pre-deploy command' },
        {
          input: command,
          timeoutMs: timeLeft(run),
          signal: run.signal
        }
      )
    )
    if (!ok) return
  }

  if (!mayStart('apply')) return
  // Counted as changed before the round trip: if the job dies during it, recovery must restore the backup.
  const change = hostJournal.nextChange()
  host.stage = { kind: 'changed', change }
  hostJournal.save(host)
  if (host.restore) {
    if (!(await restoreFiles(run, host, host.restore, fail))) return
  } else {
    const applied = await runScript(
      run,
      host,
      'apply',
      'apply',
      { appDir: config.appDir },
      {
        input: run.envInput,
        timeoutMs: timeLeft(run)
      }
    )
    if (!applied.ok) return fail('apply', applied.error ?? 'failed')
  }

  const startFirst = startFirstServices(host)
  if (startFirst.length > 0) {
    if (!(await startFirstUp(run, host, startFirst, { phase, mayStart, fail }))) return
  } else if (
    !(await phase('up', () =>
      runScript(run, host, 'up', 'up', composeArgs(run, host), { timeoutMs: timeLeft(run), signal: run.signal })
    ))
  ) {
    const end = turnEnd(host.stage)
    if (end?.phase === 'up' && !end.cancelled && !host.unstopped) await diagnoseHost(run, host)
    return
  }

  if (!mayStart('health')) return
  const gate = await healthGate(run, host, 'health', run.deadline, run.signal)
  if (!gate.ok) {
    if (run.signal.aborted) {
      endTurn(host, { error: 'cancelled during the health check', cancelled: true })
    } else {
      fail('health', gate.detail)
      await diagnoseHost(run, host)
    }
    return
  }

  if (config.postDeployCommand) {
    const command = config.postDeployCommand
    const ok = await phase('post-deploy', () =>
      runScript(
        run,
        host,
        'post-deploy',
        'run',
        { appDir: config.appDir, label: 'post-deploy command' },
        {
          input: command,
          timeoutMs: timeLeft(run),
          signal: run.signal
        }
      )
    )
    if (!ok) return
  }

  host.stage = { kind: 'deployed', change }
  // The release before this one: what ran before this run, as its backup holds it (a rollback-to set it already).
  if (!host.restore) host.previous = host.backupDir ? backupName(host.backupDir) : null
  hostJournal.save(host)
  // The audit line is written while the next batch starts; it is waited for before any rollback and the unlock.
  run.pending.push(auditHost(run, host, 'deployed'))
  const steps = host.phases.list.map((p) => `${p.name} ${formatSeconds(p.durationMs)}`).join(', ')
  const what = host.restore
    ? `rolled back to ${describeRestore(host.restore)}`
    : `deployed ${targetImage(config, host)}`
  log.info(`${host.name}: ${what} in ${formatSeconds(clock.now() - started)} (${steps})`)
}

/**
 * A rollback-to's `apply`: the backup's files and image tags come back (no container changes yet), then the update
 * order is decided from the restored configuration, as a deploy decides it after its pull.
 */
async function restoreFiles(
  run: SshRun,
  host: HostState,
  target: RestoreTarget,
  fail: (phase: string, error: string) => void
): Promise<boolean> {
  const r = await runScript(
    run,
    host,
    'apply',
    'restore',
    {
      ...composeArgs(run, host),
      backupDir: target.dir,
      token: run.lock.token,
      ...(host.project ? { project: host.project } : {})
    },
    { timeoutMs: timeLeft(run) }
  )
  if (!r.ok) {
    fail('apply', r.error ?? 'failed')
    return false
  }
  const missing = r.result?.missing ?? []
  if (missing.length) {
    run.log.warning(
      `${host.name}: image(s) ${missing.join(', ')} left the host since pre-flight; compose looks for them`
    )
  }
  host.previous = r.result?.previous ?? null
  planOrders(run, host, r.result?.update)
  return true
}

/** The folder name of a backup path. */
export function backupName(dir: string): string {
  return dir.replace(/\/+$/, '').split('/').pop() ?? dir
}
