/**
 * Runs a shell command on the runner through `@actions/exec` (imported on first use), in a process group of its own
 * so that stopping it (timeout, cancelled job) stops everything it started, not only the shell.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

export interface CommandRun {
  /** The whole environment of the command (nothing else is inherited). */
  env: Record<string, string>
  /** Each line of stdout and stderr, as it comes. */
  onLine(line: string): void
  /** Aborting stops the command: SIGTERM to its process group, SIGKILL after `KILL_GRACE_MS`. */
  signal: AbortSignal
}

/** How the command ended: its exit code (a stopped command's shell reports 128 + the signal). */
export interface CommandEnd {
  exitCode: number
}

export type CommandRunner = (command: string, run: CommandRun) => Promise<CommandEnd>

const KILL_GRACE_MS = 3000

// `set -m` puts the background job in a process group of its own (bash does this without a terminal, unlike dash),
// and is turned off again so no job notices reach the output; the job's pid, the group's id, goes to the file named
// by $2. The command is $1, never spliced into the script. `--norc`: bash reads ~/.bashrc when stdin is a socket,
// as Node's pipes are.
const GROUP_WRAPPER = 'set -m; bash --norc -c "$1" & set +m; echo "$!" > "$2"; wait "$!"'

function signalGroup(pidFile: string, signal: NodeJS.Signals): boolean {
  let pid: number
  try {
    pid = Number(fs.readFileSync(pidFile, 'utf8').trim())
  } catch {
    return false
  }
  if (!Number.isInteger(pid) || pid <= 1) return false
  try {
    process.kill(-pid, signal)
  } catch {
    // ESRCH: the group has already exited.
  }
  return true
}

/** Stops the command's process group: SIGTERM now (once its pid is known), SIGKILL after the grace period. */
function stopGroup(pidFile: string, done: Promise<unknown>): void {
  let finished = false
  void done.finally(() => (finished = true))
  const term = (): void => {
    if (finished) return
    // The wrapper writes the pid right after starting the command: wait for it rather than miss it.
    if (!signalGroup(pidFile, 'SIGTERM')) return void setTimeout(term, 20).unref()
    setTimeout(() => finished || signalGroup(pidFile, 'SIGKILL'), KILL_GRACE_MS).unref()
  }
  term()
}

/** The real runner: `bash` through `@actions/exec`, output by lines, the process group stopped on abort. */
export const execCommand: CommandRunner = async (command, { env, onLine, signal }) => {
  const { exec } = await import('@actions/exec')
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'deploy-action-verify-'))
  const pidFile = path.join(dir, 'pid')
  try {
    const running = exec('bash', ['--norc', '-c', GROUP_WRAPPER, 'verify-command', command, pidFile], {
      env,
      silent: true,
      ignoreReturnCode: true,
      listeners: { stdline: onLine, errline: onLine }
    })
    const stop = (): void => stopGroup(pidFile, running)
    if (signal.aborted) stop()
    else signal.addEventListener('abort', stop, { once: true })
    try {
      return { exitCode: await running }
    } finally {
      signal.removeEventListener('abort', stop)
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}
