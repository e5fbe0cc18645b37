// ssh-rolling on the real lab: a host that is unreachable at pre-flight, a link cut the moment a host has changed,
// and a host whose sshd dies (sessions included) at that moment. Each ends with every host on a known version;
// the cut-off host is compared with what the report says about it.
import {
  deploy,
  fleetState,
  forgetNeighbour,
  host,
  armFault,
  labScript,
  labTests,
  names,
  on,
  report,
  resetFleet,
  settled,
  settledOf,
  sh,
  spec,
  target,
  V2,
  type Deployed,
  type HostState
} from './helpers.js'

// The tests of a describe block share one faulted deploy: the fleet is reset before each deploy, not each test.
labTests({ resetEach: false }, () => {
  test('h2 unreachable at pre-flight: no host changed, every lock released, the error names h2', async () => {
    await resetFleet()
    const h2 = host('h2')
    const before = await fleetState()
    await sh(`${h2.linkDown}; ${forgetNeighbour(h2)}`)
    let r: Deployed
    try {
      r = await deploy({ 'batch-size': '2' })
    } finally {
      await sh(h2.linkUp)
    }
    const rep = report(r)
    const after = await fleetState()

    expect(r.main.exitCode).toBe(1)
    expect(r.main.outputs.status).toBe('failed')
    expect(names(r.main.outputs['hosts-failed'])).toEqual(['h2'])
    expect(r.main.outputs['hosts-deployed']).toBe('')
    expect(rep.message).toMatch(/^Pre-flight failed on 1 of 4 hosts, nothing was changed: root@10\.213\.1\.12: /)
    expect(target(rep, 'h2').error).toMatch(/10\.213\.1\.12:22: (no route to host|timed out)/)
    expect(r.main.errors.at(-1)).toBe(rep.message)
    expect(await settled(after)).toEqual({ h1: on('v1'), h2: on('v1'), h3: on('v1'), h4: on('v1') })
    for (const name of ['h1', 'h2', 'h3', 'h4']) {
      expect(after[name]?.web?.id).toBe(before[name]?.web?.id)
      expect(after[name]?.envText).toBe(before[name]?.envText)
      expect(after[name]?.audit).toEqual([])
      expect(after[name]?.backups).toEqual([])
    }
    console.log(`unreachable at pre-flight: main ${r.main.durationMs} ms`)
  })

  interface Faulted {
    r: Deployed
    /** From the fault to the action's error about h2. */
    detectMs: number
    before: Record<string, HostState>
    /** After the fault was undone (link up, sshd started again). */
    after: Record<string, HostState>
  }

  /**
   * Deploys h1+h2, then h3+h4, with `fault` armed on h2 for the moment its `apply` has written .env (its `up`
   * comes next): h2 has changed, and every later command for it has to cross the fault. `restore` undoes the fault
   * once the run (main and post) is over.
   */
  async function deployWithFaultOnH2(kind: 'link' | 'sshd', restore: () => Promise<unknown>): Promise<Faulted> {
    const h2 = host('h2')
    const before = await fleetState()
    let detectedAt = 0
    const fired = armFault(h2, kind, V2())
    let faultAt: number
    let r: Deployed
    try {
      r = await deploy(
        { 'batch-size': '2' },
        {
          onLine: (line) => {
            if (!detectedAt && /^::(error|warning)::/.test(line) && line.includes(`::${spec(h2)}: `)) {
              detectedAt = Date.now()
            }
          }
        }
      )
      faultAt = await fired
    } finally {
      await restore()
    }
    expect(faultAt).toBeGreaterThan(0)
    expect(detectedAt).toBeGreaterThan(faultAt)
    return { r, detectMs: detectedAt - faultAt, before, after: await fleetState() }
  }

  /** What every mid-deploy fault on h2 must end in. */
  function sharedExpectations(get: () => Faulted): void {
    test('h2 fails as it changes, the run fails and says h2 could not be rolled back', () => {
      const { r } = get()
      const rep = report(r)
      expect(r.main.exitCode).toBe(1)
      expect(r.main.outputs.status).toBe('failed')
      expect(names(r.main.outputs['hosts-failed'])).toEqual(['h2'])
      // The fault lands as `apply` reports back or as `up` starts: either way h2's .env has changed.
      expect(target(rep, 'h2').error).toMatch(/^(apply|up): /)
      // Unreachable, h2 cannot be shown to have stopped what the cut-off phase started: never called rolled back.
      expect(target(rep, 'h2').state).toMatch(
        /; the (apply|up) phase may still be running on the host: cannot reconnect: root@10\.213\.1\.12:22: .*; left as it is \(not rolled back\), deploy lock kept$/
      )
      expect(rep.message).toContain(`NOT confirmed stopped: ${spec(host('h2'))}`)
    })

    test('h1 (same batch) is rolled back to its old image; h3 and h4 untouched; their locks released', () => {
      const { r, before, after } = get()
      expect(names(r.main.outputs['hosts-rolled-back'])).toEqual(['h1'])
      expect(after.h1?.web?.imageId).toBe(before.h1?.web?.imageId)
      for (const name of ['h3', 'h4']) expect(after[name]?.web?.id).toBe(before[name]?.web?.id)
      const all = settledOf(after)
      expect({ h1: all.h1, h3: all.h3, h4: all.h4 }).toEqual({ h1: on('v1'), h3: on('v1'), h4: on('v1') })
    })

    test("h2 really runs its old container with the new .env, and keeps this run's lock until it expires", () => {
      const { r, before, after } = get()
      expect(after.h2?.web?.id).toBe(before.h2?.web?.id)
      expect(after.h2?.envImage).toBe(V2())
      expect(after.h2?.lockOwner).toContain('"runId":4242')
      expect(r.main.warnings.join('\n')).toMatch(/root@10\.213\.1\.12: deploy lock kept, it expires on its own within /)
    })

    // The report must say what h2 may be left with. Cut off as `apply` reports back: a new .env under the old
    // containers, still serving the old image. Cut off as `up` starts: the action cannot know whether `up` reached
    // the host, so it says the containers may be half recreated.
    test('the report says what h2 may be left with', () => {
      const h2 = target(report(get().r), 'h2')
      const state = h2.state ?? ''
      expect(state).toMatch(/\.env/)
      if (h2.error?.startsWith('apply: ')) {
        expect(state).toMatch(/old containers/)
        expect(h2.after).toBe(h2.before)
      } else {
        expect(state).toMatch(/containers may be half recreated/)
      }
    })
  }

  describe('link of h2 cut as its .env changes', () => {
    let faulted: Faulted | undefined
    beforeAll(async () => {
      await resetFleet()
      const h2 = host('h2')
      faulted = await deployWithFaultOnH2('link', () => sh(h2.linkUp))
      console.log(`link cut: detected after ${faulted.detectMs} ms, main ${faulted.r.main.durationMs} ms`)
    }, 300_000)
    const get = (): Faulted => {
      if (!faulted) throw new Error('the run did not happen')
      return faulted
    }

    test('detected within seconds (keepalive): the connection is reported lost', () => {
      expect(get().detectMs).toBeLessThan(12_000)
      expect(target(report(get().r), 'h2').error).toMatch(/connection lost|no answer to keepalives/)
    })
    sharedExpectations(get)
  })

  describe('sshd of h2 killed (sessions included) as its .env changes', () => {
    let faulted: Faulted | undefined
    beforeAll(async () => {
      await resetFleet()
      faulted = await deployWithFaultOnH2('sshd', () => labScript('sshd.sh', 'start', 'h2'))
      console.log(`sshd killed: detected after ${faulted.detectMs} ms, main ${faulted.r.main.durationMs} ms`)
    }, 300_000)
    const get = (): Faulted => {
      if (!faulted) throw new Error('the run did not happen')
      return faulted
    }

    test('detected at once: the connection is reported closed, reconnecting is refused', () => {
      expect(get().detectMs).toBeLessThan(3_000)
      expect(target(report(get().r), 'h2').state).toContain('connection refused')
    })
    sharedExpectations(get)
  })
})
