/**
 * One host as the run sees it. Where it is in the deploy is one `HostStage`; the journal's record of it (what the
 * post step needs to roll back and unlock) is derived by `toRecord` and read back by `fromRecord`, never kept apart.
 */
import type { HostTarget } from './config.js'
import type { Clock } from '../../types.js'
import { PhaseRecorder } from '../../phases.js'
import type { SshSession } from './connection.js'
import type { ServiceFacts, ServiceOrder } from './update-order.js'

export type ComposeKind = 'v1' | 'v2'

/** Why a host's turn ended without deploying: the phase, in words, and whether the job was cancelled. */
export interface TurnEnd {
  phase?: string
  error: string
  cancelled: boolean
}

/** The stages from `apply` on: `change` is the host's place in the order hosts changed (rollback goes in reverse). */
export type ChangedStage = { kind: 'changed'; change: number; end?: TurnEnd } | { kind: 'deployed'; change: number }

export type HostStage =
  /** Not reached (yet). */
  | { kind: 'waiting' }
  /** Pre-flight, backup or pull failed: the run stops before any host changes. */
  | { kind: 'blocked'; error: string }
  /** Its turn in a batch began; nothing changed yet (`end`: the turn ended there). */
  | { kind: 'started'; end?: TurnEnd }
  | ChangedStage
  /** `reason`: why it was rolled back when it did not fail itself (fleet rollback, cancellation). */
  | { kind: 'rolled-back'; from: ChangedStage; reason?: string }
  | { kind: 'rollback-failed'; from: ChangedStage; error: string }

/** Whether this run may hold the host's deploy lock: `tried` (pre-flight ran, the lock may be held) or `held`. */
export type LockHold = 'none' | 'tried' | 'held'

export interface HostState {
  target: HostTarget
  /** The host as the user wrote it. */
  name: string
  stage: HostStage
  lock: LockHold
  session?: SshSession
  /** Why the last connection attempt (with its retries) failed; cleared by the next success. */
  unreachable?: string
  compose?: ComposeKind
  /** The compose project name pre-flight confirmed: later phases find its containers with docker alone. */
  project?: string
  /**
   * The services a container check expects a container of (with no `services` input): those that ran before the
   * deploy (the backup's images). The check adds every service that has a container by then.
   */
  services?: string[]
  /** One-shot services among them (their container had exited with code 0): the check accepts that state. */
  completedServices?: string[]
  imageBefore?: string
  /**
   * The backup holding the release before the one the host runs: as its audit log said in pre-flight, then as this
   * run leaves it (its own backup after a deploy; the restored backup's own `previous` after a rollback-to or undo).
   * `null`: none is known. Written to the backup's meta and to the audit line; `rollback-to: previous` restores it.
   */
  previous?: string | null
  /** `rollback-to`: the backup this host goes back to, chosen in pre-flight. */
  restore?: RestoreTarget
  backupDir?: string
  /** Each service's update order on this host, decided after the pull; absent: one `compose up` (stop-first). */
  orders?: ServiceOrder[]
  /** The new configuration's facts per service (declared scale, stop grace period), read during the pull. */
  facts?: Map<string, ServiceFacts>
  /** A start-first replacement began on this host: what a rollback must know about it. */
  startFirst?: StartFirstRecord
  /** A pull ran on the host (it may have moved a tag): unless the host changed, its unlock tags the backup's images again. */
  pulled?: boolean
  /** A phase lost its exit status and could not be confirmed stopped: why. Such a host is never rolled back. */
  unstopped?: string
  /** The host's phases and their total time. */
  phases: PhaseRecorder
}

export function newHostState(target: HostTarget, clock: Clock): HostState {
  return { target, name: target.spec, stage: { kind: 'waiting' }, lock: 'none', phases: new PhaseRecorder(clock) }
}

/** The backup a rollback-to restores on one host, and the release it holds. */
export interface RestoreTarget {
  /** The folder's name in `.deploy/backups/`. */
  name: string
  /** Its path on the host. */
  dir: string
  /** The release in words: the image reference the backup recorded. */
  release: string
}

/**
 * A start-first replacement on one host. Until `switching`, the old containers never stopped: a rollback removes the
 * new ones (those the backup does not list) and changes nothing else. From `switching` on, the usual rollback applies.
 */
export interface StartFirstRecord {
  services: { service: string; graceSeconds: number }[]
  switching?: boolean
}

/** What the journal keeps per host: enough for the post step to roll back and unlock. */
export interface HostRecord {
  /** Pre-flight ran (a lock may be held even if `locked` was never recorded). */
  lockTried?: boolean
  locked?: boolean
  compose?: ComposeKind
  imageBefore?: string
  backupDir?: string
  pulled?: boolean
  changed?: boolean
  changeOrder?: number
  startFirst?: StartFirstRecord
  /** `rollback-to`: the backup pre-flight chose for this host (absent in records of a deploy, or of older releases). */
  restore?: RestoreTarget
  deployed?: boolean
  rolledBack?: boolean
}

/** The changed stage a host is in or was rolled back from; undefined before `apply`. */
export function changedStage(stage: HostStage): ChangedStage | undefined {
  switch (stage.kind) {
    case 'changed':
    case 'deployed':
      return stage
    case 'rolled-back':
    case 'rollback-failed':
      return stage.from
    default:
      return undefined
  }
}

/** How the host's turn ended when it did not deploy (also once rolled back); undefined otherwise. */
export function turnEnd(stage: HostStage): TurnEnd | undefined {
  const at = stage.kind === 'started' ? stage : changedStage(stage)
  return at && 'end' in at ? at.end : undefined
}

/** Ends the host's turn (failed or cancelled) at the stage it reached; a turn ends once. */
export function endTurn(host: HostState, end: TurnEnd): void {
  const { stage } = host
  if ((stage.kind === 'started' || stage.kind === 'changed') && !stage.end) host.stage = { ...stage, end }
}

/** The host's stage and lock as the journal records them (only the fields that apply). */
export function toRecord(host: HostState): HostRecord {
  const changed = changedStage(host.stage)
  const sf = host.startFirst
  return {
    ...(host.lock === 'none' ? { lockTried: false, locked: false } : { lockTried: true }),
    ...(host.lock === 'held' ? { locked: true } : {}),
    ...(host.compose ? { compose: host.compose } : {}),
    ...(host.imageBefore ? { imageBefore: host.imageBefore } : {}),
    ...(host.backupDir ? { backupDir: host.backupDir } : {}),
    ...(host.pulled ? { pulled: true } : {}),
    ...(changed ? { changed: true, changeOrder: changed.change } : {}),
    ...(sf
      ? { startFirst: { services: sf.services.map((s) => ({ ...s })), ...(sf.switching ? { switching: true } : {}) } }
      : {}),
    ...(host.restore ? { restore: { ...host.restore } } : {}),
    ...(changed?.kind === 'deployed' ? { deployed: true } : {}),
    ...(host.stage.kind === 'rolled-back' ? { rolledBack: true } : {})
  }
}

/** The host a journal record describes, as the post step resumes it (a lock pre-flight may have taken counts as held). */
export function fromRecord(target: HostTarget, record: HostRecord, clock: Clock): HostState {
  const host = newHostState(target, clock)
  if (record.compose) host.compose = record.compose
  if (record.imageBefore) host.imageBefore = record.imageBefore
  if (record.backupDir) host.backupDir = record.backupDir
  if (record.pulled) host.pulled = true
  if (record.startFirst) host.startFirst = record.startFirst
  const restore = restoreTarget(record.restore)
  if (restore) host.restore = restore
  if (record.locked === true || record.lockTried === true) host.lock = 'held'
  if (record.changed === true) {
    const change = record.changeOrder ?? 0
    const from: ChangedStage = record.deployed === true ? { kind: 'deployed', change } : { kind: 'changed', change }
    host.stage = record.rolledBack === true ? { kind: 'rolled-back', from } : from
  }
  return host
}

/** A journaled restore target, if it is well formed. */
function restoreTarget(value: unknown): RestoreTarget | undefined {
  const v = value as Partial<Record<keyof RestoreTarget, unknown>> | null | undefined
  if (!v || typeof v !== 'object') return undefined
  const { name, dir, release } = v
  if (typeof name !== 'string' || typeof dir !== 'string' || typeof release !== 'string') return undefined
  return { name, dir, release }
}
