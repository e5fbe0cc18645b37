/**
 * How each service is replaced on a host: start-first (new containers beside the old, gated, then the old retired)
 * or stop-first (compose's own recreate). Decided per host from the facts `service_facts` (remote/lib.sh) reads off
 * the project's configuration: structure only, never a value.
 */
import type { UpdateOrder } from '../../config.js'

export interface ServiceFacts {
  service: string
  containerName?: string
  networkMode?: string
  /** `scale`, else `deploy.replicas`, else 1. */
  declaredScale: number
  /** `deploy.update_config.order`, as the compose file says it. */
  order?: string
  stopGraceMs: number
  healthcheck: 'test' | 'disable' | 'none'
  ports: string[]
  /** The first port that binds a fixed host port (two containers cannot both bind it). */
  fixedHostPort?: string
  hash?: string
}

export interface ServiceOrder {
  service: string
  order: 'start-first' | 'stop-first' | 'unchanged'
  reason: string
}

const DEFAULT_STOP_GRACE_MS = 10_000
const DURATION_PART_RE = /(\d+(?:\.\d+)?)(h|ms|m|s|us|µs|ns)/g
const UNIT_MS: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1, us: 0.001, µs: 0.001, ns: 1e-6 }

/** A compose duration (`1m30s`, `500ms`, `10s`, `1h`) in ms; undefined when it is not one. */
export function parseDuration(text: string): number | undefined {
  const value = text.trim()
  if (!value) return undefined
  let total = 0
  let consumed = ''
  for (const m of value.matchAll(DURATION_PART_RE)) {
    total += Number(m[1]) * (UNIT_MS[m[2] as string] ?? 0)
    consumed += m[0]
  }
  return consumed === value ? Math.round(total) : undefined
}

/** The host port a `ports:` item binds, when it is one fixed port (not ephemeral, not a range). */
function fixedHostPort(item: string): string | undefined {
  if (item.includes('=')) {
    const fields = new Map(item.split(',').map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]))
    const published = fields.get('published') ?? ''
    return /^\d+$/.test(published) && published !== '0' ? published : undefined
  }
  // [[ip:]host:]container[/proto]; an IPv6 ip is in brackets.
  const spec = item.replace(/\/\w+$/, '').replace(/^\[[^\]]*\]:/, '')
  const parts = spec.split(':')
  if (parts.length < 2) return undefined
  const host = parts[parts.length - 2] as string
  return /^\d+$/.test(host) && host !== '0' ? host : undefined
}

/** Parses `service<TAB>key<TAB>value` lines into facts per service. */
export function parseServiceFacts(text: string): Map<string, ServiceFacts> {
  const facts = new Map<string, ServiceFacts>()
  const raw = new Map<string, { scale?: number; replicas?: number }>()
  for (const line of text.split('\n')) {
    const [service, key, ...rest] = line.split('\t')
    if (!service || !key) continue
    const value = rest.join('\t')
    let f = facts.get(service)
    if (!f) {
      f = { service, declaredScale: 1, stopGraceMs: DEFAULT_STOP_GRACE_MS, healthcheck: 'none', ports: [] }
      facts.set(service, f)
      raw.set(service, {})
    }
    const counts = raw.get(service) as { scale?: number; replicas?: number }
    switch (key) {
      case 'container_name':
        if (value) f.containerName = value
        break
      case 'network_mode':
        if (value) f.networkMode = value
        break
      case 'scale':
      case 'replicas': {
        const n = Number(value)
        if (Number.isInteger(n) && n >= 0) counts[key] = n
        break
      }
      case 'order':
        if (value) f.order = value
        break
      case 'stop_grace_period':
        f.stopGraceMs = parseDuration(value) ?? DEFAULT_STOP_GRACE_MS
        break
      case 'healthcheck':
        f.healthcheck = value === 'disable' ? 'disable' : 'test'
        break
      case 'port': {
        f.ports.push(value)
        const port = fixedHostPort(value)
        if (port && !f.fixedHostPort) f.fixedHostPort = port
        break
      }
      case 'hash':
        f.hash = value
        break
    }
  }
  for (const [service, counts] of raw) {
    const f = facts.get(service) as ServiceFacts
    f.declaredScale = counts.scale ?? counts.replicas ?? 1
  }
  return facts
}

/** Why the service cannot run twice side by side, or undefined when it can. */
function cannotRunTwice(f: ServiceFacts, oneShot: boolean): string | undefined {
  if (oneShot) return 'runs once and exits'
  if (f.containerName) return `container_name "${f.containerName}": a second container cannot have the same name`
  if (f.fixedHostPort) return `publishes host port ${f.fixedHostPort}: a second container cannot bind it`
  if (f.networkMode === 'host') return 'network_mode host: a second container would bind the same ports'
  if (f.declaredScale === 0) return 'scaled to 0'
  return undefined
}

export interface DecideOptions {
  /** The services the deploy changes; undefined (a dry run): decided as if every service changes. */
  changed?: ReadonlySet<string>
  /** One-shot services (their container exited with code 0 before the deploy). */
  oneShot?: ReadonlySet<string>
  /** The deploy's scope (`compose-services`); empty: every service. */
  services?: readonly string[]
}

/** Each service's order on a host, sorted by name. */
export function decideOrders(
  input: UpdateOrder,
  facts: ReadonlyMap<string, ServiceFacts>,
  options: DecideOptions = {}
): ServiceOrder[] {
  const scope = options.services?.length ? new Set(options.services) : undefined
  const orders: ServiceOrder[] = []
  for (const f of [...facts.values()].sort((a, b) => a.service.localeCompare(b.service))) {
    if (scope && !scope.has(f.service)) continue
    if (options.changed && !options.changed.has(f.service)) {
      orders.push({ service: f.service, order: 'unchanged', reason: 'its containers do not change' })
      continue
    }
    const fromCompose = f.order === 'start-first' || f.order === 'stop-first' ? f.order : undefined
    const wanted = fromCompose ?? (input === 'stop-first' ? 'stop-first' : 'start-first')
    const blocked = cannotRunTwice(f, options.oneShot?.has(f.service) ?? false)
    if (blocked) {
      const asked = wanted === 'start-first' && (fromCompose || input === 'start-first')
      const why = fromCompose ? 'deploy.update_config.order' : 'update-order'
      orders.push({
        service: f.service,
        order: 'stop-first',
        reason: asked ? `${blocked}; ${why} start-first cannot apply` : blocked
      })
      continue
    }
    const reason = fromCompose
      ? 'deploy.update_config.order in the compose file'
      : input === 'auto'
        ? 'can run beside its old containers'
        : `update-order: ${input}`
    orders.push({ service: f.service, order: wanted, reason })
  }
  return orders
}
