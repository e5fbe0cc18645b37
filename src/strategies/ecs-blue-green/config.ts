/** The inputs of ecs-blue-green: the shared ECS ones, the CodeDeploy application and group, the AppSpec, the waits. */
import { Inputs } from '../../constants.js'
import { FormError } from '../../inputs/forms.js'
import { readDocument, type InputReader, type ReadContext } from '../../inputs/reader.js'
import {
  readEcsConfig,
  readDeploymentWaits,
  shortName,
  type DeploymentWaits,
  type EcsCommonConfig,
  type EcsCommonInputs
} from '../ecs/config.js'
import { defaultCodeDeployNames } from './names.js'

export type { OnActiveDeployment, WaitUntil } from '../ecs/config.js'

export interface EcsBlueGreenConfig extends EcsCommonConfig, DeploymentWaits {
  strategy: 'ecs-blue-green'
  codedeployApplication: string
  codedeployDeploymentGroup: string
  appspecPath?: string
  /** The parsed AppSpec file (YAML or JSON), unmodified. */
  appspecDocument?: Record<string, unknown>
  deploymentConfig?: string
}

const CODEDEPLOY_NAME_RE = /^[A-Za-z0-9_.+=,@-]{1,100}$/
const CODEDEPLOY_NAME_FORM = 'a CodeDeploy name of letters, digits and _.+=,@- (up to 100)'

function parseCodeDeployName(value: string): string {
  if (!CODEDEPLOY_NAME_RE.test(value)) throw new FormError(CODEDEPLOY_NAME_FORM)
  return value
}

export function readEcsBlueGreenConfig(
  r: InputReader,
  common: EcsCommonInputs,
  context: ReadContext
): EcsBlueGreenConfig {
  const ecs = readEcsConfig(r, common, context)
  const defaults = defaultCodeDeployNames(shortName(ecs.cluster), shortName(ecs.service))
  const config: EcsBlueGreenConfig = {
    ...ecs,
    strategy: 'ecs-blue-green',
    codedeployApplication: r.value(Inputs.codedeployApplication, defaults.application, parseCodeDeployName),
    codedeployDeploymentGroup: r.value(Inputs.codedeployDeploymentGroup, defaults.group, parseCodeDeployName),
    ...readDeploymentWaits(r, ecs)
  }
  const deploymentConfig = r.optional(Inputs.codedeployDeploymentConfig, parseCodeDeployName)
  if (deploymentConfig) config.deploymentConfig = deploymentConfig
  const appspecPath = r.get(Inputs.codedeployAppspec)
  if (appspecPath) {
    config.appspecPath = appspecPath
    const doc = r.check(() => readDocument(Inputs.codedeployAppspec, appspecPath, context.env, context.parseYaml))
    if (doc) config.appspecDocument = doc
  }
  return config
}
