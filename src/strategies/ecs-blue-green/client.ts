/** The CodeDeploy client of ecs-blue-green: built here only, or taken from `deps.overrides` in tests. */
import { CodeDeployClient } from '@aws-sdk/client-codedeploy'
import type { Deps } from '../../deps.js'
import { MAX_ATTEMPTS } from '../ecs/clients.js'

export function createCodeDeployClient(region: string, deps: Deps): CodeDeployClient {
  const fake = deps.overrides?.codedeploy
  if (fake) return fake
  return new CodeDeployClient({ region, maxAttempts: MAX_ATTEMPTS, retryMode: 'standard' })
}
