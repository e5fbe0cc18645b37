/** Which path `ecs` takes for a service: from its deployment controller and deployment strategy. Pure. */
import type { Service } from '@aws-sdk/client-ecs'
import { deploymentStrategyOf, nativeStrategyError } from '../ecs/preflight.js'

export type EcsPath = 'ecs-blue-green' | 'ecs-rolling'

export interface PickedPath {
  path: EcsPath
  /** Why, in one clause: `service demo/web uses the CODE_DEPLOY deployment controller`. */
  why: string
}

/**
 * CODE_DEPLOY → CodeDeploy blue/green; ECS with the ROLLING strategy → rolling. ECS-managed blue/green, linear or
 * canary, and the EXTERNAL controller, are errors: no path of this action deploys them.
 */
export function pickPath(service: Service, label: string): PickedPath {
  const controller = service.deploymentController?.type ?? 'ECS'
  if (controller === 'CODE_DEPLOY') {
    return { path: 'ecs-blue-green', why: `service ${label} uses the CODE_DEPLOY deployment controller` }
  }
  if (controller === 'ECS') {
    const native = nativeStrategyError(service, label, 'ecs')
    if (native) throw native
    return {
      path: 'ecs-rolling',
      why: `service ${label} uses the ECS deployment controller with the ${deploymentStrategyOf(service)} strategy`
    }
  }
  throw new Error(
    `ECS service ${label} uses the ${controller} deployment controller, which no strategy of this action deploys; nothing was changed`
  )
}
