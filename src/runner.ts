/**
 * The runner before the toolkit loads. Importing `@actions/core` costs ~50 ms of a cold start (it brings an HTTP
 * client), so `toolkit.ts` loads it only once the inputs are valid. Until then the action reads inputs and state from
 * the environment and writes, in the toolkit's encoding, only what a start that fails needs: state, masks,
 * annotations. The `Logger` both stages share is built here over either writer.
 */
import { randomUUID } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import { toPlainLogText } from './log-text.js'
import type { Annotation, Logger } from './types.js'

type Env = NodeJS.ProcessEnv

/** An input as `core.getInput` reads it: `INPUT_<NAME>` (upper-cased, spaces as `_`), trimmed; '' when unset. */
export function getInput(name: string, env: Env = process.env): string {
  return (env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim()
}

/** A value the main step saved, as `core.getState` reads it. */
export function getState(name: string, env: Env = process.env): string {
  return env[`STATE_${name}`] ?? ''
}

/** What the action's log uses of `@actions/core` (groups as start and end); the early writer implements the same. */
export type LogSink = Omit<Logger, 'group'> & {
  startGroup(name: string): void
  endGroup(): void
}

/**
 * The action's log over `@actions/core` or the early writer. Host text is data: `info` prints it as plain lines
 * (the toolkit would pass a line starting with `::` on as a command). A multi-line secret (a private key) is also
 * masked line by line, since the runner matches masks within single lines.
 */
export function loggerOver(sink: LogSink): Logger {
  return {
    info: (message) => sink.info(toPlainLogText(message)),
    debug: (message) => sink.debug(message),
    warning: (message, properties) => sink.warning(message, properties),
    error: (message, properties) => sink.error(message, properties),
    notice: (message, properties) => sink.notice(message, properties),
    setSecret: (secret) => {
      if (!secret) return
      sink.setSecret(secret)
      const lines = secret.split(/\r?\n/).map((l) => l.trim())
      if (lines.length > 1) for (const line of lines) if (line.length >= 4) sink.setSecret(line)
    },
    group: async (name, fn) => {
      sink.startGroup(name)
      try {
        return await fn()
      } finally {
        sink.endGroup()
      }
    }
  }
}

function escapeData(value: string): string {
  return value.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')
}

function escapeProperty(value: string): string {
  return escapeData(value).replace(/:/g, '%3A').replace(/,/g, '%2C')
}

/** `::name k=v::message`, with the annotation properties named as the runner reads them (`line`, `col`). */
function issueCommand(name: string, message: string, properties: Annotation & { name?: string } = {}): void {
  const { title, file, startLine: line, endLine, startColumn: col, endColumn, name: key } = properties
  const props = Object.entries({ name: key, title, file, line, endLine, col, endColumn })
    .filter(([, value]) => value !== undefined && value !== '')
    .map(([k, value]) => `${k}=${escapeProperty(String(value))}`)
    .join(',')
  process.stdout.write(`::${name}${props ? ` ${props}` : ''}::${escapeData(message)}${os.EOL}`)
}

/** The writer until the toolkit loads: commands on stdout, state in the `GITHUB_STATE` file. */
export const earlyWriter: LogSink & {
  saveState(name: string, value: string, env?: Env): void
  setFailed(message: string, properties?: Annotation): void
} = {
  info: (message) => process.stdout.write(`${message}${os.EOL}`),
  debug: (message) => issueCommand('debug', message),
  warning: (message, properties) => issueCommand('warning', message, properties),
  error: (message, properties) => issueCommand('error', message, properties),
  notice: (message, properties) => issueCommand('notice', message, properties),
  setSecret: (secret) => issueCommand('add-mask', secret),
  startGroup: (name) => issueCommand('group', name),
  endGroup: () => issueCommand('endgroup', ''),
  saveState: (name, value, env = process.env) => {
    if (!env.GITHUB_STATE) return issueCommand('save-state', value, { name })
    const delimiter = `ghadelimiter_${randomUUID()}`
    if (name.includes(delimiter) || value.includes(delimiter)) throw new Error('Unexpected delimiter in value')
    fs.appendFileSync(env.GITHUB_STATE, `${name}<<${delimiter}${os.EOL}${value}${os.EOL}${delimiter}${os.EOL}`, 'utf8')
  },
  setFailed: (message, properties) => {
    process.exitCode = 1
    issueCommand('error', message, properties)
  }
}
