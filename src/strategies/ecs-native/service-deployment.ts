/**
 * ECS service deployments, the way ECS runs blue/green, linear and canary deployments itself: find ours, follow it
 * (status, lifecycle stage, traffic weights, hooks, service events), and stop it or answer its PAUSE hooks.
 * // https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-deployment.html
 * // https://docs.aws.amazon.com/AmazonECS/latest/developerguide/blue-green-deployment-how-it-works.html
 * // https://docs.aws.amazon.com/AmazonECS/latest/developerguide/pause-lifecycle-hooks.html
 */
import {
  ContinueServiceDeploymentCommand,
  DescribeServiceDeploymentsCommand,
  DescribeServicesCommand,
  ListServiceDeploymentsCommand,
  StopServiceDeploymentCommand,
  type DeploymentLifecycleHookAction,
  type DeploymentLifecycleHookDetail,
  type ECSClient,
  type ServiceDeployment,
  type ServiceDeploymentBrief,
  type ServiceDeploymentStatus,
  type ServiceRevisionSummary
} from '@aws-sdk/client-ecs'
import { formatSeconds } from '../../duration.js'
import { withSignal } from '../ecs/clients.js'
import { errorName, wrapError } from '../ecs/errors.js'
import { EventStream } from '../ecs/events.js'
import { revisionTaskDefinitions, serviceDeploymentPages } from '../ecs/service-history.js'
import { pollUntil, type PollOptions, type PollOutcome } from '../ecs/poll.js'

/**
 * Statuses of a service deployment that has not ended: what `on-active-deployment` waits for or stops. The
 * terminal ones are SUCCESSFUL, STOPPED, ROLLBACK_SUCCESSFUL and ROLLBACK_FAILED.
 */
export const ACTIVE_STATUSES: ServiceDeploymentStatus[] = [
  'PENDING',
  'IN_PROGRESS',
  'STOP_REQUESTED',
  'ROLLBACK_REQUESTED',
  'ROLLBACK_IN_PROGRESS'
]

export function isTerminal(status: string | undefined): boolean {
  return (
    status === 'SUCCESSFUL' || status === 'STOPPED' || status === 'ROLLBACK_SUCCESSFUL' || status === 'ROLLBACK_FAILED'
  )
}

/**
 * The lifecycle stages in the order a deployment goes through them. PRE_PRODUCTION_TRAFFIC_SHIFT is documented (and
 * in the SDK's docs) but missing from the SDK's enum; LINEAR and CANARY repeat it and PRODUCTION_TRAFFIC_SHIFT per
 * step, and a rollback goes through stages again, so a stage counts only while the deployment is not rolling back.
 * // https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-type-linear.html
 */
const STAGES = [
  'RECONCILE_SERVICE',
  'PRE_SCALE_UP',
  'SCALE_UP',
  'POST_SCALE_UP',
  'TEST_TRAFFIC_SHIFT',
  'POST_TEST_TRAFFIC_SHIFT',
  'PRE_PRODUCTION_TRAFFIC_SHIFT',
  'PRODUCTION_TRAFFIC_SHIFT',
  'POST_PRODUCTION_TRAFFIC_SHIFT',
  'BAKE_TIME',
  'CLEAN_UP'
]

/** Where `stage` is in the lifecycle; -1 for none or one this code does not know. */
export function stagePosition(stage: string | undefined): number {
  return stage ? STAGES.indexOf(stage) : -1
}

/** Production traffic is all on the new revision from this stage on (`wait-until: traffic-shifted`). */
export const TRAFFIC_SHIFTED_STAGE = 'POST_PRODUCTION_TRAFFIC_SHIFT'

/**
 * The stage of the verify gate: test traffic is on the new revision, production still on the old one. PAUSE hooks
 * cannot be on TEST_TRAFFIC_SHIFT itself ("These stages are only valid for AWS_LAMBDA hooks", DeploymentLifecycleHook).
 */
export const GATE_STAGE = 'POST_TEST_TRAFFIC_SHIFT'

/** The last segment of a service deployment ARN: what the console and the log show. */
export function shortArn(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1)
}

/** The service's service deployments that have not ended, newest first. */
export async function listActiveServiceDeployments(
  ecs: ECSClient,
  cluster: string,
  service: string,
  signal?: AbortSignal
): Promise<ServiceDeploymentBrief[]> {
  const found: ServiceDeploymentBrief[] = []
  try {
    for await (const page of serviceDeploymentPages(ecs, { cluster, service, status: ACTIVE_STATUSES }, signal)) {
      found.push(...page)
    }
  } catch (error) {
    throw wrapError(`Could not list the service deployments of ${cluster}/${service}`, error)
  }
  return found
}

/** One service deployment; undefined when ECS does not show it (yet: its reads are eventually consistent). */
export async function describeServiceDeployment(
  ecs: ECSClient,
  arn: string,
  signal?: AbortSignal
): Promise<ServiceDeployment | undefined> {
  const out = await ecs.send(
    new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [arn] }),
    withSignal(signal)
  )
  return out.serviceDeployments?.find((d) => d.serviceDeploymentArn === arn)
}

/** How long a deployment UpdateService started may stay missing from the reads before that counts. */
export const UNSEEN_LIMIT_MS = 60_000

export interface OurDeploymentQuery {
  cluster: string
  service: string
  /** The task definition UpdateService deployed: our deployment's target revision runs it. */
  taskDefinitionArn: string
  /** Only deployments created at or after this time (some slack for clock skew already taken off). */
  after: Date
}

/**
 * Our service deployment when UpdateService's answer did not name it: the newest one created after the update
 * whose target revision runs our task definition. Looked for until it shows up (ECS reads lag), for at most
 * `UNSEEN_LIMIT_MS`.
 */
export async function findOurDeployment(ecs: ECSClient, query: OurDeploymentQuery, poll: PollOptions): Promise<string> {
  const { cluster, service, taskDefinitionArn } = query
  const found = await pollUntil(
    { ...poll, deadline: Math.min(poll.deadline, poll.clock.now() + UNSEEN_LIMIT_MS) },
    `Could not list the service deployments of ${cluster}/${service}`,
    async () => {
      const out = await ecs.send(
        new ListServiceDeploymentsCommand({ cluster, service, createdAt: { after: query.after }, maxResults: 100 }),
        withSignal(poll.signal)
      )
      const briefs = (out.serviceDeployments ?? []).filter((d) => d.serviceDeploymentArn && d.targetServiceRevisionArn)
      if (briefs.length === 0) return undefined
      const taskDefinitions = await revisionTaskDefinitions(
        ecs,
        briefs.map((d) => d.targetServiceRevisionArn as string),
        poll.signal
      )
      const ours = briefs
        .filter((d) => taskDefinitions.get(d.targetServiceRevisionArn as string) === taskDefinitionArn)
        .sort((a, b) => (b.createdAt?.getTime() ?? 0) - (a.createdAt?.getTime() ?? 0))[0]
      return ours?.serviceDeploymentArn
    }
  )
  if (found.kind === 'done') return found.value
  throw new Error(
    `UpdateService of ${cluster}/${service} started no service deployment of ${taskDefinitionArn} that ListServiceDeployments shows (looked for ${formatSeconds(UNSEEN_LIMIT_MS)})`
  )
}

/** PAUSE hooks of the deployment that wait for ContinueServiceDeployment (`AWAITING_ACTION`). */
export function awaitingPauseHooks(deployment: ServiceDeployment): DeploymentLifecycleHookDetail[] {
  return (deployment.lifecycleHookDetails ?? []).filter(
    (h) => h.targetType === 'PAUSE' && h.status === 'AWAITING_ACTION' && h.hookId
  )
}

/** ContinueServiceDeployment: releases a PAUSE hook with CONTINUE or ROLLBACK. */
export async function continueServiceDeployment(
  ecs: ECSClient,
  arn: string,
  hookId: string,
  action: DeploymentLifecycleHookAction
): Promise<void> {
  try {
    // No abort signal: a cancelled request may still have been carried out.
    await ecs.send(new ContinueServiceDeploymentCommand({ serviceDeploymentArn: arn, hookId, action }))
  } catch (error) {
    throw wrapError(`Could not continue service deployment ${shortArn(arn)} (${action} at hook ${hookId})`, error)
  }
}

/**
 * Asks ECS to roll the deployment back and says how. A PAUSE hook waiting is answered with ROLLBACK (what the
 * pause is for); otherwise, or when the hook was released meanwhile, StopServiceDeployment with ROLLBACK, which a
 * deployment already rolling back takes as "carry on". One that has ended (ConflictException) needs nothing.
 * // https://docs.aws.amazon.com/AmazonECS/latest/developerguide/stop-service-deployment.html
 * // https://docs.aws.amazon.com/AmazonECS/latest/developerguide/continue-service-deployment.html
 */
export async function requestRollback(ecs: ECSClient, deployment: ServiceDeployment): Promise<string> {
  const arn = deployment.serviceDeploymentArn ?? ''
  const paused = deployment.status === 'IN_PROGRESS' ? awaitingPauseHooks(deployment)[0] : undefined
  if (paused?.hookId) {
    try {
      await continueServiceDeployment(ecs, arn, paused.hookId, 'ROLLBACK')
      return `answered PAUSE hook ${paused.hookId} with ROLLBACK`
    } catch (error) {
      if (errorName((error as Error).cause) !== 'InvalidParameterException') throw error
    }
  }
  try {
    await ecs.send(new StopServiceDeploymentCommand({ serviceDeploymentArn: arn, stopType: 'ROLLBACK' }))
    return 'stopped it with ROLLBACK'
  } catch (error) {
    if (errorName(error) === 'ConflictException') return 'it had already ended'
    throw wrapError(`Could not stop service deployment ${shortArn(arn)}`, error)
  }
}

/** How a followed deployment stands once it is at a point the caller waits for. */
export type NativeVerdict =
  | { kind: 'succeeded' }
  /** Production traffic is all on the new revision; the deployment is still baking or cleaning up. */
  | { kind: 'traffic-shifted' }
  /** At the verify gate: a PAUSE hook waits at POST_TEST_TRAFFIC_SHIFT. */
  | { kind: 'paused'; hookId: string }
  /** ECS rolled the deployment back (ROLLBACK_SUCCESSFUL). */
  | { kind: 'rolled-back'; reason: string }
  /** ROLLBACK_FAILED or STOPPED. */
  | { kind: 'failed'; status: string; reason: string }

export interface FollowRequest {
  cluster: string
  service: string
  arn: string
  /** Service events from this time on are streamed (ms since epoch). */
  since: number
  /** Prefix of the progress lines (`Deployment` or `Rollback`). */
  label: string
  /** `traffic-shifted` also ends at POST_PRODUCTION_TRAFFIC_SHIFT; `succeeded` only at the end. */
  until: 'traffic-shifted' | 'succeeded'
  /** Stop at an awaiting PAUSE hook of the gate stage (not one of `gatedHooks`). */
  gate: boolean
  /** PAUSE hooks already answered by this run. */
  gatedHooks?: ReadonlySet<string>
}

export interface FollowResult {
  outcome: PollOutcome<NativeVerdict>
  /** The last read of the deployment. */
  deployment?: ServiceDeployment
  /** Whether production traffic was seen all on the new revision (a later rollback does not undo the fact). */
  shifted: boolean
}

function percent(value: number | undefined): string {
  return `${Math.round((value ?? 0) * 10) / 10}%`
}

function weights(revision: ServiceRevisionSummary | undefined): string {
  if (!revision) return ''
  const tasks = `${revision.runningTaskCount ?? 0}/${revision.requestedTaskCount ?? 0} tasks`
  return `new revision ${tasks}, test traffic ${percent(revision.requestedTestTrafficWeight)}, production ${percent(revision.requestedProductionTrafficWeight)}`
}

/** `IN_PROGRESS, POST_TEST_TRAFFIC_SHIFT; new revision 2/2 tasks, test traffic 100%, production 0%`. */
export function describeProgress(deployment: ServiceDeployment): string {
  const where = [deployment.status ?? 'unknown', deployment.lifecycleStage].filter(Boolean).join(', ')
  const traffic = weights(deployment.targetServiceRevision)
  return traffic ? `${where}; ${traffic}` : where
}

/** Why the deployment ended as it did: its status reason, or the rollback's, or the circuit breaker's count. */
export function endReason(deployment: ServiceDeployment): string {
  const breaker = deployment.deploymentCircuitBreaker
  const counted =
    breaker?.status === 'TRIGGERED'
      ? ` (circuit breaker: ${breaker.failureCount ?? 0}/${breaker.threshold ?? 0} tasks failed)`
      : ''
  const reason =
    deployment.statusReason ?? deployment.rollback?.reason ?? `service deployment ${deployment.status ?? ''}`
  return `${reason}${counted}`
}

/**
 * Follows one service deployment until it ends, reaches the point `request` waits for, the deadline passes or the
 * signal aborts: logs status, stage and traffic as they change, each hook's state once per change, and service events.
 */
export async function followServiceDeployment(
  ecs: ECSClient,
  request: FollowRequest,
  poll: PollOptions
): Promise<FollowResult> {
  const { cluster, service, arn, label } = request
  const { log, signal } = poll
  const events = new EventStream(log, request.since)
  const result: FollowResult = { outcome: { kind: 'timeout' }, shifted: false }
  const hookStates = new Map<string, string>()
  let progress = ''
  let furthest = -1
  const started = poll.clock.now()
  result.outcome = await pollUntil(poll, `Could not follow service deployment ${shortArn(arn)}`, async () => {
    const deployment = await describeServiceDeployment(ecs, arn, signal)
    const read = await ecs.send(new DescribeServicesCommand({ cluster, services: [service] }), withSignal(signal))
    const current = read.services?.[0]
    if (current) events.push(current)
    if (!deployment) {
      if (!result.deployment && poll.clock.now() - started < UNSEEN_LIMIT_MS) return undefined
      throw new Error(`Service deployment ${shortArn(arn)} is not shown by DescribeServiceDeployments (MISSING)`)
    }
    result.deployment = deployment
    const now = describeProgress(deployment)
    if (now !== progress) log.info(`${label} ${shortArn(arn)}: ${now}`)
    progress = now
    for (const hook of deployment.lifecycleHookDetails ?? []) {
      const state = `${hook.status ?? '?'}`
      if (!hook.hookId || hookStates.get(hook.hookId) === state) continue
      hookStates.set(hook.hookId, state)
      const target = hook.targetArn ? ` ${hook.targetArn}` : ''
      log.info(`  [hook] ${hook.targetType ?? 'hook'}${target} ${hook.hookId}: ${state}`)
    }
    const status = deployment.status
    // Stages count only on the way forward: a rollback goes through PRODUCTION_TRAFFIC_SHIFT again.
    if (status === 'IN_PROGRESS') furthest = Math.max(furthest, stagePosition(deployment.lifecycleStage))
    if (furthest >= stagePosition(TRAFFIC_SHIFTED_STAGE) || status === 'SUCCESSFUL') result.shifted = true
    return judge(deployment, request, furthest)
  })
  return result
}

/** The verdict once `deployment` is where `request` stops, else undefined. */
function judge(deployment: ServiceDeployment, request: FollowRequest, furthest: number): NativeVerdict | undefined {
  const status = deployment.status
  if (status === 'SUCCESSFUL') return { kind: 'succeeded' }
  if (status === 'ROLLBACK_SUCCESSFUL') return { kind: 'rolled-back', reason: endReason(deployment) }
  if (status === 'ROLLBACK_FAILED' || status === 'STOPPED') {
    return { kind: 'failed', status, reason: endReason(deployment) }
  }
  if (status !== 'IN_PROGRESS') return undefined
  if (request.until === 'traffic-shifted' && furthest >= stagePosition(TRAFFIC_SHIFTED_STAGE)) {
    return { kind: 'traffic-shifted' }
  }
  if (request.gate && deployment.lifecycleStage === GATE_STAGE) {
    const hook = awaitingPauseHooks(deployment).find((h) => !request.gatedHooks?.has(h.hookId ?? ''))
    if (hook?.hookId) return { kind: 'paused', hookId: hook.hookId }
  }
  return undefined
}
