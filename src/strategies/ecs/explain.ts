/**
 * Why a deployment failed, in the user's words: the CodeDeploy error and failed lifecycle event (or the ECS
 * rollout reason), the newest service events and the stop reasons of the new task definition's tasks.
 */
import type { DeploymentInfo, LifecycleEvent } from '@aws-sdk/client-codedeploy'
import {
  DescribeServicesCommand,
  DescribeTasksCommand,
  ListTasksCommand,
  type ECSClient,
  type ServiceEvent,
  type Task
} from '@aws-sdk/client-ecs'
import { awsMessage } from './errors.js'
import { withSignal } from './clients.js'

/** How many service events and stopped tasks an explanation shows. */
export const EXPLAIN_LIMIT = 5

export interface Diagnostics {
  /** Service events since the deployment started, newest first. */
  events: ServiceEvent[]
  /** Stopped tasks of the new task definition, most recently stopped first. */
  stoppedTasks: Task[]
  /** What could not be read (missing permissions, throttling): said, never fatal. */
  notes: string[]
}

export interface DiagnosticsQuery {
  cluster: string
  service: string
  taskDefinitionArn: string | undefined
  /** Only events and stopped tasks at or after this time (ms since epoch). */
  since: number
}

/** The newest service events since `since`, newest first (DescribeServices returns them that way). */
export async function readServiceEvents(
  ecs: ECSClient,
  cluster: string,
  service: string,
  since: number,
  signal?: AbortSignal
): Promise<ServiceEvent[]> {
  const out = await ecs.send(new DescribeServicesCommand({ cluster, services: [service] }), withSignal(signal))
  const events = out.services?.[0]?.events ?? []
  return events.filter((e) => (e.createdAt?.getTime() ?? 0) >= since)
}

/** Tasks of the service that ran `taskDefinitionArn` and stopped at or after `since`, most recently stopped first. */
export async function readStoppedTasks(
  ecs: ECSClient,
  cluster: string,
  service: string,
  taskDefinitionArn: string,
  since: number,
  signal?: AbortSignal
): Promise<Task[]> {
  const listed = await ecs.send(
    new ListTasksCommand({ cluster, serviceName: service, desiredStatus: 'STOPPED', maxResults: 100 }),
    withSignal(signal)
  )
  const arns = listed.taskArns ?? []
  if (arns.length === 0) return []
  const described = await ecs.send(new DescribeTasksCommand({ cluster, tasks: arns }), withSignal(signal))
  return (described.tasks ?? [])
    .filter((t) => t.taskDefinitionArn === taskDefinitionArn && (t.stoppedAt?.getTime() ?? since) >= since)
    .sort((a, b) => (b.stoppedAt?.getTime() ?? 0) - (a.stoppedAt?.getTime() ?? 0))
}

/** Service events and stopped tasks; a read that fails becomes a note instead of an error. */
export async function gatherDiagnostics(
  ecs: ECSClient,
  query: DiagnosticsQuery,
  signal?: AbortSignal
): Promise<Diagnostics> {
  const result: Diagnostics = { events: [], stoppedTasks: [], notes: [] }
  try {
    result.events = (await readServiceEvents(ecs, query.cluster, query.service, query.since, signal)).slice(
      0,
      EXPLAIN_LIMIT
    )
  } catch (error) {
    result.notes.push(`Could not read service events: ${awsMessage(error)}`)
  }
  if (query.taskDefinitionArn) {
    try {
      result.stoppedTasks = (
        await readStoppedTasks(ecs, query.cluster, query.service, query.taskDefinitionArn, query.since, signal)
      ).slice(0, EXPLAIN_LIMIT)
    } catch (error) {
      result.notes.push(`Could not read stopped tasks: ${awsMessage(error)}`)
    }
  }
  return result
}

/** One stopped task in one line: its stop reason, then each container that exited non-zero or has a reason. */
export function describeStoppedTask(task: Task): string {
  const parts: string[] = [task.stoppedReason ?? task.stopCode ?? 'stopped']
  for (const c of task.containers ?? []) {
    const bits: string[] = []
    if (c.exitCode !== undefined && c.exitCode !== 0) bits.push(`exit code ${c.exitCode}`)
    if (c.reason) bits.push(c.reason)
    if (bits.length) parts.push(`container ${c.name ?? '?'}: ${bits.join(', ')}`)
  }
  return parts.join('; ')
}

function taskId(task: Task): string {
  return task.taskArn?.split('/').pop() ?? '?'
}

function time(date: Date | undefined): string {
  return date ? date.toISOString().replace(/\.\d{3}Z$/, 'Z') : '?'
}

/** The first line of a CodeDeploy failure: status, failed lifecycle event, error code and message. */
export function codeDeployHeadline(deploymentId: string, info: DeploymentInfo, lifecycle: LifecycleEvent[]): string {
  const verb = info.status === 'Stopped' ? 'was stopped' : 'failed'
  const failedEvent = lifecycle.find((e) => e.status === 'Failed')
  const at = failedEvent?.lifecycleEventName ? ` at ${failedEvent.lifecycleEventName}` : ''
  const error = info.errorInformation
  const reason = error ? `: ${[error.code, error.message].filter(Boolean).join(': ')}` : ''
  return `Deployment ${deploymentId} ${verb}${at}${reason}`
}

export interface Explanation {
  /** One line for the result message and the error annotation. */
  message: string
  /** Markdown for the job summary. */
  body: string
  /** Lines for the log. */
  lines: string[]
}

export interface ExplainInput {
  headline: string
  /** Extra facts under the headline (lifecycle diagnostics, deploymentStatusMessages, rollout reason). */
  details?: string[]
  diagnostics: Diagnostics
}

/** Puts the facts together: headline + first stopped task reason on one line; everything in the body and the log. */
export function explainFailure(input: ExplainInput): Explanation {
  const { headline, details = [], diagnostics } = input
  const firstTask = diagnostics.stoppedTasks[0]
  // No trailing period: callers append to the message (`…; task stopped: …`, `…. Rolled back …`).
  const bare = headline.replace(/\.+$/, '')
  const message = (firstTask ? `${bare}; task stopped: ${describeStoppedTask(firstTask)}` : bare).replace(/\.+$/, '')
  const lines: string[] = [headline, ...details.map((d) => `  ${d}`)]
  const body: string[] = [`**${escapeMarkdown(headline)}**`, '']
  if (details.length) body.push(...details.map((d) => `- ${escapeMarkdown(d)}`), '')
  if (diagnostics.stoppedTasks.length) {
    lines.push('Stopped tasks of the new task definition:')
    body.push('Stopped tasks of the new task definition:', '')
    for (const task of diagnostics.stoppedTasks) {
      const line = `${taskId(task)} (stopped ${time(task.stoppedAt)}): ${describeStoppedTask(task)}`
      lines.push(`  ${line}`)
      body.push(`- ${escapeMarkdown(line)}`)
    }
    body.push('')
  }
  if (diagnostics.events.length) {
    lines.push('Newest service events:')
    body.push('Newest service events:', '')
    for (const event of diagnostics.events) {
      const line = `${time(event.createdAt)} ${event.message ?? ''}`
      lines.push(`  ${line}`)
      body.push(`- ${escapeMarkdown(line)}`)
    }
    body.push('')
  }
  for (const note of diagnostics.notes) {
    lines.push(note)
    body.push(`_${escapeMarkdown(note)}_`, '')
  }
  return { message, body: body.join('\n').trimEnd(), lines }
}

function escapeMarkdown(text: string): string {
  return text.replace(/([\\`*_[\]<>|])/g, '\\$1')
}
