import { GetDeploymentCommand, StopDeploymentCommand } from '@aws-sdk/client-codedeploy'
import type { EcsJournal } from '../../../src/strategies/ecs/journal.js'
import { createEcsBlueGreen } from '../../../src/strategies/ecs-blue-green/index.js'
import { MemoryJournal, blueGreenConfig, harness, tdArn } from '../ecs/helpers.js'
import { NEW_ID, ROLLBACK_ID, World } from './world.js'

function setup(journal: Partial<EcsJournal>, rollbackOnFailure = true) {
  const h = harness()
  const world = new World(h)
  world.createdAt = h.clock.now() - 30_000
  const strategy = createEcsBlueGreen(blueGreenConfig({ rollbackOnFailure }), h.deps)
  const memory = new MemoryJournal(journal)
  return { h, world, memory, recover: () => strategy.recover({ journal: memory, signal: h.controller.signal }) }
}

const cutShort: Partial<EcsJournal> = {
  done: false,
  phase: 'deploying',
  deploymentId: NEW_ID,
  taskDefinitionArn: tdArn(42),
  previousTaskDefinitionArn: tdArn(41)
}

describe('ecs-blue-green recover (post step)', () => {
  test('stops a deployment left running with rollback, follows the rollback, and is idempotent', async () => {
    const { h, world, memory, recover } = setup(cutShort)
    world.steps = [{ at: 0, status: 'InProgress' }]
    const result = await recover()
    expect(h.cdMock.commandCalls(StopDeploymentCommand)[0]?.args[0].input).toEqual({
      deploymentId: NEW_ID,
      autoRollbackEnabled: true
    })
    expect(result?.status).toBe('rolled-back')
    expect(result?.message).toBe(
      `The main step ended while deployment ${NEW_ID} was InProgress: rollback deployment ${ROLLBACK_ID} succeeded; live task definition: web:41; running tasks: web:41 ×2`
    )
    expect(result?.targets[0]).toMatchObject({
      name: 'demo/web',
      before: 'web:41',
      after: 'web:42',
      outcome: 'rolled-back'
    })
    expect(memory.data.phase).toBe('finished')
    expect(h.log.groups).toEqual([`Roll back deployment ${NEW_ID}`])

    const calls = h.cdMock.calls().length
    await expect(recover()).resolves.toBeUndefined()
    expect(h.cdMock.calls()).toHaveLength(calls)
  })

  test('caps its own wait below GitHub’s 5 minutes for a cancelled job’s post step, and says what it left', async () => {
    const { h, world, memory, recover } = setup(cutShort)
    world.steps = [{ at: 0, status: 'InProgress' }]
    world.rollbackTakesMs = 10 * 60_000
    const result = await recover()
    expect(h.clock.now() - h.clock.start).toBe(4 * 60_000)
    expect(result?.status).toBe('failed')
    expect(result?.message).toBe(
      `The main step ended while deployment ${NEW_ID} was InProgress: rollback deployment ${ROLLBACK_ID} is still InProgress (no longer waited for; see https://eu-west-1.console.aws.amazon.com/codesuite/codedeploy/deployments/${ROLLBACK_ID}?region=eu-west-1); live task definition: web:41; running tasks: web:41 ×2 (the post step waits at most 4 min)`
    )
    expect(memory.data.phase).toBe('rolling-back')
  })

  test('a second run after being cut short while rolling back finishes the rollback (already stopped is fine)', async () => {
    const { world, recover } = setup({ ...cutShort, phase: 'rolling-back' })
    world.stoppedAt = 0 // StopDeployment already went through in the first attempt
    world.rollbackTakesMs = 0
    const result = await recover()
    expect(result?.status).toBe('rolled-back')
  })

  test('nothing to do: no deployment, a finished journal, or a deployment that succeeded', async () => {
    for (const journal of [
      {},
      { phase: 'registered' as const, taskDefinitionArn: tdArn(42) },
      { ...cutShort, phase: 'finished' as const }
    ]) {
      const { h, recover } = setup(journal)
      await expect(recover()).resolves.toBeUndefined()
      expect(h.cdMock.calls()).toHaveLength(0)
    }
    const { h, world, memory, recover } = setup(cutShort)
    world.steps = [{ at: 0, status: 'Succeeded' }]
    await expect(recover()).resolves.toBeUndefined()
    expect(h.cdMock.commandCalls(GetDeploymentCommand)).toHaveLength(1)
    expect(h.cdMock.commandCalls(StopDeploymentCommand)).toHaveLength(0)
    expect(memory.data.phase).toBe('finished')
  })

  test('with rollback-on-failure false it leaves the deployment and says what state it is in', async () => {
    const { h, world, recover } = setup(cutShort, false)
    world.steps = [{ at: 0, status: 'InProgress' }]
    const result = await recover()
    expect(h.cdMock.commandCalls(StopDeploymentCommand)).toHaveLength(0)
    expect(result?.status).toBe('failed')
    expect(result?.message).toContain(
      `not rolled back (rollback-on-failure: false): deployment ${NEW_ID} is left InProgress; live task definition: web:41`
    )
  })
})
