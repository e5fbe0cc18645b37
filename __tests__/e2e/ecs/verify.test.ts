/**
 * verify-command at the runner level: the bundled action (main + post) runs the gate with bash on this machine,
 * against the emulator's ECS rolling and CodeDeploy blue/green deployments (real AWS SDK over HTTP).
 */
import fs from 'node:fs'
import path from 'node:path'
import {
  callsOf,
  cleanupRuns,
  deploy,
  mutations,
  rollingInputs,
  blueGreenInputs,
  serviceState,
  tdArn,
  useEmulator,
  CLUSTER,
  ROLLING_SERVICE,
  BG_SERVICE
} from './helpers.js'

const e = useEmulator()
afterAll(cleanupRuns)

/** Running or stopped, not a zombie left for a parent that does not reap (PID 1 of a container). */
function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'))
  } catch {
    return false
  }
}

const taskDefinitions = (): unknown[] => callsOf(e.emulator, 'UpdateService').map((c) => c.params.taskDefinition)

describe('verify-command through the bundled action: ecs-rolling', () => {
  test('passes: sees the deployed service in its environment, its output is plain log text', async () => {
    const run = await deploy(
      e.emulator,
      rollingInputs({
        'verify-command': 'echo "smoke $DEPLOY_TARGETS $DEPLOY_TASK_DEFINITION_ARN"; echo "::error::from the app"',
        'verify-timeout': '20s'
      })
    )
    const { main } = run
    expect(main.exitCode).toBe(0)
    expect(main.outputs.status).toBe('succeeded')
    expect(main.stdout).toContain(`  smoke ${CLUSTER}/${ROLLING_SERVICE} ${tdArn('web', 2)}`)
    expect(main.stdout).toContain('  : :error::from the app')
    expect(main.errors).toEqual([])
  })

  test('fails: the service is updated back to the previous revision; the error names the exit code and output', async () => {
    const run = await deploy(e.emulator, rollingInputs({ 'verify-command': 'echo "checkout: HTTP 500"; exit 7' }))
    const { main } = run
    expect(main.exitCode).toBe(1)
    expect(main.outputs.status).toBe('rolled-back')
    expect(main.errors[0]).toContain('verify-command failed with exit code 7; last output: "checkout: HTTP 500"')
    expect(taskDefinitions()).toEqual([tdArn('web', 2), tdArn('web', 1)])
    expect(serviceState(e.emulator, ROLLING_SERVICE).taskDefinition).toBe(tdArn('web', 1))
  })

  test('times out: stopped after verify-timeout, and rolled back', async () => {
    const started = Date.now()
    const run = await deploy(e.emulator, rollingInputs({ 'verify-command': 'sleep 30', 'verify-timeout': '1s' }))
    expect(Date.now() - started).toBeLessThan(20_000)
    expect(run.main.outputs.status).toBe('rolled-back')
    expect(run.main.errors[0]).toContain('verify-command timed out after 1 s')
  })

  test('cancelled (SIGTERM): the command and what it started are stopped, the service rolled back', async () => {
    const run = await deploy(
      e.emulator,
      rollingInputs({ 'verify-command': 'sleep 60 & echo $! > "$GITHUB_WORKSPACE/sleep.pid"; echo waiting; wait' }),
      {
        onLine: (line, child) => {
          if (line.trim() === 'waiting') child.kill('SIGTERM')
        }
      }
    )
    const pid = Number(fs.readFileSync(path.join(run.workspace, 'sleep.pid'), 'utf8'))
    expect(pid).toBeGreaterThan(1)
    expect(alive(pid)).toBe(false)
    expect(run.main.outputs.status).toBe('rolled-back')
    expect(run.main.errors[0]).toContain('verify-command stopped: the job was cancelled')
    expect(serviceState(e.emulator, ROLLING_SERVICE).taskDefinition).toBe(tdArn('web', 1))
  })
})

describe('verify-command through the bundled action: ecs-blue-green stopping at Ready', () => {
  test('passes: ContinueDeployment, then success', async () => {
    e.emulator.control.configure({ readyWait: 'STOP' })
    const run = await deploy(e.emulator, blueGreenInputs({ 'verify-command': 'test -n "$DEPLOY_DEPLOYMENT_ID"' }))
    expect(run.main.exitCode).toBe(0)
    expect(mutations(e.emulator)).toEqual(['RegisterTaskDefinition', 'CreateDeployment', 'ContinueDeployment'])
  })

  test('fails: StopDeployment with rollback; production stays on the old revision', async () => {
    e.emulator.control.configure({ readyWait: 'STOP' })
    const run = await deploy(e.emulator, blueGreenInputs({ 'verify-command': 'exit 1' }))
    expect(run.main.exitCode).toBe(1)
    expect(run.main.outputs.status).toBe('rolled-back')
    expect(mutations(e.emulator)).toEqual(['RegisterTaskDefinition', 'CreateDeployment', 'StopDeployment'])
    expect(serviceState(e.emulator, BG_SERVICE).taskDefinition).toBe(tdArn('web', 1))
  })
})
