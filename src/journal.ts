/**
 * The journal: what has changed so far, saved the moment it changes, for the post step. Each update is one line
 * appended to a private file (the patch, not the whole record), so a run writes O(hosts) bytes in all and the post
 * step replays the lines; without a private folder the whole record goes to action state instead.
 */
import fs from 'node:fs'
import path from 'node:path'
import { State } from './constants.js'
import type { ActionIO } from './deps.js'
import type { Journal } from './types.js'

const FILE = 'journal.jsonl'

/** Fields every journal has; strategies add their own. */
export interface JournalBase {
  /** Set by `main` once the strategy returned: the post step has nothing left to finish. */
  done: boolean
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** `patch` merged into `base`: objects key by key, all else (arrays too) replaced. */
export function mergePatch<T extends object>(base: Partial<T>, patch: Partial<T>): Partial<T> {
  const merged: Record<string, unknown> = { ...base }
  for (const [key, value] of Object.entries(patch)) {
    const old = merged[key]
    merged[key] = isPlainObject(old) && isPlainObject(value) ? mergePatch(old, value) : value
  }
  return merged as Partial<T>
}

export function createJournal<T extends object>(
  io: ActionIO,
  tempDir: string | undefined,
  initial: Partial<T> = {}
): Journal<T> {
  let data: Partial<T> = { ...initial }
  const file = tempDir ? path.join(tempDir, FILE) : undefined
  return {
    update(patch) {
      data = mergePatch(data, patch)
      if (file) fs.appendFileSync(file, `${JSON.stringify(patch)}\n`, { mode: 0o600 })
      else io.saveState(State.journal, JSON.stringify(data))
    },
    read: () => data
  }
}

/**
 * Reads the journal the main step left: the private file's patches replayed in order (a last line cut short by a
 * kill is ignored), else the record in action state.
 */
export function loadJournal<T extends object>(io: ActionIO, tempDir: string | undefined): Partial<T> | undefined {
  let text: string | undefined
  try {
    text = tempDir ? fs.readFileSync(path.join(tempDir, FILE), 'utf8') : undefined
  } catch {
    text = undefined
  }
  if (text) {
    let data: Partial<T> | undefined
    for (const line of text.split('\n')) {
      if (!line) continue
      try {
        data = mergePatch(data ?? {}, JSON.parse(line) as Partial<T>)
      } catch {
        break
      }
    }
    return data
  }
  const fromState = io.getState(State.journal)
  if (!fromState) return undefined
  try {
    return JSON.parse(fromState) as Partial<T>
  } catch {
    return undefined
  }
}
