/** The AWS clients of the ECS strategies: built here only, or taken from `deps.overrides` in tests. */
import { ECSClient } from '@aws-sdk/client-ecs'
import type { Deps } from '../../deps.js'

/** SDK standard retry mode: throttling, 5xx and dropped connections are retried with backoff before we see them. */
export const MAX_ATTEMPTS = 5

// Endpoints come from AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_ECS / AWS_ENDPOINT_URL_CODEDEPLOY, read by the SDK itself.

export function createEcsClient(region: string, deps: Deps): ECSClient {
  const fake = deps.overrides?.ecs
  if (fake) return fake
  return new ECSClient({ region, maxAttempts: MAX_ATTEMPTS, retryMode: 'standard' })
}

/** Per-request options: the abort signal when there is one. */
export function withSignal(signal: AbortSignal | undefined): { abortSignal?: AbortSignal } {
  return signal ? { abortSignal: signal } : {}
}
