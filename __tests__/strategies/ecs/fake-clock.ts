/** A Clock whose time only moves when the code under test sleeps: no real waiting, every sleep recorded. */
import type { Clock } from '../../../src/types.js'

export class FakeClock implements Clock {
  readonly start: number
  private time: number
  /** Every sleep, in ms, in order (sleeps cut short by an aborted signal are not counted). */
  readonly sleeps: number[] = []
  /** Called after each sleep, with the new time: lets a test change the world (abort, progress) at a given moment. */
  onSleep: ((now: number) => void) | undefined

  constructor(start = Date.parse('2026-03-01T12:00:00Z')) {
    this.start = start
    this.time = start
  }

  now(): number {
    return this.time
  }

  /** Time passed since the clock was made. */
  get elapsed(): number {
    return this.time - this.start
  }

  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted || ms <= 0) return
    this.sleeps.push(ms)
    this.time += ms
    this.onSleep?.(this.time)
  }

  /** Background timers never fire here: the ECS strategies wait in the foreground only. */
  after(_ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => signal?.addEventListener('abort', () => resolve(), { once: true }))
  }

  advance(ms: number): void {
    this.time += ms
  }
}
