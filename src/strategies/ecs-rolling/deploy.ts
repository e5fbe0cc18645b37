/**
 * One rolling deploy: pre-flight → (dry-run stops here) → register the task definition → UpdateService → follow
 * *our* deployment (streaming service events) → on failure explain it; ECS's circuit breaker may have rolled back
 * already, else (and on timeout or cancellation) update the service back to the previous task definition.
 */
import type { DeployResult, RunContext } from '../../types.js'
import type { EcsJournal } from '../ecs/journal.js'
import type { EcsPlan } from '../ecs/preflight.js'
import { ecsServiceUrl } from '../ecs/report.js'
import { EcsRunState, type SummarySection } from '../ecs/run-state.js'
import { taskDefinitionLabel } from '../ecs/task-definition.js'
import { pollOptions } from '../ecs/poll.js'
import type { RollingRun } from './run.js'
import { NEWER_DEPLOYMENT, followEcsRollback, rollBackService } from './rollback.js'
import { describeLeftAlone, type RollbackOutcome } from '../ecs/rollback-outcome.js'
import { followRollout, updateService, type FollowResult } from './rollout.js'
import { errorMessage } from '../../error-message.js'
import type { VerifyConfig } from '../../verify.js'
import { verifyService } from '../ecs/verify.js'
import { previousFromServiceHistory } from '../ecs/service-history.js'

type Followed =
  | FollowResult['outcome']
  | { kind: 'error'; error: unknown }
  | { kind: 'verify-failed'; reason: string; cancelled: boolean }

/** The task definition changes: the same content redeploys the live revision; a registered one is deployed as it is. */
function changesSection(plan: EcsPlan): SummarySection {
  const redeploy = plan.registeredArn ? plan.registeredArn === plan.previousTaskDefinitionArn : plan.diff.length === 0
  const lines = plan.diff.length
    ? plan.diff.map((l) => `- ${l}`)
    : [
        `No changes: ${redeploy ? 'the live revision is redeployed (forced new deployment)' : 'the revision holds the live content'}.`
      ]
  const after = plan.registeredArn
    ? `${taskDefinitionLabel(plan.registeredArn)}, as registered`
    : redeploy
      ? 'same revision'
      : 'new revision'
  return {
    title: `Task definition changes (${taskDefinitionLabel(plan.previousTaskDefinitionArn)} → ${after})`,
    body: lines.join('\n')
  }
}

/** The steps of one rolling run; the state they share with ecs-blue-green is in `EcsRunState`. */
export class RollingDeploy {
  private readonly state: EcsRunState

  constructor(
    private readonly env: RollingRun,
    private readonly ctx: RunContext<EcsJournal>
  ) {
    this.state = new EcsRunState(env, ctx, {
      strategy: 'ecs-rolling',
      changesSection,
      previous: (liveArn, signal) =>
        previousFromServiceHistory(env.ecs, env.config.cluster, env.config.service, liveArn, signal)
    })
    this.state.links.push({
      title: `ECS service ${env.config.cluster}/${env.config.service}`,
      url: ecsServiceUrl(env.config.region, env.config.cluster, env.config.service)
    })
  }

  run(): Promise<DeployResult> {
    return this.state.execute({
      check: (plan) => this.checkCircuitBreaker(plan),
      planned: (plan) =>
        this.state.result(
          'planned',
          plan.rollback
            ? `Dry run: would roll ${this.state.label} back, ${this.state.rollbackLabel(plan)} (${plan.rollback.evidence}), by rolling out ${taskDefinitionLabel(plan.registeredArn)} as registered`
            : plan.registeredArn
              ? `Dry run: would roll out ${taskDefinitionLabel(plan.registeredArn)} as registered to ${this.state.label}`
              : `Dry run: would register a new revision of ${String(plan.taskDefinition.family)} with ${this.env.config.image?.ref ?? ''} and roll it out to ${this.state.label}`,
          'planned'
        ),
      deploy: (plan) => this.deploy(plan)
    })
  }

  private async deploy(plan: EcsPlan): Promise<DeployResult> {
    const { config, deps } = this.env
    const { state } = this
    let deploymentId: string
    try {
      deploymentId = await this.registerAndUpdate(plan)
    } catch (error) {
      return state.notDeployed(errorMessage(error))
    }

    let followed: Followed
    try {
      const result = await deps.log.group(`Wait for deployment ${deploymentId}`, () =>
        followRollout(
          this.env.ecs,
          {
            cluster: config.cluster,
            service: config.service,
            deploymentId,
            previousTaskDefinitionArn: plan.previousTaskDefinitionArn,
            since: state.start,
            label: 'Deployment'
          },
          pollOptions(this.env, state.deadline, this.ctx.signal)
        )
      )
      followed = result.outcome
    } catch (error) {
      followed = { kind: 'error', error }
    }
    if (followed.kind === 'done' && followed.value.kind === 'completed' && config.verify) {
      followed = await this.verify(config.verify, deploymentId)
    }
    if (followed.kind === 'done' && followed.value.kind === 'completed') {
      this.ctx.journal.update({ phase: 'finished' })
      return state.result(
        'succeeded',
        `Deployed ${taskDefinitionLabel(state.taskDefinitionArn)} to ${state.label} (ECS deployment ${deploymentId})`,
        'deployed'
      )
    }
    return this.handleFailure(deploymentId, followed)
  }

  /** The verify gate once the service is steady: a failure is handled as a failed deployment. */
  private async verify(verify: VerifyConfig, deploymentId: string): Promise<Followed> {
    const outcome = await verifyService(
      this.env.deps,
      { ...this.env.config, verify },
      this.state,
      deploymentId,
      this.ctx.signal
    )
    if (outcome.ok) return { kind: 'done', value: { kind: 'completed' } }
    return { kind: 'verify-failed', reason: outcome.reason, cancelled: outcome.cancelled }
  }

  /** Rolling pre-flight after the service checks: without the circuit breaker, failures wait for the timeout. */
  private checkCircuitBreaker(plan: EcsPlan): void {
    const { config, deps } = this.env
    const breaker = plan.service.deploymentConfiguration?.deploymentCircuitBreaker
    if (!breaker?.enable) {
      deps.log.warning(
        `The deployment circuit breaker of ${this.state.label} is off: tasks that fail to start are only noticed at the timeout (${config.timeoutMinutes} min)`
      )
    }
  }

  private async registerAndUpdate(plan: EcsPlan): Promise<string> {
    const { config, deps, ecs } = this.env
    const { state } = this
    // Same content as the live revision: redeploy that revision (forced) instead of growing the family.
    let arn: string
    if (!plan.registeredArn && plan.diff.length === 0) {
      arn = plan.previousTaskDefinitionArn
      state.useTaskDefinition(plan, arn)
    } else {
      arn = await state.registerTaskDefinition(plan)
    }
    await state.runPreDeployTask(plan, arn)
    const deploymentId = await deps.log.group(`Update service ${state.label}`, () =>
      state.phases.run('update-service', async () => {
        if (arn === plan.previousTaskDefinitionArn) {
          deps.log.info('The task definition is unchanged: forcing a new deployment')
        }
        return updateService(ecs, config.cluster, config.service, arn, plan.previousTaskDefinitionArn)
      })
    )
    this.ctx.journal.update({ phase: 'deploying', ecsDeploymentId: deploymentId, ecsDeploymentAt: deps.clock.now() })
    state.output('deployment-id', deploymentId)
    state.output('console-url', ecsServiceUrl(config.region, config.cluster, config.service))
    deps.log.info(`Started ECS deployment ${deploymentId}`)
    return deploymentId
  }

  private async handleFailure(deploymentId: string, followed: Followed): Promise<DeployResult> {
    const { config, deps } = this.env
    const { state } = this
    const previousArn = state.plan?.previousTaskDefinitionArn
    const cancelled = followed.kind === 'cancelled' || (followed.kind === 'verify-failed' && followed.cancelled)
    let headline: string
    let ecsRollback: string | undefined
    let replacedBy: string | undefined
    if (followed.kind === 'done') {
      const verdict = followed.value
      headline = verdict.kind === 'failed' ? verdict.reason : `ECS deployment ${deploymentId} failed`
      if (verdict.kind === 'failed') ({ rolledBackTo: ecsRollback, replacedBy } = verdict)
    } else if (followed.kind === 'timeout') {
      headline = `ECS deployment ${deploymentId} did not complete within ${config.timeoutMinutes} min`
    } else if (followed.kind === 'verify-failed') {
      headline = `ECS deployment ${deploymentId} completed, but ${followed.reason}`
    } else if (followed.kind === 'cancelled') {
      headline = `The job was cancelled while ECS deployment ${deploymentId} was in progress`
    } else {
      headline = errorMessage(followed.error)
    }

    const undo = async (): Promise<RollbackOutcome> => {
      if (ecsRollback) {
        const id = ecsRollback
        return deps.log.group(`Follow ECS rollback ${id}`, () =>
          state.phases.run('rollback', () =>
            followEcsRollback(this.env, id, previousArn, cancelled ? undefined : this.ctx.signal)
          )
        )
      }
      // Someone else deployed meanwhile: rolling back would undo their deployment, not ours.
      if (replacedBy) return describeLeftAlone(this.env, previousArn, headline, { why: NEWER_DEPLOYMENT })
      if (!config.rollbackOnFailure) return describeLeftAlone(this.env, previousArn, headline)
      this.ctx.journal.update({ phase: 'rolling-back' })
      return deps.log.group(`Roll back ${state.label}`, () =>
        state.phases.run('rollback', () =>
          rollBackService(
            this.env,
            this.ctx.journal,
            previousArn,
            state.taskDefinitionArn,
            cancelled ? undefined : this.ctx.signal
          )
        )
      )
    }
    return state.concludeFailure({ deploymentId, headline, cancelled, undo })
  }
}
