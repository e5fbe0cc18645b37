/**
 * ecs-rolling in-process against the emulator over HTTP with the real SDK, with ECS reads lagging writes (on by
 * default here): right after RegisterTaskDefinition and UpdateService, reads show what was there before.
 */
import { ECSClient, RegisterTaskDefinitionCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs'
import { startEmulator, type Emulator } from '../../../emulator/index.js'
import { systemClock } from '../../../src/clock.js'
import type { Deps } from '../../../src/deps.js'
import { createEcsRolling } from '../../../src/strategies/ecs-rolling/index.js'
import type { EcsJournal } from '../../../src/strategies/ecs/journal.js'
import { MemoryJournal, rollingConfig, silentIO } from '../ecs/helpers.js'
import { RecordingLogger } from '../../helpers/fake-deps.js'
import { RUN_IDENTITY } from '../../helpers/fake-deps.js'

const SERVICE = 'web-rolling'
const READ_LAG_MS = 300
const tdArn = (revision: number): string => `arn:aws:ecs:us-east-1:123456789012:task-definition/web:${revision}`

let emulator: Emulator
let ecs: ECSClient
beforeAll(async () => {
  emulator = await startEmulator({ timings: { stepMs: 40, rollingCompletionMs: 400 } })
  ecs = new ECSClient({
    endpoint: emulator.url,
    region: emulator.region,
    credentials: { accessKeyId: 'AKIDEMULATOR', secretAccessKey: 'emulator-secret' }
  })
})
afterAll(async () => {
  ecs.destroy()
  await emulator.close()
})
beforeEach(() => {
  emulator.control.reset()
  emulator.control.consistency({ readLagMs: READ_LAG_MS })
})

function strategy(): { log: RecordingLogger; rolling: ReturnType<typeof createEcsRolling> } {
  const log = new RecordingLogger()
  const controller = new AbortController()
  const deps: Deps = {
    inputs: { getInput: () => '' },
    env: {},
    log,
    clock: systemClock,
    io: silentIO,
    cancel: controller.signal,
    identity: RUN_IDENTITY,
    overrides: { ecs }
  }
  const config = rollingConfig({ region: emulator.region, service: SERVICE, timeoutMinutes: 1, pollIntervalMs: 50 })
  return { log, rolling: createEcsRolling(config, deps) }
}

/** What the service points at and what its running tasks run, from the emulator's own model. */
function live(): { taskDefinition: string; running: string[] } {
  const service = emulator.model.service('demo', SERVICE)
  if (!service) throw new Error(`${SERVICE} missing`)
  const running = emulator.model.tasksOf(service).filter((t) => t.desiredStatus === 'RUNNING')
  return { taskDefinition: service.taskDefinition, running: [...new Set(running.map((t) => t.taskDefinitionArn))] }
}

test('a deploy whose first reads do not show its deployment yet succeeds', async () => {
  const { rolling } = strategy()
  const journal = new MemoryJournal()
  const result = await rolling.deploy({ journal, signal: new AbortController().signal, setOutput: () => undefined })
  expect(result.status).toBe('succeeded')
  expect(live()).toEqual({ taskDefinition: tdArn(2), running: [tdArn(2)] })
})

test('a circuit-breaker rollback is rolled-back once its deployment completed and the tasks run the previous revision', async () => {
  emulator.control.failNext({
    kind: 'ecs-rolling',
    service: SERVICE,
    stoppedReason: 'Essential container in task exited'
  })
  const { rolling } = strategy()
  const result = await rolling.deploy({
    journal: new MemoryJournal(),
    signal: new AbortController().signal,
    setOutput: () => undefined
  })
  expect(result.status).toBe('rolled-back')
  expect(result.message).toMatch(/^ECS deployment circuit breaker: task failed to start; task stopped: /)
  expect(result.message).toMatch(/completed; live task definition: web:1; running tasks: web:1 ×2$/)
  expect(live()).toEqual({ taskDefinition: tdArn(1), running: [tdArn(1)] })
})

test('the post step seconds after UpdateService rolls back the deployment a lagging read does not show yet', async () => {
  const registered = await ecs.send(
    new RegisterTaskDefinitionCommand({
      family: 'web',
      containerDefinitions: [{ name: 'web', image: 'ghcr.io/acme/web:2.0.0' }]
    })
  )
  const updated = await ecs.send(
    new UpdateServiceCommand({
      cluster: 'demo',
      service: SERVICE,
      taskDefinition: registered.taskDefinition?.taskDefinitionArn
    })
  )
  const id = updated.service?.deployments?.find((d) => d.status === 'PRIMARY')?.id ?? ''
  const journal = new MemoryJournal({
    phase: 'deploying',
    ecsDeploymentId: id,
    ecsDeploymentAt: Date.now(),
    taskDefinitionArn: tdArn(2),
    previousTaskDefinitionArn: tdArn(1)
  } satisfies Partial<EcsJournal>)
  const { rolling } = strategy()
  const result = await rolling.recover({ journal, signal: new AbortController().signal })
  const updates = emulator.control.calls({ op: 'UpdateService' }).map((c) => c.params['taskDefinition'])
  expect(updates).toEqual([tdArn(2), tdArn(1)])
  expect(result?.status).toBe('rolled-back')
  expect(live()).toEqual({ taskDefinition: tdArn(1), running: [tdArn(1)] })
})
