/**
 * Part 4 — ECS detection latency and API cost, against the emulator (in this process, real SDK clients in the
 * action over HTTP). Each run deploys once and waits to the default wait point; the emulator's own record says when
 * the deployment reached it (CodeDeploy `completeTime`; the ECS deployment's `updatedAt` when its rollout turned
 * COMPLETED). Latency = that moment → the action printing it (noticed) and → the main step's exit. The deployment's
 * length is spread evenly over one poll interval across the runs, so completion falls at every phase of the poll
 * loop rather than always at the same one. API cost = calls in the emulator's log while the action waited
 * (CreateDeployment / UpdateService → completion), per minute.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { startEmulator, type CallRecord, type Emulator } from '../emulator/index.js'
import { runActionMeasured } from './lib/action.js'
import { median, round, stratified, summarize } from './lib/stats.js'

/** The action's default poll interval (src/strategies/ecs/poll.ts); runs with it leave the override unset. */
export const DEFAULT_POLL_MS = 5000

export interface EcsLatencyPlan {
  strategy: 'ecs-blue-green' | 'ecs-rolling'
  /** undefined = the action's default (poll-interval not given). */
  pollMs: number | undefined
  runs: number
  /** Emulator timings: one lifecycle step, and the fixed part of the last wait (spread by one poll interval). */
  stepMs: number
  tailMs: number
}

export interface EcsLatencyRun {
  deploymentId: string
  /** Wait start (CreateDeployment / UpdateService) → the emulator completing the deployment. */
  waitMs: number
  noticedMs: number
  exitMs: number
  calls: number
  callsByOp: Record<string, number>
  /** Calls after the completion until the process exited (the one that noticed it, usually). */
  callsAfterCompletion: number
  callsPerMinute: number
  peakRssMiB: number | null
}

export interface EcsLatencyRow {
  strategy: EcsLatencyPlan['strategy']
  pollMs: number
  pollSource: 'default' | 'poll-interval'
  runs: number
  noticedMs: { median: number | null; min: number | null; max: number | null; mean: number | null }
  exitMs: { median: number | null; min: number | null; max: number | null; mean: number | null }
  /** Median of the runs' waiting time (create → completion). */
  waitMs: number | null
  callsPerMinute: number | null
  /** API calls per poll tick (calls in the window / ticks of the follow loop's main read). */
  callsPerTick: number | null
  peakRssMiB: number | null
  samples: EcsLatencyRun[]
}

const CLUSTER = 'demo'
const SERVICES = { 'ecs-blue-green': 'web-bg', 'ecs-rolling': 'web-rolling' } as const
/** The call that starts the wait, and the call each poll tick makes once. */
const OPS = {
  'ecs-blue-green': { start: 'CreateDeployment', tick: 'GetDeployment' },
  'ecs-rolling': { start: 'UpdateService', tick: 'DescribeServices' }
} as const

function completionMs(emulator: Emulator, strategy: EcsLatencyPlan['strategy'], id: string): number | undefined {
  if (strategy === 'ecs-blue-green') {
    const d = emulator.control.state().deployments.find((x) => x.id === id)
    return d?.status === 'Succeeded' && d.completeTime !== undefined ? d.completeTime * 1000 : undefined
  }
  const service = emulator.model.clusters.get(CLUSTER)?.services.get(SERVICES['ecs-rolling'])
  const d = service?.deployments.find((x) => x.id === id)
  return d?.rolloutState === 'COMPLETED' ? d.updatedAt * 1000 : undefined
}

/**
 * The emulator's clock: its completion times and call log use `Date.now()`. `performance.timeOrigin + now()` drifts
 * from it when the wall clock is stepped (a VM resumed, NTP), which once put the exit 6 s before the completion.
 */
const nowMs = (): number => Date.now()

async function runOnce(emulator: Emulator, plan: EcsLatencyPlan, index: number): Promise<EcsLatencyRun> {
  const pollMs = plan.pollMs ?? DEFAULT_POLL_MS
  emulator.control.reset()
  const tail = Math.round(plan.tailMs + stratified(index, plan.runs, pollMs))
  emulator.control.configure(
    plan.strategy === 'ecs-blue-green'
      ? { stepMs: plan.stepMs, terminationWaitMs: tail }
      : { stepMs: plan.stepMs, rollingCompletionMs: tail }
  )
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-ecs-'))
  let seen = ''
  let noticedAt: number | undefined
  const noticed =
    plan.strategy === 'ecs-blue-green' ? /^Deployment d-\w+: Succeeded$/m : /^Deployment ecs-svc\/\d+: COMPLETED/m
  try {
    const run = await runActionMeasured({
      inputs: {
        strategy: plan.strategy,
        image: 'ghcr.io/acme/web:2.0.0',
        cluster: CLUSTER,
        service: SERVICES[plan.strategy],
        ...(plan.pollMs !== undefined ? { 'poll-interval': `${plan.pollMs}ms` } : {})
      },
      env: {
        AWS_ENDPOINT_URL: emulator.url,
        AWS_REGION: emulator.region,
        AWS_ACCESS_KEY_ID: 'AKIDBENCHONLY0000000',
        AWS_SECRET_ACCESS_KEY: 'bench-secret-access-key',
        AWS_CONFIG_FILE: path.join(workDir, '.aws-config-absent'),
        AWS_SHARED_CREDENTIALS_FILE: path.join(workDir, '.aws-credentials-absent'),
        AWS_EC2_METADATA_DISABLED: 'true'
      },
      onStdout: (chunk) => {
        if (noticedAt !== undefined) return
        seen += chunk
        if (noticed.test(seen)) noticedAt = nowMs()
      },
      timeoutMs: 5 * 60_000
    })
    const exitedAt = nowMs()
    const { main } = run
    const id = main.outputs['deployment-id']
    if (main.exitCode !== 0 || main.outputs.status !== 'succeeded' || !id) {
      throw new Error(`${plan.strategy}: the deploy did not succeed (exit ${String(main.exitCode)}):\n${main.stdout}`)
    }
    const completedAt = completionMs(emulator, plan.strategy, id)
    if (completedAt === undefined || noticedAt === undefined) {
      throw new Error(`${plan.strategy}: no completion time or no completion line for ${id}:\n${main.stdout}`)
    }
    const calls: CallRecord[] = emulator.control.calls()
    const start = calls.find((c) => c.op === OPS[plan.strategy].start)
    if (!start) throw new Error(`${plan.strategy}: no ${OPS[plan.strategy].start} call in the emulator's log`)
    // The calls the waiting made: after the start call, up to the completion (the start call itself is not waiting).
    const window = calls.slice(calls.indexOf(start) + 1).filter((c) => c.time <= completedAt)
    const byOp: Record<string, number> = {}
    for (const c of window) byOp[c.op] = (byOp[c.op] ?? 0) + 1
    const waitMs = completedAt - start.time
    return {
      deploymentId: id,
      waitMs,
      noticedMs: noticedAt - completedAt,
      exitMs: exitedAt - completedAt,
      calls: window.length,
      callsByOp: byOp,
      callsAfterCompletion: calls.filter((c) => c.time > completedAt).length,
      callsPerMinute: (window.length / waitMs) * 60_000,
      peakRssMiB: main.peakRssMiB ?? null
    }
  } finally {
    fs.rmSync(workDir, { recursive: true, force: true })
  }
}

function stats(values: number[]): EcsLatencyRow['noticedMs'] {
  const s = summarize(values)
  return { median: round(s.median), min: round(s.min), max: round(s.max), mean: round(s.mean) }
}

export async function ecsLatency(
  plans: readonly EcsLatencyPlan[],
  log: (line: string) => void = () => undefined
): Promise<EcsLatencyRow[]> {
  const emulator = await startEmulator({})
  try {
    const rows: EcsLatencyRow[] = []
    for (const plan of plans) {
      const samples: EcsLatencyRun[] = []
      for (let i = 0; i < plan.runs; i++) {
        const s = await runOnce(emulator, plan, i)
        samples.push(s)
        log(
          `ecs ${plan.strategy} poll ${plan.pollMs ?? 'default'}: run ${i + 1}/${plan.runs}: exit ${Math.round(s.exitMs)} ms after completion, ${s.calls} calls in ${(s.waitMs / 1000).toFixed(1)} s`
        )
      }
      const tick = OPS[plan.strategy].tick
      const ticks = samples.reduce((a, s) => a + (s.callsByOp[tick] ?? 0), 0)
      const rss = samples.flatMap((s) => (s.peakRssMiB === null ? [] : [s.peakRssMiB]))
      rows.push({
        strategy: plan.strategy,
        pollMs: plan.pollMs ?? DEFAULT_POLL_MS,
        pollSource: plan.pollMs === undefined ? 'default' : 'poll-interval',
        runs: plan.runs,
        noticedMs: stats(samples.map((s) => s.noticedMs)),
        exitMs: stats(samples.map((s) => s.exitMs)),
        waitMs: round(median(samples.map((s) => s.waitMs))),
        callsPerMinute: round(median(samples.map((s) => s.callsPerMinute))),
        callsPerTick: ticks ? round(samples.reduce((a, s) => a + s.calls, 0) / ticks, 2) : null,
        peakRssMiB: rss.length ? round(median(rss)) : null,
        samples: samples.map((s) => ({
          ...s,
          waitMs: round(s.waitMs) as number,
          noticedMs: round(s.noticedMs) as number,
          exitMs: round(s.exitMs) as number,
          callsPerMinute: round(s.callsPerMinute) as number
        }))
      })
    }
    return rows
  } finally {
    await emulator.close()
  }
}
