import {
  BatchGetDeploymentTargetsCommand,
  BatchGetDeploymentsCommand,
  ContinueDeploymentCommand,
  CreateDeploymentCommand,
  type CreateDeploymentCommandInput,
  type DeploymentInfo,
  type ECSTarget,
  GetApplicationCommand,
  GetDeploymentCommand,
  GetDeploymentGroupCommand,
  GetDeploymentTargetCommand,
  ListDeploymentTargetsCommand,
  ListDeploymentsCommand,
  StopDeploymentCommand
} from '@aws-sdk/client-codedeploy'
import {
  DescribeServicesCommand,
  DescribeTasksCommand,
  ListTasksCommand,
  RegisterTaskDefinitionCommand
} from '@aws-sdk/client-ecs'
import { APP, GROUP, type Setup, TD_WEB_1, appSpec, pollUntil, setUp, sha256, tearDown } from './helpers.js'

let s: Setup
beforeAll(async () => {
  s = await setUp()
})
afterAll(() => tearDown(s))
beforeEach(() => {
  s.emulator.control.reset()
})

async function registerWeb(image = 'public.ecr.aws/nginx/nginx:1.28'): Promise<string> {
  const out = await s.ecs.send(
    new RegisterTaskDefinitionCommand({
      family: 'web',
      networkMode: 'awsvpc',
      requiresCompatibilities: ['FARGATE'],
      cpu: '256',
      memory: '512',
      containerDefinitions: [
        { name: 'web', image, essential: true, portMappings: [{ containerPort: 80, hostPort: 80 }] }
      ]
    })
  )
  return out.taskDefinition?.taskDefinitionArn ?? ''
}

async function create(content: string, extra: Partial<CreateDeploymentCommandInput> = {}): Promise<string> {
  const out = await s.codedeploy.send(
    new CreateDeploymentCommand({
      applicationName: APP,
      deploymentGroupName: GROUP,
      revision: { revisionType: 'AppSpecContent', appSpecContent: { content, sha256: sha256(content) } },
      ...extra
    })
  )
  return out.deploymentId ?? ''
}

async function deployment(id: string): Promise<DeploymentInfo> {
  const out = await s.codedeploy.send(new GetDeploymentCommand({ deploymentId: id }))
  return out.deploymentInfo ?? {}
}

async function target(id: string): Promise<ECSTarget> {
  const out = await s.codedeploy.send(new GetDeploymentTargetCommand({ deploymentId: id, targetId: 'demo:web-bg' }))
  return out.deploymentTarget?.ecsTarget ?? {}
}

/** The target, or `{}` while the deployment has not started (DeploymentNotStartedException). */
async function startedTarget(id: string): Promise<ECSTarget> {
  return target(id).catch((error: Error) => {
    if (error.name === 'DeploymentNotStartedException') return {}
    throw error
  })
}

async function webBg(): Promise<NonNullable<import('@aws-sdk/client-ecs').Service>> {
  const out = await s.ecs.send(new DescribeServicesCommand({ cluster: 'demo', services: ['web-bg'] }))
  const service = out.services?.[0]
  if (!service) throw new Error('web-bg missing')
  return service
}

const finished = (d: DeploymentInfo): boolean => ['Succeeded', 'Failed', 'Stopped'].includes(d.status ?? '')

async function rejection(promise: Promise<unknown>): Promise<{ name: string; message: string; attempts?: number }> {
  try {
    await promise
  } catch (error) {
    const e = error as { name: string; message: string; $metadata?: { attempts?: number } }
    return {
      name: e.name,
      message: e.message,
      ...(e.$metadata?.attempts !== undefined ? { attempts: e.$metadata.attempts } : {})
    }
  }
  throw new Error('expected a rejection')
}

describe('deployment group and application', () => {
  test('GetDeploymentGroup describes the ECS blue/green group of the standard fixture', async () => {
    const out = await s.codedeploy.send(
      new GetDeploymentGroupCommand({ applicationName: APP, deploymentGroupName: GROUP })
    )
    const info = out.deploymentGroupInfo
    expect(info?.computePlatform).toBe('ECS')
    expect(info?.deploymentStyle).toEqual({ deploymentType: 'BLUE_GREEN', deploymentOption: 'WITH_TRAFFIC_CONTROL' })
    expect(info?.ecsServices).toEqual([{ serviceName: 'web-bg', clusterName: 'demo' }])
    expect(info?.loadBalancerInfo?.targetGroupPairInfoList?.[0]?.targetGroups).toEqual([
      { name: 'web-bg-blue' },
      { name: 'web-bg-green' }
    ])
    expect(info?.blueGreenDeploymentConfiguration?.deploymentReadyOption?.actionOnTimeout).toBe('CONTINUE_DEPLOYMENT')
    expect(info?.blueGreenDeploymentConfiguration?.terminateBlueInstancesOnDeploymentSuccess).toEqual({
      action: 'TERMINATE',
      terminationWaitTimeInMinutes: 5
    })
    const app = await s.codedeploy.send(new GetApplicationCommand({ applicationName: APP }))
    expect(app.application?.computePlatform).toBe('ECS')
    expect(app.application?.createTime).toBeInstanceOf(Date)
  })

  test.each([
    [
      { applicationName: 'nope', deploymentGroupName: GROUP },
      'ApplicationDoesNotExistException',
      'No application found for name: nope'
    ],
    [
      { applicationName: APP, deploymentGroupName: 'nope' },
      'DeploymentGroupDoesNotExistException',
      'No Deployment Group found for name: nope'
    ],
    [{ deploymentGroupName: GROUP }, 'ApplicationNameRequiredException', undefined],
    [{ applicationName: APP }, 'DeploymentGroupNameRequiredException', undefined]
  ])('GetDeploymentGroup %j fails with %s', async (input, name, message) => {
    const error = await rejection(s.codedeploy.send(new GetDeploymentGroupCommand(input as never)))
    expect(error.name).toBe(name)
    if (message !== undefined) expect(error.message).toBe(message)
  })
})

describe('CreateDeployment validation', () => {
  const content = appSpec(TD_WEB_1)
  test.each([
    ['unknown application', 'ApplicationDoesNotExistException', { applicationName: 'nope' }],
    ['unknown group', 'DeploymentGroupDoesNotExistException', { deploymentGroupName: 'nope' }],
    ['no revision', 'RevisionRequiredException', { revision: undefined }],
    [
      'sha256 of other content',
      'InvalidRevisionException',
      { revision: { revisionType: 'AppSpecContent', appSpecContent: { content, sha256: sha256(content + ' ') } } }
    ],
    [
      'S3 revision',
      'InvalidRevisionException',
      { revision: { revisionType: 'S3', s3Location: { bucket: 'b', key: 'k' } } }
    ],
    ['unknown deployment config', 'DeploymentConfigDoesNotExistException', { deploymentConfigName: 'Mine.Fast' }],
    [
      'EC2 deployment config',
      'InvalidDeploymentConfigNameException',
      { deploymentConfigName: 'CodeDeployDefault.OneAtATime' }
    ],
    ['a description of 513 characters', 'DescriptionTooLongException', { description: 'd'.repeat(513) }]
  ])('%s → %s', async (_case, name, override) => {
    const error = await rejection(create(content, override as Partial<CreateDeploymentCommandInput>))
    expect(error.name).toBe(name)
    if (name === 'RevisionRequiredException') expect(error.message).toBe('RevisionLocation must be specified')
    expect(s.emulator.control.state().deployments).toHaveLength(0)
  })

  test('only one active deployment per deployment group', async () => {
    s.emulator.control.configure({ stepMs: 500 })
    const first = await create(appSpec(TD_WEB_1))
    const error = await rejection(create(appSpec(TD_WEB_1)))
    expect(error).toMatchObject({
      name: 'DeploymentLimitExceededException',
      message: `The Deployment Group '${GROUP}' already has an active Deployment '${first}'`
    })
  })
})

describe('the blue/green lifecycle', () => {
  test('walks the events in order, shifts traffic, holds the termination wait, then succeeds', async () => {
    s.emulator.control.configure({ stepMs: 300, terminationWaitMs: 60_000 })
    const green = await registerWeb()
    const id = await create(appSpec(green), { description: 'release 2' })
    expect(id).toMatch(/^d-[A-Z0-9]{9}$/)

    // Created: no targets yet.
    const created = await deployment(id)
    expect(created.status).toBe('Created')
    expect(created.createTime).toBeInstanceOf(Date)
    expect(created.revision?.appSpecContent?.content).toBeUndefined()
    for (const call of [
      s.codedeploy.send(new ListDeploymentTargetsCommand({ deploymentId: id })),
      s.codedeploy.send(new GetDeploymentTargetCommand({ deploymentId: id, targetId: 'demo:web-bg' }))
    ]) {
      expect((await rejection(call)).name).toBe('DeploymentNotStartedException')
    }

    s.emulator.control.configure({ stepMs: 30 })
    const targets = await pollUntil(
      () => s.codedeploy.send(new ListDeploymentTargetsCommand({ deploymentId: id })).catch(() => ({ targetIds: [] })),
      (out) => (out.targetIds ?? []).length > 0
    )
    expect(targets.targetIds).toEqual(['demo:web-bg'])

    // Termination wait: target Succeeded, green has all traffic, the deployment is still InProgress.
    const waiting = await pollUntil(
      () => startedTarget(id),
      (t) => t.status === 'Succeeded'
    )
    const info = await deployment(id)
    expect(info.status).toBe('InProgress')
    expect(info.instanceTerminationWaitTimeStarted).toBe(false)
    expect(info.startTime).toBeInstanceOf(Date)
    const sets = Object.fromEntries((waiting.taskSetsInfo ?? []).map((ts) => [ts.taskSetLabel, ts]))
    expect(sets['Green']).toMatchObject({
      trafficWeight: 100,
      status: 'PRIMARY',
      targetGroup: { name: 'web-bg-green' }
    })
    expect(sets['Blue']).toMatchObject({ trafficWeight: 0, status: 'ACTIVE', targetGroup: { name: 'web-bg-blue' } })
    expect(sets['Green']?.identifer).toMatch(/^ecs-svc\/\d{19}$/)

    const events = waiting.lifecycleEvents ?? []
    expect(events.map((e) => e.lifecycleEventName)).toEqual([
      'BeforeInstall',
      'Install',
      'AfterInstall',
      'AllowTestTraffic',
      'AfterAllowTestTraffic',
      'BeforeAllowTraffic',
      'AllowTraffic',
      'AfterAllowTraffic'
    ])
    expect(events.every((e) => e.status === 'Succeeded')).toBe(true)
    const starts = events.map((e) => e.startTime?.getTime() ?? NaN)
    expect(starts.every((t, i) => i === 0 || t >= (starts[i - 1] ?? Infinity))).toBe(true)
    expect(events[0]?.startTime).toBeInstanceOf(Date)

    // The service already runs the new task definition; blue is still there.
    let service = await webBg()
    expect(service.taskDefinition).toBe(green)
    expect(service.taskSets).toHaveLength(2)

    // ContinueDeployment(TERMINATION_WAIT) ends the wait: blue is deleted, the deployment succeeds.
    await s.codedeploy.send(new ContinueDeploymentCommand({ deploymentId: id, deploymentWaitType: 'TERMINATION_WAIT' }))
    const done = await pollUntil(() => deployment(id), finished)
    expect(done.status).toBe('Succeeded')
    expect(done.completeTime).toBeInstanceOf(Date)
    expect(done.deploymentOverview).toMatchObject({ Succeeded: 1, Failed: 0 })
    service = await webBg()
    expect(service.taskSets).toEqual([
      expect.objectContaining({ status: 'PRIMARY', externalId: id, taskDefinition: green })
    ])
    expect(service.platformVersion).toBe('1.4.0')
    expect(service.capacityProviderStrategy).toEqual([{ capacityProvider: 'FARGATE', base: 0, weight: 1 }])
    expect((await rejection(s.codedeploy.send(new StopDeploymentCommand({ deploymentId: id })))).name).toBe(
      'DeploymentAlreadyCompletedException'
    )
  })

  test('reports each deployment status in order: Created → InProgress → Succeeded', async () => {
    const id = await create(appSpec(await registerWeb()))
    const seen: string[] = []
    await pollUntil(
      () => deployment(id),
      (d) => {
        if (seen.at(-1) !== d.status) seen.push(d.status ?? '')
        return finished(d)
      }
    )
    expect(seen).toEqual(['Created', 'InProgress', 'Succeeded'])
  })

  test('a canary configuration shifts 10 % first', async () => {
    s.emulator.control.configure({ stepMs: 120 })
    const id = await create(appSpec(await registerWeb()), {
      deploymentConfigName: 'CodeDeployDefault.ECSCanary10Percent5Minutes'
    })
    const weights = new Set<number>()
    await pollUntil(
      () => startedTarget(id),
      (t) => {
        const green = t.taskSetsInfo?.find((ts) => ts.taskSetLabel === 'Green')
        if (green?.trafficWeight !== undefined) weights.add(green.trafficWeight)
        return t.status === 'Succeeded'
      },
      8000
    )
    expect([...weights]).toEqual([0, 10, 100])
  })

  test('STOP_DEPLOYMENT: the deployment waits in Ready until ContinueDeployment(READY_WAIT)', async () => {
    s.emulator.control.configure({ readyWait: 'STOP' })
    const group = await s.codedeploy.send(
      new GetDeploymentGroupCommand({ applicationName: APP, deploymentGroupName: GROUP })
    )
    expect(group.deploymentGroupInfo?.blueGreenDeploymentConfiguration?.deploymentReadyOption?.actionOnTimeout).toBe(
      'STOP_DEPLOYMENT'
    )
    const id = await create(appSpec(await registerWeb()))
    const notReady = await rejection(
      s.codedeploy.send(new ContinueDeploymentCommand({ deploymentId: id, deploymentWaitType: 'READY_WAIT' }))
    )
    expect(notReady.name).toBe('DeploymentIsNotInReadyStateException')

    const ready = await pollUntil(
      () => deployment(id),
      (d) => d.status === 'Ready'
    )
    expect(ready.deploymentOverview?.Ready).toBe(1)
    // It stays Ready: no traffic moves while it waits.
    await new Promise((resolve) => setTimeout(resolve, 150))
    const t = await target(id)
    expect((await deployment(id)).status).toBe('Ready')
    expect(t.status).toBe('Ready')
    expect(t.taskSetsInfo?.find((ts) => ts.taskSetLabel === 'Green')).toMatchObject({
      trafficWeight: 0,
      runningCount: 2
    })
    expect(t.lifecycleEvents?.find((e) => e.lifecycleEventName === 'AfterAllowTestTraffic')?.status).toBe('Succeeded')
    expect(t.lifecycleEvents?.find((e) => e.lifecycleEventName === 'BeforeAllowTraffic')?.status).toBe('Pending')

    await s.codedeploy.send(new ContinueDeploymentCommand({ deploymentId: id, deploymentWaitType: 'READY_WAIT' }))
    expect((await pollUntil(() => deployment(id), finished)).status).toBe('Succeeded')
  })

  test('STOP_DEPLOYMENT: without ContinueDeployment the wait times out and the deployment is Stopped', async () => {
    s.emulator.control.configure({ readyWait: 'STOP', readyTimeoutMs: 100 })
    const id = await create(appSpec(await registerWeb()))
    const done = await pollUntil(() => deployment(id), finished)
    expect(done.status).toBe('Stopped')
    expect(done.errorInformation?.code).toBe('TIMEOUT')
  })

  test('ContinueDeployment rejects an unknown wait type and a finished deployment', async () => {
    const id = await create(appSpec(await registerWeb()))
    const bad = await rejection(
      s.codedeploy.send(new ContinueDeploymentCommand({ deploymentId: id, deploymentWaitType: 'NOPE' as never }))
    )
    expect(bad.name).toBe('InvalidDeploymentWaitTypeException')
    await pollUntil(() => deployment(id), finished)
    const late = await rejection(
      s.codedeploy.send(new ContinueDeploymentCommand({ deploymentId: id, deploymentWaitType: 'READY_WAIT' }))
    )
    expect(late.name).toBe('DeploymentAlreadyCompletedException')
  })
})

describe('StopDeployment', () => {
  test('with autoRollbackEnabled after the traffic shift: Stopped, a rollback returns traffic to blue', async () => {
    s.emulator.control.configure({ terminationWaitMs: 60_000 })
    const blueSet = (await webBg()).taskSets?.[0]?.id
    const green = await registerWeb()
    const id = await create(appSpec(green))
    await pollUntil(
      () => startedTarget(id),
      (t) => t.status === 'Succeeded'
    )
    expect((await webBg()).taskDefinition).toBe(green)

    const stop = await s.codedeploy.send(new StopDeploymentCommand({ deploymentId: id, autoRollbackEnabled: true }))
    expect(stop.status).toBe('Pending')
    const stopped = await pollUntil(() => deployment(id), finished)
    expect(stopped.status).toBe('Stopped')
    const rollbackId = stopped.rollbackInfo?.rollbackDeploymentId ?? ''
    expect(rollbackId).toMatch(/^d-/)

    const rollback = await pollUntil(() => deployment(rollbackId), finished)
    expect(rollback).toMatchObject({
      status: 'Succeeded',
      creator: 'codeDeployRollback',
      rollbackInfo: expect.objectContaining({ rollbackTriggeringDeploymentId: id })
    })
    const service = await webBg()
    expect(service.taskDefinition).toBe(TD_WEB_1)
    expect(service.taskSets).toEqual([
      expect.objectContaining({ id: blueSet, status: 'PRIMARY', taskDefinition: TD_WEB_1 })
    ])
    const rollbackTarget = await target(rollbackId)
    expect(rollbackTarget.taskSetsInfo?.find((ts) => ts.taskSetLabel === 'Blue')?.trafficWeight).toBe(100)

    const calls = s.emulator.control.calls({ op: 'StopDeployment' })
    expect(calls.map((c) => c.params)).toEqual([{ deploymentId: id, autoRollbackEnabled: true }])
    const again = await rejection(s.codedeploy.send(new StopDeploymentCommand({ deploymentId: id })))
    expect(again.name).toBe('DeploymentAlreadyCompletedException')
  })

  test('without rollback before the traffic shift: Stopped, no rollback deployment', async () => {
    s.emulator.control.configure({ readyWait: 'STOP' })
    const id = await create(appSpec(await registerWeb()))
    await pollUntil(
      () => deployment(id),
      (d) => d.status === 'Ready'
    )
    await s.codedeploy.send(new StopDeploymentCommand({ deploymentId: id, autoRollbackEnabled: false }))
    const stopped = await pollUntil(() => deployment(id), finished)
    expect(stopped.status).toBe('Stopped')
    expect(stopped.rollbackInfo).toBeUndefined()
    expect((await webBg()).taskDefinition).toBe(TD_WEB_1)
    expect(s.emulator.control.state().deployments).toHaveLength(1)
  })
})

describe('failures', () => {
  test('AppSpec mistakes fail the deployment after CreateDeployment succeeds', async () => {
    const multi = 'arn:aws:ecs:us-east-1:123456789012:task-definition/multi:1'
    const cases: [string, string, RegExp][] = [
      ['version 1.0', appSpec(TD_WEB_1).replace('version: 0.0', 'version: 1.0'), /version/],
      ['not YAML', 'version: 0.0\nResources: [: :', /could not be parsed/],
      ['short task definition', appSpec('web:1'), /full task definition ARN/],
      ['unregistered revision', appSpec(TD_WEB_1.replace('web:1', 'web:99')), /does not exist/],
      ['unknown container', appSpec(TD_WEB_1, { container: 'api' }), /container 'api'/],
      ['unmapped port', appSpec(TD_WEB_1, { port: 8080 }), /container port 8080/],
      [
        'not the load balancer container',
        appSpec(multi, { container: 'sidecar', port: 9000 }),
        /does not match the service/
      ],
      ['hook on Install', appSpec(TD_WEB_1, { extra: 'Hooks:\n  - Install: fn' }), /hook for 'Install'/],
      [
        'two resources',
        appSpec(TD_WEB_1).replace('Resources:\n', 'Resources:\n  - Other:\n      Type: AWS::ECS::Service\n'),
        /exactly one resource/
      ]
    ]
    for (const [name, content, message] of cases) {
      const id = await create(content)
      const done = await pollUntil(() => deployment(id), finished)
      expect({ name, status: done.status, code: done.errorInformation?.code }).toEqual({
        name,
        status: 'Failed',
        code: 'INVALID_REVISION'
      })
      expect(done.errorInformation?.message).toMatch(/^The deployment failed because /)
      expect(done.errorInformation?.message).toMatch(message)
      expect((await s.codedeploy.send(new ListDeploymentTargetsCommand({ deploymentId: id }))).targetIds).toEqual([])
    }
    expect((await webBg()).taskDefinition).toBe(TD_WEB_1)
  })

  test('a scripted hook failure fails the deployment, stops green tasks with the reason, and rolls back', async () => {
    const reason =
      'Task failed ELB health checks in (target-group arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web-bg-green/1)'
    s.emulator.control.failNext({
      at: 'AfterAllowTestTraffic',
      code: 'HOOK_EXECUTION_FAILURE',
      message: 'The deployment failed because the AfterAllowTestTraffic hook reported Failed.',
      stoppedTasks: [{ stoppedReason: reason, stopCode: 'ServiceSchedulerInitiated' }]
    })
    const id = await create(appSpec(await registerWeb(), { extra: 'Hooks:\n  - AfterAllowTestTraffic: CheckGreen' }))
    const failed = await pollUntil(() => deployment(id), finished)
    expect(failed.status).toBe('Failed')
    expect(failed.errorInformation).toEqual({
      code: 'HOOK_EXECUTION_FAILURE',
      message: 'The deployment failed because the AfterAllowTestTraffic hook reported Failed.'
    })
    const batch = await s.codedeploy.send(
      new BatchGetDeploymentTargetsCommand({ deploymentId: id, targetIds: ['demo:web-bg'] })
    )
    const t = batch.deploymentTargets?.[0]?.ecsTarget
    expect(t?.status).toBe('Failed')
    const statuses = Object.fromEntries((t?.lifecycleEvents ?? []).map((e) => [e.lifecycleEventName, e.status]))
    expect(statuses).toMatchObject({
      AllowTestTraffic: 'Succeeded',
      AfterAllowTestTraffic: 'Failed',
      AllowTraffic: 'Skipped'
    })

    const stopped = await s.ecs.send(
      new ListTasksCommand({ cluster: 'demo', serviceName: 'web-bg', desiredStatus: 'STOPPED' })
    )
    const tasks = await s.ecs.send(new DescribeTasksCommand({ cluster: 'demo', tasks: stopped.taskArns ?? [] }))
    expect(tasks.tasks?.map((task) => task.stoppedReason)).toContain(reason)
    expect(tasks.tasks?.every((task) => task.stoppedAt instanceof Date)).toBe(true)

    const rollbackId = failed.rollbackInfo?.rollbackDeploymentId ?? ''
    // CodeDeploy's own wording on both sides.
    expect(failed.rollbackInfo?.rollbackMessage).toBe(
      `Deployment ${failed.deploymentId} terminated. Automatic rollback is triggered with a DeploymentId ${rollbackId}.`
    )
    const rollback = await pollUntil(() => deployment(rollbackId), finished)
    expect(rollback.status).toBe('Succeeded')
    expect(rollback.creator).toBe('codeDeployRollback')
    expect(rollback.rollbackInfo).toEqual({
      rollbackTriggeringDeploymentId: failed.deploymentId,
      rollbackMessage: `Deployment ${rollbackId} is triggered to roll back deployment ${failed.deploymentId}.`
    })
    const service = await webBg()
    expect(service.taskDefinition).toBe(TD_WEB_1)
    expect(service.taskSets).toHaveLength(1)
  })

  test('a scripted failure for another group does not touch this one', async () => {
    s.emulator.control.failNext({ at: 'Install', group: 'other-group' })
    const id = await create(appSpec(await registerWeb()))
    expect((await pollUntil(() => deployment(id), finished)).status).toBe('Succeeded')
    expect(s.emulator.control.state().scripted.codedeploy).toBe(1)
  })
})

describe('lookups', () => {
  test.each([
    ['', 'DeploymentIdRequiredException'],
    ['deploy-1', 'InvalidDeploymentIdException'],
    ['d-AAAAAAAAA', 'DeploymentDoesNotExistException']
  ])('GetDeployment %p → %s', async (deploymentId, name) => {
    const error = await rejection(s.codedeploy.send(new GetDeploymentCommand({ deploymentId })))
    expect(error.name).toBe(name)
  })

  test('BatchGetDeployments answers deploymentsInfo in the order asked and leaves out ids of no deployment', async () => {
    const first = await create(appSpec(TD_WEB_1))
    await pollUntil(() => deployment(first), finished)
    const second = await create(appSpec(TD_WEB_1))
    const out = await s.codedeploy.send(
      new BatchGetDeploymentsCommand({ deploymentIds: [second, 'd-AAAAAAAAA', first] })
    )
    expect(out.deploymentsInfo?.map((d) => d.deploymentId)).toEqual([second, first])
    expect(out.deploymentsInfo?.[1]).toEqual(await deployment(first))
    expect(out.deploymentsInfo?.[0]).toMatchObject({ deploymentId: second, deploymentGroupName: GROUP })
  })

  test.each([
    [[], 'DeploymentIdRequiredException', 'At least one deployment ID must be specified.'],
    [
      ['d-AAAAAAAAA', 'deploy-1'],
      'InvalidDeploymentIdException',
      'At least one of the deployment IDs was specified in an invalid format.'
    ],
    [
      Array.from({ length: 26 }, (_, i) => `d-AAAAAAA${String(i).padStart(2, '0')}`),
      'BatchLimitExceededException',
      'The maximum number of names or IDs allowed for this request (25) was exceeded.'
    ]
  ])('BatchGetDeployments %p → %s', async (deploymentIds, name, message) => {
    const error = await rejection(s.codedeploy.send(new BatchGetDeploymentsCommand({ deploymentIds })))
    expect([error.name, error.message]).toEqual([name, message])
  })

  test('BatchGetDeployments takes 25 ids', async () => {
    const ids = Array.from({ length: 25 }, (_, i) => `d-AAAAAAA${String(i).padStart(2, '0')}`)
    const out = await s.codedeploy.send(new BatchGetDeploymentsCommand({ deploymentIds: ids }))
    expect(out.deploymentsInfo).toEqual([])
  })

  test('ListDeployments filters by group and status, newest first; app and group go together', async () => {
    const first = await create(appSpec(TD_WEB_1))
    await pollUntil(() => deployment(first), finished)
    s.emulator.control.configure({ stepMs: 500 })
    const second = await create(appSpec(TD_WEB_1))
    const all = await s.codedeploy.send(
      new ListDeploymentsCommand({ applicationName: APP, deploymentGroupName: GROUP })
    )
    expect(all.deployments).toEqual([second, first])
    const active = await s.codedeploy.send(
      new ListDeploymentsCommand({
        applicationName: APP,
        deploymentGroupName: GROUP,
        includeOnlyStatuses: ['Created', 'InProgress', 'Ready']
      })
    )
    expect(active.deployments).toEqual([second])
    expect((await rejection(s.codedeploy.send(new ListDeploymentsCommand({ applicationName: APP })))).name).toBe(
      'DeploymentGroupNameRequiredException'
    )
    expect(
      (await rejection(s.codedeploy.send(new ListDeploymentsCommand({ includeOnlyStatuses: ['Done' as never] })))).name
    ).toBe('InvalidDeploymentStatusException')
  })

  test('an unknown target id is DeploymentTargetDoesNotExistException', async () => {
    const id = await create(appSpec(TD_WEB_1))
    await pollUntil(() => deployment(id), finished)
    const error = await rejection(
      s.codedeploy.send(new GetDeploymentTargetCommand({ deploymentId: id, targetId: 'demo:other' }))
    )
    expect(error.name).toBe('DeploymentTargetDoesNotExistException')
  })
})

describe('a response lost in transit', () => {
  test('the call takes effect, the SDK retries it, and the retry collides with the deployment it made', async () => {
    s.emulator.control.loseResponse({ op: 'CreateDeployment' })
    const content = appSpec(await registerWeb())
    const error = await create(content, { description: 'first try' }).catch((e: unknown) => e as Error)
    expect(error).toMatchObject({ name: 'DeploymentLimitExceededException' })
    const [made] = s.emulator.control.state().deployments
    expect((error as Error).message).toBe(
      `The Deployment Group '${GROUP}' already has an active Deployment '${made?.id}'`
    )
    const calls = s.emulator.control.calls({ op: 'CreateDeployment' })
    expect(calls.map((c) => c.error)).toEqual(['ResponseLost', 'DeploymentLimitExceededException'])
    const info = await s.codedeploy.send(new GetDeploymentCommand({ deploymentId: made?.id }))
    expect(info.deploymentInfo?.description).toBe('first try')
  })

  test('only the given op and count are affected', async () => {
    s.emulator.control.loseResponse({ op: 'GetDeploymentGroup', count: 1 })
    await s.codedeploy.send(new GetDeploymentGroupCommand({ applicationName: APP, deploymentGroupName: GROUP }))
    await s.codedeploy.send(new GetApplicationCommand({ applicationName: APP }))
    expect(s.emulator.control.calls().map((c) => [c.op, c.error])).toEqual([
      ['GetDeploymentGroup', 'ResponseLost'],
      ['GetDeploymentGroup', undefined],
      ['GetApplication', undefined]
    ])
  })
})

test('CreateDeployment takes a description of up to 512 characters and refuses a longer one', async () => {
  const content = appSpec(await registerWeb())
  const id = await create(content, { description: 'd'.repeat(512) })
  const info = await s.codedeploy.send(new GetDeploymentCommand({ deploymentId: id }))
  expect(info.deploymentInfo?.description).toHaveLength(512)
  await s.codedeploy.send(new StopDeploymentCommand({ deploymentId: id, autoRollbackEnabled: false }))
  await expect(create(content, { description: 'd'.repeat(513) })).rejects.toMatchObject({
    name: 'DescriptionTooLongException'
  })
})

test('with rollbackInfoDelayMs the failed deployment names its rollback only that long after it ended', async () => {
  s.emulator.control.configure({ rollbackInfoDelayMs: 300 })
  s.emulator.control.failNext({ at: 'AfterInstall' })
  const id = await create(appSpec(await registerWeb()))
  const failed = await pollUntil(() => deployment(id), finished)
  expect(failed.status).toBe('Failed')
  expect(failed.rollbackInfo).toBeUndefined()
  const named = await pollUntil(
    () => deployment(id),
    (d) => d.rollbackInfo?.rollbackDeploymentId !== undefined
  )
  expect(Date.now() - (failed.completeTime?.getTime() ?? 0)).toBeGreaterThanOrEqual(250)
  const rollback = await pollUntil(() => deployment(named.rollbackInfo?.rollbackDeploymentId ?? ''), finished)
  expect(rollback.status).toBe('Succeeded')
})

test('AfterAllowTraffic can fail after the full shift: the deployment fails and the rollback returns traffic to blue', async () => {
  s.emulator.control.configure({ eventMs: { AfterAllowTraffic: 200 } })
  s.emulator.control.failNext({ at: 'AfterAllowTraffic' })
  const id = await create(appSpec(await registerWeb()))
  const shifted = await pollUntil(
    () => startedTarget(id),
    (t) => t.lifecycleEvents?.find((e) => e.lifecycleEventName === 'AfterAllowTraffic')?.status === 'InProgress'
  )
  expect(shifted.taskSetsInfo?.find((t) => t.taskSetLabel === 'Green')?.trafficWeight).toBe(100)
  expect((await webBg()).taskDefinition).not.toBe(TD_WEB_1)
  const failed = await pollUntil(() => deployment(id), finished)
  expect(failed).toMatchObject({ status: 'Failed', errorInformation: { code: 'HOOK_EXECUTION_FAILURE' } })
  const rollback = await pollUntil(() => deployment(failed.rollbackInfo?.rollbackDeploymentId ?? ''), finished)
  expect(rollback.status).toBe('Succeeded')
  expect((await webBg()).taskDefinition).toBe(TD_WEB_1)
})
