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
  deploy,
  docker,
  host,
  hostExec,
  labScript,
  labTests,
  logs,
  report,
  tag,
  target,
  V1,
  V2,
  waitFor
} from './helpers.js'

/** One container of the project, as `docker inspect` shows it. */
interface Box {
  id: string
  name: string
  service: string
  oneoff: boolean
  image: string
  version: string
  status: string
  /** '' without a healthcheck. */
  health: string
  startedAt: string
}

/** Every container of the lab's compose project `app` (one-off ones too), by docker inspect. */
async function boxes(h: LabHost): Promise<Box[]> {
  const ids = (await docker(h, 'ps', '-aq', '--filter', 'label=com.docker.compose.project=app')).split('\n')
  const format =
    '{{.Id}}\t{{.Name}}\t{{index .Config.Labels "com.docker.compose.service"}}\t' +
    '{{index .Config.Labels "com.docker.compose.oneoff"}}\t{{.Config.Image}}\t' +
    '{{index .Config.Labels "org.deploylab.version"}}\t{{.State.Status}}\t' +
    '{{if index .State "Health"}}{{.State.Health.Status}}{{end}}\t{{.State.StartedAt}}'
  const out = ids.some(Boolean) ? await docker(h, 'inspect', '--format', format, ...ids.filter(Boolean)) : ''
  return out
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [
        id = '',
        name = '',
        service = '',
        oneoff = '',
        image = '',
        version = '',
        status = '',
        health = '',
        at = ''
      ] = line.split('\t')
      return {
        id,
        name: name.replace(/^\//, ''),
        service,
        oneoff: oneoff === 'True',
        image,
        version,
        status,
        health,
        startedAt: at
      }
    })
}

/** The one service container (not one-off) of `service`; fails when there is not exactly one. */
async function only(h: LabHost, service: string): Promise<Box> {
  const found = (await boxes(h)).filter((b) => b.service === service && !b.oneoff)
  if (found.length !== 1) throw new Error(`${h.name}: ${found.length} containers of ${service}`)
  return found[0] as Box
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
  await hostExec(h, 'cd /app && docker compose up -d', 90_000)
  await waitFor(
    `${h.name}: the project up`,
    async () => {
      const all = (await boxes(h)).filter((b) => !b.oneoff)
      return all.length && all.every((b) => b.status === 'running' && ['', 'healthy'].includes(b.health))
        ? true
        : undefined
    },
    30_000,
    300
  )
}

/** Id and start time of a container: what a recreate or restart would change. */
const identity = (b: Box): string => `${b.id} ${b.startedAt}`

// The app listens on 8080 (network_mode: host, reachable from the runner); other services on the lab's bridge-less
// dockerd still get compose's default network (a user-defined bridge works; only the default docker0 is off).
const WEB = `
  web:
    image: \${IMAGE}
    network_mode: host
    stop_grace_period: 1s`

const DB = `
  db:
    image: ${'${DB_IMAGE}'}
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
})
