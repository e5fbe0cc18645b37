/** The per-service report both ECS strategies return, and links to the AWS console. */
import type { PhaseReport, TargetOutcome, TargetReport } from '../../types.js'
import { taskDefinitionLabel } from './task-definition.js'

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
