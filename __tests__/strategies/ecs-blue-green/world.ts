/**
 * A scripted ECS + CodeDeploy world on aws-sdk-client-mock: the deployment's state is a timeline keyed on the fake
 * clock (ms since CreateDeployment), so poll timing can be asserted exactly.
 */
import {
  CreateDeploymentCommand,
  DeploymentAlreadyCompletedException,
  DeploymentNotStartedException,
  GetDeploymentCommand,
  GetDeploymentGroupCommand,
  GetDeploymentTargetCommand,
  ListDeploymentsCommand,
  StopDeploymentCommand,
  type DeploymentGroupInfo,
  type DeploymentInfo,
  type DeploymentStatus,
  type ECSTarget,
  type LifecycleEventStatus,
  type TargetStatus
} from '@aws-sdk/client-codedeploy'
import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  RegisterTaskDefinitionCommand,
  type Service,
  type Task
} from '@aws-sdk/client-ecs'
import { describedTaskDefinition, liveService, mockTasks, runningTasksOf, tdArn, type Harness } from '../ecs/helpers.js'

export const EVENTS = [
  'BeforeInstall',
  'Install',
  'AfterInstall',
  'AllowTestTraffic',
  'AfterAllowTestTraffic',
  'BeforeAllowTraffic',
  'AllowTraffic',
  'AfterAllowTraffic'
] as const
export type EventName = (typeof EVENTS)[number]

export interface Step {
  /** ms after CreateDeployment from which this state holds. */
  at: number
  status: DeploymentStatus
  targetStatus?: TargetStatus
  events?: Partial<Record<EventName, LifecycleEventStatus>>
  green?: number
  errorInformation?: DeploymentInfo['errorInformation']
  rollbackDeploymentId?: string
}

export const NEW_ID = 'd-NEW1'
export const ROLLBACK_ID = 'd-ROLLBACK1'

/** Every lifecycle event up to and including `upTo` Succeeded. */
export function succeededUpTo(upTo: EventName): Partial<Record<EventName, LifecycleEventStatus>> {
  const out: Partial<Record<EventName, LifecycleEventStatus>> = {}
  for (const name of EVENTS) {
    out[name] = 'Succeeded'
    if (name === upTo) break
  }
  return out
}

export class World {
  service: Service = liveService()
  group: DeploymentGroupInfo = {
    applicationName: 'AppECS-demo-web',
    deploymentGroupName: 'DgpECS-demo-web',
    computePlatform: 'ECS',
    ecsServices: [{ clusterName: 'demo', serviceName: 'web' }],
    blueGreenDeploymentConfiguration: {
      deploymentReadyOption: { actionOnTimeout: 'CONTINUE_DEPLOYMENT' },
      terminateBlueInstancesOnDeploymentSuccess: { action: 'TERMINATE', terminationWaitTimeInMinutes: 5 }
    }
  }
  steps: Step[] = [{ at: 0, status: 'Created' }]
  /** Answers of ListDeployments, one per call; the last one repeats. */
  active: string[][] = [[]]
  stoppedTasks: Task[] = []
  createdAt: number | undefined
  stoppedAt: number | undefined
  /** Whether StopDeployment starts a rollback deployment (ROLLBACK_ID) that succeeds after `rollbackTakesMs`. */
  rollbackOnStop = true
  rollbackTakesMs = 10_000
  /** How the rollback deployment ends. */
  rollbackEnds: 'Succeeded' | 'Failed' = 'Succeeded'
  /** The failed deployment already names this rollback (CodeDeploy rolled back by itself) from this time on. */
  autoRollbackAt: number | undefined
  /** The deployment's own auto-rollback settings, as GetDeployment reports them. */
  autoRollbackConfiguration: DeploymentInfo['autoRollbackConfiguration']
  /** CreateDeployment answers, one per call (an Error is thrown); then NEW_ID. */
  createErrors: Error[] = []
  stopCalls: string[] = []

  constructor(private readonly h: Harness) {
    const { ecsMock, cdMock, clock } = h
    ecsMock.on(DescribeServicesCommand).callsFake(async () => ({ services: [this.service], failures: [] }))
    ecsMock.on(DescribeTaskDefinitionCommand).resolves(describedTaskDefinition())
    ecsMock.on(RegisterTaskDefinitionCommand).resolves({ taskDefinition: { taskDefinitionArn: tdArn(42) } })
    mockTasks(
      h,
      () => this.stoppedTasks,
      () => runningTasksOf(this.service)
    )
    cdMock.on(GetDeploymentGroupCommand).callsFake(async () => ({ deploymentGroupInfo: this.group }))
    cdMock.on(ListDeploymentsCommand).callsFake(async () => {
      const answer = this.active.length > 1 ? this.active.shift() : this.active[0]
      return { deployments: answer ?? [] }
    })
    cdMock.on(CreateDeploymentCommand).callsFake(async () => {
      const error = this.createErrors.shift()
      if (error) throw error
      this.createdAt = clock.now()
      return { deploymentId: NEW_ID }
    })
    cdMock.on(GetDeploymentCommand).callsFake(async (input: { deploymentId: string }) => ({
      deploymentInfo: input.deploymentId === ROLLBACK_ID ? this.rollbackInfo() : this.info()
    }))
    cdMock.on(GetDeploymentTargetCommand).callsFake(async () => {
      const target = this.target()
      if (!target) throw new DeploymentNotStartedException({ message: 'The deployment has not started', $metadata: {} })
      return { deploymentTarget: { deploymentTargetType: 'ECSTarget', ecsTarget: target } }
    })
    cdMock.on(StopDeploymentCommand).callsFake(async (input: { deploymentId: string }) => {
      this.stopCalls.push(input.deploymentId)
      if (input.deploymentId !== NEW_ID) return { status: 'Succeeded' }
      const status = this.current().status
      if (status === 'Succeeded' || status === 'Failed' || status === 'Stopped') {
        throw new DeploymentAlreadyCompletedException({
          message: `The deployment ${NEW_ID} has already completed`,
          $metadata: {}
        })
      }
      this.stoppedAt ??= clock.now()
      return { status: 'Pending' }
    })
  }

  private elapsed(): number {
    return this.h.clock.now() - (this.createdAt ?? this.h.clock.now())
  }

  current(): Step {
    if (this.stoppedAt !== undefined) {
      return { at: 0, status: 'Stopped', ...(this.rollbackOnStop ? { rollbackDeploymentId: ROLLBACK_ID } : {}) }
    }
    const elapsed = this.elapsed()
    let step = this.steps[0] as Step
    for (const s of this.steps) if (s.at <= elapsed) step = s
    if (this.autoRollbackAt !== undefined && elapsed >= this.autoRollbackAt) {
      return { ...step, rollbackDeploymentId: ROLLBACK_ID }
    }
    return step
  }

  info(): DeploymentInfo {
    const step = this.current()
    const info: DeploymentInfo = { deploymentId: NEW_ID, status: step.status }
    if (step.errorInformation) info.errorInformation = step.errorInformation
    if (step.rollbackDeploymentId) info.rollbackInfo = { rollbackDeploymentId: step.rollbackDeploymentId }
    if (this.autoRollbackConfiguration) info.autoRollbackConfiguration = this.autoRollbackConfiguration
    return info
  }

  private rollbackInfo(): DeploymentInfo {
    const from = this.stoppedAt ?? (this.createdAt ?? 0) + (this.autoRollbackAt ?? 0)
    const done = this.h.clock.now() - from >= this.rollbackTakesMs
    return { deploymentId: ROLLBACK_ID, status: done ? this.rollbackEnds : 'InProgress', creator: 'codeDeployRollback' }
  }

  target(): ECSTarget | undefined {
    const step = this.current()
    if (step.status === 'Created' || step.status === 'Queued') return undefined
    const created = new Date(this.createdAt ?? 0)
    return {
      deploymentId: NEW_ID,
      targetId: 'demo:web',
      status: step.targetStatus ?? 'InProgress',
      lifecycleEvents: EVENTS.map((name) => {
        const status = step.events?.[name] ?? 'Pending'
        return {
          lifecycleEventName: name,
          status,
          ...(status !== 'Pending' ? { startTime: created } : {}),
          ...(status === 'Succeeded' || status === 'Failed' ? { endTime: new Date(created.getTime() + 2000) } : {})
        }
      }),
      taskSetsInfo: [
        { identifer: 'ecs-svc/1', taskSetLabel: 'Blue', trafficWeight: 100 - (step.green ?? 0), status: 'PRIMARY' },
        { identifer: 'ecs-svc/2', taskSetLabel: 'Green', trafficWeight: step.green ?? 0, status: 'ACTIVE' }
      ]
    }
  }
}
