// ssh-rolling on the real lab: what a phase starts on a host is stopped, and known to be gone, before the step says
// what became of the host; host text never becomes a workflow command; a host that floods its output fails alone.
import { execFileSync } from 'node:child_process'
import {
  deploy,
  fleetState,
  host,
  hostExec,
  labTests,
  logs,
  on,
  report,
  settled,
  sleep,
  spec,
  target
} from './helpers.js'

/** Lines of processes (any host: they share this machine's process table) whose command line contains `marker`. */
function processesWith(marker: string): string[] {
  return execFileSync('ps', ['-eo', 'pid=,stat=,args='], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line.includes(marker) && !/^\s*\d+\s+Z/.test(line))
}

/** The phase records a run left in a host's `.deploy/run` (none when every phase ended or was stopped). */
async function records(name: string): Promise<string> {
  return hostExec(host(name), 'find /app/.deploy/run -type f 2>/dev/null || true')
}

/** Stdout split into lines as the runner splits it: on `\r\n`, `\r` and `\n`. */
function runnerLines(stdout: string): string[] {
  return stdout.split(/\r\n|\r|\n/)
}

labTests(() => {
  test('a pre-deploy command past the deadline is gone from the host when the step ends; nothing changed', async () => {
    const marker = 'sleep 24.301'
    const h1 = host('h1')
    const before = await fleetState()
    const started = Date.now()
    const r = await deploy(
      { 'timeout-minutes': '0.2', 'pre-deploy-command': `${marker}; touch /app/MARKER` },
      { hosts: [h1] }
    )
    // Checked the moment main and post are over.
    expect(processesWith(marker)).toEqual([])
    expect(await records('h1')).toBe('')
    const rep = report(r)
    expect(r.main.exitCode).toBe(1)
    expect(target(rep, 'h1').error).toMatch(/^pre-deploy: timed out after .*; stopped on the host$/)
    expect(target(rep, 'h1').state).toMatch(/^unchanged/)
    const after = await fleetState()
    expect(after.h1?.web?.id).toBe(before.h1?.web?.id)
    expect(after.h1?.lockOwner).toBeUndefined()
    // Past the moment the command would have finished: it never did.
    await sleep(Math.max(0, started + 26_000 - Date.now()))
    expect(await hostExec(h1, 'ls /app')).not.toContain('MARKER')
  })

  test("the runner's cancel sequence (SIGINT, SIGTERM 7.5 s later, SIGKILL 2.5 s after) during a phase that ignores TERM, then the post step: nothing runs, no lock, every host on its previous version", async () => {
    const marker = 'sleep 23.702'
    const before = await fleetState()
    let cancelledAt = 0
    const r = await deploy(
      { 'batch-size': '2', 'post-deploy-command': `echo SLOW-PHASE; trap '' TERM INT; ${marker}` },
      {
        onLine: (line, child) => {
          if (cancelledAt || !line.includes('] SLOW-PHASE')) return
          cancelledAt = Date.now()
          child.kill('SIGINT')
          setTimeout(() => child.kill('SIGTERM'), 7_500)
          setTimeout(() => child.kill('SIGKILL'), 10_000)
        }
      }
    )
    expect(cancelledAt).toBeGreaterThan(0)
    // Main and post are over: nothing this run started still runs, and no host keeps a record or a lock.
    expect(processesWith(marker)).toEqual([])
    const after = await fleetState()
    for (const name of ['h1', 'h2', 'h3', 'h4']) {
      expect(await records(name)).toBe('')
      expect(after[name]?.lockOwner).toBeUndefined()
    }
    expect(await settled(after)).toEqual({ h1: on('v1'), h2: on('v1'), h3: on('v1'), h4: on('v1') })
    for (const name of ['h1', 'h2']) expect(after[name]?.web?.imageId).toBe(before[name]?.web?.imageId)
    for (const name of ['h3', 'h4']) expect(after[name]?.web?.id).toBe(before[name]?.web?.id)
    // Whichever step finished the rollback says so.
    const said = `${r.main.stdout}\n${r.post?.stdout ?? ''}`
    expect(said).toMatch(/rolled back/)
    expect(said).not.toMatch(/may still be running/)
    console.log(
      `cancel sequence: main ${r.main.durationMs} ms (${String(r.main.signal)}), post ${r.post?.durationMs} ms`
    )
  })

  test('host output with CR and :: produces no workflow command, and stays readable', async () => {
    const hostile =
      "printf 'x\\r::error title=pwned::INJECTED-1\\n::add-mask::deploylab\\n  ::warning::INJECTED-2\\n##[error]INJECTED-3\\n'; " +
      "printf 'y\\r::stop-commands::INJECTED-4\\n' >&2"
    const r = await deploy({ 'pre-deploy-command': hostile }, { hosts: [host('h1')] })
    expect(r.main.exitCode).toBe(0)
    const commands = runnerLines(r.main.stdout).filter((l) => /^\s*(::|##\[)/.test(l))
    expect(commands.filter((l) => /INJECTED|deploylab/.test(l))).toEqual([])
    expect(r.main.masks).not.toContain('deploylab')
    // The text itself is still in the log, for a person to read.
    expect(r.main.stdout).toMatch(/error title=pwned: ?:INJECTED-1|: :error title=pwned::INJECTED-1/)
    expect(r.main.stdout).toContain('INJECTED-4')
  })

  test('a host flooding its output fails alone with a clear message; the other host of its batch deploys', async () => {
    const h1 = host('h1')
    const h2 = host('h2')
    // Only h2 floods: 200 MB of one repeated line on stdout.
    const flood = `case "$SSH_CONNECTION" in *" ${h2.address} "*) yes 0123456789012345678901234567890123456789012345678901234567890123456789 | head -c 200000000 ;; esac`
    const r = await deploy(
      { 'batch-size': '2', 'rollback-scope': 'host', 'pre-deploy-command': flood },
      { hosts: [h1, h2] }
    )
    const rep = report(r)
    expect(target(rep, 'h1').outcome).toBe('deployed')
    expect(target(rep, 'h2').outcome).not.toBe('deployed')
    expect(target(rep, 'h2').error).toMatch(/^pre-deploy: printed more than 64 MiB of output; stopped on the host$/)
    expect(processesWith('0123456789012345678901234567890123456789')).toEqual([])
    // What reached the log is bounded: a phase shows at most 1 MiB per stream.
    expect(r.main.stdout.length).toBeLessThan(4 * 1024 ** 2)
    console.log(`flood: main ${r.main.durationMs} ms, log ${r.main.stdout.length} chars; ${spec(h2)}`)
    expect(logs(r)).toContain('more bytes not shown')
  })
})
