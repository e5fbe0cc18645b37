/** Strategy `ecs-rolling`: ECS with its own (ECS) deployment controller, deployed with UpdateService. */
import type { EcsRollingConfig } from './config.js'
import type { Deps } from '../../deps.js'
import type { Strategy } from '../../types.js'
import { createEcsClient } from '../ecs/clients.js'
import type { EcsJournal } from '../ecs/journal.js'
import { RollingDeploy } from './deploy.js'
import type { RollingRun } from './run.js'
import { recoverRolling } from './rollback.js'

export function createEcsRolling(config: EcsRollingConfig, deps: Deps): Strategy<EcsJournal> {
  const env: RollingRun = {
    config,
    deps,
    ecs: createEcsClient(config.region, deps),
    intervalMs: config.pollIntervalMs
  }
  return {
    deploy: (ctx) => new RollingDeploy(env, ctx).run(),
    recover: (ctx) => recoverRolling(env, ctx)
  }
}
