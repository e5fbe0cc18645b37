/**
 * Service deployments and service revisions of rolling (ECS controller, ROLLING) services: ListServiceDeployments,
 * DescribeServiceDeployments, DescribeServiceRevisions. ECS records a service deployment with a new service revision
 * when a service is created and whenever an update starts a deployment (a circuit-breaker rollback makes none: the
 * failed deployment turns ROLLBACK_IN_PROGRESS, then ROLLBACK_SUCCESSFUL); a deployment a newer one supersedes is
 * STOPPED. // https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-deployment.html
 * // https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-revision.html
 * A seeded service gets the deployment that created it (SUCCESSFUL, no source revision) when first read or updated.
 */
import { randomBytes } from 'node:crypto'
import { AwsError, invalidParameter, optionalString, requireString } from './errors.js'
import { ACCOUNT_ID, type Cluster, type Epoch, type Model, type Placement, type Service } from './model.js'

type Status = 'IN_PROGRESS' | 'SUCCESSFUL' | 'STOPPED' | 'ROLLBACK_IN_PROGRESS' | 'ROLLBACK_SUCCESSFUL'

const STATUSES = [
  'PENDING',
  'SUCCESSFUL',
  'STOPPED',
  'STOP_REQUESTED',
  'IN_PROGRESS',
  'ROLLBACK_REQUESTED',
  'ROLLBACK_IN_PROGRESS',
  'ROLLBACK_SUCCESSFUL',
  'ROLLBACK_FAILED'
]

interface Revision extends Placement {
  arn: string
  taskDefinition: string
  createdAt: Epoch
}

interface Record_ {
  arn: string
  /** The `deployments[]` id (`ecs-svc/…`) that carries it out; a breaker's rollback deployment maps here too. */
  ecsDeploymentIds: string[]
  createdAt: Epoch
  finishedAt?: Epoch
  stoppedAt?: Epoch
  updatedAt: Epoch
  sources: Revision[]
  target: Revision
  status: Status
  statusReason?: string
}

interface History {
  /** Oldest first. */
  deployments: Record_[]
  revisions: Revision[]
}

const histories = new WeakMap<Service, History>()

function newId(): string {
  return randomBytes(11).toString('hex').slice(0, 21)
}

function placementOf(service: Service): Placement {
  const p: Placement = {}
  if (service.launchType !== undefined) p.launchType = service.launchType
  if (service.capacityProviderStrategy !== undefined) p.capacityProviderStrategy = service.capacityProviderStrategy
  if (service.platformVersion !== undefined) p.platformVersion = service.platformVersion
  if (service.networkConfiguration !== undefined) p.networkConfiguration = service.networkConfiguration
  return p
}

function newRevision(model: Model, service: Service, taskDefinition: string): Revision {
  const arn = `arn:aws:ecs:${model.region}:${ACCOUNT_ID}:service-revision/${service.clusterName}/${service.name}/${newId()}`
  return { arn, taskDefinition, createdAt: model.now(), ...placementOf(service) }
}

/** The service's history, starting with the deployment that created it. */
function historyOf(model: Model, service: Service): History {
  let history = histories.get(service)
  if (!history) {
    const created = { ...newRevision(model, service, service.taskDefinition), createdAt: service.createdAt }
    history = {
      revisions: [created],
      deployments: [
        {
          arn: deploymentArn(model, service),
          ecsDeploymentIds: [],
          createdAt: service.createdAt,
          finishedAt: service.createdAt,
          updatedAt: service.createdAt,
          sources: [],
          target: created,
          status: 'SUCCESSFUL'
        }
      ]
    }
    histories.set(service, history)
  }
  return history
}

function deploymentArn(model: Model, service: Service): string {
  return `arn:aws:ecs:${model.region}:${ACCOUNT_ID}:service-deployment/${service.clusterName}/${service.name}/${newId()}`
}

/**
 * A rolling deployment `ecsDeploymentId` of `taskDefinition` starts (call before the service changes). With
 * `rollbackOf`, it is the circuit breaker's rollback of that deployment: no new service deployment.
 */
export function recordRollingStart(
  model: Model,
  service: Service,
  ecsDeploymentId: string,
  taskDefinition: string,
  rollbackOf?: string
): void {
  const history = historyOf(model, service)
  const now = model.now()
  if (rollbackOf !== undefined) {
    const failed = history.deployments.find((d) => d.ecsDeploymentIds.includes(rollbackOf))
    if (failed) {
      failed.status = 'ROLLBACK_IN_PROGRESS'
      failed.statusReason = 'Service deployment rolled back because the circuit breaker threshold was exceeded.'
      failed.updatedAt = now
      failed.ecsDeploymentIds.push(ecsDeploymentId)
      return
    }
  }
  // What ran when it started: the newest revision of the service's task definition.
  const live = [...history.revisions].reverse().find((r) => r.taskDefinition === service.taskDefinition)
  for (const d of history.deployments) {
    if (d.status === 'IN_PROGRESS') {
      d.status = 'STOPPED'
      d.statusReason = 'Service deployment stopped: a newer service deployment replaced it.'
      d.stoppedAt = now
      d.finishedAt = now
      d.updatedAt = now
    }
  }
  const target = newRevision(model, service, taskDefinition)
  history.revisions.push(target)
  history.deployments.push({
    arn: deploymentArn(model, service),
    ecsDeploymentIds: [ecsDeploymentId],
    createdAt: now,
    updatedAt: now,
    sources: live ? [live] : [],
    target,
    status: 'IN_PROGRESS'
  })
}

/** Rolling deployment `ecsDeploymentId` completed (a breaker's rollback completing ends the failed deployment). */
export function recordRollingCompleted(model: Model, service: Service, ecsDeploymentId: string): void {
  const record = historyOf(model, service).deployments.find((d) => d.ecsDeploymentIds.includes(ecsDeploymentId))
  if (!record) return
  const now = model.now()
  if (record.status === 'ROLLBACK_IN_PROGRESS') {
    record.status = 'ROLLBACK_SUCCESSFUL'
    record.stoppedAt = now
  } else if (record.status === 'IN_PROGRESS') {
    record.status = 'SUCCESSFUL'
    record.statusReason = 'Service deployment succeeded.'
  } else return
  record.finishedAt = now
  record.updatedAt = now
}

function findService(model: Model, params: Record<string, unknown>): Service {
  const clusterRef = optionalString(params, 'cluster', invalidParameter) ?? 'default'
  const cluster: Cluster | undefined = model.clusters.get(lastSegment(clusterRef))
  if (!cluster) throw new AwsError('ClusterNotFoundException', 'Cluster not found.')
  const service = cluster.services.get(lastSegment(requireString(params, 'service', invalidParameter)))
  if (!service) throw new AwsError('ServiceNotFoundException', 'Service not found.')
  if (service.deploymentController !== 'ECS' || (service.deploymentConfiguration.strategy ?? 'ROLLING') !== 'ROLLING') {
    throw new AwsError(
      'EmulatorNotModelledException',
      'The emulator models service deployments of rolling (ECS controller, ROLLING) services only.'
    )
  }
  return service
}

function lastSegment(ref: string): string {
  return ref.startsWith('arn:') ? (ref.split('/').pop() ?? ref) : ref
}

function allServices(model: Model): Service[] {
  return [...model.clusters.values()].flatMap((c) => [...c.services.values()])
}

function arnList(params: Record<string, unknown>, key: string): string[] {
  const value = params[key]
  if (!Array.isArray(value) || value.length === 0 || !value.every((v) => typeof v === 'string')) {
    throw invalidParameter(`${key} must be a non-empty list of ARNs.`)
  }
  if (value.length > 20) throw invalidParameter(`${key} can have at most 20 items.`)
  return value
}

function revisionToWire(model: Model, service: Service, r: Revision): Record<string, unknown> {
  return {
    serviceRevisionArn: r.arn,
    serviceArn: service.arn,
    clusterArn: model.clusterArn(service.clusterName),
    taskDefinition: r.taskDefinition,
    ...(r.launchType !== undefined ? { launchType: r.launchType } : {}),
    ...(r.capacityProviderStrategy !== undefined ? { capacityProviderStrategy: r.capacityProviderStrategy } : {}),
    ...(r.platformVersion !== undefined ? { platformVersion: r.platformVersion } : {}),
    ...(r.networkConfiguration !== undefined ? { networkConfiguration: r.networkConfiguration } : {}),
    loadBalancers: service.loadBalancers,
    createdAt: r.createdAt
  }
}

function revisionRef(model: Model, service: Service, r: Revision, d: Record_): Record<string, unknown> {
  const running = model
    .tasksOf(service, d.ecsDeploymentIds[0] ?? '')
    .filter((t) => t.lastStatus === 'RUNNING' && t.taskDefinitionArn === r.taskDefinition).length
  return { arn: r.arn, requestedTaskCount: service.desiredCount, runningTaskCount: running, pendingTaskCount: 0 }
}

// https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ListServiceDeployments.html
export function listServiceDeployments(model: Model, params: Record<string, unknown>): unknown {
  const service = findService(model, params)
  const status = params['status']
  if (status !== undefined && (!Array.isArray(status) || !status.every((s) => STATUSES.includes(s as string)))) {
    throw invalidParameter(`Invalid status filter: ${JSON.stringify(status)}`)
  }
  const maxResults = params['maxResults'] ?? 20
  if (typeof maxResults !== 'number' || !Number.isInteger(maxResults) || maxResults < 1 || maxResults > 100) {
    throw invalidParameter('maxResults must be between 1 and 100.')
  }
  const createdAt = params['createdAt'] as { before?: unknown; after?: unknown } | undefined
  const token = params['nextToken']
  const start = token === undefined ? 0 : Number(Buffer.from(String(token), 'base64').toString())
  if (!Number.isInteger(start) || start < 0) throw invalidParameter('Invalid nextToken.')
  const matching = [...historyOf(model, service).deployments]
    .reverse()
    .filter(
      (d) =>
        (status === undefined || (status as string[]).includes(d.status)) &&
        (typeof createdAt?.after !== 'number' || d.createdAt >= createdAt.after) &&
        (typeof createdAt?.before !== 'number' || d.createdAt <= createdAt.before)
    )
  const page = matching.slice(start, start + maxResults)
  return {
    serviceDeployments: page.map((d) => ({
      serviceDeploymentArn: d.arn,
      serviceArn: service.arn,
      clusterArn: model.clusterArn(service.clusterName),
      createdAt: d.createdAt,
      startedAt: d.createdAt,
      ...(d.finishedAt !== undefined ? { finishedAt: d.finishedAt } : {}),
      targetServiceRevisionArn: d.target.arn,
      status: d.status,
      ...(d.statusReason !== undefined ? { statusReason: d.statusReason } : {})
    })),
    ...(start + maxResults < matching.length
      ? { nextToken: Buffer.from(String(start + maxResults)).toString('base64') }
      : {})
  }
}

// https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DescribeServiceDeployments.html
export function describeServiceDeployments(model: Model, params: Record<string, unknown>): unknown {
  const arns = arnList(params, 'serviceDeploymentArns')
  const found: unknown[] = []
  const failures: unknown[] = []
  for (const arn of arns) {
    const service = allServices(model).find((s) => histories.get(s)?.deployments.some((d) => d.arn === arn))
    const d = service && histories.get(service)?.deployments.find((x) => x.arn === arn)
    if (!service || !d) {
      failures.push({ arn, reason: 'MISSING' })
      continue
    }
    found.push({
      serviceDeploymentArn: d.arn,
      serviceArn: service.arn,
      clusterArn: model.clusterArn(service.clusterName),
      createdAt: d.createdAt,
      startedAt: d.createdAt,
      updatedAt: d.updatedAt,
      ...(d.finishedAt !== undefined ? { finishedAt: d.finishedAt } : {}),
      ...(d.stoppedAt !== undefined ? { stoppedAt: d.stoppedAt } : {}),
      sourceServiceRevisions: d.sources.map((r) => revisionRef(model, service, r, d)),
      targetServiceRevision: revisionRef(model, service, d.target, d),
      status: d.status,
      ...(d.statusReason !== undefined ? { statusReason: d.statusReason } : {}),
      deploymentConfiguration: service.deploymentConfiguration
    })
  }
  return { serviceDeployments: found, failures }
}

// https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DescribeServiceRevisions.html
export function describeServiceRevisions(model: Model, params: Record<string, unknown>): unknown {
  const arns = arnList(params, 'serviceRevisionArns')
  const found: unknown[] = []
  const failures: unknown[] = []
  for (const arn of arns) {
    const service = allServices(model).find((s) => histories.get(s)?.revisions.some((r) => r.arn === arn))
    const revision = service && histories.get(service)?.revisions.find((r) => r.arn === arn)
    if (!service || !revision) failures.push({ arn, reason: 'MISSING' })
    else found.push(revisionToWire(model, service, revision))
  }
  return { serviceRevisions: found, failures }
}
