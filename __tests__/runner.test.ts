import * as core from '@actions/core'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { parseFileCommands } from './harness/run-action.js'
import { commandLines, HOSTILE_OUTPUT, runnerLines, spyOnStdout } from './helpers/runner-stdout.js'
import * as runner from '../src/runner.js'

async function captureStdout(fn: () => void | Promise<void>): Promise<string> {
  const stdout = spyOnStdout()
  try {
    await fn()
  } finally {
    stdout.restore()
  }
  return stdout.text()
}

const early = runner.loggerOver(runner.earlyWriter)
const toolkit = runner.loggerOver(core)

describe('the runner before the toolkit loads', () => {
  let dir: string
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runner-test-'))))
  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true })
    process.exitCode = undefined
  })

  test('getInput upper-cases the name, keeps dashes, turns spaces into _ and trims, as core.getInput does', () => {
    const env = { 'INPUT_SSH-PRIVATE-KEY': '  key\n', INPUT_MY_INPUT: 'x', INPUT_HOSTS: '\n a\n b \n' }
    expect(runner.getInput('ssh-private-key', env)).toBe('key')
    expect(runner.getInput('my input', env)).toBe('x')
    expect(runner.getInput('absent', env)).toBe('')
    const saved = { ...process.env }
    try {
      Object.assign(process.env, env)
      for (const name of ['ssh-private-key', 'my input', 'hosts', 'absent']) {
        expect(runner.getInput(name, env)).toBe(core.getInput(name))
      }
    } finally {
      for (const key of Object.keys(env)) if (!(key in saved)) delete process.env[key]
    }
  })

  test('state goes to GITHUB_STATE in the heredoc format, multi-line values intact; getState reads STATE_*', () => {
    const env = { GITHUB_STATE: path.join(dir, 'state') }
    runner.earlyWriter.saveState('isPost', 'true', env)
    runner.earlyWriter.saveState('journal', '{"a":1}\nsecond line', env)
    expect(parseFileCommands(fs.readFileSync(env.GITHUB_STATE, 'utf8'))).toEqual({
      isPost: 'true',
      journal: '{"a":1}\nsecond line'
    })
    expect(runner.getState('journal', { STATE_journal: 'x' })).toBe('x')
  })

  test('annotations, masks, debug and groups are written exactly as @actions/core writes them', async () => {
    const calls = async (log: typeof early): Promise<void> => {
      log.error(`bad 100%\n::add-mask::x ${HOSTILE_OUTPUT}`, { title: 'x::y,z\r::add-mask::w', startLine: 3 })
      log.warning('w', { file: 'task-def.json', startLine: 2, endLine: 4, startColumn: 5, endColumn: 9 })
      log.notice('n')
      log.debug('payload\n::error::not a command')
      log.setSecret('-----BEGIN KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END KEY-----')
      await log.group('Batch 1/2: ::h1', async () => undefined)
    }
    const fromEarly = await captureStdout(() => calls(early))
    expect(fromEarly).toBe(await captureStdout(() => calls(toolkit)))
    expect(fromEarly.split('\n')[0]).toMatch(
      /^::error title=x%3A%3Ay%2Cz%0D%3A%3Aadd-mask%3A%3Aw,line=3::bad 100%25%0A/
    )
    expect(fromEarly).toContain('::warning file=task-def.json,line=2,endLine=4,col=5,endColumn=9::w\n')
    expect(commandLines(fromEarly)).toHaveLength(10)
  })

  test('a failure sets exit code 1 and one error annotation', async () => {
    const out = await captureStdout(() => runner.earlyWriter.setFailed("Invalid 'hosts' line 3", { title: 'hosts' }))
    expect(out).toBe("::error title=hosts::Invalid 'hosts' line 3\n")
    expect(process.exitCode).toBe(1)
  })
})

describe.each([
  ['the early writer', early],
  ['@actions/core', toolkit]
])('the log over %s', (_name, log) => {
  test('info prints host text as plain lines: no workflow command gets through, the text stays readable', async () => {
    const out = await captureStdout(() => log.info(`[h1] ${HOSTILE_OUTPUT}`))
    expect(commandLines(out)).toEqual([])
    expect(runnerLines(out)).toContain(': :error title=pwned::INJECTED bare CR')
    expect(runnerLines(out)).toContain('pulling # #[error]INJECTED legacy')
  })

  test('our own groups are still workflow commands', async () => {
    const out = await captureStdout(() => log.group('Batch 1/2: ::h1', async () => log.info('::inside')))
    expect(out).toBe('::group::Batch 1/2: ::h1\n: :inside\n::endgroup::\n')
  })

  test('a multi-line secret is masked whole and line by line', async () => {
    const key = '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----'
    const lines = (await captureStdout(() => log.setSecret(key))).trim().split('\n')
    expect(lines[0]).toBe(`::add-mask::${key.replace(/\n/g, '%0A')}`)
    expect(lines).toContain('::add-mask::b3BlbnNzaC1rZXktdjEAAAAA')
    expect(lines).toContain('::add-mask::-----END OPENSSH PRIVATE KEY-----')
  })
})
