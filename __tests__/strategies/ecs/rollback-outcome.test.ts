/** The rollback verdict reads what runs: the service's task definition and the revisions of its running tasks. */
import { DescribeServicesCommand, type Task } from '@aws-sdk/client-ecs'
import {
  describeLeftAlone,
  liveTaskDefinition,
  outcomeWithLive,
  verdict
} from '../../../src/strategies/ecs/rollback-outcome.js'
import { harness, liveService, mockTasks, tdArn } from './helpers.js'

function task(id: string, rev: number, patch: Partial<Task> = {}): Task {
  return {
    taskArn: `arn:aws:ecs:eu-west-1:1:task/demo/${id}`,
    taskDefinitionArn: tdArn(rev),
    lastStatus: 'RUNNING',
    ...patch
  }
}

async function judge(
  running: Task[],
  service = liveService()
): Promise<{ arn?: string; text: string; status: string }> {
  const h = harness()
  h.ecsMock.on(DescribeServicesCommand).resolves({ services: [service], failures: [] })
  mockTasks(
    h,
    () => [],
    () => running
  )
  const live = await liveTaskDefinition(h.ecs, 'demo', 'web')
  return { ...live, status: verdict(live.arn, tdArn(41)).status }
}

test.each([
  ['every task runs the previous revision', [task('a', 41), task('b', 41)], 'rolled-back', 'web:41 ×2'],
  ['one task still runs the new revision', [task('a', 41), task('b', 42)], 'failed', 'web:41 ×1, web:42 ×1'],
  ['no task runs', [], 'failed', 'none'],
  ['the only task is being stopped', [task('a', 41, { desiredStatus: 'STOPPED' })], 'failed', 'none']
])('%s', async (_name, running, status, tasks) => {
  const judged = await judge(running)
  expect(judged.status).toBe(status)
  expect(judged.text).toBe(`live task definition: web:41; running tasks: ${tasks}`)
})

test('tasks of the previous revision while the service points at another: not rolled back', async () => {
  const judged = await judge([task('a', 41)], liveService({ taskDefinition: tdArn(42) }))
  expect(judged).toMatchObject({ status: 'failed', text: 'live task definition: web:42; running tasks: web:41 ×1' })
})

test('a service scaled to zero: rolled back when it points at the previous revision and none of its tasks runs', async () => {
  const judged = await judge([], liveService({ desiredCount: 0, runningCount: 0 }))
  expect(judged).toMatchObject({
    status: 'rolled-back',
    text: 'live task definition: web:41; running tasks: none (desired count 0)'
  })
  const stillStopping = await judge([task('a', 42)], liveService({ desiredCount: 0, runningCount: 1 }))
  expect(stillStopping.status).toBe('failed')
})

describe('one outcome for every ECS undo', () => {
  async function leftAlone(
    running: Task[],
    options: Parameters<typeof describeLeftAlone>[3]
  ): Promise<Awaited<ReturnType<typeof describeLeftAlone>>> {
    const h = harness()
    h.ecsMock.on(DescribeServicesCommand).resolves({ services: [liveService()], failures: [] })
    mockTasks(
      h,
      () => [],
      () => running
    )
    return describeLeftAlone(
      { ecs: h.ecs, config: { cluster: 'demo', service: 'web' } },
      tdArn(41),
      'the state',
      options
    )
  }

  test('left alone: failed whatever runs, with the default reason', async () => {
    expect(await leftAlone([task('a', 41)], {})).toEqual({
      status: 'failed',
      outcome: 'failed',
      summary:
        'not rolled back (rollback-on-failure: false): the state; live task definition: web:41; running tasks: web:41 ×1',
      finished: true
    })
  })

  test('left alone after something else undid it: rolled back when the previous revision runs', async () => {
    const outcome = await leftAlone([task('a', 41)], {
      why: 'not rolled back (a newer deployment took over)',
      undone: true
    })
    expect(outcome).toMatchObject({ status: 'rolled-back', outcome: 'rolled-back', finished: true })
    expect(outcome.summary).toMatch(/^not rolled back \(a newer deployment took over\): the state; live task/)
  })

  test('an undo cut short: failed and unfinished even when the previous revision runs', async () => {
    const h = harness()
    h.ecsMock.on(DescribeServicesCommand).resolves({ services: [liveService()], failures: [] })
    mockTasks(
      h,
      () => [],
      () => [task('a', 41)]
    )
    const env = { ecs: h.ecs, config: { cluster: 'demo', service: 'web' } }
    expect(await outcomeWithLive(env, tdArn(41), 'still running', { finished: false, undone: false })).toMatchObject({
      status: 'failed',
      finished: false,
      summary: 'still running; live task definition: web:41; running tasks: web:41 ×1'
    })
  })
})
