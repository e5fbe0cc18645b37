// ssh-rolling on the real lab: the job is cancelled in the middle of a batch. SIGTERM: the main step rolls back
// what changed and releases every lock. SIGKILL: the post step finishes that from the journal.
import {
  deploy,
  fleetState,
  host,
  labTests,
  names,
  on,
  report,
  settled,
  sleep,
  spec,
  target,
  type Deployed
} from './helpers.js'

labTests(() => {
  /** Deploys h1+h2 then h3+h4 and sends `signal` to the main step when h1's `up` starts. */
  async function cancelDuringUp(signal: NodeJS.Signals): Promise<Deployed> {
    let sent = false
    const r = await deploy(
      { 'batch-size': '2' },
      {
        onLine: (line, child) => {
          if (!sent && line.startsWith(`[${spec(host('h1'))}] Recreating`)) {
            sent = true
            child.kill(signal)
          }
        }
      }
    )
    expect(sent).toBe(true)
    return r
  }

  test('SIGTERM during batch 1: the main step rolls back h1 and h2, h3 and h4 untouched, every lock released', async () => {
    const before = await fleetState()
    const r = await cancelDuringUp('SIGTERM')
    const rep = report(r)
    const after = await fleetState()
    console.log(`SIGTERM: main ${r.main.durationMs} ms, post ${r.post?.durationMs ?? 0} ms`)

    expect(r.main.exitCode).toBe(1)
    expect(r.main.warnings).toContain('Received SIGTERM: cancelling, recovering what changed')
    expect(r.main.outputs.status).toBe('rolled-back')
    expect(names(r.main.outputs['hosts-rolled-back'])).toEqual(['h1', 'h2'])
    expect(rep.message).toMatch(/^Cancelled while deploying /)
    expect(target(rep, 'h1').state).toBe('rolled back because the job was cancelled')
    expect(target(rep, 'h3')).toMatchObject({ outcome: 'untouched' })
    expect(await settled(after)).toEqual({ h1: on('v1'), h2: on('v1'), h3: on('v1'), h4: on('v1') })
    for (const name of ['h1', 'h2']) expect(after[name]?.web?.imageId).toBe(before[name]?.web?.imageId)
    for (const name of ['h3', 'h4']) expect(after[name]?.web?.id).toBe(before[name]?.web?.id)
    // Nothing was left for the post step.
    expect(r.post?.exitCode).toBe(0)
    expect(r.post?.warnings).toEqual([])
  })

  test('SIGKILL during batch 1: the post step rolls back h1 and h2 from the journal and releases every lock', async () => {
    const before = await fleetState()
    const r = await cancelDuringUp('SIGKILL')
    // The killed main step's remote commands may still be running on h1/h2; give them time to end, then look.
    await sleep(8_000)
    const after = await fleetState()
    console.log(`SIGKILL: main ${r.main.durationMs} ms, post ${r.post?.durationMs ?? 0} ms`)

    expect(r.main.signal).toBe('SIGKILL')
    expect(r.post?.exitCode).toBe(0)
    const recovered = r.post?.warnings.find((w) =>
      w.startsWith('The main step did not finish; the post step recovered:')
    )
    expect(recovered).toBeDefined()
    expect(recovered).toContain(`rolled back ${spec(host('h1'))}`)
    expect(recovered).toContain(spec(host('h2')))
    expect(r.post?.summary).toContain('Deploy rolled back')
    expect(await settled(after)).toEqual({ h1: on('v1'), h2: on('v1'), h3: on('v1'), h4: on('v1') })
    for (const name of ['h1', 'h2']) expect(after[name]?.web?.imageId).toBe(before[name]?.web?.imageId)
    for (const name of ['h3', 'h4']) expect(after[name]?.web?.id).toBe(before[name]?.web?.id)
    expect(after.h1?.audit.map((a) => a.outcome)).toEqual(['rolled-back'])
  })
})
