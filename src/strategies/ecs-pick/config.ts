/**
 * The inputs of `ecs`: those of ecs-blue-green (a superset of ecs-rolling's), validated alike whichever path the
 * service turns out to need, plus which blue/green-only inputs were given (a rolling path warns about them).
 */
import { Inputs, type InputName } from '../../constants.js'
import type { InputReader, ReadContext } from '../../inputs/reader.js'
import { readEcsBlueGreenConfig, type EcsBlueGreenConfig } from '../ecs-blue-green/config.js'
import type { EcsCommonInputs } from '../ecs/config.js'

export interface EcsPickConfig extends Omit<EcsBlueGreenConfig, 'strategy'> {
  strategy: 'ecs'
  /** The blue/green inputs the user set: on the paths that do not use them, those are warned about. */
  blueGreenInputs: InputName[]
}

/** Inputs only the CodeDeploy blue/green path uses. */
export const CODEDEPLOY_INPUTS: readonly InputName[] = [
  Inputs.codedeployApplication,
  Inputs.codedeployDeploymentGroup,
  Inputs.codedeployAppspec,
  Inputs.codedeployDeploymentConfig
]

/** Inputs the blue/green paths (CodeDeploy and ECS-managed) use, and the rolling path does not. */
export const BLUE_GREEN_INPUTS: readonly InputName[] = [
  ...CODEDEPLOY_INPUTS,
  Inputs.waitUntil,
  Inputs.onActiveDeployment
]

export function readEcsPickConfig(r: InputReader, common: EcsCommonInputs, context: ReadContext): EcsPickConfig {
  const config = readEcsBlueGreenConfig(r, common, context)
  return { ...config, strategy: 'ecs', blueGreenInputs: BLUE_GREEN_INPUTS.filter((name) => r.get(name) !== '') }
}
