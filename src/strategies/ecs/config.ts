/** The inputs both ECS strategies read: region, cluster, service, environment, task definition, container. */
import { Inputs } from '../../constants.js'
import type { CommonConfig, CommonInputs } from '../../inputs/common.js'
import { FormError, parseEnum, positiveDuration, show, type ImageRef } from '../../inputs/forms.js'
import {
  InputError,
  invalid,
  missing,
  readDocument,
  readEnvLines,
  type EnvPair,
  type InputReader,
  type ReadContext,
  type YamlParse
} from '../../inputs/reader.js'

export interface EcsCommonConfig extends Omit<CommonConfig, 'image'> {
  /** The image rendered into the task definition; absent when `taskDefinitionRevision` is deployed as registered. */
  image?: ImageRef | undefined
  region: string
  cluster: string
  service: string
  /** A registered revision (`family:revision` or its ARN) to deploy as it is: nothing is registered. */
  taskDefinitionRevision?: string
  /** Path of the task definition file, when given; the parsed document is `taskDefinitionDocument`. */
  taskDefinitionPath?: string
  /** The parsed task definition file (JSON or YAML), unmodified. */
  taskDefinitionDocument?: Record<string, unknown>
  containerName?: string
  /** Ordered `KEY=value` pairs from `environment-variables`. */
  environmentVariables: EnvPair[]
  /** Run in a one-off task of the new task definition before the deploy; the deploy needs its exit code 0. */
  preDeployCommand?: string
  /** How often deployments, tasks and the service are read while the action waits. */
  pollIntervalMs: number
}

/** The default poll interval: success is noticed within one interval, at one to three reads per interval. */
export const POLL_INTERVAL_MS = 5000

const REGION_RE = /^[a-z]{2,4}(?:-[a-z]+)+-[0-9]{1,2}$/
const ECS_NAME_FORM = 'a name of letters, digits, _ and - (up to 255) or an ARN'
const ECS_NAME_RE = /^[A-Za-z0-9_-]{1,255}$/
const ECS_ARN_RE = /^arn:aws[a-z-]*:ecs:[a-z0-9-]+:[0-9]{12}:(?:cluster|service)\/[A-Za-z0-9_/-]{1,512}$/

function parseEcsName(value: string): string {
  if (!ECS_NAME_RE.test(value) && !ECS_ARN_RE.test(value)) throw new FormError(ECS_NAME_FORM)
  return value
}

/** RunTask's 8192-character overrides limit, less the JSON around the command and a container name of up to 255. */
const MAX_COMMAND_JSON = 7850

const REVISION_RE = /^(?:arn:aws[a-z-]*:ecs:[a-z0-9-]+:[0-9]{12}:task-definition\/)?[A-Za-z0-9_-]{1,255}:[0-9]{1,9}$/

/** Whether `task-definition` names a registered revision (`family:revision` or its ARN) rather than a file. */
export function isTaskDefinitionRevision(value: string): boolean {
  return REVISION_RE.test(value)
}

/** `rollback-to` for ECS: a registered task definition revision. */
export const REVISION_FORM = 'a task definition revision (family:revision or its ARN)'

export function parseTaskDefinitionRevision(value: string): string {
  if (!REVISION_RE.test(value)) throw new FormError(REVISION_FORM)
  return value
}

/** The last segment of an ARN, or the name itself. */
export function shortName(nameOrArn: string): string {
  return nameOrArn.startsWith('arn:') ? (nameOrArn.split('/').pop() ?? nameOrArn) : nameOrArn
}

function readRegion(r: InputReader, env: NodeJS.ProcessEnv, why: string): string {
  const regionInput = r.get(Inputs.awsRegion)
  const region = regionInput || env.AWS_REGION?.trim() || env.AWS_DEFAULT_REGION?.trim() || ''
  return (
    r.check(() => {
      if (!region) {
        throw missing(Inputs.awsRegion, `required ${why} (or set AWS_REGION); expected a region like us-east-1`)
      }
      if (!REGION_RE.test(region)) {
        const source = regionInput ? '' : env.AWS_REGION?.trim() ? ' (from AWS_REGION)' : ' (from AWS_DEFAULT_REGION)'
        throw invalid(Inputs.awsRegion, 'a region like us-east-1', `${show(region)}${source}`)
      }
      return region
    }) ?? ''
  )
}

/** The container names of a task definition document; undefined when it has none to check against. */
function containerNames(doc: Record<string, unknown> | undefined): string[] | undefined {
  return (doc?.containerDefinitions as unknown[] | undefined)
    ?.map((c) => (c as { name?: unknown } | null)?.name)
    .filter((n): n is string => typeof n === 'string')
}

function readTaskDefinition(
  file: string,
  env: NodeJS.ProcessEnv,
  parseYaml: YamlParse | undefined
): Record<string, unknown> {
  const doc = readDocument(Inputs.taskDefinition, file, env, parseYaml)
  if (!Array.isArray(doc.containerDefinitions)) {
    const hint =
      'taskDefinition' in doc ? '; the file looks like describe-task-definition output, use its .taskDefinition' : ''
    throw invalid(
      Inputs.taskDefinition,
      "a task definition object with a 'containerDefinitions' array",
      `${show(file)} without one${hint}`
    )
  }
  return doc
}

/** The common inputs an ECS strategy's reader gets: the image may be absent (a registered revision). */
export type EcsCommonInputs = CommonInputs & Pick<CommonConfig, 'strategy'>

/** Reads the inputs both ECS strategies share; `common.strategy` names the strategy in messages. */
export function readEcsConfig(
  r: InputReader,
  common: EcsCommonInputs,
  { env, log, parseYaml }: ReadContext
): EcsCommonConfig {
  const why = `for ${common.strategy}`
  const region = readRegion(r, env, why)
  const cluster = r.value(Inputs.cluster, 'default', parseEcsName)
  const service = r.required(Inputs.service, why, 'the ECS service name', parseEcsName) ?? ''
  const { image, ...rest } = common
  const config: EcsCommonConfig = {
    ...rest,
    region,
    cluster,
    service,
    environmentVariables: readEnvLines(r, Inputs.environmentVariables, log),
    pollIntervalMs: r.value(Inputs.pollInterval, POLL_INTERVAL_MS, positiveDuration)
  }
  if (image) config.image = image
  const preDeployCommand = r.get(Inputs.preDeployCommand)
  if (preDeployCommand) {
    // RunTask refuses overrides over 8192 characters of JSON; the container name's share is left for it.
    const size = JSON.stringify(preDeployCommand).length
    if (size > MAX_COMMAND_JSON) {
      // The command may hold secrets: its size only.
      r.add(
        invalid(
          Inputs.preDeployCommand,
          `a command of at most ${MAX_COMMAND_JSON} characters as JSON (the RunTask overrides limit)`,
          `${size}`
        )
      )
    } else config.preDeployCommand = preDeployCommand
  }
  const taskDefinition = r.get(Inputs.taskDefinition)
  if (common.rollbackTo || r.failed(Inputs.rollbackTo)) {
    refuseWithRollback(r)
  } else if (isTaskDefinitionRevision(taskDefinition)) {
    config.taskDefinitionRevision = taskDefinition
    refuseWithRevision(r, taskDefinition)
  } else if (taskDefinition) {
    const doc = r.check(() => readTaskDefinition(taskDefinition, env, parseYaml))
    config.taskDefinitionPath = taskDefinition
    if (doc) config.taskDefinitionDocument = doc
  }
  const containerName = r.get(Inputs.containerName)
  if (containerName) {
    // Checked against the task definition only when that file could be read.
    const containers = containerNames(config.taskDefinitionDocument)
    if (containers && !containers.includes(containerName)) {
      r.add(
        invalid(
          Inputs.containerName,
          `a container of '${Inputs.taskDefinition}' (${containers.join(', ') || 'none named'})`,
          show(containerName)
        )
      )
    }
    config.containerName = containerName
  }
  return config
}

/** `rollback-to` deploys a registered revision as it is: inputs that name or change another one are refused. */
function refuseWithRollback(r: InputReader): void {
  const expected = (what: string): string =>
    `no ${what} with '${Inputs.rollbackTo}' (the revision rolled back to is deployed as registered)`
  const taskDefinition = r.get(Inputs.taskDefinition)
  if (taskDefinition) {
    r.add(
      new InputError([
        {
          input: Inputs.rollbackTo,
          message: `Invalid '${Inputs.rollbackTo}': expected either '${Inputs.taskDefinition}' (deploy it) or '${Inputs.rollbackTo}' (go back to an earlier revision), got both`
        }
      ])
    )
  }
  const env = r.get(Inputs.environmentVariables)
  if (env) {
    const lines = env.split('\n').filter((l) => l.trim() !== '').length
    // The lines may hold secrets: count them.
    r.add(invalid(Inputs.environmentVariables, expected('variables'), `${lines} line${lines === 1 ? '' : 's'}`))
  }
}

/** A registered revision is deployed as it is: inputs that would change it are refused. */
function refuseWithRevision(r: InputReader, revision: string): void {
  const expected = (what: string): string =>
    `no ${what} when '${Inputs.taskDefinition}' names a registered revision (${show(revision)} is deployed as registered; to change it, give a task definition file)`
  const image = r.get(Inputs.image)
  // A bad image is already reported as such.
  if (image && !r.failed(Inputs.image)) r.add(invalid(Inputs.image, expected('image'), show(image)))
  const env = r.get(Inputs.environmentVariables)
  if (env) {
    const lines = env.split('\n').filter((l) => l.trim() !== '').length
    // The lines may hold secrets: count them.
    r.add(invalid(Inputs.environmentVariables, expected('variables'), `${lines} line${lines === 1 ? '' : 's'}`))
  }
}

export type WaitUntil = 'created' | 'traffic-shifted' | 'succeeded'
export type OnActiveDeployment = 'fail' | 'wait' | 'stop-previous'

/** When the step ends and what happens to a deployment already in progress: the blue/green strategies' inputs. */
export interface DeploymentWaits {
  waitUntil: WaitUntil
  onActiveDeployment: OnActiveDeployment
}

/** Reads `wait-until` and `on-active-deployment`; `common` is the config read so far (its verify gate). */
export function readDeploymentWaits(r: InputReader, common: Pick<EcsCommonConfig, 'verify'>): DeploymentWaits {
  const waits: DeploymentWaits = {
    waitUntil: r.value<WaitUntil>(Inputs.waitUntil, 'succeeded', (v) =>
      parseEnum(v, ['created', 'traffic-shifted', 'succeeded'] as const)
    ),
    onActiveDeployment: r.value<OnActiveDeployment>(Inputs.onActiveDeployment, 'fail', (v) =>
      parseEnum(v, ['fail', 'wait', 'stop-previous'] as const)
    )
  }
  // The gate needs a deployment to follow: with 'created' the step ends before there is anything to verify.
  if (common.verify && waits.waitUntil === 'created') {
    r.add(invalid(Inputs.waitUntil, `traffic-shifted or succeeded when '${Inputs.verifyCommand}' is set`, "'created'"))
  }
  return waits
}
