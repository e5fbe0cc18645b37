/** The ssh-rolling config the orchestration tests start from: four hosts, batches of 2, a secret in `env`. */
import type { SshRollingConfig } from '../../../../src/strategies/ssh-rolling/config.js'

export const OLD = 'reg/app:1'
export const NEW = 'reg/app:2'
export const OLD_ID = 'sha256:old'
export const NEW_ID = 'sha256:new'
export const SECRET = 'hunter2-very-secret'

export function sshConfig(overrides: Partial<SshRollingConfig> = {}): SshRollingConfig {
  return {
    strategy: 'ssh-rolling',
    image: { ref: NEW, registry: 'reg', name: 'app', tag: '2' },
    timeoutMinutes: 30,
    dryRun: false,
    rollbackOnFailure: true,
    hosts: ['h1', 'h2', 'h3', 'h4'].map((h) => ({ spec: h, user: 'deploy', host: h, port: 22 })),
    knownHosts: [],
    insecureSkipHostKeyCheck: false,
    appDir: '/srv/app',
    composeFiles: [],
    composeServices: [],
    env: [{ key: 'DB_PASSWORD', value: SECRET }],
    imageVariable: 'IMAGE',
    healthCheck: { retries: 3, intervalMs: 2000, timeoutMs: 1000, startPeriodMs: 0 },
    updateOrder: 'auto',
    switchDelayMs: 5000,
    containerChecks: {},
    batchSize: { kind: 'count', value: 2 },
    rollbackScope: 'fleet',
    backupRetention: 3,
    lockWaitSeconds: 0,
    ...overrides
  }
}
