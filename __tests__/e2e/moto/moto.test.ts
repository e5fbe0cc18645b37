/** Without a working moto_server the moto tests fail, saying why and how to install it (they never skip). */
import { MOTO_VERSION, startMoto } from './moto.js'

const HINT = `install it with: pip install 'moto[server]==${MOTO_VERSION}'`

test.each([
  ['not installed', 'moto_server-not-installed', 'moto_server-not-installed is not on PATH'],
  ['exits at once (a shim without the package)', 'false', 'it exited (code 1)']
])('moto_server %s: a clear error', async (_what, command, why) => {
  await expect(startMoto(command)).rejects.toThrow(`Could not start moto_server: ${why}; ${HINT}`)
})
