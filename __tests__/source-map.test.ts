/**
 * `src/README.md` says, for each input, the one file that reads it, the config field it becomes and the file where
 * that field acts. This checks the table against `Inputs` and the code, so it cannot drift.
 */
import fs from 'node:fs'
import path from 'node:path'
import { Inputs } from '../src/constants.js'

interface Row {
  input: string
  readIn: string
  field: string
  actsIn: string[]
}

const root = process.cwd()
const table = fs.readFileSync(path.join(root, 'src/README.md'), 'utf8')
const ticked = (cell: string): string[] => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1] ?? '')

const rows: Row[] = table
  .split('\n')
  .filter((line) => /^\| `[a-z-]+`/.test(line))
  .map((line) => {
    const [input = '', readIn = '', field = '', actsIn = ''] = line.split('|').slice(1, -1)
    return {
      input: ticked(input)[0] ?? '',
      readIn: ticked(readIn)[0] ?? '',
      field: ticked(field)[0] ?? '',
      actsIn: ticked(actsIn)
    }
  })

const keyOf = new Map<string, string>(Object.entries(Inputs).map(([key, name]) => [name, key]))
const sources = (dir: string): string[] =>
  fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name)
    return e.isDirectory() ? sources(p) : p.endsWith('.ts') ? [path.relative(root, p)] : []
  })
const code = new Map(sources(path.join(root, 'src')).map((f) => [f, fs.readFileSync(path.join(root, f), 'utf8')]))
/** A call that reads the input's value (not a mention of its name in a message). */
const readsInput = (text: string, key: string): boolean =>
  new RegExp(
    `(?:\\br\\.(?:get|value|optional|required|lines)(?:<[^>]*>)?\\(|readEnvLines\\(r, |readDocument\\()Inputs\\.${key}\\b`
  ).test(text)

describe('src/README.md: where each input is read and acts', () => {
  test('every input has a row, and every row is an input', () => {
    expect([...new Set(rows.map((r) => r.input))].sort()).toEqual(Object.values(Inputs).sort())
  })

  test.each(rows.map((r) => [`${r.input} (${r.readIn})`, r] as const))('%s', (_, row) => {
    const key = keyOf.get(row.input) ?? ''
    const readers = [...code].filter(([, text]) => readsInput(text, key)).map(([file]) => file)
    // The picker re-reads nothing: it lists the CodeDeploy inputs by name and hands them on.
    expect(readers).toContain(row.readIn)
    expect(
      readers.filter((f) => !f.endsWith('/config.ts') && f !== 'src/inputs/common.ts' && f !== row.readIn)
    ).toEqual([])
    // The field is set where the input is read, or by the strategy's config.ts from what that file returns.
    const setter = `${code.get(row.readIn) ?? ''}\n${code.get(path.join(path.dirname(row.readIn), 'config.ts')) ?? ''}`
    expect(setter).toMatch(new RegExp(`\\b${row.field}\\b`))
    expect(row.actsIn.length).toBeGreaterThan(0)
    for (const file of row.actsIn) {
      expect(code.has(file)).toBe(true)
      expect(code.get(file)).toMatch(new RegExp(`\\b${row.field}\\b`))
    }
  })
})
