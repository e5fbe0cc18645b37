/**
 * `rollback-to` on both ECS controllers against the emulator (real SDK over HTTP, real clock): "previous" read from
 * ECS service deployments (rolling) and from the deployment group's history (CodeDeploy), deployed as registered.
 */
import { GetDeploymentCommand, CodeDeployClient } from '@aws-sdk/client-codedeploy'
import type { Emulator } from '../../../emulator/index.js'
import { emulatedRun, mutations, useEmulator, type EmulatedRun } from '../ecs-blue-green/emulated.js'
import { rollingRun } from '../ecs-rolling/emulated.js'

const e = useEmulator()

const image = (tag: string) => ({ ref: `ghcr.io/acme/web:${tag}`, registry: 'ghcr.io', name: 'acme/web', tag })
const PREVIOUS = { rollbackTo: { kind: 'previous' as const }, image: undefined }
const td = (rev: number): string => `arn:aws:ecs:us-east-1:123456789012:task-definition/web:${rev}`

function liveOf(emulator: Emulator, name: string): string | undefined {
  return emulator.control.state().services.find((s) => s.name === name)?.taskDefinition
}

function clearCalls(emulator: Emulator): void {
  emulator.control.calls({ clear: true })
}

/** Runs a `rollback-to: previous` and checks that it took `service` from web:`from` back to web:`to`. */
async function expectPreviousStep(run: EmulatedRun, service: string, from: number, to: number): Promise<void> {
  const result = await run.deploy()
  expect(result.status).toBe('succeeded')
  expect(result.targets[0]).toMatchObject({
    before: `web:${from}`,
    after: `web:${to}`,
    state: `rolled back to web:${to}`
  })
  expect(liveOf(e.emulator, service)).toBe(td(to))
}

describe('ecs-rolling: rollback-to', () => {
  test('previous: the revision the service ran before, from its service deployments; deployed without registering', async () => {
    const { emulator } = e
    expect((await rollingRun(emulator, { image: image('2.0.0') }).deploy()).status).toBe('succeeded')
    expect(liveOf(emulator, 'web-rolling')).toBe(td(2))
    clearCalls(emulator)

    const planned = await rollingRun(emulator, { ...PREVIOUS, dryRun: true }).deploy()
    expect(planned.status).toBe('planned')
    expect(planned.message).toMatch(
      /^Dry run: would roll demo\/web-rolling back, web:2 → web:1 \(service deployment \S+ \(SUCCESSFUL\) deployed it before \S+ deployed the live revision\), by rolling out web:1 as registered$/
    )
    expect(planned.sections?.[0]?.title).toBe('Rollback (web:2 → web:1)')
    expect(mutations(emulator)).toEqual([])

    const run = rollingRun(emulator, PREVIOUS)
    const result = await run.deploy()
    expect(result.status).toBe('succeeded')
    expect(result.message).toMatch(
      /^Rolled back demo\/web-rolling to web:1 \(from web:2\): deployed web:1 to demo\/web-rolling \(ECS deployment ecs-svc\/\d+\)$/
    )
    expect(result.targets[0]).toMatchObject({
      before: 'web:2',
      after: 'web:1',
      outcome: 'deployed',
      state: 'rolled back to web:1'
    })
    expect(result.outputs).toMatchObject({ 'task-definition-arn': td(1), 'previous-task-definition-arn': td(2) })
    expect(mutations(emulator)).toEqual(['UpdateService'])
    expect(liveOf(emulator, 'web-rolling')).toBe(td(1))

    // Going back never toggles: nothing ran before web:1, so a second previous does not return to web:2.
    const again = await rollingRun(emulator, PREVIOUS).deploy()
    expect(again.status).toBe('failed')
    expect(again.message).toMatch(/has no source revision \(it created the service\)/)
    expect(liveOf(emulator, 'web-rolling')).toBe(td(1))
  })

  test('v1 → v2 → v3: previous goes to v2, a second previous to v1, and a deploy after them goes back to v1', async () => {
    const { emulator } = e
    for (const tag of ['2.0.0', '3.0.0']) {
      expect((await rollingRun(emulator, { image: image(tag) }).deploy()).status).toBe('succeeded')
    }
    expect(liveOf(emulator, 'web-rolling')).toBe(td(3))

    await expectPreviousStep(rollingRun(emulator, PREVIOUS), 'web-rolling', 3, 2)
    await expectPreviousStep(rollingRun(emulator, PREVIOUS), 'web-rolling', 2, 1)

    // A new release on top goes back to what it replaced (web:1), not to web:3 or web:2, rolled back from.
    expect((await rollingRun(emulator, { image: image('4.0.0') }).deploy()).status).toBe('succeeded')
    await expectPreviousStep(rollingRun(emulator, PREVIOUS), 'web-rolling', 4, 1)
  })

  test('previous skips a revision the circuit breaker rolled back: it never ran steady', async () => {
    const { emulator } = e
    expect((await rollingRun(emulator, { image: image('2.0.0') }).deploy()).status).toBe('succeeded')
    emulator.control.failNext({ kind: 'ecs-rolling', stoppedReason: 'CannotPullContainerError: not found' })
    expect((await rollingRun(emulator, { image: image('3.0.0') }).deploy()).status).toBe('rolled-back')
    expect(liveOf(emulator, 'web-rolling')).toBe(td(2))

    const result = await rollingRun(emulator, PREVIOUS).deploy()
    expect(result.status).toBe('succeeded')
    expect(result.targets[0]).toMatchObject({ before: 'web:2', after: 'web:1' })
  })

  test('previous of a service with no earlier revision is refused before anything changes, naming what to give', async () => {
    const { emulator } = e
    const result = await rollingRun(emulator, PREVIOUS).deploy()
    expect(result.status).toBe('failed')
    expect(result.message).toBe(
      'Cannot roll back demo/web-rolling to its previous task definition: no earlier revision is recorded: service deployment ' +
        `${/service deployment (\S+) has/.exec(result.message)?.[1] ?? '?'} has no source revision (it created the service). Nothing was changed; name the revision to go back to with 'rollback-to: family:revision' (the service runs web:1)`
    )
    expect(result.targets[0]?.outcome).toBe('untouched')
    expect(mutations(emulator)).toEqual([])
  })

  test.each([
    [
      'the live revision: nothing to do, nothing done',
      'web:1',
      'succeeded',
      /^demo\/web-rolling already runs web:1: nothing to roll back, nothing was changed$/
    ],
    [
      'an unknown revision: an error naming the input',
      'web:9',
      'failed',
      /^Invalid 'rollback-to': expected a task definition registered in us-east-1 \(family:revision or its ARN\), got 'web:9', which ECS does not have$/
    ]
  ])('named %s', async (_name, name, status, message) => {
    const { emulator } = e
    const result = await rollingRun(emulator, { rollbackTo: { kind: 'named', name }, image: undefined }).deploy()
    expect(result.status).toBe(status)
    expect(result.message).toMatch(message)
    expect(mutations(emulator)).toEqual([])
  })
})

describe('ecs-blue-green: rollback-to', () => {
  test('previous: the revision the group installed before the live one, read from the descriptions it records', async () => {
    const { emulator } = e
    expect((await emulatedRun(emulator, { image: image('2.0.0') }).deploy()).status).toBe('succeeded')
    expect((await emulatedRun(emulator, { image: image('3.0.0') }).deploy()).status).toBe('succeeded')
    expect(liveOf(emulator, 'web-bg')).toBe(td(3))
    clearCalls(emulator)

    const planned = await emulatedRun(emulator, { ...PREVIOUS, dryRun: true }).deploy()
    expect(planned.message).toMatch(
      /^Dry run: would roll back, web:3 → web:2 \(deployment d-\w+ \(Succeeded\) installed it before d-\w+ installed web:3\), by deploying web:2 as registered to demo\/web-bg through CodeDeploy AppECS-demo-web-bg\/DgpECS-demo-web-bg$/
    )
    expect(mutations(emulator)).toEqual([])

    const run = emulatedRun(emulator, PREVIOUS)
    const result = await run.deploy()
    expect(result.status).toBe('succeeded')
    expect(result.message).toMatch(
      /^Rolled back demo\/web-bg to web:2 \(from web:3\): deployed web:2 to demo\/web-bg with CodeDeploy deployment d-\w+$/
    )
    expect(result.targets[0]).toMatchObject({ before: 'web:3', after: 'web:2', state: 'rolled back to web:2' })
    expect(mutations(emulator)).toEqual(['CreateDeployment'])
    expect(liveOf(emulator, 'web-bg')).toBe(td(2))

    const codedeploy = new CodeDeployClient({
      endpoint: emulator.url,
      region: emulator.region,
      credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' }
    })
    const info = await codedeploy.send(
      new GetDeploymentCommand({ deploymentId: result.outputs['deployment-id'] ?? '' })
    )
    codedeploy.destroy()
    expect(info.deploymentInfo?.description).toMatch(
      /^deploy-action run [0-9a-f]{8}: rollback to web:2 \(from web:3\); task-definition web:2; ref /
    )
  })

  test('v1 → v2 → v3: previous goes to v2, a second previous to v1, a third is refused', async () => {
    const { emulator } = e
    for (const tag of ['2.0.0', '3.0.0', '4.0.0']) {
      expect((await emulatedRun(emulator, { image: image(tag) }).deploy()).status).toBe('succeeded')
    }
    expect(liveOf(emulator, 'web-bg')).toBe(td(4))

    await expectPreviousStep(emulatedRun(emulator, PREVIOUS), 'web-bg', 4, 3)
    await expectPreviousStep(emulatedRun(emulator, PREVIOUS), 'web-bg', 3, 2)

    clearCalls(emulator)
    const third = await emulatedRun(emulator, PREVIOUS).deploy()
    expect(third.status).toBe('failed')
    expect(third.message).toMatch(/has no successful deployment of another revision before the live one/)
    expect(mutations(emulator)).toEqual([])
    expect(liveOf(emulator, 'web-bg')).toBe(td(2))
  })

  test('previous with only one deployment of the group is refused before anything changes', async () => {
    const { emulator } = e
    expect((await emulatedRun(emulator, { image: image('2.0.0') }).deploy()).status).toBe('succeeded')
    clearCalls(emulator)
    const result = await emulatedRun(emulator, PREVIOUS).deploy()
    expect(result.status).toBe('failed')
    expect(result.message).toBe(
      "Cannot roll back demo/web-bg to its previous task definition: deployment group AppECS-demo-web-bg/DgpECS-demo-web-bg has no successful deployment of another revision before the live one. Nothing was changed; name the revision to go back to with 'rollback-to: family:revision' (the service runs web:2)"
    )
    expect(mutations(emulator)).toEqual([])

    // Named, it works without any history.
    const named = await emulatedRun(emulator, {
      rollbackTo: { kind: 'named', name: 'web:1' },
      image: undefined
    }).deploy()
    expect(named.status).toBe('succeeded')
    expect(liveOf(emulator, 'web-bg')).toBe(td(1))
  })
})
