import { summary } from '@actions/core'
import { fillSummary, resultOutputs } from '../src/publish.js'
import type { DeployResult } from '../src/types.js'

const result: DeployResult = {
  status: 'rolled-back',
  message: 'h3 unhealthy after 10 checks; fleet rolled back to v1',
  targets: [
    { name: 'h1', before: 'app:v1', after: 'app:v1', outcome: 'rolled-back', durationMs: 2500, phases: [] },
    {
      name: 'h3',
      before: 'app:v1',
      after: 'app:v1',
      outcome: 'rolled-back',
      durationMs: 61000,
      phases: [],
      error: 'a|b <img src=x onerror=alert(1)> & more'
    },
    { name: 'h4', before: 'app:v1', outcome: 'untouched', durationMs: 0, phases: [] },
    {
      name: 'h5',
      before: 'app:v1',
      after: 'app:v2',
      outcome: 'failed',
      state: 'rollback failed',
      durationMs: 5,
      phases: []
    }
  ],
  outputs: { 'deployment-id': 'd-1' },
  links: [{ title: 'Run', url: 'https://example.test/run' }],
  sections: [{ title: 'Why it failed', body: 'health check returned 500' }]
}

describe('publish', () => {
  test('derives status, host lists and a JSON report from the targets', () => {
    const out = resultOutputs('ssh-rolling', result)
    expect(out.status).toBe('rolled-back')
    expect(out['hosts-rolled-back']).toBe('h1,h3')
    expect(out['hosts-failed']).toBe('h5')
    expect(out['hosts-deployed']).toBe('')
    expect(out['deployment-id']).toBe('d-1')
    const report = JSON.parse(out.report as string)
    expect(report.targets).toHaveLength(4)
    expect(report.targets[3]).toMatchObject({ name: 'h5', before: 'app:v1', after: 'app:v2', outcome: 'failed' })
  })

  test('ECS results have no host lists', () => {
    expect(resultOutputs('ecs-rolling', result)).not.toHaveProperty('hosts-deployed')
  })

  test('the summary (core.summary): headline, one row per target, links, sections, configuration', () => {
    fillSummary(summary.emptyBuffer(), 'ssh-rolling', result, { strategy: 'ssh-rolling', hosts: ['h1'] })
    const html = summary.stringify()
    summary.emptyBuffer()
    expect(html).toContain('<h2>↩️ Deploy rolled back — ssh-rolling</h2>')
    expect(html).toContain('<tr><th>Target</th><th>Before → after</th><th>Result</th><th>Duration</th></tr>')
    expect(html).toContain(
      '<tr><td>h3</td><td>app:v1 → app:v1</td><td>↩️ rolled-back: a|b &lt;img src=x onerror=alert(1)&gt; &amp; more</td><td>1 min 1 s</td></tr>'
    )
    expect(html).toContain('<tr><td>h4</td><td>app:v1 → —</td><td>⏸️ untouched</td><td>0 ms</td></tr>')
    expect(html).toContain('❌ failed (rollback failed)')
    expect(html).toContain('<a href="https://example.test/run">Run</a>\n<br>')
    // A section's markdown starts after a blank line, or GitHub shows it as text inside the heading's HTML block.
    expect(html).toContain('<h3>Why it failed</h3>\n\nhealth check returned 500\n')
    expect(html).toContain('<details><summary>Configuration</summary>\n\n```json\n{\n  "strategy": "ssh-rolling"')
  })
})
