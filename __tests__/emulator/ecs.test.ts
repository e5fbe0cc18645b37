import {
  DescribeClustersCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  type RunTaskCommandInput,
  StopTaskCommand,
  type Task,
  type RegisterTaskDefinitionCommandInput,
  type Service,
  UpdateServiceCommand,
  type UpdateServiceCommandInput
} from '@aws-sdk/client-ecs'
import { type Setup, TD_WEB_1, pollUntil, setUp, tearDown } from './helpers.js'

let s: Setup
beforeAll(async () => {
  s = await setUp()
})
afterAll(() => tearDown(s))
beforeEach(() => {
  s.emulator.control.reset()
})

async function rejection(promise: Promise<unknown>): Promise<{ name: string; message: string }> {
  try {
    await promise
  } catch (error) {
    return { name: (error as Error).name, message: (error as Error).message }
  }
  throw new Error('expected a rejection')
}

async function service(name: string): Promise<Service> {
  const out = await s.ecs.send(new DescribeServicesCommand({ cluster: 'demo', services: [name] }))
  const found = out.services?.[0]
  if (!found) throw new Error(`${name} missing`)
  return found
}

const webContainer = { name: 'web', image: 'nginx:1.28', portMappings: [{ containerPort: 80, hostPort: 80 }] }

/** The grant AWS documents for tag-on-create, narrowed to RegisterTaskDefinition. */
const TAG_ON_REGISTER = {
  Statement: [
    {
      Effect: 'Allow' as const,
      Action: 'ecs:TagResource',
      Resource: '*',
      Condition: { StringEquals: { 'ecs:CreateAction': 'RegisterTaskDefinition' } }
    }
  ]
}

async function registerWeb(image = 'nginx:1.28'): Promise<string> {
  const out = await s.ecs.send(
    new RegisterTaskDefinitionCommand({
      family: 'web',
      networkMode: 'awsvpc',
      containerDefinitions: [{ ...webContainer, image }]
    })
  )
  return out.taskDefinition?.taskDefinitionArn ?? ''
}

describe('DescribeServices and DescribeClusters', () => {
  test('an unknown service is a MISSING failure, not an error', async () => {
    const out = await s.ecs.send(new DescribeServicesCommand({ cluster: 'demo', services: ['web-bg', 'ghost'] }))
    expect(out.services?.map((x) => x.serviceName)).toEqual(['web-bg'])
    expect(out.failures).toEqual([{ arn: 'arn:aws:ecs:us-east-1:123456789012:service/demo/ghost', reason: 'MISSING' }])
  })

  test('an unknown cluster is ClusterNotFoundException', async () => {
    const error = await rejection(s.ecs.send(new DescribeServicesCommand({ cluster: 'nope', services: ['web-bg'] })))
    expect(error).toEqual({ name: 'ClusterNotFoundException', message: 'Cluster not found.' })
  })

  test('more than 10 services or none is InvalidParameterException', async () => {
    const many = Array.from({ length: 11 }, (_, i) => `s${i}`)
    expect((await rejection(s.ecs.send(new DescribeServicesCommand({ cluster: 'demo', services: many })))).name).toBe(
      'InvalidParameterException'
    )
    expect((await rejection(s.ecs.send(new DescribeServicesCommand({ cluster: 'demo', services: [] })))).name).toBe(
      'InvalidParameterException'
    )
  })

  test('a CODE_DEPLOY service has taskSets, a capacity provider strategy and no launch type', async () => {
    const bg = await service('web-bg')
    expect(bg.deploymentController?.type).toBe('CODE_DEPLOY')
    expect(bg.taskSets).toEqual([expect.objectContaining({ status: 'PRIMARY', taskDefinition: TD_WEB_1 })])
    expect(bg.deployments).toBeUndefined()
    expect(bg.capacityProviderStrategy).toEqual([{ capacityProvider: 'FARGATE', weight: 1, base: 0 }])
    expect(bg.launchType).toBeUndefined()
    expect(bg.loadBalancers).toEqual([expect.objectContaining({ containerName: 'web', containerPort: 80 })])
    expect(bg.networkConfiguration?.awsvpcConfiguration?.subnets).toHaveLength(1)
    expect(bg.platformVersion).toBe('1.4.0')
    expect(bg.createdAt).toBeInstanceOf(Date)
    expect(bg.runningCount).toBe(2)
  })

  test('an ECS-controller service has deployments with a rollout state', async () => {
    const rolling = await service('web-rolling')
    expect(rolling.taskSets).toBeUndefined()
    expect(rolling.deployments).toEqual([
      expect.objectContaining({
        status: 'PRIMARY',
        rolloutState: 'COMPLETED',
        id: expect.stringMatching(/^ecs-svc\/\d+$/)
      })
    ])
    expect(rolling.deploymentConfiguration?.deploymentCircuitBreaker).toEqual({ enable: true, rollback: true })
    expect(rolling.launchType).toBe('FARGATE')
  })

  test('events come newest first and at most 100', async () => {
    const model = s.emulator.model
    const bg = model.service('demo', 'web-bg')
    if (!bg) throw new Error('web-bg missing')
    for (let i = 0; i < 150; i++) model.addEvent(bg, `event ${i}`)
    const events = (await service('web-bg')).events ?? []
    expect(events).toHaveLength(100)
    expect(events[0]?.message).toBe('event 149')
    expect(events[99]?.message).toBe('event 50')
  })

  test('DescribeClusters reports unknown clusters as failures', async () => {
    const out = await s.ecs.send(new DescribeClustersCommand({ clusters: ['demo', 'ghost'] }))
    expect(out.clusters?.map((c) => [c.clusterName, c.activeServicesCount])).toEqual([['demo', 2]])
    expect(out.failures?.[0]?.reason).toBe('MISSING')
  })
})

describe('task definitions', () => {
  test('RegisterTaskDefinition adds a revision; describe-only keys the SDK drops never reach the model', async () => {
    const input = {
      family: 'web',
      containerDefinitions: [webContainer],
      taskDefinitionArn: 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:1',
      revision: 1,
      status: 'ACTIVE',
      tags: [{ key: 'team', value: 'web' }]
    } as RegisterTaskDefinitionCommandInput
    s.emulator.control.policy(TAG_ON_REGISTER)
    const out = await s.ecs.send(new RegisterTaskDefinitionCommand(input))
    expect(out.taskDefinition).toMatchObject({ family: 'web', revision: 2, status: 'ACTIVE' })
    expect(out.taskDefinition?.registeredAt).toBeInstanceOf(Date)
    const call = s.emulator.control.calls({ op: 'RegisterTaskDefinition' })[0]
    expect(Object.keys(call?.params ?? {}).sort()).toEqual(['containerDefinitions', 'family', 'tags'])

    const described = await s.ecs.send(
      new DescribeTaskDefinitionCommand({ taskDefinition: out.taskDefinition?.taskDefinitionArn, include: ['TAGS'] })
    )
    expect(described.tags).toEqual([{ key: 'team', value: 'web' }])
    const latest = await s.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'web' }))
    expect(latest.taskDefinition?.revision).toBe(2)
    expect(latest.tags).toBeUndefined()
  })

  test.each([
    [
      'a family with bad characters',
      { family: 'web app', containerDefinitions: [webContainer] },
      /Family contains invalid characters/
    ],
    ['no containers', { family: 'web', containerDefinitions: [] }, /Container list cannot be empty/],
    ['a container without a name', { family: 'web', containerDefinitions: [{ image: 'nginx' }] }, /Container.name/],
    ['a container without an image', { family: 'web', containerDefinitions: [{ name: 'web' }] }, /Container.image/],
    [
      'duplicate container names',
      { family: 'web', containerDefinitions: [webContainer, webContainer] },
      /Duplicate container name/
    ],
    [
      'awsvpc with hostPort ≠ containerPort',
      {
        family: 'web',
        networkMode: 'awsvpc',
        containerDefinitions: [{ ...webContainer, portMappings: [{ containerPort: 80, hostPort: 8080 }] }]
      },
      /host ports and container ports/
    ]
  ])('RegisterTaskDefinition rejects %s with ClientException', async (_case, input, message) => {
    const error = await rejection(
      s.ecs.send(new RegisterTaskDefinitionCommand(input as RegisterTaskDefinitionCommandInput))
    )
    expect(error.name).toBe('ClientException')
    expect(error.message).toMatch(message)
  })

  test('an environment entry without a value is dropped from the registered revision, as ECS does', async () => {
    const out = await s.ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'envs',
        containerDefinitions: [
          {
            ...webContainer,
            environment: [{ name: 'NO_VALUE' }, { name: 'EMPTY', value: '' }, { name: 'SET', value: '1' }]
          }
        ]
      })
    )
    const described = await s.ecs.send(
      new DescribeTaskDefinitionCommand({ taskDefinition: out.taskDefinition?.taskDefinitionArn })
    )
    expect(described.taskDefinition?.containerDefinitions?.[0]?.environment).toEqual([
      { name: 'EMPTY', value: '' },
      { name: 'SET', value: '1' }
    ])
  })

  test('DescribeTaskDefinition of an unknown revision is ClientException', async () => {
    const error = await rejection(s.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'web:42' })))
    expect(error).toEqual({ name: 'ClientException', message: 'Unable to describe task definition.' })
  })
})

describe('UpdateService on a CODE_DEPLOY service', () => {
  const useCodeDeploy = (what: string): string =>
    `Unable to update ${what} on services with a CODE_DEPLOY deployment controller. Use AWS CodeDeploy to trigger a new deployment.`
  const forceNew =
    'Cannot force a new deployment on services with a CODE_DEPLOY deployment controller. Use AWS CodeDeploy to trigger a new deployment.'

  test.each<[string, () => Promise<Partial<UpdateServiceCommandInput>>, string]>([
    ['a new task definition', async () => ({ taskDefinition: await registerWeb() }), useCodeDeploy('task definition')],
    [
      'a network configuration (even unchanged)',
      async () => ({ networkConfiguration: (await service('web-bg')).networkConfiguration }),
      useCodeDeploy('network parameters')
    ],
    [
      'other load balancers',
      async () => ({
        loadBalancers: [
          {
            targetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/x/1',
            containerName: 'web',
            containerPort: 8080
          }
        ]
      }),
      useCodeDeploy('load balancers')
    ],
    ['another platform version', async () => ({ platformVersion: '1.3.0' }), useCodeDeploy('platform version')],
    [
      'another capacity provider strategy',
      async () => ({ capacityProviderStrategy: [{ capacityProvider: 'FARGATE_SPOT', weight: 1 }] }),
      forceNew
    ],
    ['forceNewDeployment true', async () => ({ forceNewDeployment: true }), forceNew]
  ])('rejects %s with InvalidParameterException', async (_case, change, message) => {
    const input = { cluster: 'demo', service: 'web-bg', ...(await change()) }
    const error = await rejection(s.ecs.send(new UpdateServiceCommand(input)))
    expect(error).toEqual({ name: 'InvalidParameterException', message })
    expect((await service('web-bg')).taskDefinition).toBe(TD_WEB_1)
  })

  test('accepts desiredCount with an explicit forceNewDeployment false and the same task definition', async () => {
    const out = await s.ecs.send(
      new UpdateServiceCommand({
        cluster: 'demo',
        service: 'web-bg',
        desiredCount: 3,
        forceNewDeployment: false,
        taskDefinition: TD_WEB_1
      })
    )
    expect(out.service?.desiredCount).toBe(3)
    expect(out.service?.taskSets?.[0]?.computedDesiredCount).toBe(3)
    expect(s.emulator.control.calls({ op: 'UpdateService' })[0]?.params['forceNewDeployment']).toBe(false)
  })

  test.each([
    [{ cluster: 'demo', service: 'ghost' }, 'ServiceNotFoundException'],
    [{ cluster: 'ghost', service: 'web-bg' }, 'ClusterNotFoundException'],
    [{ cluster: 'demo' }, 'InvalidParameterException'],
    [{ cluster: 'demo', service: 'web-rolling', taskDefinition: 'web:42' }, 'ClientException']
  ])('UpdateService %j fails with %s', async (input, name) => {
    expect((await rejection(s.ecs.send(new UpdateServiceCommand(input as UpdateServiceCommandInput)))).name).toBe(name)
  })
})

describe('ECS rolling deployments', () => {
  test('UpdateService returns the new PRIMARY, which completes and drains the old deployment', async () => {
    const before = await service('web-rolling')
    const oldId = before.deployments?.[0]?.id
    const td = await registerWeb()
    const out = await s.ecs.send(
      new UpdateServiceCommand({ cluster: 'demo', service: 'web-rolling', taskDefinition: td })
    )
    const primary = out.service?.deployments?.find((d) => d.status === 'PRIMARY')
    expect(primary).toMatchObject({ taskDefinition: td, rolloutState: 'IN_PROGRESS' })
    expect(primary?.id).not.toBe(oldId)
    expect(out.service?.deployments?.find((d) => d.id === oldId)?.status).toBe('ACTIVE')
    expect(out.service?.taskDefinition).toBe(td)

    const done = await pollUntil(
      () => service('web-rolling'),
      (x) => x.deployments?.[0]?.rolloutState === 'COMPLETED'
    )
    expect(done.deployments).toEqual([
      expect.objectContaining({
        id: primary?.id,
        rolloutState: 'COMPLETED',
        rolloutStateReason: `ECS deployment ${primary?.id} completed.`,
        runningCount: 2
      })
    ])
    // Events: newest first, the completion on top.
    const messages = (done.events ?? []).map((e) => e.message)
    expect(messages[0]).toBe('(service web-rolling) has reached a steady state.')
    expect(messages[1]).toBe(`(service web-rolling) (deployment ${primary?.id}) deployment completed.`)
    const times = (done.events ?? []).map((e) => e.createdAt?.getTime() ?? 0)
    expect([...times].sort((a, b) => b - a)).toEqual(times)
  })

  test('a desiredCount change alone does not deploy; forceNewDeployment does', async () => {
    const out = await s.ecs.send(new UpdateServiceCommand({ cluster: 'demo', service: 'web-rolling', desiredCount: 4 }))
    expect(out.service?.deployments).toHaveLength(1)
    expect(out.service?.deployments?.[0]?.desiredCount).toBe(4)
    const forced = await s.ecs.send(
      new UpdateServiceCommand({ cluster: 'demo', service: 'web-rolling', forceNewDeployment: true })
    )
    expect(forced.service?.deployments).toHaveLength(2)
  })

  test('a scripted circuit-breaker trip fails the deployment, stops tasks with the reason, and rolls back', async () => {
    const reason = 'CannotPullContainerError: pull image manifest has been retried 5 time(s): nginx:nope: not found'
    s.emulator.control.failNext({ kind: 'ecs-rolling', stoppedReason: reason, stopCode: 'TaskFailedToStart' })
    const oldId = (await service('web-rolling')).deployments?.[0]?.id
    const td = await registerWeb('nginx:nope')
    const out = await s.ecs.send(
      new UpdateServiceCommand({ cluster: 'demo', service: 'web-rolling', taskDefinition: td })
    )
    const failedId = out.service?.deployments?.[0]?.id ?? ''

    const rolledBack = await pollUntil(
      () => service('web-rolling'),
      (x) => x.deployments?.find((d) => d.id === failedId)?.rolloutState === 'FAILED'
    )
    const failed = rolledBack.deployments?.find((d) => d.id === failedId)
    expect(failed).toMatchObject({
      status: 'ACTIVE',
      rolloutStateReason: 'ECS deployment circuit breaker: task failed to start.',
      failedTasks: 3
    })
    const rollback = rolledBack.deployments?.find((d) => d.status === 'PRIMARY')
    expect(rollback?.id).not.toBe(failedId)
    expect(rollback?.id).not.toBe(oldId)
    expect(rollback).toMatchObject({
      taskDefinition: TD_WEB_1,
      rolloutStateReason: `ECS deployment circuit breaker: rolling back to deploymentId ${oldId}.`
    })
    expect(rolledBack.taskDefinition).toBe(TD_WEB_1)

    // The failed tasks: list the service's STOPPED tasks, filter by startedBy.
    const stopped = await s.ecs.send(
      new ListTasksCommand({ cluster: 'demo', serviceName: 'web-rolling', desiredStatus: 'STOPPED' })
    )
    const tasks = await s.ecs.send(new DescribeTasksCommand({ cluster: 'demo', tasks: stopped.taskArns ?? [] }))
    const mine = tasks.tasks?.filter((t) => t.startedBy === failedId) ?? []
    expect(mine).toHaveLength(3)
    expect(mine[0]).toMatchObject({
      lastStatus: 'STOPPED',
      stopCode: 'TaskFailedToStart',
      stoppedReason: reason,
      taskDefinitionArn: td
    })
    expect(mine[0]?.containers?.[0]).toMatchObject({ name: 'web', exitCode: 1 })

    const events = (await service('web-rolling')).events?.map((e) => e.message) ?? []
    expect(events).toContain(`(service web-rolling) (deployment ${failedId}) deployment failed: tasks failed to start.`)

    const settled = await pollUntil(
      () => service('web-rolling'),
      (x) => x.deployments?.length === 1 && x.deployments[0]?.rolloutState === 'COMPLETED'
    )
    expect(settled.deployments?.[0]).toMatchObject({
      id: rollback?.id,
      rolloutStateReason: `ECS deployment ${rollback?.id} completed.`
    })
  })

  test('a trip without rollback leaves the failed deployment PRIMARY and FAILED', async () => {
    await s.ecs.send(
      new UpdateServiceCommand({
        cluster: 'demo',
        service: 'web-rolling',
        deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: false } }
      })
    )
    s.emulator.control.failNext({ kind: 'ecs-rolling' })
    const td = await registerWeb('nginx:bad')
    await s.ecs.send(new UpdateServiceCommand({ cluster: 'demo', service: 'web-rolling', taskDefinition: td }))
    const after = await pollUntil(
      () => service('web-rolling'),
      (x) => x.deployments?.[0]?.rolloutState === 'FAILED'
    )
    expect(after.deployments?.[0]).toMatchObject({ status: 'PRIMARY', taskDefinition: td })
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect((await service('web-rolling')).deployments?.filter((d) => d.status === 'PRIMARY')).toHaveLength(1)
    expect(s.emulator.control.state().services.find((x) => x.name === 'web-rolling')?.taskDefinition).toBe(td)
  })
})

describe('tasks', () => {
  test('ListTasks: startedBy must be the only filter; an unknown service is ServiceNotFoundException', async () => {
    const error = await rejection(
      s.ecs.send(new ListTasksCommand({ cluster: 'demo', serviceName: 'web-rolling', startedBy: 'ecs-svc/1' }))
    )
    expect(error.name).toBe('InvalidParameterException')
    expect((await rejection(s.ecs.send(new ListTasksCommand({ cluster: 'demo', serviceName: 'ghost' })))).name).toBe(
      'ServiceNotFoundException'
    )
  })

  test('ListTasks pages with nextToken; DescribeTasks reports unknown tasks as MISSING', async () => {
    const first = await s.ecs.send(new ListTasksCommand({ cluster: 'demo', maxResults: 3 }))
    expect(first.taskArns).toHaveLength(3)
    const second = await s.ecs.send(
      new ListTasksCommand({ cluster: 'demo', maxResults: 3, nextToken: first.nextToken })
    )
    expect(second.taskArns).toHaveLength(1)
    expect(second.nextToken).toBeUndefined()
    const byStarter = await s.ecs.send(
      new ListTasksCommand({ cluster: 'demo', startedBy: (await service('web-rolling')).deployments?.[0]?.id })
    )
    expect(byStarter.taskArns).toHaveLength(2)

    const missing = 'arn:aws:ecs:us-east-1:123456789012:task/demo/0000'
    const described = await s.ecs.send(
      new DescribeTasksCommand({ cluster: 'demo', tasks: [first.taskArns?.[0] ?? '', missing] })
    )
    expect(described.tasks?.[0]).toMatchObject({ lastStatus: 'RUNNING', group: expect.stringMatching(/^service:/) })
    expect(described.tasks?.[0]?.startedAt).toBeInstanceOf(Date)
    expect(described.failures).toEqual([{ arn: missing, reason: 'MISSING' }])
  })
})

describe('tag-on-create: RegisterTaskDefinition with tags needs ecs:TagResource', () => {
  const tagged = { family: 'web', containerDefinitions: [webContainer], tags: [{ key: 'team', value: 'web' }] }

  test.each([
    ['no policy', null],
    [
      'a grant for another create action',
      {
        Statement: [
          {
            Effect: 'Allow' as const,
            Action: 'ecs:TagResource',
            Condition: { StringEquals: { 'ecs:CreateAction': 'CreateService' } }
          }
        ]
      }
    ],
    [
      'a grant and a deny',
      { Statement: [...TAG_ON_REGISTER.Statement, { Effect: 'Deny' as const, Action: 'ecs:Tag*' }] }
    ]
  ])('%s: AccessDeniedException in AWS words, nothing registered', async (_name, policy) => {
    s.emulator.control.policy(policy)
    const error = await rejection(s.ecs.send(new RegisterTaskDefinitionCommand(tagged)))
    expect(error).toEqual({
      name: 'AccessDeniedException',
      message:
        'User: arn:aws:sts::123456789012:assumed-role/deploy/github-actions is not authorized to perform: ecs:TagResource on resource: arn:aws:ecs:us-east-1:123456789012:task-definition/web:2 because no identity-based policy allows the ecs:TagResource action'
    })
    expect(s.emulator.control.state().taskDefinitions).not.toContain(
      'arn:aws:ecs:us-east-1:123456789012:task-definition/web:2'
    )
  })

  test.each([
    ['the documented grant', TAG_ON_REGISTER],
    ['ecs:* without a condition', { Statement: [{ Effect: 'Allow' as const, Action: ['ecs:*'] }] }]
  ])('%s: registered with its tags', async (_name, policy) => {
    s.emulator.control.policy(policy)
    const out = await s.ecs.send(new RegisterTaskDefinitionCommand(tagged))
    expect(out.tags).toEqual([{ key: 'team', value: 'web' }])
  })

  test('without tags no grant is needed', async () => {
    const out = await s.ecs.send(new RegisterTaskDefinitionCommand({ ...tagged, tags: [] }))
    expect(out.taskDefinition?.revision).toBe(2)
  })
})

describe('reads that lag writes (consistency.readLagMs)', () => {
  test('DescribeServices shows the service as it was before UpdateService until the lag has passed', async () => {
    s.emulator.control.consistency({ readLagMs: 300 })
    const before = await service('web-rolling')
    const updated = await s.ecs.send(
      new UpdateServiceCommand({ cluster: 'demo', service: 'web-rolling', forceNewDeployment: true })
    )
    const ours = updated.service?.deployments?.find((d) => d.status === 'PRIMARY')?.id
    const stale = await service('web-rolling')
    expect(stale.deployments?.map((d) => d.id)).toEqual(before.deployments?.map((d) => d.id))
    expect(stale.deployments?.map((d) => d.id)).not.toContain(ours)
    const fresh = await pollUntil(
      () => service('web-rolling'),
      (svc) => svc.deployments?.some((d) => d.id === ours) ?? false,
      2000
    )
    expect(fresh.deployments?.[0]?.id).toBe(ours)
  })

  test('DescribeTaskDefinition does not know a new revision yet; the family resolves to the newest it knows', async () => {
    s.emulator.control.consistency({ readLagMs: 300 })
    const out = await s.ecs.send(
      new RegisterTaskDefinitionCommand({ family: 'web', containerDefinitions: [webContainer] })
    )
    const arn = out.taskDefinition?.taskDefinitionArn
    expect(await rejection(s.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: arn })))).toEqual({
      name: 'ClientException',
      message: 'Unable to describe task definition.'
    })
    const family = await s.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'web' }))
    expect(family.taskDefinition?.revision).toBe(1)
    const later = await pollUntil(
      () => s.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'web' })),
      (o) => o.taskDefinition?.revision === 2,
      2000
    )
    expect(later.taskDefinition?.taskDefinitionArn).toBe(arn)
  })

  test('0 (the default) sees every write at once; a negative lag is refused', async () => {
    await s.ecs.send(new UpdateServiceCommand({ cluster: 'demo', service: 'web-rolling', forceNewDeployment: true }))
    expect((await service('web-rolling')).deployments).toHaveLength(2)
    expect(() => s.emulator.control.consistency({ readLagMs: -1 })).toThrow(/readLagMs/)
  })
})

describe('deploymentConfiguration.strategy', () => {
  /** Adds ECS-controller service demo/web-native (web:1) with this deployment configuration. */
  function seedNative(deploymentConfiguration: {
    strategy: 'LINEAR' | 'BLUE_GREEN'
    bakeTimeInMinutes?: number
  }): void {
    s.emulator.control.seed({
      fixture: { services: [{ cluster: 'demo', name: 'web-native', taskDefinition: 'web:1', deploymentConfiguration }] }
    })
  }

  test('an ECS-controller service reports ROLLING when none was set; a CODE_DEPLOY service reports none', async () => {
    expect((await service('web-rolling')).deploymentConfiguration?.strategy).toBe('ROLLING')
    expect((await service('web-bg')).deploymentConfiguration?.strategy).toBeUndefined()
  })

  test('a seeded strategy is reported; UpdateService refuses one that is not ROLLING, BLUE_GREEN, LINEAR or CANARY', async () => {
    seedNative({ strategy: 'LINEAR', bakeTimeInMinutes: 5 })
    expect((await service('web-native')).deploymentConfiguration).toMatchObject({
      strategy: 'LINEAR',
      bakeTimeInMinutes: 5
    })
    const update = (strategy: string): UpdateServiceCommandInput => ({
      cluster: 'demo',
      service: 'web-rolling',
      deploymentConfiguration: { strategy: strategy as 'ROLLING' }
    })
    expect(await rejection(s.ecs.send(new UpdateServiceCommand(update('GRADUAL'))))).toEqual({
      name: 'InvalidParameterException',
      message: 'deploymentConfiguration.strategy must be one of ROLLING, BLUE_GREEN, LINEAR, CANARY.'
    })
    // A headless service may switch; web-rolling's load balancer lacks advancedConfiguration (see native.test.ts).
    await s.ecs.send(new UpdateServiceCommand({ ...update('CANARY'), service: 'web-native' }))
    expect((await service('web-native')).deploymentConfiguration?.strategy).toBe('CANARY')
  })

  test('a deployment of a BLUE_GREEN service is a service deployment, not a rolling one', async () => {
    seedNative({ strategy: 'BLUE_GREEN' })
    const arn = await registerWeb()
    const out = await s.ecs.send(
      new UpdateServiceCommand({ cluster: 'demo', service: 'web-native', taskDefinition: arn })
    )
    expect(out.service?.currentServiceDeployment).toMatch(/:service-deployment\/demo\/web-native\//)
    expect(out.service?.taskDefinition).toBe(arn)
    await pollUntil(
      () => service('web-native'),
      (x) => x.deployments?.length === 1 && x.deployments[0]?.rolloutState === 'COMPLETED'
    )
  })
})

const network = {
  awsvpcConfiguration: { subnets: ['subnet-1'], securityGroups: ['sg-1'], assignPublicIp: 'DISABLED' as const }
}
const migrate: RunTaskCommandInput = {
  cluster: 'demo',
  taskDefinition: TD_WEB_1,
  startedBy: 'deploy-action',
  launchType: 'FARGATE',
  networkConfiguration: network,
  overrides: { containerOverrides: [{ name: 'web', command: ['sh', '-c', 'migrate'] }] }
}

async function describeTask(taskArn: string): Promise<Task> {
  const out = await s.ecs.send(new DescribeTasksCommand({ cluster: 'demo', tasks: [taskArn] }))
  const task = out.tasks?.[0]
  if (!task) throw new Error(`${taskArn} missing`)
  return task
}

describe('one-off tasks (RunTask, DescribeTasks, StopTask)', () => {
  test('a task goes PROVISIONING → RUNNING → STOPPED with its containers exit code', async () => {
    s.emulator.control.configure({ oneOffRunMs: 100 })
    const out = await s.ecs.send(new RunTaskCommand(migrate))
    const started = out.tasks?.[0]
    expect(out.failures).toEqual([])
    expect(started).toMatchObject({
      lastStatus: 'PROVISIONING',
      startedBy: 'deploy-action',
      group: 'family:web',
      taskDefinitionArn: TD_WEB_1,
      launchType: 'FARGATE',
      overrides: { containerOverrides: [{ name: 'web', command: ['sh', '-c', 'migrate'] }] }
    })
    const arn = started?.taskArn ?? ''
    const seen = new Set<string>()
    const stopped = await pollUntil(
      () => describeTask(arn),
      (t) => {
        seen.add(t.lastStatus ?? '')
        return t.lastStatus === 'STOPPED'
      }
    )
    expect(seen.has('RUNNING')).toBe(true)
    expect(stopped).toMatchObject({
      stopCode: 'EssentialContainerExited',
      stoppedReason: 'Essential container in task exited',
      containers: [expect.objectContaining({ name: 'web', exitCode: 0, lastStatus: 'STOPPED' })]
    })
    // A one-off task belongs to no service.
    const listed = await s.ecs.send(new ListTasksCommand({ cluster: 'demo', serviceName: 'web-rolling' }))
    expect(listed.taskArns).not.toContain(arn)
  })

  test('the exit code knob applies to the next tasks', async () => {
    s.emulator.control.configure({ oneOffExitCode: 3, oneOffRunMs: 10 })
    const out = await s.ecs.send(new RunTaskCommand(migrate))
    const stopped = await pollUntil(
      () => describeTask(out.tasks?.[0]?.taskArn ?? ''),
      (t) => t.lastStatus === 'STOPPED'
    )
    expect(stopped.containers?.[0]?.exitCode).toBe(3)
    expect(() => s.emulator.control.configure({ oneOffExitCode: 256 })).toThrow('oneOffExitCode')
  })

  test('StopTask stops a running task with the reason, UserInitiated', async () => {
    s.emulator.control.configure({ oneOffRunMs: 60_000 })
    const out = await s.ecs.send(new RunTaskCommand(migrate))
    const arn = out.tasks?.[0]?.taskArn ?? ''
    const stop = await s.ecs.send(new StopTaskCommand({ cluster: 'demo', task: arn, reason: 'Deploy cancelled' }))
    expect(stop.task).toMatchObject({
      lastStatus: 'STOPPED',
      stopCode: 'UserInitiated',
      stoppedReason: 'Deploy cancelled'
    })
    expect((await describeTask(arn)).lastStatus).toBe('STOPPED')
    expect(await rejection(s.ecs.send(new StopTaskCommand({ cluster: 'demo', task: 'nope' })))).toMatchObject({
      name: 'InvalidParameterException'
    })
  })

  test.each<[string, Partial<RunTaskCommandInput>, string, string]>([
    [
      'awsvpc without networkConfiguration',
      { networkConfiguration: undefined },
      'InvalidParameterException',
      "Network Configuration must be provided when networkMode 'awsvpc' is specified."
    ],
    ['an unknown task definition', { taskDefinition: 'nope:9' }, 'ClientException', 'TaskDefinition not found.'],
    [
      'an override of an unknown container',
      { overrides: { containerOverrides: [{ name: 'api', command: ['x'] }] } },
      'InvalidParameterException',
      'Override for container named api is not a container in the TaskDefinition.'
    ],
    [
      'a launch type and a capacity provider strategy',
      { capacityProviderStrategy: [{ capacityProvider: 'FARGATE', weight: 1 }] },
      'InvalidParameterException',
      'Specifying both a launchType and capacityProviderStrategy is not supported.'
    ],
    [
      'overrides over 8192 characters of JSON',
      { overrides: { containerOverrides: [{ name: 'web', command: ['sh', '-c', 'x'.repeat(8200)] }] } },
      'InvalidParameterException',
      'Container Overrides length must be at most 8192'
    ],
    ['an unknown cluster', { cluster: 'elsewhere' }, 'ClusterNotFoundException', 'Cluster not found.']
  ])('RunTask rejects %s', async (_name, change, type, message) => {
    expect(await rejection(s.ecs.send(new RunTaskCommand({ ...migrate, ...change })))).toEqual({ name: type, message })
    expect([...s.emulator.model.tasks.values()].filter((t) => t.serviceName === '')).toEqual([])
  })
})
