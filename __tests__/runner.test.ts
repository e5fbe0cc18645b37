import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { parseFileCommands } from './harness/run-action.js'
import { commandLines, HOSTILE_OUTPUT, runnerLines, spyOnStdout } from './helpers/runner-stdout.js'
import * as runner from '../src/runner.js'

function captureStdout(fn: () => void): string {
  const stdout = spyOnStdout()
  try {
    fn()
  } finally {
    stdout.restore()
  }
  return stdout.text()
}

describe('runner protocol', () => {
  let dir: string
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runner-test-'))))
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }))

  test('getInput upper-cases the name, keeps dashes, turns spaces into _ and trims', () => {
    const env = { 'INPUT_SSH-PRIVATE-KEY': '  key\n', INPUT_MY_INPUT: 'x' }
    expect(runner.getInput('ssh-private-key', env)).toBe('key')
    expect(runner.getInput('my input', env)).toBe('x')
    expect(runner.getInput('absent', env)).toBe('')
  })

  test('outputs and state use the heredoc file format, multi-line values intact', () => {
    const env = { GITHUB_OUTPUT: path.join(dir, 'out'), GITHUB_STATE: path.join(dir, 'state') }
    runner.setOutput('report', '{"a":1}\nsecond line', env)
    runner.setOutput('status', 'succeeded', env)
    runner.saveState('journal', '{"done":false}', env)
    expect(parseFileCommands(fs.readFileSync(env.GITHUB_OUTPUT, 'utf8'))).toEqual({
      report: '{"a":1}\nsecond line',
      status: 'succeeded'
    })
    expect(parseFileCommands(fs.readFileSync(env.GITHUB_STATE, 'utf8'))).toEqual({ journal: '{"done":false}' })
    expect(runner.getState('journal', { STATE_journal: 'x' })).toBe('x')
  })

  test('workflow commands escape newlines and percent signs so a message cannot inject a command', () => {
    const out = captureStdout(() => runner.issueCommand('error', 'bad 100%\n::add-mask::x'))
    expect(out).toBe('::error::bad 100%25%0A::add-mask::x\n')
  })

  test('an annotation with a title stays one command line, whatever its title and message hold', () => {
    const out = captureStdout(() =>
      runner.issueCommand('error', `h1 failed: ${HOSTILE_OUTPUT}`, { title: 'x::y,z\r::add-mask::w' })
    )
    expect(commandLines(out)).toEqual([
      expect.stringMatching(/^::error title=x%3A%3Ay%2Cz%0D%3A%3Aadd-mask%3A%3Aw::h1 /)
    ])
    expect(runnerLines(out)).toHaveLength(2)
  })

  test("annotation properties take the runner's names and stay inside one command line", () => {
    const properties = runner.annotationProperties({ title: 'hosts', startLine: 3, endColumn: 7 })
    expect(properties).toEqual({ title: 'hosts', line: '3', endColumn: '7' })
    const out = captureStdout(() => runner.issueCommand('error', "Invalid 'hosts' line 3", properties))
    expect(out).toBe("::error title=hosts,line=3,endColumn=7::Invalid 'hosts' line 3\n")
    expect(runner.annotationProperties()).toEqual({})
  })

  test('info prints host text as plain lines: no workflow command gets through, the text stays readable', () => {
    const out = captureStdout(() => runner.info(`[h1] ${HOSTILE_OUTPUT}`))
    expect(commandLines(out)).toEqual([])
    expect(runnerLines(out)).toContain(': :error title=pwned::INJECTED bare CR')
    expect(runnerLines(out)).toContain('pulling # #[error]INJECTED legacy')
  })

  test('our own groups are still workflow commands', async () => {
    const stdout = spyOnStdout()
    try {
      await runner.group('Batch 1/2: ::h1', async () => runner.info('::inside'))
    } finally {
      stdout.restore()
    }
    expect(stdout.text()).toBe('::group::Batch 1/2: ::h1\n: :inside\n::endgroup::\n')
  })

  test('a multi-line secret is masked whole and line by line', () => {
    const key = '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----'
    const out = captureStdout(() => runner.setSecret(key))
    const lines = out.trim().split('\n')
    expect(lines).toContain('::add-mask::b3BlbnNzaC1rZXktdjEAAAAA')
    expect(lines[0]).toBe(`::add-mask::${key.replace(/\n/g, '%0A')}`)
  })

  test('the summary is appended only when GITHUB_STEP_SUMMARY is set', () => {
    const file = path.join(dir, 'summary.md')
    runner.appendSummary('# one', { GITHUB_STEP_SUMMARY: file })
    runner.appendSummary('# two', { GITHUB_STEP_SUMMARY: file })
    runner.appendSummary('# lost', {})
    expect(fs.readFileSync(file, 'utf8')).toBe('# one\n# two\n')
  })
})
