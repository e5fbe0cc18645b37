import type { Deployment } from '@aws-sdk/client-ecs'
import { judgeDeployment } from '../../../src/strategies/ecs-rolling/rollout.js'
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
const ref = { deploymentId: 'ecs-svc/2', previousTaskDefinitionArn: tdArn(41) }
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
