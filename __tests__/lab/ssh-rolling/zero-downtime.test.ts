// Zero downtime through a real reverse proxy, on lab host h4 only: the `late` app (it listens 3 s after its start,
// like an app that needs seconds to boot) behind caddy, which finds every web container by Docker's DNS; a bounded
// load of GET /version through the proxy counts failed requests and which version answered.
//
// What these tests establish, so that a later start-first deploy can be judged by its failed count:
// - with no deploy, the load fails nothing (so 0 later means something);
// - a plain `docker compose up -d` to a new version (stop the old container, start the new one) drops requests
//   (measured: 7-12 of ~1200 at 4 clients, while nothing listens for ~3 s);
// - compose v1 can do start-first by hand: `up -d --no-deps --no-recreate --scale web=2 web` after changing .env
//   creates app_web_2 from the new image and leaves app_web_1 untouched; once app_web_2 is healthy and caddy has had
//   ~2 s to find it, `docker stop -t 1 app_web_1 && docker rm app_web_1` retires the old one (measured: 0 failed of
//   ~2000, every run). A plain `docker compose up -d` afterwards leaves app_web_2 alone (same id, same start time:
//   its config matches .env) and does not rename it; the next start-first's container is app_web_3 (compose v1
//   numbers after the highest one), so container names do not stay `_1`.
import type { LabHost } from '../../../lab/address-book.js'
import { host, labTests, sleep } from './helpers.js'
import { type LoadResult, startLoad } from './load.js'
import {
  compose,
  prepareZeroDowntime,
  proxyUrl,
  pushLate,
  setImage,
  startFirstByHand,
  throughProxy,
  useZeroDowntimeProject,
  waitWebHealthy,
  webContainers
} from './zero-downtime-project.js'

const summary = (r: LoadResult): string =>
  `ok ${r.ok}, failed ${r.failed} in ${r.elapsedMs} ms; versions ${JSON.stringify(r.versions)}; ` +
  `first errors ${JSON.stringify(r.firstErrors)}`

labTests({ resetEach: false, hosts: ['h4'] }, () => {
  const h4 = (): LabHost => host('h4')
  let a = ''
  let b = ''

  beforeAll(async () => {
    await prepareZeroDowntime(h4())
    // Tags only these tests use, so moving them disturbs nobody.
    a = await pushLate('zd-a')
    b = await pushLate('zd-b')
  }, 60_000)

  beforeEach(() => useZeroDowntimeProject(h4(), a, 'late-zd-a'), 120_000)

  test('with no deploy, 4 clients through the proxy for 4 s fail no request', async () => {
    const result = await startLoad(proxyUrl(h4()), { clients: 4, maxMs: 4000 }).done
    console.log(`no deploy: ${summary(result)}`)
    expect(result.failed).toBe(0)
    expect(result.ok).toBeGreaterThan(20)
    expect(result.versions).toEqual({ 'late-zd-a': result.ok })
  })

  test('a plain `docker compose up -d` to a new version drops requests through the proxy', async () => {
    const load = startLoad(proxyUrl(h4()), { clients: 4, maxMs: 60_000 })
    await sleep(1000)
    // What a user does: edit .env, pull, up.
    setImage(h4(), b)
    await compose(h4(), 'pull -q')
    await compose(h4(), 'up -d')
    const [web] = await webContainers(h4())
    await waitWebHealthy(h4(), web?.id ?? '')
    await sleep(1000)
    const result = await load.stop()
    console.log(`plain up -d: ${summary(result)}`)
    expect(result.failed).toBeGreaterThan(0)
    expect(result.versions['late-zd-a']).toBeGreaterThan(0)
    expect(result.versions['late-zd-b']).toBeGreaterThan(0)
    expect(await throughProxy(h4())).toBe('late-zd-b')
  })

  test('compose v1 start-first by hand (scale to 2, wait for health, retire the old one) drops no request', async () => {
    const load = startLoad(proxyUrl(h4()), { clients: 4, maxMs: 60_000 })
    await sleep(1000)
    const step = await startFirstByHand(h4(), b)
    await sleep(1000)
    const result = await load.stop()
    console.log(`start-first by hand: ${summary(result)}`)
    expect({ old: step.old.name, new: step.new.name, version: step.new.version }).toEqual({
      old: 'app_web_1',
      new: 'app_web_2',
      version: 'late-zd-b'
    })
    expect(result.failed).toBe(0)
    expect(result.versions['late-zd-a']).toBeGreaterThan(0)
    expect(result.versions['late-zd-b']).toBeGreaterThan(0)

    // A plain `up -d` afterwards neither recreates nor renames the new container.
    await compose(h4(), 'up -d')
    const after = await webContainers(h4())
    expect(after.map((c) => `${c.name} ${c.id} ${c.startedAt} ${c.status}`)).toEqual([
      `app_web_2 ${step.new.id} ${step.new.startedAt} running`
    ])
    expect(await throughProxy(h4())).toBe('late-zd-b')

    // The next start-first (back to a) numbers its container after the highest one.
    const back = await startFirstByHand(h4(), a)
    expect({ old: back.old.name, new: back.new.name, version: back.new.version }).toEqual({
      old: 'app_web_2',
      new: 'app_web_3',
      version: 'late-zd-a'
    })
    expect((await webContainers(h4())).map((c) => c.name)).toEqual([back.new.name])
  })
})
