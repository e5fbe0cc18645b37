// Zero downtime through a real reverse proxy, on lab host h4 only: the `late` app (it listens 3 s after its start,
// like an app that needs seconds to boot) behind caddy, which finds every web container by Docker's DNS; a bounded
// load of GET /version through the proxy counts failed requests and which version answered.
//
// The action, with default inputs (update-order auto), deploys the web service start-first: 0 failed requests during
// a deploy and during an automatic rollback (new version unhealthy), while in the same run a plain `up -d` drops some.
//
// What the baselines establish, so that a start-first deploy can be judged by its failed count:
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
import fs from 'node:fs'
import path from 'node:path'
import {
  type Container,
  deploy,
  host,
  lab,
  labTests,
  projectContainers,
  report,
  sleep,
  spec,
  tag,
  target,
  waitFor
} from './helpers.js'
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
  webContainers,
  ZERO_DOWNTIME_COMPOSE
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

  /** The action on h4 alone, with default update-order, judged by the containers' own health (no URL). */
  const deployH4 = (image: string, extra: Record<string, string> = {}, options: Parameters<typeof deploy>[1] = {}) =>
    deploy({ image, 'health-check-url': '', ...extra }, { hosts: [h4()], ...options })

  test('the action (default inputs) deploys start-first through the proxy: no request fails', async () => {
    const [before] = await webContainers(h4())
    const load = startLoad(proxyUrl(h4()), { clients: 4, maxMs: 120_000, maxRequests: 50_000 })
    await sleep(1000)
    const r = await deployH4(b)
    await sleep(1000)
    const result = await load.stop()
    console.log(`action start-first deploy: ${summary(result)}`)
    expect(r.main.outputs.status).toBe('succeeded')
    expect(result.failed).toBe(0)
    expect(result.versions['late-zd-a']).toBeGreaterThan(0)
    expect(result.versions['late-zd-b']).toBeGreaterThan(0)
    expect(await throughProxy(h4())).toBe('late-zd-b')
    const after = await webContainers(h4())
    expect(after.map((c) => c.name)).toEqual(['app_web_2'])
    expect(after[0]?.id).not.toBe(before?.id)
    const log = r.main.stdout
    expect(log).toContain(
      `${spec(h4())}: proxy unchanged (its containers do not change); web start-first (can run beside its old containers)`
    )
    expect(log).toContain(`[${spec(h4())}] started app_web_2 beside app_web_1`)
    expect(target(report(r), 'h4').phases?.map((p) => p.name)).toEqual(
      expect.arrayContaining(['start', 'gate', 'switch', 'health'])
    )
  }, 240_000)

  test('new version unhealthy: the action removes its new container, the old one never stopped, no request fails', async () => {
    // A late app whose /health answers 500 (`lab up` pushes it): its healthcheck turns unhealthy after the start period.
    const bad = tag('late-unhealthy')
    const [before] = await webContainers(h4())
    const load = startLoad(proxyUrl(h4()), { clients: 4, maxMs: 120_000, maxRequests: 50_000 })
    await sleep(1000)
    const r = await deployH4(bad)
    await sleep(1000)
    const result = await load.stop()
    console.log(`action rollback before the switch: ${summary(result)}`)
    expect(r.main.outputs.status).toBe('rolled-back')
    expect(result.failed).toBe(0)
    const rep = target(report(r), 'h4')
    expect(rep.error).toMatch(/^gate: the new containers did not pass: app_web_2 is unhealthy/)
    expect(r.main.stdout).toContain(`${spec(h4())}: removed 1 new container(s); the old ones never stopped`)
    const after = await webContainers(h4())
    expect(after.map((c) => `${c.name} ${c.id} ${c.startedAt}`)).toEqual([
      `app_web_1 ${before?.id} ${before?.startedAt}`
    ])
    expect(await throughProxy(h4())).toBe('late-zd-a')
  }, 240_000)

  test('cancelled while old and new serve side by side: exactly one generation is left, serving', async () => {
    const [before] = await webContainers(h4())
    const load = startLoad(proxyUrl(h4()), { clients: 4, maxMs: 120_000, maxRequests: 50_000 })
    await sleep(1000)
    let sent = false
    const r = await deployH4(
      b,
      { 'switch-delay': '30s' },
      {
        onLine: (line, child) => {
          if (!sent && line.includes('new containers serve beside the old')) {
            sent = true
            child.kill('SIGINT')
          }
        }
      }
    )
    await sleep(1000)
    const result = await load.stop()
    console.log(`action cancelled during switch-delay: ${summary(result)}`)
    expect(sent).toBe(true)
    expect(r.main.outputs.status).toBe('rolled-back')
    expect(result.failed).toBe(0)
    const after = await webContainers(h4())
    expect(after.map((c) => `${c.name} ${c.id}`)).toEqual([`app_web_1 ${before?.id}`])
    expect(await throughProxy(h4())).toBe('late-zd-a')
  }, 240_000)

  test("auto on a real project: a fixed port, a container_name and the compose file's stop-first go stop-first; a scaled web (scale 2) never has fewer than 2 healthy containers", async () => {
    // The zero-downtime project with three more services on the same image, each held to stop-first another way.
    const compose2 = ZERO_DOWNTIME_COMPOSE.replace(
      '  web:\n    image: ${IMAGE}\n',
      '  web:\n    image: ${IMAGE}\n    scale: 2\n'
    ).replace(
      '  proxy:\n',
      [
        '  pinned:',
        '    image: ${IMAGE}',
        "    ports: ['9101:8080']",
        '    stop_grace_period: 1s',
        '  named:',
        '    image: ${IMAGE}',
        '    container_name: zd-named',
        '    stop_grace_period: 1s',
        '  ordered:',
        '    image: ${IMAGE}',
        '    stop_grace_period: 1s',
        '    deploy:',
        '      update_config:',
        '        order: stop-first',
        '  proxy:',
        ''
      ].join('\n')
    )
    expect(compose2).toContain('scale: 2')
    expect(compose2).toContain('container_name: zd-named')
    fs.writeFileSync(path.join(h4().appDir, lab().app.composeFile), compose2)
    await compose(h4(), 'up -d')
    const healthy = async (): Promise<Container[]> =>
      (await webContainers(h4())).filter((c) => c.status === 'running' && c.health === 'healthy')
    await waitFor(
      'two healthy web containers',
      async () => ((await healthy()).length === 2 ? true : undefined),
      30_000,
      200
    )
    const before = (await webContainers(h4())).map((c) => c.id)

    // A dry run's summary names each service's order from the real compose configuration (as if each changed).
    const dry = await deployH4(b, { 'dry-run': 'true' })
    expect(dry.main.outputs.status).toBe('planned')
    expect(dry.main.summary).toContain(
      `| ${spec(h4())} | named stop-first (container_name "zd-named": a second container cannot have the same name); ` +
        'ordered stop-first (deploy.update_config.order in the compose file); ' +
        'pinned stop-first (publishes host port 9101: a second container cannot bind it); ' +
        'proxy stop-first (publishes host port 8088: a second container cannot bind it); ' +
        'web start-first (can run beside its old containers) |'
    )

    // Sample the healthy web containers all along the deploy.
    let sampling = true
    let fewest = Infinity
    const sampler = (async () => {
      while (sampling) {
        fewest = Math.min(fewest, (await healthy()).length)
        await sleep(100)
      }
    })()
    const load = startLoad(proxyUrl(h4()), { clients: 4, maxMs: 180_000, maxRequests: 100_000 })
    const r = await deployH4(b)
    const result = await load.stop()
    sampling = false
    await sampler
    console.log(`action, scaled web and stop-first neighbours: ${summary(result)}; fewest healthy web: ${fewest}`)
    expect(r.main.outputs.status).toBe('succeeded')
    expect(r.main.stdout).toContain(
      `${spec(h4())}: named stop-first (container_name "zd-named": a second container cannot have the same name); ` +
        'ordered stop-first (deploy.update_config.order in the compose file); ' +
        'pinned stop-first (publishes host port 9101: a second container cannot bind it); ' +
        'proxy unchanged (its containers do not change); web start-first (can run beside its old containers)'
    )
    expect(fewest).toBeGreaterThanOrEqual(2)
    expect(result.failed).toBe(0)
    const after = await webContainers(h4())
    expect(after).toHaveLength(2)
    expect(after.filter((c) => before.includes(c.id))).toEqual([])
    expect(after.map((c) => c.version)).toEqual(['late-zd-b', 'late-zd-b'])
    const all = await projectContainers(h4())
    for (const svc of ['pinned', 'named', 'ordered']) {
      expect(all.filter((c) => c.service === svc && !c.oneoff).map((c) => c.version)).toEqual(['late-zd-b'])
    }
  }, 300_000)

  test("a web without a healthcheck is gated by container-check: a GET at each new container's own address", async () => {
    // The project as users often have it: no healthcheck at all.
    const bare = ZERO_DOWNTIME_COMPOSE.replace(/ {4}healthcheck:\n(?: {6}.*\n)+/, '')
    expect(bare).not.toContain('healthcheck')
    fs.writeFileSync(path.join(h4().appDir, lab().app.composeFile), bare)
    await compose(h4(), 'up -d')
    await waitFor('the proxy answering', async () => ((await throughProxy(h4())) ? true : undefined), 20_000, 200)
    const load = startLoad(proxyUrl(h4()), { clients: 4, maxMs: 120_000, maxRequests: 50_000 })
    await sleep(1000)
    const r = await deployH4(b, {
      'container-check': `web=${lab().app.port}${lab().app.healthPath}`,
      'switch-delay': '2s',
      'health-check-retries': '30'
    })
    await sleep(1000)
    const result = await load.stop()
    console.log(`action start-first gated by container-check: ${summary(result)}`)
    expect(r.main.outputs.status).toBe('succeeded')
    expect(result.failed).toBe(0)
    // The late app listens 3 s after its start: the probe saw it not answering first, then answering.
    expect(r.main.stdout).toMatch(/gate try 1: app_web_2: GET :8080\/health: /)
    expect(r.main.stdout).toContain('healthy (new containers running and healthy)')
    expect(await throughProxy(h4())).toBe('late-zd-b')
  }, 240_000)

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
