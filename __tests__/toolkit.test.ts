import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { parseFileCommands, runnerEnv } from './harness/run-action.js'
import { spyOnStdout } from './helpers/runner-stdout.js'

// `context` reads the environment once, when @actions/github loads: a runner's, on a re-run (attempt 2).
const runner = { ...runnerEnv('/w'), GITHUB_RUN_ATTEMPT: '2', GITHUB_REF: 'refs/tags/v1.2.0' }
const saved = { ...process.env }
Object.assign(process.env, runner)
const core = await import('@actions/core')
const { context } = await import('@actions/github')
const { coreIO, loadToolkit, runIdentity } = await import('../src/toolkit.js')

describe('toolkit', () => {
  // `context.repo` reads GITHUB_REPOSITORY when asked, not at load.
  afterAll(() => {
    for (const key of Object.keys(runner)) if (!(key in saved)) delete process.env[key]
  })
  let dir: string
  const files = (): Record<'GITHUB_OUTPUT' | 'GITHUB_STATE' | 'GITHUB_STEP_SUMMARY', string> => ({
    GITHUB_OUTPUT: path.join(dir, 'output'),
    GITHUB_STATE: path.join(dir, 'state'),
    GITHUB_STEP_SUMMARY: path.join(dir, 'summary.md')
  })
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'toolkit-test-'))
    for (const file of Object.values(files())) fs.writeFileSync(file, '')
  })
  afterEach(() => {
    for (const key of Object.keys(files())) delete process.env[key]
    fs.rmSync(dir, { recursive: true, force: true })
    process.exitCode = undefined
  })

  test('the run identity comes from context: repository, run and attempt, actor, commit, workflow', () => {
    expect(runIdentity(context)).toEqual({
      repository: 'acme/shop',
      runId: 4242,
      runAttempt: 2,
      actor: 'octocat',
      sha: '0123456789abcdef0123456789abcdef01234567',
      ref: 'refs/tags/v1.2.0',
      workflow: 'deploy',
      runUrl: 'https://github.com/acme/shop/actions/runs/4242/attempts/2'
    })
  })

  test('outside a runner the identity holds only the actor', () => {
    const bare = {
      get repo(): never {
        throw new Error("context.repo requires a GITHUB_REPOSITORY environment variable like 'owner/repo'")
      },
      runId: NaN,
      runAttempt: NaN,
      actor: undefined as unknown as string,
      sha: undefined as unknown as string,
      ref: undefined as unknown as string,
      workflow: undefined as unknown as string,
      serverUrl: 'https://github.com'
    }
    expect(runIdentity(bare, { USER: 'dev' })).toEqual({ actor: 'dev' })
    expect(runIdentity(bare, {})).toEqual({ actor: 'unknown' })
  })

  test('outputs and state go to the runner files, the summary through core.summary, a failure is exit code 1', async () => {
    Object.assign(process.env, files())
    const io = coreIO(core)
    io.setOutput('report', '{"a":1}\nsecond line')
    io.saveState('journal', '{"done":false}')
    await io.appendSummary((summary) => summary.addHeading('Deployed', 2).addRaw('all good', true))
    await io.appendSummary((summary) => summary.addRaw('second', true))
    const stdout = spyOnStdout()
    io.setFailed('h1 unhealthy', { title: 'Deploy rolled back: ssh-rolling' })
    stdout.restore()
    expect(parseFileCommands(fs.readFileSync(files().GITHUB_OUTPUT, 'utf8'))).toEqual({
      report: '{"a":1}\nsecond line'
    })
    expect(parseFileCommands(fs.readFileSync(files().GITHUB_STATE, 'utf8'))).toEqual({ journal: '{"done":false}' })
    expect(fs.readFileSync(files().GITHUB_STEP_SUMMARY, 'utf8')).toBe('<h2>Deployed</h2>\nall good\nsecond\n')
    expect(stdout.text()).toBe('::error title=Deploy rolled back%3A ssh-rolling::h1 unhealthy\n')
    expect(process.exitCode).toBe(1)
  })

  test('without GITHUB_STEP_SUMMARY the summary is skipped, not an error', async () => {
    await expect(coreIO(core).appendSummary((summary) => summary.addRaw('lost'))).resolves.toBeUndefined()
    expect(fs.readFileSync(files().GITHUB_STEP_SUMMARY, 'utf8')).toBe('')
  })

  test('loadToolkit builds the log, the IO and the identity over the real packages', async () => {
    const toolkit = await loadToolkit()
    expect(toolkit.identity.runUrl).toBe('https://github.com/acme/shop/actions/runs/4242/attempts/2')
    const stdout = spyOnStdout()
    toolkit.log.info('::error::from a host')
    stdout.restore()
    expect(stdout.text()).toBe(': :error::from a host\n')
  })
})
