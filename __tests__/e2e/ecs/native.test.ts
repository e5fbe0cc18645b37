/**
 * ecs-native at the runner level: the bundled action (main + post), the real AWS SDK over HTTP, the emulator's
 * ECS-managed blue/green deployments (service deployments, PAUSE hooks, circuit breaker rollbacks).
 */
import { ECSClient, UpdateServiceCommand } from '@aws-sdk/client-ecs'
import { startEmulator, type Emulator } from '../../../emulator/index.js'
import {
  CLUSTER,
  IMAGE,
  TIMINGS,
  callsOf,
  cleanupRuns,
  deploy,
  postCalls,
  serviceState,
  tdArn,
  testClientConfig,
  useServer
} from './helpers.js'

const SERVICE = 'web-native'
const used = useServer(
  'the emulator',
  () => startEmulator({ timings: TIMINGS, fixture: 'native' }),
  (emulator) => {
    emulator.control.reset({ fixture: 'native' })
  }
)
afterAll(cleanupRuns)

const SERVICE_URL = `https://us-east-1.console.aws.amazon.com/ecs/v2/clusters/${CLUSTER}/services/${SERVICE}/deployments?region=us-east-1`
const ARN_RE = new RegExp(`^arn:aws:ecs:us-east-1:123456789012:service-deployment/${CLUSTER}/${SERVICE}/[\\w-]+$`)
const NATIVE_MUTATIONS = [
  'RegisterTaskDefinition',
  'UpdateService',
  'StopServiceDeployment',
  'ContinueServiceDeployment'
]

function nativeInputs(extra: Record<string, string> = {}): Record<string, string> {
  return { strategy: 'ecs-native', image: IMAGE, cluster: CLUSTER, service: SERVICE, ...extra }
}

function mutations(emulator: Emulator): string[] {
  return emulator.control
    .calls()
    .map((c) => c.op)
    .filter((op) => NATIVE_MUTATIONS.includes(op))
}

function serviceDeployment(emulator: Emulator, arn: string | undefined) {
  const found = emulator.control.state().serviceDeployments.find((d) => d.arn === arn)
  if (!found) throw new Error(`no service deployment ${String(arn)}`)
  return found
}

/** Gives web-native a PAUSE hook after the test traffic shift, as its owner would (UpdateService, no deployment). */
async function addGateHook(emulator: Emulator): Promise<void> {
  const ecs = new ECSClient(testClientConfig(emulator, 'owner'))
  try {
    await ecs.send(
      new UpdateServiceCommand({
        cluster: CLUSTER,
        service: SERVICE,
        deploymentConfiguration: {
          strategy: 'BLUE_GREEN',
          bakeTimeInMinutes: 5,
          deploymentCircuitBreaker: { enable: true, rollback: true },
          lifecycleHooks: [{ targetType: 'PAUSE', lifecycleStages: ['POST_TEST_TRAFFIC_SHIFT'] }]
        }
      })
    )
  } finally {
    ecs.destroy()
  }
  // The owner's update is not the action's.
  emulator.control.calls({ clear: true })
}

/** Sends `signal` to the main step once it logs the deployment baking (production traffic shifted). */
function signalInBakeTime(signal: NodeJS.Signals): {
  sent: boolean
  onLine: (line: string, child: { kill(signal: NodeJS.Signals): void }) => void
} {
  const state = {
    sent: false,
    onLine: (line: string, child: { kill(signal: NodeJS.Signals): void }) => {
      if (state.sent || !/: IN_PROGRESS, BAKE_TIME/.test(line)) return
      state.sent = true
      child.kill(signal)
    }
  }
  return state
}

describe('ecs-native through the bundled action', () => {
  test('success: register + UpdateService, the service deployment followed to SUCCESSFUL, outputs set', async () => {
    const { server: emulator } = used
    const run = await deploy(emulator, nativeInputs())
    const { main } = run
    expect(main.errors).toEqual([])
    expect(main.exitCode).toBe(0)
    const arn = main.outputs['deployment-id'] as string
    expect(arn).toMatch(ARN_RE)
    expect(main.outputs).toMatchObject({
      status: 'succeeded',
      'task-definition-arn': tdArn('web', 2),
      'previous-task-definition-arn': tdArn('web', 1),
      'console-url': SERVICE_URL
    })
    expect(mutations(emulator)).toEqual(['RegisterTaskDefinition', 'UpdateService'])
    expect(serviceDeployment(emulator, arn).status).toBe('SUCCESSFUL')
    expect(serviceState(emulator, SERVICE).taskDefinition).toBe(tdArn('web', 2))
    expect(main.stdout).toMatch(
      /: IN_PROGRESS, TEST_TRAFFIC_SHIFT; new revision 2\/2 tasks, test traffic 100%, production 0%/
    )
    expect(main.stdout).toMatch(/: SUCCESSFUL, CLEAN_UP; .*production 100%/)
    expect(main.summary).toContain('ecs-native')
    expect(run.post?.exitCode).toBe(0)
    expect(postCalls(emulator, run)).toEqual([])
  })

  test('rollback-to previous: from the service deployments ECS records, deployed as a native deployment of web:1', async () => {
    const { server: emulator } = used
    const first = await deploy(emulator, nativeInputs())
    expect(first.main.exitCode).toBe(0)
    const inputs = nativeInputs({ 'rollback-to': 'previous' })
    delete inputs['image']
    const run = await deploy(emulator, inputs)
    const { main } = run
    expect(main.errors).toEqual([])
    expect(main.exitCode).toBe(0)
    expect(main.outputs).toMatchObject({
      'task-definition-arn': tdArn('web', 1),
      'previous-task-definition-arn': tdArn('web', 2)
    })
    // One registration (the first deploy's); the rollback registers nothing and deploys web:1 as it is.
    expect(mutations(emulator)).toEqual(['RegisterTaskDefinition', 'UpdateService', 'UpdateService'])
    expect(serviceDeployment(emulator, main.outputs['deployment-id']).status).toBe('SUCCESSFUL')
    expect(serviceState(emulator, SERVICE).taskDefinition).toBe(tdArn('web', 1))
    expect(main.stdout).toContain('::notice::Rolled back demo/web-native to web:1 (from web:2)')
    expect(main.summary).toContain('rolled back to web:1')
    expect(postCalls(emulator, run)).toEqual([])
  })

  test('failing tasks: ECS rolls back itself; the step fails as rolled back with the reason', async () => {
    const { server: emulator } = used
    emulator.control.nativeDeployments({ failTasks: true })
    const run = await deploy(emulator, nativeInputs())
    const { main } = run
    expect(main.exitCode).toBe(1)
    expect(main.outputs.status).toBe('rolled-back')
    expect(main.errors[0]).toContain('circuit breaker threshold was exceeded')
    expect(main.errors[0]).toContain('Task failed ELB health checks')
    expect(main.errors[0]).toContain('live task definition: web:1; running tasks: web:1 ×2')
    expect(serviceDeployment(emulator, main.outputs['deployment-id']).status).toBe('ROLLBACK_SUCCESSFUL')
    expect(mutations(emulator)).toEqual(['RegisterTaskDefinition', 'UpdateService'])
    expect(postCalls(emulator, run)).toEqual([])
  })

  test('on-active-deployment stop-previous: the deployment in progress is rolled back, then ours runs', async () => {
    const { server: emulator } = used
    emulator.control.configure({ bakeMs: 60_000 })
    const first = await deploy(emulator, nativeInputs({ 'wait-until': 'created' }), { noPost: true })
    const firstArn = first.main.outputs['deployment-id'] as string
    expect(serviceDeployment(emulator, firstArn).status).toMatch(/PENDING|IN_PROGRESS/)
    emulator.control.configure({ bakeMs: 40 })
    const run = await deploy(emulator, nativeInputs({ 'on-active-deployment': 'stop-previous' }))
    expect(run.main.errors).toEqual([])
    expect(run.main.exitCode).toBe(0)
    expect(callsOf(emulator, 'StopServiceDeployment').map((c) => c.params)).toEqual([
      { serviceDeploymentArn: firstArn, stopType: 'ROLLBACK' }
    ])
    expect(serviceDeployment(emulator, firstArn).status).toBe('ROLLBACK_SUCCESSFUL')
    expect(serviceDeployment(emulator, run.main.outputs['deployment-id']).status).toBe('SUCCESSFUL')
  })

  test('cancelled mid-shift (SIGTERM): the same service deployment is rolled back; the post step has nothing left', async () => {
    const { server: emulator } = used
    emulator.control.configure({ bakeMs: 60_000 })
    const signal = signalInBakeTime('SIGTERM')
    const run = await deploy(emulator, nativeInputs(), { onLine: signal.onLine })
    const { main } = run
    expect(signal.sent).toBe(true)
    expect(main.exitCode).toBe(1)
    expect(main.warnings).toContain('Received SIGTERM: cancelling, recovering what changed')
    expect(main.outputs.status).toBe('rolled-back')
    const arn = main.outputs['deployment-id'] as string
    expect(main.errors[0]).toContain('The job was cancelled while service deployment')
    expect(callsOf(emulator, 'StopServiceDeployment').map((c) => c.params)).toEqual([
      { serviceDeploymentArn: arn, stopType: 'ROLLBACK' }
    ])
    expect(serviceDeployment(emulator, arn).status).toBe('ROLLBACK_SUCCESSFUL')
    expect(serviceState(emulator, SERVICE).taskDefinition).toBe(tdArn('web', 1))
    expect(run.post?.exitCode).toBe(0)
    expect(postCalls(emulator, run)).toEqual([])
  })

  test('cut short (SIGKILL) mid-shift: the post step rolls the journaled service deployment back', async () => {
    const { server: emulator } = used
    emulator.control.configure({ bakeMs: 60_000 })
    const signal = signalInBakeTime('SIGKILL')
    const run = await deploy(emulator, nativeInputs(), { onLine: signal.onLine })
    expect(run.main.signal).toBe('SIGKILL')
    const arn = run.main.journal?.serviceDeploymentArn as string
    expect(arn).toMatch(ARN_RE)
    expect(run.post?.exitCode).toBe(0)
    expect(postCalls(emulator, run).map((c) => c.op)).toContain('StopServiceDeployment')
    expect(serviceDeployment(emulator, arn).status).toBe('ROLLBACK_SUCCESSFUL')
    expect(serviceState(emulator, SERVICE).taskDefinition).toBe(tdArn('web', 1))
  })

  test('verify-command passes at the PAUSE hook: ContinueServiceDeployment CONTINUE, then SUCCESSFUL', async () => {
    const { server: emulator } = used
    await addGateHook(emulator)
    const run = await deploy(emulator, nativeInputs({ 'verify-command': 'echo "gate $DEPLOY_DEPLOYMENT_ID"' }))
    const { main } = run
    expect(main.errors).toEqual([])
    expect(main.exitCode).toBe(0)
    const arn = main.outputs['deployment-id'] as string
    expect(main.stdout).toContain(`gate ${arn}`)
    expect(mutations(emulator)).toEqual(['RegisterTaskDefinition', 'UpdateService', 'ContinueServiceDeployment'])
    expect(callsOf(emulator, 'ContinueServiceDeployment')[0]?.params).toMatchObject({ action: 'CONTINUE' })
    expect(serviceDeployment(emulator, arn).status).toBe('SUCCESSFUL')
  })

  test('verify-command fails at the PAUSE hook: answered with ROLLBACK, production never moved', async () => {
    const { server: emulator } = used
    await addGateHook(emulator)
    const run = await deploy(emulator, nativeInputs({ 'verify-command': 'echo "smoke: HTTP 500"; exit 1' }))
    const { main } = run
    expect(main.exitCode).toBe(1)
    expect(main.outputs.status).toBe('rolled-back')
    expect(main.errors[0]).toContain('stopped at the test traffic gate, before production traffic moved')
    expect(main.errors[0]).toContain('smoke: HTTP 500')
    expect(callsOf(emulator, 'ContinueServiceDeployment').map((c) => c.params.action)).toEqual(['ROLLBACK'])
    expect(serviceDeployment(emulator, main.outputs['deployment-id']).status).toBe('ROLLBACK_SUCCESSFUL')
    expect(main.stdout).not.toMatch(/production [1-9]/)
    expect(postCalls(emulator, run)).toEqual([])
  })

  test("strategy 'ecs' picks the native path, says so in the log and the summary, and deploys", async () => {
    const { server: emulator } = used
    const run = await deploy(emulator, nativeInputs({ strategy: 'ecs' }))
    const { main } = run
    expect(main.errors).toEqual([])
    expect(main.exitCode).toBe(0)
    expect(main.stdout).toContain(
      'Strategy ecs: ecs-native, as service demo/web-native uses the ECS deployment controller with ECS-managed BLUE_GREEN deployments'
    )
    expect(main.summary).toContain('Path: ecs-native')
    expect(emulator.control.calls({ service: 'codedeploy' })).toEqual([])
    expect(serviceDeployment(emulator, main.outputs['deployment-id']).status).toBe('SUCCESSFUL')
  })
})
