/**
 * `service_facts` (remote/lib.sh) on real `docker compose config` output, in dash, bash and busybox ash (with busybox
 * awk), from __fixtures__/ssh/compose-config:
 * - v1-*.config.yml: docker-compose 1.29.2's `config` of v1-*.compose.yml (API_KEY=SECRET_VALUE_123; -rotated: _456).
 * - v2: compose-go's Project.MarshalYAML, which prints `docker compose config` (types/project.go):
 *   - v2-full-example.config.yml: fullExampleYAML in compose-spec/compose-go loader/full-struct_test.go (commit
 *     9dee8f4f1a356a87744cebc7a25ac15f971c84a5), working dir /srv/app, home dir /home/deploy;
 *   - v2-web-stack.config.yml, v2-runtime-flags.config.yml: compose-go loader/testdata/golden/*.golden.yaml (commits
 *     0c288d6ad6a2dca2fb0e6cba5b1eb3753a995745 and 0d5c8d92291003b5391a63c7dbbd26da4cb2bf04);
 *   - v2-app.config.yml: v1-app's project written in that form (ports in long syntax with `published` quoted,
 *     `healthcheck: disable: true` as types/healthcheck.go serialises it, multi-line strings as `|` blocks).
 */
import { execFileSync, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { REMOTE_SCRIPTS } from '../../../src/strategies/ssh-rolling/remote/scripts.gen.js'
import { FIXTURES, makeTempDir } from './helpers/local.js'

const DIR = path.join(FIXTURES, 'compose-config')
const SECRET = 'SECRET_VALUE_123'

const has = (command: string): boolean => spawnSync('sh', ['-c', `command -v ${command}`]).status === 0

interface Shell {
  name: string
  argv: [string, ...string[]]
  busyboxAwk?: boolean
}
const SHELLS: Shell[] = [
  ...(has('dash') ? [{ name: 'dash', argv: ['dash'] as [string] }] : []),
  ...(has('bash') ? [{ name: 'bash', argv: ['bash'] as [string] }] : []),
  ...(has('busybox')
    ? [{ name: 'busybox ash + awk', argv: ['busybox', 'sh'] as [string, string], busyboxAwk: true }]
    : [])
]

let tmp: string
beforeAll(() => {
  tmp = makeTempDir('service-facts-')
  // busybox sh runs the awk it finds on PATH: this one is busybox's.
  fs.mkdirSync(path.join(tmp, 'bin'))
  const busybox = spawnSync('sh', ['-c', 'command -v busybox'], { encoding: 'utf8' }).stdout.trim()
  if (busybox) fs.symlinkSync(busybox, path.join(tmp, 'bin', 'awk'))
})
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }))

function serviceFacts(shell: Shell, file: string): string {
  const [command, ...args] = shell.argv
  return execFileSync(command, [...args, '-c', `${REMOTE_SCRIPTS.lib}\nservice_facts "$1"`, 'sh', file], {
    encoding: 'utf8',
    env: shell.busyboxAwk ? { ...process.env, PATH: `${path.join(tmp, 'bin')}:${process.env.PATH ?? ''}` } : process.env
  })
}

const fixture = (name: string): string => path.join(DIR, name)
const withoutHashes = (out: string): string => out.replace(/\thash\t\d+ \d+$/gm, '\thash\tCKSUM')
/** Hash by service. */
const hashes = (out: string): Map<string, string> =>
  new Map([...out.matchAll(/^(.+)\thash\t(.*)$/gm)].map((m) => [m[1] as string, m[2] as string]))

/** A service's expected lines: its name, facts written `key value`, and its hash. */
const service = (name: string, ...facts: string[]): string[] => [
  `${name}\tservice\t`,
  ...facts.map((fact) => `${name}\t${fact.replace(' ', '\t')}`),
  `${name}\thash\tCKSUM`
]

const V1_APP = [
  ...service('agent', 'network_mode host', 'scale 3', 'image reg/agent'),
  ...service('db', 'container_name db', 'image postgres:16', 'healthcheck disable'),
  ...service('migrate', 'stop_grace_period 500ms', 'image reg/app:latest', 'healthcheck test'),
  ...service(
    'web',
    'replicas 2',
    'order start-first',
    'stop_grace_period 1m30s',
    'image reg/app:latest',
    'healthcheck test',
    'port published=8080,target=80',
    'port 127.0.0.1:7000:70/udp',
    'port target=9090',
    'port 127.0.0.1::81/tcp',
    'port published=8000-8010,target=90',
    'port published=8443,target=443,protocol=tcp'
  ),
  ...service('worker', 'order stop-first', 'image reg/worker', 'port target=3000', 'port target=4000')
]

const EXPECTED: Record<string, string[]> = {
  'v1-app.config.yml': V1_APP,
  'v1-app-rotated.config.yml': V1_APP,
  'v1-scale.config.yml': [
    ...service(
      'web',
      'scale 2',
      'stop_grace_period 2s',
      'image nginx',
      'healthcheck test',
      'port published=8000,target=80',
      'port published=8001,target=81',
      'port 127.0.0.1:5000:5000/tcp'
    ),
    ...service('worker', 'image busybox')
  ],
  'v2-app.config.yml': [
    ...service('agent', 'network_mode host', 'scale 3', 'image reg/agent'),
    ...service('db', 'container_name db', 'image postgres:16', 'healthcheck disable'),
    ...service('migrate', 'stop_grace_period 500ms', 'image reg/app:latest', 'healthcheck test'),
    ...service(
      'web',
      'replicas 2',
      'order start-first',
      'stop_grace_period 1m30s',
      'image reg/app:1.2',
      'healthcheck test',
      'port published=8080,target=80,protocol=tcp',
      'port published=7000,target=70,host_ip=127.0.0.1,protocol=udp',
      'port target=9090,protocol=tcp',
      'port target=81,host_ip=127.0.0.1,protocol=tcp',
      'port published=8000-8010,target=90,protocol=tcp',
      'port published=8443,target=443,protocol=tcp'
    ),
    ...service('worker', 'order stop-first', 'image reg/worker', 'port target=3000,protocol=tcp')
  ],
  'v2-full-example.config.yml': [
    ...service('bar'),
    ...service(
      'foo',
      'container_name my-web-container',
      'network_mode container:0cfeab0f748b9a743dc3da582046357c6ef497631c1a016d28d2bf9b4f899f7b',
      'replicas 6',
      'order start-first',
      'stop_grace_period 20s',
      'image redis',
      'healthcheck test',
      ...[3000, 3001, 3002, 3003, 3004, 3005].map((p) => `port target=${p},protocol=tcp`),
      'port published=8000,target=8000,protocol=tcp',
      'port published=9090,target=8080,protocol=tcp',
      'port published=9091,target=8081,protocol=tcp',
      'port published=49100,target=22,protocol=tcp',
      'port published=8001,target=8001,host_ip=127.0.0.1,protocol=tcp',
      ...Array.from(
        { length: 11 },
        (_, i) => `port published=${5000 + i},target=${5000 + i},host_ip=127.0.0.1,protocol=tcp`
      ),
      ...['rw', 'rw', 'rw', 'rw', 'ro', 'rw', 'rw'].map((mode) => `volume ${mode}`)
    )
  ],
  'v2-web-stack.config.yml': [
    ...service('cache', 'image redis:7'),
    ...service('db', 'image postgres:16', 'healthcheck test', 'volume rw'),
    ...service(
      'web',
      'scale 2',
      'replicas 2',
      'image example/web:1.2.3',
      'healthcheck test',
      'port published=8080,target=80,protocol=tcp',
      'port published=8443,target=443,protocol=tcp',
      'volume ro',
      'volume rw'
    )
  ],
  'v2-runtime-flags.config.yml': [
    ...service('kitchen-sink', 'container_name sink', 'stop_grace_period 1m30s', 'image example/sink:latest'),
    ...service('linked', 'network_mode service:kitchen-sink', 'image example/linked')
  ]
}

describe.each(SHELLS.map((shell) => [shell.name, shell] as const))('service_facts with %s', (_name, shell) => {
  test.each(Object.keys(EXPECTED))('%s: exactly the whitelisted facts, in order', (name) => {
    const out = serviceFacts(shell, fixture(name))
    expect(withoutHashes(out)).toBe(`${(EXPECTED[name] as string[]).join('\n')}\n`)
    // The same hashes in every shell: the first one's.
    expect(out).toBe(serviceFacts(SHELLS[0] as Shell, fixture(name)))
  })

  // Where each fixture holds the secret: environment, command, labels, healthcheck test.
  const APP_SECRETS = ['API_KEY: ', 'POSTGRES_PASSWORD: ', "- 'echo ", 'com.example.secret: ', 'curl -f http://x/']
  test.each([
    ['v1-app.config.yml', APP_SECRETS],
    ['v2-app.config.yml', APP_SECRETS],
    ['v1-scale.config.yml', ["a.b: '", '"Y": ']]
  ])('%s: no secret value, and no text of a value read as a key', (name, places) => {
    const text = fs.readFileSync(fixture(name), 'utf8')
    for (const place of places) expect(text).toContain(`${place}${SECRET}`)
    // Multi-line values hold `published: 9999` and `container_name: evil` lines.
    expect(text).toMatch(/^ +container_name: evil/m)
    const out = serviceFacts(shell, fixture(name))
    expect(out).not.toContain('SECRET_VALUE')
    expect(out).not.toMatch(/evil|9999/)
  })

  test('the hash changes with an environment value, and only for the service that has it', () => {
    const v2 = fs.readFileSync(fixture('v2-app.config.yml'), 'utf8')
    const rotated = path.join(tmp, 'v2-app-rotated.config.yml')
    fs.writeFileSync(rotated, v2.replace(`API_KEY: ${SECRET}`, 'API_KEY: SECRET_VALUE_456'))
    const pairs = [
      [fixture('v1-app.config.yml'), fixture('v1-app-rotated.config.yml')],
      [fixture('v2-app.config.yml'), rotated]
    ]
    for (const [before, after] of pairs as [string, string][]) {
      const old = hashes(serviceFacts(shell, before))
      const now = hashes(serviceFacts(shell, after))
      expect([...now.keys()]).toEqual(['agent', 'db', 'migrate', 'web', 'worker'])
      for (const [svc, hash] of now) {
        expect(hash).toMatch(/^\d+ \d+$/)
        if (svc === 'web') expect(hash).not.toBe(old.get(svc))
        else expect(hash).toBe(old.get(svc))
      }
    }
  })

  test('the hash changes with the blank lines of a value (v1 writes each newline of a quoted string as one)', () => {
    const v1 = fs.readFileSync(fixture('v1-app.config.yml'), 'utf8')
    const changed = path.join(tmp, 'v1-app-newline.config.yml')
    fs.writeFileSync(changed, v1.replace(`line one: ${SECRET}\n\n`, `line one: ${SECRET}\n\n\n`))
    const old = hashes(serviceFacts(shell, fixture('v1-app.config.yml')))
    const now = hashes(serviceFacts(shell, changed))
    expect([...now].filter(([svc, hash]) => hash !== old.get(svc)).map(([svc]) => svc)).toEqual(['web'])
  })

  test('the hash also changes with an image, and not with other services or sections', () => {
    const v2 = fs.readFileSync(fixture('v2-app.config.yml'), 'utf8')
    const changed = path.join(tmp, 'v2-app-changed.config.yml')
    fs.writeFileSync(
      changed,
      v2.replace('image: reg/worker\n', 'image: reg/worker:2\n').replace('name: app_data', 'name: other_data')
    )
    const old = hashes(serviceFacts(shell, fixture('v2-app.config.yml')))
    const now = hashes(serviceFacts(shell, changed))
    expect([...now].filter(([svc, hash]) => hash !== old.get(svc)).map(([svc]) => svc)).toEqual(['worker'])
  })
})

// The v1 fixtures are docker-compose's own output: checked again wherever it is installed (it needs no daemon).
;(has('docker-compose') ? test : test.skip)(
  'the v1 fixtures are what docker-compose config prints',
  () => {
    const config = (file: string, apiKey: string): string =>
      execFileSync('docker-compose', ['-f', fixture(file), 'config'], {
        encoding: 'utf8',
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmp, API_KEY: apiKey },
        stdio: ['ignore', 'pipe', 'pipe']
      })
    const read = (file: string): string => fs.readFileSync(fixture(file), 'utf8')
    expect(config('v1-app.compose.yml', SECRET)).toBe(read('v1-app.config.yml'))
    expect(config('v1-app.compose.yml', 'SECRET_VALUE_456')).toBe(read('v1-app-rotated.config.yml'))
    expect(config('v1-scale.compose.yml', SECRET)).toBe(read('v1-scale.config.yml'))
  },
  60_000
)
