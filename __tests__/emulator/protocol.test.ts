import { CodeDeployClient, CreateDeploymentCommand, GetDeploymentCommand } from '@aws-sdk/client-codedeploy'
import { DescribeServicesCommand, ECSClient, ListClustersCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs'
import { spawn } from 'node:child_process'
import { createInterface } from 'node:readline'
import { APP, GROUP, type Setup, TD_WEB_1, appSpec, pollUntil, setUp, sha256, tearDown } from './helpers.js'

let s: Setup
beforeAll(async () => {
  s = await setUp()
})
afterAll(() => tearDown(s))
beforeEach(() => {
  s.emulator.control.reset()
})

const FAKE_AUTH =
  'AWS4-HMAC-SHA256 Credential=AKIDEMULATOR/20260101/us-east-1/ecs/aws4_request, SignedHeaders=host;x-amz-date;x-amz-target, Signature=0123abcd'

/** A raw AWS JSON 1.1 request, for what the SDK hides (status, headers, the JSON text). */
async function raw(
  target: string,
  body: unknown,
  headers: Record<string, string | undefined> = {}
): Promise<{ status: number; json: Record<string, unknown>; headers: Headers }> {
  const base: Record<string, string | undefined> = {
    'content-type': 'application/x-amz-json-1.1',
    'x-amz-target': target,
    'x-amz-date': '20260101T000000Z',
    authorization: FAKE_AUTH,
    ...headers
  }
  const sent = Object.fromEntries(Object.entries(base).filter((e): e is [string, string] => e[1] !== undefined))
  const response = await fetch(`${s.emulator.url}/`, { method: 'POST', headers: sent, body: JSON.stringify(body) })
  return {
    status: response.status,
    json: (await response.json()) as Record<string, unknown>,
    headers: response.headers
  }
}

async function rejection(
  promise: Promise<unknown>
): Promise<{ name: string; message: string; attempts: number | undefined }> {
  try {
    await promise
  } catch (error) {
    const e = error as { name: string; message: string; $metadata?: { attempts?: number } }
    return { name: e.name, message: e.message, attempts: e.$metadata?.attempts }
  }
  throw new Error('expected a rejection')
}

const ECS = 'AmazonEC2ContainerServiceV20141113'
const CD = 'CodeDeploy_20141006'

describe('wire protocol', () => {
  test('a request without authorization is MissingAuthenticationTokenException', async () => {
    const out = await raw(
      `${ECS}.DescribeServices`,
      { cluster: 'demo', services: ['web-bg'] },
      { authorization: undefined }
    )
    expect(out.status).toBe(403)
    expect(out.json['__type']).toBe('MissingAuthenticationTokenException')
  })

  test('a malformed signature or a missing date is IncompleteSignatureException', async () => {
    const bad = await raw(`${ECS}.DescribeServices`, {}, { authorization: 'Bearer token' })
    expect([bad.status, bad.json['__type']]).toEqual([400, 'IncompleteSignatureException'])
    const undated = await raw(`${ECS}.DescribeServices`, {}, { 'x-amz-date': undefined })
    expect([undated.status, undated.json['__type']]).toEqual([400, 'IncompleteSignatureException'])
  })

  test.each([`${ECS}.ListClusters`, `${CD}.DeleteApplication`, 'Nope_2020.DescribeServices', ''])(
    'target %p is UnknownOperationException',
    async (target) => {
      const out = await raw(target, {})
      expect([out.status, out.json['__type']]).toEqual([400, 'UnknownOperationException'])
    }
  )

  test('the SDK sees an unimplemented operation as UnknownOperationException', async () => {
    const error = await rejection(s.ecs.send(new ListClustersCommand({})))
    expect(error.name).toBe('UnknownOperationException')
  })

  test('a wrong content-type is rejected', async () => {
    const out = await raw(
      `${ECS}.DescribeServices`,
      { cluster: 'demo', services: ['web-bg'] },
      { 'content-type': 'application/json' }
    )
    expect(out.status).toBe(400)
    expect(out.json['__type']).toBe('SerializationException')
  })

  test('a 200 never carries __type; errors always do; timestamps are epoch-second numbers; Date is current', async () => {
    const content = appSpec(TD_WEB_1)
    const created = await raw(`${CD}.CreateDeployment`, {
      applicationName: APP,
      deploymentGroupName: GROUP,
      revision: { revisionType: 'AppSpecContent', appSpecContent: { content, sha256: sha256(content) } }
    })
    const id = created.json['deploymentId'] as string
    await pollUntil(
      () => raw(`${CD}.GetDeployment`, { deploymentId: id }),
      (r) => (r.json['deploymentInfo'] as { status: string }).status === 'Succeeded'
    )
    const ok = [
      created,
      await raw(`${ECS}.DescribeServices`, { cluster: 'demo', services: ['web-bg', 'ghost'] }),
      await raw(`${ECS}.DescribeTaskDefinition`, { taskDefinition: 'web:1' }),
      await raw(`${CD}.GetDeploymentGroup`, { applicationName: APP, deploymentGroupName: GROUP }),
      await raw(`${CD}.GetDeployment`, { deploymentId: id }),
      await raw(`${CD}.GetDeploymentTarget`, { deploymentId: id, targetId: 'demo:web-bg' }),
      await raw(`${CD}.ListDeployments`, {})
    ]
    for (const response of ok) {
      expect(response.status).toBe(200)
      expect(response.json).not.toHaveProperty('__type')
      expect(response.headers.get('content-type')).toBe('application/x-amz-json-1.1')
      expect(response.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/)
      const skew = Math.abs(new Date(response.headers.get('date') ?? 0).getTime() - Date.now())
      expect(skew).toBeLessThan(5000)
    }
    const info = ok[4]?.json['deploymentInfo'] as Record<string, unknown>
    for (const key of ['createTime', 'startTime', 'completeTime']) {
      expect(typeof info[key]).toBe('number')
      expect(Math.abs((info[key] as number) - Date.now() / 1000)).toBeLessThan(60)
    }

    const error = await raw(`${CD}.GetDeployment`, { deploymentId: 'd-AAAAAAAAA' })
    expect(error.status).toBe(400)
    expect(error.json).toEqual({ __type: 'DeploymentDoesNotExistException', message: expect.any(String) })
    expect(Math.abs(new Date(error.headers.get('date') ?? 0).getTime() - Date.now())).toBeLessThan(5000)
  })

  test('the clients find the emulator through AWS_ENDPOINT_URL alone', async () => {
    const saved = process.env['AWS_ENDPOINT_URL']
    process.env['AWS_ENDPOINT_URL'] = s.emulator.url
    try {
      const credentials = { accessKeyId: 'AKIDEMULATOR', secretAccessKey: 'emulator-secret' }
      const ecs = new ECSClient({ region: 'us-east-1', credentials })
      const out = await ecs.send(new DescribeServicesCommand({ cluster: 'demo', services: ['web-rolling'] }))
      expect(out.services?.[0]?.serviceName).toBe('web-rolling')
      ecs.destroy()
    } finally {
      if (saved === undefined) delete process.env['AWS_ENDPOINT_URL']
      else process.env['AWS_ENDPOINT_URL'] = saved
    }
  })
})

describe('scripted faults', () => {
  test('a throttled call is retried by the SDK and then succeeds', async () => {
    s.emulator.control.throttle({ op: 'DescribeServices', count: 1 })
    const out = await s.ecs.send(new DescribeServicesCommand({ cluster: 'demo', services: ['web-bg'] }))
    expect(out.services).toHaveLength(1)
    expect(out.$metadata.attempts).toBe(2)
    const calls = s.emulator.control.calls({ op: 'DescribeServices' })
    expect(calls.map((c) => c.error ?? 'ok')).toEqual(['ThrottlingException', 'ok'])
  })

  test('throttling that outlasts the retries surfaces as ThrottlingException (Rate exceeded) after 3 attempts', async () => {
    s.emulator.control.throttle({ count: 3 })
    const content = appSpec(TD_WEB_1)
    const error = await rejection(
      s.codedeploy.send(
        new CreateDeploymentCommand({
          applicationName: APP,
          deploymentGroupName: GROUP,
          revision: { revisionType: 'AppSpecContent', appSpecContent: { content, sha256: sha256(content) } }
        })
      )
    )
    expect(error).toEqual({ name: 'ThrottlingException', message: 'Rate exceeded', attempts: 3 })
    expect(s.emulator.control.calls({ op: 'CreateDeployment' })).toHaveLength(3)
    expect(s.emulator.control.state().deployments).toHaveLength(0)
  })

  test('AccessDenied is final: one call, no retry', async () => {
    s.emulator.control.accessDenied({ op: 'UpdateService' })
    s.emulator.control.accessDenied({ op: 'GetDeployment' })
    const ecs = await rejection(
      s.ecs.send(new UpdateServiceCommand({ cluster: 'demo', service: 'web-rolling', desiredCount: 3 }))
    )
    expect(ecs.name).toBe('AccessDeniedException')
    expect(ecs.message).toContain('is not authorized to perform: ecs:UpdateService')
    expect(ecs.attempts).toBe(1)
    const cd = await rejection(s.codedeploy.send(new GetDeploymentCommand({ deploymentId: 'd-AAAAAAAAA' })))
    expect(cd.name).toBe('AccessDeniedException')
    expect(cd.attempts).toBe(1)
    expect(s.emulator.control.calls().map((c) => c.op)).toEqual(['UpdateService', 'GetDeployment'])
    // The rule stays until cleared.
    expect(
      (await rejection(s.ecs.send(new UpdateServiceCommand({ cluster: 'demo', service: 'web-rolling' })))).name
    ).toBe('AccessDeniedException')
    s.emulator.control.clearFaults()
    await s.ecs.send(new UpdateServiceCommand({ cluster: 'demo', service: 'web-rolling', desiredCount: 3 }))
  })

  test('a scripted 500 is retried; a delay slows the answer', async () => {
    s.emulator.control.error({ op: 'DescribeServices', type: 'ServerException', status: 500, count: 1 })
    s.emulator.control.delay({ op: 'DescribeServices', ms: 150, count: 1 })
    const started = Date.now()
    const out = await s.ecs.send(new DescribeServicesCommand({ cluster: 'demo', services: ['web-bg'] }))
    expect(Date.now() - started).toBeGreaterThanOrEqual(150)
    expect(out.$metadata.attempts).toBe(2)
  })
})

describe('control endpoint over HTTP', () => {
  async function control(action: string, body?: unknown): Promise<{ status: number; json: unknown }> {
    const response = await fetch(`${s.emulator.url}/__control/${action}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) })
    })
    return { status: response.status, json: await response.json() }
  }

  test('configure, failNext, state, calls, seed and reset work over HTTP', async () => {
    expect((await control('configure', { stepMs: 10, readyWait: 'STOP' })).json).toMatchObject({
      timings: { stepMs: 10 }
    })
    expect((await control('failNext', { kind: 'ecs-rolling', stoppedReason: 'boom' })).json).toEqual({ queued: 1 })
    const seeded = await control('seed', {
      fixture: {
        clusters: ['other'],
        services: [{ cluster: 'other', name: 'api', taskDefinition: 'web:1', desiredCount: 1 }]
      }
    })
    expect(seeded.status).toBe(200)
    const api = await s.ecs.send(new DescribeServicesCommand({ cluster: 'other', services: ['api'] }))
    expect(api.services?.[0]?.runningCount).toBe(1)

    const state = (await control('state')).json as {
      deploymentGroups: { readyAction: string }[]
      scripted: { rolling: number }
    }
    expect(state.deploymentGroups[0]?.readyAction).toBe('STOP_DEPLOYMENT')
    expect(state.scripted.rolling).toBe(1)
    const calls = (await control('calls', { op: 'DescribeServices' })).json as {
      op: string
      params: { cluster: string }
    }[]
    expect(calls).toEqual([
      expect.objectContaining({ op: 'DescribeServices', params: expect.objectContaining({ cluster: 'other' }) })
    ])

    await control('reset')
    const after = (await control('state')).json as { services: unknown[]; scripted: { rolling: number }; calls: number }
    expect(after).toMatchObject({ scripted: { rolling: 0 }, calls: 0 })
    expect(after.services).toHaveLength(2)
  })

  test('an unknown action is 404 and a bad input is 400', async () => {
    expect((await control('explode')).status).toBe(404)
    const bad = await control('failNext', { at: 'Teardown' })
    expect(bad.status).toBe(400)
    expect(bad.json).toEqual({ error: expect.stringContaining('failNext.at must be one of') })
    expect((await control('seed', { fixture: 'nope' })).status).toBe(400)
  })
})

describe('CLI', () => {
  test('prints its URL and serves the standard fixture', async () => {
    const child = spawn(
      process.execPath,
      ['node_modules/tsx/dist/cli.mjs', 'emulator/cli.ts', '--port', '0', '--step-ms', '10'],
      {
        stdio: ['ignore', 'pipe', 'pipe']
      }
    )
    try {
      const url = await new Promise<string>((resolve, reject) => {
        createInterface({ input: child.stdout }).once('line', resolve)
        child.once('exit', (code) => reject(new Error(`emulator exited with ${String(code)}`)))
      })
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
      const codedeploy = new CodeDeployClient({
        endpoint: url,
        region: 'us-east-1',
        credentials: { accessKeyId: 'AKIDEMULATOR', secretAccessKey: 'emulator-secret' }
      })
      const error = await rejection(codedeploy.send(new GetDeploymentCommand({ deploymentId: 'd-AAAAAAAAA' })))
      expect(error.name).toBe('DeploymentDoesNotExistException')
      codedeploy.destroy()
      const state = (await (await fetch(`${url}/__control/state`)).json()) as { timings: { stepMs: number } }
      expect(state.timings.stepMs).toBe(10)
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve))
      child.kill('SIGTERM')
      await exited
    }
  })
})
