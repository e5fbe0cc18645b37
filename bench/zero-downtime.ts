/**
 * Part `zd` — requests failed during a deploy, and what start-first costs in time, on lab host h3 only. The host runs
 * the zero-downtime project (lab/assets/zero-downtime/compose.yaml: the `late` app, which listens 3 s after its
 * start, behind a caddy proxy publishing 8088) while 4 clients GET /version through the proxy. Each repetition runs
 * three cases in this order, so load drift hits all alike, each deploying the other of two `late` versions:
 *   - plain: what a user does without the action, over ssh: set IMAGE in .env, `docker compose pull`, `up -d`
 *     (timed on the host, then until docker reports the new container healthy);
 *   - start-first: the bundled action with default inputs (update-order auto: web is start-first);
 *   - stop-first: the action with `update-order: stop-first`.
 * The load runs from 1 s before each deploy to 1 s after it. Host turn = the target's phases after backup and pull
 * (`deployStages` of the action's report). At the start the part installs the project on h3; at the end it puts the
 * starter project back (lab/assets/compose.yaml on v1).
 */
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { runActionMeasured } from './lib/action.js'
import { assertLabRoutes, curlUntilOk, run, spec, ssh, type LabAddressBook, type LabHost } from './lib/lab.js'
import { fetchText, startLoad, type LoadResult } from './lib/load.js'
import { median, ratio, round } from './lib/stats.js'
import { deployStages, type PhaseStat, type ReportTarget } from './ssh-rolling.js'

const LAB_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../lab')
const ZD_COMPOSE = fs.readFileSync(path.join(LAB_DIR, 'assets', 'zero-downtime', 'compose.yaml'), 'utf8')
const STARTER_COMPOSE = fs.readFileSync(path.join(LAB_DIR, 'assets', 'compose.yaml'), 'utf8')

/** The lab host this part uses (the lab tests use h4; h1 and h2 may be in use by other tests). */
export const ZD_HOST = 'h3'
/** The proxy's published port (lab/assets/zero-downtime/compose.yaml). */
export const PROXY_PORT = 8088
export const ZD_CLIENTS = 4
/** Tags of the late app only this part pushes and moves. */
const WORDS = ['zdbench-a', 'zdbench-b'] as const

export const ZD_CASES = ['plain', 'start-first', 'stop-first'] as const
export type ZdCase = (typeof ZD_CASES)[number]

export interface ZdRep {
  rep: number
  /** The version deployed (`late-zdbench-b`). */
  to: string
  failed: number
  total: number
  firstErrors: string[]
  /** Which version answered how often during the window. */
  versions: Record<string, number>
  /** Load window (1 s before the deploy to 1 s after it). */
  windowMs: number
  /** plain: edit + pull + up -d + until healthy (on the host); action: the main step's wall time. */
  deployMs: number
  /** action: the host's turn from the report; plain: `up -d` until docker reports the new container healthy. */
  turnMs: number | null
  /** plain only: the on-host breakdown. */
  plainMs?: { pull: number; up: number; healthy: number }
  /** action only: the report's phases of the host. */
  phases?: { name: string; durationMs: number }[]
}

export interface ZdCaseResult {
  case: ZdCase
  reps: ZdRep[]
  failed: number
  total: number
  turnMs: number | null
  deployMs: number | null
  /** action cases: median duration per report phase. */
  phases: PhaseStat[]
}

export interface ZdResult {
  host: string
  clients: number
  reps: number
  cases: ZdCaseResult[]
  /** Median host turn, start-first / stop-first. */
  turnRatio: number | null
  /** Results from before switch-delay was a report phase: the ratio with the delay added by hand. */
  turnRatioWithDelay?: number | null
  switchDelayMs?: number
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/** Runs `docker compose <args>` in the host's app dir over ssh (compose must not read the script on stdin). */
async function compose(book: LabAddressBook, h: LabHost, args: readonly string[]): Promise<string> {
  const script = `cd ${book.app.dir} || exit 1\ndocker compose "$@" </dev/null 2>&1\n`
  return (await ssh(book, h, script, args)).stdout
}

/** Waits until `url` answers `expected`, polling every 200 ms. */
async function waitAnswer(book: LabAddressBook, url: string, expected: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  let last: string | undefined
  while (Date.now() < deadline) {
    last = await fetchText(url, book.network.subnet)
    if (last === expected) return
    await sleep(200)
  }
  throw new Error(`${url} did not answer ${expected} within ${timeoutMs} ms (last: ${last ?? 'no 2xx'})`)
}

/**
 * Edits IMAGE in .env, pulls and runs `up -d`, then waits until docker reports the service's one container healthy;
 * prints `pullMs upMs healthyMs`. Args: IMAGE PROJECT SERVICE.
 */
const PLAIN_SCRIPT = `set -u
cd "$APP_DIR" || exit 1
ms() { echo $(( $(date +%s%N) / 1000000 )); }
t0=$(ms)
sed -i "s|^IMAGE=.*|IMAGE=$1|" .env
docker compose pull -q </dev/null >/dev/null 2>&1 || { echo "pull failed" >&2; exit 1; }
t1=$(ms)
docker compose up -d </dev/null >/dev/null 2>&1 || { echo "up failed" >&2; exit 1; }
t2=$(ms)
n=0
while :; do
  ids=$(docker ps -q --filter "label=com.docker.compose.project=$2" --filter "label=com.docker.compose.service=$3")
  if [ -n "$ids" ] && [ "$(echo "$ids" | wc -l)" -eq 1 ]; then
    s=$(docker inspect -f '{{if index .State "Health"}}{{.State.Health.Status}}{{end}}' $ids 2>/dev/null)
    [ "$s" = healthy ] && break
  fi
  n=$((n + 1)); [ "$n" -lt 600 ] || { echo "not healthy" >&2; exit 1; }
  sleep 0.1
done
t3=$(ms)
echo "$((t1 - t0)) $((t2 - t1)) $((t3 - t2))"
`

async function plainDeploy(
  book: LabAddressBook,
  h: LabHost,
  ref: string
): Promise<{ deployMs: number; turnMs: number; plainMs: NonNullable<ZdRep['plainMs']> }> {
  const { stdout } = await ssh(book, h, `APP_DIR=${book.app.dir}\n${PLAIN_SCRIPT}`, [
    ref,
    book.app.project,
    book.app.service
  ])
  const [pull = NaN, up = NaN, healthy = NaN] = stdout.trim().split(/\s+/).map(Number)
  if (![pull, up, healthy].every(Number.isFinite)) throw new Error(`plain up -d on ${h.name}: bad output '${stdout}'`)
  return { deployMs: pull + up + healthy, turnMs: up + healthy, plainMs: { pull, up, healthy } }
}

async function actionDeploy(
  book: LabAddressBook,
  h: LabHost,
  ref: string,
  extra: Record<string, string>
): Promise<{ deployMs: number; turnMs: number | null; phases: { name: string; durationMs: number }[] }> {
  const { main } = await runActionMeasured({
    inputs: {
      strategy: 'ssh-rolling',
      image: ref,
      hosts: spec(h),
      'ssh-private-key': fs.readFileSync(book.keys.privateKey, 'utf8'),
      'ssh-known-hosts': fs.readFileSync(book.knownHosts.plain, 'utf8'),
      'app-dir': book.app.dir,
      ...extra
    },
    post: true,
    timeoutMs: 6 * 60_000
  })
  if (main.exitCode !== 0 || main.outputs.status !== 'succeeded') {
    throw new Error(
      `action deploy of ${ref} failed (exit ${String(main.exitCode)}): ${main.errors.join('; ')}\n${main.stdout.slice(-3000)}\n${main.stderr.slice(-2000)}`
    )
  }
  const report = JSON.parse(main.outputs.report ?? '{}') as { targets?: ReportTarget[] }
  const targets = report.targets ?? []
  return {
    deployMs: main.wallMs,
    turnMs: deployStages(targets).turnsMs[0] ?? null,
    phases: (targets[0]?.phases ?? []).map((p) => ({ name: p.name, durationMs: p.durationMs }))
  }
}

/** Pushes the proxy and the two late versions; refuses a dockerd without the userland proxy (published ports hang). */
async function prepare(book: LabAddressBook, h: LabHost): Promise<string[]> {
  await run('bash', [path.join(LAB_DIR, 'caddy.sh')])
  const pid = fs.readFileSync(h.dockerdPidFile ?? '', 'utf8').trim()
  const args = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')
  if (!args.includes('--userland-proxy=true')) {
    throw new Error(`${h.name}'s dockerd runs without the userland proxy: \`lab/dockerd.sh restart ${h.name}\``)
  }
  const refs: string[] = []
  for (const w of WORDS) {
    await run('bash', [path.join(LAB_DIR, 'push.sh'), `late-${w}`, `late-${w}`])
    refs.push(`${book.images.repository}:late-${w}`)
  }
  return refs
}

async function installProject(book: LabAddressBook, h: LabHost, ref: string, url: string): Promise<void> {
  // The starter's web holds port 8080 in the host's network namespace: down first, with the file it was started from.
  await compose(book, h, ['down', '-t', '1', '--remove-orphans'])
  const proxy = book.images.proxy ?? `${book.registry.address}/lab/caddy:2.6`
  fs.writeFileSync(path.join(h.appDir, book.app.composeFile), ZD_COMPOSE)
  fs.writeFileSync(path.join(h.appDir, book.app.envFile), `IMAGE=${ref}\nPROXY_IMAGE=${proxy}\n`)
  await compose(book, h, ['pull', '-q'])
  await compose(book, h, ['up', '-d'])
  await waitAnswer(book, url, versionOf(ref), 60_000)
}

/** Puts the starter project back: the zero-downtime project down, the deploy's files gone, web on v1 and healthy. */
async function restoreStarter(book: LabAddressBook, h: LabHost): Promise<void> {
  await compose(book, h, ['down', '-t', '1', '--remove-orphans']).catch(() => '')
  const label = `label=com.docker.compose.project=${book.app.project}`
  await ssh(
    book,
    h,
    `ids=$(docker ps -aq --filter "$1"); [ -z "$ids" ] || docker rm -f $ids >/dev/null
nets=$(docker network ls -q --filter "$1"); [ -z "$nets" ] || docker network rm $nets >/dev/null; true
`,
    [label]
  )
  fs.rmSync(path.join(h.appDir, '.deploy'), { recursive: true, force: true })
  for (const f of fs.readdirSync(h.appDir)) {
    if (f.startsWith('.env.') || f.endsWith('.rollback')) fs.rmSync(path.join(h.appDir, f), { force: true })
  }
  fs.writeFileSync(path.join(h.appDir, book.app.composeFile), STARTER_COMPOSE)
  fs.writeFileSync(path.join(h.appDir, book.app.envFile), `IMAGE=${book.images.tags.v1 ?? ''}\n`)
  await compose(book, h, ['up', '-d', '--remove-orphans'])
  await curlUntilOk(`${h.appUrl ?? ''}${book.app.healthPath}`, 300, 30_000)
}

/** `…/lab/app:late-zdbench-a` → `late-zdbench-a` (what the late app answers on /version). */
const versionOf = (ref: string): string => ref.split(':').pop() ?? ref

export async function zeroDowntime(
  book: LabAddressBook,
  reps: number,
  log: (line: string) => void = () => undefined
): Promise<ZdResult> {
  const h = book.hosts.find((x) => x.name === ZD_HOST && x.kind === 'full')
  if (!h) throw new Error(`the lab has no full host ${ZD_HOST}`)
  assertLabRoutes(book, [h])
  if (fs.existsSync(path.join(h.appDir, '.deploy', 'lock'))) {
    throw new Error(
      `${h.name} holds a deploy lock (${h.appDir}/.deploy/lock): another deploy runs, or one was cut short`
    )
  }
  const url = `http://${h.address}:${PROXY_PORT}${book.app.versionPath}`
  const samples = new Map<ZdCase, ZdRep[]>(ZD_CASES.map((c) => [c, []]))
  log(`zd: preparing ${h.name} (proxy, late images, zero-downtime project)`)
  const refs = await prepare(book, h)
  try {
    await installProject(book, h, refs[0] ?? '', url)
    let current = 0
    for (let rep = 1; rep <= reps; rep++) {
      for (const c of ZD_CASES) {
        const next = 1 - current
        const ref = refs[next] ?? ''
        const to = versionOf(ref)
        await waitAnswer(book, url, versionOf(refs[current] ?? ''))
        log(`zd: rep ${rep}/${reps} ${c} → ${to}`)
        const load = startLoad(url, { subnet: book.network.subnet, clients: ZD_CLIENTS, maxMs: 180_000 })
        let result: LoadResult
        let sample: Omit<ZdRep, 'rep' | 'to' | keyof LoadResult | 'total' | 'windowMs'>
        try {
          await sleep(1000)
          sample =
            c === 'plain'
              ? await plainDeploy(book, h, ref)
              : await actionDeploy(book, h, ref, c === 'stop-first' ? { 'update-order': 'stop-first' } : {})
          await sleep(1000)
        } finally {
          result = await load.stop()
        }
        current = next
        await waitAnswer(book, url, to)
        samples.get(c)?.push({
          rep,
          to,
          failed: result.failed,
          total: result.ok + result.failed,
          firstErrors: result.firstErrors,
          versions: result.versions,
          windowMs: result.elapsedMs,
          ...sample
        })
        log(`zd:   failed ${result.failed} / ${result.ok + result.failed}`)
      }
    }
  } finally {
    log(`zd: putting the starter project back on ${h.name}`)
    await restoreStarter(book, h)
  }
  const cases = ZD_CASES.map((c) => summarizeCase(c, samples.get(c) ?? []))
  const turn = (c: ZdCase): number | null => cases.find((x) => x.case === c)?.turnMs ?? null
  return {
    host: h.name,
    clients: ZD_CLIENTS,
    reps,
    cases,
    // The start-first turn includes its switch-delay: the report records it as a phase.
    turnRatio: round(ratio(turn('start-first') ?? undefined, turn('stop-first') ?? undefined), 2)
  }
}

/** Sums the failed and total requests of a case's repetitions; medians of its times and report phases. */
export function summarizeCase(c: ZdCase, reps: readonly ZdRep[]): ZdCaseResult {
  const turns = reps.map((r) => r.turnMs).filter((t): t is number => t !== null)
  const names = [...new Set(reps.flatMap((r) => (r.phases ?? []).map((p) => p.name)))]
  return {
    case: c,
    reps: [...reps],
    failed: reps.reduce((n, r) => n + r.failed, 0),
    total: reps.reduce((n, r) => n + r.total, 0),
    turnMs: round(median(turns)),
    deployMs: round(median(reps.map((r) => r.deployMs))),
    phases: names.map((name) => {
      const values = reps.flatMap((r) => (r.phases ?? []).filter((p) => p.name === name).map((p) => p.durationMs))
      return { phase: name, medianMs: round(median(values)), n: values.length }
    })
  }
}
