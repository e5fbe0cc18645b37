import { createHash } from 'node:crypto'
import {
  appSpecLoadBalancer,
  checkAppSpecAgainstTaskDefinition,
  generateAppSpec,
  mergeAppSpec,
  renderAppSpec
} from '../../../src/strategies/ecs-blue-green/appspec.js'
import { cleanTaskDefinition } from '../../../src/strategies/ecs/task-definition.js'
import { fixture, liveService, tdArn } from '../ecs/helpers.js'

const NEW = tdArn(42)

describe('generateAppSpec', () => {
  test('copies load balancer, platform version, network configuration and capacity provider strategy', () => {
    const appspec = generateAppSpec(liveService(), NEW, { containerName: 'web', containerPort: 80 })
    expect(appspec).toEqual({
      version: 0.0,
      Resources: [
        {
          TargetService: {
            Type: 'AWS::ECS::Service',
            Properties: {
              TaskDefinition: NEW,
              LoadBalancerInfo: { ContainerName: 'web', ContainerPort: 80 },
              PlatformVersion: 'LATEST',
              NetworkConfiguration: {
                AwsvpcConfiguration: {
                  Subnets: ['subnet-a', 'subnet-b'],
                  SecurityGroups: ['sg-1'],
                  AssignPublicIp: 'DISABLED'
                }
              },
              CapacityProviderStrategy: [
                { CapacityProvider: 'FARGATE', Base: 1, Weight: 1 },
                { CapacityProvider: 'FARGATE_SPOT', Base: 0, Weight: 3 }
              ]
            }
          }
        }
      ]
    })
  })

  test('an EC2 service without awsvpc, platform version or capacity providers gets only what it has', () => {
    const service = liveService({ launchType: 'EC2' })
    delete service.platformVersion
    delete service.networkConfiguration
    delete service.capacityProviderStrategy
    const appspec = generateAppSpec(service, NEW, { containerName: 'web', containerPort: 8080 })
    const props = (appspec.Resources as { TargetService: { Properties: Record<string, unknown> } }[])[0]?.TargetService
      .Properties
    expect(Object.keys(props ?? {})).toEqual(['TaskDefinition', 'LoadBalancerInfo'])
  })

  test('assignPublicIp defaults to DISABLED (all three network fields or none)', () => {
    const service = liveService({
      networkConfiguration: { awsvpcConfiguration: { subnets: ['s'], securityGroups: ['g'] } }
    })
    const { content } = renderAppSpec(generateAppSpec(service, NEW, { containerName: 'web', containerPort: 80 }))
    expect(JSON.parse(content).Resources[0].TargetService.Properties.NetworkConfiguration).toEqual({
      AwsvpcConfiguration: { Subnets: ['s'], SecurityGroups: ['g'], AssignPublicIp: 'DISABLED' }
    })
  })
})

describe('mergeAppSpec', () => {
  const user = fixture('appspec.json')

  test('replaces only TaskDefinition and keeps everything else (hooks, platform version)', () => {
    const merged = mergeAppSpec(user, NEW)
    const expected = structuredClone(user) as {
      Resources: { TargetService: { Properties: Record<string, unknown> } }[]
    }
    ;(
      expected.Resources[0] as { TargetService: { Properties: Record<string, unknown> } }
    ).TargetService.Properties.TaskDefinition = NEW
    expect(merged).toEqual(expected)
    expect(user).toEqual(fixture('appspec.json'))
  })

  test.each([
    [
      { version: 0.0, Resources: [] },
      "Invalid 'codedeploy-appspec': expected `Resources` to be a list with exactly one ECS service"
    ],
    [{ version: 0.0, Resources: [{ A: { Type: 'AWS::ECS::Service' } }] }, 'expected the resource to be'],
    [
      { version: 0.0, Resources: [{ A: { Type: 'AWS::Lambda::Function', Properties: {} } }] },
      'expected resource Type AWS::ECS::Service'
    ],
    [{ version: 1, Resources: [{ A: { Properties: {} } }] }, "expected version 0.0, got '1'"],
    [
      { version: 0.0, Resources: [{ A: { Properties: {} } }], Hooks: [{ Install: 'fn' }] },
      "hook 'Install' is not one of"
    ]
  ])('rejects a malformed AppSpec %#', (doc, message) => {
    expect(() => mergeAppSpec(doc, NEW)).toThrow(message)
  })

  test('keys in any case are read and kept as written, as the AWS CLI and the AWS action read them', () => {
    const lower = {
      Version: '0.0',
      resources: [
        {
          TargetService: {
            type: 'AWS::ECS::Service',
            properties: {
              taskDefinition: '<placeholder>',
              loadBalancerInfo: { containerName: 'web', CONTAINERPORT: 80 }
            }
          }
        }
      ]
    }
    const merged = mergeAppSpec(lower, NEW)
    expect(merged).toEqual({
      Version: '0.0',
      resources: [
        {
          TargetService: {
            type: 'AWS::ECS::Service',
            properties: { taskDefinition: NEW, loadBalancerInfo: { containerName: 'web', CONTAINERPORT: 80 } }
          }
        }
      ]
    })
    expect(appSpecLoadBalancer(merged)).toEqual({ containerName: 'web', containerPort: 80 })
    const { content } = renderAppSpec(merged)
    expect(content).toMatch(/^\{\n {2}"version": 0\.0,\n {2}"resources"/)
    expect(content).not.toContain('Version')
  })

  test('LoadBalancerInfo is checked against the new task definition', () => {
    const td = cleanTaskDefinition(
      fixture<{ taskDefinition: Record<string, unknown> }>('task-definition-described.json').taskDefinition
    )
    const merged = mergeAppSpec(user, NEW)
    expect(appSpecLoadBalancer(merged)).toEqual({ containerName: 'web', containerPort: 80 })
    expect(() => checkAppSpecAgainstTaskDefinition(merged, td)).not.toThrow()
    const wrongPort = structuredClone(merged) as {
      Resources: { TargetService: { Properties: { LoadBalancerInfo: object } } }[]
    }
    wrongPort.Resources[0]!.TargetService.Properties.LoadBalancerInfo = { ContainerName: 'web', ContainerPort: 8080 }
    expect(() => checkAppSpecAgainstTaskDefinition(wrongPort, td)).toThrow(
      "The AppSpec's LoadBalancerInfo names container 'web' port 8080, which the new task definition does not map (containers: web, sidecar)"
    )
  })
})

describe('renderAppSpec', () => {
  test('sha256 is the hex SHA-256 of exactly the content', () => {
    const { content, sha256 } = renderAppSpec(mergeAppSpec(fixture('appspec.json'), NEW))
    expect(sha256).toBe(createHash('sha256').update(content).digest('hex'))
    expect(sha256).toMatch(/^[0-9a-f]{64}$/)
  })

  test('content is JSON with the version written as 0.0', () => {
    const { content } = renderAppSpec(generateAppSpec(liveService(), NEW, { containerName: 'web', containerPort: 80 }))
    expect(content).toMatch(/^\{\n {2}"version": 0\.0,\n/)
    expect(JSON.parse(content).Resources[0].TargetService.Properties.TaskDefinition).toBe(NEW)
  })
})
