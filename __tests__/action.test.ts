/** Runner-level tests of the bundled action: `node dist/index.js` exactly as the runner starts it. */
import { cleanupRun, runAction, type ActionRun } from './harness/run-action.js'

describe('dist/index.js as the runner runs it', () => {
  const runs: ActionRun[] = []
  afterAll(() => runs.forEach(cleanupRun))

  test('with no inputs it fails naming the two required inputs, and the post step exits cleanly', async () => {
    const run = await runAction({ inputs: {} })
    runs.push(run)
    expect(run.main.exitCode).toBe(1)
    expect(run.main.errors).toEqual([
      expect.stringMatching(/^Missing 'strategy'.*ecs-blue-green, ecs-native, ecs-rolling, ssh-rolling$/),
      expect.stringMatching(/^Missing 'image'/)
    ])
    expect(run.main.state).toEqual({ isPost: 'true' })
    expect(run.post?.exitCode).toBe(0)
    expect(run.post?.errors).toEqual([])
  })

  test('five bad inputs are five error annotations, each titled with its input, in one run', async () => {
    const run = await runAction({
      inputs: {
        strategy: 'ssh-rolling',
        image: 'app:v1;rm -rf /',
        hosts: 'web-1\nweb 2',
        'ssh-user': 'deploy',
        'ssh-private-key': 'not a key',
        'ssh-known-hosts': 'web-1',
        'batch-size': '0%'
      },
      noPost: true
    })
    runs.push(run)
    expect(run.main.exitCode).toBe(1)
    const annotations = [...run.main.stdout.matchAll(/^::error title=([^,:]*)(?:,line=(\d+))?::(.*)$/gm)]
    expect(annotations.map(([, title, line]) => [title, line])).toEqual([
      ['image', undefined],
      ['hosts', '2'],
      ['ssh-private-key', undefined],
      ['ssh-known-hosts', '1'],
      ['batch-size', undefined]
    ])
    for (const [, title, , message] of annotations) expect(message).toMatch(new RegExp(`^Invalid '${title}'`))
    expect(run.main.errors).toHaveLength(5)
    expect(run.main.state).toEqual({ isPost: 'true' })
    expect(run.main.outputs).toEqual({})
  })

  test('a bad image reference fails before anything else, naming the input and the expected form', async () => {
    const run = await runAction({
      inputs: { strategy: 'ecs-rolling', image: 'app:v1;rm -rf /', service: 'web', 'aws-region': 'us-east-1' },
      noPost: true
    })
    runs.push(run)
    expect(run.main.exitCode).toBe(1)
    expect(run.main.errors).toEqual([expect.stringMatching(/^Invalid 'image'.*\[registry\[:port\]\/\]name\[:tag\]/)])
    expect(run.main.outputs).toEqual({})
  })
})
