/** The phase table against the scripts it describes and against the protocol table of ssh-rolling/README.md. */
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  parsePhaseResult,
  phaseArgv,
  PHASES,
  protocolRows,
  type PhaseArgs
} from '../../../src/strategies/ssh-rolling/remote/phases.js'
import { REMOTE_SCRIPTS } from '../../../src/strategies/ssh-rolling/remote/scripts.gen.js'
import type { PhaseScriptName } from '../../../src/strategies/ssh-rolling/scripts.js'

const README = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../src/strategies/ssh-rolling/README.md'
)
const names = Object.keys(PHASES) as PhaseScriptName[]

/** The positional parameters a script reads, from its `APP_DIR=$1 …` line; `?` where it gives a default. */
function scriptParams(text: string): string[] {
  const line = /^APP_DIR=\$1\b.*$/m.exec(text)?.[0] ?? ''
  return [...line.matchAll(/([A-Z_]+)=(?:\$(\d)|\$\{(\d):-[^}]*\})/g)].map(([, name, plain]) =>
    plain ? (name as string) : `${name}?`
  )
}

/** The result fields a script prints: its own `res_str`/`res_raw`, and those of lib.sh's `report_lock`. */
const resultFields = (text: string): string[] =>
  [...text.matchAll(/\bres_(?:str|raw) (\w+)/g)].map((m) => m[1] as string)

/** lib.sh's functions that print result fields (`report_lock`, `restore_backup`…): name → the fields. */
const LIB_FIELDS = new Map(
  [...REMOTE_SCRIPTS.lib.matchAll(/^(\w+)\(\) \{\n([\s\S]*?)^\}/gm)]
    .map((m) => [m[1] as string, resultFields(m[2] as string)] as const)
    .filter(([, fields]) => fields.length > 0)
)

/** The fields a script prints: its own `res_*` calls and those of the lib.sh functions it calls. */
function scriptFields(text: string): string[] {
  const viaLib = [...LIB_FIELDS].filter(([fn]) => new RegExp(`^\\s*${fn}\\b`, 'm').test(text)).flatMap(([, f]) => f)
  return [...new Set([...resultFields(text), ...viaLib])].filter((f) => f !== 'error').sort()
}

/** The README's protocol table: the rows under the `| Script | Arguments |` header, cells trimmed. */
function readmeRows(): string[][] {
  const lines = fs.readFileSync(README, 'utf8').split('\n')
  const start = lines.findIndex((l) => /^\|\s*Script\s*\|\s*Arguments\s*\|/.test(l))
  const rows: string[][] = []
  for (let i = start + 2; start >= 0 && lines[i]?.startsWith('|'); i++) {
    rows.push(
      (lines[i] as string)
        .slice(1, -1)
        .split(/(?<!\\)\|/)
        .map((c) => c.trim().replace(/\\\|/g, '|'))
    )
  }
  return rows
}

/** One call of each phase, with every optional argument given. */
const SAMPLES: { [N in PhaseScriptName]: PhaseArgs<N> } = (() => {
  const compose = { appDir: '/srv/app', compose: 'v2' as const, files: ['a.yml', 'b.yml'], services: ['web'] }
  const claim = { token: 't0k', ownerJson: '{}', ttlSeconds: 600 }
  return {
    preflight: { appDir: '/srv/app', files: [], imageVariable: 'IMAGE', minFreeKb: 1, claim, validate: true },
    lock: { appDir: '/srv/app', claim },
    renew: { appDir: '/srv/app', token: 't0k', ttlSeconds: 600 },
    unlock: { appDir: '/srv/app', token: 't0k', retagFrom: '/b' },
    backup: {
      appDir: '/srv/app',
      compose: 'v1',
      files: [],
      stamp: 's',
      retention: 3,
      project: 'p',
      previous: '20260101T000000Z-run1',
      release: 'app:1',
      keep: '20260101T000000Z-run1'
    },
    run: { appDir: '/srv/app', label: 'pre-deploy command' },
    stop: { appDir: '/srv/app', token: 't0k', termNaps: 50 },
    apply: { appDir: '/srv/app' },
    pull: { ...compose, project: 'p' },
    start: { appDir: '/srv/app', compose: 'v2', files: [], project: 'p', scales: [['web', 2]] },
    gate: { appDir: '/srv/app', ids: ['c1', 'c2'], probes: [['web', '80/health']] },
    switch: { ...compose, retire: [['c1', 3]] },
    up: compose,
    health: { ...compose, project: 'p', expected: ['web', 'db'], completed: ['migrate'] },
    diagnose: compose,
    rollback: { ...compose, backupDir: '/b', token: 't0k', retire: [['web', 3]], project: 'p' },
    restore: { ...compose, backupDir: '/b', token: 't0k', project: 'p' },
    releases: { appDir: '/srv/app', compose: 'v2', files: [], project: 'p' },
    audit: { appDir: '/srv/app', line: '{"outcome":"deployed"}', running: { compose: 'v2', files: [], project: 'p' } }
  }
})()

describe('the phase table', () => {
  test('has an entry for every phase script, and nothing else', () => {
    expect([...names].sort()).toEqual(
      Object.keys(REMOTE_SCRIPTS)
        .filter((n) => n !== 'lib')
        .sort()
    )
  })

  test.each(names)('%s: its parameters are the ones the script reads, in order', (name) => {
    expect(PHASES[name].params).toEqual(scriptParams(REMOTE_SCRIPTS[name]))
  })

  test.each(names)('%s: its result fields are the ones the script prints', (name) => {
    expect([...PHASES[name].fields].sort()).toEqual(scriptFields(REMOTE_SCRIPTS[name]))
  })

  test.each(names)('%s: a call fills every parameter, one argument each', (name) => {
    expect(phaseArgv(name, SAMPLES[name])).toHaveLength(PHASES[name].params.length)
  })

  test('lists travel as one argument, newline-separated; rows tab-separated; a trailing optional may be left out', () => {
    expect(phaseArgv('rollback', SAMPLES.rollback)).toEqual([
      '/srv/app',
      'v2',
      'a.yml\nb.yml',
      'web',
      '/b',
      't0k',
      'web\t3',
      'p'
    ])
    expect(phaseArgv('preflight', SAMPLES.preflight)).toEqual(['/srv/app', '', 'IMAGE', '1', 't0k', '{}', '600', 'yes'])
    expect(phaseArgv('unlock', { appDir: '/srv/app', token: 't0k' })).toEqual(['/srv/app', 't0k'])
    expect(phaseArgv('pull', { appDir: '/a', compose: 'v1', files: [], services: [] })).toEqual([
      '/a',
      'v1',
      '',
      '',
      ''
    ])
  })

  test('results are read by type: what is missing or of another type reads as absent', () => {
    expect(parsePhaseResult('stop', { ok: true, stopped: '3', left: [4242] })).toEqual({ stopped: 0, left: ['4242'] })
    expect(parsePhaseResult('pull', { ok: true, facts: 'web\tservice\t' })).toEqual({})
    expect(parsePhaseResult('pull', { ok: true, facts: '', changed: ['web'] })).toEqual({
      update: { facts: '', changed: ['web'] }
    })
    expect(parsePhaseResult('preflight', { ok: true, compose: 'v3', project: '', lock: 'held', lockOwner: 7 })).toEqual(
      {
        compose: 'v2',
        dockerVersion: 'undefined',
        warnings: [],
        lock: 'held'
      }
    )
    expect(
      parsePhaseResult('start', { ok: true, old: [{ service: 'web', id: 'abcdef0123456789' }, null], new: 'x' })
    ).toEqual({ old: [{ service: 'web', id: 'abcdef0123456789', name: 'abcdef012345' }], new: [] })
  })
})

/** The files the README's file table names: each back-quoted name in the first cell of a row under `| File |`. */
function readmeFiles(): string[] {
  const lines = fs.readFileSync(README, 'utf8').split('\n')
  const start = lines.findIndex((line) => /^\|\s*File\s*\|/.test(line))
  const rows = lines.slice(start + 2).filter((_, i, all) => all.slice(0, i + 1).every((line) => line.startsWith('|')))
  return rows.flatMap((row) => [...(row.split('|')[1] ?? '').matchAll(/`([^`]+)`/g)].map((m) => m[1] ?? ''))
}

describe('ssh-rolling/README.md', () => {
  test('its protocol table is the phase table', () => {
    expect(readmeRows()).toEqual(protocolRows())
  })

  test('its file table names every TypeScript file of the strategy, and only files that exist', () => {
    const dir = path.dirname(README)
    const named = readmeFiles()
    const sources = fs.readdirSync(dir).filter((file) => file.endsWith('.ts'))
    expect(sources.filter((file) => !named.includes(file))).toEqual([])
    expect(named.filter((file) => !file.includes('*') && !fs.existsSync(path.join(dir, file)))).toEqual([])
  })
})
