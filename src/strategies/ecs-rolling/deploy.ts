/**
 * One rolling deploy: pre-flight → (dry-run stops here) → register the task definition → UpdateService → follow
 * *our* deployment (streaming service events) → on failure explain it; ECS's circuit breaker may have rolled back
 * already, else (and on timeout or cancellation) update the service back to the previous task definition.
 */
import type { OutputName } from '../../constants.js'
import type { DeployResult, Link, RunContext, TargetOutcome } from '../../types.js'
import { explainFailure, gatherDiagnostics } from '../ecs/explain.js'
import type { EcsJournal } from '../ecs/journal.js'
import { preflightService, type EcsPlan } from '../ecs/preflight.js'
import { PhaseRecorder, ecsServiceUrl, targetReport } from '../ecs/report.js'
import { registerTaskDefinition } from '../ecs/service.js'
import { taskDefinitionLabel } from '../ecs/task-definition.js'
import { pollOptions, type RollingEnv } from './env.js'
import { describeLeftAlone, followEcsRollback, rollBackService, type RollbackOutcome } from './rollback.js'
import { followRollout, updateService, type FollowResult } from './rollout.js'

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

type Followed = FollowResult['outcome'] | { kind: 'error'; error: unknown }

export class RollingDeploy {
  private readonly phases: PhaseRecorder
  private readonly start: number
  private readonly deadline: number
  private readonly outputs: Partial<Record<OutputName, string>> = {}
  private readonly links: Link[] = []
  private readonly sections: { title: string; body: string }[] = []
  private plan: EcsPlan | undefined
  private taskDefinitionArn: string | undefined

  constructor(
    private readonly env: RollingEnv,
    private readonly ctx: RunContext<EcsJournal>
  ) {
    this.phases = new PhaseRecorder(env.deps.clock)
    this.start = env.deps.clock.now()
    this.deadline = this.start + env.config.timeoutMinutes * 60_000
    this.links.push({
      title: `ECS service ${env.config.cluster}/${env.config.service}`,
      url: ecsServiceUrl(env.config.region, env.config.cluster, env.config.service)
    })
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
    if (config.dryRun) {
      return this.result(
        'planned',
        `Dry run: would register a new revision of ${String(plan.taskDefinition.family)} with ${config.image.ref} and roll it out to ${this.label}`,
        'planned'
      )
    }
    if (this.ctx.signal.aborted) return this.notDeployed('The job was cancelled before anything was deployed')

    let deploymentId: string
    try {
      deploymentId = await this.registerAndUpdate(plan)
    } catch (error) {
      return this.notDeployed(message(error))
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
            since: this.start,
            label: 'Deployment'
          },
          pollOptions(this.env, this.deadline, this.ctx.signal)
        )
      )
      followed = result.outcome
    } catch (error) {
      followed = { kind: 'error', error }
    }
    if (followed.kind === 'done' && followed.value.kind === 'completed') {
      this.ctx.journal.update({ phase: 'finished' })
      return this.result(
        'succeeded',
        `Deployed ${taskDefinitionLabel(this.taskDefinitionArn)} to ${this.label} (ECS deployment ${deploymentId})`,
        'deployed'
      )
    }
    return this.handleFailure(deploymentId, followed)
  }

  private async preflight(): Promise<EcsPlan> {
    const { config, deps, ecs } = this.env
    const plan = await preflightService(ecs, config, 'ecs-rolling', this.ctx.signal)
    this.plan = plan
    this.output('previous-task-definition-arn', plan.previousTaskDefinitionArn)
    const { service } = plan
    deps.log.info(
      `Service ${this.label}: ${service.runningCount ?? 0}/${service.desiredCount ?? 0} tasks running ${taskDefinitionLabel(plan.previousTaskDefinitionArn)}`
    )
    deps.log.info(`Image ${config.image.ref} → container '${plan.containerName}'`)
    for (const line of plan.diff) deps.log.info(`  ${line}`)
    const breaker = service.deploymentConfiguration?.deploymentCircuitBreaker
    if (!breaker?.enable) {
      deps.log.warning(
        `The deployment circuit breaker of ${this.label} is off: tasks that fail to start are only noticed at the timeout (${config.timeoutMinutes} min)`
      )
    }
    return plan
  }

  private async registerAndUpdate(plan: EcsPlan): Promise<string> {
    const { config, deps, ecs } = this.env
    // Same content as the live revision: redeploy that revision (forced) instead of growing the family.
    const unchanged = plan.diff.length === 0
    const arn = unchanged
      ? plan.previousTaskDefinitionArn
      : await deps.log.group('Register task definition', () =>
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
    const deploymentId = await deps.log.group(`Update service ${this.label}`, () =>
      this.phases.run('update-service', async () => {
        if (arn === plan.previousTaskDefinitionArn) {
          deps.log.info('The task definition is unchanged: forcing a new deployment')
        }
        return updateService(ecs, config.cluster, config.service, arn, plan.previousTaskDefinitionArn)
      })
    )
    this.ctx.journal.update({ phase: 'deploying', ecsDeploymentId: deploymentId })
    this.output('deployment-id', deploymentId)
    this.output('console-url', ecsServiceUrl(config.region, config.cluster, config.service))
    deps.log.info(`Started ECS deployment ${deploymentId}`)
    return deploymentId
  }

  private async handleFailure(deploymentId: string, followed: Followed): Promise<DeployResult> {
    const { config, deps, ecs } = this.env
    const previousArn = this.plan?.previousTaskDefinitionArn
    const cancelled = followed.kind === 'cancelled'
    let headline: string
    let ecsRollback: string | undefined
    let replacedBy: string | undefined
    if (followed.kind === 'done') {
      const verdict = followed.value
      headline = verdict.kind === 'failed' ? verdict.reason : `ECS deployment ${deploymentId} failed`
      if (verdict.kind === 'failed') ({ rolledBackTo: ecsRollback, replacedBy } = verdict)
    } else if (followed.kind === 'timeout') {
      headline = `ECS deployment ${deploymentId} did not complete within ${config.timeoutMinutes} min`
    } else if (followed.kind === 'cancelled') {
      headline = `The job was cancelled while ECS deployment ${deploymentId} was in progress`
    } else {
      headline = message(followed.error)
    }

    const undo = async (): Promise<RollbackOutcome> => {
      if (ecsRollback) {
        const id = ecsRollback
        return deps.log.group(`Follow ECS rollback ${id}`, () =>
          this.phases.run('rollback', () =>
            followEcsRollback(this.env, id, previousArn, cancelled ? undefined : this.ctx.signal)
          )
        )
      }
      // Someone else deployed meanwhile: rolling back would undo their deployment, not ours.
      if (replacedBy)
        return describeLeftAlone(this.env, previousArn, headline, 'not rolled back (a newer deployment took over)')
      if (!config.rollbackOnFailure) return describeLeftAlone(this.env, previousArn, headline)
      this.ctx.journal.update({ phase: 'rolling-back' })
      return deps.log.group(`Roll back ${this.label}`, () =>
        this.phases.run('rollback', () =>
          rollBackService(
            this.env,
            this.ctx.journal,
            previousArn,
            this.taskDefinitionArn,
            cancelled ? undefined : this.ctx.signal
          )
        )
      )
    }
    // On cancellation the runner allows only seconds: the rollback is started before anything else.
    const early = cancelled ? await undo() : undefined
    const explanation = await deps.log.group(`Why deployment ${deploymentId} did not succeed`, async () => {
      const diagnostics = cancelled
        ? { events: [], stoppedTasks: [], notes: [] }
        : await gatherDiagnostics(ecs, {
            cluster: config.cluster,
            service: config.service,
            taskDefinitionArn: this.taskDefinitionArn,
            since: this.start
          })
      const explained = explainFailure({ headline, diagnostics })
      for (const line of explained.lines) deps.log.info(line)
      return explained
    })
    const outcome = early ?? (await undo())
    if (outcome.finished) this.ctx.journal.update({ phase: 'finished' })
    this.sections.push({ title: 'Why the deployment failed', body: explanation.body })
    const text = `${explanation.message}. ${outcome.summary.charAt(0).toUpperCase()}${outcome.summary.slice(1)}`
    return this.result(outcome.status, text, outcome.outcome, outcome.summary, explanation.message)
  }

  /** Nothing was deployed (pre-flight, registration or UpdateService failed). */
  private notDeployed(text: string): DeployResult {
    this.ctx.journal.update({ phase: 'finished' })
    return this.result('failed', text, 'untouched', 'nothing deployed', text)
  }

  private result(
    status: DeployResult['status'],
    text: string,
    outcome: TargetOutcome,
    state?: string,
    error?: string
  ): DeployResult {
    const plan = this.plan
    const sections = [...this.sections]
    if (plan) {
      const lines = plan.diff.length
        ? plan.diff.map((l) => `- ${l}`)
        : ['No changes: the live revision is redeployed (forced new deployment).']
      sections.unshift({
        title: `Task definition changes (${taskDefinitionLabel(plan.previousTaskDefinitionArn)} → ${plan.diff.length ? 'new revision' : 'same revision'})`,
        body: lines.join('\n')
      })
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
      sections
    }
  }
}
