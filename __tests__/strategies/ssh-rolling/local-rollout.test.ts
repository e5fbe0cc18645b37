/**
 * The whole strategy with the real remote scripts, run by sh on this machine against a fake docker (one folder per
 * host): what the in-memory fleet assumes about the scripts, checked end to end.
 */
import { jest } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import type { SshRollingConfig } from '../../../src/strategies/ssh-rolling/config.js'
import { createJournal } from '../../../src/journal.js'
import { createSshRolling } from '../../../src/strategies/ssh-rolling/index.js'
import { fakeClock, recordingIO, recordingLogger } from '../../helpers/fake-deps.js'
import { container, LocalConnector, makeLocalHost, makeTempDir, type LocalHost } from './helpers/local.js'

// Each fake docker call starts a Node process: slow on a busy machine.
jest.setTimeout(180_000)

const OLD = 'sha256:0ld0000000000000000000000000000000000000000000000000000000000000'
const NEW = 'sha256:11e1111111111111111111111111111111111111111111111111111111111111'
const SECRET = `p4ss 'w0rd' with spaces`

let root: string
let hosts: Record<string, LocalHost>
beforeEach(() => {
  root = makeTempDir('ssh-local-')
  hosts = {}
  for (const name of ['h1', 'h2', 'h3']) {
    hosts[name] = makeLocalHost(root, name, {
      compose: 'services:\n  web:\n    image: ${IMAGE}\n',
      env: 'IMAGE=reg/app:latest\n',
      state: {
        compose: name === 'h2' ? 'v1' : 'v2',
        tags: { 'reg/app:latest': OLD },
        registry: { 'reg/app:latest': NEW },
        behaviour: { [OLD]: 'healthy', [NEW]: 'healthy' },
        containers: [container('app', 'web', OLD, 'reg/app:latest', { health: 'healthy' })]
      }
    })
  }
})
afterEach(() => fs.rmSync(root, { recursive: true, force: true }))

function config(overrides: Partial<SshRollingConfig> = {}): SshRollingConfig {
  return {
    strategy: 'ssh-rolling',
    image: { ref: 'reg/app:latest', registry: 'reg', name: 'app', tag: 'latest' },
    timeoutMinutes: 10,
    dryRun: false,
    rollbackOnFailure: true,
    hosts: Object.keys(hosts).map((h) => ({ spec: h, user: 'deploy', host: h, port: 22 })),
    knownHosts: [],
    insecureSkipHostKeyCheck: false,
    appDir: 'app',
    composeFiles: [],
    composeServices: [],
    env: [{ key: 'DB_PASSWORD', value: SECRET }],
    imageVariable: 'IMAGE',
    healthCheck: { retries: 2, intervalMs: 1000, timeoutMs: 5000, startPeriodMs: 0 },
    updateOrder: 'auto',
    switchDelayMs: 5000,
    containerChecks: {},
    batchSize: { kind: 'count', value: 1 },
    rollbackScope: 'fleet',
    backupRetention: 2,
    lockWaitSeconds: 0,
    ...overrides
  }
}

async function deploy(cfg: SshRollingConfig, connector: LocalConnector, signal = new AbortController().signal) {
  const io = recordingIO()
  const log = recordingLogger()
  const strategy = createSshRolling(cfg, {
    inputs: { getInput: () => '' },
    env: {},
    identity: { actor: 'octocat' },
    log,
    clock: fakeClock(),
    io,
    cancel: signal,
    overrides: { sshConnector: connector }
  })
  const result = await strategy.deploy({
    journal: createJournal(io, undefined, {}),
    signal,
    setOutput: () => undefined
  })
  return { result, log }
}

const web = (h: LocalHost) => h.state().containers?.find((c) => c.service === 'web')

test('a rollout with the real scripts: .env merged at 0600, new containers, audit line, lock released', async () => {
  const connector = new LocalConnector(hosts)
  const { result, log } = await deploy(config(), connector)
  expect(result.status).toBe('succeeded')
  for (const h of Object.values(hosts)) {
    // The value has a single quote, so it is written double-quoted (read the same by compose v1 and v2).
    expect(h.read('.env')).toBe(`IMAGE=reg/app:latest\nDB_PASSWORD="${SECRET}"\n`)
    expect(fs.statSync(path.join(h.appDir, '.env')).mode & 0o777).toBe(0o600)
    expect(web(h)).toMatchObject({ imageId: NEW, status: 'running' })
    expect(fs.existsSync(path.join(h.appDir, '.deploy/lock'))).toBe(false)
    const audit = fs.readFileSync(path.join(h.appDir, '.deploy/audit.log'), 'utf8').trim().split('\n')
    expect(audit.map((l) => JSON.parse(l) as Record<string, unknown>)).toEqual([
      expect.objectContaining({ host: h.name, actor: 'octocat', outcome: 'deployed', after: 'reg/app:latest' })
    ])
    expect(fs.readdirSync(path.join(h.appDir, '.deploy/backups'))).toHaveLength(1)
  }
  expect(hosts.h2?.state().calls?.some((c) => c[0] === 'docker-compose')).toBe(true)
  expect(log.text()).not.toContain('w0rd')
  expect(connector.execs.filter((e) => e.args.join(' ').includes('w0rd'))).toEqual([])
})

test('unhealthy on h2 with a re-pushed tag and the registry down: h2 and h1 get the old image id back', async () => {
  hosts.h2?.setState({ behaviour: { [OLD]: 'healthy', [NEW]: 'unhealthy' } })
  const connector = new LocalConnector(hosts, {
    beforeExec: (_host, script) => {
      if (script === 'rollback') for (const h of Object.values(hosts)) h.setState({ registryDown: true })
    }
  })
  const { result, log } = await deploy(config(), connector)
  expect(result.status).toBe('rolled-back')
  expect(Object.fromEntries(result.targets.map((t) => [t.name, t.outcome]))).toEqual({
    h1: 'rolled-back',
    h2: 'rolled-back',
    h3: 'untouched'
  })
  expect(result.targets[1]?.error).toBe('health: unhealthy after 2 tries: app_web_1 is unhealthy')
  for (const h of [hosts.h1, hosts.h2] as LocalHost[]) {
    expect(h.read('.env')).toBe('IMAGE=reg/app:latest\n')
    expect(h.state().tags?.['reg/app:latest']).toBe(OLD)
    expect(web(h)).toMatchObject({ imageId: OLD, status: 'running', health: 'healthy' })
  }
  // h3 pulled the re-pushed `latest` before the first batch and never changed: its unlock tagged the old id again.
  expect(web(hosts.h3 as LocalHost)).toMatchObject({ imageId: OLD })
  expect(hosts.h3?.read('.env')).toBe('IMAGE=reg/app:latest\n')
  expect(hosts.h3?.state().tags?.['reg/app:latest']).toBe(OLD)
  expect(hosts.h3?.state().calls).toContainEqual(['docker', 'tag', OLD, 'reg/app:latest'])
  expect(log.text()).toContain('[h2] == last 50 log lines of app_web_1')
  expect(connector.execs.filter((e) => e.host === 'h3').map((e) => e.script)).toEqual([
    'preflight',
    'backup',
    'pull',
    'unlock'
  ])
})

describe('what a phase starts on a host is stopped, and known to be gone, before the host goes on', () => {
  /** Processes whose command line contains `marker` (a sleep with a unique length), wherever they run. */
  const running = (marker: string): string[] =>
    execFileSync('ps', ['-eo', 'pid=,stat=,args='], { encoding: 'utf8' })
      .split('\n')
      .filter((l) => l.includes(marker) && !/\sZ/.test(l.slice(0, 16)))

  test('a pre-deploy command past the deadline: stopped, gone when deploy returns, nothing changed', async () => {
    const marker = 'sleep 29.101'
    const connector = new LocalConnector({ h1: hosts.h1 as LocalHost })
    const cfg = config({
      hosts: [{ spec: 'h1', user: 'deploy', host: 'h1', port: 22 }],
      timeoutMinutes: 0.1,
      preDeployCommand: `${marker}; touch MARKER`
    })
    const { result } = await deploy(cfg, connector)
    expect(running(marker)).toEqual([])
    expect(result.status).toBe('failed')
    expect(result.targets[0]?.error).toMatch(/pre-deploy: timed out.*; stopped on the host/)
    expect(result.targets[0]?.state).toMatch(/unchanged/)
    const h1 = hosts.h1 as LocalHost
    expect(fs.existsSync(path.join(h1.appDir, '.deploy/run'))).toBe(false)
    expect(fs.existsSync(path.join(h1.appDir, '.deploy/lock'))).toBe(false)
    await new Promise((r) => setTimeout(r, 500))
    expect(fs.existsSync(path.join(h1.appDir, 'MARKER'))).toBe(false)
  })

  test('a command that ignores TERM is killed; cancelling mid-phase stops it and rolls the host back', async () => {
    const marker = 'sleep 29.202'
    const connector = new LocalConnector({ h1: hosts.h1 as LocalHost })
    const cancel = new AbortController()
    const cfg = config({
      hosts: [{ spec: 'h1', user: 'deploy', host: 'h1', port: 22 }],
      postDeployCommand: `trap '' TERM; ${marker}; touch MARKER`
    })
    const timer = setInterval(() => {
      if (running(marker).length > 0) cancel.abort()
    }, 200)
    try {
      const { result, log } = await deploy(cfg, connector, cancel.signal)
      expect(running(marker)).toEqual([])
      // TERM is ignored: the group is still there when the stop looks, and gone (KILLed) when deploy returns.
      expect(log.text()).toMatch(/stopping process group \d+ \(left by this run\)/)
      expect(result.targets[0]?.outcome).toBe('rolled-back')
      expect(result.targets[0]?.error).toMatch(/cancelled during post-deploy: cancelled; stopped on the host/)
      expect(web(hosts.h1 as LocalHost)).toMatchObject({ imageId: OLD })
    } finally {
      clearInterval(timer)
    }
  })
})
