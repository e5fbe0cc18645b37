/** The deployment description against the emulator over HTTP: CodeDeploy rejects one over 512 characters. */
import { GetDeploymentCommand } from '@aws-sdk/client-codedeploy'
import { createDeployment, deploymentDescription } from '../../../src/strategies/ecs-blue-green/codedeploy.js'
import { APP, appSpec, GROUP, setUp, sha256, tearDown, TD_WEB_1, type Setup } from '../../emulator/helpers.js'
import { fakeClock, recordingLogger, RUN_IDENTITY } from '../../helpers/fake-deps.js'

let s: Setup | undefined
beforeAll(async () => (s = await setUp()))
afterAll(() => tearDown(s))

const LONG = {
  image: `registry.example.com:5000/${'team/'.repeat(30)}web@sha256:${'a'.repeat(64)}`,
  ref: `refs/heads/${'feature/'.repeat(40)}x`,
  sha: 'f'.repeat(64)
}

test.each([
  ['a runner-sized run', 'registry.example.com/web:2.0.0', RUN_IDENTITY],
  ['the longest parts', LONG.image, { ...RUN_IDENTITY, ref: LONG.ref, sha: LONG.sha }]
])('%s: CreateDeployment accepts the description, which names image, ref, sha and run', async (_name, image, run) => {
  const { emulator, codedeploy } = s as Setup
  emulator.control.reset()
  const description = deploymentDescription(image, run, '0a1b2c3d')
  expect(description.startsWith('deploy-action run 0a1b2c3d: ')).toBe(true)
  expect(description.length).toBeLessThanOrEqual(512)
  expect(description).toContain(`sha ${run.sha}`)
  expect(description).toContain(`ref ${(run.ref ?? '').slice(0, 90)}`)
  expect(description).toMatch(/; run https:\/\/github\.com\/acme\/shop\/actions\/runs\/4242$/)
  const content = appSpec(TD_WEB_1)
  const created = await createDeployment(
    codedeploy,
    {
      ref: { application: APP, group: GROUP, region: emulator.region },
      content,
      sha256: sha256(content),
      description,
      token: '0a1b2c3d'
    },
    'fail',
    { clock: fakeClock(), log: recordingLogger(), intervalMs: 10, deadline: Date.now() + 5000 }
  )
  expect(created.kind).toBe('done')
  const id = created.kind === 'done' ? created.value : ''
  const out = await codedeploy.send(new GetDeploymentCommand({ deploymentId: id }))
  expect(out.deploymentInfo?.description).toBe(description)
})
