/**
 * One ECS-managed blue/green, linear or canary deploy: pre-flight → (dry-run stops here) → settle a deployment in
 * progress (`on-active-deployment`) → register the task definition → UpdateService with it → find and journal *our*
 * service deployment → follow it to `wait-until`, answering the gate's PAUSE hook → on failure, timeout or
 * cancellation explain it and roll the same deployment back.
 */
import type { ServiceDeploymentBrief } from '@aws-sdk/client-ecs'
import { UpdateServiceCommand } from '@aws-sdk/client-ecs'
import { Inputs } from '../../constants.js'
import { errorMessage } from '../../error-message.js'
import type { DeployResult, RunContext } from '../../types.js'
import { verifyPhase } from '../../verify.js'
import { wrapError } from '../ecs/errors.js'
import type { EcsJournal } from '../ecs/journal.js'
import { deadlineFromNow, pollOptions, pollUntil } from '../ecs/poll.js'
import type { EcsPlan } from '../ecs/preflight.js'
import { ecsServiceUrl } from '../ecs/report.js'
import { describeLeftAlone, type RollbackOutcome } from '../ecs/rollback-outcome.js'
import { previousFromServiceHistory } from '../ecs/service-history.js'
import { EcsRunState, newRevisionChangesSection } from '../ecs/run-state.js'
import { taskDefinitionLabel } from '../ecs/task-definition.js'
import { verifyService } from '../ecs/verify.js'
import { checkGateHook, checkLoadBalancers, checkWaitBudget } from './preflight.js'
import { confirmRollback, rollBackServiceDeployment } from './rollback.js'
import type { NativeRun } from './run.js'
import {
  continueServiceDeployment,
  describeServiceDeployment,
  findOurDeployment,
  followServiceDeployment,
  listActiveServiceDeployments,
  requestRollback,
  shortArn,
  type FollowResult,
  type NativeVerdict
} from './service-deployment.js'

/** How far back (ms) ListServiceDeployments looks for ours: covers a runner clock behind AWS's. */
const CLOCK_SLACK_MS = 5 * 60_000

/** What following came to, with the gate's and errors' outcomes. */
type Followed =
  | FollowResult['outcome']
  | { kind: 'gate-failed'; reason: string; cancelled: boolean }
  | { kind: 'error'; error: unknown }

export class NativeDeploy {
  private readonly state: EcsRunState
  private activeAtPreflight: ServiceDeploymentBrief[] = []
  /** PAUSE hooks this run answered (the gate runs once). */
  private readonly gatedHooks = new Set<string>()
  /** Production traffic was seen all on the new revision. */
  private shifted = false

  constructor(
    private readonly env: NativeRun,
    private readonly ctx: RunContext<EcsJournal>
  ) {
    this.state = new EcsRunState(env, ctx, {
      strategy: 'ecs-native',
      changesSection: newRevisionChangesSection,
      // ECS records every deployment of an ECS-controller service, whatever its strategy.
      previous: (liveArn, signal) =>
        previousFromServiceHistory(env.ecs, env.config.cluster, env.config.service, liveArn, signal)
    })
    this.state.links.push({
      title: `ECS service ${env.config.cluster}/${env.config.service} deployments`,
      url: ecsServiceUrl(env.config.region, env.config.cluster, env.config.service)
    })
  }

  run(): Promise<DeployResult> {
    return this.state.execute({
      check: (plan) => this.check(plan),
      planned: (plan) =>
        this.state.result(
          'planned',
          `Dry run: would ${plan.registeredArn ? `deploy ${taskDefinitionLabel(plan.registeredArn)} as registered` : `register a new revision of ${String(plan.taskDefinition.family)} with ${this.env.config.image?.ref ?? ''} and deploy it`} to ${this.state.label} with an ECS-managed ${plan.service.deploymentConfiguration?.strategy ?? ''} deployment`,
          'planned'
        ),
      deploy: (plan) => this.deploy(plan),
      settle: { needed: () => this.activeAtPreflight.length > 0, run: () => this.settleActiveDeployments() }
    })
  }

  /** ecs-native pre-flight after the service checks: load balancers, the gate's hook, the time budget, the way. */
  private async check(plan: EcsPlan): Promise<void> {
    const { config, deps, ecs } = this.env
    const label = this.state.label
    checkLoadBalancers(plan.service, label)
    checkGateHook(plan.service, config, label, deps.log)
    checkWaitBudget(plan.service, config, label, deps.log)
    const active = await listActiveServiceDeployments(ecs, config.cluster, config.service, this.ctx.signal)
    this.activeAtPreflight = active
    if (active.length === 0) return
    const list = active.map((d) => `${shortArn(d.serviceDeploymentArn ?? '')} (${d.status ?? '?'})`).join(', ')
    if (config.onActiveDeployment === 'fail') {
      throw new Error(
        `ECS service ${label} has a service deployment in progress: ${list}. Wait for it to end, or set '${Inputs.onActiveDeployment}' to 'wait' or 'stop-previous'; nothing was changed`
      )
    }
    deps.log.info(
      `Service deployment in progress: ${list} (${Inputs.onActiveDeployment}: ${config.onActiveDeployment})`
    )
  }

  private async deploy(plan: EcsPlan): Promise<DeployResult> {
    const { config, deps } = this.env
    const { state } = this
    let arn: string
    try {
      const taskDefinitionArn = await state.registerTaskDefinition(plan)
      await state.runPreDeployTask(plan, taskDefinitionArn)
      arn = await this.startDeployment(plan, taskDefinitionArn)
    } catch (error) {
      return state.notDeployed(errorMessage(error))
    }
    if (config.waitUntil === 'created') {
      this.ctx.journal.update({ phase: 'finished' })
      return this.succeeded(
        `Started service deployment ${shortArn(arn)} of ${this.after()} on ${state.label}; not waiting (wait-until: created)`
      )
    }
    const followed = await deps.log.group(`Wait for service deployment ${shortArn(arn)}`, () => this.follow(arn))
    if (
      followed.kind === 'done' &&
      (followed.value.kind === 'succeeded' || followed.value.kind === 'traffic-shifted')
    ) {
      this.ctx.journal.update({ phase: 'finished' })
      return this.succeeded(
        followed.value.kind === 'succeeded'
          ? `Deployed ${this.after()} to ${state.label} (service deployment ${shortArn(arn)})`
          : `Production traffic shifted to ${this.after()} on ${state.label}; service deployment ${shortArn(arn)} is still baking or cleaning up (wait-until: traffic-shifted)`
      )
    }
    return this.handleFailure(arn, followed)
  }

  /** Follows our deployment; at the gate's PAUSE hook, runs `verify-command` and answers the hook. */
  private async follow(arn: string): Promise<Followed> {
    const { config, ecs } = this.env
    const { state } = this
    for (;;) {
      let result: FollowResult
      try {
        result = await followServiceDeployment(
          ecs,
          {
            cluster: config.cluster,
            service: config.service,
            arn,
            since: state.start,
            label: 'Deployment',
            until: config.waitUntil === 'traffic-shifted' ? 'traffic-shifted' : 'succeeded',
            gate: config.verify !== undefined,
            gatedHooks: this.gatedHooks
          },
          pollOptions(this.env, state.deadline, this.ctx.signal)
        )
      } catch (error) {
        return { kind: 'error', error }
      }
      this.shifted ||= result.shifted
      const { outcome } = result
      if (outcome.kind !== 'done' || outcome.value.kind !== 'paused') return outcome
      const gate = await this.gate(arn, outcome.value.hookId)
      if (gate) return gate
    }
  }

  /**
   * Test traffic is on the new revision and ECS waits at the PAUSE hook: the verify gate decides. Passed:
   * ContinueServiceDeployment CONTINUE. Failed (or the continue failed): a failed deployment, rolled back by
   * answering the same hook with ROLLBACK.
   */
  private async gate(arn: string, hookId: string): Promise<Followed | undefined> {
    const { config, deps, ecs } = this.env
    this.gatedHooks.add(hookId)
    const verify = config.verify
    if (!verify) return undefined
    deps.log.info(
      `Service deployment ${shortArn(arn)} waits at PAUSE hook ${hookId}: running '${Inputs.verifyCommand}'`
    )
    const outcome = await verifyService(deps, { ...config, verify }, this.state, arn, this.ctx.signal)
    this.state.phases.record('verify', verifyPhase(outcome))
    if (!outcome.ok) return { kind: 'gate-failed', reason: outcome.reason, cancelled: outcome.cancelled }
    try {
      await deps.log.group(`Continue service deployment ${shortArn(arn)}`, () =>
        this.state.phases.run('continue-deployment', () => continueServiceDeployment(ecs, arn, hookId, 'CONTINUE'))
      )
    } catch (error) {
      return { kind: 'gate-failed', reason: errorMessage(error), cancelled: this.ctx.signal.aborted }
    }
    return undefined
  }

  /** UpdateService with the task definition only; returns our service deployment's ARN, journaled at once. */
  private async startDeployment(plan: EcsPlan, taskDefinitionArn: string): Promise<string> {
    const { config, deps, ecs } = this.env
    const { state } = this
    const arn = await deps.log.group(`Update service ${state.label}`, () =>
      state.phases.run('update-service', async () => {
        const before = deps.clock.now()
        let current: string | undefined
        try {
          // No abort signal: a cancelled request may still start a deployment we would not know about.
          const out = await ecs.send(
            new UpdateServiceCommand({
              cluster: config.cluster,
              service: config.service,
              taskDefinition: taskDefinitionArn
            })
          )
          current = out.service?.currentServiceDeployment
        } catch (error) {
          throw wrapError(`Could not update ECS service ${state.label}`, error)
        }
        // The answer names the deployment it started; the one that ran before is not ours.
        if (current && current !== plan.service.currentServiceDeployment) return current
        return findOurDeployment(
          ecs,
          {
            cluster: config.cluster,
            service: config.service,
            taskDefinitionArn,
            after: new Date(before - CLOCK_SLACK_MS)
          },
          pollOptions(this.env, state.deadline, this.ctx.signal)
        )
      })
    )
    // Journal first: if the process dies now, the post step still knows what to roll back.
    this.ctx.journal.update({ phase: 'deploying', serviceDeploymentArn: arn })
    state.output('deployment-id', arn)
    state.output('console-url', ecsServiceUrl(config.region, config.cluster, config.service))
    deps.log.info(`Started service deployment ${arn}`)
    return arn
  }

  /** `wait` follows the deployments in progress to their end; `stop-previous` rolls them back first. */
  private async settleActiveDeployments(): Promise<string | undefined> {
    const { config, deps, ecs } = this.env
    const poll = pollOptions(this.env, this.state.deadline, this.ctx.signal)
    const ended = await deps.log.group(`Service deployment in progress: ${config.onActiveDeployment}`, () =>
      this.state.phases.run('active-deployment', async () => {
        if (config.onActiveDeployment === 'stop-previous') {
          for (const brief of this.activeAtPreflight) {
            const arn = brief.serviceDeploymentArn ?? ''
            // Described again: it may wait at a PAUSE hook, which is answered instead of stopped.
            const deployment = (await describeServiceDeployment(ecs, arn, this.ctx.signal)) ?? brief
            const how = await requestRollback(ecs, deployment)
            deps.log.info(`Service deployment ${shortArn(arn)}: ${how}`)
          }
        }
        return pollUntil(poll, `Could not list the service deployments of ${this.state.label}`, async () => {
          const active = await listActiveServiceDeployments(ecs, config.cluster, config.service, this.ctx.signal)
          return active.length === 0 ? true : undefined
        })
      })
    )
    if (ended.kind === 'done') return undefined
    const why = ended.kind === 'cancelled' ? 'the job was cancelled' : `${config.timeoutMinutes} min passed`
    return `Nothing was deployed: ${why} while waiting for the service deployment in progress to end`
  }

  private async handleFailure(arn: string, followed: Followed): Promise<DeployResult> {
    const { config, deps } = this.env
    const { state } = this
    const id = shortArn(arn)
    const previousArn = state.plan?.previousTaskDefinitionArn
    const cancelled = followed.kind === 'cancelled' || (followed.kind === 'gate-failed' && followed.cancelled)
    const verdict: NativeVerdict | undefined = followed.kind === 'done' ? followed.value : undefined
    let headline: string
    switch (followed.kind) {
      case 'done':
        headline =
          verdict?.kind === 'rolled-back'
            ? `ECS rolled service deployment ${id} back: ${verdict.reason}`
            : `Service deployment ${id} ended ${verdict?.kind === 'failed' ? `${verdict.status}: ${verdict.reason}` : 'unexpectedly'}`
        break
      case 'timeout':
        headline = `Service deployment ${id} did not reach '${config.waitUntil}' within ${config.timeoutMinutes} min${this.shifted ? ' (production traffic had shifted; it was still baking)' : ''}`
        break
      case 'cancelled':
        headline = `The job was cancelled while service deployment ${id} was in progress`
        break
      case 'gate-failed':
        headline = `Service deployment ${id} stopped at the test traffic gate, before production traffic moved: ${followed.reason}`
        break
      case 'error':
        headline = errorMessage(followed.error)
        break
    }
    const undo = async (): Promise<RollbackOutcome> => {
      if (verdict?.kind === 'rolled-back') {
        return deps.log.group(`Check the rollback of ${id}`, () =>
          state.phases.run('rollback', async () => {
            const deployment = await describeServiceDeployment(this.env.ecs, arn)
            return confirmRollback(this.env, deployment ?? { serviceDeploymentArn: arn }, previousArn)
          })
        )
      }
      if (verdict?.kind === 'failed') {
        return describeLeftAlone(this.env, previousArn, headline, {
          why: `not rolled back (the service deployment ended ${verdict.status})`
        })
      }
      if (!config.rollbackOnFailure)
        return describeLeftAlone(this.env, previousArn, `service deployment ${id} is left as it is`)
      this.ctx.journal.update({ phase: 'rolling-back' })
      return deps.log.group(`Roll back service deployment ${id}`, () =>
        state.phases.run('rollback', () =>
          rollBackServiceDeployment(this.env, this.ctx.journal, {
            arn,
            previousArn,
            signal: cancelled ? undefined : this.ctx.signal,
            deadline: deadlineFromNow(this.env)
          })
        )
      )
    }
    return state.concludeFailure({ deploymentId: id, headline, cancelled, undo })
  }

  private after(): string {
    return taskDefinitionLabel(this.state.taskDefinitionArn) ?? 'the new task definition'
  }

  private succeeded(text: string): DeployResult {
    return this.state.result('succeeded', text, 'deployed')
  }
}
