/**
 * Pre-flight for both ECS strategies: everything a user could get wrong is checked here, before anything is
 * registered or deployed — the service, its deployment controller, the task definition to register and (blue/green)
 * (blue/green, in ecs-blue-green/preflight-group.ts) the CodeDeploy deployment group.
 */
import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  type ECSClient,
  type Service,
  type Tag
} from '@aws-sdk/client-ecs'
import type { EcsCommonConfig } from './config.js'
import { Inputs } from '../../constants.js'
import { errorName, wrapError } from './errors.js'
import {
  cleanTaskDefinition,
  diffTaskDefinitions,
  renderTaskDefinition,
  type TaskDefinitionDocument
} from './task-definition.js'
import { withSignal } from './clients.js'
import { previousUnknownError, type PreviousResolver } from './rollback-target.js'

export type EcsStrategyName = 'ecs-blue-green' | 'ecs-rolling' | 'ecs-native'

/** What pre-flight learned: the live service and the task definition that would be registered. */
export interface EcsPlan {
  /** `cluster` as the user gave it (name or ARN): what the ECS API calls take. */
  cluster: string
  /** The cluster's short name (CodeDeploy's `ecsServices` and deployment target ids use it). */
  clusterName: string
  serviceName: string
  service: Service
  previousTaskDefinitionArn: string
  /** The live task definition, cleaned like the new one so the diff shows only real changes. */
  liveTaskDefinition: TaskDefinitionDocument
  /** RegisterTaskDefinition input; for a registered revision, that revision cleaned (for the diff and checks). */
  taskDefinition: TaskDefinitionDocument
  /** The registered revision to deploy as it is (`task-definition` named one): nothing is registered. */
  registeredArn?: string
  /** The container that got the image; none for a registered revision. */
  containerName?: string
  /** Readable changes, live → new. */
  diff: string[]
  /** `rollback-to`: the registered revision rolled back to (`registeredArn`), and how it was chosen. */
  rollback?: { evidence: string }
}

function nameFromArn(value: string): string {
  return value.startsWith('arn:') ? value.slice(value.lastIndexOf('/') + 1) : value
}

/** DescribeServices for one service; a missing or inactive service is an error naming cluster and service. */
export async function describeService(
  ecs: ECSClient,
  cluster: string,
  service: string,
  signal?: AbortSignal
): Promise<Service> {
  let out
  try {
    out = await ecs.send(new DescribeServicesCommand({ cluster, services: [service] }), withSignal(signal))
  } catch (error) {
    if (errorName(error) === 'ClusterNotFoundException') {
      throw new Error(`Invalid '${Inputs.cluster}': cluster '${cluster}' was not found`, { cause: error })
    }
    throw wrapError(`Could not describe ECS service ${cluster}/${service}`, error)
  }
  const found = out.services?.[0]
  if (!found) {
    const reason = out.failures?.[0]?.reason ?? 'MISSING'
    throw new Error(
      `ECS service '${service}' was not found in cluster '${cluster}' (${reason}): check the '${Inputs.cluster}' and '${Inputs.service}' inputs and the region`
    )
  }
  if (found.status !== undefined && found.status !== 'ACTIVE') {
    throw new Error(`ECS service ${cluster}/${service} is ${found.status}, not ACTIVE: it cannot be deployed`)
  }
  return found
}

/** `deploymentConfiguration.strategy` of an ECS-controller service; ECS reports ROLLING when none was set. */
export function deploymentStrategyOf(service: Service): string {
  return service.deploymentConfiguration?.strategy ?? 'ROLLING'
}

/** Whether ECS runs the service's deployments itself as blue/green, linear or canary (service deployments). */
export function isNativeStrategy(service: Service): boolean {
  return deploymentStrategyOf(service) !== 'ROLLING'
}

/**
 * The error for an ECS-controller service whose deployments ECS runs as blue/green, linear or canary: `strategy`
 * (a rolling one) cannot deploy it (a rolling rollback would start another full blue/green deployment). Undefined
 * for ROLLING.
 */
export function nativeStrategyError(service: Service, label: string, strategy: string): Error | undefined {
  if (!isNativeStrategy(service)) return undefined
  return new Error(
    `ECS service ${label} uses ECS-managed ${deploymentStrategyOf(service)} deployments (deploymentConfiguration.strategy), which strategy '${strategy}' does not deploy: use strategy 'ecs-native' (or 'ecs', which picks it); nothing was changed`
  )
}

/** The strategy that deploys an ECS-controller service: `ecs-native` for blue/green, linear or canary. */
function ecsControllerStrategy(service: Service): EcsStrategyName {
  return isNativeStrategy(service) ? 'ecs-native' : 'ecs-rolling'
}

/** The service's deployment controller and strategy must match the strategy; when they do not, say which fits. */
export function checkDeploymentController(service: Service, strategy: EcsStrategyName, label: string): void {
  const controller = service.deploymentController?.type ?? 'ECS'
  const wanted = strategy === 'ecs-blue-green' ? 'CODE_DEPLOY' : 'ECS'
  if (controller === wanted) {
    if (strategy === 'ecs-rolling') {
      const native = nativeStrategyError(service, label, strategy)
      if (native) throw native
    }
    if (strategy === 'ecs-native' && !isNativeStrategy(service)) {
      throw new Error(
        `ECS service ${label} uses ROLLING deployments (deploymentConfiguration.strategy), but strategy 'ecs-native' deploys ECS-managed BLUE_GREEN, LINEAR or CANARY ones: use strategy 'ecs-rolling' (or 'ecs', which picks it); nothing was changed`
      )
    }
    return
  }
  const fits =
    controller === 'CODE_DEPLOY'
      ? "use strategy 'ecs-blue-green'"
      : controller === 'ECS'
        ? `use strategy '${ecsControllerStrategy(service)}' (its deploymentConfiguration.strategy is ${deploymentStrategyOf(service)})`
        : 'no ECS strategy of this action can deploy it'
  throw new Error(
    `ECS service ${label} uses the ${controller} deployment controller, but strategy '${strategy}' needs ${wanted}: ${fits}`
  )
}

async function describeTaskDefinition(
  ecs: ECSClient,
  ref: string,
  what: string,
  signal?: AbortSignal
): Promise<{ document: Record<string, unknown>; tags: Tag[] }> {
  try {
    const out = await ecs.send(
      new DescribeTaskDefinitionCommand({ taskDefinition: ref, include: ['TAGS'] }),
      withSignal(signal)
    )
    if (!out.taskDefinition) throw new Error('the response holds no task definition')
    return { document: out.taskDefinition as Record<string, unknown>, tags: out.tags ?? [] }
  } catch (error) {
    throw wrapError(`Could not describe ${what} ${ref}`, error)
  }
}

/**
 * The registered revision `task-definition` or `rollback-to` names (`input`); a revision ECS does not know, or a
 * deregistered one, is an error naming the input. `found`: how a resolved `rollback-to: previous` chose it.
 */
async function describeRegisteredRevision(
  ecs: ECSClient,
  ref: string,
  region: string,
  signal?: AbortSignal,
  input: string = Inputs.taskDefinition,
  found?: string
): Promise<{ arn: string; document: TaskDefinitionDocument }> {
  const invalid = found
    ? (expected: string, got: string): string =>
        `The previous task definition ${ref} (${found}) cannot be rolled back to: expected ${expected}, got ${got}; name another with '${Inputs.rollbackTo}: family:revision'`
    : (expected: string, got: string): string => `Invalid '${input}': expected ${expected}, got '${ref}', ${got}`
  let described
  try {
    described = await describeTaskDefinition(ecs, ref, 'task definition', signal)
  } catch (error) {
    // ECS answers ClientException "Unable to describe task definition." for a revision it does not have.
    if (errorName((error as Error).cause) !== 'ClientException') throw error
    throw new Error(
      invalid(`a task definition registered in ${region} (family:revision or its ARN)`, 'which ECS does not have'),
      { cause: error }
    )
  }
  const arn = described.document.taskDefinitionArn
  if (typeof arn !== 'string') throw new Error(`ECS described task definition ${ref} without its ARN`)
  if (described.document.status === 'INACTIVE') {
    // ECS does not update a service to a deregistered revision.
    throw new Error(invalid('an ACTIVE task definition', 'which is deregistered (INACTIVE)'))
  }
  return { arn, document: cleanTaskDefinition({ ...described.document, tags: described.tags }) }
}

/** Checks the service and builds the task definition to register (or reads the revision to deploy); registers nothing. */
export async function preflightService(
  ecs: ECSClient,
  config: EcsCommonConfig,
  strategy: EcsStrategyName,
  signal?: AbortSignal,
  previous?: PreviousResolver
): Promise<EcsPlan> {
  const service = await describeService(ecs, config.cluster, config.service, signal)
  const label = `${config.cluster}/${config.service}`
  checkDeploymentController(service, strategy, label)
  const previousTaskDefinitionArn = service.taskDefinition
  if (!previousTaskDefinitionArn) throw new Error(`ECS service ${label} reports no task definition`)
  const live = await describeTaskDefinition(ecs, previousTaskDefinitionArn, "the service's task definition", signal)
  const liveTaskDefinition = cleanTaskDefinition({ ...live.document, tags: live.tags })
  const planned = {
    cluster: config.cluster,
    clusterName: nameFromArn(service.clusterArn ?? config.cluster),
    serviceName: service.serviceName ?? nameFromArn(config.service),
    service,
    previousTaskDefinitionArn,
    liveTaskDefinition
  }
  if (config.rollbackTo) {
    let ref: string
    let evidence: string
    if (config.rollbackTo.kind === 'named') {
      ref = config.rollbackTo.name
      evidence = `named by '${Inputs.rollbackTo}'`
    } else {
      if (!previous) throw new Error(`'${Inputs.rollbackTo}: previous' is not supported for ${strategy}`)
      const resolved = await previous(previousTaskDefinitionArn, signal)
      if (resolved.kind === 'unknown') throw previousUnknownError(label, previousTaskDefinitionArn, resolved.reason)
      ref = resolved.taskDefinition
      evidence = resolved.evidence
    }
    const found = config.rollbackTo.kind === 'previous' ? evidence : undefined
    const revision = await describeRegisteredRevision(ecs, ref, config.region, signal, Inputs.rollbackTo, found)
    return {
      ...planned,
      taskDefinition: revision.document,
      registeredArn: revision.arn,
      diff: diffTaskDefinitions(liveTaskDefinition, revision.document),
      rollback: { evidence }
    }
  }
  if (config.taskDefinitionRevision) {
    const revision = await describeRegisteredRevision(ecs, config.taskDefinitionRevision, config.region, signal)
    return {
      ...planned,
      taskDefinition: revision.document,
      registeredArn: revision.arn,
      diff: diffTaskDefinitions(liveTaskDefinition, revision.document)
    }
  }
  if (!config.image) throw new Error(`Missing '${Inputs.image}': required to render a task definition`)
  const base = config.taskDefinitionDocument ? cleanTaskDefinition(config.taskDefinitionDocument) : liveTaskDefinition
  const { taskDefinition, containerName } = renderTaskDefinition(base, {
    image: config.image.ref,
    containerName: config.containerName,
    environment: config.environmentVariables
  })
  return { ...planned, taskDefinition, containerName, diff: diffTaskDefinitions(liveTaskDefinition, taskDefinition) }
}

/** The service's load balancer entry that CodeDeploy shifts (container name and port). */
export function serviceLoadBalancer(service: Service, label: string): { containerName: string; containerPort: number } {
  const lb = service.loadBalancers?.find((l) => l.containerName && l.containerPort !== undefined)
  if (!lb?.containerName || lb.containerPort === undefined) {
    throw new Error(`ECS service ${label} has no load balancer with a container name and port; CodeDeploy needs one`)
  }
  return { containerName: lb.containerName, containerPort: lb.containerPort }
}
