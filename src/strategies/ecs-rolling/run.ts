/** What every part of the rolling strategy works with: its config, injected side effects and the ECS client. */
import type { ECSClient } from '@aws-sdk/client-ecs'
import type { EcsRollingConfig } from './config.js'
import type { Deps } from '../../deps.js'

export interface RollingRun {
  config: EcsRollingConfig
  deps: Deps
  ecs: ECSClient
  intervalMs: number
}
