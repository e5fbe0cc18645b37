/** The post step (runs even when the job was cancelled): finish what the main step left, then clean up. Never fails. */
import fs from 'node:fs'
import { State } from './constants.js'
import { createDefaultDeps, type Deps } from './deps.js'
import { readInputs, yamlFor } from './config.js'
import { createJournal, loadJournal, type JournalBase } from './journal.js'
import { renderSummary } from './publish.js'
import { createStrategy } from './strategy.js'
import { errorMessage } from './error-message.js'

export async function runPost(deps: Deps = createDefaultDeps()): Promise<void> {
  const tempDir = deps.io.getState(State.tempDir) || undefined
  try {
    const saved = loadJournal<JournalBase>(deps.io, tempDir)
    if (saved && saved.done !== true) {
      const config = await readInputs(deps.inputs, deps.env, deps.log, await yamlFor(deps.inputs))
      const strategy = await createStrategy(config, deps)
      const journal = createJournal<JournalBase>(deps.io, tempDir, saved)
      const result = await strategy.recover({ journal, signal: deps.cancel })
      if (result) {
        journal.update({ done: true })
        deps.log.warning(`The main step did not finish; the post step recovered: ${result.message}`)
        await deps.io.appendSummary(renderSummary(config.strategy, result, undefined))
      }
    }
  } catch (error) {
    deps.log.warning(`Post step: ${errorMessage(error)}`)
  } finally {
    if (tempDir) fs.rmSync(tempDir, { recursive: true, force: true })
  }
}
