import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createJournal, loadJournal } from '../src/journal.js'
import type { ActionIO } from '../src/deps.js'

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

  test('every update is saved to state and to a private file at once', () => {
    const io = fakeIO()
    const journal = createJournal<{ done: boolean; hosts: string[] }>(io, dir, { done: false })
    journal.update({ hosts: ['h1'] })
    expect(io.saved.at(-1)).toEqual(['journal', '{"done":false,"hosts":["h1"]}'])
    const file = path.join(dir, 'journal.json')
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual({ done: false, hosts: ['h1'] })
    expect(fs.statSync(file).mode & 0o777).toBe(0o600)
  })

  test('load prefers state, falls back to the file, and ignores garbage', () => {
    fs.writeFileSync(path.join(dir, 'journal.json'), '{"from":"file"}')
    expect(loadJournal(fakeIO({ journal: '{"from":"state"}' }), dir)).toEqual({ from: 'state' })
    expect(loadJournal(fakeIO(), dir)).toEqual({ from: 'file' })
    expect(loadJournal(fakeIO({ journal: '{not json' }), dir)).toBeUndefined()
    expect(loadJournal(fakeIO(), undefined)).toBeUndefined()
  })
})
