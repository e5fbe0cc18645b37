/**
 * The zero-downtime project on a lab host: the `late` app (listens only LATE_SECONDS, 3 s, after its start) behind a
 * caddy reverse proxy that publishes port 8088 (lab/assets/zero-downtime/compose.yaml), and the compose v1 steps a
 * user (or a start-first deploy) takes on it. Kept out of the test file so other test files can import it without
 * running its tests.
 */
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { LabHost } from '../../../lab/address-book.js'
import { type Container, hostExec, lab, labScript, projectContainers, sleep, tag, waitFor } from './helpers.js'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..')

/** The project's compose file, as `useZeroDowntimeProject` installs it in the host's /app. */
export const ZERO_DOWNTIME_COMPOSE = fs.readFileSync(
  path.join(ROOT, 'lab', 'assets', 'zero-downtime', 'compose.yaml'),
  'utf8'
)

/** The host port the proxy publishes (see the compose file). */
export const PROXY_PORT = 8088

/** The caddy image lab/caddy.sh pushes (an address book from before it existed does not name it). */
export function proxyImage(): string {
  return lab().images.proxy ?? `${lab().registry.address}/lab/caddy:2.6`
}

/** The proxy's URL for `urlPath` (default: the app's /version) on the host's lab address. */
export function proxyUrl(h: LabHost, urlPath = lab().app.versionPath): string {
  return `http://${h.address}:${PROXY_PORT}${urlPath}`
}

/**
 * Pushes (or moves) the tag `late-<word>`: the late app, answering `late-<word>` on /version (`late-unhealthy`: its
 * /health answers 500). Returns the image reference.
 */
export async function pushLate(word: string): Promise<string> {
  await labScript('push.sh', `late-${word}`, `late-${word}`)
  return tag(`late-${word}`)
}

/**
 * Pushes the proxy image (built once per machine, then ≈ 0.2 s) and checks that the host's dockerd serves published
 * ports: a lab started before the userland proxy was turned on has a dockerd that binds them but never answers.
 */
export async function prepareZeroDowntime(h: LabHost): Promise<void> {
  await labScript('caddy.sh')
  const pid = fs.readFileSync(h.dockerdPidFile ?? '', 'utf8').trim()
  const args = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')
  if (!args.includes('--userland-proxy=true')) {
    throw new Error(
      `${h.name}'s dockerd runs without the userland proxy, so published ports do not answer: ` +
        `restart it with \`lab/dockerd.sh restart ${h.name}\` (or bring the lab up again)`
    )
  }
}

/** Runs `docker compose <args>` in the host's /app, as the host's user would (stderr included in the output). */
export async function compose(h: LabHost, args: string, timeoutMs = 90_000): Promise<string> {
  return hostExec(h, `cd ${lab().app.dir} && docker compose ${args} 2>&1`, timeoutMs)
}

/** Sets IMAGE in the host's .env and keeps its other lines, as a user editing the file would. */
export function setImage(h: LabHost, ref: string): void {
  const file = path.join(h.appDir, lab().app.envFile)
  const lines = fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l && !l.startsWith('IMAGE='))
  fs.writeFileSync(file, [`IMAGE=${ref}`, ...lines].join('\n') + '\n')
}

/** What the proxy answers on GET /version now; undefined without a 2xx answer within 2 s. */
export async function throughProxy(h: LabHost): Promise<string | undefined> {
  try {
    const response = await fetch(proxyUrl(h), { signal: AbortSignal.timeout(2000) })
    const body = (await response.text()).trim()
    return response.ok ? body : undefined
  } catch {
    return undefined
  }
}

/** The web containers (running or not), oldest first. */
export async function webContainers(h: LabHost): Promise<Container[]> {
  const all = await projectContainers(h, lab().app.service)
  return all.filter((c) => !c.oneoff).sort((a, b) => a.created.localeCompare(b.created))
}

/** Waits until docker reports the web container `id` healthy. */
export async function waitWebHealthy(h: LabHost, id: string, timeoutMs = 30_000): Promise<Container> {
  return waitFor(
    `${h.name}: web ${id.slice(0, 12)} healthy`,
    async () => (await webContainers(h)).find((c) => c.id === id && c.health === 'healthy'),
    timeoutMs,
    200
  )
}

/**
 * Replaces whatever project the host runs with the zero-downtime one on `image` (a late app reporting `version`),
 * and waits until its web container is healthy and the proxy answers with that version.
 */
export async function useZeroDowntimeProject(h: LabHost, image: string, version: string): Promise<void> {
  // The starter's web holds port 8080 in the host's network namespace: down first, with the file it was started from.
  await compose(h, 'down -t 1 --remove-orphans')
  fs.writeFileSync(path.join(h.appDir, lab().app.composeFile), ZERO_DOWNTIME_COMPOSE)
  fs.writeFileSync(path.join(h.appDir, lab().app.envFile), `IMAGE=${image}\nPROXY_IMAGE=${proxyImage()}\n`)
  await compose(h, 'pull -q')
  await compose(h, 'up -d')
  const [web] = await webContainers(h)
  if (!web) throw new Error(`${h.name}: no web container after up`)
  await waitWebHealthy(h, web.id)
  await waitFor(
    `${h.name}: ${proxyUrl(h)} answering ${version}`,
    async () => ((await throughProxy(h)) === version ? true : undefined),
    20_000,
    200
  )
}

export interface StartFirst {
  /** The container that served before (stopped and removed) and the one that serves now. */
  old: Container
  new: Container
}

/**
 * A start-first deploy by hand with compose v1: set IMAGE to `ref`, start one more web container beside the old
 * one (`up -d --no-deps --no-recreate --scale web=2 web` creates it from the new .env and leaves the old alone: checked), wait
 * until docker reports it healthy, give the proxy `settleMs` to find it (caddy re-reads DNS every 200 ms), then stop
 * and remove the old one.
 */
export async function startFirstByHand(h: LabHost, ref: string, settleMs = 2000): Promise<StartFirst> {
  const before = (await webContainers(h)).filter((c) => c.status === 'running')
  const old = before[0]
  if (before.length !== 1 || !old) throw new Error(`${h.name}: ${before.length} running web containers, expected 1`)
  setImage(h, ref)
  await compose(h, 'pull -q web')
  await compose(h, `up -d --no-deps --no-recreate --scale ${lab().app.service}=2 ${lab().app.service}`)
  const both = await webContainers(h)
  const added = both.find((c) => c.id !== old.id)
  if (!added) throw new Error(`${h.name}: no second web container after --scale web=2`)
  const kept = both.find((c) => c.id === old.id)
  if (kept?.status !== 'running' || kept.startedAt !== old.startedAt) {
    throw new Error(`${h.name}: --scale web=2 touched the old container ${old.name} (${kept?.status ?? 'gone'})`)
  }
  const healthy = await waitWebHealthy(h, added.id)
  await sleep(settleMs)
  await hostExec(h, `docker stop -t 1 ${old.id} >/dev/null && docker rm ${old.id} >/dev/null`)
  return { old, new: healthy }
}
