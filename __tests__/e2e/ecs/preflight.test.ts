/**
 * What the ECS strategies refuse before they change anything, and what they never show: bad inputs and files,
 * the wrong deployment controller, AccessDenied, dry runs, secrets in environment variables. Runner level: the
 * bundled action, the real AWS SDK over HTTP, the strict emulator.
 */
import {
  APP,
  BG_SERVICE,
  CLUSTER,
  GROUP,
  IMAGE,
  ROLLING_SERVICE,
  blueGreenInputs,
  callsOf,
  cleanupRuns,
  deploy,
  mutations,
  ops,
  rollingInputs,
  serviceState,
  taskDefinitionFile,
  tdArn,
  useEmulator
} from './helpers.js'

const e = useEmulator()
afterAll(cleanupRuns)

/** The `multi` task definition of the standard fixture, as a file: containers `web` and `sidecar`. */
function twoContainerFile(): string {
  const doc = JSON.parse(taskDefinitionFile()) as { containerDefinitions: Record<string, unknown>[] }
  doc.containerDefinitions.push({
    name: 'sidecar',
    image: 'public.ecr.aws/docker/library/busybox:1.36',
    essential: false,
    portMappings: [{ containerPort: 9000, hostPort: 9000, protocol: 'tcp' }]
  })
  return JSON.stringify(doc)
}

describe('bad inputs and files', () => {
  test('a task definition file that is not JSON: one-line input error, no AWS call at all', async () => {
    const { emulator } = e
    const run = await deploy(emulator, blueGreenInputs({ 'task-definition': 'task-definition.json' }), {
      files: { 'task-definition.json': '{ "family": "web", "containerDefinitions": [ }' }
    })
    expect(run.main.exitCode).toBe(1)
    expect(run.main.errors).toHaveLength(1)
    const error = run.main.errors[0] as string
    expect(error).not.toContain('\n')
    expect(error).toMatch(
      /^Invalid 'task-definition': expected a readable JSON or YAML file, got 'task-definition\.json'/
    )
    expect(error).toContain('does not parse')
    expect(ops(emulator)).toEqual([])
    expect(run.main.outputs.status).toBeUndefined()
    expect(run.post?.exitCode).toBe(0)
    expect(ops(emulator)).toEqual([])
  })

  test("two containers and no 'container-name': the error names the input and the containers; nothing registered", async () => {
    const { emulator } = e
    const run = await deploy(emulator, rollingInputs({ 'task-definition': 'td.json' }), {
      files: { 'td.json': twoContainerFile() }
    })
    expect(run.main.exitCode).toBe(1)
    expect(run.main.outputs.status).toBe('failed')
    expect(run.main.errors).toEqual([
      "Missing 'container-name': required because the task definition has 2 containers ('web', 'sidecar')"
    ])
    expect(callsOf(emulator, 'RegisterTaskDefinition')).toEqual([])
    expect(mutations(emulator)).toEqual([])
  })

  test("'container-name' not in the task definition file: the error lists its containers; no AWS call", async () => {
    const { emulator } = e
    const run = await deploy(emulator, rollingInputs({ 'task-definition': 'td.json', 'container-name': 'api' }), {
      files: { 'td.json': twoContainerFile() }
    })
    expect(run.main.exitCode).toBe(1)
    expect(run.main.errors).toHaveLength(1)
    expect(run.main.errors[0]).toMatch(/^Invalid 'container-name'/)
    expect(run.main.errors[0]).toContain("'api'")
    expect(run.main.errors[0]).toContain('web, sidecar')
    expect(ops(emulator)).toEqual([])
  })

  test("'container-name' not in the live task definition: the error lists its containers; nothing registered", async () => {
    const { emulator } = e
    const run = await deploy(emulator, blueGreenInputs({ 'container-name': 'api' }))
    expect(run.main.exitCode).toBe(1)
    expect(run.main.outputs.status).toBe('failed')
    expect(run.main.errors).toEqual([
      "Invalid 'container-name': the task definition has no container 'api'; its containers: 'web'"
    ])
    expect(callsOf(emulator, 'RegisterTaskDefinition')).toEqual([])
    expect(mutations(emulator)).toEqual([])
  })
})

describe('the wrong deployment controller', () => {
  test("ecs-rolling on a CODE_DEPLOY service: the error suggests 'ecs-blue-green'; no change", async () => {
    const { emulator } = e
    const run = await deploy(emulator, rollingInputs({ service: BG_SERVICE }))
    expect(run.main.exitCode).toBe(1)
    expect(run.main.outputs.status).toBe('failed')
    expect(run.main.errors).toEqual([
      `ECS service ${CLUSTER}/${BG_SERVICE} uses the CODE_DEPLOY deployment controller, but strategy 'ecs-rolling' needs ECS: use strategy 'ecs-blue-green'`
    ])
    expect(mutations(emulator)).toEqual([])
    expect(serviceState(emulator, BG_SERVICE).taskDefinition).toBe(tdArn('web', 1))
  })

  test("ecs-blue-green on an ECS-controller service: the error suggests 'ecs-rolling'; no change", async () => {
    const { emulator } = e
    const run = await deploy(emulator, blueGreenInputs({ service: ROLLING_SERVICE }))
    expect(run.main.exitCode).toBe(1)
    expect(run.main.errors).toHaveLength(1)
    expect(run.main.errors[0]).toContain("use strategy 'ecs-rolling'")
    expect(mutations(emulator)).toEqual([])
  })
})

describe('AccessDenied fails fast with AWS’s message, without retrying', () => {
  const DENIED = (action: string): string =>
    `AccessDeniedException: User: arn:aws:sts::123456789012:assumed-role/deploy/github-actions is not authorized to perform: ${action}`

  test('on RegisterTaskDefinition', async () => {
    const { emulator } = e
    emulator.control.accessDenied({ op: 'RegisterTaskDefinition' })
    const run = await deploy(emulator, blueGreenInputs({ 'timeout-minutes': '5' }))
    const { main } = run
    expect(main.exitCode).toBe(1)
    expect(main.durationMs).toBeLessThan(10_000)
    expect(main.outputs).toMatchObject({ status: 'failed', 'previous-task-definition-arn': tdArn('web', 1) })
    expect(main.outputs['task-definition-arn']).toBeUndefined()
    expect(main.outputs['deployment-id']).toBeUndefined()
    expect(main.errors).toHaveLength(1)
    expect(main.errors[0]).toContain(
      `Could not register task definition family 'web': ${DENIED('ecs:RegisterTaskDefinition')}`
    )
    expect(callsOf(emulator, 'RegisterTaskDefinition').map((c) => c.error)).toEqual(['AccessDeniedException'])
    expect(mutations(emulator)).toEqual(['RegisterTaskDefinition'])
    expect(main.summary).toContain('<h2>❌ Deploy failed — ecs-blue-green</h2>')
    expect(main.summary).toContain('not authorized to perform: ecs:RegisterTaskDefinition')
    expect(run.post?.exitCode).toBe(0)
  })

  test('on CreateDeployment: the revision is registered, nothing is deployed', async () => {
    const { emulator } = e
    emulator.control.accessDenied({ op: 'CreateDeployment' })
    const run = await deploy(emulator, blueGreenInputs({ 'timeout-minutes': '5' }))
    const { main } = run
    expect(main.exitCode).toBe(1)
    expect(main.durationMs).toBeLessThan(10_000)
    expect(main.outputs).toMatchObject({ status: 'failed', 'task-definition-arn': tdArn('web', 2) })
    expect(main.outputs['deployment-id']).toBeUndefined()
    expect(main.errors).toHaveLength(1)
    expect(main.errors[0]).toContain(
      `Could not create a CodeDeploy deployment in ${APP}/${GROUP}: ${DENIED('codedeploy:CreateDeployment')}`
    )
    expect(callsOf(emulator, 'CreateDeployment').map((c) => c.error)).toEqual(['AccessDeniedException'])
    expect(mutations(emulator)).toEqual(['RegisterTaskDefinition', 'CreateDeployment'])
    expect(emulator.control.state().deployments).toEqual([])
    expect(serviceState(emulator, BG_SERVICE).taskDefinition).toBe(tdArn('web', 1))
    expect(run.post?.exitCode).toBe(0)
  })

  test('on UpdateService (ecs-rolling)', async () => {
    const { emulator } = e
    emulator.control.accessDenied({ op: 'UpdateService' })
    const run = await deploy(emulator, rollingInputs({ 'timeout-minutes': '5' }))
    const { main } = run
    expect(main.exitCode).toBe(1)
    expect(main.durationMs).toBeLessThan(10_000)
    expect(main.outputs.status).toBe('failed')
    expect(main.errors[0]).toContain(
      `Could not update ECS service ${CLUSTER}/${ROLLING_SERVICE}: ${DENIED('ecs:UpdateService')}`
    )
    expect(callsOf(emulator, 'UpdateService')).toHaveLength(1)
    expect(serviceState(emulator, ROLLING_SERVICE).taskDefinition).toBe(tdArn('web', 1))
  })
})

describe('dry run', () => {
  test('ecs-blue-green: planned, the diff and the AppSpec in the summary, nothing changed', async () => {
    const { emulator } = e
    const run = await deploy(
      emulator,
      blueGreenInputs({ 'dry-run': 'true', 'environment-variables': 'LOG_LEVEL=debug' })
    )
    const { main } = run
    expect(main.exitCode).toBe(0)
    expect(main.errors).toEqual([])
    expect(main.outputs).toMatchObject({ status: 'planned', 'previous-task-definition-arn': tdArn('web', 1) })
    expect(main.outputs['deployment-id']).toBeUndefined()
    expect(main.stdout).toContain(
      `::notice::Dry run: would register a new revision of web with ${IMAGE} and deploy it to ${CLUSTER}/${BG_SERVICE} through CodeDeploy ${APP}/${GROUP}`
    )
    expect(mutations(emulator)).toEqual([])
    expect(ops(emulator)).toEqual(
      expect.arrayContaining(['DescribeServices', 'DescribeTaskDefinition', 'GetDeploymentGroup'])
    )
    const summary = main.summary
    expect(summary).toContain('<h2>📝 Deploy planned (dry run) — ecs-blue-green</h2>')
    expect(summary).toContain('<h3>Task definition changes (web:1 → new revision)</h3>')
    expect(summary).toContain(`- container \`web\` image: "public.ecr.aws/nginx/nginx:1.27" → "${IMAGE}"`)
    expect(summary).toContain('- container `web` environment: added LOG_LEVEL')
    expect(summary).toContain('<h3>AppSpec that would be sent</h3>')
    const appspec = /<h3>AppSpec that would be sent<\/h3>\n\n```json\n([\s\S]*?)\n```/.exec(summary)?.[1]
    expect(JSON.parse(appspec ?? 'null')).toMatchObject({
      Resources: [
        {
          TargetService: {
            Type: 'AWS::ECS::Service',
            Properties: {
              TaskDefinition: '<new task definition ARN>',
              LoadBalancerInfo: { ContainerName: 'web', ContainerPort: 80 },
              PlatformVersion: '1.4.0'
            }
          }
        }
      ]
    })
    expect(serviceState(emulator, BG_SERVICE).taskDefinition).toBe(tdArn('web', 1))
    expect(run.post?.exitCode).toBe(0)
    expect(mutations(emulator)).toEqual([])
  })

  test('ecs-rolling: planned, the diff in the summary, no UpdateService', async () => {
    const { emulator } = e
    const run = await deploy(emulator, rollingInputs({ 'dry-run': 'true' }))
    expect(run.main.exitCode).toBe(0)
    expect(run.main.outputs.status).toBe('planned')
    expect(run.main.summary).toContain('<h2>📝 Deploy planned (dry run) — ecs-rolling</h2>')
    expect(run.main.summary).toContain(`container \`web\` image: "public.ecr.aws/nginx/nginx:1.27" → "${IMAGE}"`)
    expect(mutations(emulator)).toEqual([])
  })
})

describe('secrets in environment-variables', () => {
  const SECRET = 's3cr3t-value-123'

  test('the value reaches the task definition but no visible log line, output or summary', async () => {
    const { emulator } = e
    const run = await deploy(
      emulator,
      blueGreenInputs({ 'environment-variables': `DB_PASSWORD=${SECRET}\nLOG_LEVEL=debug` })
    )
    const { main, post } = run
    expect(main.exitCode).toBe(0)
    expect(main.outputs.status).toBe('succeeded')
    // It is in AWS: that is the point.
    const [register] = callsOf(emulator, 'RegisterTaskDefinition')
    expect(register?.params).toMatchObject({
      containerDefinitions: [
        expect.objectContaining({
          environment: expect.arrayContaining([
            { name: 'DB_PASSWORD', value: SECRET },
            { name: 'LOG_LEVEL', value: 'debug' }
          ])
        })
      ]
    })
    expect(emulator.model.findTaskDefinition('web:2')?.body).toMatchObject({
      containerDefinitions: [
        expect.objectContaining({ environment: expect.arrayContaining([{ name: 'DB_PASSWORD', value: SECRET }]) })
      ]
    })
    // Masked before anything was printed, and nowhere the user sees.
    expect(main.masks).toContain(SECRET)
    const firstMask = main.stdout.indexOf(`::add-mask::${SECRET}`)
    const firstOther = main.stdout.split('\n').findIndex((l) => l !== '' && !l.startsWith('::add-mask::'))
    expect(firstMask).toBeGreaterThanOrEqual(0)
    expect(main.stdout.split('\n').findIndex((l) => l === `::add-mask::${SECRET}`)).toBeLessThan(firstOther)
    expect(main.visibleLog).not.toContain(SECRET)
    expect(main.stderr).not.toContain(SECRET)
    expect(post?.visibleLog).not.toContain(SECRET)
    expect(post?.stderr).not.toContain(SECRET)
    for (const value of Object.values(main.outputs)) expect(value).not.toContain(SECRET)
    expect(main.summary).not.toContain(SECRET)
    expect(main.summary).toContain('environment: added DB_PASSWORD, LOG_LEVEL')
    // The journal (action state) holds no secret either.
    for (const value of Object.values(main.state)) expect(value).not.toContain(SECRET)
  })
})
