/**
 * ecs-native pre-flight after the service checks every ECS strategy shares: the load balancers' blue/green settings,
 * the PAUSE hook the verify gate needs, and whether `timeout-minutes` covers the bakes and hook timeouts. Pure.
 */
import type { DeploymentLifecycleHook, Service } from '@aws-sdk/client-ecs'
import { Inputs } from '../../constants.js'
import type { Logger } from '../../types.js'
import type { EcsNativeConfig } from './config.js'
import { GATE_STAGE } from './service-deployment.js'
import { deploymentStrategyOf } from '../ecs/preflight.js'

/** What ECS needs of each load balancer to shift traffic between the two target groups. */
const ADVANCED_FIELDS = ['alternateTargetGroupArn', 'productionListenerRule', 'roleArn'] as const

/**
 * Every load balancer of the service needs `advancedConfiguration` (alternate target group, production listener
 * rule, role): without it ECS refuses the deployment ("advancedConfiguration field is required for all
 * loadBalancers when using the Blue/green deployment strategy").
 * // https://docs.aws.amazon.com/AmazonECS/latest/developerguide/blue-green-deployment-implementation.html
 */
export function checkLoadBalancers(service: Service, label: string): void {
  const problems = (service.loadBalancers ?? []).flatMap((lb) => {
    const missing = ADVANCED_FIELDS.filter((f) => !lb.advancedConfiguration?.[f])
    if (missing.length === 0) return []
    const name = `${lb.containerName ?? '?'}:${lb.containerPort ?? '?'} (${lb.targetGroupArn ?? lb.loadBalancerName ?? 'no target group'})`
    return [`${name} lacks advancedConfiguration.${missing.join(', ')}`]
  })
  if (problems.length === 0) return
  throw new Error(
    `ECS service ${label} cannot be deployed with ECS-managed ${deploymentStrategyOf(service)}: its load balancer ${problems.join('; ')}. Set them on the service (alternate target group, production listener rule, and the role ECS uses for the load balancer); nothing was changed`
  )
}

/** Whether `hook` is a PAUSE hook of the gate stage. */
function isGateHook(hook: DeploymentLifecycleHook): boolean {
  return hook.targetType === 'PAUSE' && (hook.lifecycleStages ?? []).includes(GATE_STAGE)
}

/**
 * `verify-command` runs while ECS waits at a PAUSE hook after the test traffic shift, and answers it: the service
 * must have one. A hook that times out before the gate's time is up rolls back (its default action) mid-gate.
 * // https://docs.aws.amazon.com/AmazonECS/latest/developerguide/pause-lifecycle-hooks.html
 */
export function checkGateHook(service: Service, config: EcsNativeConfig, label: string, log: Logger): void {
  if (!config.verify) return
  const hook = service.deploymentConfiguration?.lifecycleHooks?.find(isGateHook)
  if (!hook) {
    throw new Error(
      `'${Inputs.verifyCommand}' with strategy 'ecs-native' runs at a PAUSE lifecycle hook of stage ${GATE_STAGE}, which ECS service ${label} does not have: add {targetType: PAUSE, lifecycleStages: [${GATE_STAGE}]} to its deploymentConfiguration.lifecycleHooks; nothing was changed`
    )
  }
  const hookMinutes = hook.timeoutConfiguration?.timeoutInMinutes
  const gateMinutes = config.verify.timeoutMs / 60_000
  if (hookMinutes !== undefined && hookMinutes < gateMinutes) {
    log.warning(
      `The ${GATE_STAGE} PAUSE hook of ${label} times out after ${hookMinutes} min, before '${Inputs.verifyTimeout}' (${gateMinutes} min): a slow '${Inputs.verifyCommand}' is cut short by ECS's timeout action (${hook.timeoutConfiguration?.action ?? 'ROLLBACK'})`
    )
  }
  const untested = (service.loadBalancers ?? []).filter((lb) => !lb.advancedConfiguration?.testListenerRule)
  if (untested.length > 0) {
    log.warning(
      `'${Inputs.verifyCommand}' tests the new revision through the test listener, but ${untested.length} load balancer(s) of ${label} have no advancedConfiguration.testListenerRule`
    )
  }
}

/** ECS's documented defaults (LinearConfiguration, CanaryConfiguration). */
const LINEAR_DEFAULTS = { stepPercent: 10, stepBakeTimeInMinutes: 6 }
const CANARY_BAKE_DEFAULT = 10

/** The minutes a deployment may spend waiting by design: bake time, step bakes, hook timeouts. */
export function waitBudget(service: Service, config: EcsNativeConfig): { minutes: number; parts: string[] } {
  const dc = service.deploymentConfiguration
  const parts: string[] = []
  let minutes = 0
  const add = (m: number, what: string): void => {
    if (m <= 0) return
    minutes += m
    parts.push(`${what} ${m} min`)
  }
  const strategy = deploymentStrategyOf(service)
  if (strategy === 'LINEAR') {
    const step = dc?.linearConfiguration?.stepPercent ?? LINEAR_DEFAULTS.stepPercent
    // No bake after the step that reaches 100%.
    const steps = Math.ceil(100 / step)
    const bake = dc?.linearConfiguration?.stepBakeTimeInMinutes ?? LINEAR_DEFAULTS.stepBakeTimeInMinutes
    add((steps - 1) * bake, `${steps - 1} linear step bakes`)
  }
  if (strategy === 'CANARY') {
    add(dc?.canaryConfiguration?.canaryBakeTimeInMinutes ?? CANARY_BAKE_DEFAULT, 'canary bake')
  }
  if (config.waitUntil === 'succeeded') add(dc?.bakeTimeInMinutes ?? 0, 'bake time')
  for (const hook of dc?.lifecycleHooks ?? []) {
    const stages = (hook.lifecycleStages ?? []).length
    // The gate's hook waits only as long as the gate runs.
    const each =
      config.verify && isGateHook(hook) ? config.verify.timeoutMs / 60_000 : hook.timeoutConfiguration?.timeoutInMinutes
    if (each !== undefined) add(each * stages, `${hook.targetType ?? 'AWS_LAMBDA'} hook timeout`)
  }
  return { minutes, parts }
}

/** Warns when the waits by design may outlast `timeout-minutes`: the step would time out and roll back. */
export function checkWaitBudget(service: Service, config: EcsNativeConfig, label: string, log: Logger): void {
  const { minutes, parts } = waitBudget(service, config)
  if (minutes < config.timeoutMinutes) return
  log.warning(
    `The deployment of ${label} may wait ${minutes} min by design (${parts.join(', ')}; hooks without a timeoutConfiguration not counted), not less than '${Inputs.timeoutMinutes}' (${config.timeoutMinutes} min): the step would time out and roll back. Raise the timeout${config.waitUntil === 'succeeded' ? ` or use '${Inputs.waitUntil}: traffic-shifted'` : ''}.`
  )
}
