/** The one phase recorder: what each strategy keeps per target (a host or a service) about the phases it ran. */
import type { Clock, PhaseReport } from './types.js'
import { errorMessage } from './error-message.js'

/** How a phase ended; `error` (a failure's reason) wins over `detail` in the report. */
export interface PhaseOutcome {
  ok: boolean
  durationMs: number
  exitCode?: number | null | undefined
  error?: string | undefined
  detail?: string | undefined
}

/** Records one target's phases in order and their total time. */
export class PhaseRecorder {
  readonly list: PhaseReport[] = []
  /** The sum of the recorded phases' durations. */
  totalMs = 0

  constructor(private readonly clock: Clock) {}

  /** Records a phase that ran elsewhere (its duration measured by the caller). */
  record(name: string, outcome: PhaseOutcome): PhaseReport {
    const report: PhaseReport = { name, ok: outcome.ok, durationMs: outcome.durationMs }
    if (outcome.exitCode !== undefined) report.exitCode = outcome.exitCode
    const detail = outcome.error ?? outcome.detail
    if (detail) report.detail = detail
    this.list.push(report)
    this.totalMs += outcome.durationMs
    return report
  }

  /** Runs `fn` as phase `name`; the phase is recorded as failed when `fn` throws (and the error rethrown). */
  async run<T>(name: string, fn: () => Promise<T>): Promise<T> {
    const start = this.clock.now()
    try {
      const value = await fn()
      this.record(name, { ok: true, durationMs: this.clock.now() - start })
      return value
    } catch (error) {
      this.record(name, { ok: false, durationMs: this.clock.now() - start, error: errorMessage(error) })
      throw error
    }
  }
}
