/** The docker-facing scripts (pre-flight, backup, pull, up, health, diagnose, rollback) run by sh against a fake docker. */
import { jest } from '@jest/globals'
import fs from 'node:fs'
import path from 'node:path'
import { container, FAKE_BIN, makeLocalHost, makeTempDir, runPhase, type LocalHost } from './helpers/local.js'

// Each fake docker call starts a Node process: slow on a busy machine.
jest.setTimeout(180_000)

const OLD = 'sha256:0ld0000000000000000000000000000000000000000000000000000000000000'
const NEW = 'sha256:11e1111111111111111111111111111111111111111111111111111111111111'
const COMPOSE = 'services:\n  web:\n    image: ${IMAGE}\n  worker:\n    image: reg/worker:1\n'
const WORKER = 'sha256:w0000000000000000000000000000000000000000000000000000000000000000'.slice(0, 71)

let root: string
let host: LocalHost
beforeEach(() => {
  root = makeTempDir('ssh-docker-')
  host = makeLocalHost(root, 'h1', {
    compose: COMPOSE,
    env: '# app\nIMAGE=reg/app:latest\nLOG_LEVEL=info\n',
    state: {
      compose: 'v2',
      tags: { 'reg/app:latest': OLD, 'reg/worker:1': WORKER },
      registry: { 'reg/app:latest': OLD, 'reg/worker:1': WORKER },
      behaviour: { [OLD]: 'healthy' },
      containers: [
        container('app', 'web', OLD, 'reg/app:latest', { health: 'healthy' }),
        container('app', 'worker', WORKER, 'reg/worker:1')
      ]
    }
  })
})
afterEach(() => fs.rmSync(root, { recursive: true, force: true }))

const run = (name: Parameters<typeof runPhase>[0], args: string[], input?: string) =>
  runPhase(name, args, { cwd: host.home, env: host.env, ...(input !== undefined ? { input } : {}) })
const composeArgs = (kind = 'v2', files = '', services = ''): string[] => ['app', kind, files, services]
const preflight = (minFreeKb = '1', files = '', validate = 'no') =>
  run('preflight', ['app', files, 'IMAGE', minFreeKb, 'tok', '{"actor":"me"}', '600', validate])
/** A rollback by the run holding the deploy lock (token `tok`), as after its pre-flight. */
const rollback = async (args: string[]) => {
  await run('lock', ['app', 'tok', '{}', '600'])
  return run('rollback', [...args, 'tok'])
}
/** The merged copy of .env compose reads during a pull: removed when the pull ends. */
const ENV_NEXT = expect.stringMatching(/\/\.deploy\/env\.next\.\d+\.\w+$/) as unknown as string

const composeCalls = (): string[][] =>
  (host.state().calls ?? []).filter((c) => c[0] === 'docker-compose' || c[1] === 'compose')

describe('preflight script', () => {
  test('detects compose v2, reads the image in .env, takes the lock', async () => {
    const r = await preflight()
    expect(r.result).toMatchObject({
      ok: true,
      compose: 'v2',
      dockerVersion: '24.0.7',
      imageBefore: 'reg/app:latest',
      lock: 'acquired',
      warnings: []
    })
    expect(r.result?.freeKb).toEqual(expect.any(Number))
    expect(fs.readFileSync(path.join(host.appDir, '.deploy/lock/token'), 'utf8')).toBe('tok\n')
  })

  test('falls back to docker-compose v1 without starting it; a dry run validates with it', async () => {
    host.setState({ compose: 'v1' })
    const r = await preflight()
    expect(r.result).toMatchObject({ ok: true, compose: 'v1' })
    expect(r.result?.services).toBeUndefined()
    // Only the docker CLI answered (no compose plugin); docker-compose was found on PATH, not started.
    expect(composeCalls()).toEqual([['docker', 'compose', 'version']])
    host.setState({ calls: [] })
    const dry = await preflight('1', '', 'yes')
    expect(dry.result).toMatchObject({ ok: true, compose: 'v1', services: ['web', 'worker'] })
    // Then the whole configuration, for the plan's update orders (the fake compose cannot print it: no facts).
    expect(composeCalls()).toEqual([
      ['docker', 'compose', 'version'],
      ['docker-compose', 'config', '--services'],
      ['docker-compose', 'config']
    ])
    expect(dry.result?.facts).toBeUndefined()
  })

  test('finds the compose plugin where the docker CLI looks for it, starting nothing', async () => {
    // The fake docker has no plugin of its own: a plugin file in ~/.docker/cli-plugins (or $DOCKER_CONFIG) is what
    // the docker CLI would run for `docker compose`.
    host.setState({ compose: 'v1' })
    const plugins = path.join(root, 'docker-config', 'cli-plugins')
    fs.mkdirSync(plugins, { recursive: true })
    fs.writeFileSync(path.join(plugins, 'docker-compose'), '#!/bin/sh\nexit 0\n', { mode: 0o755 })
    const r = await runPhase('preflight', ['app', '', 'IMAGE', '1', 'tok', '{}', '600', 'no'], {
      cwd: host.home,
      env: { ...host.env, DOCKER_CONFIG: path.join(root, 'docker-config') }
    })
    expect(r.result).toMatchObject({ ok: true, compose: 'v2' })
    expect(composeCalls()).toEqual([])
  })

  test('fails with no compose at all, and takes no lock', async () => {
    host.setState({ compose: 'none' })
    // A PATH with the fake docker and the tools the scripts use, but no docker-compose.
    const bin = path.join(root, 'bin')
    fs.mkdirSync(bin)
    fs.writeFileSync(path.join(bin, 'docker'), `#!/bin/sh\nexec '${path.join(FAKE_BIN, 'docker')}' "$@"\n`, {
      mode: 0o755
    })
    for (const tool of [
      'sh',
      'awk',
      'sed',
      'tr',
      'grep',
      'mktemp',
      'cat',
      'df',
      'id',
      'mkdir',
      'rm',
      'tail',
      'dirname'
    ]) {
      const at = ['/usr/bin', '/bin'].map((d) => path.join(d, tool)).find((p) => fs.existsSync(p))
      if (at) fs.symlinkSync(at, path.join(bin, tool))
    }
    const r = await runPhase('preflight', ['app', '', 'IMAGE', '1', 'tok', '{}', '600', 'no'], {
      cwd: host.home,
      env: { ...host.env, PATH: bin }
    })
    expect(r.code).toBe(1)
    expect(r.result).toMatchObject({
      ok: false,
      error: "neither 'docker compose' (v2) nor 'docker-compose' (v1) is available"
    })
    expect(fs.existsSync(path.join(host.appDir, '.deploy/lock'))).toBe(false)
  })

  test('fails with the daemon down, and takes no lock', async () => {
    host.setState({ daemon: false })
    const r = await preflight()
    expect(r.code).toBe(1)
    expect(r.result).toMatchObject({
      ok: false,
      error:
        'the docker daemon is not reachable: Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?'
    })
    expect(fs.existsSync(path.join(host.appDir, '.deploy/lock'))).toBe(false)
  })

  test.each(['v2', 'v1'] as const)(
    'a dry run fails an invalid compose file with compose’s reason (compose %s)',
    async (kind) => {
      host.setState({ compose: kind })
      fs.writeFileSync(path.join(host.appDir, 'docker-compose.yml'), 'services: [\n')
      // A deploy's pre-flight leaves the configuration to the pull (see the pull tests).
      expect((await preflight()).result?.ok).toBe(true)
      fs.rmSync(path.join(host.appDir, '.deploy/lock'), { recursive: true })
      const r = await preflight('1', '', 'yes')
      expect(r.code).toBe(1)
      expect(r.result?.error).toMatch(/^the compose configuration is invalid: yaml: docker-compose\.yml: /)
      expect(fs.existsSync(path.join(host.appDir, '.deploy/lock'))).toBe(false)
    }
  )

  test('fails on a missing compose file, a missing app-dir and too little disk', async () => {
    expect((await preflight('1', 'prod.yml')).result?.error).toBe(`compose file prod.yml not found in ${host.appDir}`)
    fs.rmSync(path.join(host.appDir, 'docker-compose.yml'))
    expect((await preflight()).result?.error).toMatch(/^no compose file in /)
    const r = await run('preflight', ['missing', '', 'IMAGE', '1', 't', '{}', '600', 'yes'])
    expect(r.result?.error).toBe('app-dir missing does not exist')
    fs.writeFileSync(path.join(host.appDir, 'docker-compose.yml'), COMPOSE)
    const full = await preflight(String(1024 ** 4))
    expect(full.result?.error).toMatch(
      /^only \d+ MiB free on the filesystem of .*; at least 1073741824 MiB are needed$/
    )
  })

  test('warns when no compose file mentions the image variable; reads export and quoted forms', async () => {
    fs.writeFileSync(path.join(host.appDir, 'docker-compose.yml'), 'services:\n  web:\n    image: reg/app:1\n')
    fs.writeFileSync(path.join(host.appDir, '.env'), "export IMAGE='reg/app:7'\n")
    const r = await preflight()
    expect(r.result).toMatchObject({
      ok: true,
      imageBefore: 'reg/app:7',
      warnings: ['no compose file mentions ${IMAGE}: setting it in .env will not change the image']
    })
  })
})

describe('preflight: services and project', () => {
  /** The containers as `compose up` run in the app dir made them: with the working_dir label. */
  const labelled = (): void => {
    const dir = fs.realpathSync(host.appDir)
    host.setState({ containers: (host.state().containers ?? []).map((c) => ({ ...c, workingDir: dir })) })
  }

  test('confirms the project its containers carry, starting no compose; a dry run lists the services', async () => {
    labelled()
    const r = await preflight()
    expect(r.result).toMatchObject({ ok: true, compose: 'v2', project: 'app', composeVersion: '2.24.0' })
    expect(composeCalls()).toEqual([['docker', 'compose', 'version']])
    fs.rmSync(path.join(host.appDir, '.deploy/lock'), { recursive: true })
    host.setState({ calls: [] })
    const dry = await preflight('1', '', 'yes')
    expect(dry.result).toMatchObject({ ok: true, services: ['web', 'worker'], project: 'app' })
    expect(composeCalls()).toEqual([
      ['docker', 'compose', 'version'],
      ['docker', 'compose', 'config', '--services'],
      ['docker', 'compose', 'config']
    ])
  })

  test.each([
    ['no container carries the working_dir label', () => undefined],
    [
      '.env names another project',
      () => fs.appendFileSync(path.join(host.appDir, '.env'), 'COMPOSE_PROJECT_NAME=Other\n')
    ],
    [
      'the compose file names another project',
      () => fs.writeFileSync(path.join(host.appDir, 'docker-compose.yml'), `name: other\n${COMPOSE}`)
    ]
  ])('no project when %s: later phases ask compose', async (_, change) => {
    if (!_.startsWith('no container')) labelled()
    change()
    const r = await preflight()
    expect(r.result?.ok).toBe(true)
    expect(r.result?.project).toBeUndefined()
  })

  test('a COMPOSE_PROJECT_NAME in .env is the name, lowercased as compose does', async () => {
    labelled()
    fs.appendFileSync(path.join(host.appDir, '.env'), "COMPOSE_PROJECT_NAME='App'\n")
    expect((await preflight()).result).toMatchObject({ ok: true, project: 'app' })
  })

  test('backup and health find the containers with docker alone once the project is confirmed', async () => {
    labelled()
    host.setState({ calls: [] })
    const backup = await run('backup', ['app', 'v2', '', 'stamp', '5', 'app'])
    expect(backup.result?.images).toEqual([
      { service: 'web', imageId: OLD, image: 'reg/app:latest' },
      { service: 'worker', imageId: WORKER, image: 'reg/worker:1' }
    ])
    const health = await run('health', [...composeArgs(), 'app', 'web\nworker'])
    expect(health.result).toMatchObject({ ok: true, state: 'healthy' })
    expect(composeCalls()).toEqual([])
    // Without the project, compose lists them: the same answer.
    const viaCompose = await run('backup', ['app', 'v2', '', 'stamp', '5', ''])
    expect(viaCompose.result?.images).toEqual(backup.result?.images)
    expect(composeCalls()).toEqual([['docker', 'compose', 'ps', '-a', '-q']])
  })
})

describe('backup and rollback scripts', () => {
  test('a rollback restores the files and the old image with the registry down and the tag re-pushed', async () => {
    const envBefore = host.read('.env')
    fs.chmodSync(path.join(host.appDir, '.env'), 0o640)
    const backup = await run('backup', [...composeArgs().slice(0, 3), '20240101T000000Z-run1', '5', ''])
    expect(backup.result).toMatchObject({ ok: true, pruned: 0 })
    const dir = String(backup.result?.dir)
    expect(dir).toBe(path.join(fs.realpathSync(host.appDir), '.deploy/backups/20240101T000000Z-run1'))
    expect(backup.result?.images).toEqual([
      { service: 'web', imageId: OLD, image: 'reg/app:latest' },
      { service: 'worker', imageId: WORKER, image: 'reg/worker:1' }
    ])
    expect(fs.readFileSync(path.join(dir, 'manifest'), 'utf8')).toBe('1\t1\tdocker-compose.yml\n2\t1\t.env\n')
    expect(fs.statSync(dir).mode & 0o777).toBe(0o700)

    // The deploy: `latest` re-pushed as NEW, .env changed, containers recreated.
    host.setState({ registry: { 'reg/app:latest': NEW, 'reg/worker:1': WORKER }, behaviour: { [NEW]: 'unhealthy' } })
    expect((await run('apply', ['app'], 'LOG_LEVEL=debug')).result?.ok).toBe(true)
    expect((await run('pull', composeArgs('v2', '', 'web'), 'LOG_LEVEL=debug')).result).toEqual({ ok: true })
    expect((await run('up', composeArgs('v2', '', 'web'))).result).toEqual({ ok: true })
    expect(host.state().containers?.find((c) => c.service === 'web')?.imageId).toBe(NEW)
    const unhealthy = await run('health', [...composeArgs(), '', ''])
    expect(unhealthy.result).toMatchObject({ ok: true, state: 'unhealthy', problems: ['app_web_1 is unhealthy'] })

    host.setState({ registryDown: true, calls: [] })
    const rb = await rollback([...composeArgs(), dir])
    expect(rb.result).toEqual({ ok: true, restored: 2, retagged: 2, missing: [], retired: 0 })
    expect(host.read('.env')).toBe(envBefore)
    expect(fs.statSync(path.join(host.appDir, '.env')).mode & 0o777).toBe(0o640)
    const state = host.state()
    expect(state.tags?.['reg/app:latest']).toBe(OLD)
    expect(state.containers?.find((c) => c.service === 'web')).toMatchObject({ imageId: OLD, status: 'running' })
    expect(state.calls?.some((c) => c.includes('pull'))).toBe(false)
    expect(state.calls).toContainEqual(['docker', 'compose', 'up', '-d', '--no-build'])
    expect((await run('health', [...composeArgs(), '', ''])).result).toMatchObject({ state: 'healthy', problems: [] })
  })

  test('a file that did not exist before the deploy is removed by the rollback', async () => {
    fs.writeFileSync(
      path.join(host.appDir, 'docker-compose.yml'),
      'services:\n  web:\n    image: ${IMAGE:-reg/app:latest}\n'
    )
    fs.rmSync(path.join(host.appDir, '.env'))
    const backup = await run('backup', ['app', 'v2', '', 'stamp', '5', ''])
    fs.writeFileSync(path.join(host.appDir, '.env'), 'IMAGE=reg/app:latest\n')
    const rb = await rollback(['app', 'v2', '', '', String(backup.result?.dir)])
    expect(rb.result).toMatchObject({ ok: true, restored: 2 })
    expect(fs.existsSync(path.join(host.appDir, '.env'))).toBe(false)
  })

  test('a rollback names an image that is gone and still restores the files', async () => {
    const backup = await run('backup', ['app', 'v2', '', 'stamp', '5', ''])
    host.setState({ removed: [WORKER] })
    const rb = await rollback(['app', 'v2', '', 'web', String(backup.result?.dir)])
    expect(rb.result).toEqual({ ok: true, restored: 2, retagged: 1, missing: [WORKER], retired: 0 })
    expect(rb.text).toContain(`image ${WORKER} of service worker is no longer on this host`)
  })

  test('a rollback from an incomplete backup fails before touching anything', async () => {
    fs.mkdirSync(path.join(root, 'partial'))
    const rb = await rollback(['app', 'v2', '', '', path.join(root, 'partial')])
    expect(rb.result).toEqual({
      ok: false,
      error: `backup ${path.join(root, 'partial')} is missing or incomplete (no manifest)`
    })
  })

  test('backups beyond the retention are pruned, oldest first; a second backup in one stamp gets its own folder', async () => {
    const backups = path.join(host.appDir, '.deploy/backups')
    for (const b of ['20230101T000000Z', '20230201T000000Z', '20230301T000000Z'])
      fs.mkdirSync(path.join(backups, b), { recursive: true })
    const r = await run('backup', ['app', 'v2', '', '20240101T000000Z', '2', ''])
    expect(r.result).toMatchObject({ ok: true, pruned: 2 })
    expect(fs.readdirSync(backups).sort()).toEqual(['20230301T000000Z', '20240101T000000Z'])
    const again = await run('backup', ['app', 'v2', '', '20240101T000000Z', '5', ''])
    expect(again.result?.dir).toBe(path.join(fs.realpathSync(backups), '20240101T000000Z.2'))
  })

  test('compose v1 and explicit compose files are passed through with -f', async () => {
    host.setState({ compose: 'v1', calls: [] })
    fs.renameSync(path.join(host.appDir, 'docker-compose.yml'), path.join(host.appDir, 'prod.yml'))
    fs.writeFileSync(path.join(host.appDir, 'extra.yml'), 'services:\n  web:\n    environment: {A: b}\n')
    expect((await run('pull', ['app', 'v1', 'prod.yml\nextra.yml', 'web'], 'IMAGE=reg/app:latest')).result).toEqual({
      ok: true
    })
    expect(host.state().calls).toContainEqual([
      'docker-compose',
      '-f',
      'prod.yml',
      '-f',
      'extra.yml',
      '--env-file',
      ENV_NEXT,
      'pull',
      'web'
    ])
  })
})

describe('pull, up and health scripts', () => {
  test('pull fetches the images as the new .env values name them, and leaves .env and the containers alone', async () => {
    const envBefore = host.read('.env')
    host.setState({ registry: { ...host.state().registry, 'reg/app:2': NEW }, calls: [] })
    const r = await run('pull', composeArgs(), 'IMAGE=reg/app:2\nLOG_LEVEL=debug')
    expect(r.result).toEqual({ ok: true })
    expect(r.stderr).toContain('Pulling reg/app:2 ... done')
    const state = host.state()
    expect(state.tags?.['reg/app:2']).toBe(NEW)
    // Beside the pull, compose prints the configuration with the current and the new .env (the update order's
    // facts); the fake compose cannot, so the result has no facts and every service would go stop-first.
    expect(state.calls).toHaveLength(3)
    expect(state.calls).toEqual(
      expect.arrayContaining([
        ['docker', 'compose', '--env-file', ENV_NEXT, 'pull'],
        ['docker', 'compose', 'config'],
        ['docker', 'compose', '--env-file', ENV_NEXT, 'config']
      ])
    )
    expect(host.read('.env')).toBe(envBefore)
    expect(state.containers?.find((c) => c.service === 'web')?.imageId).toBe(OLD)
    // The merged copy (it may hold secrets) is gone.
    expect(fs.readdirSync(path.join(host.appDir, '.deploy'))).toEqual([])
  })

  test('a pull failure names compose’s reason and leaves .env as it was', async () => {
    const envBefore = host.read('.env')
    const r = await run('pull', composeArgs(), 'IMAGE=reg/app:missing')
    expect(r.result).toEqual({
      ok: false,
      error:
        'docker compose pull failed with exit code 1: Error response from daemon: manifest for reg/app:missing not found: manifest unknown'
    })
    expect(r.stderr).toContain('manifest unknown')
    expect(host.read('.env')).toBe(envBefore)
    expect(fs.readdirSync(path.join(host.appDir, '.deploy'))).toEqual([])
  })

  test('a backup that must ask compose for the containers names compose’s reason when it cannot', async () => {
    fs.writeFileSync(path.join(host.appDir, 'docker-compose.yml'), 'services: [\n')
    const r = await run('backup', ['app', 'v2', '', 'stamp', '5', ''])
    expect(r.result?.ok).toBe(false)
    expect(r.result?.error).toMatch(/^cannot list the containers of the project: yaml: docker-compose\.yml: /)
    expect(r.stderr).toContain('yaml: docker-compose.yml')
    // With the project confirmed, docker alone lists them: the backup does not depend on the configuration.
    expect((await run('backup', ['app', 'v2', '', 'stamp', '5', 'app'])).result?.ok).toBe(true)
  })

  test('a deploy’s pull is where an invalid compose file fails, with compose’s reason', async () => {
    fs.writeFileSync(path.join(host.appDir, 'docker-compose.yml'), 'services: [\n')
    const r = await run('pull', composeArgs(), 'IMAGE=reg/app:2')
    expect(r.result?.ok).toBe(false)
    expect(r.result?.error).toMatch(/^docker compose pull failed with exit code 15: yaml: docker-compose\.yml: /)
  })

  test('unlock with a backup tags its image ids again (a pull moved `latest`), only under this run’s lock', async () => {
    const backup = await run('backup', ['app', 'v2', '', 'stamp', '5', ''])
    const dir = String(backup.result?.dir)
    host.setState({ registry: { ...host.state().registry, 'reg/app:latest': NEW } })
    expect((await run('pull', composeArgs(), 'IMAGE=reg/app:latest')).result).toEqual({ ok: true })
    expect(host.state().tags?.['reg/app:latest']).toBe(NEW)

    // Another run's lock: nothing is touched.
    expect((await preflight()).result).toMatchObject({ ok: true, lock: 'acquired' })
    expect((await run('unlock', ['app', 'other-token', dir])).result).toMatchObject({ ok: true, lock: 'other' })
    expect(host.state().tags?.['reg/app:latest']).toBe(NEW)

    const r = await run('unlock', ['app', 'tok', dir])
    expect(r.result).toEqual({ ok: true, retagged: 2, lock: 'released' })
    expect(host.state().tags?.['reg/app:latest']).toBe(OLD)
    expect(fs.existsSync(path.join(host.appDir, '.deploy/lock'))).toBe(false)
  })

  test('unlock releases the lock even when a tag cannot be put back, and says which', async () => {
    const dir = String((await run('backup', ['app', 'v2', '', 'stamp', '5', ''])).result?.dir)
    expect((await preflight()).result).toMatchObject({ ok: true, lock: 'acquired' })
    host.setState({ tagFails: true })
    const r = await run('unlock', ['app', 'tok', dir])
    expect(r.result).toEqual({
      ok: true,
      retagError: `cannot tag ${OLD} as reg/app:latest`,
      retagged: 0,
      lock: 'released'
    })
    expect(r.stderr).toContain('no space left on device')
    expect(fs.existsSync(path.join(host.appDir, '.deploy/lock'))).toBe(false)
  })

  test.each([
    ['starting', 'starting', ['app_web_1 is starting (healthcheck not passed yet)']],
    ['crash', 'unhealthy', ['app_web_1 is exited']],
    ['plain', 'healthy', []]
  ] as const)('a container that is %s makes the state %s', async (behaviour, state, problems) => {
    host.setState({ tags: { 'reg/app:latest': NEW, 'reg/worker:1': WORKER }, behaviour: { [NEW]: behaviour } })
    await run('up', composeArgs())
    const r = await run('health', [...composeArgs(), '', ''])
    expect(r.result).toMatchObject({ ok: true, state, problems })
  })

  test('a service that ran before and has no container is unhealthy; selected services limit the check', async () => {
    host.setState({ containers: host.state().containers?.filter((c) => c.service !== 'worker') ?? [] })
    expect((await run('health', [...composeArgs(), '', 'web\nworker'])).result).toMatchObject({
      state: 'unhealthy',
      problems: ['service worker has no container']
    })
    // Without a list, every service that has a container is checked.
    const all = await run('health', [...composeArgs(), '', ''])
    expect(all.result).toMatchObject({ state: 'healthy', containers: [expect.objectContaining({ service: 'web' })] })
    expect((await run('health', [...composeArgs('v2', '', 'web'), '', 'web\nworker'])).result).toMatchObject({
      state: 'healthy'
    })
    host.setState({ containers: [] })
    expect((await run('health', [...composeArgs(), '', ''])).result).toMatchObject({
      ok: false,
      error: 'the project has no containers'
    })
  })

  test('every container is checked, the ones of services that did not run before as well', async () => {
    host.setState({
      containers: [
        container('app', 'web', OLD, 'reg/app:latest', { health: 'healthy' }),
        container('app', 'worker', WORKER, 'reg/worker:1', { status: 'exited' })
      ]
    })
    expect((await run('health', [...composeArgs(), '', 'web'])).result).toMatchObject({
      state: 'unhealthy',
      problems: [expect.stringMatching(/ is exited$/)]
    })
  })

  test('a one-shot service (exited with code 0 before the deploy) may be exited with code 0 again, not otherwise', async () => {
    const web = container('app', 'web', OLD, 'reg/app:latest', { health: 'healthy' })
    const migrate = (exitCode: number) =>
      container('app', 'worker', WORKER, 'reg/worker:1', { status: 'exited', exitCode })
    host.setState({ containers: [web, migrate(0)] })
    const backup = await run('backup', ['app', 'v2', '', 'stamp', '5', ''])
    expect(backup.result?.images).toEqual([
      { service: 'web', imageId: OLD, image: 'reg/app:latest' },
      { service: 'worker', imageId: WORKER, image: 'reg/worker:1', completed: true }
    ])
    const health = (oneShots: string) => run('health', [...composeArgs(), '', 'web\nworker', oneShots])
    expect((await health('worker')).result).toMatchObject({ state: 'healthy', problems: [] })
    // Not known as one-shot: exited is a problem, as for any service.
    expect((await health('')).result).toMatchObject({ state: 'unhealthy', problems: ['app_worker_1 is exited'] })
    host.setState({ containers: [web, migrate(2)] })
    expect((await health('worker')).result).toMatchObject({
      state: 'unhealthy',
      problems: ['app_worker_1 is exited (code 2)']
    })
    // A crashed container before the deploy is no one-shot.
    expect((await run('backup', ['app', 'v2', '', 'stamp', '5', ''])).result?.images).toEqual([
      { service: 'web', imageId: OLD, image: 'reg/app:latest' },
      { service: 'worker', imageId: WORKER, image: 'reg/worker:1' }
    ])
  })

  test('diagnose prints compose ps, then logs and health log of the failing container only', async () => {
    host.setState({
      containers: [
        container('app', 'web', OLD, 'reg/app:latest', { health: 'unhealthy', logs: ['boom: db unreachable'] }),
        container('app', 'worker', WORKER, 'reg/worker:1', { logs: ['worker fine'] })
      ]
    })
    const r = await run('diagnose', composeArgs())
    expect(r.result).toEqual({ ok: true })
    expect(r.text).toContain('== docker compose ps')
    expect(r.text).toContain('app_web_1  running (unhealthy)')
    expect(r.text).toContain('== last 50 log lines of app_web_1')
    expect(r.text).toContain('boom: db unreachable')
    expect(r.text).toContain('== health log of app_web_1')
    expect(r.text).toContain('exit 1: probe unhealthy')
    expect(r.text).not.toContain('worker fine')
  })
})
