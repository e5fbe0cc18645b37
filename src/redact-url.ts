/** Secrets a URL may carry (a password, a token in the query) kept out of messages, reports and summaries. */

/** `scheme://user:password@`: the password is group 1. */
export const URL_PASSWORD_RE = /[a-z][a-z0-9+.-]*:\/\/[^\s/:@]*:([^\s/@]+)@/gi

/** `?name=value` / `&name=value`: the name is group 1, the value group 2. */
const QUERY_PARAM_RE = /[?&]([^=&#\s]+)=([^&#\s]*)/g

/** The URL as it may be shown: its password and every query value replaced by `***`. */
export function redactUrl(url: string): string {
  return url
    .replace(URL_PASSWORD_RE, (match, password: string) => match.replace(`:${password}@`, ':***@'))
    .replace(QUERY_PARAM_RE, (match, name: string, value: string) =>
      value === '' ? match : `${match.slice(0, 1)}${name}=***`
    )
}

/** The URL's password and query values, raw and percent-decoded: what to mask in the log. */
export function urlSecrets(url: string): string[] {
  const found = [
    ...[...url.matchAll(URL_PASSWORD_RE)].map((m) => m[1] ?? ''),
    ...[...url.matchAll(QUERY_PARAM_RE)].map((m) => m[2] ?? '')
  ]
  const secrets = new Set<string>()
  for (const value of found) {
    // Short values (`1`, `on`) would mask every such word in the log; they are only redacted where shown.
    if (value.length < 4) continue
    secrets.add(value)
    try {
      secrets.add(decodeURIComponent(value))
    } catch {
      // Not percent-encoded: the raw form is enough.
    }
  }
  return [...secrets]
}
