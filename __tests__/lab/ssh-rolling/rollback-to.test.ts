// ssh-rolling `rollback-to` on the real lab, through the bundled action: v1 → v2 → v3, then `previous` twice (the
// registry stopped), a host changed by hand, and the runner's cancel sequence in the middle of a rollback.
import {
  deploy,
  fleetState,
  hostExec,
  host,
  labScript,
  labTests,
  names,
  on,
  report,
  resetFleet,
  settled,
  spec,
  tag,
  target,
  V1,
  V2
} from './helpers.js'

const V3 = (): string => tag('v3')
const PREVIOUS = { image: '', 'rollback-to': 'previous', 'batch-size': '2' }
const ALL = ['h1', 'h2', 'h3', 'h4']
const every = (version: string): Record<string, ReturnType<typeof on>> =>
  Object.fromEntries(ALL.map((n) => [n, on(version)]))

labTests({ resetEach: false }, () => {
  test('v1 → v2 → v3, then previous → v2 with the registry stopped, then previous → v1', async () => {
    await resetFleet()
    await labScript('push.sh', 'v3', 'v3')
    expect((await deploy({ 'batch-size': '2' })).main.outputs.status).toBe('succeeded')
    expect((await deploy({ image: V3(), 'batch-size': '2' })).main.outputs.status).toBe('succeeded')
    expect(await settled()).toEqual(every('v3'))

    await labScript('registry.sh', 'stop')
    try {
      const first = await deploy(PREVIOUS)
      const rep = report(first)
      expect(first.main.exitCode).toBe(0)
      expect(first.main.outputs.status).toBe('succeeded')
      expect(names(first.main.outputs['hosts-deployed'])).toEqual(ALL)
      expect(rep.message).toMatch(/^Rolled back 4 hosts to \S+:v2 \(backup \S+\) in 2 batches$/)
      expect(target(rep, 'h1')).toMatchObject({ outcome: 'deployed', before: V3(), after: V2() })
      expect(target(rep, 'h1').state).toMatch(/^rolled back to \S+:v2 \(backup \d{8}T\d{6}Z/)
      const after = await fleetState()
      expect(await settled(after)).toEqual(every('v2'))
      expect(after.h3?.audit.at(-1)).toMatchObject({
        outcome: 'deployed',
        before: V3(),
        after: V2(),
        detail: expect.stringMatching(/^rolled back to \S+:v2 \(backup /)
      })

      const second = await deploy(PREVIOUS)
      expect(second.main.outputs.status).toBe('succeeded')
      expect(target(report(second), 'h2')).toMatchObject({ before: V2(), after: V1() })
      expect(await settled()).toEqual(every('v1'))
    } finally {
      await labScript('registry.sh', 'start')
    }
  }, 150_000)

  test('a host changed by hand is refused in pre-flight with both versions named; no host changes', async () => {
    // From the v1 the test before left: v2 everywhere, then h2 back on v1 by hand.
    expect((await deploy({ 'batch-size': '2' })).main.outputs.status).toBe('succeeded')
    await hostExec(host('h2'), `cd /app && printf 'IMAGE=%s\\n' '${V1()}' > .env && docker compose up -d -t 1`, 90_000)
    const before = await fleetState()
    expect(before.h2?.web?.version).toBe('v1')

    const r = await deploy(PREVIOUS)
    const rep = report(r)
    expect(r.main.exitCode).toBe(1)
    expect(r.main.outputs.status).toBe('failed')
    const error = target(rep, 'h2').error ?? ''
    expect(error).toContain(`the host runs ${V1()} (`)
    expect(error).toContain(`but its audit log says ${V2()} (`)
    expect(error).toContain("name one in 'rollback-to'")
    expect(rep.message).toMatch(/^Pre-flight failed on 1 of 4 hosts, nothing was changed/)
    const after = await fleetState()
    for (const name of ALL) {
      expect(after[name]?.web?.id).toBe(before[name]?.web?.id)
      expect(after[name]?.locked).toBe(false)
    }
  }, 120_000)

  test("the runner's cancel sequence during a rollback: every host ends on a known release, and the report says which", async () => {
    // v3 everywhere (h2 from its hand-made v1): previous is v2 on h1, h3, h4 and v1 on h2.
    expect((await deploy({ image: V3(), 'batch-size': '2' })).main.outputs.status).toBe('succeeded')
    const before = await fleetState()
    let cancelledAt = 0
    const r = await deploy(PREVIOUS, {
      onLine: (line, child) => {
        if (cancelledAt || !line.startsWith(`[${spec(host('h1'))}] Recreating`)) return
        cancelledAt = Date.now()
        child.kill('SIGINT')
        setTimeout(() => child.kill('SIGTERM'), 7_500)
        setTimeout(() => child.kill('SIGKILL'), 10_000)
      }
    })
    expect(cancelledAt).toBeGreaterThan(0)
    const rep = report(r)
    const after = await fleetState()
    expect(rep.message).toMatch(/^Cancelled while rolling back to previous/)
    // Each host is where its report says, and that is the release it ran before the rollback (v3).
    for (const name of ALL) {
      expect(target(rep, name).after).toBe(V3())
      expect(after[name]?.web?.image).toBe(V3())
    }
    expect(await settled(after)).toEqual(every('v3'))
    for (const name of ['h3', 'h4']) expect(after[name]?.web?.id).toBe(before[name]?.web?.id)
    expect(names(r.main.outputs['hosts-rolled-back'])).toEqual(['h1', 'h2'])
    console.log(`cancel during rollback-to: main ${r.main.durationMs} ms (${String(r.main.signal)})`)
  }, 120_000)
})
