import { TailBuffer } from '../../../src/strategies/ssh-rolling/tail-buffer.js'
import { parseScriptOutput } from '../../../src/strategies/ssh-rolling/shell.js'

describe('TailBuffer', () => {
  test('short text is kept whole, nothing dropped', () => {
    const b = new TailBuffer(100)
    b.append('one\n')
    b.append('two\n')
    expect(b.tail()).toBe('one\ntwo\n')
    expect(b.droppedBytes).toBe(0)
    expect(b.totalBytes).toBe(8)
  })

  test('a flood keeps the last characters and the result line, counts what it dropped, and stays small', () => {
    const b = new TailBuffer(1000)
    const line = 'noise noise noise noise noise noise\n'
    for (let i = 0; i < 10_000; i++) {
      b.append(line)
      expect(b.tail().length).toBeLessThanOrEqual(1000)
    }
    const result = '@@RESULT {"ok":true,"state":"healthy"}\n'
    b.append(result)
    expect(b.tail()).toHaveLength(1000)
    expect(b.tail().endsWith(`${line}${result}`)).toBe(true)
    expect(parseScriptOutput(b.tail()).result).toEqual({ ok: true, state: 'healthy' })
    expect(b.totalBytes).toBe(10_000 * line.length + result.length)
    expect(b.droppedBytes).toBe(b.totalBytes - 1000)
  })

  test('one chunk larger than the limit keeps its end', () => {
    const b = new TailBuffer(10)
    b.append(`${'x'.repeat(100)}0123456789`)
    expect(b.tail()).toBe('0123456789')
    expect(b.droppedBytes).toBe(100)
  })

  test('bytes are UTF-8 bytes, and the tail never starts with half a character', () => {
    const b = new TailBuffer(3)
    b.append('é😀😀')
    expect(b.totalBytes).toBe(2 + 4 + 4)
    expect(b.tail()).toBe('😀')
    expect(b.droppedBytes).toBe(6)
  })
})
