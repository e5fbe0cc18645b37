/**
 * One blue/green deploy: pre-flight → (dry-run stops here) → register the task definition → create the CodeDeploy
 * deployment → follow it to `wait-until` → on failure, timeout or cancellation explain it and roll back.
 */
import type { DeploymentGroupInfo, LifecycleEvent } from '@aws-sdk/client-codedeploy'
import { Inputs, type OutputName } from '../../constants.js'
import type { DeployResult, Link, RunContext } from '../../types.js'
import { codeDeployHeadline, explainFailure, gatherDiagnostics } from '../ecs/explain.js'
import type { EcsJournal } from '../ecs/journal.js'
import { preflightService, serviceLoadBalancer, type EcsPlan } from '../ecs/preflight.js'
import { preflightDeploymentGroup } from './preflight-group.js'
import { PhaseRecorder, targetReport } from '../ecs/report.js'
import { registerTaskDefinition } from '../ecs/service.js'
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
  createDeployment,
  deploymentDescription,
  deploymentUrl,
  followDeployment,
  listActiveDeployments,
  resolveActiveDeployments,
  type DeploymentView,
  type FollowResult,
  type GroupRef
} from './codedeploy.js'
import { pollOptions, type BlueGreenEnv } from './env.js'
import { describeLeftAlone, rollBackDeployment, type RollbackOutcome } from './rollback.js'

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

/** The AppSpec for `taskDefinitionArn`: the user's file with only TaskDefinition replaced, or generated. */
function buildAppSpec(env: BlueGreenEnv, plan: EcsPlan, taskDefinitionArn: string): AppSpec {
  const { config } = env
  if (config.appspecDocument) return mergeAppSpec(config.appspecDocument, taskDefinitionArn)
  const label = `${plan.clusterName}/${plan.serviceName}`
  return generateAppSpec(plan.service, taskDefinitionArn, serviceLoadBalancer(plan.service, label))
}

/** Warns when `timeout-minutes` cannot cover the group's ready wait and termination wait before "succeeded". */
function checkWaitBudget(env: BlueGreenEnv, group: DeploymentGroupInfo): void {
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
      `'${Inputs.waitUntil}: succeeded' waits for the group's ready wait and termination wait (${needed} min in all), longer than '${Inputs.timeoutMinutes}' (${config.timeoutMinutes} min): the deploy would time out and roll back. Raise the timeout or use '${Inputs.waitUntil}: traffic-shifted'.`
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

/** The state of one run, and the steps that make it. */
export class BlueGreenDeploy {
  private readonly phases: PhaseRecorder
  private readonly start: number
  private readonly deadline: number
  private readonly outputs: Partial<Record<OutputName, string>> = {}
  private readonly links: Link[] = []
  private readonly sections: { title: string; body: string }[] = []
  private readonly ref: GroupRef
  private plan: EcsPlan | undefined
  private taskDefinitionArn: string | undefined
  private activeAtPreflight: string[] = []

  constructor(
    private readonly env: BlueGreenEnv,
    private readonly ctx: RunContext<EcsJournal>
  ) {
    this.phases = new PhaseRecorder(env.deps.clock)
    this.start = env.deps.clock.now()
    this.deadline = this.start + env.config.timeoutMinutes * 60_000
    this.ref = {
      application: env.config.codedeployApplication,
      group: env.config.codedeployDeploymentGroup,
      region: env.config.region
    }
  }

  private get label(): string {
    return `${this.env.config.cluster}/${this.env.config.service}`
  }

  private output(name: OutputName, value: string): void {
    this.outputs[name] = value
    this.ctx.setOutput(name, value)
  }

  async run(): Promise<DeployResult> {
    const { config, deps } = this.env
    let plan: EcsPlan
    try {
      plan = await deps.log.group(`Pre-flight ecs service ${this.label}`, () =>
        this.phases.run('preflight', () => this.preflight())
      )
    } catch (error) {
      return this.notDeployed(message(error))
    }
    if (config.dryRun) return this.planned(plan)
    if (this.ctx.signal.aborted) return this.notDeployed('The job was cancelled before anything was deployed')
    if (this.activeAtPreflight.length > 0) {
      // The other deployment may change (or roll back) the live task definition: settle it, then plan again.
      try {
        const cleared = await this.settleActiveDeployments()
        if (cleared) return this.notDeployed(cleared)
        plan = await deps.log.group(`Pre-flight ecs service ${this.label} again`, () =>
          this.phases.run('preflight', () => this.preflight())
        )
      } catch (error) {
        return this.notDeployed(message(error))
      }
    }

    let deploymentId: string
    try {
      const created = await this.registerAndCreate(plan)
      if (typeof created !== 'string') return this.notDeployed(created.reason)
      deploymentId = created
    } catch (error) {
      return this.notDeployed(message(error))
    }
    if (config.waitUntil === 'created') {
      this.ctx.journal.update({ phase: 'finished' })
      return this.succeeded(
        `Created deployment ${deploymentId} of ${this.after()} to ${this.label}; not waiting (wait-until: created)`
      )
    }

    let followed: FollowResult | { kind: 'error'; error: unknown; view: DeploymentView }
    try {
      followed = await deps.log.group(`Wait for deployment ${deploymentId}`, () =>
        followDeployment(
          this.env.codedeploy,
          {
            deploymentId,
            targetId: `${plan.clusterName}:${plan.serviceName}`,
            waitUntil: config.waitUntil === 'traffic-shifted' ? 'traffic-shifted' : 'succeeded'
          },
          pollOptions(this.env, this.deadline, this.ctx.signal)
        )
      )
    } catch (error) {
      followed = { kind: 'error', error, view: {} }
    }
    for (const phase of lifecyclePhases(followed.view)) this.phases.add(phase)
    if (followed.kind === 'reached') {
      this.ctx.journal.update({ phase: 'finished' })
      const status = followed.view.info?.status
      return this.succeeded(
        status === 'Succeeded'
          ? `Deployed ${this.after()} to ${this.label} with CodeDeploy deployment ${deploymentId}`
          : `Traffic shifted to ${this.after()} on ${this.label}; deployment ${deploymentId} is still ${status ?? 'InProgress'} until the old task set is removed`
      )
    }
    return this.handleFailure(deploymentId, followed)
  }

  private async preflight(): Promise<EcsPlan> {
    const { config, deps, ecs, codedeploy } = this.env
    const plan = await preflightService(ecs, config, 'ecs-blue-green', this.ctx.signal)
    this.plan = plan
    this.output('previous-task-definition-arn', plan.previousTaskDefinitionArn)
    deps.log.info(
      `Service ${this.label}: ${plan.service.runningCount ?? 0}/${plan.service.desiredCount ?? 0} tasks running ${taskDefinitionLabel(plan.previousTaskDefinitionArn)}`
    )
    deps.log.info(`Image ${config.image.ref} → container '${plan.containerName}'`)
    for (const line of plan.diff) deps.log.info(`  ${line}`)
    const group = await preflightDeploymentGroup(codedeploy, config, plan, this.ctx.signal)
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
    return plan
  }

  /** Waits for (or stops) the deployments found active at pre-flight; returns why nothing can be deployed, if so. */
  private async settleActiveDeployments(): Promise<string | undefined> {
    const { config, deps, codedeploy } = this.env
    const poll = pollOptions(this.env, this.deadline, this.ctx.signal)
    const cleared = await deps.log.group(`Active deployment: ${config.onActiveDeployment}`, () =>
      this.phases.run('active-deployment', () =>
        resolveActiveDeployments(codedeploy, this.ref, config.onActiveDeployment, this.activeAtPreflight, poll)
      )
    )
    if (cleared.kind === 'done') return undefined
    const why = cleared.kind === 'cancelled' ? 'the job was cancelled' : `${config.timeoutMinutes} min passed`
    return `No deployment was created: ${why} while waiting for the active deployment to end`
  }

  private async registerAndCreate(plan: EcsPlan): Promise<string | { reason: string }> {
    const { config, deps, ecs, codedeploy } = this.env
    const arn = await deps.log.group('Register task definition', () =>
      this.phases.run('register', async () => {
        const registered = await registerTaskDefinition(ecs, plan.taskDefinition)
        deps.log.info(`Registered ${registered}`)
        return registered
      })
    )
    this.taskDefinitionArn = arn
    this.output('task-definition-arn', arn)
    this.ctx.journal.update({
      phase: 'registered',
      taskDefinitionArn: arn,
      previousTaskDefinitionArn: plan.previousTaskDefinitionArn,
      startedAt: this.start
    })
    const { content, sha256 } = renderAppSpec(buildAppSpec(this.env, plan, arn))
    deps.log.debug(`AppSpec (sha256 ${sha256}):\n${content}`)
    const poll = pollOptions(this.env, this.deadline, this.ctx.signal)
    const created = await deps.log.group('Create deployment', () =>
      this.phases.run('create-deployment', async () => {
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
            description: deploymentDescription(config.image.ref)
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
    this.output('deployment-id', deploymentId)
    this.output('console-url', url)
    this.links.push({ title: `CodeDeploy deployment ${deploymentId}`, url })
    deps.log.info(`Created deployment ${deploymentId}: ${url}`)
    return deploymentId
  }

  private async handleFailure(
    deploymentId: string,
    followed: Exclude<FollowResult, { kind: 'reached' }> | { kind: 'error'; error: unknown; view: DeploymentView }
  ): Promise<DeployResult> {
    const { config, deps, ecs } = this.env
    const { info, target } = followed.view
    const status = info?.status
    const cancelled = followed.kind === 'cancelled'
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
      case 'error':
        headline = message(followed.error)
        break
    }
    const failedEvent = target?.lifecycleEvents?.find((e) => e.status === 'Failed')
    if (failedEvent?.diagnostics?.message) {
      details.push(`${failedEvent.lifecycleEventName}: ${failedEvent.diagnostics.message}`)
    }
    for (const line of info?.deploymentStatusMessages ?? []) details.push(line)
    if (info?.rollbackInfo?.rollbackMessage) details.push(`Rollback: ${info.rollbackInfo.rollbackMessage}`)

    const rollBack = async (): Promise<RollbackOutcome> => {
      if (!config.rollbackOnFailure) {
        return describeLeftAlone(this.env, deploymentId, status, this.plan?.previousTaskDefinitionArn)
      }
      this.ctx.journal.update({ phase: 'rolling-back' })
      return deps.log.group(`Roll back deployment ${deploymentId}`, () =>
        this.phases.run('rollback', () =>
          rollBackDeployment(this.env, deploymentId, this.plan?.previousTaskDefinitionArn, rollbackSignal)
        )
      )
    }
    // On cancellation the runner allows only seconds: the rollback is requested before anything else.
    const early = cancelled ? await rollBack() : undefined
    const explanation = await deps.log.group(`Why deployment ${deploymentId} did not succeed`, async () => {
      const diagnostics = cancelled
        ? { events: [], stoppedTasks: [], notes: [] }
        : await gatherDiagnostics(ecs, {
            cluster: config.cluster,
            service: config.service,
            taskDefinitionArn: this.taskDefinitionArn,
            since: this.start
          })
      const explained = explainFailure({ headline, details, diagnostics })
      for (const line of explained.lines) deps.log.info(line)
      return explained
    })
    const outcome = early ?? (await rollBack())
    if (outcome.finished) this.ctx.journal.update({ phase: 'finished' })
    this.sections.push({ title: 'Why the deployment failed', body: explanation.body })
    const text = `${explanation.message}. ${outcome.summary.charAt(0).toUpperCase()}${outcome.summary.slice(1)}`
    return this.result(outcome.status, text, outcome.outcome, outcome.summary, explanation.message)
  }

  private after(): string {
    return taskDefinitionLabel(this.taskDefinitionArn) ?? 'the new task definition'
  }

  private planned(plan: EcsPlan): DeployResult {
    const appspec = renderAppSpec(buildAppSpec(this.env, plan, '<new task definition ARN>'))
    this.sections.push(this.diffSection(plan), {
      title: 'AppSpec that would be sent',
      body: ['```json', appspec.content, '```'].join('\n')
    })
    return this.result(
      'planned',
      `Dry run: would register a new revision of ${String(plan.taskDefinition.family)} with ${this.env.config.image.ref} and deploy it to ${this.label} through CodeDeploy ${this.ref.application}/${this.ref.group}`,
      'planned'
    )
  }

  private diffSection(plan: EcsPlan): { title: string; body: string } {
    const before = taskDefinitionLabel(plan.previousTaskDefinitionArn)
    const lines = plan.diff.length
      ? plan.diff.map((l) => `- ${l}`)
      : ['No changes: the same content is registered as a new revision.']
    return { title: `Task definition changes (${before} → new revision)`, body: lines.join('\n') }
  }

  private succeeded(text: string): DeployResult {
    return this.result('succeeded', text, 'deployed')
  }

  /** Nothing was deployed (pre-flight failed, the way stayed blocked, creation failed). */
  private notDeployed(text: string): DeployResult {
    this.ctx.journal.update({ phase: 'finished' })
    return this.result('failed', text, 'untouched', 'nothing deployed', text)
  }

  private result(
    status: DeployResult['status'],
    text: string,
    outcome: DeployResult['targets'][number]['outcome'],
    state?: string,
    error?: string
  ): DeployResult {
    const plan = this.plan
    if (plan && status !== 'planned' && !this.sections.some((s) => s.title.startsWith('Task definition changes'))) {
      this.sections.unshift(this.diffSection(plan))
    }
    return {
      status,
      message: text,
      targets: [
        targetReport({
          cluster: this.env.config.cluster,
          service: this.env.config.service,
          previousTaskDefinitionArn: plan?.previousTaskDefinitionArn,
          taskDefinitionArn: this.taskDefinitionArn,
          outcome,
          state,
          error,
          durationMs: this.env.deps.clock.now() - this.start,
          phases: this.phases.phases
        })
      ],
      outputs: { ...this.outputs },
      links: [...this.links],
      sections: [...this.sections]
    }
  }
}
