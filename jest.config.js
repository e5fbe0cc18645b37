// Jest in ESM mode: ts-jest compiles TypeScript, ts-jest-resolver maps `.js` imports to `.ts` sources.
export default {
  clearMocks: true,
  extensionsToTreatAsEsm: ['.ts'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  resolver: 'ts-jest-resolver',
  testEnvironment: 'node',
  testMatch: ['**/__tests__/**/*.test.ts'],
  // Tests that need the SSH lab (root, namespaces, sshd, dockerd) run with `npm run test:lab` (jest.lab.config.js).
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '/__tests__/lab/'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json', diagnostics: { ignoreCodes: ['TS151001'] } }]
  },
  testTimeout: 30000,
  verbose: false
}
