/**
 * Strategy `ecs` against the emulator (real SDK over HTTP, real clock): it reads the service and takes the path
 * the service needs, says which in the log and the summary, and the post step recovers on the same path.
 */
import { ECSClient, UpdateServiceCommand } from '@aws-sdk/client-ecs'
import type { Emulator } from '../../../emulator/index.js'
import { Inputs } from '../../../src/constants.js'
import type { EcsPickConfig } from '../../../src/strategies/ecs-pick/config.js'
import { createEcsPick } from '../../../src/strategies/ecs-pick/index.js'
import { POLL_MS, emulatedStrategy, mutations, useEmulator, type EmulatedRun } from '../ecs-blue-green/emulated.js'
import { IMAGE, seedNativeService } from '../ecs-rolling/emulated.js'
import { blueGreenConfig } from '../ecs/helpers.js'

const e = useEmulator()

const tdArn = (revision: number): string => `arn:aws:ecs:us-east-1:123456789012:task-definition/web:${revision}`

function ecsRun(emulator: Emulator, patch: Partial<EcsPickConfig> = {}): EmulatedRun {
  const config: EcsPickConfig = {
    ...blueGreenConfig({
      region: emulator.region,
      image: IMAGE,
      codedeployApplication: 'AppECS-demo-web-bg',
      codedeployDeploymentGroup: 'DgpECS-demo-web-bg',
      timeoutMinutes: 0.2,
      pollIntervalMs: POLL_MS
    }),
    strategy: 'ecs',
    blueGreenInputs: [],
    ...patch
  }
  return emulatedStrategy(emulator, (deps) => createEcsPick(config, deps))
}

describe("strategy 'ecs' picks the path from the service", () => {
  test('CODE_DEPLOY controller → CodeDeploy blue/green, said in the log and first in the summary', async () => {
    const { emulator } = e
    const run = ecsRun(emulator, { service: 'web-bg' })
    const result = await run.deploy()
    expect(result.status).toBe('succeeded')
    expect(mutations(emulator)).toEqual(['RegisterTaskDefinition', 'CreateDeployment'])
    expect(run.log.groups[0]).toBe('Pick the path for ecs service demo/web-bg')
    expect(run.log.matching('Strategy ecs:')).toEqual([
      'info: Strategy ecs: ecs-blue-green, as service demo/web-bg uses the CODE_DEPLOY deployment controller'
    ])
    expect(result.sections?.[0]).toEqual({
      title: 'Path: ecs-blue-green',
      body: 'Strategy `ecs` picked `ecs-blue-green`: service demo/web-bg uses the CODE_DEPLOY deployment controller.'
    })
    expect(run.journal.data.path).toBe('ecs-blue-green')
  })

  test('ECS controller with ROLLING → rolling update; CodeDeploy-only inputs given are warned about, not used', async () => {
    const { emulator } = e
    const run = ecsRun(emulator, {
      service: 'web-rolling',
      waitUntil: 'traffic-shifted',
      blueGreenInputs: [Inputs.codedeployAppspec, Inputs.waitUntil]
    })
    const result = await run.deploy()
    expect(result.status).toBe('succeeded')
    expect(mutations(emulator)).toEqual(['RegisterTaskDefinition', 'UpdateService'])
    expect(emulator.control.calls({ service: 'codedeploy' })).toEqual([])
    expect(result.sections?.[0]?.title).toBe('Path: ecs-rolling')
    expect(run.log.matching('warning:')).toEqual([
      "warning: 'codedeploy-appspec', 'wait-until' are not used: service demo/web-rolling uses the ECS deployment controller with the ROLLING strategy, so it is deployed with a rolling update, not CodeDeploy"
    ])
  })

  test.each(['BLUE_GREEN', 'LINEAR', 'CANARY'] as const)(
    'ECS controller with %s → ecs-native, said in the log and the summary; CodeDeploy-only inputs are warned about',
    async (strategy) => {
      const { emulator } = e
      seedNativeService(emulator, 'web-native', strategy)
      const run = ecsRun(emulator, {
        service: 'web-native',
        waitUntil: 'succeeded',
        blueGreenInputs: [Inputs.codedeployAppspec, Inputs.waitUntil]
      })
      const result = await run.deploy()
      expect(result.status).toBe('succeeded')
      expect(mutations(emulator)).toEqual(['RegisterTaskDefinition', 'UpdateService'])
      expect(emulator.control.calls({ service: 'codedeploy' })).toEqual([])
      const why = `service demo/web-native uses the ECS deployment controller with ECS-managed ${strategy} deployments`
      expect(run.log.matching('Strategy ecs:')).toEqual([`info: Strategy ecs: ecs-native, as ${why}`])
      expect(result.sections?.[0]).toEqual({
        title: 'Path: ecs-native',
        body: `Strategy \`ecs\` picked \`ecs-native\`: ${why}.`
      })
      // 'wait-until' is used on this path; the bake time's warning (0.2 min of timeout) follows.
      expect(run.log.matching('warning:')[0]).toBe(
        `warning: 'codedeploy-appspec' is not used: ${why}, so it is deployed with an ECS-managed deployment, not CodeDeploy`
      )
      expect(run.log.matching('not used')).toHaveLength(1)
      expect(run.journal.data.path).toBe('ecs-native')
      expect(run.journal.data.serviceDeploymentArn).toMatch(/:service-deployment\/demo\/web-native\//)
    }
  )

  test('a registered revision goes through the picked path as it is: no RegisterTaskDefinition', async () => {
    const { emulator } = e
    emulator.control.seed({
      fixture: { taskDefinitions: [{ family: 'web', containerDefinitions: [{ name: 'web', image: IMAGE.ref }] }] }
    })
    const run = ecsRun(emulator, { service: 'web-rolling', image: undefined, taskDefinitionRevision: 'web:2' })
    const result = await run.deploy()
    expect(result.status).toBe('succeeded')
    expect(mutations(emulator)).toEqual(['UpdateService'])
    expect(result.targets[0]).toMatchObject({ before: 'web:1', after: 'web:2' })
  })

  test('the post step recovers on the journaled path: a rolling deployment left running is rolled back', async () => {
    const { emulator } = e
    emulator.control.configure({ rollingCompletionMs: 60_000 })
    emulator.control.seed({
      fixture: { taskDefinitions: [{ family: 'web', containerDefinitions: [{ name: 'web', image: IMAGE.ref }] }] }
    })
    // What a main step cut short after UpdateService leaves: the service deploying web:2, the journal saying so.
    const ecs = new ECSClient({
      endpoint: emulator.url,
      region: emulator.region,
      credentials: { accessKeyId: 'AKIDPOSTTEST', secretAccessKey: 'post-test-secret' }
    })
    const updated = await ecs.send(
      new UpdateServiceCommand({ cluster: 'demo', service: 'web-rolling', taskDefinition: tdArn(2) })
    )
    ecs.destroy()
    const deploymentId = updated.service?.deployments?.find((d) => d.status === 'PRIMARY')?.id
    const run = ecsRun(emulator, { service: 'web-rolling' })
    run.journal.data = {
      done: false,
      path: 'ecs-rolling',
      phase: 'deploying',
      ecsDeploymentId: deploymentId ?? '',
      taskDefinitionArn: tdArn(2),
      previousTaskDefinitionArn: tdArn(1)
    }
    emulator.control.configure({ rollingCompletionMs: 100 })
    const result = await run.recover()
    expect(result?.status).toBe('rolled-back')
    expect(result?.sections?.[0]?.title).toBe('Path: ecs-rolling')
    expect(emulator.control.state().services.find((s) => s.name === 'web-rolling')?.taskDefinition).toBe(tdArn(1))
  })

  test('the post step does nothing when no path was journaled (the main step stopped before picking)', async () => {
    const { emulator } = e
    const run = ecsRun(emulator, { service: 'web-rolling' })
    run.journal.data = { done: false }
    expect(await run.recover()).toBeUndefined()
    expect(emulator.control.calls()).toEqual([])
  })
})

describe('strategy ecs with pre-deploy-command', () => {
  test.each(['web-rolling', 'web-bg'])(
    '%s: a one-off task exiting 2 deploys nothing on the picked path',
    async (service) => {
      const { emulator } = e
      emulator.control.configure({ oneOffExitCode: 2 })
      const result = await ecsRun(emulator, { service, preDeployCommand: 'migrate' }).deploy()
      expect(result.status).toBe('failed')
      expect(result.message).toMatch(/^One-off task \w+ \(pre-deploy-command\) failed: 'web' ended with exit code 2 /)
      expect(mutations(emulator)).toEqual(['RegisterTaskDefinition'])
      expect(emulator.control.calls().filter((c) => c.op === 'RunTask')).toHaveLength(1)
    }
  )
})
