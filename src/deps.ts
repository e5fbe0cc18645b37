/** The side effects `main` and `post` use, and the one factory that builds the real ones. */
import { systemClock } from './clock.js'
import type { CommandRunner } from './command-runner.js'
import { earlyWriter, getInput, getState, loggerOver } from './runner.js'
import type { SummaryBuilder } from './toolkit.js'
import type { CodeDeployClient } from '@aws-sdk/client-codedeploy'
import type { ECSClient } from '@aws-sdk/client-ecs'
import type { SshConnector } from './strategies/ssh-rolling/connection.js'
import type { HttpGet } from './strategies/ssh-rolling/context.js'
import type { Annotation, Clock, Logger } from './types.js'

/** Reads one raw input (trimmed; '' when unset). Only `inputs.ts` calls it. */
export interface InputSource {
  getInput(name: string): string
}

/** The runner's file commands: outputs, state, summary, failure. */
export interface ActionIO {
  setOutput(name: string, value: string): void
  saveState(name: string, value: string): void
  getState(name: string): string
  /** Writes the job summary `fill` builds; does nothing when `GITHUB_STEP_SUMMARY` is unset. */
  appendSummary(fill: (summary: SummaryBuilder) => void): Promise<void>
  setFailed(message: string, properties?: Annotation): void
}

/** Who runs this deploy, from `@actions/github`'s `context`; what the runner did not set is absent. */
export interface RunIdentity {
  /** `owner/name`. */
  repository?: string
  runId?: number
  runAttempt?: number
  actor: string
  /** The commit the workflow runs on, and its ref (`refs/heads/main`, `refs/tags/v1`). */
  sha?: string
  ref?: string
  workflow?: string
  /** The run's page, with the attempt when it is not the first. */
  runUrl?: string
}

export interface Deps {
  inputs: InputSource
  env: NodeJS.ProcessEnv
  log: Logger
  clock: Clock
  io: ActionIO
  /** Aborts when the job is cancelled (SIGINT/SIGTERM from the runner). */
  cancel: AbortSignal
  identity: RunIdentity
  /** Runs `verify-command` on the runner; absent means the real one (`execCommand`). */
  runCommand?: CommandRunner
  /** Strategy-specific side effects for tests; absent means the real ones. */
  overrides?: StrategyDoubles
}

/** The side effects a strategy builds for itself, which a test may put in its place (type imports only: no cost). */
export interface StrategyDoubles {
  /** ssh-rolling's SSH connections. */
  sshConnector?: SshConnector
  /** ssh-rolling's `health-check-url` probe. */
  httpGet?: HttpGet
  /** The ECS strategies' ECS client. */
  ecs?: ECSClient
  /** The CodeDeploy client of the blue/green path. */
  codedeploy?: CodeDeployClient
}

/**
 * A step before the toolkit loads: enough to read and check the inputs, mask secrets, save state and fail, so a bad
 * input fails without paying for the toolkit. `load()` brings the rest.
 */
export interface Startup {
  inputs: InputSource
  env: NodeJS.ProcessEnv
  log: Logger
  /** State and failure only: outputs and the summary wait for the toolkit. */
  io: ActionIO
  load(): Promise<Deps>
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

function beforeToolkit(what: string): never {
  throw new Error(`${what} needs the toolkit: call load() first`)
}

export function createStartup(env: NodeJS.ProcessEnv = process.env): Startup {
  const inputs: InputSource = { getInput: (name) => getInput(name, env) }
  return {
    inputs,
    env,
    log: loggerOver(earlyWriter),
    io: {
      setOutput: () => beforeToolkit('An output'),
      saveState: (name, value) => earlyWriter.saveState(name, value, env),
      getState: (name) => getState(name, env),
      appendSummary: async () => beforeToolkit('The job summary'),
      setFailed: (message, properties) => earlyWriter.setFailed(message, properties)
    },
    load: async () => {
      const { loadToolkit } = await import('./toolkit.js')
      const { log, io, identity } = await loadToolkit()
      return { inputs, env, log, clock: systemClock, io, cancel: cancelOnSignals(log), identity }
    }
  }
}
