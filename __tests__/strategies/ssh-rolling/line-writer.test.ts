import { createLineWriter } from '../../../src/strategies/ssh-rolling/line-writer.js'
import { LOG_LINE_MAX_CHARS, PHASE_LOG_MAX_BYTES } from '../../../src/strategies/ssh-rolling/limits.js'
import { recordingLogger } from '../../helpers/fake-deps.js'

function written(...chunks: string[]): string[] {
  const log = recordingLogger()
  const w = createLineWriter(log, '[h1] ')
  for (const chunk of chunks) w.write(chunk)
  w.flush()
  return log.entries.map((e) => e.message)
}

describe('createLineWriter', () => {
  test('lines end at \\n, \\r\\n and a bare \\r, across chunks; blank lines and the result line are not shown', () => {
    expect(written('one\ntw', 'o\r\nthree\r', '\nfour\rfive\n\n@@RESULT {"ok":true}\nsix')).toEqual([
      '[h1] one',
      '[h1] two',
      '[h1] three',
      '[h1] four',
      '[h1] five',
      '[h1] six'
    ])
  })

  test('a bare \\r cannot put a command at the start of a log line: it starts a prefixed line', () => {
    expect(written('x\r::error title=pwned::INJECTED\n')).toEqual(['[h1] x', '[h1] ::error title=pwned::INJECTED'])
  })

  test('a line without a break is shown in pieces, so the held text stays bounded', () => {
    const log = recordingLogger()
    const w = createLineWriter(log, '')
    for (let i = 0; i < 10; i++) w.write('y'.repeat(LOG_LINE_MAX_CHARS / 2 + 1))
    expect(log.entries.map((e) => e.message.length)).toEqual(Array(5).fill(LOG_LINE_MAX_CHARS))
    w.flush()
    expect(log.entries.map((e) => e.message)).toEqual([
      ...Array(5).fill('y'.repeat(LOG_LINE_MAX_CHARS)),
      'y'.repeat(10)
    ])
  })

  test('a long result line is hidden in all its pieces', () => {
    expect(written(`@@RESULT {"ok":true,"x":"${'z'.repeat(3 * LOG_LINE_MAX_CHARS)}"}\nafter\n`)).toEqual(['[h1] after'])
  })

  test('a flood shows the first PHASE_LOG_MAX_BYTES and then one line with how much was not shown', () => {
    const line = `${'flood '.repeat(15)}\n`
    const chunk = line.repeat(1000)
    const lines = written(...Array<string>(50).fill(chunk))
    const shown = lines.slice(0, -1)
    expect(shown.map((l) => l.slice('[h1] '.length)).join('\n').length).toBeLessThanOrEqual(PHASE_LOG_MAX_BYTES)
    expect(shown.length).toBeGreaterThan(PHASE_LOG_MAX_BYTES / line.length - 2)
    expect(lines.at(-1)).toBe(
      `[h1] … ${50 * chunk.length - PHASE_LOG_MAX_BYTES} more bytes not shown (a phase shows 1 MiB per stream)`
    )
  })
})
