/**
 * Part 3 — ssh-rolling at scale on sshd-only lab hosts (an sshd in its own network namespace, no docker), batch
 * size 10, `dry-run: true`: the action's pre-flight of every host (connect, verify the host key, authenticate, run
 * the pre-flight script) and, when that passes, lock and release. Measured: the main step's wall time and peak RSS,
 * and the post step's. The hosts have no docker, so the pre-flight script stops at its docker check: unless the
 * hosts pass, what is measured is "connect + pre-flight round trip up to the docker check, on every host", and the
 * result says so (outcome and the failure reasons per host).
 */
import fs from 'node:fs'
import { runActionMeasured } from './lib/action.js'
import { assertLabRoutes, spec, type LabAddressBook } from './lib/lab.js'
import { median, round } from './lib/stats.js'

export const SCALE_BATCH = 10

export interface ScaleRow {
  hosts: number
  batch: number
  reps: number
  /** `planned` (every host passed pre-flight) or `pre-flight failed`. */
  outcome: string
  /** Failure reasons (first 100 characters) → number of hosts, from the report. */
  reasons: Record<string, number>
  /** Hosts whose report shows the pre-flight script ran (it returned a result), i.e. connected and authenticated. */
  hostsReached: number
  mainMs: number | null
  mainPeakRssMiB: number | null
  mainCpuMs: number | null
  postMs: number | null
  postPeakRssMiB: number | null
  perHostMs: number | null
  samples: { mainMs: number[]; postMs: number[]; mainPeakRssMiB: number[] }
}

export interface ScaleResult {
  sshdOnlyHosts: number
  rows: ScaleRow[]
  skipped: { hosts: number; reason: string }[]
}

interface Target {
  name: string
  outcome: string
  error?: string
  phases: { name: string; ok: boolean; durationMs: number }[]
}

export async function sshScale(
  book: LabAddressBook,
  sizes: readonly number[],
  reps: number,
  log: (line: string) => void = () => undefined
): Promise<ScaleResult> {
  const pool = book.hosts.filter((h) => h.kind === 'sshd-only')
  const skipped: ScaleResult['skipped'] = []
  const runnable = sizes.filter((n) => {
    if (n <= pool.length) return true
    skipped.push({
      hosts: n,
      reason: `the lab has ${pool.length} sshd-only hosts (npm run lab:up -- --hosts 0 --sshd-only-hosts ${n})`
    })
    return false
  })
  assertLabRoutes(book, pool.slice(0, Math.max(0, ...runnable)))
  const key = fs.readFileSync(book.keys.privateKey, 'utf8')
  const knownHosts = fs.readFileSync(book.knownHosts.plain, 'utf8')
  const rows: ScaleRow[] = []
  for (const n of runnable) {
    const hosts = pool.slice(0, n)
    const mains: number[] = []
    const posts: number[] = []
    const rss: number[] = []
    const postRss: number[] = []
    const cpu: number[] = []
    let outcome = ''
    let reasons: Record<string, number> = {}
    let reached = 0
    for (let rep = 0; rep < reps; rep++) {
      const r = await runActionMeasured({
        inputs: {
          strategy: 'ssh-rolling',
          image: `${book.images.repository}:v2`,
          hosts: hosts.map(spec).join('\n'),
          'ssh-private-key': key,
          'ssh-known-hosts': knownHosts,
          'app-dir': book.app.dir,
          'batch-size': String(SCALE_BATCH),
          'dry-run': 'true',
          'timeout-minutes': '10'
        },
        post: true,
        timeoutMs: 11 * 60_000
      })
      const report = JSON.parse(r.main.outputs.report ?? '{}') as { status?: string; targets?: Target[] }
      const targets = report.targets ?? []
      if (targets.length !== n) {
        throw new Error(
          `dry run on ${n} hosts: the report has ${targets.length} targets:\n${r.main.stdout.slice(-3000)}`
        )
      }
      outcome = report.status === 'planned' ? 'planned' : 'pre-flight failed'
      reasons = {}
      for (const t of targets) {
        const why = t.error ? t.error.slice(0, 100) : 'passed'
        reasons[why] = (reasons[why] ?? 0) + 1
      }
      // Every connection is a `connect` phase: ok when the host was reached (connected, host key verified, signed in).
      reached = targets.filter((t) => t.phases.some((p) => p.name === 'connect' && p.ok)).length
      mains.push(r.main.wallMs)
      if (r.main.peakRssMiB !== undefined) rss.push(r.main.peakRssMiB)
      if (r.main.cpuMs !== undefined) cpu.push(r.main.cpuMs)
      if (r.post) posts.push(r.post.wallMs)
      if (r.post?.peakRssMiB !== undefined) postRss.push(r.post.peakRssMiB)
      log(
        `ssh scale ${n} hosts: rep ${rep + 1}/${reps}: main ${Math.round(r.main.wallMs)} ms (${outcome}), post ${Math.round(r.post?.wallMs ?? 0)} ms`
      )
    }
    rows.push({
      hosts: n,
      batch: SCALE_BATCH,
      reps,
      outcome,
      reasons,
      hostsReached: reached,
      mainMs: round(median(mains)),
      mainPeakRssMiB: rss.length ? round(median(rss)) : null,
      mainCpuMs: cpu.length ? round(median(cpu)) : null,
      postMs: posts.length ? round(median(posts)) : null,
      postPeakRssMiB: postRss.length ? round(median(postRss)) : null,
      perHostMs: round(median(mains) / n),
      samples: {
        mainMs: mains.map((m) => round(m) as number),
        postMs: posts.map((m) => round(m) as number),
        mainPeakRssMiB: rss.map((m) => round(m) as number)
      }
    })
  }
  return { sshdOnlyHosts: pool.length, rows, skipped }
}
