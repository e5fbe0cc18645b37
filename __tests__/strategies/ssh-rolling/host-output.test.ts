/**
 * What hosts print is data: through the whole action (real scripts, the log over `@actions/core`, stdout read the way the
 * runner reads it) no host line becomes a workflow command, and over a real sshd a flood of output is stopped.
 */
import * as core from '@actions/core'
import { jest } from '@jest/globals'
import fs from 'node:fs'
import path from 'node:path'
import ssh2 from 'ssh2'
import { systemClock } from '../../../src/clock.js'
import { run } from '../../../src/main.js'
import { loggerOver } from '../../../src/runner.js'
import { coreIO } from '../../../src/toolkit.js'
import { createSsh2Connector, type SshSession } from '../../../src/strategies/ssh-rolling/connection.js'
import { parsePrivateKey } from '../../../src/strategies/ssh-rolling/private-key.js'
import {
  EXEC_TAIL_MAX_CHARS,
  PHASE_LOG_MAX_BYTES,
  PHASE_OUTPUT_MAX_BYTES
} from '../../../src/strategies/ssh-rolling/limits.js'
import { createLineWriter } from '../../../src/strategies/ssh-rolling/line-writer.js'
import { parseScriptOutput } from '../../../src/strategies/ssh-rolling/shell.js'
import { fakeClock, fakeStartup, recordingIO, recordingLogger, RUN_IDENTITY } from '../../helpers/fake-deps.js'
import { commandLines, HOSTILE_OUTPUT, runnerLines, spyOnStdout } from '../../helpers/runner-stdout.js'
import { container, LocalConnector, makeLocalHost, makeTempDir } from './helpers/local.js'
import { sshdAvailable, startSshd, type LocalSshd } from './helpers/sshd.js'

// Each fake docker call starts a Node process: slow on a busy machine.
jest.setTimeout(180_000)

const OLD = 'sha256:0ld0000000000000000000000000000000000000000000000000000000000000'
const NEW = 'sha256:11e1111111111111111111111111111111111111111111111111111111111111'

/** Commands the action issues itself: at most a title, and never with a host's text at the start of the message. */
const OWN_COMMAND = /^::(group|endgroup|debug|notice|warning|error|add-mask|save-state)( title=[^:]*)?::(?!INJECTED)/

test('hostile host output reaches the log as readable plain lines, never as a workflow command', async () => {
  const root = makeTempDir('host-output-')
  const stdout = spyOnStdout()
  try {
    const host = makeLocalHost(root, 'h1', {
      compose: 'services:\n  web:\n    image: ${IMAGE}\n',
      env: 'IMAGE=reg/app:latest\n',
      state: {
        tags: { 'reg/app:latest': OLD },
        registry: { 'reg/app:latest': NEW },
        behaviour: { [OLD]: 'healthy', [NEW]: 'healthy' },
        containers: [container('app', 'web', OLD, 'reg/app:latest', { health: 'healthy' })]
      }
    })
    fs.writeFileSync(path.join(host.home, 'hostile.txt'), HOSTILE_OUTPUT)
    const inputs: Record<string, string> = {
      strategy: 'ssh-rolling',
      image: 'reg/app:latest',
      hosts: 'h1',
      'ssh-user': 'deploy',
      'ssh-insecure-skip-host-key-check': 'true',
      'ssh-private-key': fs.readFileSync(new URL('../../../__fixtures__/inputs/id_ed25519', import.meta.url), 'utf8'),
      'app-dir': host.appDir,
      // On stdout and stderr of a phase the log shows, and in the failure details of the health check.
      'pre-deploy-command': 'cat ../hostile.txt; cat ../hostile.txt >&2',
      'health-check-command': 'cat ../hostile.txt; exit 1',
      'health-check-retries': '1'
    }
    await run(
      fakeStartup({
        inputs: { getInput: (name) => inputs[name] ?? '' },
        env: { RUNNER_TEMP: root },
        log: loggerOver(core),
        clock: fakeClock(),
        io: { ...recordingIO(), setFailed: coreIO(core).setFailed },
        cancel: new AbortController().signal,
        identity: RUN_IDENTITY,
        overrides: { sshConnector: new LocalConnector({ h1: host }) }
      })
    )
  } finally {
    stdout.restore()
    process.exitCode = undefined
    fs.rmSync(root, { recursive: true, force: true })
  }
  const out = stdout.text()
  const commands = commandLines(out)
  expect(commands.filter((line) => !OWN_COMMAND.test(line))).toEqual([])
  // The deploy failed on the health check (and so did the rollback's): our own error annotations, which quote the
  // command's last lines as plain text.
  const errors = commands.filter((line) => /^::error[ :]/.test(line))
  expect(errors).toHaveLength(3)
  for (const error of errors) {
    expect(error).toContain(
      'exited with code 1: : :error::INJECTED NEL | : :error::INJECTED colour | 0;::error::INJECTED OSC'
    )
  }
  const lines = runnerLines(out)
  // Each hostile line of the pre-deploy command is shown, readable, from stdout and from stderr.
  expect(lines.filter((line) => line === '[h1] ::error title=pwned::INJECTED bare CR')).toHaveLength(2)
  expect(lines.filter((line) => line === '[h1] pulling # #[error]INJECTED legacy')).toHaveLength(2)
  expect(lines.filter((line) => line === '[h1] ::error::INJECTED colour')).toHaveLength(2)
  expect(lines.some((line) => line.includes('health try 1') && line.includes('INJECTED'))).toBe(true)
})

const suite = sshdAvailable ? describe : describe.skip
if (!sshdAvailable) console.warn('flood tests skipped: /usr/sbin/sshd is missing or not running as root')

suite('a phase that prints a lot (local sshd)', () => {
  let sshd: LocalSshd
  let session: SshSession
  const connector = () =>
    createSsh2Connector({
      privateKey: parsePrivateKey(ssh2.utils.parseKey, sshd.keys.authorized, ''),
      knownHosts: [],
      insecureSkipHostKeyCheck: true,
      log: recordingLogger(),
      clock: systemClock,
      readyTimeoutMs: 5000,
      keepaliveIntervalMs: 1000,
      keepaliveCountMax: 3,
      retryDelaysMs: []
    })
  beforeAll(async () => {
    sshd = await startSshd()
    session = await connector().connect({
      spec: `127.0.0.1:${sshd.port}`,
      user: sshd.user,
      host: '127.0.0.1',
      port: sshd.port
    })
  }, 30_000)
  afterAll(async () => {
    await session?.close()
    await sshd?.stop()
  })

  test('past the hard cap the command is stopped with a clear error; what is kept and logged stays bounded', async () => {
    const log = recordingLogger()
    const out = createLineWriter(log, '[h1] ')
    const line = 'flood flood flood flood flood flood flood'
    const r = await session.exec(`yes '${line}'`, [], {
      timeoutMs: 120_000,
      onStdout: (t) => out.write(t)
    })
    out.flush()
    expect(r).toMatchObject({ code: null, error: 'printed more than 64 MiB of output' })
    expect(r.timedOut).toBeUndefined()
    expect(r.stdout.length).toBeLessThanOrEqual(EXEC_TAIL_MAX_CHARS)
    expect(new Set(r.stdout.split('\n').slice(1, -1))).toEqual(new Set([line]))
    expect(r.droppedBytes).toBeGreaterThan(PHASE_OUTPUT_MAX_BYTES - EXEC_TAIL_MAX_CHARS)
    const logged = log.entries.reduce((n, e) => n + e.message.length, 0)
    expect(logged).toBeLessThan(PHASE_LOG_MAX_BYTES * 1.2)
    expect(log.entries.at(-1)?.message).toMatch(/^\[h1\] … \d+ more bytes not shown/)
    // The connection outlives the stopped command.
    expect(session.alive).toBe(true)
    expect(await session.exec('echo still here', [])).toMatchObject({ code: 0, stdout: 'still here\n' })
  })

  test('below the cap the phase ends normally: its result line is in the kept tail', async () => {
    const r = await session.exec(`head -c 3000000 /dev/zero | tr '\\0' x; echo; echo '@@RESULT {"ok":true}'`, [])
    expect(r.code).toBe(0)
    expect(r.stdout).toHaveLength(EXEC_TAIL_MAX_CHARS)
    expect(parseScriptOutput(r.stdout).result).toEqual({ ok: true })
    expect(r.droppedBytes).toBe(3_000_000 + 1 + '@@RESULT {"ok":true}\n'.length - EXEC_TAIL_MAX_CHARS)
  })
})
