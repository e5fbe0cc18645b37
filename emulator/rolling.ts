/**
 * ECS rolling deployments (deployment controller ECS): a new PRIMARY deployment starts its tasks, then completes
 * and drains the older deployments — or, when scripted, trips the deployment circuit breaker and rolls back.
 * // https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-circuit-breaker.html
 * // https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Deployment.html
 */
import {
  type EcsDeployment,
  type Model,
  type RollingScript,
  type Service,
  newEcsId,
  newPrimaryDeployment,
  shortTaskId,
  sleep
} from './model.js'
import { recordRollingCompleted, recordRollingStart } from './service-history.js'

/** Creates the new PRIMARY deployment for `taskDefinition` and starts its timer flow. */
export function startRollingDeployment(
  model: Model,
  service: Service,
  taskDefinition: string,
  options: { script?: RollingScript; rollbackFrom?: string; rollbackOf?: string } = {}
): EcsDeployment {
  const now = model.now()
  const id = newEcsId()
  recordRollingStart(model, service, id, taskDefinition, options.rollbackOf)
  const deployment = newPrimaryDeployment(
    service,
    id,
    taskDefinition,
    now,
    options.rollbackFrom === undefined
      ? undefined
      : `ECS deployment circuit breaker: rolling back to deploymentId ${options.rollbackFrom}.`
  )
  for (const other of service.deployments) {
    if (other.status === 'PRIMARY') {
      other.status = 'ACTIVE'
      other.updatedAt = now
      // A superseded deployment stops where it is; the new one drains it when it completes.
      model.cancelFlow(other.id)
    }
  }
  service.deployments.unshift(deployment)
  service.taskDefinition = taskDefinition
  const script = options.script
  model.runFlow((signal) => runDeployment(model, service, deployment, signal, script), id)
  return deployment
}

/** Takes the first scripted trip for this service, if any. */
export function takeRollingScript(model: Model, serviceName: string): RollingScript | undefined {
  const index = model.scripts.rolling.findIndex((s) => s.service === undefined || s.service === serviceName)
  return index < 0 ? undefined : model.scripts.rolling.splice(index, 1)[0]
}

async function runDeployment(
  model: Model,
  service: Service,
  deployment: EcsDeployment,
  signal: AbortSignal,
  script: RollingScript | undefined
): Promise<void> {
  const half = model.timings.rollingCompletionMs / 2
  const tasks = model.startTasks(
    service,
    deployment.desiredCount,
    deployment.taskDefinition,
    deployment.id,
    deployment.launchType ?? 'FARGATE'
  )
  deployment.pendingCount = tasks.length
  model.addEvent(service, `(service ${service.name}) has started ${tasks.length} tasks: ${taskList(tasks)}.`)
  await sleep(half, signal)

  if (script) {
    tripCircuitBreaker(model, service, deployment, script)
    return
  }

  model.markRunning(tasks)
  deployment.pendingCount = 0
  deployment.runningCount = tasks.length
  deployment.updatedAt = model.now()
  const targetGroup = service.loadBalancers[0]?.targetGroupArn
  if (targetGroup !== undefined) {
    model.addEvent(
      service,
      `(service ${service.name}) registered ${tasks.length} targets in (target-group ${targetGroup})`
    )
  }
  await sleep(half, signal)
  complete(model, service, deployment)
}

function complete(model: Model, service: Service, deployment: EcsDeployment): void {
  const drained = service.deployments.filter((d) => d !== deployment)
  const stopped = drained.flatMap((d) => model.tasksOf(service, d.id).filter((t) => t.lastStatus !== 'STOPPED'))
  for (const task of stopped) {
    model.stopTask(task, 'ServiceSchedulerInitiated', `Scaling activity initiated by (deployment ${deployment.id})`, 0)
  }
  if (stopped.length > 0) {
    model.addEvent(
      service,
      `(service ${service.name}) has stopped ${stopped.length} running tasks: ${taskList(stopped)}.`
    )
  }
  // Drained deployments leave the list.
  service.deployments = [deployment]
  deployment.rolloutState = 'COMPLETED'
  deployment.rolloutStateReason = `ECS deployment ${deployment.id} completed.`
  deployment.updatedAt = model.now()
  recordRollingCompleted(model, service, deployment.id)
  model.addEvent(service, `(service ${service.name}) (deployment ${deployment.id}) deployment completed.`)
  model.addEvent(service, `(service ${service.name}) has reached a steady state.`)
}

function tripCircuitBreaker(model: Model, service: Service, deployment: EcsDeployment, script: RollingScript): void {
  const breaker = service.deploymentConfiguration.deploymentCircuitBreaker
  // The failure threshold is 0.5 × desiredCount, at least 3 and at most 200.
  // https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-circuit-breaker.html#failure-threshold
  const threshold = Math.min(200, Math.max(3, Math.ceil(deployment.desiredCount * 0.5)))
  const failed = model.tasksOf(service, deployment.id).filter((t) => t.lastStatus !== 'STOPPED')
  // ECS launches replacements for failed tasks until the threshold is reached.
  if (failed.length < threshold) {
    failed.push(
      ...model.startTasks(
        service,
        threshold - failed.length,
        deployment.taskDefinition,
        deployment.id,
        deployment.launchType ?? 'FARGATE'
      )
    )
  }
  for (const task of failed) {
    model.stopTask(task, script.stopCode, script.stoppedReason, script.exitCode, script.containerReason)
  }
  deployment.pendingCount = 0
  deployment.runningCount = 0
  deployment.failedTasks = failed.length
  deployment.updatedAt = model.now()
  for (const task of failed) {
    model.addEvent(
      service,
      `(service ${service.name}) task ${shortTaskId(task.taskArn)} stopped: ${script.stoppedReason}`
    )
  }
  if (!breaker?.enable) return // Without the breaker ECS keeps retrying: the deployment stays IN_PROGRESS.

  deployment.rolloutState = 'FAILED'
  // AWS's documented wording (the SERVICE_DEPLOYMENT_FAILED event's reason); also reported with "tasks".
  // https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs_service_deployment_events.html
  deployment.rolloutStateReason = 'ECS deployment circuit breaker: task failed to start.'
  model.addEvent(
    service,
    `(service ${service.name}) (deployment ${deployment.id}) deployment failed: tasks failed to start.`
  )
  if (!breaker.rollback) return

  const previous = service.deployments.find((d) => d !== deployment && d.rolloutState === 'COMPLETED')
  if (!previous) return
  model.addEvent(service, `(service ${service.name}) rolling back to deployment ${previous.id}.`)
  startRollingDeployment(model, service, previous.taskDefinition, {
    rollbackFrom: previous.id,
    rollbackOf: deployment.id
  })
}

function taskList(tasks: { taskArn: string }[]): string {
  return tasks.map((t) => `(task ${shortTaskId(t.taskArn)})`).join(' ')
}
