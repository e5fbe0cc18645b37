/**
 * `rollback-to` on one host, in pre-flight: which backup it goes back to. `previous` is the backup the audit log's
 * last line records as holding the release before the one it deployed, and only while the host still runs what
 * that line says was deployed (by image id); a named backup is taken as it is. Either must be complete and its
 * image ids still on the host (the rollback needs no registry). Pure but for `resolveRestore`'s one round trip.
 */
import type { RollbackTarget } from '../../inputs/common.js'
import type { SshRun } from './context.js'
import type { HostState, RestoreTarget } from './host-state.js'
import { SHORT_STEP_TIMEOUT_MS } from './limits.js'
import type { BackupListing, ServiceImage } from './remote/phases.js'
import { runScript } from './run-script.js'

/** The audit log's last line, as far as a rollback reads it. */
export interface AuditRecord {
  outcome?: string
  after?: string
  /** Absent: a line written before the audit log recorded it. `null`: no backup holds an earlier release. */
  previous?: string | null
  /** The image id each service ran when the line was written; absent in older lines. */
  running?: ServiceImage[]
  run?: string
  time?: string
  detail?: string
}

/** Outcomes after which the host runs a release the line names. */
const SETTLED = new Set(['deployed', 'rolled-back'])

export function parseAuditLine(line: string | undefined): AuditRecord | undefined {
  if (!line) return undefined
  let value: unknown
  try {
    value = JSON.parse(line)
  } catch {
    return undefined
  }
  if (typeof value !== 'object' || value === null) return undefined
  const o = value as Record<string, unknown>
  const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined)
  const record: AuditRecord = {}
  for (const key of ['outcome', 'after', 'run', 'time', 'detail'] as const) {
    const v = text(o[key])
    if (v !== undefined) record[key] = v
  }
  if ('previous' in o) record.previous = text(o.previous) ?? null
  if (Array.isArray(o.running)) {
    record.running = o.running.flatMap((r: unknown) => {
      const x = r as Record<string, unknown> | null
      return x && typeof x.service === 'string' && typeof x.imageId === 'string'
        ? [{ service: x.service, imageId: x.imageId, image: text(x.image) ?? '' }]
        : []
    })
  }
  return record
}

/** Which backup holds the release before the one the line says runs; undefined when the line does not say. */
export function previousOf(record: AuditRecord | undefined): string | null | undefined {
  return record && SETTLED.has(record.outcome ?? '') ? record.previous : undefined
}

const shortId = (id: string): string => id.replace(/^sha256:/, '').slice(0, 12)

/** `app:2 (3f2a…)`, one per image, for messages. */
export function describeImages(images: readonly ServiceImage[]): string {
  const seen = new Map<string, string>()
  for (const i of images) seen.set(`${i.image}\t${i.imageId}`, `${i.image || '(no reference)'} (${shortId(i.imageId)})`)
  return [...seen.values()].join(', ') || 'no containers'
}

/** Whether each service runs the image id the line recorded, and runs nothing it did not. */
function sameImages(recorded: readonly ServiceImage[], running: readonly ServiceImage[]): boolean {
  const by = (list: readonly ServiceImage[]): Map<string, string> => new Map(list.map((i) => [i.service, i.imageId]))
  const a = by(recorded)
  const b = by(running)
  return a.size === b.size && [...a].every(([service, id]) => b.get(service) === id)
}

export type Choice = { ok: true; target: RestoreTarget } | { ok: false; error: string }

/** The backup a rollback-to restores on a host, or why the host is refused. */
export function chooseBackup(
  rollbackTo: RollbackTarget,
  audit: AuditRecord | undefined,
  running: readonly ServiceImage[],
  backups: readonly BackupListing[]
): Choice {
  const names = backups.filter((b) => b.complete).map((b) => b.name)
  const nameOne = `name one in 'rollback-to' to restore it anyway (backups here: ${names.join(', ') || 'none'})`
  const refuse = (error: string): Choice => ({
    ok: false,
    error: `rollback-to ${describeTarget(rollbackTo)}: ${error}`
  })
  let name: string
  if (rollbackTo.kind === 'named') {
    name = rollbackTo.name
    if (!backups.some((b) => b.name === name)) {
      return refuse(`there is no backup ${name} here (backups here: ${names.join(', ') || 'none'})`)
    }
  } else {
    if (!audit) return refuse(`the audit log records no deploy here, so there is no previous release; ${nameOne}`)
    const after = audit.after ?? '(unknown)'
    if (!SETTLED.has(audit.outcome ?? '')) {
      return refuse(
        `the last run here ended '${audit.outcome ?? 'unknown'}'${audit.detail ? ` (${audit.detail})` : ''}, so what runs is not a release the audit log knows; ${nameOne}`
      )
    }
    if (audit.previous === undefined || audit.running === undefined) {
      return refuse(
        `the audit log's last line (written by an older version of this action) does not record which backup holds the release before ${after}; ${nameOne}`
      )
    }
    if (!sameImages(audit.running, running)) {
      const by = [audit.run ? `by ${audit.run}` : '', audit.time ? `at ${audit.time}` : ''].filter(Boolean).join(' ')
      return refuse(
        `the host runs ${describeImages(running)}, but its audit log says ${describeImages(audit.running)} was deployed${by ? ` (${by})` : ''}: changed by hand since? ${nameOne}`
      )
    }
    if (audit.previous === null) {
      return refuse(`no backup holds a release before ${after} (the audit log knows no earlier deploy)`)
    }
    name = audit.previous
    if (!backups.some((b) => b.name === name)) {
      return refuse(
        `backup ${name}, which holds the release before ${after}, is no longer on the host (pruned: see backup-retention)`
      )
    }
  }
  const backup = backups.find((b) => b.name === name) as BackupListing
  if (!backup.complete) return refuse(`backup ${name} is incomplete (no manifest): it cannot be restored`)
  if (backup.images.length === 0) {
    return refuse(`backup ${name} holds no container (taken before anything ran here): no release to go back to`)
  }
  const gone = backup.images.filter((i) => !i.present)
  if (gone.length > 0) {
    return refuse(
      `the image(s) of backup ${name} are no longer on the host: ${gone.map((i) => `${i.service} ${describeImages([i])}`).join(', ')} (a rollback uses no registry)`
    )
  }
  const release = backup.release ?? backup.images[0]?.image ?? name
  return { ok: true, target: { name, dir: backup.dir, release } }
}

export function describeTarget(rollbackTo: RollbackTarget): string {
  return rollbackTo.kind === 'previous' ? 'previous' : rollbackTo.name
}

/** `app:2 (backup 20260102T030405Z-run7)`. */
export function describeRestore(target: RestoreTarget): string {
  return `${target.release} (backup ${target.name})`
}

/**
 * Pre-flight of a rollback-to on one host (its lock held): lists what runs and the backups, and chooses. The host is
 * `blocked` when it is refused; never throws.
 */
export async function resolveRestore(run: SshRun, host: HostState, audit: AuditRecord | undefined): Promise<void> {
  const { config, log } = run
  if (!config.rollbackTo) return
  const r = await runScript(
    run,
    host,
    'releases',
    'releases',
    {
      appDir: config.appDir,
      compose: host.compose ?? 'v2',
      files: config.composeFiles,
      ...(host.project ? { project: host.project } : {})
    },
    { timeoutMs: SHORT_STEP_TIMEOUT_MS, quiet: true }
  )
  if (!r.ok || !r.result) {
    host.stage = { kind: 'blocked', error: `could not list the backups: ${r.error ?? 'no result'}` }
    return
  }
  const choice = chooseBackup(config.rollbackTo, audit, r.result.running, r.result.backups)
  if (!choice.ok) {
    host.stage = { kind: 'blocked', error: choice.error }
    return
  }
  host.restore = choice.target
  // Journaled as soon as it is chosen: the post step names it if this step is cut short.
  run.hostJournal.save(host)
  log.info(
    `[${host.name}] rollback-to ${describeTarget(config.rollbackTo)}: runs ${host.imageBefore ?? describeImages(r.result.running)}, goes back to ${describeRestore(choice.target)}`
  )
}
