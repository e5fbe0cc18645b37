/** Shared setup for the emulator tests: a fresh emulator with fast timings and real SDK clients pointed at it. */
import { CodeDeployClient } from '@aws-sdk/client-codedeploy'
import { ECSClient } from '@aws-sdk/client-ecs'
import { createHash } from 'node:crypto'
import { type Emulator, type EmulatorOptions, startEmulator } from '../../emulator/index.js'

export const FAST = { stepMs: 25, terminationWaitMs: 150, rollingCompletionMs: 120, readyTimeoutMs: 5000 }

export interface Setup {
  emulator: Emulator
  ecs: ECSClient
  codedeploy: CodeDeployClient
}

export async function setUp(options: EmulatorOptions = {}): Promise<Setup> {
  const emulator = await startEmulator({ timings: FAST, ...options })
  const config = {
    endpoint: emulator.url,
    region: emulator.region,
    credentials: { accessKeyId: 'AKIDEMULATOR', secretAccessKey: 'emulator-secret' }
  }
  return { emulator, ecs: new ECSClient(config), codedeploy: new CodeDeployClient(config) }
}

export async function tearDown(setup: Setup | undefined): Promise<void> {
  if (!setup) return
  setup.ecs.destroy()
  setup.codedeploy.destroy()
  await setup.emulator.close()
}

/** Polls `read` until `done(value)`; returns the last value. Fails after `timeoutMs`. */
export async function pollUntil<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 5000,
  intervalMs = 10
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await read()
    if (done(value)) return value
    if (Date.now() > deadline)
      throw new Error(`condition not reached in ${timeoutMs} ms; last value: ${JSON.stringify(value)}`)
    await new Promise((resolve) => setTimeout(resolve, intervalMs))
  }
}

export const TD_WEB_1 = 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:1'

/** An ECS AppSpec in YAML for `taskDefinitionArn`, with optional extra top-level text (e.g. Hooks). */
export function appSpec(
  taskDefinitionArn: string,
  options: { container?: string; port?: number; extra?: string } = {}
): string {
  return [
    'version: 0.0',
    'Resources:',
    '  - TargetService:',
    '      Type: AWS::ECS::Service',
    '      Properties:',
    `        TaskDefinition: "${taskDefinitionArn}"`,
    '        LoadBalancerInfo:',
    `          ContainerName: "${options.container ?? 'web'}"`,
    `          ContainerPort: ${options.port ?? 80}`,
    '        PlatformVersion: "1.4.0"',
    '        CapacityProviderStrategy:',
    '          - CapacityProvider: FARGATE',
    '            Base: 0',
    '            Weight: 1',
    options.extra ?? ''
  ].join('\n')
}

export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex')
}

export const APP = 'AppECS-demo-web-bg'
export const GROUP = 'DgpECS-demo-web-bg'
