/**
 * `task-definition` naming a registered revision, against the emulator (real SDK over HTTP, real clock): both ECS
 * strategies deploy it as it is — no RegisterTaskDefinition, no image — and report, dry-run and roll back with it.
 */
import type { Emulator } from '../../../emulator/index.js'
import { emulatedRun, mutations, seedWebRevision, useEmulator } from '../ecs-blue-green/emulated.js'
import { rollingRun } from '../ecs-rolling/emulated.js'

const e = useEmulator()

const tdArn = (family: string, revision: number): string =>
  `arn:aws:ecs:us-east-1:123456789012:task-definition/${family}:${revision}`
const NEW_IMAGE = 'ghcr.io/acme/web:3.1.0'

/** Registers web:2 (a new image in container web, otherwise as web:1), before the run: the revision to deploy. */
function seedWeb2(emulator: Emulator): void {
  seedWebRevision(emulator, {
    name: 'web',
    image: NEW_IMAGE,
    essential: true,
    portMappings: [{ containerPort: 80, hostPort: 80, protocol: 'tcp' }]
  })
}

const serviceTaskDefinition = (emulator: Emulator, name: string): string | undefined =>
  emulator.control.state().services.find((s) => s.name === name)?.taskDefinition

describe('a registered revision, deployed as it is', () => {
  test.each([
    ['family:revision', 'web:2'],
    ['its ARN', tdArn('web', 2)]
  ])('ecs-rolling with %s: UpdateService only, the journal, outputs and Before → after name it', async (_, ref) => {
    const { emulator } = e
    seedWeb2(emulator)
    const run = rollingRun(emulator, { image: undefined, taskDefinitionRevision: ref })
    const result = await run.deploy()
    expect(result.status).toBe('succeeded')
    expect(result.message).toMatch(/^Deployed web:2 to demo\/web-rolling \(ECS deployment ecs-svc\/\d+\)$/)
    expect(mutations(emulator)).toEqual(['UpdateService'])
    expect(emulator.control.calls({ op: 'UpdateService' })[0]?.params).toMatchObject({
      taskDefinition: tdArn('web', 2),
      forceNewDeployment: false
    })
    expect(serviceTaskDefinition(emulator, 'web-rolling')).toBe(tdArn('web', 2))
    expect(result.targets[0]).toMatchObject({ before: 'web:1', after: 'web:2', outcome: 'deployed' })
    expect(result.sections?.[0]).toEqual({
      title: 'Task definition changes (web:1 → web:2, as registered)',
      body: `- container \`web\` image: "public.ecr.aws/nginx/nginx:1.27" → "${NEW_IMAGE}"`
    })
    expect(run.outputs).toContainEqual(['task-definition-arn', tdArn('web', 2)])
    expect(run.journal.history[0]).toMatchObject({
      phase: 'registered',
      taskDefinitionArn: tdArn('web', 2),
      previousTaskDefinitionArn: tdArn('web', 1)
    })
  })

  test('ecs-blue-green: CreateDeployment of that revision only, and it goes live', async () => {
    const { emulator } = e
    seedWeb2(emulator)
    const run = emulatedRun(emulator, { image: undefined, taskDefinitionRevision: 'web:2' })
    const result = await run.deploy()
    expect(result.status).toBe('succeeded')
    expect(mutations(emulator)).toEqual(['CreateDeployment'])
    const description = emulator.control.calls({ op: 'CreateDeployment' })[0]?.params['description']
    expect(description).toMatch(/^deploy-action run [^:]+: web:2; /)
    expect(serviceTaskDefinition(emulator, 'web-bg')).toBe(tdArn('web', 2))
    expect(result.targets[0]).toMatchObject({ before: 'web:1', after: 'web:2', outcome: 'deployed' })
  })

  test('dry run: the plan names the revision; nothing changes', async () => {
    const { emulator } = e
    seedWeb2(emulator)
    const rolling = await rollingRun(emulator, {
      image: undefined,
      taskDefinitionRevision: 'web:2',
      dryRun: true
    }).deploy()
    expect(rolling.message).toBe('Dry run: would roll out web:2 as registered to demo/web-rolling')
    const blueGreen = await emulatedRun(emulator, {
      image: undefined,
      taskDefinitionRevision: 'web:2',
      dryRun: true
    }).deploy()
    expect(blueGreen.message).toBe(
      'Dry run: would deploy web:2 as registered to demo/web-bg through CodeDeploy AppECS-demo-web-bg/DgpECS-demo-web-bg'
    )
    expect(mutations(emulator)).toEqual([])
  })

  test('a revision ECS does not have fails pre-flight naming task-definition; nothing changes', async () => {
    const { emulator } = e
    const result = await rollingRun(emulator, { image: undefined, taskDefinitionRevision: 'web:9' }).deploy()
    expect(result.status).toBe('failed')
    expect(result.message).toBe(
      "Invalid 'task-definition': expected a task definition registered in us-east-1 (family:revision or its ARN), got 'web:9', which ECS does not have"
    )
    expect(mutations(emulator)).toEqual([])
  })

  test('a failing rollout of the revision is rolled back to the previous one', async () => {
    const { emulator } = e
    seedWeb2(emulator)
    emulator.control.failNext({ kind: 'ecs-rolling', stoppedReason: 'Essential container in task exited' })
    const run = rollingRun(emulator, { image: undefined, taskDefinitionRevision: 'web:2' })
    const result = await run.deploy()
    expect(result.status).toBe('rolled-back')
    expect(result.targets[0]).toMatchObject({ before: 'web:1', after: 'web:2', outcome: 'rolled-back' })
    expect(mutations(emulator)).toEqual(['UpdateService'])
    expect(serviceTaskDefinition(emulator, 'web-rolling')).toBe(tdArn('web', 1))
  })
})
