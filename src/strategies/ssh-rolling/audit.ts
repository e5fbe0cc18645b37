/** The audit trail on each host: one JSON line per outcome in `<app-dir>/.deploy/audit.log`. */
import type { SshRun } from './context.js'
import type { HostState } from './host-state.js'
import { SHORT_STEP_TIMEOUT_MS } from './limits.js'
import { describeRestore } from './releases.js'
import { targetImage } from './report.js'
import { composeArgs, runScript } from './run-script.js'

export type AuditOutcome = 'deployed' | 'failed' | 'rolled-back' | 'rollback-failed'

/** Outcomes after which the host runs a known release: the line records its image ids and the release before it. */
const SETTLED: ReadonlySet<AuditOutcome> = new Set(['deployed', 'rolled-back'])

/**
 * The line: time, run, actor, commit, image before → after, outcome; after a settled outcome, `previous` (the backup
 * holding the release before the one now running: what `rollback-to: previous` restores next); after a rollback-to,
 * the backup it restored. No secrets: env values are never in it.
 */
export function auditLine(run: SshRun, host: HostState, outcome: AuditOutcome, detail?: string): string {
  const after = outcome === 'rolled-back' ? host.imageBefore : targetImage(run.config, host)
  const restored = outcome === 'deployed' && host.restore ? host.restore : undefined
  const text = restored ? `rolled back to ${describeRestore(restored)}${detail ? `; ${detail}` : ''}` : detail
  return JSON.stringify({
    time: new Date(run.clock.now()).toISOString(),
    host: host.name,
    run: run.identity.runUrl ?? null,
    actor: run.identity.actor,
    sha: run.identity.sha ?? null,
    ref: run.identity.ref ?? null,
    before: host.imageBefore ?? null,
    after: after ?? null,
    outcome,
    ...(restored ? { rollbackTo: restored.name } : {}),
    ...(SETTLED.has(outcome) ? { previous: host.previous ?? null } : {}),
    ...(text ? { detail: text } : {})
  })
}

/** Appends the line; a failure to write it is a warning, not a failed deploy. */
export async function auditHost(run: SshRun, host: HostState, outcome: AuditOutcome, detail?: string): Promise<void> {
  if (!host.session?.alive) {
    run.log.warning(`${host.name}: no audit line written (no connection)`)
    return
  }
  const line = auditLine(run, host, outcome, detail)
  const r = await runScript(
    run,
    host,
    'audit',
    'audit',
    {
      appDir: run.config.appDir,
      line,
      ...(SETTLED.has(outcome)
        ? {
            running: {
              compose: host.compose ?? 'v2',
              files: run.config.composeFiles,
              ...(host.project ? { project: host.project } : {})
            }
          }
        : {})
    },
    {
      timeoutMs: SHORT_STEP_TIMEOUT_MS
    }
  )
  if (!r.ok) run.log.warning(`${host.name}: could not append to the audit log: ${r.error ?? 'no result'}`)
}

/** Prints `compose ps`, the failing containers' last 50 log lines and their health log. */
export async function diagnoseHost(run: SshRun, host: HostState): Promise<void> {
  if (!host.session?.alive) return
  run.log.info(`[${host.name}] diagnostics:`)
  await runScript(run, host, 'diagnose', 'diagnose', composeArgs(run, host), {
    timeoutMs: SHORT_STEP_TIMEOUT_MS,
    unreported: true
  })
}
