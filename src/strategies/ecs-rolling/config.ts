/** ecs-rolling reads only the inputs both ECS strategies share. */
import type { InputReader, ReadContext } from '../../inputs/reader.js'
import { readEcsConfig, type EcsCommonConfig, type EcsCommonInputs } from '../ecs/config.js'

export interface EcsRollingConfig extends EcsCommonConfig {
  strategy: 'ecs-rolling'
}

export function readEcsRollingConfig(r: InputReader, common: EcsCommonInputs, context: ReadContext): EcsRollingConfig {
  return { ...readEcsConfig(r, common, context), strategy: 'ecs-rolling' }
}
