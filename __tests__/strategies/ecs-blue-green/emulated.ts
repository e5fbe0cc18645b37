/**
 * The blue/green strategy in this process against the emulator: the real AWS SDK over HTTP, the real clock, a fast
 * poll interval. For behaviour the emulator can produce (hook failures, lost responses, late rollbackInfo).
 */
import { CodeDeployClient } from '@aws-sdk/client-codedeploy'
import { ECSClient } from '@aws-sdk/client-ecs'
import { systemClock } from '../../../src/clock.js'
import type { EcsBlueGreenConfig } from '../../../src/strategies/ecs-blue-green/config.js'
import type { OutputName } from '../../../src/constants.js'
import type { Deps } from '../../../src/deps.js'
import type { EcsJournal } from '../../../src/strategies/ecs/journal.js'
import { createEcsBlueGreen } from '../../../src/strategies/ecs-blue-green/index.js'
import type { DeployResult, RecoverContext, RunContext, Strategy } from '../../../src/types.js'
import { startEmulator, type Emulator } from '../../../emulator/index.js'
import { MemoryJournal, blueGreenConfig, silentIO } from '../ecs/helpers.js'
import { RecordingLogger } from '../../helpers/fake-deps.js'
import { RUN_IDENTITY } from '../../helpers/fake-deps.js'

/** Emulator timings: a whole deployment takes well under a second. */
export const EMULATOR_TIMINGS = { stepMs: 30, terminationWaitMs: 150, rollingCompletionMs: 120, readyTimeoutMs: 5000 }
export const POLL_MS = 20

export interface EmulatedRun {
  log: RecordingLogger
  journal: MemoryJournal
  outputs: [OutputName, string][]
  controller: AbortController
  deploy(): Promise<DeployResult>
  recover(): Promise<DeployResult | undefined>
}

/** One emulator for a test file: started before all, reset before each test, closed after all. */
export function useEmulator(): { readonly emulator: Emulator } {
  let emulator: Emulator | undefined
  beforeAll(async () => {
    emulator = await startEmulator({ timings: EMULATOR_TIMINGS })
  })
  beforeEach(() => emulator?.control.reset())
  afterAll(async () => emulator?.close())
  return {
    get emulator(): Emulator {
      if (!emulator) throw new Error('the emulator is not started')
      return emulator
    }
  }
}

const clients: { destroy(): void }[] = []
afterAll(() => {
  for (const client of clients.splice(0)) client.destroy()
})

/** The strategy for the emulator's standard fixture (demo/web-bg), with `patch` applied to the config. */
export function emulatedRun(
  emulator: Emulator,
  patch: Partial<EcsBlueGreenConfig> = {},
  sideEffects: Pick<Deps, 'runCommand'> = {}
): EmulatedRun {
  const config = blueGreenConfig({
    region: emulator.region,
    image: { ref: 'ghcr.io/acme/web:2.0.0', registry: 'ghcr.io', name: 'acme/web', tag: '2.0.0' },
    service: 'web-bg',
    codedeployApplication: 'AppECS-demo-web-bg',
    codedeployDeploymentGroup: 'DgpECS-demo-web-bg',
    timeoutMinutes: 0.2,
    pollIntervalMs: POLL_MS,
    ...patch
  })
  return emulatedStrategy(emulator, (deps) => createEcsBlueGreen(config, deps), sideEffects)
}

/** Any ECS strategy (built by `create` from the deps) against the emulator: real SDK clients, the real clock. */
export function emulatedStrategy(
  emulator: Emulator,
  create: (deps: Deps) => Strategy<EcsJournal>,
  sideEffects: Pick<Deps, 'runCommand'> = {}
): EmulatedRun {
  const aws = {
    endpoint: emulator.url,
    region: emulator.region,
    credentials: { accessKeyId: 'AKIDSTRATEGYTEST', secretAccessKey: 'strategy-test-secret' },
    maxAttempts: 3
  }
  const ecs = new ECSClient(aws)
  const codedeploy = new CodeDeployClient({ ...aws, retryMode: 'standard' })
  clients.push(ecs, codedeploy)
  const log = new RecordingLogger()
  const journal = new MemoryJournal({ done: false })
  const outputs: [OutputName, string][] = []
  const controller = new AbortController()
  const deps: Deps = {
    inputs: { getInput: () => '' },
    env: {},
    log,
    clock: systemClock,
    io: silentIO,
    cancel: controller.signal,
    identity: RUN_IDENTITY,
    overrides: { ecs, codedeploy },
    ...sideEffects
  }
  const strategy = create(deps)
  const ctx: RunContext<EcsJournal> = {
    journal,
    signal: controller.signal,
    setOutput: (name, value) => outputs.push([name, value])
  }
  const recoverCtx: RecoverContext<EcsJournal> = { journal, signal: new AbortController().signal }
  return {
    log,
    journal,
    outputs,
    controller,
    deploy: () => strategy.deploy(ctx),
    recover: () => strategy.recover(recoverCtx)
  }
}

/** Calls that change something in AWS, in order. */
export function mutations(emulator: Emulator): string[] {
  const changing = [
    'RegisterTaskDefinition',
    'UpdateService',
    'CreateDeployment',
    'StopDeployment',
    'ContinueDeployment'
  ]
  return emulator.control
    .calls()
    .map((c) => c.op)
    .filter((op) => changing.includes(op))
}

/** Registers the next revision of the Fargate family `web` (as the fixture's web:1), with this one container. */
export function seedWebRevision(emulator: Emulator, container: Record<string, unknown>): void {
  emulator.control.seed({
    fixture: {
      taskDefinitions: [
        {
          family: 'web',
          networkMode: 'awsvpc',
          requiresCompatibilities: ['FARGATE'],
          cpu: '256',
          memory: '512',
          executionRoleArn: 'arn:aws:iam::123456789012:role/ecsTaskExecutionRole',
          containerDefinitions: [container]
        }
      ]
    }
  })
}

/** Polls `done` every 5 ms; fails after `timeoutMs`. */
export async function waitFor(done: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}
