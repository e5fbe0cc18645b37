/** Pure pieces: shell quoting and framing, result lines, batches, .env lines, the generated scripts module. */
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { batchCount, planBatches } from '../../../src/strategies/ssh-rolling/batches.js'
import { envLines, envValueProblem, formatEnvLine } from '../../../src/strategies/ssh-rolling/dotenv.js'
import { healthUrl } from '../../../src/strategies/ssh-rolling/health.js'
import { describeLockOwner } from '../../../src/strategies/ssh-rolling/preflight.js'
import { REMOTE_SCRIPTS } from '../../../src/strategies/ssh-rolling/remote/scripts.gen.js'
import { SCRIPTS } from '../../../src/strategies/ssh-rolling/scripts.js'
import { parseScriptOutput, remoteCommand, remoteStdin, shellQuote } from '../../../src/strategies/ssh-rolling/shell.js'

const NASTY = [
  '',
  'plain',
  'with space',
  "it's",
  "''",
  "'\\''",
  '"double"',
  '$(touch /tmp/pwned-by-quote)',
  '`id`',
  '$HOME ${HOME} $1 $@',
  'back\\slash\\',
  'new\nline',
  '*',
  '-n',
  '--',
  '; rm -rf / #',
  'tab\there',
  'ünïcødé ✓',
  '!history'
]

describe('shellQuote', () => {
  test('every value comes back byte-exact as one argument through sh -c', () => {
    const out = execFileSync('sh', ['-c', `printf '%s\\0' ${NASTY.map(shellQuote).join(' ')}`], { encoding: 'utf8' })
    expect(out.split('\0').slice(0, -1)).toEqual(NASTY)
    expect(fs.existsSync('/tmp/pwned-by-quote')).toBe(false)
  })

  test('quotes with single quotes only', () => {
    expect(shellQuote("a'b")).toBe(`'a'\\''b'`)
    expect(shellQuote('')).toBe("''")
  })

  test('refuses a NUL byte, which no argument can carry', () => {
    expect(() => shellQuote('a\0b')).toThrow('A shell argument cannot contain a NUL byte')
  })

  test('remoteCommand is sh -s -- with each argument quoted; arguments arrive as positional parameters', () => {
    expect(remoteCommand(['/srv/app', "x'y"])).toBe(`sh -s -- '/srv/app' 'x'\\''y'`)
    const script = 'for a in "$@"; do printf "%s\\0" "$a"; done\n'
    const out = execFileSync('sh', ['-c', remoteCommand(NASTY)], { input: remoteStdin(script), encoding: 'utf8' })
    expect(out.split('\0').slice(0, -1)).toEqual(NASTY)
  })

  test('remoteStdin puts input in DEPLOY_INPUT before the script, not exported', () => {
    const value = "s3cret 'quoted' $(id)\nline2"
    const stdin = remoteStdin('printf "%s|" "$DEPLOY_INPUT"; env | grep -c DEPLOY_INPUT\n', value)
    expect(stdin.startsWith(`DEPLOY_INPUT='s3cret '\\''quoted'\\'' $(id)\nline2'\n`)).toBe(true)
    const out = execFileSync('sh', ['-c', 'sh -s || true'], { input: stdin, encoding: 'utf8' })
    expect(out).toBe(`${value}|0\n`)
    expect(remoteStdin('echo hi')).toBe('echo hi\n')
  })
})

describe('parseScriptOutput', () => {
  test('takes the last @@RESULT line and returns the rest as text', () => {
    const out = 'pulling\n@@RESULT {"ok":false}\nmore\n@@RESULT {"ok":true,"dir":"/x"}\n'
    expect(parseScriptOutput(out)).toEqual({
      result: { ok: true, dir: '/x' },
      text: 'pulling\n@@RESULT {"ok":false}\nmore'
    })
  })

  test.each([
    ['no result line', 'just output\n'],
    ['a garbled result', 'x\n@@RESULT {"ok":tru\n'],
    ['a result without ok', '@@RESULT {"dir":"/x"}\n'],
    ['a result that is not an object', '@@RESULT 42\n']
  ])('%s gives no result', (_, out) => {
    expect(parseScriptOutput(out).result).toBeUndefined()
  })

  test('tolerates CRLF', () => {
    expect(parseScriptOutput('a\r\n@@RESULT {"ok":true}\r\n').result).toEqual({ ok: true })
  })
})

describe('planBatches', () => {
  const hosts = ['a', 'b', 'c', 'd', 'e', 'f', 'g']

  test.each([
    [{ kind: 'count', value: 2 }, undefined, [['a', 'b'], ['c', 'd'], ['e', 'f'], ['g']]],
    [{ kind: 'count', value: 10 }, undefined, [hosts]],
    [{ kind: 'count', value: 0 }, undefined, hosts.map((h) => [h])],
    [{ kind: 'percent', value: 25 }, undefined, [['a', 'b'], ['c', 'd'], ['e', 'f'], ['g']]],
    [{ kind: 'percent', value: 1 }, undefined, hosts.map((h) => [h])],
    [{ kind: 'percent', value: 100 }, undefined, [hosts]],
    [{ kind: 'count', value: 3 }, { kind: 'count', value: 1 }, [['a'], ['b', 'c', 'd'], ['e', 'f', 'g']]],
    [{ kind: 'percent', value: 50 }, { kind: 'percent', value: 10 }, [['a'], ['b', 'c', 'd', 'e'], ['f', 'g']]],
    [{ kind: 'count', value: 2 }, { kind: 'count', value: 9 }, [hosts]]
  ] as const)('batch %j, first %j', (size, first, expected) => {
    expect(planBatches(hosts, size, first)).toEqual(expected)
  })

  test('no hosts, no batches; every host exactly once', () => {
    expect(planBatches([], { kind: 'count', value: 2 }, { kind: 'count', value: 1 })).toEqual([])
    expect(planBatches(hosts, { kind: 'percent', value: 33 }).flat()).toEqual(hosts)
  })

  test('percent rounds up, at least one', () => {
    expect(batchCount({ kind: 'percent', value: 10 }, 3)).toBe(1)
    expect(batchCount({ kind: 'percent', value: 34 }, 3)).toBe(2)
    expect(batchCount({ kind: 'percent', value: 50 }, 5)).toBe(3)
  })
})

describe('.env lines', () => {
  test.each([
    ['plain', 'reg.example.com:5000/app:1.2@sha256:abc', 'K=reg.example.com:5000/app:1.2@sha256:abc'],
    ['empty', '', 'K='],
    ['spaces and #', 'a b # c', "K='a b # c'"],
    ['$ and backslash', 'p$a\\ss', "K='p$a\\ss'"],
    ['double quote', 'say "hi"', `K='say "hi"'`],
    ['single quote', "it's", `K="it's"`],
    ['single quote, spaces and #', "it's #1", `K="it's #1"`]
  ])('%s', (_, value, line) => {
    expect(envValueProblem(value)).toBeUndefined()
    expect(formatEnvLine('K', value)).toBe(line)
  })

  const unwritable = (why: string): string =>
    `env 'K': a value with ${why} cannot be written to .env so that compose v1 and v2 read it the same`
  test.each([
    ['line break', 'K', 'a\nb', unwritable('a line break or NUL character')],
    ['NUL', 'K', 'a\u0000b', unwritable('a line break or NUL character')],
    ['bad name', '1K', 'x', "env '1K': a variable name is letters, digits and _ (not starting with a digit)"],
    ["' with $", 'K', "it's $5", unwritable('a single quote and one of " \\ $ `')],
    ["' with `", 'K', "it's `id`", unwritable('a single quote and one of " \\ $ `')],
    ['double backslash', 'K', 'C:\\\\srv', unwritable('two backslashes in a row, or ending in one')],
    ['trailing backslash', 'K', 'dir\\', unwritable('two backslashes in a row, or ending in one')]
  ])('refuses a %s without showing the value', (_, key, value, message) => {
    expect(() => formatEnvLine(key, value)).toThrow(message)
  })

  test('the image variable comes last and wins over an env pair of the same name', () => {
    expect(
      envLines(
        [
          { key: 'A', value: '1' },
          { key: 'IMAGE', value: 'x' }
        ],
        'IMAGE',
        'reg/app:2'
      )
    ).toEqual(['A=1', 'IMAGE=reg/app:2'])
  })
})

describe('small helpers', () => {
  test('healthUrl puts the host in, with brackets for IPv6', () => {
    expect(healthUrl('http://{host}:8080/up', '10.0.0.5')).toBe('http://10.0.0.5:8080/up')
    expect(healthUrl('http://{host}/up?h={host}', '2001:db8::1')).toBe('http://[2001:db8::1]/up?h=[2001:db8::1]')
  })

  test('describeLockOwner reads owner.json and survives a broken one', () => {
    expect(describeLockOwner(JSON.stringify({ runUrl: 'u', actor: 'a', startedAt: 's', expiresAt: 'e' }))).toBe(
      'run u (by a, since s, expires e)'
    )
    expect(describeLockOwner('')).toBe('an unknown owner (no owner.json)')
    expect(describeLockOwner('{oops')).toBe('an owner with an unreadable owner.json: {oops')
  })
})

describe('generated remote scripts', () => {
  const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../src/strategies/ssh-rolling/remote')

  test('scripts.gen.ts holds exactly the .sh files (run `npm run gen:remote` after editing one)', () => {
    const files = Object.fromEntries(
      fs
        .readdirSync(dir)
        .filter((f) => f.endsWith('.sh'))
        .map((f) => [path.basename(f, '.sh'), fs.readFileSync(path.join(dir, f), 'utf8')])
    )
    expect(REMOTE_SCRIPTS).toEqual(files)
  })

  test('each phase script is lib.sh, then supervise, then its body in one { … } </dev/null group; stop is not supervised', () => {
    expect(Object.keys(SCRIPTS).sort()).toEqual(
      Object.keys(REMOTE_SCRIPTS)
        .filter((n) => n !== 'lib')
        .sort()
    )
    expect(SCRIPTS.apply).toBe(
      `${REMOTE_SCRIPTS.lib}\n{\nsupervise "$1"\n{\n${REMOTE_SCRIPTS.apply}\n} </dev/null\nexit $?\n}\n`
    )
    expect(SCRIPTS.stop).toBe(`${REMOTE_SCRIPTS.lib}\n{\n{\n${REMOTE_SCRIPTS.stop}\n} </dev/null\nexit $?\n}\n`)
  })
})
