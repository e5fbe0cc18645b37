/** Shared contracts between `main`, the strategies and their injected side effects. */
import type { OutputName } from './constants.js'

/** Where an annotation points and what it is titled: `@actions/core`'s `AnnotationProperties`. */
export interface AnnotationProperties {
  title?: string
  file?: string
  startLine?: number
  endLine?: number
  startColumn?: number
  endColumn?: number
}

/** Where the user sees progress. The real one is `@actions/core`; tests record calls. */
export interface Logger {
  info(message: string): void
  debug(message: string): void
  warning(message: string): void
  error(message: string, properties?: AnnotationProperties): void
  notice(message: string): void
  /** Registers a value to be masked in every later log line. */
  setSecret(secret: string): void
  /** Runs `fn` inside a collapsible log group. */
  group<T>(name: string, fn: () => Promise<T>): Promise<T>
}

/** Time, injected so every poll loop and timeout can run on a fake clock in tests. */
export interface Clock {
  now(): number
  /** Resolves after `ms`, or early (without throwing) once `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>
  /**
   * A background timer: resolves after `ms`, or early once `signal` aborts. Unlike `sleep`, a fake clock does not
   * move for it: it fires once the foreground's sleeps move the clock past it.
   */
  after(ms: number, signal?: AbortSignal): Promise<void>
}

export type DeployStatus = 'succeeded' | 'failed' | 'rolled-back' | 'planned'

export type TargetOutcome = 'deployed' | 'rolled-back' | 'failed' | 'untouched' | 'planned'

export interface PhaseReport {
  name: string
  ok: boolean
  durationMs: number
  exitCode?: number | null
  detail?: string
}

/** One host or one service: what it ran before, what it runs now, and how it got there. */
export interface TargetReport {
  name: string
  before?: string
  after?: string
  outcome: TargetOutcome
  /** For `failed`: what state the target was left in, in words. */
  state?: string
  durationMs: number
  phases: PhaseReport[]
  error?: string
}

export interface Link {
  title: string
  url: string
}

/** What a strategy returns; `main` publishes it (outputs, summary, notice or error). */
export interface DeployResult {
  status: DeployStatus
  /** One line: the outcome and, on failure, the reason. */
  message: string
  targets: TargetReport[]
  /** Strategy-specific outputs (`deployment-id`, `task-definition-arn`, …); `status`, `hosts-*` and `report` are derived. */
  outputs: Partial<Record<OutputName, string>>
  links?: Link[]
  /** Markdown sections for the job summary: a plan, a diff, a failure explanation. */
  sections?: { title: string; body: string }[]
}

/** The single record of what has changed so far; persisted as it happens so the post step can finish the work. */
export interface Journal<T extends object = Record<string, unknown>> {
  /** Merges `patch` into the record and persists it at once. */
  update(patch: Partial<T>): void
  read(): Partial<T>
}

/** Handed to a strategy for one run of the main step. */
export interface RunContext<J extends object = Record<string, unknown>> {
  journal: Journal<J>
  /** Aborts on SIGINT/SIGTERM (job cancelled): stop starting new work, recover what changed. */
  signal: AbortSignal
  /** Publishes an output as soon as it is known, so it survives a later failure. */
  setOutput(name: OutputName, value: string): void
}

/** Handed to a strategy in the post step. */
export interface RecoverContext<J extends object = Record<string, unknown>> {
  journal: Journal<J>
  signal: AbortSignal
}

/** A deploy strategy: one folder under `src/strategies/`, built by `createStrategy`. */
export interface Strategy<J extends object = Record<string, unknown>> {
  /** Pre-flight, then (unless dry-run) change and follow; failures that were handled come back as a result. */
  deploy(ctx: RunContext<J>): Promise<DeployResult>
  /**
   * Post step: finish what a cut-short main step left (roll back, stop the deployment, release locks).
   * Idempotent. Returns undefined when there was nothing to do.
   */
  recover(ctx: RecoverContext<J>): Promise<DeployResult | undefined>
}
