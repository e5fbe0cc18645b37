/**
 * Undoing a rolling deployment: follow the rollback ECS started itself (circuit breaker), or update the service back
 * to the previous task definition and follow that; then say which task definition is live. Also the post step.
 */
import type { DeployResult, RecoverContext } from '../../types.js'
import type { EcsJournal } from '../ecs/journal.js'
import { beginRecovery, recoveryResult } from '../ecs/recover.js'
import { describeService } from '../ecs/preflight.js'
import { ecsServiceUrl } from '../ecs/report.js'
import { describeLeftAlone, outcomeWithLive, type RollbackOutcome } from '../ecs/rollback-outcome.js'
import { taskDefinitionLabel } from '../ecs/task-definition.js'
import { deadlineFromNow, pollOptions } from '../ecs/poll.js'
import type { RollingRun } from './run.js'
import { UNSEEN_LIMIT_MS, followRollout, judgeDeployment, updateService } from './rollout.js'
import { errorMessage } from '../../error-message.js'

/** Follows a rollback deployment (ECS's own, or ours) to its end. */
async function followRollbackDeployment(
  env: RollingRun,
  rollbackId: string,
  previousArn: string | undefined,
  signal: AbortSignal | undefined,
  who: string
): Promise<RollbackOutcome> {
  try {
    const followed = await followRollout(
      env.ecs,
      {
        cluster: env.config.cluster,
        service: env.config.service,
        deploymentId: rollbackId,
        since: env.deps.clock.now(),
        label: 'Rollback'
      },
      pollOptions(env, deadlineFromNow(env), signal)
    )
    const { outcome } = followed
    if (outcome.kind !== 'done')
      return outcomeWithLive(env, previousArn, `${who} ${rollbackId} still running (${outcome.kind})`, {
        finished: false,
        undone: false
      })
    const ended = outcome.value
    const completed = ended.kind === 'completed'
    const text =
      ended.kind === 'completed'
        ? `${who} ${rollbackId} completed`
        : `${who} ${rollbackId} did not complete: ${ended.reason}`
    return outcomeWithLive(env, previousArn, text, { finished: true, undone: completed })
  } catch (error) {
    const text = `could not follow the ${who} ${rollbackId} (${errorMessage(error)})`
    return outcomeWithLive(env, previousArn, text, { finished: true, undone: false })
  }
}

/** Why a deployment another one replaced is left alone: rolling back would undo theirs, not ours. */
export const NEWER_DEPLOYMENT = 'not rolled back (a newer deployment took over)'

/** ECS's circuit breaker rolled back on its own: follow its rollback deployment. */
export function followEcsRollback(
  env: RollingRun,
  rollbackId: string,
  previousArn: string | undefined,
  signal: AbortSignal | undefined
): Promise<RollbackOutcome> {
  env.deps.log.info(`ECS is rolling back with deployment ${rollbackId}`)
  return followRollbackDeployment(env, rollbackId, previousArn, signal, 'ECS rollback deployment')
}

/** UpdateService back to the previous task definition and follow that deployment. */
export async function rollBackService(
  env: RollingRun,
  journal: RecoverContext<EcsJournal>['journal'],
  previousArn: string | undefined,
  deployedArn: string | undefined,
  signal: AbortSignal | undefined
): Promise<RollbackOutcome> {
  if (!previousArn || previousArn === deployedArn) {
    const summary = 'nothing to roll back to (the deploy forced a new deployment of the same task definition)'
    return outcomeWithLive(env, previousArn, summary, { finished: true, undone: true })
  }
  let rollbackId: string
  try {
    const current = await describeService(env.ecs, env.config.cluster, env.config.service)
    rollbackId = await updateService(
      env.ecs,
      env.config.cluster,
      env.config.service,
      previousArn,
      current.taskDefinition
    )
  } catch (error) {
    return outcomeWithLive(env, previousArn, `could not roll back (${errorMessage(error)})`, {
      finished: true,
      undone: true
    })
  }
  journal.update({ phase: 'rolling-back', rollbackEcsDeploymentId: rollbackId })
  env.deps.log.info(`Updated the service back to ${taskDefinitionLabel(previousArn)}: deployment ${rollbackId}`)
  return followRollbackDeployment(env, rollbackId, previousArn, signal, 'rollback deployment')
}

/**
 * The post step: when the main step was cut short while our deployment (or our rollback) was still running, roll
 * back / keep following the rollback. Idempotent; a completed deployment means nothing to do.
 */
export async function recoverRolling(
  env: RollingRun,
  ctx: RecoverContext<EcsJournal>
): Promise<DeployResult | undefined> {
  const recovery = await beginRecovery(env, ctx, (j) => j.ecsDeploymentId)
  if (!recovery) return undefined
  const { journal, id: deploymentId, phases } = recovery
  const { log, clock } = env.deps
  const { config } = env
  const previousArn = journal.previousTaskDefinitionArn
  let result: RollbackOutcome
  if (journal.phase === 'rolling-back' && journal.rollbackEcsDeploymentId) {
    const rollbackId = journal.rollbackEcsDeploymentId
    result = await log.group(`Follow rollback ${rollbackId}`, () =>
      phases.run('rollback', () =>
        followRollbackDeployment(env, rollbackId, previousArn, ctx.signal, 'rollback deployment')
      )
    )
  } else {
    const service = await describeService(env.ecs, config.cluster, config.service)
    // A cancelled job's post step may run seconds after UpdateService: until UNSEEN_LIMIT_MS have passed, a read
    // without our deployment may be lagging behind (ECS reads are eventually consistent), not showing it gone.
    const seen = clock.now() - (journal.ecsDeploymentAt ?? 0) >= UNSEEN_LIMIT_MS
    const verdict = judgeDeployment(service, { deploymentId, previousTaskDefinitionArn: previousArn, seen })
    if (verdict.kind === 'completed') {
      log.info(`ECS deployment ${deploymentId} completed after the main step ended; nothing to recover`)
      ctx.journal.update({ phase: 'finished' })
      return undefined
    }
    if (verdict.kind === 'failed' && verdict.rolledBackTo) {
      const rollbackId = verdict.rolledBackTo
      result = await log.group(`Follow ECS rollback ${rollbackId}`, () =>
        phases.run('rollback', () => followEcsRollback(env, rollbackId, previousArn, ctx.signal))
      )
    } else if (verdict.kind === 'failed' && verdict.replacedBy) {
      result = await describeLeftAlone(env, previousArn, verdict.reason, { why: NEWER_DEPLOYMENT })
    } else if (config.rollbackOnFailure) {
      result = await log.group(`Roll back ${config.cluster}/${config.service}`, () =>
        phases.run('rollback', () =>
          rollBackService(env, ctx.journal, previousArn, journal.taskDefinitionArn, ctx.signal)
        )
      )
    } else {
      const state = verdict.kind === 'failed' ? verdict.reason : `ECS deployment ${deploymentId} is still in progress`
      result = await describeLeftAlone(env, previousArn, state)
    }
  }
  const url = ecsServiceUrl(config.region, config.cluster, config.service)
  return recoveryResult(env, ctx, recovery, {
    outcome: result,
    message: `The main step ended while ECS deployment ${deploymentId} was running: ${result.summary}`,
    outputs: { 'console-url': url },
    link: { title: `ECS service ${config.cluster}/${config.service}`, url }
  })
}
