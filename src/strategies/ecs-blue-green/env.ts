/** What every part of the blue/green strategy works with: its config, injected side effects and AWS clients. */
import type { CodeDeployClient } from '@aws-sdk/client-codedeploy'
import type { ECSClient } from '@aws-sdk/client-ecs'
import type { EcsBlueGreenConfig } from '../../config.js'
import type { Deps } from '../../deps.js'
import type { PollOptions } from '../ecs/poll.js'

export interface BlueGreenEnv {
  config: EcsBlueGreenConfig
  deps: Deps
  ecs: ECSClient
  codedeploy: CodeDeployClient
  intervalMs: number
}

export function pollOptions(env: BlueGreenEnv, deadline: number, signal: AbortSignal | undefined): PollOptions {
  return { clock: env.deps.clock, log: env.deps.log, intervalMs: env.intervalMs, deadline, signal }
}

/** The deadline of a phase that starts now and may take `timeout-minutes`. */
export function deadlineFromNow(env: BlueGreenEnv): number {
  return env.deps.clock.now() + env.config.timeoutMinutes * 60_000
}
