/** The shared deadline and poll loop, on the fake clock. */
import { jest } from '@jest/globals'
import { deadlineAfter, pollUntil, sleepBefore, type PollStep } from '../src/poll.js'
import { fakeClock } from './helpers/fake-deps.js'

test('a deadline is timeout-minutes after the start', () => {
  expect(deadlineAfter(1_000, 2)).toBe(121_000)
})

test('a sleep never runs past the deadline, nor below zero', async () => {
  const clock = fakeClock(0)
  await sleepBefore(clock, 5000, 12_000)
  await sleepBefore(clock, 10_000, 12_000)
  await sleepBefore(clock, 5000, 12_000)
  expect(clock.sleeps).toEqual([5000, 7000, 0])
})

describe('pollUntil', () => {
  test('ticks at once, then after each wait the tick asks for; a value ends it without another sleep', async () => {
    const clock = fakeClock(0)
    const waits = [1000, 3000]
    const outcome = await pollUntil({ clock, deadline: 60_000 }, async (): Promise<PollStep<string>> => {
      const waitMs = waits.shift()
      return waitMs === undefined ? { value: 'up' } : { waitMs }
    })
    expect(outcome).toEqual({ kind: 'done', value: 'up' })
    expect(clock.sleeps).toEqual([1000, 3000])
  })

  test('the deadline ends it after one last tick at the deadline', async () => {
    const clock = fakeClock(0)
    const tick = jest.fn(async (): Promise<PollStep<never>> => ({ waitMs: 5000 }))
    expect(await pollUntil({ clock, deadline: 12_000 }, tick)).toEqual({ kind: 'timeout' })
    expect(clock.sleeps).toEqual([5000, 5000, 2000])
    expect(tick).toHaveBeenCalledTimes(4)
  })

  test('an abort ends it before the next tick, and a signal aborted at the start ticks never', async () => {
    const clock = fakeClock(0)
    const stop = new AbortController()
    let ticks = 0
    const outcome = await pollUntil({ clock, deadline: 60_000, signal: stop.signal }, async () => {
      if (++ticks === 2) stop.abort()
      return { waitMs: 1000 }
    })
    expect(outcome).toEqual({ kind: 'cancelled' })
    expect(ticks).toBe(2)
    const tick = jest.fn(async (): Promise<PollStep<never>> => ({ waitMs: 1000 }))
    expect(await pollUntil({ clock, deadline: 60_000, signal: stop.signal }, tick)).toEqual({ kind: 'cancelled' })
    expect(tick).not.toHaveBeenCalled()
  })

  test('an error the tick throws ends the loop', async () => {
    const clock = fakeClock(0)
    await expect(
      pollUntil({ clock, deadline: 60_000 }, async () => {
        throw new Error('denied')
      })
    ).rejects.toThrow('denied')
    expect(clock.sleeps).toEqual([])
  })
})
