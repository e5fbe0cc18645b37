import { type AppSpecContext, validateAppSpec } from '../../emulator/appspec.js'

const ARN = 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:2'

const context: AppSpecContext = {
  findTaskDefinition: (arn) =>
    arn === ARN
      ? {
          containers: [
            { name: 'web', containerPorts: [80] },
            { name: 'sidecar', containerPorts: [9000] }
          ]
        }
      : undefined,
  serviceContainer: { name: 'web', port: 80 }
}

function spec(properties: Record<string, unknown>, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    version: 0.0,
    Resources: [
      {
        TargetService: {
          Type: 'AWS::ECS::Service',
          Properties: {
            TaskDefinition: ARN,
            LoadBalancerInfo: { ContainerName: 'web', ContainerPort: 80 },
            ...properties
          }
        }
      }
    ],
    ...extra
  })
}

test('a valid JSON AppSpec yields the target, the network and capacity settings, and the hooks', () => {
  const result = validateAppSpec(
    spec(
      {
        PlatformVersion: '1.4.0',
        NetworkConfiguration: {
          AwsvpcConfiguration: { Subnets: ['subnet-1'], SecurityGroups: ['sg-1'], AssignPublicIp: 'DISABLED' }
        },
        CapacityProviderStrategy: [{ CapacityProvider: 'FARGATE', Base: 1, Weight: 2 }]
      },
      { Hooks: [{ AfterAllowTestTraffic: 'CheckGreen' }, { BeforeInstall: 'Prepare' }] }
    ),
    context
  )
  expect(result).toEqual({
    ok: true,
    target: {
      taskDefinitionArn: ARN,
      containerName: 'web',
      containerPort: 80,
      platformVersion: '1.4.0',
      networkConfiguration: {
        awsvpcConfiguration: { subnets: ['subnet-1'], securityGroups: ['sg-1'], assignPublicIp: 'DISABLED' }
      },
      capacityProviderStrategy: [{ capacityProvider: 'FARGATE', base: 1, weight: 2 }],
      hooks: { AfterAllowTestTraffic: 'CheckGreen', BeforeInstall: 'Prepare' }
    }
  })
})

test('the YAML form with a quoted version "0.0" is accepted', () => {
  const yaml = `version: "0.0"\nResources:\n  - TargetService:\n      Type: AWS::ECS::Service\n      Properties:\n        TaskDefinition: ${ARN}\n        LoadBalancerInfo:\n          ContainerName: web\n          ContainerPort: 80\n`
  expect(validateAppSpec(yaml, context)).toMatchObject({ ok: true, target: { containerPort: 80, hooks: {} } })
})

test.each<[string, string, RegExp]>([
  ['version 1', spec({}).replace('"version":0', '"version":1'), /version 1/],
  ['no resources', JSON.stringify({ version: 0, Resources: [] }), /exactly one resource .*\(found 0\)/],
  ['another resource type', spec({}).replace('AWS::ECS::Service', 'AWS::Lambda::Function'), /Type AWS::ECS::Service/],
  ['a family:revision task definition', spec({ TaskDefinition: 'web:2' }), /full task definition ARN/],
  ['an unregistered task definition', spec({ TaskDefinition: ARN.replace(':2', ':3') }), /does not exist/],
  ['no LoadBalancerInfo', spec({ LoadBalancerInfo: undefined }), /no LoadBalancerInfo/],
  ['a string port', spec({ LoadBalancerInfo: { ContainerName: 'web', ContainerPort: '80' } }), /must be a number/],
  ['an unknown container', spec({ LoadBalancerInfo: { ContainerName: 'api', ContainerPort: 80 } }), /container 'api'/],
  ['an unmapped port', spec({ LoadBalancerInfo: { ContainerName: 'web', ContainerPort: 81 } }), /port 81/],
  [
    'another container than the service',
    spec({ LoadBalancerInfo: { ContainerName: 'sidecar', ContainerPort: 9000 } }),
    /does not match/
  ],
  [
    'a partial network configuration',
    spec({ NetworkConfiguration: { AwsvpcConfiguration: { Subnets: ['subnet-1'] } } }),
    /Subnets, SecurityGroups and AssignPublicIp/
  ],
  [
    'a bad AssignPublicIp',
    spec({
      NetworkConfiguration: { AwsvpcConfiguration: { Subnets: ['s'], SecurityGroups: ['g'], AssignPublicIp: 'YES' } }
    }),
    /ENABLED or DISABLED/
  ],
  ['a hook on AllowTraffic', spec({}, { Hooks: [{ AllowTraffic: 'fn' }] }), /hook for 'AllowTraffic'/],
  ['Hooks as a map', spec({}, { Hooks: { BeforeInstall: 'fn' } }), /must be a list/],
  ['broken YAML', 'version: 0.0\nResources: [', /could not be parsed/],
  ['an empty document', '', /empty/]
])('rejects %s', (_case, content, message) => {
  const result = validateAppSpec(content, context)
  expect(result.ok).toBe(false)
  if (result.ok) return
  expect(result.error.code).toBe('INVALID_REVISION')
  expect(result.error.message).toMatch(/^The deployment failed because /)
  expect(result.error.message).toMatch(message)
})

test('keys are read in any case, as CodeDeploy reads the lower camel case the AWS CLI sends', () => {
  const content = JSON.stringify({
    version: 0.0,
    resources: [
      {
        TargetService: {
          type: 'AWS::ECS::Service',
          properties: {
            taskDefinition: ARN,
            loadBalancerInfo: { containerName: 'web', containerPort: 80 },
            networkConfiguration: {
              awsvpcConfiguration: { subnets: ['subnet-1'], securityGroups: ['sg-1'], assignPublicIp: 'DISABLED' }
            },
            capacityProviderStrategy: [{ capacityProvider: 'FARGATE', base: 1, weight: 2 }]
          }
        }
      }
    ],
    hooks: [{ AfterAllowTestTraffic: 'smoke' }]
  })
  const result = validateAppSpec(content, context)
  expect(result).toEqual({
    ok: true,
    target: {
      taskDefinitionArn: ARN,
      containerName: 'web',
      containerPort: 80,
      hooks: { AfterAllowTestTraffic: 'smoke' },
      networkConfiguration: {
        awsvpcConfiguration: { subnets: ['subnet-1'], securityGroups: ['sg-1'], assignPublicIp: 'DISABLED' }
      },
      capacityProviderStrategy: [{ capacityProvider: 'FARGATE', base: 1, weight: 2 }]
    }
  })
})
