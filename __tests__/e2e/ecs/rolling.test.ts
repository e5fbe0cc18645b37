/**
 * ecs-rolling at the runner level: the bundled action (main + post), the real AWS SDK over HTTP, the strict
 * emulator's ECS rolling deployments and circuit breaker.
 */
import {
  CLUSTER,
  EMPTY_VALUES_CONTAINER,
  LONG_WAIT_MS,
  IMAGE,
  ROLLING_SERVICE,
  callsOf,
  cleanupRuns,
  deploy,
  mutations,
  postCalls,
  rollingInputs,
  serviceState,
  tdArn,
  useEmulator
} from './helpers.js'

const e = useEmulator()
// ECS reads are eventually consistent: every test here sees reads lag writes (registered after the reset above).
beforeEach(() => {
  e.emulator.control.consistency({ readLagMs: 150 })
})
afterAll(cleanupRuns)

const SERVICE_URL = `https://us-east-1.console.aws.amazon.com/ecs/v2/clusters/${CLUSTER}/services/${ROLLING_SERVICE}/deployments?region=us-east-1`

/** The image web:1 already runs. */
const SAME_IMAGE = 'public.ecr.aws/nginx/nginx:1.27'

const PULL_ERROR =
  'CannotPullContainerError: pull image manifest has been retried 5 time(s): ghcr.io/acme/web:2.0.0: not found'

/** A second ECS-controller service whose circuit breaker does not roll back. */
const NO_ROLLBACK_SERVICE = 'web-breaker-only'

function seedBreakerWithoutRollback(): void {
  e.emulator.control.seed({
    fixture: {
      services: [
        {
          cluster: CLUSTER,
          name: NO_ROLLBACK_SERVICE,
          deploymentController: 'ECS',
          taskDefinition: 'web:1',
          desiredCount: 2,
          launchType: 'FARGATE',
          deploymentConfiguration: {
            deploymentCircuitBreaker: { enable: true, rollback: false },
            maximumPercent: 200,
            minimumHealthyPercent: 100
          }
        }
      ]
    }
  })
}

function deploymentsOf(name: string): [string, string, string][] {
  return serviceState(e.emulator, name).deployments.map((d) => [d.status, d.rolloutState, d.taskDefinition])
}

describe('ecs-rolling', () => {
  test('success: UpdateService with the new revision, followed to COMPLETED, service events streamed', async () => {
    const { emulator } = e
    const run = await deploy(emulator, rollingInputs())
    const { main } = run
    expect(main.exitCode).toBe(0)
    expect(main.errors).toEqual([])
    const id = main.outputs['deployment-id'] as string
    expect(id).toMatch(/^ecs-svc\/\d{19}$/)
    expect(main.outputs).toMatchObject({
      status: 'succeeded',
      'task-definition-arn': tdArn('web', 2),
      'previous-task-definition-arn': tdArn('web', 1),
      'console-url': SERVICE_URL
    })
    expect(main.stdout).toContain(`::notice::Deployed web:2 to ${CLUSTER}/${ROLLING_SERVICE} (ECS deployment ${id})`)
    expect(callsOf(emulator, 'UpdateService').map((c) => c.params)).toEqual([
      { cluster: CLUSTER, service: ROLLING_SERVICE, taskDefinition: tdArn('web', 2), forceNewDeployment: false }
    ])
    expect(mutations(emulator)).toEqual(['RegisterTaskDefinition', 'UpdateService'])
    expect(main.stdout).toContain(`Deployment ${id}: COMPLETED, 2/2 running`)
    expect(main.stdout).toContain(
      `  [service event] (service ${ROLLING_SERVICE}) (deployment ${id}) deployment completed.`
    )

    const service = serviceState(emulator, ROLLING_SERVICE)
    expect(service.taskDefinition).toBe(tdArn('web', 2))
    expect(service.deployments.map((d) => [d.id, d.status, d.rolloutState])).toEqual([[id, 'PRIMARY', 'COMPLETED']])
    expect(service.runningTasks).toBe(2)

    expect(main.summary).toContain('<h2>✅ Deploy succeeded — ecs-rolling</h2>')
    expect(main.summary).toContain(
      `<tr><td>${CLUSTER}/${ROLLING_SERVICE}</td><td>web:1 → web:2</td><td>✅ deployed</td>`
    )
    expect(main.summary).toContain(`<a href="${SERVICE_URL}">ECS service ${CLUSTER}/${ROLLING_SERVICE}</a>`)
    expect(run.post?.exitCode).toBe(0)
    expect(postCalls(emulator, run)).toEqual([])
  })

  test('empty values the live task definition holds survive into the new revision (an env var set to "", args, labels)', async () => {
    const { emulator } = e
    const container = EMPTY_VALUES_CONTAINER
    emulator.control.seed({
      fixture: {
        taskDefinitions: [
          {
            family: 'empties',
            networkMode: 'awsvpc',
            requiresCompatibilities: ['FARGATE'],
            cpu: '512',
            memory: '1024',
            containerDefinitions: [container]
          }
        ],
        services: [
          {
            cluster: CLUSTER,
            name: 'web-empties',
            deploymentController: 'ECS',
            taskDefinition: 'empties:1',
            desiredCount: 1,
            launchType: 'FARGATE',
            deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: true } }
          }
        ]
      }
    })
    const run = await deploy(emulator, rollingInputs({ service: 'web-empties' }))
    expect(run.main.exitCode).toBe(0)
    const [register] = callsOf(emulator, 'RegisterTaskDefinition')
    const sent = (register?.params.containerDefinitions as Record<string, unknown>[])[0]
    expect(sent).toMatchObject({ ...container, image: IMAGE })
    // Nothing about the environment changed, so the plan's diff names no environment change.
    expect(run.main.summary).not.toMatch(/environment: (added|removed|changed)/)
  })

  test('circuit breaker with rollback: rolled-back, with the rollout reason and the stopped tasks’ reasons', async () => {
    const { emulator } = e
    emulator.control.failNext({
      kind: 'ecs-rolling',
      stoppedReason: PULL_ERROR,
      stopCode: 'TaskFailedToStart',
      exitCode: 1,
      containerReason: 'image not found'
    })
    const run = await deploy(emulator, rollingInputs())
    const { main } = run
    expect(main.exitCode).toBe(1)
    const id = main.outputs['deployment-id'] as string
    expect(main.outputs).toMatchObject({
      status: 'rolled-back',
      'deployment-id': id,
      'task-definition-arn': tdArn('web', 2),
      'previous-task-definition-arn': tdArn('web', 1),
      'console-url': SERVICE_URL
    })
    expect(main.errors).toHaveLength(1)
    const error = main.errors[0] as string
    expect(error).toContain('ECS deployment circuit breaker: task failed to start')
    expect(error).toContain(`task stopped: ${PULL_ERROR}; container web: exit code 1, image not found`)
    expect(error).toMatch(/ECS rollback deployment ecs-svc\/\d{19} completed; live task definition: web:1/)
    expect(main.stdout).toMatch(/ECS is rolling back with deployment ecs-svc\/\d{19}/)

    // ECS rolled back by itself: the action did not update the service a second time.
    expect(callsOf(emulator, 'UpdateService')).toHaveLength(1)
    const service = serviceState(emulator, ROLLING_SERVICE)
    expect(service.taskDefinition).toBe(tdArn('web', 1))
    expect(deploymentsOf(ROLLING_SERVICE)).toEqual([['PRIMARY', 'COMPLETED', tdArn('web', 1)]])
    expect(service.deployments[0]?.rolloutStateReason).toMatch(/completed/)

    const summary = main.summary.replace(/\\(.)/g, '$1')
    expect(summary).toContain('<h2>↩️ Deploy rolled back — ecs-rolling</h2>')
    expect(summary).toContain('<h3>Why the deployment failed</h3>')
    expect(summary).toContain('Stopped tasks of the new task definition:')
    expect(summary).toContain(PULL_ERROR)
    expect(run.post?.exitCode).toBe(0)
  })

  test("circuit breaker without rollback and 'rollback-on-failure: false': failed, the service left on the new revision", async () => {
    const { emulator } = e
    seedBreakerWithoutRollback()
    emulator.control.failNext({ kind: 'ecs-rolling', stoppedReason: PULL_ERROR, stopCode: 'TaskFailedToStart' })
    const run = await deploy(emulator, rollingInputs({ service: NO_ROLLBACK_SERVICE, 'rollback-on-failure': 'false' }))
    const { main } = run
    expect(main.exitCode).toBe(1)
    expect(main.outputs).toMatchObject({ status: 'failed', 'task-definition-arn': tdArn('web', 2) })
    expect(main.errors).toHaveLength(1)
    expect(main.errors[0]).toContain('ECS deployment circuit breaker: task failed to start')
    expect(main.errors[0]).toContain(`task stopped: ${PULL_ERROR}`)
    expect(main.errors[0]).toMatch(/not rolled back \(rollback-on-failure: false\)/i)
    expect(main.errors[0]).toContain('live task definition: web:2')
    expect(callsOf(emulator, 'UpdateService')).toHaveLength(1)
    expect(serviceState(emulator, NO_ROLLBACK_SERVICE).taskDefinition).toBe(tdArn('web', 2))
    expect(deploymentsOf(NO_ROLLBACK_SERVICE)[0]).toEqual(['PRIMARY', 'FAILED', tdArn('web', 2)])
    expect(main.summary).toContain('<h2>❌ Deploy failed — ecs-rolling</h2>')
    expect(run.post?.exitCode).toBe(0)
    expect(callsOf(emulator, 'UpdateService')).toHaveLength(1)
  })

  test('circuit breaker without rollback: the action updates the service back to the previous revision itself', async () => {
    const { emulator } = e
    seedBreakerWithoutRollback()
    emulator.control.failNext({ kind: 'ecs-rolling', stoppedReason: PULL_ERROR, stopCode: 'TaskFailedToStart' })
    const run = await deploy(emulator, rollingInputs({ service: NO_ROLLBACK_SERVICE }))
    const { main } = run
    expect(main.exitCode).toBe(1)
    expect(main.outputs.status).toBe('rolled-back')
    expect(main.errors[0]).toContain('ECS deployment circuit breaker: task failed to start')
    expect(main.errors[0]).toMatch(/Rollback deployment ecs-svc\/\d{19} completed; live task definition: web:1/)
    expect(callsOf(emulator, 'UpdateService').map((c) => c.params.taskDefinition)).toEqual([
      tdArn('web', 2),
      tdArn('web', 1)
    ])
    expect(serviceState(emulator, NO_ROLLBACK_SERVICE).taskDefinition).toBe(tdArn('web', 1))
    expect(deploymentsOf(NO_ROLLBACK_SERVICE)).toEqual([['PRIMARY', 'COMPLETED', tdArn('web', 1)]])
    expect(run.post?.exitCode).toBe(0)
  })

  test('an unchanged task definition: the live revision is redeployed with forceNewDeployment, nothing registered', async () => {
    const { emulator } = e
    const before = serviceState(emulator, ROLLING_SERVICE).deployments.map((d) => d.id)
    const run = await deploy(emulator, rollingInputs({ image: SAME_IMAGE }))
    const { main } = run
    expect(main.exitCode).toBe(0)
    expect(main.errors).toEqual([])
    const id = main.outputs['deployment-id'] as string
    expect(main.outputs).toMatchObject({
      status: 'succeeded',
      'task-definition-arn': tdArn('web', 1),
      'previous-task-definition-arn': tdArn('web', 1),
      'console-url': SERVICE_URL
    })
    expect(main.stdout).toContain('The task definition is unchanged: forcing a new deployment')
    expect(callsOf(emulator, 'RegisterTaskDefinition')).toEqual([])
    expect(callsOf(emulator, 'UpdateService').map((c) => c.params)).toEqual([
      { cluster: CLUSTER, service: ROLLING_SERVICE, taskDefinition: tdArn('web', 1), forceNewDeployment: true }
    ])
    expect(main.summary).toContain('No changes')
    // A new deployment all the same, followed to its end.
    expect(before).not.toContain(id)
    const service = serviceState(emulator, ROLLING_SERVICE)
    expect(service.taskDefinition).toBe(tdArn('web', 1))
    expect(service.deployments.map((d) => [d.id, d.status, d.rolloutState])).toEqual([[id, 'PRIMARY', 'COMPLETED']])
    expect(emulator.control.state().taskDefinitions.filter((arn) => arn.includes(':task-definition/web:'))).toEqual([
      tdArn('web', 1)
    ])
    expect(run.post?.exitCode).toBe(0)
  })

  describe('cancellation', () => {
    /**
     * Our deployment runs long; once the log shows it started, later deployments (the rollback) are fast again and
     * `signal` is sent.
     */
    function signalOnStart(signal: NodeJS.Signals): {
      onLine: (line: string, child: { kill(signal: NodeJS.Signals): void }) => void
      seen: { id?: string | undefined }
    } {
      e.emulator.control.configure({ rollingCompletionMs: LONG_WAIT_MS })
      const seen: { id?: string | undefined } = {}
      return {
        seen,
        onLine: (line, child) => {
          const started = /^Started ECS deployment (ecs-svc\/\d+)/.exec(line)
          if (!started || seen.id) return
          seen.id = started[1]
          e.emulator.control.configure({ rollingCompletionMs: 200 })
          child.kill(signal)
        }
      }
    }

    test('SIGTERM: the main step updates the service back to the previous revision and follows it', async () => {
      const { emulator } = e
      const { onLine, seen } = signalOnStart('SIGTERM')
      const run = await deploy(emulator, rollingInputs(), { onLine })
      const { main } = run
      expect(main.signal).toBeNull()
      expect(main.exitCode).toBe(1)
      expect(main.warnings).toContain('Received SIGTERM: cancelling, recovering what changed')
      expect(main.outputs).toMatchObject({ status: 'rolled-back', 'deployment-id': seen.id })
      expect(main.errors).toHaveLength(1)
      expect(main.errors[0]).toContain(`The job was cancelled while ECS deployment ${seen.id} was in progress`)
      expect(main.errors[0]).toMatch(/Rollback deployment ecs-svc\/\d{19} completed; live task definition: web:1/)
      expect(callsOf(emulator, 'UpdateService').map((c) => c.params.taskDefinition)).toEqual([
        tdArn('web', 2),
        tdArn('web', 1)
      ])
      expect(serviceState(emulator, ROLLING_SERVICE).taskDefinition).toBe(tdArn('web', 1))
      expect(deploymentsOf(ROLLING_SERVICE)).toEqual([['PRIMARY', 'COMPLETED', tdArn('web', 1)]])
      expect(run.post?.exitCode).toBe(0)
      expect(postCalls(emulator, run)).toEqual([])
    })

    test('SIGKILL: the post step rolls back from the journal the main step saved', async () => {
      const { emulator } = e
      const { onLine, seen } = signalOnStart('SIGKILL')
      const run = await deploy(emulator, rollingInputs(), { onLine })
      const { main, post } = run
      expect(main.signal).toBe('SIGKILL')
      expect(main.journal).toMatchObject({ phase: 'deploying', ecsDeploymentId: seen.id })
      const updates = callsOf(emulator, 'UpdateService')
      expect(updates.map((c) => c.params.taskDefinition)).toEqual([tdArn('web', 2), tdArn('web', 1)])
      expect(updates[1]?.time).toBeGreaterThan(run.mainExitedAt)
      expect(post?.exitCode).toBe(0)
      expect(post?.errors).toEqual([])
      expect(post?.warnings).toHaveLength(1)
      expect(post?.warnings[0]).toMatch(
        new RegExp(
          `^The main step did not finish; the post step recovered: The main step ended while ECS deployment ${seen.id} was running: rollback deployment ecs-svc/\\d{19} completed; live task definition: web:1(; running tasks: web:1 ×\\d+)?$`
        )
      )
      expect(post?.summary).toContain('<h2>↩️ Deploy rolled back — ecs-rolling</h2>')
      expect(serviceState(emulator, ROLLING_SERVICE).taskDefinition).toBe(tdArn('web', 1))
      expect(deploymentsOf(ROLLING_SERVICE)).toEqual([['PRIMARY', 'COMPLETED', tdArn('web', 1)]])
    })
  })
})

describe('ecs-rolling: pre-deploy-command as a one-off task (through the bundle)', () => {
  test('the task exits 0: it ran the new revision with the command, then the service was updated', async () => {
    const { emulator } = e
    const run = await deploy(emulator, rollingInputs({ 'pre-deploy-command': './migrate.sh --yes' }))
    expect(run.main.exitCode).toBe(0)
    expect(run.main.outputs.status).toBe('succeeded')
    expect(mutations(emulator)).toEqual(['RegisterTaskDefinition', 'UpdateService'])
    const [runTask] = callsOf(emulator, 'RunTask')
    expect(runTask?.params).toMatchObject({
      cluster: CLUSTER,
      taskDefinition: tdArn('web', 2),
      overrides: { containerOverrides: [{ name: 'web', command: ['sh', '-c', './migrate.sh --yes'] }] }
    })
    expect(callsOf(emulator, 'RunTask')[0]?.time).toBeLessThan(callsOf(emulator, 'UpdateService')[0]?.time ?? 0)
    expect(serviceState(emulator, ROLLING_SERVICE).taskDefinition).toBe(tdArn('web', 2))
  })

  test('the task exits 2: nothing is deployed, the step fails with the exit code and the stop reason', async () => {
    const { emulator } = e
    emulator.control.configure({ oneOffExitCode: 2 })
    const run = await deploy(emulator, rollingInputs({ 'pre-deploy-command': './migrate.sh' }))
    expect(run.main.exitCode).toBe(1)
    expect(run.main.outputs.status).toBe('failed')
    expect(callsOf(emulator, 'UpdateService')).toEqual([])
    expect(serviceState(emulator, ROLLING_SERVICE).taskDefinition).toBe(tdArn('web', 1))
    expect(run.main.errors.join('\n')).toMatch(/exit(ed with)? code 2/)
    expect(run.main.errors.join('\n')).toContain('Essential container in task exited')
  })
})
