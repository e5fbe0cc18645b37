/**
 * Part 2 — ssh-rolling overhead on the lab's full hosts. For each plan (N hosts, batch size B) and each repetition,
 * in this order and so under the same load:
 *   - direct: on one host, over one ssh session, a script times (on the host) `docker compose pull`,
 *     `docker compose up -d` and curl polling /health until it answers — the remote work of one host, no client
 *     overhead; done twice (to the other version and back) so the fleet stays uniform. With B > 1 the same again on
 *     B hosts at once (the remote work of one batch on this machine, where hosts share 2 cores);
 *   - action: the bundled action (main, then post) deploying the other version to the N hosts with batch size B;
 *   - loop: the plain sequential loop `ssh host 'cd /app && … docker compose pull && docker compose up -d'` then
 *     curl polling /health until OK, host after host, back to the first version.
 * Ideal = ceil(N/B) × the direct time of one host (and, with B > 1, ceil(N/B) × the direct time of a batch).
 * The per-host fixed overhead comes from the action's `report` output (phases with durations, `connect` included);
 * as a reference, SSH connection setup is also timed on its own with ssh2 (the action's SSH library).
 */
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { performance } from 'node:perf_hooks'
import { Client } from 'ssh2'
import { sshFingerprint } from '../lab/address-book.js'
import { runActionMeasured } from './lib/action.js'
import { assertLabRoutes, curlUntilOk, run, spec, ssh, sshArgs, type LabAddressBook, type LabHost } from './lib/lab.js'
import { batchCount, median, ratio, round } from './lib/stats.js'

const LAB_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../lab')

export interface RollingPlan {
  hosts: number
  batch: number
}

/** Health polling interval used by all three methods (the action's `health-check-interval`, curl's loop). */
export const HEALTH_INTERVAL_MS = 250
export const VERSIONS = ['v1', 'v2'] as const
type Version = (typeof VERSIONS)[number]
const other = (v: Version): Version => (v === 'v1' ? 'v2' : 'v1')

/**
 * Times pull, up and health on the host itself; prints `pullMs upMs healthMs`. Args: IMAGE HEALTH_URL VERSION_URL
 * VERSION INTERVAL_S. The script arrives on stdin (`sh -s`): compose must not read the rest of it.
 */
const DIRECT_SCRIPT = `set -u
cd "$APP_DIR" || exit 1
ms() { echo $(( $(date +%s%N) / 1000000 )); }
t0=$(ms)
printf 'IMAGE=%s\\n' "$1" > .env
docker compose pull </dev/null >/dev/null 2>&1 || { echo "pull failed" >&2; exit 1; }
t1=$(ms)
docker compose up -d </dev/null >/dev/null 2>&1 || { echo "up failed" >&2; exit 1; }
t2=$(ms)
n=0
until curl -fsS -o /dev/null --max-time 2 "$2" 2>/dev/null; do
  n=$((n + 1)); [ "$n" -lt 400 ] || { echo "not healthy" >&2; exit 1; }
  sleep "$5"
done
t3=$(ms)
v=$(curl -fsS --max-time 2 "$3")
[ "$v" = "$4" ] || { echo "version $v, expected $4" >&2; exit 1; }
echo "$((t1 - t0)) $((t2 - t1)) $((t3 - t2))"
`

interface Direct {
  pullMs: number
  upMs: number
  healthMs: number
  totalMs: number
}

export interface PhaseStat {
  phase: string
  medianMs: number | null
  /** How many host-deploys had the phase. */
  n: number
}

export interface RollingRow {
  hosts: number
  batch: number
  batches: number
  reps: number
  /** Median remote pull+up+health of one host (direct). */
  hostMs: number | null
  directBreakdownMs: { pull: number | null; up: number | null; health: number | null }
  /** Median wall time of B hosts done directly at once (B > 1 only). */
  batchMs: number | null
  idealMs: number | null
  idealParallelMs: number | null
  actionMs: number | null
  actionPostMs: number | null
  actionPeakRssMiB: number | null
  loopMs: number | null
  actionToIdeal: number | null
  actionToIdealParallel: number | null
  actionToLoop: number | null
  loopToIdeal: number | null
  /** (action − ideal) / N: what the action adds per host. */
  overheadPerHostMs: number | null
  phases: PhaseStat[]
  /** Sum of the report's phases other than pull, up and health, per host (median). */
  fixedPhasesPerHostMs: number | null
  /** Medians of `deployStages` over the repetitions (turn: over every host of every repetition). */
  stagesMs?: { preflight: number | null; prepare: number | null; turn: number | null }
  samples: { actionMs: number[]; loopMs: number[]; hostMs: number[]; batchMs: number[] }
}

export interface RollingResult {
  fullHosts: number
  /**
   * 0: deploys alternate between the tags v1 and v2, which every host already has (no download; the cost is compose
   * and the client). N > 0: every deploy — direct, action, loop — ships a new build under a new tag carrying N MiB of
   * random bytes, as a CI pipeline tagging each build does: every host downloads and extracts N MiB.
   */
  imageMib: number
  healthIntervalMs: number
  /** ssh2 connect (TCP + handshake + host key check + public key auth) to one lab host, median. */
  connectMs: number | null
  connectSamplesMs: number[]
  rows: RollingRow[]
  skipped: { plan: RollingPlan; reason: string }[]
  /** A model, not a measurement: see `projectBatchOfOne`. */
  projection?: Projection[]
}

/** N hosts at batch 1 on hosts that each have their own CPU, projected from the 1 × 1 row's measurements. */
export interface Projection {
  hosts: number
  actionMs: number | null
  loopMs: number | null
  actionToLoop: number | null
}

export const PROJECTED_HOSTS = [4, 8, 20] as const

/**
 * On this lab every host shares the machine's cores, so what the action runs on all hosts at once (pre-flight,
 * backup and pull) competes for CPU that real hosts would each have to themselves. This projects, from the 1 × 1 row
 * (one host, nothing in parallel), what N hosts at batch 1 would take when each host has its own CPU: the action's
 * one-host wall time plus (N − 1) more turns (its stages before the first batch are paid once), against N times the
 * loop's one-host wall time. It assumes the per-host work does not depend on the number of hosts.
 */
export function projectBatchOfOne(
  one: RollingRow | undefined,
  hosts: readonly number[] = PROJECTED_HOSTS
): Projection[] {
  const turn = one?.stagesMs?.turn
  if (!one || one.hosts !== 1 || one.batch !== 1 || one.actionMs === null || one.loopMs === null || turn == null) {
    return []
  }
  const action = one.actionMs
  const loop = one.loopMs
  return hosts.map((n) => {
    const actionMs = action + (n - 1) * turn
    const loopMs = n * loop
    return {
      hosts: n,
      actionMs: round(actionMs),
      loopMs: round(loopMs),
      actionToLoop: round(ratio(actionMs, loopMs), 2)
    }
  })
}

const tag = (book: LabAddressBook, v: string): string => `${book.images.repository}:${v}`

/** What one deploy ships: an image reference and the version its app reports. */
interface Release {
  ref: string
  version: Version
}

/** The tags of new builds end in their version (`bench-<id>-v2`); the lab's own tags are the version. */
const versionOfTag = (t: string | undefined): string | undefined => t?.split('-').pop()

let pushes = 0
/**
 * The release to deploy `v`: the lab's tag `v`, or with `imageMib` > 0 a new build pushed now (not timed) under a
 * tag of its own, carrying that many MiB.
 */
async function release(book: LabAddressBook, v: Version, imageMib: number): Promise<Release> {
  if (imageMib <= 0) return { ref: tag(book, v), version: v }
  const name = `bench-${process.pid.toString(36)}${(pushes++).toString(36)}-${v}`
  await run('env', [`PAD_MIB=${imageMib}`, 'bash', path.join(LAB_DIR, 'push.sh'), name, v], undefined, 300_000)
  return { ref: tag(book, name), version: v }
}

function envVersion(book: LabAddressBook, h: LabHost): string | undefined {
  try {
    const text = fs.readFileSync(path.join(h.appDir, book.app.envFile), 'utf8')
    const value = /^IMAGE=(.*)$/m
      .exec(text)?.[1]
      ?.trim()
      .replace(/^(['"])(.*)\1$/, '$2')
    return versionOfTag(value?.split(':').pop())
  } catch {
    return undefined
  }
}

async function direct(book: LabAddressBook, h: LabHost, rel: Release): Promise<Direct> {
  const url = (p: string): string => `http://127.0.0.1:${book.app.port}${p}`
  const script = `APP_DIR=${book.app.dir}\n${DIRECT_SCRIPT}`
  const { stdout } = await ssh(book, h, script, [
    rel.ref,
    url(book.app.healthPath),
    url(book.app.versionPath),
    rel.version,
    String(HEALTH_INTERVAL_MS / 1000)
  ])
  const [pullMs = NaN, upMs = NaN, healthMs = NaN] = stdout.trim().split(/\s+/).map(Number)
  if (![pullMs, upMs, healthMs].every(Number.isFinite)) throw new Error(`direct on ${h.name}: bad output '${stdout}'`)
  return { pullMs, upMs, healthMs, totalMs: pullMs + upMs + healthMs }
}

async function loopDeploy(book: LabAddressBook, hosts: readonly LabHost[], rel: Release): Promise<number> {
  const started = performance.now()
  for (const h of hosts) {
    const command = `cd ${book.app.dir} && printf 'IMAGE=%s\\n' '${rel.ref}' > ${book.app.envFile} && docker compose pull && docker compose up -d`
    await run('ssh', [...sshArgs(book, h), command])
    await curlUntilOk(`${h.appUrl ?? ''}${book.app.healthPath}`, HEALTH_INTERVAL_MS)
  }
  const wall = performance.now() - started
  for (const h of hosts) await expectVersion(book, h, rel.version)
  return wall
}

async function expectVersion(book: LabAddressBook, h: LabHost, v: Version): Promise<void> {
  const { stdout } = await run('curl', ['-fsS', '--max-time', '2', `${h.appUrl ?? ''}${book.app.versionPath}`])
  if (stdout.trim() !== v) throw new Error(`${h.name} runs ${stdout.trim()}, expected ${v}`)
}

export interface ReportTarget {
  name: string
  outcome: string
  phases: { name: string; ok: boolean; durationMs: number }[]
}

async function actionDeploy(
  book: LabAddressBook,
  hosts: readonly LabHost[],
  batch: number,
  rel: Release
): Promise<{ wallMs: number; postMs: number | undefined; rssMiB: number | undefined; targets: ReportTarget[] }> {
  const run_ = await runActionMeasured({
    inputs: {
      strategy: 'ssh-rolling',
      image: rel.ref,
      hosts: hosts.map(spec).join('\n'),
      'ssh-private-key': fs.readFileSync(book.keys.privateKey, 'utf8'),
      'ssh-known-hosts': fs.readFileSync(book.knownHosts.plain, 'utf8'),
      'app-dir': book.app.dir,
      'health-check-url': `http://{host}:${book.app.port}${book.app.healthPath}`,
      'health-check-interval': `${HEALTH_INTERVAL_MS}ms`,
      'health-check-timeout': '2s',
      'health-check-retries': '120',
      'batch-size': String(batch),
      'timeout-minutes': '10'
    },
    post: true,
    timeoutMs: 11 * 60_000
  })
  const { main } = run_
  if (main.exitCode !== 0 || main.outputs.status !== 'succeeded') {
    throw new Error(
      `action deploy of ${rel.ref} failed (exit ${String(main.exitCode)}): ${main.errors.join('; ')}\n${main.stdout.slice(-3000)}`
    )
  }
  for (const h of hosts) await expectVersion(book, h, rel.version)
  const report = JSON.parse(main.outputs.report ?? '{}') as { targets?: ReportTarget[] }
  return { wallMs: main.wallMs, postMs: run_.post?.wallMs, rssMiB: main.peakRssMiB, targets: report.targets ?? [] }
}

/** Times ssh2 connections (ready = authenticated) to a host, one after another. */
async function timeConnects(book: LabAddressBook, h: LabHost, count: number): Promise<number[]> {
  const key = fs.readFileSync(book.keys.privateKey)
  const allowed = new Set(Object.values(h.hostKeyFingerprints))
  const samples: number[] = []
  for (let i = 0; i < count; i++) {
    const started = performance.now()
    await new Promise<void>((resolve, reject) => {
      const client = new Client()
      client
        .on('ready', () => {
          samples.push(performance.now() - started)
          client.end()
          resolve()
        })
        .on('error', reject)
        .connect({
          host: h.address,
          port: h.port,
          username: h.user,
          privateKey: key,
          readyTimeout: 20_000,
          hostVerifier: (raw: Buffer) => allowed.has(sshFingerprint(raw))
        })
    })
  }
  return samples
}

/** Brings every host of `hosts` to `v` (unmeasured), directly, with the lab's own tag. */
async function align(book: LabAddressBook, hosts: readonly LabHost[], v: Version): Promise<void> {
  for (const h of hosts) if (envVersion(book, h) !== v) await direct(book, h, { ref: tag(book, v), version: v })
}

const FIXED_EXCLUDED = new Set(['pull', 'up', 'health'])
const PREFLIGHT_PHASES = new Set(['connect', 'preflight', 'lock'])
const PREPARE_PHASES = new Set(['backup', 'pull'])
const NOT_TURN = new Set([...PREFLIGHT_PHASES, ...PREPARE_PHASES, 'unlock'])

export interface DeployStages {
  /** Pre-flight (connect, checks, lock) of the slowest host: all hosts run it at once. */
  preflightMs: number
  /** Backup and pull of the slowest host: all hosts run them at once, after every pre-flight. */
  prepareMs: number
  /** Each host's turn in its batch (apply, up, health, audit and any user commands), per host. */
  turnsMs: number[]
}

/** Where one deploy's time went, from its report: the two stages before the first batch, then each host's turn. */
export function deployStages(targets: readonly ReportTarget[]): DeployStages {
  const sum = (t: ReportTarget, keep: (name: string) => boolean): number =>
    t.phases.filter((p) => keep(p.name)).reduce((total, p) => total + p.durationMs, 0)
  return {
    preflightMs: Math.max(0, ...targets.map((t) => sum(t, (n) => PREFLIGHT_PHASES.has(n)))),
    prepareMs: Math.max(0, ...targets.map((t) => sum(t, (n) => PREPARE_PHASES.has(n)))),
    turnsMs: targets.map((t) => sum(t, (n) => !NOT_TURN.has(n)))
  }
}

export async function sshRolling(
  book: LabAddressBook,
  plans: readonly RollingPlan[],
  reps: number,
  log: (line: string) => void = () => undefined,
  imageMib = 0
): Promise<RollingResult> {
  const next = (v: Version): Promise<Release> => release(book, v, imageMib)
  const full = book.hosts.filter((h) => h.kind === 'full')
  const skipped: RollingResult['skipped'] = []
  const runnable = plans.filter((p) => {
    if (p.hosts <= full.length) return true
    skipped.push({ plan: p, reason: `the lab has ${full.length} full hosts (npm run lab:up -- --hosts ${p.hosts})` })
    return false
  })
  const used = full.slice(0, Math.max(0, ...runnable.map((p) => p.hosts)))
  assertLabRoutes(book, used)
  for (const h of used) {
    if (fs.existsSync(path.join(h.appDir, '.deploy', 'lock'))) {
      throw new Error(
        `${h.name} holds a deploy lock (${h.appDir}/.deploy/lock): another deploy runs, or one was cut short`
      )
    }
  }
  log(`ssh-rolling: bringing ${used.length} hosts to v1`)
  await align(book, used, 'v1')
  const connectSamples = used[0] ? await timeConnects(book, used[0], 10) : []

  const rows: RollingRow[] = []
  for (const plan of runnable) {
    const hosts = full.slice(0, plan.hosts)
    const batchHosts = hosts.slice(0, plan.batch)
    const hostDirect: Direct[] = []
    const batchWalls: number[] = []
    const actions: Awaited<ReturnType<typeof actionDeploy>>[] = []
    const loops: number[] = []
    for (let rep = 0; rep < reps; rep++) {
      // Every repetition starts and ends with the plan's hosts on v1.
      await align(book, hosts, 'v1')
      const first = hosts[0] as LabHost
      hostDirect.push(await direct(book, first, await next('v2')), await direct(book, first, await next('v1')))
      if (plan.batch > 1) {
        for (const v of ['v2', 'v1'] as const) {
          const rel = await next(v)
          const started = performance.now()
          await Promise.all(batchHosts.map((h) => direct(book, h, rel)))
          batchWalls.push(performance.now() - started)
        }
      }
      const deployed = await actionDeploy(book, hosts, plan.batch, await next(other('v1')))
      actions.push(deployed)
      loops.push(await loopDeploy(book, hosts, await next('v1')))
      log(
        `ssh-rolling ${plan.hosts}×${plan.batch}: rep ${rep + 1}/${reps}: action ${Math.round(deployed.wallMs)} ms, loop ${Math.round(loops.at(-1) ?? 0)} ms, host ${Math.round(median(hostDirect.map((d) => d.totalMs)))} ms`
      )
    }

    const hostMs = median(hostDirect.map((d) => d.totalMs))
    const batchMs = plan.batch > 1 ? median(batchWalls) : hostMs
    const batches = batchCount(plan.hosts, plan.batch)
    const ideal = batches * hostMs
    const idealParallel = batches * batchMs
    const actionMs = median(actions.map((a) => a.wallMs))
    const loopMs = median(loops)
    const phaseNames = [...new Set(actions.flatMap((a) => a.targets.flatMap((t) => t.phases.map((p) => p.name))))]
    const phases: PhaseStat[] = phaseNames.map((name) => {
      const values = actions.flatMap((a) =>
        a.targets.flatMap((t) => t.phases.filter((p) => p.name === name).map((p) => p.durationMs))
      )
      return { phase: name, medianMs: round(median(values)), n: values.length }
    })
    const fixed = actions.flatMap((a) =>
      a.targets.map((t) =>
        t.phases.filter((p) => !FIXED_EXCLUDED.has(p.name)).reduce((sum, p) => sum + p.durationMs, 0)
      )
    )
    const stages = actions.map((a) => deployStages(a.targets))
    const posts = actions.flatMap((a) => (a.postMs === undefined ? [] : [a.postMs]))
    const rss = actions.flatMap((a) => (a.rssMiB === undefined ? [] : [a.rssMiB]))
    rows.push({
      hosts: plan.hosts,
      batch: plan.batch,
      batches,
      reps,
      hostMs: round(hostMs),
      directBreakdownMs: {
        pull: round(median(hostDirect.map((d) => d.pullMs))),
        up: round(median(hostDirect.map((d) => d.upMs))),
        health: round(median(hostDirect.map((d) => d.healthMs)))
      },
      batchMs: plan.batch > 1 ? round(batchMs) : null,
      idealMs: round(ideal),
      idealParallelMs: plan.batch > 1 ? round(idealParallel) : null,
      actionMs: round(actionMs),
      actionPostMs: posts.length ? round(median(posts)) : null,
      actionPeakRssMiB: rss.length ? round(median(rss)) : null,
      loopMs: round(loopMs),
      actionToIdeal: round(ratio(actionMs, ideal), 2),
      actionToIdealParallel: plan.batch > 1 ? round(ratio(actionMs, idealParallel), 2) : null,
      actionToLoop: round(ratio(actionMs, loopMs), 2),
      loopToIdeal: round(ratio(loopMs, batchCount(plan.hosts, 1) * hostMs), 2),
      overheadPerHostMs: round((actionMs - ideal) / plan.hosts),
      phases,
      fixedPhasesPerHostMs: fixed.length ? round(median(fixed)) : null,
      stagesMs: {
        preflight: round(median(stages.map((st) => st.preflightMs))),
        prepare: round(median(stages.map((st) => st.prepareMs))),
        turn: round(median(stages.flatMap((st) => st.turnsMs)))
      },
      samples: {
        actionMs: actions.map((a) => round(a.wallMs) as number),
        loopMs: loops.map((l) => round(l) as number),
        hostMs: hostDirect.map((d) => d.totalMs),
        batchMs: batchWalls.map((b) => round(b) as number)
      }
    })
  }
  return {
    fullHosts: full.length,
    imageMib,
    healthIntervalMs: HEALTH_INTERVAL_MS,
    connectMs: connectSamples.length ? round(median(connectSamples)) : null,
    connectSamplesMs: connectSamples.map((s) => round(s) as number),
    rows,
    skipped,
    projection: projectBatchOfOne(rows.find((r) => r.hosts === 1 && r.batch === 1))
  }
}
