/**
 * ecs-blue-green against the emulator (real SDK over HTTP, real clock): what CodeDeploy does after the step looks
 * away — an AfterAllowTraffic hook that fails after the shift.
 */
import { fakeCommands } from '../../helpers/fake-commands.js'
import { emulatedRun, mutations, useEmulator, waitFor } from './emulated.js'

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

describe('ecs-blue-green against the emulator: permissions and the termination wait', () => {
  test('without codedeploy:GetDeployment pre-flight fails before anything changes', async () => {
    const { emulator } = e
    emulator.control.accessDenied({ op: 'GetDeployment' })
    const run = emulatedRun(emulator)
    const result = await run.deploy()
    expect(result.status).toBe('failed')
    expect(result.message).toMatch(/^Cannot read CodeDeploy deployments \(codedeploy:GetDeployment\)/)
    expect(result.message).toContain('AccessDeniedException')
    expect(mutations(emulator)).toEqual([])
  })

  test('AccessDenied once the deployment runs: it is left running (not stopped), and it goes on to succeed', async () => {
    const { emulator } = e
    const run = emulatedRun(emulator)
    const pending = run.deploy()
    await waitFor(() => emulator.control.calls({ op: 'CreateDeployment' }).length > 0)
    emulator.control.accessDenied({ op: 'GetDeployment' })
    const result = await pending
    expect(result.status).toBe('failed')
    const id = run.journal.data.deploymentId
    expect(result.message).toContain(`Deployment ${id} was left running, neither stopped nor rolled back`)
    expect(result.message).toContain(`aws deploy get-deployment --deployment-id ${id}`)
    expect(emulator.control.calls({ op: 'StopDeployment' })).toEqual([])
    expect(await run.recover()).toBeUndefined()
    expect(emulator.control.calls({ op: 'StopDeployment' })).toEqual([])
    await waitFor(() => emulator.control.state().deployments.find((d) => d.id === id)?.status === 'Succeeded')
  })

  test('a timeout in the termination wait after the full shift is not rolled back', async () => {
    const { emulator } = e
    emulator.control.configure({ terminationWaitMs: 60_000 })
    const run = emulatedRun(emulator, { timeoutMinutes: 0.04 })
    const result = await run.deploy()
    expect(result.status).toBe('succeeded')
    expect(result.message).toContain('the original task set is not terminated yet')
    expect(emulator.control.calls({ op: 'StopDeployment' })).toEqual([])
    const id = run.journal.data.deploymentId
    const deployment = emulator.control.state().deployments.find((d) => d.id === id)
    expect(deployment).toMatchObject({ status: 'InProgress', target: { status: 'Succeeded' } })
    expect(await run.recover()).toBeUndefined()
    expect(emulator.control.calls({ op: 'StopDeployment' })).toEqual([])
  })
})

describe('ecs-blue-green against the emulator: a CreateDeployment whose answer was lost', () => {
  test.each(['fail', 'stop-previous'] as const)(
    "the SDK's retry collides with our own deployment: it is adopted, not handled by '%s'",
    async (policy) => {
      const { emulator } = e
      emulator.control.loseResponse({ op: 'CreateDeployment' })
      const run = emulatedRun(emulator, { onActiveDeployment: policy })
      const result = await run.deploy()
      expect(result.status).toBe('succeeded')
      const deployments = emulator.control.state().deployments
      expect(deployments).toHaveLength(1)
      expect(deployments[0]?.status).toBe('Succeeded')
      expect(run.journal.history.find((j) => j.deploymentId)).toMatchObject({
        deploymentId: deployments[0]?.id,
        phase: 'deploying'
      })
      expect(emulator.control.calls({ op: 'StopDeployment' })).toEqual([])
      expect(run.log.matching(`deployment ${deployments[0]?.id ?? ''} carries this run's token`)).toHaveLength(1)
    }
  )

  test('every retry lost too: the deployment is found among the active ones by its token and adopted', async () => {
    const { emulator } = e
    emulator.control.loseResponse({ op: 'CreateDeployment', count: 3 })
    const run = emulatedRun(emulator)
    const result = await run.deploy()
    expect(emulator.control.calls({ op: 'CreateDeployment' }).map((c) => c.error)).toEqual([
      'ResponseLost',
      'ResponseLost',
      'ResponseLost'
    ])
    expect(result.status).toBe('succeeded')
    expect(emulator.control.state().deployments.map((d) => d.status)).toEqual(['Succeeded'])
  })

  test("another run's deployment is not adopted: 'fail' still names it", async () => {
    const { emulator } = e
    emulator.control.configure({ terminationWaitMs: 60_000 })
    const first = emulatedRun(emulator, { waitUntil: 'traffic-shifted' })
    expect((await first.deploy()).status).toBe('succeeded')
    const other = first.journal.data.deploymentId ?? ''
    const second = emulatedRun(emulator)
    const result = await second.deploy()
    expect(result.status).toBe('failed')
    expect(result.message).toContain(`already has an active deployment: ${other}`)
  })
})

test('a long image reference is kept whole in the description while it fits CodeDeploy’s 512 characters', async () => {
  const { emulator } = e
  const tag = 'x'.repeat(300)
  const ref = `ghcr.io/acme/web:${tag}`
  const run = emulatedRun(emulator, {
    waitUntil: 'created',
    image: { ref, registry: 'ghcr.io', name: 'acme/web', tag }
  })
  expect((await run.deploy()).status).toBe('succeeded')
  const [create] = emulator.control.calls({ op: 'CreateDeployment' })
  expect(create?.params['description']).toMatch(
    new RegExp(
      `^deploy-action run [0-9a-f]{8}: ${ref}; task-definition web:2; ref refs/heads/main; sha [0-9a-f]{40}; run https://`
    )
  )
})

test('CodeDeploy names its rollback some polls after the failure: the rollback is still followed to its end', async () => {
  const { emulator } = e
  // 400 ms = 20 polls after the failure.
  emulator.control.configure({ rollbackInfoDelayMs: 400 })
  emulator.control.failNext({ at: 'AfterAllowTestTraffic' })
  const run = emulatedRun(emulator)
  const result = await run.deploy()
  expect(result.status).toBe('rolled-back')
  expect(result.message).toMatch(
    /Rollback deployment d-\w+ succeeded; live task definition: web:1; running tasks: web:1 ×2$/
  )
  const rollback = emulator.control.state().deployments.find((d) => d.creator === 'codeDeployRollback')
  expect(rollback?.status).toBe('Succeeded')
})

test('a user AppSpec in lower camel case (as the AWS CLI documents it) deploys', async () => {
  const { emulator } = e
  const appspecDocument = {
    version: 0.0,
    resources: [
      {
        TargetService: {
          type: 'AWS::ECS::Service',
          properties: { taskDefinition: '<filled in>', loadBalancerInfo: { containerName: 'web', containerPort: 80 } }
        }
      }
    ]
  }
  const run = emulatedRun(emulator, { appspecDocument })
  const result = await run.deploy()
  expect(result.status).toBe('succeeded')
  const [create] = emulator.control.calls({ op: 'CreateDeployment' })
  const revision = create?.params['revision'] as { appSpecContent: { content: string } }
  const sent = JSON.parse(revision.appSpecContent.content) as typeof appspecDocument
  expect(sent.resources[0]?.TargetService.properties.taskDefinition).toMatch(/task-definition\/web:2$/)
})

describe('ecs-blue-green against the emulator: the Baking status', () => {
  test("'traffic-shifted' ends while the deployment is Baking after the shift", async () => {
    const { emulator } = e
    emulator.control.configure({ bakingMs: 60_000 })
    const run = emulatedRun(emulator, { waitUntil: 'traffic-shifted', timeoutMinutes: 0.05 })
    const result = await run.deploy()
    expect(result.status).toBe('succeeded')
    const id = run.journal.data.deploymentId
    expect(emulator.control.state().deployments.find((d) => d.id === id)?.status).toBe('Baking')
    expect(emulator.control.calls({ op: 'StopDeployment' })).toEqual([])
  })

  test("'succeeded' waits through Baking: it is neither an end nor a failure", async () => {
    const { emulator } = e
    emulator.control.configure({ bakingMs: 200 })
    const run = emulatedRun(emulator)
    const result = await run.deploy()
    expect(result.status).toBe('succeeded')
    expect(run.log.matching(/Deployment d-\w+: Baking$/)).toHaveLength(1)
    expect(result.message).toMatch(/^Deployed web:2 to demo\/web-bg/)
  })
})

describe('ecs-blue-green against the emulator: verify-command', () => {
  const verify = { command: 'test -n "$DEPLOY_DEPLOYMENT_ID" && echo "checked $DEPLOY_TARGETS"', timeoutMs: 5000 }
  const liveTaskDefinition = (): string | undefined =>
    e.emulator.control.state().services.find((s) => s.name === 'web-bg')?.taskDefinition

  test('a group that stops at Ready: the gate runs there (real bash), then ContinueDeployment shifts traffic', async () => {
    const { emulator } = e
    emulator.control.configure({ readyWait: 'STOP' })
    const run = emulatedRun(emulator, { verify })
    const result = await run.deploy()
    expect(result.status).toBe('succeeded')
    expect(mutations(emulator)).toEqual(['RegisterTaskDefinition', 'CreateDeployment', 'ContinueDeployment'])
    expect(run.log.matching('checked demo/web-bg')).toHaveLength(1)
    expect(liveTaskDefinition()).toMatch(/task-definition\/web:2$/)
  })

  test('a group that stops at Ready: a failing gate stops the deployment with rollback; production never moved', async () => {
    const { emulator } = e
    emulator.control.configure({ readyWait: 'STOP' })
    const commands = fakeCommands([{ exitCode: 1, lines: ['checkout: HTTP 500'] }])
    const run = emulatedRun(emulator, { verify }, { runCommand: commands })
    const result = await run.deploy()
    expect(commands.runs).toHaveLength(1)
    expect(result.status).toBe('rolled-back')
    expect(result.message).toContain(
      'stopped in Ready, before production traffic moved: verify-command failed with exit code 1; last output: "checkout: HTTP 500"'
    )
    expect(mutations(emulator)).toEqual(['RegisterTaskDefinition', 'CreateDeployment', 'StopDeployment'])
    expect(liveTaskDefinition()).toMatch(/task-definition\/web:1$/)
  })

  test('a group that does not stop at Ready: the gate runs after the shift; a failure is reported, not rolled back', async () => {
    const { emulator } = e
    const commands = fakeCommands([{ exitCode: 1 }])
    const run = emulatedRun(emulator, { verify }, { runCommand: commands })
    const result = await run.deploy()
    expect(commands.runs).toHaveLength(1)
    expect(result.status).toBe('failed')
    expect(result.message).toContain('but verify-command failed with exit code 1. Not rolled back')
    expect(mutations(emulator)).toEqual(['RegisterTaskDefinition', 'CreateDeployment'])
    expect(liveTaskDefinition()).toMatch(/task-definition\/web:2$/)
  })
})
