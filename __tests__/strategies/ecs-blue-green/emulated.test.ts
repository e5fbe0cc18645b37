/**
 * ecs-blue-green against the emulator (real SDK over HTTP, real clock): what CodeDeploy does after the step looks
 * away — an AfterAllowTraffic hook that fails after the shift.
 */
import { emulatedRun, useEmulator } from './emulated.js'

const e = useEmulator()

describe('ecs-blue-green against the emulator', () => {
  test("'traffic-shifted' waits for AfterAllowTraffic: a hook failing after the shift is a rollback, not a success", async () => {
    const { emulator } = e
    emulator.control.configure({ eventMs: { AfterAllowTraffic: 300 } })
    emulator.control.failNext({ at: 'AfterAllowTraffic' })
    const run = emulatedRun(emulator, { waitUntil: 'traffic-shifted' })
    const result = await run.deploy()
    expect(run.log.matching('Traffic: 100% on the new task set')).toHaveLength(1)
    expect(result.status).toBe('rolled-back')
    expect(result.message).toContain('failed at AfterAllowTraffic: HOOK_EXECUTION_FAILURE')
    const service = emulator.control.state().services.find((s) => s.name === 'web-bg')
    expect(service?.taskDefinition).toMatch(/task-definition\/web:1$/)
  })
})
