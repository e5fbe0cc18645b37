/** Blue/green pre-flight of the CodeDeploy deployment group (kept apart so ecs-rolling never loads CodeDeploy). */
import {
  GetDeploymentCommand,
  GetDeploymentGroupCommand,
  type CodeDeployClient,
  type DeploymentGroupInfo
} from '@aws-sdk/client-codedeploy'
import type { EcsBlueGreenConfig } from './config.js'
import { Inputs } from '../../constants.js'
import { withSignal } from '../ecs/clients.js'
import { errorName, wrapError } from '../ecs/errors.js'
import { serviceLoadBalancer, type EcsPlan } from '../ecs/preflight.js'
import { containerHasPort, containerNames } from '../ecs/task-definition.js'

/**
 * Blue/green: the deployment group exists, targets this cluster/service, and the load balancer's container and
 * port exist in the new task definition.
 */
export async function preflightDeploymentGroup(
  codedeploy: CodeDeployClient,
  config: EcsBlueGreenConfig,
  plan: EcsPlan,
  signal?: AbortSignal
): Promise<DeploymentGroupInfo> {
  const app = config.codedeployApplication
  const group = config.codedeployDeploymentGroup
  let info: DeploymentGroupInfo | undefined
  try {
    const out = await codedeploy.send(
      new GetDeploymentGroupCommand({ applicationName: app, deploymentGroupName: group }),
      withSignal(signal)
    )
    info = out.deploymentGroupInfo
  } catch (error) {
    const name = errorName(error)
    if (name === 'ApplicationDoesNotExistException' || name === 'DeploymentGroupDoesNotExistException') {
      throw new Error(
        `CodeDeploy deployment group '${group}' of application '${app}' was not found (${name}): check the '${Inputs.codedeployApplication}' and '${Inputs.codedeployDeploymentGroup}' inputs`,
        { cause: error }
      )
    }
    throw wrapError(`Could not read CodeDeploy deployment group ${app}/${group}`, error)
  }
  if (!info) throw new Error(`CodeDeploy returned no deployment group for ${app}/${group}`)
  const label = `${plan.clusterName}/${plan.serviceName}`
  const targets = info.ecsServices ?? []
  const matches = targets.some((s) => s.serviceName === plan.serviceName && s.clusterName === plan.clusterName)
  if (!matches) {
    const actual = targets.map((s) => `${s.clusterName}/${s.serviceName}`).join(', ') || 'no ECS service'
    throw new Error(
      `CodeDeploy deployment group ${app}/${group} deploys ${actual}, not ${label}: check the '${Inputs.codedeployDeploymentGroup}' input`
    )
  }
  const { containerName, containerPort } = serviceLoadBalancer(plan.service, label)
  if (!containerHasPort(plan.taskDefinition, containerName, containerPort)) {
    const names = containerNames(plan.taskDefinition).join(', ')
    throw new Error(
      `The service's load balancer routes to container '${containerName}' port ${containerPort}, but the new task definition has no such container port mapping (containers: ${names})`
    )
  }
  return info
}

/** A well-formed deployment id that names no deployment: reading it shows the permission without reading anything. */
const PROBE_DEPLOYMENT_ID = 'd-000000000'

/**
 * The role may read deployments (`codedeploy:GetDeployment`), which following ours needs: one harmless read of the
 * group's last deployment (or of an id that does not exist), before anything changes.
 */
export async function checkCanReadDeployments(
  codedeploy: CodeDeployClient,
  group: DeploymentGroupInfo,
  signal?: AbortSignal
): Promise<void> {
  const deploymentId = group.lastAttemptedDeployment?.deploymentId ?? PROBE_DEPLOYMENT_ID
  try {
    await codedeploy.send(new GetDeploymentCommand({ deploymentId }), withSignal(signal))
  } catch (error) {
    if (errorName(error) === 'DeploymentDoesNotExistException') return
    throw wrapError(
      `Cannot read CodeDeploy deployments (codedeploy:GetDeployment), which following the deployment needs; nothing was changed`,
      error
    )
  }
}
