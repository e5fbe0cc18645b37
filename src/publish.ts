/** The only place that turns a result into outputs and a job summary. */
import { Outputs, type OutputName } from './constants.js'
import type { SummaryBuilder } from './toolkit.js'
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

// Messages, names and errors hold text from hosts and AWS: in the summary's HTML it stays text.
function html(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

/** The job summary: headline, per-target table, links, sections, and the configuration minus secrets. */
export function fillSummary(
  summary: SummaryBuilder,
  strategy: string,
  result: DeployResult,
  configView: Record<string, unknown> | undefined
): void {
  summary.addHeading(html(`${HEADLINE[result.status]} — ${strategy}`), 2).addRaw(html(result.message), true)
  if (result.targets.length > 0) {
    const header = ['Target', 'Before → after', 'Result', 'Duration'].map((data) => ({ data, header: true }))
    const rows = result.targets.map((t) => {
      const outcome = `${ICON[t.outcome]} ${t.outcome}${t.state ? ` (${t.state})` : ''}${t.error ? `: ${t.error}` : ''}`
      return [t.name, `${t.before ?? '—'} → ${t.after ?? '—'}`, outcome, formatDuration(t.durationMs)].map(html)
    })
    summary.addTable([header, ...rows])
  }
  for (const link of result.links ?? []) {
    summary.addLink(html(link.title), html(link.url).replace(/"/g, '&quot;')).addBreak()
  }
  // Markdown after an HTML block renders only past a blank line.
  for (const section of result.sections ?? []) {
    summary.addHeading(html(section.title), 3).addEOL().addRaw(section.body, true).addEOL()
  }
  if (configView) {
    summary.addDetails('Configuration', `\n\n\`\`\`json\n${JSON.stringify(configView, null, 2)}\n\`\`\`\n\n`)
  }
}
