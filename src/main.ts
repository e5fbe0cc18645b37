/** The main step: read inputs, run the chosen strategy, publish the result. */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { configView, readInputs, yamlFor, type Config } from './config.js'
import { State } from './constants.js'
import { createStartup, type Deps, type Startup } from './deps.js'
import { errorMessage } from './error-message.js'
import { InputError, type InputProblem } from './inputs/reader.js'
import { createJournal, type JournalBase } from './journal.js'
import { fillSummary, resultOutputs } from './publish.js'
import { createStrategy } from './strategy.js'
import type { DeployResult } from './types.js'

/**
 * Each bad input is its own error annotation, titled with the input's name (and at its line, for a line of a
 * multi-line input); the last one fails the step, so N bad inputs show as N annotations.
 */
function failOnInputs(startup: Startup, problems: readonly InputProblem[]): void {
  problems.forEach((problem, i) => {
    const properties = { title: problem.input, ...(problem.line === undefined ? {} : { startLine: problem.line }) }
    if (i < problems.length - 1) startup.log.error(problem.message, properties)
    else startup.io.setFailed(problem.message, properties)
  })
}

/** A private temp folder for this run (journal copy, key material never goes here); the post step removes it. */
function makeTempDir(deps: Deps): string {
  const base = deps.env.RUNNER_TEMP || os.tmpdir()
  const dir = fs.mkdtempSync(path.join(base, 'deploy-action-'))
  fs.chmodSync(dir, 0o700)
  deps.io.saveState(State.tempDir, dir)
  return dir
}

export async function run(startup: Startup = createStartup()): Promise<void> {
  startup.io.saveState(State.isPost, 'true')
  let config: Config | undefined
  let deps: Deps | undefined
  let result: DeployResult | undefined
  try {
    config = await readInputs(startup.inputs, startup.env, startup.log, await yamlFor(startup.inputs))
    const ready = (deps = await startup.load())
    const strategy = await createStrategy(config, ready)
    const journal = createJournal<JournalBase>(ready.io, makeTempDir(ready), { done: false })
    result = await strategy.deploy({
      journal,
      signal: ready.cancel,
      setOutput: (name, value) => ready.io.setOutput(name, value)
    })
    journal.update({ done: true })
    for (const [name, value] of Object.entries(resultOutputs(config.strategy, result))) {
      ready.io.setOutput(name, value ?? '')
    }
    if (result.status === 'succeeded' || result.status === 'planned') ready.log.notice(result.message)
    else ready.io.setFailed(result.message)
  } catch (error) {
    if (error instanceof InputError) failOnInputs(startup, error.problems)
    else (deps ?? startup).io.setFailed(errorMessage(error, { withCause: true }))
  } finally {
    if (deps && config && result) {
      const [strategy, published, view] = [config.strategy, result, configView(config)]
      try {
        await deps.io.appendSummary((summary) => fillSummary(summary, strategy, published, view))
      } catch (error) {
        deps.log.warning(`Could not write the job summary: ${errorMessage(error, { withCause: true })}`)
      }
    }
  }
}
