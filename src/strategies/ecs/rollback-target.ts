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
