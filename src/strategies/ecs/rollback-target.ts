/**
 * `rollback-to` on ECS: what "previous" resolved to, or why it could not be. Each path reads its own history
 * (ecs-rolling: ECS service deployments; ecs-blue-green: the deployment group's deployments); the revision found is
 * then deployed like a registered one named by `task-definition`.
 */
import { Inputs } from '../../constants.js'
import { taskDefinitionLabel } from './task-definition.js'

/** What a history says about the revision before the live one. */
export type PreviousRevision =
  /** `taskDefinition`: a `family:revision` or ARN; `evidence`: where it was read, for the log and the plan. */
  | { kind: 'found'; taskDefinition: string; evidence: string }
  /** The history cannot tell (or contradicts the service): `reason` says why. */
  | { kind: 'unknown'; reason: string }

/** Resolves `rollback-to: previous` for one path; `liveArn` is the service's task definition. */
export type PreviousResolver = (liveArn: string, signal?: AbortSignal) => Promise<PreviousRevision>

/** The error for a `previous` that cannot be determined: the reason, and what to give instead. */
export function previousUnknownError(label: string, liveArn: string, reason: string): Error {
  return new Error(
    `Cannot roll back ${label} to its previous task definition: ${reason}. Nothing was changed; name the revision to go back to with '${Inputs.rollbackTo}: family:revision' (the service runs ${taskDefinitionLabel(liveArn) ?? liveArn})`
  )
}

/** Whether a `family:revision` or ARN names the same revision as `arn`. */
export function sameRevision(ref: string, arn: string): boolean {
  return taskDefinitionLabel(ref) === taskDefinitionLabel(arn)
}

const LABEL_RE = /^(.+):(\d+)$/

/**
 * Whether `ref` is a later revision of the live one's family: revisions are numbered in registration order, so going
 * "back" to it would go forward, to a release the live one may have been rolled back from.
 */
export function newerRevision(ref: string, liveArn: string): boolean {
  const candidate = LABEL_RE.exec(taskDefinitionLabel(ref) ?? '')
  const live = LABEL_RE.exec(taskDefinitionLabel(liveArn) ?? '')
  return !!candidate && !!live && candidate[1] === live[1] && Number(candidate[2]) > Number(live[2])
}

/** Where a newest-first history of successful installs puts "previous". */
export type InstallStep<T> =
  /** `entry` installed "previous" (`taskDefinition`) before `first`, the oldest listed install of the live revision. */
  | { kind: 'found'; entry: T; taskDefinition: string; first: T }
  /** `entry`, older than the live revision's first install, does not say what it installed. */
  | { kind: 'unrecorded'; entry: T }
  /** Nothing listed before `first` qualifies. */
  | { kind: 'none'; first: T }

/**
 * "Previous" is what ran before the live revision was first installed, as on ssh-rolling: the newest install older
 * than the live revision's oldest listed one. Measured from the latest install instead, a rollback would make the
 * release it left "previous" again (web:42 → web:41 → web:42). A later revision of the live one's family is skipped
 * too: a history cut short (90 days, a page limit) may not list the live revision's first install. `installs`:
 * successful installs, newest first, the newest being the live revision's (the caller checks it; when none records
 * the live revision, the newest is taken as its first).
 */
export function previousInstall<T extends { taskDefinition?: string | undefined }>(
  liveArn: string,
  installs: T[]
): InstallStep<T> {
  const live = (entry: T): boolean => !!entry.taskDefinition && sameRevision(entry.taskDefinition, liveArn)
  const firstIndex = Math.max(0, installs.findLastIndex(live))
  const first = installs[firstIndex] as T
  for (const entry of installs.slice(firstIndex + 1)) {
    if (!entry.taskDefinition) return { kind: 'unrecorded', entry }
    if (!newerRevision(entry.taskDefinition, liveArn)) {
      return { kind: 'found', entry, taskDefinition: entry.taskDefinition, first }
    }
  }
  return { kind: 'none', first }
}
