/**
 * A scripted ECS service for the rolling strategy: each UpdateService starts a timeline (a function of the ms since
 * that update) that decides what DescribeServices shows next.
 */
import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
  type Deployment,
  type Service,
  type Task
} from '@aws-sdk/client-ecs'
import { describedTaskDefinition, liveService, mockTasks, runningTasksOf, tdArn, type Harness } from '../ecs/helpers.js'

export type Timeline = (elapsed: number, update: { id: string; taskDefinition: string }) => Partial<Service>

export const OLD_DEPLOYMENT: Deployment = {
  id: 'ecs-svc/1',
  status: 'PRIMARY',
  taskDefinition: tdArn(41),
  desiredCount: 2,
  runningCount: 2,
  rolloutState: 'COMPLETED',
  rolloutStateReason: 'ECS deployment ecs-svc/1 completed.'
}

export function inProgress(id: string, taskDefinition: string, running = 0): Deployment {
  return { id, status: 'PRIMARY', taskDefinition, desiredCount: 2, runningCount: running, rolloutState: 'IN_PROGRESS' }
}

export function completed(id: string, taskDefinition: string): Deployment {
  return {
    id,
    status: 'PRIMARY',
    taskDefinition,
    desiredCount: 2,
    runningCount: 2,
    rolloutState: 'COMPLETED',
    rolloutStateReason: `ECS deployment ${id} completed.`
  }
}

/** Our deployment completes `after` ms after UpdateService. */
export function completesAfter(after: number): Timeline {
  return (t, u) => ({
    taskDefinition: u.taskDefinition,
    deployments:
      t >= after
        ? [completed(u.id, u.taskDefinition)]
        : [inProgress(u.id, u.taskDefinition, 1), { ...OLD_DEPLOYMENT, status: 'ACTIVE' }]
  })
}

/** Never finishes. */
export const staysInProgress: Timeline = (_t, u) => ({
  taskDefinition: u.taskDefinition,
  deployments: [inProgress(u.id, u.taskDefinition), { ...OLD_DEPLOYMENT, status: 'ACTIVE' }]
})

export class RollingWorld {
  base: Service = liveService({
    deploymentController: { type: 'ECS' },
    deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: true } },
    deployments: [OLD_DEPLOYMENT]
  })
  /** One timeline per UpdateService call, in order; the last one repeats. */
  timelines: Timeline[] = [completesAfter(12_000)]
  registeredArn = tdArn(42)
  stoppedTasks: Task[] = []
  /** The service's running tasks; by default one per desired task, of the service's task definition. */
  runningTasks: Task[] | undefined
  updates: { id: string; taskDefinition: string; at: number }[] = []

  constructor(private readonly h: Harness) {
    const { ecsMock, clock } = h
    ecsMock.on(DescribeServicesCommand).callsFake(async () => ({ services: [this.current()], failures: [] }))
    ecsMock.on(DescribeTaskDefinitionCommand).resolves(describedTaskDefinition())
    ecsMock
      .on(RegisterTaskDefinitionCommand)
      .callsFake(async () => ({ taskDefinition: { taskDefinitionArn: this.registeredArn } }))
    mockTasks(
      h,
      () => this.stoppedTasks,
      () => this.runningTasks ?? runningTasksOf(this.current())
    )
    ecsMock.on(UpdateServiceCommand).callsFake(async (input: { taskDefinition: string }) => {
      // ecs-svc/1 is the deployment the service started with
      this.updates.push({
        id: `ecs-svc/${this.updates.length + 2}`,
        taskDefinition: input.taskDefinition,
        at: clock.now()
      })
      return { service: this.current() }
    })
  }

  current(): Service {
    const last = this.updates.at(-1)
    if (!last) return this.base
    const index = Math.min(this.updates.length - 1, this.timelines.length - 1)
    const timeline = this.timelines[index] as Timeline
    return { ...this.base, ...timeline(this.h.clock.now() - last.at, last) }
  }
}
