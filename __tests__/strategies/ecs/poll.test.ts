import { jest } from '@jest/globals'
import { AccessDeniedException } from '@aws-sdk/client-ecs'
import { ThrottlingException } from '@aws-sdk/client-codedeploy'
import { isTransient } from '../../../src/strategies/ecs/errors.js'
import { pollUntil } from '../../../src/strategies/ecs/poll.js'
import { FakeClock, RecordingLogger } from '../../helpers/fake-deps.js'

const throttled = (): Error => new ThrottlingException({ message: 'Rate exceeded', $metadata: { httpStatusCode: 400 } })
const denied = (): Error =>
  new AccessDeniedException({ message: 'User is not authorized to perform: ecs:DescribeServices', $metadata: {} })

describe('pollUntil', () => {
  test('ticks at once, then every interval; a result ends it without another sleep', async () => {
    const clock = new FakeClock()
    let ticks = 0
    const outcome = await pollUntil(
      { clock, log: new RecordingLogger(), intervalMs: 5000, deadline: clock.now() + 60_000 },
      'x',
      async () => (++ticks === 3 ? 'done' : undefined)
    )
    expect(outcome).toEqual({ kind: 'done', value: 'done' })
    expect(clock.sleeps).toEqual([5000, 5000])
  })

  test('the deadline ends it with one last read at the deadline', async () => {
    const clock = new FakeClock()
    const tick = jest.fn(async () => undefined)
    const outcome = await pollUntil(
      { clock, log: new RecordingLogger(), intervalMs: 5000, deadline: clock.now() + 12_000 },
      'x',
      tick
    )
    expect(outcome).toEqual({ kind: 'timeout' })
    expect(clock.sleeps).toEqual([5000, 5000, 2000])
    expect(tick).toHaveBeenCalledTimes(4)
  })

  test('transient errors are logged and outlasted with backoff; permanent ones throw at once', async () => {
    const clock = new FakeClock()
    const log = new RecordingLogger()
    const results: (Error | string)[] = [throttled(), throttled(), 'ok']
    const outcome = await pollUntil(
      { clock, log, intervalMs: 1000, deadline: clock.now() + 60_000 },
      'Could not read deployment d-1',
      async () => {
        const next = results.shift()
        if (next instanceof Error) throw next
        return next
      }
    )
    expect(outcome).toEqual({ kind: 'done', value: 'ok' })
    expect(clock.sleeps).toEqual([2000, 4000])
    expect(log.matching('ThrottlingException: Rate exceeded (transient; retrying)')).toHaveLength(2)

    await expect(
      pollUntil(
        { clock, log, intervalMs: 1000, deadline: clock.now() + 60_000 },
        'Could not read deployment d-1',
        async () => {
          throw denied()
        }
      )
    ).rejects.toThrow(
      'Could not read deployment d-1: AccessDeniedException: User is not authorized to perform: ecs:DescribeServices'
    )
  })

  test('an aborted signal ends it as cancelled', async () => {
    const clock = new FakeClock()
    const controller = new AbortController()
    clock.onSleep = () => controller.abort()
    const outcome = await pollUntil(
      {
        clock,
        log: new RecordingLogger(),
        intervalMs: 5000,
        deadline: clock.now() + 60_000,
        signal: controller.signal
      },
      'x',
      async () => undefined
    )
    expect(outcome).toEqual({ kind: 'cancelled' })
    expect(clock.sleeps).toEqual([5000])
  })
})

describe('isTransient', () => {
  test.each([
    [throttled(), true],
    [Object.assign(new Error('boom'), { name: 'ServerException', $metadata: { httpStatusCode: 500 } }), true],
    [Object.assign(new Error('x'), { $metadata: { httpStatusCode: 503 } }), true],
    [Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), true],
    [denied(), false],
    [Object.assign(new Error('bad'), { name: 'ValidationException', $metadata: { httpStatusCode: 400 } }), false],
    [Object.assign(new Error('expired'), { name: 'ExpiredTokenException', $metadata: { httpStatusCode: 400 } }), false],
    [
      Object.assign(new Error('who'), { name: 'UnrecognizedClientException', $metadata: { httpStatusCode: 400 } }),
      false
    ]
  ])('%s → %s', (error, expected) => {
    expect(isTransient(error)).toBe(expected)
  })
})
