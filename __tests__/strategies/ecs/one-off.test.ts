/**
 * `pre-deploy-command` on the ECS strategies against the emulator (real SDK over HTTP): the new task definition runs
 * once as a one-off task before the deploy, and a failure deploys nothing.
 */
import type { Emulator } from '../../../emulator/index.js'
import type { Task } from '../../../emulator/model.js'
import { emulatedRun, mutations, seedWebRevision, useEmulator, waitFor } from '../ecs-blue-green/emulated.js'
import { IMAGE, rollingRun } from '../ecs-rolling/emulated.js'

const e = useEmulator()
const TD_WEB_2 = 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:2'

function callsOf(emulator: Emulator, op: string): Record<string, unknown>[] {
  return emulator.control
    .calls()
    .filter((c) => c.op === op)
    .map((c) => c.params)
}

/** Tasks started by RunTask (they belong to no service). */
function oneOffTasks(emulator: Emulator): Task[] {
  return [...emulator.model.tasks.values()].filter((t) => t.serviceName === '')
}

function changes(emulator: Emulator): string[] {
  return emulator.control
    .calls()
    .map((c) => c.op)
    .filter((op) => [...mutations(emulator), 'RunTask', 'StopTask'].includes(op))
}

/** Registers web:2 with awslogs options (a Fargate task, as the fixture's web:1). */
function seedLoggedRevision(emulator: Emulator): void {
  seedWebRevision(emulator, {
    name: 'web',
    image: IMAGE.ref,
    logConfiguration: {
      logDriver: 'awslogs',
      options: { 'awslogs-group': '/ecs/web', 'awslogs-stream-prefix': 'ecs', 'awslogs-region': 'us-east-1' }
    }
  })
}

describe('pre-deploy-command on ECS: a one-off task before the deploy', () => {
  test('ecs-rolling: the registered revision runs with sh -c in the service network and launch type, then deploys', async () => {
    const { emulator } = e
    const run = rollingRun(emulator, { preDeployCommand: './migrate --up' })
    const result = await run.deploy()
    expect(result.status).toBe('succeeded')
    expect(changes(emulator)).toEqual(['RegisterTaskDefinition', 'RunTask', 'UpdateService'])
    const [runTask] = callsOf(emulator, 'RunTask')
    const service = emulator.model.service('demo', 'web-rolling')
    expect(runTask).toMatchObject({
      cluster: 'demo',
      taskDefinition: TD_WEB_2,
      launchType: 'FARGATE',
      networkConfiguration: service?.networkConfiguration,
      overrides: { containerOverrides: [{ name: 'web', command: ['sh', '-c', './migrate --up'] }] }
    })
    expect(runTask).not.toHaveProperty('capacityProviderStrategy')
    expect(run.log.matching(/exited 0 \(Essential container in task exited\)/)).toHaveLength(1)
  })

  test('ecs-blue-green: the task uses the service capacity provider strategy and runs before CreateDeployment', async () => {
    const { emulator } = e
    const result = await emulatedRun(emulator, { preDeployCommand: 'true' }).deploy()
    expect(result.status).toBe('succeeded')
    expect(changes(emulator).slice(0, 3)).toEqual(['RegisterTaskDefinition', 'RunTask', 'CreateDeployment'])
    const [runTask] = callsOf(emulator, 'RunTask')
    expect(runTask).toMatchObject({
      capacityProviderStrategy: [expect.objectContaining({ capacityProvider: 'FARGATE' })]
    })
    expect(runTask).not.toHaveProperty('launchType')
  })

  test('exit code 1: nothing is deployed; the message has the exit code, the stop reason and the log link', async () => {
    const { emulator } = e
    seedLoggedRevision(emulator)
    emulator.control.configure({ oneOffExitCode: 1 })
    const run = rollingRun(emulator, { preDeployCommand: 'migrate', image: undefined, taskDefinitionRevision: 'web:2' })
    const result = await run.deploy()
    expect(result.status).toBe('failed')
    expect(result.targets[0]?.outcome).toBe('untouched')
    expect(changes(emulator)).toEqual(['RunTask'])
    const taskId = oneOffTasks(emulator)[0]?.taskArn.split('/').pop() ?? ''
    expect(result.message).toBe(
      `One-off task ${taskId} (pre-deploy-command) failed: 'web' ended with exit code 1 (Essential container in task exited); ` +
        `logs: https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#logsV2:log-groups/log-group/$252Fecs$252Fweb/log-events/ecs$252Fweb$252F${taskId}`
    )
  })

  test('a cancelled job stops the one-off task and deploys nothing', async () => {
    const { emulator } = e
    emulator.control.configure({ oneOffRunMs: 60_000 })
    const run = rollingRun(emulator, { preDeployCommand: 'sleep 600' })
    const deployed = run.deploy()
    await waitFor(() => oneOffTasks(emulator).some((t) => t.lastStatus === 'RUNNING'))
    run.controller.abort()
    const result = await deployed
    expect(result.status).toBe('failed')
    expect(result.message).toMatch(/^One-off task \w+ \(pre-deploy-command\) was stopped: the job was cancelled$/)
    expect(changes(emulator)).toEqual(['RegisterTaskDefinition', 'RunTask', 'StopTask'])
    expect(callsOf(emulator, 'StopTask')[0]).toMatchObject({ reason: 'Deploy stopped: the job was cancelled' })
    expect(oneOffTasks(emulator).map((t) => t.stopCode)).toEqual(['UserInitiated'])
    expect(run.log.matching(/Stopped one-off task/)).toHaveLength(1)
  })

  test.each([
    ['ecs-rolling', rollingRun],
    ['ecs-blue-green', emulatedRun]
  ] as const)(
    '%s: the post step stops a one-off task a cut-short main step left running; twice is safe',
    async (_name, make) => {
      const { emulator } = e
      emulator.control.configure({ oneOffRunMs: 60_000 })
      const run = make(emulator, { preDeployCommand: 'sleep 600' })
      // The main step is never awaited to its end before the post step: it was cut short while the task ran.
      const main = run.deploy()
      await waitFor(() => oneOffTasks(emulator).some((t) => t.lastStatus === 'RUNNING'))
      expect(run.journal.data).toMatchObject({ phase: 'registered', oneOffTaskArn: oneOffTasks(emulator)[0]?.taskArn })
      expect(await run.recover()).toBeUndefined()
      expect(oneOffTasks(emulator).map((t) => [t.lastStatus, t.stoppedReason])).toEqual([
        ['STOPPED', 'Deploy stopped: the main step ended']
      ])
      expect(
        run.log.matching(/Stopped one-off task \w+ \(pre-deploy-command\), left running by the main step/)
      ).toHaveLength(1)
      await run.recover()
      expect(run.log.matching(/Stopped one-off task/)).toHaveLength(1)
      // The main step sees its task stopped and deploys nothing.
      expect((await main).status).toBe('failed')
      expect(changes(emulator)).toEqual(['RegisterTaskDefinition', 'RunTask', 'StopTask'])
    }
  )

  test('a task still running at the timeout is stopped, and nothing is deployed', async () => {
    const { emulator } = e
    emulator.control.configure({ oneOffRunMs: 60_000 })
    const result = await rollingRun(emulator, { preDeployCommand: 'sleep 600', timeoutMinutes: 0.01 }).deploy()
    expect(result.message).toMatch(/was stopped: it did not stop within the timeout$/)
    expect(changes(emulator)).toEqual(['RegisterTaskDefinition', 'RunTask', 'StopTask'])
  })

  test('dry run: says it would run the one-off task, and runs nothing', async () => {
    const { emulator } = e
    const result = await rollingRun(emulator, { preDeployCommand: 'migrate', dryRun: true }).deploy()
    expect(result.status).toBe('planned')
    expect(result.message).toMatch(/, after a one-off task that runs pre-deploy-command$/)
    expect(changes(emulator)).toEqual([])
  })

  test('a container-name the registered revision lacks fails at pre-flight, before any change', async () => {
    const { emulator } = e
    const result = await rollingRun(emulator, {
      preDeployCommand: 'migrate',
      image: undefined,
      containerName: 'worker',
      taskDefinitionRevision: 'multi:1'
    }).deploy()
    expect(result.status).toBe('failed')
    expect(result.message).toBe(
      "Invalid 'container-name': the task definition has no container 'worker'; its containers: 'web', 'sidecar'"
    )
    expect(changes(emulator)).toEqual([])
  })
})
