/** ecs-native reads the shared ECS inputs plus `wait-until` and `on-active-deployment`, as ecs-blue-green does. */
import type { InputReader, ReadContext } from '../../inputs/reader.js'
import {
  readDeploymentWaits,
  readEcsConfig,
  type DeploymentWaits,
  type EcsCommonConfig,
  type EcsCommonInputs
} from '../ecs/config.js'

export interface EcsNativeConfig extends EcsCommonConfig, DeploymentWaits {
  strategy: 'ecs-native'
}

export function readEcsNativeConfig(r: InputReader, common: EcsCommonInputs, context: ReadContext): EcsNativeConfig {
  const ecs = readEcsConfig(r, common, context)
  return { ...ecs, ...readDeploymentWaits(r, ecs), strategy: 'ecs-native' }
}
