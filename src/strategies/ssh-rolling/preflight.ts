/** Pre-flight of one host (checks, then the deploy lock, waiting for it if another run holds it) and unlocking. */
import { formatSeconds } from '../../duration.js'
import { sleepBefore } from '../../poll.js'
import type { SshRun } from './context.js'
import { changedStage, type HostState } from './host-state.js'
import { LOCK_POLL_MS, LOCK_TTL_SECONDS, MIN_FREE_DISK_BYTES, SHORT_STEP_TIMEOUT_MS } from './limits.js'
import type { LockClaim } from './remote/phases.js'
import { parseAuditLine, previousOf, resolveRestore } from './releases.js'
import { ensureSession, runScript } from './run-script.js'
import { decideOrders, parseServiceFacts } from './update-order.js'

/** A lock's owner.json in words: which run holds it, since when, until when. */
export function describeLockOwner(ownerJson: unknown): string {
  if (typeof ownerJson !== 'string' || !ownerJson.trim()) return 'an unknown owner (no owner.json)'
  try {
    const o = JSON.parse(ownerJson) as Record<string, unknown>
    const parts = [
      typeof o.actor === 'string' ? `by ${o.actor}` : undefined,
      typeof o.startedAt === 'string' ? `since ${o.startedAt}` : undefined,
      typeof o.expiresAt === 'string' ? `expires ${o.expiresAt}` : undefined
    ].filter(Boolean)
    const who = typeof o.runUrl === 'string' ? `run ${o.runUrl}` : 'another run'
    return parts.length ? `${who} (${parts.join(', ')})` : who
  } catch {
    return `an owner with an unreadable owner.json: ${ownerJson.slice(0, 200)}`
  }
}

/** The lock's expiry is set by the host's clock: the runner's clock does not matter. */
/**
 * A takeover in words: the previous run stopped without releasing the lock, maybe mid-deploy, so the host may be
 * half-deployed; its audit log's last line says how far that run got.
 */
export function takeoverMessage(owner: unknown, auditLine: unknown): string {
  const last =
    typeof auditLine === 'string' && auditLine.trim()
      ? `its audit log last recorded: ${auditLine.length > 200 ? `${auditLine.slice(0, 200)}…` : auditLine}`
      : 'its audit log records nothing'
  return `took over an expired deploy lock from ${describeLockOwner(owner)}; the host may be half-deployed by that run (${last})`
}

function lockClaim(run: SshRun): LockClaim {
  return { ...run.lock, ttlSeconds: LOCK_TTL_SECONDS }
}

/** What a host that cannot be unlocked is left with. */
const LOCK_LEFT = `it expires on its own within ${LOCK_TTL_SECONDS / 60} minutes`

/** Connects, checks, locks. The host is `blocked` on failure; never throws. */
export async function preflightHost(run: SshRun, host: HostState): Promise<void> {
  const { clock, config, log } = run
  const started = clock.now()
  const block = (error: string): void => {
    host.stage = { kind: 'blocked', error }
  }
  const connectError = await ensureSession(run, host, run.signal)
  if (connectError) {
    block(connectError)
    host.phases.record('connect', { ok: false, durationMs: clock.now() - started, error: connectError })
    return
  }
  host.lock = 'tried'
  run.hostJournal.save(host)
  const r = await runScript(
    run,
    host,
    'preflight',
    'preflight',
    {
      appDir: config.appDir,
      files: config.composeFiles,
      imageVariable: config.imageVariable,
      minFreeKb: Math.floor(MIN_FREE_DISK_BYTES / 1024),
      claim: lockClaim(run),
      validate: config.dryRun
    },
    { timeoutMs: SHORT_STEP_TIMEOUT_MS }
  )
  if (!r.ok || !r.result) {
    block(r.error ?? 'pre-flight failed')
    return
  }
  const result = r.result
  host.compose = result.compose
  if (result.imageBefore) host.imageBefore = result.imageBefore
  // An `env` that sets the project name changes the project at `apply`: later phases then ask compose.
  if (result.project && !config.env.some((e) => e.key === 'COMPOSE_PROJECT_NAME')) host.project = result.project
  run.hostJournal.save(host)
  const command = host.compose === 'v1' ? 'docker-compose' : 'docker compose'
  const version = result.composeVersion ?? '(version unknown)'
  log.info(
    `[${host.name}] docker ${result.dockerVersion}, ${command} ${version}, image now ${host.imageBefore ?? '(not set in .env)'}`
  )
  for (const w of result.warnings) log.warning(`${host.name}: ${w}`)
  // A dry run's plan: each service's order as if the deploy changes it (a dry run does not pull to know).
  if (result.facts !== undefined) {
    host.facts = parseServiceFacts(result.facts)
    host.orders = decideOrders(config.updateOrder, host.facts, { services: config.composeServices })
  }

  let { lock, owner, audit } = result
  if (lock === 'held') {
    const waitStarted = clock.now()
    const waitUntil = waitStarted + config.lockWaitSeconds * 1000
    log.info(
      `[${host.name}] the deploy lock is held by ${describeLockOwner(owner)}; waiting up to ${config.lockWaitSeconds} s`
    )
    while (lock === 'held' && clock.now() < waitUntil && !run.signal.aborted) {
      await sleepBefore(clock, LOCK_POLL_MS, waitUntil, run.signal)
      if (run.signal.aborted) break
      const poll = await runScript(
        run,
        host,
        'lock',
        'lock',
        { appDir: config.appDir, claim: lockClaim(run) },
        {
          timeoutMs: SHORT_STEP_TIMEOUT_MS,
          unreported: true,
          quiet: true
        }
      )
      if (!poll.ok || !poll.result) {
        block(`could not take the deploy lock: ${poll.error ?? 'no result'}`)
        return
      }
      ;({ lock, owner, audit } = poll.result)
    }
    const waited = clock.now() - waitStarted
    if (lock === 'held') {
      const error = run.signal.aborted
        ? `cancelled while waiting for the deploy lock held by ${describeLockOwner(owner)}`
        : `the deploy lock ${config.appDir}/.deploy/lock is held by ${describeLockOwner(owner)}; waited ${formatSeconds(waited)} (lock-wait-seconds ${config.lockWaitSeconds})`
      block(error)
      host.phases.record('lock', { ok: false, durationMs: waited, error })
      return
    }
    host.phases.record('lock', { ok: true, durationMs: waited, detail: `waited ${formatSeconds(waited)}` })
  }
  if (lock !== 'acquired' && lock !== 'taken-over') {
    block(`unexpected lock state '${lock}'`)
    return
  }
  if (lock === 'taken-over') log.warning(`${host.name}: ${takeoverMessage(owner, audit)}`)
  host.lock = 'held'
  run.hostJournal.save(host)
  // Read under the lock: no other run appends to the audit log until it is released.
  const last = parseAuditLine(result.lastAudit)
  const previous = previousOf(last)
  if (previous !== undefined) host.previous = previous
  if (config.rollbackTo) await resolveRestore(run, host, last)
}

/** Releases this run's lock on the host (never another run's). Failures are warnings: the lock expires anyway. */
export async function releaseLock(run: SshRun, host: HostState): Promise<void> {
  const { clock, log } = run
  const started = clock.now()
  if (host.unstopped) {
    log.warning(`${host.name}: deploy lock kept, ${LOCK_LEFT}: ${host.unstopped}`)
    return
  }
  // A host this run just failed to reach (with retries) is not tried again here: the lock expires on its own, and
  // the post step tries once more.
  const connectError = host.unreachable && !host.session?.alive ? host.unreachable : await ensureSession(run, host)
  if (connectError) {
    log.warning(`${host.name}: could not release the deploy lock (${connectError}); ${LOCK_LEFT}`)
    host.phases.record('unlock', { ok: false, durationMs: clock.now() - started, error: connectError })
    return
  }
  // A host that pulled but never changed gets the image ids of its backup tagged again: a pull may have moved a tag.
  const retag = host.pulled && !changedStage(host.stage) && host.backupDir
  const r = await runScript(
    run,
    host,
    'unlock',
    'unlock',
    { appDir: run.config.appDir, token: run.lock.token, ...(retag ? { retagFrom: host.backupDir } : {}) },
    { timeoutMs: SHORT_STEP_TIMEOUT_MS }
  )
  if (!r.ok || !r.result) {
    log.warning(`${host.name}: could not release the deploy lock (${r.error ?? 'no result'}); ${LOCK_LEFT}`)
    return
  }
  if (r.result.retagError !== undefined) {
    log.warning(
      `${host.name}: ${r.result.retagError}: a tag this run's pull moved may now name the new build (the running containers are unchanged)`
    )
  }
  if (r.result.lock === 'other') {
    log.warning(`${host.name}: the deploy lock is now held by ${describeLockOwner(r.result.owner)}; left alone`)
  }
  host.lock = 'none'
  run.hostJournal.save(host)
}
