// ssh-rolling's verify gate on the real lab: `verify-command` runs on the runner after each batch passed its health
// gate, reaches the batch's hosts itself, and a failure rolls the fleet back like a failed health gate.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { deploy, fleetState, host, lab, labTests, names, on, report, settled, target, V1 } from './helpers.js'

/** A smoke test a user would write: every host of the batch answers its version, which must be v2. */
const SMOKE =
  'for h in $DEPLOY_TARGETS; do ' +
  `v=$(curl -fsS --max-time 2 "http://$h:${String(lab().app.port)}${lab().app.versionPath}") || exit 1; ` +
  'echo "$DEPLOY_BATCH $h $v [$DEPLOY_HOSTS_DEPLOYED]" >> "$VERIFY_LOG"; [ "$v" = v2 ] || exit 1; done'

function verifyLog(): { file: string; lines: () => string[] } {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'verify-')), 'log')
  return { file, lines: () => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim().split('\n') : []) }
}

labTests(() => {
  test('after each batch the command sees that batch on v2 at its own addresses; the deploy succeeds', async () => {
    const log = verifyLog()
    const r = await deploy({ 'batch-size': '2', 'verify-command': SMOKE }, { env: { VERIFY_LOG: log.file } })
    const rep = report(r)

    expect({ exit: r.main.exitCode, status: r.main.outputs.status }).toEqual({ exit: 0, status: 'succeeded' })
    expect(await settled()).toEqual({ h1: on('v2'), h2: on('v2'), h3: on('v2'), h4: on('v2') })
    const [a1, a2, a3, a4] = ['h1', 'h2', 'h3', 'h4'].map((n) => host(n).address)
    expect(log.lines()).toEqual([
      `1/2 ${a1} v2 [${a1} ${a2}]`,
      `1/2 ${a2} v2 [${a1} ${a2}]`,
      `2/2 ${a3} v2 [${a1} ${a2} ${a3} ${a4}]`,
      `2/2 ${a4} v2 [${a1} ${a2} ${a3} ${a4}]`
    ])
    for (const name of ['h1', 'h2', 'h3', 'h4']) {
      expect(target(rep, name).phases.map((p) => p.name)).toContain('verify')
    }
  })

  test('a failing check on batch 2 rolls the fleet back to v1; its hostile output stays text', async () => {
    const failSecond =
      'case "$DEPLOY_BATCH" in 2/*) ' +
      "printf '::error title=pwned::INJECTED-V\\nsmoke: checkout returned 500\\n'; exit 3;; esac"
    const before = await fleetState()
    const r = await deploy({ 'batch-size': '2', 'verify-command': failSecond })
    const rep = report(r)

    expect(r.main.exitCode).toBe(1)
    expect(r.main.outputs.status).toBe('rolled-back')
    expect(names(r.main.outputs['hosts-rolled-back'])).toEqual(['h1', 'h2', 'h3', 'h4'])
    expect(await settled()).toEqual({ h1: on('v1'), h2: on('v1'), h3: on('v1'), h4: on('v1') })
    const after = await fleetState()
    for (const name of ['h1', 'h2', 'h3', 'h4']) {
      expect(after[name]?.web?.imageId).toBe(before[name]?.web?.imageId)
      expect(target(rep, name)).toMatchObject({ outcome: 'rolled-back', before: V1(), after: V1() })
    }
    // The batch that failed names the gate and the command's last lines; the first batch says why it went back.
    expect(target(rep, 'h3').error).toMatch(/^verify-command failed with exit code 3; last output: /)
    expect(target(rep, 'h3').error).toContain('smoke: checkout returned 500')
    expect(target(rep, 'h1').state).toMatch(/^rolled back because .* failed$/)
    // No line of the command's output became a workflow command; the text is still there to read.
    expect(r.main.stdout).not.toMatch(/^\s*::error title=pwned/m)
    expect(r.main.stdout).toContain('INJECTED-V')
    expect(r.main.summary).toContain('Deploy rolled back')
  })
})
