/** What every part of the ecs-native strategy works with: its config, injected side effects and the ECS client. */
import type { ECSClient } from '@aws-sdk/client-ecs'
import type { EcsNativeConfig } from './config.js'
import type { Deps } from '../../deps.js'

export interface NativeRun {
  config: EcsNativeConfig
  deps: Deps
  ecs: ECSClient
  intervalMs: number
}
