/** What undoing (or leaving alone) an ECS deployment came to: shared by both ECS strategies. */
import type { ECSClient } from '@aws-sdk/client-ecs'
import type { TargetOutcome } from '../../types.js'
import { awsMessage } from './errors.js'
import { readLiveTaskDefinition } from './service.js'
import { taskDefinitionLabel } from './task-definition.js'

export interface RollbackOutcome {
  status: 'rolled-back' | 'failed'
  outcome: TargetOutcome
  /**
   * What happened, in one clause: `rolled back by deployment d-R (Succeeded); live task definition web:41`,
   * `ECS rolled back to web:41 (ecs-svc/2 completed); live task definition web:41`.
   */
  summary: string
  /** False when following the rollback was cut short: the post step should carry on. */
  finished: boolean
}

/** The task definition serving traffic now: its ARN when it could be read, and in words for a summary. */
export async function liveTaskDefinition(
  ecs: ECSClient,
  cluster: string,
  service: string
): Promise<{ arn?: string; text: string }> {
  try {
    const arn = await readLiveTaskDefinition(ecs, cluster, service)
    return arn
      ? { arn, text: `live task definition: ${taskDefinitionLabel(arn) ?? arn}` }
      : { text: 'live task definition unknown' }
  } catch (error) {
    return { text: `could not read the live task definition (${awsMessage(error)})` }
  }
}

/** Rolled back only when the previous task definition is the live one. */
export function verdict(
  liveArn: string | undefined,
  previousArn: string | undefined
): Pick<RollbackOutcome, 'status' | 'outcome'> {
  return liveArn !== undefined && liveArn === previousArn
    ? { status: 'rolled-back', outcome: 'rolled-back' }
    : { status: 'failed', outcome: 'failed' }
}
