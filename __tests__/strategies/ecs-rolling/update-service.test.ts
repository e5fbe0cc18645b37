import { ECSClient, UpdateServiceCommand } from '@aws-sdk/client-ecs'
import { mockClient } from 'aws-sdk-client-mock'
import { updateService } from '../../../src/strategies/ecs-rolling/rollout.js'
import { tdArn } from '../ecs/helpers.js'

const ecsMock = mockClient(ECSClient)
const ecs = new ECSClient({ region: 'us-east-1' })

beforeEach(() => ecsMock.reset())
afterAll(() => ecsMock.restore())

describe('updateService', () => {
  test('returns the PRIMARY deployment of the requested task definition', async () => {
    ecsMock.on(UpdateServiceCommand).resolves({
      service: {
        deployments: [
          { id: 'ecs-svc/2', status: 'PRIMARY', taskDefinition: tdArn(42) },
          { id: 'ecs-svc/1', status: 'ACTIVE', taskDefinition: tdArn(41) }
        ]
      }
    })
    await expect(updateService(ecs, 'demo', 'web', tdArn(42), tdArn(41))).resolves.toBe('ecs-svc/2')
  })

  test('an answer whose only PRIMARY runs another task definition is refused, not followed as ours', async () => {
    // What moto answers: the service's old deployment, unchanged.
    ecsMock.on(UpdateServiceCommand).resolves({
      service: { deployments: [{ id: 'ecs-svc/1', status: 'PRIMARY', taskDefinition: tdArn(41) }] }
    })
    await expect(updateService(ecs, 'demo', 'web', tdArn(42), tdArn(41))).rejects.toThrow(
      'UpdateService of demo/web returned no PRIMARY deployment of web:42 (PRIMARY: ecs-svc/1 with web:41)'
    )
  })
})
