/**
 * The AppSpec sent to CodeDeploy: generated from the live service, or the user's file with only `TaskDefinition`
 * replaced. Pure: no AWS calls.
 */
import { createHash } from 'node:crypto'
import type { Service } from '@aws-sdk/client-ecs'
import { Inputs } from '../../constants.js'
import { containerHasPort, containerNames, type TaskDefinitionDocument } from '../ecs/task-definition.js'

export type AppSpec = Record<string, unknown>

/** The lifecycle events CodeDeploy accepts hooks on, for ECS. */
export const HOOKABLE_EVENTS = [
  'BeforeInstall',
  'AfterInstall',
  'AfterAllowTestTraffic',
  'BeforeAllowTraffic',
  'AfterAllowTraffic'
] as const

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** The key of `object` that is `name` in any case: AppSpec keys are matched as the AWS CLI and AWS action do. */
function keyOf(object: Record<string, unknown>, name: string): string {
  const wanted = name.toLowerCase()
  return Object.keys(object).find((key) => key.toLowerCase() === wanted) ?? name
}

/** `object[name]`, with the key in any case. */
function valueOf(object: unknown, name: string): unknown {
  return isObject(object) ? object[keyOf(object, name)] : undefined
}

function invalid(problem: string): Error {
  return new Error(`Invalid '${Inputs.codedeployAppspec}': ${problem}`)
}

/**
 * An AppSpec for the service as it runs now, pointing at `taskDefinitionArn`. PlatformVersion, the awsvpc network
 * configuration and the capacity provider strategy are copied because CodeDeploy drops what the AppSpec leaves out.
 */
export function generateAppSpec(
  service: Service,
  taskDefinitionArn: string,
  loadBalancer: { containerName: string; containerPort: number }
): AppSpec {
  const properties: Record<string, unknown> = {
    TaskDefinition: taskDefinitionArn,
    LoadBalancerInfo: { ContainerName: loadBalancer.containerName, ContainerPort: loadBalancer.containerPort }
  }
  if (service.platformVersion) properties.PlatformVersion = service.platformVersion
  const vpc = service.networkConfiguration?.awsvpcConfiguration
  if (vpc) {
    // CodeDeploy wants all three or none.
    properties.NetworkConfiguration = {
      AwsvpcConfiguration: {
        Subnets: vpc.subnets ?? [],
        SecurityGroups: vpc.securityGroups ?? [],
        AssignPublicIp: vpc.assignPublicIp ?? 'DISABLED'
      }
    }
  }
  if (service.capacityProviderStrategy?.length) {
    properties.CapacityProviderStrategy = service.capacityProviderStrategy.map((item) => {
      const entry: Record<string, unknown> = { CapacityProvider: item.capacityProvider }
      if (item.base !== undefined) entry.Base = item.base
      if (item.weight !== undefined) entry.Weight = item.weight
      return entry
    })
  }
  return {
    version: 0.0,
    Resources: [{ TargetService: { Type: 'AWS::ECS::Service', Properties: properties } }]
  }
}

/** The `Properties` of the AppSpec's single resource, after checking the shape CodeDeploy requires. */
function targetProperties(appspec: AppSpec): Record<string, unknown> {
  const resources = valueOf(appspec, 'Resources')
  if (!Array.isArray(resources) || resources.length !== 1) {
    throw invalid('expected `Resources` to be a list with exactly one ECS service')
  }
  const resource = resources[0] as unknown
  const entries = isObject(resource) ? Object.values(resource) : []
  const target = entries[0]
  const properties = valueOf(target, 'Properties')
  if (entries.length !== 1 || !isObject(properties)) {
    throw invalid('expected the resource to be `<Name>: {Type: AWS::ECS::Service, Properties: {...}}`')
  }
  const type = valueOf(target, 'Type')
  if (type !== undefined && type !== 'AWS::ECS::Service') {
    throw invalid(`expected resource Type AWS::ECS::Service, got '${String(type)}'`)
  }
  return properties
}

/**
 * A copy of the user's AppSpec with `TaskDefinition` set to the new revision; nothing else is changed. Keys are
 * matched in any case (`taskDefinition` is replaced where the file has it so).
 */
export function mergeAppSpec(document: AppSpec, taskDefinitionArn: string): AppSpec {
  const copy = structuredClone(document)
  const version = valueOf(copy, 'version')
  if (version !== undefined && version !== 0 && version !== '0.0') {
    throw invalid(`expected version 0.0, got '${String(version)}'`)
  }
  const properties = targetProperties(copy)
  properties[keyOf(properties, 'TaskDefinition')] = taskDefinitionArn
  const hooks = valueOf(copy, 'Hooks')
  if (hooks !== undefined) {
    if (!Array.isArray(hooks)) throw invalid('expected `Hooks` to be a list of `<LifecycleEvent>: <Lambda>` entries')
    for (const hook of hooks as unknown[]) {
      for (const key of isObject(hook) ? Object.keys(hook) : ['?']) {
        if (!(HOOKABLE_EVENTS as readonly string[]).includes(key)) {
          throw invalid(`hook '${key}' is not one of ${HOOKABLE_EVENTS.join(', ')}`)
        }
      }
    }
  }
  return copy
}

/** The AppSpec's LoadBalancerInfo; an error if it is missing or malformed. */
export function appSpecLoadBalancer(appspec: AppSpec): { containerName: string; containerPort: number } {
  const lb = valueOf(targetProperties(appspec), 'LoadBalancerInfo')
  const containerName = valueOf(lb, 'ContainerName')
  const containerPort = valueOf(lb, 'ContainerPort')
  if (typeof containerName !== 'string' || typeof containerPort !== 'number') {
    throw invalid('expected `LoadBalancerInfo: {ContainerName: <name>, ContainerPort: <number>}` in the resource')
  }
  return { containerName, containerPort }
}

/** The AppSpec's load balancer container and port must exist in the task definition being deployed. */
export function checkAppSpecAgainstTaskDefinition(appspec: AppSpec, taskDefinition: TaskDefinitionDocument): void {
  const { containerName, containerPort } = appSpecLoadBalancer(appspec)
  if (!containerHasPort(taskDefinition, containerName, containerPort)) {
    throw new Error(
      `The AppSpec's LoadBalancerInfo names container '${containerName}' port ${containerPort}, which the new task definition does not map (containers: ${containerNames(taskDefinition).join(', ')})`
    )
  }
}

const VERSION_MARK = '"__appspec_version__"'

/**
 * The AppSpec as CodeDeploy receives it (JSON, a subset of YAML) and its hex SHA-256. The version is written as
 * `0.0`, the literal CodeDeploy documents, which JSON.stringify would shorten to `0`.
 */
export function renderAppSpec(appspec: AppSpec): { content: string; sha256: string } {
  const rest = Object.fromEntries(Object.entries(appspec).filter(([key]) => key.toLowerCase() !== 'version'))
  const content = JSON.stringify({ version: VERSION_MARK.slice(1, -1), ...rest }, null, 2).replace(VERSION_MARK, '0.0')
  return { content, sha256: createHash('sha256').update(content, 'utf8').digest('hex') }
}
