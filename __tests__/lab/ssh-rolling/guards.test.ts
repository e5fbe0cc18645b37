// ssh-rolling on the real lab: what stops a deploy before it changes anything — a deploy lock held by another run
// (and an expired one, taken over), a wrong or missing host key, a failing pre-deploy command.
import fs from 'node:fs'
import path from 'node:path'
import {
  deploy,
  fleet,
  fleetState,
  host,
  knownHostsText,
  labTests,
  names,
  on,
  report,
  settled,
  spec,
  target,
  type HostState
} from './helpers.js'
import type { LabHost } from '../../../lab/address-book.js'

/** Another run's lock, as the action writes it: token, expiry (epoch seconds) and owner.json. */
function writeForeignLock(h: LabHost, expiresAt: number): { token: string; owner: string } {
  const dir = path.join(h.appDir, '.deploy', 'lock')
  fs.mkdirSync(dir, { recursive: true })
  const token = 'f0reign0f0reign0f0reign0f0reign0'
  const owner = JSON.stringify({
    runUrl: 'https://github.com/acme/shop/actions/runs/777',
    runId: '777',
    repository: 'acme/shop',
    workflow: 'deploy',
    actor: 'alice',
    image: 'registry.example/shop:9',
    startedAt: new Date(Date.now() - 60_000).toISOString(),
    expiresAt: new Date(expiresAt * 1000).toISOString()
  })
  fs.writeFileSync(path.join(dir, 'token'), `${token}\n`)
  fs.writeFileSync(path.join(dir, 'expires'), `${expiresAt}\n`)
  fs.writeFileSync(path.join(dir, 'owner.json'), `${owner}\n`)
  return { token, owner }
}

/** Nothing changed anywhere: same containers, same .env, no backup, no audit line. */
function expectUnchanged(before: Record<string, HostState>, after: Record<string, HostState>): void {
  for (const name of Object.keys(before)) {
    expect({ host: name, container: after[name]?.web?.id, env: after[name]?.envText }).toEqual({
      host: name,
      container: before[name]?.web?.id,
      env: before[name]?.envText
    })
    expect(after[name]?.backups).toEqual([])
    expect(after[name]?.audit).toEqual([])
  }
}

labTests(() => {
  test('a lock held by another run on h2: waits lock-wait-seconds, fails naming the owner, changes nothing', async () => {
    const h2 = host('h2')
    const foreign = writeForeignLock(h2, Math.floor(Date.now() / 1000) + 3600)
    const before = await fleetState()
    const r = await deploy({ 'lock-wait-seconds': '3', 'batch-size': '2' })
    const rep = report(r)
    const after = await fleetState()

    expect(r.main.exitCode).toBe(1)
    expect(r.main.outputs.status).toBe('failed')
    expect(names(r.main.outputs['hosts-failed'])).toEqual(['h2'])
    const error = target(rep, 'h2').error ?? ''
    expect(error).toContain('/app/.deploy/lock is held by run https://github.com/acme/shop/actions/runs/777')
    expect(error).toContain('by alice')
    expect(error).toMatch(/waited 3(\.\d)? s \(lock-wait-seconds 3\)/)
    expect(rep.message).toContain('nothing was changed')
    const waited = target(rep, 'h2').phases.find((p) => p.name === 'lock')
    expect(waited?.durationMs).toBeGreaterThanOrEqual(2_900)
    expect(waited?.durationMs).toBeLessThan(8_000)

    // The foreign lock is untouched; ours are gone everywhere.
    expect(fs.readFileSync(path.join(h2.appDir, '.deploy/lock/token'), 'utf8')).toBe(`${foreign.token}\n`)
    expect(after.h2?.lockOwner).toBe(`${foreign.owner}\n`)
    expect(await settled(after)).toEqual({
      h1: on('v1'),
      h2: { ...on('v1'), locked: true },
      h3: on('v1'),
      h4: on('v1')
    })
    expectUnchanged(before, after)
    console.log(`lock held: main ${r.main.durationMs} ms`)
  })

  test('an expired lock on h2 is taken over with a warning and the deploy succeeds', async () => {
    const h2 = host('h2')
    writeForeignLock(h2, Math.floor(Date.now() / 1000) - 60)
    const r = await deploy({}, { hosts: [h2] })

    expect(r.main.exitCode).toBe(0)
    expect(r.main.outputs.status).toBe('succeeded')
    expect(r.main.warnings).toContainEqual(
      expect.stringMatching(
        /^root@10\.213\.1\.12: took over an expired deploy lock from run https:\/\/github\.com\/acme\/shop\/actions\/runs\/777/
      )
    )
    expect(await settled()).toEqual({ h1: on('v1'), h2: on('v2'), h3: on('v1'), h4: on('v1') })
    console.log(`expired lock: main ${r.main.durationMs} ms`)
  })

  test('a known_hosts entry with another key for h1 fails closed, naming h1 and the key it offered', async () => {
    const h1 = host('h1')
    const h2 = host('h2')
    const knownHosts = knownHostsText()
      .split('\n')
      .filter((l) => l && !l.startsWith(`${h1.knownHostsName} `))
      .concat(`${h1.knownHostsName} ${h2.hostKeys['ssh-ed25519']}`)
      .join('\n')
    const before = await fleetState()
    const r = await deploy({ 'ssh-known-hosts': knownHosts })
    const rep = report(r)
    const after = await fleetState()

    expect(r.main.exitCode).toBe(1)
    expect(names(r.main.outputs['hosts-failed'])).toEqual(['h1'])
    const error = target(rep, 'h1').error ?? ''
    expect(error).toContain('Host key verification failed for root@10.213.1.11:22')
    expect(error).toContain(h1.hostKeyFingerprints['ssh-ed25519'])
    expect(error).toContain('does not match')
    expect(rep.message).toContain('nothing was changed')
    expect(await settled(after)).toEqual({ h1: on('v1'), h2: on('v1'), h3: on('v1'), h4: on('v1') })
    expectUnchanged(before, after)
    // Failed closed: never logged in.
    expect(fs.existsSync(path.join(h1.appDir, '.deploy'))).toBe(false)
  })

  test('no known_hosts entry for h4 fails closed, naming h4 and the key it offered', async () => {
    const h4 = host('h4')
    const knownHosts = knownHostsText()
      .split('\n')
      .filter((l) => l && !l.startsWith(`${h4.knownHostsName} `))
      .join('\n')
    const before = await fleetState()
    const r = await deploy({ 'ssh-known-hosts': knownHosts })
    const rep = report(r)
    const after = await fleetState()

    expect(r.main.exitCode).toBe(1)
    expect(names(r.main.outputs['hosts-failed'])).toEqual(['h4'])
    const error = target(rep, 'h4').error ?? ''
    expect(error).toContain('Host key verification failed for root@10.213.1.14:2222')
    expect(error).toContain(`no entry for '[10.213.1.14]:2222'`)
    expect(error).toContain(h4.hostKeyFingerprints['ssh-ed25519'])
    expect(await settled(after)).toEqual({ h1: on('v1'), h2: on('v1'), h3: on('v1'), h4: on('v1') })
    expectUnchanged(before, after)
    expect(fs.existsSync(path.join(h4.appDir, '.deploy'))).toBe(false)
  })

  test('a pre-deploy command that exits 3 on the first host: no change there, the next host untouched, a clear failure', async () => {
    const [h1, h2] = fleet()
    if (!h1 || !h2) throw new Error('needs h1 and h2')
    const before = await fleetState()
    const r = await deploy({ 'pre-deploy-command': 'echo checking migrations; exit 3' }, { hosts: [h1, h2] })
    const rep = report(r)
    const after = await fleetState()

    expect(r.main.exitCode).toBe(1)
    expect(r.main.outputs.status).toBe('failed')
    expect(names(r.main.outputs['hosts-failed'])).toEqual(['h1'])
    expect(target(rep, 'h1')).toMatchObject({
      outcome: 'failed',
      error: 'pre-deploy: pre-deploy command exited with code 3',
      state: 'unchanged (pre-deploy failed before any change)'
    })
    expect(target(rep, 'h2').outcome).toBe('untouched')
    expect(rep.message).toContain(`failed on ${spec(h1)} (pre-deploy: pre-deploy command exited with code 3)`)
    expect(r.main.visibleLog).toContain(`[${spec(h1)}] checking migrations`)
    expect(await settled(after)).toEqual({ h1: on('v1'), h2: on('v1'), h3: on('v1'), h4: on('v1') })
    for (const name of ['h1', 'h2', 'h3', 'h4']) {
      expect(after[name]?.web?.id).toBe(before[name]?.web?.id)
      expect(after[name]?.envText).toBe(before[name]?.envText)
    }
    // The failure is on h1's audit trail; h2 was never started.
    expect(after.h1?.audit.map((a) => a.outcome)).toEqual(['failed'])
    expect(after.h2?.audit).toEqual([])
  })
})
