/**
 * Rolling back a CodeDeploy deployment (StopDeployment with rollback, then following the rollback) and saying
 * which task definition is live afterwards; also the post step's recovery of a cut-short run.
 */
import { GetDeploymentCommand } from '@aws-sdk/client-codedeploy'
import type { DeployResult, RecoverContext } from '../../types.js'
import type { EcsJournal } from '../ecs/journal.js'
import { beginRecovery, recoveryResult } from '../ecs/recover.js'
import { describeLeftAlone, outcomeWithLive, type RollbackOutcome } from '../ecs/rollback-outcome.js'
import { deploymentUrl, followRollback, isTerminal, stopDeployment } from './codedeploy.js'
import { POST_STEP_WAIT_MS, pollOptions } from '../ecs/poll.js'
import type { BlueGreenRun } from './run.js'
import { errorMessage } from '../../error-message.js'

export interface RollbackRequest {
  deploymentId: string
  previousArn: string | undefined
  /** Undefined when the job is already cancelled: the rollback is followed regardless. */
  signal: AbortSignal | undefined
  /** When following the rollback gives up (clock time). */
  deadline: number
  /** A StopDeployment with rollback went through before (an earlier try of the post step). */
  alreadyRequested?: boolean
}

/**
 * StopDeployment(autoRollbackEnabled) — a deployment CodeDeploy already ended (and maybe rolled back itself) is
 * fine — then follows the rollback to its end (or the deadline) and reads the live task definition.
 */
export async function rollBackDeployment(env: BlueGreenRun, request: RollbackRequest): Promise<RollbackOutcome> {
  const { log } = env.deps
  const { deploymentId, previousArn, signal } = request
  let requested = request.alreadyRequested ?? false
  try {
    const stopped = await stopDeployment(env.codedeploy, deploymentId)
    requested ||= stopped
    log.info(
      stopped
        ? `Stopped deployment ${deploymentId} with rollback`
        : `Deployment ${deploymentId} had already ended; following CodeDeploy's own rollback, if any`
    )
  } catch (error) {
    const summary = `could not stop deployment ${deploymentId} (${errorMessage(error)})`
    return outcomeWithLive(env, previousArn, summary, { finished: true, undone: true })
  }
  let summary: string
  let finished = true
  let confirmed = true
  /** A rollback deployment that ended other than Succeeded undid nothing we can vouch for. */
  let rollbackSucceeded = true
  try {
    const poll = pollOptions(env, request.deadline, signal)
    const rollback = await followRollback(env.codedeploy, deploymentId, poll, requested)
    const id = rollback.rollbackDeploymentId
    if (rollback.kind !== 'done') {
      finished = false
      const why = rollback.kind === 'timeout' ? 'no longer waited for' : 'cancelled'
      summary = id
        ? `rollback deployment ${id} is still ${rollback.rollbackStatus ?? 'running'} (${why}; see ${deploymentUrl(env.config.region, id)})`
        : `the rollback of ${deploymentId} had not started (${why}; see ${deploymentUrl(env.config.region, deploymentId)})`
    } else if (id) {
      rollbackSucceeded = rollback.rollbackStatus === 'Succeeded'
      summary = `rollback deployment ${id} ${rollback.rollbackStatus === 'Succeeded' ? 'succeeded' : `ended ${rollback.rollbackStatus ?? 'unknown'}`}`
    } else {
      summary = `CodeDeploy created no rollback deployment${rollback.rollbackMessage ? ` (${rollback.rollbackMessage})` : ''}`
    }
  } catch (error) {
    confirmed = false
    summary = `could not follow the rollback (${errorMessage(error)})`
  }
  // "Rolled back" only when the rollback was seen to its end and the previous task definition is live.
  const undone = finished && confirmed && rollbackSucceeded
  return outcomeWithLive(env, previousArn, summary, { finished, undone })
}

/** With `rollback-on-failure: false`: nothing is changed; says what state the deployment and the service are in. */
export function describeDeploymentLeftAlone(
  env: BlueGreenRun,
  deploymentId: string,
  status: string | undefined,
  previousArn: string | undefined
): Promise<RollbackOutcome> {
  const ended = isTerminal(status)
  const still = ended ? `is ${status}` : `is left ${status ?? 'running'}`
  // A deployment still running is not rolled back, whatever serves traffic at this moment.
  return describeLeftAlone(env, previousArn, `deployment ${deploymentId} ${still}`, { undone: ended })
}

/**
 * The post step: when the main step was cut short after creating a deployment that had not finished, stop it with
 * rollback and follow the rollback. Idempotent: a finished journal, or a deployment that succeeded, means nothing to do.
 */
export async function recoverBlueGreen(
  env: BlueGreenRun,
  ctx: RecoverContext<EcsJournal>
): Promise<DeployResult | undefined> {
  const recovery = await beginRecovery(env, ctx, (j) => j.deploymentId)
  if (!recovery) return undefined
  const { journal, id: deploymentId, start, phases } = recovery
  const { log } = env.deps
  const out = await env.codedeploy.send(new GetDeploymentCommand({ deploymentId }))
  const status = out.deploymentInfo?.status
  if (status === 'Succeeded' && journal.phase !== 'rolling-back') {
    log.info(`Deployment ${deploymentId} succeeded after the main step ended; nothing to recover`)
    ctx.journal.update({ phase: 'finished' })
    return undefined
  }
  let result: RollbackOutcome
  if (env.config.rollbackOnFailure) {
    ctx.journal.update({ phase: 'rolling-back' })
    result = await log.group(`Roll back deployment ${deploymentId}`, () =>
      phases.run('rollback', () =>
        rollBackDeployment(env, {
          deploymentId,
          previousArn: journal.previousTaskDefinitionArn,
          signal: ctx.signal,
          deadline: start + POST_STEP_WAIT_MS,
          alreadyRequested: journal.phase === 'rolling-back'
        })
      )
    )
  } else {
    result = await describeDeploymentLeftAlone(env, deploymentId, status, journal.previousTaskDefinitionArn)
  }
  const left = result.finished ? '' : ` (the post step waits at most ${POST_STEP_WAIT_MS / 60_000} min)`
  const url = deploymentUrl(env.config.region, deploymentId)
  return recoveryResult(env, ctx, recovery, {
    outcome: result,
    message: `The main step ended while deployment ${deploymentId} was ${status ?? 'running'}: ${result.summary}${left}`,
    outputs: { 'deployment-id': deploymentId, 'console-url': url },
    link: { title: `CodeDeploy deployment ${deploymentId}`, url }
  })
}
