import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createJournal, loadJournal, mergePatch } from '../src/journal.js'
import type { ActionIO } from '../src/deps.js'
import { JOURNAL_KEY, HostJournal, readRecord, type SshRecord } from '../src/strategies/ssh-rolling/context.js'

function fakeIO(state: Record<string, string> = {}): ActionIO & { saved: [string, string][] } {
  const saved: [string, string][] = []
  return {
    saved,
    setOutput: () => undefined,
    saveState: (n, v) => saved.push([n, v]),
    getState: (n) => state[n] ?? '',
    appendSummary: async () => undefined,
    setFailed: () => undefined
  }
}

describe('journal', () => {
  let dir: string
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'journal-test-'))))
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }))

  test('every update is one patch line in a private file at once; action state is left alone', () => {
    const io = fakeIO()
    const journal = createJournal<{ done: boolean; hosts: string[] }>(io, dir, { done: false })
    journal.update({ hosts: ['h1'] })
    const file = path.join(dir, 'journal.jsonl')
    expect(fs.readFileSync(file, 'utf8')).toBe('{"hosts":["h1"]}\n')
    expect(fs.statSync(file).mode & 0o777).toBe(0o600)
    expect(io.saved).toEqual([])
    expect(journal.read()).toEqual({ done: false, hosts: ['h1'] })
  })

  test('without a private folder the whole record goes to action state', () => {
    const io = fakeIO()
    const journal = createJournal<{ done: boolean; n: number }>(io, undefined, { done: false })
    journal.update({ n: 1 })
    expect(io.saved.at(-1)).toEqual(['journal', '{"done":false,"n":1}'])
  })

  test('load replays the file (objects merged, arrays replaced), ignores a torn last line, else reads state', () => {
    fs.writeFileSync(
      path.join(dir, 'journal.jsonl'),
      '{"a":{"x":1,"list":[1,2]},"done":false}\n{"a":{"y":2,"list":[3]}}\n{"done":true}\n{"a":{"z"'
    )
    expect(loadJournal(fakeIO({ journal: '{"from":"state"}' }), dir)).toEqual({
      a: { x: 1, y: 2, list: [3] },
      done: true
    })
    fs.rmSync(path.join(dir, 'journal.jsonl'))
    expect(loadJournal(fakeIO({ journal: '{"from":"state"}' }), dir)).toEqual({ from: 'state' })
    expect(loadJournal(fakeIO({ journal: '{not json' }), dir)).toBeUndefined()
    expect(loadJournal(fakeIO(), undefined)).toBeUndefined()
  })

  test('mergePatch merges objects key by key and replaces everything else', () => {
    expect(mergePatch<Record<string, unknown>>({ a: { b: 1, c: [1] }, d: 1 }, { a: { c: [2] }, d: { e: 1 } })).toEqual({
      a: { b: 1, c: [2] },
      d: { e: 1 }
    })
  })

  test('ssh-rolling at 500 hosts: the journal grows linearly (a patch per host update), and replays to the record', () => {
    const io = fakeIO()
    const journal = createJournal<Record<string, unknown>>(io, dir, { done: false })
    const record: SshRecord = { token: 'f'.repeat(32), ownerJson: JSON.stringify({ actor: 'octocat' }), hosts: {} }
    const hostJournal = new HostJournal(journal, record)
    const file = path.join(dir, 'journal.jsonl')
    let next = 0
    const sizeAfter = (hosts: number): number => {
      for (const end = next + hosts; next < end; next++) {
        const i = next
        const name = `deploy@web-${String(i).padStart(3, '0')}.example.com:2222`
        hostJournal.host(name, { lockTried: true, compose: 'v2', imageBefore: 'registry.example.com/shop/web:1.41.0' })
        hostJournal.host(name, { locked: true })
        hostJournal.host(name, { backupDir: `.deploy/backups/20261203T071500Z-run1234567890` })
        hostJournal.host(name, { pulled: true })
        hostJournal.host(name, { changed: true, changeOrder: hostJournal.nextChange() })
        hostJournal.host(name, { deployed: true })
        hostJournal.host(name, { locked: false, lockTried: false })
      }
      return fs.statSync(file).size
    }
    const at100 = sizeAfter(100)
    const at500 = sizeAfter(400)
    // Linear: 5× the hosts, about 5× the bytes (an O(hosts²) journal would be ~25×).
    expect(at500 / at100).toBeLessThan(6)
    expect(at500).toBeLessThan(1024 ** 2)
    expect(io.saved).toEqual([])
    const loaded = loadJournal<Record<string, unknown>>(io, dir)
    const replayed = readRecord({ read: () => loaded ?? {}, update: () => undefined })
    expect(replayed).toEqual(record)
    expect(Object.keys(replayed?.hosts ?? {})).toHaveLength(500)
    expect(replayed?.hosts['deploy@web-499.example.com:2222']).toMatchObject({ deployed: true, locked: false })
    // What the post step needs fits the runner's limits many times over: the record itself.
    expect(JSON.stringify(loaded?.[JOURNAL_KEY]).length).toBeLessThan(128 * 1024)
  })
})
