/** Console links point at the console of the region's partition. */
import { deploymentUrl } from '../../../src/strategies/ecs-blue-green/codedeploy.js'
import { ecsServiceUrl } from '../../../src/strategies/ecs/report.js'

test.each([
  ['eu-west-1', 'https://eu-west-1.console.aws.amazon.com'],
  ['cn-north-1', 'https://console.amazonaws.cn'],
  ['cn-northwest-1', 'https://console.amazonaws.cn'],
  ['us-gov-west-1', 'https://console.amazonaws-us-gov.com']
])('%s: %s', (region, origin) => {
  expect(ecsServiceUrl(region, 'demo', 'web')).toBe(
    `${origin}/ecs/v2/clusters/demo/services/web/deployments?region=${region}`
  )
  expect(deploymentUrl(region, 'd-ABC123456')).toBe(
    `${origin}/codesuite/codedeploy/deployments/d-ABC123456?region=${region}`
  )
})
