// ssh-rolling on the real lab: the deploy lock under contention. Two runs racing for an expired lock (exactly one
// takes it over, every time), and a run whose lock was taken over while it deployed (it never rolls back the new
// owner's deploy). The race itself is shown at the script level with dash, bash and busybox in
// __tests__/strategies/ssh-rolling/remote-lock-apply.test.ts; here it goes through the bundled action end to end.
import fs from 'node:fs'
import path from 'node:path'
import { deploy, fleetState, host, labTests, report, target, V2 } from './helpers.js'
import type { LabHost } from '../../../lab/address-book.js'

const FOREIGN_TOKEN = 'f0reign0f0reign0f0reign0f0reign0'
const FOREIGN_OWNER = JSON.stringify({ runUrl: 'https://github.com/acme/shop/actions/runs/777', actor: 'alice' })

/** An expired lock of a run that died, as the action writes it. */
function writeExpiredLock(h: LabHost): void {
  const dir = path.join(h.appDir, '.deploy', 'lock')
  fs.rmSync(dir, { recursive: true, force: true })
  fs.mkdirSync(dir, { recursive: true })
  fs.writeFileSync(path.join(dir, 'token'), `${FOREIGN_TOKEN}\n`)
  fs.writeFileSync(path.join(dir, 'expires'), `${Math.floor(Date.now() / 1000) - 60}\n`)
  fs.writeFileSync(path.join(dir, 'owner.json'), `${FOREIGN_OWNER}\n`)
}

labTests(() => {
  test('50 pairs of runs started together on an expired lock: exactly one of each pair takes it over', async () => {
    const h1 = host('h1')
    const rounds = 50
    const takeovers: number[] = []
    for (let round = 0; round < rounds; round++) {
      writeExpiredLock(h1)
      const pair = await Promise.all(
        [0, 1].map(() => deploy({ 'dry-run': 'true', 'lock-wait-seconds': '0' }, { hosts: [h1], noPost: true }))
      )
      const tookOver = pair.filter((r) => r.main.warnings.some((w) => w.includes('took over an expired deploy lock')))
      takeovers.push(tookOver.length)
      // Whoever did not take it over either found it held (and failed, naming the holder) or came after the release.
      for (const r of pair) {
        if (tookOver.includes(r)) continue
        expect(r.main.outputs.status === 'planned' || /held by/.test(report(r).message)).toBe(true)
      }
    }
    expect(takeovers).toEqual(Array.from({ length: rounds }, () => 1))
    expect((await fleetState()).h1?.lockOwner).toBeUndefined()
  }, 600_000)

  test("a run whose lock is taken over while it deploys never rolls back the new owner's deploy", async () => {
    const h1 = host('h1')
    // The post-deploy command plays another run taking the lock over at that moment, then fails the deploy.
    const takeOver = [
      `printf '%s\\n' ${FOREIGN_TOKEN} > /app/.deploy/lock/token`,
      `printf '%s\\n' '${FOREIGN_OWNER}' > /app/.deploy/lock/owner.json`,
      `printf '%s\\n' $(( $(date +%s) + 3600 )) > /app/.deploy/lock/expires`,
      'exit 1'
    ].join('; ')
    const r = await deploy({ 'post-deploy-command': takeOver }, { hosts: [h1] })
    const rep = report(r)
    expect(r.main.exitCode).toBe(1)
    expect(target(rep, 'h1').outcome).toBe('failed')
    expect(target(rep, 'h1').state).toMatch(/deploy lock is now held by .*runs\/777.*not rolled back/)
    const after = await fleetState()
    // What the new owner's deploy left is still there: the new image, and its lock, untouched.
    expect(after.h1?.envImage).toBe(V2())
    expect(after.h1?.lockOwner).toContain('"actor":"alice"')
    expect(fs.readFileSync(path.join(h1.appDir, '.deploy', 'lock', 'token'), 'utf8').trim()).toBe(FOREIGN_TOKEN)
    fs.rmSync(path.join(h1.appDir, '.deploy', 'lock'), { recursive: true, force: true })
  })
})
