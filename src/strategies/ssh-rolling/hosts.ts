/** SSH targets as users write them: `[user@]host[:port]`, IPv6 in brackets; and the key that makes two the same. */
import { FormError, isHostName, isIPv6 } from '../../inputs/forms.js'

export const HOST_FORM = '[user@]host[:port]'
export const USER_RE = /^[a-z_][a-z0-9_.-]*$/i

function parsePort(text: string): number {
  const n = /^[0-9]{1,5}$/.test(text) ? Number(text) : NaN
  if (!(n >= 1 && n <= 65535)) throw new FormError(`${HOST_FORM} with a port from 1 to 65535`)
  return n
}

export interface HostSpec {
  user?: string
  host: string
  port?: number
}

/** `[user@]host[:port]`, IPv6 as `[addr]` or `[addr]:port`. */
export function parseHostSpec(spec: string): HostSpec {
  const atIndex = spec.lastIndexOf('@')
  const user = atIndex >= 0 ? spec.slice(0, atIndex) : undefined
  const rest = atIndex >= 0 ? spec.slice(atIndex + 1) : spec
  if (user !== undefined && !USER_RE.test(user)) {
    throw new FormError(`${HOST_FORM} with a user name matching [a-z_][a-z0-9_.-]*`)
  }
  let host: string
  let port: number | undefined
  const v6 = /^\[([^\]]*)\](?::(.*))?$/.exec(rest)
  if (v6) {
    host = v6[1] ?? ''
    if (!isIPv6(host)) throw new FormError(`${HOST_FORM} with a valid IPv6 address in brackets ([2001:db8::1]:22)`)
    if (v6[2] !== undefined) port = parsePort(v6[2])
  } else {
    const colons = rest.split(':').length - 1
    if (colons > 1) throw new FormError(`${HOST_FORM} with IPv6 addresses in brackets ([2001:db8::1]:22)`)
    const [name = '', portText] = rest.split(':')
    if (!isHostName(name)) {
      throw new FormError(`${HOST_FORM} with an RFC 1123 host name, an IPv4 address or an [IPv6] address`)
    }
    host = name
    if (portText !== undefined) port = parsePort(portText)
  }
  const parsed: HostSpec = { host }
  if (user !== undefined) parsed.user = user
  if (port !== undefined) parsed.port = port
  return parsed
}

/** A key that identifies one SSH endpoint: case-insensitive names, canonical IPv6. */
export function endpointKey(host: string, port: number): string {
  const canonical = isIPv6(host) ? new URL(`http://[${host}]/`).hostname : host.toLowerCase()
  return `${canonical}#${port}`
}
