/** What undoing (or leaving alone) an ECS deployment came to: shared by both ECS strategies. */
import { DescribeTasksCommand, paginateListTasks, type ECSClient } from '@aws-sdk/client-ecs'
import type { TargetOutcome } from '../../types.js'
import { awsMessage } from './errors.js'
import { describeService } from './preflight.js'
import { taskDefinitionLabel } from './task-definition.js'

export interface RollbackOutcome {
  status: 'rolled-back' | 'failed'
  outcome: TargetOutcome
  /**
   * What happened, in one clause: `rolled back by deployment d-R (Succeeded); live task definition web:41`,
   * `ECS rolled back to web:41 (ecs-svc/2 completed); live task definition web:41`.
   */
  summary: string
  /** False when following the rollback was cut short: the post step should carry on. */
  finished: boolean
}

/** DescribeTasks takes at most 100 tasks a call. */
const DESCRIBE_TASKS_LIMIT = 100

/** The task definition ARN of every task of the service that ECS keeps running (desired status RUNNING). */
export async function readRunningTaskDefinitions(ecs: ECSClient, cluster: string, service: string): Promise<string[]> {
  const arns: string[] = []
  const pages = paginateListTasks(
    { client: ecs, pageSize: 100 },
    { cluster, serviceName: service, desiredStatus: 'RUNNING' }
  )
  for await (const page of pages) arns.push(...(page.taskArns ?? []))
  const running: string[] = []
  for (let i = 0; i < arns.length; i += DESCRIBE_TASKS_LIMIT) {
    const tasks = arns.slice(i, i + DESCRIBE_TASKS_LIMIT)
    const out = await ecs.send(new DescribeTasksCommand({ cluster, tasks }))
    for (const task of out.tasks ?? []) {
      if (task.desiredStatus !== 'STOPPED' && task.lastStatus !== 'STOPPED') running.push(task.taskDefinitionArn ?? '?')
    }
  }
  return running
}

/** `web:41 ×2, web:42 ×1`, or `none`. */
function countByRevision(arns: string[]): string {
  const counts = new Map<string, number>()
  for (const arn of arns) counts.set(arn, (counts.get(arn) ?? 0) + 1)
  const parts = [...counts].map(([arn, n]) => `${taskDefinitionLabel(arn) ?? arn} ×${n}`)
  return parts.length ? parts.join(', ') : 'none'
}

/**
 * What runs now: the task definition the service serves with and the revisions its running tasks run, in words.
 * `arn` is set only when they agree: every running task runs the service's task definition, and at least one runs
 * unless the service (its PRIMARY task set, for CodeDeploy services) wants none. A service points at the previous
 * revision as soon as a rollback starts, its tasks only once it has worked.
 */
export async function liveTaskDefinition(
  ecs: ECSClient,
  cluster: string,
  service: string
): Promise<{ arn?: string; text: string }> {
  let pointed: string | undefined
  let desired: number | undefined
  try {
    const found = await describeService(ecs, cluster, service)
    const primary = found.taskSets?.find((t) => t.status === 'PRIMARY')
    pointed = primary?.taskDefinition ?? found.taskDefinition
    desired = primary ? primary.computedDesiredCount : found.desiredCount
  } catch (error) {
    return { text: `could not read the live task definition (${awsMessage(error)})` }
  }
  const live = pointed
    ? `live task definition: ${taskDefinitionLabel(pointed) ?? pointed}`
    : 'live task definition unknown'
  let running: string[]
  try {
    running = await readRunningTaskDefinitions(ecs, cluster, service)
  } catch (error) {
    return { text: `${live}; could not read its running tasks (${awsMessage(error)})` }
  }
  const wantsNone = desired === 0 && running.length === 0
  const text = `${live}; running tasks: ${countByRevision(running)}${wantsNone ? ' (desired count 0)' : ''}`
  if (pointed === undefined || (running.length === 0 && !wantsNone) || running.some((arn) => arn !== pointed)) {
    return { text }
  }
  return { arn: pointed, text }
}

/** Rolled back only when the previous task definition is what runs (see `liveTaskDefinition`). */
export function verdict(
  liveArn: string | undefined,
  previousArn: string | undefined
): Pick<RollbackOutcome, 'status' | 'outcome'> {
  return liveArn !== undefined && liveArn === previousArn
    ? { status: 'rolled-back', outcome: 'rolled-back' }
    : { status: 'failed', outcome: 'failed' }
}

/** The service an outcome is read from. */
export interface RollbackService {
  ecs: ECSClient
  config: { cluster: string; service: string }
}

/**
 * The outcome once what runs is read: `summary`, then the live task definition in words. Rolled back only when
 * `undone` (the undo was seen to its end) and the previous task definition is what runs: a service points at the
 * previous revision as soon as a rollback starts, not when it has succeeded.
 */
export async function outcomeWithLive(
  env: RollbackService,
  previousArn: string | undefined,
  summary: string,
  { finished, undone }: { finished: boolean; undone: boolean }
): Promise<RollbackOutcome> {
  const live = await liveTaskDefinition(env.ecs, env.config.cluster, env.config.service)
  return { ...verdict(undone ? live.arn : undefined, previousArn), summary: `${summary}; ${live.text}`, finished }
}

/**
 * Nothing is changed (`rollback-on-failure: false`, or another deployment took over): `why`, `what` state things
 * are in, and what runs. `undone` when something else (CodeDeploy's own rollback) ended the deployment.
 */
export function describeLeftAlone(
  env: RollbackService,
  previousArn: string | undefined,
  what: string,
  { why = 'not rolled back (rollback-on-failure: false)', undone = false }: { why?: string; undone?: boolean } = {}
): Promise<RollbackOutcome> {
  return outcomeWithLive(env, previousArn, `${why}: ${what}`, { finished: true, undone })
}
