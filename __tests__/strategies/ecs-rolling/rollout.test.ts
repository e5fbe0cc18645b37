import { DescribeServicesCommand, ECSClient, type Deployment } from '@aws-sdk/client-ecs'
import { mockClient } from 'aws-sdk-client-mock'
import { followRollout, judgeDeployment } from '../../../src/strategies/ecs-rolling/rollout.js'
import { fakeClock, recordingLogger } from '../../helpers/fake-deps.js'
import { tdArn } from '../ecs/helpers.js'

const ours = (patch: Partial<Deployment> = {}): Deployment => ({
  id: 'ecs-svc/2',
  status: 'PRIMARY',
  taskDefinition: tdArn(42),
  desiredCount: 2,
  runningCount: 1,
  rolloutState: 'IN_PROGRESS',
  ...patch
})
const ref = { deploymentId: 'ecs-svc/2', previousTaskDefinitionArn: tdArn(41), seen: true }
const judge = (...deployments: Deployment[]) => judgeDeployment({ deployments }, ref)

describe('judgeDeployment', () => {
  test('in progress while ours is PRIMARY and IN_PROGRESS', () => {
    expect(judge(ours(), { id: 'ecs-svc/1', status: 'ACTIVE', taskDefinition: tdArn(41) })).toEqual({ kind: 'pending' })
  })

  test('COMPLETED of ours is success', () => {
    expect(judge(ours({ rolloutState: 'COMPLETED' }))).toEqual({ kind: 'completed' })
  })

  test('FAILED with the circuit breaker rolling back names the rollback deployment', () => {
    expect(
      judge(
        ours({
          status: 'ACTIVE',
          rolloutState: 'FAILED',
          rolloutStateReason: 'ECS deployment circuit breaker: tasks failed to start.'
        }),
        {
          id: 'ecs-svc/3',
          status: 'PRIMARY',
          taskDefinition: tdArn(41),
          rolloutState: 'IN_PROGRESS',
          rolloutStateReason: 'ECS deployment circuit breaker: rolling back to deploymentId ecs-svc/1.'
        }
      )
    ).toEqual({
      kind: 'failed',
      reason: 'ECS deployment circuit breaker: tasks failed to start.',
      rolledBackTo: 'ecs-svc/3'
    })
  })

  test('FAILED without rollback', () => {
    expect(
      judge(
        ours({ rolloutState: 'FAILED', rolloutStateReason: 'ECS deployment circuit breaker: tasks failed to start.' })
      )
    ).toEqual({
      kind: 'failed',
      reason: 'ECS deployment circuit breaker: tasks failed to start.'
    })
  })

  test('gone from the list, with the previous task definition PRIMARY: rolled back', () => {
    const primary = {
      id: 'ecs-svc/3',
      status: 'PRIMARY',
      taskDefinition: tdArn(41),
      rolloutState: 'COMPLETED' as const,
      rolloutStateReason: 'ECS deployment ecs-svc/3 completed.'
    }
    expect(judge(primary)).toEqual({
      kind: 'failed',
      reason: 'ECS deployment ecs-svc/2 is gone from the service (the service now runs ecs-svc/3 with web:41)',
      rolledBackTo: 'ecs-svc/3'
    })
  })

  test('not in DescribeServices yet (a read lagging UpdateService): pending, not a rollback by the old PRIMARY', () => {
    const stale = [
      { id: 'ecs-svc/1', status: 'PRIMARY', taskDefinition: tdArn(41), rolloutState: 'COMPLETED' as const }
    ]
    expect(judgeDeployment({ deployments: stale }, { ...ref, seen: false })).toEqual({ kind: 'pending' })
    // Once it has been seen, missing means gone.
    expect(judgeDeployment({ deployments: stale }, ref)).toMatchObject({ kind: 'failed', rolledBackTo: 'ecs-svc/1' })
  })

  test('a newer PRIMARY of another task definition (someone else deployed) is a replacement, not a rollback', () => {
    expect(
      judge(ours({ status: 'ACTIVE' }), {
        id: 'ecs-svc/9',
        status: 'PRIMARY',
        taskDefinition: tdArn(43),
        rolloutState: 'IN_PROGRESS'
      })
    ).toEqual({
      kind: 'failed',
      reason: 'ECS deployment ecs-svc/2 was superseded by ecs-svc/9 (web:43)',
      replacedBy: 'ecs-svc/9'
    })
  })

  test('without rolloutState (Classic Load Balancer): done when alone and all tasks run', () => {
    expect(judge(ours({ rolloutState: undefined, runningCount: 2 }))).toEqual({ kind: 'completed' })
    expect(judge(ours({ rolloutState: undefined, runningCount: 1 }))).toEqual({ kind: 'pending' })
    expect(
      judge(ours({ rolloutState: undefined, runningCount: 2 }), {
        id: 'ecs-svc/1',
        status: 'ACTIVE',
        taskDefinition: tdArn(41)
      })
    ).toEqual({ kind: 'pending' })
  })
})

describe('followRollout: ECS reads are eventually consistent', () => {
  const ecs = new ECSClient({ region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } })
  const mock = mockClient(ecs)
  afterEach(() => mock.reset())
  const old = { id: 'ecs-svc/1', status: 'PRIMARY', taskDefinition: tdArn(41), rolloutState: 'COMPLETED' as const }
  const follow = (clock = fakeClock()) =>
    followRollout(
      ecs,
      {
        cluster: 'c',
        service: 's',
        deploymentId: 'ecs-svc/2',
        previousTaskDefinitionArn: tdArn(41),
        since: 0,
        label: 'Deployment'
      },
      { clock, log: recordingLogger(), intervalMs: 5000, deadline: clock.now() + 30 * 60_000 }
    )

  test('two stale reads (the service as it was before UpdateService), then ours completes: completed', async () => {
    mock
      .on(DescribeServicesCommand)
      .resolvesOnce({ services: [{ deployments: [old] }] })
      .resolvesOnce({ services: [{ deployments: [old] }] })
      .resolves({ services: [{ deployments: [ours({ rolloutState: 'COMPLETED', runningCount: 2 })] }] })
    expect((await follow()).outcome).toEqual({ kind: 'done', value: { kind: 'completed' } })
  })

  test('a deployment that never shows up fails after a minute, and is not called a rollback', async () => {
    mock.on(DescribeServicesCommand).resolves({ services: [{ deployments: [old] }] })
    const clock = fakeClock()
    const started = clock.now()
    const { outcome } = await follow(clock)
    expect(outcome).toEqual({
      kind: 'done',
      value: {
        kind: 'failed',
        reason: 'ECS deployment ecs-svc/2 (returned by UpdateService) did not appear in DescribeServices within 60 s'
      }
    })
    expect(clock.now() - started).toBe(60_000)
  })
})
