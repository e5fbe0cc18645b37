/**
 * Scripting the emulator: the same actions in-process (`emulator.control.<action>(…)`) and over HTTP
 * (`POST /__control/<action>` with a JSON body). See README.md for each action.
 */
import { LIFECYCLE_EVENTS } from './blue-green.js'
import { type EcsControl, createEcsControl } from './ecs-control.js'
import { type Fixture, FIXTURES, seedFixture } from './fixtures.js'
import { HOOK_STAGES } from './native.js'
import {
  type CallRecord,
  type NativeKnobs,
  type CodeDeployScript,
  type Model,
  type ReadyAction,
  type RollingScript,
  type StoppedTaskScript,
  type Timings
} from './model.js'

/** A control request that cannot be applied (answered with HTTP 400 over HTTP). */
export class ControlError extends Error {}

/** A scripted answer for matching operations; `op` is an operation name or `*` for all. */
export interface FaultRule {
  /** `lostResponse`: the operation runs (its change is made) but the connection drops before the answer. */
  kind: 'throttle' | 'accessDenied' | 'delay' | 'error' | 'lostResponse'
  op: string
  /** Calls left to affect; null means until cleared. */
  remaining: number | null
  ms?: number
  type?: string
  message?: string
  status?: number
}

export type FixtureRef = string | Fixture

export interface ConfigureInput extends Partial<Timings> {
  /** The exit code of every container of one-off tasks (RunTask) started from now on. */
  oneOffExitCode?: number
  /** Sets the deployment groups' deploymentReadyOption.actionOnTimeout (STOP/CONTINUE as shorthands). */
  readyWait?: 'STOP' | 'CONTINUE' | ReadyAction
  /** Sets the deployment groups' terminateBlueInstancesOnDeploymentSuccess action. */
  terminationAction?: 'TERMINATE' | 'KEEP_ALIVE'
  /** Only this deployment group (for readyWait/terminationAction); all when absent. */
  group?: string
}

export interface CodeDeployFailureInput {
  kind?: 'codedeploy'
  group?: string
  /** The lifecycle event that fails. */
  at: string
  code?: string
  message?: string
  stoppedTasks?: Partial<StoppedTaskScript>[]
}

export interface RollingFailureInput {
  kind: 'ecs-rolling'
  service?: string
  stoppedReason?: string
  stopCode?: string
  exitCode?: number
  containerReason?: string
}

export type FailureInput = CodeDeployFailureInput | RollingFailureInput

/** The mutable state the HTTP layer consults: fault rules and the call log. */
export class Runtime {
  faults: FaultRule[] = []
  calls: CallRecord[] = []

  /**
   * What to do with a call of `op`: the total delay of the matching delay rules, and the first matching rule
   * that answers instead of the operation. Each applied rule uses up one of its calls.
   */
  takeFaults(op: string): { delayMs: number; answer?: FaultRule } {
    const live = (f: FaultRule): boolean => (f.op === '*' || f.op === op) && (f.remaining === null || f.remaining > 0)
    const delays = this.faults.filter((f) => f.kind === 'delay' && live(f))
    const answer = this.faults.find((f) => f.kind !== 'delay' && live(f))
    for (const f of [...delays, ...(answer ? [answer] : [])]) if (f.remaining !== null) f.remaining--
    this.faults = this.faults.filter((f) => f.remaining === null || f.remaining > 0)
    return { delayMs: delays.reduce((sum, f) => sum + (f.ms ?? 0), 0), ...(answer ? { answer } : {}) }
  }
}

export interface Control extends EcsControl {
  reset(input?: { fixture?: FixtureRef }): { ok: true }
  seed(input: { fixture: FixtureRef }): { ok: true }
  configure(input: ConfigureInput): { timings: Timings }
  failNext(input: FailureInput): { queued: number }
  script(input: { steps: FailureInput[] }): { queued: number }
  throttle(input?: { op?: string; count?: number | null }): { faults: FaultRule[] }
  accessDenied(input: { op: string; count?: number | null }): { faults: FaultRule[] }
  delay(input: { op?: string; ms: number; count?: number | null }): { faults: FaultRule[] }
  error(input: { op?: string; type: string; message?: string; status?: number; count?: number | null }): {
    faults: FaultRule[]
  }
  loseResponse(input: { op: string; count?: number | null }): { faults: FaultRule[] }
  clearFaults(): { faults: FaultRule[] }
  calls(input?: { op?: string; service?: 'ecs' | 'codedeploy'; clear?: boolean }): CallRecord[]
  state(): EmulatorState
  nativeDeployments(input: NativeKnobsInput): { knobs: Record<string, NativeKnobs> }
}

/** Knobs of ECS-managed blue/green, linear and canary deployments (see README.md). */
export interface NativeKnobsInput {
  /** Only this service; every native service when absent. */
  service?: string
  /** Lambda hook outcome by lifecycle stage: SUCCEED (default), FAIL, or `{ ms, outcome? }` (a slow hook). */
  hooks?: Record<string, 'SUCCEED' | 'FAIL' | { ms?: number; outcome?: 'SUCCEED' | 'FAIL' }>
  /** The target revision's tasks fail their health checks (true: the ELB health check reason). */
  failTasks?: boolean | { stoppedReason?: string; stopCode?: string; exitCode?: number }
  rollbackFails?: boolean
  /** Removes the knobs of `service` (or the global ones). */
  clear?: boolean
}

/** `defaults`: what `reset` returns to — the fixture and timings the emulator started with. */
export function createControl(
  model: Model,
  runtime: Runtime,
  defaults: { fixture: FixtureRef; timings: Timings }
): Control {
  const addFault = (rule: FaultRule): { faults: FaultRule[] } => {
    runtime.faults.push(rule)
    return { faults: runtime.faults }
  }
  const count = (value: number | null | undefined, fallback: number | null): number | null =>
    value === undefined ? fallback : value

  const control: Control = {
    reset(input = {}) {
      model.clear()
      model.timings = { ...defaults.timings }
      runtime.faults = []
      runtime.calls = []
      seed(model, input.fixture ?? defaults.fixture)
      return { ok: true }
    },
    seed(input) {
      if (input?.fixture === undefined) throw new ControlError('seed needs { fixture: "standard" | {...} }')
      seed(model, input.fixture)
      return { ok: true }
    },
    configure(input) {
      const keys = [
        'stepMs',
        'readyTimeoutMs',
        'terminationWaitMs',
        'rollingCompletionMs',
        'rollbackInfoDelayMs',
        'bakingMs',
        'oneOffRunMs',
        'bakeMs',
        'stepBakeMs',
        'pauseTimeoutMs'
      ] as const
      for (const key of keys) {
        const value = input[key]
        if (value === undefined) continue
        if (typeof value !== 'number' || value < 0) throw new ControlError(`${key} must be a non-negative number`)
        model.timings[key] = value
      }
      if (input.eventMs !== undefined) {
        if (typeof input.eventMs !== 'object' || input.eventMs === null || Array.isArray(input.eventMs)) {
          throw new ControlError('eventMs must be an object of lifecycle event name → milliseconds')
        }
        const entries = Object.entries(input.eventMs)
        for (const [name, ms] of entries) {
          if (!(LIFECYCLE_EVENTS as readonly string[]).includes(name)) {
            throw new ControlError(`eventMs: unknown lifecycle event ${name} (known: ${LIFECYCLE_EVENTS.join(', ')})`)
          }
          if (typeof ms !== 'number' || ms < 0) throw new ControlError(`eventMs.${name} must be a non-negative number`)
        }
        // Replaced, not merged: `{}` clears it.
        model.timings.eventMs = Object.fromEntries(entries) as Record<string, number>
      }
      if (input.oneOffExitCode !== undefined) {
        const code = input.oneOffExitCode
        if (typeof code !== 'number' || !Number.isInteger(code) || code < 0 || code > 255) {
          throw new ControlError('oneOffExitCode must be an integer from 0 to 255')
        }
        model.oneOffExitCode = code
      }
      const groups = [...model.groups.values()].filter((g) => input.group === undefined || g.name === input.group)
      if (input.group !== undefined && groups.length === 0) throw new ControlError(`no deployment group ${input.group}`)
      if (input.readyWait !== undefined) {
        const action =
          ({ STOP: 'STOP_DEPLOYMENT', CONTINUE: 'CONTINUE_DEPLOYMENT' } as Record<string, ReadyAction>)[
            input.readyWait
          ] ?? input.readyWait
        if (action !== 'STOP_DEPLOYMENT' && action !== 'CONTINUE_DEPLOYMENT') {
          throw new ControlError(`readyWait must be STOP or CONTINUE, got ${String(input.readyWait)}`)
        }
        for (const g of groups) g.readyAction = action
      }
      if (input.terminationAction !== undefined) {
        if (input.terminationAction !== 'TERMINATE' && input.terminationAction !== 'KEEP_ALIVE') {
          throw new ControlError('terminationAction must be TERMINATE or KEEP_ALIVE')
        }
        for (const g of groups) g.terminationAction = input.terminationAction
      }
      return { timings: model.timings }
    },
    failNext(input) {
      queueFailure(model, input)
      return { queued: model.scripts.codedeploy.length + model.scripts.rolling.length }
    },
    script(input) {
      if (!Array.isArray(input?.steps)) throw new ControlError('script needs { steps: [...] }')
      for (const step of input.steps) queueFailure(model, step)
      return { queued: model.scripts.codedeploy.length + model.scripts.rolling.length }
    },
    throttle(input = {}) {
      return addFault({ kind: 'throttle', op: input.op ?? '*', remaining: count(input.count, 1) })
    },
    accessDenied(input) {
      if (!input?.op) throw new ControlError('accessDenied needs an op')
      return addFault({ kind: 'accessDenied', op: input.op, remaining: count(input.count, null) })
    },
    delay(input) {
      if (typeof input?.ms !== 'number') throw new ControlError('delay needs ms')
      return addFault({ kind: 'delay', op: input.op ?? '*', ms: input.ms, remaining: count(input.count, null) })
    },
    error(input) {
      if (!input?.type) throw new ControlError('error needs a type (e.g. ServerException)')
      return addFault({
        kind: 'error',
        op: input.op ?? '*',
        type: input.type,
        message: input.message ?? input.type,
        status: input.status ?? 400,
        remaining: count(input.count, 1)
      })
    },
    loseResponse(input) {
      if (!input?.op) throw new ControlError('loseResponse needs an op (e.g. CreateDeployment)')
      return addFault({ kind: 'lostResponse', op: input.op, remaining: count(input.count, 1) })
    },
    clearFaults() {
      runtime.faults = []
      return { faults: runtime.faults }
    },
    calls(input = {}) {
      const result = runtime.calls.filter(
        (c) =>
          (input.op === undefined || c.op === input.op) && (input.service === undefined || c.service === input.service)
      )
      if (input.clear) runtime.calls = []
      return result
    },
    state() {
      return dumpState(model, runtime)
    },
    nativeDeployments(input) {
      if (typeof input !== 'object' || input === null) throw new ControlError('nativeDeployments needs an object')
      const key = input.service ?? '*'
      if (input.clear) model.nativeKnobs.delete(key)
      else model.nativeKnobs.set(key, { ...model.nativeKnobs.get(key), ...readNativeKnobs(input) })
      return { knobs: Object.fromEntries(model.nativeKnobs) }
    },
    ...createEcsControl(model, (message) => new ControlError(message))
  }
  return control
}

function readNativeKnobs(input: NativeKnobsInput): NativeKnobs {
  const knobs: NativeKnobs = {}
  if (input.hooks !== undefined) {
    if (typeof input.hooks !== 'object' || input.hooks === null) throw new ControlError('hooks must be an object')
    knobs.hooks = {}
    for (const [stage, value] of Object.entries(input.hooks)) {
      if (!(HOOK_STAGES as readonly string[]).includes(stage)) {
        throw new ControlError(`hooks: ${stage} takes no hooks (stages: ${HOOK_STAGES.join(', ')})`)
      }
      const v = typeof value === 'string' ? { outcome: value } : value
      const outcome = v?.outcome ?? 'SUCCEED'
      if (outcome !== 'SUCCEED' && outcome !== 'FAIL') throw new ControlError(`hooks.${stage}: SUCCEED or FAIL`)
      if (v?.ms !== undefined && (typeof v.ms !== 'number' || v.ms < 0)) {
        throw new ControlError(`hooks.${stage}.ms must be a non-negative number`)
      }
      knobs.hooks[stage] = { outcome, ...(v?.ms !== undefined ? { ms: v.ms } : {}) }
    }
  }
  if (input.failTasks !== undefined) {
    const f = input.failTasks
    if (f === false) knobs.failTasks = undefined
    else {
      const given = f === true ? {} : f
      knobs.failTasks = {
        // https://docs.aws.amazon.com/AmazonECS/latest/developerguide/stopped-task-errors.html (ELB health checks)
        stoppedReason: given.stoppedReason ?? 'Task failed ELB health checks in (target-group <alternate>)',
        stopCode: given.stopCode ?? 'ServiceSchedulerInitiated',
        ...(given.exitCode !== undefined ? { exitCode: given.exitCode } : {})
      }
    }
  }
  if (input.rollbackFails !== undefined) knobs.rollbackFails = input.rollbackFails === true
  return knobs
}

function seed(model: Model, ref: FixtureRef): void {
  const fixture = resolveFixture(ref)
  try {
    seedFixture(model, fixture)
  } catch (error) {
    throw new ControlError(`fixture rejected: ${(error as Error).message}`)
  }
}

function resolveFixture(ref: FixtureRef): Fixture {
  if (typeof ref !== 'string') return ref
  const fixture = FIXTURES[ref]
  if (!fixture) throw new ControlError(`unknown fixture ${ref} (known: ${Object.keys(FIXTURES).join(', ')})`)
  return fixture
}

function queueFailure(model: Model, input: FailureInput): void {
  if (typeof input !== 'object' || input === null) throw new ControlError('a failure must be an object')
  if (input.kind === 'ecs-rolling') {
    const script: RollingScript = {
      stoppedReason: input.stoppedReason ?? 'Essential container in task exited',
      stopCode: input.stopCode ?? 'EssentialContainerExited',
      exitCode: input.exitCode ?? 1,
      ...(input.service !== undefined ? { service: input.service } : {}),
      ...(input.containerReason !== undefined ? { containerReason: input.containerReason } : {})
    }
    model.scripts.rolling.push(script)
    return
  }
  if (!(LIFECYCLE_EVENTS as readonly string[]).includes(input.at)) {
    throw new ControlError(`failNext.at must be one of ${LIFECYCLE_EVENTS.join(', ')}, got ${String(input.at)}`)
  }
  const install = input.at === 'Install' || input.at === 'AllowTestTraffic' || input.at === 'AllowTraffic'
  const script: CodeDeployScript = {
    failAt: input.at,
    code: input.code ?? (install ? 'ECS_UPDATE_ERROR' : 'HOOK_EXECUTION_FAILURE'),
    message:
      input.message ??
      (install
        ? `The deployment failed because the ${input.at} step could not update the ECS service.`
        : `The deployment failed because the ${input.at} lifecycle hook failed.`),
    stoppedTasks: (input.stoppedTasks ?? []).map((t) => ({
      stoppedReason: t.stoppedReason ?? 'Essential container in task exited',
      stopCode: t.stopCode ?? 'EssentialContainerExited',
      ...(t.exitCode !== undefined ? { exitCode: t.exitCode } : {}),
      ...(t.containerReason !== undefined ? { containerReason: t.containerReason } : {})
    })),
    ...(input.group !== undefined ? { group: input.group } : {})
  }
  model.scripts.codedeploy.push(script)
}

export interface EmulatorState {
  timings: Timings
  services: {
    cluster: string
    name: string
    deploymentController: string
    status: string
    taskDefinition: string
    desiredCount: number
    runningTasks: number
    deployments: {
      id: string
      status: string
      rolloutState: string
      rolloutStateReason: string
      taskDefinition: string
      failedTasks: number
    }[]
    taskSets: {
      id: string
      status: string
      taskDefinition: string
      trafficWeight: number
      targetGroup: string
      externalId?: string
    }[]
  }[]
  taskDefinitions: string[]
  deployments: {
    id: string
    application: string
    group: string
    status: string
    creator: string
    /** Epoch seconds, as on the wire. */
    createTime: number
    startTime?: number
    completeTime?: number
    errorInformation?: { code: string; message: string }
    rollbackInfo?: Record<string, string>
    target?: { status: string; lifecycleEvents: Record<string, string> }
  }[]
  deploymentGroups: { application: string; name: string; readyAction: string; terminationAction: string }[]
  /** ECS-managed deployments, oldest first. */
  serviceDeployments: {
    arn: string
    service: string
    status: string
    statusReason?: string
    lifecycleStage?: string
    target: string
    sources: string[]
    hooks: { hookId: string; stage: string; targetType: string; status: string }[]
  }[]
  faults: FaultRule[]
  scripted: { codedeploy: number; rolling: number }
  calls: number
}

function dumpState(model: Model, runtime: Runtime): EmulatorState {
  return {
    timings: model.timings,
    services: [...model.clusters.values()].flatMap((cluster) =>
      [...cluster.services.values()].map((s) => ({
        cluster: cluster.name,
        name: s.name,
        deploymentController: s.deploymentController,
        status: s.status,
        taskDefinition: s.taskDefinition,
        desiredCount: s.desiredCount,
        runningTasks: model.tasksOf(s).filter((t) => t.lastStatus === 'RUNNING').length,
        deployments: s.deployments.map((d) => ({
          id: d.id,
          status: d.status,
          rolloutState: d.rolloutState,
          rolloutStateReason: d.rolloutStateReason,
          taskDefinition: d.taskDefinition,
          failedTasks: d.failedTasks
        })),
        taskSets: s.taskSets.map((ts) => ({
          id: ts.id,
          status: ts.status,
          taskDefinition: ts.taskDefinition,
          trafficWeight: ts.trafficWeight,
          targetGroup: ts.targetGroupName,
          ...(ts.externalId !== undefined ? { externalId: ts.externalId } : {})
        }))
      }))
    ),
    taskDefinitions: [...model.taskDefinitions.values()].flatMap((revisions) => revisions.map((td) => td.arn)),
    deployments: [...model.deployments.values()].map((d) => ({
      id: d.id,
      application: d.applicationName,
      group: d.groupName,
      status: d.status,
      creator: d.creator,
      createTime: d.createTime,
      ...(d.startTime !== undefined ? { startTime: d.startTime } : {}),
      ...(d.completeTime !== undefined ? { completeTime: d.completeTime } : {}),
      ...(d.errorInformation ? { errorInformation: d.errorInformation } : {}),
      ...(d.rollbackInfo ? { rollbackInfo: d.rollbackInfo as Record<string, string> } : {}),
      ...(d.target
        ? {
            target: {
              status: d.target.status,
              lifecycleEvents: Object.fromEntries(d.target.lifecycleEvents.map((e) => [e.lifecycleEventName, e.status]))
            }
          }
        : {})
    })),
    deploymentGroups: [...model.groups.values()].map((g) => ({
      application: g.applicationName,
      name: g.name,
      readyAction: g.readyAction,
      terminationAction: g.terminationAction
    })),
    serviceDeployments: [...model.serviceDeployments.values()].map((d) => ({
      arn: d.arn,
      service: d.serviceName,
      status: d.status,
      ...(d.statusReason !== undefined ? { statusReason: d.statusReason } : {}),
      ...(d.lifecycleStage !== undefined ? { lifecycleStage: d.lifecycleStage } : {}),
      target: d.target.taskDefinition,
      sources: d.sources.map((r) => r.taskDefinition),
      hooks: d.hooks.map((h) => ({ hookId: h.hookId, stage: h.stage, targetType: h.targetType, status: h.status }))
    })),
    faults: runtime.faults,
    scripted: { codedeploy: model.scripts.codedeploy.length, rolling: model.scripts.rolling.length },
    calls: runtime.calls.length
  }
}
