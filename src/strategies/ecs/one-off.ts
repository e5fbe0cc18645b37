/**
 * `pre-deploy-command` on ECS: the new task definition runs once as a one-off task (RunTask) with the command as
 * the container's command, where the service runs its tasks; the deploy goes on only when that container exits 0.
 */
import {
  DescribeTasksCommand,
  RunTaskCommand,
  StopTaskCommand,
  type ECSClient,
  type RunTaskCommandInput,
  type Service,
  type Task
} from '@aws-sdk/client-ecs'
import { Inputs } from '../../constants.js'
import { toPlainLogText } from '../../log-text.js'
import { withSignal } from './clients.js'
import { awsMessage } from './errors.js'
import type { EcsJournal } from './journal.js'
import type { Journal, Logger } from '../../types.js'
import { pollUntil, type PollOptions } from './poll.js'
import { consoleUrl } from './report.js'
import type { TaskDefinitionDocument } from './task-definition.js'

/** RunTask's `startedBy`: how the task is found in the console and in ListTasks. */
export const ONE_OFF_STARTED_BY = 'deploy-action/pre-deploy'

export interface OneOffTask {
  cluster: string
  region: string
  service: Service
  taskDefinitionArn: string
  /** The registered content of `taskDefinitionArn` (for its log configuration). */
  taskDefinition: TaskDefinitionDocument
  containerName: string
  command: string
}

/**
 * The container's command: the input is one shell command line, as on the hosts of ssh-rolling, so it runs under
 * `sh -c` (pipes, `&&`, quoting work); an image without `sh` needs its entrypoint to take the command instead.
 */
export function oneOffCommand(command: string): string[] {
  return ['sh', '-c', command]
}

/** RunTask's input: the service's network configuration and its capacity provider strategy or launch type. */
export function runTaskInput(task: OneOffTask): RunTaskCommandInput {
  const { service } = task
  const input: RunTaskCommandInput = {
    cluster: task.cluster,
    taskDefinition: task.taskDefinitionArn,
    count: 1,
    startedBy: ONE_OFF_STARTED_BY,
    overrides: { containerOverrides: [{ name: task.containerName, command: oneOffCommand(task.command) }] }
  }
  if (service.networkConfiguration) input.networkConfiguration = service.networkConfiguration
  // A capacity provider strategy or a launch type, never both (RunTask rejects the pair).
  if (service.capacityProviderStrategy?.length) input.capacityProviderStrategy = service.capacityProviderStrategy
  else if (service.launchType) input.launchType = service.launchType
  if (service.platformVersion) input.platformVersion = service.platformVersion
  return input
}

/** The CloudWatch Logs console page of the container's stream, from its `awslogs` options; undefined without them. */
export function oneOffLogUrl(task: OneOffTask, taskArn: string): string | undefined {
  const containers = (task.taskDefinition.containerDefinitions as Record<string, unknown>[] | undefined) ?? []
  const container = containers.find((c) => c.name === task.containerName)
  const logging = container?.logConfiguration as { logDriver?: string; options?: Record<string, string> } | undefined
  const group = logging?.options?.['awslogs-group']
  const prefix = logging?.options?.['awslogs-stream-prefix']
  // Without a prefix awslogs names the stream after the container id, which the task does not report.
  if (logging?.logDriver !== 'awslogs' || !group || !prefix) return undefined
  const region = logging.options?.['awslogs-region'] ?? task.region
  const taskId = taskArn.slice(taskArn.lastIndexOf('/') + 1)
  // The console's fragment escapes twice, with `$` for `%`.
  const escape = (s: string): string => encodeURIComponent(encodeURIComponent(s)).replace(/%/g, '$')
  const stream = `${prefix}/${task.containerName}/${taskId}`
  return `${consoleUrl(region, '/cloudwatch/home')}#logsV2:log-groups/log-group/${escape(group)}/log-events/${escape(stream)}`
}

/**
 * Runs the one-off task and waits for it to stop within the poll deadline. Resolves when the container exited 0;
 * otherwise throws one message with the exit code, the stop reason and the log link. A timeout or a cancelled job
 * stops the task first.
 */
export async function runOneOffTask(
  ecs: ECSClient,
  task: OneOffTask,
  poll: PollOptions,
  journal: Journal<EcsJournal>
): Promise<void> {
  const { log } = poll
  let started: Task | undefined
  try {
    const out = await ecs.send(new RunTaskCommand(runTaskInput(task)), withSignal(poll.signal))
    started = out.tasks?.[0]
    if (!started?.taskArn) {
      const failure = out.failures?.[0]
      throw new Error(`${failure?.reason ?? 'no task started'}${failure?.detail ? ` (${failure.detail})` : ''}`)
    }
  } catch (error) {
    throw new Error(`Could not run the '${Inputs.preDeployCommand}' task: ${awsMessage(error)}`, { cause: error })
  }
  const taskArn = started.taskArn
  // Journaled at once: a main step cut short leaves the post step a task to stop.
  journal.update({ oneOffTaskArn: taskArn })
  const taskId = taskArn.slice(taskArn.lastIndexOf('/') + 1)
  const logUrl = oneOffLogUrl(task, taskArn)
  log.info(`Started one-off task ${taskId} (${task.containerName}: sh -c '…')`)
  if (logUrl) log.info(`Logs: ${logUrl}`)
  let lastStatus = started.lastStatus
  const outcome = await pollUntil(poll, `Could not read one-off task ${taskId}`, async () => {
    const out = await ecs.send(new DescribeTasksCommand({ cluster: task.cluster, tasks: [taskArn] }))
    const current = out.tasks?.[0]
    if (!current) return undefined
    if (current.lastStatus !== lastStatus) log.info(`One-off task ${taskId}: ${current.lastStatus ?? 'unknown'}`)
    lastStatus = current.lastStatus
    return current.lastStatus === 'STOPPED' ? current : undefined
  })
  const logs = logUrl ? `; logs: ${logUrl}` : ''
  if (outcome.kind !== 'done') {
    const why = outcome.kind === 'cancelled' ? 'the job was cancelled' : 'it did not stop within the timeout'
    await ecs
      .send(new StopTaskCommand({ cluster: task.cluster, task: taskArn, reason: `Deploy stopped: ${why}` }))
      .then(() => log.info(`Stopped one-off task ${taskId}`))
      .catch((error: unknown) => log.warning(`Could not stop one-off task ${taskId}: ${awsMessage(error)}`))
    throw new Error(`One-off task ${taskId} (${Inputs.preDeployCommand}) was stopped: ${why}${logs}`)
  }
  const stopped = outcome.value
  const container = stopped.containers?.find((c) => c.name === task.containerName)
  const reason = toPlainLogText(stopped.stoppedReason ?? 'no stop reason')
  if (container?.exitCode === 0) {
    log.info(`One-off task ${taskId}: '${task.containerName}' exited 0 (${reason})`)
    return
  }
  const exit = container?.exitCode === undefined ? 'no exit code' : `exit code ${container.exitCode}`
  const detail = container?.reason ? `, ${toPlainLogText(container.reason)}` : ''
  throw new Error(
    `One-off task ${taskId} (${Inputs.preDeployCommand}) failed: '${task.containerName}' ended with ${exit}${detail} (${reason})${logs}`
  )
}

/**
 * The post step: a main step cut short before the deploy may have left its one-off task running (the phase is
 * still `registered`): stop it, and the run is finished (nothing was deployed). Running this twice is safe.
 */
export async function stopLeftOneOffTask(
  ecs: ECSClient,
  cluster: string,
  journal: Journal<EcsJournal>,
  log: Logger
): Promise<void> {
  const { oneOffTaskArn: taskArn, phase } = journal.read()
  if (!taskArn || phase !== 'registered') return
  const taskId = taskArn.slice(taskArn.lastIndexOf('/') + 1)
  try {
    const out = await ecs.send(
      new StopTaskCommand({ cluster, task: taskArn, reason: 'Deploy stopped: the main step ended' })
    )
    journal.update({ phase: 'finished' })
    if (out.task?.stopCode === 'UserInitiated') {
      log.warning(
        `Stopped one-off task ${taskId} (${Inputs.preDeployCommand}), left running by the main step; nothing was deployed`
      )
    }
  } catch (error) {
    log.warning(`Could not stop one-off task ${taskId}: ${awsMessage(error)}`)
  }
}
