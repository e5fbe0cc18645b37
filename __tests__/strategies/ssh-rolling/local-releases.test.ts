/**
 * What a rollback-to relies on in the remote scripts, run for real by sh on this machine against the fake docker
 * (the harness of local-rollout.test.ts): the backup's `meta`, `releases`, `restore`, and the audit line's `running`.
 * Each call goes through the phase table (argv built and result parsed as the strategy does).
 */
import { jest } from '@jest/globals'
import fs from 'node:fs'
import path from 'node:path'
import type { SshRollingConfig } from '../../../src/strategies/ssh-rolling/config.js'
import { createJournal } from '../../../src/journal.js'
import { createSshRolling } from '../../../src/strategies/ssh-rolling/index.js'
import { chooseBackup, parseAuditLine } from '../../../src/strategies/ssh-rolling/releases.js'
import {
  parsePhaseResult,
  phaseArgv,
  type PhaseArgs,
  type PhaseResult
} from '../../../src/strategies/ssh-rolling/remote/phases.js'
import type { PhaseScriptName } from '../../../src/strategies/ssh-rolling/scripts.js'
import type { ScriptResult } from '../../../src/strategies/ssh-rolling/shell.js'
import type { DeployResult } from '../../../src/types.js'
import { fakeClock, recordingIO, recordingLogger } from '../../helpers/fake-deps.js'
import { sshConfig } from './helpers/ssh-config.js'
import { container, LocalConnector, makeLocalHost, makeTempDir, runPhase, type LocalHost } from './helpers/local.js'

// Each fake docker call starts a Node process: slow on a busy machine.
jest.setTimeout(180_000)

const V1_ID = 'sha256:1111111111111111111111111111111111111111111111111111111111111111'
const V2_ID = 'sha256:2222222222222222222222222222222222222222222222222222222222222222'
const REBUILT_ID = 'sha256:9999999999999999999999999999999999999999999999999999999999999999'
const COMPOSE = 'services:\n  web:\n    image: ${IMAGE}\n'
const STAMP1 = '20260101T000000Z-run1'
const STAMP2 = '20260102T000000Z-run2'

let root: string
let host: LocalHost
beforeEach(() => {
  root = makeTempDir('ssh-releases-')
  host = makeLocalHost(root, 'h1', {
    compose: COMPOSE,
    env: 'IMAGE=reg/app:1\n',
    state: {
      tags: { 'reg/app:1': V1_ID },
      behaviour: { [V1_ID]: 'healthy', [V2_ID]: 'healthy' },
      containers: [container('app', 'web', V1_ID, 'reg/app:1', { health: 'healthy' })]
    }
  })
})
afterEach(() => fs.rmSync(root, { recursive: true, force: true }))

/** One phase on the host, as the strategy calls it: its exit code, raw result and typed result. */
async function phase<N extends PhaseScriptName>(
  name: N,
  args: PhaseArgs<N>
): Promise<{ code: number | null; raw: ScriptResult | undefined; result: PhaseResult<N> | undefined; text: string }> {
  const run = await runPhase(name, phaseArgv(name, args), { cwd: host.home, env: host.env })
  return {
    code: run.code,
    raw: run.result,
    result: run.result ? parsePhaseResult(name, run.result) : undefined,
    text: run.text
  }
}

const compose = { appDir: 'app', compose: 'v2', files: [], project: 'app' } as const
const appDir = (): string => fs.realpathSync(host.appDir)
const backupDir = (stamp: string): string => path.join(appDir(), '.deploy/backups', stamp)

async function backup(stamp: string, previous?: string, release?: string): Promise<string> {
  const r = await phase('backup', {
    ...compose,
    stamp,
    retention: 10,
    ...(previous ? { previous } : {}),
    ...(release ? { release } : {})
  })
  expect(r.raw).toMatchObject({ ok: true })
  return r.result?.dir ?? ''
}

/** What a deploy of `reg/app:<tag>` leaves: .env names it (mode 0600), the tag resolves to `id`, web runs it. */
function deployedByHand(tag: string, id: string): void {
  const env = path.join(host.appDir, '.env')
  fs.writeFileSync(env, `IMAGE=reg/app:${tag}\nDB_PASSWORD=x\n`)
  fs.chmodSync(env, 0o600)
  fs.writeFileSync(path.join(host.appDir, 'docker-compose.yml'), `${COMPOSE}    restart: always\n`)
  const s = host.state()
  host.setState({
    tags: { ...s.tags, [`reg/app:${tag}`]: id },
    images: [...new Set([...(s.images ?? []), ...Object.values(s.tags ?? {}), id])],
    containers: [container('app', 'web', id, `reg/app:${tag}`, { health: 'healthy' })]
  })
}

const lock = (token: string) =>
  phase('lock', { appDir: 'app', claim: { token, ownerJson: JSON.stringify({ actor: token }), ttlSeconds: 600 } })
const restore = (dir: string, token: string) => phase('restore', { ...compose, services: [], backupDir: dir, token })
const tagCalls = (): string[][] => (host.state().calls ?? []).filter((c) => c[0] === 'docker' && c[1] === 'tag')

describe('backup meta and releases', () => {
  test('each backup records its previous and release in meta; releases lists them oldest first', async () => {
    expect(await backup(STAMP1, undefined, 'reg/app:1')).toBe(backupDir(STAMP1))
    expect(fs.readFileSync(path.join(backupDir(STAMP1), 'meta'), 'utf8')).toBe('previous\t\nrelease\treg/app:1\n')
    deployedByHand('2', V2_ID)
    // Without RELEASE the release is the image reference the first container was created from.
    await backup(STAMP2, STAMP1)
    expect(fs.readFileSync(path.join(backupDir(STAMP2), 'meta'), 'utf8')).toBe(
      `previous\t${STAMP1}\nrelease\treg/app:2\n`
    )
    // Taken last, named first: the order is the names' (the stamps'), not the order they were made in.
    const early = '20251231T000000Z-run0'
    await backup(early)
    // v1's image left the host (pruned): the backup that holds it cannot be restored without a registry.
    const s = host.state()
    host.setState({ tags: { 'reg/app:2': V2_ID }, images: [V2_ID], removed: [V1_ID] })
    expect(s.tags?.['reg/app:1']).toBe(V1_ID)
    // A backup cut short before its manifest (written last) is incomplete.
    fs.rmSync(path.join(backupDir(early), 'manifest'))

    const r = await phase('releases', compose)
    expect(r.code).toBe(0)
    expect(r.result).toEqual({
      running: [{ service: 'web', imageId: V2_ID, image: 'reg/app:2' }],
      backups: [
        {
          name: early,
          dir: backupDir(early),
          complete: false,
          release: 'reg/app:2',
          images: [{ service: 'web', imageId: V2_ID, image: 'reg/app:2', present: true }]
        },
        {
          name: STAMP1,
          dir: backupDir(STAMP1),
          complete: true,
          release: 'reg/app:1',
          images: [{ service: 'web', imageId: V1_ID, image: 'reg/app:1', present: false }]
        },
        {
          name: STAMP2,
          dir: backupDir(STAMP2),
          complete: true,
          previous: STAMP1,
          release: 'reg/app:2',
          images: [{ service: 'web', imageId: V2_ID, image: 'reg/app:2', present: true }]
        }
      ]
    })
    // releases changes nothing: no tag, no container.
    expect(tagCalls()).toEqual([])
    expect(host.state().containers?.map((c) => c.imageId)).toEqual([V2_ID])
  })

  test('without backups or containers: nothing running, no backups', async () => {
    host.setState({ containers: [] })
    const r = await phase('releases', compose)
    expect(r.raw).toEqual({ ok: true, running: [], backups: [] })
  })
})

describe('restore', () => {
  test('puts the files back as they were and tags the recorded image ids again; no container changes', async () => {
    const dir = await backup(STAMP2, STAMP1, 'reg/app:1')
    deployedByHand('2', V2_ID)
    // The tag v1 ran under was re-pushed and pulled since: it names another build now.
    host.setState({ tags: { ...host.state().tags, 'reg/app:1': REBUILT_ID } })
    expect((await lock('t1')).result).toMatchObject({ lock: 'acquired' })

    const r = await restore(dir, 't1')
    expect(r.code).toBe(0)
    expect(r.raw).toMatchObject({ ok: true, restored: 2, retagged: 1, missing: [], previous: STAMP1 })
    expect(r.result).toMatchObject({ missing: [], previous: STAMP1 })
    expect(host.read('.env')).toBe('IMAGE=reg/app:1\n')
    expect(fs.statSync(path.join(host.appDir, '.env')).mode & 0o777).toBe(0o644)
    expect(host.read('docker-compose.yml')).toBe(COMPOSE)
    expect(tagCalls()).toEqual([['docker', 'tag', V1_ID, 'reg/app:1']])
    expect(host.state().tags?.['reg/app:1']).toBe(V1_ID)
    expect(host.state().containers?.map((c) => c.imageId)).toEqual([V2_ID])
    // The lock is still this run's: restore neither takes nor releases it.
    expect(fs.readFileSync(path.join(host.appDir, '.deploy/lock/token'), 'utf8')).toBe('t1\n')
  })

  test('an image id no longer on the host is reported missing, not tagged; the files still come back', async () => {
    const dir = await backup(STAMP2, STAMP1, 'reg/app:1')
    deployedByHand('2', V2_ID)
    host.setState({ tags: { 'reg/app:2': V2_ID }, images: [V2_ID], removed: [V1_ID] })
    await lock('t1')

    const r = await restore(dir, 't1')
    expect(r.code).toBe(0)
    expect(r.raw).toMatchObject({ ok: true, restored: 2, retagged: 0 })
    expect(r.result?.missing).toEqual([V1_ID])
    expect(r.text).toContain(`image ${V1_ID} of service web is no longer on this host; compose will look for reg/app:1`)
    expect(tagCalls()).toEqual([])
    expect(host.state().tags?.['reg/app:1']).toBeUndefined()
    expect(host.read('.env')).toBe('IMAGE=reg/app:1\n')
  })

  test.each([
    ['held by another run', 'other'],
    ['released', 'absent']
  ])('refused when the lock is %s: fails, changes no file and no tag', async (_, state) => {
    const dir = await backup(STAMP2, STAMP1, 'reg/app:1')
    deployedByHand('2', V2_ID)
    host.setState({ tags: { ...host.state().tags, 'reg/app:1': REBUILT_ID } })
    if (state === 'other') await lock('t2')
    const env = host.read('.env')
    const composeFile = host.read('docker-compose.yml')

    const r = await restore(dir, 't1')
    expect(r.code).not.toBe(0)
    expect(r.raw).toMatchObject({ ok: false, error: "the deploy lock is no longer this run's", lock: state })
    if (state === 'other') expect(JSON.parse(String(r.result?.owner))).toEqual({ actor: 't2' })
    expect(host.read('.env')).toBe(env)
    expect(host.read('docker-compose.yml')).toBe(composeFile)
    expect(tagCalls()).toEqual([])
    expect(host.state().tags?.['reg/app:1']).toBe(REBUILT_ID)
  })
})

describe("the audit line's running field", () => {
  test('a settled outcome records the image id each service runs; `previous` then picks the backup to restore', async () => {
    const dir = await backup(STAMP1, undefined, 'reg/app:1')
    deployedByHand('2', V2_ID)
    const line = JSON.stringify({ outcome: 'deployed', after: 'reg/app:2', previous: STAMP1 })
    expect((await phase('audit', { appDir: 'app', line, running: compose })).raw).toEqual({ ok: true })
    // A failure records no running images.
    const failed = JSON.stringify({ outcome: 'failed', after: 'reg/app:3' })
    expect((await phase('audit', { appDir: 'app', line: failed })).raw).toEqual({ ok: true })

    const lines = fs.readFileSync(path.join(host.appDir, '.deploy/audit.log'), 'utf8').trim().split('\n')
    expect(lines.map((l) => JSON.parse(l) as unknown)).toEqual([
      {
        outcome: 'deployed',
        after: 'reg/app:2',
        previous: STAMP1,
        running: [{ service: 'web', imageId: V2_ID, image: 'reg/app:2' }]
      },
      { outcome: 'failed', after: 'reg/app:3' }
    ])
    // What pre-flight reads: the deployed line with what releases lists chooses the backup holding v1.
    const listed = await phase('releases', compose)
    const choice = chooseBackup(
      { kind: 'previous' },
      parseAuditLine(lines[0]),
      listed.result?.running ?? [],
      listed.result?.backups ?? []
    )
    expect(choice).toEqual({ ok: true, target: { name: STAMP1, dir, release: 'reg/app:1' } })
  })
})

describe('rollback-to previous with the real scripts', () => {
  // One host at app-dir `app` (relative to its login folder), the project's .env as its backups hold it.
  const { image: _image, ...base } = sshConfig({
    hosts: [{ spec: 'h1', user: 'deploy', host: 'h1', port: 22 }],
    appDir: 'app',
    env: [],
    healthCheck: { retries: 2, intervalMs: 1000, timeoutMs: 5000, startPeriodMs: 0 },
    switchDelayMs: 0
  })
  let hour = 0
  async function run(config: SshRollingConfig): Promise<DeployResult> {
    const io = recordingIO()
    return createSshRolling(config, {
      inputs: { getInput: () => '' },
      env: {},
      identity: { actor: 'octocat' },
      log: recordingLogger(),
      clock: fakeClock(1_700_000_000_000 + ++hour * 3_600_000),
      io,
      cancel: new AbortController().signal,
      overrides: { sshConnector: new LocalConnector({ h1: host }) }
    }).deploy({
      journal: createJournal(io, undefined, {}),
      signal: new AbortController().signal,
      setOutput: () => undefined
    })
  }

  test('v2 is deployed, then previous restores v1 with the registry down, as the audit log and meta say', async () => {
    host.setState({ registry: { 'reg/app:2': V2_ID } })
    const v2 = { ...base, image: { ref: 'reg/app:2', registry: 'reg', name: 'app', tag: '2' } }
    expect((await run(v2)).status).toBe('succeeded')
    expect(host.state().containers?.map((c) => c.imageId)).toEqual([V2_ID])
    const [taken] = fs.readdirSync(path.join(host.appDir, '.deploy/backups'))

    host.setState({ registryDown: true })
    const result = await run({ ...base, rollbackTo: { kind: 'previous' } })
    expect(result.status).toBe('succeeded')
    expect(result.targets[0]).toMatchObject({
      outcome: 'deployed',
      before: 'reg/app:2',
      after: 'reg/app:1',
      state: `rolled back to reg/app:1 (backup ${taken})`
    })
    expect(host.read('.env')).toBe('IMAGE=reg/app:1\n')
    expect(host.state().containers?.find((c) => c.status === 'running')).toMatchObject({ imageId: V1_ID })
    const audit = fs
      .readFileSync(path.join(host.appDir, '.deploy/audit.log'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>)
    expect(audit).toEqual([
      expect.objectContaining({
        outcome: 'deployed',
        after: 'reg/app:2',
        previous: taken,
        running: [{ service: 'web', imageId: V2_ID, image: 'reg/app:2' }]
      }),
      expect.objectContaining({
        outcome: 'deployed',
        after: 'reg/app:1',
        rollbackTo: taken,
        // The backup v1 was deployed after: none (its meta records no previous).
        previous: null,
        running: [{ service: 'web', imageId: V1_ID, image: 'reg/app:1' }]
      })
    ])
  })
})
