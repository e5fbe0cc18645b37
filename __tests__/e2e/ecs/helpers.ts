/**
 * Shared setup for the runner-level ECS tests: the strict emulator in this process, the bundled action run as the
 * runner runs it (main, then post) with the real AWS SDK pointed at the emulator, and small readers of the
 * emulator's state and call log.
 */
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { CodeDeployClient, CreateDeploymentCommand, ContinueDeploymentCommand } from '@aws-sdk/client-codedeploy'
import type { ContainerDefinition } from '@aws-sdk/client-ecs'
import { startEmulator, type CallRecord, type Emulator, type EmulatorState } from '../../../emulator/index.js'
import { cleanupRun, runAction, type ActionRun, type RunOptions } from '../../harness/run-action.js'

/** How often the action polls (its `poll-interval`). */
export const POLL_MS = 100

/** Emulator timings: a whole blue/green deployment takes about half a second. */
export const TIMINGS = { stepMs: 40, terminationWaitMs: 200, rollingCompletionMs: 200, readyTimeoutMs: 10_000 }

/** Long enough that a deployment is surely still waiting when a test looks (the flow is cancelled by `reset`). */
export const LONG_WAIT_MS = 60_000

export const CLUSTER = 'demo'
export const BG_SERVICE = 'web-bg'
export const ROLLING_SERVICE = 'web-rolling'
export const APP = 'AppECS-demo-web-bg'
export const GROUP = 'DgpECS-demo-web-bg'
export const IMAGE = 'ghcr.io/acme/web:2.0.0'

export function tdArn(family: string, revision: number): string {
  return `arn:aws:ecs:us-east-1:123456789012:task-definition/${family}:${revision}`
}

/** Calls that change something in AWS. */
export const MUTATIONS = [
  'RegisterTaskDefinition',
  'UpdateService',
  'CreateDeployment',
  'StopDeployment',
  'ContinueDeployment'
]

/** One local server for the test file: started before all tests, reset before each, closed after all. */
export function useServer<T extends { close(): Promise<void> }>(
  name: string,
  start: () => Promise<T>,
  reset: (server: T) => void | Promise<void>
): { readonly server: T } {
  let server: T | undefined
  beforeAll(async () => {
    server = await start()
  })
  beforeEach(async () => {
    if (server) await reset(server)
  })
  afterAll(async () => {
    await server?.close()
  })
  return {
    get server(): T {
      if (!server) throw new Error(`${name} is not started`)
      return server
    }
  }
}

/** One emulator for the test file, reset (fixture, timings, faults, call log) before each test. */
export function useEmulator(): { readonly emulator: Emulator } {
  const used = useServer(
    'the emulator',
    () => startEmulator({ timings: TIMINGS }),
    (emulator) => {
      emulator.control.reset()
    }
  )
  return {
    get emulator(): Emulator {
      return used.server
    }
  }
}

export interface DeployOptions extends Pick<RunOptions, 'onLine' | 'noPost' | 'timeoutMs'> {
  /** Files written to the workspace first (relative path → content). */
  files?: Record<string, string>
  /** Extra environment for both steps. */
  env?: Record<string, string>
}

export interface Deployed extends ActionRun {
  /** When the main step was started and when it exited (ms since epoch, this process's clock). */
  startedAt: number
  mainExitedAt: number
  workspace: string
}

const runs: Deployed[] = []

/** Removes the work folders and workspaces of every run so far (call in afterAll). */
export function cleanupRuns(): void {
  for (const run of runs.splice(0)) {
    cleanupRun(run)
    fs.rmSync(run.workspace, { recursive: true, force: true })
  }
}

/** Where the action's AWS clients go: the emulator, or another local AWS (moto). */
export interface AwsEndpoint {
  readonly url: string
  readonly region: string
}

/**
 * Runs the bundled action (main, then post unless `noPost`) against `endpoint` with `inputs` as the `with:` block:
 * AWS_ENDPOINT_URL at the endpoint, a region, dummy credentials, the fast poll interval, a temp workspace.
 */
export async function deploy(
  endpoint: AwsEndpoint,
  inputs: Record<string, string>,
  options: DeployOptions = {}
): Promise<Deployed> {
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'deploy-e2e-ws-'))
  for (const [name, content] of Object.entries(options.files ?? {})) {
    fs.mkdirSync(path.dirname(path.join(workspace, name)), { recursive: true })
    fs.writeFileSync(path.join(workspace, name), content)
  }
  const env: Record<string, string> = {
    GITHUB_WORKSPACE: workspace,
    AWS_ENDPOINT_URL: endpoint.url,
    AWS_REGION: endpoint.region,
    AWS_ACCESS_KEY_ID: 'AKIDE2ETESTONLY0000',
    AWS_SECRET_ACCESS_KEY: 'e2e-test-secret-access-key',
    // Nothing from the machine's own AWS setup, and never the instance metadata service.
    AWS_CONFIG_FILE: path.join(workspace, '.aws-config-absent'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(workspace, '.aws-credentials-absent'),
    AWS_EC2_METADATA_DISABLED: 'true',
    ...options.env
  }
  const startedAt = Date.now()
  const run = await runAction({
    inputs: { 'poll-interval': `${POLL_MS}ms`, ...inputs },
    env,
    ...(options.onLine ? { onLine: options.onLine } : {}),
    ...(options.noPost ? { noPost: true } : {}),
    timeoutMs: options.timeoutMs ?? 60_000
  })
  const deployed: Deployed = { ...run, startedAt, mainExitedAt: startedAt + run.main.durationMs, workspace }
  runs.push(deployed)
  return deployed
}

export function blueGreenInputs(extra: Record<string, string> = {}): Record<string, string> {
  return { strategy: 'ecs-blue-green', image: IMAGE, cluster: CLUSTER, service: BG_SERVICE, ...extra }
}

export function rollingInputs(extra: Record<string, string> = {}): Record<string, string> {
  return { strategy: 'ecs-rolling', image: IMAGE, cluster: CLUSTER, service: ROLLING_SERVICE, ...extra }
}

/** The op names of the call log, in order. */
export function ops(emulator: Emulator, service?: 'ecs' | 'codedeploy'): string[] {
  return emulator.control.calls(service ? { service } : {}).map((c) => c.op)
}

export function callsOf(emulator: Emulator, op: string): CallRecord[] {
  return emulator.control.calls({ op })
}

export function mutations(emulator: Emulator): string[] {
  return ops(emulator).filter((op) => MUTATIONS.includes(op))
}

/**
 * Calls made by the post step: those after the main step exited. The post step's own start takes far longer than
 * the margin, which absorbs the few milliseconds between this process's timestamps and the child's exit.
 */
export function postCalls(emulator: Emulator, run: Deployed): CallRecord[] {
  return emulator.control.calls().filter((c) => c.time > run.mainExitedAt + 100)
}

export type ServiceState = EmulatorState['services'][number]
export type DeploymentState = EmulatorState['deployments'][number]

export function serviceState(emulator: Emulator, name: string): ServiceState {
  const found = emulator.control.state().services.find((s) => s.name === name)
  if (!found) throw new Error(`no service ${name} in the emulator`)
  return found
}

export function deploymentState(emulator: Emulator, id: string | undefined): DeploymentState {
  const found = emulator.control.state().deployments.find((d) => d.id === id)
  if (!found) throw new Error(`no deployment ${String(id)} in the emulator`)
  return found
}

/** The rollback deployment CodeDeploy created for `id`. */
export function rollbackOf(emulator: Emulator, id: string | undefined): DeploymentState | undefined {
  return emulator.control.state().deployments.find((d) => d.rollbackInfo?.rollbackTriggeringDeploymentId === id)
}

/** Polls `read` every 10 ms until it returns a value other than undefined; fails after `timeoutMs`. */
export async function waitFor<T>(what: string, read: () => T | undefined, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = read()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

/** The image the standard fixture's web:1 runs. */
export const LIVE_IMAGE = 'public.ecr.aws/nginx/nginx:1.27'

/**
 * A container holding empty values every new revision must keep: an env var set to "", an argument, a label and a
 * log option.
 */
export const EMPTY_VALUES_CONTAINER: ContainerDefinition = {
  name: 'web',
  image: LIVE_IMAGE,
  essential: true,
  portMappings: [{ containerPort: 80, hostPort: 80, protocol: 'tcp' }],
  command: ['sh', '-c', ''],
  dockerLabels: { 'com.example.empty': '', team: 'web' },
  logConfiguration: { logDriver: 'splunk', options: { tag: '', 'splunk-format': 'raw' } },
  environment: [
    { name: 'FEATURE_X', value: '' },
    { name: 'LOG_LEVEL', value: 'info' }
  ]
}

/** A task definition file for family `web` with the standard fixture's container, plus what `extra` adds. */
export function taskDefinitionFile(extra: Record<string, unknown> = {}): string {
  return JSON.stringify(
    {
      family: 'web',
      networkMode: 'awsvpc',
      requiresCompatibilities: ['FARGATE'],
      cpu: '512',
      memory: '1024',
      executionRoleArn: 'arn:aws:iam::123456789012:role/ecsTaskExecutionRole',
      containerDefinitions: [
        {
          name: 'web',
          image: 'placeholder',
          essential: true,
          portMappings: [{ containerPort: 80, hostPort: 80, protocol: 'tcp' }],
          environment: [{ name: 'FROM_FILE', value: 'yes' }]
        }
      ],
      ...extra
    },
    null,
    2
  )
}

/** The configuration of an SDK client of this test process: `endpoint`, dummy keys of `user`, no retries. */
export function testClientConfig(
  endpoint: AwsEndpoint,
  user: string
): {
  endpoint: string
  region: string
  credentials: { accessKeyId: string; secretAccessKey: string }
  maxAttempts: number
} {
  const accessKeyId = `AKID${user.toUpperCase()}`.padEnd(20, '0').slice(0, 20)
  return {
    endpoint: endpoint.url,
    region: endpoint.region,
    credentials: { accessKeyId, secretAccessKey: `${user}-secret` },
    maxAttempts: 1
  }
}

/** An SDK client of this test process (another user of the same deployment group). */
export function codeDeployClient(emulator: Emulator): CodeDeployClient {
  return new CodeDeployClient(testClientConfig(emulator, 'otheruser'))
}

/**
 * Starts another deployment in the group (a redeploy of `web:1`, so the live task definition stays `web:1`), as
 * someone else would, and waits until it sits in its termination wait: active, and until released it stays so.
 * The emulator's termination wait must be long when this is called.
 */
export async function startOtherDeployment(emulator: Emulator): Promise<string> {
  const content = JSON.stringify({
    version: 0.0,
    Resources: [
      {
        TargetService: {
          Type: 'AWS::ECS::Service',
          Properties: { TaskDefinition: tdArn('web', 1), LoadBalancerInfo: { ContainerName: 'web', ContainerPort: 80 } }
        }
      }
    ]
  })
  const client = codeDeployClient(emulator)
  try {
    const out = await client.send(
      new CreateDeploymentCommand({
        applicationName: APP,
        deploymentGroupName: GROUP,
        revision: {
          revisionType: 'AppSpecContent',
          appSpecContent: { content, sha256: createHash('sha256').update(content).digest('hex') }
        }
      })
    )
    const id = out.deploymentId as string
    await waitFor('the other deployment to reach its termination wait', () => {
      const d = deploymentState(emulator, id)
      if (d.status !== 'InProgress' && d.status !== 'Created') throw new Error(`other deployment ended ${d.status}`)
      return d.target?.status === 'Succeeded' ? true : undefined
    })
    return id
  } finally {
    client.destroy()
  }
}

/** Ends the termination wait of deployment `id` (ContinueDeployment TERMINATION_WAIT), as its owner would. */
export async function releaseTerminationWait(emulator: Emulator, id: string): Promise<void> {
  const client = codeDeployClient(emulator)
  try {
    await client.send(new ContinueDeploymentCommand({ deploymentId: id, deploymentWaitType: 'TERMINATION_WAIT' }))
  } finally {
    client.destroy()
  }
}

/** The first log line matching `re`, or undefined. */
export function lineMatching(log: string, re: RegExp): string | undefined {
  return log.split('\n').find((l) => re.test(l))
}

/** The CodeDeploy console link the action outputs for deployment `id`. */
export function codeDeployConsoleUrl(id: string): string {
  return `https://us-east-1.console.aws.amazon.com/codesuite/codedeploy/deployments/${id}?region=us-east-1`
}

/** The job summary without Markdown escapes. */
export function plain(summary: string): string {
  return summary.replace(/\\(.)/g, '$1')
}

/** The service runs only the original task set (web:1) with all traffic: nothing of a new deployment is left. */
export function expectOnlyOriginal(service: ServiceState): void {
  expect(service.taskDefinition).toBe(tdArn('web', 1))
  expect(service.taskSets.map((t) => [t.status, t.taskDefinition, t.trafficWeight])).toEqual([
    ['PRIMARY', tdArn('web', 1), 100]
  ])
}
