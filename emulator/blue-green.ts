/**
 * The ECS blue/green lifecycle CodeDeploy runs for one deployment, on timers:
 * Created → InProgress → BeforeInstall … AfterAllowTestTraffic → (Ready) → BeforeAllowTraffic, AllowTraffic,
 * AfterAllowTraffic → termination wait → Succeeded; or Failed / Stopped, with a rollback deployment when enabled.
 * // https://docs.aws.amazon.com/codedeploy/latest/userguide/deployment-steps-ecs.html
 * // https://docs.aws.amazon.com/codedeploy/latest/userguide/reference-appspec-file-structure-hooks.html#reference-appspec-file-structure-hooks-list-ecs
 * // https://docs.aws.amazon.com/codedeploy/latest/userguide/deployments-rollback-and-redeploy.html
 */
import { validateAppSpec } from './appspec.js'
import {
  type AppSpecTarget,
  type Deployment,
  type DeploymentGroup,
  type ErrorInformation,
  type LifecycleEvent,
  type Model,
  type Service,
  type TaskSet,
  newDeploymentId,
  newEcsId,
  shortTaskId,
  sleep
} from './model.js'

/** ECS lifecycle events in the order CodeDeploy runs them. */
export const LIFECYCLE_EVENTS = [
  'BeforeInstall',
  'Install',
  'AfterInstall',
  'AllowTestTraffic',
  'AfterAllowTestTraffic',
  'BeforeAllowTraffic',
  'AllowTraffic',
  'AfterAllowTraffic'
] as const

/** Production traffic steps (green's weight) of the predefined ECS deployment configurations. */
// https://docs.aws.amazon.com/codedeploy/latest/userguide/deployment-configurations.html#deployment-configurations-predefined-ecs
export const ECS_DEPLOYMENT_CONFIGS: Record<string, number[]> = {
  'CodeDeployDefault.ECSAllAtOnce': [100],
  'CodeDeployDefault.ECSLinear10PercentEvery1Minutes': [10, 20, 30, 40, 50, 60, 70, 80, 90, 100],
  'CodeDeployDefault.ECSLinear10PercentEvery3Minutes': [10, 20, 30, 40, 50, 60, 70, 80, 90, 100],
  'CodeDeployDefault.ECSCanary10Percent5Minutes': [10, 100],
  'CodeDeployDefault.ECSCanary10Percent15Minutes': [10, 100]
}

/** Deployments in these statuses block a new one in the same group. */
export function isActive(deployment: Deployment): boolean {
  return ['Created', 'Queued', 'InProgress', 'Baking', 'Ready'].includes(deployment.status)
}

/** Starts the timer flow of a new user deployment. */
export function startDeployment(model: Model, deployment: Deployment): void {
  model.runFlow((signal) => runDeployment(model, deployment, signal), deployment.id)
}

/**
 * Stops an active deployment: it ends `Stopped` one step later, then (with rollback) a rollback deployment
 * returns traffic to blue. Answers StopDeployment's `status`.
 */
export function stopDeployment(model: Model, deployment: Deployment, rollback: boolean): 'Pending' {
  if (deployment.phase === 'stopping') return 'Pending'
  model.cancelFlow(deployment.id)
  deployment.phase = 'stopping'
  delete deployment.release
  model.runFlow(async (signal) => {
    await sleep(model.timings.stepMs, signal)
    finish(model, deployment, 'Stopped', {
      code: 'MANUAL_STOP',
      message: 'The deployment was stopped by a StopDeployment request.'
    })
    if (rollback) startRollback(model, deployment)
  }, `${deployment.id}/stop`)
  return 'Pending'
}

async function runDeployment(model: Model, deployment: Deployment, signal: AbortSignal): Promise<void> {
  const step = (): Promise<void> => sleep(model.timings.stepMs, signal)
  await step()
  const group = groupOf(model, deployment)
  const service = model.service(group.clusterName, group.serviceName)
  deployment.status = 'InProgress'
  deployment.startTime = model.now()
  deployment.phase = 'running'

  const blue = service?.taskSets.find((ts) => ts.status === 'PRIMARY')
  if (!service || !blue) {
    finish(model, deployment, 'Failed', {
      code: 'INVALID_ECS_SERVICE',
      message: `The deployment failed because the ECS service ${group.serviceName} in cluster ${group.clusterName} has no primary task set.`
    })
    return
  }
  const appSpec = checkAppSpec(model, deployment, service)
  if ('code' in appSpec) {
    finish(model, deployment, 'Failed', appSpec)
    return
  }
  const target = createTarget(model, deployment, service)
  target.blue = blue

  for (const name of LIFECYCLE_EVENTS) {
    if (name === 'BeforeAllowTraffic' && group.readyAction === 'STOP_DEPLOYMENT') {
      const continued = await waitInReady(model, deployment, signal)
      if (!continued) {
        // https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_DeploymentReadyOption.html
        finish(model, deployment, 'Stopped', {
          code: 'TIMEOUT',
          message: 'The deployment timed out while waiting for the replacement task set to be ready to receive traffic.'
        })
        return
      }
    }
    const event = beginEvent(model, deployment, name)
    if (name === 'Install') target.green = createGreen(model, deployment, group, service, blue, appSpec)
    await sleep(model.timings.eventMs?.[name] ?? model.timings.stepMs, signal)
    if (deployment.script?.failAt === name) {
      fail(model, deployment, service, event)
      return
    }
    if (name === 'Install' && target.green) greenIsRunning(model, service, target.green)
    if (name === 'AllowTraffic' && target.green) {
      await shiftTraffic(model, deployment, service, blue, target.green, appSpec, signal)
    }
    endEvent(model, deployment, event, 'Succeeded')
  }
  target.status = 'Succeeded'
  target.lastUpdatedAt = model.now()

  const baking = model.timings.bakingMs ?? 0
  if (baking > 0) {
    // `Baking` is in the API's status list but undocumented: modelled as a pause after the shift, still active.
    deployment.status = 'Baking'
    await sleep(baking, signal)
    deployment.status = 'InProgress'
  }
  if (group.terminationAction === 'TERMINATE') {
    // Termination wait: the target is Succeeded and green has all traffic, but the deployment stays InProgress
    // until blue is deleted; ContinueDeployment(TERMINATION_WAIT) ends it early.
    deployment.phase = 'terminationWait'
    await waitForRelease(deployment, model.timings.terminationWaitMs, signal)
    deployment.phase = 'running'
    removeTaskSet(model, service, blue, `deployment ${deployment.id}`)
  }
  model.addEvent(service, `(service ${service.name}) has reached a steady state.`)
  finish(model, deployment, 'Succeeded')
}

/**
 * The rollback deployment: traffic returns to the original task set and the replacement is deleted. CodeDeploy
 * may create it (and name it in the failed deployment's `rollbackInfo`) only some time after the failure.
 */
function startRollback(model: Model, failed: Deployment): void {
  const delay = model.timings.rollbackInfoDelayMs ?? 0
  if (delay <= 0) {
    createRollback(model, failed)
    return
  }
  model.runFlow(async (signal) => {
    await sleep(delay, signal)
    createRollback(model, failed)
  }, `${failed.id}/rollback`)
}

/**
 * The rollback deployment and both `rollbackInfo`s, in CodeDeploy's own words (as GetDeployment output quoted in
 * public runbooks shows them).
 */
function createRollback(model: Model, failed: Deployment): void {
  const original = failed.target
  if (!original?.blue) return // Nothing changed: there is nothing to roll back.
  const blue = original.blue
  const green = original.green
  const group = groupOf(model, failed)
  const id = newDeploymentId()
  const rollback: Deployment = {
    id,
    applicationName: failed.applicationName,
    groupName: failed.groupName,
    deploymentConfigName: failed.deploymentConfigName,
    status: 'Created',
    creator: 'codeDeployRollback',
    createTime: model.now(),
    autoRollback: failed.autoRollback,
    rollbackInfo: {
      rollbackTriggeringDeploymentId: failed.id,
      rollbackMessage: `Deployment ${id} is triggered to roll back deployment ${failed.id}.`
    },
    phase: 'created'
  }
  failed.rollbackInfo = {
    rollbackDeploymentId: rollback.id,
    rollbackMessage: `Deployment ${failed.id} terminated. Automatic rollback is triggered with a DeploymentId ${id}.`
  }
  model.deployments.set(rollback.id, rollback)

  model.runFlow(async (signal) => {
    const step = (): Promise<void> => sleep(model.timings.stepMs, signal)
    await step()
    const service = model.service(group.clusterName, group.serviceName)
    rollback.status = 'InProgress'
    rollback.startTime = model.now()
    rollback.phase = 'running'
    if (!service) {
      finish(model, rollback, 'Failed', { code: 'INVALID_ECS_SERVICE', message: 'The ECS service no longer exists.' })
      return
    }
    const target = createTarget(model, rollback, service)
    target.blue = blue
    if (green) target.green = green
    for (const name of LIFECYCLE_EVENTS) {
      const event = beginEvent(model, rollback, name)
      await step()
      if (name === 'AllowTraffic') {
        blue.trafficWeight = 100
        blue.status = 'PRIMARY'
        service.taskDefinition = blue.taskDefinition
        if (green) {
          green.trafficWeight = 0
          if (green.status === 'PRIMARY') green.status = 'ACTIVE'
        }
        model.addEvent(service, `(service ${service.name}) production traffic rerouted to taskSet ${blue.id}.`)
      }
      endEvent(model, rollback, event, 'Succeeded')
    }
    if (green) removeTaskSet(model, service, green, `deployment ${rollback.id}`)
    target.status = 'Succeeded'
    target.lastUpdatedAt = model.now()
    finish(model, rollback, 'Succeeded')
  }, rollback.id)
}

function checkAppSpec(model: Model, deployment: Deployment, service: Service): AppSpecTarget | ErrorInformation {
  const lb = service.loadBalancers[0]
  const result = validateAppSpec(deployment.appSpecContent ?? '', {
    findTaskDefinition: (arn) => {
      const td = model.findTaskDefinition(arn)
      if (!td || td.arn !== arn || td.status !== 'ACTIVE') return undefined
      const containers =
        (td.body['containerDefinitions'] as { name: string; portMappings?: { containerPort?: number }[] }[]) ?? []
      return {
        containers: containers.map((c) => ({
          name: c.name,
          containerPorts: (c.portMappings ?? []).flatMap((m) =>
            m.containerPort === undefined ? [] : [m.containerPort]
          )
        }))
      }
    },
    ...(lb ? { serviceContainer: { name: lb.containerName, port: lb.containerPort } } : {})
  })
  return result.ok ? result.target : result.error
}

function createTarget(model: Model, deployment: Deployment, service: Service): NonNullable<Deployment['target']> {
  deployment.target = {
    targetId: `${service.clusterName}:${service.name}`,
    targetArn: service.arn,
    status: 'InProgress',
    lastUpdatedAt: model.now(),
    lifecycleEvents: LIFECYCLE_EVENTS.map((name) => ({ lifecycleEventName: name, status: 'Pending' }))
  }
  return deployment.target
}

function beginEvent(model: Model, deployment: Deployment, name: string): LifecycleEvent {
  const event = deployment.target?.lifecycleEvents.find((e) => e.lifecycleEventName === name)
  if (!event) throw new Error(`no lifecycle event ${name}`)
  event.status = 'InProgress'
  event.startTime = model.now()
  if (deployment.target) deployment.target.lastUpdatedAt = model.now()
  return event
}

function endEvent(model: Model, deployment: Deployment, event: LifecycleEvent, status: 'Succeeded' | 'Failed'): void {
  event.status = status
  event.endTime = model.now()
  if (deployment.target) deployment.target.lastUpdatedAt = model.now()
}

/** Install: the replacement task set, on the other target group, with no production traffic. */
function createGreen(
  model: Model,
  deployment: Deployment,
  group: DeploymentGroup,
  service: Service,
  blue: TaskSet,
  appSpec: AppSpecTarget
): TaskSet {
  const now = model.now()
  const id = newEcsId()
  const targetGroupName = group.targetGroups.find((name) => name !== blue.targetGroupName) ?? group.targetGroups[1]
  const green: TaskSet = {
    id,
    taskSetArn: model.taskSetArn(service.clusterName, service.name, id),
    externalId: deployment.id,
    status: 'ACTIVE',
    taskDefinition: appSpec.taskDefinitionArn,
    computedDesiredCount: service.desiredCount,
    pendingCount: service.desiredCount,
    runningCount: 0,
    createdAt: now,
    updatedAt: now,
    loadBalancers: [
      {
        targetGroupArn: model.targetGroupArn(targetGroupName),
        containerName: appSpec.containerName,
        containerPort: appSpec.containerPort
      }
    ],
    stabilityStatus: 'STABILIZING',
    trafficWeight: 0,
    targetGroupName,
    // Without NetworkConfiguration in the AppSpec the service's current one is kept.
    ...((appSpec.networkConfiguration ?? service.networkConfiguration)
      ? { networkConfiguration: appSpec.networkConfiguration ?? service.networkConfiguration }
      : {}),
    platformVersion: appSpec.platformVersion ?? 'LATEST'
  }
  if (appSpec.capacityProviderStrategy) green.capacityProviderStrategy = appSpec.capacityProviderStrategy
  else if (service.launchType !== undefined) green.launchType = service.launchType
  service.taskSets.push(green)
  const tasks = model.startTasks(
    service,
    green.computedDesiredCount,
    green.taskDefinition,
    green.id,
    green.launchType ?? 'FARGATE'
  )
  model.addEvent(
    service,
    `(service ${service.name}, taskSet ${green.id}) has started ${tasks.length} tasks: ${tasks.map((t) => `(task ${shortTaskId(t.taskArn)})`).join(' ')}.`
  )
  return green
}

function greenIsRunning(model: Model, service: Service, green: TaskSet): void {
  const tasks = model.tasksOf(service, green.id).filter((t) => t.lastStatus === 'PENDING')
  model.markRunning(tasks)
  green.pendingCount = 0
  green.runningCount = tasks.length
  green.stabilityStatus = 'STEADY_STATE'
  green.updatedAt = model.now()
  model.addEvent(
    service,
    `(service ${service.name}, taskSet ${green.id}) registered ${tasks.length} targets in (target-group ${model.targetGroupArn(green.targetGroupName)})`
  )
}

/** AllowTraffic: green's weight rises per the deployment configuration; at 100 green becomes the primary. */
async function shiftTraffic(
  model: Model,
  deployment: Deployment,
  service: Service,
  blue: TaskSet,
  green: TaskSet,
  appSpec: AppSpecTarget,
  signal: AbortSignal
): Promise<void> {
  const weights = ECS_DEPLOYMENT_CONFIGS[deployment.deploymentConfigName] ?? [100]
  for (const [index, weight] of weights.entries()) {
    if (index > 0) await sleep(model.timings.stepMs, signal)
    green.trafficWeight = weight
    blue.trafficWeight = 100 - weight
    green.updatedAt = blue.updatedAt = model.now()
  }
  green.status = 'PRIMARY'
  blue.status = 'ACTIVE'
  service.taskDefinition = green.taskDefinition
  // The service takes the AppSpec's settings; a CapacityProviderStrategy left out of the AppSpec is removed.
  service.platformVersion = appSpec.platformVersion ?? 'LATEST'
  if (appSpec.networkConfiguration) service.networkConfiguration = appSpec.networkConfiguration
  if (appSpec.capacityProviderStrategy) service.capacityProviderStrategy = appSpec.capacityProviderStrategy
  else delete service.capacityProviderStrategy
  model.addEvent(service, `(service ${service.name}) production traffic rerouted to taskSet ${green.id}.`)
}

/** A scripted failure at `event`: it fails, later events are skipped, green tasks stop with the given reasons. */
function fail(model: Model, deployment: Deployment, service: Service, event: LifecycleEvent): void {
  const script = deployment.script
  if (!script) return
  endEvent(model, deployment, event, 'Failed')
  const target = deployment.target
  const green = target?.green
  if (green && script.stoppedTasks.length > 0) {
    const tasks = model.tasksOf(service, green.id).filter((t) => t.lastStatus !== 'STOPPED')
    if (tasks.length < script.stoppedTasks.length) {
      tasks.push(
        ...model.startTasks(
          service,
          script.stoppedTasks.length - tasks.length,
          green.taskDefinition,
          green.id,
          green.launchType ?? 'FARGATE'
        )
      )
    }
    script.stoppedTasks.forEach((stop, i) => {
      const task = tasks[i]
      if (!task) return
      model.stopTask(task, stop.stopCode, stop.stoppedReason, stop.exitCode, stop.containerReason)
      model.addEvent(
        service,
        `(service ${service.name}, taskSet ${green.id}) task ${shortTaskId(task.taskArn)} stopped: ${stop.stoppedReason}`
      )
    })
    green.runningCount = model.tasksOf(service, green.id).filter((t) => t.lastStatus === 'RUNNING').length
    green.pendingCount = 0
  }
  finish(model, deployment, 'Failed', { code: script.code, message: script.message })
  if (deployment.autoRollback.enabled && deployment.autoRollback.events.includes('DEPLOYMENT_FAILURE')) {
    startRollback(model, deployment)
  }
}

/** Ends a deployment: status, completeTime, the target and its pending events. */
function finish(
  model: Model,
  deployment: Deployment,
  status: 'Succeeded' | 'Failed' | 'Stopped',
  error?: ErrorInformation
): void {
  const now = model.now()
  deployment.status = status
  deployment.phase = 'done'
  deployment.completeTime = now
  delete deployment.release
  if (error) deployment.errorInformation = error
  const target = deployment.target
  if (target && status !== 'Succeeded') {
    for (const event of target.lifecycleEvents) {
      if (event.status === 'InProgress') {
        event.status = 'Failed'
        event.endTime = now
      } else if (event.status === 'Pending') event.status = 'Skipped'
    }
    if (target.status !== 'Succeeded') target.status = 'Failed'
    target.lastUpdatedAt = now
  }
}

/** Ready: green is up and takes test traffic; production waits for ContinueDeployment(READY_WAIT). */
async function waitInReady(model: Model, deployment: Deployment, signal: AbortSignal): Promise<boolean> {
  deployment.status = 'Ready'
  deployment.phase = 'ready'
  if (deployment.target) deployment.target.status = 'Ready'
  const continued = await waitForRelease(deployment, model.timings.readyTimeoutMs, signal)
  if (continued) {
    deployment.status = 'InProgress'
    deployment.phase = 'running'
    if (deployment.target) deployment.target.status = 'InProgress'
  }
  return continued
}

/** Waits `ms` or until `deployment.release()` (true); rejects when the flow is cancelled. */
function waitForRelease(deployment: Deployment, ms: number, signal: AbortSignal): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer)
      reject(signal.reason as Error)
    }
    const done = (released: boolean): void => {
      clearTimeout(timer)
      signal.removeEventListener('abort', onAbort)
      delete deployment.release
      resolve(released)
    }
    const timer = setTimeout(() => done(false), ms)
    signal.addEventListener('abort', onAbort, { once: true })
    deployment.release = () => done(true)
  })
}

function removeTaskSet(model: Model, service: Service, taskSet: TaskSet, by: string): void {
  taskSet.status = 'DRAINING'
  taskSet.trafficWeight = 0
  const tasks = model.tasksOf(service, taskSet.id).filter((t) => t.lastStatus !== 'STOPPED')
  for (const task of tasks) {
    model.stopTask(task, 'ServiceSchedulerInitiated', `Scaling activity initiated by (${by})`, 0)
  }
  taskSet.runningCount = 0
  taskSet.pendingCount = 0
  taskSet.computedDesiredCount = 0
  taskSet.updatedAt = model.now()
  service.taskSets = service.taskSets.filter((ts) => ts !== taskSet)
  model.addEvent(service, `(service ${service.name}) deleted taskSet ${taskSet.id}.`)
}

function groupOf(model: Model, deployment: Deployment): DeploymentGroup {
  const group = model.group(deployment.applicationName, deployment.groupName)
  if (!group) throw new Error(`deployment group ${deployment.groupName} vanished`)
  return group
}
