import { GetDeploymentGroupCommand, DeploymentGroupDoesNotExistException } from '@aws-sdk/client-codedeploy'
import {
  ClusterNotFoundException,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  type Service
} from '@aws-sdk/client-ecs'
import { preflightService } from '../../../src/strategies/ecs/preflight.js'
import { preflightDeploymentGroup } from '../../../src/strategies/ecs-blue-green/preflight-group.js'
import {
  blueGreenConfig,
  describedTaskDefinition,
  fixture,
  harness,
  liveService,
  rollingConfig,
  tdArn
} from './helpers.js'

function setup(service: Service | null = liveService()) {
  const h = harness()
  h.ecsMock
    .on(DescribeServicesCommand)
    .resolves(
      service
        ? { services: [service], failures: [] }
        : { services: [], failures: [{ arn: 'arn:x', reason: 'MISSING' }] }
    )
  h.ecsMock.on(DescribeTaskDefinitionCommand).resolves(describedTaskDefinition())
  h.cdMock.on(GetDeploymentGroupCommand).resolves({
    deploymentGroupInfo: {
      applicationName: 'AppECS-demo-web',
      deploymentGroupName: 'DgpECS-demo-web',
      computePlatform: 'ECS',
      ecsServices: [{ clusterName: 'demo', serviceName: 'web' }]
    }
  })
  return h
}

describe('preflightService', () => {
  test('builds the task definition from the live one: image in, tags carried, previous ARN known', async () => {
    const h = setup()
    const plan = await preflightService(h.ecs, blueGreenConfig(), 'ecs-blue-green')
    expect(plan.previousTaskDefinitionArn).toBe(tdArn(41))
    expect(plan.clusterName).toBe('demo')
    expect(plan.serviceName).toBe('web')
    expect(plan.taskDefinition.tags).toEqual([{ key: 'team', value: 'payments' }])
    expect((plan.taskDefinition.containerDefinitions as { image: string }[])[0]?.image).toBe(
      'registry.example.com/web:2.0.0'
    )
    expect(plan.diff).toEqual([
      'container `web` image: "registry.example.com/web:1.0.0" → "registry.example.com/web:2.0.0"'
    ])
    expect(h.ecsMock.commandCalls(DescribeTaskDefinitionCommand)[0]?.args[0].input).toEqual({
      taskDefinition: tdArn(41),
      include: ['TAGS']
    })
  })

  test('a task definition file is used instead of the live one (still diffed against it)', async () => {
    const h = setup()
    const plan = await preflightService(
      h.ecs,
      blueGreenConfig({ taskDefinitionDocument: fixture('task-definition-file.json') }),
      'ecs-blue-green'
    )
    expect(plan.taskDefinition.cpu).toBe('512')
    expect(plan.taskDefinition).not.toHaveProperty('tags')
    expect(plan.diff).toContain('cpu: "256" → "512"')
    expect(plan.diff).toContain('tags: [{"key":"team","value":"payments"}] → (unset)')
  })

  test('a missing service names cluster and service', async () => {
    const h = setup(null)
    await expect(preflightService(h.ecs, blueGreenConfig(), 'ecs-blue-green')).rejects.toThrow(
      "ECS service 'web' was not found in cluster 'demo' (MISSING): check the 'cluster' and 'service' inputs and the region"
    )
  })

  test('a missing cluster names the input', async () => {
    const h = setup()
    h.ecsMock
      .on(DescribeServicesCommand)
      .rejects(new ClusterNotFoundException({ message: 'Cluster not found.', $metadata: {} }))
    await expect(preflightService(h.ecs, blueGreenConfig(), 'ecs-blue-green')).rejects.toThrow(
      "Invalid 'cluster': cluster 'demo' was not found"
    )
  })

  test('an inactive service is refused', async () => {
    const h = setup(liveService({ status: 'DRAINING' }))
    await expect(preflightService(h.ecs, blueGreenConfig(), 'ecs-blue-green')).rejects.toThrow(
      'ECS service demo/web is DRAINING, not ACTIVE'
    )
  })

  test.each([
    [
      'ecs-blue-green',
      { type: 'ECS' },
      "uses the ECS deployment controller, but strategy 'ecs-blue-green' needs CODE_DEPLOY: use strategy 'ecs-rolling'"
    ],
    [
      'ecs-blue-green',
      undefined,
      "uses the ECS deployment controller, but strategy 'ecs-blue-green' needs CODE_DEPLOY: use strategy 'ecs-rolling'"
    ],
    [
      'ecs-rolling',
      { type: 'CODE_DEPLOY' },
      "uses the CODE_DEPLOY deployment controller, but strategy 'ecs-rolling' needs ECS: use strategy 'ecs-blue-green'"
    ],
    [
      'ecs-native',
      { type: 'CODE_DEPLOY' },
      "uses the CODE_DEPLOY deployment controller, but strategy 'ecs-native' needs ECS: use strategy 'ecs-blue-green'"
    ],
    ['ecs-rolling', { type: 'EXTERNAL' }, 'no ECS strategy of this action can deploy it']
  ] as const)(
    '%s on a service with controller %j: suggests the strategy that fits',
    async (strategy, controller, message) => {
      const service = liveService()
      if (controller) service.deploymentController = { ...controller }
      else delete service.deploymentController
      const h = setup(service)
      const config = strategy === 'ecs-rolling' ? rollingConfig() : blueGreenConfig()
      await expect(preflightService(h.ecs, config, strategy)).rejects.toThrow(message)
      expect(h.ecsMock.commandCalls(DescribeTaskDefinitionCommand)).toHaveLength(0)
    }
  )

  test('ecs-rolling accepts a service with no deploymentController (= ECS)', async () => {
    const service = liveService()
    delete service.deploymentController
    const h = setup(service)
    await expect(preflightService(h.ecs, rollingConfig(), 'ecs-rolling')).resolves.toMatchObject({
      previousTaskDefinitionArn: tdArn(41)
    })
  })
})

describe('preflightDeploymentGroup', () => {
  test('passes when the group targets this service and the LB container/port exist', async () => {
    const h = setup()
    const config = blueGreenConfig()
    const plan = await preflightService(h.ecs, config, 'ecs-blue-green')
    await expect(preflightDeploymentGroup(h.codedeploy, config, plan)).resolves.toMatchObject({
      computePlatform: 'ECS'
    })
  })

  test('a missing group names the application and group inputs', async () => {
    const h = setup()
    h.cdMock
      .on(GetDeploymentGroupCommand)
      .rejects(new DeploymentGroupDoesNotExistException({ message: 'No Deployment Group found', $metadata: {} }))
    const config = blueGreenConfig()
    const plan = await preflightService(h.ecs, config, 'ecs-blue-green')
    await expect(preflightDeploymentGroup(h.codedeploy, config, plan)).rejects.toThrow(
      "CodeDeploy deployment group 'DgpECS-demo-web' of application 'AppECS-demo-web' was not found (DeploymentGroupDoesNotExistException): check the 'codedeploy-application' and 'codedeploy-deployment-group' inputs"
    )
  })

  test('a group that deploys another service is refused', async () => {
    const h = setup()
    h.cdMock.on(GetDeploymentGroupCommand).resolves({
      deploymentGroupInfo: { ecsServices: [{ clusterName: 'demo', serviceName: 'api' }] }
    })
    const config = blueGreenConfig()
    const plan = await preflightService(h.ecs, config, 'ecs-blue-green')
    await expect(preflightDeploymentGroup(h.codedeploy, config, plan)).rejects.toThrow(
      "CodeDeploy deployment group AppECS-demo-web/DgpECS-demo-web deploys demo/api, not demo/web: check the 'codedeploy-deployment-group' input"
    )
  })

  test('the load balancer container port must exist in the new task definition', async () => {
    const h = setup(
      liveService({ loadBalancers: [{ targetGroupArn: 'tg', containerName: 'web', containerPort: 8080 }] })
    )
    const config = blueGreenConfig()
    const plan = await preflightService(h.ecs, config, 'ecs-blue-green')
    await expect(preflightDeploymentGroup(h.codedeploy, config, plan)).rejects.toThrow(
      "The service's load balancer routes to container 'web' port 8080, but the new task definition has no such container port mapping (containers: web, sidecar)"
    )
  })

  test('the load balancer container must exist in the new task definition', async () => {
    const h = setup(liveService({ loadBalancers: [{ targetGroupArn: 'tg', containerName: 'app', containerPort: 80 }] }))
    const config = blueGreenConfig()
    const plan = await preflightService(h.ecs, config, 'ecs-blue-green')
    await expect(preflightDeploymentGroup(h.codedeploy, config, plan)).rejects.toThrow("container 'app' port 80")
  })
})

describe('preflightService with a registered revision', () => {
  test('a deregistered (INACTIVE) revision fails naming the input', async () => {
    const h = setup()
    const live = describedTaskDefinition()
    h.ecsMock.on(DescribeTaskDefinitionCommand, { taskDefinition: 'web:40', include: ['TAGS'] }).resolves({
      ...live,
      taskDefinition: { ...live.taskDefinition, taskDefinitionArn: tdArn(40), status: 'INACTIVE' }
    })
    const config = blueGreenConfig({ image: undefined, taskDefinitionRevision: 'web:40' })
    await expect(preflightService(h.ecs, config, 'ecs-blue-green')).rejects.toThrow(
      "Invalid 'task-definition': expected an ACTIVE task definition, got 'web:40', which is deregistered (INACTIVE)"
    )
  })
})
