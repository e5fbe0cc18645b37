import { ListTasksCommand, RegisterTaskDefinitionCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs'
import type { EcsRollingConfig } from '../../../src/strategies/ecs-rolling/config.js'
import type { EcsJournal } from '../../../src/strategies/ecs/journal.js'
import { createEcsRolling } from '../../../src/strategies/ecs-rolling/index.js'
import type { DeployResult } from '../../../src/types.js'
import { fakeCommands } from '../../helpers/fake-commands.js'
import { MemoryJournal, harness, rollingConfig, tdArn, type Harness } from '../ecs/helpers.js'
import {
  OLD_DEPLOYMENT,
  RollingWorld,
  completed,
  completesAfter,
  inProgress,
  staysInProgress,
  type Timeline
} from './world.js'

function setup(patch: Partial<EcsRollingConfig> = {}): {
  h: Harness
  world: RollingWorld
  deploy: () => Promise<DeployResult>
  recover: (journal: MemoryJournal) => Promise<DeployResult | undefined>
} {
  const h = harness()
  const world = new RollingWorld(h)
  const strategy = createEcsRolling(rollingConfig(patch), h.deps)
  return {
    h,
    world,
    deploy: () => strategy.deploy(h.ctx),
    recover: (journal) => strategy.recover({ journal, signal: h.controller.signal })
  }
}

const updateInputs = (h: Harness) => h.ecsMock.commandCalls(UpdateServiceCommand).map((c) => c.args[0].input)

describe('ecs-rolling deploy', () => {
  test('updates the service, records its deployment id first, streams events, notices COMPLETED within one interval', async () => {
    const { h, world, deploy } = setup()
    const t0 = h.clock.now()
    world.timelines = [
      (t, u) => ({
        ...completesAfter(12_000)(t, u),
        events: [
          ...(t >= 6_000
            ? [{ id: 'e2', createdAt: new Date(t0 + 6_000), message: '(service web) has reached a steady state.' }]
            : []),
          {
            id: 'e1',
            createdAt: new Date(t0 + 1_000),
            message: '(service web) has started 2 tasks: (task a) (task b).'
          },
          { id: 'e0', createdAt: new Date(t0 - 60_000), message: 'an event from before this deploy' }
        ]
      })
    ]
    const result = await deploy()

    expect(result.status).toBe('succeeded')
    expect(result.message).toBe('Deployed web:42 to demo/web (ECS deployment ecs-svc/2)')
    expect(updateInputs(h)).toEqual([
      { cluster: 'demo', service: 'web', taskDefinition: tdArn(42), forceNewDeployment: false }
    ])
    expect(h.clock.sleeps).toEqual([5000, 5000, 5000])
    expect(h.journal.history.find((j) => j.ecsDeploymentId)).toMatchObject({
      phase: 'deploying',
      ecsDeploymentId: 'ecs-svc/2'
    })
    expect(h.journal.data.phase).toBe('finished')
    const events = h.log.matching('[service event]')
    expect(events).toEqual([
      'info:   [service event] (service web) has started 2 tasks: (task a) (task b).',
      'info:   [service event] (service web) has reached a steady state.'
    ])
    expect(h.log.groups).toEqual([
      'Pre-flight ecs service demo/web',
      'Register task definition',
      'Update service demo/web',
      'Wait for deployment ecs-svc/2'
    ])
    expect(h.outputs).toEqual([
      ['previous-task-definition-arn', tdArn(41)],
      ['task-definition-arn', tdArn(42)],
      ['deployment-id', 'ecs-svc/2'],
      [
        'console-url',
        'https://eu-west-1.console.aws.amazon.com/ecs/v2/clusters/demo/services/web/deployments?region=eu-west-1'
      ]
    ])
    expect(result.targets[0]).toMatchObject({
      name: 'demo/web',
      before: 'web:41',
      after: 'web:42',
      outcome: 'deployed'
    })
    expect(result.targets[0]?.phases.map((p) => p.name)).toEqual(['preflight', 'register', 'update-service'])
  })

  test('forces a new deployment when the task definition ARN is unchanged', async () => {
    const { h, world, deploy } = setup()
    world.registeredArn = tdArn(41)
    const result = await deploy()
    expect(result.status).toBe('succeeded')
    expect(updateInputs(h)[0]).toMatchObject({ taskDefinition: tdArn(41), forceNewDeployment: true })
    expect(h.log.matching('forcing a new deployment')).toHaveLength(1)
  })

  test('the same image and settings as the live revision: no new revision, the live one is redeployed (forced)', async () => {
    const { h, deploy } = setup({
      image: { ref: 'registry.example.com/web:1.0.0', registry: 'registry.example.com', name: 'web', tag: '1.0.0' }
    })
    const result = await deploy()
    expect(result.status).toBe('succeeded')
    expect(h.ecsMock.commandCalls(RegisterTaskDefinitionCommand)).toHaveLength(0)
    expect(updateInputs(h)).toEqual([
      { cluster: 'demo', service: 'web', taskDefinition: tdArn(41), forceNewDeployment: true }
    ])
    expect(h.log.matching('The task definition is unchanged: forcing a new deployment')).toHaveLength(1)
    expect(result.sections?.[0]?.body).toContain('No changes')
  })

  test('the circuit breaker rolled back: fails with its reason and the stopped tasks, follows ECS’s rollback, reports rolled-back', async () => {
    const { h, world, deploy } = setup()
    const t0 = h.clock.now()
    world.stoppedTasks = [
      {
        taskArn: 'arn:aws:ecs:eu-west-1:1:task/demo/t1',
        taskDefinitionArn: tdArn(42),
        stoppedAt: new Date(t0 + 4_000),
        stoppedReason: 'CannotPullContainerError: pull access denied for registry.example.com/web',
        containers: [{ name: 'web' }]
      }
    ]
    world.timelines = [
      (t, u) => {
        if (t < 10_000)
          return { deployments: [inProgress(u.id, u.taskDefinition), { ...OLD_DEPLOYMENT, status: 'ACTIVE' }] }
        const failed = {
          ...inProgress(u.id, u.taskDefinition),
          status: 'ACTIVE',
          rolloutState: 'FAILED' as const,
          rolloutStateReason: 'ECS deployment circuit breaker: tasks failed to start.'
        }
        const rollback = {
          ...inProgress('ecs-svc/3', tdArn(41)),
          rolloutStateReason: 'ECS deployment circuit breaker: rolling back to deploymentId ecs-svc/1.'
        }
        if (t < 25_000) return { deployments: [rollback, failed] }
        return { taskDefinition: tdArn(41), deployments: [completed('ecs-svc/3', tdArn(41))] }
      }
    ]
    const result = await deploy()
    expect(result.status).toBe('rolled-back')
    expect(result.message).toBe(
      'ECS deployment circuit breaker: tasks failed to start; task stopped: CannotPullContainerError: pull access denied for registry.example.com/web. ECS rollback deployment ecs-svc/3 completed; live task definition: web:41; running tasks: web:41 ×2'
    )
    expect(updateInputs(h)).toHaveLength(1)
    expect(h.log.groups).toContain('Follow ECS rollback ecs-svc/3')
    expect(result.sections?.find((s) => s.title === 'Why the deployment failed')?.body).toContain(
      'CannotPullContainerError'
    )
    expect(result.targets[0]).toMatchObject({ outcome: 'rolled-back' })
  })

  test('our deployment disappearing (the rollback already finished) counts as rolled back by ECS', async () => {
    const { h, world, deploy } = setup()
    world.timelines = [
      (t, u) =>
        t < 5_000
          ? { deployments: [inProgress(u.id, u.taskDefinition), { ...OLD_DEPLOYMENT, status: 'ACTIVE' }] }
          : { taskDefinition: tdArn(41), deployments: [completed('ecs-svc/3', tdArn(41))] }
    ]
    const result = await deploy()
    expect(result.status).toBe('rolled-back')
    expect(result.message).toContain(
      'ECS deployment ecs-svc/2 is gone from the service (the service now runs ecs-svc/3 with web:41)'
    )
    expect(updateInputs(h)).toHaveLength(1)
  })

  test('FAILED without an ECS rollback: we update the service back to the previous task definition and follow it', async () => {
    const { h, world, deploy } = setup()
    world.timelines = [
      (t, u) => ({
        deployments: [
          {
            ...inProgress(u.id, u.taskDefinition),
            ...(t >= 5_000
              ? {
                  rolloutState: 'FAILED' as const,
                  rolloutStateReason: 'ECS deployment circuit breaker: tasks failed to start.'
                }
              : {})
          }
        ],
        taskDefinition: u.taskDefinition
      }),
      completesAfter(10_000)
    ]
    const result = await deploy()
    expect(updateInputs(h).map((u) => u.taskDefinition)).toEqual([tdArn(42), tdArn(41)])
    expect(updateInputs(h)[1]?.forceNewDeployment).toBe(false)
    expect(h.journal.history.some((j) => j.phase === 'rolling-back' && j.rollbackEcsDeploymentId === 'ecs-svc/3')).toBe(
      true
    )
    expect(result.status).toBe('rolled-back')
    expect(result.message).toContain(
      'Rollback deployment ecs-svc/3 completed; live task definition: web:41; running tasks: web:41 ×2'
    )
  })

  test('our rollback deployment failing too is failed, not rolled-back, though the service points at the old revision', async () => {
    const { h, world, deploy } = setup()
    const failsAfter =
      (after: number, reason: string): Timeline =>
      (t, u) => ({
        deployments: [
          {
            ...inProgress(u.id, u.taskDefinition),
            ...(t >= after ? { rolloutState: 'FAILED' as const, rolloutStateReason: reason } : {})
          }
        ],
        taskDefinition: u.taskDefinition
      })
    world.timelines = [
      failsAfter(5_000, 'ECS deployment circuit breaker: tasks failed to start.'),
      failsAfter(5_000, 'ECS deployment circuit breaker: tasks failed to start (old image gone).')
    ]
    const result = await deploy()
    expect(updateInputs(h).map((u) => u.taskDefinition)).toEqual([tdArn(42), tdArn(41)])
    expect(result.status).toBe('failed')
    expect(result.targets[0]?.outcome).toBe('failed')
    expect(result.message).toContain('Rollback deployment ecs-svc/3 did not complete')
    // The service does point at the old revision: that alone is not a rollback.
    expect(result.message).toContain('live task definition: web:41')
  })

  test('our rollback deployment completing while a task still runs the new revision is failed, saying what runs', async () => {
    const { world, deploy } = setup({ timeoutMinutes: 1 })
    world.timelines = [staysInProgress, completesAfter(5_000)]
    world.runningTasks = [
      { taskArn: 'arn:aws:ecs:eu-west-1:1:task/demo/a', taskDefinitionArn: tdArn(41), lastStatus: 'RUNNING' },
      { taskArn: 'arn:aws:ecs:eu-west-1:1:task/demo/b', taskDefinitionArn: tdArn(42), lastStatus: 'RUNNING' }
    ]
    const result = await deploy()
    expect(result.status).toBe('failed')
    expect(result.targets[0]?.outcome).toBe('failed')
    expect(result.message).toContain(
      'Rollback deployment ecs-svc/3 completed; live task definition: web:41; running tasks: web:41 ×1, web:42 ×1'
    )
  })

  test('a timeout rolls back with UpdateService to the previous task definition', async () => {
    const { h, world, deploy } = setup({ timeoutMinutes: 1 })
    world.timelines = [staysInProgress, completesAfter(5_000)]
    const result = await deploy()
    expect(world.updates[1]).toMatchObject({ taskDefinition: tdArn(41), at: h.clock.start + 60_000 })
    expect(result.status).toBe('rolled-back')
    expect(result.message).toContain('ECS deployment ecs-svc/2 did not complete within 1 min')
    expect(result.targets[0]?.phases.at(-1)).toMatchObject({ name: 'rollback', ok: true })
  })

  test('a timeout with rollback-on-failure false leaves it running and says so', async () => {
    const { h, world, deploy } = setup({ timeoutMinutes: 1, rollbackOnFailure: false })
    world.timelines = [staysInProgress]
    const result = await deploy()
    expect(updateInputs(h)).toHaveLength(1)
    expect(result.status).toBe('failed')
    expect(result.message).toContain(
      'Not rolled back (rollback-on-failure: false): ECS deployment ecs-svc/2 did not complete within 1 min; live task definition: web:42'
    )
  })

  test('cancellation rolls back at once and follows the rollback although the signal aborted', async () => {
    const { h, world, deploy } = setup()
    world.timelines = [staysInProgress, completesAfter(15_000)]
    h.clock.onSleep = () => {
      if (h.clock.sleeps.length === 1) h.controller.abort()
    }
    const result = await deploy()
    expect(world.updates[1]).toMatchObject({ taskDefinition: tdArn(41), at: h.clock.start + 5_000 })
    expect(result.status).toBe('rolled-back')
    expect(result.message).toContain('The job was cancelled while ECS deployment ecs-svc/2 was in progress')
    expect(h.clock.now() - (world.updates[1]?.at ?? 0)).toBe(15_000)
    // No diagnostics (stopped tasks) on cancellation; only the running tasks that verify the rollback.
    expect(h.ecsMock.commandCalls(ListTasksCommand).map((c) => c.args[0].input.desiredStatus)).toEqual(['RUNNING'])
  })

  test('verify-command runs once the service is steady, with the service and revision in its environment', async () => {
    const { h, world, deploy } = setup({ verify: { command: './smoke.sh', timeoutMs: 60_000 } })
    const commands = fakeCommands()
    h.deps.runCommand = commands
    world.timelines = [completesAfter(5_000)]
    const result = await deploy()
    expect(result.status).toBe('succeeded')
    expect(commands.runs.map((r) => r.env)).toEqual([
      expect.objectContaining({
        DEPLOY_STRATEGY: 'ecs-rolling',
        DEPLOY_TARGETS: 'demo/web',
        DEPLOY_CLUSTER: 'demo',
        DEPLOY_SERVICE: 'web',
        DEPLOY_TASK_DEFINITION_ARN: tdArn(42),
        DEPLOY_DEPLOYMENT_ID: 'ecs-svc/2'
      })
    ])
    expect(h.log.groups).toContain('Verify demo/web')
  })

  test('verify-command failing rolls back to the previous task definition and says why', async () => {
    const { h, world, deploy } = setup({ verify: { command: './smoke.sh', timeoutMs: 60_000 } })
    h.deps.runCommand = fakeCommands([{ exitCode: 1, lines: ['checkout: HTTP 500'] }])
    world.timelines = [completesAfter(5_000), completesAfter(5_000)]
    const result = await deploy()
    expect(updateInputs(h).map((u) => u.taskDefinition)).toEqual([tdArn(42), tdArn(41)])
    expect(result.status).toBe('rolled-back')
    expect(result.message).toContain(
      'ECS deployment ecs-svc/2 completed, but verify-command failed with exit code 1; last output: "checkout: HTTP 500"'
    )
  })

  test('verify-command failing with rollback-on-failure false leaves the new revision and says so', async () => {
    const { h, world, deploy } = setup({
      verify: { command: './smoke.sh', timeoutMs: 60_000 },
      rollbackOnFailure: false
    })
    h.deps.runCommand = fakeCommands([{ exitCode: 2 }])
    world.timelines = [completesAfter(5_000)]
    const result = await deploy()
    expect(updateInputs(h)).toHaveLength(1)
    expect(result.status).toBe('failed')
    expect(result.message).toContain('Not rolled back (rollback-on-failure: false)')
    expect(result.message).toContain('verify-command failed with exit code 2')
  })

  test('someone else deploying meanwhile is reported, not rolled back', async () => {
    const { h, world, deploy } = setup()
    world.timelines = [
      (t, u) => ({
        deployments:
          t < 5_000
            ? [inProgress(u.id, u.taskDefinition)]
            : [inProgress('ecs-svc/9', tdArn(43)), { ...inProgress(u.id, u.taskDefinition), status: 'ACTIVE' }]
      })
    ]
    const result = await deploy()
    expect(updateInputs(h)).toHaveLength(1)
    expect(result.status).toBe('failed')
    expect(result.message).toContain('was superseded by ecs-svc/9 (web:43)')
    expect(result.message).toContain('Not rolled back (a newer deployment took over)')
  })

  test('Classic Load Balancer (no rolloutState): complete when it is the only deployment with all tasks running', async () => {
    const { h, world, deploy } = setup()
    world.timelines = [
      (t, u) => ({
        deployments:
          t < 10_000
            ? [
                { ...inProgress(u.id, u.taskDefinition, 1), rolloutState: undefined },
                { ...OLD_DEPLOYMENT, status: 'ACTIVE', rolloutState: undefined }
              ]
            : [{ ...inProgress(u.id, u.taskDefinition, 2), rolloutState: undefined }]
      })
    ]
    const result = await deploy()
    expect(result.status).toBe('succeeded')
    expect(h.clock.sleeps).toEqual([5000, 5000])
  })

  test('dry-run registers nothing and returns the diff', async () => {
    const { h, deploy } = setup({ dryRun: true })
    const result = await deploy()
    expect(result.status).toBe('planned')
    expect(h.ecsMock.commandCalls(RegisterTaskDefinitionCommand)).toHaveLength(0)
    expect(updateInputs(h)).toHaveLength(0)
    expect(result.sections?.[0]?.body).toContain('container `web` image')
  })

  test('a CODE_DEPLOY service is refused in pre-flight with the strategy that fits', async () => {
    const { h, world, deploy } = setup()
    world.base = { ...world.base, deploymentController: { type: 'CODE_DEPLOY' } }
    const result = await deploy()
    expect(result.status).toBe('failed')
    expect(result.message).toContain("use strategy 'ecs-blue-green'")
    expect(h.ecsMock.commandCalls(RegisterTaskDefinitionCommand)).toHaveLength(0)
  })

  test('a disabled circuit breaker is warned about in pre-flight', async () => {
    const { h, world, deploy } = setup({ dryRun: true })
    world.base = { ...world.base, deploymentConfiguration: {} }
    await deploy()
    expect(h.log.matching('warning: The deployment circuit breaker of demo/web is off')).toHaveLength(1)
  })
})

describe('ecs-rolling recover (post step)', () => {
  const cutShort: Partial<EcsJournal> = {
    phase: 'deploying',
    ecsDeploymentId: 'ecs-svc/2',
    taskDefinitionArn: tdArn(42),
    previousTaskDefinitionArn: tdArn(41)
  }

  test('rolls back a deployment left in progress, then has nothing left to do', async () => {
    const { h, world, recover } = setup()
    world.updates.push({ id: 'ecs-svc/2', taskDefinition: tdArn(42), at: h.clock.now() })
    world.timelines = [staysInProgress, completesAfter(5_000)]
    const journal = new MemoryJournal(cutShort)
    const result = await recover(journal)
    expect(updateInputs(h)).toEqual([
      { cluster: 'demo', service: 'web', taskDefinition: tdArn(41), forceNewDeployment: false }
    ])
    expect(result?.status).toBe('rolled-back')
    expect(result?.message).toBe(
      'The main step ended while ECS deployment ecs-svc/2 was running: rollback deployment ecs-svc/3 completed; live task definition: web:41; running tasks: web:41 ×2'
    )
    expect(journal.data.phase).toBe('finished')
    await expect(recover(journal)).resolves.toBeUndefined()
    expect(updateInputs(h)).toHaveLength(1)
  })

  test('a completed deployment needs nothing', async () => {
    const { h, world, recover } = setup()
    world.updates.push({ id: 'ecs-svc/2', taskDefinition: tdArn(42), at: h.clock.now() - 60_000 })
    world.timelines = [completesAfter(1_000)]
    await expect(recover(new MemoryJournal(cutShort))).resolves.toBeUndefined()
    expect(updateInputs(h)).toHaveLength(0)
  })

  test('a run cut short while rolling back keeps following that rollback', async () => {
    const { h, world, recover } = setup()
    world.updates.push({ id: 'ecs-svc/2', taskDefinition: tdArn(42), at: h.clock.now() - 60_000 })
    world.updates.push({ id: 'ecs-svc/3', taskDefinition: tdArn(41), at: h.clock.now() })
    world.timelines = [staysInProgress, completesAfter(10_000)]
    const result = await recover(
      new MemoryJournal({ ...cutShort, phase: 'rolling-back', rollbackEcsDeploymentId: 'ecs-svc/3' })
    )
    expect(updateInputs(h)).toHaveLength(0)
    expect(result?.status).toBe('rolled-back')
    expect(h.clock.sleeps).toEqual([5000, 5000])
  })
})
