/**
 * Strategy `ecs-native`: ECS with its own (ECS) deployment controller and an ECS-managed BLUE_GREEN, LINEAR or
 * CANARY deployment strategy, deployed with UpdateService and followed as a service deployment (no CodeDeploy).
 */
import type { EcsNativeConfig } from './config.js'
import type { Deps } from '../../deps.js'
import type { Strategy } from '../../types.js'
import { createEcsClient } from '../ecs/clients.js'
import type { EcsJournal } from '../ecs/journal.js'
import { NativeDeploy } from './deploy.js'
import type { NativeRun } from './run.js'
import { recoverNative } from './rollback.js'

export function createEcsNative(config: EcsNativeConfig, deps: Deps): Strategy<EcsJournal> {
  const env: NativeRun = {
    config,
    deps,
    ecs: createEcsClient(config.region, deps),
    intervalMs: config.pollIntervalMs
  }
  return {
    deploy: (ctx) => new NativeDeploy(env, ctx).run(),
    recover: (ctx) => recoverNative(env, ctx)
  }
}
