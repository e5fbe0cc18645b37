/** The typed configuration that `readInputs` builds: a discriminated union keyed on the strategy. */
import type { StrategyName } from './constants.js'

/** A parsed OCI image reference. `ref` is the original, validated string. */
export interface ImageRef {
  ref: string
  registry?: string
  name: string
  tag?: string
  digest?: string
}

export interface CommonConfig {
  strategy: StrategyName
  image: ImageRef
  timeoutMinutes: number
  dryRun: boolean
  rollbackOnFailure: boolean
}

export type WaitUntil = 'created' | 'traffic-shifted' | 'succeeded'
export type OnActiveDeployment = 'fail' | 'wait' | 'stop-previous'

export interface EcsCommonConfig extends CommonConfig {
  region: string
  cluster: string
  service: string
  /** Path of the task definition file, when given; the parsed document is `taskDefinitionDocument`. */
  taskDefinitionPath?: string
  /** The parsed task definition file (JSON or YAML), unmodified. */
  taskDefinitionDocument?: Record<string, unknown>
  containerName?: string
  /** Ordered `KEY=value` pairs from `environment-variables`. */
  environmentVariables: EnvPair[]
}

export interface EcsBlueGreenConfig extends EcsCommonConfig {
  strategy: 'ecs-blue-green'
  codedeployApplication: string
  codedeployDeploymentGroup: string
  appspecPath?: string
  /** The parsed AppSpec file (YAML or JSON), unmodified. */
  appspecDocument?: Record<string, unknown>
  deploymentConfig?: string
  waitUntil: WaitUntil
  onActiveDeployment: OnActiveDeployment
}

export interface EcsRollingConfig extends EcsCommonConfig {
  strategy: 'ecs-rolling'
}

export interface EnvPair {
  key: string
  value: string
}

/** One SSH target, after defaults (`ssh-user`, `ssh-port`) are applied. */
export interface HostTarget {
  /** As written by the user (e.g. `deploy@[2001:db8::1]:2222`); used as the display name. */
  spec: string
  user: string
  host: string
  port: number
}

/** `N` hosts or `N%` of the fleet. */
export type BatchSize = { kind: 'count'; value: number } | { kind: 'percent'; value: number }

/**
 * One `ssh-known-hosts` line. `keyBase64` is the key blob as written (its embedded type equals `keyType`); a pin's
 * `fingerprint` is `SHA256:<43 base64 chars>` as `ssh-keygen -lf` prints it, and its `port` is absent when not written.
 */
export type KnownHostEntry =
  | { kind: 'plain'; patterns: string[]; negated: string[]; keyType: string; keyBase64: string; marker?: string }
  | { kind: 'hashed'; salt: Buffer; hash: Buffer; keyType: string; keyBase64: string; marker?: string }
  | { kind: 'pin'; host: string; port?: number; fingerprint: string }

export interface HealthCheckConfig {
  url?: string
  command?: string
  retries: number
  intervalMs: number
  timeoutMs: number
  startPeriodMs: number
}

/** How a service's containers are replaced: `auto` picks start-first where the service can run twice. */
export type UpdateOrder = 'auto' | 'start-first' | 'stop-first'

export interface SshRollingConfig extends CommonConfig {
  strategy: 'ssh-rolling'
  hosts: HostTarget[]
  privateKey?: string
  passphrase?: string
  knownHosts: KnownHostEntry[]
  jumpHost?: HostTarget
  insecureSkipHostKeyCheck: boolean
  appDir: string
  composeFiles: string[]
  composeServices: string[]
  env: EnvPair[]
  imageVariable: string
  preDeployCommand?: string
  postDeployCommand?: string
  healthCheck: HealthCheckConfig
  updateOrder: UpdateOrder
  /** Start-first: how long the new containers serve beside the old before the old are retired (a proxy's refresh). */
  switchDelayMs: number
  /** Start-first: per service, the `port/path` each new container must answer with 2xx at its own address. */
  containerChecks: Record<string, string>
  batchSize: BatchSize
  firstBatchSize?: BatchSize
  rollbackScope: 'fleet' | 'host'
  backupRetention: number
  lockWaitSeconds: number
}

export type Config = EcsBlueGreenConfig | EcsRollingConfig | SshRollingConfig
