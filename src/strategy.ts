/** The strategy factory: one exhaustive switch, each strategy imported only when chosen (fast cold start). */
import type { Config } from './config.js'
import type { Deps } from './deps.js'
import type { Strategy } from './types.js'

export async function createStrategy(config: Config, deps: Deps): Promise<Strategy> {
  switch (config.strategy) {
    case 'ssh-rolling':
    case 'ecs-blue-green':
    case 'ecs-rolling':
      throw new Error(`Strategy '${config.strategy}' is not available in this version of the action`)
    default: {
      const unknown: never = config
      throw new Error(`Unknown strategy: ${JSON.stringify(unknown)}`)
    }
  }
  void deps
}
