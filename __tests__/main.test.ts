import { jest } from '@jest/globals'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { Strategy, DeployResult } from '../src/types.js'
import { fakeDeps, fakeStartup, recordingIO } from './helpers/fake-deps.js'
import { loadJournal } from '../src/journal.js'

const deploy = jest.fn<Strategy['deploy']>()
const recover = jest.fn<Strategy['recover']>()
const createStrategy = jest.fn(async () => ({ deploy, recover }) as Strategy)
jest.unstable_mockModule('../src/strategy.js', () => ({ createStrategy }))

const { run } = await import('../src/main.js')
const { runPost } = await import('../src/post.js')

const ok: DeployResult = {
  status: 'succeeded',
  message: 'Deployed app:v2 to 1 host',
  targets: [{ name: 'h1', before: 'app:v1', after: 'app:v2', outcome: 'deployed', durationMs: 10, phases: [] }],
  outputs: {}
}
const inputs = {
  strategy: 'ssh-rolling',
  image: 'app:v2',
  hosts: 'h1',
  'ssh-user': 'deploy',
  'ssh-insecure-skip-host-key-check': 'true',
  'ssh-private-key': fs.readFileSync(new URL('../__fixtures__/inputs/id_ed25519', import.meta.url), 'utf8')
}

describe('main', () => {
  let temp: string
  beforeEach(() => (temp = fs.mkdtempSync(path.join(os.tmpdir(), 'main-test-'))))
  afterEach(() => fs.rmSync(temp, { recursive: true, force: true }))

  test('publishes outputs, a notice and the summary; marks the journal done', async () => {
    deploy.mockImplementation(async (ctx) => {
      ctx.setOutput('deployment-id', 'early')
      ctx.journal.update({ changed: ['h1'] } as never)
      return ok
    })
    const deps = fakeDeps(inputs, { env: { RUNNER_TEMP: temp } })
    await run(fakeStartup(deps))
    expect(deps.io.failed).toEqual([])
    expect(deps.io.outputs).toMatchObject({ status: 'succeeded', 'hosts-deployed': 'h1', 'deployment-id': 'early' })
    expect(JSON.parse(deps.io.outputs.report as string).targets[0].after).toBe('app:v2')
    expect(loadJournal(deps.io, deps.io.state.tempDir)).toEqual({ done: true, changed: ['h1'] })
    expect(deps.log.entries).toContainEqual({ level: 'notice', message: ok.message })
    expect(deps.io.summary.join('')).toContain('<h2>✅ Deploy succeeded — ssh-rolling</h2>')
    expect(deps.io.summary.join('')).not.toContain('PRIVATE KEY')
  })

  test('a rolled-back deploy fails the step with its message and still writes outputs and summary', async () => {
    deploy.mockResolvedValue({ ...ok, status: 'rolled-back', message: 'h1 unhealthy; rolled back to app:v1' })
    const deps = fakeDeps(inputs, { env: { RUNNER_TEMP: temp } })
    await run(fakeStartup(deps))
    expect(deps.io.failed).toEqual(['h1 unhealthy; rolled back to app:v1'])
    expect(deps.io.outputs.status).toBe('rolled-back')
    expect(deps.io.summary.join('')).toContain('↩️ Deploy rolled back')
  })

  test('a bad input fails without loading the toolkit; the post step is still told it is the post step', async () => {
    const deps = fakeDeps({ ...inputs, hosts: 'a b' }, { env: { RUNNER_TEMP: temp } })
    const startup = fakeStartup(deps)
    await run(startup)
    expect(deps.io.failed).toEqual([expect.stringMatching(/^Invalid 'hosts'/)])
    expect(startup.loads).toBe(0)
    expect(createStrategy).not.toHaveBeenCalled()
    expect(deps.io.state).toEqual({ isPost: 'true' })
  })

  test('an exception becomes one error line with its cause', async () => {
    deploy.mockRejectedValue(new Error('Could not create deployment', { cause: new Error('AccessDenied: no') }))
    const deps = fakeDeps(inputs, { env: { RUNNER_TEMP: temp } })
    await run(fakeStartup(deps))
    expect(deps.io.failed).toEqual(['Could not create deployment: AccessDenied: no'])
  })
})

describe('post', () => {
  test('recovers when the main step did not finish, then removes the temp folder', async () => {
    const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'post-test-'))
    let seen: unknown
    recover.mockImplementation(async (ctx) => {
      seen = { ...ctx.journal.read() }
      return { ...ok, status: 'rolled-back', message: 'rolled back h1' }
    })
    const io = recordingIO({ tempDir: temp, journal: JSON.stringify({ done: false, changed: ['h1'] }) })
    const deps = fakeDeps(inputs, { io })
    await runPost(fakeStartup(deps))
    expect(recover).toHaveBeenCalledTimes(1)
    expect(seen).toEqual({ done: false, changed: ['h1'] })
    expect(deps.log.entries.some((e) => e.level === 'warning' && e.message.includes('rolled back h1'))).toBe(true)
    // The post step marked it done (in action state here: the journal came from state, the file had none).
    expect(fs.existsSync(temp)).toBe(false)
  })

  test('does nothing when the main step finished', async () => {
    const io = recordingIO({ journal: JSON.stringify({ done: true }) })
    await runPost(fakeStartup(fakeDeps(inputs, { io })))
    expect(recover).not.toHaveBeenCalled()
  })

  test('never fails the job: a recovery error is a warning', async () => {
    recover.mockRejectedValue(new Error('host unreachable'))
    const io = recordingIO({ journal: JSON.stringify({ done: false }) })
    const deps = fakeDeps(inputs, { io })
    await runPost(fakeStartup(deps))
    expect(io.failed).toEqual([])
    expect(deps.log.entries).toContainEqual({ level: 'warning', message: 'Post step: host unreachable' })
  })
})
