/**
 * Part 1 — cold start of the bundled action on Node 24, against bare `node -e 0` measured in the same run.
 * Exit cases run `node dist/index.js` until it exits with its first validation error; contact cases run it until its
 * first remote contact: the first TCP connection accepted by a listener on 127.0.0.1 (ssh-rolling) or the first HTTP
 * request reaching the AWS emulator (ECS strategies), when the process is killed. Runs are interleaved (one of each
 * case per round, the order rotated every round) so load changes on the machine hit every case alike.
 */
import { execFileSync } from 'node:child_process'
import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto'
import fs from 'node:fs'
import http from 'node:http'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { startEmulator, type Emulator } from '../emulator/index.js'
import { node24 } from '../__tests__/harness/run-action.js'
import { runActionMeasured } from './lib/action.js'
import { hasTimeBin, measureProcess, type Contact, type Measured } from './lib/proc.js'
import { median, ratio, round, summarize } from './lib/stats.js'

/** The targets the bench reports against: half of the 118 ms measured before, and 60 MiB of peak RSS. */
export const COLD_START_TARGETS = { wallMs: 59, baselineWallMs: 118, peakRssMiB: 60 }

/** Waits for the next contact of a listener; one armed waiter at a time (runs are sequential). */
export class ContactProbe {
  private waiter: ((c: Contact) => void) | undefined
  next(): Promise<Contact> {
    return new Promise((resolve) => (this.waiter = resolve))
  }
  hit(what: string): void {
    const at = performance.now()
    const waiter = this.waiter
    this.waiter = undefined
    waiter?.({ at, what })
  }
}

/** A TCP listener on 127.0.0.1 that records each accepted connection and closes it. */
export async function startTcpProbe(): Promise<{ port: number; probe: ContactProbe; close(): Promise<void> }> {
  const probe = new ContactProbe()
  const server = net.createServer((socket) => {
    probe.hit(`TCP connection accepted from ${socket.remoteAddress ?? '?'}`)
    socket.destroy()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as net.AddressInfo).port
  return { port, probe, close: () => new Promise((resolve) => server.close(() => resolve())) }
}

/**
 * The AWS emulator behind a recording pass-through on 127.0.0.1: the first request of each run is recorded when its
 * headers arrive (with its `X-Amz-Target`), then forwarded to the emulator like every other request.
 */
export async function startAwsProbe(
  emulator: Emulator
): Promise<{ url: string; probe: ContactProbe; close(): Promise<void> }> {
  const probe = new ContactProbe()
  const upstream = new URL(emulator.url)
  const server = http.createServer((req, res) => {
    probe.hit(`HTTP ${req.method ?? '?'} ${String(req.headers['x-amz-target'] ?? '(no X-Amz-Target)')}`)
    const forward = http.request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers)
        answer.pipe(res)
      }
    )
    forward.on('error', () => res.destroy())
    req.pipe(forward)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as net.AddressInfo).port
  return {
    url: `http://127.0.0.1:${port}`,
    probe,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}

/** An unencrypted private key the action accepts: ed25519 from ssh-keygen, or RSA PEM when ssh-keygen is missing. */
function privateKey(dir: string): string {
  const file = path.join(dir, 'id_ed25519')
  try {
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'bench', '-f', file], { stdio: 'ignore' })
    return fs.readFileSync(file, 'utf8')
  } catch {
    return generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' }
    }).privateKey
  }
}

const AWS_ENV = (workDir: string): Record<string, string> => ({
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'AKIDBENCHONLY0000000',
  AWS_SECRET_ACCESS_KEY: 'bench-secret-access-key',
  AWS_CONFIG_FILE: path.join(workDir, '.aws-config-absent'),
  AWS_SHARED_CREDENTIALS_FILE: path.join(workDir, '.aws-credentials-absent'),
  AWS_EC2_METADATA_DISABLED: 'true'
})

interface Case {
  name: string
  kind: 'bare' | 'exit' | 'contact'
  run(): Promise<Measured>
  /** Throws when the run did not do what the case claims (the bench is broken, not slow). */
  check(m: Measured): void
}

export interface ColdStartRow {
  case: string
  kind: Case['kind']
  wallMs: number | null
  wallMinMs: number | null
  wallMaxMs: number | null
  ratioToBare: number | null
  /** Fastest run over bare node's fastest: the least disturbed runs, closest to an idle machine. */
  bestRatioToBare: number | null
  /** Median wall time minus bare node's: what the action itself costs. */
  overBareMs: number | null
  cpuMs: number | null
  /** Median CPU time over bare node's: less sensitive to other load than wall time. */
  cpuRatioToBare: number | null
  peakRssMiB: number | null
  /** What the contact was (first run), for contact cases. */
  contact?: string
  samplesMs: number[]
}

export interface ColdStartResult {
  node: string
  runs: number
  gnuTime: boolean
  targets: typeof COLD_START_TARGETS
  rows: ColdStartRow[]
}

export async function coldStart(runs: number, log: (line: string) => void = () => undefined): Promise<ColdStartResult> {
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-cold-'))
  const tcp = await startTcpProbe()
  const emulator = await startEmulator({})
  const aws = await startAwsProbe(emulator)
  const node = node24()
  try {
    const key = privateKey(workDir)
    const pin = `SHA256:${createHash('sha256').update(randomBytes(32)).digest('base64').replace(/=+$/, '')}`
    const base: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin' }
    const exitCase = (name: string, inputs: Record<string, string>): Case => ({
      name,
      kind: 'exit',
      run: async () => (await runActionMeasured({ inputs, timeoutMs: 60_000 })).main,
      check: (m) => {
        if (m.exitCode !== 1 || !/^::error[ :]/m.test(m.stdout)) {
          throw new Error(
            `${name}: expected exit 1 with an ::error:: line, got exit ${String(m.exitCode)}:\n${m.stdout}`
          )
        }
      }
    })
    const awsInputs = { image: 'ghcr.io/acme/web:2.0.0', cluster: 'demo' }
    const contactCase = (
      name: string,
      inputs: Record<string, string>,
      env: Record<string, string>,
      probe: ContactProbe,
      expect: RegExp
    ): Case => ({
      name,
      kind: 'contact',
      run: async () => (await runActionMeasured({ inputs, env, contact: probe.next(), timeoutMs: 60_000 })).main,
      check: (m) => {
        if (!m.contact || !expect.test(m.contact.what)) {
          throw new Error(`${name}: unexpected first contact ${m.contact?.what ?? '(none)'}\n${m.stdout}`)
        }
      }
    })
    const cases: Case[] = [
      {
        name: 'bare node -e 0',
        kind: 'bare',
        run: () => measureProcess(node, ['-e', '0'], { env: base, timeoutMs: 30_000 }),
        check: (m) => {
          if (m.exitCode !== 0) throw new Error(`node -e 0 exited ${String(m.exitCode)}: ${m.stderr}`)
        }
      },
      exitCase('no inputs → validation error', {}),
      exitCase('ssh-rolling, bad hosts line → validation error', {
        strategy: 'ssh-rolling',
        image: 'app:v1',
        hosts: 'a b'
      }),
      exitCase('ecs-rolling, no service → validation error', {
        strategy: 'ecs-rolling',
        image: 'app:v1',
        'aws-region': 'us-east-1'
      }),
      contactCase(
        'ssh-rolling → first TCP connect to a host',
        {
          strategy: 'ssh-rolling',
          image: 'registry.example/app:v2',
          hosts: `root@127.0.0.1:${tcp.port}`,
          'ssh-private-key': key,
          'ssh-known-hosts': `127.0.0.1:${tcp.port} ${pin}`
        },
        {},
        tcp.probe,
        /^TCP connection accepted/
      ),
      contactCase(
        'ecs-rolling → first AWS API request',
        { strategy: 'ecs-rolling', service: 'web-rolling', ...awsInputs },
        { ...AWS_ENV(workDir), AWS_ENDPOINT_URL: aws.url },
        aws.probe,
        /^HTTP POST (AmazonEC2ContainerServiceV20141113|CodeDeploy_20141006)\.\w+$/
      ),
      contactCase(
        'ecs-blue-green → first AWS API request',
        { strategy: 'ecs-blue-green', service: 'web-bg', ...awsInputs },
        { ...AWS_ENV(workDir), AWS_ENDPOINT_URL: aws.url },
        aws.probe,
        /^HTTP POST (AmazonEC2ContainerServiceV20141113|CodeDeploy_20141006)\.\w+$/
      )
    ]

    const samples = new Map<string, Measured[]>(cases.map((c) => [c.name, []]))
    // Round 0 warms the page cache and is discarded.
    for (let round = 0; round <= runs; round++) {
      for (let i = 0; i < cases.length; i++) {
        const c = cases[(i + round) % cases.length] as Case
        const m = await c.run()
        c.check(m)
        if (round > 0) samples.get(c.name)?.push(m)
      }
      if (round > 0) log(`cold start: round ${round}/${runs}`)
    }

    const bareWalls = (samples.get('bare node -e 0') ?? []).map((m) => m.wallMs)
    const bareWall = median(bareWalls)
    const bareBest = Math.min(...bareWalls)
    const bareCpu = median(
      (samples.get('bare node -e 0') ?? []).flatMap((m) => (m.cpuMs === undefined ? [] : [m.cpuMs]))
    )
    const rows = cases.map((c): ColdStartRow => {
      const ms = samples.get(c.name) ?? []
      const wall = summarize(ms.map((m) => m.wallMs))
      const cpu = ms.flatMap((m) => (m.cpuMs === undefined ? [] : [m.cpuMs]))
      const rss = ms.flatMap((m) => (m.peakRssMiB === undefined ? [] : [m.peakRssMiB]))
      const row: ColdStartRow = {
        case: c.name,
        kind: c.kind,
        wallMs: round(wall.median),
        wallMinMs: round(wall.min),
        wallMaxMs: round(wall.max),
        ratioToBare: round(ratio(wall.median, bareWall), 2),
        bestRatioToBare: round(ratio(wall.min, bareBest), 2),
        overBareMs: round(wall.median - bareWall),
        cpuMs: cpu.length ? round(median(cpu)) : null,
        cpuRatioToBare: cpu.length ? round(ratio(median(cpu), bareCpu), 2) : null,
        peakRssMiB: rss.length ? round(median(rss)) : null,
        samplesMs: ms.map((m) => round(m.wallMs) as number)
      }
      if (ms[0]?.contact) row.contact = ms[0].contact.what
      return row
    })
    const version = execFileSync(node, ['--version'], { encoding: 'utf8' }).trim()
    return { node: version, runs, gnuTime: hasTimeBin, targets: COLD_START_TARGETS, rows }
  } finally {
    await aws.close()
    await emulator.close()
    await tcp.close()
    fs.rmSync(workDir, { recursive: true, force: true })
  }
}
