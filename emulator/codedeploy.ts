/**
 * CodeDeploy operations (target prefix `CodeDeploy_20141006`): exactly those the action uses, for the ECS
 * compute platform. The lifecycle itself runs in blue-green.ts.
 */
import { createHash } from 'node:crypto'
import { ECS_DEPLOYMENT_CONFIGS, isActive, startDeployment, stopDeployment } from './blue-green.js'
import { AwsError } from './errors.js'
import type { Handler } from './ecs.js'
import {
  type Application,
  type AutoRollback,
  type Deployment,
  type DeploymentGroup,
  type DeploymentStatus,
  type Model,
  type TaskSet,
  newDeploymentId
} from './model.js'

export const codeDeployOperations: Record<string, Handler> = {
  GetApplication: getApplication,
  GetDeploymentGroup: getDeploymentGroup,
  CreateDeployment: createDeployment,
  GetDeployment: getDeployment,
  BatchGetDeployments: batchGetDeployments,
  ListDeployments: listDeployments,
  ListDeploymentTargets: listDeploymentTargets,
  GetDeploymentTarget: getDeploymentTarget,
  BatchGetDeploymentTargets: batchGetDeploymentTargets,
  StopDeployment: stopDeploymentOp,
  ContinueDeployment: continueDeployment
}

const DEPLOYMENT_STATUSES: DeploymentStatus[] = [
  'Created',
  'Queued',
  'InProgress',
  'Baking',
  'Succeeded',
  'Failed',
  'Stopped',
  'Ready'
]
/** CreateDeployment's description limit. // https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_CreateDeployment.html */
const DESCRIPTION_MAX = 512
const ROLLBACK_EVENTS = ['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_ALARM', 'DEPLOYMENT_STOP_ON_REQUEST']

// https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_GetApplication.html
function getApplication(model: Model, params: Record<string, unknown>): unknown {
  const app = findApplication(model, params)
  return {
    application: {
      applicationId: app.id,
      applicationName: app.name,
      createTime: app.createTime,
      linkedToGitHub: false,
      computePlatform: 'ECS'
    }
  }
}

// https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_GetDeploymentGroup.html
function getDeploymentGroup(model: Model, params: Record<string, unknown>): unknown {
  const group = findGroup(model, params)
  return { deploymentGroupInfo: groupToWire(model, group) }
}

// https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_CreateDeployment.html
function createDeployment(model: Model, params: Record<string, unknown>): unknown {
  const group = findGroup(model, params)

  // https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_RevisionLocation.html
  const revision = params['revision']
  if (typeof revision !== 'object' || revision === null) {
    throw new AwsError('RevisionRequiredException', 'RevisionLocation must be specified')
  }
  const { revisionType, appSpecContent } = revision as { revisionType?: unknown; appSpecContent?: unknown }
  if (revisionType !== 'AppSpecContent') {
    throw new AwsError(
      'InvalidRevisionException',
      `Revision type ${String(revisionType)} is not supported here; an Amazon ECS deployment needs revisionType AppSpecContent.`
    )
  }
  const { content, sha256 } = (appSpecContent ?? {}) as { content?: unknown; sha256?: unknown }
  if (typeof content !== 'string' || content === '') {
    throw new AwsError('InvalidRevisionException', 'The AppSpecContent content must be specified.')
  }
  // https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_AppSpecContent.html (sha256 of the content)
  const actualSha256 = createHash('sha256').update(content, 'utf8').digest('hex')
  if (sha256 !== undefined && sha256 !== actualSha256) {
    throw new AwsError(
      'InvalidRevisionException',
      `The sha256 of the AppSpecContent (${String(sha256)}) does not match its content (${actualSha256}).`
    )
  }

  const configName = params['deploymentConfigName'] ?? group.deploymentConfigName
  if (typeof configName !== 'string' || !(configName in ECS_DEPLOYMENT_CONFIGS)) {
    if (typeof configName === 'string' && configName.startsWith('CodeDeployDefault.')) {
      throw new AwsError(
        'InvalidDeploymentConfigNameException',
        `Deployment config ${configName} is not for the ECS compute platform.`
      )
    }
    throw new AwsError(
      'DeploymentConfigDoesNotExistException',
      `No deployment configuration found for name: ${String(configName)}`
    )
  }

  const autoRollback = readAutoRollback(params['autoRollbackConfiguration']) ?? group.autoRollback
  const description = params['description']
  if (typeof description === 'string' && description.length > DESCRIPTION_MAX) {
    throw new AwsError(
      'DescriptionTooLongException',
      `The description is too long. It must be at most ${DESCRIPTION_MAX} characters.`
    )
  }

  // One active deployment per deployment group.
  const active = [...model.deployments.values()].find(
    (d) => d.applicationName === group.applicationName && d.groupName === group.name && isActive(d)
  )
  if (active) {
    throw new AwsError(
      'DeploymentLimitExceededException',
      `The Deployment Group '${group.name}' already has an active Deployment '${active.id}'`
    )
  }

  const scriptIndex = model.scripts.codedeploy.findIndex((s) => s.group === undefined || s.group === group.name)
  const script = scriptIndex < 0 ? undefined : model.scripts.codedeploy.splice(scriptIndex, 1)[0]
  const deployment: Deployment = {
    id: newDeploymentId(),
    applicationName: group.applicationName,
    groupName: group.name,
    deploymentConfigName: configName,
    status: 'Created',
    creator: 'user',
    createTime: model.now(),
    revisionSha256: actualSha256,
    autoRollback,
    appSpecContent: content,
    phase: 'created',
    ...(typeof description === 'string' ? { description } : {}),
    ...(script ? { script } : {})
  }
  model.deployments.set(deployment.id, deployment)
  startDeployment(model, deployment)
  return { deploymentId: deployment.id }
}

function readAutoRollback(value: unknown): AutoRollback | undefined {
  if (typeof value !== 'object' || value === null) return undefined
  const { enabled, events } = value as { enabled?: unknown; events?: unknown }
  const list = Array.isArray(events) ? (events as unknown[]) : []
  const bad = list.find((e) => typeof e !== 'string' || !ROLLBACK_EVENTS.includes(e))
  if (bad !== undefined) {
    // https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_AutoRollbackConfiguration.html
    throw new AwsError('InvalidAutoRollbackConfigException', `Unknown auto rollback event: ${String(bad)}`)
  }
  return { enabled: enabled === true, events: list as string[] }
}

// https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_GetDeployment.html
function getDeployment(model: Model, params: Record<string, unknown>): unknown {
  const deployment = findDeployment(model, params)
  return { deploymentInfo: deploymentToWire(model, deployment) }
}

/**
 * At most 25 ids ("The maximum number of deployment IDs you can specify is 25"): none is DeploymentIdRequiredException,
 * more is BatchLimitExceededException, a malformed one InvalidDeploymentIdException — the operation's documented errors,
 * with the API reference's descriptions as messages. It documents no DeploymentDoesNotExistException: a well-formed id
 * of no deployment is left out of `deploymentsInfo` (the others come in the order asked).
 * // https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_BatchGetDeployments.html
 */
function batchGetDeployments(model: Model, params: Record<string, unknown>): unknown {
  const ids = params['deploymentIds']
  if (ids === undefined || (Array.isArray(ids) && ids.length === 0)) {
    throw new AwsError('DeploymentIdRequiredException', 'At least one deployment ID must be specified.')
  }
  if (!Array.isArray(ids) || !ids.every((id) => typeof id === 'string')) {
    throw new AwsError(
      'InvalidDeploymentIdException',
      'At least one of the deployment IDs was specified in an invalid format.'
    )
  }
  if (ids.length > 25) {
    throw new AwsError(
      'BatchLimitExceededException',
      'The maximum number of names or IDs allowed for this request (25) was exceeded.'
    )
  }
  if (!ids.every((id) => DEPLOYMENT_ID.test(id))) {
    throw new AwsError(
      'InvalidDeploymentIdException',
      'At least one of the deployment IDs was specified in an invalid format.'
    )
  }
  const found = ids.map((id) => model.deployments.get(id)).filter((d): d is Deployment => d !== undefined)
  return { deploymentsInfo: found.map((d) => deploymentToWire(model, d)) }
}

// https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_ListDeployments.html
function listDeployments(model: Model, params: Record<string, unknown>): unknown {
  const appName = params['applicationName']
  const groupName = params['deploymentGroupName']
  // Both or neither.
  if (appName !== undefined && groupName === undefined) {
    throw new AwsError(
      'DeploymentGroupNameRequiredException',
      'Deployment group name is required when an application name is given.'
    )
  }
  if (groupName !== undefined && appName === undefined) {
    throw new AwsError(
      'ApplicationNameRequiredException',
      'Application name is required when a deployment group name is given.'
    )
  }
  if (appName !== undefined) findGroup(model, params)
  const statuses = params['includeOnlyStatuses']
  if (
    statuses !== undefined &&
    (!Array.isArray(statuses) || !statuses.every((s) => DEPLOYMENT_STATUSES.includes(s as DeploymentStatus)))
  ) {
    throw new AwsError(
      'InvalidDeploymentStatusException',
      `Invalid deployment status in includeOnlyStatuses: ${JSON.stringify(statuses)}`
    )
  }
  const nextToken = params['nextToken']
  const start = nextToken === undefined ? 0 : Number(Buffer.from(String(nextToken), 'base64').toString())
  if (!Number.isInteger(start) || start < 0)
    throw new AwsError('InvalidNextTokenException', 'The next token was specified in an invalid format.')

  const range = params['createTimeRange'] as { start?: unknown; end?: unknown } | undefined
  for (const key of ['start', 'end'] as const) {
    const value = range?.[key]
    if (value !== undefined && typeof value !== 'number') {
      throw new AwsError('InvalidTimeRangeException', 'The specified time range was specified in an invalid format.')
    }
  }
  const ids = [...model.deployments.values()]
    .filter(
      (d) =>
        (appName === undefined || (d.applicationName === appName && d.groupName === groupName)) &&
        (statuses === undefined || (statuses as string[]).includes(d.status)) &&
        (typeof range?.start !== 'number' || d.createTime >= range.start) &&
        (typeof range?.end !== 'number' || d.createTime <= range.end)
    )
    .reverse() // newest first
    .map((d) => d.id)
  const pageSize = 100
  const result: Record<string, unknown> = { deployments: ids.slice(start, start + pageSize) }
  if (start + pageSize < ids.length) result['nextToken'] = Buffer.from(String(start + pageSize)).toString('base64')
  return result
}

// https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_ListDeploymentTargets.html
function listDeploymentTargets(model: Model, params: Record<string, unknown>): unknown {
  const deployment = startedDeployment(model, params)
  return { targetIds: deployment.target ? [deployment.target.targetId] : [] }
}

// https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_GetDeploymentTarget.html
function getDeploymentTarget(model: Model, params: Record<string, unknown>): unknown {
  const deployment = startedDeployment(model, params)
  const targetId = params['targetId']
  if (typeof targetId !== 'string' || targetId === '') {
    throw new AwsError('DeploymentTargetIdRequiredException', 'A deployment target ID was not provided.')
  }
  return { deploymentTarget: targetToWire(deployment, targetId) }
}

// https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_BatchGetDeploymentTargets.html
function batchGetDeploymentTargets(model: Model, params: Record<string, unknown>): unknown {
  const deployment = startedDeployment(model, params)
  const ids = params['targetIds']
  if (!Array.isArray(ids) || ids.length === 0) {
    throw new AwsError('DeploymentTargetIdRequiredException', 'A deployment target ID was not provided.')
  }
  if (ids.length > 25) {
    throw new AwsError(
      'DeploymentTargetListSizeExceededException',
      'The maximum number of targets that can be associated with an Amazon ECS deployment is 25.'
    )
  }
  return { deploymentTargets: (ids as unknown[]).map((id) => targetToWire(deployment, String(id))) }
}

// https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_StopDeployment.html
function stopDeploymentOp(model: Model, params: Record<string, unknown>): unknown {
  const deployment = findDeployment(model, params)
  if (deployment.phase === 'done') {
    throw new AwsError('DeploymentAlreadyCompletedException', `The deployment ${deployment.id} has already completed.`)
  }
  const requested = params['autoRollbackEnabled']
  const rollback =
    typeof requested === 'boolean'
      ? requested
      : deployment.autoRollback.enabled && deployment.autoRollback.events.includes('DEPLOYMENT_STOP_ON_REQUEST')
  const status = stopDeployment(model, deployment, rollback)
  return { status, statusMessage: 'Stopping Active deployment' }
}

// https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_ContinueDeployment.html
function continueDeployment(model: Model, params: Record<string, unknown>): unknown {
  const deployment = findDeployment(model, params)
  const waitType = params['deploymentWaitType'] ?? 'READY_WAIT'
  if (waitType !== 'READY_WAIT' && waitType !== 'TERMINATION_WAIT') {
    throw new AwsError('InvalidDeploymentWaitTypeException', `The wait type ${String(waitType)} is invalid.`)
  }
  if (deployment.phase === 'done') {
    throw new AwsError('DeploymentAlreadyCompletedException', `The deployment ${deployment.id} has already completed.`)
  }
  const expected = waitType === 'READY_WAIT' ? 'ready' : 'terminationWait'
  if (deployment.phase !== expected || !deployment.release) {
    // The reference names DeploymentIsNotInReadyStateException for READY_WAIT; TERMINATION_WAIT outside the
    // termination wait is answered the same way here.
    throw new AwsError(
      'DeploymentIsNotInReadyStateException',
      waitType === 'READY_WAIT'
        ? `The deployment ${deployment.id} is not in the Ready state (status ${deployment.status}).`
        : `The deployment ${deployment.id} is not waiting to terminate the original task set.`
    )
  }
  deployment.release()
  return {}
}

// ---- lookups -----------------------------------------------------------------------------------------------

function findApplication(model: Model, params: Record<string, unknown>): Application {
  const name = params['applicationName']
  if (typeof name !== 'string' || name === '') {
    throw new AwsError(
      'ApplicationNameRequiredException',
      'The minimum number of required application names was not specified.'
    )
  }
  if (name.length > 100)
    throw new AwsError('InvalidApplicationNameException', `The application name ${name} is too long.`)
  const app = model.applications.get(name)
  if (!app) throw new AwsError('ApplicationDoesNotExistException', `No application found for name: ${name}`)
  return app
}

function findGroup(model: Model, params: Record<string, unknown>): DeploymentGroup {
  const app = findApplication(model, params)
  const name = params['deploymentGroupName']
  if (typeof name !== 'string' || name === '') {
    throw new AwsError('DeploymentGroupNameRequiredException', 'The deployment group name was not specified.')
  }
  if (name.length > 100)
    throw new AwsError('InvalidDeploymentGroupNameException', `The deployment group name ${name} is too long.`)
  const group = model.group(app.name, name)
  if (!group) throw new AwsError('DeploymentGroupDoesNotExistException', `No Deployment Group found for name: ${name}`)
  return group
}

/** A deployment id: `d-` and nine upper-case letters or digits. */
const DEPLOYMENT_ID = /^d-[A-Z0-9]{9}$/

function findDeployment(model: Model, params: Record<string, unknown>): Deployment {
  const id = params['deploymentId']
  if (typeof id !== 'string' || id === '') {
    throw new AwsError('DeploymentIdRequiredException', 'At least one deployment ID must be specified.')
  }
  if (!DEPLOYMENT_ID.test(id)) {
    throw new AwsError('InvalidDeploymentIdException', `Specified DeploymentId is not in the valid format: ${id}`)
  }
  const deployment = model.deployments.get(id)
  if (!deployment) throw new AwsError('DeploymentDoesNotExistException', `The deployment ${id} could not be found.`)
  return deployment
}

/** Targets exist only once the deployment has started (not Created/Queued). */
function startedDeployment(model: Model, params: Record<string, unknown>): Deployment {
  const deployment = findDeployment(model, params)
  if (deployment.status === 'Created' || deployment.status === 'Queued') {
    throw new AwsError('DeploymentNotStartedException', `The deployment ${deployment.id} has not started.`)
  }
  return deployment
}

// ---- wire shapes -------------------------------------------------------------------------------------------

/** https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_DeploymentGroupInfo.html */
function groupToWire(model: Model, group: DeploymentGroup): Record<string, unknown> {
  const prod = { listenerArns: [group.prodListenerArn] }
  const pair: Record<string, unknown> = {
    targetGroups: group.targetGroups.map((name) => ({ name })),
    prodTrafficRoute: prod
  }
  if (group.testListenerArn !== undefined) pair['testTrafficRoute'] = { listenerArns: [group.testListenerArn] }
  const readyOption: Record<string, unknown> = { actionOnTimeout: group.readyAction }
  if (group.readyAction === 'STOP_DEPLOYMENT') readyOption['waitTimeInMinutes'] = group.readyWaitMinutes
  const wire: Record<string, unknown> = {
    applicationName: group.applicationName,
    deploymentGroupId: group.id,
    deploymentGroupName: group.name,
    deploymentConfigName: group.deploymentConfigName,
    ec2TagFilters: [],
    onPremisesInstanceTagFilters: [],
    autoScalingGroups: [],
    serviceRoleArn: group.serviceRoleArn,
    triggerConfigurations: [],
    alarmConfiguration: { enabled: false, ignorePollAlarmFailure: false, alarms: [] },
    autoRollbackConfiguration: group.autoRollback,
    deploymentStyle: { deploymentType: 'BLUE_GREEN', deploymentOption: 'WITH_TRAFFIC_CONTROL' },
    outdatedInstancesStrategy: 'UPDATE',
    blueGreenDeploymentConfiguration: {
      terminateBlueInstancesOnDeploymentSuccess: {
        action: group.terminationAction,
        terminationWaitTimeInMinutes: group.terminationWaitMinutes
      },
      deploymentReadyOption: readyOption
    },
    loadBalancerInfo: { targetGroupPairInfoList: [pair] },
    ecsServices: [{ serviceName: group.serviceName, clusterName: group.clusterName }],
    computePlatform: 'ECS',
    terminationHookEnabled: false
  }
  const history = [...model.deployments.values()].filter(
    (d) => d.applicationName === group.applicationName && d.groupName === group.name
  )
  const last = history.at(-1)
  if (last) wire['lastAttemptedDeployment'] = lastDeploymentInfo(last)
  const lastSuccess = history.filter((d) => d.status === 'Succeeded').at(-1)
  if (lastSuccess) wire['lastSuccessfulDeployment'] = lastDeploymentInfo(lastSuccess)
  return wire
}

function lastDeploymentInfo(d: Deployment): Record<string, unknown> {
  const info: Record<string, unknown> = { deploymentId: d.id, status: d.status, createTime: d.createTime }
  if (d.completeTime !== undefined) info['endTime'] = d.completeTime
  return info
}

/** https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_DeploymentInfo.html */
function deploymentToWire(model: Model, d: Deployment): Record<string, unknown> {
  const group = model.group(d.applicationName, d.groupName)
  const overview = { Pending: 0, InProgress: 0, Succeeded: 0, Failed: 0, Skipped: 0, Ready: 0 }
  const targetStatus = d.target?.status
  if (targetStatus !== undefined && targetStatus in overview) overview[targetStatus as keyof typeof overview] = 1
  const wire: Record<string, unknown> = {
    applicationName: d.applicationName,
    deploymentGroupName: d.groupName,
    deploymentConfigName: d.deploymentConfigName,
    deploymentId: d.id,
    // The content itself never comes back, only its hash.
    revision: {
      revisionType: 'AppSpecContent',
      appSpecContent: d.revisionSha256 === undefined ? {} : { sha256: d.revisionSha256 }
    },
    status: d.status,
    createTime: d.createTime,
    deploymentOverview: overview,
    creator: d.creator,
    ignoreApplicationStopFailures: false,
    autoRollbackConfiguration: d.autoRollback,
    updateOutdatedInstancesOnly: false,
    deploymentStyle: { deploymentType: 'BLUE_GREEN', deploymentOption: 'WITH_TRAFFIC_CONTROL' },
    // Reported to stay false for ECS deployments, even during the termination wait.
    instanceTerminationWaitTimeStarted: false,
    fileExistsBehavior: 'DISALLOW',
    deploymentStatusMessages: [],
    computePlatform: 'ECS'
  }
  if (group) {
    const info = groupToWire(model, group)
    wire['blueGreenDeploymentConfiguration'] = info['blueGreenDeploymentConfiguration']
    wire['loadBalancerInfo'] = info['loadBalancerInfo']
  }
  for (const key of ['description', 'startTime', 'completeTime', 'errorInformation', 'rollbackInfo'] as const) {
    if (d[key] !== undefined) wire[key] = d[key]
  }
  return wire
}

/** https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_ECSTarget.html */
function targetToWire(d: Deployment, targetId: string): Record<string, unknown> {
  const target = d.target
  if (!target || target.targetId !== targetId) {
    throw new AwsError('DeploymentTargetDoesNotExistException', `The deployment target ${targetId} does not exist.`)
  }
  const info = (ts: TaskSet | undefined, label: 'Blue' | 'Green'): Record<string, unknown>[] =>
    ts === undefined
      ? []
      : [
          {
            // Sic: the API spells it `identifer`.
            identifer: ts.id,
            desiredCount: ts.computedDesiredCount,
            pendingCount: ts.pendingCount,
            runningCount: ts.runningCount,
            status: ts.status,
            trafficWeight: ts.trafficWeight,
            targetGroup: { name: ts.targetGroupName },
            taskSetLabel: label
          }
        ]
  return {
    deploymentTargetType: 'ECSTarget',
    ecsTarget: {
      deploymentId: d.id,
      targetId: target.targetId,
      targetArn: target.targetArn,
      lastUpdatedAt: target.lastUpdatedAt,
      lifecycleEvents: target.lifecycleEvents,
      status: target.status,
      taskSetsInfo: [...info(target.blue, 'Blue'), ...info(target.green, 'Green')]
    }
  }
}
