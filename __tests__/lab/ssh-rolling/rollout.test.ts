// ssh-rolling on the real lab: rollouts, health failures and rollbacks (fleet and host scope), a container that
// crashes, a missing tag, an invalid compose file, and a mutable tag moved to a broken build with the registry gone during the rollback.
import fs from 'node:fs'
import path from 'node:path'
import {
  blockHealth,
  deploy,
  dockerHealthy,
  fleetState,
  host,
  hostExec,
  labScript,
  lab,
  labTests,
  names,
  on,
  putOn,
  report,
  settled,
  spec,
  tag,
  target,
  unblockHealth,
  V1,
  V2
} from './helpers.js'

labTests(() => {
  test('healthy rollout to 4 hosts, 2 at a time: all on v2, backups, audit lines, .env 0600, locks released', async () => {
    const before = await fleetState()
    const r = await deploy({ 'batch-size': '2' })
    const rep = report(r)
    const after = await fleetState()

    expect({ exit: r.main.exitCode, status: r.main.outputs.status }).toEqual({ exit: 0, status: 'succeeded' })
    expect(names(r.main.outputs['hosts-deployed'])).toEqual(['h1', 'h2', 'h3', 'h4'])
    expect(r.main.outputs['hosts-rolled-back']).toBe('')
    expect(r.main.outputs['hosts-failed']).toBe('')
    expect(await settled(after)).toEqual({ h1: on('v2'), h2: on('v2'), h3: on('v2'), h4: on('v2') })

    // Two batches, and the second really started after the first was done: its containers are younger.
    expect(r.main.visibleLog).toContain(`::group::Batch 1/2: ${spec(host('h1'))}, ${spec(host('h2'))}`)
    expect(r.main.visibleLog).toContain(`::group::Batch 2/2: ${spec(host('h3'))}, ${spec(host('h4'))}`)
    const created = (name: string): number => Date.parse(after[name]?.web?.created ?? '')
    expect(Math.min(created('h3'), created('h4'))).toBeGreaterThan(Math.max(created('h1'), created('h2')))

    // The summary: headline and one row per host, v1 → v2, deployed.
    expect(r.main.summary).toContain('Deploy succeeded')
    for (const name of ['h1', 'h2', 'h3', 'h4']) {
      expect(r.main.summary).toContain(`<tr><td>${spec(host(name))}</td><td>${V1()} → ${V2()}</td><td>✅ deployed</td>`)
      expect(target(rep, name)).toMatchObject({ outcome: 'deployed', before: V1(), after: V2() })
    }

    for (const name of ['h1', 'h2', 'h3', 'h4']) {
      const h = host(name)
      const state = after[name]
      // A backup holding the previous .env and compose file, and the image id v1 ran on.
      expect(state?.backups).toHaveLength(1)
      const backup = path.join(h.appDir, '.deploy', 'backups', state?.backups[0] ?? '')
      expect(fs.readFileSync(path.join(backup, 'images'), 'utf8')).toContain(before[name]?.web?.imageId)
      const manifest = fs.readFileSync(path.join(backup, 'manifest'), 'utf8')
      expect(manifest).toMatch(/\t1\t\.env$/m)
      expect(manifest).toMatch(/\t1\tcompose\.yaml$/m)
      // One audit line: v1 → v2 deployed, by this run.
      expect(state?.audit).toEqual([
        expect.objectContaining({
          host: spec(h),
          before: V1(),
          after: V2(),
          outcome: 'deployed',
          run: 'https://github.com/acme/shop/actions/runs/4242',
          actor: 'octocat'
        })
      ])
      expect(state?.envMode).toBe(0o600)
      expect(state?.envText).toBe(`IMAGE=${V2()}\n`)
    }
    expect(r.post?.exitCode).toBe(0)
    console.log(`healthy rollout: main ${r.main.durationMs} ms`)
  })

  /**
   * Batches h1+h2, then h3, then h4. h3's app port is made to refuse the runner (a firewall rule inside h3's own
   * namespace) from the start of its batch until the action has declared it failed, so h3 alone fails its health
   * check while its container runs.
   */
  async function deployWithH3Failing(extra: Record<string, string>): Promise<Awaited<ReturnType<typeof deploy>>> {
    const h3 = host('h3')
    const pending: Promise<unknown>[] = []
    const r = await deploy(
      { 'first-batch-size': '2', 'batch-size': '1', ...extra },
      {
        onLine: (line) => {
          if (line.startsWith(`::group::Batch 2/3: ${spec(h3)}`)) pending.push(blockHealth(h3))
          if (line.startsWith(`::error::${spec(h3)}: health failed`)) pending.push(unblockHealth(h3))
        }
      }
    )
    await Promise.all(pending)
    await unblockHealth(h3)
    expect(pending).toHaveLength(2)
    return r
  }

  test('h3 of 4 fails its health check: fleet rollback of h1..h3 to v1, h4 untouched', async () => {
    const before = await fleetState()
    const r = await deployWithH3Failing({})
    const rep = report(r)
    const after = await fleetState()

    expect(r.main.exitCode).toBe(1)
    expect(r.main.outputs.status).toBe('rolled-back')
    expect(names(r.main.outputs['hosts-rolled-back'])).toEqual(['h1', 'h2', 'h3'])
    expect(r.main.outputs['hosts-deployed']).toBe('')
    expect(r.main.outputs['hosts-failed']).toBe('')
    expect(await settled(after)).toEqual({ h1: on('v1'), h2: on('v1'), h3: on('v1'), h4: on('v1') })

    // Rolled back to the very image ids they ran before; h4 was never changed: same container, same .env. Like every
    // host, it was backed up (and pulled) before the first batch.
    for (const name of ['h1', 'h2', 'h3']) expect(after[name]?.web?.imageId).toBe(before[name]?.web?.imageId)
    expect(after.h4?.web?.id).toBe(before.h4?.web?.id)
    expect(after.h4?.envText).toBe(before.h4?.envText)
    expect(after.h4?.audit).toEqual([])
    expect(after.h4?.backups).toHaveLength(1)
    expect(target(rep, 'h4').phases.map((p) => p.name)).toEqual(['connect', 'preflight', 'backup', 'pull', 'unlock'])

    // Newest change first.
    expect(r.main.visibleLog).toMatch(
      new RegExp(`::group::Roll back: ${spec(host('h3'))}, (${spec(host('h2'))}|${spec(host('h1'))}), `)
    )
    expect(target(rep, 'h3')).toMatchObject({ outcome: 'rolled-back', before: V1(), after: V1() })
    expect(target(rep, 'h3').error).toMatch(/^health: unhealthy after \d+ tries: .*10\.213\.1\.13:8080/)
    expect(target(rep, 'h1')).toMatchObject({
      outcome: 'rolled-back',
      state: `rolled back because ${spec(host('h3'))} failed`
    })
    expect(target(rep, 'h4')).toMatchObject({ outcome: 'untouched', state: 'not reached' })
    expect(rep.message).toContain(`failed on ${spec(host('h3'))} (health:`)
    expect(rep.message).toContain(`untouched: ${spec(host('h4'))}`)
    expect(r.main.errors.at(-1)).toBe(rep.message)

    // Audit: h1 and h2 deployed then rolled back, h3 rolled back.
    expect(after.h1?.audit.map((a) => a.outcome)).toEqual(['deployed', 'rolled-back'])
    expect(after.h3?.audit.map((a) => a.outcome)).toEqual(['rolled-back'])
    expect(r.main.summary).toContain('Deploy rolled back')
    expect(r.post?.exitCode).toBe(0)
    console.log(`fleet rollback: main ${r.main.durationMs} ms`)
  })

  test('rollback-scope host: only h3 is rolled back, h1 and h2 stay on v2, h4 untouched; the message says who runs what', async () => {
    const r = await deployWithH3Failing({ 'rollback-scope': 'host' })
    const rep = report(r)

    expect(r.main.exitCode).toBe(1)
    expect(r.main.outputs.status).toBe('failed')
    expect(names(r.main.outputs['hosts-deployed'])).toEqual(['h1', 'h2'])
    expect(names(r.main.outputs['hosts-rolled-back'])).toEqual(['h3'])
    expect(r.main.outputs['hosts-failed']).toBe('')
    expect(await settled()).toEqual({ h1: on('v2'), h2: on('v2'), h3: on('v1'), h4: on('v1') })
    expect(rep.message).toContain(`rolled back ${spec(host('h3'))}`)
    expect(rep.message).toContain(`on the new version: ${spec(host('h1'))}, ${spec(host('h2'))}`)
    expect(rep.message).toContain(`untouched: ${spec(host('h4'))}`)
    console.log(`host-scope rollback: main ${r.main.durationMs} ms`)
  })

  test('an image that crashes on start is rolled back; the next host is untouched', async () => {
    const before = await fleetState()
    const r = await deploy({ image: tag('crash') }, { hosts: [host('h1'), host('h2')] })
    const rep = report(r)
    const after = await fleetState()

    expect(r.main.outputs.status).toBe('rolled-back')
    expect(names(r.main.outputs['hosts-rolled-back'])).toEqual(['h1'])
    expect(await settled(after)).toEqual({ h1: on('v1'), h2: on('v1'), h3: on('v1'), h4: on('v1') })
    expect(after.h1?.web?.imageId).toBe(before.h1?.web?.imageId)
    expect(after.h2?.web?.id).toBe(before.h2?.web?.id)
    expect(target(rep, 'h1').error).toMatch(/^health: /)
    expect(target(rep, 'h2')).toMatchObject({ outcome: 'untouched' })
    // The diagnostics show the crashed container.
    expect(r.main.visibleLog).toMatch(/\[root@10\.213\.1\.11\] .*Exit 1/)
    console.log(`crash: main ${r.main.durationMs} ms`)
  })

  test('a tag that does not exist fails the pull on every host before any change: nothing changes anywhere, no lock is left', async () => {
    const before = await fleetState()
    const r = await deploy({ image: tag('missing-1') }, { hosts: [host('h1'), host('h2')] })
    const rep = report(r)
    const after = await fleetState()

    expect(r.main.exitCode).toBe(1)
    expect(r.main.outputs.status).toBe('failed')
    expect(rep.message).toMatch(/^Backup or pull failed on 2 of 2 hosts, nothing was changed: /)
    for (const name of ['h1', 'h2']) {
      expect(target(rep, name)).toMatchObject({
        outcome: 'failed',
        state: 'backup or pull failed before the rollout, unchanged'
      })
      expect(target(rep, name).error).toMatch(
        /^pull: docker compose pull failed with exit code \d+: .*manifest (for .* )?(unknown|not found)/
      )
    }
    expect(await settled(after)).toEqual({ h1: on('v1'), h2: on('v1'), h3: on('v1'), h4: on('v1') })
    expect(after.h1?.web?.id).toBe(before.h1?.web?.id)
    expect(after.h1?.envText).toBe(before.h1?.envText)
    console.log(`missing tag: main ${r.main.durationMs} ms`)
  })

  test('an invalid compose file on h2: a dry run fails it in pre-flight, a deploy in the pull; nothing changes anywhere', async () => {
    const file = path.join(host('h2').appDir, lab().app.composeFile)
    const original = fs.readFileSync(file, 'utf8')
    fs.writeFileSync(file, original.replace('    image: ${IMAGE}\n', '    image: ${IMAGE}\n    bogus_option: 1\n'))
    try {
      const hosts = [host('h1'), host('h2')]
      const dry = await deploy({ 'dry-run': 'true' }, { hosts })
      expect(dry.main.exitCode).toBe(1)
      expect(report(dry).message).toMatch(
        /^Pre-flight failed on 1 of 2 hosts, nothing was changed: root@10\.213\.1\.12: the compose configuration is invalid: .*bogus_option/
      )

      const before = await fleetState()
      const r = await deploy({}, { hosts })
      const rep = report(r)
      const after = await fleetState()
      expect(r.main.exitCode).toBe(1)
      expect(rep.message).toMatch(/^Backup or pull failed on 1 of 2 hosts, nothing was changed: root@10\.213\.1\.12: /)
      expect(target(rep, 'h2').error).toMatch(/^pull: docker compose pull failed with exit code \d+: .*bogus_option/)
      expect(target(rep, 'h2').phases.map((p) => p.name)).not.toContain('apply')
      expect(target(rep, 'h1').phases.map((p) => p.name)).not.toContain('apply')
      expect(await settled(after)).toEqual({ h1: on('v1'), h2: on('v1'), h3: on('v1'), h4: on('v1') })
      for (const name of ['h1', 'h2']) {
        expect(after[name]?.web?.id).toBe(before[name]?.web?.id)
        expect(after[name]?.envText).toBe(before[name]?.envText)
      }
      console.log(`invalid compose file: dry run ${dry.main.durationMs} ms, deploy ${r.main.durationMs} ms`)
    } finally {
      fs.writeFileSync(file, original)
    }
  })

  test('a tag the hosts have but the registry lost fails the pull before any change: same containers, .env byte for byte', async () => {
    const gone = tag('gone-1')
    await Promise.all(['h1', 'h2'].map((n) => hostExec(host(n), `docker tag ${tag('v1')} ${gone}`)))
    const before = await fleetState()
    const envBefore = fs.statSync(path.join(host('h1').appDir, '.env'))
    const r = await deploy({ image: gone }, { hosts: [host('h1'), host('h2')] })
    const rep = report(r)
    const after = await fleetState()

    expect(r.main.exitCode).toBe(1)
    expect(r.main.outputs.status).toBe('failed')
    for (const name of ['h1', 'h2']) {
      expect(target(rep, name).error).toMatch(/^pull: /)
      expect(target(rep, name).outcome).toBe('failed')
      expect(target(rep, name).phases.map((p) => p.name)).not.toContain('apply')
    }
    expect(r.main.visibleLog).toMatch(/manifest (for .* )?(unknown|not found)/)
    expect(await settled(after)).toEqual({ h1: on('v1'), h2: on('v1'), h3: on('v1'), h4: on('v1') })
    // Nothing changed on h1: the same container, the same .env (content and mode).
    expect(after.h1?.web?.id).toBe(before.h1?.web?.id)
    expect(after.h1?.envText).toBe(before.h1?.envText)
    expect(after.h1?.envMode).toBe(envBefore.mode & 0o777)
    console.log(`tag lost by the registry: main ${r.main.durationMs} ms`)
  })

  test('mutable latest moved to a broken build: rollback brings back the old image id with the registry stopped', async () => {
    const hosts = [host('h1'), host('h2')]
    const latest = tag('latest')
    await labScript('push.sh', 'latest', 'v1')
    await Promise.all(hosts.map((h) => putOn(h, latest, 'v1')))
    const before = await fleetState()
    await labScript('push.sh', 'latest', 'unhealthy')

    const pulled = new Set<string>()
    let registryStopped: Promise<unknown> | undefined
    let stoppedAt = 0
    let rollbackAt = 0
    const r = await deploy(
      { image: latest, 'batch-size': '2' },
      {
        hosts,
        onLine: (line) => {
          const m = /^\[(root@[^\]]+)\] Pulling web \.\.\. done/.exec(line)
          if (m?.[1]) pulled.add(m[1])
          if (pulled.size === hosts.length && !registryStopped) {
            registryStopped = labScript('registry.sh', 'stop').then(() => (stoppedAt = Date.now()))
          }
          if (line.startsWith('::group::Roll back') && !rollbackAt) rollbackAt = Date.now()
        }
      }
    )
    await registryStopped
    const registryDown = await labScript('registry.sh', 'status').catch((e: { stdout?: string }) => e.stdout ?? '')
    await dockerHealthy(hosts)
    const after = await fleetState()
    const rep = report(r)

    expect(registryStopped).toBeDefined()
    expect(stoppedAt).toBeGreaterThan(0)
    expect(rollbackAt).toBeGreaterThan(stoppedAt)
    expect(registryDown.trim()).toBe('stopped')
    expect(r.main.outputs.status).toBe('rolled-back')
    expect(names(r.main.outputs['hosts-rolled-back'])).toEqual(['h1', 'h2'])
    for (const h of hosts) {
      const b = before[h.name]?.web
      const a = after[h.name]?.web
      expect({ host: h.name, imageId: a?.imageId, build: a?.build, health: a?.health }).toEqual({
        host: h.name,
        imageId: b?.imageId,
        build: b?.build,
        health: 'healthy'
      })
      expect(target(rep, h.name).error).toMatch(/^health: /)
    }
    const onLatest = { version: 'v1', env: latest, locked: false }
    expect(await settled(after)).toEqual({ h1: onLatest, h2: onLatest, h3: on('v1'), h4: on('v1') })
    console.log(`latest: main ${r.main.durationMs} ms`)
  })
})
