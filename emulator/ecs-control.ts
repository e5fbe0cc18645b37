/** Control actions for ECS strictness: reads that lag writes, and the caller's policy for tag-on-create. */
import type { Model } from './model.js'
import { readPolicy, type PolicyDocument } from './policy.js'

export interface EcsControl {
  /** `readLagMs`: how long DescribeServices/DescribeTaskDefinition keep showing what was there before a write. */
  consistency(input: { readLagMs: number }): { readLagMs: number }
  /** The caller's identity policy (an IAM policy document); `null` removes it (no `ecs:TagResource` grant). */
  policy(input: PolicyDocument | null): { policy: PolicyDocument | null }
}

/** `fail` turns a bad input into the control API's 400 answer. */
export function createEcsControl(model: Model, fail: (message: string) => Error): EcsControl {
  return {
    consistency(input) {
      const ms = input?.readLagMs
      if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) {
        throw fail('consistency needs { readLagMs: <non-negative number> }')
      }
      model.readLagMs = ms
      if (ms === 0) {
        model.staleServices.clear()
        model.unseenTaskDefinitions.clear()
      }
      return { readLagMs: ms }
    },
    policy(input) {
      if (input === null || input === undefined) {
        model.policy = undefined
        return { policy: null }
      }
      try {
        model.policy = readPolicy(input)
      } catch (error) {
        throw fail(`policy: ${(error as Error).message}`)
      }
      return { policy: model.policy }
    }
  }
}
