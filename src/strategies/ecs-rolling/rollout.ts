/**
 * An ECS rolling deployment: start it with UpdateService, judge it by *its own* deployment id, follow it while
 * streaming service events, and roll back by updating the service to the previous task definition.
 */
import { DescribeServicesCommand, UpdateServiceCommand, type ECSClient, type Service } from '@aws-sdk/client-ecs'
import { formatSeconds } from '../../duration.js'
import { withSignal } from '../ecs/clients.js'
import { EventStream } from '../ecs/events.js'
import { wrapError } from '../ecs/errors.js'
import { pollUntil, type PollOptions, type PollOutcome } from '../ecs/poll.js'
import { taskDefinitionLabel } from '../ecs/task-definition.js'

export type RolloutVerdict =
  | { kind: 'pending' }
  | { kind: 'completed' }
  /**
   * `rolledBackTo`: the deployment ECS started to undo ours (circuit breaker with rollback), when there is one.
   * `replacedBy`: a newer deployment of a different origin (someone else deployed) took over.
   */
  | { kind: 'failed'; reason: string; rolledBackTo?: string; replacedBy?: string }

const CIRCUIT_BREAKER_ROLLBACK = /circuit breaker: rolling back/i

export interface DeploymentRef {
  deploymentId: string
  /** The task definition the service ran before: a newer PRIMARY running it is a rollback. */
  previousTaskDefinitionArn?: string | undefined
  /**
   * Whether a DescribeServices answer has shown the deployment yet. ECS reads are eventually consistent: right after
   * UpdateService a read may still show the service as it was, so until then its absence (and the old PRIMARY) is
   * no verdict.
   */
  seen?: boolean
}

/** How long a deployment UpdateService returned may stay missing from DescribeServices before that counts. */
export const UNSEEN_LIMIT_MS = 60_000

/**
 * Where deployment `deploymentId` stands. COMPLETED is success; FAILED, disappearing or a newer PRIMARY mean it did
 * not make it (a newer PRIMARY is a rollback when the circuit breaker says so or it runs the previous task
 * definition). Without rolloutState (Classic Load Balancer) it has completed when it is the only deployment and
 * runs all desired tasks.
 */
export function judgeDeployment(service: Service, ref: DeploymentRef): RolloutVerdict {
  const { deploymentId, previousTaskDefinitionArn } = ref
  const deployments = service.deployments ?? []
  const ours = deployments.find((d) => d.id === deploymentId)
  const primary = deployments.find((d) => d.status === 'PRIMARY')
  const newer = primary && primary.id !== deploymentId ? primary : undefined
  const rollback =
    newer &&
    (CIRCUIT_BREAKER_ROLLBACK.test(newer.rolloutStateReason ?? '') ||
      (previousTaskDefinitionArn !== undefined && newer.taskDefinition === previousTaskDefinitionArn))
  const replacement = (): Partial<Extract<RolloutVerdict, { kind: 'failed' }>> =>
    !newer?.id ? {} : rollback ? { rolledBackTo: newer.id } : { replacedBy: newer.id }

  if (!ours) {
    if (!ref.seen) return { kind: 'pending' }
    const by = newer ? ` (the service now runs ${newer.id} with ${taskDefinitionLabel(newer.taskDefinition)})` : ''
    return { kind: 'failed', reason: `ECS deployment ${deploymentId} is gone from the service${by}`, ...replacement() }
  }
  if (ours.rolloutState === 'COMPLETED') return { kind: 'completed' }
  if (ours.rolloutState === 'FAILED') {
    return {
      kind: 'failed',
      reason: ours.rolloutStateReason ?? `ECS deployment ${deploymentId} failed`,
      ...replacement()
    }
  }
  if (newer) {
    return {
      kind: 'failed',
      reason: newer.rolloutStateReason
        ? `ECS deployment ${deploymentId} was superseded: ${newer.rolloutStateReason}`
        : `ECS deployment ${deploymentId} was superseded by ${newer.id} (${taskDefinitionLabel(newer.taskDefinition)})`,
      ...replacement()
    }
  }
  if (!ours.rolloutState && deployments.length === 1 && ours.runningCount === ours.desiredCount) {
    return { kind: 'completed' }
  }
  return { kind: 'pending' }
}

/**
 * UpdateService to `taskDefinitionArn` (forcing a new deployment when it is the one already running) and returns
 * the id of the PRIMARY deployment it started.
 */
export async function updateService(
  ecs: ECSClient,
  cluster: string,
  service: string,
  taskDefinitionArn: string,
  currentArn: string | undefined
): Promise<string> {
  const force = taskDefinitionArn === currentArn
  let updated: Service | undefined
  try {
    // No abort signal: a cancelled request may still start a deployment we would not know about.
    const out = await ecs.send(
      new UpdateServiceCommand({ cluster, service, taskDefinition: taskDefinitionArn, forceNewDeployment: force })
    )
    updated = out.service
  } catch (error) {
    throw wrapError(`Could not update ECS service ${cluster}/${service}`, error)
  }
  const primaries = (updated?.deployments ?? []).filter((d) => d.status === 'PRIMARY')
  const id = primaries.find((d) => d.taskDefinition === taskDefinitionArn)?.id
  if (id) return id
  // ECS answers with the PRIMARY deployment it started; any other one is not ours to follow and judge.
  const other = primaries[0]
  const seen = other ? ` (PRIMARY: ${String(other.id)} with ${taskDefinitionLabel(other.taskDefinition)})` : ''
  throw new Error(
    `UpdateService of ${cluster}/${service} returned no PRIMARY deployment of ${taskDefinitionLabel(taskDefinitionArn)}${seen}`
  )
}

export interface FollowRequest extends DeploymentRef {
  cluster: string
  service: string
  /** Service events from this time on are streamed to the log (ms since epoch). */
  since: number
  /** Prefix of the progress lines (`Deployment` or `Rollback`). */
  label: string
}

export interface FollowResult {
  outcome: PollOutcome<Exclude<RolloutVerdict, { kind: 'pending' }>>
  service?: Service
}

/** Follows one ECS deployment until it completes, fails, the deadline passes or the signal aborts. */
export async function followRollout(ecs: ECSClient, request: FollowRequest, poll: PollOptions): Promise<FollowResult> {
  const { cluster, service, deploymentId, label } = request
  const { log, signal } = poll
  const events = new EventStream(log, request.since)
  const result: FollowResult = { outcome: { kind: 'timeout' } }
  let progress = ''
  let seen = request.seen ?? false
  const started = poll.clock.now()
  result.outcome = await pollUntil(poll, `Could not describe ECS service ${cluster}/${service}`, async () => {
    const out = await ecs.send(new DescribeServicesCommand({ cluster, services: [service] }), withSignal(signal))
    const current = out.services?.[0]
    if (!current) throw new Error(`ECS service ${cluster}/${service} is gone`)
    result.service = current
    events.push(current)
    const ours = current.deployments?.find((d) => d.id === deploymentId)
    if (ours) {
      const now = `${ours.rolloutState ?? 'no rollout state'}, ${ours.runningCount ?? 0}/${ours.desiredCount ?? 0} running${ours.failedTasks ? `, ${ours.failedTasks} failed` : ''}`
      if (now !== progress) log.info(`${label} ${deploymentId}: ${now}`)
      progress = now
    }
    if (ours) seen = true
    else if (!seen && poll.clock.now() - started >= UNSEEN_LIMIT_MS) {
      return {
        kind: 'failed' as const,
        reason: `ECS deployment ${deploymentId} (returned by UpdateService) did not appear in DescribeServices within ${formatSeconds(UNSEEN_LIMIT_MS)}`
      }
    }
    const verdict = judgeDeployment(current, { ...request, seen })
    return verdict.kind === 'pending' ? undefined : verdict
  })
  return result
}
