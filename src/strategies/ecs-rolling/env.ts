/** What every part of the rolling strategy works with: its config, injected side effects and the ECS client. */
import type { ECSClient } from '@aws-sdk/client-ecs'
import type { EcsRollingConfig } from '../../config.js'
import type { Deps } from '../../deps.js'
import type { PollOptions } from '../ecs/poll.js'

export interface RollingEnv {
  config: EcsRollingConfig
  deps: Deps
  ecs: ECSClient
  intervalMs: number
}

export function pollOptions(env: RollingEnv, deadline: number, signal: AbortSignal | undefined): PollOptions {
  return { clock: env.deps.clock, log: env.deps.log, intervalMs: env.intervalMs, deadline, signal }
}

/** The deadline of a phase that starts now and may take `timeout-minutes`. */
export function deadlineFromNow(env: RollingEnv): number {
  return env.deps.clock.now() + env.config.timeoutMinutes * 60_000
}
