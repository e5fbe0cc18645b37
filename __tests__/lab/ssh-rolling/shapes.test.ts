// ssh-rolling on the real lab, on the Compose projects users really have rather than the starter one: services
// without a healthcheck, depends_on chains, a database the deploy must leave alone, container_name, published
// ports, profiles, env_file, build beside image, one-off `run` containers. Each test rewrites one host's /app;
// resetFleet puts the starter project back.
// The lab has compose v1 (1.29.2) only: compose v2 cannot be installed on this machine (not in Debian 12, not on
// npm), so none of this runs against v2 here.
import fs from 'node:fs'
import path from 'node:path'
import type { LabHost } from '../../../lab/address-book.js'
import {
  type Container,
  deploy,
  docker,
  host,
  hostExec,
  hostState,
  knownHostsText,
  lab,
  labScript,
  labTests,
  on,
  projectContainers,
  settled,
  sh,
  spec,
  STARTER_COMPOSE,
  report,
  tag,
  target,
  V1,
  V2,
  waitFor
} from './helpers.js'

/** The one service container (not one-off) of `service`; fails when there is not exactly one. */
async function only(h: LabHost, service: string): Promise<Container> {
  const found = (await projectContainers(h)).filter((b) => b.service === service && !b.oneoff)
  if (found.length !== 1) throw new Error(`${h.name}: ${found.length} containers of ${service}`)
  return found[0] as Container
}

/**
 * Replaces the host's project with `compose` (and `.env`, plus any `files`), brings it up as its user would and
 * waits until every started container runs (and is healthy where it has a healthcheck).
 */
async function useProject(h: LabHost, compose: string, files: Record<string, string> = {}): Promise<void> {
  // The starter's web holds port 8080 in the host's network namespace: down first, with the starter file.
  await hostExec(h, 'cd /app && docker compose down -t 1 --remove-orphans', 90_000)
  fs.writeFileSync(path.join(h.appDir, 'compose.yaml'), compose)
  fs.writeFileSync(path.join(h.appDir, '.env'), `IMAGE=${V1()}\n`)
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(h.appDir, name)), { recursive: true })
    fs.writeFileSync(path.join(h.appDir, name), text)
  }
  // Pulled first, as its user would: a tag moved in the registry (beforeAll pushes db and worker) is what the host runs.
  await hostExec(h, 'cd /app && docker compose pull -q && docker compose up -d', 90_000)
  await waitFor(
    `${h.name}: the project up`,
    async () => {
      const all = (await projectContainers(h)).filter((b) => !b.oneoff)
      // A one-shot service (`migrate`) has done its work when it exited.
      const ready = (b: Container): boolean =>
        b.status === 'running' ? ['', 'healthy'].includes(b.health) : b.service === 'migrate' && b.status === 'exited'
      return all.length && all.every(ready) ? true : undefined
    },
    30_000,
    300
  )
}

/** Id and start time of a container: what a recreate or restart would change. */
const identity = (b: Container): string => `${b.id} ${b.startedAt}`

// The app listens on 8080 (network_mode: host, reachable from the runner); other services on the lab's bridge-less
// dockerd still get compose's default network (a user-defined bridge works; only the default docker0 is off).
const WEB = `
  web:
    image: \${IMAGE}
    network_mode: host
    stop_grace_period: 1s`

/** A database stand-in (the lab app on 5432) with a named volume and a healthcheck, on compose's default network. */
const DB = (): string => `
  db:
    image: ${tag('db')}
    environment:
      PORT: '5432'
    volumes:
      - dbdata:/data
    stop_grace_period: 1s
    healthcheck:
      test: ['CMD', 'wget', '-q', '-O-', 'http://127.0.0.1:5432/health']
      interval: 1s
      timeout: 2s
      retries: 2`

const WORKER = (): string => `
  worker:
    image: ${tag('worker')}
    environment:
      PORT: '9000'
    stop_grace_period: 1s`

/** The container check only: no health-check-url (deployInputs sets one by default). */
const CONTAINER_CHECK = { 'health-check-url': '' }

labTests(() => {
  const h1 = (): LabHost => host('h1')

  beforeAll(async () => {
    // Images for the services that are not the app: fixed tags, never deployed.
    await labScript('push.sh', 'db', 'db')
    await labScript('push.sh', 'worker', 'worker')
  }, 60_000)

  test('no healthcheck in the project: the container check passes on a running v2, and a crashing v2 rolls back to v1', async () => {
    await useProject(h1(), `services:${WEB}\n`)
    const before = await only(h1(), 'web')
    expect(before.health).toBe('')

    const ok = await deploy(CONTAINER_CHECK, { hosts: [h1()] })
    expect(ok.main.exitCode).toBe(0)
    expect(target(report(ok), 'h1')).toMatchObject({ outcome: 'deployed', before: V1(), after: V2() })
    expect(ok.main.stdout).toContain('healthy (all containers running and healthy)')
    const v2 = await only(h1(), 'web')
    expect({ version: v2.version, status: v2.status, health: v2.health }).toEqual({
      version: 'v2',
      status: 'running',
      health: ''
    })

    const bad = await deploy({ ...CONTAINER_CHECK, image: tag('crash') }, { hosts: [h1()] })
    expect(bad.main.exitCode).toBe(1)
    const t = target(report(bad), 'h1')
    expect(t.outcome).toBe('rolled-back')
    expect(t.error).toMatch(/app_web_1 is exited/)
    const back = await only(h1(), 'web')
    expect({ version: back.version, status: back.status }).toEqual({ version: 'v2', status: 'running' })
    expect(fs.readFileSync(path.join(h1().appDir, '.env'), 'utf8')).toBe(`IMAGE=${V2()}\n`)
  })
  test('depends_on (service_healthy, service_started): only web, the service using ${IMAGE}, is recreated; db and worker keep running untouched', async () => {
    await useProject(
      h1(),
      `services:${WEB}
    depends_on:
      db:
        condition: service_healthy
      worker:
        condition: service_started
${DB()}
${WORKER()}
volumes:
  dbdata: {}
`
    )
    const db = await only(h1(), 'db')
    const worker = await only(h1(), 'worker')
    const r = await deploy({}, { hosts: [h1()] })
    expect(r.main.exitCode).toBe(0)
    expect(target(report(r), 'h1')).toMatchObject({ outcome: 'deployed', before: V1(), after: V2() })
    expect((await only(h1(), 'web')).version).toBe('v2')
    expect(identity(await only(h1(), 'db'))).toBe(identity(db))
    expect(identity(await only(h1(), 'worker'))).toBe(identity(worker))
  })

  test('a database with a named volume is left alone, with compose-services: web and without it, until its own tag moves', async () => {
    await useProject(h1(), `services:${WEB}\n${DB()}\nvolumes:\n  dbdata: {}\n`)
    await docker(h1(), 'exec', 'app_db_1', 'sh', '-c', 'echo rows > /data/marker')
    const db = await only(h1(), 'db')
    const volume = await docker(h1(), 'volume', 'inspect', '--format', '{{.CreatedAt}}', 'app_dbdata')

    const named = await deploy({ 'compose-services': 'web' }, { hosts: [h1()] })
    expect(named.main.exitCode).toBe(0)
    expect((await only(h1(), 'web')).version).toBe('v2')
    expect(identity(await only(h1(), 'db'))).toBe(identity(db))

    // Without compose-services every service is pulled and `up`: compose recreates only what changed (web's image).
    const all = await deploy({ image: V1() }, { hosts: [h1()] })
    expect(all.main.exitCode).toBe(0)
    expect(target(report(all), 'h1')).toMatchObject({ outcome: 'deployed', before: V2(), after: V1() })
    expect((await only(h1(), 'web')).version).toBe('v1')
    expect(identity(await only(h1(), 'db'))).toBe(identity(db))

    // A failed deploy's rollback (all services again) leaves it alone too.
    const bad = await deploy({ image: tag('crash') }, { hosts: [h1()] })
    expect(target(report(bad), 'h1').outcome).toBe('rolled-back')
    expect((await only(h1(), 'web')).version).toBe('v1')
    expect(identity(await only(h1(), 'db'))).toBe(identity(db))

    // The db's tag moves in the registry (a new patch release of a database image). Only the named service is pulled
    // and recreated with compose-services: the db stays. Without it every service is pulled, and compose recreates
    // the db on its new image in the middle of an app deploy: that is what compose does, documented here.
    await labScript('push.sh', 'db', 'db')
    const pinned = await deploy({ 'compose-services': 'web' }, { hosts: [h1()] })
    expect(pinned.main.exitCode).toBe(0)
    expect(identity(await only(h1(), 'db'))).toBe(identity(db))
    const moved = await deploy({}, { hosts: [h1()] })
    expect(moved.main.exitCode).toBe(0)
    expect(moved.main.stdout).toMatch(/Recreating app_db_1/)
    const recreated = await only(h1(), 'db')
    expect(recreated.id).not.toBe(db.id)
    expect(recreated.status).toBe('running')

    expect(await docker(h1(), 'exec', 'app_db_1', 'cat', '/data/marker')).toBe('rows\n')
    expect(await docker(h1(), 'volume', 'inspect', '--format', '{{.CreatedAt}}', 'app_dbdata')).toBe(volume)
  })

  test('container_name: the named container is replaced by v2, and put back on v1 by a rollback', async () => {
    await useProject(h1(), `services:${WEB}\n    container_name: shop-web\n`)
    const r = await deploy({}, { hosts: [h1()] })
    expect(r.main.exitCode).toBe(0)
    const v2 = await only(h1(), 'web')
    expect({ name: v2.name, version: v2.version, status: v2.status }).toEqual({
      name: 'shop-web',
      version: 'v2',
      status: 'running'
    })
    const bad = await deploy({ image: tag('unhealthy') }, { hosts: [h1()] })
    expect(target(report(bad), 'h1').outcome).toBe('rolled-back')
    const back = await only(h1(), 'web')
    expect({ name: back.name, version: back.version, status: back.status }).toEqual({
      name: 'shop-web',
      version: 'v2',
      status: 'running'
    })
  })

  test('a fixed published port (ports: 8080:8080 on the default network): the new container takes the port over', async () => {
    // The lab's dockerd has no iptables and no userland proxy: a published port is bound in the container's
    // configuration but unreachable, so the gate is the container check and reachability is not tested here.
    await useProject(
      h1(),
      `services:
  web:
    image: \${IMAGE}
    ports:
      - '8080:8080'
    stop_grace_period: 1s
`
    )
    const before = await only(h1(), 'web')
    const r = await deploy(CONTAINER_CHECK, { hosts: [h1()] })
    expect(r.main.exitCode).toBe(0)
    const after = await only(h1(), 'web')
    expect(after.id).not.toBe(before.id)
    expect({ version: after.version, status: after.status }).toEqual({ version: 'v2', status: 'running' })
    const ports = await docker(h1(), 'inspect', '--format', '{{json .HostConfig.PortBindings}}', after.id)
    expect(JSON.parse(ports)).toEqual({ '8080/tcp': [{ HostIp: '', HostPort: '8080' }] })
  })

  test('profiles: a service under an inactive profile (its tag never pushed) is neither pulled, started nor required', async () => {
    await useProject(
      h1(),
      `services:${WEB}
  debug:
    image: ${tag('never-pushed')}
    profiles: ['debug']
`
    )
    for (const inputs of [{}, CONTAINER_CHECK]) {
      const r = await deploy({ ...inputs, image: V2() }, { hosts: [h1()] })
      expect({ exit: r.main.exitCode, outcome: target(report(r), 'h1').outcome }).toEqual({
        exit: 0,
        outcome: 'deployed'
      })
      expect((await projectContainers(h1())).map((b) => `${b.service} ${b.version} ${b.status}`)).toEqual([
        'web v2 running'
      ])
      fs.writeFileSync(path.join(h1().appDir, '.env'), `IMAGE=${V1()}\n`)
    }
  })

  test('env_file on the service and more variables in .env: the container gets them, .env keeps them', async () => {
    const env = `# shop settings\nIMAGE=${V1()}\nTZ=Europe/Berlin\nexport REPLICAS=2\n`
    await useProject(h1(), `services:${WEB}\n    env_file: [web.env]\n    environment:\n      TZ: \${TZ}\n`, {
      'web.env': 'GREETING=hello world\n'
    })
    fs.writeFileSync(path.join(h1().appDir, '.env'), env)
    const r = await deploy({}, { hosts: [h1()] })
    expect(r.main.exitCode).toBe(0)
    const web = await only(h1(), 'web')
    expect(web.version).toBe('v2')
    const vars = JSON.parse(await docker(h1(), 'inspect', '--format', '{{json .Config.Env}}', web.id)) as string[]
    expect(vars).toEqual(expect.arrayContaining(['GREETING=hello world', 'TZ=Europe/Berlin']))
    expect(fs.readFileSync(path.join(h1().appDir, '.env'), 'utf8')).toBe(env.replace(V1(), V2()))
  })

  test('build: beside image: the pulled v2 runs, nothing is built', async () => {
    // A build would fail: the base image does not exist anywhere.
    await useProject(h1(), `services:${WEB}\n    build: ./web\n`, {
      'web/Dockerfile': 'FROM 10.213.0.5:5000/lab/no-such-base:1\nRUN false\n'
    })
    const images = await docker(h1(), 'images', '-a', '-q', '--no-trunc')
    const r = await deploy({}, { hosts: [h1()] })
    expect(r.main.exitCode).toBe(0)
    expect(target(report(r), 'h1')).toMatchObject({ outcome: 'deployed', after: V2() })
    const web = await only(h1(), 'web')
    expect({ image: web.image, version: web.version }).toEqual({ image: V2(), version: 'v2' })
    expect(r.main.stdout).not.toMatch(/Building web|Step 1\/2/)
    // No image was added but v2, pulled (h1 may have it from an earlier test already).
    const v2 = (await docker(h1(), 'image', 'inspect', '--format', '{{.Id}}', V2())).trim()
    const added = (await docker(h1(), 'images', '-a', '-q', '--no-trunc'))
      .split('\n')
      .filter((id) => id && id !== v2 && !images.includes(id))
    expect(added).toEqual([])
  })

  test('one-off `compose run` containers left around (exited, one of them failed) do not fail the health check or the backup', async () => {
    // Compose v1 cannot `run` a network_mode: host service (it links the one-off to the project), so this web is on
    // compose's default network, with the starter's healthcheck; the gate is the container check.
    await useProject(
      h1(),
      STARTER_COMPOSE.replace(/^ *network_mode: host\n/m, '').replace(/^ *# The app listens.*\n/m, '')
    )
    await hostExec(
      h1(),
      "cd /app && docker compose run -T web true && { docker compose run -T web sh -c 'exit 3' || true; }",
      60_000
    )
    const oneoffs = (await projectContainers(h1())).filter((b) => b.oneoff)
    expect(oneoffs.map((b) => b.status)).toEqual(['exited', 'exited'])
    const web = await only(h1(), 'web')
    const v1Id = (await docker(h1(), 'inspect', '--format', '{{.Image}}', web.id)).trim()
    const r = await deploy(CONTAINER_CHECK, { hosts: [h1()] })
    expect(r.main.exitCode).toBe(0)
    expect((await only(h1(), 'web')).version).toBe('v2')
    // The backup records web's image once: the image the service ran, not a one-off's.
    const backups = path.join(h1().appDir, '.deploy', 'backups')
    const [backup = ''] = fs.readdirSync(backups)
    expect(fs.readFileSync(path.join(backups, backup, 'images'), 'utf8')).toBe(`web\t${v1Id}\t${V1()}\n`)
    // Still there, as the user left them.
    expect(
      (await projectContainers(h1()))
        .filter((b) => b.oneoff)
        .map((b) => b.id)
        .sort()
    ).toEqual(oneoffs.map((b) => b.id).sort())
  })

  test('an SSH user who is not root but in the docker group: deploys, rolls back, and owns what it writes', async () => {
    const h3 = host('h3')
    const user = lab().dockerUser
    const as: LabHost = { ...h3, user }
    // The user's /app, as on a real host (the lab's hosts give /app to root).
    await sh(`chown -R ${user}: ${h3.appDir}`)
    try {
      const r = await deploy({}, { hosts: [as] })
      expect(r.main.exitCode).toBe(0)
      expect(report(r).targets).toEqual([
        expect.objectContaining({ name: `${user}@${h3.address}`, outcome: 'deployed', after: V2() })
      ])
      const after = await hostState(h3)
      expect(after.web?.version).toBe('v2')
      expect({ mode: after.envMode, locked: after.locked, audit: after.audit.length }).toEqual({
        mode: 0o600,
        locked: false,
        audit: 1
      })
      const uid = Number((await sh(`id -u ${user}`)).trim())
      for (const f of ['.env', '.deploy', `.deploy/backups/${after.backups[0] ?? ''}`])
        expect(`${f}: ${fs.statSync(path.join(h3.appDir, f)).uid}`).toBe(`${f}: ${uid}`)

      const bad = await deploy({ image: tag('unhealthy') }, { hosts: [as] })
      expect(report(bad).targets[0]?.outcome).toBe('rolled-back')
      expect((await hostState(h3)).web?.version).toBe('v2')
    } finally {
      await sh(`chown -R root:root ${h3.appDir}`)
    }
  })

  test('a host whose sh is busybox ash next to one with dash: both deploy, both roll back', async () => {
    const [h1, h2] = [host('h1'), host('h2')]
    const ashPort = h1.ashPort ?? 0
    // The same sshd on another port, where busybox comes first in PATH as `sh`: a host of its own to the action.
    const ash: LabHost = { ...h1, port: ashPort }
    const knownHosts =
      knownHostsText() +
      Object.values(h1.hostKeys)
        .map((key) => `[${h1.address}]:${ashPort} ${key}\n`)
        .join('')
    const which = `echo "sh is $(readlink /proc/$$/exe)"`
    const r = await deploy(
      { 'batch-size': '2', 'ssh-known-hosts': knownHosts, 'pre-deploy-command': which },
      { hosts: [ash, h2] }
    )
    expect(r.main.exitCode).toBe(0)
    expect(r.main.stdout).toMatch(new RegExp(`\\[${spec(ash)}\\] sh is /usr/bin/busybox`))
    expect(r.main.stdout).toMatch(new RegExp(`\\[${spec(h2)}\\] sh is /usr/bin/dash`))
    expect(report(r).targets.map((t) => t.outcome)).toEqual(['deployed', 'deployed'])
    expect(await settled()).toMatchObject({ h1: on('v2'), h2: on('v2') })

    const bad = await deploy(
      { 'batch-size': '2', 'ssh-known-hosts': knownHosts, image: tag('unhealthy') },
      { hosts: [ash, h2] }
    )
    expect(report(bad).targets.map((t) => t.outcome)).toEqual(['rolled-back', 'rolled-back'])
    expect(await settled()).toMatchObject({ h1: on('v2'), h2: on('v2') })
    expect((await hostState(h1)).audit.map((a) => a.outcome)).toEqual(['deployed', 'rolled-back'])
  })

  test('a one-shot service (migrations) that ran and exited 0 before web started: the container check passes', async () => {
    await useProject(
      h1(),
      `services:${WEB}
    depends_on:
      migrate:
        condition: service_completed_successfully
  migrate:
    image: ${tag('worker')}
    command: ['true']
`
    )
    const migrate = (await projectContainers(h1())).find((b) => b.service === 'migrate')
    expect(migrate?.status).toBe('exited')
    const r = await deploy(CONTAINER_CHECK, { hosts: [h1()] })
    expect({ exit: r.main.exitCode, outcome: target(report(r), 'h1').outcome }).toEqual({
      exit: 0,
      outcome: 'deployed'
    })
    expect((await only(h1(), 'web')).version).toBe('v2')
  })
})
