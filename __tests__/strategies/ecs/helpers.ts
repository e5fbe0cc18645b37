/** Shared fakes for the ECS strategy tests: logger, deps, journal, run context, configs and AWS fixtures. */
import fs from 'node:fs'
import path from 'node:path'
import { CodeDeployClient } from '@aws-sdk/client-codedeploy'
import {
  DescribeTasksCommand,
  ECSClient,
  ListTasksCommand,
  type Service,
  type Task,
  type TaskDefinition
} from '@aws-sdk/client-ecs'
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock'
import type { EcsBlueGreenConfig } from '../../../src/strategies/ecs-blue-green/config.js'
import type { EcsRollingConfig } from '../../../src/strategies/ecs-rolling/config.js'
import type { OutputName } from '../../../src/constants.js'
import type { ActionIO, Deps } from '../../../src/deps.js'
import type { EcsJournal } from '../../../src/strategies/ecs/journal.js'
import type { Journal, RunContext } from '../../../src/types.js'
import { FakeClock, RecordingLogger, RUN_IDENTITY } from '../../helpers/fake-deps.js'

export const REGION = 'eu-west-1'
export const ACCOUNT = '123456789012'
export const tdArn = (rev: number, family = 'web'): string =>
  `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/${family}:${rev}`
export const CLUSTER_ARN = `arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/demo`

export function fixture<T = Record<string, unknown>>(name: string): T {
  const file = path.join(import.meta.dirname, '../../../__fixtures__/ecs', name)
  return JSON.parse(fs.readFileSync(file, 'utf8')) as T
}

export class MemoryJournal implements Journal<EcsJournal> {
  data: Partial<EcsJournal>
  readonly history: Partial<EcsJournal>[] = []
  constructor(initial: Partial<EcsJournal> = {}) {
    this.data = { ...initial }
  }
  update(patch: Partial<EcsJournal>): void {
    this.data = { ...this.data, ...patch }
    this.history.push({ ...this.data })
  }
  read(): Partial<EcsJournal> {
    return this.data
  }
}

export interface Harness {
  clock: FakeClock
  log: RecordingLogger
  deps: Deps
  ecs: ECSClient
  codedeploy: CodeDeployClient
  ecsMock: AwsClientStub<ECSClient>
  cdMock: AwsClientStub<CodeDeployClient>
  journal: MemoryJournal
  controller: AbortController
  outputs: [OutputName, string][]
  ctx: RunContext<EcsJournal>
}

/** Runner file commands that go nowhere: the ECS tests read results, outputs and the journal instead. */
export const silentIO: ActionIO = {
  setOutput: () => undefined,
  saveState: () => undefined,
  getState: () => '',
  appendSummary: async () => undefined,
  setFailed: () => undefined
}

export function harness(env: NodeJS.ProcessEnv = {}): Harness {
  const clock = new FakeClock(Date.parse('2026-03-01T12:00:00Z'))
  const log = new RecordingLogger()
  const ecs = new ECSClient({ region: REGION })
  const codedeploy = new CodeDeployClient({ region: REGION })
  const ecsMock = mockClient(ecs)
  const cdMock = mockClient(codedeploy)
  const controller = new AbortController()
  const journal = new MemoryJournal({ done: false })
  const outputs: [OutputName, string][] = []
  const deps: Deps = {
    inputs: { getInput: () => '' },
    env,
    log,
    clock,
    io: silentIO,
    cancel: controller.signal,
    identity: RUN_IDENTITY,
    overrides: { ecs, codedeploy }
  }
  const ctx: RunContext<EcsJournal> = {
    journal,
    signal: controller.signal,
    setOutput: (name, value) => outputs.push([name, value])
  }
  return { clock, log, deps, ecs, codedeploy, ecsMock, cdMock, journal, controller, outputs, ctx }
}

const common = {
  image: { ref: 'registry.example.com/web:2.0.0', registry: 'registry.example.com', name: 'web', tag: '2.0.0' },
  timeoutMinutes: 30,
  dryRun: false,
  rollbackOnFailure: true,
  region: REGION,
  cluster: 'demo',
  service: 'web',
  containerName: 'web',
  environmentVariables: [],
  pollIntervalMs: 5000
}

export function blueGreenConfig(patch: Partial<EcsBlueGreenConfig> = {}): EcsBlueGreenConfig {
  return {
    ...common,
    strategy: 'ecs-blue-green',
    codedeployApplication: 'AppECS-demo-web',
    codedeployDeploymentGroup: 'DgpECS-demo-web',
    waitUntil: 'succeeded',
    onActiveDeployment: 'fail',
    ...patch
  }
}

export function rollingConfig(patch: Partial<EcsRollingConfig> = {}): EcsRollingConfig {
  return { ...common, strategy: 'ecs-rolling', ...patch }
}

/** A live Fargate service behind an ALB, running web:41. */
export function liveService(patch: Partial<Service> = {}): Service {
  return {
    serviceName: 'web',
    serviceArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:service/demo/web`,
    clusterArn: CLUSTER_ARN,
    status: 'ACTIVE',
    desiredCount: 2,
    runningCount: 2,
    taskDefinition: tdArn(41),
    deploymentController: { type: 'CODE_DEPLOY' },
    loadBalancers: [
      {
        targetGroupArn: `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:targetgroup/web-blue/1`,
        containerName: 'web',
        containerPort: 80
      }
    ],
    platformVersion: 'LATEST',
    capacityProviderStrategy: [
      { capacityProvider: 'FARGATE', weight: 1, base: 1 },
      { capacityProvider: 'FARGATE_SPOT', weight: 3, base: 0 }
    ],
    networkConfiguration: {
      awsvpcConfiguration: { subnets: ['subnet-a', 'subnet-b'], securityGroups: ['sg-1'], assignPublicIp: 'DISABLED' }
    },
    events: [],
    ...patch
  }
}

/** DescribeTaskDefinition output for web:41 (with describe-only fields and empty values, like AWS returns). */
export function describedTaskDefinition(): { taskDefinition: TaskDefinition; tags: { key: string; value: string }[] } {
  return fixture('task-definition-described.json')
}

/** One running task per desired task, of the PRIMARY task set's task definition (else the service's). */
export function runningTasksOf(service: Service): Task[] {
  const arn = service.taskSets?.find((t) => t.status === 'PRIMARY')?.taskDefinition ?? service.taskDefinition
  return Array.from({ length: service.desiredCount ?? 0 }, (_, i) => ({
    taskArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:task/demo/running-${i}`,
    taskDefinitionArn: arn,
    lastStatus: 'RUNNING',
    desiredStatus: 'RUNNING'
  }))
}

/** ListTasks/DescribeTasks answer the stopped tasks for `desiredStatus: STOPPED`, else the running ones. */
export function mockTasks(h: Harness, stopped: () => Task[], running: () => Task[]): void {
  const listed = (status: string | undefined): Task[] => (status === 'STOPPED' ? stopped() : running())
  h.ecsMock.on(ListTasksCommand).callsFake(async (input: { desiredStatus?: string }) => ({
    taskArns: listed(input.desiredStatus).map((t) => t.taskArn)
  }))
  h.ecsMock.on(DescribeTasksCommand).callsFake(async (input: { tasks: string[] }) => ({
    tasks: [...stopped(), ...running()].filter((t) => input.tasks.includes(t.taskArn ?? '')),
    failures: []
  }))
}
