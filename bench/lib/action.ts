/**
 * Runs the bundled action (`dist/index.js`) on Node 24 as the GitHub runner does — inputs as `INPUT_*`, the file
 * commands, then the post step with the saved state — while measuring each step (wall, CPU, peak RSS).
 * The test harness (`__tests__/harness/run-action.ts`) does the same without the measurements.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {
  baseEnv,
  commandMessages,
  DIST_ENTRY,
  inputEnv,
  node24,
  parseFileCommands,
  runnerEnv as runnerVariables,
  stepFiles
} from '../../__tests__/harness/run-action.js'
import { measureProcess, type Contact, type Measured } from './proc.js'

export interface StepRun extends Measured {
  outputs: Record<string, string>
  state: Record<string, string>
  /** `::error::` lines, unescaped. */
  errors: string[]
}

export interface ActionOptions {
  inputs: Record<string, string>
  env?: Record<string, string>
  timeoutMs?: number
  /** Run the post step too (with the state the main step saved). */
  post?: boolean
  /** See `MeasureOptions.contact`: the main step is killed at the first remote contact. */
  contact?: Promise<Contact>
  onStdout?: (chunk: string) => void
}

export interface ActionRun {
  main: StepRun
  post?: StepRun
}

export { inputEnv }

const errorsOf = (stdout: string): string[] => commandMessages(stdout, 'error')

/** A work folder with the runner's environment: workspace, temp dir and the file commands of one step. */
export function runnerEnv(workDir: string, step: string): Record<string, string> {
  const files = stepFiles(workDir, step)
  for (const dir of ['runner-temp', 'workspace']) fs.mkdirSync(path.join(workDir, dir), { recursive: true })
  return { ...baseEnv(), ...runnerVariables(workDir), ...files }
}

async function step(
  workDir: string,
  name: 'main' | 'post',
  env: Record<string, string>,
  options: ActionOptions
): Promise<StepRun> {
  const full = { ...runnerEnv(workDir, name), ...env }
  const measured = await measureProcess(node24(), [DIST_ENTRY], {
    env: full,
    cwd: full.GITHUB_WORKSPACE as string,
    timeoutMs: options.timeoutMs ?? 300_000,
    ...(name === 'main' && options.contact ? { contact: options.contact } : {}),
    ...(name === 'main' && options.onStdout ? { onStdout: options.onStdout } : {})
  })
  return {
    ...measured,
    outputs: parseFileCommands(fs.readFileSync(full.GITHUB_OUTPUT as string, 'utf8')),
    state: parseFileCommands(fs.readFileSync(full.GITHUB_STATE as string, 'utf8')),
    errors: errorsOf(measured.stdout)
  }
}

/** Runs main (and post when asked) once, measured; removes its work folder afterwards. */
export async function runActionMeasured(options: ActionOptions): Promise<ActionRun> {
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-action-'))
  try {
    const env = { ...inputEnv(options.inputs), ...(options.env ?? {}) }
    const main = await step(workDir, 'main', env, options)
    if (!options.post) return { main }
    const stateEnv: Record<string, string> = {}
    for (const [name, value] of Object.entries(main.state)) stateEnv[`STATE_${name}`] = value
    const post = await step(workDir, 'post', { ...env, ...stateEnv }, options)
    return { main, post }
  } finally {
    fs.rmSync(workDir, { recursive: true, force: true })
  }
}
