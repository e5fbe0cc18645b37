/**
 * The identity policy of the caller, as far as the emulator checks it: tag-on-create. ECS authorizes
 * `ecs:TagResource` as well when RegisterTaskDefinition carries tags; without a grant the call is refused.
 * // https://docs.aws.amazon.com/AmazonECS/latest/developerguide/supported-iam-actions-tagging.html
 */

export interface PolicyStatement {
  Sid?: string
  Effect: 'Allow' | 'Deny'
  Action: string | string[]
  Resource?: string | string[]
  Condition?: Record<string, Record<string, string | string[]>>
}

export interface PolicyDocument {
  Version?: string
  Statement: PolicyStatement[]
}

/** Reads a policy document; throws a one-line reason when it is not one. */
export function readPolicy(input: unknown): PolicyDocument {
  const doc = input as Partial<PolicyDocument> | null
  if (typeof doc !== 'object' || doc === null || !Array.isArray(doc.Statement)) {
    throw new Error('a policy needs { Statement: [{ Effect, Action, Condition? }, …] }')
  }
  for (const s of doc.Statement) {
    if (s?.Effect !== 'Allow' && s?.Effect !== 'Deny') throw new Error('each statement needs Effect Allow or Deny')
    if (typeof s.Action !== 'string' && !Array.isArray(s.Action)) throw new Error('each statement needs an Action')
  }
  return doc as PolicyDocument
}

const list = (value: string | string[] | undefined): string[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value]

/** IAM's `*` and `?` wildcards, case-insensitive as IAM compares action names. */
function globMatches(pattern: string, value: string): boolean {
  const re = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.')
  return new RegExp(`^${re}$`, 'i').test(value)
}

/** Only the operators and keys ECS sets for tag-on-create; anything else does not match. */
function conditionHolds(condition: PolicyStatement['Condition'], context: Record<string, string>): boolean {
  for (const [operator, keys] of Object.entries(condition ?? {})) {
    for (const [key, wanted] of Object.entries(keys)) {
      const actual = context[key]
      if (actual === undefined) return false
      const matches =
        operator === 'StringEquals'
          ? list(wanted).includes(actual)
          : operator === 'StringLike'
            ? list(wanted).some((w) => globMatches(w, actual))
            : false
      if (!matches) return false
    }
  }
  return true
}

/** Whether `policy` allows `action` in `context` (condition keys → values): an Allow that matches and no Deny. */
export function policyAllows(policy: PolicyDocument, action: string, context: Record<string, string>): boolean {
  const applies = (s: PolicyStatement): boolean =>
    list(s.Action).some((a) => globMatches(a, action)) && conditionHolds(s.Condition, context)
  if (policy.Statement.some((s) => s.Effect === 'Deny' && applies(s))) return false
  return policy.Statement.some((s) => s.Effect === 'Allow' && applies(s))
}
