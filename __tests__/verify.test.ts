import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { systemClock } from '../src/clock.js'
import { execCommand } from '../src/command-runner.js'
import { runVerify, verifyEnvironment, type VerifyDeps } from '../src/verify.js'
import { recordingLogger } from './helpers/fake-deps.js'

function deps(
  env: NodeJS.ProcessEnv = { PATH: process.env.PATH }
): VerifyDeps & { log: ReturnType<typeof recordingLogger> } {
  return { log: recordingLogger(), clock: systemClock, env, runCommand: execCommand }
}

const never = new AbortController().signal
const run = (vars: Record<string, string> = {}, signal = never) => ({ vars, deadline: Date.now() + 60_000, signal })

/** Running or stopped, not a zombie left for a parent that does not reap (PID 1 of a container). */
function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'))
  } catch {
    return false
  }
}

describe('verify gate (real bash through @actions/exec)', () => {
  test('passes on exit 0, with the DEPLOY_* variables in its environment and its output as plain log lines', async () => {
    const d = deps()
    const outcome = await runVerify(
      d,
      { command: 'echo "image=$DEPLOY_IMAGE"; echo "::error::forged"', timeoutMs: 10_000 },
      run({ DEPLOY_IMAGE: 'web:2' })
    )
    expect(outcome.ok).toBe(true)
    const lines = d.log.entries.filter((e) => e.level === 'info').map((e) => e.message)
    expect(lines).toContain('  image=web:2')
    expect(lines).toContain('  : :error::forged')
  })

  test('fails with the exit code and its last output lines', async () => {
    const outcome = await runVerify(
      deps(),
      { command: 'for i in 1 2 3 4 5 6 7; do echo "line $i"; done; exit 3', timeoutMs: 10_000 },
      run()
    )
    expect(outcome).toMatchObject({ ok: false, cancelled: false })
    if (outcome.ok) return
    expect(outcome.reason).toMatch(/^verify-command failed with exit code 3; last output: "line 3" \/ .* \/ "line 7"$/)
    expect(outcome.reason).not.toContain('line 2')
  })

  test('times out, and the command and what it started are gone', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'verify-test-'))
    const pidFile = path.join(dir, 'sleep.pid')
    const started = Date.now()
    const outcome = await runVerify(
      deps(),
      { command: `sleep 30 & echo $! > ${pidFile}; wait`, timeoutMs: 1_000 },
      run()
    )
    expect(Date.now() - started).toBeLessThan(10_000)
    expect(outcome).toMatchObject({ ok: false, cancelled: false, reason: 'verify-command timed out after 1 s' })
    const pid = Number(fs.readFileSync(pidFile, 'utf8'))
    expect(alive(pid)).toBe(false)
  })

  test('cancelling the job stops the command and its children', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'verify-test-'))
    const pidFile = path.join(dir, 'sleep.pid')
    const cancel = new AbortController()
    const pending = runVerify(
      deps(),
      { command: `sleep 30 & echo $! > ${pidFile}; echo started; wait`, timeoutMs: 60_000 },
      run({}, cancel.signal)
    )
    while (!fs.existsSync(pidFile) || fs.readFileSync(pidFile, 'utf8') === '')
      await new Promise((r) => setTimeout(r, 20))
    const pid = Number(fs.readFileSync(pidFile, 'utf8'))
    expect(alive(pid)).toBe(true)
    cancel.abort()
    const outcome = await pending
    expect(outcome).toMatchObject({ ok: false, cancelled: true })
    expect(alive(pid)).toBe(false)
  })

  test('the time left of timeout-minutes bounds the timeout; none left: not run', async () => {
    const outcome = await runVerify(
      deps(),
      { command: 'exit 0', timeoutMs: 10_000 },
      { vars: {}, deadline: Date.now() - 1, signal: never }
    )
    expect(outcome).toMatchObject({ ok: false, reason: 'verify-command not run: no time left within timeout-minutes' })
  })
})

describe('verifyEnvironment', () => {
  test('drops the action inputs (its secrets) and the runner tokens, keeps the job env and adds the variables', () => {
    const env = verifyEnvironment(
      {
        PATH: '/bin',
        'INPUT_SSH-PRIVATE-KEY': 'key',
        INPUT_IMAGE: 'x',
        ACTIONS_RUNTIME_TOKEN: 't',
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: 't',
        STATE_journal: '{}',
        SMOKE_TOKEN: 'workflow-chosen'
      },
      { DEPLOY_STRATEGY: 'ssh-rolling' }
    )
    expect(env).toEqual({ PATH: '/bin', SMOKE_TOKEN: 'workflow-chosen', DEPLOY_STRATEGY: 'ssh-rolling' })
  })
})
