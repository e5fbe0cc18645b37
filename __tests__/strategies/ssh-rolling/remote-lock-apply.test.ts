/** The lock, unlock, apply and audit scripts, run for real by sh against temp folders (no docker needed). */
import { jest } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { makeTempDir, runPhase, runText } from './helpers/local.js'
import { SCRIPTS } from '../../../src/strategies/ssh-rolling/scripts.js'

// Every step spawns real shells (and a Node process per fake docker call): slow on a busy machine.
jest.setTimeout(180_000)

let root: string
let app: string
beforeEach(() => {
  root = makeTempDir('ssh-scripts-')
  app = path.join(root, 'app')
  fs.mkdirSync(app)
})
afterEach(() => fs.rmSync(root, { recursive: true, force: true }))

const NOW = 1_700_000_000
const owner = (actor: string): string =>
  JSON.stringify({ runUrl: `https://github.com/o/r/actions/runs/${actor}`, actor })
const lock = (token: string, now = NOW, expires = NOW + 600, who = token) =>
  runPhase('lock', [app, token, owner(who), String(now), String(expires)])
const unlock = (token: string) => runPhase('unlock', [app, token])
const lockDir = (): string => path.join(app, '.deploy', 'lock')

describe('lock script', () => {
  test('takes a free lock with mkdir and writes owner.json, token and expiry', async () => {
    const r = await lock('t1')
    expect(r.code).toBe(0)
    expect(r.result).toMatchObject({ ok: true, lock: 'acquired' })
    expect(fs.readFileSync(path.join(lockDir(), 'token'), 'utf8')).toBe('t1\n')
    expect(fs.readFileSync(path.join(lockDir(), 'expires'), 'utf8')).toBe(`${NOW + 600}\n`)
    expect(JSON.parse(fs.readFileSync(path.join(lockDir(), 'owner.json'), 'utf8'))).toEqual({
      runUrl: 'https://github.com/o/r/actions/runs/t1',
      actor: 't1'
    })
  })

  test('a live lock of another run is reported as held, with its owner; the same run gets it back', async () => {
    await lock('t1')
    const other = await lock('t2')
    expect(other.result).toMatchObject({ ok: true, lock: 'held' })
    expect(JSON.parse(String(other.result?.lockOwner))).toMatchObject({ actor: 't1' })
    expect(fs.readFileSync(path.join(lockDir(), 'token'), 'utf8')).toBe('t1\n')
    expect((await lock('t1')).result).toMatchObject({ lock: 'acquired' })
  })

  test('an expired lock is taken over and the previous owner is reported', async () => {
    await lock('t1', NOW, NOW + 10)
    const r = await lock('t2', NOW + 11, NOW + 700)
    expect(r.result).toMatchObject({ lock: 'taken-over' })
    expect(JSON.parse(String(r.result?.lockOwner))).toMatchObject({ actor: 't1' })
    expect(fs.readFileSync(path.join(lockDir(), 'token'), 'utf8')).toBe('t2\n')
    expect(fs.readdirSync(path.join(app, '.deploy'))).toEqual(['lock'])
  })

  test('a lock without an expiry is live while young and taken over once older than 10 minutes', async () => {
    fs.mkdirSync(lockDir(), { recursive: true })
    expect((await lock('t2')).result).toMatchObject({ lock: 'held' })
    const old = new Date(Date.now() - 11 * 60_000)
    fs.utimesSync(lockDir(), old, old)
    expect((await lock('t2')).result).toMatchObject({ lock: 'taken-over' })
  })

  test('of several runs racing for a free lock exactly one gets it', async () => {
    const results = await Promise.all(['a', 'b', 'c', 'd', 'e', 'f'].map((t) => lock(t)))
    const states = results.map((r) => r.result?.lock)
    expect(states.filter((s) => s === 'acquired')).toHaveLength(1)
    expect(states.filter((s) => s === 'held')).toHaveLength(5)
    const winner = ['a', 'b', 'c', 'd', 'e', 'f'][states.indexOf('acquired')]
    expect(fs.readFileSync(path.join(lockDir(), 'token'), 'utf8')).toBe(`${winner}\n`)
  })

  test('fails with the reason when app-dir does not exist', async () => {
    const r = await runPhase('lock', [path.join(root, 'nope'), 't', '{}', String(NOW), String(NOW + 1)])
    expect(r.code).toBe(1)
    expect(r.result).toEqual({ ok: false, error: `app-dir ${path.join(root, 'nope')} does not exist` })
  })
})

describe('unlock script', () => {
  test('releases only a lock holding its token, and is idempotent', async () => {
    await lock('t1')
    const foreign = await unlock('t2')
    expect(foreign.result).toMatchObject({ ok: true, lock: 'other' })
    expect(JSON.parse(String(foreign.result?.lockOwner))).toMatchObject({ actor: 't1' })
    expect(fs.existsSync(lockDir())).toBe(true)
    expect((await unlock('t1')).result).toMatchObject({ ok: true, lock: 'released' })
    expect(fs.readdirSync(path.join(app, '.deploy'))).toEqual([])
    expect((await unlock('t1')).result).toMatchObject({ ok: true, lock: 'absent' })
  })
})

/** Shims that log every external command's argv (to prove secrets never reach one); $SPY_FAIL makes a matching call fail. */
function argvSpy(commands: string[]): { dir: string; log: string; env: Record<string, string> } {
  const dir = path.join(root, 'spy')
  fs.mkdirSync(dir)
  const log = path.join(root, 'argv.log')
  for (const cmd of commands) {
    const real = execFileSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).trim()
    fs.writeFileSync(
      path.join(dir, cmd),
      `#!/bin/sh\nprintf '%s\\n' "${cmd} $*" >>"${log}"\ncase "${cmd} $*" in *"\${SPY_FAIL:-@@none@@}"*) exit 1 ;; esac\nexec ${real} "$@"\n`,
      { mode: 0o755 }
    )
  }
  return { dir, log, env: { PATH: `${dir}:${process.env.PATH ?? ''}` } }
}

const EXTERNAL = ['awk', 'sed', 'tr', 'cmp', 'mv', 'chmod', 'rm', 'cat', 'tail', 'mkdir', 'pwd']

describe('apply script', () => {
  const SECRET = `s3cr'et "$(touch pwned)" \\ $HOME \`id\` #x`
  const input = (lines: string[]): string => lines.join('\n')

  test('merges keys in place, appends new ones, keeps other lines, drops duplicates; 0600; values byte-exact', async () => {
    fs.writeFileSync(
      path.join(app, '.env'),
      ['# comment', 'IMAGE=reg/app:1', 'OTHER=keep me', '  export DB_PASSWORD = old', 'IMAGE=dup', ''].join('\n'),
      { mode: 0o644 }
    )
    const before = fs.statSync(path.join(app, '.env')).ino
    const spy = argvSpy(EXTERNAL)
    const r = await runPhase('apply', [app], {
      input: input([`DB_PASSWORD='${'x'}'`, `API_TOKEN=${SECRET}`, 'IMAGE=reg/app:2']),
      env: spy.env
    })
    expect(r.result).toEqual({ ok: true, keys: ['DB_PASSWORD', 'API_TOKEN', 'IMAGE'], changed: true })
    expect(fs.readFileSync(path.join(app, '.env'), 'utf8')).toBe(
      ['# comment', 'IMAGE=reg/app:2', 'OTHER=keep me', "DB_PASSWORD='x'", `API_TOKEN=${SECRET}`, ''].join('\n')
    )
    const stat = fs.statSync(path.join(app, '.env'))
    expect(stat.mode & 0o777).toBe(0o600)
    // Replaced by rename, not rewritten in place: readers see the old or the new file, never half of one.
    expect(stat.ino).not.toBe(before)
    expect(fs.readdirSync(app).sort()).toEqual(['.env'])
    expect(fs.existsSync(path.join(app, 'pwned'))).toBe(false)
    // No external command saw a value: only the shell (builtins) and awk's stdin did.
    const argv = fs.readFileSync(spy.log, 'utf8')
    expect(argv).toContain('awk ')
    expect(argv).not.toContain('s3cr')
    expect(argv).not.toContain('reg/app:2')
  })

  test('creates .env (0600) when there is none', async () => {
    const r = await runPhase('apply', [app], { input: 'IMAGE=reg/app:2' })
    expect(r.result).toMatchObject({ ok: true, changed: true })
    expect(fs.readFileSync(path.join(app, '.env'), 'utf8')).toBe('IMAGE=reg/app:2\n')
    expect(fs.statSync(path.join(app, '.env')).mode & 0o777).toBe(0o600)
  })

  test('reports unchanged when the values are already there', async () => {
    fs.writeFileSync(path.join(app, '.env'), 'IMAGE=reg/app:2\n')
    expect((await runPhase('apply', [app], { input: 'IMAGE=reg/app:2' })).result).toMatchObject({ changed: false })
  })

  test('a failed merge leaves the old .env untouched and no temporary file', async () => {
    fs.writeFileSync(path.join(app, '.env'), 'IMAGE=reg/app:1\n', { mode: 0o640 })
    const spy = argvSpy(['awk'])
    const r = await runPhase('apply', [app], { input: 'IMAGE=reg/app:2', env: { ...spy.env, SPY_FAIL: 'NR == FNR' } })
    expect(r.code).toBe(1)
    expect(r.result).toEqual({ ok: false, error: 'cannot write the new .env (the old one is unchanged)' })
    expect(fs.readFileSync(path.join(app, '.env'), 'utf8')).toBe('IMAGE=reg/app:1\n')
    expect(fs.statSync(path.join(app, '.env')).mode & 0o777).toBe(0o640)
    expect(fs.readdirSync(app)).toEqual(['.env'])
  })

  test('without input it refuses to write', async () => {
    const r = await runPhase('apply', [app])
    expect(r.result).toEqual({ ok: false, error: 'no variables to write' })
  })
})

describe('audit script', () => {
  test('appends one line per call, as given', async () => {
    const line1 = JSON.stringify({ outcome: 'deployed', detail: `quote ' and "double" and \\ and $x` })
    await runPhase('audit', [app, line1])
    await runPhase('audit', [app, '{"outcome":"rolled-back"}'])
    expect(fs.readFileSync(path.join(app, '.deploy', 'audit.log'), 'utf8')).toBe(
      `${line1}\n{"outcome":"rolled-back"}\n`
    )
  })
})

describe('script framing', () => {
  test.each(['sh', 'bash', 'busybox sh'])(
    'with %s, a user command reading stdin cannot swallow the rest of the script',
    async (shell) => {
      const r = await runPhase('run', [app, 'pre-deploy command', 'cat; echo after-cat'], { shell })
      expect(r.result).toEqual({ ok: true, exitCode: 0 })
      expect(r.text).toContain('after-cat')
    }
  )

  test.each(['sh', 'bash', 'busybox sh'])('with %s, input reaches the script intact', async (shell) => {
    const value = `line1\nIt's "quoted" \\ $HOME \`x\``
    const r = await runText(`printf '%s' "$DEPLOY_INPUT" > "$1/got"\necho '@@RESULT {"ok":true}'\n`, [app], {
      shell,
      input: value
    })
    expect(r.result).toEqual({ ok: true })
    expect(fs.readFileSync(path.join(app, 'got'), 'utf8')).toBe(value)
  })

  test('run reports the exit code of a failing command', async () => {
    const r = await runPhase('run', [app, 'post-deploy command', 'echo out; echo err >&2; exit 3'])
    expect(r.code).toBe(1)
    expect(r.result).toEqual({ ok: false, exitCode: 3, error: 'post-deploy command exited with code 3' })
    expect(r.text).toContain('out')
    expect(r.stderr).toContain('err')
  })

  test('run runs in the app directory, given relative to the login directory', async () => {
    const r = await runPhase('run', ['app', 'cmd', 'pwd'], { cwd: root })
    expect(r.text.trim()).toBe(fs.realpathSync(app))
  })

  test('error messages with quotes, backslashes, tabs and newlines come back as valid JSON', async () => {
    const weird = path.join(root, 'we"ird\\dir\tx\ny')
    const r = await runPhase('lock', [weird, 't', '{}', '1', '2'])
    expect(r.result).toEqual({ ok: false, error: `app-dir ${weird} does not exist` })
  })

  test.each(Object.keys(SCRIPTS))('%s parses with dash, bash and busybox sh', (name) => {
    const text = SCRIPTS[name as keyof typeof SCRIPTS]
    for (const shell of [['dash'], ['bash'], ['busybox', 'sh']]) {
      expect(() => execFileSync(shell[0] as string, [...shell.slice(1), '-n'], { input: text })).not.toThrow()
    }
  })
})
