/**
 * CodeDeploy for ECS blue/green: handle an already active deployment, create ours, follow it with our own poll
 * loop (logging only changes), and stop it with rollback and follow the rollback.
 */
import {
  ContinueDeploymentCommand,
  CreateDeploymentCommand,
  GetDeploymentCommand,
  GetDeploymentTargetCommand,
  ListDeploymentTargetsCommand,
  paginateListDeployments,
  StopDeploymentCommand,
  type CodeDeployClient,
  type DeploymentInfo,
  type DeploymentStatus,
  type ECSTarget,
  type LifecycleEvent
} from '@aws-sdk/client-codedeploy'
import { randomBytes } from 'node:crypto'
import type { OnActiveDeployment, WaitUntil } from './config.js'
import type { RunIdentity } from '../../deps.js'
import { Inputs } from '../../constants.js'
import { formatSeconds } from '../../duration.js'
import { errorMessage } from '../../error-message.js'
import type { Logger } from '../../types.js'
import { awsMessage, errorName, isTransient, wrapError } from '../ecs/errors.js'
import { pollUntil, type PollOptions, type PollOutcome } from '../ecs/poll.js'
import { withSignal } from '../ecs/clients.js'
import { consoleUrl } from '../ecs/report.js'

/** Statuses of a deployment that still occupies its group (`Baking` is undocumented but seen). */
export const ACTIVE_STATUSES: DeploymentStatus[] = ['Created', 'Queued', 'InProgress', 'Baking', 'Ready']

const NOT_STARTED: DeploymentStatus[] = ['Created', 'Queued']

/** CreateDeployment rejects a longer description (DescriptionTooLongException). */
export const DESCRIPTION_MAX = 512

/** How many times CreateDeployment is retried after losing a race with another deployment. */
const CREATE_ATTEMPTS = 3

export function deploymentUrl(region: string, deploymentId: string): string {
  return consoleUrl(region, `/codesuite/codedeploy/deployments/${deploymentId}`)
}

export function isTerminal(status: string | undefined): boolean {
  return status === 'Succeeded' || status === 'Failed' || status === 'Stopped'
}

export interface GroupRef {
  application: string
  group: string
  region: string
}

/** Ids of the group's deployments that are not finished. */
export async function listActiveDeployments(
  codedeploy: CodeDeployClient,
  ref: GroupRef,
  signal?: AbortSignal
): Promise<string[]> {
  const ids: string[] = []
  const pages = paginateListDeployments(
    { client: codedeploy },
    { applicationName: ref.application, deploymentGroupName: ref.group, includeOnlyStatuses: ACTIVE_STATUSES },
    withSignal(signal)
  )
  for await (const page of pages) ids.push(...(page.deployments ?? []))
  return ids
}

/** The error for `on-active-deployment: fail`: which deployment is in the way, with its console link. */
export function activeDeploymentError(ref: GroupRef, ids: string[]): Error {
  const list = ids.map((id) => `${id} (${deploymentUrl(ref.region, id)})`).join(', ')
  return new Error(
    `Deployment group ${ref.application}/${ref.group} already has an active deployment: ${list}; '${Inputs.onActiveDeployment}' is 'fail' (use 'wait' or 'stop-previous' to deploy anyway)`
  )
}

/** StopDeployment with rollback. Returns false when the deployment had already completed (not an error). */
export async function stopDeployment(codedeploy: CodeDeployClient, deploymentId: string): Promise<boolean> {
  try {
    await codedeploy.send(new StopDeploymentCommand({ deploymentId, autoRollbackEnabled: true }))
    return true
  } catch (error) {
    if (errorName(error) === 'DeploymentAlreadyCompletedException') return false
    throw wrapError(`Could not stop deployment ${deploymentId}`, error)
  }
}

/**
 * Clears the way for our deployment according to `on-active-deployment`: `fail` throws, `wait` waits until the group
 * has no active deployment, `stop-previous` stops them (with rollback) and then waits the same way.
 */
export async function resolveActiveDeployments(
  codedeploy: CodeDeployClient,
  ref: GroupRef,
  policy: OnActiveDeployment,
  active: string[],
  poll: PollOptions
): Promise<PollOutcome<true>> {
  const { log } = poll
  if (active.length === 0) return { kind: 'done', value: true }
  if (policy === 'fail') throw activeDeploymentError(ref, active)
  if (policy === 'stop-previous') {
    for (const id of active) {
      log.warning(`Stopping active deployment ${id} with rollback (${Inputs.onActiveDeployment}: stop-previous)`)
      if (!(await stopDeployment(codedeploy, id))) log.info(`Deployment ${id} had already completed`)
    }
  }
  let last = ''
  return pollUntil(poll, `Could not list the deployments of ${ref.application}/${ref.group}`, async () => {
    const ids = await listActiveDeployments(codedeploy, ref, poll.signal)
    const now = ids.join(', ')
    if (ids.length > 0 && now !== last) log.info(`Waiting for active deployment ${now} to end`)
    last = now
    return ids.length === 0 ? true : undefined
  })
}

export interface CreateRequest {
  ref: GroupRef
  content: string
  sha256: string
  deploymentConfigName?: string | undefined
  /** Starts with `descriptionMark(token)` (see `deploymentDescription`). */
  description: string
  /** This run's mark, in the description: a deployment that carries it is ours. */
  token: string
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 3)}...` : text
}

/** A new random run token (8 hex digits). */
export function newRunToken(): string {
  return randomBytes(4).toString('hex')
}

/** How a deployment's description starts when run `token` created it. */
function descriptionMark(token: string): string {
  return `deploy-action run ${token}: `
}

/** The run token, as `deploy-action run <token>: ` starts a description. */
const MARK_RE = /^deploy-action run [0-9a-f]{8}: /

/** The task definition part of a description; task definition names hold no `;` or space. */
const TASK_DEFINITION_RE = /; task-definition ([A-Za-z0-9_-]{1,255}:[0-9]{1,9})(?:;|$)/

/**
 * This run's mark (a deployment that carries it is ours), what is deployed (the image, or a registered revision),
 * the task definition revision it installs (read back by `rollback-to: previous`), then the commit (ref and sha) and
 * the run, each cut to a share of CodeDeploy's limit; `what` keeps all the room the others leave.
 */
export function deploymentDescription(
  what: string,
  identity: RunIdentity,
  token: string,
  taskDefinition?: string
): string {
  const parts: [label: string, value: string | undefined, max: number][] = [
    ['task-definition', taskDefinition, 300],
    ['ref', identity.ref, 100],
    ['sha', identity.sha, 64],
    ['run', identity.runUrl, 120]
  ]
  const rest = parts.flatMap(([label, value, max]) => (value ? [`; ${label} ${clip(value, max)}`] : [])).join('')
  const mark = descriptionMark(token)
  return `${mark}${clip(what, DESCRIPTION_MAX - mark.length - rest.length)}${rest}`
}

/** The task definition (`family:revision`) a deployment this action created records; undefined for any other. */
export function recordedTaskDefinition(description: string | undefined): string | undefined {
  if (!description || !MARK_RE.test(description)) return undefined
  return TASK_DEFINITION_RE.exec(description)?.[1]
}

/**
 * Which of `ids` (or, without ids, of the group's active deployments) carries this run's token: a CreateDeployment
 * whose response was lost made it, and the SDK's retry then collided with it.
 */
async function findOwnDeployment(
  codedeploy: CodeDeployClient,
  request: CreateRequest,
  ids: string[] | undefined
): Promise<string | undefined> {
  const mark = descriptionMark(request.token)
  for (const id of ids ?? (await listActiveDeployments(codedeploy, request.ref))) {
    const out = await codedeploy.send(new GetDeploymentCommand({ deploymentId: id }))
    if (out.deploymentInfo?.description?.startsWith(mark)) return id
  }
  return undefined
}

function activeIdFromMessage(message: string | undefined): string | undefined {
  return /\b(d-[A-Z0-9]+)\b/.exec(message ?? '')?.[1]
}

/**
 * CreateDeployment with the AppSpec content. When the SDK retried a call whose response was lost, the deployment
 * that call made is recognised by this run's token and adopted. When another deployment got in first
 * (DeploymentLimitExceeded), the `on-active-deployment` policy is applied to it and creation is tried again.
 */
export async function createDeployment(
  codedeploy: CodeDeployClient,
  request: CreateRequest,
  policy: OnActiveDeployment,
  poll: PollOptions
): Promise<PollOutcome<string>> {
  const { ref } = request
  for (let attempt = 1; ; attempt++) {
    try {
      // No abort signal: a cancelled request may still create a deployment we would not know about.
      const out = await codedeploy.send(
        new CreateDeploymentCommand({
          applicationName: ref.application,
          deploymentGroupName: ref.group,
          revision: {
            revisionType: 'AppSpecContent',
            appSpecContent: { content: request.content, sha256: request.sha256 }
          },
          description: request.description,
          ...(request.deploymentConfigName ? { deploymentConfigName: request.deploymentConfigName } : {})
        })
      )
      if (!out.deploymentId) throw new Error('the response holds no deployment id')
      return { kind: 'done', value: out.deploymentId }
    } catch (error) {
      const collided = errorName(error) === 'DeploymentLimitExceededException'
      const id = collided ? activeIdFromMessage(errorMessage(error)) : undefined
      // A lost answer leaves a collision with our own deployment or, after the last retry, a network error (whose
      // shape varies): whatever failed, a deployment with our token means a try took effect.
      const own = await findOwnDeployment(codedeploy, request, id ? [id] : undefined).catch(() => undefined)
      if (own) {
        poll.log.warning(
          `CreateDeployment was retried after its answer was lost (${awsMessage(error)}); deployment ${own} carries this run's token ${request.token}: it is ours, following it`
        )
        return { kind: 'done', value: own }
      }
      if (!collided || attempt >= CREATE_ATTEMPTS) {
        throw wrapError(`Could not create a CodeDeploy deployment in ${ref.application}/${ref.group}`, error)
      }
      const active = id ? [id] : await listActiveDeployments(codedeploy, ref)
      poll.log.warning(`CreateDeployment: ${awsMessage(error)}`)
      const cleared = await resolveActiveDeployments(codedeploy, ref, policy, active, poll)
      if (cleared.kind !== 'done') return cleared
    }
  }
}

/** What the follow loop last saw. */
export interface DeploymentView {
  info?: DeploymentInfo
  target?: ECSTarget
}

export type FollowResult =
  | { kind: 'reached'; view: DeploymentView }
  /** Only with `stopAtReady`: the group waits for ContinueDeployment before production traffic moves. */
  | { kind: 'ready'; view: DeploymentView }
  | { kind: 'failed'; view: DeploymentView }
  | { kind: 'timeout'; view: DeploymentView }
  | { kind: 'cancelled'; view: DeploymentView }

export interface FollowRequest {
  deploymentId: string
  /** `<cluster name>:<service name>`: the single target of an ECS deployment. */
  targetId: string
  waitUntil: Exclude<WaitUntil, 'created'>
  /** End at `Ready` (a STOP_DEPLOYMENT ready option) instead of waiting there, to gate the traffic shift. */
  stopAtReady?: boolean
}

export function greenWeight(target: ECSTarget | undefined): number | undefined {
  return target?.taskSetsInfo?.find((t) => t.taskSetLabel === 'Green')?.trafficWeight
}

/**
 * Production traffic is fully on the new task set and stays there: the target Succeeded, or `AfterAllowTraffic`
 * Succeeded or was Skipped. `AllowTraffic` alone is not enough: a failing AfterAllowTraffic hook still rolls back.
 * The deployment itself may still be waiting to delete blue.
 */
export function trafficShifted(target: ECSTarget | undefined): boolean {
  if (!target) return false
  if (target.status === 'Succeeded') return true
  return (
    target.lifecycleEvents?.some(
      (e) => e.lifecycleEventName === 'AfterAllowTraffic' && (e.status === 'Succeeded' || e.status === 'Skipped')
    ) ?? false
  )
}

/** Logs only what changed since the last tick: deployment status, lifecycle event statuses, traffic weight. */
class ChangeLogger {
  private status: string | undefined
  private readonly events = new Map<string, string>()
  private weight = 0

  constructor(
    private readonly log: Logger,
    private readonly deploymentId: string
  ) {}

  deployment(info: DeploymentInfo): void {
    if (info.status === this.status) return
    this.status = info.status
    if (info.status === 'Ready') {
      this.log.info(
        `Deployment ${this.deploymentId} is Ready: the new task set is up and serves test traffic. The group's ready option is STOP_DEPLOYMENT, so production traffic shifts only after ContinueDeployment (READY_WAIT); waiting.`
      )
    } else {
      this.log.info(`Deployment ${this.deploymentId}: ${info.status ?? 'unknown status'}`)
    }
  }

  target(target: ECSTarget): void {
    for (const event of target.lifecycleEvents ?? []) {
      const name = event.lifecycleEventName ?? '?'
      const status = event.status ?? 'Unknown'
      const previous = this.events.get(name) ?? 'Pending'
      this.events.set(name, status)
      if (status !== previous) this.log.info(`  ${name}: ${status}${eventDuration(event)}`)
    }
    const weight = greenWeight(target)
    if (weight !== undefined && weight !== this.weight) {
      this.weight = weight
      this.log.info(`  Traffic: ${weight}% on the new task set (green), ${100 - weight}% on the old (blue)`)
    }
  }
}

function eventDuration(event: LifecycleEvent): string {
  if (!event.startTime || !event.endTime) return ''
  return ` (${formatSeconds(event.endTime.getTime() - event.startTime.getTime())})`
}

/**
 * Follows one deployment until `waitUntil` is reached, it fails or is stopped, the deadline passes, or the signal
 * aborts. Reads GetDeployment every tick, and GetDeploymentTarget once the deployment has started.
 */
export async function followDeployment(
  codedeploy: CodeDeployClient,
  request: FollowRequest,
  poll: PollOptions
): Promise<FollowResult> {
  const { deploymentId, waitUntil } = request
  const { log, signal } = poll
  const changes = new ChangeLogger(log, deploymentId)
  const view: DeploymentView = {}
  let targetId: string | undefined = request.targetId
  let targetReadable = true

  const readTarget = async (): Promise<ECSTarget | undefined> => {
    if (!targetReadable) return undefined
    try {
      if (!targetId) {
        const listed = await codedeploy.send(new ListDeploymentTargetsCommand({ deploymentId }), withSignal(signal))
        targetId = listed.targetIds?.[0]
        if (!targetId) return undefined
      }
      const out = await codedeploy.send(new GetDeploymentTargetCommand({ deploymentId, targetId }), withSignal(signal))
      return out.deploymentTarget?.ecsTarget
    } catch (error) {
      const name = errorName(error)
      if (name === 'DeploymentNotStartedException') return undefined
      if (name === 'DeploymentTargetDoesNotExistException' && targetId === request.targetId) {
        targetId = undefined // the id is not `<cluster>:<service>` after all: list it next tick
        return undefined
      }
      if (isTransient(error) || signal?.aborted) throw error
      // Progress details are a nicety: a role without codedeploy:GetDeploymentTarget can still deploy.
      targetReadable = false
      log.warning(
        `Cannot read the deployment target (${awsMessage(error)}): lifecycle events and traffic shifting will not be shown${waitUntil === 'traffic-shifted' ? "; 'wait-until: traffic-shifted' falls back to waiting for the deployment to succeed" : ''}`
      )
      return undefined
    }
  }

  const outcome = await pollUntil(poll, `Could not read deployment ${deploymentId}`, async () => {
    const out = await codedeploy.send(new GetDeploymentCommand({ deploymentId }), withSignal(signal))
    const info = out.deploymentInfo ?? {}
    view.info = info
    changes.deployment(info)
    if (!NOT_STARTED.includes(info.status as DeploymentStatus)) {
      const target = await readTarget()
      if (target) {
        view.target = target
        changes.target(target)
      }
    }
    if (info.status === 'Ready' && request.stopAtReady) return 'ready' as const
    if (info.status === 'Succeeded') return 'reached' as const
    if (info.status === 'Failed' || info.status === 'Stopped') return 'failed' as const
    // Any status that is not an end (InProgress, the undocumented Baking) once the shift is complete.
    if (waitUntil === 'traffic-shifted' && !isTerminal(info.status) && trafficShifted(view.target)) {
      return 'reached' as const
    }
    return undefined
  })
  if (outcome.kind === 'done') return { kind: outcome.value, view }
  return { kind: outcome.kind, view }
}

/** Lets a deployment waiting in `Ready` shift production traffic (ContinueDeployment READY_WAIT). */
export async function continueDeployment(
  codedeploy: CodeDeployClient,
  deploymentId: string,
  signal?: AbortSignal
): Promise<void> {
  try {
    await codedeploy.send(
      new ContinueDeploymentCommand({ deploymentId, deploymentWaitType: 'READY_WAIT' }),
      withSignal(signal)
    )
  } catch (error) {
    throw wrapError(`Could not continue deployment ${deploymentId} (ContinueDeployment READY_WAIT)`, error)
  }
}

export interface RollbackResult {
  /** How following the rollback ended. */
  kind: 'done' | 'timeout' | 'cancelled'
  /** The rollback deployment CodeDeploy created, if any. */
  rollbackDeploymentId?: string
  /** Its final (or last seen) status. */
  rollbackStatus?: string
  /** Why there is no rollback deployment, when CodeDeploy said. */
  rollbackMessage?: string
}

/** How long after the original deployment ended CodeDeploy may still name the rollback deployment it creates. */
export const ROLLBACK_NAMING_GRACE_MS = 120_000

/** Whether CodeDeploy rolls back a deployment that ended this way by itself (its own auto-rollback settings). */
function rollsBackItself(info: DeploymentInfo): boolean {
  const auto = info.autoRollbackConfiguration
  if (!auto?.enabled) return false
  const events = auto.events ?? []
  if (info.status === 'Failed') return events.includes('DEPLOYMENT_FAILURE')
  return events.includes('DEPLOYMENT_STOP_ON_REQUEST') || events.includes('DEPLOYMENT_STOP_ON_ALARM')
}

/**
 * After StopDeployment(autoRollbackEnabled) or an automatic rollback: waits for the original deployment to end,
 * then for the rollback deployment named in its `rollbackInfo` (which may finish before it is ever listed).
 * CodeDeploy may name it some time after the original ended: when a rollback is due (`requested`, or the
 * deployment's own auto-rollback settings) it is waited for up to `ROLLBACK_NAMING_GRACE_MS`; otherwise, or when
 * `rollbackInfo` says why there is none, there is no rollback deployment.
 */
export async function followRollback(
  codedeploy: CodeDeployClient,
  deploymentId: string,
  poll: PollOptions,
  requested: boolean
): Promise<RollbackResult> {
  const { clock, log, signal } = poll
  let endedAt: number | undefined
  let rollbackMessage: string | undefined
  const found = await pollUntil(poll, `Could not read deployment ${deploymentId}`, async () => {
    const out = await codedeploy.send(new GetDeploymentCommand({ deploymentId }), withSignal(signal))
    const info = out.deploymentInfo ?? {}
    rollbackMessage = info.rollbackInfo?.rollbackMessage ?? rollbackMessage
    if (info.rollbackInfo?.rollbackDeploymentId) return { id: info.rollbackInfo.rollbackDeploymentId }
    if (!isTerminal(info.status)) return undefined
    if (rollbackMessage || !(requested || rollsBackItself(info))) return { id: undefined }
    if (endedAt === undefined) {
      endedAt = clock.now()
      log.info(`Deployment ${deploymentId} ended ${info.status ?? ''}; waiting for CodeDeploy to name its rollback`)
    }
    return clock.now() - endedAt >= ROLLBACK_NAMING_GRACE_MS ? { id: undefined } : undefined
  })
  if (found.kind !== 'done') return { kind: found.kind, ...(rollbackMessage ? { rollbackMessage } : {}) }
  const rollbackId = found.value.id
  if (!rollbackId) {
    const why =
      rollbackMessage ??
      (endedAt === undefined ? undefined : `none named within ${ROLLBACK_NAMING_GRACE_MS / 60_000} min of the end`)
    return { kind: 'done', ...(why ? { rollbackMessage: why } : {}) }
  }
  log.info(`Rollback deployment ${rollbackId} follows ${deploymentId}`)
  let status: string | undefined
  const ended = await pollUntil(poll, `Could not read rollback deployment ${rollbackId}`, async () => {
    const out = await codedeploy.send(new GetDeploymentCommand({ deploymentId: rollbackId }), withSignal(signal))
    const next = out.deploymentInfo?.status
    if (next !== status) log.info(`Rollback deployment ${rollbackId}: ${next ?? 'unknown status'}`)
    status = next
    return isTerminal(status) ? true : undefined
  })
  const result: RollbackResult = { kind: ended.kind, rollbackDeploymentId: rollbackId }
  if (status) result.rollbackStatus = status
  return result
}
