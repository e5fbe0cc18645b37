/** A phase's output stream shown in the job log line by line, host-prefixed, in bounded memory and log space. */
import { LINE_BREAK } from '../../log-text.js'
import type { Logger } from '../../types.js'
import { LOG_LINE_MAX_CHARS, PHASE_LOG_MAX_BYTES } from './limits.js'
import { RESULT_MARKER } from './shell.js'

export interface LineWriter {
  write(text: string): void
  /** Shows the unfinished last line, and how much was not shown. Call once, when the stream has ended. */
  flush(): void
}

/**
 * Shows the first `PHASE_LOG_MAX_BYTES` of a stream as `<prefix><line>` (a bare `\r` ends a line, as for the runner;
 * a line longer than `LOG_LINE_MAX_CHARS` comes in pieces) and counts the rest. The `@@RESULT` line is for the code,
 * not the user.
 */
export function createLineWriter(log: Logger, prefix: string): LineWriter {
  let partial = ''
  let received = 0
  let inResultLine = false

  const show = (piece: string, lineEnds: boolean): void => {
    const hidden = inResultLine || piece.startsWith(RESULT_MARKER)
    inResultLine = hidden && !lineEnds
    if (!hidden && piece.trim()) log.info(`${prefix}${piece}`)
  }

  return {
    write(text) {
      const room = PHASE_LOG_MAX_BYTES - received
      received += Buffer.byteLength(text)
      if (room <= 0) return
      const shown = received > PHASE_LOG_MAX_BYTES ? Buffer.from(text).subarray(0, room).toString() : text
      const lines = (partial + shown).split(LINE_BREAK)
      partial = lines.pop() ?? ''
      for (const line of lines) show(line, true)
      while (partial.length > LOG_LINE_MAX_CHARS) {
        show(partial.slice(0, LOG_LINE_MAX_CHARS), false)
        partial = partial.slice(LOG_LINE_MAX_CHARS)
      }
    },
    flush() {
      if (partial) show(partial, true)
      partial = ''
      const notShown = received - PHASE_LOG_MAX_BYTES
      if (notShown > 0) {
        log.info(
          `${prefix}… ${notShown} more bytes not shown (a phase shows ${PHASE_LOG_MAX_BYTES / 1024 ** 2} MiB per stream)`
        )
      }
    }
  }
}
