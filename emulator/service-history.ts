/**
 * Service deployments and service revisions of rolling (ECS controller, ROLLING) services, recorded into the model's
 * one store (`model.serviceDeployments`, `model.serviceRevisions`) that native.ts answers ListServiceDeployments,
 * DescribeServiceDeployments and DescribeServiceRevisions from. ECS records a service deployment with a new service
 * revision when a service is created and whenever an update starts a deployment (a circuit-breaker rollback makes
 * none: the failed deployment turns ROLLBACK_IN_PROGRESS, then ROLLBACK_SUCCESSFUL); a deployment a newer one
 * supersedes is STOPPED. // https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-deployment.html
 * // https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-revision.html
 * A seeded service gets the deployment that created it (SUCCESSFUL, no source revision) when first read or updated
 * (`ensureCreatingDeployment` in native.ts).
 */
import { type Model, type Service, type ServiceDeploymentRecord } from './model.js'
import { addServiceDeployment, deploymentsOf, ensureCreatingDeployment, newRevision } from './native.js'

/** The rolling service deployment that rolling deployment `ecsDeploymentId` carries out. */
function recordOf(model: Model, service: Service, ecsDeploymentId: string): ServiceDeploymentRecord | undefined {
  return deploymentsOf(model, service).find((d) => d.ecsDeploymentIds?.includes(ecsDeploymentId))
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
  ensureCreatingDeployment(model, service)
  const now = model.now()
  if (rollbackOf !== undefined) {
    const failed = recordOf(model, service, rollbackOf)
    if (failed) {
      const reason = 'Service deployment rolled back because the circuit breaker threshold was exceeded.'
      failed.status = 'ROLLBACK_IN_PROGRESS'
      failed.statusReason = reason
      failed.updatedAt = now
      failed.circuitBreaker.status = 'TRIGGERED'
      failed.circuitBreaker.failureCount = failed.circuitBreaker.threshold
      const restored = failed.sources[0]
      if (restored) failed.rollback = { reason, startedAt: now, serviceRevisionArn: restored.arn }
      failed.ecsDeploymentIds?.push(ecsDeploymentId)
      return
    }
  }
  // What ran when it started: the newest revision of the service's task definition.
  const live = [...model.serviceRevisions.values()]
    .reverse()
    .find(
      (r) =>
        r.clusterName === service.clusterName &&
        r.serviceName === service.name &&
        r.taskDefinition === service.taskDefinition
    )
  for (const d of deploymentsOf(model, service)) {
    if (d.ecsDeploymentIds !== undefined && d.status === 'IN_PROGRESS') {
      d.status = 'STOPPED'
      d.statusReason = 'Service deployment stopped: a newer service deployment replaced it.'
      d.stoppedAt = now
      d.finishedAt = now
      d.updatedAt = now
    }
  }
  const target = newRevision(model, service, taskDefinition, ecsDeploymentId)
  target.requestedTaskCount = service.desiredCount
  addServiceDeployment(model, service, {
    ecsDeploymentIds: [ecsDeploymentId],
    createdAt: now,
    startedAt: now,
    updatedAt: now,
    sources: live ? [live] : [],
    target,
    status: 'IN_PROGRESS'
  })
}

/** Rolling deployment `ecsDeploymentId` completed (a breaker's rollback completing ends the failed deployment). */
export function recordRollingCompleted(model: Model, service: Service, ecsDeploymentId: string): void {
  const record = recordOf(model, service, ecsDeploymentId)
  if (!record) return
  const now = model.now()
  if (record.status === 'ROLLBACK_IN_PROGRESS') {
    record.status = 'ROLLBACK_SUCCESSFUL'
    record.stoppedAt = now
  } else if (record.status === 'IN_PROGRESS') {
    record.status = 'SUCCESSFUL'
    record.statusReason = 'Service deployment succeeded.'
    if (record.circuitBreaker.status === 'MONITORING') record.circuitBreaker.status = 'MONITORING_COMPLETE'
  } else return
  record.finishedAt = now
  record.updatedAt = now
}
