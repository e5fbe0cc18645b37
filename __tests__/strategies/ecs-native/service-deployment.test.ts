/**
 * ecs-native's reading of service deployments with faked AWS answers (aws-sdk-client-mock): what the emulator does
 * not produce — an UpdateService answer without `currentServiceDeployment`, a rollback going through the traffic
 * stages again, a deployment not shown yet — and the pure pre-flight checks.
 */
import {
  DescribeServiceDeploymentsCommand,
  DescribeServiceRevisionsCommand,
  DescribeServicesCommand,
  ListServiceDeploymentsCommand,
  type Service,
  type ServiceDeployment
} from '@aws-sdk/client-ecs'
import type { EcsNativeConfig } from '../../../src/strategies/ecs-native/config.js'
import { checkLoadBalancers, waitBudget } from '../../../src/strategies/ecs-native/preflight.js'
import {
  findOurDeployment,
  followServiceDeployment,
  type FollowRequest
} from '../../../src/strategies/ecs-native/service-deployment.js'
import { harness, rollingConfig, tdArn, type Harness } from '../ecs/helpers.js'

const ARN = 'arn:aws:ecs:eu-west-1:123456789012:service-deployment/demo/web/abc'
const REVISION = (n: number): string => `arn:aws:ecs:eu-west-1:123456789012:service-revision/demo/web/${n}`

function poll(h: Harness, deadlineMs = 60_000) {
  return { clock: h.clock, log: h.log, intervalMs: 5000, deadline: h.clock.now() + deadlineMs }
}

/** DescribeServiceDeployments answers the next of `reads` each call (the last one repeats); no service events. */
function script(h: Harness, reads: (ServiceDeployment | undefined)[]): void {
  let i = 0
  h.ecsMock.on(DescribeServiceDeploymentsCommand).callsFake(async () => {
    const read = reads[Math.min(i++, reads.length - 1)]
    return read
      ? { serviceDeployments: [{ serviceDeploymentArn: ARN, ...read }], failures: [] }
      : { failures: [{ arn: ARN, reason: 'MISSING' }] }
  })
  h.ecsMock.on(DescribeServicesCommand).resolves({ services: [{ serviceName: 'web', events: [] }] })
}

const request = (patch: Partial<FollowRequest> = {}): FollowRequest => ({
  cluster: 'demo',
  service: 'web',
  arn: ARN,
  since: 0,
  label: 'Deployment',
  until: 'traffic-shifted',
  gate: false,
  ...patch
})

describe('followServiceDeployment', () => {
  test('a rollback that goes through the traffic stages again is never taken for traffic shifted', async () => {
    const h = harness()
    script(h, [
      { status: 'IN_PROGRESS', lifecycleStage: 'TEST_TRAFFIC_SHIFT' },
      { status: 'ROLLBACK_IN_PROGRESS', lifecycleStage: 'PRODUCTION_TRAFFIC_SHIFT' },
      { status: 'ROLLBACK_IN_PROGRESS', lifecycleStage: 'POST_PRODUCTION_TRAFFIC_SHIFT' },
      {
        status: 'ROLLBACK_SUCCESSFUL',
        lifecycleStage: 'CLEAN_UP',
        statusReason: 'Service deployment rolled back because the circuit breaker threshold was exceeded.'
      }
    ])
    const result = await followServiceDeployment(h.ecs, request(), poll(h))
    expect(result.outcome).toEqual({
      kind: 'done',
      value: {
        kind: 'rolled-back',
        reason: 'Service deployment rolled back because the circuit breaker threshold was exceeded.'
      }
    })
    expect(result.shifted).toBe(false)
  })

  test('traffic-shifted: a read that skipped POST_PRODUCTION_TRAFFIC_SHIFT (already BAKE_TIME) counts by position', async () => {
    const h = harness()
    script(h, [
      { status: 'IN_PROGRESS', lifecycleStage: 'PRODUCTION_TRAFFIC_SHIFT' },
      { status: 'IN_PROGRESS', lifecycleStage: 'BAKE_TIME' }
    ])
    const result = await followServiceDeployment(h.ecs, request(), poll(h))
    expect(result.outcome).toEqual({ kind: 'done', value: { kind: 'traffic-shifted' } })
    expect(h.clock.sleeps).toEqual([5000])
  })

  test('the gate stops only at an awaiting PAUSE hook of POST_TEST_TRAFFIC_SHIFT it has not answered', async () => {
    const h = harness()
    const pause = { hookId: 'ecs-pause-1', targetType: 'PAUSE' as const, status: 'AWAITING_ACTION' as const }
    script(h, [
      {
        status: 'IN_PROGRESS',
        lifecycleStage: 'POST_SCALE_UP',
        lifecycleHookDetails: [{ ...pause, hookId: 'ecs-pause-0' }]
      },
      { status: 'IN_PROGRESS', lifecycleStage: 'POST_TEST_TRAFFIC_SHIFT', lifecycleHookDetails: [pause] }
    ])
    const result = await followServiceDeployment(h.ecs, request({ gate: true }), poll(h))
    expect(result.outcome).toEqual({ kind: 'done', value: { kind: 'paused', hookId: 'ecs-pause-1' } })
    expect(h.log.matching('[hook]')).toEqual([
      'info:   [hook] PAUSE ecs-pause-0: AWAITING_ACTION',
      'info:   [hook] PAUSE ecs-pause-1: AWAITING_ACTION'
    ])
  })

  test('a deployment not shown yet (read lag) is waited for; still missing after a minute is an error', async () => {
    const h = harness()
    script(h, [undefined])
    await expect(followServiceDeployment(h.ecs, request(), poll(h, 10 * 60_000))).rejects.toThrow(
      'Service deployment abc is not shown by DescribeServiceDeployments (MISSING)'
    )
    expect(h.clock.elapsed).toBe(60_000)
  })
})

describe('findOurDeployment', () => {
  test('without currentServiceDeployment: the newest deployment since the update whose target revision runs ours', async () => {
    const h = harness()
    h.ecsMock.on(ListServiceDeploymentsCommand).resolves({
      serviceDeployments: [
        { serviceDeploymentArn: `${ARN}-other`, targetServiceRevisionArn: REVISION(3), createdAt: new Date(3000) },
        { serviceDeploymentArn: ARN, targetServiceRevisionArn: REVISION(2), createdAt: new Date(2000) }
      ]
    })
    h.ecsMock.on(DescribeServiceRevisionsCommand).resolves({
      serviceRevisions: [
        { serviceRevisionArn: REVISION(2), taskDefinition: tdArn(42) },
        { serviceRevisionArn: REVISION(3), taskDefinition: tdArn(43) }
      ]
    })
    const found = await findOurDeployment(
      h.ecs,
      { cluster: 'demo', service: 'web', taskDefinitionArn: tdArn(42), after: new Date(1000) },
      poll(h)
    )
    expect(found).toBe(ARN)
    expect(h.ecsMock.commandCalls(ListServiceDeploymentsCommand)[0]?.args[0].input).toMatchObject({
      cluster: 'demo',
      service: 'web',
      createdAt: { after: new Date(1000) }
    })
  })
})

const nativeService = (patch: Partial<Service['deploymentConfiguration']> = {}): Service => ({
  serviceName: 'web',
  deploymentConfiguration: { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 15, ...patch },
  loadBalancers: [
    {
      targetGroupArn: 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/web-blue/1',
      containerName: 'web',
      containerPort: 80,
      advancedConfiguration: { alternateTargetGroupArn: 'tg-green', productionListenerRule: 'rule-prod' }
    }
  ]
})

const config = (patch: Partial<EcsNativeConfig> = {}): EcsNativeConfig => ({
  ...rollingConfig(),
  waitUntil: 'succeeded',
  onActiveDeployment: 'fail',
  ...patch,
  strategy: 'ecs-native'
})

describe('ecs-native pre-flight checks', () => {
  test('a load balancer without the role in advancedConfiguration is refused, naming it', () => {
    expect(() => checkLoadBalancers(nativeService(), 'demo/web')).toThrow(
      'its load balancer web:80 (arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/web-blue/1) lacks advancedConfiguration.roleArn'
    )
  })

  test.each([
    ['BLUE_GREEN, succeeded', {}, {}, 15, ['bake time 15 min']],
    ['BLUE_GREEN, traffic-shifted', {}, { waitUntil: 'traffic-shifted' as const }, 0, []],
    [
      'LINEAR 25% × 3 min, a Lambda hook with a 10 min timeout on two stages',
      {
        strategy: 'LINEAR' as const,
        linearConfiguration: { stepPercent: 25, stepBakeTimeInMinutes: 3 },
        lifecycleHooks: [
          {
            hookTargetArn: 'arn:aws:lambda:eu-west-1:123456789012:function:check',
            lifecycleStages: ['POST_SCALE_UP' as const, 'POST_TEST_TRAFFIC_SHIFT' as const],
            timeoutConfiguration: { timeoutInMinutes: 10 }
          }
        ]
      },
      {},
      44,
      ['3 linear step bakes 9 min', 'bake time 15 min', 'AWS_LAMBDA hook timeout 20 min']
    ],
    [
      "CANARY (default bake 10), the gate's PAUSE hook counted at verify-timeout",
      {
        strategy: 'CANARY' as const,
        lifecycleHooks: [{ targetType: 'PAUSE' as const, lifecycleStages: ['POST_TEST_TRAFFIC_SHIFT' as const] }]
      },
      { verify: { command: './smoke.sh', timeoutMs: 120_000 } },
      27,
      ['canary bake 10 min', 'bake time 15 min', 'PAUSE hook timeout 2 min']
    ]
  ])('wait budget: %s', (_name, dc, patch, minutes, parts) => {
    expect(waitBudget(nativeService(dc), config(patch))).toEqual({ minutes, parts })
  })
})
