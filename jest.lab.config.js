// The SSH lab suite: needs `npm run lab:up` (root) first. Runs in band: the tests share the lab's hosts.
import base from './jest.config.js'

export default {
  ...base,
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  testMatch: ['**/__tests__/lab/**/*.test.ts'],
  testTimeout: 180000
}
