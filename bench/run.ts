/**
 * `npm run bench`: measures the bundled action and prints one table per part; writes bench/results.json.
 *   cold   cold start to the first validation error and to the first remote contact, against bare node
 *   ecs    ECS detection latency and API calls per minute of waiting, against the emulator
 *   ssh    ssh-rolling overhead on the lab's full hosts (needs root and `npm run lab:up -- --hosts 8`), deploying
 *          between tags every host has
 *   ssh-new  the same, every deploy a new build under a new tag with --image-mib MiB to download (64)
 *   scale  ssh-rolling dry-run pre-flight on 10/25/50 sshd-only hosts (needs `--sshd-only-hosts 50`)
 *   zd     requests failed through a proxy during a deploy on lab host h3 (plain `up -d`, the action start-first and
 *          stop-first), and the host's turn time start-first against stop-first
 * Lab parts whose lab is not up are skipped (and say why); parts not run keep their previous results in the file.
 * `npm run bench:smoke` (= `--smoke`): 2 cold start rounds and one fast ECS run, no lab, results to a temp file;
 * it fails only when the bench itself breaks, never on timings.
 *
 * Options: --parts cold,ecs,ssh,ssh-new,scale,zd  --runs N (cold, 15)  --ecs-runs N (6)  --ssh-reps N (3)
 *          --scale-reps N (3)  --zd-reps N (3)  --image-mib N (64)  --out FILE  --smoke
 *          --print (tables of the results file, no measuring)
 */
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { node24 } from '../__tests__/harness/run-action.js'
import { coldStart, type ColdStartResult } from './cold-start.js'
import { ecsLatency, type EcsLatencyPlan, type EcsLatencyRow } from './ecs-latency.js'
import { hasTimeBin } from './lib/proc.js'
import { openLab } from './lib/lab.js'
import { fmtMiB, fmtMs, fmtRatio, median, renderTable } from './lib/stats.js'
import { sshRolling, type RollingPlan, type RollingResult } from './ssh-rolling.js'
import { sshScale, type ScaleResult } from './ssh-scale.js'
import { ZD_HOST, zeroDowntime, type ZdCase, type ZdResult } from './zero-downtime.js'

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url))
export const RESULTS_FILE = path.join(BENCH_DIR, 'results.json')
const PARTS = ['cold', 'ecs', 'ssh', 'ssh-new', 'scale', 'zd'] as const
type Part = (typeof PARTS)[number]

export const ROLLING_PLANS: RollingPlan[] = [
  { hosts: 1, batch: 1 },
  { hosts: 4, batch: 1 },
  { hosts: 4, batch: 2 },
  { hosts: 8, batch: 4 }
]
export const SCALE_SIZES = [10, 25, 50]

export function ecsPlans(runs: number, smoke: boolean): EcsLatencyPlan[] {
  if (smoke) return [{ strategy: 'ecs-blue-green', pollMs: 200, runs: 1, stepMs: 40, tailMs: 200 }]
  // A blue/green deployment of ~10 steps + the termination wait (13–18 s); a rolling one of 8–13 s.
  const bg = { strategy: 'ecs-blue-green' as const, runs, stepMs: 1000, tailMs: 3000 }
  const rolling = { strategy: 'ecs-rolling' as const, runs, stepMs: 1000, tailMs: 8000 }
  return [
    { ...bg, pollMs: undefined },
    { ...bg, pollMs: 1000 },
    { ...rolling, pollMs: undefined },
    { ...rolling, pollMs: 1000 }
  ]
}

interface Machine {
  cpus: number
  cpuModel: string
  memoryGiB: number
  loadAverage: number[]
  node: string
  gnuTime: boolean
}

function machine(): Machine {
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round(os.totalmem() / 1024 ** 3),
    loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100),
    node: execFileSync(node24(), ['--version'], { encoding: 'utf8' }).trim(),
    gnuTime: hasTimeBin
  }
}

interface Measurement<T> {
  measuredAt: string
  durationS: number
  machine: Machine
  /** Load average when the part ended. */
  loadAverageAfter: number[]
  result: T
}

interface ResultsFile {
  schema: 1
  updatedAt: string
  parts: {
    coldStart?: Measurement<ColdStartResult>
    ecsLatency?: Measurement<EcsLatencyRow[]>
    sshRolling?: Measurement<RollingResult>
    /** The same plans, every deploy a new build under a new tag with `--image-mib` MiB to download. */
    sshRollingNewTags?: Measurement<RollingResult>
    sshScale?: Measurement<ScaleResult>
    zeroDowntime?: Measurement<ZdResult>
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Tables

export function coldStartTable(r: ColdStartResult): string {
  const rows = [
    ['case', 'wall (median)', '× bare', '− bare', 'CPU', 'CPU × bare', 'peak RSS', 'wall min–max', 'min × bare min']
  ]
  for (const c of r.rows) {
    rows.push([
      c.case,
      fmtMs(c.wallMs),
      fmtRatio(c.ratioToBare),
      c.kind === 'bare' ? '—' : `+${fmtMs(c.overBareMs)}`,
      fmtMs(c.cpuMs),
      fmtRatio(c.cpuRatioToBare),
      fmtMiB(c.peakRssMiB),
      `${fmtMs(c.wallMinMs)}–${fmtMs(c.wallMaxMs)}`,
      fmtRatio(c.bestRatioToBare)
    ])
  }
  const head = `Cold start, Node ${r.node}, median of ${r.runs} interleaved runs${r.gnuTime ? '' : ' (no /usr/bin/time: install the Debian package `time` for CPU and RSS)'}`
  const target = `Targets: wall ≤ ${r.targets.wallMs} ms (0.5 × ${r.targets.baselineWallMs} ms), peak RSS ≤ ${r.targets.peakRssMiB} MiB`
  return `${head}\n${renderTable(rows)}\n${target}`
}

export function ecsTable(rows: readonly EcsLatencyRow[]): string {
  const table = [
    [
      'strategy',
      'poll',
      'runs',
      'noticed (median)',
      'exit (median)',
      'exit min–max',
      'waited',
      'calls/min',
      'calls/tick',
      'peak RSS'
    ]
  ]
  for (const r of rows) {
    table.push([
      r.strategy,
      `${fmtMs(r.pollMs)}${r.pollSource === 'default' ? ' (default)' : ''}`,
      String(r.runs),
      fmtMs(r.noticedMs.median),
      fmtMs(r.exitMs.median),
      `${fmtMs(r.exitMs.min)}–${fmtMs(r.exitMs.max)}`,
      fmtMs(r.waitMs),
      r.callsPerMinute === null ? 'n/a' : r.callsPerMinute.toFixed(1),
      r.callsPerTick === null ? 'n/a' : r.callsPerTick.toFixed(2),
      fmtMiB(r.peakRssMiB)
    ])
  }
  return `ECS: deployment complete (emulator) → action noticed / main step exited\n${renderTable(table)}`
}

export function sshTable(r: RollingResult): string {
  const table = [
    [
      'N × batch',
      'host direct',
      'ideal',
      'ideal ∥',
      'action',
      '× ideal',
      '× ideal ∥',
      'loop',
      'action × loop',
      'loop × ideal',
      '+/host',
      'post'
    ]
  ]
  for (const row of r.rows) {
    table.push([
      `${row.hosts} × ${row.batch}`,
      fmtMs(row.hostMs),
      fmtMs(row.idealMs),
      row.idealParallelMs === null ? '—' : fmtMs(row.idealParallelMs),
      fmtMs(row.actionMs),
      fmtRatio(row.actionToIdeal),
      row.actionToIdealParallel === null ? '—' : fmtRatio(row.actionToIdealParallel),
      fmtMs(row.loopMs),
      fmtRatio(row.actionToLoop),
      fmtRatio(row.loopToIdeal),
      fmtMs(row.overheadPerHostMs),
      fmtMs(row.actionPostMs)
    ])
  }
  const what =
    r.imageMib > 0
      ? `every deploy a new build under a new tag, ${r.imageMib} MiB to download per host`
      : 'deploys between tags v1 and v2, which every host has (nothing to download)'
  const lines = [
    `ssh-rolling on ${r.fullHosts} full lab hosts, ${what} (health polled every ${r.healthIntervalMs} ms by all)`,
    renderTable(table)
  ]
  for (const row of r.rows) {
    const phases = row.phases.map((p) => `${p.phase} ${fmtMs(p.medianMs)}`).join(', ')
    const st = row.stagesMs
    lines.push(
      `  ${row.hosts} × ${row.batch} report phases (median per host): ${phases}; fixed (all but pull/up/health) ${fmtMs(row.fixedPhasesPerHostMs)}; direct pull ${fmtMs(row.directBreakdownMs.pull)}, up ${fmtMs(row.directBreakdownMs.up)}, health ${fmtMs(row.directBreakdownMs.health)}`,
      `  ${row.hosts} × ${row.batch} stages (slowest host, all at once): pre-flight ${fmtMs(st?.preflight ?? null)}, backup + pull ${fmtMs(st?.prepare ?? null)}; then each host's turn ${fmtMs(st?.turn ?? null)} (median)`
    )
  }
  lines.push(`  ssh2 connect (handshake + auth) to one host: ${fmtMs(r.connectMs)} median`)
  if (r.projection?.length) {
    const parts = r.projection.map(
      (p) => `${p.hosts} hosts: action ${fmtMs(p.actionMs)}, loop ${fmtMs(p.loopMs)} (${fmtRatio(p.actionToLoop)})`
    )
    lines.push(
      `  model, hosts with their own CPU, batch 1 (1 × 1 action wall + (N − 1) turns vs N × 1 × 1 loop): ${parts.join('; ')}`
    )
  }
  for (const s of r.skipped) lines.push(`  skipped ${s.plan.hosts} × ${s.plan.batch}: ${s.reason}`)
  return lines.join('\n')
}

export function scaleTable(r: ScaleResult): string {
  const table = [
    [
      'hosts',
      'batch',
      'outcome',
      'reached',
      'main wall',
      'per host',
      'main peak RSS',
      'main CPU',
      'post wall',
      'post RSS'
    ]
  ]
  for (const row of r.rows) {
    table.push([
      String(row.hosts),
      String(row.batch),
      row.outcome,
      `${row.hostsReached}/${row.hosts}`,
      fmtMs(row.mainMs),
      fmtMs(row.perHostMs),
      fmtMiB(row.mainPeakRssMiB),
      fmtMs(row.mainCpuMs),
      fmtMs(row.postMs),
      fmtMiB(row.postPeakRssMiB)
    ])
  }
  const lines = [`ssh-rolling dry run on sshd-only hosts`, renderTable(table)]
  const reasons = r.rows.at(-1)?.reasons
  if (reasons) for (const [why, n] of Object.entries(reasons)) lines.push(`  ${n} × ${why}`)
  for (const s of r.skipped) lines.push(`  skipped ${s.hosts} hosts: ${s.reason}`)
  return lines.join('\n')
}

const ZD_LABELS: Record<ZdCase, string> = {
  plain: 'plain `docker compose up -d` on the host',
  'start-first': 'action, default inputs (start-first)',
  'stop-first': 'action, `update-order: stop-first`'
}

export function zdTable(r: ZdResult): string {
  const reps = Array.from({ length: r.reps }, (_, i) => i + 1)
  const failed = [['case', ...reps.map((i) => `rep ${i}`), 'failed / total']]
  for (const c of r.cases) {
    failed.push([
      ZD_LABELS[c.case],
      ...reps.map((i) => {
        const s = c.reps.find((x) => x.rep === i)
        return s ? `${s.failed} / ${s.total}` : '—'
      }),
      `${c.failed} / ${c.total}`
    ])
  }
  const turns = [['case', 'host turn (median)', ...reps.map((i) => `rep ${i}`), 'deploy wall (median)']]
  for (const c of r.cases) {
    turns.push([
      c.case === 'plain' ? 'plain `up -d` → healthy (reference)' : ZD_LABELS[c.case],
      fmtMs(c.turnMs),
      ...reps.map((i) => fmtMs(c.reps.find((x) => x.rep === i)?.turnMs)),
      fmtMs(c.deployMs)
    ])
  }
  const lines = [
    `Requests failed during a deploy: ${r.clients} clients GET /version through the proxy on ${r.host}, ${r.reps} reps (cases alternate)`,
    renderTable(failed),
    '',
    `Host turn time (the action's report: the host's phases after backup and pull)`,
    renderTable(turns),
    `  start-first / stop-first: ${fmtRatio(r.turnRatio)}`
  ]
  if (r.switchDelayMs !== undefined) {
    lines.push(
      `  start-first also sleeps switch-delay (${fmtMs(r.switchDelayMs)}) between gate and switch, in no phase: with it, start-first / stop-first ${fmtRatio(r.turnRatioWithDelay)}`
    )
  }
  for (const c of r.cases) {
    if (c.phases.length > 0) {
      const phases = c.phases.map((p) => `${p.phase} ${fmtMs(p.medianMs)}`).join(', ')
      lines.push(`  ${c.case} phases (median): ${phases}`)
    }
    const plain = c.reps.flatMap((x) => (x.plainMs ? [x.plainMs] : []))
    if (plain.length > 0) {
      lines.push(
        `  plain (median): pull ${fmtMs(median(plain.map((p) => p.pull)))}, up -d ${fmtMs(median(plain.map((p) => p.up)))}, then healthy after ${fmtMs(median(plain.map((p) => p.healthy)))}`
      )
    }
  }
  return lines.join('\n')
}

// ---------------------------------------------------------------------------------------------------------------

async function measure<T>(fn: () => Promise<T>): Promise<Measurement<T>> {
  const startedAt = new Date()
  const m = machine()
  const result = await fn()
  return {
    measuredAt: startedAt.toISOString(),
    durationS: Math.round((Date.now() - startedAt.getTime()) / 100) / 10,
    machine: m,
    loadAverageAfter: os.loadavg().map((l) => Math.round(l * 100) / 100),
    result
  }
}

function readResults(file: string): ResultsFile {
  try {
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as ResultsFile
    if (parsed.schema === 1) return parsed
  } catch {
    // none yet, or unreadable: start afresh
  }
  return { schema: 1, updatedAt: '', parts: {} }
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      smoke: { type: 'boolean', default: false },
      parts: { type: 'string' },
      runs: { type: 'string' },
      'ecs-runs': { type: 'string' },
      'ssh-reps': { type: 'string' },
      'scale-reps': { type: 'string' },
      'zd-reps': { type: 'string' },
      'image-mib': { type: 'string' },
      out: { type: 'string' },
      print: { type: 'boolean', default: false }
    }
  })
  const smoke = values.smoke ?? false
  const int = (raw: string | undefined, fallback: number, name: string): number => {
    if (raw === undefined) return fallback
    const n = Number(raw)
    if (!Number.isInteger(n) || n < 1) throw new Error(`--${name}: expected a positive integer, got '${raw}'`)
    return n
  }
  const parts = (values.parts ?? (smoke ? 'cold,ecs' : PARTS.join(','))).split(',').map((p) => p.trim()) as Part[]
  for (const p of parts) if (!PARTS.includes(p)) throw new Error(`--parts: unknown part '${p}' (${PARTS.join(', ')})`)
  const runs = int(values.runs, smoke ? 2 : 15, 'runs')
  const ecsRuns = int(values['ecs-runs'], 6, 'ecs-runs')
  const sshReps = int(values['ssh-reps'], 3, 'ssh-reps')
  const scaleReps = int(values['scale-reps'], 3, 'scale-reps')
  const zdReps = int(values['zd-reps'], 3, 'zd-reps')
  const imageMib = int(values['image-mib'], 64, 'image-mib')
  const out = values.out ?? (smoke ? path.join(os.tmpdir(), 'deploy-action-bench-smoke.json') : RESULTS_FILE)
  const progress = (line: string): void => console.error(`  … ${line}`)

  const results = readResults(out)
  if (values.print) {
    const {
      coldStart: c,
      ecsLatency: e,
      sshRolling: s,
      sshRollingNewTags: sn,
      sshScale: sc,
      zeroDowntime: z
    } = results.parts
    const when = (m: Measurement<unknown>): string =>
      `(${m.measuredAt}, ${m.machine.cpus} CPUs, load ${m.machine.loadAverage.join(' ')} → ${m.loadAverageAfter.join(' ')})`
    if (c) console.log(`\n${coldStartTable(c.result)}\n${when(c)}`)
    if (e) console.log(`\n${ecsTable(e.result)}\n${when(e)}`)
    if (s) console.log(`\n${sshTable(s.result)}\n${when(s)}`)
    if (sn) console.log(`\n${sshTable(sn.result)}\n${when(sn)}`)
    if (sc) console.log(`\n${scaleTable(sc.result)}\n${when(sc)}`)
    if (z) console.log(`\n${zdTable(z.result)}\n${when(z)}`)
    return 0
  }
  let failed = false
  const attempt = async (name: string, fn: () => Promise<void>): Promise<void> => {
    try {
      await fn()
    } catch (error) {
      failed = true
      console.error(`\n${name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`)
    }
  }
  const save = (): void => {
    results.updatedAt = new Date().toISOString()
    fs.writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`)
  }

  if (parts.includes('cold')) {
    await attempt('cold start', async () => {
      results.parts.coldStart = await measure(() => coldStart(runs, progress))
      save()
      console.log(`\n${coldStartTable(results.parts.coldStart.result)}`)
    })
  }
  if (parts.includes('ecs')) {
    await attempt('ECS latency', async () => {
      results.parts.ecsLatency = await measure(() => ecsLatency(ecsPlans(ecsRuns, smoke), progress))
      save()
      console.log(`\n${ecsTable(results.parts.ecsLatency.result)}`)
    })
  }
  const lab = parts.some((p) => p === 'ssh' || p === 'ssh-new' || p === 'scale' || p === 'zd') ? openLab() : undefined
  if (lab && 'unavailable' in lab) console.log(`\nSSH lab parts skipped: ${lab.unavailable}`)
  if (lab && 'book' in lab) {
    const { book } = lab
    if (parts.includes('ssh')) {
      if (!book.hosts.some((h) => h.kind === 'full')) console.log('\nssh-rolling skipped: the lab has no full hosts')
      else
        await attempt('ssh-rolling', async () => {
          results.parts.sshRolling = await measure(() => sshRolling(book, ROLLING_PLANS, sshReps, progress))
          save()
          console.log(`\n${sshTable(results.parts.sshRolling.result)}`)
        })
    }
    if (parts.includes('ssh-new')) {
      if (!book.hosts.some((h) => h.kind === 'full'))
        console.log('\nssh-rolling (new tags) skipped: the lab has no full hosts')
      else
        await attempt('ssh-rolling (new tags)', async () => {
          results.parts.sshRollingNewTags = await measure(() =>
            sshRolling(book, ROLLING_PLANS, sshReps, progress, imageMib)
          )
          save()
          console.log(`\n${sshTable(results.parts.sshRollingNewTags.result)}`)
        })
    }
    if (parts.includes('scale')) {
      if (!book.hosts.some((h) => h.kind === 'sshd-only'))
        console.log('\nscale skipped: the lab has no sshd-only hosts')
      else
        await attempt('scale', async () => {
          results.parts.sshScale = await measure(() => sshScale(book, SCALE_SIZES, scaleReps, progress))
          save()
          console.log(`\n${scaleTable(results.parts.sshScale.result)}`)
        })
    }
    if (parts.includes('zd')) {
      if (!book.hosts.some((h) => h.kind === 'full' && h.name === ZD_HOST))
        console.log(`\nzd skipped: the lab has no full host ${ZD_HOST}`)
      else
        await attempt('zd', async () => {
          results.parts.zeroDowntime = await measure(() => zeroDowntime(book, zdReps, progress))
          save()
          console.log(`\n${zdTable(results.parts.zeroDowntime.result)}`)
        })
    }
  }
  console.log(`\nResults: ${out}`)
  return failed ? 1 : 0
}

if (process.argv[1] && fs.realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : String(error))
      process.exit(2)
    }
  )
}
