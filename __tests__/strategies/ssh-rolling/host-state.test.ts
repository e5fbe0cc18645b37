/** A host's stage and its journal record: `toRecord`/`fromRecord`, and recovery from a journal an earlier release wrote. */
import type { HostTarget } from '../../../src/strategies/ssh-rolling/config.js'
import { createJournal, loadJournal } from '../../../src/journal.js'
import {
  fromRecord,
  newHostState,
  toRecord,
  type HostRecord,
  type HostState
} from '../../../src/strategies/ssh-rolling/host-state.js'
import { createSshRolling } from '../../../src/strategies/ssh-rolling/index.js'
import type { TargetReport } from '../../../src/types.js'
import { fakeClock, recordingIO, recordingLogger, RUN_IDENTITY } from '../../helpers/fake-deps.js'
import { FakeFleet } from './helpers/fake-fleet.js'
import { NEW, NEW_ID, OLD, OLD_ID, sshConfig } from './helpers/ssh-config.js'

const TOKEN = 'a'.repeat(32)
const BACKUP = '/srv/app/.deploy/backups/20261203T071500Z-run4242'
const target = (name: string): HostTarget => ({ spec: name, user: 'deploy', host: name, port: 22 })

describe('host state ↔ journal record', () => {
  const cases: [string, HostRecord][] = [
    ['locked', { lockTried: true, locked: true, compose: 'v1', imageBefore: OLD }],
    [
      'changed mid start-first',
      {
        lockTried: true,
        locked: true,
        compose: 'v2',
        backupDir: BACKUP,
        pulled: true,
        changed: true,
        changeOrder: 3,
        startFirst: { services: [{ service: 'web', graceSeconds: 3 }], switching: true }
      }
    ],
    ['deployed', { lockTried: true, locked: true, changed: true, changeOrder: 1, deployed: true }],
    [
      'a rollback-to, changed',
      {
        lockTried: true,
        locked: true,
        backupDir: BACKUP,
        changed: true,
        changeOrder: 1,
        restore: {
          name: '20261201T000000Z-run4000',
          dir: '/srv/app/.deploy/backups/20261201T000000Z-run4000',
          release: OLD
        }
      }
    ],
    [
      'rolled back, unlocked',
      { lockTried: false, locked: false, changed: true, changeOrder: 2, deployed: true, rolledBack: true }
    ]
  ]
  test.each(cases)('%s: toRecord(fromRecord(record)) is the record', (_, record) => {
    expect(toRecord(fromRecord(target('h1'), record, fakeClock()))).toEqual(record)
  })

  test('the stage a record names', () => {
    const stage = (record: HostRecord): HostState['stage'] => fromRecord(target('h1'), record, fakeClock()).stage
    expect(stage({ lockTried: true })).toEqual({ kind: 'waiting' })
    expect(stage({ changed: true, changeOrder: 4 })).toEqual({ kind: 'changed', change: 4 })
    expect(stage({ changed: true, changeOrder: 4, deployed: true })).toEqual({ kind: 'deployed', change: 4 })
    expect(stage({ changed: true, rolledBack: true })).toEqual({
      kind: 'rolled-back',
      from: { kind: 'changed', change: 0 }
    })
    // Pre-flight ran: the lock may be this run's though `locked` was never written.
    expect(fromRecord(target('h1'), { lockTried: true }, fakeClock()).lock).toBe('held')
    expect(fromRecord(target('h1'), { lockTried: false, locked: false }, fakeClock()).lock).toBe('none')
  })

  test('a restore target that is not well formed is left out', () => {
    const record = { lockTried: true, restore: { name: 'b1', dir: 42 } } as unknown as HostRecord
    expect(fromRecord(target('h1'), record, fakeClock()).restore).toBeUndefined()
  })

  test('a host not tried yet records that it holds no lock, and nothing else', () => {
    expect(toRecord(newHostState(target('h1'), fakeClock()))).toEqual({ lockTried: false, locked: false })
  })
})

describe('recovery from a journal in the format of the previous release', () => {
  /**
   * What the previous release saved in action state when its main step was killed: h1 deployed, h2 changed mid
   * start-first (its new container beside the old), h3 already rolled back but not unlocked, h4 killed in
   * pre-flight, h5 released.
   */
  const CHANGED = {
    lockTried: true,
    locked: true,
    compose: 'v2',
    imageBefore: OLD,
    backupDir: BACKUP,
    pulled: true,
    changed: true
  }
  const JOURNAL = JSON.stringify({
    done: false,
    sshRolling: {
      token: TOKEN,
      ownerJson: '{"actor":"octocat"}',
      hosts: {
        h1: { ...CHANGED, changeOrder: 1, deployed: true },
        h2: { ...CHANGED, changeOrder: 2, startFirst: { services: [{ service: 'web', graceSeconds: 3 }] } },
        h3: { ...CHANGED, changeOrder: 3, deployed: true, rolledBack: true },
        h4: { lockTried: true },
        h5: { lockTried: false, locked: false, compose: 'v2', imageBefore: OLD }
      }
    }
  })

  function fleetAsJournaled(): FakeFleet {
    const fleet = new FakeFleet(['h1', 'h2', 'h3', 'h4', 'h5'], OLD, OLD_ID)
    fleet.registry.set(NEW, NEW_ID)
    for (const name of ['h1', 'h2', 'h3', 'h4']) {
      const host = fleet.host(name)
      host.lock = { token: TOKEN, ownerJson: '{"actor":"octocat"}', expires: host.time + 600 }
      host.backups.set(BACKUP, {
        files: new Map([...host.files].map(([file, f]) => [file, { ...f }])),
        images: [{ service: 'web', imageId: OLD_ID, image: OLD }],
        previous: '',
        release: OLD
      })
    }
    for (const name of ['h1', 'h2']) {
      const host = fleet.host(name)
      host.files.set('.env', { content: `IMAGE=${NEW}\n`, mode: 0o600 })
      host.tags.set(NEW, NEW_ID)
    }
    fleet.host('h1').running.set('web', { imageId: NEW_ID, image: NEW })
    fleet.host('h2').fresh.set('web', { imageId: NEW_ID, image: NEW })
    return fleet
  }

  test('rolls back what changed (last changed first), leaves what was rolled back, releases every lock', async () => {
    const fleet = fleetAsJournaled()
    const io = recordingIO({ journal: JOURNAL })
    const journal = createJournal<Record<string, unknown>>(io, undefined, loadJournal(io, undefined))
    const log = recordingLogger()
    const config = sshConfig({ hosts: ['h1', 'h2', 'h3', 'h4', 'h5'].map(target), env: [], switchDelayMs: 0 })
    const strategy = createSshRolling(config, {
      inputs: { getInput: () => '' },
      env: { GITHUB_ACTOR: 'octocat' },
      identity: RUN_IDENTITY,
      log,
      clock: fakeClock(),
      io,
      cancel: new AbortController().signal,
      overrides: { sshConnector: fleet, httpGet: fleet.http }
    })
    const result = await strategy.recover({ journal, signal: new AbortController().signal })

    expect(result?.status).toBe('rolled-back')
    expect(result?.message).toBe('The main step was cut short; rolled back h1, h2, h3; untouched: h4')
    expect(Object.fromEntries(result?.targets.map((t: TargetReport) => [t.name, t.outcome]) ?? [])).toEqual({
      h1: 'rolled-back',
      h2: 'rolled-back',
      h3: 'rolled-back',
      h4: 'untouched'
    })
    expect(log.entries).toContainEqual({ level: 'group', message: 'Recover: roll back: h2, h1' })
    // h2 was cut short before its switch: its new container goes, the old one never stopped.
    expect(fleet.execs.find((e) => e.host === 'h2' && e.script === 'rollback')?.args[6]).toBe('web\t3')
    expect(fleet.host('h2').retired).toBe(1)
    // h3 was rolled back by the main step already: it is only stopped and unlocked, not rolled back twice.
    expect(fleet.ran('h3')).toEqual(['stop', 'unlock'])
    expect(fleet.ran('h4')).toEqual(['stop', 'unlock'])
    expect(fleet.ran('h5')).toEqual([])
    for (const name of ['h1', 'h2', 'h3', 'h4']) {
      const host = fleet.host(name)
      expect(host.lock).toBeUndefined()
      expect(host.image()).toBe(OLD)
      expect(host.env().get('IMAGE')).toBe(OLD)
    }
    // The journal it leaves keeps the same fields: a second recovery finds nothing left to do.
    const saved = JSON.parse(io.state.journal ?? '{}') as { sshRolling: { hosts: Record<string, HostRecord> } }
    expect(saved.sshRolling.hosts.h2).toEqual({
      ...CHANGED,
      lockTried: false,
      locked: false,
      changeOrder: 2,
      startFirst: { services: [{ service: 'web', graceSeconds: 3 }] },
      rolledBack: true
    })
    expect(await strategy.recover({ journal, signal: new AbortController().signal })).toBeUndefined()
  })
})
