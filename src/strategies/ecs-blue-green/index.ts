/** Strategy `ecs-blue-green`: ECS with the CODE_DEPLOY controller, deployed through a CodeDeploy deployment. */
import type { EcsBlueGreenConfig } from './config.js'
import type { Deps } from '../../deps.js'
import type { Strategy } from '../../types.js'
import { createEcsClient } from '../ecs/clients.js'
import { createCodeDeployClient } from './client.js'
import type { EcsJournal } from '../ecs/journal.js'
import { BlueGreenDeploy } from './deploy.js'
import type { BlueGreenRun } from './run.js'
import { recoverBlueGreen } from './rollback.js'

export function createEcsBlueGreen(config: EcsBlueGreenConfig, deps: Deps): Strategy<EcsJournal> {
  const env: BlueGreenRun = {
    config,
    deps,
    ecs: createEcsClient(config.region, deps),
    codedeploy: createCodeDeployClient(config.region, deps),
    intervalMs: config.pollIntervalMs
  }
  return {
    deploy: (ctx) => new BlueGreenDeploy(env, ctx).run(),
    recover: (ctx) => recoverBlueGreen(env, ctx)
  }
}
