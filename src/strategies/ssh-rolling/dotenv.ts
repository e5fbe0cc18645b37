/** Lines for compose's `.env`, written so compose v1 (python-dotenv) and v2 (compose-go) read the same value. */
import type { EnvPair } from '../../inputs/reader.js'

const KEY = /^[A-Za-z_][A-Za-z0-9_]*$/
/** Unquoted: nothing either parser treats specially (no `#`, quotes, `$`, `\` or spaces). */
const PLAIN = /^[A-Za-z0-9_.,:/@+=%^~-]*$/

/** The values `.env` can hold, as the expected form of an error message. */
export const ENV_VALUE_FORM =
  'a value compose v1 and v2 read the same from .env (no line break or NUL; no two backslashes in a row or one at the end; a single quote only without " \\ $ `)'

/**
 * Why `value` cannot be written to `.env` so that compose v1 and v2 read the same (`a value with …`), or undefined
 * when it can. Describes the value, never shows it (it may be a secret).
 */
export function envValueProblem(value: string): string | undefined {
  if (/[\r\n\0]/.test(value)) return 'a line break or NUL character'
  if (PLAIN.test(value)) return undefined
  // compose v1 (python-dotenv) reads `\\` and `\'` as escapes even inside single quotes; compose v2 does not.
  if (value.includes('\\\\') || value.endsWith('\\')) return 'two backslashes in a row, or ending in one'
  // Single quotes are literal in both parsers; double quotes would expand `$…` and `\…` in both.
  if (value.includes("'") && /["\\$`]/.test(value)) return 'a single quote and one of " \\ $ `'
  return undefined
}

/** One `KEY=value` line. `readInputs` refuses what cannot be written; errors name the key, never the value. */
export function formatEnvLine(key: string, value: string): string {
  if (!KEY.test(key))
    throw new Error(`env '${key}': a variable name is letters, digits and _ (not starting with a digit)`)
  const problem = envValueProblem(value)
  if (problem)
    throw new Error(
      `env '${key}': a value with ${problem} cannot be written to .env so that compose v1 and v2 read it the same`
    )
  if (PLAIN.test(value)) return `${key}=${value}`
  if (!value.includes("'")) return `${key}='${value}'`
  return `${key}="${value}"`
}

/** The lines `apply` merges into `.env`: the env pairs, then the image variable (later keys win). */
export function envLines(env: readonly EnvPair[], imageVariable: string, image: string): string[] {
  const merged = new Map<string, string>()
  for (const { key, value } of env) merged.set(key, value)
  merged.set(imageVariable, image)
  return [...merged].map(([k, v]) => formatEnvLine(k, v))
}
