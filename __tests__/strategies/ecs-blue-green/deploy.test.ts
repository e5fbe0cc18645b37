import { createHash } from 'node:crypto'
import {
  CreateDeploymentCommand,
  DeploymentLimitExceededException,
  GetDeploymentCommand,
  GetDeploymentTargetCommand,
  ListDeploymentsCommand,
  StopDeploymentCommand,
  ThrottlingException
} from '@aws-sdk/client-codedeploy'
import { ListTasksCommand, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs'
import type { EcsBlueGreenConfig } from '../../../src/strategies/ecs-blue-green/config.js'
import type { DeployResult } from '../../../src/types.js'
import { createEcsBlueGreen } from '../../../src/strategies/ecs-blue-green/index.js'
import { blueGreenConfig, harness, tdArn, type Harness } from '../ecs/helpers.js'
import { NEW_ID, ROLLBACK_ID, World, succeededUpTo } from './world.js'

function accessDenied(action: string): Error {
  return Object.assign(new Error(`User: arn:aws:sts::1:assumed-role/ci is not authorized to perform: ${action}`), {
    name: 'AccessDeniedException',
    $metadata: { httpStatusCode: 400 }
  })
}

const CONSOLE = `https://eu-west-1.console.aws.amazon.com/codesuite/codedeploy/deployments/${NEW_ID}?region=eu-west-1`

function setup(
  patch: Partial<EcsBlueGreenConfig> = {},
  env: NodeJS.ProcessEnv = {}
): { h: Harness; world: World; deploy: () => Promise<DeployResult> } {
  const h = harness(env)
  const world = new World(h)
  const strategy = createEcsBlueGreen(blueGreenConfig(patch), h.deps)
  return { h, world, deploy: () => strategy.deploy(h.ctx) }
}

/** A deployment that walks through its lifecycle and succeeds 12 s after creation. */
function happyTimeline(world: World): void {
  world.steps = [
    { at: 0, status: 'Created' },
    { at: 2_000, status: 'InProgress', events: succeededUpTo('BeforeInstall') },
    { at: 4_000, status: 'InProgress', events: succeededUpTo('AfterInstall') },
    { at: 6_000, status: 'InProgress', events: succeededUpTo('AllowTraffic'), green: 100 },
    {
      at: 8_000,
      status: 'InProgress',
      events: succeededUpTo('AfterAllowTraffic'),
      green: 100,
      targetStatus: 'Succeeded'
    },
    {
      at: 12_000,
      status: 'Succeeded',
      events: succeededUpTo('AfterAllowTraffic'),
      green: 100,
      targetStatus: 'Succeeded'
    }
  ]
}

describe('ecs-blue-green deploy: success paths', () => {
  test('creates the deployment with the AppSpec, outputs and journal first, then notices success within one interval', async () => {
    const { h, world, deploy } = setup({ deploymentConfig: 'CodeDeployDefault.ECSLinear10PercentEvery1Minutes' })
    happyTimeline(world)
    const result = await deploy()
    expect(result.status).toBe('succeeded')
    expect(result.message).toBe(`Deployed web:42 to demo/web with CodeDeploy deployment ${NEW_ID}`)
    // Succeeded at +12 s; polls at 0, 5, 10, 15 s: noticed 3 s later, less than one interval.
    expect(h.clock.sleeps).toEqual([5000, 5000, 5000])
    expect(h.clock.now() - (world.createdAt ?? 0) - 12_000).toBeLessThanOrEqual(5000)

    const create = h.cdMock.commandCalls(CreateDeploymentCommand)[0]?.args[0].input
    const content = create?.revision?.appSpecContent?.content ?? ''
    expect(create).toMatchObject({
      applicationName: 'AppECS-demo-web',
      deploymentGroupName: 'DgpECS-demo-web',
      deploymentConfigName: 'CodeDeployDefault.ECSLinear10PercentEvery1Minutes',
      revision: { revisionType: 'AppSpecContent' }
    })
    expect(create?.description).toMatch(
      new RegExp(
        '^deploy-action run [0-9a-f]{8}: registry\\.example\\.com/web:2\\.0\\.0; task-definition web:42; ref refs/heads/main; ' +
          'sha 0123456789abcdef0123456789abcdef01234567; run https://github\\.com/acme/shop/actions/runs/4242$'
      )
    )
    expect(create?.revision?.appSpecContent?.sha256).toBe(createHash('sha256').update(content).digest('hex'))
    const props = JSON.parse(content).Resources[0].TargetService.Properties
    expect(props.TaskDefinition).toBe(tdArn(42))
    expect(props.CapacityProviderStrategy).toHaveLength(2)

    expect(h.outputs).toEqual([
      ['previous-task-definition-arn', tdArn(41)],
      ['task-definition-arn', tdArn(42)],
      ['deployment-id', NEW_ID],
      ['console-url', CONSOLE]
    ])
    const firstWithId = h.journal.history.find((j) => j.deploymentId === NEW_ID)
    expect(firstWithId).toMatchObject({
      phase: 'deploying',
      taskDefinitionArn: tdArn(42),
      previousTaskDefinitionArn: tdArn(41)
    })
    expect(h.journal.data.phase).toBe('finished')

    expect(h.log.groups).toEqual([
      'Pre-flight ecs service demo/web',
      'Register task definition',
      'Create deployment',
      `Wait for deployment ${NEW_ID}`
    ])
    const [target] = result.targets
    expect(target).toMatchObject({ name: 'demo/web', before: 'web:41', after: 'web:42', outcome: 'deployed' })
    expect(target?.phases.map((p) => p.name)).toEqual([
      'preflight',
      'register',
      'create-deployment',
      'BeforeInstall',
      'Install',
      'AfterInstall',
      'AllowTestTraffic',
      'AfterAllowTestTraffic',
      'BeforeAllowTraffic',
      'AllowTraffic',
      'AfterAllowTraffic'
    ])
    expect(result.outputs).toMatchObject({ 'deployment-id': NEW_ID, 'console-url': CONSOLE })
    expect(result.links).toEqual([{ title: `CodeDeploy deployment ${NEW_ID}`, url: CONSOLE }])
    expect(result.sections?.[0]?.title).toBe('Task definition changes (web:41 → new revision)')
  })

  test('logs each change once: deployment status, lifecycle events, traffic', async () => {
    // Polled more often than the state changes: repeated reads must not repeat lines.
    const { h, world, deploy } = setup({ pollIntervalMs: 1000 })
    happyTimeline(world)
    await deploy()
    expect(h.log.matching(`Deployment ${NEW_ID}: InProgress`)).toHaveLength(1)
    expect(h.log.matching(`Deployment ${NEW_ID}: Succeeded`)).toHaveLength(1)
    expect(h.log.matching('BeforeInstall: Succeeded')).toHaveLength(1)
    expect(h.log.matching('info:   AllowTraffic: Succeeded (2 s)')).toHaveLength(1)
    expect(h.log.matching('Traffic: 100% on the new task set (green), 0% on the old (blue)')).toHaveLength(1)
    expect(h.log.matching(/: Pending/)).toHaveLength(0)
    expect(h.clock.sleeps.every((s) => s === 1000)).toBe(true)
  })

  test("wait-until 'created' returns right after creation without reading the deployment", async () => {
    const { h, deploy } = setup({ waitUntil: 'created' })
    const result = await deploy()
    expect(result.status).toBe('succeeded')
    expect(result.message).toContain('not waiting (wait-until: created)')
    // Only pre-flight's permission check read a deployment.
    expect(h.cdMock.commandCalls(GetDeploymentCommand).map((c) => c.args[0].input.deploymentId)).toEqual([
      'd-000000000'
    ])
    expect(h.clock.sleeps).toEqual([])
    expect(h.journal.data).toMatchObject({ deploymentId: NEW_ID, phase: 'finished' })
  })

  // Baking is undocumented but in the API's status list: like InProgress, not an end.
  test.each(['InProgress', 'Baking'] as const)(
    "wait-until 'traffic-shifted' stops when green has 100% while the deployment is still %s",
    async (status) => {
      const { h, world, deploy } = setup({ waitUntil: 'traffic-shifted' })
      world.steps = [
        { at: 0, status: 'InProgress', events: succeededUpTo('AfterInstall') },
        { at: 7_000, status, events: succeededUpTo('AfterAllowTraffic'), green: 100, targetStatus: 'Succeeded' },
        { at: 600_000, status: 'Succeeded', targetStatus: 'Succeeded' }
      ]
      const result = await deploy()
      expect(result.status).toBe('succeeded')
      expect(result.message).toBe(
        `Traffic shifted to web:42 on demo/web; deployment ${NEW_ID} is still ${status} until the old task set is removed`
      )
      expect(h.log.matching(`Deployment ${NEW_ID}: ${status}`)).toHaveLength(1)
      expect(h.clock.sleeps).toEqual([5000, 5000])
    }
  )

  test("wait-until 'traffic-shifted' does not end at AllowTraffic: it waits for AfterAllowTraffic to succeed", async () => {
    const { h, world, deploy } = setup({ waitUntil: 'traffic-shifted' })
    world.steps = [
      { at: 0, status: 'InProgress', events: succeededUpTo('AfterInstall') },
      { at: 3_000, status: 'InProgress', events: succeededUpTo('AllowTraffic'), green: 100 },
      { at: 12_000, status: 'InProgress', events: succeededUpTo('AfterAllowTraffic'), green: 100 }
    ]
    const result = await deploy()
    expect(result.status).toBe('succeeded')
    // AllowTraffic Succeeded at +5 s and +10 s; AfterAllowTraffic Succeeded first seen at +15 s.
    expect(h.clock.sleeps).toEqual([5000, 5000, 5000])
  })

  test("wait-until 'traffic-shifted' accepts an AfterAllowTraffic that CodeDeploy Skipped", async () => {
    const { h, world, deploy } = setup({ waitUntil: 'traffic-shifted' })
    world.steps = [
      { at: 0, status: 'InProgress', events: succeededUpTo('AfterInstall') },
      {
        at: 3_000,
        status: 'InProgress',
        events: { ...succeededUpTo('AllowTraffic'), AfterAllowTraffic: 'Skipped' },
        green: 100
      }
    ]
    const result = await deploy()
    expect(result.status).toBe('succeeded')
    expect(h.clock.sleeps).toEqual([5000])
  })

  test('a deployment waiting in Ready is logged once and waited for until someone continues it', async () => {
    const { h, world, deploy } = setup()
    world.group.blueGreenDeploymentConfiguration = {
      deploymentReadyOption: { actionOnTimeout: 'STOP_DEPLOYMENT', waitTimeInMinutes: 10 }
    }
    world.steps = [
      { at: 0, status: 'InProgress', events: succeededUpTo('Install') },
      { at: 5_000, status: 'Ready', targetStatus: 'Ready', events: succeededUpTo('AfterAllowTestTraffic') },
      // ContinueDeployment(READY_WAIT) arrives at +60 s
      { at: 60_000, status: 'InProgress', events: succeededUpTo('AllowTraffic'), green: 100 },
      {
        at: 70_000,
        status: 'Succeeded',
        events: succeededUpTo('AfterAllowTraffic'),
        green: 100,
        targetStatus: 'Succeeded'
      }
    ]
    const result = await deploy()
    expect(result.status).toBe('succeeded')
    expect(h.log.matching('waits up to 10 min in Ready')).toHaveLength(1)
    expect(h.log.matching(`Deployment ${NEW_ID} is Ready`)).toHaveLength(1)
    expect(h.log.matching('ContinueDeployment (READY_WAIT)').length).toBeGreaterThanOrEqual(1)
    expect(h.clock.now() - (world.createdAt ?? 0)).toBe(70_000)
    expect(h.cdMock.commandCalls(StopDeploymentCommand)).toHaveLength(0)
  })

  test('throttling that survives the SDK is outlasted with a warning', async () => {
    const { h, world, deploy } = setup()
    happyTimeline(world)
    const throttle = new ThrottlingException({ message: 'Rate exceeded', $metadata: { httpStatusCode: 400 } })
    let calls = 0
    const real = world.info.bind(world)
    h.cdMock.on(GetDeploymentCommand).callsFake(async () => {
      calls++
      // Call 1 is pre-flight's permission check; 2 is the first poll.
      if (calls === 3 || calls === 4) throw throttle
      return { deploymentInfo: real() }
    })
    const result = await deploy()
    expect(result.status).toBe('succeeded')
    expect(h.log.matching('ThrottlingException: Rate exceeded (transient; retrying)')).toHaveLength(2)
    expect(h.clock.sleeps).toEqual([5000, 10000, 20000])
  })

  test('a task definition file and an AppSpec file are used as given (only TaskDefinition replaced)', async () => {
    const { fixture } = await import('../ecs/helpers.js')
    const { h, world, deploy } = setup({
      taskDefinitionDocument: fixture('task-definition-file.json'),
      appspecDocument: fixture('appspec.json')
    })
    happyTimeline(world)
    await deploy()
    const registered = h.ecsMock.commandCalls(RegisterTaskDefinitionCommand)[0]?.args[0].input as unknown as Record<
      string,
      unknown
    >
    expect(registered.cpu).toBe('512')
    expect(registered).not.toHaveProperty('taskDefinitionArn')
    const content = h.cdMock.commandCalls(CreateDeploymentCommand)[0]?.args[0].input.revision?.appSpecContent?.content
    const appspec = JSON.parse(content ?? '{}')
    expect(appspec.Hooks).toEqual([
      { AfterAllowTestTraffic: 'arn:aws:lambda:eu-west-1:123456789012:function:smoke-test' }
    ])
    expect(appspec.Resources[0].TargetService.Properties).toEqual({
      TaskDefinition: tdArn(42),
      LoadBalancerInfo: { ContainerName: 'web', ContainerPort: 80 },
      PlatformVersion: '1.4.0'
    })
  })
})

describe('ecs-blue-green deploy: dry run and pre-flight', () => {
  test('dry-run stops after pre-flight with the diff and the AppSpec', async () => {
    const { h, deploy } = setup({ dryRun: true })
    const result = await deploy()
    expect(result.status).toBe('planned')
    expect(result.targets[0]?.outcome).toBe('planned')
    expect(h.ecsMock.commandCalls(RegisterTaskDefinitionCommand)).toHaveLength(0)
    expect(h.cdMock.commandCalls(CreateDeploymentCommand)).toHaveLength(0)
    expect(result.sections?.map((s) => s.title)).toEqual([
      'Task definition changes (web:41 → new revision)',
      'AppSpec that would be sent'
    ])
    expect(result.sections?.[0]?.body).toContain('container `web` image')
    expect(result.sections?.[1]?.body).toContain('"CapacityProvider": "FARGATE_SPOT"')
  })

  test("warns when 'wait-until: succeeded' cannot fit the group's ready and termination waits in the timeout", async () => {
    const { h, world, deploy } = setup({ dryRun: true, timeoutMinutes: 30 })
    world.group.blueGreenDeploymentConfiguration = {
      deploymentReadyOption: { actionOnTimeout: 'STOP_DEPLOYMENT', waitTimeInMinutes: 10 },
      terminateBlueInstancesOnDeploymentSuccess: { action: 'TERMINATE', terminationWaitTimeInMinutes: 60 }
    }
    await deploy()
    expect(
      h.log.matching(
        /warning: 'wait-until: succeeded' waits .* \(70 min in all\), longer than 'timeout-minutes' \(30 min\)/
      )
    ).toHaveLength(1)
  })

  test('a pre-flight failure registers nothing and reports the service untouched', async () => {
    const { h, world, deploy } = setup()
    world.service = { ...world.service, deploymentController: { type: 'ECS' } }
    const result = await deploy()
    expect(result.status).toBe('failed')
    expect(result.message).toContain("use strategy 'ecs-rolling'")
    expect(result.targets[0]).toMatchObject({ outcome: 'untouched', state: 'nothing deployed' })
    expect(h.ecsMock.commandCalls(RegisterTaskDefinitionCommand)).toHaveLength(0)
  })
})

describe('ecs-blue-green deploy: an active deployment in the group', () => {
  test("'stop-previous' plans again after the other deployment ended: its rollback changed the live task definition", async () => {
    const { h, world, deploy } = setup({ onActiveDeployment: 'stop-previous', waitUntil: 'created' })
    world.active = [['d-OLD'], ['d-OLD'], []]
    h.cdMock.on(StopDeploymentCommand).callsFake(async () => {
      world.service = { ...world.service, taskDefinition: tdArn(40) }
      return { status: 'Pending' }
    })
    const result = await deploy()
    expect(result.status).toBe('succeeded')
    const previous = h.outputs.filter(([name]) => name === 'previous-task-definition-arn').map(([, v]) => v)
    expect(previous).toEqual([tdArn(41), tdArn(40)])
    expect(result.targets[0]?.before).toBe('web:40')
  })

  test("'fail' names the active deployment with its console link, before registering anything", async () => {
    const { h, world, deploy } = setup({ onActiveDeployment: 'fail' })
    world.active = [['d-OLD']]
    const result = await deploy()
    expect(result.status).toBe('failed')
    expect(result.message).toContain(
      'Deployment group AppECS-demo-web/DgpECS-demo-web already has an active deployment: d-OLD (https://eu-west-1.console.aws.amazon.com/codesuite/codedeploy/deployments/d-OLD?region=eu-west-1)'
    )
    expect(h.ecsMock.commandCalls(RegisterTaskDefinitionCommand)).toHaveLength(0)
    expect(h.cdMock.commandCalls(CreateDeploymentCommand)).toHaveLength(0)
  })

  test("'wait' polls until the group is free, then deploys", async () => {
    const { h, world, deploy } = setup({ onActiveDeployment: 'wait', waitUntil: 'created' })
    // pre-flight sees it, and the wait's first two checks; then it is gone (and stays gone)
    world.active = [['d-OLD'], ['d-OLD'], ['d-OLD'], []]
    const result = await deploy()
    expect(result.status).toBe('succeeded')
    expect(h.cdMock.commandCalls(StopDeploymentCommand)).toHaveLength(0)
    expect(h.cdMock.commandCalls(ListDeploymentsCommand)[0]?.args[0].input.includeOnlyStatuses).toEqual([
      'Created',
      'Queued',
      'InProgress',
      'Baking',
      'Ready'
    ])
    expect(h.clock.sleeps).toEqual([5000, 5000])
    expect(h.log.matching('Waiting for active deployment d-OLD to end')).toHaveLength(1)
    expect(h.cdMock.commandCalls(CreateDeploymentCommand)).toHaveLength(1)
    // planned again once the group was free: the live task definition may have changed meanwhile
    expect(h.log.groups.filter((g) => g.startsWith('Pre-flight ecs service'))).toEqual([
      'Pre-flight ecs service demo/web',
      'Pre-flight ecs service demo/web again'
    ])
  })

  test("'stop-previous' stops it with rollback, waits for it to end, then deploys", async () => {
    const { h, world, deploy } = setup({ onActiveDeployment: 'stop-previous', waitUntil: 'created' })
    world.active = [['d-OLD'], ['d-OLD'], []]
    const result = await deploy()
    expect(result.status).toBe('succeeded')
    expect(h.cdMock.commandCalls(StopDeploymentCommand).map((c) => c.args[0].input)).toEqual([
      { deploymentId: 'd-OLD', autoRollbackEnabled: true }
    ])
    expect(h.cdMock.commandCalls(CreateDeploymentCommand)).toHaveLength(1)
    expect(h.clock.sleeps).toEqual([5000])
  })

  test("a DeploymentLimitExceeded race is handled like an active deployment ('wait')", async () => {
    const { h, world, deploy } = setup({ onActiveDeployment: 'wait', waitUntil: 'created' })
    world.createErrors = [
      new DeploymentLimitExceededException({
        message: "The Deployment Group 'DgpECS-demo-web' already has an active Deployment 'd-RACE1'",
        $metadata: {}
      })
    ]
    world.active = [[], [], ['d-RACE1'], []]
    const result = await deploy()
    expect(result.status).toBe('succeeded')
    expect(h.log.matching('DeploymentLimitExceededException')).toHaveLength(1)
    expect(h.cdMock.commandCalls(CreateDeploymentCommand)).toHaveLength(2)
    expect(h.clock.sleeps).toEqual([5000])
  })

  test("a DeploymentLimitExceeded race with 'fail' names the deployment that got in first", async () => {
    const { world, deploy } = setup({ onActiveDeployment: 'fail', waitUntil: 'created' })
    world.createErrors = [
      new DeploymentLimitExceededException({
        message: "The Deployment Group 'DgpECS-demo-web' already has an active Deployment 'd-RACE1'",
        $metadata: {}
      })
    ]
    const result = await deploy()
    expect(result.status).toBe('failed')
    expect(result.message).toContain('already has an active deployment: d-RACE1 (https://')
    expect(result.targets[0]?.outcome).toBe('untouched')
  })
})

describe('ecs-blue-green deploy: failures, timeouts, cancellation', () => {
  test('a failed deployment is explained (error, lifecycle event, stopped tasks, events) and CodeDeploy’s rollback followed', async () => {
    const { h, world, deploy } = setup()
    const since = h.clock.now()
    world.steps = [
      { at: 0, status: 'InProgress', events: succeededUpTo('AllowTestTraffic') },
      {
        at: 8_000,
        status: 'Failed',
        events: { ...succeededUpTo('AllowTestTraffic'), AfterAllowTestTraffic: 'Failed' },
        errorInformation: { code: 'HOOK_EXECUTION_FAILURE', message: 'The smoke-test Lambda reported Failed' }
      }
    ]
    world.autoRollbackAt = 8_000
    world.stoppedTasks = [
      {
        taskArn: 'arn:aws:ecs:eu-west-1:1:task/demo/t1',
        taskDefinitionArn: tdArn(42),
        stoppedReason: 'CannotPullContainerError: registry.example.com/web:2.0.0: not found',
        stoppedAt: new Date(since + 5_000),
        containers: [{ name: 'web' }]
      }
    ]
    world.service = {
      ...world.service,
      events: [{ id: 'e1', createdAt: new Date(since + 6_000), message: '(service web) failed to launch a task' }]
    }
    const result = await deploy()

    expect(result.status).toBe('rolled-back')
    expect(result.message).toBe(
      `Deployment ${NEW_ID} failed at AfterAllowTestTraffic: HOOK_EXECUTION_FAILURE: The smoke-test Lambda reported Failed; task stopped: CannotPullContainerError: registry.example.com/web:2.0.0: not found. Rollback deployment ${ROLLBACK_ID} succeeded; live task definition: web:41; running tasks: web:41 ×2`
    )
    const why = result.sections?.find((s) => s.title === 'Why the deployment failed')?.body ?? ''
    expect(why).toContain('HOOK\\_EXECUTION\\_FAILURE')
    expect(why).toContain('CannotPullContainerError')
    expect(why).toContain('failed to launch a task')
    expect(h.log.matching('CannotPullContainerError').length).toBeGreaterThan(0)
    expect(world.stopCalls).toEqual([NEW_ID])
    expect(result.targets[0]).toMatchObject({ outcome: 'rolled-back', before: 'web:41', after: 'web:42' })
    expect(result.targets[0]?.phases.find((p) => p.name === 'AfterAllowTestTraffic')).toMatchObject({ ok: false })
    expect(result.targets[0]?.phases.at(-1)?.name).toBe('rollback')
    expect(h.journal.data.phase).toBe('finished')
  })

  test('AccessDenied while following fails at once and leaves the deployment running, saying how to see it', async () => {
    const { h, world, deploy } = setup()
    const real = world.info.bind(world)
    h.cdMock.on(GetDeploymentCommand).callsFake(async (input: { deploymentId: string }) => {
      // The pre-flight read passed; the role loses the permission once the deployment exists.
      if (input.deploymentId === NEW_ID) throw accessDenied('codedeploy:GetDeployment')
      return { deploymentInfo: real() }
    })
    const result = await deploy()
    expect(result.status).toBe('failed')
    expect(result.message).toBe(
      `Could not read deployment ${NEW_ID}: AccessDeniedException: User: arn:aws:sts::1:assumed-role/ci is not authorized to perform: codedeploy:GetDeployment. Deployment ${NEW_ID} was left running, neither stopped nor rolled back (it may be healthy); see its state at ${CONSOLE} or with 'aws deploy get-deployment --deployment-id ${NEW_ID} --region eu-west-1'`
    )
    expect(h.clock.sleeps).toEqual([])
    // A deployment that may be healthy is not stopped, here or by the post step.
    expect(h.cdMock.commandCalls(StopDeploymentCommand)).toHaveLength(0)
    expect(h.journal.data).toMatchObject({ deploymentId: NEW_ID, phase: 'finished' })
    expect(result.targets[0]).toMatchObject({
      outcome: 'failed',
      state: `deployment ${NEW_ID} left running, state unknown`
    })
  })

  test('pre-flight reads a deployment first: without codedeploy:GetDeployment nothing is registered or created', async () => {
    const { h, world, deploy } = setup()
    world.group = { ...world.group, lastAttemptedDeployment: { deploymentId: 'd-LAST00001', status: 'Succeeded' } }
    h.cdMock.on(GetDeploymentCommand).rejects(accessDenied('codedeploy:GetDeployment'))
    const result = await deploy()
    expect(result.status).toBe('failed')
    expect(result.message).toBe(
      'Cannot read CodeDeploy deployments (codedeploy:GetDeployment), which following the deployment needs; nothing was changed: AccessDeniedException: User: arn:aws:sts::1:assumed-role/ci is not authorized to perform: codedeploy:GetDeployment'
    )
    expect(h.cdMock.commandCalls(GetDeploymentCommand)[0]?.args[0].input).toEqual({ deploymentId: 'd-LAST00001' })
    expect(h.ecsMock.commandCalls(RegisterTaskDefinitionCommand)).toHaveLength(0)
    expect(h.cdMock.commandCalls(CreateDeploymentCommand)).toHaveLength(0)
    expect(result.targets[0]?.outcome).toBe('untouched')
  })

  test('a timeout in the termination wait, traffic fully shifted, is not rolled back: the shift is reported', async () => {
    const { h, world, deploy } = setup({ timeoutMinutes: 1 })
    world.steps = [
      { at: 0, status: 'InProgress', events: succeededUpTo('AfterInstall') },
      {
        at: 20_000,
        status: 'InProgress',
        events: succeededUpTo('AfterAllowTraffic'),
        green: 100,
        targetStatus: 'Succeeded'
      }
    ]
    const result = await deploy()
    expect(h.cdMock.commandCalls(StopDeploymentCommand)).toHaveLength(0)
    expect(result.status).toBe('succeeded')
    expect(result.message).toBe(
      `Traffic shifted to web:42 on demo/web; deployment ${NEW_ID} is still InProgress after 1 min: the original task set is not terminated yet (the group's termination wait); not rolled back`
    )
    expect(h.log.matching(`warning: Deployment ${NEW_ID} did not finish within 1 min`)).toHaveLength(1)
    expect(result.targets[0]?.outcome).toBe('deployed')
    expect(h.journal.data.phase).toBe('finished')
  })

  test('a timeout stops the deployment with rollback and follows the rollback', async () => {
    const { h, world, deploy } = setup({ timeoutMinutes: 1 })
    world.steps = [{ at: 0, status: 'InProgress', events: succeededUpTo('Install') }]
    const result = await deploy()
    expect(world.stoppedAt! - h.clock.start).toBe(60_000)
    expect(h.cdMock.commandCalls(StopDeploymentCommand)[0]?.args[0].input).toEqual({
      deploymentId: NEW_ID,
      autoRollbackEnabled: true
    })
    expect(result.status).toBe('rolled-back')
    expect(result.message).toContain(`Deployment ${NEW_ID} did not reach 'succeeded' within 1 min (status InProgress)`)
    expect(result.message).toContain(`Rollback deployment ${ROLLBACK_ID} succeeded; live task definition: web:41`)
    expect(h.log.groups).toContain(`Roll back deployment ${NEW_ID}`)
    expect(h.journal.history.some((j) => j.phase === 'rolling-back')).toBe(true)
    expect(h.journal.data.phase).toBe('finished')
  })

  test('a rollback deployment that ends Failed is failed, not rolled-back, whatever the service points at', async () => {
    const { world, deploy } = setup({ timeoutMinutes: 1 })
    world.steps = [{ at: 0, status: 'InProgress', events: succeededUpTo('Install') }]
    world.rollbackEnds = 'Failed'
    const result = await deploy()
    expect(result.status).toBe('failed')
    expect(result.targets[0]?.outcome).toBe('failed')
    expect(result.message).toContain(`Rollback deployment ${ROLLBACK_ID} ended Failed`)
  })

  test('with rollback-on-failure false a timeout leaves the deployment running and says so', async () => {
    const { h, world, deploy } = setup({ timeoutMinutes: 1, rollbackOnFailure: false })
    world.steps = [{ at: 0, status: 'InProgress' }]
    const result = await deploy()
    expect(h.cdMock.commandCalls(StopDeploymentCommand)).toHaveLength(0)
    expect(result.status).toBe('failed')
    expect(result.message).toContain(
      `Not rolled back (rollback-on-failure: false): deployment ${NEW_ID} is left InProgress; live task definition: web:41`
    )
  })

  test('a failure without any rollback deployment, new task set still live, reports failed with the live state', async () => {
    const { h, world, deploy } = setup()
    world.steps = [
      { at: 0, status: 'InProgress' },
      { at: 3_000, status: 'Failed', errorInformation: { code: 'ECS_UPDATE_ERROR', message: 'boom' } }
    ]
    world.service = { ...world.service, taskSets: [{ status: 'PRIMARY', taskDefinition: tdArn(42) }] }
    const result = await deploy()
    expect(result.status).toBe('failed')
    expect(result.targets[0]?.outcome).toBe('failed')
    expect(result.message).toContain('CodeDeploy created no rollback deployment; live task definition: web:42')
    // The deployment does not roll back by itself and none was requested: no waiting for a rollback id.
    expect(h.clock.sleeps).toEqual([5000])
  })

  // CodeDeploy rolls back by itself as the deployment's settings say; it may name the rollback well after the end.
  test.each([
    ['Failed', 'DEPLOYMENT_FAILURE', 'HEALTH_CONSTRAINTS'],
    ['Stopped', 'DEPLOYMENT_STOP_ON_ALARM', 'ALARM_ACTIVE']
  ] as const)(
    'a deployment that ended %s (%s): its late-named rollback is waited for, then followed',
    async (status, event, code) => {
      const { h, world, deploy } = setup()
      world.autoRollbackConfiguration = { enabled: true, events: [event] }
      world.steps = [
        { at: 0, status: 'InProgress', events: succeededUpTo('Install') },
        { at: 3_000, status, errorInformation: { code, message: 'it went wrong' } }
      ]
      // Named 40 s (8 polls) after the end was first seen.
      world.autoRollbackAt = 45_000
      const result = await deploy()
      expect(result.status).toBe('rolled-back')
      expect(result.message).toContain(`Rollback deployment ${ROLLBACK_ID} succeeded; live task definition: web:41`)
      expect(
        h.log.matching(`Deployment ${NEW_ID} ended ${status}; waiting for CodeDeploy to name its rollback`)
      ).toHaveLength(1)
    }
  )

  test('a rollback that is due but never named is given up after the grace, saying so', async () => {
    const { h, world, deploy } = setup()
    world.autoRollbackConfiguration = { enabled: true, events: ['DEPLOYMENT_FAILURE'] }
    world.steps = [
      { at: 0, status: 'InProgress' },
      { at: 3_000, status: 'Failed', errorInformation: { code: 'HEALTH_CONSTRAINTS', message: 'unhealthy' } }
    ]
    world.service = { ...world.service, taskSets: [{ status: 'PRIMARY', taskDefinition: tdArn(42) }] }
    const result = await deploy()
    expect(result.status).toBe('failed')
    expect(result.message).toContain('CodeDeploy created no rollback deployment (none named within 2 min of the end)')
    // Failure seen at +5 s; given up 2 min later.
    expect(h.clock.now() - h.clock.start).toBe(5_000 + 120_000)
  })

  test('cancellation stops the deployment with rollback and follows the rollback to its end', async () => {
    const { h, world, deploy } = setup()
    world.steps = [{ at: 0, status: 'InProgress', events: succeededUpTo('Install') }]
    h.clock.onSleep = () => {
      if (h.clock.sleeps.length === 2) h.controller.abort()
    }
    const result = await deploy()
    expect(world.stoppedAt! - h.clock.start).toBe(10_000)
    expect(result.status).toBe('rolled-back')
    expect(result.message).toContain(`The job was cancelled while deployment ${NEW_ID} was InProgress`)
    expect(result.message).toContain(`Rollback deployment ${ROLLBACK_ID} succeeded`)
    // The rollback was followed on the clock although the signal had aborted (not a busy loop, not skipped).
    expect(h.clock.now() - world.stoppedAt!).toBeGreaterThanOrEqual(world.rollbackTakesMs)
    // No diagnostics (stopped tasks) on cancellation; only the running tasks that verify the rollback.
    expect(h.ecsMock.commandCalls(ListTasksCommand).map((c) => c.args[0].input.desiredStatus)).toEqual(['RUNNING'])
  })

  test('the deployment target may be unreadable (permissions): progress is skipped, the deploy goes on', async () => {
    const { h, world, deploy } = setup()
    happyTimeline(world)
    h.cdMock.on(GetDeploymentTargetCommand).rejects(
      Object.assign(new Error('not authorized'), {
        name: 'AccessDeniedException',
        $metadata: { httpStatusCode: 400 }
      })
    )
    const result = await deploy()
    expect(result.status).toBe('succeeded')
    expect(h.log.matching('Cannot read the deployment target (AccessDeniedException: not authorized)')).toHaveLength(1)
    expect(h.cdMock.commandCalls(GetDeploymentTargetCommand)).toHaveLength(1)
  })
})
