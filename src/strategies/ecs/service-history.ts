/**
 * `rollback-to: previous` on the ECS controller (rolling and ECS-managed blue/green, linear, canary), from ECS's own record of the service: its service deployments
 * (ListServiceDeployments) and the service revisions they deployed (DescribeServiceRevisions), each naming a task
 * definition. ECS creates a service deployment and a service revision when a service is created and whenever an
 * update starts a deployment; it keeps 90 days of them, from 2024-10-25 on, and a rollback (circuit breaker) creates
 * no new revision: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-deployment.html and
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-revision.html
 */
import {
  DescribeServiceDeploymentsCommand,
  DescribeServiceRevisionsCommand,
  ListServiceDeploymentsCommand,
  type ECSClient,
  type ListServiceDeploymentsCommandInput,
  type ServiceDeploymentBrief
} from '@aws-sdk/client-ecs'
import { withSignal } from './clients.js'
import { wrapError } from './errors.js'
import { newerRevision, previousInstall, sameRevision, type PreviousRevision } from './rollback-target.js'
import { taskDefinitionLabel } from './task-definition.js'

/** One service deployment, newest first in a `ServiceHistory`. */
export interface ServiceDeploymentEntry {
  arn: string
  status: string
  createdAt: number
  /** The task definition of its target service revision. */
  taskDefinition?: string | undefined
}

/** The most service deployments read (ListServiceDeployments pages of 100): 90 days of a busy service. */
export const HISTORY_LIMIT = 300

/** DescribeServiceDeployments and DescribeServiceRevisions take at most 20 ARNs. */
const DESCRIBE_BATCH = 20

const ONGOING = new Set(['PENDING', 'IN_PROGRESS', 'STOP_REQUESTED', 'ROLLBACK_REQUESTED', 'ROLLBACK_IN_PROGRESS'])

function deploymentId(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1)
}

/** The step after reading the deployments: the answer, or the one deployment whose sources decide it. */
export type HistoryStep =
  | PreviousRevision
  /** No earlier successful revision is listed: what ran before `deployment` (its source revisions) decides. */
  | { kind: 'sources'; deployment: ServiceDeploymentEntry }

/**
 * "Previous" is the task definition of the newest SUCCESSFUL deployment older than the first listed one of the live
 * revision, skipping later revisions of its family (see `previousInstall`): what ran steady before the live revision
 * was first deployed, so a second `previous` goes one release further back. A failed or stopped deployment (or one
 * ECS's circuit breaker rolled back) never ran steady, so it is never "previous"; a successful redeploy of the live
 * revision (a forced deployment, an UpdateService back to it after a failure, a rollback to it) is not its first
 * deployment. `history` is newest first.
 */
export function previousFromDeployments(liveArn: string, history: ServiceDeploymentEntry[]): HistoryStep {
  const ongoing = history.find((d) => ONGOING.has(d.status))
  if (ongoing) {
    return {
      kind: 'unknown',
      reason: `service deployment ${deploymentId(ongoing.arn)} is ${ongoing.status}: wait for it to end`
    }
  }
  const successful = history.filter((d) => d.status === 'SUCCESSFUL')
  const latest = successful[0]
  if (!latest) {
    return {
      kind: 'unknown',
      reason:
        history.length === 0
          ? 'ECS lists no service deployments for it (ECS keeps 90 days of them, from 2024-10-25 on)'
          : 'ECS lists no successful service deployment for it'
    }
  }
  if (!latest.taskDefinition || !sameRevision(latest.taskDefinition, liveArn)) {
    return {
      kind: 'unknown',
      reason: `its latest successful service deployment ${deploymentId(latest.arn)} deployed ${taskDefinitionLabel(latest.taskDefinition) ?? 'an unknown revision'}, not the live one`
    }
  }
  const step = previousInstall(liveArn, successful)
  switch (step.kind) {
    case 'unrecorded':
      return {
        kind: 'unknown',
        reason: `ECS does not describe the revision of service deployment ${deploymentId(step.entry.arn)}`
      }
    case 'found':
      return {
        kind: 'found',
        taskDefinition: step.taskDefinition,
        evidence: `service deployment ${deploymentId(step.entry.arn)} (SUCCESSFUL) deployed it before ${deploymentId(step.first.arn)} deployed the live revision`
      }
    case 'none':
      return { kind: 'sources', deployment: step.first }
  }
}

/**
 * Without an earlier successful deployment listed (its history starts later), what ran when `deployment` started
 * (its source revisions) is the previous revision, unless no listed deployment of it ran steady, or it is a later
 * revision of the live one's family.
 */
export function previousFromSources(
  liveArn: string,
  deployment: ServiceDeploymentEntry,
  sourceTaskDefinitions: string[],
  history: ServiceDeploymentEntry[]
): PreviousRevision {
  const id = deploymentId(deployment.arn)
  const candidates = [...new Set(sourceTaskDefinitions.filter((t) => !sameRevision(t, liveArn)))]
  if (candidates.length === 0) {
    return {
      kind: 'unknown',
      reason: `no earlier revision is recorded: service deployment ${id} ${sourceTaskDefinitions.length === 0 ? 'has no source revision (it created the service)' : 'replaced the same revision'}`
    }
  }
  if (candidates.length > 1) {
    const names = candidates.map((t) => taskDefinitionLabel(t)).join(', ')
    return { kind: 'unknown', reason: `service deployment ${id} replaced several revisions (${names})` }
  }
  const candidate = candidates[0] as string
  if (newerRevision(candidate, liveArn)) {
    return {
      kind: 'unknown',
      reason: `no earlier revision is recorded: service deployment ${id} replaced ${taskDefinitionLabel(candidate)}, a later revision than the live one`
    }
  }
  const listed = history.filter((d) => d.taskDefinition && sameRevision(d.taskDefinition, candidate))
  const failed = listed[0]
  if (failed && !listed.some((d) => d.status === 'SUCCESSFUL')) {
    return {
      kind: 'unknown',
      reason: `the revision service deployment ${id} replaced, ${taskDefinitionLabel(candidate)}, never ran steady (service deployment ${deploymentId(failed.arn)} is ${failed.status})`
    }
  }
  return {
    kind: 'found',
    taskDefinition: candidate,
    evidence: `service deployment ${id} replaced it with the live revision`
  }
}

/** Service revision ARN → its task definition, for as many ARNs as given. */
export async function revisionTaskDefinitions(
  ecs: ECSClient,
  arns: string[],
  signal?: AbortSignal
): Promise<Map<string, string>> {
  const found = new Map<string, string>()
  const unique = [...new Set(arns)]
  for (let i = 0; i < unique.length; i += DESCRIBE_BATCH) {
    const out = await ecs.send(
      new DescribeServiceRevisionsCommand({ serviceRevisionArns: unique.slice(i, i + DESCRIBE_BATCH) }),
      withSignal(signal)
    )
    for (const r of out.serviceRevisions ?? []) {
      if (r.serviceRevisionArn && r.taskDefinition) found.set(r.serviceRevisionArn, r.taskDefinition)
    }
  }
  return found
}

/**
 * The pages of ListServiceDeployments (which the SDK has no paginator for), 100 a page, with the abort signal on
 * each request.
 */
export async function* serviceDeploymentPages(
  ecs: ECSClient,
  input: Omit<ListServiceDeploymentsCommandInput, 'nextToken' | 'maxResults'>,
  signal?: AbortSignal
): AsyncGenerator<ServiceDeploymentBrief[]> {
  let nextToken: string | undefined
  do {
    const page = await ecs.send(
      new ListServiceDeploymentsCommand({ ...input, maxResults: 100, nextToken }),
      withSignal(signal)
    )
    yield page.serviceDeployments ?? []
    nextToken = page.nextToken
  } while (nextToken)
}

/** Reads the service's deployments (newest first, at most `HISTORY_LIMIT`) and resolves "previous" from them. */
export async function previousFromServiceHistory(
  ecs: ECSClient,
  cluster: string,
  service: string,
  liveArn: string,
  signal?: AbortSignal
): Promise<PreviousRevision> {
  try {
    const briefs: ServiceDeploymentBrief[] = []
    for await (const page of serviceDeploymentPages(ecs, { cluster, service }, signal)) {
      briefs.push(...page)
      if (briefs.length >= HISTORY_LIMIT) break
    }
    // The order of the listing is not documented: sort by creation.
    briefs.sort((a, b) => (b.createdAt?.getTime() ?? 0) - (a.createdAt?.getTime() ?? 0))
    const targets = await revisionTaskDefinitions(
      ecs,
      briefs.flatMap((b) => (b.targetServiceRevisionArn ? [b.targetServiceRevisionArn] : [])),
      signal
    )
    const history: ServiceDeploymentEntry[] = briefs.map((b) => ({
      arn: b.serviceDeploymentArn ?? '',
      status: b.status ?? 'UNKNOWN',
      createdAt: b.createdAt?.getTime() ?? 0,
      taskDefinition: b.targetServiceRevisionArn ? targets.get(b.targetServiceRevisionArn) : undefined
    }))
    const step = previousFromDeployments(liveArn, history)
    if (step.kind !== 'sources') return step
    const described = await ecs.send(
      new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [step.deployment.arn] }),
      withSignal(signal)
    )
    const sources = (described.serviceDeployments?.[0]?.sourceServiceRevisions ?? []).flatMap((s) =>
      s.arn ? [s.arn] : []
    )
    const sourceTaskDefinitions = [...(await revisionTaskDefinitions(ecs, sources, signal)).values()]
    return previousFromSources(liveArn, step.deployment, sourceTaskDefinitions, history)
  } catch (error) {
    throw wrapError(`Could not read the service deployments of ${cluster}/${service}`, error)
  }
}
