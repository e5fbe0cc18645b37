/**
 * Text from hosts and tools made safe to print as plain log lines. The runner reads stdout line by line and runs
 * any line that starts (after leading whitespace) with `::`, or holds the legacy `##[`, as a workflow command.
 */

/** A line break as the runner sees one: `\r\n`, or a bare `\r` or `\n`. */
export const LINE_BREAK = /\r\n|\r|\n/

// Whole escape sequences first (CSI such as colours and cursor moves, then any other ESC pair), so no `[31m`
// debris is left; then every other C0 and C1 control but tab. Colours go too: a colour code inside a secret would
// stop the runner's mask from matching it, and a cursor move could hide text in the log. C1 includes NEL (U+0085),
// which the runner's trim treats as whitespace in front of `::`.
// eslint-disable-next-line no-control-regex
const ESCAPE_SEQUENCE = /\x1b\[[0-?]*[ -/]*[@-~]?|\x1b[@-_]?|\x9b[0-?]*[ -/]*[@-~]?/g
// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/g

// `::error::x` is shown as `: :error::x` and `##[error]` as `# #[error]`: still readable, no longer a command.
// The runner only treats `::` at the start of a line as a command, but finds `##[` anywhere in it.
function plainLine(line: string): string {
  return line
    .replace(ESCAPE_SEQUENCE, '')
    .replace(CONTROL, '')
    .replace(/##\[/g, '# #[')
    .replace(/^(\s*)::/, '$1: :')
}

/**
 * `text` as plain log lines joined by `\n`: each line the runner would see (split on `\r\n`, `\r`, `\n`) has its
 * control characters removed and a workflow command neutralised.
 */
export function toPlainLogText(text: string): string {
  return text.split(LINE_BREAK).map(plainLine).join('\n')
}
