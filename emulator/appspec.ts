/**
 * Parses and checks an ECS AppSpec the way CodeDeploy does when the deployment starts.
 * CreateDeployment accepts any content with a matching sha256; the mistakes below fail the deployment afterwards.
 * // https://docs.aws.amazon.com/codedeploy/latest/userguide/reference-appspec-file-structure-resources.html#reference-appspec-file-structure-resources-ecs
 * // https://docs.aws.amazon.com/codedeploy/latest/userguide/reference-appspec-file-structure-hooks.html#appspec-hooks-ecs
 */
import { parse } from 'yaml'
import type { AppSpecTarget, CapacityProviderStrategyItem, NetworkConfiguration } from './model.js'

/** The lifecycle events an ECS AppSpec may hook (Install, AllowTestTraffic and AllowTraffic are not hookable). */
export const HOOKABLE_EVENTS = [
  'BeforeInstall',
  'AfterInstall',
  'AfterAllowTestTraffic',
  'BeforeAllowTraffic',
  'AfterAllowTraffic'
] as const

export interface AppSpecTaskDefinition {
  containers: { name: string; containerPorts: number[] }[]
}

export interface AppSpecContext {
  /** A registered task definition by full ARN, or undefined. */
  findTaskDefinition(arn: string): AppSpecTaskDefinition | undefined
  /** The container behind the service's load balancer (and the deployment group's target groups). */
  serviceContainer?: { name: string; port: number }
}

export type AppSpecResult =
  { ok: true; target: AppSpecTarget } | { ok: false; error: { code: 'INVALID_REVISION'; message: string } }

class AppSpecError extends Error {}

const FULL_TASK_DEFINITION_ARN = /^arn:aws[a-z-]*:ecs:[a-z0-9-]+:\d{12}:task-definition\/[A-Za-z0-9_-]{1,255}:\d+$/

/** Validates `content` (YAML or JSON); never throws. */
export function validateAppSpec(content: string, context: AppSpecContext): AppSpecResult {
  try {
    return { ok: true, target: check(content, context) }
  } catch (error) {
    if (!(error instanceof AppSpecError)) throw error
    return { ok: false, error: { code: 'INVALID_REVISION', message: `The deployment failed because ${error.message}` } }
  }
}

function check(content: string, context: AppSpecContext): AppSpecTarget {
  let doc: unknown
  try {
    // YAML 1.2 is a superset of JSON, so one parser reads both forms.
    doc = parse(content)
  } catch (error) {
    throw new AppSpecError(`the AppSpec file could not be parsed: ${(error as Error).message.split('\n')[0]}`)
  }
  if (!isRecord(doc)) throw new AppSpecError('the AppSpec file is empty or is not a YAML or JSON object.')

  // https://docs.aws.amazon.com/codedeploy/latest/userguide/reference-appspec-file-structure-version.html
  const version = field(doc, 'version')
  if (version !== 0 && version !== '0.0') {
    throw new AppSpecError(
      `the AppSpec file specifies version ${JSON.stringify(version)}; the only allowed value is 0.0.`
    )
  }

  const resources = field(doc, 'Resources')
  if (!Array.isArray(resources) || resources.length !== 1) {
    const found = Array.isArray(resources) ? resources.length : 0
    throw new AppSpecError(
      `the AppSpec file must specify exactly one resource for an Amazon ECS deployment (found ${found}).`
    )
  }
  const resource = resources[0] as unknown
  if (!isRecord(resource) || Object.keys(resource).length !== 1) {
    throw new AppSpecError('the AppSpec resource must be a map with one named resource (e.g. TargetService).')
  }
  const [resourceName, body] = Object.entries(resource)[0] as [string, unknown]
  if (!isRecord(body) || field(body, 'Type') !== 'AWS::ECS::Service') {
    throw new AppSpecError(`the AppSpec resource '${resourceName}' must have Type AWS::ECS::Service.`)
  }
  const properties = field(body, 'Properties')
  if (!isRecord(properties)) throw new AppSpecError(`the AppSpec resource '${resourceName}' has no Properties.`)

  const taskDefinitionArn = field(properties, 'TaskDefinition')
  if (typeof taskDefinitionArn !== 'string' || !FULL_TASK_DEFINITION_ARN.test(taskDefinitionArn)) {
    throw new AppSpecError(
      `the TaskDefinition in the AppSpec file must be a full task definition ARN (got ${JSON.stringify(taskDefinitionArn)}).`
    )
  }
  const taskDefinition = context.findTaskDefinition(taskDefinitionArn)
  if (!taskDefinition) {
    throw new AppSpecError(`the task definition ${taskDefinitionArn} in the AppSpec file does not exist.`)
  }

  const lb = field(properties, 'LoadBalancerInfo')
  if (!isRecord(lb)) throw new AppSpecError('the AppSpec file has no LoadBalancerInfo (ContainerName, ContainerPort).')
  const containerName = field(lb, 'ContainerName')
  const containerPort = field(lb, 'ContainerPort')
  if (typeof containerName !== 'string' || containerName === '') {
    throw new AppSpecError('the LoadBalancerInfo in the AppSpec file has no ContainerName.')
  }
  if (typeof containerPort !== 'number' || !Number.isInteger(containerPort)) {
    throw new AppSpecError(
      `the ContainerPort in the AppSpec file must be a number (got ${JSON.stringify(containerPort)}).`
    )
  }
  const container = taskDefinition.containers.find((c) => c.name === containerName)
  if (!container) {
    throw new AppSpecError(
      `the container '${containerName}' named in the AppSpec file is not in task definition ${taskDefinitionArn}.`
    )
  }
  if (!container.containerPorts.includes(containerPort)) {
    throw new AppSpecError(
      `container port ${containerPort} in the AppSpec file is not a port mapping of container '${containerName}' in task definition ${taskDefinitionArn}.`
    )
  }
  const expected = context.serviceContainer
  if (expected && (expected.name !== containerName || expected.port !== containerPort)) {
    throw new AppSpecError(
      `the load balancer container ${containerName}:${containerPort} in the AppSpec file does not match the service's load balancer container ${expected.name}:${expected.port}.`
    )
  }

  const target: AppSpecTarget = {
    taskDefinitionArn,
    containerName,
    containerPort,
    hooks: readHooks(field(doc, 'Hooks'))
  }
  const platformVersion = field(properties, 'PlatformVersion')
  if (platformVersion !== undefined) {
    if (typeof platformVersion !== 'string')
      throw new AppSpecError('the PlatformVersion in the AppSpec file must be a string.')
    target.platformVersion = platformVersion
  }
  if (field(properties, 'NetworkConfiguration') !== undefined) {
    target.networkConfiguration = readNetwork(field(properties, 'NetworkConfiguration'))
  }
  if (field(properties, 'CapacityProviderStrategy') !== undefined) {
    target.capacityProviderStrategy = readCapacityProviders(field(properties, 'CapacityProviderStrategy'))
  }
  return target
}

function readHooks(hooks: unknown): Record<string, string> {
  if (hooks === undefined || hooks === null) return {}
  if (!Array.isArray(hooks)) throw new AppSpecError('the Hooks section of the AppSpec file must be a list.')
  const result: Record<string, string> = {}
  for (const hook of hooks as unknown[]) {
    if (!isRecord(hook) || Object.keys(hook).length !== 1) {
      throw new AppSpecError('each entry of the AppSpec Hooks list must map one lifecycle event to a Lambda function.')
    }
    const [event, fn] = Object.entries(hook)[0] as [string, unknown]
    if (!(HOOKABLE_EVENTS as readonly string[]).includes(event)) {
      throw new AppSpecError(
        `the AppSpec file has a hook for '${event}'; an Amazon ECS deployment can hook only ${HOOKABLE_EVENTS.join(', ')}.`
      )
    }
    if (typeof fn !== 'string' || fn === '') {
      throw new AppSpecError(`the AppSpec hook '${event}' must name a Lambda function.`)
    }
    result[event] = fn
  }
  return result
}

function readNetwork(value: unknown): NetworkConfiguration {
  const vpc = field(value, 'AwsvpcConfiguration')
  if (!isRecord(vpc)) throw new AppSpecError('the NetworkConfiguration in the AppSpec file has no AwsvpcConfiguration.')
  const subnets = field(vpc, 'Subnets')
  const securityGroups = field(vpc, 'SecurityGroups')
  const assignPublicIp = field(vpc, 'AssignPublicIp')
  if (
    !isStringList(subnets) ||
    subnets.length === 0 ||
    !isStringList(securityGroups) ||
    typeof assignPublicIp !== 'string'
  ) {
    throw new AppSpecError(
      'the AwsvpcConfiguration in the AppSpec file must specify Subnets, SecurityGroups and AssignPublicIp.'
    )
  }
  if (assignPublicIp !== 'ENABLED' && assignPublicIp !== 'DISABLED') {
    throw new AppSpecError(`AssignPublicIp in the AppSpec file must be ENABLED or DISABLED (got '${assignPublicIp}').`)
  }
  return { awsvpcConfiguration: { subnets, securityGroups, assignPublicIp } }
}

function readCapacityProviders(value: unknown): CapacityProviderStrategyItem[] {
  if (!Array.isArray(value)) throw new AppSpecError('the CapacityProviderStrategy in the AppSpec file must be a list.')
  return (value as unknown[]).map((item) => {
    const provider = field(item, 'CapacityProvider')
    if (typeof provider !== 'string') {
      throw new AppSpecError('each CapacityProviderStrategy entry in the AppSpec file needs a CapacityProvider.')
    }
    const entry: CapacityProviderStrategyItem = { capacityProvider: provider }
    const base = field(item, 'Base')
    const weight = field(item, 'Weight')
    if (typeof base === 'number') entry.base = base
    if (typeof weight === 'number') entry.weight = weight
    return entry
  })
}

/**
 * `object[name]` with the key in any case: CodeDeploy reads AppSpec keys case-insensitively (the AWS CLI's
 * `ecs deploy` documents and sends `resources`, `properties`, `taskDefinition`, … in lower camel case).
 */
function field(object: unknown, name: string): unknown {
  if (!isRecord(object)) return undefined
  const wanted = name.toLowerCase()
  const key = Object.keys(object).find((k) => k.toLowerCase() === wanted)
  return key === undefined ? undefined : object[key]
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function isStringList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string')
}
