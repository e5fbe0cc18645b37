/** The strategy factory: one exhaustive switch, each strategy imported only when chosen (fast cold start). */
import type { Config } from './config.js'
import type { Deps } from './deps.js'
import type { Strategy } from './types.js'

export async function createStrategy(config: Config, deps: Deps): Promise<Strategy> {
  switch (config.strategy) {
    case 'ssh-rolling': {
      const { createSshRolling } = await import('./strategies/ssh-rolling/index.js')
      return createSshRolling(config, deps)
    }
    case 'ecs': {
      const { createEcsPick } = await import('./strategies/ecs-pick/index.js')
      return createEcsPick(config, deps)
    }
    case 'ecs-blue-green': {
      const { createEcsBlueGreen } = await import('./strategies/ecs-blue-green/index.js')
      return createEcsBlueGreen(config, deps)
    }
    case 'ecs-native': {
      const { createEcsNative } = await import('./strategies/ecs-native/index.js')
      return createEcsNative(config, deps)
    }
    case 'ecs-rolling': {
      const { createEcsRolling } = await import('./strategies/ecs-rolling/index.js')
      return createEcsRolling(config, deps)
    }
    default: {
      const unknown: never = config
      throw new Error(`Unknown strategy: ${JSON.stringify(unknown)}`)
    }
  }
  void deps
}
