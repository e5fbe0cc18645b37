/**
 * The emulator's in-memory world: ECS clusters, services, task definitions and tasks; CodeDeploy applications,
 * deployment groups and deployments; the timings and scripted outcomes that drive them.
 * Objects hold wire-shaped fields where AWS has them; timestamps are epoch seconds (the JSON 1.1 wire form).
 */
import { randomBytes, randomUUID } from 'node:crypto'
import { setTimeout as sleepTimer } from 'node:timers/promises'
import type { PolicyDocument } from './policy.js'

export const ACCOUNT_ID = '123456789012'

/** Epoch seconds with a fraction, as AWS JSON 1.1 sends timestamps. */
export type Epoch = number

/** How long the simulated work takes. All in milliseconds so tests stay fast. */
export interface Timings {
  /** One CodeDeploy lifecycle event, Created → InProgress, one traffic-shift increment, a stop. */
  stepMs: number
  /** How long a STOP_DEPLOYMENT deployment stays Ready before it is stopped. */
  readyTimeoutMs: number
  /** The wait between the traffic shift and the deletion of the blue task set (TERMINATE). */
  terminationWaitMs: number
  /** From UpdateService to an ECS rolling deployment's COMPLETED (tasks start half way). */
  rollingCompletionMs: number
  /**
   * Lifecycle events of user deployments that take longer than `stepMs` (a slow hook), by event name, e.g.
   * `{ AfterAllowTestTraffic: 60000 }`. Rollback deployments keep `stepMs`.
   */
  eventMs?: Record<string, number>
  /** How long after a deployment ends CodeDeploy creates its rollback deployment and names it in `rollbackInfo`. */
  rollbackInfoDelayMs?: number
  /** How long a deployment shows the (undocumented) status `Baking` after its traffic shift, before it goes on. */
  bakingMs?: number
  /** How long a one-off task (RunTask) stays RUNNING before its containers exit (default `rollingCompletionMs`). */
  oneOffRunMs?: number
  /** ECS-managed deployments: BAKE_TIME, standing in for `bakeTimeInMinutes` (default `stepMs`). */
  bakeMs?: number
  /** ECS-managed LINEAR/CANARY: the wait after a traffic step, for `stepBakeTimeInMinutes`/`canaryBakeTimeInMinutes`. */
  stepBakeMs?: number
  /** ECS-managed deployments: PAUSE hooks time out after this long (default: they wait until continued). */
  pauseTimeoutMs?: number
}

export const DEFAULT_TIMINGS: Timings = {
  stepMs: 150,
  readyTimeoutMs: 30_000,
  terminationWaitMs: 600,
  rollingCompletionMs: 600
}

export interface Tag {
  key: string
  value: string
}

export interface ServiceEvent {
  id: string
  createdAt: Epoch
  message: string
}

export interface LoadBalancer {
  targetGroupArn?: string
  loadBalancerName?: string
  containerName: string
  containerPort: number
  /** ECS-managed blue/green: the alternate target group, listener rules and role. */
  advancedConfiguration?: AdvancedConfiguration
}

export interface AdvancedConfiguration {
  alternateTargetGroupArn?: string
  productionListenerRule?: string
  testListenerRule?: string
  roleArn?: string
}

export interface AwsVpcConfiguration {
  subnets: string[]
  securityGroups?: string[]
  assignPublicIp?: string
}

export interface NetworkConfiguration {
  awsvpcConfiguration?: AwsVpcConfiguration
}

export interface CapacityProviderStrategyItem {
  capacityProvider: string
  weight?: number
  base?: number
}

/** Where tasks run: a launch type or a capacity provider strategy, never both (DescribeServices). */
export interface Placement {
  launchType?: string
  capacityProviderStrategy?: CapacityProviderStrategyItem[]
  platformVersion?: string
  networkConfiguration?: NetworkConfiguration
}

/** `deploymentConfiguration.strategy` of an ECS-controller service; ECS reports ROLLING when none was set. */
export const DEPLOYMENT_STRATEGIES = ['ROLLING', 'BLUE_GREEN', 'LINEAR', 'CANARY'] as const
export type DeploymentStrategy = (typeof DEPLOYMENT_STRATEGIES)[number]

export interface DeploymentConfiguration {
  deploymentCircuitBreaker?: { enable: boolean; rollback: boolean }
  maximumPercent?: number
  minimumHealthyPercent?: number
  strategy?: DeploymentStrategy
  bakeTimeInMinutes?: number
  lifecycleHooks?: DeploymentLifecycleHook[]
  linearConfiguration?: { stepPercent?: number; stepBakeTimeInMinutes?: number }
  canaryConfiguration?: { canaryPercent?: number; canaryBakeTimeInMinutes?: number }
}

export interface DeploymentLifecycleHook {
  targetType?: 'AWS_LAMBDA' | 'PAUSE'
  hookTargetArn?: string
  roleArn?: string
  lifecycleStages?: string[]
  hookDetails?: unknown
  timeoutConfiguration?: { timeoutInMinutes?: number; action?: 'CONTINUE' | 'ROLLBACK' }
}

/** A deployment of an ECS-controller service (`deployments[]` in DescribeServices). */
export interface EcsDeployment extends Placement {
  id: string
  status: 'PRIMARY' | 'ACTIVE' | 'INACTIVE'
  taskDefinition: string
  desiredCount: number
  pendingCount: number
  runningCount: number
  failedTasks: number
  createdAt: Epoch
  updatedAt: Epoch
  rolloutState: 'IN_PROGRESS' | 'COMPLETED' | 'FAILED'
  rolloutStateReason: string
}

/** A task set of a CODE_DEPLOY service, plus the traffic and target group CodeDeploy gives it. */
export interface TaskSet extends Placement {
  id: string
  taskSetArn: string
  externalId?: string
  status: 'PRIMARY' | 'ACTIVE' | 'DRAINING'
  taskDefinition: string
  computedDesiredCount: number
  pendingCount: number
  runningCount: number
  createdAt: Epoch
  updatedAt: Epoch
  loadBalancers: LoadBalancer[]
  stabilityStatus: 'STEADY_STATE' | 'STABILIZING'
  /** Production traffic share, 0–100 (CodeDeploy's `trafficWeight`). */
  trafficWeight: number
  targetGroupName: string
}

export interface Service extends Placement {
  name: string
  arn: string
  clusterName: string
  status: 'ACTIVE' | 'DRAINING' | 'INACTIVE'
  desiredCount: number
  taskDefinition: string
  deploymentController: 'ECS' | 'CODE_DEPLOY'
  loadBalancers: LoadBalancer[]
  deploymentConfiguration: DeploymentConfiguration
  healthCheckGracePeriodSeconds?: number
  deployments: EcsDeployment[]
  taskSets: TaskSet[]
  events: ServiceEvent[]
  createdAt: Epoch
  tags: Tag[]
  /** ARN of the latest service deployment (ECS-managed strategies). */
  currentServiceDeployment?: string
  /** ARNs of the service revisions that have tasks (ACTIVE), production first (ECS-managed strategies). */
  activeRevisions?: string[]
}

/** A service revision: the configuration one deployment of an ECS-controller service deploys. */
export interface ServiceRevision extends Placement {
  arn: string
  clusterName: string
  serviceName: string
  taskDefinition: string
  loadBalancers: LoadBalancer[]
  createdAt: Epoch
  /** The `deployments[]` entry of this revision; its tasks' `startedBy`. */
  ecsDeploymentId: string
  /** Tasks asked for (0 before SCALE_UP and after its clean-up). */
  requestedTaskCount: number
  /** Traffic shares, 0–100. */
  productionWeight: number
  testWeight: number
}

export type ServiceDeploymentStatus =
  | 'PENDING'
  | 'IN_PROGRESS'
  | 'STOP_REQUESTED'
  | 'ROLLBACK_REQUESTED'
  | 'ROLLBACK_IN_PROGRESS'
  | 'SUCCESSFUL'
  | 'STOPPED'
  | 'ROLLBACK_SUCCESSFUL'
  | 'ROLLBACK_FAILED'

/** One run of a lifecycle hook (`lifecycleHookDetails[]`). */
export interface HookRun {
  hookId: string
  stage: string
  targetType: 'AWS_LAMBDA' | 'PAUSE'
  targetArn?: string
  status: 'AWAITING_ACTION' | 'IN_PROGRESS' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT'
  expiresAt: Epoch
  timeoutAction: 'CONTINUE' | 'ROLLBACK'
  /** Set while a PAUSE hook awaits ContinueServiceDeployment. */
  resolve?: (action: 'CONTINUE' | 'ROLLBACK') => void
}

/** A service deployment (ListServiceDeployments / DescribeServiceDeployments). */
export interface ServiceDeploymentRecord {
  arn: string
  serviceArn: string
  clusterName: string
  serviceName: string
  /**
   * Rolling deployments only (service-history.ts): the `deployments[]` ids (`ecs-svc/…`) that carry it out; a
   * circuit breaker's rollback deployment maps to the deployment it rolls back.
   */
  ecsDeploymentIds?: string[]
  createdAt: Epoch
  startedAt?: Epoch
  finishedAt?: Epoch
  stoppedAt?: Epoch
  updatedAt: Epoch
  /** Production revision first. */
  sources: ServiceRevision[]
  target: ServiceRevision
  status: ServiceDeploymentStatus
  statusReason?: string
  lifecycleStage?: string
  hooks: HookRun[]
  deploymentConfiguration: DeploymentConfiguration
  rollback?: { reason: string; startedAt: Epoch; serviceRevisionArn: string }
  circuitBreaker: {
    status: 'DISABLED' | 'MONITORING' | 'MONITORING_COMPLETE' | 'TRIGGERED'
    failureCount: number
    threshold: number
  }
  /** Asks the running flow to roll back with this reason (set by failures, StopServiceDeployment, hooks). */
  requestRollback?: (reason: string) => void
  /** What DescribeServiceDeployments showed when (Date.now() ms), while reads lag writes. */
  snapshots: { at: number; wire: Record<string, unknown> }[]
}

/** Test knobs of ECS-managed deployments (control `nativeDeployments`). */
export interface NativeKnobs {
  /** Lambda hook outcome by lifecycle stage; `ms` keeps it IN_PROGRESS that long first. */
  hooks?: Record<string, { outcome: 'SUCCEED' | 'FAIL'; ms?: number }>
  /** The target revision's tasks fail their health checks with this reason. */
  failTasks?: StoppedTaskScript | undefined
  rollbackFails?: boolean
}

export interface Cluster {
  name: string
  arn: string
  services: Map<string, Service>
}

export interface TaskDefinition {
  arn: string
  family: string
  revision: number
  status: 'ACTIVE' | 'INACTIVE'
  registeredAt: Epoch
  /** The modelled RegisterTaskDefinition input fields, as registered. */
  body: Record<string, unknown>
  tags: Tag[]
}

export interface TaskContainer {
  containerArn: string
  name: string
  image: string
  lastStatus: string
  exitCode?: number
  reason?: string
}

export interface Task {
  taskArn: string
  clusterName: string
  /** Empty for a one-off task (RunTask). */
  serviceName: string
  /** `family:<family>` for RunTask's default; absent for service tasks (`service:<name>`). */
  group?: string
  /** RunTask's `overrides`, as given. */
  overrides?: Record<string, unknown>
  taskDefinitionArn: string
  startedBy: string
  lastStatus: 'PROVISIONING' | 'PENDING' | 'RUNNING' | 'STOPPED'
  desiredStatus: 'RUNNING' | 'STOPPED'
  launchType?: string
  createdAt: Epoch
  startedAt?: Epoch
  stoppingAt?: Epoch
  stoppedAt?: Epoch
  stopCode?: string
  stoppedReason?: string
  containers: TaskContainer[]
}

export interface Application {
  name: string
  id: string
  createTime: Epoch
}

export type ReadyAction = 'CONTINUE_DEPLOYMENT' | 'STOP_DEPLOYMENT'

export interface AutoRollback {
  enabled: boolean
  events: string[]
}

export interface DeploymentGroup {
  applicationName: string
  name: string
  id: string
  deploymentConfigName: string
  serviceRoleArn: string
  clusterName: string
  serviceName: string
  /** The pair of target groups blue and green alternate between. */
  targetGroups: [string, string]
  prodListenerArn: string
  testListenerArn?: string
  readyAction: ReadyAction
  readyWaitMinutes: number
  terminationAction: 'TERMINATE' | 'KEEP_ALIVE'
  terminationWaitMinutes: number
  autoRollback: AutoRollback
}

export type LifecycleStatus = 'Pending' | 'InProgress' | 'Succeeded' | 'Failed' | 'Skipped' | 'Unknown'

export interface LifecycleEvent {
  lifecycleEventName: string
  status: LifecycleStatus
  startTime?: Epoch
  endTime?: Epoch
  diagnostics?: { errorCode: string; scriptName: string; message: string; logTail: string }
}

export type TargetStatus = 'Pending' | 'InProgress' | 'Succeeded' | 'Failed' | 'Skipped' | 'Unknown' | 'Ready'

/** The one target of an ECS deployment: `<cluster>:<service>`. */
export interface EcsTarget {
  targetId: string
  targetArn: string
  status: TargetStatus
  lastUpdatedAt: Epoch
  lifecycleEvents: LifecycleEvent[]
  /** The original (production) task set and the replacement; shared with the service while they live there. */
  blue?: TaskSet
  green?: TaskSet
}

export type DeploymentStatus =
  'Created' | 'Queued' | 'InProgress' | 'Baking' | 'Succeeded' | 'Failed' | 'Stopped' | 'Ready'

export interface ErrorInformation {
  code: string
  message: string
}

export interface RollbackInfo {
  rollbackDeploymentId?: string
  rollbackTriggeringDeploymentId?: string
  rollbackMessage?: string
}

/** What a validated AppSpec asks for (see appspec.ts). */
export interface AppSpecTarget {
  taskDefinitionArn: string
  containerName: string
  containerPort: number
  platformVersion?: string
  networkConfiguration?: NetworkConfiguration
  capacityProviderStrategy?: CapacityProviderStrategyItem[]
  hooks: Record<string, string>
}

export interface Deployment {
  id: string
  applicationName: string
  groupName: string
  deploymentConfigName: string
  status: DeploymentStatus
  creator: 'user' | 'codeDeployRollback'
  description?: string
  createTime: Epoch
  startTime?: Epoch
  completeTime?: Epoch
  errorInformation?: ErrorInformation
  rollbackInfo?: RollbackInfo
  revisionSha256?: string
  autoRollback: AutoRollback
  /** Raw AppSpec; validated when the deployment starts, as CodeDeploy does. */
  appSpecContent?: string
  target?: EcsTarget
  /** Where the lifecycle is: drives ContinueDeployment and StopDeployment. */
  phase: 'created' | 'running' | 'ready' | 'terminationWait' | 'stopping' | 'done'
  /** Resolves the current wait (Ready or termination wait) early. */
  release?: () => void
  script?: CodeDeployScript
}

/** A scripted failure for the next CodeDeploy deployment. */
export interface CodeDeployScript {
  /** Only for this deployment group; any when absent. */
  group?: string
  /** The lifecycle event that fails (e.g. `AfterAllowTestTraffic`). */
  failAt: string
  code: string
  message: string
  /** Green tasks to stop, with these reasons. */
  stoppedTasks: StoppedTaskScript[]
}

export interface StoppedTaskScript {
  stoppedReason: string
  stopCode: string
  exitCode?: number
  containerReason?: string
}

/** A scripted circuit-breaker trip for the next ECS rolling deployment. */
export interface RollingScript {
  service?: string
  stoppedReason: string
  stopCode: string
  exitCode?: number
  containerReason?: string
}

/** A call as the emulator received it. */
export interface CallRecord {
  service: 'ecs' | 'codedeploy'
  op: string
  time: number
  params: Record<string, unknown>
  /** The error type answered, if any. */
  error?: string
}

/** The world plus the helpers every operation needs. */
export class Model {
  timings: Timings = { ...DEFAULT_TIMINGS }
  readonly clusters = new Map<string, Cluster>()
  /** family → revisions, index = revision - 1. */
  readonly taskDefinitions = new Map<string, TaskDefinition[]>()
  readonly tasks = new Map<string, Task>()
  readonly applications = new Map<string, Application>()
  /** Keyed `<application>/<group>`. */
  readonly groups = new Map<string, DeploymentGroup>()
  /** In creation order. */
  readonly deployments = new Map<string, Deployment>()
  readonly scripts: { codedeploy: CodeDeployScript[]; rolling: RollingScript[] } = { codedeploy: [], rolling: [] }
  /**
   * ECS reads are eventually consistent: for `readLagMs` after a write (UpdateService, RegisterTaskDefinition)
   * DescribeServices still shows the service as it was before it, and DescribeTaskDefinition does not know the new
   * revision. 0 (the default) makes every read see every write at once.
   */
  readLagMs = 0
  /** Service ARN → what DescribeServices shows until `until` (Date.now() ms): the service before a recent write. */
  readonly staleServices = new Map<string, { until: number; wire: Record<string, unknown> }>()
  /** Task definition ARN → when DescribeTaskDefinition starts to know it (Date.now() ms). */
  readonly unseenTaskDefinitions = new Map<string, number>()
  /** The caller's policy for what the emulator authorizes itself (tag-on-create); none grants no `ecs:TagResource`. */
  policy: PolicyDocument | undefined
  /** The exit code of every container of the next one-off tasks (RunTask); 0 by default. */
  oneOffExitCode = 0
  /** ECS-managed deployments: revisions and service deployments by ARN (creation order), knobs by service or `*`. */
  readonly serviceRevisions = new Map<string, ServiceRevision>()
  readonly serviceDeployments = new Map<string, ServiceDeploymentRecord>()
  readonly nativeKnobs = new Map<string, NativeKnobs>()
  private readonly flows = new Set<AbortController>()
  private readonly keyedFlows = new Map<string, AbortController>()

  constructor(readonly region: string) {}

  /** Before a write to `service`: reads keep seeing it as it is now for `readLagMs` (the oldest unexpired view). */
  beforeServiceWrite(service: Service, wire: () => Record<string, unknown>): void {
    if (this.readLagMs <= 0) return
    const stale = this.staleServices.get(service.arn)
    if (stale && stale.until > Date.now()) return
    this.staleServices.set(service.arn, { until: Date.now() + this.readLagMs, wire: wire() })
  }

  /** What DescribeServices shows of `service` while a recent write is not visible yet, else undefined. */
  staleView(service: Service): Record<string, unknown> | undefined {
    const stale = this.staleServices.get(service.arn)
    if (!stale) return undefined
    if (stale.until > Date.now()) return stale.wire
    this.staleServices.delete(service.arn)
    return undefined
  }

  /** Whether DescribeTaskDefinition knows this revision yet. */
  isVisible(td: TaskDefinition): boolean {
    const from = this.unseenTaskDefinitions.get(td.arn)
    if (from === undefined) return true
    if (from > Date.now()) return false
    this.unseenTaskDefinitions.delete(td.arn)
    return true
  }

  now(): Epoch {
    return Date.now() / 1000
  }

  clusterArn(name: string): string {
    return `arn:aws:ecs:${this.region}:${ACCOUNT_ID}:cluster/${name}`
  }

  serviceArn(cluster: string, name: string): string {
    return `arn:aws:ecs:${this.region}:${ACCOUNT_ID}:service/${cluster}/${name}`
  }

  taskDefinitionArn(family: string, revision: number): string {
    return `arn:aws:ecs:${this.region}:${ACCOUNT_ID}:task-definition/${family}:${revision}`
  }

  taskSetArn(cluster: string, service: string, id: string): string {
    return `arn:aws:ecs:${this.region}:${ACCOUNT_ID}:task-set/${cluster}/${service}/${id}`
  }

  taskArn(cluster: string, id: string): string {
    return `arn:aws:ecs:${this.region}:${ACCOUNT_ID}:task/${cluster}/${id}`
  }

  targetGroupArn(name: string): string {
    return `arn:aws:elasticloadbalancing:${this.region}:${ACCOUNT_ID}:targetgroup/${name}/0123456789abcdef`
  }

  /** The ARN of a registered task definition, or undefined. Accepts `family`, `family:rev` or the ARN. */
  findTaskDefinition(ref: string): TaskDefinition | undefined {
    const match = /^(?:arn:aws:ecs:[^:]+:\d{12}:task-definition\/)?([A-Za-z0-9_-]+)(?::(\d+))?$/.exec(ref)
    if (!match) return undefined
    const revisions = this.taskDefinitions.get(match[1] ?? '')
    if (!revisions) return undefined
    if (match[2] !== undefined) return revisions[Number(match[2]) - 1]
    return [...revisions].reverse().find((td) => td.status === 'ACTIVE')
  }

  group(applicationName: string, groupName: string): DeploymentGroup | undefined {
    return this.groups.get(`${applicationName}/${groupName}`)
  }

  service(cluster: string, name: string): Service | undefined {
    return this.clusters.get(cluster)?.services.get(name)
  }

  /** Prepends a service event; ECS keeps the newest 100. */
  addEvent(service: Service, message: string): void {
    // https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Service.html (events: the last 100)
    service.events.unshift({ id: randomUUID(), createdAt: this.now(), message })
    service.events.length = Math.min(service.events.length, 100)
  }

  tasksOf(service: Service, startedBy?: string): Task[] {
    return [...this.tasks.values()].filter(
      (t) =>
        t.clusterName === service.clusterName &&
        t.serviceName === service.name &&
        (startedBy === undefined || t.startedBy === startedBy)
    )
  }

  /** Starts `count` tasks of a service (PENDING until `markRunning`). */
  startTasks(
    service: Pick<Service, 'clusterName' | 'name'>,
    count: number,
    taskDefinitionArn: string,
    startedBy: string,
    launchType?: string
  ): Task[] {
    const td = this.findTaskDefinition(taskDefinitionArn)
    const containers = (td?.body['containerDefinitions'] as { name: string; image: string }[] | undefined) ?? []
    const started: Task[] = []
    for (let i = 0; i < count; i++) {
      const id = randomBytes(16).toString('hex')
      const taskArn = this.taskArn(service.clusterName, id)
      const task: Task = {
        taskArn,
        clusterName: service.clusterName,
        serviceName: service.name,
        taskDefinitionArn,
        startedBy,
        lastStatus: 'PENDING',
        desiredStatus: 'RUNNING',
        createdAt: this.now(),
        containers: containers.map((c) => ({
          containerArn: `arn:aws:ecs:${this.region}:${ACCOUNT_ID}:container/${service.clusterName}/${id}/${randomUUID()}`,
          name: c.name,
          image: c.image,
          lastStatus: 'PENDING'
        }))
      }
      if (launchType !== undefined) task.launchType = launchType
      this.tasks.set(taskArn, task)
      started.push(task)
    }
    return started
  }

  markRunning(tasks: Task[]): void {
    for (const task of tasks) {
      task.lastStatus = 'RUNNING'
      task.startedAt = this.now()
      for (const c of task.containers) c.lastStatus = 'RUNNING'
    }
  }

  stopTask(task: Task, stopCode: string, stoppedReason: string, exitCode?: number, containerReason?: string): void {
    task.lastStatus = 'STOPPED'
    task.desiredStatus = 'STOPPED'
    task.stoppingAt = this.now()
    task.stoppedAt = this.now()
    task.stopCode = stopCode
    task.stoppedReason = stoppedReason
    for (const c of task.containers) {
      c.lastStatus = 'STOPPED'
      if (exitCode !== undefined) c.exitCode = exitCode
      if (containerReason !== undefined) c.reason = containerReason
    }
  }

  /** Runs a timer-driven flow that reset/close (or `cancelFlow(key)`) can cancel. */
  runFlow(flow: (signal: AbortSignal) => Promise<void>, key?: string): AbortController {
    const controller = new AbortController()
    this.flows.add(controller)
    if (key !== undefined) this.keyedFlows.set(key, controller)
    flow(controller.signal)
      .catch((error: unknown) => {
        if (!controller.signal.aborted) console.error('emulator flow failed:', error)
      })
      .finally(() => {
        this.flows.delete(controller)
        if (key !== undefined && this.keyedFlows.get(key) === controller) this.keyedFlows.delete(key)
      })
    return controller
  }

  cancelFlow(key: string): void {
    this.keyedFlows.get(key)?.abort()
  }

  /** Cancels every running flow and forgets everything. */
  clear(): void {
    for (const flow of this.flows) flow.abort()
    this.flows.clear()
    this.keyedFlows.clear()
    this.clusters.clear()
    this.taskDefinitions.clear()
    this.tasks.clear()
    this.applications.clear()
    this.groups.clear()
    this.deployments.clear()
    this.scripts.codedeploy.length = 0
    this.scripts.rolling.length = 0
    this.timings = { ...DEFAULT_TIMINGS }
    this.readLagMs = 0
    this.policy = undefined
    this.oneOffExitCode = 0
    this.serviceRevisions.clear()
    this.serviceDeployments.clear()
    this.nativeKnobs.clear()
    this.staleServices.clear()
    this.unseenTaskDefinitions.clear()
  }
}

/** Sleeps `ms`; rejects with an AbortError when `signal` aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return sleepTimer(ms, undefined, { signal })
}

/** `ecs-svc/` plus 19 digits, the form of ECS deployment and task set ids. */
export function newEcsId(): string {
  const digits = Array.from(randomBytes(19), (b) => String(b % 10)).join('')
  return `ecs-svc/${(Number(digits[0]) % 9) + 1}${digits.slice(1)}`
}

/** `d-` plus 9 upper-case letters and digits, the form of CodeDeploy deployment ids. */
export function newDeploymentId(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'
  return `d-${Array.from(randomBytes(9), (b) => alphabet[b % alphabet.length]).join('')}`
}

export function shortTaskId(taskArn: string): string {
  return taskArn.split('/').pop() ?? taskArn
}

/** Where a service runs its tasks (launch type or capacity providers, platform version, network), as set. */
export function placementOf(service: Service): Placement {
  const placement: Placement = {}
  if (service.launchType !== undefined) placement.launchType = service.launchType
  if (service.capacityProviderStrategy !== undefined)
    placement.capacityProviderStrategy = service.capacityProviderStrategy
  if (service.platformVersion !== undefined) placement.platformVersion = service.platformVersion
  if (service.networkConfiguration !== undefined) placement.networkConfiguration = service.networkConfiguration
  return placement
}

/** A new PRIMARY deployment record of `taskDefinition`, no task started yet (the caller puts it on the service). */
export function newPrimaryDeployment(
  service: Service,
  id: string,
  taskDefinition: string,
  now: Epoch,
  reason = `ECS deployment ${id} in progress.`
): EcsDeployment {
  return {
    id,
    status: 'PRIMARY',
    taskDefinition,
    desiredCount: service.desiredCount,
    pendingCount: 0,
    runningCount: 0,
    failedTasks: 0,
    createdAt: now,
    updatedAt: now,
    rolloutState: 'IN_PROGRESS',
    rolloutStateReason: reason,
    ...placementOf(service)
  }
}
