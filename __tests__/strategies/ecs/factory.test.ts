import { DescribeServicesCommand } from '@aws-sdk/client-ecs'
import { createStrategy } from '../../../src/strategy.js'
import { blueGreenConfig, harness, rollingConfig } from './helpers.js'

describe('createStrategy for the ECS strategies', () => {
  test.each([
    ['ecs-blue-green', blueGreenConfig({ dryRun: true })],
    ['ecs-rolling', rollingConfig({ dryRun: true })]
  ])('%s is loaded and uses the injected clients', async (_name, config) => {
    const h = harness()
    h.ecsMock.on(DescribeServicesCommand).resolves({ services: [], failures: [{ reason: 'MISSING' }] })
    const strategy = await createStrategy(config, h.deps)
    const result = await strategy.deploy(h.ctx)
    expect(result.status).toBe('failed')
    expect(result.message).toContain("ECS service 'web' was not found in cluster 'demo'")
    expect(h.ecsMock.commandCalls(DescribeServicesCommand)).toHaveLength(1)
  })
})
