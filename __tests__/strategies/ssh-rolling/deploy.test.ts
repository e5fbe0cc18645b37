/** The ssh-rolling orchestration against an in-memory fleet: batches, health gates, rollback, locks, cancellation, recovery. */
import type { CommandRunner } from '../../../src/command-runner.js'
import type { SshRollingConfig } from '../../../src/strategies/ssh-rolling/config.js'
import type { Deps } from '../../../src/deps.js'
import { createJournal, loadJournal } from '../../../src/journal.js'
import { createSshRolling } from '../../../src/strategies/ssh-rolling/index.js'
import type { DeployResult, Strategy, TargetReport } from '../../../src/types.js'
import {
  fakeClock,
  recordingIO,
  recordingLogger,
  RUN_IDENTITY,
  type RecordingIO,
  type RecordingLogger
} from '../../helpers/fake-deps.js'
import { fakeCommands } from '../../helpers/fake-commands.js'
import { FakeFleet } from './helpers/fake-fleet.js'
import { NEW, NEW_ID, OLD, OLD_ID, SECRET, sshConfig } from './helpers/ssh-config.js'

interface Harness {
  fleet: FakeFleet
  deps: Deps & { log: RecordingLogger; io: RecordingIO }
  strategy: Strategy
  clock: ReturnType<typeof fakeClock>
  cancel: AbortController
  deploy(): Promise<DeployResult>
}

function setup(
  config: SshRollingConfig = sshConfig(),
  fleet = new FakeFleet(
    config.hosts.map((h) => h.host),
    OLD,
    OLD_ID
  ),
  runCommand?: CommandRunner
): Harness {
  fleet.registry.set(NEW, NEW_ID)
  const clock = fakeClock()
  const cancel = new AbortController()
  const io = recordingIO()
  const deps = {
    inputs: { getInput: () => '' },
    env: {},
    log: recordingLogger(),
    clock,
    io,
    cancel: cancel.signal,
    identity: RUN_IDENTITY,
    overrides: { sshConnector: fleet, httpGet: fleet.http },
    ...(runCommand ? { runCommand } : {})
  }
  const strategy = createSshRolling(config, deps)
  return {
    fleet,
    deps,
    strategy,
    clock,
    cancel,
    deploy: () =>
      strategy.deploy({
        journal: createJournal(io, undefined, { done: false }),
        signal: cancel.signal,
        setOutput: () => undefined
      })
  }
}

const outcomes = (r: DeployResult): Record<string, string> =>
  Object.fromEntries(r.targets.map((t: TargetReport) => [t.name, t.outcome]))
const groups = (log: RecordingLogger): string[] => log.entries.filter((e) => e.level === 'group').map((e) => e.message)

describe('ssh-rolling deploy', () => {
  test('a healthy rollout of 4 hosts in batches of 2', async () => {
    const h = setup()
    const result = await h.deploy()
    expect(result.status).toBe('succeeded')
    expect(result.message).toBe(`Deployed ${NEW} to 4 hosts in 2 batches`)
    expect(outcomes(result)).toEqual({ h1: 'deployed', h2: 'deployed', h3: 'deployed', h4: 'deployed' })
    expect(result.targets.map((t) => [t.before, t.after])).toEqual(Array(4).fill([OLD, NEW]))
    expect(groups(h.deps.log)).toEqual([
      'Pre-flight 4 hosts',
      'Back up and pull on 4 hosts',
      'Batch 1/2: h1, h2',
      'Batch 2/2: h3, h4',
      'Release 4 deploy locks'
    ])
    for (const host of h.fleet.hosts.values()) {
      expect(host.image()).toBe(NEW)
      expect(host.imageId()).toBe(NEW_ID)
      expect(host.env().get('IMAGE')).toBe(NEW)
      expect(host.env().get('DB_PASSWORD')).toBe(SECRET)
      expect(host.env().get('LOG_LEVEL')).toBe('info')
      expect(host.files.get('.env')?.mode).toBe(0o600)
      expect(host.lock).toBeUndefined()
      expect(host.audit).toEqual([
        expect.objectContaining({
          outcome: 'deployed',
          before: OLD,
          after: NEW,
          actor: 'octocat',
          run: 'https://github.com/acme/shop/actions/runs/4242',
          sha: RUN_IDENTITY.sha,
          ref: 'refs/heads/main'
        })
      ])
      expect(h.fleet.ran(host.name)).toEqual([
        'preflight',
        'backup',
        'pull',
        'apply',
        'up',
        'health',
        'audit',
        'unlock'
      ])
      expect(host.connects).toBe(1)
      // The tag pulled ahead stays: the host now runs it.
      expect(host.tags.get(NEW)).toBe(NEW_ID)
    }
    const order = h.fleet.execs.map((e) => `${e.host}:${e.script}`)
    // Every host is backed up and has pulled before the first host changes.
    const firstApply = order.indexOf('h1:apply')
    for (const n of ['h1', 'h2', 'h3', 'h4']) {
      expect(order.indexOf(`${n}:pull`)).toBeGreaterThan(order.lastIndexOf(`h4:preflight`))
      expect(order.indexOf(`${n}:pull`)).toBeLessThan(firstApply)
    }
    // A deploy's pre-flight leaves validating the configuration to the pull; the health check expects the services
    // that ran before (the backup's), none of them a one-shot.
    expect(h.fleet.execs.filter((e) => e.script === 'preflight').map((e) => e.args.at(-1))).toEqual(Array(4).fill('no'))
    expect(h.fleet.execs.find((e) => e.script === 'health')?.args.slice(-2)).toEqual(['web', ''])
    // Batch 2 starts only when batch 1 is healthy; batch 1's audit lines are written while it starts.
    expect(order.indexOf('h3:apply')).toBeGreaterThan(order.indexOf('h1:health'))
    expect(order.indexOf('h3:apply')).toBeGreaterThan(order.indexOf('h2:health'))
    // The secret only travels as script input, never on a command line, in a log line or in the result.
    expect(h.fleet.commandLines.join('\n')).not.toContain(SECRET)
    expect(h.fleet.execs.filter((e) => e.input?.includes(SECRET)).map((e) => e.script)).toEqual([
      ...Array(4).fill('pull'),
      ...Array(4).fill('apply')
    ])
    expect(h.deps.log.text()).not.toContain(SECRET)
    expect(JSON.stringify(result)).not.toContain(SECRET)
    // Every phase reported with its duration.
    expect(result.targets[0]?.phases.map((p) => p.name)).toEqual([
      'connect',
      'preflight',
      'backup',
      'pull',
      'apply',
      'up',
      'health',
      'audit',
      'unlock'
    ])
  })

  test('a deployed host’s audit line does not hold up the next batch, and is written before the locks are released', async () => {
    const h = setup()
    let batch2Started: () => void = () => undefined
    const started = new Promise<void>((resolve) => (batch2Started = resolve))
    h.fleet.host('h3').beforeExec = (script) => {
      if (script === 'apply') batch2Started()
    }
    let auditSawBatch2 = false
    h.fleet.host('h1').beforeExec = async (script) => {
      if (script !== 'audit') return
      // Held until batch 2 starts (or 2 s, if it never does while h1's audit is open).
      const timeout = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 2000))
      auditSawBatch2 = await Promise.race([started.then(() => true), timeout])
    }
    const result = await h.deploy()
    expect(result.status).toBe('succeeded')
    expect(auditSawBatch2).toBe(true)
    expect(h.fleet.host('h1').audit.map((a) => a.outcome)).toEqual(['deployed'])
    const order = h.fleet.execs.map((e) => `${e.host}:${e.script}`)
    expect(order.indexOf('h1:unlock')).toBeGreaterThan(order.indexOf('h1:audit'))
  })

  test('a health-check URL with a password and a token: neither reaches the log, the report or the plan', async () => {
    const url = 'http://probe:pa55w0rd-x@{host}:8080/health?token=t0k3n-value-123&verbose=1'
    const hc = { url, retries: 2, intervalMs: 1000, timeoutMs: 1000, startPeriodMs: 0 }
    const h = setup(sshConfig({ healthCheck: hc }))
    h.fleet.host('h2').unhealthy.add(NEW_ID)
    const result = await h.deploy()
    expect(result.status).toBe('rolled-back')
    const shown = [JSON.stringify(result), h.deps.log.text()].join('\n')
    expect(shown).toContain('HTTP 503 from http://probe:***@h2:8080/health?token=***&verbose=***')
    expect(shown).not.toMatch(/pa55w0rd|t0k3n/)
    const plan = await setup(sshConfig({ healthCheck: hc, dryRun: true })).deploy()
    expect(JSON.stringify(plan)).toContain('GET http://probe:***@{host}:8080/health?token=***&verbose=***')
    expect(JSON.stringify(plan)).not.toMatch(/pa55w0rd|t0k3n/)
  })

  test('host 3 unhealthy: fleet rollback of 3, 2, 1 in reverse order; host 4 untouched', async () => {
    const h = setup(
      sshConfig({
        firstBatchSize: { kind: 'count', value: 1 },
        healthCheck: {
          url: 'http://{host}:8080/health',
          retries: 3,
          intervalMs: 2000,
          timeoutMs: 1000,
          startPeriodMs: 0
        }
      })
    )
    h.fleet.host('h3').unhealthy.add(NEW_ID)
    const result = await h.deploy()
    expect(result.status).toBe('rolled-back')
    expect(outcomes(result)).toEqual({ h1: 'rolled-back', h2: 'rolled-back', h3: 'rolled-back', h4: 'untouched' })
    expect(result.message).toBe(
      `Deploy of ${NEW} failed on h3 (health: unhealthy after 3 tries: HTTP 503 from http://h3:8080/health); rolled back h1, h2, h3; untouched: h4`
    )
    expect(groups(h.deps.log)).toEqual([
      'Pre-flight 4 hosts',
      'Back up and pull on 4 hosts',
      'Batch 1/3: h1',
      'Batch 2/3: h2, h3',
      'Roll back: h3, h2, h1',
      'Release 4 deploy locks'
    ])
    for (const name of ['h1', 'h2', 'h3']) {
      const host = h.fleet.host(name)
      expect([host.image(), host.imageId(), host.env().get('IMAGE'), host.env().has('DB_PASSWORD')]).toEqual([
        OLD,
        OLD_ID,
        OLD,
        false
      ])
      expect(host.audit.map((a) => a.outcome)).toEqual(name === 'h3' ? ['rolled-back'] : ['deployed', 'rolled-back'])
    }
    expect(h.fleet.ran('h4')).toEqual(['preflight', 'backup', 'pull', 'unlock'])
    expect(h.fleet.host('h4').lock).toBeUndefined()
    const h3 = result.targets.find((t) => t.name === 'h3')
    expect(h3).toMatchObject({
      before: OLD,
      after: OLD,
      error: 'health: unhealthy after 3 tries: HTTP 503 from http://h3:8080/health'
    })
    expect(result.targets.find((t) => t.name === 'h1')?.state).toBe('rolled back because h3 failed')
    // 3 tries, 2 s apart, on the injected clock.
    expect(h.clock.sleeps.filter((ms) => ms === 2000).length).toBeGreaterThanOrEqual(2)
    expect(h.deps.log.text()).toContain('[h3] == docker compose ps')
  })

  test('rollbackScope host: only the failed host is rolled back, the others keep the new version', async () => {
    const h = setup(sshConfig({ rollbackScope: 'host', firstBatchSize: { kind: 'count', value: 1 } }))
    h.fleet.host('h3').unhealthy.add(NEW_ID)
    const result = await h.deploy()
    expect(result.status).toBe('failed')
    expect(outcomes(result)).toEqual({ h1: 'deployed', h2: 'deployed', h3: 'rolled-back', h4: 'untouched' })
    expect(h.fleet.host('h1').image()).toBe(NEW)
    expect(h.fleet.host('h3').image()).toBe(OLD)
    expect(result.message).toContain('rolled back h3; on the new version: h1, h2; untouched: h4')
    expect(result.message).toContain('failed on h3 (health: unhealthy after 3 tries: app_web_1 is unhealthy)')
  })

  test('rollback disabled: the failed host is reported with the state it was left in', async () => {
    const h = setup(sshConfig({ rollbackOnFailure: false }))
    h.fleet.host('h2').unhealthy.add(NEW_ID)
    const result = await h.deploy()
    expect(result.status).toBe('failed')
    expect(outcomes(result)).toEqual({ h1: 'deployed', h2: 'failed', h3: 'untouched', h4: 'untouched' })
    expect(result.targets[1]).toMatchObject({
      state: 'new version running but unhealthy; rollback disabled',
      after: NEW
    })
    expect(h.fleet.host('h2').audit.map((a) => a.outcome)).toEqual(['failed'])
    expect([...h.fleet.hosts.values()].every((x) => x.lock === undefined)).toBe(true)
  })

  test('a pre-deploy failure stops that host before any change; the fleet rolls back the rest of its batch', async () => {
    const h = setup(sshConfig({ preDeployCommand: './migrate.sh' }))
    h.fleet.host('h2').failures.set('pre-deploy command', 'migration failed')
    const result = await h.deploy()
    expect(outcomes(result)).toEqual({ h1: 'rolled-back', h2: 'failed', h3: 'untouched', h4: 'untouched' })
    expect(result.targets[1]).toMatchObject({
      state: 'unchanged (pre-deploy failed before any change)',
      error: 'pre-deploy: pre-deploy command exited with code 3',
      after: OLD
    })
    expect(h.fleet.ran('h2')).toEqual(['preflight', 'backup', 'pull', 'run:pre-deploy command', 'audit', 'unlock'])
    expect(h.fleet.host('h2').env().get('IMAGE')).toBe(OLD)
  })

  test('a pull failure on one host stops the deploy before any host changes; a tag moved by a pull is put back', async () => {
    // The deploy re-pushes the tag the hosts run (`reg/app:1` now names another build): a pull moves it.
    const h = setup(sshConfig({ image: { ref: OLD, registry: 'reg', name: 'app', tag: '1' } }))
    h.fleet.registry.set(OLD, 'sha256:rebuilt')
    h.fleet.host('h4').failures.set('pull', 'docker compose pull failed with exit code 1: manifest unknown')
    const result = await h.deploy()
    expect(result.status).toBe('failed')
    expect(result.message).toBe(
      'Backup or pull failed on 1 of 4 hosts, nothing was changed: h4: pull: docker compose pull failed with exit code 1: manifest unknown'
    )
    expect(outcomes(result)).toEqual({ h1: 'untouched', h2: 'untouched', h3: 'untouched', h4: 'failed' })
    expect(result.targets[3]?.state).toBe('backup or pull failed before the rollout, unchanged')
    expect(groups(h.deps.log)).toEqual(['Pre-flight 4 hosts', 'Back up and pull on 4 hosts', 'Release 4 deploy locks'])
    for (const host of h.fleet.hosts.values()) {
      expect(h.fleet.ran(host.name)).toEqual(['preflight', 'backup', 'pull', 'unlock'])
      expect(host.imageId()).toBe(OLD_ID)
      expect(host.env().get('IMAGE')).toBe(OLD)
      // The unlock names the backup whose image ids it tags again.
      const unlock = h.fleet.execs.find((e) => e.host === host.name && e.script === 'unlock')
      expect(unlock?.args[2]).toMatch(/^\/srv\/app\/\.deploy\/backups\//)
      expect(host.tags.get(OLD)).toBe(OLD_ID)
      expect(host.lock).toBeUndefined()
    }
  })

  test('an unlock that cannot put a moved tag back still releases the lock and warns', async () => {
    const h = setup()
    h.fleet.host('h3').failures.set('pull', 'docker compose pull failed with exit code 1: manifest unknown')
    h.fleet.host('h1').tagFails = true
    await h.deploy()
    expect(h.fleet.host('h1').lock).toBeUndefined()
    expect(h.deps.log.entries).toContainEqual({
      level: 'warning',
      message: `h1: cannot tag ${OLD_ID} as ${OLD}: a tag this run's pull moved may now name the new build (the running containers are unchanged)`
    })
  })

  test('a deadline passed during pre-flight starts no backup or pull, and changes nothing', async () => {
    const h = setup()
    // The last pre-flight takes the whole timeout-minutes (30).
    h.fleet.host('h4').beforeExec = (script) => (script === 'preflight' ? h.clock.sleep(30 * 60_000) : undefined)
    const result = await h.deploy()
    expect(result.status).toBe('failed')
    expect(result.message).toMatch(
      /^Backup or pull failed on 4 of 4 hosts, nothing was changed: h1: deadline reached \(timeout-minutes 30\) before its backup; /
    )
    for (const name of ['h1', 'h2', 'h3', 'h4']) expect(h.fleet.ran(name)).toEqual(['preflight', 'unlock'])
  })

  test('cancelled during the backups: no pull starts after it, nothing changes, every lock is released', async () => {
    const h = setup()
    h.fleet.host('h1').beforeExec = (script) => {
      if (script === 'backup') h.cancel.abort(new Error('Cancelled by SIGINT'))
    }
    const result = await h.deploy()
    expect(result.status).toBe('failed')
    expect(result.message).toBe('Cancelled before the first batch, nothing was changed')
    expect(result.targets[0]?.error).toBe('cancelled before its pull')
    expect(h.fleet.execs.filter((e) => e.script === 'apply')).toEqual([])
    // h1 finished its backup (never killed mid-command); no host pulled.
    expect(h.fleet.ran('h1')).toEqual(['preflight', 'backup', 'unlock'])
    expect(h.fleet.execs.filter((e) => e.script === 'pull')).toEqual([])
    for (const host of h.fleet.hosts.values()) {
      expect(host.lock).toBeUndefined()
      expect(host.env().get('IMAGE')).toBe(OLD)
    }
  })

  test('a failed backup stops the deploy before any pull or change', async () => {
    const h = setup()
    h.fleet.host('h2').failures.set('backup', 'cannot create /srv/app/.deploy/backups')
    const result = await h.deploy()
    expect(result.message).toBe(
      'Backup or pull failed on 1 of 4 hosts, nothing was changed: h2: backup: cannot create /srv/app/.deploy/backups'
    )
    expect(h.fleet.ran('h2')).toEqual(['preflight', 'backup', 'unlock'])
    expect(h.fleet.execs.filter((e) => e.script === 'apply')).toEqual([])
    // A host that did not pull has no tag to put back.
    expect(h.fleet.execs.find((e) => e.host === 'h2' && e.script === 'unlock')?.args).toHaveLength(2)
  })

  test.each([
    ['up', 'new .env written, containers may be half recreated (up failed); rollback disabled', NEW],
    ['post-deploy command', 'new version running, post-deploy command failed; rollback disabled', NEW]
  ] as const)('a %s failure without rollback says what the host is left with', async (point, state, running) => {
    const h = setup(sshConfig({ rollbackOnFailure: false, postDeployCommand: './notify.sh' }))
    h.fleet.host('h1').failures.set(point, `${point} broke`)
    const result = await h.deploy()
    expect(result.status).toBe('failed')
    expect(result.targets[0]).toMatchObject({ outcome: 'failed', state, after: running })
    expect(outcomes(result)).toMatchObject({ h2: 'deployed', h3: 'untouched' })
  })

  test('a post-deploy failure rolls the host back', async () => {
    const h = setup(sshConfig({ postDeployCommand: './notify.sh' }))
    h.fleet.host('h1').failures.set('post-deploy command', 'notify failed')
    const result = await h.deploy()
    expect(outcomes(result)).toEqual({ h1: 'rolled-back', h2: 'rolled-back', h3: 'untouched', h4: 'untouched' })
    expect(result.targets[0]?.error).toBe('post-deploy: post-deploy command exited with code 3')
  })

  test('recover with rollback disabled only releases the locks and says what is left changed', async () => {
    const h = setup(sshConfig({ rollbackOnFailure: false }))
    h.fleet.host('h2').beforeExec = (script) => (script === 'health' ? new Promise<void>(() => undefined) : undefined)
    void h.deploy()
    await new Promise((r) => setTimeout(r, 50))
    h.fleet.host('h2').beforeExec = undefined
    const io = recordingIO({ journal: h.deps.io.state.journal ?? '' })
    const journal = createJournal<Record<string, unknown>>(io, undefined, loadJournal(io, undefined))
    const result = await createSshRolling(sshConfig({ rollbackOnFailure: false }), { ...h.deps, io }).recover({
      journal,
      signal: new AbortController().signal
    })
    expect(result?.status).toBe('failed')
    expect(result?.message).toBe(
      'The main step was cut short; left changed: h2 (rollback disabled); on the new version: h1; untouched: h3, h4'
    )
    expect([...h.fleet.hosts.values()].every((x) => x.lock === undefined)).toBe(true)
    expect(h.fleet.host('h2').image()).toBe(NEW)
  })

  test('a failed rollback is reported as such, with the host still failed', async () => {
    const h = setup()
    h.fleet.host('h2').unhealthy.add(NEW_ID)
    h.fleet.host('h2').failures.set('rollback', 'docker compose up failed with exit code 1')
    const result = await h.deploy()
    expect(result.status).toBe('failed')
    expect(outcomes(result)).toEqual({ h1: 'rolled-back', h2: 'failed', h3: 'untouched', h4: 'untouched' })
    expect(result.targets[1]?.state).toBe(
      'new version running but unhealthy; rollback failed: docker compose up failed with exit code 1'
    )
    expect(result.message).toContain('rollback FAILED on h2 (docker compose up failed with exit code 1)')
    expect(h.fleet.host('h2').audit.map((a) => a.outcome)).toEqual(['rollback-failed'])
  })

  test('up cut off from its runner, host unreachable after: failed with that fact, never rolled back, lock kept', async () => {
    const h = setup()
    const h2 = h.fleet.host('h2')
    h2.beforeExec = (script) => {
      if (script === 'up') h2.linkCut = true
    }
    const result = await h.deploy()
    expect(result.status).toBe('failed')
    expect(outcomes(result)).toEqual({ h1: 'rolled-back', h2: 'failed', h3: 'untouched', h4: 'untouched' })
    expect(result.targets[1]?.state).toMatch(
      /; the up phase may still be running on the host: cannot reconnect: .*timed out; left as it is \(not rolled back\), deploy lock kept$/
    )
    expect(result.message).toMatch(/NOT confirmed stopped: h2 \(the up phase may still be running/)
    expect(h.fleet.ran('h2')).not.toContain('rollback')
    expect(h2.lock).toBeDefined()
    expect(h.deps.log.text()).toMatch(
      /h2: deploy lock kept, it expires on its own within 10 minutes: the up phase may still be running/
    )
  })

  test('up cut off, link back but its process group survives TERM and KILL: failed, not rolled back', async () => {
    const h = setup()
    const h2 = h.fleet.host('h2')
    h2.unstoppable = true
    h2.dropDuring = 'up'
    const result = await h.deploy()
    expect(outcomes(result)).toEqual({ h1: 'rolled-back', h2: 'failed', h3: 'untouched', h4: 'untouched' })
    expect(result.targets[1]?.state).toMatch(/process group 4242 still runs after TERM and KILL/)
    expect(h.fleet.ran('h2').filter((s) => s === 'stop')).toHaveLength(2) // after up, and again before its rollback
    expect(h.fleet.ran('h2')).not.toContain('rollback')
  })

  test('up cut off, link back: the orphaned up is stopped first, then the host is rolled back', async () => {
    const h = setup()
    const h2 = h.fleet.host('h2')
    h2.dropDuring = 'up'
    const result = await h.deploy()
    expect(outcomes(result)).toEqual({ h1: 'rolled-back', h2: 'rolled-back', h3: 'untouched', h4: 'untouched' })
    expect(result.targets[1]?.error).toMatch(/^up: connection lost; stopped on the host$/)
    const ran = h.fleet.ran('h2')
    expect(ran.indexOf('stop')).toBeGreaterThan(ran.indexOf('up'))
    expect(ran.indexOf('rollback')).toBeGreaterThan(ran.indexOf('stop'))
    expect(h2.orphans).toBe(0)
    expect(h2.lock).toBeUndefined()
  })

  test('a host lost before its rollback: reported failed; its lock is left to expire without connecting again', async () => {
    const h = setup()
    const h2 = h.fleet.host('h2')
    h2.unhealthy.add(NEW_ID)
    h2.beforeExec = (script) => {
      if (script === 'diagnose') h2.linkCut = true
    }
    const result = await h.deploy()
    expect(result.status).toBe('failed')
    expect(outcomes(result)).toEqual({ h1: 'rolled-back', h2: 'failed', h3: 'untouched', h4: 'untouched' })
    expect(result.targets[1]?.state).toMatch(/rollback failed: cannot connect: .*timed out/)
    // Pre-flight's connection and the rollback's attempt; releasing the lock does not try a third time.
    expect(h2.connects).toBe(2)
    expect(h.deps.log.text()).toMatch(
      /h2: could not release the deploy lock \(.*timed out\); it expires on its own within 10 minutes$/m
    )
    expect(h2.lock).toBeDefined()
  })

  test('a pre-flight failure on one host: nothing changes anywhere, the locks taken are released', async () => {
    const h = setup()
    h.fleet
      .host('h3')
      .failures.set('preflight', 'the docker daemon is not reachable: Cannot connect to the Docker daemon')
    h.fleet.host('h4').failures.set('connect', 'connection refused (is sshd listening on port 22?)')
    const result = await h.deploy()
    expect(result.status).toBe('failed')
    expect(result.message).toBe(
      'Pre-flight failed on 2 of 4 hosts, nothing was changed: h3: the docker daemon is not reachable: Cannot connect to the Docker daemon; h4: deploy@h4:22: connection refused (is sshd listening on port 22?)'
    )
    expect(outcomes(result)).toEqual({ h1: 'untouched', h2: 'untouched', h3: 'failed', h4: 'failed' })
    for (const name of ['h1', 'h2']) expect(h.fleet.ran(name)).toEqual(['preflight', 'unlock'])
    expect(h.fleet.ran('h3')).toEqual(['preflight'])
    for (const host of h.fleet.hosts.values()) {
      expect(host.lock).toBeUndefined()
      expect(host.image()).toBe(OLD)
    }
    expect(result.sections?.[0]?.title).toBe('Pre-flight')
    expect(result.sections?.[0]?.body).toContain('| h3 | ❌ the docker daemon is not reachable')
  })

  test('a lock held by another run: waits lock-wait-seconds, polling, then fails naming the owner', async () => {
    const h = setup(sshConfig({ lockWaitSeconds: 12 }))
    const owner = JSON.stringify({
      runUrl: 'https://github.com/acme/shop/actions/runs/1',
      actor: 'alice',
      startedAt: '2023-11-14T22:00:00.000Z',
      expiresAt: '2030-01-01T00:00:00.000Z'
    })
    h.fleet.host('h2').lock = { token: 'other', ownerJson: owner, expires: 2_000_000_000 }
    const start = h.clock.now()
    const result = await h.deploy()
    expect(result.status).toBe('failed')
    expect(result.message).toContain(
      'h2: the deploy lock /srv/app/.deploy/lock is held by run https://github.com/acme/shop/actions/runs/1 (by alice, since 2023-11-14T22:00:00.000Z, expires 2030-01-01T00:00:00.000Z); waited 12 s (lock-wait-seconds 12)'
    )
    expect(h.clock.now() - start).toBeGreaterThanOrEqual(12_000)
    expect(h.fleet.ran('h2').filter((s) => s === 'lock')).toHaveLength(3)
    expect(h.fleet.host('h2').lock?.token).toBe('other')
    expect(h.fleet.host('h1').lock).toBeUndefined()
    expect([...h.fleet.hosts.values()].every((x) => x.image() === OLD)).toBe(true)
  })

  test('a lock released while waiting is taken and the deploy goes on', async () => {
    const h = setup(sshConfig({ lockWaitSeconds: 60 }))
    const host = h.fleet.host('h1')
    host.lock = { token: 'other', ownerJson: '{}', expires: 2_000_000_000 }
    let polls = 0
    host.beforeExec = (script) => {
      if (script === 'lock' && ++polls === 2) host.lock = undefined
    }
    const result = await h.deploy()
    expect(result.status).toBe('succeeded')
    expect(result.targets[0]?.phases.find((p) => p.name === 'lock')).toMatchObject({ ok: true, detail: 'waited 10 s' })
  })

  test('cancelled while waiting for a lock: stops waiting, changes nothing', async () => {
    const h = setup(sshConfig({ lockWaitSeconds: 600 }))
    h.fleet.host('h2').lock = { token: 'other', ownerJson: '{"actor":"alice"}', expires: 2_000_000_000 }
    let polls = 0
    h.fleet.host('h2').beforeExec = (script) => {
      if (script === 'lock' && ++polls === 2) h.cancel.abort()
    }
    const result = await h.deploy()
    expect(result.message).toBe(
      'Pre-flight failed on 1 of 4 hosts, nothing was changed: h2: cancelled while waiting for the deploy lock held by another run (by alice)'
    )
    expect(polls).toBe(2)
    expect([...h.fleet.hosts.values()].map((x) => x.lock?.token)).toEqual([undefined, 'other', undefined, undefined])
  })

  test('without the image variable in .env, "before" is the image the container runs', async () => {
    const h = setup()
    for (const host of h.fleet.hosts.values()) host.files.set('.env', { content: 'LOG_LEVEL=info\n', mode: 0o644 })
    const result = await h.deploy()
    expect(result.status).toBe('succeeded')
    expect(result.targets.map((t) => t.before)).toEqual([OLD, OLD, OLD, OLD])
    expect(h.fleet.host('h1').audit[0]).toMatchObject({ before: OLD, after: NEW })
  })

  test('an expired lock is taken over with a warning: the host may be half-deployed, as its audit log last said', async () => {
    const h = setup()
    const host = h.fleet.host('h1')
    host.lock = { token: 'stale', ownerJson: JSON.stringify({ actor: 'bob' }), expires: host.time - 1 }
    host.audit.push({ outcome: 'deployed', after: 'reg/app:0' }, { outcome: 'failed', after: 'reg/app:9' })
    const result = await h.deploy()
    expect(result.status).toBe('succeeded')
    expect(h.deps.log.entries).toContainEqual({
      level: 'warning',
      message:
        'h1: took over an expired deploy lock from another run (by bob); the host may be half-deployed by that run (its audit log last recorded: {"outcome":"failed","after":"reg/app:9"})'
    })
  })

  test('lock expiry is the host’s: a runner clock years ahead neither takes over a live lock nor sends its time', async () => {
    const h = setup()
    // Far ahead of every host: by the runner's clock, h2's lock expired long ago.
    h.clock.sleep(20 * 365 * 24 * 3600_000)
    h.fleet.host('h2').lock = { token: 'other', ownerJson: '{"actor":"alice"}', expires: h.fleet.host('h2').time + 60 }
    const result = await h.deploy()
    expect(result.message).toContain('h2: the deploy lock /srv/app/.deploy/lock is held by another run (by alice)')
    expect(h.fleet.host('h2').lock?.token).toBe('other')
    const preflight = h.fleet.execs.find((e) => e.host === 'h1' && e.script === 'preflight')
    expect(preflight?.args.slice(4)).toEqual([expect.any(String), expect.any(String), '600', 'no'])
    expect(JSON.parse(preflight?.args[5] ?? '')).not.toHaveProperty('expiresAt')
  })

  test('locks are renewed every minute while held, on the host clock, and no longer once released', async () => {
    const h = setup()
    const hosts = [...h.fleet.hosts.values()]
    const renewed = (): boolean => hosts.every((x) => x.lock?.expires === x.time + 600)
    // h1's `up` takes 3 minutes (of host and runner time alike); each minute, the renewals have time to run.
    h.fleet.host('h1').beforeExec = async (script) => {
      if (script !== 'up') return
      for (let i = 1; i <= 3; i++) {
        for (const x of hosts) x.time += 60
        await h.clock.sleep(60_000)
        for (let spins = 0; !renewed() && spins < 1000; spins++) await new Promise((r) => setImmediate(r))
      }
    }
    const expiresAtRelease: Record<string, number | undefined> = {}
    for (const x of hosts.slice(1)) {
      x.beforeExec = (script) => {
        if (script === 'unlock') expiresAtRelease[x.name] = x.lock?.expires
      }
    }
    const result = await h.deploy()
    expect(result.status).toBe('succeeded')
    for (const x of hosts) {
      const ran = h.fleet.ran(x.name)
      expect(ran.filter((s) => s === 'renew')).toHaveLength(3)
      expect(ran.lastIndexOf('renew')).toBeLessThan(ran.indexOf('unlock'))
    }
    expect(h.fleet.execs.find((e) => e.script === 'renew')?.args).toEqual(['/srv/app', expect.any(String), '600'])
    // Renewed 3 minutes in: 10 minutes from then, by each host's clock.
    const start = 1_700_000_000
    expect(expiresAtRelease).toEqual({ h2: start + 180 + 600, h3: start + 180 + 600, h4: start + 180 + 600 })
  })

  test('a renewal that fails, or finds the lock taken over, is a warning and never fails the deploy', async () => {
    const h = setup()
    h.fleet.host('h3').failures.set('renew', 'disk full')
    h.fleet.host('h1').beforeExec = async (script) => {
      if (script !== 'up') return
      h.fleet.host('h4').lock = { token: 'thief', ownerJson: '{"actor":"mallory"}', expires: 2_000_000_000 }
      await h.clock.sleep(60_000)
    }
    const result = await h.deploy()
    const warnings = h.deps.log.entries.filter((e) => e.level === 'warning').map((e) => e.message)
    expect(warnings).toContain('h3: could not renew the deploy lock: disk full')
    expect(warnings).toContain(
      "h4: the deploy lock is now held by another run (by mallory): this run's expired and was taken over"
    )
    expect(result.targets.find((t) => t.name === 'h3')?.outcome).toBe('deployed')
  })

  test('a rollback never undoes the deploy of a run that took the host’s lock over', async () => {
    const h = setup(sshConfig({ rollbackScope: 'fleet' }))
    const thief = JSON.stringify({ runUrl: 'https://github.com/acme/shop/actions/runs/99', actor: 'mallory' })
    h.fleet.host('h2').unhealthy.add(NEW_ID)
    h.fleet.host('h2').beforeExec = (script) => {
      // h1 (deployed) lost its lock while h2 was being checked.
      if (script === 'health') h.fleet.host('h1').lock = { token: 'thief', ownerJson: thief, expires: 2_000_000_000 }
    }
    const result = await h.deploy()
    expect(outcomes(result)).toMatchObject({ h1: 'failed', h2: 'rolled-back' })
    const h1 = h.fleet.host('h1')
    expect(h1.image()).toBe(NEW)
    expect(h1.lock?.token).toBe('thief')
    expect(h.fleet.ran('h1')).not.toContain('health-rollback')
    expect(result.message).toContain(
      "h1 (the deploy lock is now held by run https://github.com/acme/shop/actions/runs/99 (by mallory) (this run's expired and was taken over): not rolled back, so as not to undo that run's deploy)"
    )
  })

  test('dry run: pre-flight and locks only, then a plan; nothing changes', async () => {
    const h = setup(
      sshConfig({
        dryRun: true,
        firstBatchSize: { kind: 'percent', value: 25 },
        batchSize: { kind: 'percent', value: 50 }
      })
    )
    const result = await h.deploy()
    expect(result.status).toBe('planned')
    expect(result.message).toBe(`Dry run: 4 hosts passed pre-flight; ${NEW} would be deployed in 3 batches`)
    expect(outcomes(result)).toEqual({ h1: 'planned', h2: 'planned', h3: 'planned', h4: 'planned' })
    const plan = result.sections?.find((s) => s.title === 'Plan')?.body ?? ''
    expect(plan).toContain(`1. Batch 1/3: h1 (${OLD} → ${NEW})`)
    expect(plan).toContain(`2. Batch 2/3: h2 (${OLD} → ${NEW}), h3 (${OLD} → ${NEW})`)
    expect(plan).toContain('3. Batch 3/3: h4')
    expect(plan).toContain('`IMAGE=reg/app:2` and `DB_PASSWORD`')
    expect(plan).toContain('Before the first batch, on every host at once (a dry run does neither):')
    expect(plan).toContain('- pull all services with the new `.env` values')
    expect(plan).not.toContain(SECRET)
    // No backup, no pull; pre-flight validates the compose configuration instead (its last argument).
    for (const name of ['h1', 'h2', 'h3', 'h4']) expect(h.fleet.ran(name)).toEqual(['preflight', 'unlock'])
    expect(h.fleet.execs.filter((e) => e.script === 'preflight').map((e) => e.args.at(-1))).toEqual(
      Array(4).fill('yes')
    )
  })

  test('cancelled mid-batch: in-flight hosts stop at a safe point, everything changed is rolled back and unlocked', async () => {
    const h = setup()
    h.fleet.host('h3').beforeExec = (script) => {
      if (script === 'up') h.cancel.abort(new Error('Cancelled by SIGINT'))
    }
    const result = await h.deploy()
    expect(result.status).toBe('rolled-back')
    expect(result.message).toBe(`Cancelled while deploying ${NEW}; rolled back h1, h2, h3, h4`)
    expect(groups(h.deps.log)).toContain('Cancelled: roll back: h4, h3, h2, h1')
    // h3 finished its `up` (never killed mid-command) and started nothing after it.
    expect(h.fleet.ran('h3')).toEqual([
      'preflight',
      'backup',
      'pull',
      'apply',
      'up',
      'rollback',
      'health',
      'audit',
      'unlock'
    ])
    for (const host of h.fleet.hosts.values()) {
      expect(host.image()).toBe(OLD)
      expect(host.env().get('IMAGE')).toBe(OLD)
      expect(host.lock).toBeUndefined()
    }
    expect(result.targets[0]?.state).toBe('rolled back because the job was cancelled')
  })

  test('the deadline stops a host that would start a phase after it', async () => {
    const h = setup(
      sshConfig({
        timeoutMinutes: 1,
        healthCheck: { retries: 100, intervalMs: 20_000, timeoutMs: 1000, startPeriodMs: 0 }
      })
    )
    h.fleet.host('h1').unhealthy.add(NEW_ID)
    const result = await h.deploy()
    expect(result.targets[0]?.error).toMatch(/^health: deadline reached after \d+ tries: app_web_1 is unhealthy$/)
    expect(outcomes(result)).toMatchObject({ h1: 'rolled-back', h3: 'untouched' })
  })

  test('the journal records progress as it happens', async () => {
    const h = setup()
    h.fleet.host('h4').unhealthy.add(NEW_ID)
    await h.deploy()
    const saved = JSON.parse(h.deps.io.state.journal ?? '{}') as {
      sshRolling: { token: string; hosts: Record<string, unknown> }
    }
    expect(saved.sshRolling.token).toMatch(/^[0-9a-f]{32}$/)
    expect(saved.sshRolling.hosts.h1).toEqual({
      lockTried: false,
      locked: false,
      compose: 'v2',
      imageBefore: OLD,
      backupDir: '/srv/app/.deploy/backups/20231114T221320Z-run4242',
      pulled: true,
      changed: true,
      changeOrder: 1,
      deployed: true,
      rolledBack: true
    })
  })
})

/** The post step after `h`'s main step died: a new process with only the journal. */
async function postStep(
  h: Harness,
  config = sshConfig()
): Promise<{ result: DeployResult | undefined; log: RecordingLogger }> {
  const io = recordingIO({ journal: h.deps.io.state.journal ?? '' })
  const journal = createJournal<Record<string, unknown>>(io, undefined, loadJournal(io, undefined))
  const log = recordingLogger()
  const result = await createSshRolling(config, { ...h.deps, io, log }).recover({
    journal,
    signal: new AbortController().signal
  })
  return { result, log }
}

/** `service_facts` lines of a one-service project that can run twice (no container_name, no fixed port). */
const WEB_FACTS = ['web\tservice\t', 'web\timage\treg/app:2', 'web\tstop_grace_period\t3s', 'web\thash\t42'].join('\n')

function startFirstSetup(config: SshRollingConfig = sshConfig()): Harness {
  const h = setup(config)
  for (const host of h.fleet.hosts.values()) host.facts = WEB_FACTS
  return h
}

describe('ssh-rolling verify-command', () => {
  const verify = { command: './smoke.sh', timeoutMs: 60_000 }

  test('runs after each batch passes its health gate, with the batch in its environment', async () => {
    const commands = fakeCommands([])
    const h = setup(sshConfig({ verify }), undefined, commands)
    const result = await h.deploy()
    expect(result.status).toBe('succeeded')
    expect(commands.runs.map((r) => [r.env.DEPLOY_BATCH, r.env.DEPLOY_TARGETS, r.env.DEPLOY_HOSTS_DEPLOYED])).toEqual([
      ['1/2', 'h1 h2', 'h1 h2'],
      ['2/2', 'h3 h4', 'h1 h2 h3 h4']
    ])
    expect(commands.runs[0]?.env).toMatchObject({ DEPLOY_STRATEGY: 'ssh-rolling', DEPLOY_IMAGE: NEW })
  })

  test('a failure fails the batch: rolled back as a failed health gate is, the reason and last lines reported', async () => {
    const commands = fakeCommands([{ exitCode: 0 }, { exitCode: 1, lines: ['GET /checkout', 'HTTP 500'] }])
    const h = setup(sshConfig({ verify }), undefined, commands)
    const result = await h.deploy()
    expect(result.status).toBe('rolled-back')
    expect(outcomes(result)).toEqual({ h1: 'rolled-back', h2: 'rolled-back', h3: 'rolled-back', h4: 'rolled-back' })
    const reason = 'verify-command failed with exit code 1; last output: "GET /checkout" / "HTTP 500"'
    expect(result.message).toContain(`failed on h3 (${reason}), h4 (${reason})`)
    expect(groups(h.deps.log)).toContain('Roll back: h4, h3, h2, h1')
    for (const host of h.fleet.hosts.values()) expect(host.image()).toBe(OLD)
  })

  test('with rollback-scope host only the batch that failed its gate is rolled back', async () => {
    const commands = fakeCommands([{ exitCode: 0 }, { exitCode: 2 }])
    const h = setup(sshConfig({ verify, rollbackScope: 'host' }), undefined, commands)
    const result = await h.deploy()
    expect(outcomes(result)).toEqual({ h1: 'deployed', h2: 'deployed', h3: 'rolled-back', h4: 'rolled-back' })
  })

  test('a gate that outlives verify-timeout is stopped and fails the batch', async () => {
    let stopped = false
    const h = setup(sshConfig({ verify: { command: 'sleep 999', timeoutMs: 5000 } }), undefined, async (_c, run) => {
      // Stands for a command that only ends when stopped; the fake clock moves on while it runs.
      while (!run.signal.aborted) await h.clock.sleep(1000)
      stopped = true
      return { exitCode: 143 }
    })
    const result = await h.deploy()
    expect(stopped).toBe(true)
    expect(result.status).toBe('rolled-back')
    expect(result.message).toContain('failed on h1 (verify-command timed out after 5 s)')
  })
})

describe('ssh-rolling start-first', () => {
  test('the new container starts beside the old, passes its gate, serves for switch-delay, then the old goes', async () => {
    const h = startFirstSetup()
    const result = await h.deploy()
    expect(result.status).toBe('succeeded')
    const ran = h.fleet.ran('h1')
    expect(ran).not.toContain('up')
    expect(ran.slice(ran.indexOf('apply'), ran.indexOf('switch') + 1)).toEqual([
      'apply',
      'start',
      'gate',
      'gate',
      'switch'
    ])
    for (const host of h.fleet.hosts.values()) {
      expect(host.imageId()).toBe(NEW_ID)
      expect(host.fresh.size).toBe(0)
    }
    const lines = h.deps.log.entries.map((e) => e.message)
    expect(lines).toContain('h1: web start-first (can run beside its old containers)')
    expect(lines).toContain('[h1] started app_web_2 beside app_web_1')
    expect(lines).toContain('[h1] new containers serve beside the old for 5 s (switch-delay)')
    // The switch retires the old container within its stop_grace_period (3 s), by id.
    const sw = h.fleet.execs.find((e) => e.host === 'h1' && e.script === 'switch')
    expect(sw?.args.at(-1)).toBe('c-old\t3')
  })

  test('a dry run names each service’s order in its plan, as if the deploy changed it', async () => {
    const h = startFirstSetup(sshConfig({ dryRun: true }))
    h.fleet.host('h2').facts = `${WEB_FACTS}\ndb\tservice\t\ndb\tcontainer_name\tdb\ndb\thash\t7`
    const result = await h.deploy()
    expect(result.status).toBe('planned')
    const plan = result.sections?.find((s) => s.title === 'Plan')?.body ?? ''
    expect(plan).toContain(
      'all services: each changed service that can run twice starts beside the old (start-first), passes its gate'
    )
    const orders = result.sections?.find((s) => s.title === 'Update order per host')?.body ?? ''
    expect(orders).toContain('| h1 | web start-first (can run beside its old containers) |')
    expect(orders).toContain(
      '| h2 | db stop-first (container_name "db": a second container cannot have the same name); web start-first (can run beside its old containers) |'
    )
    expect(orders).toContain('A dry run does not pull: each service is shown as if the deploy changes it.')
    for (const name of ['h1', 'h2']) expect(h.fleet.ran(name)).toEqual(['preflight', 'unlock'])
  })

  test('update-order stop-first, or no facts from compose: one compose up, as before', async () => {
    const stopFirst = startFirstSetup(sshConfig({ updateOrder: 'stop-first' }))
    await stopFirst.deploy()
    expect(stopFirst.fleet.ran('h1')).toContain('up')
    expect(stopFirst.fleet.ran('h1')).not.toContain('start')
    const noFacts = setup()
    await noFacts.deploy()
    expect(noFacts.fleet.ran('h1')).toContain('up')
    expect(noFacts.fleet.ran('h1')).not.toContain('start')
  })

  test('new container unhealthy: it is removed, the old one never stopped, nothing switched', async () => {
    const h = startFirstSetup()
    h.fleet.host('h1').unhealthy.add(NEW_ID)
    const result = await h.deploy()
    expect(result.status).toBe('rolled-back')
    expect(result.targets[0]?.error).toBe('gate: the new containers did not pass: app_web_2 is unhealthy (after 1 try)')
    const host = h.fleet.host('h1')
    expect(h.fleet.ran('h1')).not.toContain('switch')
    expect(host.retired).toBe(1)
    expect(host.imageId()).toBe(OLD_ID)
    expect(host.env().get('IMAGE')).toBe(OLD)
    // The rollback was told which services to clear of new containers, with their grace period.
    const rb = h.fleet.execs.find((e) => e.host === 'h1' && e.script === 'rollback')
    expect(rb?.args[6]).toBe('web\t3')
  })

  test('cancelled during switch-delay: the new containers go, the old keep serving', async () => {
    const h = startFirstSetup()
    h.fleet.host('h1').beforeExec = (script) => {
      if (script === 'gate') h.cancel.abort(new Error('Cancelled by SIGINT'))
    }
    const result = await h.deploy()
    expect(result.status).toBe('rolled-back')
    const host = h.fleet.host('h1')
    expect(h.fleet.ran('h1')).not.toContain('switch')
    expect(host.retired).toBe(1)
    expect(host.fresh.size).toBe(0)
    expect(host.imageId()).toBe(OLD_ID)
  })

  test('a host that switched is rolled back the usual way (its old containers are gone)', async () => {
    const h = startFirstSetup()
    h.fleet.host('h3').unhealthy.add(NEW_ID)
    const result = await h.deploy()
    expect(outcomes(result)).toMatchObject({ h1: 'rolled-back', h3: 'rolled-back' })
    const rb = h.fleet.execs.find((e) => e.host === 'h1' && e.script === 'rollback')
    expect(rb?.args[6]).toBe('')
    expect(h.fleet.host('h1').imageId()).toBe(OLD_ID)
  })

  test('the post step of a main step killed before the switch removes the new containers', async () => {
    const h = startFirstSetup()
    h.fleet.host('h1').beforeExec = (script) => (script === 'gate' ? new Promise<void>(() => undefined) : undefined)
    void h.deploy()
    await new Promise((r) => setTimeout(r, 50))
    expect(h.fleet.host('h1').fresh.size).toBe(1)
    h.fleet.host('h1').beforeExec = undefined
    const io = recordingIO({ journal: h.deps.io.state.journal ?? '' })
    const saved = loadJournal<Record<string, unknown>>(io, undefined)
    const journal = createJournal<Record<string, unknown>>(io, undefined, saved)
    const post = createSshRolling(sshConfig(), { ...h.deps, io, log: recordingLogger() })
    const result = await post.recover({ journal, signal: new AbortController().signal })
    expect(result?.status).toBe('rolled-back')
    const host = h.fleet.host('h1')
    expect(host.retired).toBe(1)
    expect(host.fresh.size).toBe(0)
    expect(host.imageId()).toBe(OLD_ID)
  })
})

describe('ssh-rolling recover', () => {
  test('after the main step died mid-batch: rolls back what changed, releases every lock; a second run does nothing', async () => {
    const h = setup()
    // The main step hangs in h3's `up` and is killed there: nothing after it runs, not even its finally.
    h.fleet.host('h3').beforeExec = (script) => (script === 'up' ? new Promise<void>(() => undefined) : undefined)
    void h.deploy()
    await new Promise((r) => setTimeout(r, 50))
    expect(h.fleet.host('h3').env().get('IMAGE')).toBe(NEW)
    expect(h.fleet.host('h4').lock).toBeDefined()
    h.fleet.host('h3').beforeExec = undefined

    // The post step: a new process with only the journal.
    const io = recordingIO({ journal: h.deps.io.state.journal ?? '' })
    const saved = loadJournal<Record<string, unknown>>(io, undefined)
    const journal = createJournal<Record<string, unknown>>(io, undefined, saved)
    const post = createSshRolling(sshConfig(), { ...h.deps, io, log: recordingLogger() })
    const result = await post.recover({ journal, signal: new AbortController().signal })
    expect(result?.status).toBe('rolled-back')
    expect(result?.message).toBe('The main step was cut short; rolled back h1, h2, h3, h4')
    expect(outcomes(result as DeployResult)).toEqual({
      h3: 'rolled-back',
      h2: 'rolled-back',
      h1: 'rolled-back',
      h4: 'rolled-back'
    })
    for (const host of h.fleet.hosts.values()) {
      expect(host.lock).toBeUndefined()
      expect(host.env().get('IMAGE')).toBe(OLD)
      expect(host.image()).toBe(OLD)
    }
    // What the killed main step left running is stopped before anything else happens on a host.
    expect(h.fleet.ran('h3').slice(-5)).toEqual(['stop', 'rollback', 'health', 'audit', 'unlock'])
    for (const name of h.fleet.hosts.keys()) {
      const ran = h.fleet.ran(name)
      expect(ran.lastIndexOf('stop')).toBeLessThan(ran.lastIndexOf('rollback'))
    }
    const again = await post.recover({ journal, signal: new AbortController().signal })
    expect(again).toBeUndefined()
  })

  test('after the main step died during the pulls: nothing to roll back; unlocks put back the tags pulls moved', async () => {
    // A re-pushed tag: the hosts' pulls move `reg/app:1` to another build.
    const config = sshConfig({ image: { ref: OLD, registry: 'reg', name: 'app', tag: '1' } })
    const h = setup(config)
    h.fleet.registry.set(OLD, 'sha256:rebuilt')
    h.fleet.host('h4').beforeExec = (script) => (script === 'pull' ? new Promise<void>(() => undefined) : undefined)
    void h.deploy()
    await new Promise((r) => setTimeout(r, 50))
    expect(h.fleet.host('h1').tags.get(OLD)).toBe('sha256:rebuilt')
    h.fleet.host('h4').beforeExec = undefined

    const { result } = await postStep(h, config)
    expect(result?.message).toBe('The main step was cut short before any host changed; released the deploy locks')
    for (const host of h.fleet.hosts.values()) {
      expect(h.fleet.ran(host.name).slice(-1)).toEqual(['unlock'])
      expect(host.lock).toBeUndefined()
      // h4's pull never ran here, but it was recorded as started: its unlock puts the tags back too.
      expect(host.tags.get(OLD)).toBe(OLD_ID)
      expect(host.imageId()).toBe(OLD_ID)
    }
    expect(h.fleet.execs.filter((e) => e.script === 'unlock').every((e) => e.args.length === 3)).toBe(true)
  })

  test('does not roll back a host whose lock another run took over meanwhile, and names that run', async () => {
    const h = setup()
    h.fleet.host('h3').beforeExec = (script) => (script === 'up' ? new Promise<void>(() => undefined) : undefined)
    void h.deploy()
    await new Promise((r) => setTimeout(r, 50))
    h.fleet.host('h3').beforeExec = undefined
    h.fleet.host('h2').lock = { token: 'thief', ownerJson: '{"actor":"mallory"}', expires: 2_000_000_000 }

    const { result } = await postStep(h)
    expect(result?.status).toBe('failed')
    expect(outcomes(result as DeployResult)).toMatchObject({ h1: 'rolled-back', h2: 'failed', h3: 'rolled-back' })
    expect(result?.targets.find((t) => t.name === 'h2')?.state).toContain(
      "the deploy lock is now held by another run (by mallory) (this run's expired and was taken over): not rolled back"
    )
    expect(h.fleet.host('h2').image()).toBe(NEW)
    expect(h.fleet.host('h2').lock?.token).toBe('thief')
    expect(h.fleet.host('h1').image()).toBe(OLD)
  })

  test('releases only locks of this run: another run that took over keeps its lock', async () => {
    const h = setup(sshConfig({ dryRun: true }))
    // Killed while releasing the locks of h1 and h2 (h3 and h4 were released).
    for (const name of ['h1', 'h2']) {
      h.fleet.host(name).beforeExec = (script) => (script === 'unlock' ? new Promise<void>(() => undefined) : undefined)
    }
    void h.deploy()
    await new Promise((r) => setTimeout(r, 50))
    expect(h.fleet.host('h3').lock).toBeUndefined()
    for (const name of ['h1', 'h2']) h.fleet.host(name).beforeExec = undefined
    // Meanwhile another run took over h2's lock.
    h.fleet.host('h2').lock = { token: 'someone-else', ownerJson: '{"actor":"carol"}', expires: 2_000_000_000 }
    const { result, log } = await postStep(h)
    expect(result?.message).toBe('The main step was cut short before any host changed; released the deploy locks')
    expect(h.fleet.host('h1').lock).toBeUndefined()
    expect(h.fleet.host('h2').lock?.token).toBe('someone-else')
    expect(h.fleet.ran('h3')).toEqual(['preflight', 'unlock'])
    expect(log.entries).toContainEqual({
      level: 'warning',
      message: 'h2: the deploy lock is now held by another run (by carol); left alone'
    })
  })

  test('without a journal record there is nothing to recover', async () => {
    const h = setup()
    const io = recordingIO()
    expect(
      await h.strategy.recover({ journal: createJournal(io, undefined, {}), signal: h.cancel.signal })
    ).toBeUndefined()
  })
})
