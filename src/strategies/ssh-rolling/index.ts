/**
 * The ssh-rolling strategy: Docker Compose hosts over SSH, batch by batch, health-gated, with automatic rollback.
 * Pre-flight (and lock) every host → back up and pull on every host → batches (hosts of a batch in parallel) → on
 * failure or cancellation roll back in reverse order → release the locks (tagging the backed-up images again on hosts
 * that pulled but never changed). The locks are renewed in the background while held. Every phase is supervised on
 * the host and stopped when it is given up on. Progress goes to the journal as it happens, for `recover` in the post
 * step, which first stops what the main step left running.
 */
import { randomBytes } from 'node:crypto'
import type { SshRollingConfig } from './config.js'
import type { Deps, RunIdentity } from '../../deps.js'
import { deadlineAfter } from '../../poll.js'
import type { DeployResult, RecoverContext, RunContext, Strategy } from '../../types.js'
import { auditHost } from './audit.js'
import { planBatches } from './batches.js'
import { createSsh2Connector, type SshConnector } from './connection.js'
import { HostJournal, readRecord, settlePending, type HttpGet, type LockIdentity, type SshRun } from './context.js'
import { envLines } from './dotenv.js'
import { describeHealthCheck } from './health.js'
import { deployHost } from './host-deploy.js'
import { changedStage, fromRecord, newHostState, turnEnd, type HostState } from './host-state.js'
import {
  PREFLIGHT_CONCURRENCY,
  SSH_KEEPALIVE_COUNT_MAX,
  SSH_KEEPALIVE_INTERVAL_MS,
  SSH_READY_TIMEOUT_MS,
  SSH_RETRY_DELAYS_MS
} from './limits.js'
import { preflightHost, releaseLock } from './preflight.js'
import { startLockRenewal } from './lock-renewal.js'
import { prepareHost } from './prepare.js'
import {
  buildResult,
  deployStatus,
  describeRestores,
  ordersSection,
  phasesSection,
  planSection,
  preflightSection,
  hostError,
  resultMessage,
  targetImage,
  targetReport
} from './report.js'
import { stopPhases } from './run-script.js'
import { describeTarget } from './releases.js'
import { rollbackHost } from './rollback.js'
import { runVerify, verifyPhase, type VerifyConfig } from '../../verify.js'

/** Node's fetch, bounded by `timeoutMs`; the body is not read. */
export const fetchHttpGet: HttpGet = async (url, { timeoutMs, signal }) => {
  const timeout = AbortSignal.timeout(timeoutMs)
  const response = await fetch(url, {
    redirect: 'follow',
    signal: signal ? AbortSignal.any([signal, timeout]) : timeout
  })
  await response.body?.cancel().catch(() => undefined)
  return { status: response.status }
}

async function mapLimit<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++] as T
      await fn(item)
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
}

/** `20240102T030405Z-run123`: sorts by time, names the run. */
function backupStamp(now: number, { runId, runAttempt }: RunIdentity): string {
  const iso = new Date(now)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')
  if (runId === undefined) return iso
  return `${iso}-run${runId}${runAttempt !== undefined && runAttempt > 1 ? `-${runAttempt}` : ''}`
}

export function createSshRolling(config: SshRollingConfig, deps: Deps): Strategy {
  const overrides = deps.overrides ?? {}
  const { log, clock } = deps

  let connector: SshConnector | undefined
  const getConnector = (): SshConnector => {
    if (overrides.sshConnector) return overrides.sshConnector
    if (!connector) {
      const { privateKey } = config
      if (!privateKey) throw new Error(`Missing 'ssh-private-key': required for the ssh-rolling strategy`)
      connector = createSsh2Connector({
        privateKey,
        knownHosts: config.knownHosts,
        insecureSkipHostKeyCheck: config.insecureSkipHostKeyCheck,
        ...(config.jumpHost ? { jumpHost: config.jumpHost } : {}),
        log,
        clock,
        readyTimeoutMs: SSH_READY_TIMEOUT_MS,
        keepaliveIntervalMs: SSH_KEEPALIVE_INTERVAL_MS,
        keepaliveCountMax: SSH_KEEPALIVE_COUNT_MAX,
        retryDelaysMs: SSH_RETRY_DELAYS_MS
      })
    }
    return connector
  }
  const http = overrides.httpGet ?? fetchHttpGet
  const { identity } = deps

  const makeRun = (
    hostJournal: HostJournal,
    lock: LockIdentity,
    signal: AbortSignal,
    extra: Partial<SshRun>
  ): SshRun => {
    const now = clock.now()
    return {
      config,
      log,
      clock,
      connector: getConnector(),
      http,
      hostJournal,
      lock,
      identity,
      deadline: deadlineAfter(now, config.timeoutMinutes),
      backupStamp: backupStamp(now, identity),
      envInput: '',
      signal,
      pending: [],
      ...extra
    }
  }

  const closeAll = async (run: SshRun, hosts: readonly HostState[]): Promise<void> => {
    await Promise.all(hosts.map((h) => h.session?.close().catch(() => undefined)))
    await run.connector.close().catch(() => undefined)
  }

  const releaseAll = async (run: SshRun, hosts: readonly HostState[]): Promise<void> => {
    const held = hosts.filter((h) => h.lock === 'held')
    if (held.length === 0) return
    await log.group(`Release ${held.length} deploy ${held.length === 1 ? 'lock' : 'locks'}`, () =>
      mapLimit(held, PREFLIGHT_CONCURRENCY, (h) => releaseLock(run, h))
    )
  }

  /** Rolls back `targets` one by one, the last changed first; `reason` says why a host that did not fail is. */
  const rollBack = async (
    run: SshRun,
    targets: HostState[],
    title: string,
    reason: (host: HostState) => string | undefined
  ): Promise<void> => {
    const change = (h: HostState): number => changedStage(h.stage)?.change ?? 0
    const ordered = [...targets].sort((a, b) => change(b) - change(a))
    if (ordered.length === 0) return
    await log.group(`${title}: ${ordered.map((h) => h.name).join(', ')}`, async () => {
      for (const host of ordered) await rollbackHost(run, host, reason(host))
    })
  }

  /** The verify gate after a batch passed its health gate: a failure fails the batch's hosts, as a health gate does. */
  const verifyBatch = async (
    run: SshRun,
    verify: VerifyConfig,
    hosts: readonly HostState[],
    batch: readonly HostState[],
    position: string
  ): Promise<void> => {
    const outcome = await runVerify(deps, verify, {
      vars: {
        DEPLOY_STRATEGY: config.strategy,
        DEPLOY_IMAGE: [...new Set(batch.map((h) => targetImage(config, h) ?? ''))].join(' '),
        DEPLOY_TARGETS: batch.map((h) => h.target.host).join(' '),
        DEPLOY_BATCH: position,
        DEPLOY_HOSTS_DEPLOYED: hosts
          .filter((h) => h.stage.kind === 'deployed')
          .map((h) => h.target.host)
          .join(' ')
      },
      deadline: run.deadline,
      signal: run.signal
    })
    for (const host of batch) {
      host.phases.record('verify', verifyPhase(outcome))
      if (outcome.ok || host.stage.kind !== 'deployed') continue
      host.stage = {
        kind: 'changed',
        change: host.stage.change,
        end: { phase: 'verify', error: outcome.reason, cancelled: outcome.cancelled }
      }
      run.hostJournal.save(host)
    }
    if (!outcome.ok) log.error(`Batch ${position}: ${outcome.reason}`)
  }

  async function deploy(ctx: RunContext): Promise<DeployResult> {
    const started = clock.now()
    const deadline = deadlineAfter(started, config.timeoutMinutes)
    // A rollback-to writes no variables: each host gets back its backup's .env as it was.
    const envInput = config.image ? envLines(config.env, config.imageVariable, config.image.ref).join('\n') : ''
    const token = randomBytes(16).toString('hex')
    const ownerJson = JSON.stringify({
      runUrl: identity.runUrl ?? null,
      runId: identity.runId ?? null,
      repository: identity.repository ?? null,
      workflow: identity.workflow ?? null,
      actor: identity.actor,
      sha: identity.sha ?? null,
      ref: identity.ref ?? null,
      image: config.image?.ref ?? null,
      ...(config.rollbackTo ? { rollbackTo: describeTarget(config.rollbackTo) } : {}),
      startedAt: new Date(started).toISOString()
    })
    const lock = { token, ownerJson }
    const rollbackTo = config.rollbackTo ? { rollbackTo: describeTarget(config.rollbackTo) } : {}
    const hostJournal = new HostJournal(ctx.journal, { ...lock, ...rollbackTo, hosts: {} })
    const run = makeRun(hostJournal, lock, ctx.signal, { envInput, deadline })
    const hosts = config.hosts.map((t) => newHostState(t, clock))
    // What this run does, in messages: the image it deploys, or where it rolls back to.
    const image = config.image?.ref ?? (config.rollbackTo ? describeTarget(config.rollbackTo) : '')
    const restores = (): string => describeRestores(hosts)
    /** Pre-flight, batches, rollback; returns how to build the result once the locks are released. */
    const proceed = async (): Promise<() => DeployResult> => {
      await log.group(`Pre-flight ${hosts.length} ${hosts.length === 1 ? 'host' : 'hosts'}`, () =>
        mapLimit(hosts, PREFLIGHT_CONCURRENCY, (h) => preflightHost(run, h))
      )
      const blocked = hosts.filter((h) => h.stage.kind === 'blocked')
      if (blocked.length > 0 || ctx.signal.aborted) {
        const reports = hosts.map((h) => targetReport(config, h))
        const why = blocked.length
          ? `Pre-flight failed on ${blocked.length} of ${hosts.length} hosts, nothing was changed: ${blocked.map((h) => `${h.name}: ${hostError(h)}`).join('; ')}`
          : 'Cancelled during pre-flight, nothing was changed'
        return () => buildResult('failed', why, reports, [preflightSection(hosts)])
      }

      const batches = planBatches(hosts, config.batchSize, config.firstBatchSize)
      if (config.dryRun) {
        return () =>
          buildResult(
            'planned',
            `Dry run: ${hosts.length} ${hosts.length === 1 ? 'host' : 'hosts'} passed pre-flight; ${config.rollbackTo ? `would roll back ${restores()}` : `${image} would be deployed`} in ${batches.length} ${batches.length === 1 ? 'batch' : 'batches'}`,
            hosts.map((h) => targetReport(config, h, true)),
            [
              planSection(config, batches, describeHealthCheck(run)),
              ...ordersSection(hosts, true),
              preflightSection(hosts)
            ]
          )
      }

      const prepare = config.rollbackTo ? 'Back up' : 'Back up and pull on'
      await log.group(`${prepare} ${hosts.length} ${hosts.length === 1 ? 'host' : 'hosts'}`, () =>
        mapLimit(hosts, PREFLIGHT_CONCURRENCY, (h) => prepareHost(run, h))
      )
      const unprepared = hosts.filter((h) => h.stage.kind === 'blocked')
      if (unprepared.length > 0 || ctx.signal.aborted) {
        const reports = hosts.map((h) => targetReport(config, h))
        const why = ctx.signal.aborted
          ? 'Cancelled before the first batch, nothing was changed'
          : `Backup or pull failed on ${unprepared.length} of ${hosts.length} hosts, nothing was changed: ${unprepared.map((h) => `${h.name}: ${hostError(h)}`).join('; ')}`
        return () => buildResult('failed', why, reports, [preflightSection(hosts), phasesSection(hosts)])
      }

      let stopped: string | undefined
      for (const [i, batch] of batches.entries()) {
        if (ctx.signal.aborted) break
        if (clock.now() >= deadline) {
          stopped = `deadline reached (timeout-minutes ${config.timeoutMinutes}) before batch ${i + 1}/${batches.length}`
          break
        }
        await log.group(`Batch ${i + 1}/${batches.length}: ${batch.map((h) => h.name).join(', ')}`, async () => {
          await Promise.all(batch.map((h) => deployHost(run, h)))
          if (config.verify && batch.every((h) => h.stage.kind === 'deployed')) {
            await verifyBatch(run, config.verify, hosts, batch, `${i + 1}/${batches.length}`)
          }
        })
        if (batch.some((h) => h.stage.kind !== 'deployed')) break
      }

      await settlePending(run)
      const failed = hosts.filter((h) => turnEnd(h.stage)?.cancelled === false)
      const cancelled = ctx.signal.aborted
      const problem = failed.length > 0 || cancelled || stopped !== undefined
      if (problem && config.rollbackOnFailure) {
        const everyChanged = cancelled || stopped !== undefined || config.rollbackScope === 'fleet'
        const targets = hosts.filter((h) => h.stage.kind === 'changed' || (everyChanged && h.stage.kind === 'deployed'))
        const cause = cancelled ? 'the job was cancelled' : failed[0] ? `${failed[0].name} failed` : (stopped ?? '')
        await rollBack(run, targets, cancelled ? 'Cancelled: roll back' : 'Roll back', (h) =>
          turnEnd(h.stage)?.cancelled === false ? undefined : `rolled back because ${cause}`
        )
      }
      // The audit trail also records failures that were not rolled back.
      for (const h of hosts) {
        if (h.stage.kind === 'started' || h.stage.kind === 'changed') {
          await auditHost(run, h, 'failed', turnEnd(h.stage)?.error ?? 'cancelled')
        }
      }

      const reports = hosts.map((h) => targetReport(config, h))
      const status = deployStatus(reports, problem)
      const inBatches = `in ${batches.length} ${batches.length === 1 ? 'batch' : 'batches'}`
      const opening = !problem
        ? config.rollbackTo
          ? `Rolled back ${restores()} ${inBatches}`
          : `Deployed ${image} to ${hosts.length} ${hosts.length === 1 ? 'host' : 'hosts'} ${inBatches}`
        : cancelled
          ? `Cancelled while ${config.rollbackTo ? 'rolling back to' : 'deploying'} ${image}`
          : failed[0]
            ? `${config.rollbackTo ? 'The rollback to' : 'Deploy of'} ${image} failed on ${failed.map((h) => `${h.name} (${hostError(h)})`).join(', ')}`
            : `${config.rollbackTo ? 'The rollback to' : 'Deploy of'} ${image} stopped: ${stopped}`
      return () =>
        buildResult(status, resultMessage(config, hosts, reports, opening), reports, [
          phasesSection(hosts),
          ...ordersSection(hosts)
        ])
    }
    const renewal = startLockRenewal(run, hosts)
    let finish: () => DeployResult
    try {
      finish = await proceed()
    } finally {
      await settlePending(run)
      await renewal.stop()
      await releaseAll(run, hosts)
      await closeAll(run, hosts)
    }
    // Built after the locks are released, so each host's report includes its unlock.
    return finish()
  }

  async function recover(ctx: RecoverContext): Promise<DeployResult | undefined> {
    const record = readRecord(ctx.journal)
    if (!record) return undefined
    const hosts: HostState[] = []
    for (const target of config.hosts) {
      const r = record.hosts[target.spec]
      if (!r) continue
      const host = fromRecord(target, r, clock)
      if (needsRollback(host) || host.lock === 'held') hosts.push(host)
    }
    if (hosts.length === 0) return undefined
    const lock = { token: record.token, ownerJson: record.ownerJson }
    // The host journal continues the saved record: a second recovery sees what this one finished.
    const run = makeRun(new HostJournal(ctx.journal, record), lock, ctx.signal, {})
    const renewal = startLockRenewal(run, hosts)
    try {
      // First stop whatever the main step left running on a host (it was killed mid-phase), and wait until it is gone.
      await log.group(
        `Stop what the main step left running on ${hosts.length} ${hosts.length === 1 ? 'host' : 'hosts'}`,
        () =>
          mapLimit(hosts, PREFLIGHT_CONCURRENCY, async (h) => {
            const { confirmed, stopped, text } = await stopPhases(run, h, 'a phase of the main step')
            if (confirmed) {
              log.info(`${h.name}: ${stopped ? `stopped ${stopped} process group(s) it left` : 'nothing left running'}`)
            } else log.info(`${h.name}: ${text}`)
          })
      )
      const changed = hosts.filter(needsRollback)
      if (changed.length && config.rollbackOnFailure) {
        await rollBack(run, changed, 'Recover: roll back', () => 'rolled back because the main step was cut short')
      }
    } finally {
      await renewal.stop()
      await releaseAll(run, hosts)
      await closeAll(run, hosts)
    }
    const reports = hosts.map((h) => targetReport(config, h))
    const left = hosts.filter((h) => changedStage(h.stage) && h.stage.kind !== 'rolled-back')
    // Cut short means not deployed: rolled-back when every changed host is back, failed otherwise.
    const status = left.length === 0 && changedCount(hosts) > 0 ? 'rolled-back' : 'failed'
    // A rollback-to names where each host was going: the backups pre-flight chose, else the run's target.
    const going = hosts.some((h) => h.restore)
      ? describeRestores(hosts)
      : record.rollbackTo !== undefined
        ? `to ${record.rollbackTo}`
        : undefined
    const opening =
      changedCount(hosts) === 0
        ? `The main step was cut short before any host changed${going ? ` (rolling back ${going})` : ''}; released the deploy locks`
        : `The main step was cut short${going ? ` while rolling back ${going}` : ''}`
    return buildResult(status, resultMessage(config, hosts, reports, opening), reports, [phasesSection(hosts)])
  }

  return { deploy, recover }
}

function changedCount(hosts: readonly HostState[]): number {
  return hosts.filter((h) => changedStage(h.stage)).length
}

/** Changed and not rolled back yet. */
function needsRollback(host: HostState): boolean {
  return host.stage.kind === 'changed' || host.stage.kind === 'deployed'
}
