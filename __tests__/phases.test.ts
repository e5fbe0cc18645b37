/** The phase recorder every strategy uses for a host's or a service's report. */
import { PhaseRecorder } from '../src/phases.js'
import { fakeClock } from './helpers/fake-deps.js'

describe('PhaseRecorder', () => {
  test('records phases in order and sums their time', () => {
    const phases = new PhaseRecorder(fakeClock())
    phases.record('connect', { ok: true, durationMs: 120 })
    phases.record('pull', { ok: false, durationMs: 3000, exitCode: 1, detail: 'ignored', error: 'manifest unknown' })
    phases.record('health', { ok: true, durationMs: 500, detail: '2 tries' })
    expect(phases.list).toEqual([
      { name: 'connect', ok: true, durationMs: 120 },
      { name: 'pull', ok: false, durationMs: 3000, exitCode: 1, detail: 'manifest unknown' },
      { name: 'health', ok: true, durationMs: 500, detail: '2 tries' }
    ])
    expect(phases.totalMs).toBe(3620)
  })

  test('an exit code of null (no exit status) is kept; an absent one is not', () => {
    const phases = new PhaseRecorder(fakeClock())
    phases.record('start', { ok: false, durationMs: 1, exitCode: null, error: 'timed out' })
    phases.record('stop', { ok: true, durationMs: 1 })
    expect(phases.list[0]).toHaveProperty('exitCode', null)
    expect(phases.list[1]).not.toHaveProperty('exitCode')
  })

  test('run times the phase on the clock and records a throw as a failure with its message', async () => {
    const clock = fakeClock()
    const phases = new PhaseRecorder(clock)
    await expect(
      phases.run('register', async () => {
        await clock.sleep(250)
        return 'arn'
      })
    ).resolves.toBe('arn')
    await expect(
      phases.run('update-service', async () => {
        await clock.sleep(40)
        throw new Error('AccessDeniedException: not authorized')
      })
    ).rejects.toThrow('not authorized')
    expect(phases.list).toEqual([
      { name: 'register', ok: true, durationMs: 250 },
      { name: 'update-service', ok: false, durationMs: 40, detail: 'AccessDeniedException: not authorized' }
    ])
    expect(phases.totalMs).toBe(290)
  })
})
