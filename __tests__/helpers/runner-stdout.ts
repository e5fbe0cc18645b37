/** A step's stdout as the runner reads it, and host output crafted to slip workflow commands into it. */
import { jest } from '@jest/globals'

/** Host output: each line tries a way to make the runner see a command. */
export const HOSTILE_OUTPUT = [
  'x\r::error title=pwned::INJECTED bare CR',
  'y\r\n::debug::INJECTED CRLF',
  '::add-mask::INJECTED mask',
  '::stop-commands::INJECTED stop',
  '::set-output name=pwned::INJECTED output',
  'pulling ##[error]INJECTED legacy',
  '   ::warning::INJECTED spaces',
  '\t::notice::INJECTED tab',
  '\u00a0::error::INJECTED nbsp',
  '\u0085::error::INJECTED NEL',
  '\x1b[31m::error::INJECTED colour\x1b[0m',
  '\x1b]0;::error::INJECTED OSC\x07'
].join('\n')

/** The lines the runner sees: it splits on `\r\n`, a bare `\r` and `\n`. */
export function runnerLines(stdout: string): string[] {
  return stdout.split(/\r\n|\r|\n/)
}

/**
 * The lines the runner would run as workflow commands: `::` after leading whitespace (.NET's, which includes NEL),
 * or the legacy `##[` anywhere in the line.
 */
export function commandLines(stdout: string): string[] {
  return runnerLines(stdout).filter((line) => /^[\s\u0085]*::/.test(line) || line.includes('##['))
}

/** Records what is written to stdout (and keeps it off the test's own output) until `restore()`. */
export function spyOnStdout(): { text(): string; restore(): void } {
  const chunks: string[] = []
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    chunks.push(String(chunk))
    return true
  })
  return { text: () => chunks.join(''), restore: () => spy.mockRestore() }
}
