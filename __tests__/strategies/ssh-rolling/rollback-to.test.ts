/** `rollback-to` on ssh-rolling against the in-memory fleet: which backup, refusals in pre-flight, undo, the chain. */
import type { SshRollingConfig } from '../../../src/strategies/ssh-rolling/config.js'
import { createJournal, loadJournal } from '../../../src/journal.js'
import type { HostRecord } from '../../../src/strategies/ssh-rolling/host-state.js'
import { chooseBackup, parseAuditLine } from '../../../src/strategies/ssh-rolling/releases.js'
import { createSshRolling } from '../../../src/strategies/ssh-rolling/index.js'
import type { DeployResult, Strategy, TargetReport } from '../../../src/types.js'
import { fakeClock, recordingIO, recordingLogger, RUN_IDENTITY, type RecordingIO } from '../../helpers/fake-deps.js'
import { FakeFleet } from './helpers/fake-fleet.js'
import { NEW, NEW_ID, OLD, OLD_ID, sshConfig } from './helpers/ssh-config.js'

const V3 = 'reg/app:3'
const V3_ID = 'sha256:v3'
const PREVIOUS = { rollbackTo: { kind: 'previous' as const } }

/** A config that rolls back instead of deploying. */
function rollbackConfig(extra: Partial<SshRollingConfig> = {}): SshRollingConfig {
  const { image: _image, ...config } = sshConfig({ ...PREVIOUS, ...extra })
  return config
}

/** The strategy with `config` on `fleet`, its clock an hour after the run before. */
let hour = 0
function strategyOn(
  fleet: FakeFleet,
  config: SshRollingConfig,
  io: RecordingIO,
  cancel = new AbortController().signal
): Strategy {
  return createSshRolling(config, {
    inputs: { getInput: () => '' },
    env: {},
    log: recordingLogger(),
    clock: fakeClock(1_700_000_000_000 + ++hour * 3_600_000),
    io,
    cancel,
    identity: RUN_IDENTITY,
    overrides: { sshConnector: fleet, httpGet: fleet.http }
  })
}

/** Runs one deploy (or rollback) against `fleet`, an hour after the one before it. */
async function runOn(fleet: FakeFleet, config: SshRollingConfig, abortAt?: string): Promise<DeployResult> {
  const cancel = new AbortController()
  const io = recordingIO()
  if (abortAt) {
    for (const h of fleet.hosts.values()) {
      h.beforeExec = (script, args) => {
        if (`${h.name}:${script}` === abortAt && !cancel.signal.aborted && args) cancel.abort()
      }
    }
  }
  const result = await strategyOn(fleet, config, io, cancel.signal).deploy({
    journal: createJournal(io, undefined, { done: false }),
    signal: cancel.signal,
    setOutput: () => undefined
  })
  for (const h of fleet.hosts.values()) h.beforeExec = undefined
  return result
}

/** Four hosts that ran v1 (OLD), then were deployed v2 (NEW) and v3. */
async function deployedThrice(): Promise<FakeFleet> {
  const fleet = new FakeFleet(['h1', 'h2', 'h3', 'h4'], OLD, OLD_ID)
  fleet.registry.set(NEW, NEW_ID)
  fleet.registry.set(V3, V3_ID)
  expect((await runOn(fleet, sshConfig())).status).toBe('succeeded')
  const v3 = sshConfig({ image: { ref: V3, registry: 'reg', name: 'app', tag: '3' } })
  expect((await runOn(fleet, v3)).status).toBe('succeeded')
  for (const h of fleet.hosts.values()) expect(h.image()).toBe(V3)
  return fleet
}

const running = (fleet: FakeFleet): Record<string, string | undefined> =>
  Object.fromEntries([...fleet.hosts.values()].map((h) => [h.name, h.image()]))

describe('rollback-to previous', () => {
  test('v3 → v2 with the registry down, then v2 → v1, then refused: no release before v1', async () => {
    const fleet = await deployedThrice()
    fleet.registryDown = true
    const first = await runOn(fleet, rollbackConfig())
    expect(first.status).toBe('succeeded')
    expect(running(fleet)).toEqual({ h1: NEW, h2: NEW, h3: NEW, h4: NEW })
    expect(first.message).toMatch(/^Rolled back 4 hosts to reg\/app:2 \(backup \S+\) in 2 batches$/)
    const t1 = first.targets[0]
    expect(t1).toMatchObject({ outcome: 'deployed', before: V3, after: NEW })
    expect(t1?.state).toMatch(/^rolled back to reg\/app:2 \(backup \S+\)$/)
    for (const h of fleet.hosts.values()) {
      // Same pre-flight, a backup to undo with, no pull: restore is the apply.
      expect(fleet.ran(h.name).slice(-8)).toEqual([
        'preflight',
        'releases',
        'backup',
        'restore',
        'up',
        'health',
        'audit',
        'unlock'
      ])
      expect(h.env().get('IMAGE')).toBe(NEW)
      expect(h.audit.at(-1)).toMatchObject({
        outcome: 'deployed',
        before: V3,
        after: NEW,
        detail: expect.stringMatching(/^rolled back to reg\/app:2 \(backup /)
      })
    }

    const second = await runOn(fleet, rollbackConfig())
    expect(second.status).toBe('succeeded')
    expect(running(fleet)).toEqual({ h1: OLD, h2: OLD, h3: OLD, h4: OLD })
    expect(second.targets[0]).toMatchObject({ before: NEW, after: OLD })

    const third = await runOn(fleet, rollbackConfig())
    expect(third.status).toBe('failed')
    expect(third.message).toContain('no backup holds a release before reg/app:1')
    expect(running(fleet)).toEqual({ h1: OLD, h2: OLD, h3: OLD, h4: OLD })
  })

  test('a host changed by hand is refused in pre-flight, naming both versions; no host changes', async () => {
    const fleet = await deployedThrice()
    const h2 = fleet.host('h2')
    h2.running.set('web', { imageId: OLD_ID, image: OLD })
    const before = fleet.execs.length
    const result = await runOn(fleet, rollbackConfig())
    expect(result.status).toBe('failed')
    expect(result.message).toMatch(
      /^Pre-flight failed on 1 of 4 hosts, nothing was changed: h2: rollback-to previous: the host runs reg\/app:1 \(old\), but its audit log says reg\/app:3 \(v3\) was deployed \(by https:\/\/github.com\/acme\/shop\/actions\/runs\/4242 at .*\): changed by hand since\? name one in 'rollback-to'/
    )
    const scripts = new Set(fleet.execs.slice(before).map((e) => e.script))
    expect([...scripts].sort()).toEqual(['preflight', 'releases', 'unlock'])
    expect(running(fleet)).toEqual({ h1: V3, h2: OLD, h3: V3, h4: V3 })
  })

  test('naming a backup restores it even on a host changed by hand', async () => {
    const fleet = await deployedThrice()
    fleet.host('h2').running.set('web', { imageId: OLD_ID, image: OLD })
    // The backup taken before v3: it holds v2.
    const name = [...fleet.host('h1').backups.keys()].sort()[1]?.split('/').pop() ?? ''
    const result = await runOn(fleet, rollbackConfig({ rollbackTo: { kind: 'named', name } }))
    expect(result.status).toBe('succeeded')
    expect(running(fleet)).toEqual({ h1: NEW, h2: NEW, h3: NEW, h4: NEW })
  })

  test('a dry run lists each host: current → target, and changes nothing', async () => {
    const fleet = await deployedThrice()
    const before = fleet.execs.length
    const result = await runOn(fleet, rollbackConfig({ dryRun: true }))
    expect(result.status).toBe('planned')
    expect(result.message).toMatch(
      /^Dry run: 4 hosts passed pre-flight; would roll back 4 hosts to reg\/app:2 \(backup /
    )
    const plan = result.sections?.find((s) => s.title === 'Plan')?.body ?? ''
    expect(plan).toMatch(/Batch 1\/2: h1 \(reg\/app:3 → reg\/app:2 \(backup \S+\)\), h2 \(reg\/app:3 → reg\/app:2/)
    expect(result.targets[0]).toMatchObject({ outcome: 'planned', before: V3, after: NEW })
    expect(new Set(fleet.execs.slice(before).map((e) => e.script))).toEqual(
      new Set(['preflight', 'releases', 'unlock'])
    )
    expect(running(fleet)).toEqual({ h1: V3, h2: V3, h3: V3, h4: V3 })
  })

  test('a failed health gate undoes the rollback: back on v3, and previous still means v2', async () => {
    const fleet = await deployedThrice()
    fleet.host('h3').unhealthy.add(NEW_ID)
    const result = await runOn(fleet, rollbackConfig())
    expect(result.status).toBe('rolled-back')
    expect(running(fleet)).toEqual({ h1: V3, h2: V3, h3: V3, h4: V3 })
    expect(fleet.host('h1').audit.at(-1)).toMatchObject({ outcome: 'rolled-back', after: V3 })
    fleet.host('h3').unhealthy.clear()
    fleet.registryDown = true
    expect((await runOn(fleet, rollbackConfig())).status).toBe('succeeded')
    expect(running(fleet)).toEqual({ h1: NEW, h2: NEW, h3: NEW, h4: NEW })
  })

  test('cancelled mid-rollback: every changed host goes back to v3, the rest never left it', async () => {
    const fleet = await deployedThrice()
    const result = await runOn(fleet, rollbackConfig(), 'h3:restore')
    expect(result.message).toMatch(/^Cancelled while rolling back to previous/)
    expect(running(fleet)).toEqual({ h1: V3, h2: V3, h3: V3, h4: V3 })
    expect(result.targets.map((t) => t.after)).toEqual([V3, V3, V3, V3])
  })

  test('a named backup that is not there, and one whose images are gone, are refused', async () => {
    const fleet = await deployedThrice()
    const missing = await runOn(fleet, rollbackConfig({ rollbackTo: { kind: 'named', name: '20200101T000000Z' } }))
    expect(missing.message).toContain('rollback-to 20200101T000000Z: there is no backup 20200101T000000Z here')
    // v1's image is gone from h4: the backup before v2 cannot be restored without a registry.
    const h4 = fleet.host('h4')
    for (const [ref, id] of h4.tags) if (id === OLD_ID) h4.tags.delete(ref)
    const name = [...h4.backups.keys()].sort()[0]?.split('/').pop() ?? ''
    const gone = await runOn(fleet, rollbackConfig({ rollbackTo: { kind: 'named', name } }))
    expect(gone.message).toContain(`h4: rollback-to ${name}: the image(s) of backup ${name} are no longer on the host`)
  })
})

/**
 * Starts a deploy (or rollback) on `fleet` that hangs, as a killed main step does, once a phase script `hangs`
 * (`host`, `script`) starts; nothing after it runs. Returns the journal it left for the post step.
 */
async function killedWhen(
  fleet: FakeFleet,
  config: SshRollingConfig,
  hangs: (host: string, script: string) => boolean
): Promise<string> {
  const io = recordingIO()
  let reached: () => void = () => undefined
  const hung = new Promise<void>((resolve) => (reached = resolve))
  for (const h of fleet.hosts.values()) {
    h.beforeExec = (script) => {
      if (!hangs(h.name, script)) return undefined
      reached()
      return new Promise<void>(() => undefined)
    }
  }
  void strategyOn(fleet, config, io).deploy({
    journal: createJournal(io, undefined, { done: false }),
    signal: new AbortController().signal,
    setOutput: () => undefined
  })
  await hung
  // Let the hosts that do not hang get as far as they can.
  await new Promise((r) => setTimeout(r, 50))
  for (const h of fleet.hosts.values()) h.beforeExec = undefined
  return io.state.journal ?? ''
}

/** The post step: a new process with the inputs and the journal the main step left. */
async function postStep(fleet: FakeFleet, config: SshRollingConfig, saved: string): Promise<DeployResult | undefined> {
  const io = recordingIO({ journal: saved })
  const journal = createJournal<Record<string, unknown>>(io, undefined, loadJournal(io, undefined))
  return strategyOn(fleet, config, io).recover({ journal, signal: new AbortController().signal })
}

const byName = (result: DeployResult | undefined): Record<string, TargetReport> =>
  Object.fromEntries((result?.targets ?? []).map((t) => [t.name, t]))

describe('rollback-to cut short: the post step knows where each host was going', () => {
  /** The backup each host took before v3: it holds v2, what `previous` restores. */
  const v2Backup = (fleet: FakeFleet): { name: string; dir: string } => {
    const dir = [...fleet.host('h1').backups.keys()].sort()[1] ?? ''
    return { name: dir.split('/').pop() ?? '', dir }
  }

  test('killed in batch 2: every host is rolled back to v3, and the report names v2 and where each ended', async () => {
    const fleet = await deployedThrice()
    const { name, dir } = v2Backup(fleet)
    const saved = await killedWhen(fleet, rollbackConfig(), (host, script) => host === 'h3' && script === 'up')
    // The main step's journal records the backup pre-flight chose on each host, and the run's target.
    const record = JSON.parse(saved) as { sshRolling: { rollbackTo?: string; hosts: Record<string, HostRecord> } }
    expect(record.sshRolling.rollbackTo).toBe('previous')
    for (const h of ['h1', 'h2', 'h3', 'h4']) {
      expect(record.sshRolling.hosts[h]?.restore).toEqual({ name, dir, release: NEW })
    }
    expect(running(fleet)).toEqual({ h1: NEW, h2: NEW, h3: V3, h4: NEW })
    expect(fleet.host('h3').env().get('IMAGE')).toBe(NEW)

    const result = await postStep(fleet, rollbackConfig(), saved)
    expect(result?.status).toBe('rolled-back')
    expect(result?.message).toBe(
      `The main step was cut short while rolling back 4 hosts to reg/app:2 (backup ${name}); rolled back h1, h2, h3, h4 (back on reg/app:3)`
    )
    expect(running(fleet)).toEqual({ h1: V3, h2: V3, h3: V3, h4: V3 })
    for (const t of Object.values(byName(result))) {
      expect(t).toMatchObject({
        outcome: 'rolled-back',
        before: V3,
        after: V3,
        state: `was being rolled back to reg/app:2 (backup ${name}); rolled back because the main step was cut short: back on reg/app:3`
      })
    }
  })

  test('with rollback disabled: the hosts that got there say so, the one cut short says where it was going', async () => {
    const fleet = await deployedThrice()
    const { name } = v2Backup(fleet)
    const saved = await killedWhen(fleet, rollbackConfig(), (host, script) => host === 'h3' && script === 'up')
    const result = await postStep(fleet, rollbackConfig({ rollbackOnFailure: false }), saved)
    expect(result?.status).toBe('failed')
    expect(result?.message).toBe(
      `The main step was cut short while rolling back 4 hosts to reg/app:2 (backup ${name}); left changed: h3 (rollback disabled); on the restored release: h1, h2, h4`
    )
    const t = byName(result)
    expect(t.h1).toMatchObject({
      outcome: 'deployed',
      before: V3,
      after: NEW,
      state: `rolled back to reg/app:2 (backup ${name})`
    })
    expect(t.h3).toMatchObject({ outcome: 'failed', before: V3, after: NEW })
    expect(t.h3?.state).toBe(
      `was being rolled back to reg/app:2 (backup ${name}); changed, a phase failed; rollback disabled`
    )
  })

  test('killed before any host changed: the locks are released, and the report says where the hosts were going', async () => {
    const fleet = await deployedThrice()
    const { name } = v2Backup(fleet)
    const saved = await killedWhen(fleet, rollbackConfig(), (host, script) => host === 'h2' && script === 'backup')
    const result = await postStep(fleet, rollbackConfig(), saved)
    expect(result?.message).toBe(
      `The main step was cut short before any host changed (rolling back 4 hosts to reg/app:2 (backup ${name})); released the deploy locks`
    )
    expect(byName(result).h2).toMatchObject({
      outcome: 'untouched',
      before: V3,
      state: `not reached (was to roll back to reg/app:2 (backup ${name}))`
    })
    expect(running(fleet)).toEqual({ h1: V3, h2: V3, h3: V3, h4: V3 })
    for (const h of fleet.hosts.values()) expect(h.lock).toBeUndefined()
  })

  test('killed while listing the backups: the post step still names the target of the run', async () => {
    const fleet = await deployedThrice()
    const saved = await killedWhen(fleet, rollbackConfig(), (_host, script) => script === 'releases')
    const result = await postStep(fleet, rollbackConfig(), saved)
    expect(result?.message).toBe(
      'The main step was cut short before any host changed (rolling back to previous); released the deploy locks'
    )
    for (const h of fleet.hosts.values()) expect(h.lock).toBeUndefined()
  })
})

describe('chooseBackup', () => {
  const backup = {
    name: 'b2',
    dir: '/srv/app/.deploy/backups/b2',
    complete: true,
    previous: 'b1',
    release: 'app:2',
    images: [{ service: 'web', imageId: 'sha256:2', image: 'app:2', present: true }]
  }
  const now = [{ service: 'web', imageId: 'sha256:3', image: 'app:3' }]
  const line = (o: Record<string, unknown>) => parseAuditLine(JSON.stringify(o))

  test.each([
    ['no audit log', undefined, 'the audit log records no deploy here'],
    [
      'a last run that failed',
      line({ outcome: 'failed', after: 'app:3', detail: 'health: unhealthy' }),
      "the last run here ended 'failed' (health: unhealthy)"
    ],
    [
      'a line from an older version',
      line({ outcome: 'deployed', after: 'app:3' }),
      'written by an older version of this action'
    ],
    [
      'a pruned backup',
      line({ outcome: 'deployed', after: 'app:3', previous: 'b0', running: now }),
      'backup b0, which holds the release before app:3, is no longer on the host'
    ]
  ])('%s: refused', (_title, audit, error) => {
    const choice = chooseBackup({ kind: 'previous' }, audit, now, [backup])
    expect(choice).toEqual({ ok: false, error: expect.stringContaining(error) })
  })

  test('previous: the backup the last line records, while the host runs what it says', () => {
    const audit = line({ outcome: 'deployed', after: 'app:3', previous: 'b2', running: now })
    expect(chooseBackup({ kind: 'previous' }, audit, now, [backup])).toEqual({
      ok: true,
      target: { name: 'b2', dir: backup.dir, release: 'app:2' }
    })
  })

  test('an incomplete backup or one without containers is refused', () => {
    const named = { kind: 'named' as const, name: 'b2' }
    expect(chooseBackup(named, undefined, now, [{ ...backup, complete: false }])).toMatchObject({ ok: false })
    expect(chooseBackup(named, undefined, now, [{ ...backup, images: [] }])).toEqual({
      ok: false,
      error: expect.stringContaining('holds no container')
    })
  })
})
