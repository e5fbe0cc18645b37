/**
 * The runner through the GitHub Actions toolkit: `@actions/core` for the log, outputs, state and job summary,
 * `@actions/github`'s `context` for who runs the deploy. Loaded once the inputs are valid (see runner.ts).
 */
import type * as Core from '@actions/core'
import type { context as GithubContext } from '@actions/github'
import type { ActionIO, RunIdentity } from './deps.js'
import { loggerOver } from './runner.js'
import type { Logger } from './types.js'

export type CoreModule = typeof Core

/** The job summary builder (`core.summary`). */
export type SummaryBuilder = typeof Core.summary

export interface Toolkit {
  log: Logger
  io: ActionIO
  identity: RunIdentity
}

/** Outputs and state in the runner's files, the summary through `core.summary`, a failure as an error annotation. */
export function coreIO(core: CoreModule): ActionIO {
  return {
    setOutput: (name, value) => core.setOutput(name, value),
    saveState: (name, value) => core.saveState(name, value),
    getState: (name) => core.getState(name),
    appendSummary: async (fill) => {
      if (!process.env.GITHUB_STEP_SUMMARY) return
      fill(core.summary.emptyBuffer())
      await core.summary.write()
    },
    setFailed: (message, properties) => {
      process.exitCode = core.ExitCode.Failure
      core.error(message, properties)
    }
  }
}

type Context = Pick<
  typeof GithubContext,
  'repo' | 'runId' | 'runAttempt' | 'actor' | 'sha' | 'ref' | 'workflow' | 'serverUrl'
>

/** The run as `context` describes it; fields the runner did not set are left out (a local run has none). */
export function runIdentity(context: Context, env: NodeJS.ProcessEnv = process.env): RunIdentity {
  let repository: string | undefined
  try {
    repository = `${context.repo.owner}/${context.repo.repo}`
  } catch {
    // `context.repo` throws without GITHUB_REPOSITORY or an event payload naming the repository.
  }
  const runId = Number.isInteger(context.runId) ? context.runId : undefined
  const runAttempt = Number.isInteger(context.runAttempt) ? context.runAttempt : undefined
  const identity: RunIdentity = { actor: context.actor || env.USER || 'unknown' }
  if (repository) identity.repository = repository
  if (runId !== undefined) identity.runId = runId
  if (runAttempt !== undefined) identity.runAttempt = runAttempt
  if (context.sha) identity.sha = context.sha
  if (context.ref) identity.ref = context.ref
  if (context.workflow) identity.workflow = context.workflow
  if (repository && runId !== undefined) {
    const attempt = runAttempt !== undefined && runAttempt > 1 ? `/attempts/${runAttempt}` : ''
    identity.runUrl = `${context.serverUrl}/${repository}/actions/runs/${runId}${attempt}`
  }
  return identity
}

/** Imports the toolkit (both packages at once) and builds the log, the runner IO and the run identity over it. */
export async function loadToolkit(): Promise<Toolkit> {
  const [core, github] = await Promise.all([import('@actions/core'), import('@actions/github')])
  return { log: loggerOver(core), io: coreIO(core), identity: runIdentity(github.context) }
}
