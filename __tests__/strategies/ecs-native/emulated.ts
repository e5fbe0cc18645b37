/** ecs-native in this process against the emulator's `native` fixture: real SDK over HTTP, the real clock. */
import { startEmulator, type Emulator } from '../../../emulator/index.js'
import { ECSClient, UpdateServiceCommand } from '@aws-sdk/client-ecs'
import type { Deps } from '../../../src/deps.js'
import type { EcsNativeConfig } from '../../../src/strategies/ecs-native/config.js'
import { createEcsNative } from '../../../src/strategies/ecs-native/index.js'
import { EMULATOR_TIMINGS, POLL_MS, emulatedStrategy, type EmulatedRun } from '../ecs-blue-green/emulated.js'
import { rollingConfig } from '../ecs/helpers.js'
import { IMAGE } from '../ecs-rolling/emulated.js'

/** Calls that change something in AWS, in order (the native ones included). */
export const NATIVE_MUTATIONS = [
  'RegisterTaskDefinition',
  'UpdateService',
  'StopServiceDeployment',
  'ContinueServiceDeployment'
]

export function nativeMutations(emulator: Emulator): string[] {
  return emulator.control
    .calls()
    .map((c) => c.op)
    .filter((op) => NATIVE_MUTATIONS.includes(op))
}

/** One emulator for a test file with the `native` fixture, reset before each test. */
export function useNativeEmulator(): { readonly emulator: Emulator } {
  let emulator: Emulator | undefined
  beforeAll(async () => {
    emulator = await startEmulator({ timings: EMULATOR_TIMINGS, fixture: 'native' })
  })
  beforeEach(() => emulator?.control.reset({ fixture: 'native' }))
  afterAll(async () => emulator?.close())
  return {
    get emulator(): Emulator {
      if (!emulator) throw new Error('the emulator is not started')
      return emulator
    }
  }
}

export function nativeConfig(emulator: Emulator, patch: Partial<EcsNativeConfig> = {}): EcsNativeConfig {
  return {
    ...rollingConfig({ region: emulator.region, image: IMAGE, timeoutMinutes: 0.2, pollIntervalMs: POLL_MS }),
    service: 'web-native',
    waitUntil: 'succeeded',
    onActiveDeployment: 'fail',
    ...patch,
    strategy: 'ecs-native'
  }
}

/** ecs-native for demo/`service` (web-native by default) of the `native` fixture. */
export function nativeRun(
  emulator: Emulator,
  patch: Partial<EcsNativeConfig> = {},
  sideEffects: Pick<Deps, 'runCommand'> = {}
): EmulatedRun {
  const config = nativeConfig(emulator, patch)
  return emulatedStrategy(emulator, (deps) => createEcsNative(config, deps), sideEffects)
}

/** A PAUSE hook after the test traffic shift: where the verify gate runs. */
export const GATE_HOOK = { targetType: 'PAUSE' as const, lifecycleStages: ['POST_TEST_TRAFFIC_SHIFT' as const] }

/** Gives demo/web-native (BLUE_GREEN, 5 min bake) the gate's PAUSE hook, as a user would: UpdateService alone. */
export async function addGateHook(emulator: Emulator, timeoutInMinutes?: number): Promise<void> {
  const ecs = new ECSClient({
    endpoint: emulator.url,
    region: emulator.region,
    credentials: { accessKeyId: 'AKIDSEEDTEST', secretAccessKey: 'seed-test-secret' }
  })
  try {
    const hook =
      timeoutInMinutes === undefined ? GATE_HOOK : { ...GATE_HOOK, timeoutConfiguration: { timeoutInMinutes } }
    await ecs.send(
      new UpdateServiceCommand({
        cluster: 'demo',
        service: 'web-native',
        deploymentConfiguration: {
          strategy: 'BLUE_GREEN',
          bakeTimeInMinutes: 5,
          deploymentCircuitBreaker: { enable: true, rollback: true },
          lifecycleHooks: [hook]
        }
      })
    )
  } finally {
    ecs.destroy()
  }
}
