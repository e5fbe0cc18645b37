/** The only place that turns a result into outputs and a job summary. */
import { Outputs, type OutputName } from './constants.js'
import type { DeployResult, TargetOutcome, TargetReport } from './types.js'
import { formatDuration } from './duration.js'

const ICON: Record<TargetOutcome, string> = {
  deployed: '✅',
  'rolled-back': '↩️',
  failed: '❌',
  untouched: '⏸️',
  planned: '📝'
}

const HEADLINE: Record<DeployResult['status'], string> = {
  succeeded: '✅ Deploy succeeded',
  failed: '❌ Deploy failed',
  'rolled-back': '↩️ Deploy rolled back',
  planned: '📝 Deploy planned (dry run)'
}

function namesWith(targets: TargetReport[], outcome: TargetOutcome): string {
  return targets
    .filter((t) => t.outcome === outcome)
    .map((t) => t.name)
    .join(',')
}

/** Every output the result defines, including the derived `status`, `hosts-*` and `report`. */
export function resultOutputs(strategy: string, result: DeployResult): Partial<Record<OutputName, string>> {
  const out: Partial<Record<OutputName, string>> = { ...result.outputs, [Outputs.status]: result.status }
  if (strategy === 'ssh-rolling') {
    out[Outputs.hostsDeployed] = namesWith(result.targets, 'deployed')
    out[Outputs.hostsRolledBack] = namesWith(result.targets, 'rolled-back')
    out[Outputs.hostsFailed] = namesWith(result.targets, 'failed')
  }
  out[Outputs.report] = JSON.stringify({
    strategy,
    status: result.status,
    message: result.message,
    targets: result.targets
  })
  return out
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ')
}

/** The job summary: headline, per-target table, links, sections, and the configuration minus secrets. */
export function renderSummary(
  strategy: string,
  result: DeployResult,
  configView: Record<string, unknown> | undefined
): string {
  const lines: string[] = [`## ${HEADLINE[result.status]} — ${strategy}`, '', cell(result.message), '']
  if (result.targets.length > 0) {
    lines.push('| Target | Before → after | Result | Duration |', '| --- | --- | --- | --- |')
    for (const t of result.targets) {
      const versions = `${t.before ?? '—'} → ${t.after ?? '—'}`
      const outcome = `${ICON[t.outcome]} ${t.outcome}${t.state ? ` (${t.state})` : ''}${t.error ? `: ${t.error}` : ''}`
      lines.push(`| ${cell(t.name)} | ${cell(versions)} | ${cell(outcome)} | ${formatDuration(t.durationMs)} |`)
    }
    lines.push('')
  }
  for (const link of result.links ?? []) lines.push(`- [${link.title}](${link.url})`)
  if (result.links?.length) lines.push('')
  for (const section of result.sections ?? []) lines.push(`### ${section.title}`, '', section.body, '')
  if (configView) {
    lines.push(
      '<details><summary>Configuration</summary>',
      '',
      '```json',
      JSON.stringify(configView, null, 2),
      '```',
      '',
      '</details>',
      ''
    )
  }
  return lines.join('\n')
}
