// ssh-rolling on the real lab: shell injection through inputs, and secrets (an encrypted key, its passphrase, a
// secret env value) kept out of logs, outputs, summaries, remote process arguments and every host file but .env.
import fs from 'node:fs'
import path from 'node:path'
import { formatEnvLine } from '../../../src/strategies/ssh-rolling/dotenv.js'
import {
  composeReads,
  deploy,
  fleet,
  fleetState,
  host,
  lab,
  labTests,
  on,
  report,
  sampleProcesses,
  settled,
  sshdLogins,
  V2
} from './helpers.js'

/** Every regular file under `dir` (symlinks not followed). */
function filesUnder(dir: string): string[] {
  const out: string[] = []
  const walk = (d: string): void => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, entry.name)
      if (entry.isDirectory()) walk(p)
      else if (entry.isFile()) out.push(p)
    }
  }
  if (fs.existsSync(dir)) walk(dir)
  return out
}

function pwnedFiles(): string[] {
  return fleet().flatMap((h) =>
    fs
      .readdirSync(h.tmpDir)
      .filter((f) => f.startsWith('pwned'))
      .map((f) => `${h.name}:/tmp/${f}`)
  )
}

labTests(() => {
  const image = (): string => V2()
  // [input, value, what the error must say: the input's name]
  const rejected: [string, () => string, RegExp][] = [
    ['image', () => `${image()};touch /tmp/pwned`, /'image'/],
    ['image', () => `${image()}$(touch /tmp/pwned)`, /'image'/],
    ['image', () => `${image()}\`touch /tmp/pwned\``, /'image'/],
    ['image', () => `${image()}\ntouch /tmp/pwned`, /'image'/],
    ['compose-services', () => 'web;touch /tmp/pwned', /'compose-services'/],
    ['compose-services', () => 'web $(touch /tmp/pwned)', /'compose-services'/],
    ['compose-services', () => 'web\n`touch /tmp/pwned`', /'compose-services'/],
    ['app-dir', () => '/app;touch /tmp/pwned', /'app-dir'/],
    ['app-dir', () => '/app$(touch /tmp/pwned)', /'app-dir'/],
    ['app-dir', () => '/app`touch /tmp/pwned`', /'app-dir'/],
    ['app-dir', () => '/app\n/tmp', /'app-dir'/],
    ['env', () => 'NOTE=ok\n$(touch /tmp/pwned)', /'env'/],
    ['env', () => '$(touch /tmp/pwned)=1', /'env'/],
    // Values .env cannot hold the same way for compose v1 and v2: refused with the line and the key, not the value.
    ['env', () => "NOTE=it's $(touch /tmp/pwned)", /^Invalid 'env' line 1: .*under 'NOTE'/],
    ['env', () => "NOTE=it's `touch /tmp/pwned`", /^Invalid 'env' line 1: .*under 'NOTE'/]
  ]

  test('injection attempts rejected by validation fail before any connection: no login, no lock, nothing runs', async () => {
    const loginsBefore = fleet().map((h) => sshdLogins(h))
    const started = Date.now()
    for (const [input, value, named] of rejected) {
      const r = await deploy({ [input]: value() }, { noPost: true })
      const what = `${input}=${JSON.stringify(value())}`
      expect({ what, exit: r.main.exitCode }).toEqual({ what, exit: 1 })
      expect({ what, error: r.main.errors[0] }).toEqual({ what, error: expect.stringMatching(named) })
      expect({ what, preflight: r.main.stdout.includes('Pre-flight') }).toEqual({ what, preflight: false })
    }
    console.log(`${rejected.length} rejected inputs: ${Date.now() - started} ms`)
    expect(fleet().map((h) => sshdLogins(h))).toEqual(loginsBefore)
    const states = await fleetState()
    for (const h of fleet()) expect(fs.existsSync(path.join(h.appDir, '.deploy'))).toBe(false)
    expect(await settled(states)).toEqual({ h1: on('v1'), h2: on('v1'), h3: on('v1'), h4: on('v1') })
    expect(pwnedFiles()).toEqual([])
  })

  const literalValues: Record<string, string> = {
    NOTE: '$(touch /tmp/pwned)',
    QUOTED: 'say "hi" `touch /tmp/pwned-backtick` $HOME \\n',
    APOS: "it's fine",
    SEMI: 'a;touch /tmp/pwned-semi && echo x | tee /tmp/pwned-pipe'
  }

  test('env values with $(…), backticks, quotes and ; land literally in .env, compose reads them back, nothing runs', async () => {
    const h1 = host('h1')
    const env = Object.entries(literalValues)
      .map(([k, v]) => `${k}=${v}`)
      .join('\n')
    const r = await deploy({ env }, { hosts: [h1] })

    expect(report(r).status).toBe('succeeded')
    const text = fs.readFileSync(path.join(h1.appDir, '.env'), 'utf8')
    expect(text).toBe(
      [
        `IMAGE=${V2()}`,
        "NOTE='$(touch /tmp/pwned)'",
        'QUOTED=\'say "hi" `touch /tmp/pwned-backtick` $HOME \\n\'',
        'APOS="it\'s fine"',
        "SEMI='a;touch /tmp/pwned-semi && echo x | tee /tmp/pwned-pipe'",
        ''
      ].join('\n')
    )
    expect(await composeReads(h1, '/app/.env', Object.keys(literalValues))).toEqual(literalValues)
    expect(pwnedFiles()).toEqual([])
    expect(fs.readdirSync('/tmp').filter((f) => f.startsWith('pwned'))).toEqual([])
    expect(await settled()).toEqual({ h1: on('v2'), h2: on('v1'), h3: on('v1'), h4: on('v1') })
  })

  // compose v1's python-dotenv reads `\\` as an escape even inside single quotes (v2 does not): such values are
  // refused before anything is contacted, and single backslashes, which both read literally, pass through.
  test('backslashes: single ones are read back unchanged by compose v1, doubled ones are refused', async () => {
    expect(() => formatEnvLine('WIN_PATH', 'C:\\\\server\\share')).toThrow(/two backslashes in a row/)
    expect(() => formatEnvLine('TRAILING', 'dir\\')).toThrow(/ending in one/)
    const h3 = host('h3')
    const values = { WIN_PATH: 'C:\\server\\share', REGEX: '^\\d+$' }
    const file = path.join(h3.tmpDir, 'backslash.env')
    fs.writeFileSync(
      file,
      `${Object.entries(values)
        .map(([k, v]) => formatEnvLine(k, v))
        .join('\n')}\n`
    )
    try {
      expect(await composeReads(h3, '/tmp/backslash.env', Object.keys(values))).toEqual(values)
    } finally {
      fs.rmSync(file, { force: true })
    }
  })

  test('the encrypted key, its passphrase and a secret env value appear nowhere but in .env (0600)', async () => {
    const hosts = [host('h1'), host('h2')]
    const key = fs.readFileSync(lab().keys.encryptedPrivateKey, 'utf8')
    const passphrase = lab().keys.passphrase
    const dbPassword = `Db-${Date.now().toString(36)}-s3cr3t!value`
    const keyLines = key
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('-----'))
    const secrets = [passphrase, dbPassword, ...keyLines]
    const leaks = (where: string, text: string): string[] =>
      secrets
        .filter((s) => text.includes(s))
        .map((s) => `${where}: ${s === dbPassword ? 'DB_PASSWORD' : s === passphrase ? 'passphrase' : 'key line'}`)

    const sampler = sampleProcesses(hosts)
    const r = await deploy(
      {
        'ssh-private-key': key,
        'ssh-passphrase': passphrase,
        env: `DB_PASSWORD=${dbPassword}\nLOG_LEVEL=debug`,
        'batch-size': '2'
      },
      { hosts }
    )
    const processes = await sampler.stop()

    expect(report(r).status).toBe('succeeded')
    expect(await settled()).toEqual({ h1: on('v2'), h2: on('v2'), h3: on('v1'), h4: on('v1') })
    // The sampler saw the remote scripts run, so it would have seen a secret on their command lines.
    expect(processes.args.some((a) => a.startsWith('sh -s -- '))).toBe(true)
    expect(processes.environs).toBeGreaterThan(0)

    const found: string[] = [
      ...leaks('main log', r.main.visibleLog),
      ...leaks('main stderr', r.main.stderr),
      ...leaks('outputs', JSON.stringify(r.main.outputs)),
      ...leaks('summary', r.main.summary),
      ...leaks('post log', r.post?.visibleLog ?? ''),
      ...leaks('post stderr', r.post?.stderr ?? ''),
      ...leaks('post summary', r.post?.summary ?? ''),
      ...processes.args.flatMap((a) => leaks('process args', a)),
      ...processes.environ.flatMap((e) => leaks('process environment', e)),
      // The runner's files of both steps (state holds the journal).
      ...filesUnder(r.workDir).flatMap((f) =>
        leaks(`runner file ${path.relative(r.workDir, f)}`, fs.readFileSync(f, 'utf8'))
      )
    ]
    for (const h of hosts) {
      const envFile = path.join(h.appDir, '.env')
      for (const f of [...filesUnder(h.appDir), ...filesUnder(h.tmpDir)]) {
        if (f === envFile) continue
        found.push(...leaks(`${h.name} file ${f}`, fs.readFileSync(f, 'latin1')))
      }
      expect(fs.readFileSync(envFile, 'utf8')).toContain(`DB_PASSWORD='${dbPassword}'`)
      expect(fs.statSync(envFile).mode & 0o777).toBe(0o600)
    }
    expect(found).toEqual([])
    // The secret env value is masked, not just absent: the runner got an add-mask for it.
    expect(r.main.masks).toContain(dbPassword)
    expect(r.main.masks).toContain(passphrase)
  })
})
