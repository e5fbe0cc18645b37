/** Update orders: the service facts a host reports, compose durations, and the start-first / stop-first decision. */
import {
  decideOrders,
  parseDuration,
  parseServiceFacts,
  type ServiceFacts
} from '../../../src/strategies/ssh-rolling/update-order.js'

const facts = (...lines: string[]): Map<string, ServiceFacts> =>
  parseServiceFacts(lines.map((l) => l.split(' | ').join('\t')).join('\n') + '\n')

describe('parseDuration', () => {
  test.each([
    ['1m30s', 90_000],
    ['500ms', 500],
    ['2s', 2000],
    ['1h', 3_600_000],
    ['1h2m3s', 3_723_000],
    ['1.5s', 1500],
    ['1m0s', 60_000],
    ['250us', 0],
    [' 20s ', 20_000],
    ['0', 0]
  ])('%s is %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms)
  })

  test.each(['', '10', 's', '1x', '1m30', '-1s', '1 s', 'soon'])('%j is not a duration', (text) => {
    expect(parseDuration(text)).toBeUndefined()
  })
})

describe('parseServiceFacts', () => {
  test('reads every key of a service; a service with no other line gets the defaults', () => {
    const parsed = facts(
      'web | service | ',
      'web | container_name | web-1',
      'web | network_mode | bridge',
      'web | scale | 3',
      'web | replicas | 2',
      'web | order | start-first',
      'web | stop_grace_period | 1m30s',
      'web | healthcheck | test',
      'web | port | 9090',
      'web | port | published=8080,target=80,protocol=tcp',
      'web | port | 127.0.0.1:7000:70/udp',
      'web | hash | 495639945 1010',
      'db | service | '
    )
    expect(parsed.get('web')).toEqual({
      service: 'web',
      containerName: 'web-1',
      networkMode: 'bridge',
      declaredScale: 3,
      order: 'start-first',
      stopGraceMs: 90_000,
      writableMounts: 0,
      healthcheck: 'test',
      ports: ['9090', 'published=8080,target=80,protocol=tcp', '127.0.0.1:7000:70/udp'],
      fixedHostPort: 'published=8080,target=80,protocol=tcp',
      hash: '495639945 1010'
    })
    expect(parsed.get('db')).toEqual({
      service: 'db',
      declaredScale: 1,
      stopGraceMs: 10_000,
      writableMounts: 0,
      healthcheck: 'none',
      ports: []
    })
    expect([...parsed.keys()]).toEqual(['web', 'db'])
  })

  test('declared scale: scale, else deploy.replicas, else 1', () => {
    const parsed = facts('a | replicas | 4', 'b | scale | 2', 'b | replicas | 5', 'c | service | ')
    expect([...parsed.values()].map((f) => f.declaredScale)).toEqual([4, 2, 1])
  })

  test('a healthcheck disabled; a stop grace period that is no duration counts as the default', () => {
    const parsed = facts('db | healthcheck | disable', 'db | stop_grace_period | whenever')
    expect(parsed.get('db')).toMatchObject({ healthcheck: 'disable', stopGraceMs: 10_000 })
  })

  test.each([
    ['8080:80', true],
    ['127.0.0.1:8080:80', true],
    ['127.0.0.1:7000:70/udp', true],
    ['[::1]:8080:80', true],
    ['published=8080,target=80', true],
    ['published=8443,target=443,host_ip=127.0.0.1,protocol=tcp', true],
    ['80', false],
    ['80/udp', false],
    ['127.0.0.1::80', false],
    ['127.0.0.1::81/tcp', false],
    ['target=80', false],
    ['target=80,host_ip=127.0.0.1,protocol=tcp', false],
    ['8000-8010:80', false],
    ['published=8000-8010,target=90', false],
    ['published=0,target=80', false]
  ])('port %s binds a fixed host port: %s', (port, fixed) => {
    expect(facts(`web | port | ${port}`).get('web')?.fixedHostPort).toBe(fixed ? port : undefined)
  })

  test('the fixed host port is the first port item that binds one', () => {
    expect(
      facts('web | port | 80', 'web | port | 8000-8010:90', 'web | port | 9000:90', 'web | port | 9001:91').get('web')
    ).toMatchObject({ fixedHostPort: '9000:90' })
  })

  test('ignores blank and malformed lines', () => {
    expect([...facts('', 'no tabs here', '\tservice\t').keys()]).toEqual([])
  })
})

describe('decideOrders', () => {
  const sample = facts(
    'web | service | ',
    'api | service | ',
    'db | container_name | db',
    'proxy | port | 80:80',
    'agent | network_mode | host',
    'migrate | service | ',
    'cron | order | stop-first',
    'queue | order | start-first'
  )
  const line = (o: { service: string; order: string; reason: string }) => `${o.service}: ${o.order} (${o.reason})`

  test('auto: start-first where a second container can run beside the first, stop-first with the reason elsewhere', () => {
    expect(decideOrders('auto', sample, { oneShot: new Set(['migrate']) }).map(line)).toEqual([
      'agent: stop-first (network_mode host: a second container would bind the same host ports)',
      'api: start-first (can run beside its old containers)',
      'cron: stop-first (deploy.update_config.order in the compose file)',
      'db: stop-first (container_name "db": a second container cannot have the same name)',
      'migrate: stop-first (runs once and exits: nothing to keep serving meanwhile)',
      'proxy: stop-first (publishes host port 80: a second container cannot bind it)',
      'queue: start-first (deploy.update_config.order in the compose file)',
      'web: start-first (can run beside its old containers)'
    ])
  })

  test('auto never puts two containers on one writable volume (a database): stop-first unless the service says so', () => {
    const withVolumes = facts(
      'db | volume | rw',
      'assets | volume | ro',
      'cache | service | ',
      'cache | volume | rw',
      'cache | order | start-first',
      'scratch | volume | tmpfs'
    )
    expect(decideOrders('auto', withVolumes).map(line)).toEqual([
      'assets: start-first (can run beside its old containers)',
      'cache: start-first (deploy.update_config.order in the compose file)',
      'db: stop-first (writes to a mounted volume, which two containers would write at once; deploy.update_config.order start-first allows it)',
      'scratch: start-first (can run beside its old containers)'
    ])
    expect(decideOrders('start-first', withVolumes).find((o) => o.service === 'db')?.order).toBe('start-first')
    expect(withVolumes.get('db')?.writableMounts).toBe(1)
    expect(withVolumes.get('assets')?.writableMounts).toBe(0)
  })

  test('update-order start-first: explicit, and said to be impossible where it cannot apply', () => {
    const orders = decideOrders('start-first', sample, { services: ['web', 'db', 'cron', 'proxy'] })
    expect(orders).toEqual([
      { service: 'cron', order: 'stop-first', reason: 'deploy.update_config.order in the compose file' },
      {
        service: 'db',
        order: 'stop-first',
        reason:
          'container_name "db": a second container cannot have the same name; update-order: start-first cannot apply'
      },
      {
        service: 'proxy',
        order: 'stop-first',
        reason: 'publishes host port 80: a second container cannot bind it; update-order: start-first cannot apply'
      },
      { service: 'web', order: 'start-first', reason: 'update-order: start-first' }
    ])
  })

  test("update-order stop-first: stop-first, except where the compose file's own order says start-first", () => {
    expect(decideOrders('stop-first', sample, { services: ['web', 'queue', 'db'] })).toEqual([
      {
        service: 'db',
        order: 'stop-first',
        reason: 'container_name "db": a second container cannot have the same name'
      },
      { service: 'queue', order: 'start-first', reason: 'deploy.update_config.order in the compose file' },
      { service: 'web', order: 'stop-first', reason: 'update-order: stop-first' }
    ])
  })

  test("the compose file's start-first cannot apply to a service that cannot run twice", () => {
    const own = facts('db | container_name | db', 'db | order | start-first', 'db | port | 5432:5432')
    expect(decideOrders('stop-first', own)).toEqual([
      {
        service: 'db',
        order: 'stop-first',
        reason:
          'container_name "db": a second container cannot have the same name; deploy.update_config.order start-first cannot apply'
      }
    ])
    const oneShot = decideOrders('auto', facts('seed | order | start-first'), { oneShot: new Set(['seed']) })
    expect(oneShot[0]?.reason).toBe(
      'runs once and exits: nothing to keep serving meanwhile; deploy.update_config.order start-first cannot apply'
    )
  })

  test('a service whose containers do not change is left as it is, whatever else holds', () => {
    const orders = decideOrders('start-first', sample, { changed: new Set(['web']), services: ['web', 'api', 'db'] })
    expect(orders.map(line)).toEqual([
      'api: unchanged (its containers do not change)',
      'db: unchanged (its containers do not change)',
      'web: start-first (update-order: start-first)'
    ])
  })

  test('changes unknown (a dry run): every service is decided as if it changed', () => {
    expect(decideOrders('auto', sample).some((o) => o.order === 'unchanged')).toBe(false)
    expect(decideOrders('auto', sample, { changed: new Set() }).every((o) => o.order === 'unchanged')).toBe(true)
  })

  test('scope: only the named services, all of them when the list is empty', () => {
    expect(decideOrders('auto', sample, { services: ['web', 'nope'] }).map((o) => o.service)).toEqual(['web'])
    expect(decideOrders('auto', sample, { services: [] })).toHaveLength(sample.size)
  })

  test('a port without a fixed host port and a network mode other than host do not stop start-first', () => {
    const free = facts('web | port | 8000-8010:80', 'web | port | 127.0.0.1::81', 'web | network_mode | bridge')
    expect(decideOrders('auto', free)).toEqual([
      { service: 'web', order: 'start-first', reason: 'can run beside its old containers' }
    ])
  })
})
