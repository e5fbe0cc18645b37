/** The lock, renew, unlock, rollback (its lock check), apply and audit scripts, run for real by sh against temp folders (no docker needed). */
import { jest } from '@jest/globals'
import { execFileSync, spawn } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { makeTempDir, runPhase, runText } from './helpers/local.js'
import { REMOTE_SCRIPTS } from '../../../src/strategies/ssh-rolling/remote/scripts.gen.js'
import { SCRIPTS } from '../../../src/strategies/ssh-rolling/scripts.js'
import { shellQuote } from '../../../src/strategies/ssh-rolling/shell.js'

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
const TTL = 600
const owner = (actor: string): string =>
  JSON.stringify({ runUrl: `https://github.com/o/r/actions/runs/${actor}`, actor })
const lockDir = (): string => path.join(app, '.deploy', 'lock')
const deployDir = (): string => path.join(app, '.deploy')

/** The host's clock: a `date` on PATH whose `+%s` answers `hostTime` (the runner's clock is never asked). */
let hostTime = NOW
function hostClock(): Record<string, string> {
  const dir = path.join(root, 'clock')
  const file = path.join(root, 'now')
  if (!fs.existsSync(dir)) {
    fs.mkdirSync(dir)
    const real = execFileSync('sh', ['-c', 'command -v date'], { encoding: 'utf8' }).trim()
    fs.writeFileSync(
      path.join(dir, 'date'),
      `#!/bin/sh\nif [ "$1" = +%s ]; then cat "${file}"; else exec ${real} "$@"; fi\n`,
      { mode: 0o755 }
    )
  }
  // Replaced by rename: a shell of a concurrent call may be reading it.
  fs.writeFileSync(`${file}.new`, `${hostTime}\n`)
  fs.renameSync(`${file}.new`, file)
  return { PATH: `${dir}:${process.env.PATH ?? ''}` }
}
const lock = (token: string, ttl = TTL, who = token) =>
  runPhase('lock', [app, token, owner(who), String(ttl)], { env: hostClock() })
const renew = (token: string, ttl = TTL) => runPhase('renew', [app, token, String(ttl)], { env: hostClock() })
const unlock = (token: string) => runPhase('unlock', [app, token])
const expires = (): string => fs.readFileSync(path.join(lockDir(), 'expires'), 'utf8')
beforeEach(() => {
  hostTime = NOW
})

describe('lock script', () => {
  test('takes a free lock with mkdir and writes owner.json, token and an expiry on the host clock', async () => {
    const r = await lock('t1')
    expect(r.code).toBe(0)
    expect(r.result).toEqual({ ok: true, lock: 'acquired' })
    expect(fs.readFileSync(path.join(lockDir(), 'token'), 'utf8')).toBe('t1\n')
    expect(expires()).toBe(`${NOW + TTL}\n`)
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

  test('expiry is judged by the host clock alone: live until host time reaches it, whatever the runner thinks', async () => {
    // The runner's clock is far off (and never passed): only the host's `date +%s` counts.
    await lock('t1', 10)
    expect(expires()).toBe(`${NOW + 10}\n`)
    hostTime = NOW + 9
    expect((await lock('t2')).result).toMatchObject({ lock: 'held' })
    hostTime = NOW + 10
    const r = await lock('t2', 700)
    expect(r.result).toMatchObject({ lock: 'taken-over' })
    expect(expires()).toBe(`${NOW + 10 + 700}\n`)
  })

  test('an expired lock is taken over; the previous owner and the audit log’s last line are reported', async () => {
    await lock('t1', 10)
    const last = JSON.stringify({
      outcome: 'failed',
      run: 'https://github.com/o/r/actions/runs/t1',
      detail: 'x'.repeat(400)
    })
    fs.writeFileSync(path.join(deployDir(), 'audit.log'), `{"outcome":"deployed"}\n${last}\n`)
    hostTime = NOW + 11
    const r = await lock('t2')
    expect(r.result).toMatchObject({ lock: 'taken-over', lockAudit: last.slice(0, 300) })
    expect(JSON.parse(String(r.result?.lockOwner))).toMatchObject({ actor: 't1' })
    expect(fs.readFileSync(path.join(lockDir(), 'token'), 'utf8')).toBe('t2\n')
    expect(fs.readdirSync(deployDir()).sort()).toEqual(['audit.log', 'lock'])
  })

  test('a takeover mutex left by a killed taker is passed over once old; a young one means another taker is at work', async () => {
    await lock('t1', 10)
    hostTime = NOW + 11
    const mutex = `${lockDir()}.mutex.1`
    fs.mkdirSync(mutex)
    expect((await lock('t2')).result).toMatchObject({ lock: 'held' })
    const old = new Date(Date.now() - 5 * 60_000)
    fs.utimesSync(mutex, old, old)
    expect((await lock('t2')).result).toMatchObject({ lock: 'taken-over' })
    // Dropped once the lock was live again.
    expect(fs.readdirSync(deployDir())).toEqual(['lock'])
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
    const r = await runPhase('lock', [path.join(root, 'nope'), 't', '{}', String(TTL)])
    expect(r.code).toBe(1)
    expect(r.result).toEqual({ ok: false, error: `app-dir ${path.join(root, 'nope')} does not exist` })
  })
})

/** take_lock alone, as a process of its own: `LOCK` on the last line. */
function taker(shell: string[], token: string): Promise<string> {
  const script = `${REMOTE_SCRIPTS.lib}\nAPP_DIR=${shellQuote(app)} TOKEN=${token} OWNER_JSON='{}' TTL=${TTL}\ntake_lock\necho "$LOCK"\n`
  return new Promise((resolve, reject) => {
    const child = spawn(shell[0] as string, [...shell.slice(1), '-s'], { stdio: ['pipe', 'pipe', 'inherit'] })
    let out = ''
    child.stdout.setEncoding('utf8').on('data', (t: string) => (out += t))
    child.on('error', reject)
    child.on('close', () => resolve(out.trim().split('\n').pop() ?? ''))
    child.stdin.end(script)
  })
}

const SHELLS = [['dash'], ['bash'], ...(hasBusybox() ? [['busybox', 'sh']] : [])]

function hasBusybox(): boolean {
  try {
    execFileSync('busybox', ['true'])
    return true
  } catch {
    return false
  }
}

describe('takeover of an expired lock', () => {
  test.each(SHELLS.map((s) => [s.join(' '), s] as const))(
    'with %s, of two runs taking it at once exactly one wins, in each of 50 rounds',
    async (_name, shell) => {
      const rounds: string[][] = []
      for (let i = 0; i < 50; i++) {
        fs.rmSync(deployDir(), { recursive: true, force: true })
        fs.mkdirSync(lockDir(), { recursive: true })
        fs.writeFileSync(path.join(lockDir(), 'token'), 'stale\n')
        fs.writeFileSync(path.join(lockDir(), 'expires'), `${Math.floor(Date.now() / 1000) - 5}\n`)
        fs.writeFileSync(path.join(lockDir(), 'owner.json'), '{}\n')
        const states = await Promise.all([taker(shell, 'a'), taker(shell, 'b')])
        rounds.push(states.sort())
      }
      // The expired lock is taken over in place: it never exists as free, so the winner always knows it took one over.
      const wrong = rounds.filter((r) => r.join() !== 'held,taken-over')
      expect(wrong).toEqual([])
    }
  )
})

describe('renew script', () => {
  test('pushes this run’s lock out to TTL seconds from now on the host clock', async () => {
    await lock('t1', 10)
    hostTime = NOW + 8
    expect((await renew('t1', 600)).result).toEqual({ ok: true, lock: 'renewed', expires: NOW + 8 + 600 })
    expect(expires()).toBe(`${NOW + 608}\n`)
    // No longer expired where it would have been without the renewal.
    hostTime = NOW + 11
    expect((await lock('t2')).result).toMatchObject({ lock: 'held' })
    expect(fs.readdirSync(deployDir())).toEqual(['lock'])
  })

  test('never renews or takes another run’s lock, nor a lock that is gone', async () => {
    await lock('t1', 10)
    const other = await renew('t2')
    expect(other.result).toMatchObject({ ok: true, lock: 'other' })
    expect(JSON.parse(String(other.result?.lockOwner))).toMatchObject({ actor: 't1' })
    expect(expires()).toBe(`${NOW + 10}\n`)
    await unlock('t1')
    expect((await renew('t1')).result).toEqual({ ok: true, lock: 'absent' })
    expect(fs.existsSync(lockDir())).toBe(false)
  })
})

describe('rollback script and the lock', () => {
  test('refuses, changing nothing, when the lock holds another run’s token or none', async () => {
    await lock('t1')
    fs.writeFileSync(path.join(app, '.env'), 'IMAGE=new\n')
    const backup = path.join(root, 'backup')
    fs.mkdirSync(path.join(backup, 'files'), { recursive: true })
    fs.writeFileSync(path.join(backup, 'files', '1'), 'IMAGE=old\n')
    fs.writeFileSync(path.join(backup, 'manifest'), `1\t1\t.env\n`)
    const other = await runPhase('rollback', [app, 'v2', '', '', backup, 't2'])
    expect(other.code).toBe(1)
    expect(other.result).toMatchObject({ ok: false, lock: 'other', error: "the deploy lock is no longer this run's" })
    expect(JSON.parse(String(other.result?.lockOwner))).toMatchObject({ actor: 't1' })
    await unlock('t1')
    const none = await runPhase('rollback', [app, 'v2', '', '', backup, 't1'])
    expect(none.result).toEqual({ ok: false, lock: 'absent', error: "the deploy lock is no longer this run's" })
    expect(fs.readFileSync(path.join(app, '.env'), 'utf8')).toBe('IMAGE=new\n')
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
    expect(fs.readdirSync(deployDir())).toEqual([])
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
      const r = await runPhase('run', [app, 'pre-deploy command'], { shell, input: 'cat; echo after-cat' })
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
    const r = await runPhase('run', [app, 'post-deploy command'], { input: 'echo out; echo err >&2; exit 3' })
    expect(r.code).toBe(1)
    expect(r.result).toEqual({ ok: false, exitCode: 3, error: 'post-deploy command exited with code 3' })
    expect(r.text).toContain('out')
    expect(r.stderr).toContain('err')
  })

  test('run runs in the app directory, given relative to the login directory', async () => {
    const r = await runPhase('run', ['app', 'cmd'], { cwd: root, input: 'pwd' })
    expect(r.text.trim()).toBe(fs.realpathSync(app))
  })

  test.each(['sh', 'bash', 'busybox sh'])(
    'with %s, a user command travels on stdin: no command line shows it, and it runs as sh -c would',
    async (shell) => {
      // Word splitting and globbing as in a fresh shell; an unset variable is empty, not an error.
      const command =
        'set -- a b; echo "n=$#"; for f in "$1"* ; do :; done; echo "unset=[$NOPE]"; tr "\\0" " " </proc/$$/cmdline'
      const r = await runPhase('run', [app, 'pre-deploy command'], { shell, input: command })
      expect(r.result).toEqual({ ok: true, exitCode: 0 })
      expect(r.text).toContain('n=2')
      expect(r.text).toContain('unset=[]')
      // The shells running it show the label, never the command.
      expect(r.text).toContain('pre-deploy command')
      expect(r.text).not.toMatch(/echo "n=/)
    }
  )

  test('error messages with quotes, backslashes, tabs and newlines come back as valid JSON', async () => {
    const weird = path.join(root, 'we"ird\\dir\tx\ny')
    const r = await runPhase('lock', [weird, 't', '{}', '600'])
    expect(r.result).toEqual({ ok: false, error: `app-dir ${weird} does not exist` })
  })

  test.each(Object.keys(SCRIPTS))('%s parses with dash, bash and busybox sh', (name) => {
    const text = SCRIPTS[name as keyof typeof SCRIPTS]
    for (const shell of [['dash'], ['bash'], ['busybox', 'sh']]) {
      expect(() => execFileSync(shell[0] as string, [...shell.slice(1), '-n'], { input: text })).not.toThrow()
    }
  })
})

describe('supervised phases and what they leave', () => {
  /** Whether a process of group `pg` (other than a zombie) still exists. */
  const groupAlive = (pg: number): boolean =>
    execFileSync('ps', ['-eo', 'pgid=,stat='], { encoding: 'utf8' })
      .split('\n')
      .some((l) => {
        const [g, stat] = l.trim().split(/\s+/)
        return Number(g) === pg && stat !== undefined && !stat.startsWith('Z')
      })

  test.each(['sh', 'bash', 'busybox sh'])(
    'with %s: a phase given up on is stopped by its watcher, its record and its secret temp files removed',
    async (shell) => {
      const ac = new AbortController()
      // The command plays a phase killed mid-write: a temp file named after the phase's shell, as new_file makes them.
      const command = `touch "$PWD/.env.deploy-tmp.$$.AbC123"; echo started; sleep 29.505`
      const started = new Promise<void>((resolve) => {
        void runPhase('run', [app, 'pre-deploy command'], {
          shell,
          input: command,
          runId: 'run1',
          signal: ac.signal,
          onStdout: (t) => {
            if (t.includes('started')) resolve()
          }
        })
      })
      await started
      const records = fs.readdirSync(path.join(app, '.deploy', 'run', 'run1'))
      expect(records).toHaveLength(1)
      const pg = Number(records[0])
      expect(groupAlive(pg)).toBe(true)
      expect(fs.readdirSync(app).filter((f) => f.startsWith('.env.deploy-tmp.'))).toHaveLength(1)
      ac.abort()
      for (let i = 0; i < 50 && groupAlive(pg); i++) await new Promise((r) => setTimeout(r, 100))
      expect(groupAlive(pg)).toBe(false)
      for (let i = 0; i < 20 && fs.existsSync(path.join(app, '.deploy', 'run', 'run1', String(pg))); i++) {
        await new Promise((r) => setTimeout(r, 100))
      }
      expect(fs.existsSync(path.join(app, '.deploy', 'run', 'run1', String(pg)))).toBe(false)
      expect(fs.readdirSync(app).filter((f) => f.startsWith('.env.deploy-tmp.'))).toEqual([])
      // Nothing left for a later stop to do.
      const stop = await runPhase('stop', [app, 'run1', '50'])
      expect(stop.result).toEqual({ ok: true, stopped: 0, left: [] })
    }
  )

  test('stop kills a group that ignores TERM, then removes its record and temp files; an unknown run is a no-op', async () => {
    expect((await runPhase('stop', [app, 'nothing-here', '5'])).result).toEqual({ ok: true, stopped: 0, left: [] })
    // The phase's stdin stays open (no runId given to the runner: nothing watches it), as when sshd never noticed.
    const child = spawn('sh', ['-c', "trap '' TERM; exec sleep 29.606"], { detached: true, stdio: 'ignore' })
    const pg = child.pid as number
    const start = fs
      .readFileSync(`/proc/${pg}/stat`, 'utf8')
      .replace(/^.*\) /, '')
      .split(' ')[19]
    fs.mkdirSync(path.join(app, '.deploy', 'run', 'run2'), { recursive: true })
    fs.writeFileSync(path.join(app, '.deploy', 'run', 'run2', String(pg)), `${pg} ${start} ${pg}\n`)
    fs.writeFileSync(path.join(app, '.deploy', `env.next.${pg}.XyZ789`), 'SECRET=1\n')
    const r = await runPhase('stop', [app, 'run2', '5'])
    expect(r.result).toEqual({ ok: true, stopped: 1, left: [] })
    expect(r.text).toContain(`process group ${pg} did not stop after TERM: KILL`)
    expect(groupAlive(pg)).toBe(false)
    expect(fs.existsSync(path.join(app, '.deploy', 'run'))).toBe(false)
    expect(fs.readdirSync(path.join(app, '.deploy')).filter((f) => f.startsWith('env.next.'))).toEqual([])
  })

  test('a record whose pid now belongs to another process (start time differs) is dropped, the process left alone', async () => {
    const child = spawn('sleep', ['29.707'], { detached: true, stdio: 'ignore' })
    const pg = child.pid as number
    try {
      fs.mkdirSync(path.join(app, '.deploy', 'run', 'run3'), { recursive: true })
      fs.writeFileSync(path.join(app, '.deploy', 'run', 'run3', String(pg)), `${pg} 1 ${pg}\n`)
      const r = await runPhase('stop', [app, 'run3', '5'])
      expect(r.result).toEqual({ ok: true, stopped: 0, left: [] })
      expect(groupAlive(pg)).toBe(true)
    } finally {
      child.kill('SIGKILL')
    }
  })

  test('apply never writes through a path planted in a world-writable app-dir', async () => {
    fs.chmodSync(app, 0o1777)
    const victim = path.join(root, 'victim')
    fs.writeFileSync(victim, 'precious\n')
    // The names a fixed `.env.deploy-tmp.<pid>` scheme would use for the next few hundred processes.
    const last = Number(fs.readFileSync('/proc/sys/kernel/ns_last_pid', 'utf8'))
    for (let pid = last + 1; pid < last + 400; pid++) {
      fs.symlinkSync(victim, path.join(app, `.env.deploy-tmp.${pid}`))
    }
    const r = await runPhase('apply', [app], { input: 'IMAGE=reg/app:2' })
    expect(r.result).toMatchObject({ ok: true })
    expect(fs.readFileSync(victim, 'utf8')).toBe('precious\n')
    expect(fs.readFileSync(path.join(app, '.env'), 'utf8')).toBe('IMAGE=reg/app:2\n')
  })

  test('pre-flight refuses a .deploy that is a symlink or belongs to another user', async () => {
    const elsewhere = path.join(root, 'elsewhere')
    fs.mkdirSync(elsewhere)
    fs.symlinkSync(elsewhere, deployDir())
    const args = [app, '', 'IMAGE', '1', 'tok', '{}', '600', 'no']
    const linked = await runPhase('preflight', args)
    expect(linked.result).toMatchObject({
      ok: false,
      error: expect.stringMatching(/\.deploy is not a folder owned by /)
    })
    fs.rmSync(deployDir())
    fs.mkdirSync(deployDir())
    fs.chownSync(deployDir(), 65534, 65534)
    const foreign = await runPhase('preflight', args)
    expect(foreign.result).toMatchObject({
      ok: false,
      error: expect.stringMatching(/\.deploy is not a folder owned by /)
    })
    expect(fs.existsSync(lockDir())).toBe(false)
  })
})
