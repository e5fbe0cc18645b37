/**
 * moto (`moto_server`, an AWS emulator no one here wrote) as a second opinion on the action's ECS calls: one server
 * per test file on a free loopback port, reset before each test, stopped after all; and the ECS and EC2 set-up the
 * tests need, made through moto's own APIs.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import {
  CreateClusterCommand,
  CreateServiceCommand,
  ECSClient,
  RegisterTaskDefinitionCommand,
  type ContainerDefinition,
  type CreateServiceCommandInput,
  type Tag
} from '@aws-sdk/client-ecs'
import { testClientConfig, useServer, type AwsEndpoint } from '../ecs/helpers.js'

/** The moto release these tests were written against (what the machine image and CI install). */
export const MOTO_VERSION = '5.2.1'

/**
 * Tasks every moto service reports as running. moto runs no tasks: a service created with at most this many desired
 * tasks has a COMPLETED deployment, one with more stays IN_PROGRESS forever.
 */
export const MOTO_RUNNING_TASKS = 2

const START_TIMEOUT_MS = 15_000
const INSTALL_HINT = `install it with: pip install 'moto[server]==${MOTO_VERSION}'`

export interface Moto extends AwsEndpoint {
  /** Forgets every resource (moto's `/moto-api/reset`). */
  reset(): Promise<void>
  close(): Promise<void>
}

/**
 * Starts `moto_server` (or `command`) on 127.0.0.1 and a port the OS picks; fails with a clear message when it is
 * not installed.
 */
export async function startMoto(command = 'moto_server'): Promise<Moto> {
  const child = spawn(command, ['-H', '127.0.0.1', '-p', '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PYTHONUNBUFFERED: '1', MOTO_ECS_SERVICE_RUNNING: String(MOTO_RUNNING_TASKS) }
  })
  const url = await new Promise<string>((resolve, reject) => {
    let output = ''
    const timer = setTimeout(() => fail(`it did not listen within ${START_TIMEOUT_MS / 1000} s`), START_TIMEOUT_MS)
    function fail(why: string): void {
      clearTimeout(timer)
      child.kill('SIGKILL')
      const tail = output.trim().split('\n').slice(-3).join(' | ')
      reject(new Error(`Could not start moto_server: ${why}${tail ? ` (${tail})` : ''}; ${INSTALL_HINT}`))
    }
    const read = (chunk: Buffer): void => {
      output += chunk.toString()
      const listening = /Running on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)
      if (!listening) return
      clearTimeout(timer)
      resolve(listening[1] as string)
    }
    child.stdout?.on('data', read)
    child.stderr?.on('data', read)
    child.once('error', (error: NodeJS.ErrnoException) =>
      fail(error.code === 'ENOENT' ? `${command} is not on PATH` : error.message)
    )
    // 'close', not 'exit': by then everything it printed has been read.
    child.once('close', (code, signal) => fail(`it exited (${signal ?? `code ${String(code)}`})`))
  })
  child.removeAllListeners('close')
  // Keep draining its request log so a full pipe never blocks it.
  child.stdout?.resume()
  child.stderr?.resume()
  return {
    url,
    region: 'us-east-1',
    reset: async () => {
      const response = await fetch(`${url}/moto-api/reset`, { method: 'POST' })
      if (!response.ok) throw new Error(`moto reset answered HTTP ${response.status}`)
    },
    close: () => stop(child)
  }
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    child.once('exit', () => resolve())
    child.kill('SIGTERM')
  })
}

/** One moto for the test file: started before all tests, reset before each, stopped after all. */
export function useMoto(): { readonly moto: Moto } {
  const used = useServer(
    'moto_server',
    () => startMoto(),
    (moto) => moto.reset()
  )
  return {
    get moto(): Moto {
      return used.server
    }
  }
}

/** An ECS client of this test process, for set-up and for reading what the action left. */
export function motoEcs(moto: Moto): ECSClient {
  return new ECSClient(testClientConfig(moto, 'mototest'))
}

/**
 * One EC2 Query call (there is no EC2 client among the dependencies): moto routes it by the credential scope of the
 * Authorization header and checks no signature. Returns the first `<tag>` of the XML answer.
 */
async function ec2(moto: Moto, params: Record<string, string>, tag: string): Promise<string> {
  const response = await fetch(moto.url, {
    method: 'POST',
    headers: {
      authorization: `AWS4-HMAC-SHA256 Credential=AKIDMOTOTESTONLY0000/20260101/${moto.region}/ec2/aws4_request, SignedHeaders=host, Signature=0`,
      'content-type': 'application/x-www-form-urlencoded'
    },
    body: new URLSearchParams({ Version: '2016-11-15', ...params })
  })
  const text = await response.text()
  const value = new RegExp(`<${tag}>([^<]+)</${tag}>`).exec(text)?.[1]
  if (!response.ok || !value) throw new Error(`moto EC2 ${params.Action}: HTTP ${response.status} ${text}`)
  return value
}

export interface MotoNetwork {
  subnet: string
  securityGroup: string
}

/** A VPC with one subnet and one security group: moto's CreateService checks an awsvpc service's both exist. */
export async function createNetwork(moto: Moto): Promise<MotoNetwork> {
  const vpc = await ec2(moto, { Action: 'CreateVpc', CidrBlock: '10.77.0.0/16' }, 'vpcId')
  const subnet = await ec2(moto, { Action: 'CreateSubnet', VpcId: vpc, CidrBlock: '10.77.1.0/24' }, 'subnetId')
  const securityGroup = await ec2(
    moto,
    { Action: 'CreateSecurityGroup', VpcId: vpc, GroupName: 'web', GroupDescription: 'web tasks' },
    'groupId'
  )
  return { subnet, securityGroup }
}

export interface SeedService {
  cluster: string
  name: string
  /** The family of the task definition registered for it (revision 1). */
  family: string
  container: ContainerDefinition
  desiredCount: number
  tags?: Tag[]
  /** More CreateService parameters (deployment controller, load balancers, …). */
  extra?: Partial<CreateServiceCommandInput>
}

/** A cluster, a Fargate awsvpc task definition `family:1` and a service running it, created in moto. */
export async function seedService(moto: Moto, network: MotoNetwork, spec: SeedService): Promise<void> {
  const ecs = motoEcs(moto)
  try {
    await ecs.send(new CreateClusterCommand({ clusterName: spec.cluster }))
    const registered = await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: spec.family,
        networkMode: 'awsvpc',
        requiresCompatibilities: ['FARGATE'],
        cpu: '256',
        memory: '512',
        containerDefinitions: [spec.container],
        ...(spec.tags ? { tags: spec.tags } : {})
      })
    )
    await ecs.send(
      new CreateServiceCommand({
        cluster: spec.cluster,
        serviceName: spec.name,
        taskDefinition: registered.taskDefinition?.taskDefinitionArn,
        desiredCount: spec.desiredCount,
        launchType: 'FARGATE',
        networkConfiguration: {
          awsvpcConfiguration: { subnets: [network.subnet], securityGroups: [network.securityGroup] }
        },
        deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: true } },
        ...spec.extra
      })
    )
  } finally {
    ecs.destroy()
  }
}
