/** Phase timing and the per-service report both ECS strategies return. */
import type { Clock, PhaseReport, TargetOutcome, TargetReport } from '../../types.js'
import { taskDefinitionLabel } from './task-definition.js'
import { errorMessage } from '../../error-message.js'

/** Records named phases with their durations, in order. */
export class PhaseRecorder {
  readonly phases: PhaseReport[] = []

  constructor(private readonly clock: Clock) {}

  /** Runs `fn` as phase `name`; the phase is recorded as failed when `fn` throws (and the error rethrown). */
  async run<T>(name: string, fn: () => Promise<T>): Promise<T> {
    const start = this.clock.now()
    try {
      const value = await fn()
      this.add({ name, ok: true, durationMs: this.clock.now() - start })
      return value
    } catch (error) {
      const detail = errorMessage(error)
      this.add({ name, ok: false, durationMs: this.clock.now() - start, detail })
      throw error
    }
  }

  add(phase: PhaseReport): void {
    this.phases.push(phase)
  }
}

export interface TargetFacts {
  cluster: string
  service: string
  previousTaskDefinitionArn?: string | undefined
  taskDefinitionArn?: string | undefined
  outcome: TargetOutcome
  state?: string | undefined
  error?: string | undefined
  durationMs: number
  phases: PhaseReport[]
}

/** One `TargetReport` named `<cluster>/<service>`, versions as `family:revision`. */
export function targetReport(facts: TargetFacts): TargetReport {
  const report: TargetReport = {
    name: `${facts.cluster}/${facts.service}`,
    outcome: facts.outcome,
    durationMs: facts.durationMs,
    phases: facts.phases
  }
  const before = taskDefinitionLabel(facts.previousTaskDefinitionArn)
  const after = taskDefinitionLabel(facts.taskDefinitionArn)
  if (before) report.before = before
  if (after) report.after = after
  if (facts.state) report.state = facts.state
  if (facts.error) report.error = facts.error
  return report
}

/**
 * A page of the AWS console of the region's partition: China (`cn-*`) and GovCloud (`us-gov-*`) have their own
 * console domains; elsewhere the regional `console.aws.amazon.com` host. `path` starts with `/`.
 */
export function consoleUrl(region: string, path: string): string {
  const origin = region.startsWith('cn-')
    ? 'https://console.amazonaws.cn'
    : region.startsWith('us-gov-')
      ? 'https://console.amazonaws-us-gov.com'
      : `https://${region}.console.aws.amazon.com`
  return `${origin}${path}${path.includes('?') ? '&' : '?'}region=${encodeURIComponent(region)}`
}

/** The ECS console page of a service's deployments. */
export function ecsServiceUrl(region: string, cluster: string, service: string): string {
  return consoleUrl(
    region,
    `/ecs/v2/clusters/${encodeURIComponent(cluster)}/services/${encodeURIComponent(service)}/deployments`
  )
}
