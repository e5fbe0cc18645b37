import {
  ContinueServiceDeploymentCommand,
  DescribeServiceDeploymentsCommand,
  DescribeServiceRevisionsCommand,
  DescribeServicesCommand,
  DescribeTasksCommand,
  ListServiceDeploymentsCommand,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  type ServiceDeployment,
  StopServiceDeploymentCommand,
  type StopServiceDeploymentStopType,
  UpdateServiceCommand,
  type UpdateServiceCommandInput
} from '@aws-sdk/client-ecs'
import { type Setup, TD_WEB_1, pollUntil, setUp, tearDown } from './helpers.js'

const TD_WEB_2 = 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:2'

let s: Setup
beforeAll(async () => {
  s = await setUp({ fixture: 'native' })
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

async function registerWeb2(): Promise<string> {
  const out = await s.ecs.send(
    new RegisterTaskDefinitionCommand({
      family: 'web',
      networkMode: 'awsvpc',
      containerDefinitions: [{ name: 'web', image: 'nginx:1.28', portMappings: [{ containerPort: 80 }] }]
    })
  )
  return out.taskDefinition?.taskDefinitionArn ?? ''
}

/** Deploys web:2 to `service`; returns the new service deployment's ARN. */
async function deploy(service: string, extra: Partial<UpdateServiceCommandInput> = {}): Promise<string> {
  const taskDefinition = await registerWeb2()
  const out = await s.ecs.send(new UpdateServiceCommand({ cluster: 'demo', service, taskDefinition, ...extra }))
  const arn = out.service?.currentServiceDeployment
  if (!arn) throw new Error('no currentServiceDeployment')
  return arn
}

async function describe1(arn: string): Promise<ServiceDeployment> {
  const out = await s.ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [arn] }))
  const found = out.serviceDeployments?.[0]
  if (!found) throw new Error(`${arn} missing: ${JSON.stringify(out.failures)}`)
  return found
}

/** Polls until `done`, collecting every (status, stage, target production weight) seen on the way. */
async function watch(
  arn: string,
  done: (d: ServiceDeployment) => boolean,
  timeoutMs = 8000
): Promise<{ last: ServiceDeployment; statuses: string[]; stages: string[]; weights: number[] }> {
  const statuses: string[] = []
  const stages: string[] = []
  const weights: number[] = []
  const push = <T>(list: T[], v: T | undefined): void => {
    if (v !== undefined && list[list.length - 1] !== v) list.push(v)
  }
  const last = await pollUntil(
    async () => {
      const d = await describe1(arn)
      push(statuses, d.status)
      push(stages, d.lifecycleStage)
      push(weights, d.targetServiceRevision?.requestedProductionTrafficWeight)
      return d
    },
    done,
    timeoutMs,
    2
  )
  return { last, statuses, stages, weights }
}

const terminal = (d: ServiceDeployment): boolean =>
  ['SUCCESSFUL', 'STOPPED', 'ROLLBACK_SUCCESSFUL', 'ROLLBACK_FAILED'].includes(d.status ?? '')

/** The task definitions the service's RUNNING tasks run, sorted, without repeats. */
async function running(service: string): Promise<string[]> {
  const list = await s.ecs.send(new ListTasksCommand({ cluster: 'demo', serviceName: service }))
  if (!list.taskArns?.length) return []
  const out = await s.ecs.send(new DescribeTasksCommand({ cluster: 'demo', tasks: list.taskArns }))
  return [...new Set((out.tasks ?? []).map((t) => t.taskDefinitionArn ?? ''))].sort()
}

/** `expected` is what `seen` shows of those values, in order (repeats in a row count once). */
function inOrder(seen: string[], expected: string[]): void {
  const shown = seen.filter((x, i) => expected.includes(x) && seen[i - 1] !== x)
  expect(shown).toEqual(expected)
}

describe('a successful deployment', () => {
  test('BLUE_GREEN: PENDING → IN_PROGRESS through every stage → SUCCESSFUL; tasks move from web:1 to web:2', async () => {
    s.emulator.control.configure({ stepMs: 40, bakeMs: 200 })
    const taskDefinition = await registerWeb2()
    const out = await s.ecs.send(new UpdateServiceCommand({ cluster: 'demo', service: 'web-native', taskDefinition }))
    const arn = out.service?.currentServiceDeployment ?? ''
    expect(arn).toMatch(/^arn:aws:ecs:us-east-1:123456789012:service-deployment\/demo\/web-native\/[\w-]{21}$/)
    expect(out.service?.taskDefinition).toBe(TD_WEB_2)
    expect(out.service?.deployments?.map((d) => [d.status, d.taskDefinition])).toEqual([
      ['PRIMARY', TD_WEB_2],
      ['ACTIVE', TD_WEB_1]
    ])
    expect(out.service?.currentServiceRevisions).toHaveLength(2)

    const bake = await watch(arn, (d) => d.lifecycleStage === 'BAKE_TIME')
    expect(await running('web-native')).toEqual([TD_WEB_1, TD_WEB_2])
    expect(bake.last.targetServiceRevision).toMatchObject({
      requestedProductionTrafficWeight: 100,
      requestedTestTrafficWeight: 100,
      runningTaskCount: 2
    })
    const end = await watch(arn, terminal)
    const statuses = [...bake.statuses, ...end.statuses]
    const stages = [...bake.stages, ...end.stages]
    inOrder(statuses, ['PENDING', 'IN_PROGRESS', 'SUCCESSFUL'])
    inOrder(stages, [
      'PRE_SCALE_UP',
      'SCALE_UP',
      'POST_SCALE_UP',
      'TEST_TRAFFIC_SHIFT',
      'POST_TEST_TRAFFIC_SHIFT',
      'PRE_PRODUCTION_TRAFFIC_SHIFT',
      'PRODUCTION_TRAFFIC_SHIFT',
      'POST_PRODUCTION_TRAFFIC_SHIFT',
      'BAKE_TIME',
      'CLEAN_UP'
    ])
    expect(stages).not.toContain('RECONCILE_SERVICE') // only one revision was ACTIVE
    expect(end.last.finishedAt).toBeInstanceOf(Date)
    expect(end.last.statusReason).toBeDefined()
    expect(await running('web-native')).toEqual([TD_WEB_2])

    const service = (await s.ecs.send(new DescribeServicesCommand({ cluster: 'demo', services: ['web-native'] })))
      .services?.[0]
    expect(service?.currentServiceDeployment).toBe(arn)
    expect(service?.deployments).toEqual([
      expect.objectContaining({ status: 'PRIMARY', taskDefinition: TD_WEB_2, rolloutState: 'COMPLETED' })
    ])
    const revisions = await s.ecs.send(
      new DescribeServiceRevisionsCommand({
        serviceRevisionArns: [
          end.last.targetServiceRevision?.arn ?? '',
          end.last.sourceServiceRevisions?.[0]?.arn ?? ''
        ]
      })
    )
    expect(revisions.serviceRevisions?.map((r) => r.taskDefinition)).toEqual([TD_WEB_2, TD_WEB_1])
    expect(revisions.serviceRevisions?.[0]).toMatchObject({
      launchType: 'FARGATE',
      platformVersion: '1.4.0',
      containerImages: [{ containerName: 'web', image: 'nginx:1.28' }]
    })
    expect(revisions.serviceRevisions?.[0]?.loadBalancers?.[0]?.advancedConfiguration?.alternateTargetGroupArn).toMatch(
      /targetgroup\/web-native-green\//
    )
  })

  test('LINEAR shifts production traffic in stepPercent steps; CANARY in canaryPercent then the rest', async () => {
    s.emulator.control.configure({ stepBakeMs: 150 })
    const linear = await watch(await deploy('web-linear'), terminal)
    expect(linear.last.status).toBe('SUCCESSFUL')
    expect(linear.weights.filter((w) => w > 0)).toEqual([50, 100])
    expect(linear.stages.filter((x) => x === 'PRODUCTION_TRAFFIC_SHIFT')).toHaveLength(2)

    const canary = await watch(await deploy('web-canary'), terminal)
    expect(canary.last.status).toBe('SUCCESSFUL')
    expect(canary.weights.filter((w) => w > 0)).toEqual([10, 100])
  })
})

describe('lifecycle hooks', () => {
  const pauseAfterTestTraffic: Partial<UpdateServiceCommandInput> = {
    deploymentConfiguration: {
      strategy: 'BLUE_GREEN',
      bakeTimeInMinutes: 5,
      lifecycleHooks: [{ targetType: 'PAUSE', lifecycleStages: ['POST_TEST_TRAFFIC_SHIFT'] }]
    }
  }

  async function paused(arn: string): Promise<string> {
    const { last } = await watch(
      arn,
      (d) => d.lifecycleHookDetails?.some((h) => h.status === 'AWAITING_ACTION') ?? false
    )
    expect(last.status).toBe('IN_PROGRESS')
    expect(last.lifecycleStage).toBe('POST_TEST_TRAFFIC_SHIFT')
    const hook = last.lifecycleHookDetails?.[0]
    expect(hook).toMatchObject({ targetType: 'PAUSE', status: 'AWAITING_ACTION', timeoutAction: 'ROLLBACK' })
    expect(hook?.hookId).toMatch(/^ecs-pause-[\w-]{43}$/)
    expect(hook?.expiresAt).toBeInstanceOf(Date)
    return hook?.hookId ?? ''
  }

  test('a PAUSE hook holds the deployment until ContinueServiceDeployment CONTINUE', async () => {
    const arn = await deploy('web-native', pauseAfterTestTraffic)
    const hookId = await paused(arn)
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect((await describe1(arn)).lifecycleStage).toBe('POST_TEST_TRAFFIC_SHIFT')

    const wrong = await rejection(
      s.ecs.send(new ContinueServiceDeploymentCommand({ serviceDeploymentArn: arn, hookId: 'ecs-pause-nope' }))
    )
    expect(wrong.name).toBe('InvalidParameterException')
    const out = await s.ecs.send(new ContinueServiceDeploymentCommand({ serviceDeploymentArn: arn, hookId }))
    expect(out.serviceDeploymentArn).toBe(arn)
    const { last } = await watch(arn, terminal)
    expect(last.status).toBe('SUCCESSFUL')
    expect(last.lifecycleHookDetails?.[0]?.status).toBe('SUCCEEDED')
    expect(await running('web-native')).toEqual([TD_WEB_2])
    // Not paused any more.
    const again = await rejection(
      s.ecs.send(new ContinueServiceDeploymentCommand({ serviceDeploymentArn: arn, hookId, action: 'CONTINUE' }))
    )
    expect(again.name).toBe('InvalidParameterException')
  })

  test('ContinueServiceDeployment ROLLBACK rolls back: traffic and tasks return to the source revision', async () => {
    const arn = await deploy('web-native', pauseAfterTestTraffic)
    const hookId = await paused(arn)
    await s.ecs.send(new ContinueServiceDeploymentCommand({ serviceDeploymentArn: arn, hookId, action: 'ROLLBACK' }))
    const { last, statuses } = await watch(arn, terminal)
    inOrder(statuses, ['ROLLBACK_REQUESTED', 'ROLLBACK_IN_PROGRESS', 'ROLLBACK_SUCCESSFUL'])
    expect(last.rollback?.serviceRevisionArn).toBe(last.sourceServiceRevisions?.[0]?.arn)
    expect(last.rollback?.startedAt).toBeInstanceOf(Date)
    expect(last.sourceServiceRevisions?.[0]?.requestedProductionTrafficWeight).toBe(100)
    expect(await running('web-native')).toEqual([TD_WEB_1])
    const service = (await s.ecs.send(new DescribeServicesCommand({ cluster: 'demo', services: ['web-native'] })))
      .services?.[0]
    expect(service?.taskDefinition).toBe(TD_WEB_1)
  })

  test('a Lambda hook the knob fails rolls the deployment back with AWS wording', async () => {
    const lambda = 'arn:aws:lambda:us-east-1:123456789012:function:smoke'
    s.emulator.control.nativeDeployments({ service: 'web-native', hooks: { TEST_TRAFFIC_SHIFT: 'FAIL' } })
    const arn = await deploy('web-native', {
      deploymentConfiguration: {
        strategy: 'BLUE_GREEN',
        lifecycleHooks: [
          {
            hookTargetArn: lambda,
            roleArn: 'arn:aws:iam::123456789012:role/hooks',
            lifecycleStages: ['POST_SCALE_UP', 'TEST_TRAFFIC_SHIFT']
          }
        ]
      }
    })
    const { last } = await watch(arn, terminal)
    expect(last.status).toBe('ROLLBACK_SUCCESSFUL')
    expect(last.statusReason).toBe(
      `Service deployment rolled back because TEST_TRAFFIC_SHIFT lifecycle hook(s) failed. Lifecycle hook target ${lambda} returned FAILED status.`
    )
    expect(last.lifecycleHookDetails?.map((h) => [h.targetType, h.targetArn, h.status])).toEqual([
      ['AWS_LAMBDA', lambda, 'SUCCEEDED'],
      ['AWS_LAMBDA', lambda, 'FAILED']
    ])
    expect(await running('web-native')).toEqual([TD_WEB_1])
  })
})

describe('failures and rollbacks', () => {
  test('failing tasks trip the circuit breaker: ROLLBACK_REQUESTED → ROLLBACK_IN_PROGRESS → ROLLBACK_SUCCESSFUL', async () => {
    s.emulator.control.nativeDeployments({ failTasks: true })
    const arn = await deploy('web-native')
    const { last, statuses } = await watch(arn, terminal)
    inOrder(statuses, ['PENDING', 'IN_PROGRESS', 'ROLLBACK_REQUESTED', 'ROLLBACK_IN_PROGRESS', 'ROLLBACK_SUCCESSFUL'])
    expect(last.statusReason).toBe('Service deployment rolled back because the circuit breaker threshold was exceeded.')
    expect(last.deploymentCircuitBreaker).toEqual({ status: 'TRIGGERED', failureCount: 3, threshold: 3 })
    expect(last.rollback).toMatchObject({
      reason: last.statusReason,
      serviceRevisionArn: last.sourceServiceRevisions?.[0]?.arn
    })
    expect(await running('web-native')).toEqual([TD_WEB_1])
    const stopped = await s.ecs.send(
      new ListTasksCommand({ cluster: 'demo', serviceName: 'web-native', desiredStatus: 'STOPPED' })
    )
    const tasks = (await s.ecs.send(new DescribeTasksCommand({ cluster: 'demo', tasks: stopped.taskArns ?? [] }))).tasks
    expect(tasks?.filter((t) => t.taskDefinitionArn === TD_WEB_2)).toHaveLength(3)
    expect(tasks?.[0]?.stoppedReason).toMatch(/^Task failed ELB health checks in \(target-group arn:.*web-native-green/)
  })

  test('failing tasks with the circuit breaker but no rollback stop the deployment (STOPPED)', async () => {
    s.emulator.control.nativeDeployments({ failTasks: true })
    const arn = await deploy('web-native', {
      deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: false } }
    })
    const { last } = await watch(arn, terminal)
    expect(last.status).toBe('STOPPED')
    expect(last.stoppedAt).toBeInstanceOf(Date)
    expect(last.rollback).toBeUndefined()
    expect(await running('web-native')).toEqual([TD_WEB_1])
  })

  test('the rollbackFails knob ends a rollback ROLLBACK_FAILED, leaving both revisions running', async () => {
    s.emulator.control.nativeDeployments({
      service: 'web-native',
      hooks: { POST_SCALE_UP: 'FAIL' },
      rollbackFails: true
    })
    const arn = await deploy('web-native', {
      deploymentConfiguration: {
        lifecycleHooks: [
          { hookTargetArn: 'arn:aws:lambda:us-east-1:123456789012:function:f', lifecycleStages: ['POST_SCALE_UP'] }
        ]
      }
    })
    const { last } = await watch(arn, terminal)
    expect(last.status).toBe('ROLLBACK_FAILED')
    expect(last.rollback?.reason).toMatch(/POST_SCALE_UP lifecycle hook\(s\) failed/)
    expect(await running('web-native')).toEqual([TD_WEB_1, TD_WEB_2])
  })

  test('StopServiceDeployment ROLLBACK; a finished one is ConflictException; unknown and ABORT are refused', async () => {
    s.emulator.control.configure({ bakeMs: 5000 })
    const arn = await deploy('web-native')
    await watch(arn, (d) => d.lifecycleStage === 'BAKE_TIME')
    const out = await s.ecs.send(new StopServiceDeploymentCommand({ serviceDeploymentArn: arn, stopType: 'ROLLBACK' }))
    expect(out.serviceDeploymentArn).toBe(arn)
    expect((await describe1(arn)).status).toBe('ROLLBACK_REQUESTED')
    // Stopping one that is already rolling back carries on.
    await s.ecs.send(new StopServiceDeploymentCommand({ serviceDeploymentArn: arn }))
    const { last } = await watch(arn, terminal)
    expect(last.status).toBe('ROLLBACK_SUCCESSFUL')
    expect(last.stoppedAt).toBeInstanceOf(Date)
    expect(await running('web-native')).toEqual([TD_WEB_1])

    const conflict = await rejection(s.ecs.send(new StopServiceDeploymentCommand({ serviceDeploymentArn: arn })))
    expect(conflict.name).toBe('ConflictException')
    const unknown = await rejection(
      s.ecs.send(new StopServiceDeploymentCommand({ serviceDeploymentArn: `${arn.slice(0, -3)}xyz` }))
    )
    expect(unknown.name).toBe('ServiceDeploymentNotFoundException')
    const abort = await rejection(
      s.ecs.send(
        new StopServiceDeploymentCommand({
          serviceDeploymentArn: arn,
          stopType: 'ABORT' as StopServiceDeploymentStopType
        })
      )
    )
    expect(abort.name).toBe('InvalidParameterException')
    const cont = await rejection(
      s.ecs.send(new ContinueServiceDeploymentCommand({ serviceDeploymentArn: `${arn}x`, hookId: 'h' }))
    )
    expect(cont.name).toBe('ServiceDeploymentNotFoundException')
  })
})

describe('refusals', () => {
  test('a load balancer without advancedConfiguration is refused with ECS wording; nothing changes', async () => {
    const error = await rejection(deploy('web-native-noadv'))
    expect(error).toEqual({
      name: 'ClientException',
      message:
        'advancedConfiguration field is required for all loadBalancers when using the Blue/green deployment strategy'
    })
    const service = (await s.ecs.send(new DescribeServicesCommand({ cluster: 'demo', services: ['web-native-noadv'] })))
      .services?.[0]
    expect(service?.taskDefinition).toBe(TD_WEB_1)
    const list = await s.ecs.send(new ListServiceDeploymentsCommand({ cluster: 'demo', service: 'web-native-noadv' }))
    expect(list.serviceDeployments?.map((d) => d.status)).toEqual(['SUCCESSFUL'])

    const toCanary = await rejection(
      s.ecs.send(
        new UpdateServiceCommand({
          cluster: 'demo',
          service: 'web-rolling',
          deploymentConfiguration: { strategy: 'CANARY' }
        })
      )
    )
    expect(toCanary.message).toBe(
      'advancedConfiguration field is required for all loadBalancers when using the canary deployment strategy'
    )
  })

  test('hooks on stages that take none, PAUSE on a Lambda-only stage, bad percentages are InvalidParameterException', async () => {
    const update = (deploymentConfiguration: UpdateServiceCommandInput['deploymentConfiguration']): Promise<unknown> =>
      s.ecs.send(new UpdateServiceCommand({ cluster: 'demo', service: 'web-native', deploymentConfiguration }))
    for (const config of [
      { lifecycleHooks: [{ targetType: 'PAUSE' as const, lifecycleStages: ['PRODUCTION_TRAFFIC_SHIFT' as const] }] },
      { lifecycleHooks: [{ targetType: 'PAUSE' as const, lifecycleStages: ['BAKE_TIME' as 'PRE_SCALE_UP'] }] },
      { lifecycleHooks: [{ lifecycleStages: ['PRE_SCALE_UP' as const] }] },
      { linearConfiguration: { stepPercent: 2 } },
      { canaryConfiguration: { canaryPercent: 10.05 } }
    ]) {
      expect((await rejection(update(config))).name).toBe('InvalidParameterException')
    }
  })

  test('DescribeServiceDeployments: unknown ARNs are MISSING failures; more than 20 or none is refused', async () => {
    const ghost = 'arn:aws:ecs:us-east-1:123456789012:service-deployment/demo/web-native/ghost'
    const out = await s.ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [ghost] }))
    expect(out.failures).toEqual([{ arn: ghost, reason: 'MISSING' }])
    const many = Array.from({ length: 21 }, () => ghost)
    for (const arns of [many, []]) {
      const error = await rejection(s.ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: arns })))
      expect(error.name).toBe('InvalidParameterException')
    }
    const unknownService = await rejection(
      s.ecs.send(new ListServiceDeploymentsCommand({ cluster: 'demo', service: 'ghost' }))
    )
    expect(unknownService.name).toBe('ServiceNotFoundException')
  })
})

describe('ListServiceDeployments and concurrent deployments', () => {
  test('a second UpdateService supersedes a running deployment (STOPPED); the new one reconciles; pages newest first', async () => {
    s.emulator.control.configure({ bakeMs: 5000 })
    const first = await deploy('web-native')
    await watch(first, (d) => d.lifecycleStage === 'BAKE_TIME')
    const second = (
      await s.ecs.send(new UpdateServiceCommand({ cluster: 'demo', service: 'web-native', forceNewDeployment: true }))
    ).service?.currentServiceDeployment
    expect((await describe1(first)).status).toBe('STOPPED')
    const third = (
      await s.ecs.send(new UpdateServiceCommand({ cluster: 'demo', service: 'web-native', forceNewDeployment: true }))
    ).service?.currentServiceDeployment
    s.emulator.control.configure({ bakeMs: 20 })
    const { last, stages } = await watch(third ?? '', terminal)
    expect(last.status).toBe('SUCCESSFUL')
    expect(stages[0]).toBe('RECONCILE_SERVICE')
    expect(last.sourceServiceRevisions).toHaveLength(3)

    const page1 = await s.ecs.send(
      new ListServiceDeploymentsCommand({ cluster: 'demo', service: 'web-native', maxResults: 2 })
    )
    expect(page1.serviceDeployments?.map((d) => d.serviceDeploymentArn)).toEqual([third, second])
    expect(page1.nextToken).toBeDefined()
    const page2 = await s.ecs.send(
      new ListServiceDeploymentsCommand({
        cluster: 'demo',
        service: 'web-native',
        maxResults: 2,
        nextToken: page1.nextToken
      })
    )
    expect(page2.serviceDeployments?.map((d) => d.serviceDeploymentArn)[0]).toBe(first)
    expect(page2.serviceDeployments?.[1]?.status).toBe('SUCCESSFUL') // the seeded initial deployment
    expect(page2.nextToken).toBeUndefined()
    const stopped = await s.ecs.send(
      new ListServiceDeploymentsCommand({ cluster: 'demo', service: 'web-native', status: ['STOPPED'] })
    )
    expect(stopped.serviceDeployments?.map((d) => d.serviceDeploymentArn)).toEqual([second, first])
    expect(page1.serviceDeployments?.[0]?.targetServiceRevisionArn).toBe(last.targetServiceRevision?.arn)
    const later = await s.ecs.send(
      new ListServiceDeploymentsCommand({
        cluster: 'demo',
        service: 'web-native',
        createdAt: { after: new Date(Date.now() + 60_000) }
      })
    )
    expect(later.serviceDeployments).toEqual([])
  })

  test('consistency.readLagMs: DescribeServiceDeployments shows a deployment as it was, and a new one as MISSING', async () => {
    s.emulator.control.consistency({ readLagMs: 300 })
    const arn = await deploy('web-native')
    const early = await s.ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [arn] }))
    expect(early.failures).toEqual([{ arn, reason: 'MISSING' }])
    const seen = await pollUntil(
      () => describe1(arn).catch(() => undefined),
      (d) => d !== undefined,
      3000
    )
    expect(seen?.status).toBe('PENDING')
  })
})
