/** The journal: what has changed so far, saved as action state (and to a private file) the moment it changes. */
import fs from 'node:fs'
import path from 'node:path'
import { State } from './constants.js'
import type { ActionIO } from './deps.js'
import type { Journal } from './types.js'

const FILE = 'journal.json'

/** Fields every journal has; strategies add their own. */
export interface JournalBase {
  /** Set by `main` once the strategy returned: the post step has nothing left to finish. */
  done: boolean
}

export function createJournal<T extends object>(
  io: ActionIO,
  tempDir: string | undefined,
  initial: Partial<T> = {}
): Journal<T> {
  let data: Partial<T> = { ...initial }
  const persist = (): void => {
    const text = JSON.stringify(data)
    io.saveState(State.journal, text)
    if (tempDir) fs.writeFileSync(path.join(tempDir, FILE), text, { mode: 0o600 })
  }
  return {
    update(patch) {
      data = { ...data, ...patch }
      persist()
    },
    read: () => data
  }
}

/** Reads the journal the main step left: action state first, then the private file (if state was not saved). */
export function loadJournal<T extends object>(io: ActionIO, tempDir: string | undefined): Partial<T> | undefined {
  const fromState = io.getState(State.journal)
  let text = fromState
  if (!text && tempDir) {
    try {
      text = fs.readFileSync(path.join(tempDir, FILE), 'utf8')
    } catch {
      return undefined
    }
  }
  if (!text) return undefined
  try {
    return JSON.parse(text) as Partial<T>
  } catch {
    return undefined
  }
}
