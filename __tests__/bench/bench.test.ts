/**
 * The benchmark's own machinery: statistics and tables (pure), the process measurement with a real child process
 * and a real TCP listener, and one short ECS latency run of the bundled action against the emulator. Nothing here
 * judges a timing: only that the bench measures what it says it measures.
 */
import net from 'node:net'
import { ContactProbe, startTcpProbe } from '../../bench/cold-start.js'
import { ecsLatency } from '../../bench/ecs-latency.js'
import { hasTimeBin, measureProcess, parseTimeOutput } from '../../bench/lib/proc.js'
import { batchCount, median, ratio, renderTable, round, stratified, summarize } from '../../bench/lib/stats.js'
import { insideCidr } from '../../bench/lib/load.js'
import { coldStartTable, ecsPlans, zdTable } from '../../bench/run.js'
import { deployStages, projectBatchOfOne, type RollingRow } from '../../bench/ssh-rolling.js'
import { summarizeCase, type ZdRep } from '../../bench/zero-downtime.js'

describe('ssh-rolling stages from a report', () => {
  const phase = (name: string, durationMs: number) => ({ name, ok: true, durationMs })
  test('the stages before the first batch are the slowest host’s; each host’s turn is its own', () => {
    const targets = [
      {
        name: 'h1',
        outcome: 'deployed',
        phases: [
          phase('connect', 300),
          phase('preflight', 2000),
          phase('backup', 400),
          phase('pull', 1500),
          phase('apply', 100),
          phase('up', 2500),
          phase('health', 50),
          phase('audit', 100),
          phase('unlock', 200)
        ]
      },
      {
        name: 'h2',
        outcome: 'deployed',
        phases: [
          phase('connect', 400),
          phase('preflight', 2500),
          phase('lock', 1000),
          phase('backup', 300),
          phase('pull', 1000),
          phase('apply', 150),
          phase('up', 3000),
          phase('health', 40),
          phase('audit', 110),
          phase('unlock', 250)
        ]
      }
    ]
    expect(deployStages(targets)).toEqual({ preflightMs: 3900, prepareMs: 1900, turnsMs: [2750, 3300] })
  })
})

describe('ssh-rolling projection for hosts with their own CPU', () => {
  const row = (over: Partial<RollingRow>): RollingRow =>
    ({
      hosts: 1,
      batch: 1,
      actionMs: 10_000,
      loopMs: 4_000,
      stagesMs: { preflight: 3000, prepare: 3000, turn: 3000 },
      ...over
    }) as RollingRow
  test('the one-host wall plus (N − 1) turns, against N one-host loops', () => {
    expect(projectBatchOfOne(row({}), [1, 4, 20])).toEqual([
      { hosts: 1, actionMs: 10_000, loopMs: 4_000, actionToLoop: 2.5 },
      { hosts: 4, actionMs: 19_000, loopMs: 16_000, actionToLoop: 1.19 },
      { hosts: 20, actionMs: 67_000, loopMs: 80_000, actionToLoop: 0.84 }
    ])
  })
  test('nothing without a 1 × 1 row that has its stages', () => {
    expect(projectBatchOfOne(undefined)).toEqual([])
    expect(projectBatchOfOne(row({ hosts: 4 }))).toEqual([])
    const { stagesMs: _, ...noStages } = row({})
    expect(projectBatchOfOne(noStages as RollingRow)).toEqual([])
  })
})

describe('stats', () => {
  test.each([
    [[3], 3],
    [[5, 1, 3], 3],
    [[4, 1, 3, 2], 2.5]
  ])('median of %j is %d', (values, expected) => {
    expect(median(values)).toBe(expected)
  })

  test('median and summary of nothing are NaN, not 0', () => {
    expect(median([])).toBeNaN()
    expect(summarize([]).n).toBe(0)
    expect(summarize([]).median).toBeNaN()
  })

  test('summary', () => {
    expect(summarize([10, 30, 20])).toEqual({ n: 3, median: 20, min: 10, max: 30, mean: 20 })
  })

  test('ratio and round treat missing values as missing', () => {
    expect(ratio(10, 4)).toBe(2.5)
    expect(ratio(10, 0)).toBeNaN()
    expect(ratio(undefined, 4)).toBeNaN()
    expect(round(Number.NaN)).toBeNull()
    expect(round(1.2345, 2)).toBe(1.23)
  })

  test.each([
    [4, 1, 4],
    [4, 2, 2],
    [8, 4, 2],
    [50, 10, 5],
    [7, 3, 3]
  ])('%d hosts in batches of %d take %d batches', (hosts, batch, expected) => {
    expect(batchCount(hosts, batch)).toBe(expected)
  })

  test('stratified offsets cover one interval evenly', () => {
    const offsets = [0, 1, 2, 3].map((i) => stratified(i, 4, 1000))
    expect(offsets).toEqual([125, 375, 625, 875])
  })

  test('tables pad columns and right-align numbers', () => {
    const text = renderTable([
      ['case', 'wall'],
      ['a', '5 ms'],
      ['longer', '120 ms']
    ])
    expect(text.split('\n')).toEqual(['case    wall', 'a         5 ms', 'longer  120 ms'])
  })
})

describe('GNU time output', () => {
  test('parses peak RSS and CPU, also after a signal line', () => {
    expect(parseTimeOutput('51200 0.12 0.03\n')).toEqual({ peakRssMiB: 50, cpuMs: 150 })
    expect(parseTimeOutput('Command terminated by signal 9\n2048 0.00 0.01')).toEqual({ peakRssMiB: 2, cpuMs: 10 })
    expect(parseTimeOutput('garbage')).toBeUndefined()
  })
})

describe('process measurement', () => {
  test('a process that exits: its exit code and output; RSS and CPU when GNU time is there', async () => {
    const m = await measureProcess(process.execPath, ['-e', 'console.log("hi"); process.exit(3)'], {
      env: { PATH: process.env.PATH ?? '' }
    })
    expect(m.exitCode).toBe(3)
    expect(m.stdout).toBe('hi\n')
    expect(m.wallMs).toBeGreaterThan(0)
    expect(m.contact).toBeUndefined()
    if (hasTimeBin) {
      expect(m.peakRssMiB).toBeGreaterThan(5)
      expect(m.cpuMs).toBeGreaterThanOrEqual(0)
    }
  })

  test('a process that connects: measured to the accepted connection, then killed', async () => {
    const tcp = await startTcpProbe()
    try {
      const script = `require('net').connect(${tcp.port}, '127.0.0.1'); setTimeout(() => {}, 60000)`
      const m = await measureProcess(process.execPath, ['-e', script], {
        env: { PATH: process.env.PATH ?? '' },
        contact: tcp.probe.next(),
        timeoutMs: 30_000
      })
      expect(m.contact?.what).toMatch(/^TCP connection accepted from 127\.0\.0\.1/)
      // Killed at the contact: it did not live out its 60 s timer.
      expect(m.exitCode === 0).toBe(false)
      expect(m.peakRssMiB).toBeGreaterThan(5)
    } finally {
      await tcp.close()
    }
  })

  test('a process that exits before any contact fails the measurement', async () => {
    const probe = new ContactProbe()
    await expect(
      measureProcess(process.execPath, ['-e', '0'], { env: { PATH: process.env.PATH ?? '' }, contact: probe.next() })
    ).rejects.toThrow(/before any remote contact/)
  })

  test('the TCP probe counts each connection once', async () => {
    const tcp = await startTcpProbe()
    try {
      const first = tcp.probe.next()
      net.connect(tcp.port, '127.0.0.1').on('error', () => undefined)
      expect((await first).what).toMatch(/^TCP connection accepted/)
    } finally {
      await tcp.close()
    }
  })
})

describe('ECS latency (bundled action against the emulator)', () => {
  test('one fast blue/green run: completion, exit after it, the calls made while waiting', async () => {
    const [row] = await ecsLatency(ecsPlans(1, true))
    expect(row?.strategy).toBe('ecs-blue-green')
    const sample = row?.samples[0]
    expect(sample?.deploymentId).toMatch(/^d-[A-Z0-9]{9}$/)
    // Exited after the emulator completed the deployment, and after noticing it.
    expect(sample?.exitMs).toBeGreaterThan(0)
    expect(sample?.exitMs).toBeGreaterThanOrEqual(sample?.noticedMs ?? Infinity)
    expect(sample?.waitMs).toBeGreaterThan(0)
    expect(sample?.callsByOp.GetDeployment).toBeGreaterThan(0)
    expect(sample?.callsByOp.CreateDeployment).toBeUndefined()
  }, 60_000)
})

describe('tables', () => {
  test('cold start table names the targets and every case', () => {
    const text = coldStartTable({
      node: 'v24.0.0',
      runs: 2,
      gnuTime: true,
      targets: { wallMs: 59, baselineWallMs: 118, peakRssMiB: 60 },
      rows: [
        {
          case: 'bare node -e 0',
          kind: 'bare',
          wallMs: 40,
          wallMinMs: 39,
          wallMaxMs: 41,
          ratioToBare: 1,
          overBareMs: 0,
          bestRatioToBare: 1,
          cpuMs: 30,
          cpuRatioToBare: 1,
          peakRssMiB: 40,
          samplesMs: [39, 41]
        },
        {
          case: 'no inputs',
          kind: 'exit',
          wallMs: 80,
          wallMinMs: 79,
          wallMaxMs: 81,
          ratioToBare: 2,
          overBareMs: 40,
          bestRatioToBare: 2,
          cpuMs: 60,
          cpuRatioToBare: 2,
          peakRssMiB: 50,
          samplesMs: [79, 81]
        }
      ]
    })
    expect(text).toContain('median of 2 interleaved runs')
    expect(text).toMatch(/no inputs\s+80 ms\s+2\.00×\s+\+40 ms/)
    expect(text).toContain('wall ≤ 59 ms (0.5 × 118 ms), peak RSS ≤ 60 MiB')
  })

  test('zero-downtime table: failed / total per rep and summed, host turns with the start-first / stop-first ratio', () => {
    const rep = (n: number, failed: number, total: number, turnMs: number, over: Partial<ZdRep> = {}): ZdRep => ({
      rep: n,
      to: 'late-x',
      failed,
      total,
      firstErrors: [],
      versions: {},
      windowMs: 10_000,
      deployMs: turnMs + 3000,
      turnMs,
      ...over
    })
    const phases = (gate: number) => [
      { name: 'connect', durationMs: 300 },
      { name: 'start', durationMs: 2000 },
      { name: 'gate', durationMs: gate }
    ]
    const plain = summarizeCase('plain', [
      rep(1, 12, 1200, 4000, { plainMs: { pull: 1500, up: 2500, healthy: 1500 } }),
      rep(2, 8, 1100, 5000, { plainMs: { pull: 1700, up: 2700, healthy: 2300 } })
    ])
    const startFirst = summarizeCase('start-first', [
      rep(1, 0, 3000, 12_000, { phases: phases(4000) }),
      rep(2, 0, 3100, 14_000, { phases: phases(6000) })
    ])
    const stopFirst = summarizeCase('stop-first', [rep(1, 9, 1500, 5000), rep(2, 11, 1600, 7000)])
    expect({ failed: plain.failed, total: plain.total, turnMs: plain.turnMs }).toEqual({
      failed: 20,
      total: 2300,
      turnMs: 4500
    })
    expect(startFirst.phases).toEqual([
      { phase: 'connect', medianMs: 300, n: 2 },
      { phase: 'start', medianMs: 2000, n: 2 },
      { phase: 'gate', medianMs: 5000, n: 2 }
    ])
    const text = zdTable({
      host: 'h3',
      clients: 4,
      reps: 2,
      cases: [plain, startFirst, stopFirst],
      turnRatio: 2.17,
      turnRatioWithDelay: 3.0,
      switchDelayMs: 5000
    })
    expect(text).toContain('4 clients GET /version through the proxy on h3, 2 reps')
    expect(text).toMatch(/plain `docker compose up -d` on the host\s+12 \/ 1200\s+8 \/ 1100\s+20 \/ 2300/)
    expect(text).toMatch(/action, default inputs \(start-first\)\s+0 \/ 3000\s+0 \/ 3100\s+0 \/ 6100/)
    expect(text).toMatch(/action, `update-order: stop-first`\s+9 \/ 1500\s+11 \/ 1600\s+20 \/ 3100/)
    expect(text).toMatch(/action, default inputs \(start-first\)\s+13\.0 s\s+12\.0 s\s+14\.0 s/)
    expect(text).toMatch(/plain `up -d` → healthy \(reference\)\s+4500 ms\s+4000 ms\s+5000 ms/)
    expect(text).toContain('start-first / stop-first: 2.17×')
    expect(text).toContain(
      'switch-delay (5000 ms) between gate and switch, in no phase: with it, start-first / stop-first 3.00×'
    )
    expect(text).toContain('start-first phases (median): connect 300 ms, start 2000 ms, gate 5000 ms')
    expect(text).toContain('plain (median): pull 1600 ms, up -d 2600 ms, then healthy after 1900 ms')
  })
})

describe('lab load guard', () => {
  test.each([
    ['10.213.1.13', '10.213.0.0/20', true],
    ['10.213.15.255', '10.213.0.0/20', true],
    ['10.213.16.1', '10.213.0.0/20', false],
    ['10.200.0.11', '10.213.0.0/20', false],
    ['127.0.0.1', '10.213.0.0/20', false],
    ['example.com', '10.213.0.0/20', false],
    ['10.213.1.13', '10.213.0.0', false]
  ])('%s inside %s: %s', (address, cidr, inside) => {
    expect(insideCidr(address, cidr)).toBe(inside)
  })
})
