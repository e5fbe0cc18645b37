/**
 * ecs-blue-green at the runner level: the bundled action (main + post, as the runner runs them), the real AWS SDK
 * over HTTP, the strict emulator. Each test scripts one situation and checks exit code, error line, outputs, job
 * summary, and what the emulator saw and ended with.
 */
import {
  APP,
  BG_SERVICE,
  GROUP,
  IMAGE,
  LONG_WAIT_MS,
  POLL_MS,
  blueGreenInputs,
  callsOf,
  cleanupRuns,
  codeDeployConsoleUrl as consoleUrl,
  deploy,
  deploymentState,
  expectOnlyOriginal,
  mutations,
  ops,
  plain,
  postCalls,
  rollbackOf,
  serviceState,
  taskDefinitionFile,
  tdArn,
  useEmulator
} from './helpers.js'

const LIFECYCLE = [
  'BeforeInstall',
  'Install',
  'AfterInstall',
  'AllowTestTraffic',
  'AfterAllowTestTraffic',
  'BeforeAllowTraffic',
  'AllowTraffic',
  'AfterAllowTraffic'
]

const e = useEmulator()
// ECS reads are eventually consistent: every test here sees reads lag writes (registered after the reset above).
beforeEach(() => {
  e.emulator.control.consistency({ readLagMs: 150 })
})
afterAll(cleanupRuns)

describe('ecs-blue-green: success', () => {
  test('from the live task definition: lifecycle streamed in order, success noticed within a poll interval', async () => {
    const { emulator } = e
    let succeededLineAt: number | undefined
    const run = await deploy(emulator, blueGreenInputs(), {
      onLine: (line) => {
        if (/^Deployment d-\w+: Succeeded$/.test(line)) succeededLineAt ??= Date.now()
      }
    })
    const { main } = run
    expect(main.exitCode).toBe(0)
    expect(main.errors).toEqual([])
    const id = main.outputs['deployment-id'] as string
    expect(id).toMatch(/^d-[A-Z0-9]{9}$/)
    expect(main.outputs).toMatchObject({
      status: 'succeeded',
      'deployment-id': id,
      'task-definition-arn': tdArn('web', 2),
      'previous-task-definition-arn': tdArn('web', 1),
      'console-url': consoleUrl(id)
    })
    expect(main.stdout).toContain(`::notice::Deployed web:2 to demo/${BG_SERVICE} with CodeDeploy deployment ${id}`)

    // Registered from the live web:1 with only the image changed.
    const [register] = callsOf(emulator, 'RegisterTaskDefinition')
    expect(callsOf(emulator, 'RegisterTaskDefinition')).toHaveLength(1)
    expect(register?.params).toMatchObject({
      family: 'web',
      cpu: '256',
      containerDefinitions: [expect.objectContaining({ name: 'web', image: IMAGE })]
    })
    const [create] = callsOf(emulator, 'CreateDeployment')
    expect(create?.params).toMatchObject({ applicationName: APP, deploymentGroupName: GROUP })
    expect(JSON.stringify(create?.params)).toContain(tdArn('web', 2))

    // The emulator: the deployment succeeded, the service runs web:2 alone.
    const deployment = deploymentState(emulator, id)
    expect(deployment.status).toBe('Succeeded')
    const service = serviceState(emulator, BG_SERVICE)
    expect(service.taskDefinition).toBe(tdArn('web', 2))
    expect(service.taskSets.map((t) => [t.status, t.taskDefinition, t.trafficWeight])).toEqual([
      ['PRIMARY', tdArn('web', 2), 100]
    ])

    // Every lifecycle event is shown, first seen in CodeDeploy's order, each ending Succeeded.
    const eventLines = main.stdout
      .split('\n')
      .map((l) => /^ {2}(\w+): (\w+)/.exec(l))
      .filter((m): m is RegExpExecArray => m !== null && LIFECYCLE.includes(m[1] as string))
    const firstSeen = [...new Set(eventLines.map((m) => m[1]))]
    expect(firstSeen).toEqual(LIFECYCLE)
    for (const name of LIFECYCLE) expect(main.stdout).toMatch(new RegExp(`^ {2}${name}: Succeeded`, 'm'))
    expect(main.stdout).toMatch(/Traffic: 100% on the new task set \(green\), 0% on the old \(blue\)/)

    // Summary: headline, before → after, link, the task definition diff.
    expect(main.summary).toContain('<h2>✅ Deploy succeeded — ecs-blue-green</h2>')
    expect(main.summary).toContain(`<tr><td>demo/${BG_SERVICE}</td><td>web:1 → web:2</td><td>✅ deployed</td>`)
    expect(main.summary).toContain(`<a href="${consoleUrl(id)}">CodeDeploy deployment ${id}</a>`)
    expect(main.summary).toContain(`container \`web\` image: "public.ecr.aws/nginx/nginx:1.27" → "${IMAGE}"`)

    // The post step has nothing to do and calls nothing.
    expect(run.post?.exitCode).toBe(0)
    expect(run.post?.warnings).toEqual([])
    expect(postCalls(emulator, run)).toEqual([])

    // Latency: from the emulator completing the deployment to the action noticing it and exiting.
    const completedAt = (deployment.completeTime as number) * 1000
    const noticed = (succeededLineAt as number) - completedAt
    const exited = run.mainExitedAt - completedAt
    console.log(
      `blue/green success latency (poll ${POLL_MS} ms): noticed ${Math.round(noticed)} ms, main step exited ${Math.round(exited)} ms after the emulator completed the deployment`
    )
    expect(noticed).toBeGreaterThanOrEqual(0)
    // One poll interval at most, plus the time a loaded 2-core machine may take to answer and print.
    expect(noticed).toBeLessThan(2 * POLL_MS + 800)
    expect(exited).toBeLessThan(2 * POLL_MS + 2000)
  })

  test('from a task definition file: the file is registered with the image, not the live one', async () => {
    const { emulator } = e
    const run = await deploy(emulator, blueGreenInputs({ 'task-definition': 'deploy/task-definition.json' }), {
      files: { 'deploy/task-definition.json': taskDefinitionFile() }
    })
    const { main } = run
    expect(main.exitCode).toBe(0)
    expect(main.errors).toEqual([])
    expect(main.outputs).toMatchObject({
      status: 'succeeded',
      'task-definition-arn': tdArn('web', 2),
      'previous-task-definition-arn': tdArn('web', 1)
    })
    expect(callsOf(emulator, 'RegisterTaskDefinition').map((c) => c.params)).toEqual([
      expect.objectContaining({
        family: 'web',
        cpu: '512',
        memory: '1024',
        containerDefinitions: [
          expect.objectContaining({ name: 'web', image: IMAGE, environment: [{ name: 'FROM_FILE', value: 'yes' }] })
        ]
      })
    ])
    const registered = emulator.model.findTaskDefinition('web:2')
    expect(registered?.body).toMatchObject({ cpu: '512', memory: '1024' })
    expect(serviceState(emulator, BG_SERVICE).taskDefinition).toBe(tdArn('web', 2))
    expect(deploymentState(emulator, main.outputs['deployment-id']).status).toBe('Succeeded')
    expect(main.summary).toContain('cpu: "256" → "512"')
    expect(main.summary).toContain('container `web` environment: added FROM_FILE')
  })
})

describe('ecs-blue-green: failures roll back', () => {
  test('a hook failure at AfterAllowTestTraffic: rolled-back, the error names event, code and stopped-task reason', async () => {
    const { emulator } = e
    const reason = 'Task failed ELB health checks in (target-group web-bg-green)'
    emulator.control.failNext({
      at: 'AfterAllowTestTraffic',
      code: 'HOOK_EXECUTION_FAILURE',
      message: 'The deployment failed because the AfterAllowTestTraffic hook smoke-test reported Failed.',
      // Both green tasks: nothing else stops them before the explanation is gathered.
      stoppedTasks: [
        { stoppedReason: reason, stopCode: 'ServiceSchedulerInitiated', exitCode: 137, containerReason: 'OOM' },
        { stoppedReason: reason, stopCode: 'ServiceSchedulerInitiated', exitCode: 137, containerReason: 'OOM' }
      ]
    })
    const run = await deploy(emulator, blueGreenInputs())
    const { main } = run
    expect(main.exitCode).toBe(1)
    const id = main.outputs['deployment-id'] as string
    expect(main.outputs).toMatchObject({
      status: 'rolled-back',
      'deployment-id': id,
      'task-definition-arn': tdArn('web', 2),
      'previous-task-definition-arn': tdArn('web', 1),
      'console-url': consoleUrl(id)
    })
    expect(main.errors).toHaveLength(1)
    const error = main.errors[0] as string
    expect(error).toContain(
      `Deployment ${id} failed at AfterAllowTestTraffic: HOOK_EXECUTION_FAILURE: The deployment failed because the AfterAllowTestTraffic hook smoke-test reported Failed`
    )
    expect(error).toContain(`task stopped: ${reason}; container web: exit code 137, OOM`)
    const rollback = rollbackOf(emulator, id)
    expect(error).toContain(`Rollback deployment ${rollback?.id} succeeded; live task definition: web:1`)

    const summary = plain(main.summary)
    expect(summary).toContain('<h2>↩️ Deploy rolled back — ecs-blue-green</h2>')
    expect(summary).toContain('<h3>Why the deployment failed</h3>')
    expect(summary).toContain(`Deployment ${id} failed at AfterAllowTestTraffic: HOOK_EXECUTION_FAILURE`)
    expect(summary).toContain(`Stopped tasks of the new task definition:`)
    expect(summary).toContain(reason)
    expect(summary).toContain(`<tr><td>demo/${BG_SERVICE}</td><td>web:1 → web:2</td><td>↩️ rolled-back`)

    // The emulator: ours failed at the hook, CodeDeploy's rollback succeeded, the service is back on web:1 alone.
    const ours = deploymentState(emulator, id)
    expect(ours.status).toBe('Failed')
    expect(ours.errorInformation?.code).toBe('HOOK_EXECUTION_FAILURE')
    expect(ours.target?.lifecycleEvents).toMatchObject({
      AllowTestTraffic: 'Succeeded',
      AfterAllowTestTraffic: 'Failed',
      BeforeAllowTraffic: 'Skipped'
    })
    expect(rollback).toMatchObject({ status: 'Succeeded', creator: 'codeDeployRollback' })
    expectOnlyOriginal(serviceState(emulator, BG_SERVICE))
    // It asked for the rollback itself too; CodeDeploy had already ended the deployment.
    expect(callsOf(emulator, 'StopDeployment').map((c) => [c.params, c.error])).toEqual([
      [{ deploymentId: id, autoRollbackEnabled: true }, 'DeploymentAlreadyCompletedException']
    ])
    expect(run.post?.exitCode).toBe(0)
    expect(mutations(emulator).filter((op) => op !== 'StopDeployment')).toEqual([
      'RegisterTaskDefinition',
      'CreateDeployment'
    ])
  })

  test('timeout in a slow hook: StopDeployment with rollback mid-lifecycle, rolled-back, green removed', async () => {
    const { emulator } = e
    // The AfterAllowTestTraffic hook runs far beyond the 1.5 s budget.
    emulator.control.configure({ eventMs: { AfterAllowTestTraffic: LONG_WAIT_MS } })
    const run = await deploy(emulator, blueGreenInputs({ 'timeout-minutes': '0.025' }))
    const { main } = run
    expect(main.exitCode).toBe(1)
    const id = main.outputs['deployment-id'] as string
    expect(main.outputs).toMatchObject({
      status: 'rolled-back',
      'deployment-id': id,
      'task-definition-arn': tdArn('web', 2),
      'previous-task-definition-arn': tdArn('web', 1),
      'console-url': consoleUrl(id)
    })
    expect(main.errors).toHaveLength(1)
    expect(main.errors[0]).toContain(`Deployment ${id} did not reach 'succeeded' within 0.025 min (status InProgress)`)
    expect(main.errors[0]).toMatch(/Rollback deployment d-\w+ succeeded; live task definition: web:1/)
    expect(main.stdout).toMatch(/^ {2}AfterAllowTestTraffic: InProgress/m)
    expect(main.stdout).not.toMatch(/^ {2}AllowTraffic:/m)

    const stops = callsOf(emulator, 'StopDeployment')
    expect(stops.map((c) => [c.params, c.error])).toEqual([
      [{ deploymentId: id, autoRollbackEnabled: true }, undefined]
    ])
    // Sent once the budget ran out, not before, and not much later.
    expect((stops[0]?.time ?? 0) - run.startedAt).toBeGreaterThanOrEqual(1500)
    expect(main.durationMs).toBeLessThan(15_000)
    const ours = deploymentState(emulator, id)
    expect(ours).toMatchObject({ status: 'Stopped', errorInformation: { code: 'MANUAL_STOP' } })
    expect(ours.target?.lifecycleEvents).toMatchObject({
      AllowTestTraffic: 'Succeeded',
      AfterAllowTestTraffic: 'Failed',
      AllowTraffic: 'Skipped'
    })
    expect(rollbackOf(emulator, id)?.status).toBe('Succeeded')
    expectOnlyOriginal(serviceState(emulator, BG_SERVICE))
    expect(plain(main.summary)).toContain(`Deployment ${id} did not reach 'succeeded'`)
    expect(run.post?.exitCode).toBe(0)
    expect(run.post?.warnings).toEqual([])
  })

  test('timeout in the termination wait (traffic already shifted): not rolled back, the shift is reported', async () => {
    const { emulator } = e
    // The deployment shifts traffic at once, then sits in its termination wait far beyond the 1.5 s budget.
    emulator.control.configure({ terminationWaitMs: LONG_WAIT_MS })
    const run = await deploy(emulator, blueGreenInputs({ 'timeout-minutes': '0.025' }))
    const { main } = run
    expect(main.exitCode).toBe(0)
    const id = main.outputs['deployment-id'] as string
    expect(main.outputs).toMatchObject({ status: 'succeeded', 'deployment-id': id, 'console-url': consoleUrl(id) })
    expect(main.errors).toEqual([])
    expect(main.stdout).toContain(
      `::notice::Traffic shifted to web:2 on demo/${BG_SERVICE}; deployment ${id} is still InProgress after 0.025 min: the original task set is not terminated yet`
    )
    expect(main.stdout).toContain('Traffic: 100% on the new task set (green), 0% on the old (blue)')
    expect(main.warnings.some((w) => w.includes(`Deployment ${id} did not finish within 0.025 min`))).toBe(true)
    expect(callsOf(emulator, 'StopDeployment')).toEqual([])
    expect(deploymentState(emulator, id)).toMatchObject({ status: 'InProgress', target: { status: 'Succeeded' } })
    expect(serviceState(emulator, BG_SERVICE).taskDefinition).toBe(tdArn('web', 2))
    expect(run.post?.exitCode).toBe(0)
    expect(postCalls(emulator, run).filter((c) => c.op === 'StopDeployment')).toEqual([])
  })
})

describe('ecs-blue-green: wait-until', () => {
  beforeEach(() => {
    e.emulator.control.configure({ terminationWaitMs: LONG_WAIT_MS })
  })

  test("'created': exits right after CreateDeployment and leaves the deployment running, even in the post step", async () => {
    const { emulator } = e
    const run = await deploy(emulator, blueGreenInputs({ 'wait-until': 'created' }))
    const { main } = run
    expect(main.exitCode).toBe(0)
    expect(main.errors).toEqual([])
    const id = main.outputs['deployment-id'] as string
    expect(main.outputs).toMatchObject({ status: 'succeeded', 'deployment-id': id, 'console-url': consoleUrl(id) })
    expect(main.stdout).toContain(`::notice::Created deployment ${id} of web:2 to demo/${BG_SERVICE}; not waiting`)
    // Nothing after CreateDeployment: the deployment was not followed.
    const all = ops(emulator)
    expect(all[all.length - 1]).toBe('CreateDeployment')
    expect(['Created', 'InProgress']).toContain(deploymentState(emulator, id).status)
    expect(run.post?.exitCode).toBe(0)
    expect(callsOf(emulator, 'StopDeployment')).toEqual([])
  })

  test("'traffic-shifted': exits in the termination wait, green serving 100% while the deployment is InProgress", async () => {
    const { emulator } = e
    const run = await deploy(emulator, blueGreenInputs({ 'wait-until': 'traffic-shifted' }))
    const { main } = run
    expect(main.exitCode).toBe(0)
    expect(main.errors).toEqual([])
    const id = main.outputs['deployment-id'] as string
    expect(main.outputs).toMatchObject({ status: 'succeeded', 'task-definition-arn': tdArn('web', 2) })
    expect(main.stdout).toContain(
      `::notice::Traffic shifted to web:2 on demo/${BG_SERVICE}; deployment ${id} is still InProgress until the old task set is removed`
    )
    const deployment = deploymentState(emulator, id)
    expect(deployment.status).toBe('InProgress')
    expect(deployment.target?.status).toBe('Succeeded')
    const service = serviceState(emulator, BG_SERVICE)
    expect(service.taskDefinition).toBe(tdArn('web', 2))
    expect(service.taskSets.map((t) => [t.status, t.taskDefinition, t.trafficWeight])).toEqual([
      ['ACTIVE', tdArn('web', 1), 0],
      ['PRIMARY', tdArn('web', 2), 100]
    ])
    expect(run.post?.exitCode).toBe(0)
    expect(callsOf(emulator, 'StopDeployment')).toEqual([])
  })
})
