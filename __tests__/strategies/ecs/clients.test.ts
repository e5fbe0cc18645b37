/** The real SDK clients as the strategies build them, against a loopback HTTP server (no AWS, no fakes). */
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { GetDeploymentCommand } from '@aws-sdk/client-codedeploy'
import { DescribeServicesCommand } from '@aws-sdk/client-ecs'
import { createEcsClient } from '../../../src/strategies/ecs/clients.js'
import { createCodeDeployClient } from '../../../src/strategies/ecs-blue-green/client.js'
import { harness } from './helpers.js'

type Reply = { status: number; body: object }

let server: http.Server
let replies: Reply[] = []
const seen: { target: string; url: string }[] = []
const saved = { ...process.env }

beforeAll(async () => {
  server = http.createServer((req, res) => {
    req.resume()
    req.on('end', () => {
      seen.push({ target: String(req.headers['x-amz-target']), url: req.url ?? '' })
      const reply = replies.shift() ?? { status: 200, body: {} }
      res.writeHead(reply.status, { 'content-type': 'application/x-amz-json-1.1' })
      res.end(JSON.stringify(reply.body))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  process.env.AWS_ENDPOINT_URL_ECS = `http://127.0.0.1:${port}/ecs`
  process.env.AWS_ENDPOINT_URL_CODEDEPLOY = `http://127.0.0.1:${port}/codedeploy`
  process.env.AWS_ACCESS_KEY_ID = 'AKIDEXAMPLE'
  process.env.AWS_SECRET_ACCESS_KEY = 'secret'
  delete process.env.AWS_PROFILE
})

afterAll(async () => {
  process.env = saved
  await new Promise((resolve) => server.close(resolve))
})

beforeEach(() => {
  replies = []
  seen.length = 0
})

function realDeps() {
  const { deps } = harness()
  delete deps.overrides
  return deps
}

describe('real clients', () => {
  test('take the region from config and the endpoint from AWS_ENDPOINT_URL_ECS / _CODEDEPLOY', async () => {
    const ecs = createEcsClient('eu-west-1', realDeps())
    const codedeploy = createCodeDeployClient('eu-west-1', realDeps())
    expect(await ecs.config.region()).toBe('eu-west-1')
    replies = [
      { status: 200, body: { services: [{ serviceName: 'web' }], failures: [] } },
      { status: 200, body: { deploymentInfo: { deploymentId: 'd-1', status: 'InProgress' } } }
    ]
    const services = await ecs.send(new DescribeServicesCommand({ cluster: 'demo', services: ['web'] }))
    const deployment = await codedeploy.send(new GetDeploymentCommand({ deploymentId: 'd-1' }))
    expect(services.services?.[0]?.serviceName).toBe('web')
    expect(deployment.deploymentInfo?.status).toBe('InProgress')
    expect(seen).toEqual([
      { target: 'AmazonEC2ContainerServiceV20141113.DescribeServices', url: '/ecs/' },
      { target: 'CodeDeploy_20141006.GetDeployment', url: '/codedeploy/' }
    ])
  })

  test('retry 5xx in standard mode up to 5 attempts, and do not retry AccessDenied', async () => {
    const ecs = createEcsClient('eu-west-1', realDeps())
    replies = [
      { status: 503, body: { __type: 'ServerException', message: 'busy' } },
      { status: 500, body: { __type: 'ServerException', message: 'busy' } },
      { status: 200, body: { services: [], failures: [] } }
    ]
    await ecs.send(new DescribeServicesCommand({ cluster: 'demo', services: ['web'] }))
    expect(seen).toHaveLength(3)

    seen.length = 0
    replies = Array.from({ length: 6 }, () => ({ status: 500, body: { __type: 'ServerException', message: 'down' } }))
    await expect(ecs.send(new DescribeServicesCommand({ cluster: 'demo', services: ['web'] }))).rejects.toMatchObject({
      name: 'ServerException'
    })
    expect(seen).toHaveLength(5)

    seen.length = 0
    replies = [{ status: 400, body: { __type: 'AccessDeniedException', message: 'not authorized' } }]
    await expect(ecs.send(new DescribeServicesCommand({ cluster: 'demo', services: ['web'] }))).rejects.toMatchObject({
      name: 'AccessDeniedException'
    })
    expect(seen).toHaveLength(1)
  }, 30_000)
})
