/**
 * How inputs are read: raw strings from the runner, through the forms, into values; every problem is recorded with
 * its input (and line) so one run reports them all. Also the shared list and file forms: `KEY=value` lines and JSON
 * or YAML documents. Reads local files only; contacts nothing.
 */
import fs from 'node:fs'
import path from 'node:path'
import type { InputName } from '../constants.js'
import type { InputSource } from '../deps.js'
import { errorMessage } from '../error-message.js'
import { URL_PASSWORD_RE } from '../redact-url.js'
import type { Logger } from '../types.js'
import { contentLines, FormError, show, VARIABLE_FORM, VARIABLE_RE } from './forms.js'

/** One bad input: a one-line message naming it and the expected form, and the line of a multi-line input it is on. */
export interface InputProblem {
  input: InputName
  message: string
  line?: number
}

/** Bad inputs, every one found in one pass: each problem names its input, the position and the expected form. */
export class InputError extends Error {
  readonly problems: readonly InputProblem[]
  constructor(problems: readonly InputProblem[]) {
    super(problems.map((p) => p.message).join('; '))
    this.name = 'InputError'
    this.problems = problems
  }
}

function problem(input: InputName, message: string, line?: number): InputError {
  return new InputError([{ input, message, ...(line === undefined ? {} : { line }) }])
}

/** `Missing '<input>': <text>`. */
export function missing(input: InputName, text: string): InputError {
  return problem(input, `Missing '${input}': ${text}`)
}

/** `Invalid '<input>' [line N]: expected <form>, got <value>`. */
export function invalid(name: InputName, expected: string, got: string, line?: number): InputError {
  return problem(name, `Invalid '${name}'${line ? ` line ${line}` : ''}: expected ${expected}, got ${got}`, line)
}

/** Runs a parser on one value; its `FormError` becomes an `InputError` naming the input, the line and the value. */
export function at<T>(name: InputName, line: number | undefined, value: string, parse: () => T): T {
  try {
    return parse()
  } catch (error) {
    if (error instanceof FormError) throw invalid(name, error.expected, error.got ?? show(value), line)
    throw error
  }
}

/**
 * Reads raw inputs and records what is wrong with them, so that one run reports every problem; a bad input reads
 * as its default (or undefined) and reading goes on. A check that depends on another input asks `failed()` first
 * and stays quiet when that input is bad: one mistake, one message.
 */
export class InputReader {
  readonly problems: InputProblem[] = []
  private readonly bad = new Set<InputName>()

  constructor(private readonly source: InputSource) {}

  /** The raw value, trimmed; '' when unset. */
  get(name: InputName): string {
    return this.source.getInput(name).trim()
  }

  /** The parsed value; the fallback when unset or bad (a bad value is recorded). */
  value<T>(name: InputName, fallback: T, parse: (value: string) => T): T {
    return this.optional(name, parse) ?? fallback
  }

  /** The parsed value; undefined when unset or bad (a bad value is recorded). */
  optional<T>(name: InputName, parse: (value: string) => T): T | undefined {
    const value = this.get(name)
    return value === '' ? undefined : this.check(() => at(name, undefined, value, () => parse(value)))
  }

  /** The parsed value; undefined when bad or unset (both recorded: unset as missing, `why` and `expected` say why). */
  required<T>(name: InputName, why: string, expected: string, parse: (value: string) => T): T | undefined {
    if (this.get(name) === '') {
      this.add(missing(name, `required ${why}; expected ${expected}`))
      return undefined
    }
    return this.optional(name, parse)
  }

  /** Each non-blank, non-comment line through `parse`; a bad line is recorded with its number and left out. */
  lines<T>(name: InputName, parse: (line: string, number: number) => T): T[] {
    const values: T[] = []
    for (const { line, number } of contentLines(this.get(name))) {
      const value = this.check(() => at(name, number, line, () => parse(line, number)))
      if (value !== undefined) values.push(value)
    }
    return values
  }

  add(error: InputError): void {
    for (const p of error.problems) {
      this.problems.push(p)
      this.bad.add(p.input)
    }
  }

  /** Runs `read`; its `InputError` is recorded and `undefined` returned, so reading goes on. */
  check<T>(read: () => T): T | undefined {
    try {
      return read()
    } catch (error) {
      if (!(error instanceof InputError)) throw error
      this.add(error)
      return undefined
    }
  }

  /** True when one of `names` had a problem. */
  failed(...names: InputName[]): boolean {
    return names.some((name) => this.bad.has(name))
  }
}

/** What a strategy's reader gets besides the inputs: the environment, a logger (masks, warnings), the YAML parser. */
export interface ReadContext {
  env: NodeJS.ProcessEnv
  log: Logger
  /** Needed when an input names a YAML file (see `yamlFor`). */
  parseYaml?: YamlParse | undefined
}

// ---------------------------------------------------------------------------------------------------------------
// KEY=value lines

export interface EnvPair {
  key: string
  value: string
}

const SECRET_KEY_RE = /(SECRET|PASSWORD|PASSWD|TOKEN|KEY|CREDENTIAL|PRIVATE|AUTH)/i
// Values too common to mask: masking `true` or `1` would blank them in every later log line.
const NOT_SECRET_VALUES = /^(?:true|false|yes|no|on|off|[0-9])$/i

/** Masks the secret parts of a value: all of it under a secret-looking key, and any password inside a URL. */
function maskValue(key: string, value: string, log: Logger): void {
  if (SECRET_KEY_RE.test(key) && value !== '' && !NOT_SECRET_VALUES.test(value)) log.setSecret(value)
  for (const m of value.matchAll(URL_PASSWORD_RE)) {
    const password = m[1] ?? ''
    log.setSecret(password)
    try {
      const decoded = decodeURIComponent(password)
      if (decoded !== password) log.setSecret(decoded)
    } catch {
      // Not percent-encoded: the raw form is already masked.
    }
  }
}

/** What one list of `KEY=value` lines allows beyond variable names, each key once. */
export interface EnvRules {
  /** A key set by the action itself. */
  reserved?: { key: string; why: string }
  /** Values the destination can hold: `problem` says why not (`a value with …`), never showing the value. */
  value?: { form: string; problem(value: string): string | undefined }
}

/**
 * `KEY=value` lines (value may contain `=`); values under secret-looking keys are masked before anything else.
 * Each bad line is a problem of its own.
 */
export function readEnvLines(r: InputReader, name: InputName, log: Logger, rules: EnvRules = {}): EnvPair[] {
  const { reserved } = rules
  const firstLine = new Map<string, number>()
  return r.lines(name, (line, number) => {
    const eq = line.indexOf('=')
    // The line may hold a secret: describe it rather than echo it.
    if (eq < 0) throw invalid(name, 'KEY=value', `a line of ${line.length} characters without '='`, number)
    const key = line.slice(0, eq)
    const value = line.slice(eq + 1)
    maskValue(key, value, log)
    if (!VARIABLE_RE.test(key)) {
      const got = /^[\w.-]{1,64}$/.test(key) ? `key ${show(key)}` : 'a key that is not a variable name'
      throw invalid(name, `KEY=value with KEY ${VARIABLE_FORM}`, got, number)
    }
    const why = rules.value?.problem(value)
    if (rules.value && why)
      throw invalid(name, `KEY=value with ${rules.value.form}`, `a value under ${show(key)} with ${why}`, number)
    if (key === reserved?.key) throw invalid(name, `keys other than ${show(key)} (${reserved.why})`, show(key), number)
    const first = firstLine.get(key)
    if (first !== undefined) throw invalid(name, `each key once`, `${show(key)} again (first on line ${first})`, number)
    firstLine.set(key, number)
    return { key, value }
  })
}

// ---------------------------------------------------------------------------------------------------------------
// Files

const FILE_FORM = 'a readable JSON or YAML file'

function resolvePath(file: string, env: NodeJS.ProcessEnv): string {
  return path.resolve(env.GITHUB_WORKSPACE || process.cwd(), file)
}

/** Parses YAML text: the `yaml` library, loaded only when a file input is YAML (it is 300 KB of code). */
export type YamlParse = (text: string) => unknown

export const isJsonFile = (file: string): boolean => /\.json$/i.test(file)

/** Reads and parses a JSON or YAML file into an object (mapping). */
export function readDocument(
  name: InputName,
  file: string,
  env: NodeJS.ProcessEnv,
  parseYaml: YamlParse | undefined
): Record<string, unknown> {
  const resolved = resolvePath(file, env)
  let text: string
  try {
    text = fs.readFileSync(resolved, 'utf8').replace(/^\uFEFF/, '')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    const reason =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'a directory'
          : code === 'EACCES'
            ? 'no read permission'
            : (code ?? 'unreadable')
    throw invalid(name, FILE_FORM, `${show(file)} (${resolved}: ${reason})`)
  }
  let doc: unknown
  try {
    if (isJsonFile(resolved)) doc = JSON.parse(text)
    else if (parseYaml) doc = parseYaml(text)
    else throw new Error(`${name}: the YAML parser was not loaded (yamlFor)`)
  } catch (error) {
    const first = errorMessage(error).split('\n')[0]?.replace(/:$/, '')
    throw invalid(name, FILE_FORM, `${show(file)} that does not parse (${first})`)
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    throw invalid(
      name,
      `${FILE_FORM} holding an object`,
      `${show(file)} holding ${Array.isArray(doc) ? 'a list' : typeof doc === 'object' ? 'nothing' : `a ${typeof doc}`}`
    )
  }
  return doc as Record<string, unknown>
}
