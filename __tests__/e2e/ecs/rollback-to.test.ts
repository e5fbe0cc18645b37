/**
 * `rollback-to` at the runner level: the bundled action (main + post) rolls each ECS controller back to the revision
 * before the live one, found in ECS's own history, and a cancelled rollback is recovered like any deploy.
 */
import {
  LONG_WAIT_MS,
  ROLLING_SERVICE,
  BG_SERVICE,
  blueGreenInputs,
  callsOf,
  cleanupRuns,
  deploy,
  mutations,
  postCalls,
  rollingInputs,
  serviceState,
  tdArn,
  useEmulator
} from './helpers.js'

const e = useEmulator()
afterAll(cleanupRuns)

const PREVIOUS = { image: '', 'rollback-to': 'previous' }

describe('rollback-to: previous through the bundle', () => {
  test('ecs-rolling: back to the revision before the live one, from the service deployments, without registering', async () => {
    const { emulator } = e
    expect((await deploy(emulator, rollingInputs())).main.exitCode).toBe(0)
    expect(serviceState(emulator, ROLLING_SERVICE).taskDefinition).toBe(tdArn('web', 2))
    emulator.control.calls({ clear: true })

    const run = await deploy(emulator, rollingInputs(PREVIOUS))
    const { main } = run
    expect(main.exitCode).toBe(0)
    expect(main.errors).toEqual([])
    expect(main.outputs).toMatchObject({
      status: 'succeeded',
      'task-definition-arn': tdArn('web', 1),
      'previous-task-definition-arn': tdArn('web', 2)
    })
    expect(JSON.parse(main.outputs.report ?? '{}')).toMatchObject({
      targets: [{ before: 'web:2', after: 'web:1', outcome: 'deployed', state: 'rolled back to web:1' }]
    })
    expect(main.visibleLog).toMatch(
      /Rollback: web:2 → web:1 \(service deployment \S+ \(SUCCESSFUL\) deployed it before/
    )
    expect(main.summary).toContain('Rolled back demo/web-rolling to web:1 (from web:2)')
    expect(main.summary).toContain('Rollback (web:2 → web:1)')
    expect(mutations(emulator)).toEqual(['UpdateService'])
    expect(serviceState(emulator, ROLLING_SERVICE).taskDefinition).toBe(tdArn('web', 1))
    expect(run.post?.exitCode).toBe(0)
    expect(postCalls(emulator, run)).toEqual([])
  })

  test('ecs-blue-green: back to what the group installed before, read from the descriptions it recorded', async () => {
    const { emulator } = e
    expect((await deploy(emulator, blueGreenInputs())).main.exitCode).toBe(0)
    expect((await deploy(emulator, blueGreenInputs({ image: 'ghcr.io/acme/web:3.0.0' }))).main.exitCode).toBe(0)
    expect(serviceState(emulator, BG_SERVICE).taskDefinition).toBe(tdArn('web', 3))
    emulator.control.calls({ clear: true })

    const run = await deploy(emulator, blueGreenInputs(PREVIOUS))
    const { main } = run
    expect(main.exitCode).toBe(0)
    expect(main.outputs).toMatchObject({ status: 'succeeded', 'task-definition-arn': tdArn('web', 2) })
    expect(main.summary).toContain('Rolled back demo/web-bg to web:2 (from web:3)')
    expect(mutations(emulator)).toEqual(['CreateDeployment'])
    expect(String(callsOf(emulator, 'CreateDeployment')[0]?.params.description)).toMatch(
      /: rollback to web:2 \(from web:3\); task-definition web:2; /
    )
    expect(serviceState(emulator, BG_SERVICE).taskDefinition).toBe(tdArn('web', 2))
  })

  test('strategy ecs: a second previous goes one release further back, not to the one rolled back from', async () => {
    const { emulator } = e
    expect((await deploy(emulator, rollingInputs())).main.exitCode).toBe(0)
    expect((await deploy(emulator, rollingInputs({ image: 'ghcr.io/acme/web:3.0.0' }))).main.exitCode).toBe(0)
    expect(serviceState(emulator, ROLLING_SERVICE).taskDefinition).toBe(tdArn('web', 3))

    for (const [from, to] of [
      [3, 2],
      [2, 1]
    ] as const) {
      const { main } = await deploy(emulator, { ...rollingInputs(PREVIOUS), strategy: 'ecs' })
      expect(main.exitCode).toBe(0)
      expect(main.outputs).toMatchObject({
        'task-definition-arn': tdArn('web', to),
        'previous-task-definition-arn': tdArn('web', from)
      })
      expect(serviceState(emulator, ROLLING_SERVICE).taskDefinition).toBe(tdArn('web', to))
    }
  })

  test('strategy ecs: refused before anything changes when the history has no earlier revision', async () => {
    const { emulator } = e
    const run = await deploy(emulator, { ...rollingInputs(PREVIOUS), strategy: 'ecs' })
    expect(run.main.exitCode).toBe(1)
    expect(run.main.errors[0]).toMatch(
      /Cannot roll back demo\/web-rolling to its previous task definition: no earlier revision is recorded: .* name the revision to go back to with 'rollback-to: family:revision' \(the service runs web:1\)/
    )
    expect(mutations(emulator)).toEqual([])
  })

  test('cancelled (SIGKILL) while rolling back: the post step returns the service to the revision that was live', async () => {
    const { emulator } = e
    expect((await deploy(emulator, rollingInputs())).main.exitCode).toBe(0)
    emulator.control.calls({ clear: true })
    emulator.control.configure({ rollingCompletionMs: LONG_WAIT_MS })
    let seen: string | undefined
    const run = await deploy(emulator, rollingInputs(PREVIOUS), {
      onLine: (line, child) => {
        const started = /^Started ECS deployment (ecs-svc\/\d+)/.exec(line)
        if (!started || seen) return
        seen = started[1]
        emulator.control.configure({ rollingCompletionMs: 200 })
        child.kill('SIGKILL')
      }
    })
    expect(run.main.signal).toBe('SIGKILL')
    expect(run.main.journal).toMatchObject({ phase: 'deploying', ecsDeploymentId: seen })
    expect(callsOf(emulator, 'UpdateService').map((c) => c.params.taskDefinition)).toEqual([
      tdArn('web', 1),
      tdArn('web', 2)
    ])
    expect(run.post?.exitCode).toBe(0)
    expect(run.post?.warnings[0]).toMatch(/rollback deployment ecs-svc\/\d{19} completed; live task definition: web:2/)
    expect(serviceState(emulator, ROLLING_SERVICE).taskDefinition).toBe(tdArn('web', 2))
  })
})
