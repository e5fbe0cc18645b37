/** The side effects `main` and `post` use, and the one factory that builds the real ones. */
import { systemClock } from './clock.js'
import * as runner from './runner.js'
import type { AnnotationProperties, Clock, Logger } from './types.js'

/** Reads one raw input (trimmed; '' when unset). Only `InputReader` (src/inputs/reader.ts) calls it. */
export interface InputSource {
  getInput(name: string): string
}

/** The runner's file commands: outputs, state, summary, failure. */
export interface ActionIO {
  setOutput(name: string, value: string): void
  saveState(name: string, value: string): void
  getState(name: string): string
  /** Appends markdown to the job summary; does nothing when `GITHUB_STEP_SUMMARY` is unset. */
  appendSummary(markdown: string): Promise<void>
  /** Fails the step with one error annotation. */
  setFailed(message: string, properties?: AnnotationProperties): void
}

export interface Deps {
  inputs: InputSource
  env: NodeJS.ProcessEnv
  log: Logger
  clock: Clock
  io: ActionIO
  /** Aborts when the job is cancelled (SIGINT/SIGTERM from the runner). */
  cancel: AbortSignal
  /** Strategy-specific side effects for tests (an SSH connector, AWS clients); absent means the real ones. */
  overrides?: Record<string, unknown>
}

export const runnerLogger: Logger = {
  info: (m) => runner.info(m),
  debug: (m) => runner.issueCommand('debug', m),
  warning: (m) => runner.issueCommand('warning', m),
  error: (m, p) => runner.issueCommand('error', m, runner.annotationProperties(p)),
  notice: (m) => runner.issueCommand('notice', m),
  setSecret: (s) => runner.setSecret(s),
  group: (name, fn) => runner.group(name, fn)
}

export const runnerIO: ActionIO = {
  setOutput: (name, value) => runner.setOutput(name, value),
  saveState: (name, value) => runner.saveState(name, value),
  getState: (name) => runner.getState(name),
  appendSummary: async (markdown) => runner.appendSummary(markdown),
  setFailed: (message, properties) => {
    process.exitCode = 1
    runner.issueCommand('error', message, runner.annotationProperties(properties))
  }
}

/** Wires SIGINT/SIGTERM to an AbortSignal: the runner sends them when the job is cancelled. */
export function cancelOnSignals(log: Logger): AbortSignal {
  const controller = new AbortController()
  const onSignal = (signal: NodeJS.Signals): void => {
    if (!controller.signal.aborted) log.warning(`Received ${signal}: cancelling, recovering what changed`)
    controller.abort(new Error(`Cancelled by ${signal}`))
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  return controller.signal
}

export function createDefaultDeps(): Deps {
  return {
    inputs: { getInput: (name) => runner.getInput(name) },
    env: process.env,
    log: runnerLogger,
    clock: systemClock,
    io: runnerIO,
    cancel: cancelOnSignals(runnerLogger)
  }
}
