/**
 * The remote script protocol, shared by the real SSH session and the local test runner:
 * command line `sh -s -- '<arg>'…`, stdin = optional input prologue + script, last stdout line `@@RESULT {json}`.
 */

/** Quotes one value as a single POSIX shell word: `'…'`, with each `'` written as `'\''`. */
export function shellQuote(value: string): string {
  if (value.includes('\0')) throw new Error('A shell argument cannot contain a NUL byte')
  return `'${value.replace(/'/g, `'\\''`)}'`
}

/** The command line for a phase: the script comes on stdin; only harmless arguments appear here (and in `ps`). */
export function remoteCommand(args: readonly string[]): string {
  return ['sh', '-s', '--', ...args.map(shellQuote)].join(' ')
}

/** The shell variable that carries secret input (env values) to a script: set on stdin, never on a command line. */
export const INPUT_VARIABLE = 'DEPLOY_INPUT'

/** The shell variable that names the run a supervised phase belongs to (its records in `.deploy/run/<run>/`). */
export const RUN_VARIABLE = 'DEPLOY_RUN'

/**
 * The text sent on stdin. Input travels as a first line `DEPLOY_INPUT='…'` rather than as a second stdin section:
 * dash and busybox sh read their script ahead in blocks, so a script cannot `read` what follows it on stdin.
 * The variable is not exported, so it reaches neither a child's argv nor its environment. With `runId`, the phase
 * is supervised (lib.sh `supervise`): the sender keeps stdin open until the phase ends.
 */
export function remoteStdin(script: string, input?: string, runId?: string): string {
  const run = runId === undefined ? '' : `${RUN_VARIABLE}=${shellQuote(runId)}\n`
  const prologue = input === undefined ? '' : `${INPUT_VARIABLE}=${shellQuote(input)}\n`
  return `${run}${prologue}${script.endsWith('\n') ? script : `${script}\n`}`
}

export const RESULT_MARKER = '@@RESULT '

/** What a script reported: `ok`, an optional `error`, and phase-specific fields. */
export interface ScriptResult {
  ok: boolean
  error?: string
  [key: string]: unknown
}

/** Splits a script's stdout into the human part and its `@@RESULT` line (the last one wins). */
export function parseScriptOutput(stdout: string): { result?: ScriptResult; text: string } {
  const lines = stdout.split('\n')
  let result: ScriptResult | undefined
  let resultIndex = -1
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = (lines[i] ?? '').replace(/\r$/, '')
    if (!line.startsWith(RESULT_MARKER)) continue
    try {
      const parsed: unknown = JSON.parse(line.slice(RESULT_MARKER.length))
      if (parsed && typeof parsed === 'object' && typeof (parsed as { ok?: unknown }).ok === 'boolean') {
        result = parsed as ScriptResult
        resultIndex = i
      }
    } catch {
      // A garbled result line is reported as a missing result by the caller.
    }
    break
  }
  const kept = resultIndex >= 0 ? lines.filter((_, i) => i !== resultIndex) : lines
  return { ...(result ? { result } : {}), text: kept.join('\n').replace(/\n+$/, '') }
}
