import { describe, expect, test } from '@jest/globals'
import { errorMessage } from '../src/error-message.js'

describe('errorMessage', () => {
  const wrapped = new Error('Could not create CodeDeploy deployment', { cause: new Error('AccessDenied') })

  test.each([
    ['an Error', new Error('boom'), {}, 'boom'],
    ['a string', 'plain', {}, 'plain'],
    ['a number', 42, { withCause: true }, '42'],
    ['a cause, not asked for', wrapped, {}, 'Could not create CodeDeploy deployment'],
    ['a cause, asked for', wrapped, { withCause: true }, 'Could not create CodeDeploy deployment: AccessDenied'],
    [
      'a cause the message already carries',
      new Error('Could not connect: timed out', { cause: new Error('timed out') }),
      { withCause: true },
      'Could not connect: timed out'
    ],
    ['a cause that is no Error', new Error('outer', { cause: 'inner' }), { withCause: true }, 'outer']
  ])('%s', (_name, error, options, expected) => {
    expect(errorMessage(error, options)).toBe(expected)
  })
})
