/** What every part of the blue/green strategy works with: its config, injected side effects and AWS clients. */
import type { CodeDeployClient } from '@aws-sdk/client-codedeploy'
import type { ECSClient } from '@aws-sdk/client-ecs'
import type { EcsBlueGreenConfig } from './config.js'
import type { Deps } from '../../deps.js'

export interface BlueGreenRun {
  config: EcsBlueGreenConfig
  deps: Deps
  ecs: ECSClient
  codedeploy: CodeDeployClient
  intervalMs: number
}
