/** ecs-rolling in this process against the emulator, and services the standard fixture lacks. */
import type { Emulator } from '../../../emulator/index.js'
import type { EcsRollingConfig } from '../../../src/strategies/ecs-rolling/config.js'
import { createEcsRolling } from '../../../src/strategies/ecs-rolling/index.js'
import { POLL_MS, emulatedStrategy, type EmulatedRun } from '../ecs-blue-green/emulated.js'
import { rollingConfig } from '../ecs/helpers.js'

export const IMAGE = { ref: 'ghcr.io/acme/web:2.0.0', registry: 'ghcr.io', name: 'acme/web', tag: '2.0.0' }

/** ecs-rolling for demo/`service` of the emulator's standard fixture. */
export function rollingRun(emulator: Emulator, patch: Partial<EcsRollingConfig> = {}): EmulatedRun {
  const config = rollingConfig({
    region: emulator.region,
    image: IMAGE,
    service: 'web-rolling',
    timeoutMinutes: 0.2,
    pollIntervalMs: POLL_MS,
    ...patch
  })
  return emulatedStrategy(emulator, (deps) => createEcsRolling(config, deps))
}

/** Adds ECS-controller service demo/`name` running web:1 with `deploymentConfiguration.strategy` = `strategy`. */
export function seedNativeService(
  emulator: Emulator,
  name: string,
  strategy: 'BLUE_GREEN' | 'LINEAR' | 'CANARY'
): void {
  emulator.control.seed({
    fixture: {
      services: [
        {
          cluster: 'demo',
          name,
          taskDefinition: 'web:1',
          desiredCount: 2,
          deploymentConfiguration: { strategy, bakeTimeInMinutes: 5 }
        }
      ]
    }
  })
}
