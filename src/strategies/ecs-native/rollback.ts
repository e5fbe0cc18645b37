/**
 * Undoing a service deployment: ask ECS to roll *the same* deployment back (StopServiceDeployment, or ROLLBACK at a
 * waiting PAUSE hook), follow it to ROLLBACK_SUCCESSFUL, and check that what runs is the previous task definition.
 * Also the post step of a cut-short run.
 */
import type { ServiceDeployment } from '@aws-sdk/client-ecs'
import { errorMessage } from '../../error-message.js'
import type { DeployResult, Journal, RecoverContext } from '../../types.js'
import type { EcsJournal } from '../ecs/journal.js'
import { beginRecovery, recoveryResult } from '../ecs/recover.js'
import { POST_STEP_WAIT_MS, pollOptions } from '../ecs/poll.js'
import { ecsServiceUrl } from '../ecs/report.js'
import { describeLeftAlone, outcomeWithLive, type RollbackOutcome } from '../ecs/rollback-outcome.js'
import { taskDefinitionLabel } from '../ecs/task-definition.js'
import type { NativeRun } from './run.js'
import {
  describeServiceDeployment,
  endReason,
  followServiceDeployment,
  isTerminal,
  requestRollback,
  shortArn
} from './service-deployment.js'
import { revisionTaskDefinitions } from '../ecs/service-history.js'

/**
 * The outcome of a deployment that ended ROLLBACK_SUCCESSFUL: rolled back only when the revision ECS rolled back
 * to (DescribeServiceRevisions) runs the previous task definition and so does every running task.
 */
export async function confirmRollback(
  env: NativeRun,
  deployment: ServiceDeployment,
  previousArn: string | undefined
): Promise<RollbackOutcome> {
  const id = shortArn(deployment.serviceDeploymentArn ?? '')
  const revision = deployment.rollback?.serviceRevisionArn ?? deployment.sourceServiceRevisions?.[0]?.arn
  let restored: string | undefined
  let text: string
  try {
    restored = revision ? (await revisionTaskDefinitions(env.ecs, [revision])).get(revision) : undefined
    text = restored
      ? `ECS rolled service deployment ${id} back to ${taskDefinitionLabel(restored)}`
      : `ECS rolled service deployment ${id} back, to a revision it does not describe`
  } catch (error) {
    text = `ECS rolled service deployment ${id} back; could not read the revision it rolled back to (${errorMessage(error)})`
  }
  return outcomeWithLive(env, previousArn, text, { finished: true, undone: restored === previousArn })
}

export interface NativeRollbackRequest {
  arn: string
  previousArn: string | undefined
  /** Undefined when the job is already cancelled: the rollback is followed regardless. */
  signal: AbortSignal | undefined
  /** When following the rollback gives up (clock time). */
  deadline: number
}

/**
 * Rolls the service deployment back (unless it has ended) and follows it to its end or the deadline. A deployment
 * that ended SUCCESSFUL before the request is not rolled back: this action never starts another deployment.
 */
export async function rollBackServiceDeployment(
  env: NativeRun,
  journal: Journal<EcsJournal>,
  request: NativeRollbackRequest
): Promise<RollbackOutcome> {
  const { log } = env.deps
  const { arn, previousArn, signal } = request
  const id = shortArn(arn)
  let deployment: ServiceDeployment | undefined
  try {
    deployment = await describeServiceDeployment(env.ecs, arn)
    if (!deployment) throw new Error('DescribeServiceDeployments does not show it')
    if (!isTerminal(deployment.status)) {
      const how = await requestRollback(env.ecs, deployment)
      journal.update({ phase: 'rolling-back' })
      log.info(`Rolling back service deployment ${id}: ${how}`)
    }
  } catch (error) {
    const summary = `could not roll back service deployment ${id} (${errorMessage(error)})`
    return outcomeWithLive(env, previousArn, summary, { finished: true, undone: false })
  }
  if (!isTerminal(deployment.status)) {
    try {
      const followed = await followServiceDeployment(
        env.ecs,
        {
          cluster: env.config.cluster,
          service: env.config.service,
          arn,
          since: env.deps.clock.now(),
          label: 'Rollback',
          until: 'succeeded',
          gate: false
        },
        pollOptions(env, request.deadline, signal)
      )
      if (followed.outcome.kind !== 'done') {
        const summary = `the rollback of service deployment ${id} is still ${followed.deployment?.status ?? 'running'} (${followed.outcome.kind === 'timeout' ? 'no longer waited for' : 'cancelled'})`
        return outcomeWithLive(env, previousArn, summary, { finished: false, undone: false })
      }
      deployment = followed.deployment ?? deployment
    } catch (error) {
      const summary = `could not follow the rollback of service deployment ${id} (${errorMessage(error)})`
      return outcomeWithLive(env, previousArn, summary, { finished: true, undone: false })
    }
  }
  if (deployment.status === 'ROLLBACK_SUCCESSFUL') return confirmRollback(env, deployment, previousArn)
  const summary =
    deployment.status === 'SUCCESSFUL'
      ? `service deployment ${id} had completed (SUCCESSFUL) before it could be rolled back`
      : `service deployment ${id} ended ${deployment.status ?? 'unknown'}: ${endReason(deployment)}`
  return outcomeWithLive(env, previousArn, summary, { finished: true, undone: false })
}

/**
 * The post step: when the main step was cut short while our service deployment (or its rollback) ran, roll it back
 * and follow the rollback for at most `POST_STEP_WAIT_MS`. Idempotent: a finished journal, or a deployment that
 * succeeded, means nothing to do.
 */
export async function recoverNative(
  env: NativeRun,
  ctx: RecoverContext<EcsJournal>
): Promise<DeployResult | undefined> {
  const recovery = await beginRecovery(env, ctx, (j) => j.serviceDeploymentArn)
  if (!recovery) return undefined
  const { journal, id: arn, start, phases } = recovery
  const { log } = env.deps
  const { config } = env
  const previousArn = journal.previousTaskDefinitionArn
  const deployment = await describeServiceDeployment(env.ecs, arn)
  const status = deployment?.status
  if (status === 'SUCCESSFUL' && journal.phase !== 'rolling-back') {
    log.info(`Service deployment ${shortArn(arn)} succeeded after the main step ended; nothing to recover`)
    ctx.journal.update({ phase: 'finished' })
    return undefined
  }
  let result: RollbackOutcome
  if (config.rollbackOnFailure || journal.phase === 'rolling-back') {
    result = await log.group(`Roll back service deployment ${shortArn(arn)}`, () =>
      phases.run('rollback', () =>
        rollBackServiceDeployment(env, ctx.journal, {
          arn,
          previousArn,
          signal: ctx.signal,
          deadline: start + POST_STEP_WAIT_MS
        })
      )
    )
  } else {
    const state = `service deployment ${shortArn(arn)} is ${status ?? 'not shown'}`
    result = await describeLeftAlone(env, previousArn, state, { undone: status === 'ROLLBACK_SUCCESSFUL' })
  }
  const left = result.finished ? '' : ` (the post step waits at most ${POST_STEP_WAIT_MS / 60_000} min)`
  const url = ecsServiceUrl(config.region, config.cluster, config.service)
  return recoveryResult(env, ctx, recovery, {
    outcome: result,
    message: `The main step ended while service deployment ${shortArn(arn)} was ${status ?? 'running'}: ${result.summary}${left}`,
    outputs: { 'deployment-id': arn, 'console-url': url },
    link: { title: `ECS service ${config.cluster}/${config.service} deployments`, url }
  })
}
