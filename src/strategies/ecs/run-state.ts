/**
 * The run skeleton both ECS strategies share: what one deploy keeps as it goes (phases, outputs, links, summary
 * sections, the plan and the task definition being deployed), the pre-flight group, the registration, the failure
 * explanation, and the `DeployResult` built from all of it.
 */
import type { ECSClient } from '@aws-sdk/client-ecs'
import type { EcsCommonConfig } from './config.js'
import { Inputs, type OutputName } from '../../constants.js'
import type { Deps } from '../../deps.js'
import { deadlineAfter } from '../../poll.js'
import type { DeployResult, Link, RunContext, TargetOutcome } from '../../types.js'
import { explainFailure, gatherDiagnostics } from './explain.js'
import type { EcsJournal } from './journal.js'
import { preflightService, type EcsPlan, type EcsStrategyName } from './preflight.js'
import { targetReport } from './report.js'
import { PhaseRecorder } from '../../phases.js'
import type { RollbackOutcome } from './rollback-outcome.js'
import { registerTaskDefinition } from './service.js'
import { selectContainer, taskDefinitionLabel } from './task-definition.js'
import { runOneOffTask } from './one-off.js'
import { pollOptions } from './poll.js'
import type { PreviousResolver } from './rollback-target.js'
import { errorMessage } from '../../error-message.js'

/** What the shared steps need of a strategy's environment (both `BlueGreenRun` and `RollingRun` have it). */
export interface EcsRun {
  config: EcsCommonConfig
  deps: Deps
  ecs: ECSClient
  intervalMs: number
}

export interface SummarySection {
  title: string
  body: string
}

/** What differs between the strategies in the shared steps. */
export interface EcsRunOptions {
  strategy: EcsStrategyName
  /** The task definition changes; the first summary section of every result once pre-flight has planned. */
  changesSection(plan: EcsPlan): SummarySection
  /** Resolves `rollback-to: previous` from this path's history. */
  previous: PreviousResolver
}

/**
 * The task definition changes when a new revision is always registered (the blue/green strategies), even for the
 * same content, unless `task-definition` names a registered one.
 */
export function newRevisionChangesSection(plan: EcsPlan): SummarySection {
  const before = taskDefinitionLabel(plan.previousTaskDefinitionArn)
  const registered = taskDefinitionLabel(plan.registeredArn)
  const lines = plan.diff.length
    ? plan.diff.map((l) => `- ${l}`)
    : [
        `No changes: ${registered ? `${registered} holds the live content` : 'the same content is registered as a new revision'}.`
      ]
  const after = registered ? `${registered}, as registered` : 'new revision'
  return { title: `Task definition changes (${before} → ${after})`, body: lines.join('\n') }
}

/** The strategy's part of a run, called by `EcsRunState.execute`. */
export interface EcsRunSteps {
  /** The strategy's own pre-flight checks, after the service checks both strategies share. */
  check(plan: EcsPlan): Promise<void> | void
  /** The dry-run result. */
  planned(plan: EcsPlan): DeployResult
  /** Everything after pre-flight (and after `settle`). */
  deploy(plan: EcsPlan): Promise<DeployResult>
  /**
   * A deployment found in progress at pre-flight (`needed`): `run` waits for (or stops) it and says why nothing can
   * be deployed, if so. Pre-flight then runs again: the other deployment may have changed the live task definition.
   */
  settle?: { needed(): boolean; run(): Promise<string | undefined> }
}

/** The state of one ECS deploy run, and the steps both ECS strategies take the same way. */
export class EcsRunState {
  readonly phases: PhaseRecorder
  readonly start: number
  /** When `timeout-minutes` from the start runs out. */
  readonly deadline: number
  readonly links: Link[] = []
  readonly sections: SummarySection[] = []
  /** What the latest pre-flight planned. */
  plan: EcsPlan | undefined
  /** The task definition being deployed, once registered (or reused). */
  taskDefinitionArn: string | undefined
  /** The container `pre-deploy-command` runs in, chosen at pre-flight. */
  private oneOffContainer: string | undefined
  private readonly outputs: Partial<Record<OutputName, string>> = {}

  constructor(
    private readonly env: EcsRun,
    private readonly ctx: RunContext<EcsJournal>,
    private readonly options: EcsRunOptions
  ) {
    this.phases = new PhaseRecorder(env.deps.clock)
    this.start = env.deps.clock.now()
    this.deadline = deadlineAfter(this.start, env.config.timeoutMinutes)
  }

  /** `<cluster>/<service>` as the user gave them. */
  get label(): string {
    return `${this.env.config.cluster}/${this.env.config.service}`
  }

  /** Publishes an output now and keeps it for the result. */
  output(name: OutputName, value: string): void {
    this.outputs[name] = value
    this.ctx.setOutput(name, value)
  }

  /**
   * Pre-flight → (a dry run stops here) → `steps.settle` → `steps.deploy`. A failed pre-flight, or a job
   * cancelled before anything was deployed, ends the run with nothing deployed.
   */
  async execute(steps: EcsRunSteps): Promise<DeployResult> {
    let plan: EcsPlan
    try {
      plan = await this.preflight(steps.check)
    } catch (error) {
      return this.notDeployed(errorMessage(error))
    }
    if (plan.rollback && plan.registeredArn === plan.previousTaskDefinitionArn) return this.alreadyLive(plan)
    if (this.env.config.dryRun) {
      const planned = steps.planned(plan)
      if (!this.env.config.preDeployCommand) return planned
      return { ...planned, message: `${planned.message}, after a one-off task that runs ${Inputs.preDeployCommand}` }
    }
    if (this.ctx.signal.aborted) return this.notDeployed('The job was cancelled before anything was deployed')
    if (steps.settle?.needed()) {
      try {
        const blocked = await steps.settle.run()
        if (blocked) return this.notDeployed(blocked)
        plan = await this.preflight(steps.check, true)
      } catch (error) {
        return this.notDeployed(errorMessage(error))
      }
    }
    return steps.deploy(plan)
  }

  /** The pre-flight group: the service and the task definition to register, then the strategy's `check`. */
  async preflight(check: EcsRunSteps['check'], again = false): Promise<EcsPlan> {
    const title = `Pre-flight ecs service ${this.label}${again ? ' again' : ''}`
    return this.env.deps.log.group(title, () =>
      this.phases.run('preflight', async () => {
        const { config, deps, ecs } = this.env
        const plan = await preflightService(ecs, config, this.options.strategy, this.ctx.signal, this.options.previous)
        this.plan = plan
        this.output('previous-task-definition-arn', plan.previousTaskDefinitionArn)
        deps.log.info(
          `Service ${this.label}: ${plan.service.runningCount ?? 0}/${plan.service.desiredCount ?? 0} tasks running ${taskDefinitionLabel(plan.previousTaskDefinitionArn)}`
        )
        if (plan.rollback) {
          deps.log.info(`Rollback: ${this.rollbackLabel(plan)} (${plan.rollback.evidence}), deployed as registered`)
        } else if (plan.registeredArn) {
          deps.log.info(`Task definition ${taskDefinitionLabel(plan.registeredArn)}: deployed as registered`)
        } else {
          deps.log.info(`Image ${config.image?.ref ?? ''} → container '${plan.containerName ?? ''}'`)
        }
        for (const line of plan.diff) deps.log.info(`  ${line}`)
        // An ambiguous container fails here, before anything is registered.
        if (config.preDeployCommand)
          this.oneOffContainer = selectContainer(plan.taskDefinition, config.containerName ?? plan.containerName)
        await check(plan)
        return plan
      })
    )
  }

  /**
   * The task definition to deploy: the registered revision `task-definition` named, as it is, or the planned one
   * registered in its own group.
   */
  async registerTaskDefinition(plan: EcsPlan): Promise<string> {
    const { deps, ecs } = this.env
    if (plan.registeredArn) {
      deps.log.info(`Deploying ${plan.registeredArn} as registered: no new revision`)
      this.useTaskDefinition(plan, plan.registeredArn)
      return plan.registeredArn
    }
    const arn = await deps.log.group('Register task definition', () =>
      this.phases.run('register', async () => {
        const registered = await registerTaskDefinition(ecs, plan.taskDefinition)
        deps.log.info(`Registered ${registered}`)
        return registered
      })
    )
    this.useTaskDefinition(plan, arn)
    return arn
  }

  /**
   * `pre-deploy-command`, when given: `arn` runs once as a one-off task; throws (nothing deployed) unless its
   * container exits 0.
   */
  async runPreDeployTask(plan: EcsPlan, arn: string): Promise<void> {
    const { config, deps, ecs } = this.env
    const command = config.preDeployCommand
    if (!command || !this.oneOffContainer) return
    const task = {
      cluster: config.cluster,
      region: config.region,
      service: plan.service,
      taskDefinitionArn: arn,
      taskDefinition: plan.taskDefinition,
      containerName: this.oneOffContainer,
      command
    }
    await deps.log.group(`One-off task: ${Inputs.preDeployCommand} in ${taskDefinitionLabel(arn) ?? arn}`, () =>
      this.phases.run('pre-deploy-task', () =>
        runOneOffTask(ecs, task, pollOptions(this.env, this.deadline, this.ctx.signal), this.ctx.journal)
      )
    )
  }

  /** From now on `arn` is the task definition being deployed: output and journal say so. */
  useTaskDefinition(plan: EcsPlan, arn: string): void {
    this.taskDefinitionArn = arn
    this.output('task-definition-arn', arn)
    this.ctx.journal.update({
      phase: 'registered',
      taskDefinitionArn: arn,
      previousTaskDefinitionArn: plan.previousTaskDefinitionArn,
      startedAt: this.start
    })
  }

  /**
   * Explains why deployment `deploymentId` did not succeed (`headline`, `details`, the service's diagnostics), runs
   * `undo`, and returns the failed or rolled-back result.
   */
  async concludeFailure(failure: {
    deploymentId: string
    headline: string
    details?: string[]
    cancelled: boolean
    undo: () => Promise<RollbackOutcome>
  }): Promise<DeployResult> {
    const { config, deps, ecs } = this.env
    const { deploymentId, headline, details, cancelled, undo } = failure
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
      const explained = explainFailure({ headline, details: details ?? [], diagnostics })
      for (const line of explained.lines) deps.log.info(line)
      return explained
    })
    const outcome = early ?? (await undo())
    if (outcome.finished) this.ctx.journal.update({ phase: 'finished' })
    this.sections.push({ title: 'Why the deployment failed', body: explanation.body })
    const text = `${explanation.message}. ${outcome.summary.charAt(0).toUpperCase()}${outcome.summary.slice(1)}`
    return this.result(outcome.status, text, outcome.outcome, outcome.summary, explanation.message)
  }

  /** `live → target` of a rollback, as `family:revision`. */
  rollbackLabel(plan: EcsPlan): string {
    return `${taskDefinitionLabel(plan.previousTaskDefinitionArn) ?? '?'} → ${taskDefinitionLabel(plan.registeredArn) ?? '?'}`
  }

  /**
   * `rollback-to` names the revision the service already runs: nothing to do, and nothing is done (no forced
   * redeploy), so running the same rollback twice succeeds both times.
   */
  private alreadyLive(plan: EcsPlan): DeployResult {
    const live = taskDefinitionLabel(plan.previousTaskDefinitionArn) ?? plan.previousTaskDefinitionArn
    this.ctx.journal.update({ phase: 'finished' })
    this.output('task-definition-arn', plan.previousTaskDefinitionArn)
    this.taskDefinitionArn = plan.previousTaskDefinitionArn
    const text = `${this.label} already runs ${live}: nothing to roll back, nothing was changed`
    this.env.deps.log.info(text)
    return this.result(this.env.config.dryRun ? 'planned' : 'succeeded', text, 'untouched', `already on ${live}`)
  }

  /** Nothing was deployed (pre-flight failed, the way stayed blocked, registration or creation failed). */
  notDeployed(text: string): DeployResult {
    this.ctx.journal.update({ phase: 'finished' })
    return this.result('failed', text, 'untouched', 'nothing deployed', text)
  }

  /** The result of the run so far: one target, the outputs, links and sections, the changes section first. */
  result(
    status: DeployResult['status'],
    text: string,
    outcome: TargetOutcome,
    state?: string,
    error?: string
  ): DeployResult {
    const plan = this.plan
    const sections = plan ? [this.options.changesSection(plan), ...this.sections] : [...this.sections]
    let message = text
    if (plan?.rollback) {
      sections.unshift({
        title: `Rollback (${this.rollbackLabel(plan)})`,
        body: `Rolling back from ${taskDefinitionLabel(plan.previousTaskDefinitionArn) ?? '?'} (live) to ${taskDefinitionLabel(plan.registeredArn) ?? '?'}: ${plan.rollback.evidence}.`
      })
      if (status === 'succeeded' && outcome === 'deployed') {
        const to = taskDefinitionLabel(plan.registeredArn) ?? '?'
        state ??= `rolled back to ${to}`
        message = `Rolled back ${this.label} to ${to} (from ${taskDefinitionLabel(plan.previousTaskDefinitionArn) ?? '?'}): ${text.charAt(0).toLowerCase()}${text.slice(1)}`
      }
    }
    return {
      status,
      message,
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
          phases: this.phases.list
        })
      ],
      outputs: { ...this.outputs },
      links: [...this.links],
      sections
    }
  }
}
