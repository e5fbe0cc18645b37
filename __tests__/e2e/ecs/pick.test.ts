/**
 * `strategy: ecs` choosing the CodeDeploy and the rolling path, and a registered revision deployed as it is, through
 * the bundled action (main, then post) against the emulator. The native path's choice is in native.test.ts.
 */
import { ECSClient, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs'
import {
  BG_SERVICE,
  CLUSTER,
  ROLLING_SERVICE,
  blueGreenInputs,
  callsOf,
  cleanupRuns,
  deploy,
  mutations,
  postCalls,
  rollingInputs,
  serviceState,
  tdArn,
  testClientConfig,
  useEmulator
} from './helpers.js'

const e = useEmulator()
afterAll(cleanupRuns)

describe("strategy 'ecs' through the bundled action", () => {
  test('a CODE_DEPLOY service: the CodeDeploy blue/green path, said in the log and the summary', async () => {
    const { emulator } = e
    const run = await deploy(emulator, blueGreenInputs({ strategy: 'ecs' }))
    const { main } = run
    expect(main.errors).toEqual([])
    expect(main.exitCode).toBe(0)
    expect(main.stdout).toMatch(
      new RegExp(`Strategy ecs: ecs-blue-green, as service ${CLUSTER}/${BG_SERVICE} .*CODE_DEPLOY`)
    )
    expect(main.summary).toContain('Path: ecs-blue-green')
    expect(mutations(emulator)).toEqual(['RegisterTaskDefinition', 'CreateDeployment'])
    expect(callsOf(emulator, 'UpdateService')).toEqual([])
    expect(main.outputs['deployment-id']).toMatch(/^d-[A-Z0-9]{9}$/)
    expect(serviceState(emulator, BG_SERVICE).taskDefinition).toBe(tdArn('web', 2))
    expect(postCalls(emulator, run)).toEqual([])
  })

  test('an ECS-controller ROLLING service: the rolling path, no CodeDeploy call', async () => {
    const { emulator } = e
    const run = await deploy(emulator, rollingInputs({ strategy: 'ecs' }))
    const { main } = run
    expect(main.errors).toEqual([])
    expect(main.exitCode).toBe(0)
    expect(main.stdout).toMatch(new RegExp(`Strategy ecs: ecs-rolling, as service ${CLUSTER}/${ROLLING_SERVICE} `))
    expect(main.summary).toContain('Path: ecs-rolling')
    expect(mutations(emulator)).toEqual(['RegisterTaskDefinition', 'UpdateService'])
    expect(emulator.control.calls({ service: 'codedeploy' })).toEqual([])
    expect(serviceState(emulator, ROLLING_SERVICE).taskDefinition).toBe(tdArn('web', 2))
    expect(postCalls(emulator, run)).toEqual([])
  })
})

describe('a registered revision deployed as it is', () => {
  test("'task-definition: web:2' without an image: UpdateService to web:2, nothing registered by the action", async () => {
    const { emulator } = e
    // Someone registered web:2 earlier (its own pipeline, the console).
    const ecs = new ECSClient(testClientConfig(emulator, 'owner'))
    try {
      await ecs.send(
        new RegisterTaskDefinitionCommand({
          family: 'web',
          requiresCompatibilities: ['FARGATE'],
          networkMode: 'awsvpc',
          cpu: '256',
          memory: '512',
          containerDefinitions: [
            { name: 'web', image: 'public.ecr.aws/nginx/nginx:1.27', portMappings: [{ containerPort: 80 }] }
          ]
        })
      )
    } finally {
      ecs.destroy()
    }
    const registeredBefore = callsOf(emulator, 'RegisterTaskDefinition').length
    const inputs = rollingInputs({ 'task-definition': 'web:2' })
    delete inputs['image']
    const run = await deploy(emulator, inputs)
    const { main } = run
    expect(main.errors).toEqual([])
    expect(main.exitCode).toBe(0)
    expect(callsOf(emulator, 'RegisterTaskDefinition')).toHaveLength(registeredBefore)
    expect(callsOf(emulator, 'UpdateService').map((c) => c.params['taskDefinition'])).toEqual([tdArn('web', 2)])
    expect(main.outputs).toMatchObject({
      'task-definition-arn': tdArn('web', 2),
      'previous-task-definition-arn': tdArn('web', 1)
    })
    expect(main.summary).toContain('web:1 → web:2, as registered')
    expect(serviceState(emulator, ROLLING_SERVICE).taskDefinition).toBe(tdArn('web', 2))
    expect(postCalls(emulator, run)).toEqual([])
  })
})
