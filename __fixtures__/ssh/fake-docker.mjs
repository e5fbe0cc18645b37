// A fake docker CLI (and compose v1/v2) that keeps its state in the JSON file $FAKE_DOCKER_STATE, for running the
// remote scripts for real without a daemon. It knows the commands and inspect templates the scripts use:
//   docker version --format …, docker compose version [--short], docker-compose version [--short],
//   compose [-f F]… [--env-file F] config -q | config --services | ps -a [-q] [S…] | pull [S…] | up -d --no-build [S…],
//   docker inspect --format T ID…, docker image inspect ID|REF, docker tag ID REF, docker logs --tail N ID,
//   docker pull [-q] REF, docker ps -a [-q] [--no-trunc] [--filter label=K=V]… [--format T].
// State: { compose: 'v2'|'v1'|'none', daemon: bool, registryDown: bool, registry: {ref: id}, tags: {ref: id},
//   images: [ids, tagged or not], removed: [ids pruned from the host], tagFails: bool (docker tag fails),
//   behaviour: {imageId: 'healthy'|'unhealthy'|'starting'|'crash'|'plain'}, containers: [...], calls: [argv] }
// Compose files are YAML (services.<name>.image with ${VAR} / ${VAR:-default}); variables come from ./.env (or the
// --env-file), the environment winning.
import fs from 'node:fs'
import path from 'node:path'
import { createHash } from 'node:crypto'

const statePath = process.env.FAKE_DOCKER_STATE
if (!statePath) {
  process.stderr.write('fake docker: FAKE_DOCKER_STATE is not set\n')
  process.exit(2)
}
// Scripts run docker commands concurrently (pull reads the configuration while it pulls): each invocation holds a
// lock on the state file from its read to its write, as one daemon would serialise them.
const lockPath = `${statePath}.lock`
const nap = new Int32Array(new SharedArrayBuffer(4))
for (let i = 0; ; i++) {
  try {
    fs.mkdirSync(lockPath)
    break
  } catch {
    if (i > 2000) {
      process.stderr.write('fake docker: state lock held for 20 s\n')
      process.exit(2)
    }
    Atomics.wait(nap, 0, 0, 10)
  }
}
process.on('exit', () => fs.rmSync(lockPath, { recursive: true, force: true }))
const state = JSON.parse(fs.readFileSync(statePath, 'utf8'))
state.calls ??= []
state.containers ??= []
state.tags ??= {}
state.registry ??= {}
state.behaviour ??= {}
/** Every image id on the "host": tagged or not (a re-pushed tag leaves the old image behind, untagged). */
const knownIds = () => new Set([...(state.images ?? []), ...Object.values(state.tags)])
const setTag = (ref, id) => {
  state.images = [...new Set([...knownIds(), id])].filter((i) => !(state.removed ?? []).includes(i))
  state.tags[ref] = id
}
const save = () => fs.writeFileSync(statePath, JSON.stringify(state, null, 2))
const out = (s) => process.stdout.write(s.endsWith('\n') ? s : `${s}\n`)
const err = (s) => process.stderr.write(s.endsWith('\n') ? s : `${s}\n`)
const die = (s, code = 1) => {
  err(s)
  save()
  process.exit(code)
}

const [tool, ...argv] = process.argv.slice(2)
state.calls.push([tool, ...argv])

function readEnvFile(dir, envFile) {
  const vars = {}
  const file = envFile ? path.resolve(dir, envFile) : path.join(dir, '.env')
  if (!fs.existsSync(file)) return vars
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=(.*)$/.exec(line)
    if (!m) continue
    let v = m[2]
    if (/^'.*'$/.test(v) || /^".*"$/.test(v)) v = v.slice(1, -1)
    vars[m[1]] = v
  }
  return vars
}

function interpolate(text, vars) {
  return text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (_, a, def, b) => {
    const v = vars[a ?? b]
    return v === undefined || v === '' ? (def ?? '') : v
  })
}

async function project(files, envFile) {
  const { parse } = await import('yaml')
  const dir = process.cwd()
  const list = files.length
    ? files
    : ['compose.yaml', 'compose.yml', 'docker-compose.yml', 'docker-compose.yaml'].filter((f) => fs.existsSync(f))
  if (list.length === 0) die('no configuration file provided: not found', 14)
  // --env-file replaces .env (as in compose v1 and v2); the shell environment still wins over both.
  const vars = { ...readEnvFile(dir, envFile), ...process.env }
  const services = {}
  for (const f of list) {
    if (!fs.existsSync(f)) die(`open ${path.resolve(f)}: no such file or directory`, 14)
    let doc
    try {
      doc = parse(interpolate(fs.readFileSync(f, 'utf8'), vars)) ?? {}
    } catch (e) {
      die(`yaml: ${f}: ${String(e.message).split('\n')[0]}`, 15)
    }
    for (const [name, svc] of Object.entries(doc.services ?? {})) services[name] = { ...services[name], ...svc }
  }
  return {
    name: path
      .basename(dir)
      .toLowerCase()
      .replace(/[^a-z0-9_-]/g, ''),
    services
  }
}

const newId = (seed) => createHash('sha256').update(`${seed}:${Date.now()}:${Math.random()}`).digest('hex')

function containerFor(proj, service, imageId, image) {
  const behaviour = state.behaviour[imageId] ?? 'plain'
  const c = {
    id: newId(service),
    name: `/${proj.name}_${service}_1`,
    project: proj.name,
    workingDir: process.cwd(),
    service,
    imageId,
    image,
    oneoff: 'False',
    status: behaviour === 'crash' ? 'exited' : 'running',
    health: ['healthy', 'unhealthy', 'starting'].includes(behaviour) ? behaviour : null,
    logs: [`started ${image} (${imageId.slice(7, 19)})`, behaviour === 'crash' ? 'fatal: cannot start' : 'listening']
  }
  return c
}

function pullRef(ref) {
  if (state.registryDown)
    die(`Error response from daemon: Get "https://${ref.split('/')[0]}/v2/": dial tcp: connection refused`)
  const id = state.registry[ref]
  if (!id) die(`Error response from daemon: manifest for ${ref} not found: manifest unknown`)
  setTag(ref, id)
  err(`Pulling ${ref} ... done`)
}

async function compose(args) {
  const files = []
  let envFile
  while (args[0] === '-f' || args[0] === '--env-file') {
    if (args[0] === '-f') files.push(args[1])
    else envFile = args[1]
    args = args.slice(2)
  }
  const [cmd, ...rest] = args
  const flags = rest.filter((a) => a.startsWith('-'))
  const names = rest.filter((a) => !a.startsWith('-'))
  const proj = await project(files, envFile)
  const selected = names.length ? names : Object.keys(proj.services)
  for (const s of selected) if (!proj.services[s]) die(`no such service: ${s}`)
  const mine = state.containers.filter((c) => c.project === proj.name)
  switch (cmd) {
    case 'config':
      if (flags.includes('--services')) out(Object.keys(proj.services).join('\n'))
      // The full configuration is left to the lab's real compose: without it every service goes stop-first.
      else if (!flags.includes('-q')) die('fake docker: compose config without --services or -q is not supported')
      return
    case 'ps':
      for (const c of mine.filter((c) => selected.includes(c.service))) {
        out(flags.includes('-q') ? c.id : `${c.name.slice(1)}  ${c.status}${c.health ? ` (${c.health})` : ''}`)
      }
      return
    case 'pull':
      for (const s of selected) pullRef(proj.services[s].image)
      return
    case 'up': {
      if (!flags.includes('-d')) die('fake docker: only up -d is supported')
      for (const s of selected) {
        const ref = proj.services[s].image
        if (!state.tags[ref]) pullRef(ref)
        const imageId = state.tags[ref]
        const current = mine.find((c) => c.service === s)
        if (current && current.imageId === imageId && current.image === ref) {
          err(`${current.name.slice(1)} is up-to-date`)
          continue
        }
        state.containers = state.containers.filter((c) => c !== current)
        state.containers.push(containerFor(proj, s, imageId, ref))
        err(`${current ? 'Recreating' : 'Creating'} ${proj.name}_${s}_1 ... done`)
      }
      return
    }
    default:
      die(`fake docker: compose ${cmd} is not supported`)
  }
}

// --- docker inspect templates: {{.A.B}}, {{index .A "k"}}, {{json .A}}, {{"str"}}, {{if .A}}…{{else}}…{{end}}, {{range .A}}…{{end}}
function inspectObject(c) {
  return {
    Id: c.id,
    Name: c.name,
    Image: c.imageId,
    Config: {
      Image: c.image,
      Labels: {
        'com.docker.compose.service': c.service,
        'com.docker.compose.project': c.project,
        ...(c.workingDir ? { 'com.docker.compose.project.working_dir': c.workingDir } : {}),
        'com.docker.compose.version': state.compose === 'v1' ? '1.29.2' : '2.24.0',
        'com.docker.compose.oneoff': c.oneoff
      }
    },
    // Like docker: a container without a healthcheck has no Health key at all.
    State: {
      Status: c.status,
      ExitCode: c.exitCode ?? (c.status === 'exited' ? 1 : 0),
      ...(c.health
        ? {
            Health: {
              Status: c.health,
              Log: [
                { Start: '2024-01-01T00:00:00Z', ExitCode: c.health === 'healthy' ? 0 : 1, Output: `probe ${c.health}` }
              ]
            }
          }
        : {})
    }
  }
}

// As Docker CLI 28 does, `.A.B` on a map without key B is an error ("map has no entry for key"); `index` is not.
function lookup(dot, expr) {
  if (expr === '.') return dot
  return expr
    .slice(1)
    .split('.')
    .reduce((v, k) => {
      if (v == null) return undefined
      if (typeof v === 'object' && !Array.isArray(v) && !(k in v)) {
        die(`template parsing error: template: :1: executing "" at <${expr}>: map has no entry for key "${k}"`)
      }
      return v[k]
    }, dot)
}

/** The value of a condition: `.A.B` or `index .A "k"`. */
function condition(dot, expr) {
  const m = /^index (\S+) "(.*)"$/.exec(expr)
  return m ? lookup(dot, m[1])?.[m[2]] : lookup(dot, expr)
}

function tokenize(tpl) {
  const parts = []
  const re = /\{\{(.*?)\}\}/g
  let last = 0
  for (let m; (m = re.exec(tpl));) {
    if (m.index > last) parts.push({ text: tpl.slice(last, m.index) })
    parts.push({ action: m[1].trim() })
    last = re.lastIndex
  }
  if (last < tpl.length) parts.push({ text: tpl.slice(last) })
  return parts
}

function render(parts, dot) {
  let result = ''
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]
    if (p.text !== undefined) {
      result += p.text
      continue
    }
    const a = p.action
    if (a.startsWith('if ') || a.startsWith('range ')) {
      let depth = 0
      let elseAt = -1
      let j = i + 1
      for (; j < parts.length; j++) {
        const b = parts[j].action
        if (b === undefined) continue
        if (b.startsWith('if ') || b.startsWith('range ')) depth++
        else if (b === 'end' && depth-- === 0) break
        else if (b === 'else' && depth === 0) elseAt = j
      }
      const body = parts.slice(i + 1, elseAt >= 0 ? elseAt : j)
      const alt = elseAt >= 0 ? parts.slice(elseAt + 1, j) : []
      const value = condition(dot, a.slice(a.indexOf(' ') + 1))
      if (a.startsWith('if ')) result += render(value ? body : alt, dot)
      else for (const item of value ?? []) result += render(body, item)
      i = j
    } else if (a.startsWith('"')) result += JSON.parse(a)
    else if (a.startsWith('json ')) result += JSON.stringify(lookup(dot, a.slice(5)))
    else if (a.startsWith('index ')) {
      const m = /^index (\S+) "(.*)"$/.exec(a)
      result += lookup(dot, m[1])?.[m[2]] ?? ''
    } else result += String(lookup(dot, a) ?? '<no value>')
  }
  return result
}

function findContainer(id) {
  return state.containers.find((c) => c.id === id || c.id.startsWith(id) || c.name === `/${id}`)
}

async function docker(args) {
  const [cmd, ...rest] = args
  if (cmd === 'version') {
    if (state.daemon === false) {
      die('Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?')
    }
    out('24.0.7')
    return
  }
  if (cmd === 'compose') {
    if (state.compose !== 'v2') die(`docker: 'compose' is not a docker command.\nSee 'docker --help'`)
    if (rest[0] === 'version') return out(rest.includes('--short') ? '2.24.0' : 'Docker Compose version v2.24.0')
    return await compose(rest)
  }
  if (state.daemon === false) die('Cannot connect to the Docker daemon at unix:///var/run/docker.sock.')
  switch (cmd) {
    case 'inspect': {
      const at = rest.indexOf('--format')
      const tpl = rest[at + 1]
      const ids = rest.filter((_, i) => i !== at && i !== at + 1)
      let missing = ''
      for (const id of ids) {
        const c = findContainer(id)
        if (c) out(render(tokenize(tpl), inspectObject(c)))
        else missing ||= id
      }
      if (missing) die(`Error: No such object: ${missing}`)
      return
    }
    case 'image': {
      const id = rest[rest.length - 1]
      if (rest[0] !== 'inspect') die(`fake docker: image ${rest[0]} is not supported`)
      const resolved = state.tags[id] ?? id
      if (!knownIds().has(resolved) || (state.removed ?? []).includes(resolved)) die(`Error: No such image: ${id}`)
      out('[{}]')
      return
    }
    case 'pull': {
      const ref = rest[rest.length - 1]
      pullRef(ref)
      if (rest.includes('-q')) out(ref)
      return
    }
    case 'ps': {
      const filters = rest.flatMap((a, i) => (rest[i - 1] === '--filter' ? [a] : []))
      const at = rest.indexOf('--format')
      const tpl = at >= 0 ? rest[at + 1] : undefined
      for (const c of state.containers) {
        const labels = inspectObject(c).Config.Labels
        const match = filters.every((f) => {
          const m = /^label=([^=]+)=(.*)$/.exec(f)
          if (!m) die(`fake docker: ps --filter ${f} is not supported`)
          return labels[m[1]] === m[2]
        })
        if (!match || (!rest.includes('-a') && c.status !== 'running')) continue
        if (rest.includes('-q')) out(rest.includes('--no-trunc') ? c.id : c.id.slice(0, 12))
        else if (tpl)
          out(tpl.replace(/\{\{\.Label "([^"]+)"\}\}/g, (_, k) => labels[k] ?? '').replace(/\{\{"\\t"\}\}/g, '\t'))
        else die('fake docker: ps without -q or --format is not supported')
      }
      return
    }
    case 'tag': {
      const [id, ref] = rest
      if (!knownIds().has(id) || (state.removed ?? []).includes(id)) {
        die(`Error response from daemon: No such image: ${id}`)
      }
      if (state.tagFails) die('Error response from daemon: write /var/lib/docker/image: no space left on device')
      setTag(ref, id)
      return
    }
    case 'logs': {
      const c = findContainer(rest[rest.length - 1])
      if (!c) die(`Error: No such container: ${rest[rest.length - 1]}`)
      out(c.logs.join('\n'))
      return
    }
    default:
      die(`fake docker: ${cmd} is not supported`)
  }
}

if (tool === 'docker-compose') {
  if (state.compose !== 'v1') die('docker-compose: command not found', 127)
  if (argv[0] === 'version') out(argv.includes('--short') ? '1.29.2' : 'docker-compose version 1.29.2, build unknown')
  else await compose(argv)
} else {
  await docker(argv)
}
save()
