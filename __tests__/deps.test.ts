import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createStartup } from '../src/deps.js'
import { parseFileCommands } from './harness/run-action.js'

describe('createStartup: the step before the toolkit loads', () => {
  test('reads inputs and state from the environment it is given, saves state, refuses outputs and summary', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'deps-test-'))
    try {
      const env = { 'INPUT_SSH-USER': ' deploy \n', GITHUB_STATE: path.join(dir, 'state'), STATE_tempDir: '/t' }
      const startup = createStartup(env)
      expect(startup.inputs.getInput('ssh-user')).toBe('deploy')
      expect(startup.io.getState('tempDir')).toBe('/t')
      startup.io.saveState('isPost', 'true')
      expect(parseFileCommands(fs.readFileSync(env.GITHUB_STATE, 'utf8'))).toEqual({ isPost: 'true' })
      expect(() => startup.io.setOutput('status', 'x')).toThrow('An output needs the toolkit: call load() first')
      await expect(startup.io.appendSummary(() => undefined)).rejects.toThrow('The job summary needs the toolkit')
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })
})
