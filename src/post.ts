/** The post step (runs even when the job was cancelled): finish what the main step left, then clean up. Never fails. */
import fs from 'node:fs'
import { State } from './constants.js'
import { createStartup, type Startup } from './deps.js'
import { readInputs, yamlFor } from './config.js'
import { createJournal, loadJournal, type JournalBase } from './journal.js'
import { fillSummary } from './publish.js'
import { createStrategy } from './strategy.js'
import { errorMessage } from './error-message.js'

export async function runPost(startup: Startup = createStartup()): Promise<void> {
  const tempDir = startup.io.getState(State.tempDir) || undefined
  let log = startup.log
  try {
    const saved = loadJournal<JournalBase>(startup.io, tempDir)
    if (saved && saved.done !== true) {
      const config = await readInputs(startup.inputs, startup.env, startup.log, await yamlFor(startup.inputs))
      const deps = await startup.load()
      log = deps.log
      const strategy = await createStrategy(config, deps)
      const journal = createJournal<JournalBase>(deps.io, tempDir, saved)
      const result = await strategy.recover({ journal, signal: deps.cancel })
      if (result) {
        journal.update({ done: true })
        deps.log.warning(`The main step did not finish; the post step recovered: ${result.message}`)
        await deps.io.appendSummary((summary) => fillSummary(summary, config.strategy, result, undefined))
      }
    }
  } catch (error) {
    log.warning(`Post step: ${errorMessage(error)}`)
  } finally {
    if (tempDir) fs.rmSync(tempDir, { recursive: true, force: true })
  }
}
