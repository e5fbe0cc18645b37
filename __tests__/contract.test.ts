import fs from 'node:fs'
import path from 'node:path'
import { validateAction, type ValidationError } from '@action-validator/core'
import YAML from 'yaml'
import { Inputs, Outputs, type StrategyName } from '../src/constants.js'
import { readInputs } from '../src/config.js'
import type { Logger } from '../src/types.js'

const parseYaml = (text: string): unknown => YAML.parse(text) as unknown

interface ActionInput {
  description: string
  required?: boolean
  default?: string
}

interface ActionMetadata {
  name: string
  description: string
  author: string
  branding: { icon: string; color: string }
  inputs: Record<string, ActionInput>
  outputs: Record<string, { description: string }>
  runs: Record<string, string>
}

const root = process.cwd()
const actionText = fs.readFileSync(path.join(root, 'action.yml'), 'utf8')
const action = YAML.parse(actionText) as ActionMetadata
const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8')

const sorted = (names: Iterable<string>): string[] => [...names].sort()
const COMMON = new Set<string>([
  Inputs.strategy,
  Inputs.image,
  Inputs.rollbackTo,
  Inputs.timeoutMinutes,
  Inputs.dryRun,
  Inputs.rollbackOnFailure,
  Inputs.verifyCommand,
  Inputs.verifyTimeout
])

describe('action.yml and src/constants.ts', () => {
  test('every input of Inputs is in action.yml, and nothing else', () => {
    expect(sorted(Object.keys(action.inputs))).toEqual(sorted(Object.values(Inputs)))
  })

  test('every output of Outputs is in action.yml, and nothing else', () => {
    expect(sorted(Object.keys(action.outputs))).toEqual(sorted(Object.values(Outputs)))
  })

  test('only strategy is required; every input says whether it is', () => {
    const required = Object.entries(action.inputs)
      .filter(([, input]) => input.required === true)
      .map(([name]) => name)
    expect(sorted(required)).toEqual([Inputs.strategy])
    for (const input of Object.values(action.inputs)) expect(typeof input.required).toBe('boolean')
  })

  test('every input and output has a description; strategy-specific inputs name their strategy', () => {
    for (const [name, input] of Object.entries(action.inputs)) {
      expect(input.description.length).toBeGreaterThan(20)
      if (!COMMON.has(name)) expect(input.description).toMatch(/^(ECS strategies|ecs-blue-green|ssh-rolling)\b/)
    }
    for (const output of Object.values(action.outputs)) expect(output.description.length).toBeGreaterThan(20)
  })

  test('defaults are strings, as the runner passes them', () => {
    for (const input of Object.values(action.inputs)) {
      if ('default' in input) expect(typeof input.default).toBe('string')
    }
  })

  test('the defaults in action.yml are the defaults readInputs applies', () => {
    const defaults = Object.fromEntries(
      Object.entries(action.inputs).flatMap(([name, input]) => (input.default ? [[name, input.default]] : []))
    )
    const minimal: Record<StrategyName, Record<string, string>> = {
      ecs: { strategy: 'ecs', image: 'nginx', service: 'web' },
      'ecs-rolling': { strategy: 'ecs-rolling', image: 'nginx', service: 'web' },
      'ecs-blue-green': { strategy: 'ecs-blue-green', image: 'nginx', service: 'web' },
      'ecs-native': { strategy: 'ecs-native', image: 'nginx', service: 'web' },
      'ssh-rolling': {
        strategy: 'ssh-rolling',
        image: 'nginx',
        hosts: 'web-1',
        'ssh-user': 'deploy',
        'ssh-private-key': fs.readFileSync(path.join(root, '__fixtures__', 'inputs', 'id_ed25519'), 'utf8'),
        'ssh-known-hosts': fs.readFileSync(path.join(root, '__fixtures__', 'inputs', 'known_hosts'), 'utf8')
      }
    }
    const log: Logger = {
      info: () => undefined,
      debug: () => undefined,
      warning: () => undefined,
      error: () => undefined,
      notice: () => undefined,
      setSecret: () => undefined,
      group: (_name, fn) => fn()
    }
    const env = { AWS_REGION: 'eu-west-1' }
    for (const values of Object.values(minimal)) {
      const withDefaults = { ...defaults, ...values }
      const fromAction = readInputs({ getInput: (n) => withDefaults[n] ?? '' }, env, log, parseYaml)
      const fromCode = readInputs({ getInput: (n) => values[n] ?? '' }, env, log, parseYaml)
      expect(fromAction).toEqual(fromCode)
    }
  })
})

/** The rows `| \`name\` | … |` of the markdown tables between two markers. */
function tableRows(start: string, end: string): string[][] {
  const from = readme.indexOf(start)
  const to = readme.indexOf(end)
  expect(from).toBeGreaterThanOrEqual(0)
  expect(to).toBeGreaterThan(from)
  return readme
    .slice(from, to)
    .split('\n')
    .filter((line) => /^\|\s*`/.test(line))
    .map((line) =>
      line
        .replace(/^\|/, '')
        .replace(/\|\s*$/, '')
        .split(/(?<!\\)\|/)
        .map((cell) => cell.trim())
    )
}

const unquote = (cell: string): string => cell.replace(/^`(.*)`$/, '$1')

describe('README tables', () => {
  const inputRows = tableRows('<!-- inputs:start -->', '<!-- inputs:end -->')
  const outputRows = tableRows('<!-- outputs:start -->', '<!-- outputs:end -->')

  test('the sections come in order, inputs grouped by strategy', () => {
    const markers = ['<!-- inputs:start -->', '<!-- inputs:end -->', '<!-- outputs:start -->', '<!-- outputs:end -->']
    const positions = markers.map((m) => readme.indexOf(m))
    expect(positions.every((p) => p >= 0)).toBe(true)
    expect([...positions].sort((a, b) => a - b)).toEqual(positions)
    const section = readme.slice(positions[0], positions[1])
    expect(section.match(/^\|\s*Input\s*\|\s*Default\s*\|\s*Description\s*\|$/gm)).toHaveLength(4)
    expect(readme.slice(positions[2], positions[3])).toMatch(/^\|\s*Output\s*\|\s*Description\s*\|$/m)
    const headings = [...section.matchAll(/^### (.+)$/gm)].map((m) => m[1])
    expect(headings).toEqual(['Common', 'ECS', 'ecs-blue-green, ecs-native', 'SSH'])
  })

  test('inputs: exactly the names of action.yml, once each, with the same defaults', () => {
    const names = inputRows.map((row) => unquote(row[0] ?? ''))
    expect(new Set(names).size).toBe(names.length)
    expect(sorted(names)).toEqual(sorted(Object.keys(action.inputs)))
    for (const row of inputRows) {
      const input = action.inputs[unquote(row[0] ?? '')]
      const cell = row[1] ?? ''
      expect(row).toHaveLength(3)
      expect(cell === '—' ? '' : unquote(cell)).toBe(input?.default ?? '')
      if (cell !== '—') expect(cell).toMatch(/^`.+`$/)
      expect(row[2]?.startsWith('**Required.**')).toBe(
        input?.required === true || /\(required for/.test(input?.description ?? '')
      )
    }
  })

  test('outputs: exactly the names of action.yml, once each', () => {
    const names = outputRows.map((row) => unquote(row[0] ?? ''))
    expect(new Set(names).size).toBe(names.length)
    expect(sorted(names)).toEqual(sorted(Object.keys(action.outputs)))
    for (const row of outputRows) expect(row).toHaveLength(2)
  })
})

/** Error paths and details, flattened: a oneOf error carries the errors of each branch it tried. */
function flatten(errors: ValidationError[]): string[] {
  return errors.flatMap((e) => [
    `${'path' in e ? e.path : ''} ${e.code}${e.detail ? ` ${e.detail}` : ''}`,
    ...('states' in e && e.states ? flatten(e.states.flatMap((s) => s.errors)) : [])
  ])
}

describe('action.yml against the Actions metadata schema', () => {
  test('valid, apart from node24 which the schema bundled in @action-validator/core 0.6.0 predates', () => {
    const state = validateAction(actionText)
    expect(state.actionType).toBe('action')
    // The only complaint allowed: runs.using is not one of node12/node16/node20 in that schema's enum.
    expect(state.errors).toHaveLength(1)
    expect(state.errors[0]).toMatchObject({ code: 'one_of', path: '/runs' })
    const firstBranch = 'states' in state.errors[0]! ? state.errors[0].states?.[0]?.errors : undefined
    expect(firstBranch).toEqual([expect.objectContaining({ code: 'enum', path: '/runs/using' })])

    const asNode20 = actionText.replace(/^ {2}using: node24$/m, '  using: node20')
    expect(asNode20).not.toBe(actionText)
    expect(flatten(validateAction(asNode20).errors)).toEqual([])
  })

  test('the validator does catch broken metadata', () => {
    const broken = actionText
      .replace(/^description:.*\n(?: {2}.*\n)*/m, '')
      .replace(/^ {2}using: node24$/m, '  using: node20')
      .replace("icon: 'upload-cloud'", "icon: 'no-such-icon'")
      .replace('icon: upload-cloud', 'icon: no-such-icon')
    const errors = flatten(validateAction(broken).errors).join('\n')
    expect(errors).toMatch(/required/)
    expect(errors).toMatch(/\/branding\/icon/)
  })
})

describe('runs', () => {
  test('node24 main with an always-run post step on the same bundle', () => {
    expect(action.runs).toEqual({
      using: 'node24',
      main: 'dist/index.js',
      post: 'dist/index.js',
      'post-if': 'always()'
    })
  })

  test('name, description, author and branding are set', () => {
    expect(action.name.length).toBeGreaterThan(3)
    expect(action.description.length).toBeGreaterThan(20)
    expect(action.author.length).toBeGreaterThan(0)
    expect(action.branding).toEqual({ icon: expect.any(String), color: expect.any(String) })
  })
})
