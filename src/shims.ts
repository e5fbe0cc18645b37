// Must be the bundle's first import: ssh2 (bundled by ncc as ESM) reads __dirname/__filename at load time.
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const g = globalThis as { __filename?: string; __dirname?: string }
g.__filename ??= fileURLToPath(import.meta.url)
g.__dirname ??= path.dirname(g.__filename)
