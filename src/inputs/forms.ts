/**
 * Generic input forms: booleans, numbers, durations, enums, image references, host addresses, variable names.
 * Each parser takes one trimmed value and throws `FormError` (the expected form) when it does not fit; it knows no
 * input and no strategy.
 */

/** A value that does not have the expected form; the reader turns it into an `InputError` naming the input. */
export class FormError extends Error {
  constructor(
    readonly expected: string,
    readonly got?: string
  ) {
    super(expected)
  }
}

/** A user value inside an error message: quoted, on one line, cut when long. */
export function show(value: string, max = 100): string {
  const escapes: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' }
  let oneLine = ''
  for (const c of value) {
    const code = c.charCodeAt(0)
    const control = code < 0x20 || code === 0x7f || code === 0x85 || code === 0x2028 || code === 0x2029
    oneLine += control ? (escapes[c] ?? `\\u${code.toString(16).padStart(4, '0')}`) : c
  }
  return `'${oneLine.length > max ? `${oneLine.slice(0, max)}…` : oneLine}'`
}

/** Non-blank, non-comment lines with their 1-based line numbers. */
export function contentLines(text: string): { line: string; number: number }[] {
  return text
    .split(/\r?\n/)
    .map((raw, i) => ({ line: raw.trim(), number: i + 1 }))
    .filter(({ line }) => line !== '' && !line.startsWith('#'))
}

const BOOLEAN_FORM = 'true or false'
const TRUE_VALUES = ['true', 'True', 'TRUE']
const FALSE_VALUES = ['false', 'False', 'FALSE']

export function parseBoolean(value: string): boolean {
  // The YAML 1.2 core schema, like @actions/core getBooleanInput.
  if (TRUE_VALUES.includes(value)) return true
  if (FALSE_VALUES.includes(value)) return false
  throw new FormError(BOOLEAN_FORM)
}

export function parseInteger(value: string, min: number, max: number): number {
  const expected =
    max === Number.MAX_SAFE_INTEGER ? `an integer of at least ${min}` : `an integer from ${min} to ${max}`
  if (!/^[0-9]+$/.test(value)) throw new FormError(expected)
  const n = Number(value)
  if (!Number.isSafeInteger(n) || n < min || n > max) throw new FormError(expected)
  return n
}

export const DURATION_FORM = 'a duration like 500ms, 3s, 2m, 1m30s or a number of seconds'
const DURATION_RE =
  /^(?:(?<h>\d+(?:\.\d+)?)h)?(?:(?<m>\d+(?:\.\d+)?)m)?(?:(?<s>\d+(?:\.\d+)?)s)?(?:(?<ms>\d+(?:\.\d+)?)ms)?$/
const MAX_DURATION_MS = 24 * 60 * 60 * 1000

/** `500ms`, `3s`, `2m`, `1m30s`, `1h`, or a bare number of seconds → milliseconds. */
export function parseDuration(value: string): number {
  let ms: number
  if (/^\d+(?:\.\d+)?$/.test(value)) {
    ms = Number(value) * 1000
  } else {
    const g = value ? DURATION_RE.exec(value)?.groups : undefined
    if (!g) throw new FormError(DURATION_FORM)
    ms = Number(g.h ?? 0) * 3_600_000 + Number(g.m ?? 0) * 60_000 + Number(g.s ?? 0) * 1000 + Number(g.ms ?? 0)
  }
  ms = Math.round(ms)
  if (ms > MAX_DURATION_MS) throw new FormError(`${DURATION_FORM}, at most 24h`)
  return ms
}

export function positiveDuration(value: string): number {
  const ms = parseDuration(value)
  if (ms <= 0) throw new FormError(`${DURATION_FORM}, greater than 0`)
  return ms
}

export function parseEnum<T extends string>(value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) throw new FormError(`one of ${allowed.join(', ')}`)
  return value as T
}

/** A parsed OCI image reference. `ref` is the original, validated string. */
export interface ImageRef {
  ref: string
  registry?: string
  name: string
  tag?: string
  digest?: string
}

export const IMAGE_FORM =
  'an image reference [registry[:port]/]name[:tag][@sha256:<64 hex>] (lowercase name, no spaces or shell characters)'
const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*'
const IMAGE_RE = new RegExp(
  '^(?:(?<registry>(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\\.(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?))*' +
    '(?::[0-9]{1,5})?|\\[[0-9a-fA-F:]+\\](?::[0-9]{1,5})?)\\/)?' +
    `(?<name>${PATH_COMPONENT}(?:\\/${PATH_COMPONENT})*)` +
    '(?::(?<tag>[\\w][\\w.-]{0,127}))?(?:@(?<digest>sha256:[0-9a-f]{64}))?$'
)

/** Parses and validates an OCI image reference. */
export function parseImage(value: string): ImageRef {
  const fail = (): FormError => new FormError(IMAGE_FORM)
  const g = IMAGE_RE.exec(value)?.groups
  if (!g?.name || value.length > 512) throw fail()
  let registry = g.registry
  let name = g.name
  // `library/nginx` has no registry: a first component is a registry only with a dot, a port, `localhost` or `[v6]`.
  if (registry && !/[.:]|^localhost$|^\[/.test(registry)) {
    if (!new RegExp(`^${PATH_COMPONENT}$`).test(registry)) throw fail()
    name = `${registry}/${name}`
    registry = undefined
  }
  const port = registry ? /:([0-9]+)$/.exec(registry)?.[1] : undefined
  if (port && (Number(port) < 1 || Number(port) > 65535)) throw fail()
  if (registry?.startsWith('[') && !isIPv6(registry.slice(1, registry.indexOf(']')))) throw fail()
  const ref: ImageRef = { ref: value, name }
  if (registry) ref.registry = registry
  if (g.tag) ref.tag = g.tag
  if (g.digest) ref.digest = g.digest
  return ref
}

const LABEL_RE = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i

/** An RFC 1123 host name or a dotted-quad IPv4 address. */
export function isHostName(host: string): boolean {
  if (host.length > 253) return false
  const labels = host.split('.')
  if (!labels.every((l) => LABEL_RE.test(l))) return false
  // An all-numeric last label is an IPv4 address or a typo of one, never a host name.
  if (/^[0-9]+$/.test(labels[labels.length - 1] ?? '')) return isIPv4(host)
  return true
}

/** An IPv6 address as the WHATWG URL parser accepts it inside brackets (no zone id). */
export function isIPv6(host: string): boolean {
  if (!/^[0-9a-fA-F:.]+$/.test(host) || !host.includes(':')) return false
  try {
    new URL(`http://[${host}]/`)
    return true
  } catch {
    return false
  }
}

export function isIPv4(host: string): boolean {
  const parts = host.split('.')
  return parts.length === 4 && parts.every((p) => /^(?:0|[1-9][0-9]{0,2})$/.test(p) && Number(p) <= 255)
}

export const VARIABLE_RE = /^[A-Za-z_][A-Za-z0-9_]*$/
export const VARIABLE_FORM = 'a variable name ([A-Za-z_][A-Za-z0-9_]*)'
