// Smoke test of the SSH lab: needs `npm run lab:up` (root) first; reads lab/.run/lab.json.
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import { NodeSSH } from 'node-ssh'
import { readLabAddressBook, sshFingerprint, type LabAddressBook, type LabHost } from '../../lab/address-book.js'

let book: LabAddressBook | undefined
let bookError: unknown
try {
  book = readLabAddressBook()
} catch (error) {
  bookError = error
}

/** Connects with the lab key and accepts only the host key fingerprints the address book pins. */
async function connect(
  lab: LabAddressBook,
  host: LabHost,
  pinned = Object.values(host.hostKeyFingerprints),
  key: { privateKeyPath: string; passphrase?: string } = { privateKeyPath: lab.keys.privateKey }
): Promise<NodeSSH> {
  const ssh = new NodeSSH()
  await ssh.connect({
    host: host.address,
    port: host.port,
    username: host.user,
    ...key,
    readyTimeout: 10_000,
    hostVerifier: (raw: Buffer) => pinned.includes(sshFingerprint(raw))
  })
  return ssh
}

function routeTo(address: string): string {
  return execFileSync('ip', ['-4', 'route', 'get', address], { encoding: 'utf8', stdio: 'pipe' })
}

if (!book) {
  test('the lab is up (lab/.run/lab.json exists)', () => {
    // The reader's message says how to start the lab (`npm run lab:up`, as root).
    throw new Error(`The SSH lab is not up. ${bookError instanceof Error ? bookError.message : String(bookError)}`)
  })
} else {
  const lab = book
  const full = lab.hosts.filter((h) => h.kind === 'full')
  const sshdOnly = lab.hosts.filter((h) => h.kind === 'sshd-only')

  describe('lab network safety', () => {
    test.each(lab.hosts.map((h) => [h.name, h.address]))(
      '%s (%s) is routed via the lab veth, not eth0',
      (_, address) => {
        const route = routeTo(address)
        expect(route).not.toMatch(/\beth0\b/)
        expect(route).not.toMatch(/\bvia\b/)
        expect(route).toContain(`dev ${lab.network.rootInterface}`)
      }
    )

    test('an unused address of the lab range is blackholed, not routed out', () => {
      expect(() => routeTo('10.213.200.1')).toThrow()
    })
  })

  describe('lab files', () => {
    test('known_hosts (plain and hashed) list every host key', () => {
      const plain = fs.readFileSync(lab.knownHosts.plain, 'utf8')
      const hashed = fs.readFileSync(lab.knownHosts.hashed, 'utf8').trim().split('\n')
      for (const host of lab.hosts) {
        for (const key of Object.values(host.hostKeys)) expect(plain).toContain(`${host.knownHostsName} ${key}\n`)
      }
      expect(hashed).toHaveLength(plain.trim().split('\n').length)
      for (const line of hashed) expect(line).toMatch(/^\|1\|[^|]+\|[^ ]+ (ssh-|ecdsa-)/)
    })

    test('every host has an ed25519 host key; with full hosts, one also offers RSA and ECDSA', () => {
      for (const host of lab.hosts) expect(Object.keys(host.hostKeyFingerprints)).toContain('ssh-ed25519')
      const types = lab.hosts.flatMap((h) => Object.keys(h.hostKeyFingerprints))
      if (full.length > 0) expect(types).toEqual(expect.arrayContaining(['ssh-rsa', 'ecdsa-sha2-nistp256']))
    })
  })

  // `describe.each` refuses an empty table: a lab made with `--hosts 0` has no full hosts.
  if (full.length > 0) {
    describe.each(full.map((h) => [h.name, h] as const))('full host %s', (_, host) => {
      let ssh: NodeSSH
      beforeAll(async () => {
        ssh = await connect(lab, host)
      })
      afterAll(() => ssh?.dispose())

      test('the session runs inside the host: its address, its own /app with the starter project', async () => {
        const result = await ssh.execCommand('ip -4 -o addr show; cat /app/.env; ls /app')
        expect(result.code).toBe(0)
        expect(result.stdout).toContain(`inet ${host.address}/`)
        expect(result.stdout).toContain(`IMAGE=${lab.images.tags.v1}`)
        expect(result.stdout).toContain(lab.app.composeFile)
        expect(fs.readFileSync(`${host.appDir}/${lab.app.envFile}`, 'utf8')).toContain(lab.images.tags.v1)
      })

      test('docker compose ps lists the web service, docker inspect says running and healthy on v1', async () => {
        const ps = await ssh.execCommand('docker compose ps', { cwd: lab.app.dir })
        expect(ps.code).toBe(0)
        expect(ps.stdout).toMatch(/web/)

        const inspect = await ssh.execCommand(
          `docker inspect -f '{{.State.Status}} {{.State.Health.Status}} {{.Config.Image}}' ` +
            `$(docker ps -q --filter label=com.docker.compose.project=${lab.app.project} ` +
            `--filter label=com.docker.compose.service=${lab.app.service})`
        )
        expect(inspect.code).toBe(0)
        expect(inspect.stdout.trim()).toBe(`running healthy ${lab.images.tags.v1}`)
      })

      test('the docker client of the session is the host dockerd (DOCKER_HOST from sshd SetEnv)', async () => {
        const result = await ssh.execCommand('echo "$DOCKER_HOST"; command -v docker')
        expect(result.code).toBe(0)
        expect(result.stdout.split('\n')).toEqual([host.dockerHost, '/usr/bin/docker'])
      })

      test('GET /version over HTTP answers v1', async () => {
        const response = await fetch(`${host.appUrl}${lab.app.versionPath}`)
        expect(response.status).toBe(200)
        expect((await response.text()).trim()).toBe('v1')
      })
    })
  }

  describe('host keys and client keys', () => {
    const first = full[0] ?? lab.hosts[0]
    const other = lab.hosts.find((h) => h !== first)

    test('a host key that is not the pinned one is refused', async () => {
      if (!first || !other) throw new Error('the lab needs at least two hosts')
      await expect(connect(lab, first, Object.values(other.hostKeyFingerprints))).rejects.toThrow(/verification failed/)
    })

    test('the encrypted client key works with the passphrase from the address book', async () => {
      if (!first) throw new Error('the lab has no hosts')
      const ssh = await connect(lab, first, undefined, {
        privateKeyPath: lab.keys.encryptedPrivateKey,
        passphrase: lab.keys.passphrase
      })
      const result = await ssh.execCommand('echo ok')
      ssh.dispose()
      expect(result.stdout).toBe('ok')
    })
  })

  if (sshdOnly.length > 0) {
    test.each(sshdOnly.map((h) => [h.name, h] as const))(
      'sshd-only host %s answers over SSH in its own namespace, with its own /app and no dockerd',
      async (_, host) => {
        const ssh = await connect(lab, host)
        const result = await ssh.execCommand('ip -4 -o addr show; echo "docker=${DOCKER_HOST:-none}"; ls -a /app')
        ssh.dispose()
        expect(result.code).toBe(0)
        expect(result.stdout).toContain(`inet ${host.address}/`)
        expect(result.stdout).toContain('docker=none')
        expect(result.stdout).not.toContain('compose.yaml')
      }
    )
  }
}
