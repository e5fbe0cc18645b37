/**
 * ecs-native against the emulator (real SDK over HTTP, real clock): ECS-managed blue/green, linear and canary
 * deployments followed as service deployments, rolled back as the same deployment, gated at a PAUSE hook.
 */
import { fakeCommands } from '../../helpers/fake-commands.js'
import { waitFor } from '../ecs-blue-green/emulated.js'
import { addGateHook, nativeMutations, nativeRun, useNativeEmulator } from './emulated.js'

const e = useNativeEmulator()
const WEB_1 = 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:1'
const WEB_2 = 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:2'
const verify = { command: './smoke.sh', timeoutMs: 5000 }

describe('ecs-native against the emulator', () => {
  test.each(['web-native', 'web-linear', 'web-canary'])(
    '%s: register + UpdateService only; our service deployment is journaled, followed to SUCCESSFUL',
    async (service) => {
      const run = nativeRun(e.emulator, { service })
      const result = await run.deploy()
      expect(result.status).toBe('succeeded')
      const arn = run.journal.data.serviceDeploymentArn ?? ''
      expect(arn).toMatch(new RegExp(`^arn:aws:ecs:us-east-1:123456789012:service-deployment/demo/${service}/`))
      expect(result.message).toBe(`Deployed web:2 to demo/${service} (service deployment ${arn.split('/').pop()})`)
      expect(nativeMutations(e.emulator)).toEqual(['RegisterTaskDefinition', 'UpdateService'])
      const update = e.emulator.control.calls().find((c) => c.op === 'UpdateService')
      expect(update?.params).toEqual({ cluster: 'demo', service, taskDefinition: WEB_2 })
      expect(run.journal.history.find((j) => j.serviceDeploymentArn)?.phase).toBe('deploying')
      expect(run.journal.data.phase).toBe('finished')
      expect(run.outputs).toContainEqual(['deployment-id', arn])
      expect(run.log.matching('PRODUCTION_TRAFFIC_SHIFT').length).toBeGreaterThan(0)
      expect(run.log.matching(/production 100%/).length).toBeGreaterThan(0)
    }
  )

  test('wait-until traffic-shifted ends in BAKE_TIME, with production on the new revision', async () => {
    e.emulator.control.configure({ bakeMs: 5000 })
    const run = nativeRun(e.emulator, { waitUntil: 'traffic-shifted' })
    const result = await run.deploy()
    expect(result.status).toBe('succeeded')
    expect(result.message).toContain('Production traffic shifted to web:2 on demo/web-native')
    expect(run.journal.data.phase).toBe('finished')
    // Still baking: nothing is stopped or rolled back.
    expect(nativeMutations(e.emulator)).toEqual(['RegisterTaskDefinition', 'UpdateService'])
  })

  test('failing tasks: ECS rolls the deployment back itself; the step is rolled back with the reason', async () => {
    e.emulator.control.nativeDeployments({ failTasks: true })
    const run = nativeRun(e.emulator)
    const result = await run.deploy()
    expect(result.status).toBe('rolled-back')
    expect(result.message).toContain('circuit breaker threshold was exceeded')
    expect(result.message).toContain('Task failed ELB health checks')
    expect(result.message).toContain('back to web:1')
    expect(nativeMutations(e.emulator)).toEqual(['RegisterTaskDefinition', 'UpdateService'])
    expect(result.message).toContain('live task definition: web:1; running tasks: web:1 ×2')
  })

  test('a timeout rolls the same service deployment back with StopServiceDeployment', async () => {
    e.emulator.control.configure({ bakeMs: 60_000 })
    const run = nativeRun(e.emulator, { timeoutMinutes: 0.02 })
    const result = await run.deploy()
    expect(result.status).toBe('rolled-back')
    expect(result.message).toContain("did not reach 'succeeded' within 0.02 min (production traffic had shifted")
    expect(nativeMutations(e.emulator)).toEqual(['RegisterTaskDefinition', 'UpdateService', 'StopServiceDeployment'])
    const stop = e.emulator.control.calls().find((c) => c.op === 'StopServiceDeployment')
    expect(stop?.params).toEqual({ serviceDeploymentArn: run.journal.data.serviceDeploymentArn, stopType: 'ROLLBACK' })
  })

  test('verify-command passes at the PAUSE hook: ContinueServiceDeployment CONTINUE, then SUCCESSFUL', async () => {
    await addGateHook(e.emulator)
    const commands = fakeCommands([{ exitCode: 0, lines: ['smoke ok'] }])
    const run = nativeRun(e.emulator, { verify }, { runCommand: commands })
    const result = await run.deploy()
    expect(result.status).toBe('succeeded')
    expect(commands.runs).toHaveLength(1)
    expect(commands.runs[0]?.env.DEPLOY_DEPLOYMENT_ID).toBe(run.journal.data.serviceDeploymentArn)
    const cont = e.emulator.control.calls().find((c) => c.op === 'ContinueServiceDeployment')
    expect(cont?.params).toMatchObject({ action: 'CONTINUE', hookId: expect.stringMatching(/^ecs-pause-/) })
    expect(result.targets[0]?.phases.map((p) => p.name)).toEqual([
      'preflight',
      'register',
      'update-service',
      'verify',
      'continue-deployment'
    ])
  })

  test('verify-command fails at the PAUSE hook: answered with ROLLBACK, production never moved', async () => {
    await addGateHook(e.emulator)
    const commands = fakeCommands([{ exitCode: 1, lines: ['checkout: HTTP 500'] }])
    const run = nativeRun(e.emulator, { verify }, { runCommand: commands })
    const result = await run.deploy()
    expect(result.status).toBe('rolled-back')
    expect(result.message).toContain('stopped at the test traffic gate, before production traffic moved')
    expect(result.message).toContain('checkout: HTTP 500')
    const cont = e.emulator.control.calls().filter((c) => c.op === 'ContinueServiceDeployment')
    expect(cont.map((c) => c.params.action)).toEqual(['ROLLBACK'])
    expect(nativeMutations(e.emulator)).not.toContain('StopServiceDeployment')
    expect(run.log.matching(/production [1-9]/)).toEqual([])
  })

  test('verify-command without a PAUSE hook at POST_TEST_TRAFFIC_SHIFT fails pre-flight; nothing changes', async () => {
    const run = nativeRun(e.emulator, { verify })
    const result = await run.deploy()
    expect(result.status).toBe('failed')
    expect(result.message).toContain('a PAUSE lifecycle hook of stage POST_TEST_TRAFFIC_SHIFT')
    expect(nativeMutations(e.emulator)).toEqual([])
  })

  test('a load balancer without advancedConfiguration fails pre-flight, naming the fields', async () => {
    const result = await nativeRun(e.emulator, { service: 'web-native-noadv' }).deploy()
    expect(result.status).toBe('failed')
    expect(result.message).toContain(
      'lacks advancedConfiguration.alternateTargetGroupArn, productionListenerRule, roleArn'
    )
    expect(nativeMutations(e.emulator)).toEqual([])
  })

  test('a ROLLING service is refused, naming ecs-rolling', async () => {
    const result = await nativeRun(e.emulator, { service: 'web-rolling' }).deploy()
    expect(result.message).toContain(
      "strategy 'ecs-native' deploys ECS-managed BLUE_GREEN, LINEAR or CANARY ones: use strategy 'ecs-rolling'"
    )
    expect(nativeMutations(e.emulator)).toEqual([])
  })

  test('on-active-deployment fail / stop-previous / wait', async () => {
    e.emulator.control.configure({ bakeMs: 800 })
    const first = nativeRun(e.emulator, { waitUntil: 'created' })
    expect((await first.deploy()).status).toBe('succeeded')
    const firstArn = first.journal.data.serviceDeploymentArn ?? ''

    const failing = await nativeRun(e.emulator).deploy()
    expect(failing.status).toBe('failed')
    expect(failing.message).toContain('has a service deployment in progress')
    expect(failing.targets[0]?.outcome).toBe('untouched')

    const stopping = nativeRun(e.emulator, { onActiveDeployment: 'stop-previous' })
    const stopped = await stopping.deploy()
    expect(stopped.status).toBe('succeeded')
    const stop = e.emulator.control.calls().find((c) => c.op === 'StopServiceDeployment')
    expect(stop?.params).toEqual({ serviceDeploymentArn: firstArn, stopType: 'ROLLBACK' })
    // Planned again after the rollback: the service pointed at the stopped deployment's web:2, the rollback left web:1.
    expect(stopping.outputs.filter(([n]) => n === 'previous-task-definition-arn').map(([, v]) => v)).toEqual([
      WEB_2,
      WEB_1
    ])

    const waiter = nativeRun(e.emulator, { waitUntil: 'created' })
    await waiter.deploy()
    const waiting = nativeRun(e.emulator, { onActiveDeployment: 'wait' })
    const waited = await waiting.deploy()
    expect(waited.status).toBe('succeeded')
    expect(waiting.log.matching('Service deployment in progress').length).toBeGreaterThan(0)
  })

  test('cancelled mid-shift: the same deployment is rolled back before the step ends', async () => {
    e.emulator.control.configure({ bakeMs: 60_000 })
    const run = nativeRun(e.emulator)
    const pending = run.deploy()
    await waitFor(() => run.log.matching('BAKE_TIME').length > 0)
    run.controller.abort()
    const result = await pending
    expect(result.status).toBe('rolled-back')
    expect(result.message).toContain('The job was cancelled while service deployment')
    expect(nativeMutations(e.emulator)).toContain('StopServiceDeployment')
    expect(run.journal.data.phase).toBe('finished')
  })

  test('the post step rolls back a deployment a cut-short main step left running', async () => {
    e.emulator.control.configure({ bakeMs: 60_000 })
    const run = nativeRun(e.emulator)
    void run.deploy().catch(() => undefined)
    await waitFor(() => run.log.matching('BAKE_TIME').length > 0)
    // The main step dies here: its journal is what the post step reads.
    const journal = { ...run.journal.data }
    run.controller.abort()
    run.journal.data = journal
    const recovered = await run.recover()
    expect(recovered?.status).toBe('rolled-back')
    expect(recovered?.outputs['deployment-id']).toBe(journal.serviceDeploymentArn)
    expect(run.journal.data.phase).toBe('finished')
    expect(await run.recover()).toBeUndefined()
  })
})
