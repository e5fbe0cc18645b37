/** Which path `ecs` takes for a service: from its deployment controller and deployment strategy. Pure. */
import type { Service } from '@aws-sdk/client-ecs'
import { deploymentStrategyOf, isNativeStrategy } from '../ecs/preflight.js'

export type EcsPath = 'ecs-blue-green' | 'ecs-rolling' | 'ecs-native'

export interface PickedPath {
  path: EcsPath
  /** Why, in one clause: `service demo/web uses the CODE_DEPLOY deployment controller`. */
  why: string
}

/**
 * CODE_DEPLOY → CodeDeploy blue/green; ECS with the ROLLING strategy → rolling; ECS with an ECS-managed BLUE_GREEN,
 * LINEAR or CANARY strategy → ecs-native. The EXTERNAL controller is an error: no path of this action deploys it.
 */
export function pickPath(service: Service, label: string): PickedPath {
  const controller = service.deploymentController?.type ?? 'ECS'
  if (controller === 'CODE_DEPLOY') {
    return { path: 'ecs-blue-green', why: `service ${label} uses the CODE_DEPLOY deployment controller` }
  }
  if (controller === 'ECS') {
    if (isNativeStrategy(service)) {
      return {
        path: 'ecs-native',
        why: `service ${label} uses the ECS deployment controller with ECS-managed ${deploymentStrategyOf(service)} deployments`
      }
    }
    return {
      path: 'ecs-rolling',
      why: `service ${label} uses the ECS deployment controller with the ${deploymentStrategyOf(service)} strategy`
    }
  }
  throw new Error(
    `ECS service ${label} uses the ${controller} deployment controller, which no strategy of this action deploys; nothing was changed`
  )
}
