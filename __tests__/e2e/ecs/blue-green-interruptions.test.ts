/**
 * ecs-blue-green at the runner level when something else happens meanwhile: another deployment in the group, the
 * job cancelled (SIGTERM, or SIGKILL with the post step finishing the work), AWS throttling. The bundled action
 * (main + post), the real AWS SDK over HTTP, the strict emulator.
 */
import {
  APP,
  BG_SERVICE,
  GROUP,
  LONG_WAIT_MS,
  blueGreenInputs,
  callsOf,
  cleanupRuns,
  codeDeployConsoleUrl as consoleUrl,
  deploy,
  deploymentState,
  expectOnlyOriginal,
  mutations,
  postCalls,
  releaseTerminationWait,
  rollbackOf,
  serviceState,
  startOtherDeployment,
  tdArn,
  useEmulator
} from './helpers.js'

const e = useEmulator()
// ECS reads are eventually consistent: every test here sees reads lag writes (registered after the reset above).
beforeEach(() => {
  e.emulator.control.consistency({ readLagMs: 150 })
})
afterAll(cleanupRuns)

describe('ecs-blue-green: another deployment is active in the group', () => {
  beforeEach(() => {
    e.emulator.control.configure({ terminationWaitMs: LONG_WAIT_MS })
  })

  test("'fail': fails before registering anything, naming the active deployment", async () => {
    const { emulator } = e
    const other = await startOtherDeployment(emulator)
    emulator.control.calls({ clear: true })
    const run = await deploy(emulator, blueGreenInputs({ 'on-active-deployment': 'fail' }))
    expect(run.main.exitCode).toBe(1)
    expect(run.main.outputs.status).toBe('failed')
    expect(run.main.errors).toHaveLength(1)
    expect(run.main.errors[0]).toContain(
      `Deployment group ${APP}/${GROUP} already has an active deployment: ${other} (${consoleUrl(other)}); 'on-active-deployment' is 'fail'`
    )
    expect(run.main.outputs['deployment-id']).toBeUndefined()
    expect(run.main.outputs['task-definition-arn']).toBeUndefined()
    expect(mutations(emulator)).toEqual([])
    expect(deploymentState(emulator, other).status).toBe('InProgress')
    expect(run.post?.exitCode).toBe(0)
  })

  test("'wait': creates its deployment only after the other one ended, and leaves the other alone", async () => {
    const { emulator } = e
    const other = await startOtherDeployment(emulator)
    // Ours may finish its own termination wait quickly; the other's (already started) stays long.
    emulator.control.configure({ terminationWaitMs: 200 })
    emulator.control.calls({ clear: true })
    let released: Promise<void> | undefined
    const run = await deploy(emulator, blueGreenInputs({ 'on-active-deployment': 'wait' }), {
      onLine: (line) => {
        if (line.includes(`Waiting for active deployment ${other} to end`)) {
          released ??= releaseTerminationWait(emulator, other)
        }
      }
    })
    await released
    expect(released).toBeDefined()
    const { main } = run
    expect(main.exitCode).toBe(0)
    expect(main.errors).toEqual([])
    const id = main.outputs['deployment-id'] as string
    expect(main.outputs).toMatchObject({ status: 'succeeded', 'task-definition-arn': tdArn('web', 2) })
    const otherState = deploymentState(emulator, other)
    expect(otherState.status).toBe('Succeeded')
    const [create] = callsOf(emulator, 'CreateDeployment')
    expect(callsOf(emulator, 'CreateDeployment')).toHaveLength(1)
    expect(create?.time).toBeGreaterThanOrEqual((otherState.completeTime as number) * 1000)
    expect(callsOf(emulator, 'StopDeployment')).toEqual([])
    expect(deploymentState(emulator, id).status).toBe('Succeeded')
    expect(serviceState(emulator, BG_SERVICE).taskDefinition).toBe(tdArn('web', 2))
  })

  test("'stop-previous': stops the other with rollback first, then deploys", async () => {
    const { emulator } = e
    const other = await startOtherDeployment(emulator)
    emulator.control.configure({ terminationWaitMs: 200 })
    emulator.control.calls({ clear: true })
    const run = await deploy(emulator, blueGreenInputs({ 'on-active-deployment': 'stop-previous' }))
    const { main } = run
    expect(main.exitCode).toBe(0)
    expect(main.errors).toEqual([])
    expect(main.warnings).toContain(
      `Stopping active deployment ${other} with rollback (on-active-deployment: stop-previous)`
    )
    const id = main.outputs['deployment-id'] as string
    expect(main.outputs.status).toBe('succeeded')
    expect(callsOf(emulator, 'StopDeployment').map((c) => c.params)).toEqual([
      { deploymentId: other, autoRollbackEnabled: true }
    ])
    const otherState = deploymentState(emulator, other)
    expect(otherState).toMatchObject({ status: 'Stopped', errorInformation: { code: 'MANUAL_STOP' } })
    const otherRollback = rollbackOf(emulator, other)
    expect(otherRollback?.status).toBe('Succeeded')
    // Ours was created after the other's rollback had finished.
    const [create] = callsOf(emulator, 'CreateDeployment')
    const [stop] = callsOf(emulator, 'StopDeployment')
    expect(create?.time).toBeGreaterThan(stop?.time ?? Infinity)
    expect(create?.time).toBeGreaterThanOrEqual((otherRollback?.completeTime as number) * 1000)
    expect(deploymentState(emulator, id).status).toBe('Succeeded')
    expect(serviceState(emulator, BG_SERVICE).taskDefinition).toBe(tdArn('web', 2))
  })
})

describe('ecs-blue-green: cancellation', () => {
  beforeEach(() => {
    // The deployment is surely still in progress when the signal arrives.
    e.emulator.control.configure({ terminationWaitMs: LONG_WAIT_MS })
  })

  interface Seen {
    id?: string | undefined
    statusAtSignal?: string
  }

  /** Sends `signal` once the log shows the new task set installed; records the deployment's status then. */
  function signalAfterInstall(signal: NodeJS.Signals): {
    onLine: (line: string, child: { kill(signal: NodeJS.Signals): void }) => void
    seen: Seen
  } {
    const seen: Seen = {}
    return {
      seen,
      onLine: (line, child) => {
        seen.id ??= /^Created deployment (d-\w+)/.exec(line)?.[1]
        if (/^ {2}Install: Succeeded/.test(line) && seen.statusAtSignal === undefined) {
          seen.statusAtSignal = deploymentState(e.emulator, seen.id).status
          child.kill(signal)
        }
      }
    }
  }

  test('SIGTERM: the main step stops the deployment with rollback; the post step has nothing left', async () => {
    const { emulator } = e
    const { onLine, seen } = signalAfterInstall('SIGTERM')
    const run = await deploy(emulator, blueGreenInputs(), { onLine })
    const { main } = run
    const id = seen.id as string
    expect(seen.statusAtSignal).toBe('InProgress')
    expect(main.signal).toBeNull()
    expect(main.exitCode).toBe(1)
    expect(main.warnings).toContain('Received SIGTERM: cancelling, recovering what changed')
    expect(main.outputs).toMatchObject({ status: 'rolled-back', 'deployment-id': id, 'console-url': consoleUrl(id) })
    expect(main.errors).toHaveLength(1)
    expect(main.errors[0]).toContain(`The job was cancelled while deployment ${id} was InProgress`)
    expect(main.errors[0]).toMatch(/Rollback deployment d-\w+ succeeded; live task definition: web:1/)
    expect(main.summary).toContain('<h2>↩️ Deploy rolled back — ecs-blue-green</h2>')
    expect(callsOf(emulator, 'StopDeployment').map((c) => c.params)).toEqual([
      { deploymentId: id, autoRollbackEnabled: true }
    ])
    expect(deploymentState(emulator, id).status).toBe('Stopped')
    expect(rollbackOf(emulator, id)?.status).toBe('Succeeded')
    expectOnlyOriginal(serviceState(emulator, BG_SERVICE))
    expect(run.post?.exitCode).toBe(0)
    expect(run.post?.warnings).toEqual([])
    expect(postCalls(emulator, run)).toEqual([])
  })

  test('SIGKILL: the post step finishes the rollback from the journal the main step saved', async () => {
    const { emulator } = e
    const { onLine, seen } = signalAfterInstall('SIGKILL')
    const run = await deploy(emulator, blueGreenInputs(), { onLine })
    const { main } = run
    const post = run.post
    const id = seen.id as string
    expect(seen.statusAtSignal).toBe('InProgress')
    expect(main.signal).toBe('SIGKILL')
    // What the main step had published before it died.
    expect(main.outputs).toMatchObject({ 'deployment-id': id, 'task-definition-arn': tdArn('web', 2) })
    expect(main.journal).toMatchObject({ phase: 'deploying', deploymentId: id })
    // Killed before it could stop anything: the post step did it.
    const [stop] = callsOf(emulator, 'StopDeployment')
    expect(callsOf(emulator, 'StopDeployment')).toHaveLength(1)
    expect(stop?.params).toEqual({ deploymentId: id, autoRollbackEnabled: true })
    expect(stop?.time).toBeGreaterThanOrEqual(run.mainExitedAt)
    expect(post?.exitCode).toBe(0)
    expect(post?.errors).toEqual([])
    expect(post?.warnings).toHaveLength(1)
    expect(post?.warnings[0]).toMatch(
      new RegExp(
        `^The main step did not finish; the post step recovered: The main step ended while deployment ${id} was InProgress: rollback deployment d-\\w+ succeeded; live task definition: web:1(; running tasks: web:1 ×\\d+)?$`
      )
    )
    expect(post?.summary).toContain('<h2>↩️ Deploy rolled back — ecs-blue-green</h2>')
    expect(deploymentState(emulator, id).status).toBe('Stopped')
    expect(rollbackOf(emulator, id)?.status).toBe('Succeeded')
    expectOnlyOriginal(serviceState(emulator, BG_SERVICE))
  })
})

describe('ecs-blue-green: AWS faults', () => {
  test('throttled DescribeServices and GetDeployment calls are retried: the deploy succeeds', async () => {
    const { emulator } = e
    emulator.control.throttle({ op: 'DescribeServices', count: 2 })
    emulator.control.throttle({ op: 'GetDeployment', count: 2 })
    const run = await deploy(emulator, blueGreenInputs())
    const { main } = run
    expect(main.exitCode).toBe(0)
    expect(main.errors).toEqual([])
    expect(main.outputs.status).toBe('succeeded')
    for (const op of ['DescribeServices', 'GetDeployment']) {
      const calls = callsOf(emulator, op)
      expect(calls.filter((c) => c.error === 'ThrottlingException')).toHaveLength(2)
      expect(calls.filter((c) => c.error === undefined).length).toBeGreaterThan(0)
    }
    expect(deploymentState(emulator, main.outputs['deployment-id']).status).toBe('Succeeded')
    expect(serviceState(emulator, BG_SERVICE).taskDefinition).toBe(tdArn('web', 2))
  })
})
