/** A fake `verify-command` runner: records each run and answers with the next scripted exit code and output. */
import type { CommandRun, CommandRunner } from '../../src/command-runner.js'

export interface ScriptedCommand {
  exitCode: number
  lines?: string[]
}

export function fakeCommands(results: ScriptedCommand[] = []): CommandRunner & { runs: CommandRun[] } {
  const runs: CommandRun[] = []
  const runner = async (_command: string, run: CommandRun) => {
    runs.push(run)
    const result = results[runs.length - 1] ?? { exitCode: 0 }
    for (const line of result.lines ?? []) run.onLine(line)
    return { exitCode: result.exitCode }
  }
  return Object.assign(runner, { runs })
}
