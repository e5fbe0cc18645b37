/**
 * One blue/green deploy: pre-flight → (dry-run stops here) → register the task definition → create the CodeDeploy
 * deployment → follow it to `wait-until` → on failure, timeout or cancellation explain it and roll back.
 */
import type { DeploymentGroupInfo, LifecycleEvent } from '@aws-sdk/client-codedeploy'
import { Inputs } from '../../constants.js'
import type { DeployResult, RunContext } from '../../types.js'
import { codeDeployHeadline } from '../ecs/explain.js'
import type { EcsJournal } from '../ecs/journal.js'
import { serviceLoadBalancer, type EcsPlan } from '../ecs/preflight.js'
import { checkCanReadDeployments, preflightDeploymentGroup } from './preflight-group.js'
import { EcsRunState, newRevisionChangesSection } from '../ecs/run-state.js'
import { taskDefinitionLabel } from '../ecs/task-definition.js'
import {
  checkAppSpecAgainstTaskDefinition,
  generateAppSpec,
  mergeAppSpec,
  renderAppSpec,
  type AppSpec
} from './appspec.js'
import {
  activeDeploymentError,
  continueDeployment,
  createDeployment,
  newRunToken,
  deploymentDescription,
  deploymentUrl,
  followDeployment,
  isTerminal,
  listActiveDeployments,
  resolveActiveDeployments,
  trafficShifted,
  type DeploymentView,
  type FollowResult,
  type GroupRef
} from './codedeploy.js'
import { deadlineFromNow, pollOptions } from '../ecs/poll.js'
import type { BlueGreenRun } from './run.js'
import { describeDeploymentLeftAlone, rollBackDeployment } from './rollback.js'
import type { RollbackOutcome } from '../ecs/rollback-outcome.js'
import { errorMessage } from '../../error-message.js'
import { verifyPhase, type VerifyOutcome } from '../../verify.js'
import { verifyService } from '../ecs/verify.js'
import { previousFromGroupHistory } from './history.js'

/** The verify gate failed (or ContinueDeployment did) while the deployment waited in Ready. */
type GateFailed = { kind: 'gate-failed'; view: DeploymentView; reason: string; cancelled: boolean }

/** The AppSpec for `taskDefinitionArn`: the user's file with only TaskDefinition replaced, or generated. */
function buildAppSpec(env: BlueGreenRun, plan: EcsPlan, taskDefinitionArn: string): AppSpec {
  const { config } = env
  if (config.appspecDocument) return mergeAppSpec(config.appspecDocument, taskDefinitionArn)
  const label = `${plan.clusterName}/${plan.serviceName}`
  return generateAppSpec(plan.service, taskDefinitionArn, serviceLoadBalancer(plan.service, label))
}

/** Warns when `timeout-minutes` cannot cover the group's ready wait and termination wait before "succeeded". */
function checkWaitBudget(env: BlueGreenRun, group: DeploymentGroupInfo): void {
  const { config, deps } = env
  const blueGreen = group.blueGreenDeploymentConfiguration
  const ready = blueGreen?.deploymentReadyOption
  if (ready?.actionOnTimeout === 'STOP_DEPLOYMENT') {
    deps.log.info(
      `The deployment group waits up to ${ready.waitTimeInMinutes ?? 0} min in Ready for ContinueDeployment (READY_WAIT) before shifting production traffic`
    )
  }
  const termination = blueGreen?.terminateBlueInstancesOnDeploymentSuccess
  const terminationWait = termination?.action === 'TERMINATE' ? (termination.terminationWaitTimeInMinutes ?? 0) : 0
  const readyWait = ready?.actionOnTimeout === 'STOP_DEPLOYMENT' ? (ready.waitTimeInMinutes ?? 0) : 0
  const needed = terminationWait + readyWait
  if (config.waitUntil === 'succeeded' && needed >= config.timeoutMinutes) {
    deps.log.warning(
      `'${Inputs.waitUntil}: succeeded' waits for the group's ready wait and termination wait (${needed} min in all), longer than '${Inputs.timeoutMinutes}' (${config.timeoutMinutes} min): the step would time out (before the traffic shift that rolls back; in the termination wait the step reports the shift and ends first). Raise the timeout or use '${Inputs.waitUntil}: traffic-shifted'.`
    )
  }
}

function lifecyclePhases(view: DeploymentView): { name: string; ok: boolean; durationMs: number }[] {
  return (view.target?.lifecycleEvents ?? [])
    .filter((e: LifecycleEvent) => e.status && e.status !== 'Pending')
    .map((e) => ({
      name: e.lifecycleEventName ?? '?',
      ok: e.status === 'Succeeded' || e.status === 'Skipped',
      durationMs: e.startTime && e.endTime ? e.endTime.getTime() - e.startTime.getTime() : 0
    }))
}

/** The steps of one blue/green run; the state they share with ecs-rolling is in `EcsRunState`. */
export class BlueGreenDeploy {
  private readonly state: EcsRunState
  private readonly ref: GroupRef
  private activeAtPreflight: string[] = []
  /** Marks this run's deployment (in its description), to recognise it after a retried CreateDeployment. */
  private readonly token = newRunToken()
  /** The verify gate ran (in Ready): it does not run again once the deployment is followed to its end. */
  private verified = false

  constructor(
    private readonly env: BlueGreenRun,
    private readonly ctx: RunContext<EcsJournal>
  ) {
    const ref = {
      application: env.config.codedeployApplication,
      group: env.config.codedeployDeploymentGroup,
      region: env.config.region
    }
    this.ref = ref
    this.state = new EcsRunState(env, ctx, {
      strategy: 'ecs-blue-green',
      changesSection: newRevisionChangesSection,
      previous: (liveArn, signal) =>
        previousFromGroupHistory(env.codedeploy, ref, liveArn, env.deps.clock.now(), signal)
    })
  }

  run(): Promise<DeployResult> {
    return this.state.execute({
      check: (plan) => this.checkDeploymentGroup(plan),
      planned: (plan) => this.planned(plan),
      deploy: (plan) => this.deploy(plan),
      settle: { needed: () => this.activeAtPreflight.length > 0, run: () => this.settleActiveDeployments() }
    })
  }

  private async deploy(plan: EcsPlan): Promise<DeployResult> {
    const { config, deps } = this.env
    const { state } = this

    let deploymentId: string
    try {
      const created = await this.registerAndCreate(plan)
      if (typeof created !== 'string') return state.notDeployed(created.reason)
      deploymentId = created
    } catch (error) {
      return state.notDeployed(errorMessage(error))
    }
    if (config.waitUntil === 'created') {
      this.ctx.journal.update({ phase: 'finished' })
      return this.succeeded(
        `Created deployment ${deploymentId} of ${this.after()} to ${state.label}; not waiting (wait-until: created)`
      )
    }

    const follow = (stopAtReady: boolean): Promise<FollowResult> =>
      deps.log.group(`Wait for deployment ${deploymentId}`, () =>
        followDeployment(
          this.env.codedeploy,
          {
            deploymentId,
            targetId: `${plan.clusterName}:${plan.serviceName}`,
            waitUntil: config.waitUntil === 'traffic-shifted' ? 'traffic-shifted' : 'succeeded',
            stopAtReady
          },
          pollOptions(this.env, state.deadline, this.ctx.signal)
        )
      )
    let followed: FollowResult | GateFailed | { kind: 'error'; error: unknown }
    try {
      followed = await follow(config.verify !== undefined)
      if (followed.kind === 'ready') followed = await this.gateAtReady(deploymentId, followed.view, follow)
    } catch (error) {
      followed = { kind: 'error', error }
    }
    if (followed.kind === 'error') return this.lostSight(deploymentId, followed.error)
    for (const phase of lifecyclePhases(followed.view)) state.phases.record(phase.name, phase)
    if (followed.kind === 'reached' && config.verify && !this.verified) {
      const gate = await this.verify(deploymentId)
      if (!gate.ok) return this.failedAfterShift(deploymentId, gate.reason)
    }
    if (followed.kind === 'reached') {
      this.ctx.journal.update({ phase: 'finished' })
      const status = followed.view.info?.status
      return this.succeeded(
        status === 'Succeeded'
          ? `Deployed ${this.after()} to ${state.label} with CodeDeploy deployment ${deploymentId}`
          : `Traffic shifted to ${this.after()} on ${state.label}; deployment ${deploymentId} is still ${status ?? 'InProgress'} until the old task set is removed`
      )
    }
    const status = followed.view.info?.status
    if (followed.kind === 'timeout' && trafficShifted(followed.view.target) && !isTerminal(status)) {
      return this.shiftedButUnfinished(deploymentId, status)
    }
    return this.handleFailure(deploymentId, followed)
  }

  /**
   * The deployment waits in Ready (test traffic only): the gate decides. Passed: ContinueDeployment shifts
   * production traffic and following goes on. Failed: handled as a failed deployment (stopped with rollback).
   */
  private async gateAtReady(
    deploymentId: string,
    view: DeploymentView,
    follow: (stopAtReady: boolean) => Promise<FollowResult>
  ): Promise<FollowResult | GateFailed> {
    const { deps, codedeploy } = this.env
    const gate = await this.verify(deploymentId)
    if (!gate.ok) return { kind: 'gate-failed', view, reason: gate.reason, cancelled: gate.cancelled }
    try {
      await deps.log.group(`Continue deployment ${deploymentId}`, () =>
        this.state.phases.run('continue-deployment', () =>
          continueDeployment(codedeploy, deploymentId, this.ctx.signal)
        )
      )
    } catch (error) {
      return { kind: 'gate-failed', view, reason: errorMessage(error), cancelled: this.ctx.signal.aborted }
    }
    return follow(false)
  }

  /** Runs the verify gate against the new task set (in Ready: through the test listener; else: in production). */
  private async verify(deploymentId: string): Promise<VerifyOutcome> {
    const { config, deps } = this.env
    const verify = config.verify
    if (!verify) return { ok: true, durationMs: 0 }
    this.verified = true
    const outcome = await verifyService(deps, { ...config, verify }, this.state, deploymentId, this.ctx.signal)
    this.state.phases.record('verify', verifyPhase(outcome))
    return outcome
  }

  /**
   * The gate failed once production traffic was on the new task set (the group does not stop at Ready): CodeDeploy
   * can no longer roll the finished shift back, so the new revision stays and the step fails saying so.
   */
  private failedAfterShift(deploymentId: string, reason: string): DeployResult {
    this.ctx.journal.update({ phase: 'finished' })
    const previous = taskDefinitionLabel(this.state.plan?.previousTaskDefinitionArn) ?? 'the previous revision'
    const text = `Deployment ${deploymentId} shifted production traffic to ${this.after()} on ${this.state.label}, but ${reason}. Not rolled back: the traffic had already shifted (a deployment group with the ready option STOP_DEPLOYMENT runs the gate before it); to go back, deploy ${previous}`
    return this.state.result('failed', text, 'failed', `running ${this.after()}, verify-command failed`, reason)
  }

  /**
   * Following stopped on an error that is not transient (e.g. AccessDenied on GetDeployment): the deployment may
   * be healthy, so it is neither stopped nor rolled back (and the post step leaves it too); says how to see it.
   */
  private lostSight(deploymentId: string, error: unknown): DeployResult {
    const { config } = this.env
    this.ctx.journal.update({ phase: 'finished' })
    const text = `${errorMessage(error)}. Deployment ${deploymentId} was left running, neither stopped nor rolled back (it may be healthy); see its state at ${deploymentUrl(config.region, deploymentId)} or with 'aws deploy get-deployment --deployment-id ${deploymentId} --region ${config.region}'`
    return this.state.result('failed', text, 'failed', `deployment ${deploymentId} left running, state unknown`, text)
  }

  /**
   * The deadline passed in the termination wait: production traffic is fully on the new task set and its hooks
   * passed, so nothing is rolled back; CodeDeploy deletes the original task set when the group's wait ends.
   */
  private shiftedButUnfinished(deploymentId: string, status: string | undefined): DeployResult {
    const { config, deps } = this.env
    this.ctx.journal.update({ phase: 'finished' })
    deps.log.warning(
      `Deployment ${deploymentId} did not finish within ${config.timeoutMinutes} min, but production traffic had fully shifted to the new task set: not rolled back`
    )
    return this.succeeded(
      `Traffic shifted to ${this.after()} on ${this.state.label}; deployment ${deploymentId} is still ${status ?? 'InProgress'} after ${config.timeoutMinutes} min: the original task set is not terminated yet (the group's termination wait); not rolled back`
    )
  }

  /** Blue/green pre-flight after the service checks: the deployment group, the wait budget, active deployments. */
  private async checkDeploymentGroup(plan: EcsPlan): Promise<void> {
    const { config, deps, codedeploy } = this.env
    const group = await preflightDeploymentGroup(codedeploy, config, plan, this.ctx.signal)
    await checkCanReadDeployments(codedeploy, group, this.ctx.signal)
    checkWaitBudget(this.env, group)
    checkAppSpecAgainstTaskDefinition(buildAppSpec(this.env, plan, '<new task definition ARN>'), plan.taskDefinition)
    const active = await listActiveDeployments(codedeploy, this.ref, this.ctx.signal)
    this.activeAtPreflight = active
    if (active.length > 0) {
      // Fail before registering anything; 'wait' and 'stop-previous' settle it before registering, then plan again.
      if (config.onActiveDeployment === 'fail') throw activeDeploymentError(this.ref, active)
      deps.log.info(
        `Active deployment in ${this.ref.application}/${this.ref.group}: ${active.join(', ')} (${Inputs.onActiveDeployment}: ${config.onActiveDeployment})`
      )
    }
  }

  /** Waits for (or stops) the deployments found active at pre-flight; returns why nothing can be deployed, if so. */
  private async settleActiveDeployments(): Promise<string | undefined> {
    const { config, deps, codedeploy } = this.env
    const poll = pollOptions(this.env, this.state.deadline, this.ctx.signal)
    const cleared = await deps.log.group(`Active deployment: ${config.onActiveDeployment}`, () =>
      this.state.phases.run('active-deployment', () =>
        resolveActiveDeployments(codedeploy, this.ref, config.onActiveDeployment, this.activeAtPreflight, poll)
      )
    )
    if (cleared.kind === 'done') return undefined
    const why = cleared.kind === 'cancelled' ? 'the job was cancelled' : `${config.timeoutMinutes} min passed`
    return `No deployment was created: ${why} while waiting for the active deployment to end`
  }

  private async registerAndCreate(plan: EcsPlan): Promise<string | { reason: string }> {
    const { config, deps, codedeploy } = this.env
    const { state } = this
    const arn = await state.registerTaskDefinition(plan)
    await state.runPreDeployTask(plan, arn)
    const { content, sha256 } = renderAppSpec(buildAppSpec(this.env, plan, arn))
    deps.log.debug(`AppSpec (sha256 ${sha256}):\n${content}`)
    const poll = pollOptions(this.env, state.deadline, this.ctx.signal)
    const created = await deps.log.group('Create deployment', () =>
      state.phases.run('create-deployment', async () => {
        const active = await listActiveDeployments(codedeploy, this.ref, this.ctx.signal)
        const cleared = await resolveActiveDeployments(codedeploy, this.ref, config.onActiveDeployment, active, poll)
        if (cleared.kind !== 'done') return cleared
        return createDeployment(
          codedeploy,
          {
            ref: this.ref,
            content,
            sha256,
            deploymentConfigName: config.deploymentConfig,
            description: deploymentDescription(
              plan.rollback
                ? `rollback to ${taskDefinitionLabel(arn) ?? arn} (from ${taskDefinitionLabel(plan.previousTaskDefinitionArn) ?? '?'})`
                : (config.image?.ref ?? taskDefinitionLabel(arn) ?? arn),
              deps.identity,
              this.token,
              taskDefinitionLabel(arn)
            ),
            token: this.token
          },
          config.onActiveDeployment,
          poll
        )
      })
    )
    if (created.kind !== 'done') {
      const why = created.kind === 'cancelled' ? 'the job was cancelled' : `${config.timeoutMinutes} min passed`
      return { reason: `No deployment was created: ${why} while waiting for the active deployment to end` }
    }
    const deploymentId = created.value
    // Journal first: if the process dies now, the post step still knows what to stop.
    this.ctx.journal.update({ phase: 'deploying', deploymentId })
    const url = deploymentUrl(config.region, deploymentId)
    state.output('deployment-id', deploymentId)
    state.output('console-url', url)
    state.links.push({ title: `CodeDeploy deployment ${deploymentId}`, url })
    deps.log.info(`Created deployment ${deploymentId}: ${url}`)
    return deploymentId
  }

  private async handleFailure(
    deploymentId: string,
    followed: Exclude<FollowResult, { kind: 'reached' }> | GateFailed
  ): Promise<DeployResult> {
    const { config, deps } = this.env
    const { info, target } = followed.view
    const status = info?.status
    const cancelled = followed.kind === 'cancelled' || (followed.kind === 'gate-failed' && followed.cancelled)
    // Once cancelled, the rollback is followed without the (aborted) signal.
    const rollbackSignal = cancelled ? undefined : this.ctx.signal
    let headline: string
    const details: string[] = []
    switch (followed.kind) {
      case 'failed':
        headline = codeDeployHeadline(deploymentId, info ?? {}, target?.lifecycleEvents ?? [])
        break
      case 'timeout':
        headline = `Deployment ${deploymentId} did not reach '${config.waitUntil}' within ${config.timeoutMinutes} min (status ${status ?? 'unknown'})`
        break
      case 'cancelled':
        headline = `The job was cancelled while deployment ${deploymentId} was ${status ?? 'running'}`
        break
      case 'ready':
      case 'gate-failed':
        headline = `Deployment ${deploymentId} stopped in Ready, before production traffic moved: ${followed.kind === 'gate-failed' ? followed.reason : 'not continued'}`
        break
    }
    const failedEvent = target?.lifecycleEvents?.find((e) => e.status === 'Failed')
    if (failedEvent?.diagnostics?.message) {
      details.push(`${failedEvent.lifecycleEventName}: ${failedEvent.diagnostics.message}`)
    }
    for (const line of info?.deploymentStatusMessages ?? []) details.push(line)
    if (info?.rollbackInfo?.rollbackMessage) details.push(`Rollback: ${info.rollbackInfo.rollbackMessage}`)

    const previousArn = this.state.plan?.previousTaskDefinitionArn
    const rollBack = async (): Promise<RollbackOutcome> => {
      if (!config.rollbackOnFailure) return describeDeploymentLeftAlone(this.env, deploymentId, status, previousArn)
      this.ctx.journal.update({ phase: 'rolling-back' })
      return deps.log.group(`Roll back deployment ${deploymentId}`, () =>
        this.state.phases.run('rollback', () =>
          rollBackDeployment(this.env, {
            deploymentId,
            previousArn,
            signal: rollbackSignal,
            deadline: deadlineFromNow(this.env)
          })
        )
      )
    }
    return this.state.concludeFailure({ deploymentId, headline, details, cancelled, undo: rollBack })
  }

  private after(): string {
    return taskDefinitionLabel(this.state.taskDefinitionArn) ?? 'the new task definition'
  }

  private planned(plan: EcsPlan): DeployResult {
    const appspec = renderAppSpec(buildAppSpec(this.env, plan, '<new task definition ARN>'))
    this.state.sections.push({
      title: 'AppSpec that would be sent',
      body: ['```json', appspec.content, '```'].join('\n')
    })
    const what = plan.rollback
      ? `roll back, ${this.state.rollbackLabel(plan)} (${plan.rollback.evidence}), by deploying ${taskDefinitionLabel(plan.registeredArn)} as registered`
      : plan.registeredArn
        ? `deploy ${taskDefinitionLabel(plan.registeredArn)} as registered`
        : `register a new revision of ${String(plan.taskDefinition.family)} with ${this.env.config.image?.ref ?? ''} and deploy it`
    return this.state.result(
      'planned',
      `Dry run: would ${what} to ${this.state.label} through CodeDeploy ${this.ref.application}/${this.ref.group}`,
      'planned'
    )
  }

  private succeeded(text: string): DeployResult {
    return this.state.result('succeeded', text, 'deployed')
  }
}
