import { toPlainLogText } from '../src/log-text.js'
import { commandLines, HOSTILE_OUTPUT, runnerLines } from './helpers/runner-stdout.js'

describe('toPlainLogText', () => {
  test('the hostile sample holds commands the runner would run, so the checks below can fail', () => {
    expect(commandLines(HOSTILE_OUTPUT)).toHaveLength(10)
  })

  test('no line of hostile host output is a workflow command once made plain', () => {
    const plain = toPlainLogText(HOSTILE_OUTPUT)
    expect(commandLines(plain)).toEqual([])
    expect(plain.match(/INJECTED/g)).toHaveLength(12)
  })

  test.each([
    ['::error title=x::msg', ': :error title=x::msg'],
    ['  ::add-mask::s', '  : :add-mask::s'],
    ['a ##[error]b ##[group]c', 'a # #[error]b # #[group]c'],
    ['x\r::error::y', 'x\n: :error::y'],
    ['x\r\n\r\ny', 'x\n\ny'],
    ['\x1b[1;31mred\x1b[0m text', 'red text'],
    ['a\tb\x00c\x07d\x0be\x7ff\x9b1mg', 'a\tbcdefg'],
    ['keep: colons::inside and a trailing ::', 'keep: colons::inside and a trailing ::'],
    ['', '']
  ])('%j is shown as %j', (text, plain) => {
    expect(toPlainLogText(text)).toBe(plain)
  })

  test('the lines the runner would see are kept, one plain line each', () => {
    expect(runnerLines(toPlainLogText('a\rb\r\nc\nd'))).toEqual(['a', 'b', 'c', 'd'])
  })
})
