import { DescribeServicesCommand, DescribeTaskDefinitionCommand } from '@aws-sdk/client-ecs'
import type { EcsRollingConfig } from '../../../src/strategies/ecs-rolling/config.js'
import type { EcsPlan } from '../../../src/strategies/ecs/preflight.js'
import { EcsRunState, type EcsRunSteps } from '../../../src/strategies/ecs/run-state.js'
import type { DeployResult } from '../../../src/types.js'
import { describedTaskDefinition, harness, liveService, rollingConfig, tdArn, type Harness } from './helpers.js'

function setup(patch: Partial<EcsRollingConfig> = {}): { h: Harness; state: EcsRunState; calls: string[] } {
  const h = harness()
  h.ecsMock.on(DescribeServicesCommand).resolves({ services: [liveService({ deploymentController: { type: 'ECS' } })] })
  h.ecsMock.on(DescribeTaskDefinitionCommand).resolves(describedTaskDefinition())
  const env = { config: rollingConfig(patch), deps: h.deps, ecs: h.ecs, intervalMs: 1000 }
  const state = new EcsRunState(env, h.ctx, {
    strategy: 'ecs-rolling',
    changesSection: (plan) => ({ title: 'changes', body: `${plan.diff.length} changes` }),
    previous: () => Promise.resolve({ kind: 'unknown', reason: 'not looked up in these tests' })
  })
  return { h, state, calls: [] }
}

/** Steps that record which of them ran; `deploy` succeeds. */
function steps(state: EcsRunState, calls: string[], check: EcsRunSteps['check'] = () => undefined): EcsRunSteps {
  return {
    check: (plan) => {
      calls.push('check')
      return check(plan)
    },
    planned: () => {
      calls.push('planned')
      return state.result('planned', 'would deploy', 'planned')
    },
    deploy: async (): Promise<DeployResult> => {
      calls.push('deploy')
      return state.result('succeeded', 'deployed', 'deployed')
    }
  }
}

describe('EcsRunState.execute', () => {
  test('pre-flight checks the service, then the strategy, in one group; then deploys', async () => {
    const { h, state, calls } = setup()
    let checked: EcsPlan | undefined
    const result = await state.execute(steps(state, calls, (plan) => void (checked = plan)))

    expect(calls).toEqual(['check', 'deploy'])
    expect(checked?.previousTaskDefinitionArn).toBe(tdArn(41))
    expect(state.plan).toBe(checked)
    expect(h.log.groups).toEqual(['Pre-flight ecs service demo/web'])
    expect(h.outputs).toEqual([['previous-task-definition-arn', tdArn(41)]])
    expect(result.status).toBe('succeeded')
    expect(result.targets[0]?.phases.map((p) => [p.name, p.ok])).toEqual([['preflight', true]])
    // The changes section leads every result once pre-flight has planned.
    expect(result.sections?.[0]).toEqual({ title: 'changes', body: `${checked?.diff.length} changes` })
    expect(result.outputs).toEqual({ 'previous-task-definition-arn': tdArn(41) })
  })

  test('a failing strategy check ends the run with nothing deployed and the reason as the message', async () => {
    const { h, state, calls } = setup()
    const result = await state.execute(
      steps(state, calls, () => {
        throw new Error('the group is wrong')
      })
    )

    expect(calls).toEqual(['check'])
    expect(result.status).toBe('failed')
    expect(result.message).toBe('the group is wrong')
    expect(result.targets[0]).toMatchObject({ outcome: 'untouched', state: 'nothing deployed' })
    expect(result.targets[0]?.phases[0]).toMatchObject({ name: 'preflight', ok: false, detail: 'the group is wrong' })
    expect(h.journal.data.phase).toBe('finished')
  })

  test('a dry run returns the planned result and deploys nothing', async () => {
    const { state, calls } = setup({ dryRun: true })
    const result = await state.execute(steps(state, calls))

    expect(calls).toEqual(['check', 'planned'])
    expect(result.status).toBe('planned')
  })

  test('a job cancelled during pre-flight deploys nothing', async () => {
    const { h, state, calls } = setup()
    const result = await state.execute(steps(state, calls, () => h.controller.abort()))

    expect(calls).toEqual(['check'])
    expect(result.status).toBe('failed')
    expect(result.message).toBe('The job was cancelled before anything was deployed')
    expect(h.journal.data.phase).toBe('finished')
  })
})
