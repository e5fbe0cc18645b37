/**
 * The ECS calls of the bundled action checked against moto (`moto_server`), an AWS emulator no one here wrote: the
 * action run as the runner runs it, its real AWS SDK pointed at moto with AWS_ENDPOINT_URL. Only what moto models:
 * reading the service and its live task definition, registering a revision, ecs-rolling's UpdateService and
 * following that deployment, pre-flight refusals.
 *
 * Where moto 5.2.1 differs from documented AWS behaviour (the action is not bent to it; each test says which it meets):
 * 1. UpdateService with a new task definition starts no deployment: the service's `taskDefinition` changes, its only
 *    deployment keeps its id and the old task definition. AWS answers with a new PRIMARY deployment of the new
 *    revision. So a rolling deploy of a new revision cannot be followed on moto.
 * 2. forceNewDeployment only renames that deployment (new id, same fields and rolloutStateReason naming the old id).
 * 3. moto runs no tasks and never moves a rollout: `rolloutState` is COMPLETED from CreateService on when the service
 *    wants at most MOTO_ECS_SERVICE_RUNNING tasks, else IN_PROGRESS forever. No service events, no stopped tasks, no
 *    circuit breaker.
 * 4. UpdateService of the task definition on a CODE_DEPLOY service is accepted (AWS refuses it); the action never
 *    sends it.
 * 5. moto's CodeDeploy is unusable from SDK v3 (ISO-string timestamps, no Stop/ContinueDeployment, deployments never
 *    leave Created). ecs-blue-green is checked only up to its plan (a dry run) with ECS on moto and CodeDeploy on the
 *    repo's emulator: a real deployment would be driven by the emulator's CodeDeploy against the emulator's own ECS
 *    model (which does not hold moto's new revision), so it would check nothing of moto's ECS.
 * 6. Environment entries without a `value` are kept as sent (`{"name":"X"}`); ECS drops them. The tests check that
 *    `value: ""` itself reaches moto.
 * 7. A service's deploymentConfiguration (circuit breaker, percentages) is not kept: DescribeServices returns none,
 *    so the action rightly warns that the circuit breaker is off. runningCount is MOTO_ECS_SERVICE_RUNNING whatever
 *    the desired count.
 */
import { DescribeServicesCommand, DescribeTaskDefinitionCommand, ListTaskDefinitionsCommand } from '@aws-sdk/client-ecs'
import type { CreateServiceCommandInput, Service } from '@aws-sdk/client-ecs'
import { startEmulator, type Emulator } from '../../../emulator/index.js'
import {
  BG_SERVICE,
  CLUSTER,
  EMPTY_VALUES_CONTAINER,
  GROUP,
  IMAGE,
  LIVE_IMAGE,
  TIMINGS,
  blueGreenInputs,
  cleanupRuns,
  deploy,
  rollingInputs,
  taskDefinitionFile,
  tdArn
} from '../ecs/helpers.js'
import { MOTO_RUNNING_TASKS, createNetwork, motoEcs, seedService, useMoto, type MotoNetwork } from './moto.js'

const m = useMoto()
afterAll(cleanupRuns)

const SERVICE = 'web'
const CONTAINER = EMPTY_VALUES_CONTAINER

let network: MotoNetwork

beforeEach(async () => {
  network = await createNetwork(m.moto)
})

/** Service `web` of cluster `demo` on `web:1`; its deployment is COMPLETED unless it wants more than moto "runs". */
function seedRolling(desiredCount = MOTO_RUNNING_TASKS): Promise<void> {
  return seedService(m.moto, network, {
    cluster: CLUSTER,
    name: SERVICE,
    family: 'web',
    container: CONTAINER,
    desiredCount,
    tags: [
      { key: 'team', value: 'web' },
      { key: 'managed-by', value: 'terraform' }
    ]
  })
}

/** Service `web-bg` of cluster `demo` on `web:1`, deployed by CodeDeploy. */
function seedCodeDeployService(extra: Partial<CreateServiceCommandInput> = {}): Promise<void> {
  return seedService(m.moto, network, {
    cluster: CLUSTER,
    name: BG_SERVICE,
    family: 'web',
    container: CONTAINER,
    desiredCount: MOTO_RUNNING_TASKS,
    extra: { deploymentController: { type: 'CODE_DEPLOY' }, ...extra }
  })
}

async function describe1(name = SERVICE): Promise<Service> {
  const ecs = motoEcs(m.moto)
  try {
    const out = await ecs.send(new DescribeServicesCommand({ cluster: CLUSTER, services: [name] }))
    const service = out.services?.[0]
    if (!service) throw new Error(`moto has no service ${CLUSTER}/${name}`)
    return service
  } finally {
    ecs.destroy()
  }
}

async function taskDefinitionArns(): Promise<string[]> {
  const ecs = motoEcs(m.moto)
  try {
    return (await ecs.send(new ListTaskDefinitionsCommand({}))).taskDefinitionArns ?? []
  } finally {
    ecs.destroy()
  }
}

describe('ecs-rolling against moto', () => {
  test('the new revision is registered from the live task definition the service names: empty values and tags kept', async () => {
    await seedRolling()
    const run = await deploy(m.moto, rollingInputs({ service: SERVICE }))
    expect(run.main.outputs['task-definition-arn']).toBe(tdArn('web', 2))
    expect(run.main.outputs['previous-task-definition-arn']).toBe(tdArn('web', 1))

    const ecs = motoEcs(m.moto)
    try {
      const out = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'web:2', include: ['TAGS'] }))
      expect(out.taskDefinition).toMatchObject({
        family: 'web',
        networkMode: 'awsvpc',
        requiresCompatibilities: ['FARGATE'],
        cpu: '256',
        memory: '512'
      })
      expect(out.taskDefinition?.containerDefinitions).toHaveLength(1)
      expect(out.taskDefinition?.containerDefinitions?.[0]).toMatchObject({ ...CONTAINER, image: IMAGE })
      expect(out.tags).toEqual([
        { key: 'team', value: 'web' },
        { key: 'managed-by', value: 'terraform' }
      ])
    } finally {
      ecs.destroy()
    }
    // Only the image changed, whatever defaults moto added to what it returns.
    const diff = /<h3>Task definition changes[^<]*<\/h3>\n+([\s\S]*?)(?:\n<h3>|\n<details>|\n<table>|$)/.exec(
      run.main.summary
    )?.[1]
    expect(diff?.trim().split('\n')).toEqual([`- container \`web\` image: "${LIVE_IMAGE}" → "${IMAGE}"`])
  })

  test('from a task definition file: the file is registered with the image, its empty values kept', async () => {
    await seedRolling()
    const run = await deploy(m.moto, rollingInputs({ service: SERVICE, 'task-definition': 'td.json' }), {
      files: { 'td.json': taskDefinitionFile({ containerDefinitions: [{ ...CONTAINER, image: 'placeholder' }] }) }
    })
    expect(run.main.outputs['task-definition-arn']).toBe(tdArn('web', 2))
    const ecs = motoEcs(m.moto)
    try {
      const out = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'web:2' }))
      expect(out.taskDefinition).toMatchObject({
        family: 'web',
        cpu: '512',
        memory: '1024',
        executionRoleArn: 'arn:aws:iam::123456789012:role/ecsTaskExecutionRole'
      })
      expect(out.taskDefinition?.containerDefinitions).toEqual([
        expect.objectContaining({ ...CONTAINER, image: IMAGE })
      ])
    } finally {
      ecs.destroy()
    }
  })

  test('UpdateService whose answer holds no deployment of the new revision is not taken for that deployment', async () => {
    // moto difference 1: the answer's only PRIMARY is the old deployment of web:1, COMPLETED long before. Taking it
    // for ours would report web:2 deployed while nothing runs it.
    await seedRolling()
    const [before] = (await describe1()).deployments ?? []
    const run = await deploy(m.moto, rollingInputs({ service: SERVICE }))
    const { main } = run
    expect(main.exitCode).toBe(1)
    expect(main.outputs.status).toBe('failed')
    expect(main.outputs['deployment-id']).toBeUndefined()
    expect(main.errors).toHaveLength(1)
    expect(main.errors[0]).toBe(
      `UpdateService of ${CLUSTER}/${SERVICE} returned no PRIMARY deployment of web:2 (PRIMARY: ${String(before?.id)} with web:1)`
    )
    expect(main.stdout).not.toContain('::notice::Deployed')
    expect((await describe1()).taskDefinition).toBe(tdArn('web', 2))
    expect(run.post?.exitCode).toBe(0)
  })

  test('an unchanged task definition: forceNewDeployment, and that deployment followed to COMPLETED', async () => {
    await seedRolling()
    const [before] = (await describe1()).deployments ?? []
    const run = await deploy(m.moto, rollingInputs({ service: SERVICE, image: LIVE_IMAGE }))
    const { main } = run
    expect(main.errors).toEqual([])
    expect(main.exitCode).toBe(0)
    const id = main.outputs['deployment-id'] as string
    expect(id).toMatch(/^ecs-svc\/\d+$/)
    expect(id).not.toBe(before?.id)
    expect(main.outputs).toMatchObject({
      status: 'succeeded',
      'task-definition-arn': tdArn('web', 1),
      'previous-task-definition-arn': tdArn('web', 1)
    })
    expect(main.stdout).toContain('The task definition is unchanged: forcing a new deployment')
    expect(main.stdout).toContain(`Deployment ${id}: COMPLETED, ${MOTO_RUNNING_TASKS}/${MOTO_RUNNING_TASKS} running`)
    expect(main.stdout).toContain(`::notice::Deployed web:1 to ${CLUSTER}/${SERVICE} (ECS deployment ${id})`)
    const service = await describe1()
    expect(service.deployments?.map((d) => [d.id, d.status, d.rolloutState, d.taskDefinition])).toEqual([
      [id, 'PRIMARY', 'COMPLETED', tdArn('web', 1)]
    ])
    expect(await taskDefinitionArns()).toEqual([tdArn('web', 1)])
    expect(run.post?.exitCode).toBe(0)
  })

  test('a rollout that never completes: failed at the timeout, the stopped tasks looked up, the live revision named', async () => {
    // moto difference 3: with more desired tasks than moto reports running, the rollout stays IN_PROGRESS.
    await seedRolling(MOTO_RUNNING_TASKS + 1)
    const run = await deploy(m.moto, rollingInputs({ service: SERVICE, image: LIVE_IMAGE, 'timeout-minutes': '0.02' }))
    const { main } = run
    expect(main.exitCode).toBe(1)
    const id = main.outputs['deployment-id'] as string
    expect(main.stdout).toContain(
      `Deployment ${id}: IN_PROGRESS, ${MOTO_RUNNING_TASKS}/${MOTO_RUNNING_TASKS + 1} running`
    )
    expect(main.errors).toHaveLength(1)
    expect(main.errors[0]).toContain(`ECS deployment ${id} did not complete within 0.02 min`)
    expect(main.errors[0]).toContain('live task definition: web:1')
    expect(main.outputs.status).not.toBe('succeeded')
    expect(run.post?.exitCode).toBe(0)
  })
})

describe('pre-flight against moto: refused before anything changes', () => {
  test.each([
    ['a cluster that does not exist', { cluster: 'nowhere' }, "Invalid 'cluster': cluster 'nowhere' was not found"],
    [
      'a service that does not exist',
      { service: 'absent' },
      `ECS service 'absent' was not found in cluster '${CLUSTER}' (MISSING)`
    ]
  ])('%s', async (_what, inputs, error) => {
    await seedRolling()
    const run = await deploy(m.moto, rollingInputs({ service: SERVICE, ...inputs }))
    expect(run.main.exitCode).toBe(1)
    expect(run.main.errors).toHaveLength(1)
    expect(run.main.errors[0]).toContain(error)
    expect(run.main.errors[0]).not.toContain('\n')
    expect(await taskDefinitionArns()).toEqual([tdArn('web', 1)])
    expect((await describe1()).taskDefinition).toBe(tdArn('web', 1))
  })

  test('ecs-rolling on a service CodeDeploy deploys: refused, nothing registered', async () => {
    await seedCodeDeployService()
    const run = await deploy(m.moto, rollingInputs({ service: BG_SERVICE }))
    expect(run.main.exitCode).toBe(1)
    expect(run.main.errors).toHaveLength(1)
    expect(run.main.errors[0]).toMatch(/CODE_DEPLOY/)
    expect(await taskDefinitionArns()).toEqual([tdArn('web', 1)])
  })
})

describe('ecs-blue-green: ECS on moto, CodeDeploy on the emulator', () => {
  let emulator: Emulator | undefined
  beforeAll(async () => {
    emulator = await startEmulator({ timings: TIMINGS })
  })
  afterAll(async () => {
    await emulator?.close()
  })

  test('a dry run plans from moto’s service and live task definition and the emulator’s deployment group', async () => {
    const codedeploy = emulator as Emulator
    await seedCodeDeployService({
      loadBalancers: [
        {
          targetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web-blue/0123456789abcdef',
          containerName: 'web',
          containerPort: 80
        }
      ]
    })
    const run = await deploy(m.moto, blueGreenInputs({ 'dry-run': 'true' }), {
      env: { AWS_ENDPOINT_URL_CODEDEPLOY: codedeploy.url }
    })
    const { main } = run
    expect(main.errors).toEqual([])
    expect(main.exitCode).toBe(0)
    expect(main.outputs).toMatchObject({ status: 'planned', 'previous-task-definition-arn': tdArn('web', 1) })
    expect(main.stdout).toContain(`container \`web\` image: "${LIVE_IMAGE}" → "${IMAGE}"`)
    // Each service answered its own part: ECS reads went to moto, the group read to the emulator.
    expect(codedeploy.control.calls({ service: 'ecs' })).toEqual([])
    expect(codedeploy.control.calls({ op: 'GetDeploymentGroup' }).map((c) => c.params.deploymentGroupName)).toEqual([
      GROUP
    ])
    expect(await taskDefinitionArns()).toEqual([tdArn('web', 1)])
  })
})
