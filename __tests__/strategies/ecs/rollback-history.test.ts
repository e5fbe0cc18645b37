/** `rollback-to: previous`: which revision each history names, and when it refuses (pure functions, no AWS). */
import { deploymentDescription, recordedTaskDefinition } from '../../../src/strategies/ecs-blue-green/codedeploy.js'
import {
  previousFromGroupDeployments,
  type GroupDeploymentEntry
} from '../../../src/strategies/ecs-blue-green/history.js'
import {
  previousFromDeployments,
  previousFromSources,
  type ServiceDeploymentEntry
} from '../../../src/strategies/ecs/service-history.js'
import { RUN_IDENTITY } from '../../helpers/fake-deps.js'
import { tdArn } from './helpers.js'

let n = 100
/** A service deployment of `rev` (web:rev), newest first in the lists below. */
function sd(status: string, rev: number | undefined): ServiceDeploymentEntry {
  n -= 1
  return {
    arn: `arn:aws:ecs:eu-west-1:123456789012:service-deployment/demo/web/sd${n}`,
    status,
    createdAt: n,
    taskDefinition: rev === undefined ? undefined : tdArn(rev)
  }
}

describe('ecs-rolling: previous from service deployments (newest first)', () => {
  test.each<[string, number, ServiceDeploymentEntry[], number]>([
    ['the deployment before the live one', 2, [sd('SUCCESSFUL', 2), sd('SUCCESSFUL', 1)], 1],
    [
      'a failed deployment between is skipped (it never ran steady)',
      2,
      [sd('SUCCESSFUL', 2), sd('ROLLBACK_SUCCESSFUL', 3), sd('SUCCESSFUL', 1)],
      1
    ],
    [
      'after the circuit breaker rolled the newest back, the live one is the older success',
      2,
      [sd('ROLLBACK_SUCCESSFUL', 3), sd('SUCCESSFUL', 2), sd('SUCCESSFUL', 1)],
      1
    ],
    [
      'an UpdateService back to the live revision (after a failure) and redeploys are skipped',
      2,
      [sd('SUCCESSFUL', 2), sd('STOPPED', 3), sd('SUCCESSFUL', 2), sd('SUCCESSFUL', 2), sd('SUCCESSFUL', 1)],
      1
    ],
    [
      'after a rollback to it, what ran before its first deployment: a second previous goes further back',
      2,
      [sd('SUCCESSFUL', 2), sd('SUCCESSFUL', 3), sd('SUCCESSFUL', 2), sd('SUCCESSFUL', 1)],
      1
    ],
    [
      'a deploy after a rollback goes back to what it replaced, not to the release rolled back from',
      4,
      [sd('SUCCESSFUL', 4), sd('SUCCESSFUL', 2), sd('SUCCESSFUL', 3), sd('SUCCESSFUL', 2), sd('SUCCESSFUL', 1)],
      2
    ],
    [
      'a later revision of the family is skipped (the live revision may have been rolled back to from it)',
      2,
      [sd('SUCCESSFUL', 2), sd('SUCCESSFUL', 3), sd('SUCCESSFUL', 1)],
      1
    ]
  ])('%s', (_name, live, history, expected) => {
    expect(previousFromDeployments(tdArn(live), history)).toMatchObject({
      kind: 'found',
      taskDefinition: tdArn(expected)
    })
  })

  test.each<[string, ServiceDeploymentEntry[], RegExp]>([
    ['no history at all', [], /lists no service deployments for it \(ECS keeps 90 days/],
    ['a deployment in progress', [sd('IN_PROGRESS', 3), sd('SUCCESSFUL', 2)], /is IN_PROGRESS: wait for it to end/],
    ['the latest success is not the live revision', [sd('SUCCESSFUL', 5)], /deployed web:5, not the live one/],
    ['no successful deployment', [sd('STOPPED', 2)], /no successful service deployment/]
  ])('refused: %s', (_name, history, reason) => {
    const step = previousFromDeployments(tdArn(2), history)
    expect(step.kind).toBe('unknown')
    expect(step.kind === 'unknown' && step.reason).toMatch(reason)
  })

  test('another family is not ordered by revision: what ran before the first deployment of the live one', () => {
    const history = [sd('SUCCESSFUL', undefined), sd('SUCCESSFUL', undefined)]
    history[0] = { ...(history[0] as ServiceDeploymentEntry), taskDefinition: tdArn(3, 'api') }
    history[1] = { ...(history[1] as ServiceDeploymentEntry), taskDefinition: tdArn(5) }
    expect(previousFromDeployments(tdArn(3, 'api'), history)).toMatchObject({
      kind: 'found',
      taskDefinition: tdArn(5)
    })
  })

  test.each<[string, ServiceDeploymentEntry[]]>([
    [
      'after going back to the first listed revision, the one rolled back from is not previous',
      [sd('SUCCESSFUL', 1), sd('SUCCESSFUL', 2)]
    ],
    ['only later revisions listed before it', [sd('SUCCESSFUL', 1), sd('SUCCESSFUL', 3), sd('SUCCESSFUL', 1)]]
  ])('%s: the sources of its first deployment decide', (_name, history) => {
    expect(previousFromDeployments(tdArn(1), history)).toEqual({
      kind: 'sources',
      deployment: history.findLast((d) => d.taskDefinition === tdArn(1))
    })
  })

  test('without an earlier success listed, the sources of the deployment that made the live revision live decide', () => {
    const made = sd('SUCCESSFUL', 2)
    const step = previousFromDeployments(tdArn(2), [sd('SUCCESSFUL', 2), made])
    expect(step).toEqual({ kind: 'sources', deployment: made })
    expect(previousFromSources(tdArn(2), made, [tdArn(1)], [made])).toMatchObject({
      kind: 'found',
      taskDefinition: tdArn(1)
    })
  })

  test.each<[string, string[], ServiceDeploymentEntry[], RegExp]>([
    ['the deployment that created the service', [], [], /has no source revision \(it created the service\)/],
    ['several source revisions', [tdArn(1), tdArn(3)], [], /replaced several revisions \(web:1, web:3\)/],
    ['a source revision that failed', [tdArn(1)], [sd('STOPPED', 1)], /web:1, never ran steady .* is STOPPED/],
    [
      'a later source revision (the live one was rolled back to from it)',
      [tdArn(3)],
      [sd('SUCCESSFUL', 3)],
      /no earlier revision is recorded: service deployment \S+ replaced web:3, a later revision than the live one/
    ]
  ])('sources refused: %s', (_name, sources, history, reason) => {
    const step = previousFromSources(tdArn(2), sd('SUCCESSFUL', 2), sources, history)
    expect(step.kind === 'unknown' && step.reason).toMatch(reason)
  })

  test('a source revision that failed once but ran steady later is previous', () => {
    const made = sd('SUCCESSFUL', 2)
    expect(previousFromSources(tdArn(2), made, [tdArn(1)], [sd('SUCCESSFUL', 1), sd('STOPPED', 1)])).toMatchObject({
      kind: 'found',
      taskDefinition: tdArn(1)
    })
  })
})

let t = 1000
/** A Succeeded deployment of the group, newest first in the lists below. */
function gd(rev: number | undefined, creator = 'user'): GroupDeploymentEntry {
  t -= 1
  return {
    id: `d-${t}`,
    createTime: t,
    creator,
    description:
      rev === undefined
        ? 'deployed by hand'
        : deploymentDescription('ghcr.io/acme/web:x', RUN_IDENTITY, '0a1b2c3d', `web:${rev}`)
  }
}

describe('ecs-blue-green: previous from the deployment group (Succeeded, newest first)', () => {
  test('the description records the task definition, and only ours is read', () => {
    const description = deploymentDescription('ghcr.io/acme/web:2', RUN_IDENTITY, '0a1b2c3d', 'web:42')
    expect(description).toMatch(/^deploy-action run 0a1b2c3d: ghcr.io\/acme\/web:2; task-definition web:42; ref /)
    expect(recordedTaskDefinition(description)).toBe('web:42')
    expect(recordedTaskDefinition('someone: ghcr.io/x; task-definition web:9')).toBeUndefined()
    expect(recordedTaskDefinition(deploymentDescription('web:41', RUN_IDENTITY, '0a1b2c3d'))).toBeUndefined()
  })

  test.each<[string, number, GroupDeploymentEntry[], number]>([
    ['the deployment before the live one', 3, [gd(3), gd(2)], 2],
    ['rollback deployments (of failed ones) change nothing', 3, [gd(3), gd(2, 'codeDeployRollback'), gd(2)], 2],
    ['redeploys of the live revision are skipped', 3, [gd(3), gd(3), gd(1)], 1],
    ["the live revision's own deployment need not be ours", 3, [gd(undefined), gd(2)], 2],
    ['after a rollback to it, what it replaced when first installed', 2, [gd(2), gd(3), gd(2), gd(1)], 1],
    ['a deploy after a rollback goes back to what it replaced', 4, [gd(4), gd(2), gd(3), gd(2), gd(1)], 2]
  ])('%s', (_name, live, history, rev) => {
    expect(previousFromGroupDeployments(tdArn(live), history)).toMatchObject({
      kind: 'found',
      taskDefinition: `web:${rev}`
    })
  })

  test('a rollback deployment of ours records where it went, and the one it left is not previous', () => {
    const rollback = deploymentDescription('rollback to web:2 (from web:3)', RUN_IDENTITY, '0a1b2c3d', 'web:2')
    const installed = gd(2)
    const history = [{ ...gd(undefined), description: rollback }, gd(3), installed]
    expect(previousFromGroupDeployments(tdArn(2), history)).toEqual({ kind: 'older' })
    const before = gd(1)
    expect(previousFromGroupDeployments(tdArn(2), [...history, before])).toEqual({
      kind: 'found',
      taskDefinition: 'web:1',
      evidence: `deployment ${before.id} (Succeeded) installed it before ${installed.id} installed web:2`
    })
  })

  test.each<[string, GroupDeploymentEntry[], RegExp]>([
    [
      'the deployment before is not ours',
      [gd(3), gd(undefined)],
      /does not record its task definition \(CodeDeploy does not return a deployment's AppSpec/
    ],
    ['the latest success installed another revision', [gd(4), gd(3)], /installed web:4, not the live revision/]
  ])('refused: %s', (_name, history, reason) => {
    const step = previousFromGroupDeployments(tdArn(3), history)
    expect(step.kind === 'unknown' && step.reason).toMatch(reason)
  })

  test('not enough history: older deployments are needed', () => {
    expect(previousFromGroupDeployments(tdArn(3), [])).toEqual({ kind: 'older' })
    expect(previousFromGroupDeployments(tdArn(3), [gd(3), gd(2, 'codeDeployRollback')])).toEqual({ kind: 'older' })
  })
})
