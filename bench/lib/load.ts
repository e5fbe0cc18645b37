/**
 * A bounded HTTP load for the lab benchmarks: a few clients GET one URL back to back and count what they got, until
 * `stop()`, `maxRequests` or `maxMs`, whichever comes first. It sends only to an address inside the lab's subnet.
 */

export interface LoadOptions {
  /** The lab's subnet (`network.subnet` of the address book): the URL's host must lie inside it. */
  subnet: string
  /** Concurrent clients, each sending one request at a time (default 4). */
  clients?: number
  /** At most this many requests in all (default 50,000). */
  maxRequests?: number
  /** Stops by itself this long after the start (default 120 s). */
  maxMs?: number
  /** A request without a complete answer after this long fails (default 3 s). */
  timeoutMs?: number
  /** Each client's pause between two requests (default 10 ms), so the 2 shared cores still run the deploy. */
  pauseMs?: number
}

export interface LoadResult {
  ok: number
  /** Non-2xx answers, network errors and timeouts. */
  failed: number
  /** The first few failures: `+<ms since start> <status or error>`. */
  firstErrors: string[]
  /** Bodies (trimmed) of the 2xx answers and how often each came back: for GET /version, who served. */
  versions: Record<string, number>
  elapsedMs: number
}

export interface Load {
  /** Stops sending, waits for the requests in flight and returns the counts (the same result on every call). */
  stop(): Promise<LoadResult>
  /** Resolves when the load stopped by itself (a bound was reached) or after `stop()`. */
  done: Promise<LoadResult>
}

const FIRST_ERRORS = 10

/** Whether an IPv4 address lies inside a CIDR (`10.213.0.0/20`). */
export function insideCidr(address: string, cidr: string): boolean {
  const toNumber = (ip: string): number | undefined => {
    const parts = ip.split('.').map(Number)
    if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) return undefined
    return parts.reduce((n, p) => n * 256 + p, 0)
  }
  const [base = '', bits = ''] = cidr.split('/')
  const ip = toNumber(address)
  const net = toNumber(base)
  const prefix = bits === '' ? Number.NaN : Number(bits)
  if (ip === undefined || net === undefined || !Number.isInteger(prefix) || prefix < 0 || prefix > 32) return false
  const size = 2 ** (32 - prefix)
  return Math.floor(ip / size) === Math.floor(net / size)
}

/** Throws unless `url` is plain http to an address inside `subnet`. */
export function assertLabUrl(url: string, subnet: string): URL {
  const target = new URL(url)
  if (target.protocol !== 'http:' || !insideCidr(target.hostname, subnet)) {
    throw new Error(`Refusing to send to ${url}: not an http URL of an address inside the lab's subnet ${subnet}`)
  }
  return target
}

function errorText(error: unknown): string {
  const { name, message, cause } = (error ?? {}) as { name?: unknown; message?: unknown; cause?: unknown }
  if (name === 'TimeoutError') return 'timeout'
  const { code } = (cause ?? {}) as { code?: unknown }
  const text = typeof message === 'string' ? message : String(error)
  return typeof code === 'string' ? `${text} (${code})` : text
}

/** Starts `clients` loops of GET `url`; throws before sending anything when the URL is not a lab address. */
export function startLoad(url: string, options: LoadOptions): Load {
  const { subnet, clients = 4, maxRequests = 50_000, maxMs = 120_000, timeoutMs = 3000, pauseMs = 10 } = options
  const target = assertLabUrl(url, subnet)
  const start = Date.now()
  const result: LoadResult = { ok: 0, failed: 0, firstErrors: [], versions: {}, elapsedMs: 0 }
  let sent = 0
  let stopping = false

  const fail = (what: string): void => {
    result.failed++
    if (result.firstErrors.length < FIRST_ERRORS) result.firstErrors.push(`+${Date.now() - start} ${what}`)
  }

  const client = async (): Promise<void> => {
    while (!stopping && sent < maxRequests && Date.now() - start < maxMs) {
      sent++
      try {
        const response = await fetch(target, { signal: AbortSignal.timeout(timeoutMs) })
        const body = (await response.text()).trim()
        if (response.ok) {
          result.ok++
          result.versions[body] = (result.versions[body] ?? 0) + 1
        } else {
          fail(`${response.status} ${body.slice(0, 80)}`)
        }
      } catch (error) {
        fail(errorText(error))
      }
      if (pauseMs > 0) await new Promise((resolve) => setTimeout(resolve, pauseMs))
    }
  }

  const done = Promise.all(Array.from({ length: clients }, () => client())).then(() => {
    stopping = true
    result.elapsedMs = Date.now() - start
    return result
  })
  return {
    done,
    stop: () => {
      stopping = true
      return done
    }
  }
}

/** What `url` answers now (trimmed body of a 2xx within 2 s), or undefined. Checks the URL like `startLoad`. */
export async function fetchText(url: string, subnet: string): Promise<string | undefined> {
  const target = assertLabUrl(url, subnet)
  try {
    const response = await fetch(target, { signal: AbortSignal.timeout(2000) })
    const body = (await response.text()).trim()
    return response.ok ? body : undefined
  } catch {
    return undefined
  }
}
