/**
 * The post step's frame every ECS strategy shares: stop a one-off task the main step left, decide from the journal
 * whether a deployment is left to recover, and build the result from what undoing it came to.
 */
import type { OutputName } from '../../constants.js'
import { PhaseRecorder } from '../../phases.js'
import type { DeployResult, Link, RecoverContext } from '../../types.js'
import type { EcsJournal } from './journal.js'
import { stopLeftOneOffTask } from './one-off.js'
import { targetReport } from './report.js'
import type { RollbackOutcome } from './rollback-outcome.js'
import type { EcsRun } from './run-state.js'

export interface Recovery {
  journal: Partial<EcsJournal>
  /** The deployment the main step left (its id or ARN, as the strategy journals it). */
  id: string
  start: number
  phases: PhaseRecorder
}

/**
 * Stops a one-off task left running, then reads the journal: undefined when there is no deployment (`deploymentOf`)
 * or nothing left of it to recover (finished, or only registered).
 */
export async function beginRecovery(
  env: EcsRun,
  ctx: RecoverContext<EcsJournal>,
  deploymentOf: (journal: Partial<EcsJournal>) => string | undefined
): Promise<Recovery | undefined> {
  await stopLeftOneOffTask(env.ecs, env.config.cluster, ctx.journal, env.deps.log)
  const journal = ctx.journal.read()
  const id = deploymentOf(journal)
  if (!id || journal.phase === 'finished' || journal.phase === 'registered') return undefined
  return { journal, id, start: env.deps.clock.now(), phases: new PhaseRecorder(env.deps.clock) }
}

/** The post step's result for `outcome`; a finished outcome finishes the journal (running the post again is a no-op). */
export function recoveryResult(
  env: EcsRun,
  ctx: RecoverContext<EcsJournal>,
  recovery: Recovery,
  done: { outcome: RollbackOutcome; message: string; outputs: Partial<Record<OutputName, string>>; link: Link }
): DeployResult {
  const { outcome } = done
  if (outcome.finished) ctx.journal.update({ phase: 'finished' })
  return {
    status: outcome.status,
    message: done.message,
    targets: [
      targetReport({
        cluster: env.config.cluster,
        service: env.config.service,
        previousTaskDefinitionArn: recovery.journal.previousTaskDefinitionArn,
        taskDefinitionArn: recovery.journal.taskDefinitionArn,
        outcome: outcome.outcome,
        state: outcome.summary,
        durationMs: env.deps.clock.now() - recovery.start,
        phases: recovery.phases.list
      })
    ],
    outputs: done.outputs,
    links: [done.link]
  }
}
