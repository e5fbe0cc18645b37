import { DescribeServicesCommand, DescribeTasksCommand, ListTasksCommand, type Task } from '@aws-sdk/client-ecs'
import {
  codeDeployHeadline,
  describeStoppedTask,
  explainFailure,
  gatherDiagnostics
} from '../../../src/strategies/ecs/explain.js'
import { harness, liveService, tdArn } from './helpers.js'

const at = (iso: string): Date => new Date(iso)

const pullFailure: Task = {
  taskArn: 'arn:aws:ecs:eu-west-1:1:task/demo/aaa111',
  taskDefinitionArn: tdArn(42),
  stopCode: 'TaskFailedToStart',
  stoppedReason: 'CannotPullContainerError: pull image manifest has been retried 5 time(s): not found',
  stoppedAt: at('2026-03-01T12:03:00Z'),
  containers: [{ name: 'web', exitCode: undefined, reason: 'CannotPullContainerError: not found' }]
}
const exited: Task = {
  taskArn: 'arn:aws:ecs:eu-west-1:1:task/demo/bbb222',
  taskDefinitionArn: tdArn(42),
  stopCode: 'EssentialContainerExited',
  stoppedReason: 'Essential container in task exited',
  stoppedAt: at('2026-03-01T12:04:00Z'),
  containers: [
    { name: 'web', exitCode: 1 },
    { name: 'sidecar', exitCode: 0 }
  ]
}
const oldTask: Task = {
  ...exited,
  taskArn: 'arn:…/old',
  taskDefinitionArn: tdArn(41),
  stoppedReason: 'Scaling activity'
}

describe('describeStoppedTask', () => {
  test('stop reason, then containers with a non-zero exit code or a reason', () => {
    expect(describeStoppedTask(exited)).toBe('Essential container in task exited; container web: exit code 1')
    expect(describeStoppedTask(pullFailure)).toBe(
      'CannotPullContainerError: pull image manifest has been retried 5 time(s): not found; container web: CannotPullContainerError: not found'
    )
  })
})

describe('codeDeployHeadline', () => {
  test('names the failed lifecycle event and the error code and message', () => {
    expect(
      codeDeployHeadline(
        'd-ABC',
        {
          status: 'Failed',
          errorInformation: { code: 'HOOK_EXECUTION_FAILURE', message: 'Lambda smoke-test returned Failed' }
        },
        [
          { lifecycleEventName: 'BeforeInstall', status: 'Succeeded' },
          { lifecycleEventName: 'AfterAllowTestTraffic', status: 'Failed' },
          { lifecycleEventName: 'AllowTraffic', status: 'Skipped' }
        ]
      )
    ).toBe(
      'Deployment d-ABC failed at AfterAllowTestTraffic: HOOK_EXECUTION_FAILURE: Lambda smoke-test returned Failed'
    )
    expect(codeDeployHeadline('d-X', { status: 'Stopped' }, [])).toBe('Deployment d-X was stopped')
  })
})

describe('gatherDiagnostics + explainFailure', () => {
  test('collects events since the start and stopped tasks of the new task definition, newest first', async () => {
    const h = harness()
    h.ecsMock.on(DescribeServicesCommand).resolves({
      services: [
        liveService({
          events: [
            { id: 'e3', createdAt: at('2026-03-01T12:04:30Z'), message: '(service web) has started 1 tasks' },
            {
              id: 'e2',
              createdAt: at('2026-03-01T12:03:30Z'),
              message: '(service web) is unable to consistently start tasks successfully'
            },
            { id: 'e1', createdAt: at('2026-03-01T11:00:00Z'), message: 'old event before the deploy' }
          ]
        })
      ]
    })
    h.ecsMock.on(ListTasksCommand).resolves({ taskArns: ['a', 'b', 'c'] })
    h.ecsMock.on(DescribeTasksCommand).resolves({ tasks: [pullFailure, oldTask, exited] })
    const diagnostics = await gatherDiagnostics(h.ecs, {
      cluster: 'demo',
      service: 'web',
      taskDefinitionArn: tdArn(42),
      since: Date.parse('2026-03-01T12:00:00Z')
    })
    expect(h.ecsMock.commandCalls(ListTasksCommand)[0]?.args[0].input).toEqual({
      cluster: 'demo',
      serviceName: 'web',
      desiredStatus: 'STOPPED',
      maxResults: 100
    })
    expect(diagnostics.events.map((e) => e.id)).toEqual(['e3', 'e2'])
    expect(diagnostics.stoppedTasks.map((t) => t.taskArn)).toEqual([exited.taskArn, pullFailure.taskArn])

    const explained = explainFailure({
      headline: 'Deployment d-ABC failed at AllowTraffic: ECS_UPDATE_ERROR: tasks failed to start',
      details: ['deployment status message'],
      diagnostics
    })
    expect(explained.message).toBe(
      'Deployment d-ABC failed at AllowTraffic: ECS_UPDATE_ERROR: tasks failed to start; task stopped: Essential container in task exited; container web: exit code 1'
    )
    expect(explained.body).toContain('bbb222 (stopped 2026-03-01T12:04:00Z): Essential container in task exited')
    expect(explained.body).toContain('CannotPullContainerError')
    expect(explained.body).toContain('is unable to consistently start tasks successfully')
    expect(explained.body).not.toContain('old event before the deploy')
    expect(explained.lines).toContain('  deployment status message')
  })

  test('a read that fails becomes a note, not an error', async () => {
    const h = harness()
    h.ecsMock
      .on(DescribeServicesCommand)
      .rejects(Object.assign(new Error('not allowed'), { name: 'AccessDeniedException' }))
    h.ecsMock.on(ListTasksCommand).resolves({ taskArns: [] })
    const diagnostics = await gatherDiagnostics(h.ecs, {
      cluster: 'demo',
      service: 'web',
      taskDefinitionArn: tdArn(42),
      since: 0
    })
    expect(diagnostics.notes).toEqual(['Could not read service events: AccessDeniedException: not allowed'])
    expect(h.ecsMock.commandCalls(DescribeTasksCommand)).toHaveLength(0)
    expect(explainFailure({ headline: 'H', diagnostics }).body).toContain('Could not read service events')
  })
})
