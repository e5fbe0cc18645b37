import { redactUrl, urlSecrets } from '../src/redact-url.js'

describe('URLs shown without their secrets', () => {
  test.each([
    ['https://example.com/health', 'https://example.com/health'],
    ['https://u:p%40ss@example.com/h', 'https://u:***@example.com/h'],
    ['http://{host}:8080/h?token=abc&x=&mode=deep#frag', 'http://{host}:8080/h?token=***&x=&mode=***#frag'],
    ['https://user@example.com/h', 'https://user@example.com/h']
  ])('%s → %s', (url, shown) => {
    expect(redactUrl(url)).toBe(shown)
  })

  test('the log masks the password and query values, raw and decoded, but not short words', () => {
    expect(urlSecrets('https://u:p%40ssw0rd@h/x?token=t%2Fk3n&on=1&key=longer-value').sort()).toEqual(
      ['longer-value', 'p%40ssw0rd', 'p@ssw0rd', 't%2Fk3n', 't/k3n'].sort()
    )
  })
})
