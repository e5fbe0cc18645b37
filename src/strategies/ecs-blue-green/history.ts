/**
 * `rollback-to: previous` for the CODE_DEPLOY controller, from the deployment group's history. The service's task
 * definition changes only through the group's deployments, so the newest Succeeded one installed the live revision,
 * and the one before the first that installed it installed the previous revision. What a deployment installed cannot
 * be read back from CodeDeploy: GetDeployment returns the AppSpec's sha256 but never its content (AWS-API.md §4), and the
 * deployment target names task sets, not task definitions, whose task sets ECS deletes after the deployment. So the
 * action records the revision in the description of every deployment it creates (`…; task-definition web:42; …`), and
 * reads it back here. A deployment without that record (made by another tool, or by a version of the action before it)
 * leaves "previous" unknown, and the run refuses and asks for a named revision.
 */
import { BatchGetDeploymentsCommand, paginateListDeployments, type CodeDeployClient } from '@aws-sdk/client-codedeploy'
import { withSignal } from '../ecs/clients.js'
import { Inputs } from '../../constants.js'
import { errorName, wrapError } from '../ecs/errors.js'
import { previousInstall, sameRevision, type PreviousRevision } from '../ecs/rollback-target.js'
import { taskDefinitionLabel } from '../ecs/task-definition.js'
import { recordedTaskDefinition, type GroupRef } from './codedeploy.js'

/** One Succeeded deployment of the group. */
export interface GroupDeploymentEntry {
  id: string
  createTime: number
  creator?: string | undefined
  description?: string | undefined
}

/** The most deployments read with GetDeployment before giving up. */
export const HISTORY_LIMIT = 100

/** ListDeployments' order is not documented: it is read by creation-time windows, widened until the answer is in. */
const WINDOW_DAYS = [7, 30, 90, 365]
const DAY_MS = 86_400_000

/** The answer, or that older deployments are needed. */
export type GroupHistoryStep = PreviousRevision | { kind: 'older' }

/**
 * `deployments`: every Succeeded deployment created since some time, newest first. "Previous" is what the group
 * installed before it first installed the live revision (see `previousInstall`), so a rollback deployment this action
 * made (`rollback to web:41 (from web:42)`) does not make the release it left "previous" again. A rollback deployment
 * of CodeDeploy's own (creator `codeDeployRollback`) restored what ran before a failed deployment, so it changes
 * nothing here.
 */
export function previousFromGroupDeployments(liveArn: string, deployments: GroupDeploymentEntry[]): GroupHistoryStep {
  const installs = deployments
    .filter((d) => d.creator !== 'codeDeployRollback')
    .map((d) => ({ id: d.id, taskDefinition: recordedTaskDefinition(d.description) }))
  const latest = installs[0]
  if (!latest) return { kind: 'older' }
  if (latest.taskDefinition && !sameRevision(latest.taskDefinition, liveArn)) {
    return {
      kind: 'unknown',
      reason: `the group's latest successful deployment ${latest.id} installed ${latest.taskDefinition}, not the live revision (a deployment may be in progress)`
    }
  }
  const step = previousInstall(liveArn, installs)
  switch (step.kind) {
    case 'unrecorded':
      return {
        kind: 'unknown',
        reason: `deployment ${step.entry.id}, the one before the live revision's, does not record its task definition (CodeDeploy does not return a deployment's AppSpec; this action records the revision in the descriptions of the deployments it creates)`
      }
    case 'found':
      return {
        kind: 'found',
        taskDefinition: step.taskDefinition,
        evidence: `deployment ${step.entry.id} (Succeeded) installed it before ${step.first.id} installed ${taskDefinitionLabel(liveArn) ?? liveArn}`
      }
    case 'none':
      return { kind: 'older' }
  }
}

/** BatchGetDeployments takes at most 25 ids a call. */
const BATCH_GET_LIMIT = 25

/** Reads the group's Succeeded deployments, newest windows first, and resolves "previous" from them. */
export async function previousFromGroupHistory(
  codedeploy: CodeDeployClient,
  ref: GroupRef,
  liveArn: string,
  now: number,
  signal?: AbortSignal
): Promise<PreviousRevision> {
  const read = new Map<string, GroupDeploymentEntry>()
  try {
    for (const days of [...WINDOW_DAYS, undefined]) {
      const range = days === undefined ? {} : { createTimeRange: { start: new Date(now - days * DAY_MS) } }
      const pages = paginateListDeployments(
        { client: codedeploy },
        {
          applicationName: ref.application,
          deploymentGroupName: ref.group,
          includeOnlyStatuses: ['Succeeded'],
          ...range
        },
        withSignal(signal)
      )
      for await (const page of pages) {
        const unread = (page.deployments ?? []).filter((id) => !read.has(id))
        if (read.size + unread.length > HISTORY_LIMIT) {
          return {
            kind: 'unknown',
            reason: `the ${HISTORY_LIMIT} newest successful deployments of ${ref.application}/${ref.group} do not show it`
          }
        }
        for (let i = 0; i < unread.length; i += BATCH_GET_LIMIT) {
          const deploymentIds = unread.slice(i, i + BATCH_GET_LIMIT)
          const out = await codedeploy.send(new BatchGetDeploymentsCommand({ deploymentIds }), withSignal(signal))
          for (const info of out.deploymentsInfo ?? []) {
            if (!info.deploymentId) continue
            read.set(info.deploymentId, {
              id: info.deploymentId,
              createTime: info.createTime?.getTime() ?? 0,
              creator: info.creator,
              description: info.description
            })
          }
        }
      }
      const newestFirst = [...read.values()].sort((a, b) => b.createTime - a.createTime)
      const step = previousFromGroupDeployments(liveArn, newestFirst)
      if (step.kind !== 'older') return step
    }
  } catch (error) {
    const name = errorName(error)
    if (name === 'ApplicationDoesNotExistException' || name === 'DeploymentGroupDoesNotExistException') {
      throw new Error(
        `CodeDeploy deployment group '${ref.group}' of application '${ref.application}' was not found (${name}): check the '${Inputs.codedeployApplication}' and '${Inputs.codedeployDeploymentGroup}' inputs`,
        { cause: error }
      )
    }
    throw wrapError(`Could not read the deployments of ${ref.application}/${ref.group}`, error)
  }
  return {
    kind: 'unknown',
    reason:
      read.size === 0
        ? `deployment group ${ref.application}/${ref.group} has no successful deployment`
        : `deployment group ${ref.application}/${ref.group} has no successful deployment of another revision before the live one`
  }
}
