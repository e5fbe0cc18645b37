/**
 * ECS-managed blue/green, linear and canary deployments (deployment controller ECS, strategy BLUE_GREEN / LINEAR /
 * CANARY): UpdateService creates a service deployment that walks the lifecycle stages, runs lifecycle hooks, shifts
 * test and production traffic to the target service revision and cleans up the source — or rolls back.
 * // https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-type-blue-green.html
 * // https://docs.aws.amazon.com/AmazonECS/latest/developerguide/blue-green-deployment-how-it-works.html
 * // https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-type-linear.html
 * // https://docs.aws.amazon.com/AmazonECS/latest/developerguide/canary-deployment.html
 * // https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-lifecycle-hooks.html
 * // https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-deployment.html
 */
import { randomBytes } from 'node:crypto'
import { AwsError, clientError, invalidParameter, optionalString, requireString } from './errors.js'
import {
  type Cluster,
  type DeploymentConfiguration,
  type DeploymentLifecycleHook,
  type HookRun,
  type LoadBalancer,
  type Model,
  type NativeKnobs,
  type Service,
  type ServiceDeploymentRecord,
  type ServiceDeploymentStatus,
  type ServiceRevision,
  type Task,
  ACCOUNT_ID,
  newEcsId,
  newPrimaryDeployment,
  shortTaskId,
  sleep
} from './model.js'

export const NATIVE_STRATEGIES = ['BLUE_GREEN', 'LINEAR', 'CANARY'] as const

/**
 * The stages a lifecycle hook may name (DeploymentLifecycleHook.lifecycleStages); SCALE_UP, BAKE_TIME and CLEAN_UP
 * take none. PAUSE hooks cannot be on TEST_TRAFFIC_SHIFT or PRODUCTION_TRAFFIC_SHIFT ("Lambda only").
 * // https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-type-linear.html (lifecycle stages table)
 * // https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DeploymentLifecycleHook.html
 */
export const HOOK_STAGES = [
  'RECONCILE_SERVICE',
  'PRE_SCALE_UP',
  'POST_SCALE_UP',
  'TEST_TRAFFIC_SHIFT',
  'POST_TEST_TRAFFIC_SHIFT',
  'PRE_PRODUCTION_TRAFFIC_SHIFT',
  'PRODUCTION_TRAFFIC_SHIFT',
  'POST_PRODUCTION_TRAFFIC_SHIFT'
] as const
const LAMBDA_ONLY_STAGES = ['TEST_TRAFFIC_SHIFT', 'PRODUCTION_TRAFFIC_SHIFT']

const TERMINAL: ServiceDeploymentStatus[] = ['SUCCESSFUL', 'STOPPED', 'ROLLBACK_SUCCESSFUL', 'ROLLBACK_FAILED']
const ALL_STATUSES: ServiceDeploymentStatus[] = [
  'PENDING',
  'IN_PROGRESS',
  'STOP_REQUESTED',
  'ROLLBACK_REQUESTED',
  'ROLLBACK_IN_PROGRESS',
  ...TERMINAL
]

type Handler = (model: Model, params: Record<string, unknown>) => unknown

export const nativeOperations: Record<string, Handler> = {
  ListServiceDeployments: listServiceDeployments,
  DescribeServiceDeployments: describeServiceDeployments,
  DescribeServiceRevisions: describeServiceRevisions,
  StopServiceDeployment: stopServiceDeployment,
  ContinueServiceDeployment: continueServiceDeployment
}

export function isNativeStrategy(strategy: unknown): boolean {
  return (NATIVE_STRATEGIES as readonly unknown[]).includes(strategy)
}

// ---- UpdateService checks ------------------------------------------------------------------------------------

/**
 * ECS refuses a non-ROLLING strategy on a service whose load balancers lack `advancedConfiguration` (a synchronous
 * ClientException of CreateService/UpdateService). AWS's troubleshooting page words it "…when using a non-ROLLING
 * deployment strategy"; the error as reported from UpdateService/CreateService names the strategy: "…when using the
 * Blue/green deployment strategy", "…the linear…", "…the canary…" (terraform-aws-modules/terraform-aws-ecs#377).
 * A headless service (no load balancer) may use these strategies without managed traffic shifting.
 * // https://docs.aws.amazon.com/AmazonECS/latest/developerguide/troubleshooting-blue-green.html
 * // https://docs.aws.amazon.com/AmazonECS/latest/developerguide/blue-green-deployment-implementation.html
 */
export function checkNativeLoadBalancers(strategy: string, loadBalancers: LoadBalancer[]): void {
  const elbv2 = loadBalancers.filter((lb) => lb.loadBalancerName === undefined)
  const withAdvanced = elbv2.filter((lb) => lb.advancedConfiguration !== undefined)
  if (loadBalancers.some((lb) => lb.loadBalancerName !== undefined && lb.advancedConfiguration !== undefined)) {
    throw clientError('advancedConfiguration field is not allowed with ELBv1 loadBalancers')
  }
  if (withAdvanced.length > 0 && withAdvanced.length < elbv2.length) {
    throw clientError('Either all or none of the provided loadBalancers must have advancedConfiguration defined')
  }
  if (elbv2.length > 0 && withAdvanced.length === 0) {
    const name = ({ BLUE_GREEN: 'Blue/green', LINEAR: 'linear', CANARY: 'canary' } as Record<string, string>)[strategy]
    throw clientError(
      `advancedConfiguration field is required for all loadBalancers when using the ${name ?? strategy} deployment strategy`
    )
  }
  const seen = new Set<string>()
  for (const lb of elbv2) {
    for (const arn of [lb.targetGroupArn, lb.advancedConfiguration?.alternateTargetGroupArn]) {
      if (arn === undefined) continue
      if (seen.has(arn)) throw clientError(`Duplicate targetGroupArn found: ${arn}`)
      seen.add(arn)
    }
    const config = lb.advancedConfiguration
    if (config?.productionListenerRule !== undefined && config.productionListenerRule === config.testListenerRule) {
      throw clientError(
        `The following rules cannot be used as both production and test listener rules: ${config.productionListenerRule}`
      )
    }
  }
}

/**
 * Validates the ECS-managed parts of a deploymentConfiguration before anything changes. The ranges are the API
 * reference's; the messages are the emulator's (AWS's wording is not documented).
 * // https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DeploymentLifecycleHook.html
 * // https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_LinearConfiguration.html
 * // https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CanaryConfiguration.html
 * // https://docs.aws.amazon.com/AmazonECS/latest/developerguide/pause-lifecycle-hooks.html (timeout ≤ 14 days)
 */
export function checkNativeConfiguration(config: Record<string, unknown>): void {
  const hooks = config['lifecycleHooks']
  if (hooks !== undefined) {
    if (!Array.isArray(hooks)) throw invalidParameter('lifecycleHooks must be a list.')
    for (const raw of hooks as unknown[]) {
      const hook = (typeof raw === 'object' && raw !== null ? raw : {}) as DeploymentLifecycleHook
      const type = hook.targetType ?? 'AWS_LAMBDA'
      if (type !== 'AWS_LAMBDA' && type !== 'PAUSE') {
        throw invalidParameter(`lifecycleHooks.targetType must be one of AWS_LAMBDA, PAUSE.`)
      }
      if (type === 'AWS_LAMBDA' && (typeof hook.hookTargetArn !== 'string' || hook.hookTargetArn === '')) {
        throw invalidParameter('hookTargetArn must be specified for an AWS_LAMBDA lifecycle hook.')
      }
      const stages = hook.lifecycleStages
      if (!Array.isArray(stages) || stages.length === 0) {
        throw invalidParameter('lifecycleStages must be specified for a lifecycle hook.')
      }
      for (const stage of stages) {
        if (!(HOOK_STAGES as readonly string[]).includes(stage)) {
          throw invalidParameter(`Invalid lifecycle stage ${String(stage)}. Valid stages: ${HOOK_STAGES.join(', ')}.`)
        }
        if (type === 'PAUSE' && LAMBDA_ONLY_STAGES.includes(stage)) {
          throw invalidParameter(`PAUSE hooks cannot be configured at the ${stage} stage.`)
        }
      }
      const timeout = hook.timeoutConfiguration?.timeoutInMinutes
      const maxTimeout = type === 'PAUSE' ? 20160 : 1440
      if (timeout !== undefined && (typeof timeout !== 'number' || timeout < 1 || timeout > maxTimeout)) {
        throw invalidParameter(`timeoutInMinutes must be between 1 and ${maxTimeout}.`)
      }
      const action = hook.timeoutConfiguration?.action
      if (action !== undefined && action !== 'CONTINUE' && action !== 'ROLLBACK') {
        throw invalidParameter('timeoutConfiguration.action must be one of CONTINUE, ROLLBACK.')
      }
    }
  }
  const linear = config['linearConfiguration'] as Record<string, unknown> | undefined
  if (linear?.['stepPercent'] !== undefined) checkPercent('stepPercent', linear['stepPercent'], 3)
  if (linear?.['stepBakeTimeInMinutes'] !== undefined)
    checkMinutes('stepBakeTimeInMinutes', linear['stepBakeTimeInMinutes'])
  const canary = config['canaryConfiguration'] as Record<string, unknown> | undefined
  if (canary?.['canaryPercent'] !== undefined) checkPercent('canaryPercent', canary['canaryPercent'], 0.1)
  if (canary?.['canaryBakeTimeInMinutes'] !== undefined) {
    checkMinutes('canaryBakeTimeInMinutes', canary['canaryBakeTimeInMinutes'])
  }
  if (config['bakeTimeInMinutes'] !== undefined) checkMinutes('bakeTimeInMinutes', config['bakeTimeInMinutes'])
}

function checkPercent(name: string, value: unknown, min: number): void {
  // "Valid values are multiples of 0.1 from <min> to 100.0."
  const ok =
    typeof value === 'number' && value >= min && value <= 100 && Math.abs(value * 10 - Math.round(value * 10)) < 1e-9
  if (!ok) throw invalidParameter(`${name} must be a multiple of 0.1 from ${min} to 100.0.`)
}

function checkMinutes(name: string, value: unknown): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 1440) {
    throw invalidParameter(`${name} must be between 0 and 1440.`)
  }
}

// ---- revisions and deployments ---------------------------------------------------------------------------------

function serviceDeploymentArn(model: Model, service: Service): string {
  // e.g. arn:aws:ecs:us-east-1:123456789012:service-deployment/MyCluster/MyService/r9i43YFjvgF_xlg7m2eJ1r
  // https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_StopServiceDeployment.html (example)
  const id = randomBytes(16).toString('base64url').slice(0, 21)
  return `arn:aws:ecs:${model.region}:${ACCOUNT_ID}:service-deployment/${service.clusterName}/${service.name}/${id}`
}

export function newRevision(
  model: Model,
  service: Service,
  taskDefinition: string,
  ecsDeploymentId: string
): ServiceRevision {
  // e.g. arn:aws:ecs:us-west-2:123456789012:service-revision/cluster-name/service-name/4980306466373577095
  // https://docs.aws.amazon.com/AmazonECS/latest/developerguide/stop-service-deployment.html (example)
  const digits = Array.from(randomBytes(19), (b) => String(b % 10)).join('')
  const id = `${(Number(digits[0]) % 9) + 1}${digits.slice(1)}`
  const revision: ServiceRevision = {
    arn: `arn:aws:ecs:${model.region}:${ACCOUNT_ID}:service-revision/${service.clusterName}/${service.name}/${id}`,
    clusterName: service.clusterName,
    serviceName: service.name,
    taskDefinition,
    loadBalancers: structuredClone(service.loadBalancers),
    createdAt: model.now(),
    ecsDeploymentId,
    requestedTaskCount: 0,
    productionWeight: 0,
    testWeight: 0
  }
  for (const key of ['launchType', 'capacityProviderStrategy', 'platformVersion', 'networkConfiguration'] as const) {
    if (service[key] !== undefined) Object.assign(revision, { [key]: structuredClone(service[key]) })
  }
  model.serviceRevisions.set(revision.arn, revision)
  return revision
}

/**
 * The revision a native service runs now. A service seeded as (or switched to) an ECS-managed strategy gets one for
 * its PRIMARY deployment the first time, with a SUCCESSFUL service deployment as CreateService would leave.
 */
export function ensureCurrentRevision(model: Model, service: Service): ServiceRevision {
  const active = (service.activeRevisions ?? [])
    .map((arn) => model.serviceRevisions.get(arn))
    .filter((r): r is ServiceRevision => r !== undefined)
  if (active[0]) return active[0]
  const primary = service.deployments.find((d) => d.status === 'PRIMARY')
  const revision = newRevision(model, service, service.taskDefinition, primary?.id ?? newEcsId())
  revision.requestedTaskCount = service.desiredCount
  revision.productionWeight = 100
  revision.testWeight = 100
  service.activeRevisions = [revision.arn]
  const now = model.now()
  const initial = addServiceDeployment(model, service, {
    createdAt: now,
    startedAt: now,
    finishedAt: now,
    updatedAt: now,
    sources: [],
    target: revision,
    status: 'SUCCESSFUL',
    statusReason: 'Service deployment completed successfully.'
  })
  service.currentServiceDeployment = initial.arn
  return revision
}

/** A new service deployment of `service`, stored; `fields` give its dates, revisions, status and the rest. */
export function addServiceDeployment(
  model: Model,
  service: Service,
  fields: Pick<ServiceDeploymentRecord, 'createdAt' | 'updatedAt' | 'sources' | 'target' | 'status'> &
    Partial<ServiceDeploymentRecord>
): ServiceDeploymentRecord {
  const sd: ServiceDeploymentRecord = {
    arn: serviceDeploymentArn(model, service),
    serviceArn: service.arn,
    clusterName: service.clusterName,
    serviceName: service.name,
    hooks: [],
    deploymentConfiguration: structuredClone(service.deploymentConfiguration),
    circuitBreaker: circuitBreakerOf(service),
    snapshots: [],
    ...fields
  }
  model.serviceDeployments.set(sd.arn, sd)
  return sd
}

function circuitBreakerOf(service: Service): ServiceDeploymentRecord['circuitBreaker'] {
  const enabled = service.deploymentConfiguration.deploymentCircuitBreaker?.enable === true
  // The threshold is 0.5 × desiredCount, at least 3 and at most 200.
  // https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ServiceDeploymentCircuitBreaker.html
  const threshold = Math.min(200, Math.max(3, Math.ceil(service.desiredCount * 0.5)))
  return { status: enabled ? 'MONITORING' : 'DISABLED', failureCount: 0, threshold }
}

function isTerminal(sd: ServiceDeploymentRecord): boolean {
  return TERMINAL.includes(sd.status)
}

/** The service deployments of `service`, oldest first: native ones and rolling ones (service-history.ts). */
export function deploymentsOf(model: Model, service: Service): ServiceDeploymentRecord[] {
  return [...model.serviceDeployments.values()].filter((d) => d.serviceArn === service.arn)
}

/**
 * The service deployment that created `service`, for an ECS-controller service none is recorded for yet (a seeded
 * rolling service, when first read or updated): a native one as ensureCurrentRevision makes it; a rolling one dated
 * when the service was created, SUCCESSFUL, with no source revision (see service-history.ts).
 */
export function ensureCreatingDeployment(model: Model, service: Service): void {
  if (deploymentsOf(model, service).length > 0) return
  if (isNativeStrategy(service.deploymentConfiguration.strategy)) {
    ensureCurrentRevision(model, service)
    return
  }
  const primary = service.deployments.find((d) => d.status === 'PRIMARY')
  const revision = newRevision(model, service, service.taskDefinition, primary?.id ?? '')
  revision.createdAt = service.createdAt
  revision.requestedTaskCount = service.desiredCount
  addServiceDeployment(model, service, {
    ecsDeploymentIds: primary ? [primary.id] : [],
    createdAt: service.createdAt,
    startedAt: service.createdAt,
    finishedAt: service.createdAt,
    updatedAt: service.createdAt,
    sources: [],
    target: revision,
    status: 'SUCCESSFUL'
  })
}

/**
 * UpdateService with a change that needs a deployment on a BLUE_GREEN / LINEAR / CANARY service: a new target
 * revision and a PENDING service deployment, run by a timer flow. A deployment still running is superseded: it
 * turns STOPPED, its revisions stay ACTIVE, and the new one reconciles them (RECONCILE_SERVICE "only happens when
 * you start a new service deployment with more than 1 service revision in an ACTIVE state"). What AWS does to the
 * superseded deployment is not documented; STOPPED is the emulator's choice.
 * // https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-type-linear.html (lifecycle stages)
 * // https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-deployment.html (lifecycle, states)
 */
export function startNativeDeployment(model: Model, service: Service, taskDefinition: string): ServiceDeploymentRecord {
  ensureCurrentRevision(model, service)
  const now = model.now()
  for (const running of deploymentsOf(model, service).filter((d) => !isTerminal(d))) {
    model.cancelFlow(running.arn)
    running.status = 'STOPPED'
    running.statusReason = 'Service deployment stopped because a new service deployment was started.'
    running.stoppedAt = now
    running.finishedAt = now
    for (const hook of running.hooks) delete hook.resolve
    changed(model, running)
  }
  const sources = (service.activeRevisions ?? [])
    .map((arn) => model.serviceRevisions.get(arn))
    .filter((r): r is ServiceRevision => r !== undefined)
    .sort((a, b) => b.productionWeight - a.productionWeight)

  const ecsDeployment = newPrimaryDeployment(service, newEcsId(), taskDefinition, now)
  for (const other of service.deployments) {
    if (other.status === 'PRIMARY') {
      other.status = 'ACTIVE'
      other.updatedAt = now
    }
  }
  service.deployments.unshift(ecsDeployment)
  const target = newRevision(model, service, taskDefinition, ecsDeployment.id)
  service.activeRevisions = [...sources.map((r) => r.arn), target.arn]
  service.taskDefinition = taskDefinition

  const sd = addServiceDeployment(model, service, {
    createdAt: now,
    updatedAt: now,
    sources,
    target,
    status: 'PENDING'
  })
  service.currentServiceDeployment = sd.arn
  changed(model, sd)
  model.runFlow((signal) => runDeployment(model, service, sd, signal), sd.arn)
  return sd
}

/** Records a change: `updatedAt`, and a snapshot for reads that lag writes (`consistency.readLagMs`). */
function changed(model: Model, sd: ServiceDeploymentRecord): void {
  sd.updatedAt = model.now()
  if (model.readLagMs <= 0) {
    sd.snapshots.length = 0
    return
  }
  const nowMs = Date.now()
  sd.snapshots.push({ at: nowMs, wire: structuredClone(serviceDeploymentToWire(model, sd)) })
  // Keep the newest snapshot older than the lag (what a lagging read sees) and everything after it.
  const cutoff = nowMs - model.readLagMs
  let keepFrom = 0
  for (let i = 0; i < sd.snapshots.length; i++) if ((sd.snapshots[i]?.at ?? 0) <= cutoff) keepFrom = i
  sd.snapshots.splice(0, keepFrom)
}

function knobsOf(model: Model, service: Service): NativeKnobs {
  return { ...model.nativeKnobs.get('*'), ...model.nativeKnobs.get(service.name) }
}

// ---- the flow ----------------------------------------------------------------------------------------------------

class RollbackRequested extends Error {}

async function runDeployment(
  model: Model,
  service: Service,
  sd: ServiceDeploymentRecord,
  signal: AbortSignal
): Promise<void> {
  const forward = new AbortController()
  let rollbackReason: string | undefined
  sd.requestRollback = (reason) => {
    if (rollbackReason !== undefined || isTerminal(sd)) return
    rollbackReason = reason
    // "PENDING / IN_PROGRESS - The service deployment moves to the ROLLBACK_REQUESTED state, and then the rollback
    // operation starts." https://docs.aws.amazon.com/AmazonECS/latest/developerguide/stop-service-deployment.html
    sd.status = 'ROLLBACK_REQUESTED'
    sd.statusReason = reason
    changed(model, sd)
    forward.abort(new RollbackRequested(reason))
  }
  const both = AbortSignal.any([signal, forward.signal])
  try {
    await forwardWalk(model, service, sd, both)
  } catch (error) {
    // A rollback request (or the circuit breaker's STOPPED) ends the forward walk; a reset or a newer deployment
    // (the flow's own signal) ends everything.
    const handled = !signal.aborted && (error instanceof RollbackRequested || forward.signal.aborted)
    if (!handled) throw error
  }
  if (rollbackReason !== undefined) await rollbackWalk(model, service, sd, rollbackReason, signal)
}

async function forwardWalk(
  model: Model,
  service: Service,
  sd: ServiceDeploymentRecord,
  signal: AbortSignal
): Promise<void> {
  const step = (): Promise<void> => sleep(model.timings.stepMs, signal)
  await step()
  sd.status = 'IN_PROGRESS'
  sd.startedAt = model.now()
  changed(model, sd)

  if (sd.sources.length > 1) {
    await stage(model, service, sd, 'RECONCILE_SERVICE', signal, () => {
      // The production revision keeps all traffic; other ACTIVE revisions get none.
      for (const [i, r] of sd.sources.entries()) {
        r.productionWeight = i === 0 ? 100 : 0
        r.testWeight = i === 0 ? 100 : 0
      }
    })
  }
  await stage(model, service, sd, 'PRE_SCALE_UP', signal)
  await stage(model, service, sd, 'SCALE_UP', signal, () => scaleUp(model, service, sd, signal))
  await stage(model, service, sd, 'POST_SCALE_UP', signal)
  await stage(model, service, sd, 'TEST_TRAFFIC_SHIFT', signal, () => {
    sd.target.testWeight = 100
    for (const r of sd.sources) r.testWeight = 0
  })
  await stage(model, service, sd, 'POST_TEST_TRAFFIC_SHIFT', signal)
  const steps = productionSteps(sd.deploymentConfiguration)
  for (const [i, weight] of steps.entries()) {
    // Hooks on these two stages run at every traffic step of a linear or canary deployment.
    // https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-type-linear.html
    await stage(model, service, sd, 'PRE_PRODUCTION_TRAFFIC_SHIFT', signal)
    await stage(model, service, sd, 'PRODUCTION_TRAFFIC_SHIFT', signal, () => {
      sd.target.productionWeight = weight
      for (const [j, r] of sd.sources.entries()) r.productionWeight = j === 0 ? Math.round((100 - weight) * 10) / 10 : 0
    })
    // Linear: "the last step bake time is skipped once traffic is shifted 100.0%"; canary: bake after the canary step.
    if (i < steps.length - 1) await sleep(model.timings.stepBakeMs ?? model.timings.stepMs, signal)
  }
  await stage(model, service, sd, 'POST_PRODUCTION_TRAFFIC_SHIFT', signal)
  // BAKE_TIME: both revisions run after the production shift; bakeMs stands in for bakeTimeInMinutes.
  sd.lifecycleStage = 'BAKE_TIME'
  changed(model, sd)
  await sleep(model.timings.bakeMs ?? model.timings.stepMs, signal)
  sd.lifecycleStage = 'CLEAN_UP'
  changed(model, sd)
  await step()
  // CLEAN_UP: "The blue service revision has completely scaled down to 0 running tasks."
  scaleDown(model, service, sd.sources, sd.target.ecsDeploymentId)
  service.activeRevisions = [sd.target.arn]
  const primary = service.deployments.find((d) => d.id === sd.target.ecsDeploymentId)
  service.deployments = primary ? [primary] : []
  if (primary) {
    primary.rolloutState = 'COMPLETED'
    primary.rolloutStateReason = `ECS deployment ${primary.id} completed.`
    primary.updatedAt = model.now()
  }
  if (sd.circuitBreaker.status === 'MONITORING') sd.circuitBreaker.status = 'MONITORING_COMPLETE'
  sd.status = 'SUCCESSFUL'
  sd.statusReason = 'Service deployment completed successfully.'
  sd.finishedAt = model.now()
  changed(model, sd)
  model.addEvent(service, `(service ${service.name}) has reached a steady state.`)
}

/** Production weights of the target after each traffic step. */
function productionSteps(config: DeploymentConfiguration): number[] {
  if (config.strategy === 'LINEAR') {
    // "stepPercent … The default value is 10.0."
    const percent = config.linearConfiguration?.stepPercent ?? 10
    const steps: number[] = []
    for (let w = percent; w < 100 - 1e-9; w += percent) steps.push(Math.round(w * 10) / 10)
    return [...steps, 100]
  }
  if (config.strategy === 'CANARY') {
    // "canaryPercent … The default value is 5.0."
    const percent = config.canaryConfiguration?.canaryPercent ?? 5
    return percent >= 100 ? [100] : [percent, 100]
  }
  return [100]
}

/** Enters `stage`, does its work, then runs its hooks (or waits one step when it has none). */
async function stage(
  model: Model,
  service: Service,
  sd: ServiceDeploymentRecord,
  name: string,
  signal: AbortSignal,
  work?: () => void | Promise<void>
): Promise<void> {
  sd.lifecycleStage = name
  changed(model, sd)
  if (work) {
    await work()
    changed(model, sd)
  }
  const hooks = (sd.deploymentConfiguration.lifecycleHooks ?? []).filter((h) =>
    (h.lifecycleStages ?? []).includes(name)
  )
  if (hooks.length === 0) {
    await sleep(model.timings.stepMs, signal)
    return
  }
  // "You can configure both Lambda hooks and pause hooks at the same lifecycle stage. Both hooks must complete
  // before the deployment proceeds." https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-lifecycle-hooks.html
  const outcomes = await Promise.all(hooks.map((hook) => runHook(model, service, sd, name, hook, signal)))
  const failed = outcomes.find((o) => o !== undefined)
  if (failed !== undefined) {
    sd.requestRollback?.(failed)
    throw new RollbackRequested(failed)
  }
}

/** Runs one hook; resolves to a rollback reason when it fails, undefined when the deployment may go on. */
async function runHook(
  model: Model,
  service: Service,
  sd: ServiceDeploymentRecord,
  stageName: string,
  hook: DeploymentLifecycleHook,
  signal: AbortSignal
): Promise<string | undefined> {
  const type = hook.targetType ?? 'AWS_LAMBDA'
  const timeoutMinutes = hook.timeoutConfiguration?.timeoutInMinutes ?? 1440
  const run: HookRun = {
    // Pause hook ids look like `ecs-pause-e7tK9G_WRJqNF_EOMjztDXfKenlJuEUVjsNStf4WLKw`
    // (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/pause-lifecycle-hooks.html); the form of a
    // Lambda hook's id is not documented.
    hookId: `ecs-${type === 'PAUSE' ? 'pause' : 'lambda'}-${randomBytes(32).toString('base64url').slice(0, 43)}`,
    stage: stageName,
    targetType: type,
    status: type === 'PAUSE' ? 'AWAITING_ACTION' : 'IN_PROGRESS',
    expiresAt: model.now() + timeoutMinutes * 60,
    timeoutAction: hook.timeoutConfiguration?.action ?? 'ROLLBACK'
  }
  if (type === 'AWS_LAMBDA' && hook.hookTargetArn !== undefined) run.targetArn = hook.hookTargetArn
  sd.hooks.push(run)
  changed(model, sd)

  if (type === 'AWS_LAMBDA') {
    const knob = knobsOf(model, service).hooks?.[stageName]
    await sleep(knob?.ms ?? model.timings.stepMs, signal)
    run.status = knob?.outcome === 'FAIL' ? 'FAILED' : 'SUCCEEDED'
    changed(model, sd)
    if (run.status === 'SUCCEEDED') return undefined
    // AWS's wording. https://docs.aws.amazon.com/AmazonECS/latest/developerguide/troubleshooting-blue-green.html
    return `Service deployment rolled back because ${stageName} lifecycle hook(s) failed. Lifecycle hook target ${hook.hookTargetArn ?? ''} returned FAILED status.`
  }

  // PAUSE: wait for ContinueServiceDeployment (or the timeout, then its action).
  const action = await new Promise<'CONTINUE' | 'ROLLBACK' | 'TIMEOUT'>((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined
    const onAbort = (): void => {
      if (timer) clearTimeout(timer)
      reject(signal.reason as Error)
    }
    run.resolve = (chosen) => {
      if (timer) clearTimeout(timer)
      signal.removeEventListener('abort', onAbort)
      resolve(chosen)
    }
    const timeoutMs = model.timings.pauseTimeoutMs
    if (timeoutMs !== undefined) {
      timer = setTimeout(() => {
        signal.removeEventListener('abort', onAbort)
        resolve('TIMEOUT')
      }, timeoutMs)
    }
    if (signal.aborted) onAbort()
    else signal.addEventListener('abort', onAbort, { once: true })
  })
  delete run.resolve
  if (action === 'TIMEOUT') {
    run.status = 'TIMED_OUT'
    changed(model, sd)
    if (run.timeoutAction === 'CONTINUE') return undefined
    return `Service deployment rolled back because ${stageName} lifecycle hook(s) timed out.`
  }
  run.status = action === 'CONTINUE' ? 'SUCCEEDED' : 'FAILED'
  changed(model, sd)
  if (action === 'CONTINUE') return undefined
  return `Service deployment rolled back because ContinueServiceDeployment asked to roll back at the ${stageName} lifecycle hook ${run.hookId}.`
}

/** SCALE_UP: the target revision's tasks start (or fail their health checks when the knob says so). */
async function scaleUp(
  model: Model,
  service: Service,
  sd: ServiceDeploymentRecord,
  signal: AbortSignal
): Promise<void> {
  const revision = sd.target
  const ecsDeployment = service.deployments.find((d) => d.id === revision.ecsDeploymentId)
  revision.requestedTaskCount = service.desiredCount
  const tasks = model.startTasks(
    service,
    service.desiredCount,
    revision.taskDefinition,
    revision.ecsDeploymentId,
    service.launchType ?? 'FARGATE'
  )
  if (ecsDeployment) ecsDeployment.pendingCount = tasks.length
  model.addEvent(service, `(service ${service.name}) has started ${tasks.length} tasks: ${taskList(tasks)}.`)
  changed(model, sd)
  await sleep(model.timings.stepMs, signal)

  const failing = knobsOf(model, service).failTasks
  if (!failing) {
    model.markRunning(tasks)
    if (ecsDeployment) {
      ecsDeployment.pendingCount = 0
      ecsDeployment.runningCount = tasks.length
      ecsDeployment.updatedAt = model.now()
    }
    return
  }
  // The circuit breaker counts failed tasks; ECS launches replacements until the threshold is reached.
  // https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-circuit-breaker.html
  const breaker = sd.circuitBreaker
  const failed = [...tasks]
  if (breaker.status !== 'DISABLED' && failed.length < breaker.threshold) {
    failed.push(
      ...model.startTasks(
        service,
        breaker.threshold - failed.length,
        revision.taskDefinition,
        revision.ecsDeploymentId,
        service.launchType ?? 'FARGATE'
      )
    )
  }
  const targetGroup = revision.loadBalancers[0]?.advancedConfiguration?.alternateTargetGroupArn
  const reason = failing.stoppedReason.replace('<alternate>', targetGroup ?? 'unknown')
  for (const task of failed) {
    model.stopTask(task, failing.stopCode, reason, failing.exitCode, failing.containerReason)
    model.addEvent(service, `(service ${service.name}) task ${shortTaskId(task.taskArn)} stopped: ${reason}`)
  }
  if (ecsDeployment) {
    ecsDeployment.pendingCount = 0
    ecsDeployment.failedTasks = failed.length
    ecsDeployment.updatedAt = model.now()
  }
  breaker.failureCount = failed.length
  changed(model, sd)
  const settings = sd.deploymentConfiguration.deploymentCircuitBreaker
  if (breaker.status === 'DISABLED') {
    // Without the breaker ECS keeps trying: the deployment stays in SCALE_UP until it is stopped.
    await new Promise<void>((_, reject) => {
      if (signal.aborted) reject(signal.reason as Error)
      else signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true })
    })
    return
  }
  breaker.status = 'TRIGGERED'
  if (ecsDeployment) {
    ecsDeployment.rolloutState = 'FAILED'
    ecsDeployment.rolloutStateReason = 'ECS deployment circuit breaker: task failed to start.'
  }
  model.addEvent(
    service,
    `(service ${service.name}) (deployment ${revision.ecsDeploymentId}) deployment failed: tasks failed to start.`
  )
  if (settings?.rollback === false) {
    // "The service deployment stops when … the rollback option is not in use for the failure detection mechanism
    // (the circuit breaker or alarm-based) and the service fails." (ServiceDeployment.stoppedAt)
    // https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ServiceDeployment.html
    sd.status = 'STOPPED'
    sd.statusReason = 'Service deployment stopped because the circuit breaker threshold was exceeded.'
    sd.stoppedAt = model.now()
    sd.finishedAt = model.now()
    changed(model, sd)
    throw new RollbackRequested('stopped')
  }
  // AWS's wording (reported from real deployments, e.g. the terraform-provider-aws acceptance tests).
  const why = 'Service deployment rolled back because the circuit breaker threshold was exceeded.'
  sd.requestRollback?.(why)
  throw new RollbackRequested(why)
}

/**
 * Rollback: ROLLBACK_REQUESTED → ROLLBACK_IN_PROGRESS; traffic returns to the source revision
 * (PRODUCTION_TRAFFIC_SHIFT), the other revisions' tasks stop (CLEAN_UP) → ROLLBACK_SUCCESSFUL, or ROLLBACK_FAILED
 * (knob). The stages shown during a rollback are the emulator's choice; AWS does not document them.
 */
async function rollbackWalk(
  model: Model,
  service: Service,
  sd: ServiceDeploymentRecord,
  reason: string,
  signal: AbortSignal
): Promise<void> {
  const source = sd.sources[0]
  await sleep(model.timings.stepMs, signal)
  sd.status = 'ROLLBACK_IN_PROGRESS'
  sd.rollback = { reason, startedAt: model.now(), serviceRevisionArn: source?.arn ?? sd.target.arn }
  changed(model, sd)
  model.addEvent(service, `(service ${service.name}) rolling back service deployment ${sd.arn}.`)
  await sleep(model.timings.stepMs, signal)

  if (knobsOf(model, service).rollbackFails) {
    sd.status = 'ROLLBACK_FAILED'
    sd.statusReason = `Service deployment rollback failed. ${reason}`
    sd.finishedAt = model.now()
    changed(model, sd)
    return
  }
  sd.lifecycleStage = 'PRODUCTION_TRAFFIC_SHIFT'
  for (const r of [sd.target, ...sd.sources]) {
    r.productionWeight = r === source ? 100 : 0
    r.testWeight = r === source ? 100 : 0
  }
  if (source) service.taskDefinition = source.taskDefinition
  changed(model, sd)
  await sleep(model.timings.stepMs, signal)
  sd.lifecycleStage = 'CLEAN_UP'
  changed(model, sd)
  await sleep(model.timings.stepMs, signal)
  const others = [sd.target, ...sd.sources.slice(1)]
  scaleDown(model, service, others, source?.ecsDeploymentId ?? sd.target.ecsDeploymentId)
  const primary = service.deployments.find((d) => d.id === source?.ecsDeploymentId)
  service.deployments = primary ? [primary] : []
  if (primary) {
    primary.status = 'PRIMARY'
    primary.rolloutState = 'COMPLETED'
    primary.updatedAt = model.now()
  }
  service.activeRevisions = source ? [source.arn] : []
  sd.status = 'ROLLBACK_SUCCESSFUL'
  sd.finishedAt = model.now()
  changed(model, sd)
  model.addEvent(service, `(service ${service.name}) has reached a steady state.`)
}

function scaleDown(model: Model, service: Service, revisions: ServiceRevision[], by: string): void {
  const stopped: Task[] = []
  for (const revision of revisions) {
    revision.requestedTaskCount = 0
    revision.productionWeight = 0
    revision.testWeight = 0
    for (const task of model.tasksOf(service, revision.ecsDeploymentId)) {
      if (task.lastStatus === 'STOPPED') continue
      model.stopTask(task, 'ServiceSchedulerInitiated', `Scaling activity initiated by (deployment ${by})`, 0)
      stopped.push(task)
    }
  }
  if (stopped.length > 0) {
    model.addEvent(
      service,
      `(service ${service.name}) has stopped ${stopped.length} running tasks: ${taskList(stopped)}.`
    )
  }
}

function taskList(tasks: { taskArn: string }[]): string {
  return tasks.map((t) => `(task ${shortTaskId(t.taskArn)})`).join(' ')
}

// ---- wire shapes -------------------------------------------------------------------------------------------------

/** Service fields of a native service: currentServiceDeployment, currentServiceRevisions. */
export function nativeServiceFields(model: Model, service: Service): Record<string, unknown> {
  const wire: Record<string, unknown> = {}
  if (service.currentServiceDeployment !== undefined)
    wire['currentServiceDeployment'] = service.currentServiceDeployment
  const active = (service.activeRevisions ?? [])
    .map((arn) => model.serviceRevisions.get(arn))
    .filter((r): r is ServiceRevision => r !== undefined)
  if (active.length > 0) {
    wire['currentServiceRevisions'] = active.map((r) => {
      const { requestedTaskCount, runningTaskCount, pendingTaskCount } = revisionSummary(model, r)
      return { arn: r.arn, requestedTaskCount, runningTaskCount, pendingTaskCount }
    })
  }
  return wire
}

function revisionSummary(
  model: Model,
  r: ServiceRevision,
  withWeights = true
): Record<string, unknown> & {
  requestedTaskCount: number
  runningTaskCount: number
  pendingTaskCount: number
} {
  const tasks = [...model.tasks.values()].filter(
    (t) => t.clusterName === r.clusterName && t.serviceName === r.serviceName && t.startedBy === r.ecsDeploymentId
  )
  return {
    arn: r.arn,
    requestedTaskCount: r.requestedTaskCount,
    runningTaskCount: tasks.filter((t) => t.lastStatus === 'RUNNING').length,
    pendingTaskCount: tasks.filter((t) => t.lastStatus === 'PENDING').length,
    ...(withWeights
      ? { requestedTestTrafficWeight: r.testWeight, requestedProductionTrafficWeight: r.productionWeight }
      : {})
  }
}

/** https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ServiceDeployment.html */
export function serviceDeploymentToWire(model: Model, sd: ServiceDeploymentRecord): Record<string, unknown> {
  // Traffic weights are a blue/green, linear and canary matter; a rolling deployment shifts no traffic.
  const weights = isNativeStrategy(sd.deploymentConfiguration.strategy)
  const wire: Record<string, unknown> = {
    serviceDeploymentArn: sd.arn,
    serviceArn: sd.serviceArn,
    clusterArn: model.clusterArn(sd.clusterName),
    createdAt: sd.createdAt,
    updatedAt: sd.updatedAt,
    sourceServiceRevisions: sd.sources.map((r) => revisionSummary(model, r, weights)),
    targetServiceRevision: revisionSummary(model, sd.target, weights),
    status: sd.status,
    deploymentConfiguration: sd.deploymentConfiguration,
    lifecycleHookDetails: sd.hooks.map((h) => {
      const detail: Record<string, unknown> = {
        hookId: h.hookId,
        targetType: h.targetType,
        status: h.status,
        expiresAt: h.expiresAt,
        timeoutAction: h.timeoutAction
      }
      if (h.targetArn !== undefined) detail['targetArn'] = h.targetArn
      return detail
    }),
    deploymentCircuitBreaker: { ...sd.circuitBreaker },
    alarms: { status: 'DISABLED', alarmNames: [], triggeredAlarmNames: [] }
  }
  for (const key of ['startedAt', 'finishedAt', 'stoppedAt', 'statusReason', 'lifecycleStage', 'rollback'] as const) {
    if (sd[key] !== undefined) wire[key] = sd[key]
  }
  return wire
}

// ---- operations --------------------------------------------------------------------------------------------------

// https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ListServiceDeployments.html
function listServiceDeployments(model: Model, params: Record<string, unknown>): unknown {
  const cluster = findCluster(model, params)
  const ref = requireString(params, 'service', invalidParameter)
  const service = cluster.services.get(lastPart(ref))
  if (!service) throw new AwsError('ServiceNotFoundException', 'Service not found.')
  if (service.deploymentController !== 'ECS') {
    throw new AwsError(
      'EmulatorNotModelledException',
      'The emulator models service deployments of ECS-controller services only.'
    )
  }
  const statuses = params['status']
  if (statuses !== undefined) {
    if (!Array.isArray(statuses) || statuses.some((s) => !ALL_STATUSES.includes(s as ServiceDeploymentStatus))) {
      throw invalidParameter(`status must be a list of ${ALL_STATUSES.join(', ')}.`)
    }
  }
  const createdAt = (params['createdAt'] ?? {}) as { after?: unknown; before?: unknown }
  for (const bound of [createdAt.after, createdAt.before]) {
    if (bound !== undefined && typeof bound !== 'number') throw invalidParameter('createdAt must hold timestamps.')
  }
  const maxResults = params['maxResults'] ?? 20
  if (typeof maxResults !== 'number' || !Number.isInteger(maxResults) || maxResults < 1 || maxResults > 100) {
    throw invalidParameter('maxResults must be between 1 and 100.')
  }
  ensureCreatingDeployment(model, service)
  const matching = deploymentsOf(model, service)
    .filter(
      (d) =>
        (statuses === undefined || (statuses as string[]).includes(d.status)) &&
        (typeof createdAt.after !== 'number' || d.createdAt >= createdAt.after) &&
        (typeof createdAt.before !== 'number' || d.createdAt <= createdAt.before)
    )
    .reverse()
  const start = readNextToken(params['nextToken'])
  const page = matching.slice(start, start + maxResults)
  const result: Record<string, unknown> = {
    serviceDeployments: page.map((d) => {
      const brief: Record<string, unknown> = {
        serviceDeploymentArn: d.arn,
        serviceArn: d.serviceArn,
        clusterArn: model.clusterArn(d.clusterName),
        createdAt: d.createdAt,
        targetServiceRevisionArn: d.target.arn,
        status: d.status
      }
      for (const key of ['startedAt', 'finishedAt', 'statusReason'] as const) {
        if (d[key] !== undefined) brief[key] = d[key]
      }
      return brief
    })
  }
  if (start + maxResults < matching.length) {
    result['nextToken'] = Buffer.from(String(start + maxResults)).toString('base64')
  }
  return result
}

// https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DescribeServiceDeployments.html
function describeServiceDeployments(model: Model, params: Record<string, unknown>): unknown {
  const arns = stringList(params, 'serviceDeploymentArns')
  if (arns.length === 0) throw invalidParameter('serviceDeploymentArns cannot be empty.')
  if (arns.length > 20) throw invalidParameter('serviceDeploymentArns can have at most 20 items.')
  const serviceDeployments: unknown[] = []
  const failures: unknown[] = []
  for (const arn of arns) {
    const sd = model.serviceDeployments.get(arn)
    const wire = sd ? laggingView(model, sd) : undefined
    if (!wire) failures.push({ arn, reason: 'MISSING' })
    else serviceDeployments.push(wire)
  }
  return { serviceDeployments, failures }
}

/** What a read sees while reads lag writes: the deployment as it was `readLagMs` ago (missing if newer). */
function laggingView(model: Model, sd: ServiceDeploymentRecord): Record<string, unknown> | undefined {
  if (model.readLagMs <= 0 || sd.snapshots.length === 0) return serviceDeploymentToWire(model, sd)
  const cutoff = Date.now() - model.readLagMs
  const seen = sd.snapshots.filter((s) => s.at <= cutoff).pop()
  if (seen) return seen.wire
  return sd.createdAt * 1000 > cutoff ? undefined : sd.snapshots[0]?.wire
}

// https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DescribeServiceRevisions.html
function describeServiceRevisions(model: Model, params: Record<string, unknown>): unknown {
  const arns = stringList(params, 'serviceRevisionArns')
  if (arns.length === 0) throw invalidParameter('serviceRevisionArns cannot be empty.')
  if (arns.length > 20) throw invalidParameter('serviceRevisionArns can have at most 20 items.')
  const serviceRevisions: unknown[] = []
  const failures: unknown[] = []
  for (const arn of arns) {
    const r = model.serviceRevisions.get(arn)
    if (!r) {
      failures.push({ arn, reason: 'MISSING' })
      continue
    }
    const td = model.findTaskDefinition(r.taskDefinition)
    const containers = (td?.body['containerDefinitions'] as { name: string; image: string }[] | undefined) ?? []
    const wire: Record<string, unknown> = {
      serviceRevisionArn: r.arn,
      serviceArn: model.serviceArn(r.clusterName, r.serviceName),
      clusterArn: model.clusterArn(r.clusterName),
      taskDefinition: r.taskDefinition,
      platformFamily: 'Linux',
      loadBalancers: r.loadBalancers,
      serviceRegistries: [],
      containerImages: containers.map((c) => ({ containerName: c.name, image: c.image })),
      guardDutyEnabled: false,
      createdAt: r.createdAt
    }
    // A launch type or a capacity provider strategy, never both.
    if (r.capacityProviderStrategy !== undefined) wire['capacityProviderStrategy'] = r.capacityProviderStrategy
    else if (r.launchType !== undefined) wire['launchType'] = r.launchType
    if (r.platformVersion !== undefined) wire['platformVersion'] = r.platformVersion
    if (r.networkConfiguration !== undefined) wire['networkConfiguration'] = r.networkConfiguration
    serviceRevisions.push(wire)
  }
  return { serviceRevisions, failures }
}

/**
 * Only ROLLBACK is a valid stop type ("The valid values are ROLLBACK."), although the model's enum also has ABORT.
 * PENDING / IN_PROGRESS → ROLLBACK_REQUESTED, then the rollback; STOP_REQUESTED / ROLLBACK_* carry on; a finished
 * deployment → ConflictException (the operation's modelled conflict error; its message is the emulator's).
 * // https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_StopServiceDeployment.html
 * // https://docs.aws.amazon.com/AmazonECS/latest/developerguide/stop-service-deployment.html
 */
function stopServiceDeployment(model: Model, params: Record<string, unknown>): unknown {
  const arn = requireString(params, 'serviceDeploymentArn', invalidParameter)
  const stopType = optionalString(params, 'stopType', invalidParameter) ?? 'ROLLBACK'
  if (stopType !== 'ROLLBACK') throw invalidParameter(`Invalid stopType ${stopType}. The valid values are ROLLBACK.`)
  const sd = findServiceDeployment(model, arn)
  if (isTerminal(sd)) {
    throw new AwsError(
      'ConflictException',
      `The service deployment ${arn} cannot be stopped because it is in the ${sd.status} state.`
    )
  }
  if (sd.status === 'PENDING' || sd.status === 'IN_PROGRESS') {
    sd.stoppedAt = model.now()
    sd.requestRollback?.('Service deployment rolled back because a stop was requested.')
  }
  return { serviceDeploymentArn: sd.arn }
}

/**
 * Releases a PAUSE hook: "The pause hook must be in AWAITING_ACTION status" and "The deployment must be in the
 * IN_PROGRESS state". ContinueServiceDeployment models no ConflictException, so a hook or deployment in the wrong
 * state is InvalidParameterException (the emulator's choice and wording).
 * // https://docs.aws.amazon.com/AmazonECS/latest/developerguide/continue-service-deployment.html
 * // https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContinueServiceDeployment.html
 */
function continueServiceDeployment(model: Model, params: Record<string, unknown>): unknown {
  const arn = requireString(params, 'serviceDeploymentArn', invalidParameter)
  const hookId = requireString(params, 'hookId', invalidParameter)
  const action = optionalString(params, 'action', invalidParameter) ?? 'CONTINUE'
  if (action !== 'CONTINUE' && action !== 'ROLLBACK') {
    throw invalidParameter(`Invalid action ${action}. The valid values are CONTINUE, ROLLBACK.`)
  }
  const sd = findServiceDeployment(model, arn)
  if (sd.status !== 'IN_PROGRESS') {
    throw invalidParameter(`The service deployment is ${sd.status}; only an IN_PROGRESS deployment can be continued.`)
  }
  const hook = sd.hooks.find((h) => h.hookId === hookId)
  if (!hook || hook.status !== 'AWAITING_ACTION' || !hook.resolve) {
    throw invalidParameter(`Lifecycle hook ${hookId} is not awaiting action in this service deployment.`)
  }
  hook.resolve(action)
  return { serviceDeploymentArn: sd.arn }
}

function findServiceDeployment(model: Model, arn: string): ServiceDeploymentRecord {
  const sd = model.serviceDeployments.get(arn)
  // The SDK documents it as "The service deploy ARN that you specified … doesn't exist."; the message is the emulator's.
  if (!sd) throw new AwsError('ServiceDeploymentNotFoundException', `Service deployment ${arn} not found.`)
  return sd
}

// ---- helpers -------------------------------------------------------------------------------------------------------

function findCluster(model: Model, params: Record<string, unknown>): Cluster {
  const ref = optionalString(params, 'cluster', invalidParameter) ?? 'default'
  const cluster = model.clusters.get(lastPart(ref))
  if (!cluster) throw new AwsError('ClusterNotFoundException', 'Cluster not found.')
  return cluster
}

function lastPart(ref: string): string {
  return ref.startsWith('arn:') ? (ref.split('/').pop() ?? ref) : ref
}

function stringList(params: Record<string, unknown>, key: string): string[] {
  const value = params[key]
  if (value === undefined) return []
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
    throw invalidParameter(`${key} must be a list of strings.`)
  }
  return value
}

function readNextToken(token: unknown): number {
  if (token === undefined) return 0
  const offset = typeof token === 'string' ? Number(Buffer.from(token, 'base64').toString()) : NaN
  if (!Number.isInteger(offset) || offset < 0) throw invalidParameter('Invalid nextToken.')
  return offset
}
