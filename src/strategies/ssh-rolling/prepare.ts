/**
 * Before the first batch, on every host at once: back up (files and the image id each service runs) and pull the
 * images as they will be after `apply`. Neither changes what runs; a host that cannot be backed up or cannot pull
 * fails the run here, before any host has changed.
 */
import type { SshRun } from './context.js'
import type { HostState } from './host-state.js'
import { composeArgs, runScript, timeLeft } from './run-script.js'
import { describeOrders } from './report.js'
import { decideOrders, parseServiceFacts } from './update-order.js'

/** Whether the host may start `step`: not when the job is cancelled or the deadline has passed (then it says why). */
function mayStart(run: SshRun, host: HostState, step: string): boolean {
  if (run.signal.aborted) host.stage = { kind: 'blocked', error: `cancelled before its ${step}` }
  else if (timeLeft(run) <= 0) {
    host.stage = {
      kind: 'blocked',
      error: `deadline reached (timeout-minutes ${run.config.timeoutMinutes}) before its ${step}`
    }
  }
  return host.stage.kind !== 'blocked'
}

/** Backs up and pulls. The host is `blocked` on failure; never throws. */
export async function prepareHost(run: SshRun, host: HostState): Promise<void> {
  const { config, log, hostJournal } = run
  if (!mayStart(run, host, 'backup')) return
  const backup = await runScript(
    run,
    host,
    'backup',
    'backup',
    {
      appDir: config.appDir,
      compose: host.compose ?? 'v2',
      files: config.composeFiles,
      stamp: run.backupStamp,
      retention: config.backupRetention,
      ...(host.project ? { project: host.project } : {}),
      ...(host.previous ? { previous: host.previous } : {}),
      ...(host.imageBefore ? { release: host.imageBefore } : {}),
      // The backup a rollback-to restores must outlive the pruning of the one taken to undo it.
      ...(host.restore ? { keep: host.restore.name } : {})
    },
    { timeoutMs: timeLeft(run) }
  )
  const dir = backup.result?.dir
  if (!backup.ok || typeof dir !== 'string') {
    host.stage = {
      kind: 'blocked',
      error: `backup: ${backup.ok ? 'the backup reported no folder' : (backup.error ?? 'failed')}`
    }
    return
  }
  host.backupDir = dir
  hostJournal.save(host)
  const images = backup.result?.images ?? []
  host.services = [...new Set(images.flatMap((i) => (i.service ? [i.service] : [])))]
  host.completedServices = images.flatMap((i) => (i.service && i.completed === true ? [i.service] : []))
  if (images.length === 0) log.warning(`${host.name}: no containers run yet: a rollback can restore files, not images`)
  // Without the image variable in .env, "before" is what the (first deployed) service's container runs.
  const running = images.find((i) => i.service === config.composeServices[0]) ?? images[0]
  if (!host.imageBefore && running?.image) {
    host.imageBefore = running.image
    hostJournal.save(host)
  }

  // A rollback-to pulls nothing: its images are on the host, tagged again by `restore`.
  if (host.restore) return
  if (!mayStart(run, host, 'pull')) return
  // Recorded before the round trip: a pull cut short may already have moved a tag.
  host.pulled = true
  hostJournal.save(host)
  const pull = await runScript(
    run,
    host,
    'pull',
    'pull',
    { ...composeArgs(run, host), ...(host.project ? { project: host.project } : {}) },
    {
      input: run.envInput,
      timeoutMs: timeLeft(run),
      signal: run.signal
    }
  )
  if (!pull.ok) {
    host.stage = { kind: 'blocked', error: `pull: ${pull.error ?? 'failed'}` }
    return
  }
  planOrders(run, host, pull.result?.update)
}

/**
 * Each service's update order on the host, from the facts of the configuration being deployed (read by `pull`, or
 * by a rollback-to's `restore`); without them, one `compose up` (stop-first).
 */
export function planOrders(
  run: SshRun,
  host: HostState,
  update: { facts: string; changed: string[] } | undefined
): void {
  const { config, log } = run
  if (!update) {
    if (config.updateOrder !== 'stop-first') {
      log.warning(`${host.name}: compose did not print its configuration: every service is deployed stop-first`)
    }
    return
  }
  host.facts = parseServiceFacts(update.facts)
  host.orders = decideOrders(config.updateOrder, host.facts, {
    changed: new Set(update.changed),
    oneShot: new Set(host.completedServices ?? []),
    services: config.composeServices
  })
  log.info(`${host.name}: ${describeOrders(host.orders)}`)
}
