import { formatDuration, formatSeconds } from '../src/duration.js'

describe('durations in words', () => {
  test.each([
    [0, '0 ms'],
    [250.4, '250 ms'],
    [4_240, '4.2 s'],
    [61_000, '1 min 1 s'],
    [185_400, '3 min 5 s']
  ])('formatDuration(%d) is %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text)
  })

  test.each([
    [300, '0.3 s'],
    [1_500, '1.5 s'],
    [2_000, '2 s'],
    [9_960, '10 s'],
    [12_345, '12 s'],
    [600_000, '600 s']
  ])('formatSeconds(%d) is %s', (ms, text) => {
    expect(formatSeconds(ms)).toBe(text)
  })
})
