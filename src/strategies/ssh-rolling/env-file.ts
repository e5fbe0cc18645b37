/** Lines for compose's `.env`, written so compose v1 (python-dotenv) and v2 (compose-go) read the same value. */
import type { EnvPair } from '../../config.js'

const KEY = /^[A-Za-z_][A-Za-z0-9_]*$/
/** Unquoted: nothing either parser treats specially (no `#`, quotes, `$`, `\` or spaces). */
const PLAIN = /^[A-Za-z0-9_.,:/@+=%^~-]*$/

/** One `KEY=value` line. Errors name the key, never the value (it may be a secret). */
export function formatEnvLine(key: string, value: string): string {
  if (!KEY.test(key))
    throw new Error(`env '${key}': a variable name is letters, digits and _ (not starting with a digit)`)
  if (/[\r\n\0]/.test(value)) throw new Error(`env '${key}': a value cannot contain a line break`)
  if (PLAIN.test(value)) return `${key}=${value}`
  // compose v1 (python-dotenv) reads `\\` and `\'` as escapes even inside single quotes; compose v2 does not.
  if (value.includes('\\\\') || value.endsWith('\\'))
    throw new Error(
      `env '${key}': a value with two backslashes in a row, or ending in one, is read differently by compose v1 and v2`
    )
  // Single quotes are literal in both parsers.
  if (!value.includes("'")) return `${key}='${value}'`
  // Double quotes: both would expand `$…` and `\…`, so only without those.
  if (!/["\\$`]/.test(value)) return `${key}="${value}"`
  throw new Error(
    `env '${key}': a value with a single quote and one of " \\ $ \` cannot be written to .env so that compose v1 and v2 read it the same`
  )
}

/** The lines `apply` merges into `.env`: the env pairs, then the image variable (later keys win). */
export function envLines(env: readonly EnvPair[], imageVariable: string, image: string): string[] {
  const merged = new Map<string, string>()
  for (const { key, value } of env) merged.set(key, value)
  merged.set(imageVariable, image)
  return [...merged].map(([k, v]) => formatEnvLine(k, v))
}
