/**
 * ecs-rolling against the emulator (real SDK over HTTP, real clock): services whose deployments ECS runs itself as
 * blue/green, linear or canary are refused before anything changes.
 */
import { mutations, useEmulator } from '../ecs-blue-green/emulated.js'
import { rollingRun, seedNativeService } from './emulated.js'

const e = useEmulator()

describe('ecs-rolling refuses services with ECS-managed blue/green, linear or canary deployments', () => {
  test.each(['BLUE_GREEN', 'LINEAR', 'CANARY'] as const)(
    '%s: pre-flight fails naming the strategy, ecs-native and ecs; nothing is registered or updated',
    async (strategy) => {
      const { emulator } = e
      seedNativeService(emulator, 'web-native', strategy)
      const run = rollingRun(emulator, { service: 'web-native' })
      const result = await run.deploy()
      expect(result.status).toBe('failed')
      expect(result.message).toBe(
        `ECS service demo/web-native uses ECS-managed ${strategy} deployments (deploymentConfiguration.strategy), which strategy 'ecs-rolling' does not deploy: use strategy 'ecs-native' (or 'ecs', which picks it); nothing was changed`
      )
      expect(result.targets[0]?.outcome).toBe('untouched')
      expect(mutations(emulator)).toEqual([])
    }
  )

  test('a ROLLING service (reported by ECS when none was set) deploys', async () => {
    const { emulator } = e
    const result = await rollingRun(emulator).deploy()
    expect(result.status).toBe('succeeded')
    expect(mutations(emulator)).toEqual(['RegisterTaskDefinition', 'UpdateService'])
  })
})
