/**
 * ECS operations (target prefix `AmazonEC2ContainerServiceV20141113`): exactly those the action uses.
 * Each handler validates like ECS does and answers the wire shape of the API reference.
 */
import { AwsError, clientError, invalidParameter, optionalString, requireString } from './errors.js'
import {
  type Cluster,
  type EcsDeployment,
  type Model,
  type Placement,
  type Service,
  type Task,
  type TaskDefinition,
  type TaskSet,
  type DeploymentStrategy,
  ACCOUNT_ID,
  DEPLOYMENT_STRATEGIES,
  sleep
} from './model.js'
import {
  checkNativeConfiguration,
  checkNativeLoadBalancers,
  isNativeStrategy,
  nativeOperations,
  nativeServiceFields,
  startNativeDeployment
} from './native.js'
import { policyAllows } from './policy.js'
import { startRollingDeployment, takeRollingScript } from './rolling.js'

export type Handler = (model: Model, params: Record<string, unknown>) => unknown

export const ecsOperations: Record<string, Handler> = {
  DescribeClusters: describeClusters,
  DescribeServices: describeServices,
  DescribeTaskDefinition: describeTaskDefinition,
  RegisterTaskDefinition: registerTaskDefinition,
  UpdateService: updateService,
  ListTasks: listTasks,
  DescribeTasks: describeTasks,
  RunTask: runTask,
  StopTask: stopTask,
  // ListServiceDeployments, DescribeServiceDeployments, DescribeServiceRevisions of every service (native.ts)
  ...nativeOperations
}

// https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DescribeClusters.html
function describeClusters(model: Model, params: Record<string, unknown>): unknown {
  const refs = optionalStringList(params, 'clusters') ?? ['default']
  const clusters: unknown[] = []
  const failures: unknown[] = []
  for (const ref of refs) {
    const cluster = model.clusters.get(clusterName(ref))
    if (!cluster) {
      failures.push({ arn: model.clusterArn(clusterName(ref)), reason: 'MISSING' })
      continue
    }
    const services = [...cluster.services.values()]
    const tasks = [...model.tasks.values()].filter((t) => t.clusterName === cluster.name)
    clusters.push({
      clusterArn: cluster.arn,
      clusterName: cluster.name,
      status: 'ACTIVE',
      registeredContainerInstancesCount: 0,
      runningTasksCount: tasks.filter((t) => t.lastStatus === 'RUNNING').length,
      pendingTasksCount: tasks.filter((t) => t.lastStatus === 'PENDING').length,
      activeServicesCount: services.filter((s) => s.status === 'ACTIVE').length,
      capacityProviders: ['FARGATE', 'FARGATE_SPOT'],
      defaultCapacityProviderStrategy: [],
      statistics: [],
      tags: [],
      settings: [{ name: 'containerInsights', value: 'disabled' }]
    })
  }
  return { clusters, failures }
}

// https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DescribeServices.html
function describeServices(model: Model, params: Record<string, unknown>): unknown {
  const cluster = findCluster(model, params)
  const refs = optionalStringList(params, 'services')
  if (!refs || refs.length === 0) throw invalidParameter('Services cannot be empty.')
  if (refs.length > 10) throw invalidParameter('services can have at most 10 items.')
  const withTags = includes(params, 'TAGS')
  const services: unknown[] = []
  const failures: unknown[] = []
  for (const ref of refs) {
    const service = cluster.services.get(serviceName(ref))
    // An unknown service is not an error: it is reported in `failures` as MISSING.
    if (!service) {
      failures.push({ arn: model.serviceArn(cluster.name, serviceName(ref)), reason: 'MISSING' })
      continue
    }
    const stale = model.staleView(service)
    if (!stale) services.push(serviceToWire(model, service, withTags))
    else services.push(withTags ? stale : { ...stale, tags: undefined })
  }
  return { services, failures }
}

// https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DescribeTaskDefinition.html
function describeTaskDefinition(model: Model, params: Record<string, unknown>): unknown {
  const ref = requireString(params, 'taskDefinition', invalidParameter)
  const td = findVisibleTaskDefinition(model, ref)
  if (!td) throw clientError('Unable to describe task definition.')
  const result: Record<string, unknown> = { taskDefinition: taskDefinitionToWire(td) }
  // Tags come back at the top level, and only when asked for.
  if (includes(params, 'TAGS')) result['tags'] = td.tags
  return result
}

/** The revision `ref` names as a lagging read sees it: a family alone is its newest revision readers know. */
function findVisibleTaskDefinition(model: Model, ref: string): TaskDefinition | undefined {
  const td = model.findTaskDefinition(ref)
  if (!td || model.isVisible(td)) return td
  if (ref.includes(':')) return undefined
  const revisions = model.taskDefinitions.get(td.family) ?? []
  return [...revisions].reverse().find((r) => r.status === 'ACTIVE' && model.isVisible(r))
}

/** The RegisterTaskDefinition input members; anything else (describe-only fields) is not stored. */
const REGISTER_FIELDS = [
  'family',
  'taskRoleArn',
  'executionRoleArn',
  'networkMode',
  'containerDefinitions',
  'volumes',
  'placementConstraints',
  'requiresCompatibilities',
  'cpu',
  'memory',
  'pidMode',
  'ipcMode',
  'proxyConfiguration',
  'inferenceAccelerators',
  'ephemeralStorage',
  'runtimePlatform',
  'enableFaultInjection'
]

// https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RegisterTaskDefinition.html
function registerTaskDefinition(model: Model, params: Record<string, unknown>): unknown {
  checkTagOnCreate(model, params)
  const td = registerTaskDefinitionIn(model, params)
  if (model.readLagMs > 0) model.unseenTaskDefinitions.set(td.arn, Date.now() + model.readLagMs)
  return { taskDefinition: taskDefinitionToWire(td), tags: td.tags }
}

/** Tags on RegisterTaskDefinition need `ecs:TagResource` too (tag-on-create); AccessDenied in AWS's words if not. */
function checkTagOnCreate(model: Model, params: Record<string, unknown>): void {
  const tags = params['tags']
  if (!Array.isArray(tags) || tags.length === 0) return
  const context = { 'ecs:CreateAction': 'RegisterTaskDefinition' }
  if (model.policy && policyAllows(model.policy, 'ecs:TagResource', context)) return
  const family = String(params['family'] ?? '')
  const resource = model.taskDefinitionArn(family, (model.taskDefinitions.get(family)?.length ?? 0) + 1)
  throw new AwsError(
    'AccessDeniedException',
    `User: arn:aws:sts::${ACCOUNT_ID}:assumed-role/deploy/github-actions is not authorized to perform: ecs:TagResource on resource: ${resource} because no identity-based policy allows the ecs:TagResource action`
  )
}

/** Validates and stores a new revision; also used to seed fixtures. */
export function registerTaskDefinitionIn(model: Model, params: Record<string, unknown>): TaskDefinition {
  const family = params['family']
  if (typeof family !== 'string' || family === '') throw clientError('Family must be specified.')
  // https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RegisterTaskDefinition.html#ECS-RegisterTaskDefinition-request-family
  if (!/^[A-Za-z0-9_-]{1,255}$/.test(family)) {
    throw clientError(
      `Family contains invalid characters: '${family}'. Up to 255 letters (uppercase and lowercase), numbers, underscores, and hyphens are allowed.`
    )
  }
  const containers = params['containerDefinitions']
  if (!Array.isArray(containers) || containers.length === 0) throw clientError('Container list cannot be empty.')
  const names = new Set<string>()
  for (const container of containers as unknown[]) {
    // https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDefinition.html (name, image required)
    const c = (typeof container === 'object' && container !== null ? container : {}) as Record<string, unknown>
    if (typeof c['name'] !== 'string' || c['name'] === '')
      throw clientError('Container.name should not be null or empty.')
    if (typeof c['image'] !== 'string' || c['image'] === '')
      throw clientError('Container.image should not be null or empty.')
    if (names.has(c['name']))
      throw clientError(`Duplicate container name found: ${c['name']}. Container names must be unique.`)
    names.add(c['name'])
    if (params['networkMode'] === 'awsvpc') checkAwsVpcPorts(c)
    // As ECS does: an environment entry without a `value` is dropped from the registered revision (the variable
    // is then not set in the container), so a client that strips `value: ""` loses the variable.
    if (Array.isArray(c['environment'])) {
      c['environment'] = (c['environment'] as Record<string, unknown>[]).filter((e) => typeof e?.['value'] === 'string')
    }
  }
  const tags = (params['tags'] as { key: string; value: string }[] | undefined) ?? []
  const body: Record<string, unknown> = {}
  for (const field of REGISTER_FIELDS) if (params[field] !== undefined) body[field] = params[field]

  const revisions = model.taskDefinitions.get(family) ?? []
  const revision = revisions.length + 1
  const td: TaskDefinition = {
    arn: model.taskDefinitionArn(family, revision),
    family,
    revision,
    status: 'ACTIVE',
    registeredAt: model.now(),
    body,
    tags
  }
  revisions.push(td)
  model.taskDefinitions.set(family, revisions)
  return td
}

function checkAwsVpcPorts(container: Record<string, unknown>): void {
  // https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_PortMapping.html (awsvpc: hostPort = containerPort)
  const mappings = (container['portMappings'] as { containerPort?: number; hostPort?: number }[] | undefined) ?? []
  for (const m of mappings) {
    if (m.hostPort !== undefined && m.hostPort !== m.containerPort) {
      throw clientError('When networkMode=awsvpc, the host ports and container ports in port mappings must match.')
    }
  }
}

// https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_UpdateService.html
function updateService(model: Model, params: Record<string, unknown>): unknown {
  const cluster = findCluster(model, params)
  const name = serviceName(requireString(params, 'service', invalidParameter))
  const service = cluster.services.get(name)
  if (!service) throw new AwsError('ServiceNotFoundException', 'Service not found.')
  if (service.status !== 'ACTIVE') throw new AwsError('ServiceNotActiveException', 'Service was not ACTIVE.')

  const desiredCount = params['desiredCount']
  if (
    desiredCount !== undefined &&
    (typeof desiredCount !== 'number' || !Number.isInteger(desiredCount) || desiredCount < 0)
  ) {
    throw invalidParameter('desiredCount must be a non-negative integer.')
  }
  const taskDefinitionRef = optionalString(params, 'taskDefinition', invalidParameter)
  let taskDefinition: string | undefined
  if (taskDefinitionRef !== undefined) {
    const td = model.findTaskDefinition(taskDefinitionRef)
    if (!td) throw clientError('TaskDefinition not found.')
    taskDefinition = td.arn
  }

  model.beforeServiceWrite(service, () => serviceToWire(model, service, true))
  if (service.deploymentController === 'CODE_DEPLOY') {
    rejectCodeDeployChanges(service, params, taskDefinition)
    if (typeof desiredCount === 'number') {
      service.desiredCount = desiredCount
      for (const ts of service.taskSets) if (ts.status === 'PRIMARY') ts.computedDesiredCount = desiredCount
    }
    applyConfiguration(service, params)
    return { service: serviceToWire(model, service, false) }
  }

  const placement = requestedPlacement(service, params)
  const changed =
    (taskDefinition !== undefined && taskDefinition !== service.taskDefinition) ||
    placement !== undefined ||
    (params['loadBalancers'] !== undefined && !sameJson(params['loadBalancers'], service.loadBalancers))
  const config = params['deploymentConfiguration']
  const requested = (config as { strategy?: unknown } | undefined)?.strategy
  const strategy = requested ?? service.deploymentConfiguration.strategy ?? 'ROLLING'
  const deploys = changed || params['forceNewDeployment'] === true
  if (typeof config === 'object' && config !== null) checkNativeConfiguration(config as Record<string, unknown>)
  // ECS-managed blue/green, linear and canary need advancedConfiguration on every load balancer: checked when such a
  // deployment would start and when the strategy or the load balancers change (see native.ts).
  if (isNativeStrategy(strategy) && (deploys || requested !== undefined || params['loadBalancers'] !== undefined)) {
    checkNativeLoadBalancers(
      String(strategy),
      (params['loadBalancers'] as Service['loadBalancers'] | undefined) ?? service.loadBalancers
    )
  }
  if (typeof desiredCount === 'number') service.desiredCount = desiredCount
  applyConfiguration(service, params)
  if (placement) Object.assign(service, placement)
  if (params['loadBalancers'] !== undefined) service.loadBalancers = params['loadBalancers'] as Service['loadBalancers']

  if (deploys && isNativeStrategy(strategy)) {
    startNativeDeployment(model, service, taskDefinition ?? service.taskDefinition)
    return { service: serviceToWire(model, service, false) }
  }
  // A new deployment needs a change or forceNewDeployment; a desiredCount change alone does not deploy.
  if (changed || params['forceNewDeployment'] === true) {
    startRollingDeployment(model, service, taskDefinition ?? service.taskDefinition, {
      ...optional('script', takeRollingScript(model, service.name))
    })
  } else if (typeof desiredCount === 'number') {
    const primary = service.deployments.find((d) => d.status === 'PRIMARY')
    if (primary) primary.desiredCount = desiredCount
  }
  return { service: serviceToWire(model, service, false) }
}

/**
 * On a CODE_DEPLOY service only desiredCount, deploymentConfiguration, health check grace period, placement and
 * tags may change; CodeDeploy must make every other change.
 * // https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_UpdateService.html
 * // https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-type-bluegreen.html
 */
function rejectCodeDeployChanges(
  service: Service,
  params: Record<string, unknown>,
  taskDefinition: string | undefined
): void {
  const useCodeDeploy = (what: string): AwsError =>
    invalidParameter(
      `Unable to update ${what} on services with a CODE_DEPLOY deployment controller. Use AWS CodeDeploy to trigger a new deployment.`
    )
  const forceNew = (): AwsError =>
    invalidParameter(
      'Cannot force a new deployment on services with a CODE_DEPLOY deployment controller. Use AWS CodeDeploy to trigger a new deployment.'
    )
  if (taskDefinition !== undefined && taskDefinition !== service.taskDefinition) throw useCodeDeploy('task definition')
  // Reported to be rejected even when unchanged.
  if (params['networkConfiguration'] !== undefined) throw useCodeDeploy('network parameters')
  if (params['loadBalancers'] !== undefined && !sameJson(params['loadBalancers'], service.loadBalancers)) {
    throw useCodeDeploy('load balancers')
  }
  if (params['platformVersion'] !== undefined && params['platformVersion'] !== service.platformVersion) {
    throw useCodeDeploy('platform version')
  }
  if (
    params['capacityProviderStrategy'] !== undefined &&
    !sameJson(params['capacityProviderStrategy'], service.capacityProviderStrategy ?? [])
  ) {
    throw forceNew()
  }
  // The SDK sends an explicit `false`; only `true` asks for a deployment.
  if (params['forceNewDeployment'] === true) throw forceNew()
}

function applyConfiguration(service: Service, params: Record<string, unknown>): void {
  const config = params['deploymentConfiguration']
  if (typeof config === 'object' && config !== null) {
    // https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DeploymentConfiguration.html (strategy)
    const strategy = (config as Record<string, unknown>)['strategy']
    if (strategy !== undefined && !DEPLOYMENT_STRATEGIES.includes(strategy as DeploymentStrategy)) {
      throw invalidParameter(`deploymentConfiguration.strategy must be one of ${DEPLOYMENT_STRATEGIES.join(', ')}.`)
    }
    service.deploymentConfiguration = {
      ...service.deploymentConfiguration,
      ...(config as Service['deploymentConfiguration'])
    }
  }
  if (typeof params['healthCheckGracePeriodSeconds'] === 'number') {
    service.healthCheckGracePeriodSeconds = params['healthCheckGracePeriodSeconds']
  }
}

/** The placement an UpdateService asks to change, or undefined when it changes none. */
function requestedPlacement(service: Service, params: Record<string, unknown>): Placement | undefined {
  const next: Placement = {}
  let changed = false
  if (
    params['networkConfiguration'] !== undefined &&
    !sameJson(params['networkConfiguration'], service.networkConfiguration)
  ) {
    next.networkConfiguration = params['networkConfiguration'] as Placement['networkConfiguration'] & object
    changed = true
  }
  if (params['platformVersion'] !== undefined && params['platformVersion'] !== service.platformVersion) {
    next.platformVersion = params['platformVersion'] as string
    changed = true
  }
  const strategy = params['capacityProviderStrategy']
  if (Array.isArray(strategy) && strategy.length > 0 && !sameJson(strategy, service.capacityProviderStrategy)) {
    next.capacityProviderStrategy = strategy as Placement['capacityProviderStrategy'] & object
    // A service has a launch type or a capacity provider strategy, never both.
    delete service.launchType
    changed = true
  }
  return changed ? next : undefined
}

// https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ListTasks.html
function listTasks(model: Model, params: Record<string, unknown>): unknown {
  const cluster = findCluster(model, params)
  const startedBy = optionalString(params, 'startedBy', invalidParameter)
  const service = optionalString(params, 'serviceName', invalidParameter)
  const family = optionalString(params, 'family', invalidParameter)
  const desiredStatus = optionalString(params, 'desiredStatus', invalidParameter)
  if (
    startedBy !== undefined &&
    (service !== undefined ||
      family !== undefined ||
      desiredStatus !== undefined ||
      params['containerInstance'] !== undefined)
  ) {
    // "When you specify startedBy as the filter, it must be the only filter that you use."
    throw invalidParameter('cannot specify startedBy with other arguments')
  }
  if (desiredStatus !== undefined && !['RUNNING', 'PENDING', 'STOPPED'].includes(desiredStatus)) {
    throw invalidParameter(`desiredStatus must be one of RUNNING, PENDING, STOPPED.`)
  }
  if (service !== undefined && !cluster.services.has(serviceName(service))) {
    throw new AwsError('ServiceNotFoundException', 'Service not found.')
  }
  const maxResults = params['maxResults'] ?? 100
  if (typeof maxResults !== 'number' || maxResults < 1 || maxResults > 100) {
    throw invalidParameter('maxResults must be between 1 and 100.')
  }
  const wanted = desiredStatus ?? 'RUNNING'
  const matching = [...model.tasks.values()].filter(
    (t) =>
      t.clusterName === cluster.name &&
      t.desiredStatus === wanted &&
      (startedBy === undefined || t.startedBy === startedBy) &&
      (service === undefined || t.serviceName === serviceName(service)) &&
      (family === undefined || t.taskDefinitionArn.includes(`:task-definition/${family}:`))
  )
  const start = readNextToken(params['nextToken'])
  const page = matching.slice(start, start + maxResults)
  const result: Record<string, unknown> = { taskArns: page.map((t) => t.taskArn) }
  if (start + maxResults < matching.length)
    result['nextToken'] = Buffer.from(String(start + maxResults)).toString('base64')
  return result
}

// https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DescribeTasks.html
function describeTasks(model: Model, params: Record<string, unknown>): unknown {
  const cluster = findCluster(model, params)
  const refs = optionalStringList(params, 'tasks')
  if (!refs || refs.length === 0) throw invalidParameter('Tasks cannot be empty.')
  if (refs.length > 100) throw invalidParameter('tasks can have at most 100 items.')
  const tasks: unknown[] = []
  const failures: unknown[] = []
  for (const ref of refs) {
    const arn = ref.startsWith('arn:') ? ref : model.taskArn(cluster.name, ref)
    const task = model.tasks.get(arn)
    if (!task || task.clusterName !== cluster.name) failures.push({ arn, reason: 'MISSING' })
    else tasks.push(taskToWire(model, task))
  }
  return { tasks, failures }
}

// https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RunTask.html
function runTask(model: Model, params: Record<string, unknown>): unknown {
  const cluster = findCluster(model, params)
  const ref = requireString(params, 'taskDefinition', invalidParameter)
  const td = model.findTaskDefinition(ref)
  if (!td || td.status !== 'ACTIVE') throw clientError('TaskDefinition not found.')
  const count = params['count'] ?? 1
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 1 || count > 10) {
    throw invalidParameter('count must be between 1 and 10.')
  }
  const startedBy = optionalString(params, 'startedBy', invalidParameter)
  if (startedBy !== undefined && startedBy.length > 128) {
    throw invalidParameter('startedBy can be at most 128 characters.')
  }
  const launchType = optionalString(params, 'launchType', invalidParameter)
  const providers = params['capacityProviderStrategy']
  if (launchType !== undefined && Array.isArray(providers) && providers.length > 0) {
    throw invalidParameter('Specifying both a launchType and capacityProviderStrategy is not supported.')
  }
  if (td.body['networkMode'] === 'awsvpc' && params['networkConfiguration'] === undefined) {
    throw invalidParameter("Network Configuration must be provided when networkMode 'awsvpc' is specified.")
  }
  const overrides = params['overrides'] as Record<string, unknown> | undefined
  // https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_TaskOverride.html (8192 characters of JSON)
  if (overrides !== undefined && JSON.stringify(overrides).length > 8192) {
    throw invalidParameter('Container Overrides length must be at most 8192')
  }
  const containerNames = ((td.body['containerDefinitions'] as { name: string }[] | undefined) ?? []).map((c) => c.name)
  for (const o of (overrides?.['containerOverrides'] as { name?: string }[] | undefined) ?? []) {
    if (!containerNames.includes(o.name ?? '')) {
      throw invalidParameter(`Override for container named ${String(o.name)} is not a container in the TaskDefinition.`)
    }
  }
  const tasks = startOneOffTasks(model, cluster.name, td, count, {
    startedBy: startedBy ?? '',
    group: optionalString(params, 'group', invalidParameter) ?? `family:${td.family}`,
    ...(overrides !== undefined ? { overrides } : {}),
    ...(launchType !== undefined ? { launchType } : {})
  })
  return { tasks: tasks.map((t) => taskToWire(model, t)), failures: [] }
}

/** One-off tasks go PROVISIONING → RUNNING → STOPPED on their own, their containers exiting with the knob's code. */
function startOneOffTasks(
  model: Model,
  clusterName: string,
  td: TaskDefinition,
  count: number,
  fields: Pick<Task, 'startedBy' | 'group' | 'overrides' | 'launchType'>
): Task[] {
  const tasks: Task[] = []
  const exitCode = model.oneOffExitCode
  for (let i = 0; i < count; i++) {
    const [task] = model.startTasks({ clusterName, name: '' }, 1, td.arn, fields.startedBy)
    if (!task) continue
    Object.assign(task, fields, { lastStatus: 'PROVISIONING' })
    tasks.push(task)
  }
  model.runFlow(async (signal) => {
    await sleep(model.timings.stepMs, signal)
    model.markRunning(tasks.filter((t) => t.lastStatus !== 'STOPPED'))
    await sleep(model.timings.oneOffRunMs ?? model.timings.rollingCompletionMs, signal)
    for (const task of tasks) {
      if (task.lastStatus === 'STOPPED') continue
      model.stopTask(task, 'EssentialContainerExited', 'Essential container in task exited', exitCode)
    }
  })
  return tasks
}

// https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_StopTask.html
function stopTask(model: Model, params: Record<string, unknown>): unknown {
  const cluster = findCluster(model, params)
  const ref = requireString(params, 'task', invalidParameter)
  const reason = optionalString(params, 'reason', invalidParameter)
  if (reason !== undefined && reason.length > 255) throw invalidParameter('reason can be at most 255 characters.')
  const arn = ref.startsWith('arn:') ? ref : model.taskArn(cluster.name, ref)
  const task = model.tasks.get(arn)
  if (!task || task.clusterName !== cluster.name) throw invalidParameter('The referenced task was not found.')
  // SIGTERM: a shell that does not trap it exits with 128 + 15.
  if (task.lastStatus !== 'STOPPED') model.stopTask(task, 'UserInitiated', reason ?? 'Task stopped by user', 143)
  return { task: taskToWire(model, task) }
}

// ---- wire shapes -------------------------------------------------------------------------------------------

/** https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Service.html */
export function serviceToWire(model: Model, service: Service, withTags: boolean): Record<string, unknown> {
  const tasks = model.tasksOf(service)
  const wire: Record<string, unknown> = {
    serviceArn: service.arn,
    serviceName: service.name,
    clusterArn: model.clusterArn(service.clusterName),
    loadBalancers: service.loadBalancers,
    serviceRegistries: [],
    status: service.status,
    desiredCount: service.desiredCount,
    runningCount: tasks.filter((t) => t.lastStatus === 'RUNNING').length,
    pendingCount: tasks.filter((t) => t.lastStatus === 'PENDING').length,
    ...placementToWire(service),
    platformFamily: 'Linux',
    taskDefinition: service.taskDefinition,
    deploymentConfiguration: deploymentConfigurationToWire(service),
    roleArn: `arn:aws:iam::${ACCOUNT_ID}:role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS`,
    events: service.events,
    createdAt: service.createdAt,
    placementConstraints: [],
    placementStrategy: [],
    schedulingStrategy: 'REPLICA',
    deploymentController: { type: service.deploymentController },
    createdBy: `arn:aws:iam::${ACCOUNT_ID}:role/admin`,
    enableECSManagedTags: false,
    propagateTags: 'NONE',
    enableExecuteCommand: false,
    availabilityZoneRebalancing: 'DISABLED'
  }
  if (service.healthCheckGracePeriodSeconds !== undefined) {
    wire['healthCheckGracePeriodSeconds'] = service.healthCheckGracePeriodSeconds
  }
  if (service.deploymentController === 'CODE_DEPLOY') {
    wire['taskSets'] = service.taskSets.map((ts) => taskSetToWire(model, service, ts))
  } else {
    wire['deployments'] = service.deployments.map((d) => deploymentToWire(service, d))
    Object.assign(wire, nativeServiceFields(model, service))
  }
  if (withTags) wire['tags'] = service.tags
  return wire
}

/** ECS-controller services report their strategy, ROLLING when none was set. */
function deploymentConfigurationToWire(service: Service): Record<string, unknown> {
  if (service.deploymentController !== 'ECS') return { ...service.deploymentConfiguration }
  return { ...service.deploymentConfiguration, strategy: service.deploymentConfiguration.strategy ?? 'ROLLING' }
}

function deploymentToWire(service: Service, d: EcsDeployment): Record<string, unknown> {
  const wire: Record<string, unknown> = {
    id: d.id,
    status: d.status,
    taskDefinition: d.taskDefinition,
    desiredCount: d.desiredCount,
    pendingCount: d.pendingCount,
    runningCount: d.runningCount,
    failedTasks: d.failedTasks,
    createdAt: d.createdAt,
    updatedAt: d.updatedAt,
    ...placementToWire(d)
  }
  // No rollout state behind a Classic Load Balancer.
  // https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Deployment.html#ECS-Type-Deployment-rolloutState
  if (!service.loadBalancers.some((lb) => lb.loadBalancerName !== undefined)) {
    wire['rolloutState'] = d.rolloutState
    wire['rolloutStateReason'] = d.rolloutStateReason
  }
  return wire
}

/** https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_TaskSet.html */
function taskSetToWire(model: Model, service: Service, ts: TaskSet): Record<string, unknown> {
  const wire: Record<string, unknown> = {
    id: ts.id,
    taskSetArn: ts.taskSetArn,
    serviceArn: service.arn,
    clusterArn: model.clusterArn(service.clusterName),
    status: ts.status,
    taskDefinition: ts.taskDefinition,
    computedDesiredCount: ts.computedDesiredCount,
    pendingCount: ts.pendingCount,
    runningCount: ts.runningCount,
    createdAt: ts.createdAt,
    updatedAt: ts.updatedAt,
    ...placementToWire(ts),
    loadBalancers: ts.loadBalancers,
    serviceRegistries: [],
    scale: { value: 100, unit: 'PERCENT' },
    stabilityStatus: ts.stabilityStatus,
    stabilityStatusAt: ts.updatedAt
  }
  if (ts.externalId !== undefined) wire['externalId'] = ts.externalId
  return wire
}

function placementToWire(p: Placement): Record<string, unknown> {
  const wire: Record<string, unknown> = {}
  // A launch type or a capacity provider strategy, never both.
  if (p.capacityProviderStrategy !== undefined) wire['capacityProviderStrategy'] = p.capacityProviderStrategy
  else if (p.launchType !== undefined) wire['launchType'] = p.launchType
  if (p.platformVersion !== undefined) wire['platformVersion'] = p.platformVersion
  if (p.networkConfiguration !== undefined) wire['networkConfiguration'] = p.networkConfiguration
  return wire
}

/** https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_TaskDefinition.html */
export function taskDefinitionToWire(td: TaskDefinition): Record<string, unknown> {
  const fargate = ((td.body['requiresCompatibilities'] as string[] | undefined) ?? []).includes('FARGATE')
  return {
    taskDefinitionArn: td.arn,
    ...td.body,
    revision: td.revision,
    status: td.status,
    requiresAttributes: [],
    compatibilities: fargate ? ['EC2', 'FARGATE'] : ['EC2'],
    registeredAt: td.registeredAt,
    registeredBy: `arn:aws:iam::${ACCOUNT_ID}:role/deploy`
  }
}

/** https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Task.html */
function taskToWire(model: Model, task: Task): Record<string, unknown> {
  const wire: Record<string, unknown> = {
    taskArn: task.taskArn,
    clusterArn: model.clusterArn(task.clusterName),
    taskDefinitionArn: task.taskDefinitionArn,
    group: task.group ?? `service:${task.serviceName}`,
    startedBy: task.startedBy,
    lastStatus: task.lastStatus,
    desiredStatus: task.desiredStatus,
    createdAt: task.createdAt,
    version: task.lastStatus === 'STOPPED' ? 5 : 3,
    containers: task.containers.map((c) => ({ ...c, taskArn: task.taskArn })),
    attachments: [],
    tags: []
  }
  if (task.overrides !== undefined) wire['overrides'] = task.overrides
  for (const key of ['launchType', 'startedAt', 'stoppingAt', 'stoppedAt', 'stopCode', 'stoppedReason'] as const) {
    if (task[key] !== undefined) wire[key] = task[key]
  }
  return wire
}

// ---- parameter helpers -------------------------------------------------------------------------------------

function findCluster(model: Model, params: Record<string, unknown>): Cluster {
  const ref = optionalString(params, 'cluster', invalidParameter) ?? 'default'
  const cluster = model.clusters.get(clusterName(ref))
  if (!cluster) throw new AwsError('ClusterNotFoundException', 'Cluster not found.')
  return cluster
}

/** `name` or `arn:aws:ecs:…:cluster/name`. */
function clusterName(ref: string): string {
  return ref.startsWith('arn:') ? (ref.split('/').pop() ?? ref) : ref
}

/** `name`, `arn:…:service/name` (old form) or `arn:…:service/cluster/name`. */
function serviceName(ref: string): string {
  return ref.startsWith('arn:') ? (ref.split('/').pop() ?? ref) : ref
}

function optionalStringList(params: Record<string, unknown>, key: string): string[] | undefined {
  const value = params[key]
  if (value === undefined) return undefined
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string'))
    throw invalidParameter(`${key} must be a list of strings.`)
  return value
}

function includes(params: Record<string, unknown>, what: string): boolean {
  const include = params['include']
  return Array.isArray(include) && include.includes(what)
}

function readNextToken(token: unknown): number {
  if (token === undefined) return 0
  const offset = typeof token === 'string' ? Number(Buffer.from(token, 'base64').toString()) : NaN
  if (!Number.isInteger(offset) || offset < 0) throw invalidParameter('Invalid nextToken.')
  return offset
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b)
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V }
}
