import { renderSummary, resultOutputs } from '../src/publish.js'
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
      error: 'a|b'
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

  test('the summary has a headline, one table row per target with escaped pipes, links and sections', () => {
    const md = renderSummary('ssh-rolling', result, { strategy: 'ssh-rolling', hosts: ['h1'] })
    expect(md).toContain('## ↩️ Deploy rolled back — ssh-rolling')
    expect(md).toContain('| h3 | app:v1 → app:v1 | ↩️ rolled-back: a\\|b | 1 min 1 s |')
    expect(md).toContain('| h4 | app:v1 → — | ⏸️ untouched | 0 ms |')
    expect(md).toContain('❌ failed (rollback failed)')
    expect(md).toContain('- [Run](https://example.test/run)')
    expect(md).toContain('### Why it failed')
    expect(md).toContain('<details><summary>Configuration</summary>')
  })
})
