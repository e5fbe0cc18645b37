/** The verify gate for an ECS service: the service, revision and deployment in the command's environment. */
import type { Deps } from '../../deps.js'
import { runVerify, type VerifyConfig, type VerifyOutcome } from '../../verify.js'
import type { EcsCommonConfig } from './config.js'
import type { EcsRunState } from './run-state.js'

export function verifyService(
  deps: Deps,
  config: EcsCommonConfig & { verify: VerifyConfig },
  state: EcsRunState,
  deploymentId: string,
  signal: AbortSignal
): Promise<VerifyOutcome> {
  return deps.log.group(`Verify ${state.label}`, () =>
    runVerify(deps, config.verify, {
      vars: {
        DEPLOY_STRATEGY: config.strategy,
        DEPLOY_IMAGE: config.image?.ref ?? '',
        DEPLOY_TARGETS: `${config.cluster}/${config.service}`,
        DEPLOY_CLUSTER: config.cluster,
        DEPLOY_SERVICE: config.service,
        DEPLOY_TASK_DEFINITION_ARN: state.taskDefinitionArn ?? '',
        DEPLOY_DEPLOYMENT_ID: deploymentId
      },
      deadline: state.deadline,
      signal
    })
  )
}
