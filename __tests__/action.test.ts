/** Runner-level tests of the bundled action: `node dist/index.js` exactly as the runner starts it. */
import { cleanupRun, runAction, type ActionRun } from './harness/run-action.js'

describe('dist/index.js as the runner runs it', () => {
  const runs: ActionRun[] = []
  afterAll(() => runs.forEach(cleanupRun))

  test('with no inputs it fails with one error naming strategy, and the post step exits cleanly', async () => {
    const run = await runAction({ inputs: {} })
    runs.push(run)
    expect(run.main.exitCode).toBe(1)
    expect(run.main.errors).toHaveLength(1)
    expect(run.main.errors[0]).toMatch(/'strategy'.*ecs-blue-green, ecs-rolling, ssh-rolling/)
    expect(run.main.state).toEqual({ isPost: 'true' })
    expect(run.post?.exitCode).toBe(0)
    expect(run.post?.errors).toEqual([])
  })

  test('a bad image reference fails before anything else, naming the input and the expected form', async () => {
    const run = await runAction({ inputs: { strategy: 'ecs-rolling', image: 'app:v1;rm -rf /' }, noPost: true })
    runs.push(run)
    expect(run.main.exitCode).toBe(1)
    expect(run.main.errors).toEqual([expect.stringMatching(/^Invalid 'image'.*\[registry\[:port\]\/\]name\[:tag\]/)])
    expect(run.main.outputs).toEqual({})
  })
})
