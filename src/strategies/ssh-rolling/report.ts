/** Turns the hosts' states into the result `main` publishes: per-host reports, status, message, sections. */
import type { SshRollingConfig } from './config.js'
import { formatDuration } from '../../duration.js'
import type { DeployResult, DeployStatus, TargetReport } from '../../types.js'
import { changedStage, turnEnd, type HostState, type TurnEnd } from './host-state.js'
import { describeRestore } from './releases.js'
import type { ServiceOrder } from './update-order.js'

const LEFT_STATE: Record<string, string> = {
  apply: '.env old or new (replaced atomically), old containers still running',
  up: 'new .env written, containers may be half recreated (up failed)',
  health: 'new version running but unhealthy',
  'post-deploy': 'new version running, post-deploy command failed'
}

/** Phases whose failure leaves the old containers running: the host still serves the version from before. */
const OLD_CONTAINERS = new Set(['apply'])

/** What a changed host is left with when it was not (or could not be) rolled back, in words. */
function leftWith(end: TurnEnd | undefined): string {
  if (end?.cancelled) return 'cancelled after its .env changed'
  return LEFT_STATE[end?.phase ?? ''] ?? `changed, ${end?.phase ?? 'a phase'} failed`
}

/** What the host is being moved to: the image deployed, or the release of the backup a rollback-to restores. */
export function targetImage(config: SshRollingConfig, host: HostState): string | undefined {
  return host.restore?.release ?? config.image?.ref
}

/** The image a changed, not rolled-back host runs: the old one when its containers were never recreated. */
function runningAfterChange(config: SshRollingConfig, host: HostState): string | undefined {
  return OLD_CONTAINERS.has(turnEnd(host.stage)?.phase ?? '') ? host.imageBefore : targetImage(config, host)
}

/** `4 hosts to app:2 (backup B)` when they share one, else `h1 to …, h2 to …`; hosts without a restore are left out. */
export function describeRestores(hosts: readonly HostState[]): string {
  const going = hosts.flatMap((h) => (h.restore ? [{ name: h.name, to: describeRestore(h.restore) }] : []))
  const first = going[0]
  if (first && going.every((g) => g.to === first.to)) {
    return `${going.length} ${going.length === 1 ? 'host' : 'hosts'} to ${first.to}`
  }
  return going.map((g) => `${g.name} to ${g.to}`).join(', ')
}

/** A rollback-to host that changed but is not on its backup's release: where it was going, as a state's prefix. */
function goingTo(host: HostState): string {
  return host.restore ? `was being rolled back to ${describeRestore(host.restore)}; ` : ''
}

/** Why the host failed: its pre-flight, or its turn. */
export function hostError(host: HostState): string | undefined {
  return host.stage.kind === 'blocked' ? host.stage.error : turnEnd(host.stage)?.error
}

export function targetReport(config: SshRollingConfig, host: HostState, planned = false): TargetReport {
  const report: TargetReport = {
    name: host.name,
    outcome: 'untouched',
    durationMs: host.phases.totalMs,
    phases: host.phases.list
  }
  if (host.imageBefore) report.before = host.imageBefore
  const error = hostError(host)
  if (error) report.error = error
  const end = (outcome: TargetReport['outcome'], after: string | undefined, state?: string): TargetReport => {
    report.outcome = outcome
    if (after) report.after = after
    if (state) report.state = state
    return report
  }
  const { stage } = host
  const turn = turnEnd(stage)
  const wasTo = host.restore ? ` (was to roll back to ${describeRestore(host.restore)})` : ''
  if (planned) {
    return end(
      'planned',
      targetImage(config, host),
      host.restore ? `would roll back to ${describeRestore(host.restore)}` : undefined
    )
  }
  if (host.unstopped) {
    const changed = changedStage(stage) !== undefined
    const was = changed ? `${goingTo(host)}${leftWith(turn)}` : 'unchanged before it'
    return end(
      'failed',
      changed ? runningAfterChange(config, host) : host.imageBefore,
      `${was}; ${host.unstopped}; left as it is (not rolled back), deploy lock kept`
    )
  }
  switch (stage.kind) {
    case 'rolled-back':
      return end(
        'rolled-back',
        host.imageBefore,
        host.restore
          ? `${goingTo(host)}${stage.reason ?? 'undone'}: back on ${host.imageBefore ?? 'the release from before'}`
          : stage.reason
      )
    case 'rollback-failed':
      return end(
        'failed',
        runningAfterChange(config, host),
        `${goingTo(host)}${leftWith(turn)}; rollback failed: ${stage.error}`
      )
    case 'deployed':
      return end(
        'deployed',
        targetImage(config, host),
        host.restore ? `rolled back to ${describeRestore(host.restore)}` : undefined
      )
    case 'changed':
      return end(
        'failed',
        runningAfterChange(config, host),
        `${goingTo(host)}${leftWith(turn)}; ${config.rollbackOnFailure ? 'not rolled back' : 'rollback disabled'}`
      )
    case 'blocked':
      return end(
        'failed',
        host.imageBefore,
        host.backupDir ? 'backup or pull failed before the rollout, unchanged' : 'pre-flight failed, unchanged'
      )
    case 'started':
      if (turn && !turn.cancelled) {
        return end('failed', host.imageBefore, `unchanged (${turn.phase ?? 'a phase'} failed before any change)`)
      }
      return end('untouched', host.imageBefore, `${turn ? 'cancelled before any change' : 'not reached'}${wasTo}`)
    case 'waiting':
      return end('untouched', host.imageBefore, `not reached${wasTo}`)
  }
}

/** succeeded: all deployed; rolled-back: every changed host is back; failed: anything else. */
export function deployStatus(reports: readonly TargetReport[], problem: boolean): DeployStatus {
  if (!problem && reports.every((r) => r.outcome === 'deployed')) return 'succeeded'
  if (reports.some((r) => r.outcome === 'failed' || r.outcome === 'deployed')) return 'failed'
  return reports.some((r) => r.outcome === 'rolled-back') ? 'rolled-back' : 'failed'
}

function names(hosts: readonly { name: string }[]): string {
  return hosts.map((h) => h.name).join(', ')
}

/** One line for the whole run: the first failure's reason, then what became of every host. */
export function resultMessage(
  config: SshRollingConfig,
  hosts: readonly HostState[],
  reports: readonly TargetReport[],
  opening: string
): string {
  const parts = [opening]
  const by = (outcome: TargetReport['outcome']): TargetReport[] => reports.filter((r) => r.outcome === outcome)
  const rolledBack = by('rolled-back')
  const rollbackFailed = hosts.flatMap((h) =>
    h.stage.kind === 'rollback-failed' && !h.unstopped ? [`${h.name} (${h.stage.error})`] : []
  )
  const left = hosts.filter((h) => h.stage.kind === 'changed')
  if (rolledBack.length) {
    // After a rollback-to, "rolled back" undid it: say which release those hosts are back on.
    const undone = hosts.filter((h) => h.restore && h.stage.kind === 'rolled-back' && !h.unstopped)
    const back = [...new Set(undone.map((h) => h.imageBefore ?? 'the release from before'))]
    parts.push(`rolled back ${names(rolledBack)}${back.length ? ` (back on ${back.join(', ')})` : ''}`)
  }
  const unstopped = hosts.filter((h) => h.unstopped)
  if (unstopped.length)
    parts.push(`NOT confirmed stopped: ${unstopped.map((h) => `${h.name} (${h.unstopped})`).join(', ')}`)
  if (rollbackFailed.length) {
    parts.push(`rollback FAILED on ${rollbackFailed.join(', ')}`)
  }
  if (left.length) parts.push(`left changed: ${names(left)}${config.rollbackOnFailure ? '' : ' (rollback disabled)'}`)
  const deployed = by('deployed')
  if (deployed.length && deployed.length < reports.length) {
    parts.push(`${hosts.some((h) => h.restore) ? 'on the restored release' : 'on the new version'}: ${names(deployed)}`)
  }
  const untouched = by('untouched')
  if (untouched.length && untouched.length < reports.length) parts.push(`untouched: ${names(untouched)}`)
  return parts.join('; ')
}

/** A host's update orders in one line: `web start-first (can run beside its old containers); db unchanged (…)`. */
export function describeOrders(orders: readonly ServiceOrder[]): string {
  if (orders.length === 0) return 'no service in scope'
  return orders.map((o) => `${o.service} ${o.order} (${o.reason})`).join('; ')
}

/** Per host: how each service is (or, in a plan, would be) replaced, and why; none when no host has orders. */
export function ordersSection(hosts: readonly HostState[], planned = false): { title: string; body: string }[] {
  const withOrders = hosts.filter((h) => h.orders)
  if (withOrders.length === 0) return []
  const lines = ['| Host | Update order |', '| --- | --- |']
  for (const h of withOrders) {
    lines.push(`| ${h.name} | ${describeOrders(h.orders ?? []).replace(/\|/g, '\\|')} |`)
  }
  if (planned) lines.push('', 'A dry run does not pull: each service is shown as if the deploy changes it.')
  return [{ title: 'Update order per host', body: lines.join('\n') }]
}

/** Per host: each phase reached, ✓/✗, exit code on failure, duration. */
export function phasesSection(hosts: readonly HostState[]): { title: string; body: string } {
  const lines = ['| Host | Phases |', '| --- | --- |']
  for (const h of hosts) {
    const phases = h.phases.list
      .map((p) => {
        const code = !p.ok && p.exitCode !== undefined ? `, exit ${p.exitCode === null ? 'none' : p.exitCode}` : ''
        return `${p.ok ? '✓' : '✗'} ${p.name} ${formatDuration(p.durationMs)}${code}`
      })
      .join(' → ')
    lines.push(`| ${h.name} | ${(phases || '—').replace(/\|/g, '\\|')} |`)
  }
  return { title: 'Phases per host', body: lines.join('\n') }
}

export function preflightSection(hosts: readonly HostState[]): { title: string; body: string } {
  const lines = ['| Host | Pre-flight |', '| --- | --- |']
  for (const h of hosts) {
    const text =
      h.stage.kind === 'blocked'
        ? `❌ ${h.stage.error}`
        : `✅ compose ${h.compose ?? '?'}, image ${h.imageBefore ?? '(unset)'}`
    lines.push(`| ${h.name} | ${text.replace(/\|/g, '\\|').replace(/\n/g, ' ')} |`)
  }
  return { title: 'Pre-flight', body: lines.join('\n') }
}

export function planSection(
  config: SshRollingConfig,
  batches: readonly HostState[][],
  healthCheck: string
): { title: string; body: string } {
  const envKeys = config.env.map((e) => e.key)
  const services = config.composeServices.length ? `services ${config.composeServices.join(', ')}` : 'all services'
  const steps = [
    ...(config.preDeployCommand ? [`run the pre-deploy command \`${config.preDeployCommand}\``] : []),
    config.image
      ? `set \`${config.imageVariable}=${config.image.ref}\`${envKeys.length ? ` and ${envKeys.map((k) => `\`${k}\``).join(', ')}` : ''} in \`.env\` (mode 0600)`
      : `restore the backup's compose file(s) and \`.env\`, and tag its recorded image ids again (no registry needed)`,
    config.updateOrder === 'stop-first'
      ? `\`up -d\` ${services} (update-order stop-first: compose recreates each changed service)`
      : `${services}: each changed service that can run twice starts beside the old (start-first), passes its gate (its Docker healthcheck${Object.keys(config.containerChecks).length ? ' or container-check' : ''}), serves for ${formatDuration(config.switchDelayMs)} (switch-delay), then the old containers stop; the others are recreated by \`up -d\` (stop-first)`,
    `health check: ${healthCheck} (${config.healthCheck.retries} retries every ${formatDuration(config.healthCheck.intervalMs)}, start period ${formatDuration(config.healthCheck.startPeriodMs)})`,
    ...(config.postDeployCommand ? [`run the post-deploy command \`${config.postDeployCommand}\``] : []),
    `on failure: ${config.rollbackOnFailure ? `roll back ${config.rollbackScope === 'fleet' ? 'every updated host' : 'the failed host'}` : 'no rollback'}`
  ]
  const target = (h: HostState): string =>
    h.restore ? describeRestore(h.restore) : (targetImage(config, h) ?? '(unknown)')
  const lines = [
    ...batches.map(
      (b, i) =>
        `${i + 1}. Batch ${i + 1}/${batches.length}: ${b.map((h) => `${h.name} (${h.imageBefore ?? 'image unset'} → ${target(h)})`).join(', ')}`
    ),
    '',
    `Before the first batch, on every host at once (a dry run does ${config.rollbackTo ? 'not' : 'neither'}):`,
    `- back up the compose file(s), .env and the running image ids into \`${config.appDir}/.deploy/backups/\` (keep ${config.backupRetention})${config.rollbackTo ? ', to undo the rollback if it fails' : ''}`,
    ...(config.rollbackTo
      ? []
      : [
          `- pull ${services} with the new \`.env\` values (nothing changes yet; any pull failure stops the deploy here)`
        ]),
    '',
    'Then each host, batch by batch:',
    ...steps.map((s) => `- ${s}`)
  ]
  return { title: 'Plan', body: lines.join('\n') }
}

export function buildResult(
  status: DeployStatus,
  message: string,
  targets: TargetReport[],
  sections: { title: string; body: string }[]
): DeployResult {
  return { status, message, targets, outputs: {}, sections }
}
