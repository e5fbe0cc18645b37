/**
 * The task definition to register, as a plain document: cleaned of describe-only fields and empty values,
 * with the image and environment variables rendered into one container. Pure: no AWS calls.
 */
import type { EnvPair } from '../../inputs/reader.js'
import { Inputs } from '../../constants.js'

/** A task definition as JSON: RegisterTaskDefinition input plus whatever else the user wrote (kept as is). */
export type TaskDefinitionDocument = Record<string, unknown>

/** Fields DescribeTaskDefinition returns but RegisterTaskDefinition does not take. */
export const DESCRIBE_ONLY_FIELDS = [
  'taskDefinitionArn',
  'revision',
  'status',
  'requiresAttributes',
  'compatibilities',
  'registeredAt',
  'deregisteredAt',
  'deleteRequestedAt',
  'registeredBy'
] as const

interface ContainerDocument extends Record<string, unknown> {
  name?: string
  image?: string
  environment?: { name?: string; value?: string }[]
  portMappings?: { containerPort?: number }[]
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date)
}

function isEmptyValue(value: unknown): boolean {
  if (value === null || value === undefined || value === '') return true
  if (Array.isArray(value)) return value.every(isEmptyValue)
  if (isPlainObject(value)) return Object.values(value).every(isEmptyValue)
  return false
}

/** Maps whose keys the user names and whose `""` values mean something (`dockerLabels`, log driver `options`). */
const STRING_MAPS = new Set(['dockerLabels', 'options'])

/**
 * Drops empty strings, nulls, and arrays/objects holding nothing else, at every depth; `false` and `0` stay. Kept,
 * because there `""` is a value ECS passes on: an environment variable's `value` (ECS drops an entry without one),
 * `""` items of an argument list that has other items (`command: ["sh", "-c", ""]`), and `""` values of
 * `dockerLabels` and log driver `options` (a splunk `tag` of `""`).
 */
export function stripEmptyValues<T>(value: T, key?: string): T {
  if (Array.isArray(value)) {
    const isArgs = value.every((v) => typeof v === 'string') && value.some((v) => v !== '')
    return (isArgs ? value : value.filter((v) => !isEmptyValue(v)).map((v) => stripEmptyValues(v))) as T
  }
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {}
    const keepEmptyStrings = key !== undefined && STRING_MAPS.has(key)
    // `{name, value: ""}` in `environment` (and `{name, value}` pairs elsewhere, e.g. ulimits have no `value`).
    const isEnvPair = typeof value.name === 'string' && value.name !== '' && value.value === ''
    for (const [k, child] of Object.entries(value)) {
      if (child === '' && (keepEmptyStrings || (isEnvPair && k === 'value'))) out[k] = ''
      else if (!isEmptyValue(child)) out[k] = stripEmptyValues(child, k)
    }
    return out as T
  }
  return value
}

/**
 * Turns a task definition (a file, or a described one with its tags) into RegisterTaskDefinition input: strips
 * describe-only fields and empty values. The CLI's `{taskDefinition, tags}` wrapper is refused by the
 * `task-definition` input, which says to use its `.taskDefinition` (`--query taskDefinition`).
 */
export function cleanTaskDefinition(document: Record<string, unknown>): TaskDefinitionDocument {
  const copy: Record<string, unknown> = { ...document }
  for (const field of DESCRIBE_ONLY_FIELDS) delete copy[field]
  return stripEmptyValues(copy)
}

function containersOf(doc: TaskDefinitionDocument): ContainerDocument[] {
  const list = doc.containerDefinitions
  return Array.isArray(list) ? list.filter(isPlainObject) : []
}

export function containerNames(doc: TaskDefinitionDocument): string[] {
  return containersOf(doc).map((c) => String(c.name ?? ''))
}

/**
 * The container that receives the image: `containerName` when given, else the only one.
 * Errors name the input and list the containers there are.
 */
export function selectContainer(doc: TaskDefinitionDocument, containerName: string | undefined): string {
  const names = containerNames(doc)
  if (names.length === 0) throw new Error('The task definition has no containerDefinitions')
  const list = names.map((n) => `'${n}'`).join(', ')
  if (containerName === undefined) {
    if (names.length === 1) return names[0] as string
    throw new Error(
      `Missing '${Inputs.containerName}': required because the task definition has ${names.length} containers (${list})`
    )
  }
  if (!names.includes(containerName)) {
    throw new Error(
      `Invalid '${Inputs.containerName}': the task definition has no container '${containerName}'; its containers: ${list}`
    )
  }
  return containerName
}

export interface RenderOptions {
  image: string
  containerName?: string | undefined
  environment: EnvPair[]
}

/**
 * A copy of `doc` with `image` in the selected container and `environment` upserted into its environment
 * (a variable of the same name is replaced where it stands; new ones are appended in the given order).
 */
export function renderTaskDefinition(
  doc: TaskDefinitionDocument,
  options: RenderOptions
): { taskDefinition: TaskDefinitionDocument; containerName: string } {
  const containerName = selectContainer(doc, options.containerName)
  const rendered = structuredClone(doc)
  const container = containersOf(rendered).find((c) => c.name === containerName) as ContainerDocument
  container.image = options.image
  if (options.environment.length > 0) {
    const env = [...(container.environment ?? [])]
    for (const { key, value } of options.environment) {
      const at = env.findIndex((e) => e.name === key)
      if (at >= 0) env[at] = { ...env[at], name: key, value }
      else env.push({ name: key, value })
    }
    container.environment = env
  }
  return { taskDefinition: rendered, containerName }
}

/** Whether `containerName` exists and maps `containerPort` (what a load balancer or AppSpec needs). */
export function containerHasPort(doc: TaskDefinitionDocument, containerName: string, containerPort: number): boolean {
  const container = containersOf(doc).find((c) => c.name === containerName)
  return (container?.portMappings ?? []).some((m) => m.containerPort === containerPort)
}

/** `family:revision` from a task definition ARN (`arn:…:task-definition/web:42` → `web:42`). */
export function taskDefinitionLabel(arn: string | undefined): string | undefined {
  if (!arn) return undefined
  const slash = arn.lastIndexOf('/')
  return slash >= 0 ? arn.slice(slash + 1) : arn
}

function show(value: unknown): string {
  if (value === undefined) return '(unset)'
  const text = JSON.stringify(value)
  return text.length > 100 ? `${text.slice(0, 97)}...` : text
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b)
}

function envMap(container: ContainerDocument | undefined): Map<string, string | undefined> {
  return new Map((container?.environment ?? []).map((e) => [String(e.name), e.value]))
}

function diffContainer(name: string, before: ContainerDocument, after: ContainerDocument): string[] {
  const lines: string[] = []
  if (before.image !== after.image)
    lines.push(`container \`${name}\` image: ${show(before.image)} → ${show(after.image)}`)
  // Names only: environment values may be sensitive and the diff goes to the job summary.
  const oldEnv = envMap(before)
  const newEnv = envMap(after)
  const added = [...newEnv.keys()].filter((k) => !oldEnv.has(k))
  const changed = [...newEnv.keys()].filter((k) => oldEnv.has(k) && oldEnv.get(k) !== newEnv.get(k))
  const removed = [...oldEnv.keys()].filter((k) => !newEnv.has(k))
  const envParts = [
    added.length ? `added ${added.join(', ')}` : '',
    changed.length ? `changed ${changed.join(', ')}` : '',
    removed.length ? `removed ${removed.join(', ')}` : ''
  ].filter(Boolean)
  if (envParts.length) lines.push(`container \`${name}\` environment: ${envParts.join('; ')}`)
  const keys = new Set([...Object.keys(before), ...Object.keys(after)])
  for (const key of [...keys].sort()) {
    if (key === 'image' || key === 'environment' || key === 'name') continue
    if (!sameJson(before[key], after[key])) {
      lines.push(`container \`${name}\` ${key}: ${show(before[key])} → ${show(after[key])}`)
    }
  }
  return lines
}

/**
 * A readable diff of two cleaned task definitions (live → new), one line per change: images, environment
 * variable names, other changed keys, containers added or removed. Empty when they are the same.
 */
export function diffTaskDefinitions(before: TaskDefinitionDocument, after: TaskDefinitionDocument): string[] {
  const lines: string[] = []
  const oldContainers = new Map(containersOf(before).map((c) => [String(c.name), c]))
  const newContainers = new Map(containersOf(after).map((c) => [String(c.name), c]))
  for (const [name, container] of newContainers) {
    const old = oldContainers.get(name)
    if (old) lines.push(...diffContainer(name, old, container))
    else lines.push(`container \`${name}\` added (image ${show(container.image)})`)
  }
  for (const name of oldContainers.keys()) if (!newContainers.has(name)) lines.push(`container \`${name}\` removed`)
  const keys = new Set([...Object.keys(before), ...Object.keys(after)])
  for (const key of [...keys].sort()) {
    if (key === 'containerDefinitions') continue
    if (!sameJson(before[key], after[key])) lines.push(`${key}: ${show(before[key])} → ${show(after[key])}`)
  }
  return lines
}
