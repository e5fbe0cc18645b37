/** Fixtures: the AWS resources a test or the demo starts from, as plain JSON (they also travel over HTTP). */
import { randomUUID } from 'node:crypto'
import { registerTaskDefinitionIn } from './ecs.js'
import {
  type AdvancedConfiguration,
  type AutoRollback,
  type CapacityProviderStrategyItem,
  type DeploymentConfiguration,
  type LoadBalancer,
  type Model,
  type NetworkConfiguration,
  type ReadyAction,
  type Service,
  type Tag,
  type TaskSet,
  ACCOUNT_ID,
  newEcsId
} from './model.js'
import { ensureCurrentRevision, isNativeStrategy } from './native.js'

export interface ServiceSeed {
  cluster: string
  name: string
  deploymentController?: 'ECS' | 'CODE_DEPLOY'
  /** `family:revision` or a full ARN of a task definition in the fixture. */
  taskDefinition: string
  desiredCount?: number
  loadBalancers?: LoadBalancerSeed[]
  networkConfiguration?: NetworkConfiguration
  platformVersion?: string
  launchType?: string
  capacityProviderStrategy?: CapacityProviderStrategyItem[]
  deploymentConfiguration?: DeploymentConfiguration
  tags?: Tag[]
}

export interface LoadBalancerSeed {
  targetGroupName: string
  containerName: string
  containerPort: number
  /** ECS-managed blue/green: builds `advancedConfiguration` with this alternate target group. */
  alternateTargetGroupName?: string
  /** With `alternateTargetGroupName`: whether a test listener rule is set (default true). */
  testListener?: boolean
  /** Taken as given (wins over `alternateTargetGroupName`). */
  advancedConfiguration?: AdvancedConfiguration
}

export interface DeploymentGroupSeed {
  name: string
  cluster: string
  service: string
  /** Blue's target group first. */
  targetGroups: [string, string]
  deploymentConfigName?: string
  readyAction?: ReadyAction
  readyWaitMinutes?: number
  terminationAction?: 'TERMINATE' | 'KEEP_ALIVE'
  terminationWaitMinutes?: number
  autoRollback?: AutoRollback
  testListener?: boolean
}

export interface Fixture {
  clusters?: string[]
  /** RegisterTaskDefinition inputs, registered in order (so revisions count up per family). */
  taskDefinitions?: Record<string, unknown>[]
  services?: ServiceSeed[]
  applications?: { name: string; deploymentGroups: DeploymentGroupSeed[] }[]
}

const WEB_CONTAINER = {
  name: 'web',
  image: 'public.ecr.aws/nginx/nginx:1.27',
  essential: true,
  portMappings: [{ containerPort: 80, hostPort: 80, protocol: 'tcp' }]
}

const FARGATE_TASK = {
  networkMode: 'awsvpc',
  requiresCompatibilities: ['FARGATE'],
  cpu: '256',
  memory: '512',
  executionRoleArn: `arn:aws:iam::${ACCOUNT_ID}:role/ecsTaskExecutionRole`
}

const NETWORK: NetworkConfiguration = {
  awsvpcConfiguration: {
    subnets: ['subnet-0a1b2c3d4e5f60001'],
    securityGroups: ['sg-0a1b2c3d4e5f60001'],
    assignPublicIp: 'DISABLED'
  }
}

/**
 * `standard`: cluster `demo`; CODE_DEPLOY service `web-bg` (container web:80 behind a load balancer, awsvpc,
 * platform 1.4.0, FARGATE capacity provider) with app `AppECS-demo-web-bg` / group `DgpECS-demo-web-bg`;
 * ECS-controller service `web-rolling` (circuit breaker with rollback); task definitions `web:1` and `multi:1`.
 */
export const STANDARD_FIXTURE: Fixture = {
  clusters: ['demo'],
  taskDefinitions: [
    { family: 'web', ...FARGATE_TASK, containerDefinitions: [WEB_CONTAINER] },
    {
      family: 'multi',
      ...FARGATE_TASK,
      containerDefinitions: [
        WEB_CONTAINER,
        {
          name: 'sidecar',
          image: 'public.ecr.aws/docker/library/busybox:1.36',
          essential: false,
          portMappings: [{ containerPort: 9000, hostPort: 9000, protocol: 'tcp' }]
        }
      ]
    }
  ],
  services: [
    {
      cluster: 'demo',
      name: 'web-bg',
      deploymentController: 'CODE_DEPLOY',
      taskDefinition: 'web:1',
      desiredCount: 2,
      loadBalancers: [{ targetGroupName: 'web-bg-blue', containerName: 'web', containerPort: 80 }],
      networkConfiguration: NETWORK,
      platformVersion: '1.4.0',
      capacityProviderStrategy: [{ capacityProvider: 'FARGATE', weight: 1, base: 0 }]
    },
    {
      cluster: 'demo',
      name: 'web-rolling',
      deploymentController: 'ECS',
      taskDefinition: 'web:1',
      desiredCount: 2,
      loadBalancers: [{ targetGroupName: 'web-rolling', containerName: 'web', containerPort: 80 }],
      networkConfiguration: NETWORK,
      platformVersion: '1.4.0',
      launchType: 'FARGATE',
      deploymentConfiguration: {
        deploymentCircuitBreaker: { enable: true, rollback: true },
        maximumPercent: 200,
        minimumHealthyPercent: 100
      }
    }
  ],
  applications: [
    {
      name: 'AppECS-demo-web-bg',
      deploymentGroups: [
        {
          name: 'DgpECS-demo-web-bg',
          cluster: 'demo',
          service: 'web-bg',
          targetGroups: ['web-bg-blue', 'web-bg-green'],
          deploymentConfigName: 'CodeDeployDefault.ECSAllAtOnce',
          readyAction: 'CONTINUE_DEPLOYMENT',
          terminationAction: 'TERMINATE',
          terminationWaitMinutes: 5,
          autoRollback: { enabled: true, events: ['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_REQUEST'] },
          testListener: true
        }
      ]
    }
  ]
}

/** An ECS-managed (BLUE_GREEN / LINEAR / CANARY) service on `web:1` in `demo`, behind a load balancer. */
function nativeService(name: string, deploymentConfiguration: DeploymentConfiguration, advanced = true): ServiceSeed {
  return {
    cluster: 'demo',
    name,
    deploymentController: 'ECS',
    taskDefinition: 'web:1',
    desiredCount: 2,
    loadBalancers: [
      {
        targetGroupName: `${name}-blue`,
        containerName: 'web',
        containerPort: 80,
        ...(advanced ? { alternateTargetGroupName: `${name}-green` } : {})
      }
    ],
    networkConfiguration: NETWORK,
    platformVersion: '1.4.0',
    launchType: 'FARGATE',
    deploymentConfiguration: {
      deploymentCircuitBreaker: { enable: true, rollback: true },
      maximumPercent: 200,
      minimumHealthyPercent: 100,
      ...deploymentConfiguration
    }
  }
}

/**
 * `native`: `standard` plus ECS-managed services `web-native` (BLUE_GREEN), `web-linear` (LINEAR, 50 % steps),
 * `web-canary` (CANARY, 10 %) and `web-native-noadv` (BLUE_GREEN without advancedConfiguration, which ECS refuses).
 */
export const NATIVE_FIXTURE: Fixture = {
  ...STANDARD_FIXTURE,
  services: [
    ...(STANDARD_FIXTURE.services ?? []),
    nativeService('web-native', { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 5 }),
    nativeService('web-linear', {
      strategy: 'LINEAR',
      bakeTimeInMinutes: 5,
      linearConfiguration: { stepPercent: 50, stepBakeTimeInMinutes: 1 }
    }),
    nativeService('web-canary', {
      strategy: 'CANARY',
      bakeTimeInMinutes: 5,
      canaryConfiguration: { canaryPercent: 10, canaryBakeTimeInMinutes: 1 }
    }),
    nativeService('web-native-noadv', { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 5 }, false)
  ]
}

export const FIXTURES: Record<string, Fixture> = { standard: STANDARD_FIXTURE, native: NATIVE_FIXTURE, none: {} }

/** Adds a fixture's resources to the model (on top of what is there). */
export function seedFixture(model: Model, fixture: Fixture): void {
  for (const name of fixture.clusters ?? []) {
    if (!model.clusters.has(name)) model.clusters.set(name, { name, arn: model.clusterArn(name), services: new Map() })
  }
  for (const input of fixture.taskDefinitions ?? []) registerTaskDefinitionIn(model, input)
  for (const seed of fixture.services ?? []) seedService(model, seed)
  for (const app of fixture.applications ?? []) {
    if (!model.applications.has(app.name)) {
      model.applications.set(app.name, { name: app.name, id: randomUUID(), createTime: model.now() })
    }
    for (const g of app.deploymentGroups) {
      model.groups.set(`${app.name}/${g.name}`, {
        applicationName: app.name,
        name: g.name,
        id: randomUUID(),
        deploymentConfigName: g.deploymentConfigName ?? 'CodeDeployDefault.ECSAllAtOnce',
        serviceRoleArn: `arn:aws:iam::${ACCOUNT_ID}:role/ecsCodeDeployRole`,
        clusterName: g.cluster,
        serviceName: g.service,
        targetGroups: g.targetGroups,
        prodListenerArn: listenerArn(model, g.service, 'prod'),
        ...(g.testListener === false ? {} : { testListenerArn: listenerArn(model, g.service, 'test') }),
        readyAction: g.readyAction ?? 'CONTINUE_DEPLOYMENT',
        readyWaitMinutes: g.readyWaitMinutes ?? 60,
        terminationAction: g.terminationAction ?? 'TERMINATE',
        terminationWaitMinutes: g.terminationWaitMinutes ?? 5,
        autoRollback: g.autoRollback ?? { enabled: false, events: [] }
      })
    }
  }
}

function seedService(model: Model, seed: ServiceSeed): void {
  const cluster = model.clusters.get(seed.cluster)
  if (!cluster) throw new Error(`fixture: service ${seed.name} names unknown cluster ${seed.cluster}`)
  const td = model.findTaskDefinition(seed.taskDefinition)
  if (!td) throw new Error(`fixture: service ${seed.name} names unknown task definition ${seed.taskDefinition}`)
  const now = model.now()
  const service: Service = {
    name: seed.name,
    arn: model.serviceArn(seed.cluster, seed.name),
    clusterName: seed.cluster,
    status: 'ACTIVE',
    desiredCount: seed.desiredCount ?? 1,
    taskDefinition: td.arn,
    deploymentController: seed.deploymentController ?? 'ECS',
    loadBalancers: (seed.loadBalancers ?? []).map((lb) => loadBalancerOf(model, seed.name, lb)),
    deploymentConfiguration: seed.deploymentConfiguration ?? { maximumPercent: 200, minimumHealthyPercent: 100 },
    deployments: [],
    taskSets: [],
    events: [],
    createdAt: now,
    tags: seed.tags ?? []
  }
  if (seed.capacityProviderStrategy) service.capacityProviderStrategy = seed.capacityProviderStrategy
  else service.launchType = seed.launchType ?? 'FARGATE'
  if (seed.platformVersion !== undefined) service.platformVersion = seed.platformVersion
  if (seed.networkConfiguration) service.networkConfiguration = seed.networkConfiguration
  cluster.services.set(seed.name, service)

  const id = newEcsId()
  const tasks = model.startTasks(service, service.desiredCount, td.arn, id, service.launchType ?? 'FARGATE')
  model.markRunning(tasks)
  if (service.deploymentController === 'CODE_DEPLOY') {
    const taskSet: TaskSet = {
      id,
      taskSetArn: model.taskSetArn(service.clusterName, service.name, id),
      status: 'PRIMARY',
      taskDefinition: td.arn,
      computedDesiredCount: service.desiredCount,
      pendingCount: 0,
      runningCount: tasks.length,
      createdAt: now,
      updatedAt: now,
      loadBalancers: service.loadBalancers,
      stabilityStatus: 'STEADY_STATE',
      trafficWeight: 100,
      targetGroupName: seed.loadBalancers?.[0]?.targetGroupName ?? 'unknown'
    }
    for (const key of ['launchType', 'capacityProviderStrategy', 'platformVersion', 'networkConfiguration'] as const) {
      if (service[key] !== undefined) Object.assign(taskSet, { [key]: service[key] })
    }
    service.taskSets.push(taskSet)
  } else {
    service.deployments.push({
      id,
      status: 'PRIMARY',
      taskDefinition: td.arn,
      desiredCount: service.desiredCount,
      pendingCount: 0,
      runningCount: tasks.length,
      failedTasks: 0,
      createdAt: now,
      updatedAt: now,
      rolloutState: 'COMPLETED',
      rolloutStateReason: `ECS deployment ${id} completed.`,
      ...(service.launchType !== undefined ? { launchType: service.launchType } : {}),
      ...(service.platformVersion !== undefined ? { platformVersion: service.platformVersion } : {}),
      ...(service.networkConfiguration ? { networkConfiguration: service.networkConfiguration } : {})
    })
  }
  model.addEvent(service, `(service ${service.name}) has reached a steady state.`)
  // ECS-managed blue/green, linear, canary: revision 1 and the SUCCESSFUL service deployment CreateService leaves.
  if (service.deploymentController === 'ECS' && isNativeStrategy(service.deploymentConfiguration.strategy)) {
    ensureCurrentRevision(model, service)
  }
}

function loadBalancerOf(model: Model, service: string, lb: LoadBalancerSeed): LoadBalancer {
  const wire: LoadBalancer = {
    targetGroupArn: model.targetGroupArn(lb.targetGroupName),
    containerName: lb.containerName,
    containerPort: lb.containerPort
  }
  if (lb.advancedConfiguration) wire.advancedConfiguration = lb.advancedConfiguration
  else if (lb.alternateTargetGroupName !== undefined) {
    const rule = (n: string): string =>
      `arn:aws:elasticloadbalancing:${model.region}:${ACCOUNT_ID}:listener-rule/app/${service}/0123456789abcdef/${n}`
    wire.advancedConfiguration = {
      alternateTargetGroupArn: model.targetGroupArn(lb.alternateTargetGroupName),
      productionListenerRule: rule('1111111111111111/aaaaaaaaaaaaaaaa'),
      ...(lb.testListener === false ? {} : { testListenerRule: rule('2222222222222222/bbbbbbbbbbbbbbbb') }),
      roleArn: `arn:aws:iam::${ACCOUNT_ID}:role/ecsInfrastructureRoleForLoadBalancers`
    }
  }
  return wire
}

function listenerArn(model: Model, service: string, kind: 'prod' | 'test'): string {
  return `arn:aws:elasticloadbalancing:${model.region}:${ACCOUNT_ID}:listener/app/${service}/0123456789abcdef/${kind === 'prod' ? '1111111111111111' : '2222222222222222'}`
}
