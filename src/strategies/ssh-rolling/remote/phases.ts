/**
 * The contract between the runner and the phase scripts, one entry per script: the positional parameters it reads
 * (as its `NAME=$1 …` line names them), what `DEPLOY_INPUT` carries, the result fields it prints, and the typed
 * arguments → argv and result parser every call goes through. ssh-rolling/README.md's protocol table is this table.
 */
import type { ComposeKind } from '../host-state.js'
import type { ScriptResult } from '../shell.js'
import type { PhaseScriptName } from '../scripts.js'

export interface PhaseSpec<Args, Result> {
  /** What the table's reader needs beyond the names: list formats, the values a field takes. */
  about?: string
  /** The script's positional parameters, in order (a trailing `?`: may be left out). */
  params: readonly string[]
  /** What the script reads from `DEPLOY_INPUT` (secret: on stdin, never on the command line). */
  input?: string
  /** The result fields the script may print besides `ok` and `error`. */
  fields: readonly string[]
  argv(args: Args): string[]
  /** Reads the result line; a field that is missing or of another type reads as absent. */
  parse(result: ScriptResult): Result
}

/** The project's compose command line: where, which compose, which files, which services (all when empty). */
export interface ComposeTarget {
  appDir: string
  compose: ComposeKind
  files: readonly string[]
  services: readonly string[]
}

/** This run's claim on a host's deploy lock. */
export interface LockClaim {
  token: string
  ownerJson: string
  ttlSeconds: number
}

/** A lock phase's answer: the lock's state, and its owner (and audit line) when another run held it. */
export interface LockAnswer {
  lock: string
  owner?: string
  audit?: string
}

export interface Container {
  service: string
  id: string
  name: string
}

/** One look at containers: `healthy`, `starting` or `unhealthy`, and what is wrong. */
export interface ContainerLook {
  state?: string
  problems: string[]
  /** A probe got no 2xx (gate only): a failed try, where a healthcheck still starting is only waited for. */
  probeFailed: boolean
}

export interface BackupImage {
  service?: string
  image?: string
  /** The container had exited with code 0 (a one-shot service). */
  completed: boolean
}

/** A service's image as a host runs it (or a backup recorded it). */
export interface ServiceImage {
  service: string
  imageId: string
  image: string
}

/** One backup folder as `releases` lists it. */
export interface BackupListing {
  name: string
  dir: string
  /** It has its manifest: it can be restored. */
  complete: boolean
  previous?: string
  release?: string
  images: (ServiceImage & { present: boolean })[]
}

const runningImage = (i: Record<string, unknown>): ServiceImage => ({
  service: String(i.service ?? ''),
  imageId: String(i.imageId ?? ''),
  image: String(i.image ?? '')
})

const lines = (items: readonly string[]): string => items.join('\n')
const rows = (items: readonly (readonly (string | number)[])[]): string => lines(items.map((row) => row.join('\t')))
const composeArgv = (c: ComposeTarget): string[] => [c.appDir, c.compose, lines(c.files), lines(c.services)]

const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined)
const num = (value: unknown): number | undefined => (typeof value === 'number' ? value : undefined)
const strings = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : [])
const objects = (value: unknown): Record<string, unknown>[] =>
  Array.isArray(value) ? value.filter((v): v is Record<string, unknown> => typeof v === 'object' && v !== null) : []
const optional = <K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } =>
  (value === undefined ? {} : { [key]: value }) as { [P in K]?: V }
const none = (): Record<string, never> => ({})

function lockAnswer(r: ScriptResult): LockAnswer {
  return { lock: String(r.lock), ...optional('owner', str(r.lockOwner)), ...optional('audit', str(r.lockAudit)) }
}

function look(r: ScriptResult): ContainerLook {
  return { ...optional('state', str(r.state)), problems: strings(r.problems), probeFailed: r.probeFailed === true }
}

function containers(value: unknown): Container[] {
  return objects(value).flatMap((c) =>
    typeof c.id === 'string' && typeof c.service === 'string'
      ? [{ service: c.service, id: c.id, name: typeof c.name === 'string' ? c.name : c.id.slice(0, 12) }]
      : []
  )
}

const LOCK_PARAMS = ['TOKEN', 'OWNER_JSON', 'TTL'] as const
const LOCK_FIELDS = ['lock', 'lockOwner', 'lockAudit'] as const
const COMPOSE_PARAMS = ['APP_DIR', 'COMPOSE_KIND', 'COMPOSE_FILES', 'SERVICES'] as const
const ENV_LINES = 'the `KEY=value` lines of `.env`'

function spec<Args, Result>(s: PhaseSpec<Args, Result>): PhaseSpec<Args, Result> {
  return s
}

export const PHASES = {
  preflight: spec({
    about:
      "compose: v1 or v2; lock: acquired, taken-over or held; services and facts only with VALIDATE yes (a dry run); lastAudit: the audit log's last line",
    params: ['APP_DIR', 'COMPOSE_FILES', 'IMAGE_VAR', 'MIN_FREE_KB', ...LOCK_PARAMS, 'VALIDATE?'],
    fields: [
      'compose',
      'composeVersion',
      'dockerVersion',
      'freeKb',
      'imageBefore',
      'services',
      'facts',
      'project',
      'warnings',
      'lastAudit',
      ...LOCK_FIELDS
    ],
    argv: (a: {
      appDir: string
      files: readonly string[]
      imageVariable: string
      minFreeKb: number
      claim: LockClaim
      validate: boolean
    }) => [
      a.appDir,
      lines(a.files),
      a.imageVariable,
      String(a.minFreeKb),
      a.claim.token,
      a.claim.ownerJson,
      String(a.claim.ttlSeconds),
      a.validate ? 'yes' : 'no'
    ],
    parse: (r) => ({
      compose: (r.compose === 'v1' ? 'v1' : 'v2') as ComposeKind,
      dockerVersion: String(r.dockerVersion),
      ...optional('composeVersion', str(r.composeVersion) || undefined),
      ...optional('imageBefore', str(r.imageBefore) || undefined),
      ...optional('project', str(r.project) || undefined),
      ...optional('facts', str(r.facts)),
      ...optional('lastAudit', str(r.lastAudit) || undefined),
      warnings: strings(r.warnings),
      ...lockAnswer(r)
    })
  }),
  lock: spec({
    about: 'lockAudit (taken over): the last line of the audit log',
    params: ['APP_DIR', ...LOCK_PARAMS],
    fields: LOCK_FIELDS,
    argv: (a: { appDir: string; claim: LockClaim }) => [
      a.appDir,
      a.claim.token,
      a.claim.ownerJson,
      String(a.claim.ttlSeconds)
    ],
    parse: lockAnswer
  }),
  renew: spec({
    about: 'lock: renewed, absent or other; expires: host epoch seconds',
    params: ['APP_DIR', 'TOKEN', 'TTL'],
    fields: ['expires', ...LOCK_FIELDS],
    argv: (a: { appDir: string; token: string; ttlSeconds: number }) => [a.appDir, a.token, String(a.ttlSeconds)],
    parse: (r) => ({ ...optional('lock', str(r.lock)), ...optional('owner', str(r.lockOwner)) })
  }),
  unlock: spec({
    about: 'BACKUP_DIR: tag its image ids again first; lock: released, absent or other',
    params: ['APP_DIR', 'TOKEN', 'BACKUP_DIR?'],
    fields: ['retagged', 'retagError', ...LOCK_FIELDS],
    argv: (a: { appDir: string; token: string; retagFrom?: string }) => [
      a.appDir,
      a.token,
      ...(a.retagFrom === undefined ? [] : [a.retagFrom])
    ],
    parse: (r) => ({
      ...optional('lock', str(r.lock)),
      ...optional('owner', str(r.lockOwner)),
      ...optional('retagError', str(r.retagError))
    })
  }),
  backup: spec({
    about:
      'images: [{service, imageId, image, completed?}]; PREVIOUS, RELEASE: written to its meta; KEEP: a backup never pruned',
    params: [
      'APP_DIR',
      'COMPOSE_KIND',
      'COMPOSE_FILES',
      'STAMP',
      'RETENTION',
      'PROJECT',
      'PREVIOUS?',
      'RELEASE?',
      'KEEP?'
    ],
    fields: ['dir', 'images', 'pruned'],
    argv: (a: {
      appDir: string
      compose: ComposeKind
      files: readonly string[]
      stamp: string
      retention: number
      project?: string
      previous?: string
      release?: string
      keep?: string
    }) => [
      a.appDir,
      a.compose,
      lines(a.files),
      a.stamp,
      String(a.retention),
      a.project ?? '',
      a.previous ?? '',
      a.release ?? '',
      a.keep ?? ''
    ],
    parse: (r) => ({
      ...optional('dir', str(r.dir)),
      images: objects(r.images).map((i): BackupImage => ({
        ...optional('service', str(i.service)),
        ...optional('image', str(i.image)),
        completed: i.completed === true
      }))
    })
  }),
  run: spec({
    about: 'the command runs in a subshell as `sh -c` would',
    params: ['APP_DIR', 'LABEL'],
    input: 'the command',
    fields: ['exitCode'],
    argv: (a: { appDir: string; label: string }) => [a.appDir, a.label],
    parse: none
  }),
  stop: spec({
    about: 'WAIT: 0.2 s naps before KILL; stopped: groups gone now; left: pgids still running after TERM and KILL',
    params: ['APP_DIR', 'RUN', 'WAIT'],
    fields: ['stopped', 'left'],
    argv: (a: { appDir: string; token: string; termNaps: number }) => [a.appDir, a.token, String(a.termNaps)],
    parse: (r) => ({ stopped: num(r.stopped) ?? 0, left: strings(r.left) })
  }),
  apply: spec({
    params: ['APP_DIR'],
    input: ENV_LINES,
    fields: ['keys', 'changed'],
    argv: (a: { appDir: string }) => [a.appDir],
    parse: none
  }),
  pull: spec({
    about:
      'facts: `service_facts` lines of the new configuration; changed: services whose configuration or image id differs',
    params: [...COMPOSE_PARAMS, 'PROJECT?'],
    input: `${ENV_LINES} \`apply\` will set`,
    fields: ['facts', 'changed'],
    argv: (a: ComposeTarget & { project?: string }) => [...composeArgv(a), a.project ?? ''],
    // Both or neither: without them compose could not print its configuration.
    parse: (r) => ({
      ...optional(
        'update',
        typeof r.facts === 'string' && Array.isArray(r.changed)
          ? { facts: r.facts, changed: strings(r.changed) }
          : undefined
      )
    })
  }),
  start: spec({
    about: 'SCALES: `service<TAB>declared scale` lines; old, new: [{service, id, name}]',
    params: ['APP_DIR', 'COMPOSE_KIND', 'COMPOSE_FILES', 'PROJECT', 'SCALES'],
    fields: ['old', 'new'],
    argv: (a: {
      appDir: string
      compose: ComposeKind
      files: readonly string[]
      project?: string
      scales: readonly (readonly [service: string, count: number])[]
    }) => [a.appDir, a.compose, lines(a.files), a.project ?? '', rows(a.scales)],
    parse: (r) => ({ old: containers(r.old), new: containers(r.new) })
  }),
  gate: spec({
    about: 'PROBES: `service<TAB>port/path` lines; state: healthy, starting or unhealthy',
    params: ['APP_DIR', 'IDS', 'PROBES?'],
    fields: ['state', 'problems', 'containers', 'probeFailed'],
    argv: (a: {
      appDir: string
      ids: readonly string[]
      probes: readonly (readonly [service: string, probe: string])[]
    }) => [a.appDir, lines(a.ids), rows(a.probes)],
    parse: look
  }),
  switch: spec({
    about: 'OLD: `container id<TAB>grace seconds` lines',
    params: [...COMPOSE_PARAMS, 'OLD'],
    fields: ['retired'],
    argv: (a: ComposeTarget & { retire: readonly (readonly [id: string, graceSeconds: number])[] }) => [
      ...composeArgv(a),
      rows(a.retire)
    ],
    parse: none
  }),
  up: spec({ params: COMPOSE_PARAMS, fields: [], argv: composeArgv, parse: none }),
  health: spec({
    about:
      'ALL_SERVICES: with SERVICES empty, those that must have a container; COMPLETED: one-shot services; state: healthy, starting or unhealthy',
    params: [...COMPOSE_PARAMS, 'PROJECT', 'ALL_SERVICES', 'COMPLETED?'],
    fields: ['state', 'problems', 'containers'],
    argv: (a: ComposeTarget & { project?: string; expected: readonly string[]; completed: readonly string[] }) => [
      ...composeArgv(a),
      a.project ?? '',
      lines(a.expected),
      lines(a.completed)
    ],
    parse: look
  }),
  diagnose: spec({
    about: 'prints `compose ps`, logs, health logs',
    params: COMPOSE_PARAMS,
    fields: [],
    argv: composeArgv,
    parse: none
  }),
  rollback: spec({
    about:
      'RETIRE: `service<TAB>grace` lines (before a switch); refused unless the lock holds TOKEN: lock other or absent',
    params: [...COMPOSE_PARAMS, 'BACKUP_DIR', 'TOKEN', 'RETIRE?', 'PROJECT?'],
    fields: ['retired', 'restored', 'retagged', 'missing', 'previous', 'lock', 'lockOwner', 'lockAudit'],
    argv: (
      a: ComposeTarget & {
        backupDir: string
        token: string
        retire: readonly (readonly [service: string, graceSeconds: number])[]
        project?: string
      }
    ) => [...composeArgv(a), a.backupDir, a.token, rows(a.retire), a.project ?? ''],
    parse: (r) => ({
      ...optional('lock', str(r.lock)),
      ...optional('owner', str(r.lockOwner)),
      retired: num(r.retired) ?? 0,
      missing: strings(r.missing),
      ...optional('previous', str(r.previous) || undefined)
    })
  }),
  restore: spec({
    about:
      "a rollback-to's apply: the backup's files and image tags, no container changed; facts, changed as for `pull`; refused unless the lock holds TOKEN",
    params: [...COMPOSE_PARAMS, 'BACKUP_DIR', 'TOKEN', 'PROJECT?'],
    fields: ['restored', 'retagged', 'missing', 'previous', 'facts', 'changed', 'lock', 'lockOwner', 'lockAudit'],
    argv: (a: ComposeTarget & { backupDir: string; token: string; project?: string }) => [
      ...composeArgv(a),
      a.backupDir,
      a.token,
      a.project ?? ''
    ],
    parse: (r) => ({
      ...optional('lock', str(r.lock)),
      ...optional('owner', str(r.lockOwner)),
      missing: strings(r.missing),
      ...optional('previous', str(r.previous) || undefined),
      ...optional(
        'update',
        typeof r.facts === 'string' && Array.isArray(r.changed)
          ? { facts: r.facts, changed: strings(r.changed) }
          : undefined
      )
    })
  }),
  releases: spec({
    about:
      'running: [{service, imageId, image}]; backups: [{name, dir, complete, previous, release, images: [{service, imageId, image, present}]}]',
    params: ['APP_DIR', 'COMPOSE_KIND', 'COMPOSE_FILES', 'PROJECT?'],
    fields: ['running', 'backups'],
    argv: (a: { appDir: string; compose: ComposeKind; files: readonly string[]; project?: string }) => [
      a.appDir,
      a.compose,
      lines(a.files),
      a.project ?? ''
    ],
    parse: (r) => ({
      running: objects(r.running).map(runningImage),
      backups: objects(r.backups).map((b): BackupListing => ({
        name: String(b.name),
        dir: String(b.dir),
        complete: b.complete === true,
        ...optional('previous', str(b.previous) || undefined),
        ...optional('release', str(b.release) || undefined),
        images: objects(b.images).map((i) => ({ ...runningImage(i), present: i.present === true }))
      }))
    })
  }),
  audit: spec({
    about:
      'LINE: one JSON line for `.deploy/audit.log`; with COMPOSE_KIND, the image id each service runs is added as `running`',
    params: ['APP_DIR', 'LINE', 'COMPOSE_KIND?', 'COMPOSE_FILES?', 'PROJECT?'],
    fields: [],
    argv: (a: {
      appDir: string
      line: string
      running?: { compose: ComposeKind; files: readonly string[]; project?: string }
    }) =>
      a.running
        ? [a.appDir, a.line, a.running.compose, lines(a.running.files), a.running.project ?? '']
        : [a.appDir, a.line],
    parse: none
  })
} satisfies { [N in PhaseScriptName]: PhaseSpec<never, unknown> }

export type PhaseArgs<N extends PhaseScriptName> = Parameters<(typeof PHASES)[N]['argv']>[0]
export type PhaseResult<N extends PhaseScriptName> = ReturnType<(typeof PHASES)[N]['parse']>

/** The argv of one call of `script`. */
export function phaseArgv<N extends PhaseScriptName>(script: N, args: PhaseArgs<N>): string[] {
  // One place correlates a script's name with its own entry (TypeScript cannot across the union of entries).
  return (PHASES[script].argv as (a: PhaseArgs<N>) => string[])(args)
}

/** The typed result of one call of `script`. */
export function parsePhaseResult<N extends PhaseScriptName>(script: N, result: ScriptResult): PhaseResult<N> {
  return PHASES[script].parse(result) as PhaseResult<N>
}

/** The protocol table of ssh-rolling/README.md: script, parameters (and input), result fields, notes. */
export function protocolRows(): [script: string, args: string, result: string, notes: string][] {
  return Object.entries(PHASES).map(([name, s]: [string, PhaseSpec<never, unknown>]) => [
    `\`${name}\``,
    [s.params.join(', '), ...(s.input ? [`input: ${s.input}`] : [])].join('; '),
    s.fields.length ? s.fields.map((f) => `\`${f}\``).join(', ') : '—',
    s.about ?? ''
  ])
}
