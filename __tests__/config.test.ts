import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { KnownHostEntry } from '../src/strategies/ssh-rolling/known-hosts.js'
import type { SshRollingConfig } from '../src/strategies/ssh-rolling/config.js'
import { State, type StrategyName } from '../src/constants.js'
import type { ActionIO, Deps } from '../src/deps.js'
import YAML from 'yaml'
import { configView, readInputs, yamlFor } from '../src/config.js'
import { fakeClock, RecordingLogger } from './helpers/fake-deps.js'
import { parseImage } from '../src/inputs/forms.js'
import { InputError } from '../src/inputs/reader.js'
import { run } from '../src/main.js'
import { ENV_VALUE_FORM } from '../src/strategies/ssh-rolling/dotenv.js'
import { fakeDeps, fakeStartup } from './helpers/fake-deps.js'

/** The parser `yamlFor` loads for YAML file inputs. */
const parseYaml = (text: string): unknown => YAML.parse(text) as unknown

const FIXTURES = path.join(process.cwd(), '__fixtures__', 'inputs')
const fixture = (name: string): string => fs.readFileSync(path.join(FIXTURES, name), 'utf8')

const KEY = fixture('id_ed25519')
const ENCRYPTED_KEY = fixture('id_ed25519_encrypted')
const ENCRYPTED_KEY_PASSPHRASE = 'correct horse battery'
const PEM_KEY = fixture('id_rsa_pem')
const ENCRYPTED_PEM_KEY = fixture('id_rsa_pem_encrypted')
const KNOWN_HOSTS = fixture('known_hosts')
const ED25519_BLOB = fixture('id_ed25519.pub').split(' ')[1] ?? ''
const ECDSA_BLOB = fixture('host_ecdsa.pub').split(' ')[1] ?? ''
const SECRET_ENV_VALUE = 'sk_live_51HxSECRETvalue0001'
const NOT_A_KEY = 'hunter2-is-my-password-not-a-key'
/** `.env` values compose v1 and v2 would read differently: refused by key and line, never shown (not even in part). */
const UNWRITABLE_ENV_VALUES = {
  quoteDollar: "it's$ecretPASSWORD0001",
  quoteBacktick: "it's`secretPASSWORD0002`",
  quoteDoubleQuote: 'it\'s"secretPASSWORD0003"',
  quoteBackslash: "it's\\secretPASSWORD0004",
  doubleBackslash: 'C:\\\\secretPASSWORD0005',
  trailingBackslash: 'secretPASSWORD0006\\',
  carriageReturn: 'secret\rPASSWORD0007',
  nul: 'secret\u0000PASSWORD0008'
}

/** Strings that must never appear in an error message. */
const SECRETS = [
  ...[KEY, ENCRYPTED_KEY, PEM_KEY].flatMap((k) => k.split('\n')).filter((l) => l.length >= 8 && !l.startsWith('-----')),
  ENCRYPTED_KEY_PASSPHRASE,
  SECRET_ENV_VALUE,
  NOT_A_KEY,
  ...Object.values(UNWRITABLE_ENV_VALUES),
  'PASSWORD000'
]

type Values = Record<string, string>

const source = (values: Values): { getInput: (name: string) => string } => ({ getInput: (n) => values[n] ?? '' })

/** The shared recording logger, with the masks and warnings the input reader gave it. */
function recordingLogger(): { log: RecordingLogger; secrets: string[]; readonly warnings: string[] } {
  const log = new RecordingLogger()
  return {
    log,
    secrets: log.secrets,
    get warnings() {
      return log.entries.filter((e) => e.level === 'warning').map((e) => e.message)
    }
  }
}

const BASE: Record<StrategyName | 'none', Values> = {
  none: {},
  ecs: { strategy: 'ecs', image: 'nginx:1.27', 'aws-region': 'eu-west-1', service: 'web' },
  'ecs-rolling': { strategy: 'ecs-rolling', image: 'nginx:1.27', 'aws-region': 'eu-west-1', service: 'web' },
  'ecs-blue-green': { strategy: 'ecs-blue-green', image: 'nginx:1.27', 'aws-region': 'eu-west-1', service: 'web' },
  'ecs-native': { strategy: 'ecs-native', image: 'nginx:1.27', 'aws-region': 'eu-west-1', service: 'web' },
  'ssh-rolling': {
    strategy: 'ssh-rolling',
    image: 'registry.example.com/team/app:1.2.3',
    hosts: 'web-1.example.com\nweb-2.example.com',
    'ssh-user': 'deploy',
    'ssh-private-key': KEY,
    'ssh-known-hosts': KNOWN_HOSTS
  }
}

const ENV: NodeJS.ProcessEnv = { GITHUB_WORKSPACE: FIXTURES }

// Files that do not parse are written at run time: as fixtures they would break the formatter's run over the tree.
const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'inputs-test-'))
const INVALID_JSON = path.join(TMP, 'invalid.json')
const INVALID_YAML = path.join(TMP, 'invalid.yaml')
fs.writeFileSync(INVALID_JSON, '{\n  "family": "web",\n  "containerDefinitions": [{ "name": "web", }]\n}\n')
fs.writeFileSync(INVALID_YAML, 'family: web\ncontainerDefinitions:\n  - name: web\n   image: bad-indent\n')
afterAll(() => fs.rmSync(TMP, { recursive: true, force: true }))

async function read(base: keyof typeof BASE, set: Values = {}, env: NodeJS.ProcessEnv = ENV) {
  const logger = recordingLogger()
  const config = await readInputs(source({ ...BASE[base], ...set }), env, logger.log, parseYaml)
  return { config, ...logger }
}

async function readSsh(set: Values = {}): Promise<{ config: SshRollingConfig; secrets: string[]; warnings: string[] }> {
  const result = await read('ssh-rolling', set)
  if (result.config.strategy !== 'ssh-rolling') throw new Error('expected an ssh-rolling config')
  return { ...result, config: result.config }
}

/** The public key blob (base64) of the parsed private key in an ssh-rolling config. */
const publicBlob = (config: SshRollingConfig): string | undefined =>
  config.privateKey?.getPublicSSH().toString('base64')

interface BadCase {
  title: string
  base: keyof typeof BASE
  set: Values
  env?: NodeJS.ProcessEnv
  /** The input the message must name. */
  input: string
  /** The expected-form text the message must contain. */
  form: string | RegExp
}

const bad = (
  title: string,
  base: BadCase['base'],
  set: Values,
  input: string,
  form: string | RegExp,
  env?: NodeJS.ProcessEnv
): BadCase => ({ title, base, set, input, form, ...(env ? { env } : {}) })

const IMAGE_FORM = 'expected an image reference [registry[:port]/]name[:tag][@sha256:<64 hex>]'
const HOST_FORM = 'expected [user@]host[:port]'
const DURATION_FORM = 'expected a duration like 500ms, 3s, 2m, 1m30s or a number of seconds'
const BATCH_FORM = 'expected a number of hosts (1 or more) or a percentage from 1% to 100%'
const APP_DIR_FORM = 'expected an absolute directory path other than /'
const KEY_FORM = 'expected a PEM or OpenSSH private key block'
const FILE_FORM = 'expected a readable JSON or YAML file'

const BAD_CASES: BadCase[] = [
  // strategy
  bad(
    'missing strategy',
    'none',
    { image: 'nginx' },
    'strategy',
    /^Missing 'strategy'.*one of ecs, ecs-blue-green, ecs-native, ecs-rolling, ssh-rolling$/
  ),
  bad(
    'unknown strategy',
    'ecs-rolling',
    { strategy: 'kubernetes' },
    'strategy',
    "expected one of ecs, ecs-blue-green, ecs-native, ecs-rolling, ssh-rolling, got 'kubernetes'"
  ),
  bad(
    'strategy in capitals',
    'ssh-rolling',
    { strategy: 'SSH-ROLLING' },
    'strategy',
    'expected one of ecs, ecs-blue-green'
  ),
  // image
  bad(
    'missing image',
    'ecs-rolling',
    { image: '' },
    'image',
    /^Missing 'image': required for every strategy unless 'rollback-to' is given \(for ECS, unless 'task-definition' names a registered revision\); expected an image reference/
  ),
  // rollback-to
  bad(
    'image and rollback-to together',
    'ssh-rolling',
    { 'rollback-to': 'previous' },
    'rollback-to',
    "Invalid 'rollback-to': expected either 'image' (deploy it) or 'rollback-to' (go back to an earlier release), got both"
  ),
  bad(
    'rollback-to a path',
    'ssh-rolling',
    { image: '', 'rollback-to': '../../etc' },
    'rollback-to',
    "expected previous or a backup's folder name in <app-dir>/.deploy/backups/, like 20260102T030405Z-run123, got '../../etc'"
  ),
  bad(
    'rollback-to a backup name with a slash',
    'ssh-rolling',
    { image: '', 'rollback-to': '20260102T030405Z-run1/x' },
    'rollback-to',
    "expected previous or a backup's folder name"
  ),
  bad(
    'rollback-to a backup name with shell characters',
    'ssh-rolling',
    { image: '', 'rollback-to': "20260102T030405Z';id'" },
    'rollback-to',
    "expected previous or a backup's folder name"
  ),
  bad('rollback-to Previous', 'ssh-rolling', { image: '', 'rollback-to': 'Previous' }, 'rollback-to', "got 'Previous'"),
  bad(
    'ECS rollback-to a family without a revision',
    'ecs-rolling',
    { image: '', 'rollback-to': 'web' },
    'rollback-to',
    "expected previous or a task definition revision (family:revision or its ARN), got 'web'"
  ),
  bad(
    'ECS rollback-to a backup name',
    'ecs-blue-green',
    { image: '', 'rollback-to': '20260102T030405Z-run123' },
    'rollback-to',
    'expected previous or a task definition revision'
  ),
  bad('image with ;', 'ssh-rolling', { image: 'nginx;rm -rf /' }, 'image', IMAGE_FORM),
  bad('image with $(', 'ssh-rolling', { image: 'nginx:$(id)' }, 'image', IMAGE_FORM),
  bad('image with a backtick', 'ssh-rolling', { image: 'nginx:`id`' }, 'image', IMAGE_FORM),
  bad('image with &&', 'ecs-rolling', { image: 'nginx&&curl' }, 'image', IMAGE_FORM),
  bad(
    'a pre-deploy-command over the RunTask overrides limit',
    'ecs-blue-green',
    { 'pre-deploy-command': `echo ${'x'.repeat(7900)}` },
    'pre-deploy-command',
    "Invalid 'pre-deploy-command': expected a command of at most 7850 characters as JSON (the RunTask overrides limit), got 7907"
  ),
  bad('image with a space', 'ecs-rolling', { image: 'nginx latest' }, 'image', "got 'nginx latest'"),
  bad('image with a newline', 'ssh-rolling', { image: 'nginx\nid' }, 'image', "got 'nginx\\nid'"),
  bad('image with an uppercase name', 'ecs-rolling', { image: 'MyApp:1.0' }, 'image', IMAGE_FORM),
  bad('image with an uppercase first path component', 'ecs-rolling', { image: 'Team/app:1.0' }, 'image', IMAGE_FORM),
  bad('image with an empty tag', 'ecs-rolling', { image: 'nginx:' }, 'image', IMAGE_FORM),
  bad('image with a short digest', 'ecs-rolling', { image: 'nginx@sha256:abc123' }, 'image', IMAGE_FORM),
  bad(
    'image with a registry port out of range',
    'ecs-rolling',
    { image: 'reg.example.com:70000/app' },
    'image',
    IMAGE_FORM
  ),
  // common scalars
  bad(
    'timeout-minutes 0',
    'ecs-rolling',
    { 'timeout-minutes': '0' },
    'timeout-minutes',
    'expected a number of minutes greater than 0 and at most 1440'
  ),
  bad('timeout-minutes over a day', 'ecs-rolling', { 'timeout-minutes': '1441' }, 'timeout-minutes', 'at most 1440'),
  bad('timeout-minutes negative', 'ssh-rolling', { 'timeout-minutes': '-5' }, 'timeout-minutes', 'at most 1440'),
  bad('dry-run yes', 'ecs-rolling', { 'dry-run': 'yes' }, 'dry-run', "expected true or false, got 'yes'"),
  bad(
    'rollback-on-failure 1',
    'ssh-rolling',
    { 'rollback-on-failure': '1' },
    'rollback-on-failure',
    'expected true or false'
  ),
  bad(
    'ssh-insecure-skip-host-key-check on',
    'ssh-rolling',
    { 'ssh-insecure-skip-host-key-check': 'on' },
    'ssh-insecure-skip-host-key-check',
    'expected true or false'
  ),
  // ECS
  bad('missing service', 'ecs-rolling', { service: '' }, 'service', /^Missing 'service': required for ecs-rolling/),
  bad(
    'missing aws-region with no env',
    'ecs-blue-green',
    { 'aws-region': '' },
    'aws-region',
    /^Missing 'aws-region'.*AWS_REGION.*expected a region like us-east-1$/,
    {}
  ),
  bad(
    'aws-region with spaces',
    'ecs-rolling',
    { 'aws-region': 'us east 1' },
    'aws-region',
    "expected a region like us-east-1, got 'us east 1'"
  ),
  bad(
    'aws-region in capitals',
    'ecs-rolling',
    { 'aws-region': 'US-EAST-1' },
    'aws-region',
    'expected a region like us-east-1'
  ),
  bad(
    'AWS_REGION from env malformed',
    'ecs-rolling',
    { 'aws-region': '' },
    'aws-region',
    "got 'mars' (from AWS_REGION)",
    { AWS_REGION: 'mars' }
  ),
  bad(
    'cluster with a space',
    'ecs-rolling',
    { cluster: 'my cluster' },
    'cluster',
    'expected a name of letters, digits, _ and -'
  ),
  bad(
    'environment-variables line without =',
    'ecs-rolling',
    { 'environment-variables': `A=1\n${SECRET_ENV_VALUE}` },
    'environment-variables',
    /line 2: expected KEY=value, got a line of \d+ characters without '='/
  ),
  bad(
    'environment-variables key starting with a digit',
    'ecs-rolling',
    { 'environment-variables': '1ABC=x' },
    'environment-variables',
    "line 1: expected KEY=value with KEY a variable name ([A-Za-z_][A-Za-z0-9_]*), got key '1ABC'"
  ),
  bad(
    'environment-variables key with a dash',
    'ecs-blue-green',
    { 'environment-variables': '# c\nMY-VAR=x' },
    'environment-variables',
    'line 2: expected KEY=value with KEY a variable name'
  ),
  bad(
    'environment-variables duplicate key',
    'ecs-rolling',
    { 'environment-variables': 'A=1\nB=2\nA=3' },
    'environment-variables',
    "line 3: expected each key once, got 'A' again (first on line 1)"
  ),
  bad(
    'image with a registered task-definition revision',
    'ecs-rolling',
    { 'task-definition': 'web:7' },
    'image',
    "expected no image when 'task-definition' names a registered revision ('web:7' is deployed as registered; to change it, give a task definition file), got 'nginx:1.27'"
  ),
  bad(
    'environment-variables with a registered task-definition revision ARN',
    'ecs-blue-green',
    {
      image: '',
      'task-definition': 'arn:aws:ecs:eu-west-1:123456789012:task-definition/web:7',
      'environment-variables': 'A=1\nAPI_TOKEN=s3cret'
    },
    'environment-variables',
    /expected no variables when 'task-definition' names a registered revision .*, got 2 lines$/
  ),
  bad(
    'ssh-rolling still needs an image with task-definition web:7',
    'ssh-rolling',
    { image: '', 'task-definition': 'web:7' },
    'image',
    /^Missing 'image': required/
  ),
  bad(
    'ecs: a bad wait-until is reported, whichever path the service needs',
    'ecs',
    { 'wait-until': 'shifted' },
    'wait-until',
    'expected one of created, traffic-shifted, succeeded'
  ),
  bad(
    'task-definition file missing',
    'ecs-rolling',
    { 'task-definition': 'nope.json' },
    'task-definition',
    /expected a readable JSON or YAML file, got 'nope.json' \(.*nope.json: no such file\)/
  ),
  bad(
    'task-definition is a directory',
    'ecs-rolling',
    { 'task-definition': '.' },
    'task-definition',
    /got '.' \(.*: a directory\)/
  ),
  bad(
    'task-definition invalid JSON',
    'ecs-rolling',
    { 'task-definition': INVALID_JSON },
    'task-definition',
    /expected a readable JSON or YAML file, got '.*\/invalid\.json' that does not parse \(.+\)$/
  ),
  bad(
    'task-definition invalid YAML',
    'ecs-blue-green',
    { 'task-definition': INVALID_YAML },
    'task-definition',
    /got '.*\/invalid\.yaml' that does not parse \(.+\)$/
  ),
  bad(
    'task-definition without containerDefinitions',
    'ecs-rolling',
    { 'task-definition': 'no-containers.json' },
    'task-definition',
    "expected a task definition object with a 'containerDefinitions' array, got 'no-containers.json' without one"
  ),
  bad(
    'task-definition from describe-task-definition',
    'ecs-rolling',
    { 'task-definition': 'describe-output.json' },
    'task-definition',
    'use its .taskDefinition'
  ),
  bad(
    'task-definition holding a list',
    'ecs-rolling',
    { 'task-definition': 'list.yaml' },
    'task-definition',
    'holding an object'
  ),
  bad(
    'container-name not in the task definition',
    'ecs-rolling',
    { 'task-definition': 'task-definition.json', 'container-name': 'api' },
    'container-name',
    "expected a container of 'task-definition' (web, log-router), got 'api'"
  ),
  // ecs-blue-green
  bad(
    'wait-until unknown',
    'ecs-blue-green',
    { 'wait-until': 'done' },
    'wait-until',
    "expected one of created, traffic-shifted, succeeded, got 'done'"
  ),
  bad(
    'on-active-deployment unknown',
    'ecs-blue-green',
    { 'on-active-deployment': 'cancel' },
    'on-active-deployment',
    'expected one of fail, wait, stop-previous'
  ),
  // ecs-native
  bad(
    'ecs-native: wait-until unknown',
    'ecs-native',
    { 'wait-until': 'baked' },
    'wait-until',
    "expected one of created, traffic-shifted, succeeded, got 'baked'"
  ),
  bad(
    'ecs-native: on-active-deployment unknown',
    'ecs-native',
    { 'on-active-deployment': 'cancel' },
    'on-active-deployment',
    'expected one of fail, wait, stop-previous'
  ),
  bad(
    'ecs-native: verify-command with wait-until created',
    'ecs-native',
    { 'verify-command': './smoke.sh', 'wait-until': 'created' },
    'wait-until',
    "expected traffic-shifted or succeeded when 'verify-command' is set, got 'created'"
  ),
  bad(
    'codedeploy-appspec invalid YAML',
    'ecs-blue-green',
    { 'codedeploy-appspec': INVALID_YAML },
    'codedeploy-appspec',
    FILE_FORM
  ),
  bad(
    'codedeploy-application with a space',
    'ecs-blue-green',
    { 'codedeploy-application': 'my app' },
    'codedeploy-application',
    'expected a CodeDeploy name'
  ),
  // SSH: required inputs
  bad('missing hosts', 'ssh-rolling', { hosts: '' }, 'hosts', /^Missing 'hosts': required for ssh-rolling/),
  bad('hosts with only comments', 'ssh-rolling', { hosts: '# none yet\n' }, 'hosts', /^Missing 'hosts'/),
  bad(
    'missing ssh-private-key',
    'ssh-rolling',
    { 'ssh-private-key': '' },
    'ssh-private-key',
    /^Missing 'ssh-private-key': required for ssh-rolling; expected a PEM or OpenSSH private key block/
  ),
  bad(
    'missing ssh-known-hosts',
    'ssh-rolling',
    { 'ssh-known-hosts': '' },
    'ssh-known-hosts',
    "required unless 'ssh-insecure-skip-host-key-check' is true"
  ),
  bad(
    'missing ssh-user for a host without user@',
    'ssh-rolling',
    { 'ssh-user': '', hosts: 'ops@web-1\nweb-2' },
    'ssh-user',
    "required unless every entry of 'hosts' has user@; expected a user name, line 2 'web-2' has none"
  ),
  // SSH: hosts
  bad(
    'hosts entry with a space',
    'ssh-rolling',
    { hosts: 'web-1\nweb-2\na b' },
    'hosts',
    "Invalid 'hosts' line 3: expected [user@]host[:port] with an RFC 1123 host name, an IPv4 address or an [IPv6] address, got 'a b'"
  ),
  bad(
    'hosts port 0',
    'ssh-rolling',
    { hosts: 'web-1:0' },
    'hosts',
    "line 1: expected [user@]host[:port] with a port from 1 to 65535, got 'web-1:0'"
  ),
  bad(
    'hosts port 65536',
    'ssh-rolling',
    { hosts: 'web-1, web-2:65536' },
    'hosts',
    "with a port from 1 to 65535, got 'web-2:65536'"
  ),
  bad('hosts port letters', 'ssh-rolling', { hosts: 'web-1:ssh' }, 'hosts', 'with a port from 1 to 65535'),
  bad(
    'hosts IPv6 without brackets',
    'ssh-rolling',
    { hosts: '2001:db8::1' },
    'hosts',
    'with IPv6 addresses in brackets ([2001:db8::1]:22)'
  ),
  bad(
    'hosts IPv6 malformed',
    'ssh-rolling',
    { hosts: '[2001:db8::zz]:22' },
    'hosts',
    'with a valid IPv6 address in brackets'
  ),
  bad('hosts IPv6 port out of range', 'ssh-rolling', { hosts: '[::1]:99999' }, 'hosts', 'with a port from 1 to 65535'),
  bad(
    'hosts IPv4 octet over 255',
    'ssh-rolling',
    { hosts: '10.0.0.1\n300.1.1.1' },
    'hosts',
    'line 2: expected [user@]host[:port] with an RFC 1123 host name'
  ),
  bad('hosts name with an underscore', 'ssh-rolling', { hosts: 'web_1' }, 'hosts', HOST_FORM),
  bad(
    'hosts user that looks like an ssh option',
    'ssh-rolling',
    { hosts: '-oProxyCommand=sh@web-1' },
    'hosts',
    'with a user name matching [a-z_][a-z0-9_.-]*'
  ),
  bad(
    'hosts duplicate',
    'ssh-rolling',
    { hosts: 'web-1, web-2\nweb-1' },
    'hosts',
    "line 2: expected each host once, got 'web-1' again (first on line 1)"
  ),
  bad(
    'hosts duplicate after defaults and case',
    'ssh-rolling',
    { hosts: 'WEB-1.example.com\nops@web-1.example.com:22' },
    'hosts',
    'expected each host once'
  ),
  bad(
    'hosts duplicate IPv6 written two ways',
    'ssh-rolling',
    { hosts: '[2001:db8::1]\n[2001:0db8:0::1]:22' },
    'hosts',
    'expected each host once'
  ),
  bad('ssh-port 0', 'ssh-rolling', { 'ssh-port': '0' }, 'ssh-port', 'expected an integer from 1 to 65535'),
  bad(
    'ssh-user with a space',
    'ssh-rolling',
    { 'ssh-user': 'deploy bot' },
    'ssh-user',
    'expected a user name matching'
  ),
  bad(
    'ssh-jump-host port 0',
    'ssh-rolling',
    { 'ssh-jump-host': 'bastion:0' },
    'ssh-jump-host',
    'with a port from 1 to 65535'
  ),
  // SSH: known hosts
  bad(
    'known_hosts bad base64',
    'ssh-rolling',
    { 'ssh-known-hosts': 'web-1 ssh-ed25519 AAAA!!!!' },
    'ssh-known-hosts',
    'line 1: expected the key after ssh-ed25519 as valid base64'
  ),
  bad(
    'known_hosts type mismatch',
    'ssh-rolling',
    { 'ssh-known-hosts': `# fleet\nweb-1 ssh-rsa ${ED25519_BLOB}` },
    'ssh-known-hosts',
    "line 2: expected a key whose embedded type matches 'ssh-rsa' (the key is 'ssh-ed25519')"
  ),
  bad(
    'known_hosts pin too short',
    'ssh-rolling',
    { 'ssh-known-hosts': 'web-1 SHA256:U/X/pBem4vLAuvMeOzulCKFxq/Vd04o7su6DYGS4pn' },
    'ssh-known-hosts',
    'expected a pin host[:port] SHA256:<43 base64 chars>'
  ),
  bad(
    'known_hosts pin too long',
    'ssh-rolling',
    { 'ssh-known-hosts': 'web-1 SHA256:U/X/pBem4vLAuvMeOzulCKFxq/Vd04o7su6DYGS4pn0AA' },
    'ssh-known-hosts',
    'SHA256:<43 base64 chars>'
  ),
  bad(
    'known_hosts missing key',
    'ssh-rolling',
    { 'ssh-known-hosts': 'web-1 ssh-ed25519' },
    'ssh-known-hosts',
    'expected host[,host…] ssh-ed25519 <base64 key>, the key is missing'
  ),
  bad(
    'known_hosts host only',
    'ssh-rolling',
    { 'ssh-known-hosts': 'web-1' },
    'ssh-known-hosts',
    'expected a known_hosts line (host[,host…] key-type base64-key)'
  ),
  bad(
    'known_hosts unknown marker',
    'ssh-rolling',
    { 'ssh-known-hosts': `@trusted web-1 ssh-ed25519 ${ED25519_BLOB}` },
    'ssh-known-hosts',
    'expected a marker @cert-authority or @revoked or none'
  ),
  bad(
    'known_hosts hashed with a short salt',
    'ssh-rolling',
    { 'ssh-known-hosts': `|1|AAAA|3/KQFM5ClhekQ8G80VPThLVqNnY= ecdsa-sha2-nistp256 ${ECDSA_BLOB}` },
    'ssh-known-hosts',
    'expected a hashed host |1|<base64 20-byte salt>|<base64 20-byte hash>'
  ),
  bad(
    'known_hosts only negated patterns',
    'ssh-rolling',
    { 'ssh-known-hosts': `!web-1 ssh-ed25519 ${ED25519_BLOB}` },
    'ssh-known-hosts',
    'expected at least one host pattern that is not negated'
  ),
  bad(
    'known_hosts truncated key blob',
    'ssh-rolling',
    { 'ssh-known-hosts': `web-1 ssh-ed25519 ${Buffer.from([0, 0, 0, 40, 1, 2]).toString('base64')}` },
    'ssh-known-hosts',
    'expected a complete ssh-ed25519 key blob'
  ),
  // SSH: keys (never echoed)
  bad(
    'ssh-private-key that is not a key',
    'ssh-rolling',
    { 'ssh-private-key': NOT_A_KEY },
    'ssh-private-key',
    `${KEY_FORM} (-----BEGIN ... PRIVATE KEY----- … -----END ... PRIVATE KEY-----), got a value of ${NOT_A_KEY.length} characters`
  ),
  bad(
    'ssh-private-key that is a public key',
    'ssh-rolling',
    { 'ssh-private-key': fixture('id_ed25519.pub') },
    'ssh-private-key',
    'got a public key; give the private key'
  ),
  bad(
    'ssh-private-key with mismatched BEGIN/END',
    'ssh-rolling',
    { 'ssh-private-key': PEM_KEY.replace('END RSA PRIVATE', 'END EC PRIVATE') },
    'ssh-private-key',
    'BEGIN and END lines name different key types'
  ),
  bad(
    'ssh-private-key on one line',
    'ssh-rolling',
    { 'ssh-private-key': KEY.replace(/\n/g, ' ') },
    'ssh-private-key',
    'without BEGIN/END PRIVATE KEY lines on their own lines'
  ),
  bad(
    'encrypted ssh-private-key without passphrase',
    'ssh-rolling',
    { 'ssh-private-key': ENCRYPTED_KEY },
    'ssh-passphrase',
    "required because 'ssh-private-key' is encrypted"
  ),
  bad(
    'encrypted PEM ssh-private-key without passphrase',
    'ssh-rolling',
    { 'ssh-private-key': ENCRYPTED_PEM_KEY },
    'ssh-passphrase',
    'is encrypted'
  ),
  bad(
    'encrypted ssh-private-key with a wrong passphrase',
    'ssh-rolling',
    { 'ssh-private-key': ENCRYPTED_KEY, 'ssh-passphrase': 'not the passphrase' },
    'ssh-passphrase',
    "Invalid 'ssh-passphrase': expected the passphrase of 'ssh-private-key', got one that does not decrypt it"
  ),
  bad(
    'encrypted PEM ssh-private-key with a wrong passphrase',
    'ssh-rolling',
    { 'ssh-private-key': ENCRYPTED_PEM_KEY, 'ssh-passphrase': 'not the passphrase' },
    'ssh-passphrase',
    'got one that does not decrypt it'
  ),
  bad(
    'ssh-private-key whose base64 body is not a key',
    'ssh-rolling',
    {
      'ssh-private-key': `-----BEGIN OPENSSH PRIVATE KEY-----\n${Buffer.from('not a key at all').toString('base64')}\n-----END OPENSSH PRIVATE KEY-----`
    },
    'ssh-private-key',
    /expected a PEM or OpenSSH private key block .*, got a key ssh2 cannot read \(.+\)$/
  ),
  // SSH: durations, counts, percentages
  bad(
    'health-check-interval with a word',
    'ssh-rolling',
    { 'health-check-interval': '3 sec' },
    'health-check-interval',
    DURATION_FORM
  ),
  bad(
    'health-check-interval units out of order',
    'ssh-rolling',
    { 'health-check-interval': '30s1m' },
    'health-check-interval',
    DURATION_FORM
  ),
  bad(
    'health-check-timeout negative',
    'ssh-rolling',
    { 'health-check-timeout': '-1s' },
    'health-check-timeout',
    DURATION_FORM
  ),
  bad(
    'health-check-timeout zero',
    'ssh-rolling',
    { 'health-check-timeout': '0s' },
    'health-check-timeout',
    'greater than 0'
  ),
  bad(
    'health-check-start-period over a day',
    'ssh-rolling',
    { 'health-check-start-period': '25h' },
    'health-check-start-period',
    'at most 24h'
  ),
  bad(
    'health-check-retries 0',
    'ssh-rolling',
    { 'health-check-retries': '0' },
    'health-check-retries',
    'expected an integer from 1 to 1000'
  ),
  bad(
    'health-check-retries fractional',
    'ssh-rolling',
    { 'health-check-retries': '2.5' },
    'health-check-retries',
    'expected an integer from 1 to 1000'
  ),
  bad('batch-size 0%', 'ssh-rolling', { 'batch-size': '0%' }, 'batch-size', BATCH_FORM),
  bad('batch-size 101%', 'ssh-rolling', { 'batch-size': '101%' }, 'batch-size', BATCH_FORM),
  bad(
    'batch-size with a space before %',
    'ssh-rolling',
    { 'batch-size': '5 %' },
    'batch-size',
    `${BATCH_FORM}, got '5 %'`
  ),
  bad('batch-size 0', 'ssh-rolling', { 'batch-size': '0' }, 'batch-size', BATCH_FORM),
  bad('first-batch-size words', 'ssh-rolling', { 'first-batch-size': 'half' }, 'first-batch-size', BATCH_FORM),
  bad(
    'backup-retention 0',
    'ssh-rolling',
    { 'backup-retention': '0' },
    'backup-retention',
    'expected an integer of at least 1'
  ),
  bad(
    'lock-wait-seconds negative',
    'ssh-rolling',
    { 'lock-wait-seconds': '-1' },
    'lock-wait-seconds',
    'expected an integer of at least 0'
  ),
  bad(
    'rollback-scope unknown',
    'ssh-rolling',
    { 'rollback-scope': 'all' },
    'rollback-scope',
    'expected one of fleet, host'
  ),
  // SSH: paths, services, env
  bad('app-dir relative', 'ssh-rolling', { 'app-dir': 'relative' }, 'app-dir', APP_DIR_FORM),
  bad('app-dir with ..', 'ssh-rolling', { 'app-dir': '/app/../etc' }, 'app-dir', APP_DIR_FORM),
  bad('app-dir with ;', 'ssh-rolling', { 'app-dir': '/app;rm' }, 'app-dir', APP_DIR_FORM),
  bad('app-dir root', 'ssh-rolling', { 'app-dir': '/' }, 'app-dir', APP_DIR_FORM),
  bad(
    'compose-file escaping app-dir',
    'ssh-rolling',
    { 'compose-file': 'compose.yml\n../other.yml' },
    'compose-file',
    "line 2: expected file names relative to 'app-dir'"
  ),
  bad('compose-file absolute', 'ssh-rolling', { 'compose-file': '/etc/compose.yml' }, 'compose-file', 'relative to'),
  bad(
    'update-order unknown',
    'ssh-rolling',
    { 'update-order': 'blue-green' },
    'update-order',
    "expected one of auto, start-first, stop-first, got 'blue-green'"
  ),
  bad('switch-delay not a duration', 'ssh-rolling', { 'switch-delay': 'soon' }, 'switch-delay', DURATION_FORM),
  bad(
    'container-check without a port',
    'ssh-rolling',
    { 'container-check': 'web=8080/healthz\napi=/health' },
    'container-check',
    "line 2: expected lines service=port/path (e.g. web=8080/healthz): an HTTP GET each new container must answer with 2xx, got 'api=/health'"
  ),
  bad(
    'container-check with a shell word in the path',
    'ssh-rolling',
    { 'container-check': 'web=8080/h;rm' },
    'container-check',
    'line 1: expected lines service=port/path'
  ),
  bad('container-check port 0', 'ssh-rolling', { 'container-check': 'web=0/' }, 'container-check', 'line 1'),
  bad(
    'compose-services with ;',
    'ssh-rolling',
    { 'compose-services': 'web;rm' },
    'compose-services',
    "expected Compose service names ([a-zA-Z0-9][a-zA-Z0-9_.-]*) separated by commas, spaces or newlines, got 'web;rm'"
  ),
  bad(
    'compose-services with $(',
    'ssh-rolling',
    { 'compose-services': 'web, $(id)' },
    'compose-services',
    "got '$(id)'"
  ),
  bad(
    'compose-services that look like flags',
    'ssh-rolling',
    { 'compose-services': 'web\n--no-deps' },
    'compose-services',
    'line 2: expected Compose service names'
  ),
  bad(
    'env line without =',
    'ssh-rolling',
    { env: 'A=1\n\n# db\nDATABASE_URL' },
    'env',
    "line 4: expected KEY=value, got a line of 12 characters without '='"
  ),
  bad(
    'env key that is not a variable name',
    'ssh-rolling',
    { env: `MY TOKEN=${SECRET_ENV_VALUE}` },
    'env',
    'got a key that is not a variable name'
  ),
  bad(
    'env key equal to image-variable',
    'ssh-rolling',
    { env: 'A=1\nIMAGE=nginx:latest' },
    'env',
    "line 2: expected keys other than 'IMAGE' (set from 'image' via 'image-variable'), got 'IMAGE'"
  ),
  ...(
    [
      ['quoteDollar', 'a single quote and one of " \\ $ `'],
      ['quoteBacktick', 'a single quote and one of " \\ $ `'],
      ['quoteDoubleQuote', 'a single quote and one of " \\ $ `'],
      ['quoteBackslash', 'a single quote and one of " \\ $ `'],
      ['doubleBackslash', 'two backslashes in a row, or ending in one'],
      ['trailingBackslash', 'two backslashes in a row, or ending in one'],
      ['carriageReturn', 'a line break or NUL character'],
      ['nul', 'a line break or NUL character']
    ] as const
  ).map(([which, why]) =>
    bad(
      `env value compose v1 and v2 read differently: ${which}`,
      'ssh-rolling',
      { env: `MODE=prod\nDB_PASSWORD=${UNWRITABLE_ENV_VALUES[which]}` },
      'env',
      `line 2: expected KEY=value with ${ENV_VALUE_FORM}, got a value under 'DB_PASSWORD' with ${why}`
    )
  ),
  bad(
    'image-variable not a variable name',
    'ssh-rolling',
    { 'image-variable': 'APP-IMAGE' },
    'image-variable',
    'expected a variable name'
  ),
  bad(
    'health-check-url not http',
    'ssh-rolling',
    { 'health-check-url': 'ftp://{host}/health' },
    'health-check-url',
    'expected an http:// or https:// URL (it may contain {host})'
  ),
  bad(
    'verify-timeout not a duration',
    'ecs-rolling',
    { 'verify-command': './smoke.sh', 'verify-timeout': 'soon' },
    'verify-timeout',
    "expected a duration like 500ms, 3s, 2m, 1m30s or a number of seconds, got 'soon'"
  ),
  bad(
    'verify-command with wait-until created',
    'ecs-blue-green',
    { 'verify-command': './smoke.sh', 'wait-until': 'created' },
    'wait-until',
    "expected traffic-shifted or succeeded when 'verify-command' is set, got 'created'"
  ),
  bad(
    'verify-timeout longer than timeout-minutes',
    'ssh-rolling',
    { 'verify-command': './smoke.sh', 'verify-timeout': '45m', 'timeout-minutes': '30' },
    'verify-timeout',
    "Invalid 'verify-timeout': expected at most 'timeout-minutes' (30 min), got '45m'"
  ),
  bad(
    'health-check-url not a URL',
    'ssh-rolling',
    { 'health-check-url': 'localhost/health' },
    'health-check-url',
    'expected an http:// or https:// URL'
  )
]

describe('readInputs: bad inputs', () => {
  test('the table covers at least 45 cases', async () => {
    expect(BAD_CASES.length).toBeGreaterThanOrEqual(45)
  })

  test.each(BAD_CASES)('$title', async (c) => {
    const { log } = recordingLogger()
    let error: unknown
    try {
      await readInputs(source({ ...BASE[c.base], ...c.set }), c.env ?? ENV, log, parseYaml)
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(InputError)
    // One mistake, one problem: nothing that depends on the bad input is reported as well.
    expect((error as InputError).problems).toEqual([expect.objectContaining({ input: c.input })])
    const message = (error as InputError).message
    expect(message).toContain(`'${c.input}'`)
    expect(message).toMatch(new RegExp(`^(Invalid|Missing) '${c.input.replace(/-/g, '\\-')}'`))
    expect(message).not.toMatch(/[\r\n\u2028\u2029]/)
    if (typeof c.form === 'string') expect(message).toContain(c.form)
    else expect(message).toMatch(c.form)
    for (const secret of SECRETS) expect(message).not.toContain(secret)
  })

  test.each(BAD_CASES)('run() fails with the same message and starts nothing: $title', async (c) => {
    const { log } = recordingLogger()
    const values = { ...BASE[c.base], ...c.set }
    const expected = await (async () => {
      try {
        await readInputs(source(values), c.env ?? ENV, recordingLogger().log, parseYaml)
      } catch (e) {
        return (e as Error).message
      }
      return undefined
    })()
    const failed: string[] = []
    const states = new Map<string, string>()
    const outputs = new Map<string, string>()
    const io: ActionIO = {
      setOutput: (name, value) => outputs.set(name, value),
      saveState: (name, value) => states.set(name, value),
      getState: (name) => states.get(name) ?? '',
      appendSummary: async () => undefined,
      setFailed: (message) => failed.push(message)
    }
    const deps: Deps = {
      inputs: source(values),
      env: c.env ?? ENV,
      log,
      clock: fakeClock(),
      io,
      cancel: new AbortController().signal,
      identity: { actor: 'octocat' }
    }
    await run({ ...deps, load: async () => deps })
    expect(expected).toBeDefined()
    expect(failed).toEqual([expected])
    expect(states.has(State.journal)).toBe(false)
    expect(states.has(State.tempDir)).toBe(false)
    expect(outputs.size).toBe(0)
  })
})

async function problemsOf(
  base: keyof typeof BASE,
  set: Values,
  env: NodeJS.ProcessEnv = ENV
): Promise<InputError['problems']> {
  try {
    await readInputs(source({ ...BASE[base], ...set }), env, recordingLogger().log, parseYaml)
  } catch (error) {
    if (error instanceof InputError) return error.problems
    throw error
  }
  throw new Error('expected an InputError')
}

describe('readInputs: every bad input at once', () => {
  test('five bad inputs are five problems, in input order, each naming its input', async () => {
    const problems = await problemsOf('ssh-rolling', {
      image: 'nginx;rm',
      'dry-run': 'yes',
      hosts: 'web-1\na b',
      'batch-size': '0',
      'health-check-interval': 'soon'
    })
    expect(problems.map((p) => p.input)).toEqual(['image', 'dry-run', 'hosts', 'health-check-interval', 'batch-size'])
    expect(problems.find((p) => p.input === 'hosts')).toMatchObject({
      line: 2,
      message: expect.stringMatching(/^Invalid 'hosts' line 2:/)
    })
    for (const p of problems) {
      expect(p.message).toMatch(new RegExp(`^(Invalid|Missing) '${p.input}'`))
      expect(p.message).not.toMatch(/[\r\n]/)
    }
  })

  test('every bad line of a multi-line input is a problem with its line number', async () => {
    const problems = await problemsOf('ssh-rolling', {
      hosts: 'web-1\na b\n# c\nweb-2:0, web-3',
      env: 'A=1\nNOEQUALS\n1X=2\nA=3',
      'ssh-known-hosts': `web-1 ssh-ed25519 ${ED25519_BLOB}\nweb-2\nweb-3 ssh-rsa ${ED25519_BLOB}`,
      'compose-file': 'a.yml, ../b.yml\n/c.yml',
      'compose-services': 'web;rm\nok, $(id)',
      'container-check': 'web=8080/\napi=/health\nx'
    })
    expect(problems.map((p) => [p.input, p.line])).toEqual([
      ['hosts', 2],
      ['hosts', 4],
      ['ssh-known-hosts', 2],
      ['ssh-known-hosts', 3],
      ['env', 2],
      ['env', 3],
      ['env', 4],
      ['compose-file', 1],
      ['compose-file', 2],
      ['compose-services', 1],
      ['compose-services', 2],
      ['container-check', 2],
      ['container-check', 3]
    ])
  })

  test('without a valid strategy only the common inputs are checked', async () => {
    expect(await problemsOf('none', { strategy: 'k8s', image: 'A B', 'timeout-minutes': '0', hosts: 'a b' })).toEqual([
      expect.objectContaining({ input: 'strategy' }),
      expect.objectContaining({ input: 'image' }),
      expect.objectContaining({ input: 'timeout-minutes' })
    ])
    expect((await problemsOf('none', {})).map((p) => p.input)).toEqual(['strategy', 'image'])
  })

  test.each<[string, keyof typeof BASE, Values, string[]]>([
    [
      'a bad ssh-user is not also a missing one',
      'ssh-rolling',
      { 'ssh-user': 'a b', hosts: 'web-1\nweb-2', 'ssh-jump-host': 'bastion' },
      ['ssh-user']
    ],
    [
      'one missing ssh-user for every host without user@',
      'ssh-rolling',
      { 'ssh-user': '', hosts: 'web-1\nweb-2' },
      ['ssh-user']
    ],
    [
      'hosts are not duplicates of each other while ssh-port is bad',
      'ssh-rolling',
      { 'ssh-port': 'x', hosts: 'web-1\nweb-1:22' },
      ['ssh-port']
    ],
    ['a bad hosts line is not also a missing hosts', 'ssh-rolling', { hosts: 'a b' }, ['hosts']],
    [
      'bad known_hosts lines are not also a missing ssh-known-hosts',
      'ssh-rolling',
      { 'ssh-known-hosts': 'web-1' },
      ['ssh-known-hosts']
    ],
    [
      'a bad insecure flag is not also a missing ssh-known-hosts',
      'ssh-rolling',
      { 'ssh-known-hosts': '', 'ssh-insecure-skip-host-key-check': 'yes' },
      ['ssh-insecure-skip-host-key-check']
    ],
    ['a bad key is not also an encrypted one', 'ssh-rolling', { 'ssh-private-key': NOT_A_KEY }, ['ssh-private-key']],
    [
      'a bad image-variable reserves no env key',
      'ssh-rolling',
      { 'image-variable': 'A-B', env: 'A-B=1\nIMAGE=x' },
      ['image-variable', 'env']
    ],
    [
      'container-name is not checked against a task definition that cannot be read',
      'ecs-rolling',
      { 'task-definition': 'nope.json', 'container-name': 'api' },
      ['task-definition']
    ],
    [
      'ECS: region, service and a bad environment line at once',
      'ecs-blue-green',
      { 'aws-region': '', service: '', 'environment-variables': 'X', 'wait-until': 'done' },
      ['aws-region', 'service', 'environment-variables', 'wait-until']
    ]
  ])('%s', async (_title, base, set, inputs) => {
    expect((await problemsOf(base, set, base === 'ssh-rolling' ? ENV : {})).map((p) => p.input)).toEqual(inputs)
  })

  test('the key is parsed (by ssh2, which decrypts it) only once every other input is valid', async () => {
    const encrypted = { 'ssh-private-key': ENCRYPTED_KEY, 'ssh-passphrase': '' }
    expect((await problemsOf('ssh-rolling', { ...encrypted, hosts: 'a b' })).map((p) => p.input)).toEqual(['hosts'])
    expect((await problemsOf('ssh-rolling', encrypted)).map((p) => p.input)).toEqual(['ssh-passphrase'])
  })

  test('run() prints each problem as an error annotation titled with its input and fails the step once', async () => {
    const deps = fakeDeps({
      ...BASE['ssh-rolling'],
      image: 'nginx;rm',
      'dry-run': 'yes',
      hosts: 'web-1\na b',
      'batch-size': '0',
      'health-check-interval': 'soon'
    })
    const startup = fakeStartup(deps)
    await run(startup)
    expect(startup.loads).toBe(0)
    const errors = deps.log.entries.filter((e) => e.level === 'error')
    expect(errors.map((e) => e.properties)).toEqual([
      { title: 'image' },
      { title: 'dry-run' },
      { title: 'hosts', startLine: 2 },
      { title: 'health-check-interval' }
    ])
    expect(deps.io.failed).toEqual([expect.stringMatching(/^Invalid 'batch-size'/)])
    expect(deps.io.failedProperties).toEqual([{ title: 'batch-size' }])
    expect(deps.io.state).toEqual({ [State.isPost]: 'true' })
    expect(deps.io.outputs).toEqual({})
  })
})

describe('readInputs: nothing remote', () => {
  test('takes only the input source, the environment, a logger and a YAML parser', async () => {
    expect(readInputs.length).toBe(4)
  })

  test('imports no network, process or AWS module, and no module of a strategy beyond its config', async () => {
    const src = path.join(process.cwd(), 'src')
    const specifiers = (file: string, re: RegExp): string[] =>
      [...fs.readFileSync(path.join(src, file), 'utf8').matchAll(re)].map((m) => m[1] as string)
    // Every module `readInputs` loads at run time: static imports from src/config.ts on (type-only imports erased).
    const modules = new Set<string>()
    const packages = new Set<string>()
    const dynamic = new Set<string>()
    const visit = (file: string): void => {
      if (modules.has(file)) return
      modules.add(file)
      for (const name of specifiers(file, /^import\s(?!type\s)[^'"]*['"]([^'"]+)['"]/gm)) {
        if (name.startsWith('.'))
          visit(path.relative(src, path.resolve(src, path.dirname(file), name)).replace(/\.js$/, '.ts'))
        else packages.add(name)
      }
      for (const name of specifiers(file, /\bimport\(\s*['"]([^'"]+)['"]/g)) dynamic.add(name)
    }
    visit('config.ts')
    expect([...packages].sort()).toEqual(['node:buffer', 'node:crypto', 'node:fs', 'node:path'])
    // Loaded on demand: the YAML parser, and ssh2 for its key parser (no connection is made).
    expect([...dynamic].sort()).toEqual(['ssh2', 'yaml'])
    for (const file of modules) {
      expect(file).toMatch(
        /^(?:config|constants|error-message|redact-url|inputs\/[\w-]+|strategies\/[\w-]+\/(?:config|hosts|known-hosts|private-key|dotenv|names))\.ts$/
      )
    }
    expect(specifiers('strategies/ecs-blue-green/names.ts', /^import\s[^'"]*['"]([^'"]+)['"]/gm)).toEqual([])
    // The .env value rule is shared with the .env writer, which must stay as self-contained.
    expect(specifiers('strategies/ssh-rolling/dotenv.ts', /^import\s(?!type\s)[^'"]*['"]([^'"]+)['"]/gm)).toEqual([])
    expect(specifiers('redact-url.ts', /^import\s[^'"]*['"]([^'"]+)['"]/gm)).toEqual([])
  })
})

describe('readInputs: common inputs', () => {
  test('defaults', async () => {
    const { config } = await read('ecs-rolling')
    expect(config).toMatchObject({
      strategy: 'ecs-rolling',
      timeoutMinutes: 30,
      dryRun: false,
      rollbackOnFailure: true
    })
  })

  test.each([
    ['true', true],
    ['True', true],
    ['TRUE', true],
    ['false', false],
    ['False', false],
    ['FALSE', false]
  ])('boolean %s', async (value, expected) => {
    const { config } = await read('ecs-rolling', { 'dry-run': value, 'rollback-on-failure': value })
    expect(config.dryRun).toBe(expected)
    expect(config.rollbackOnFailure).toBe(expected)
  })

  test.each([
    ['0.5', 0.5],
    ['1440', 1440],
    ['45', 45]
  ])('timeout-minutes %s', async (value, expected) => {
    expect((await read('ecs-rolling', { 'timeout-minutes': value })).config.timeoutMinutes).toBe(expected)
  })

  test.each(['web:7', 'arn:aws:ecs:eu-west-1:123456789012:task-definition/web-api_2:13'])(
    "'task-definition' %s names a registered revision: deployed as registered, no image needed",
    async (revision) => {
      for (const strategy of ['ecs-rolling', 'ecs-blue-green'] as const) {
        const { config } = await read(strategy, { image: '', 'task-definition': revision })
        if (config.strategy === 'ssh-rolling') throw new Error('expected an ECS config')
        expect(config.taskDefinitionRevision).toBe(revision)
        expect(config.image).toBeUndefined()
        expect(config.taskDefinitionPath).toBeUndefined()
      }
    }
  )

  test.each(['ecs', 'ecs-rolling', 'ecs-blue-green'] as const)(
    "%s: a valid 'rollback-to' needs no image and goes into the config",
    async (strategy) => {
      const cases = [
        ['previous', { kind: 'previous' }],
        ['web:41', { kind: 'named', name: 'web:41' }],
        [
          'arn:aws:ecs:eu-west-1:123456789012:task-definition/web:41',
          { kind: 'named', name: 'arn:aws:ecs:eu-west-1:123456789012:task-definition/web:41' }
        ]
      ] as const
      for (const [value, expected] of cases) {
        const { config } = await read(strategy, { image: '', 'rollback-to': value })
        if (config.strategy === 'ssh-rolling') throw new Error('expected an ECS config')
        expect(config.rollbackTo).toEqual(expected)
        expect(config.image).toBeUndefined()
        expect(config.taskDefinitionRevision).toBeUndefined()
      }
    }
  )

  test.each([
    [
      'task-definition',
      { 'task-definition': 'web:40' },
      {
        input: 'rollback-to',
        message:
          "Invalid 'rollback-to': expected either 'task-definition' (deploy it) or 'rollback-to' (go back to an earlier revision), got both"
      }
    ],
    [
      'environment-variables',
      { 'environment-variables': 'A=1\nB=2' },
      {
        input: 'environment-variables',
        message:
          "Invalid 'environment-variables': expected no variables with 'rollback-to' (the revision rolled back to is deployed as registered), got 2 lines"
      }
    ]
  ])("ECS 'rollback-to' with %s is an input error", async (_name, values, problem) => {
    const error = await read('ecs-rolling', { image: '', 'rollback-to': 'previous', ...values }).catch(
      (e: unknown) => e
    )
    expect(error).toBeInstanceOf(InputError)
    expect((error as InputError).problems).toEqual([problem])
  })

  test.each([
    ['previous', { kind: 'previous' }],
    ['20260102T030405Z-run123', { kind: 'named', name: '20260102T030405Z-run123' }],
    ['20260102T030405Z-run123-2.3', { kind: 'named', name: '20260102T030405Z-run123-2.3' }],
    ['20260102T030405Z', { kind: 'named', name: '20260102T030405Z' }]
  ])("ssh-rolling 'rollback-to' %s: no image, and 'env' is not used (a warning)", async (value, expected) => {
    const { config, warnings } = await readSsh({ image: '', 'rollback-to': value, env: 'A=1' })
    expect(config.rollbackTo).toEqual(expected)
    expect(config.image).toBeUndefined()
    expect(warnings).toContain(
      "'env' is not used by 'rollback-to': each host gets back the .env its backup holds, as it was"
    )
    expect((await readSsh({ image: '', 'rollback-to': value })).warnings.filter((w) => w.includes('env'))).toEqual([])
  })

  test("'ecs' reads the blue/green inputs too and records which CodeDeploy-only ones were given", async () => {
    const { config } = await read('ecs', { 'wait-until': 'traffic-shifted', 'codedeploy-deployment-config': 'X' })
    if (config.strategy !== 'ecs') throw new Error('expected an ecs config')
    expect(config).toMatchObject({
      waitUntil: 'traffic-shifted',
      deploymentConfig: 'X',
      codedeployApplication: 'AppECS-default-web',
      blueGreenInputs: ['codedeploy-deployment-config', 'wait-until']
    })
  })

  test.each([
    ['no verify-command: no gate', {}, undefined],
    ['the default timeout, 5 min', { 'verify-command': './smoke.sh' }, { command: './smoke.sh', timeoutMs: 300_000 }],
    [
      'the default, within a shorter timeout-minutes',
      { 'verify-command': 'curl -f https://x', 'timeout-minutes': '2' },
      { command: 'curl -f https://x', timeoutMs: 120_000 }
    ],
    [
      'verify-timeout',
      { 'verify-command': './smoke.sh', 'verify-timeout': '1m30s' },
      { command: './smoke.sh', timeoutMs: 90_000 }
    ]
  ])('verify gate: %s', async (_title, values, expected) => {
    expect((await read('ecs-rolling', values)).config.verify).toEqual(expected)
  })

  test('values are trimmed', async () => {
    const { config } = await read('ecs-rolling', {
      strategy: ' ecs-rolling\n',
      image: '  nginx:1.27 ',
      'dry-run': ' true '
    })
    expect(config.strategy).toBe('ecs-rolling')
    expect(config.image?.ref).toBe('nginx:1.27')
    expect(config.dryRun).toBe(true)
  })

  const DIGEST = `sha256:${'a1'.repeat(32)}`
  test.each([
    ['nginx', { name: 'nginx' }],
    ['nginx:1.27', { name: 'nginx', tag: '1.27' }],
    ['library/nginx', { name: 'library/nginx' }],
    ['ghcr.io/org/app:v1.2.3', { registry: 'ghcr.io', name: 'org/app', tag: 'v1.2.3' }],
    ['localhost:5000/app', { registry: 'localhost:5000', name: 'app' }],
    ['localhost/app', { registry: 'localhost', name: 'app' }],
    ['[::1]:5000/app:dev', { registry: '[::1]:5000', name: 'app', tag: 'dev' }],
    [
      `Registry.Example.com:5000/team/app_x:1.0@${DIGEST}`,
      { registry: 'Registry.Example.com:5000', name: 'team/app_x', tag: '1.0', digest: DIGEST }
    ],
    [`app@${DIGEST}`, { name: 'app', digest: DIGEST }]
  ])('image %s', async (ref, expected) => {
    expect(parseImage(ref)).toEqual({ ref, ...expected })
  })
})

describe('readInputs: ECS', () => {
  test('ecs-rolling defaults', async () => {
    const { config } = await read('ecs-rolling')
    expect(config).toEqual({
      strategy: 'ecs-rolling',
      image: { ref: 'nginx:1.27', name: 'nginx', tag: '1.27' },
      timeoutMinutes: 30,
      dryRun: false,
      rollbackOnFailure: true,
      region: 'eu-west-1',
      cluster: 'default',
      service: 'web',
      environmentVariables: [],
      pollIntervalMs: 5000
    })
  })

  test('poll-interval takes a duration above zero', async () => {
    expect((await read('ecs-rolling', { 'poll-interval': '750ms' })).config).toMatchObject({ pollIntervalMs: 750 })
    expect((await read('ecs-blue-green', { 'poll-interval': '2' })).config).toMatchObject({ pollIntervalMs: 2000 })
    await expect(read('ecs-rolling', { 'poll-interval': 'fast' })).rejects.toThrow(
      "Invalid 'poll-interval': expected a duration like 500ms, 3s, 2m, 1m30s or a number of seconds, got 'fast'"
    )
    await expect(read('ecs-rolling', { 'poll-interval': '0s' })).rejects.toThrow(/'poll-interval'.*greater than 0/)
  })

  test('aws-region falls back to AWS_REGION, then AWS_DEFAULT_REGION', async () => {
    const noInput = { 'aws-region': '' }
    expect(
      (await read('ecs-rolling', noInput, { AWS_REGION: 'us-east-1', AWS_DEFAULT_REGION: 'eu-west-3' })).config
    ).toMatchObject({ region: 'us-east-1' })
    expect((await read('ecs-rolling', noInput, { AWS_DEFAULT_REGION: 'us-gov-west-1' })).config).toMatchObject({
      region: 'us-gov-west-1'
    })
    expect(
      (await read('ecs-rolling', { 'aws-region': 'ap-southeast-2' }, { AWS_REGION: 'us-east-1' })).config
    ).toMatchObject({
      region: 'ap-southeast-2'
    })
  })

  test('ecs-blue-green defaults name the CodeDeploy application and group after cluster and service', async () => {
    const { config } = await read('ecs-blue-green', { cluster: 'prod' })
    expect(config).toMatchObject({
      strategy: 'ecs-blue-green',
      cluster: 'prod',
      codedeployApplication: 'AppECS-prod-web',
      codedeployDeploymentGroup: 'DgpECS-prod-web',
      waitUntil: 'succeeded',
      onActiveDeployment: 'fail'
    })
    expect(config).not.toHaveProperty('deploymentConfig')
    expect(config).not.toHaveProperty('appspecDocument')
  })

  test('ecs-native reads wait-until and on-active-deployment (defaults succeeded and fail) and no CodeDeploy input', async () => {
    const defaults = (await read('ecs-native')).config
    expect(defaults).toMatchObject({ strategy: 'ecs-native', waitUntil: 'succeeded', onActiveDeployment: 'fail' })
    const { config } = await read('ecs-native', {
      'wait-until': 'traffic-shifted',
      'on-active-deployment': 'stop-previous',
      'codedeploy-application': 'ignored'
    })
    expect(config).toMatchObject({ waitUntil: 'traffic-shifted', onActiveDeployment: 'stop-previous' })
    expect(config).not.toHaveProperty('codedeployApplication')
  })

  test('ecs-blue-green default names use the short names of ARNs', async () => {
    const { config } = await read('ecs-blue-green', {
      cluster: 'arn:aws:ecs:eu-west-1:123456789012:cluster/prod',
      service: 'arn:aws:ecs:eu-west-1:123456789012:service/prod/web'
    })
    expect(config).toMatchObject({
      codedeployApplication: 'AppECS-prod-web',
      codedeployDeploymentGroup: 'DgpECS-prod-web'
    })
  })

  test('ecs-blue-green default names keep at most 46 characters of the cluster and of the service name', async () => {
    const cluster = `c${'x'.repeat(59)}`
    const service = `s${'y'.repeat(79)}`
    const { config } = await read('ecs-blue-green', { cluster, service })
    const suffix = `${cluster.slice(0, 46)}-${service.slice(0, 46)}`
    expect(config).toMatchObject({
      codedeployApplication: `AppECS-${suffix}`,
      codedeployDeploymentGroup: `DgpECS-${suffix}`
    })
    expect((config as { codedeployApplication: string }).codedeployApplication).toHaveLength(100)
  })

  test('ecs-blue-green explicit values', async () => {
    const { config } = await read('ecs-blue-green', {
      'codedeploy-application': 'my-app',
      'codedeploy-deployment-group': 'my-group',
      'codedeploy-deployment-config': 'CodeDeployDefault.ECSCanary10Percent5Minutes',
      'codedeploy-appspec': 'appspec.yaml',
      'wait-until': 'traffic-shifted',
      'on-active-deployment': 'stop-previous'
    })
    expect(config).toMatchObject({
      codedeployApplication: 'my-app',
      codedeployDeploymentGroup: 'my-group',
      deploymentConfig: 'CodeDeployDefault.ECSCanary10Percent5Minutes',
      appspecPath: 'appspec.yaml',
      waitUntil: 'traffic-shifted',
      onActiveDeployment: 'stop-previous'
    })
    if (config.strategy !== 'ecs-blue-green') throw new Error('wrong strategy')
    expect(config.appspecDocument).toMatchObject({
      version: 0,
      Resources: [{ TargetService: { Type: 'AWS::ECS::Service' } }]
    })
  })

  test('task definition JSON relative to GITHUB_WORKSPACE, unmodified', async () => {
    const { config } = await read('ecs-rolling', { 'task-definition': 'task-definition.json', 'container-name': 'web' })
    if (config.strategy !== 'ecs-rolling') throw new Error('wrong strategy')
    expect(config.taskDefinitionPath).toBe('task-definition.json')
    expect(config.taskDefinitionDocument).toEqual(JSON.parse(fixture('task-definition.json')))
    expect(config.containerName).toBe('web')
  })

  test('without GITHUB_WORKSPACE a relative path resolves against the working directory', async () => {
    const file = path.relative(process.cwd(), path.join(FIXTURES, 'task-definition.json'))
    const { config } = await read('ecs-rolling', { 'task-definition': file }, {})
    if (config.strategy !== 'ecs-rolling') throw new Error('wrong strategy')
    expect(config.taskDefinitionDocument).toMatchObject({ family: 'web' })
    await expect(read('ecs-rolling', { 'task-definition': 'task-definition.json' }, {})).rejects.toThrow(/no such file/)
  })

  test('task definition YAML by absolute path, YAML 1.2 core schema', async () => {
    const file = path.join(FIXTURES, 'task-definition.yaml')
    const { config } = await read('ecs-blue-green', { 'task-definition': file }, {})
    if (config.strategy !== 'ecs-blue-green') throw new Error('wrong strategy')
    expect(config.taskDefinitionDocument).toMatchObject({
      family: 'web',
      cpu: '256',
      containerDefinitions: [{ name: 'web', environment: [{ name: 'MODE', value: 'on' }] }]
    })
  })

  test('the YAML parser is loaded only for a YAML file input, and a YAML file cannot be read without it', async () => {
    const file = path.join(FIXTURES, 'task-definition.yaml')
    expect(await yamlFor(source(BASE['ssh-rolling']))).toBeUndefined()
    expect(await yamlFor(source({ ...BASE['ecs-rolling'], 'task-definition': 'td.JSON' }))).toBeUndefined()
    const parse = await yamlFor(source({ ...BASE['ecs-blue-green'], 'codedeploy-appspec': 'appspec.yml' }))
    expect(parse?.('a: [1, 2]')).toEqual({ a: [1, 2] })
    const values = { ...BASE['ecs-rolling'], 'task-definition': file }
    const loaded = await yamlFor(source(values))
    if (!loaded) throw new Error('no parser for a YAML task definition')
    const config = await readInputs(source(values), ENV, recordingLogger().log, loaded)
    if (config.strategy !== 'ecs-rolling') throw new Error('wrong strategy')
    expect(config.taskDefinitionDocument).toMatchObject({ family: 'web' })
    await expect(readInputs(source(values), ENV, recordingLogger().log)).rejects.toThrow(/YAML parser was not loaded/)
  })

  test('environment-variables: order kept, comments and blank lines skipped, = inside values', async () => {
    const { config } = await read('ecs-rolling', {
      'environment-variables': '# app\nLOG_LEVEL=debug\n\nQUERY=a=1&b=2\n  _UNDERSCORE=\n'
    })
    if (config.strategy !== 'ecs-rolling') throw new Error('wrong strategy')
    expect(config.environmentVariables).toEqual([
      { key: 'LOG_LEVEL', value: 'debug' },
      { key: 'QUERY', value: 'a=1&b=2' },
      { key: '_UNDERSCORE', value: '' }
    ])
  })

  test('SSH inputs are ignored by the ECS strategies', async () => {
    const junk = { hosts: 'a b', 'ssh-port': 'x', 'batch-size': '0%', 'app-dir': 'relative', env: 'no equals' }
    expect((await read('ecs-rolling', junk)).config.strategy).toBe('ecs-rolling')
    expect((await read('ecs-blue-green', junk)).config.strategy).toBe('ecs-blue-green')
  })

  test('blue/green inputs are ignored by ecs-rolling', async () => {
    const { config } = await read('ecs-rolling', { 'wait-until': 'nope', 'codedeploy-appspec': 'missing.yaml' })
    expect(config).not.toHaveProperty('waitUntil')
  })
})

describe('readInputs: ssh-rolling', () => {
  test('defaults', async () => {
    const { config, warnings } = await readSsh()
    expect(config).toMatchObject({
      strategy: 'ssh-rolling',
      insecureSkipHostKeyCheck: false,
      appDir: '/app',
      composeFiles: [],
      composeServices: [],
      env: [],
      imageVariable: 'IMAGE',
      healthCheck: { retries: 10, intervalMs: 3000, timeoutMs: 5000, startPeriodMs: 0 },
      batchSize: { kind: 'count', value: 1 },
      rollbackScope: 'fleet',
      backupRetention: 5,
      lockWaitSeconds: 0
    })
    for (const key of ['passphrase', 'jumpHost', 'firstBatchSize', 'preDeployCommand', 'postDeployCommand']) {
      expect(config).not.toHaveProperty(key)
    }
    expect(config.healthCheck).not.toHaveProperty('url')
    expect(publicBlob(config)).toBe(ED25519_BLOB)
    expect(warnings.filter((w) => !w.includes('@cert-authority'))).toEqual([])
  })

  test.each([
    ['web-1', { user: 'deploy', host: 'web-1', port: 22 }],
    ['ops@web-1.example.com:2222', { user: 'ops', host: 'web-1.example.com', port: 2222 }],
    ['10.0.0.5', { user: 'deploy', host: '10.0.0.5', port: 22 }],
    ['root@192.0.2.1:65535', { user: 'root', host: '192.0.2.1', port: 65535 }],
    ['[2001:db8::1]', { user: 'deploy', host: '2001:db8::1', port: 22 }],
    ['deploy_2@[2001:db8::1]:2222', { user: 'deploy_2', host: '2001:db8::1', port: 2222 }],
    ['[::ffff:192.0.2.1]:1', { user: 'deploy', host: '::ffff:192.0.2.1', port: 1 }],
    ['Web-1.Example.COM', { user: 'deploy', host: 'Web-1.Example.COM', port: 22 }]
  ])('host %s', async (spec, expected) => {
    const { config } = await readSsh({ hosts: spec })
    expect(config.hosts).toEqual([{ spec, ...expected }])
  })

  test('update order: auto, 5 s switch-delay and no container checks by default; each can be set', async () => {
    const defaults = (await readSsh({})).config
    expect([defaults.updateOrder, defaults.switchDelayMs, defaults.containerChecks]).toEqual(['auto', 5000, {}])
    const set = (
      await readSsh({
        'update-order': 'stop-first',
        'switch-delay': '1500ms',
        'container-check': '# probes\nweb = 8080/healthz?full=1\nworker=9000'
      })
    ).config
    expect([set.updateOrder, set.switchDelayMs, set.containerChecks]).toEqual([
      'stop-first',
      1500,
      { web: '8080/healthz?full=1', worker: '9000/' }
    ])
  })

  test('hosts: lines, commas, comments, ssh-port default', async () => {
    const { config } = await readSsh({ hosts: '# fleet\nweb-1, web-2\n\nops@web-3:2200,', 'ssh-port': '2022' })
    expect(config.hosts).toEqual([
      { spec: 'web-1', user: 'deploy', host: 'web-1', port: 2022 },
      { spec: 'web-2', user: 'deploy', host: 'web-2', port: 2022 },
      { spec: 'ops@web-3:2200', user: 'ops', host: 'web-3', port: 2200 }
    ])
  })

  test('ssh-user is optional when every host has user@', async () => {
    const { config } = await readSsh({ 'ssh-user': '', hosts: 'a@web-1\nb@web-2' })
    expect(config.hosts.map((h) => h.user)).toEqual(['a', 'b'])
  })

  test('the same host on two ports is two targets', async () => {
    const { config } = await readSsh({ hosts: 'web-1:2201\nweb-1:2202' })
    expect(config.hosts.map((h) => h.port)).toEqual([2201, 2202])
  })

  test('jump host with defaults', async () => {
    expect((await readSsh({ 'ssh-jump-host': 'bastion.example.com' })).config.jumpHost).toEqual({
      spec: 'bastion.example.com',
      user: 'deploy',
      host: 'bastion.example.com',
      port: 22
    })
    expect((await readSsh({ 'ssh-jump-host': 'jump@[2001:db8::9]:2222' })).config.jumpHost).toEqual({
      spec: 'jump@[2001:db8::9]:2222',
      user: 'jump',
      host: '2001:db8::9',
      port: 2222
    })
  })

  test('known_hosts: plain, hashed, markers, negations, IPv6 and pins', async () => {
    const { config, warnings } = await readSsh()
    // The base known_hosts text has a @cert-authority line: kept (a pasted file may have one), and said to be ignored.
    expect(warnings).toContainEqual(
      expect.stringMatching(/@cert-authority lines are ignored: host certificates are not supported/)
    )
    const entries = config.knownHosts
    const byKind = (kind: KnownHostEntry['kind']) => entries.filter((e) => e.kind === kind)
    expect(entries).toHaveLength(7)
    expect(byKind('plain')).toEqual([
      {
        kind: 'plain',
        patterns: ['web-1.example.com', '[web-2.example.com]:2222'],
        negated: [],
        keyType: 'ecdsa-sha2-nistp256',
        keyBase64: ECDSA_BLOB
      },
      {
        kind: 'plain',
        patterns: ['*.example.com'],
        negated: ['bad.example.com'],
        keyType: 'ssh-ed25519',
        keyBase64: ED25519_BLOB,
        marker: '@cert-authority'
      },
      {
        kind: 'plain',
        patterns: ['192.0.2.10'],
        negated: [],
        keyType: 'ssh-ed25519',
        keyBase64: ED25519_BLOB,
        marker: '@revoked'
      },
      { kind: 'plain', patterns: ['2001:db8::1'], negated: [], keyType: 'ecdsa-sha2-nistp256', keyBase64: ECDSA_BLOB }
    ])
    expect(byKind('pin')).toEqual([
      { kind: 'pin', host: 'web-3.example.com', fingerprint: 'SHA256:U/X/pBem4vLAuvMeOzulCKFxq/Vd04o7su6DYGS4pn0' },
      {
        kind: 'pin',
        host: '2001:db8::2',
        port: 2222,
        fingerprint: 'SHA256:U/X/pBem4vLAuvMeOzulCKFxq/Vd04o7su6DYGS4pn0'
      }
    ])
    const [hashed] = byKind('hashed')
    if (hashed?.kind !== 'hashed') throw new Error('no hashed entry')
    expect(hashed.keyType).toBe('ecdsa-sha2-nistp256')
    expect(hashed.keyBase64).toBe(ECDSA_BLOB)
    expect(hashed.salt).toHaveLength(20)
    // ssh-keygen -H hashed the first name of the plain line: HMAC-SHA1(salt, name) must equal the parsed hash.
    const hmac = crypto.createHmac('sha1', hashed.salt).update('web-1.example.com').digest()
    expect(hmac.equals(hashed.hash)).toBe(true)
  })

  test('pins: the fingerprint matches ssh-keygen -lf of the host key, padding accepted', async () => {
    const blob = Buffer.from(ECDSA_BLOB, 'base64')
    const fingerprint = `SHA256:${crypto.createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`
    const { config } = await readSsh({ 'ssh-known-hosts': `web-9:2200 ${fingerprint}=\n[10.0.0.9]:22 ${fingerprint}` })
    expect(config.knownHosts).toEqual([
      { kind: 'pin', host: 'web-9', port: 2200, fingerprint },
      { kind: 'pin', host: '10.0.0.9', port: 22, fingerprint }
    ])
  })

  test('insecure host key check: known hosts optional, loud warning', async () => {
    const { config, warnings } = await readSsh({ 'ssh-known-hosts': '', 'ssh-insecure-skip-host-key-check': 'true' })
    expect(config.insecureSkipHostKeyCheck).toBe(true)
    expect(config.knownHosts).toEqual([])
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toMatch(/host keys are NOT verified/)
  })

  test.each([
    ['500ms', 500],
    ['3s', 3000],
    ['2m', 120_000],
    ['1m30s', 90_000],
    ['1h', 3_600_000],
    ['1m0.5s', 60_500],
    ['10', 10_000],
    ['1.5', 1500],
    ['0s', 0]
  ])('duration %s = %d ms', async (value, ms) => {
    const { config } = await readSsh({ 'health-check-start-period': value })
    expect(config.healthCheck.startPeriodMs).toBe(ms)
    if (ms > 0) {
      const both = (await readSsh({ 'health-check-interval': value, 'health-check-timeout': value })).config.healthCheck
      expect(both).toMatchObject({ intervalMs: ms, timeoutMs: ms })
    }
  })

  test.each([
    ['1', { kind: 'count', value: 1 }],
    ['12', { kind: 'count', value: 12 }],
    ['1%', { kind: 'percent', value: 1 }],
    ['25%', { kind: 'percent', value: 25 }],
    ['100%', { kind: 'percent', value: 100 }]
  ])('batch size %s', async (value, expected) => {
    const { config } = await readSsh({ 'batch-size': value, 'first-batch-size': value })
    expect(config.batchSize).toEqual(expected)
    expect(config.firstBatchSize).toEqual(expected)
  })

  test('paths, services, commands, health check', async () => {
    const { config } = await readSsh({
      'app-dir': '/srv/my-app/',
      'compose-file': 'compose.yml, compose.prod.yml\ndeploy/override.yml',
      'compose-services': 'web worker,web\napi.v2',
      'image-variable': 'APP_IMAGE',
      env: 'IMAGE=shadowed-only-when-image-variable-is-IMAGE',
      'pre-deploy-command': './migrate.sh --check',
      'post-deploy-command': 'echo done',
      'health-check-url': 'http://{host}:8080/health',
      'health-check-command': 'curl -fsS localhost/up',
      'health-check-retries': '1000',
      'rollback-scope': 'host',
      'backup-retention': '1',
      'lock-wait-seconds': '120'
    })
    expect(config).toMatchObject({
      appDir: '/srv/my-app',
      composeFiles: ['compose.yml', 'compose.prod.yml', 'deploy/override.yml'],
      composeServices: ['web', 'worker', 'api.v2'],
      imageVariable: 'APP_IMAGE',
      env: [{ key: 'IMAGE', value: 'shadowed-only-when-image-variable-is-IMAGE' }],
      preDeployCommand: './migrate.sh --check',
      postDeployCommand: 'echo done',
      healthCheck: { url: 'http://{host}:8080/health', command: 'curl -fsS localhost/up', retries: 1000 },
      rollbackScope: 'host',
      backupRetention: 1,
      lockWaitSeconds: 120
    })
  })

  test('env values .env can hold are kept as written: a single quote alone, or " \\ $ ` without one', async () => {
    const values = ["it's", 'pa$$word', 'run `id`', 'C:\\srv', 'say "hi" to $USER', 'a=b', '']
    const { config } = await readSsh({ env: values.map((v, i) => `V${i}=${v}`).join('\n') })
    expect(config.env).toEqual(values.map((value, i) => ({ key: `V${i}`, value })))
  })

  test("the .env rule is for 'env' only: ECS 'environment-variables' keep any value on one line", async () => {
    const lines = Object.values(UNWRITABLE_ENV_VALUES).filter((v) => !/[\r\0]/.test(v))
    const { config } = await read('ecs-rolling', {
      'environment-variables': lines.map((v, i) => `V${i}=${v}`).join('\n')
    })
    if (config.strategy !== 'ecs-rolling') throw new Error('expected an ecs-rolling config')
    expect(config.environmentVariables).toEqual(lines.map((value, i) => ({ key: `V${i}`, value })))
  })

  test('ECS inputs are ignored by ssh-rolling', async () => {
    const { config } = await readSsh({
      'task-definition': 'missing.json',
      'aws-region': 'nowhere',
      service: 'x y',
      'wait-until': 'nope'
    })
    expect(config).not.toHaveProperty('region')
  })

  test.each([
    ['encrypted OpenSSH key', ENCRYPTED_KEY, ENCRYPTED_KEY_PASSPHRASE, 'id_ed25519_encrypted.pub'],
    ['encrypted PEM key', ENCRYPTED_PEM_KEY, 'pem pass', 'id_rsa_pem_encrypted.pub'],
    ['PEM key', PEM_KEY, '', 'id_rsa_pem.pub']
  ])('%s accepted', async (_title, key, passphrase, publicKey) => {
    const { config, secrets } = await readSsh({ 'ssh-private-key': key, 'ssh-passphrase': passphrase })
    // Parsed and decrypted once, by ssh2: the key in the config is the private half of the fixture's public key.
    expect(publicBlob(config)).toBe(fixture(publicKey).split(' ')[1])
    if (passphrase) {
      expect(config.passphrase).toBe(passphrase)
      expect(secrets).toContain(passphrase)
    }
    expect(secrets).toContain(key.trim())
  })

  test('a key pasted with CRLF line ends is normalized, and both forms are masked', async () => {
    const crlf = KEY.replace(/\n/g, '\r\n')
    const { config, secrets } = await readSsh({ 'ssh-private-key': crlf })
    expect(publicBlob(config)).toBe(ED25519_BLOB)
    expect(secrets).toEqual(expect.arrayContaining([crlf.trim(), KEY]))
  })
})

describe('readInputs: masking', () => {
  test('the private key is masked before it is validated', async () => {
    const { log, secrets } = recordingLogger()
    await expect(
      readInputs(source({ ...BASE['ssh-rolling'], 'ssh-private-key': NOT_A_KEY }), ENV, log, parseYaml)
    ).rejects.toThrow(InputError)
    expect(secrets).toEqual([NOT_A_KEY])
  })

  test('the private key and passphrase are masked even when an earlier input is rejected', async () => {
    const { log, secrets } = recordingLogger()
    const values = {
      ...BASE['ssh-rolling'],
      hosts: 'a b',
      'ssh-private-key': ENCRYPTED_KEY,
      'ssh-passphrase': 'pw-123456'
    }
    await expect(readInputs(source(values), ENV, log, parseYaml)).rejects.toThrow(/'hosts'/)
    expect(secrets).toEqual([ENCRYPTED_KEY.trim(), 'pw-123456'])
  })

  test('env values under secret-looking keys and URL passwords are masked; plain values and flags are not', async () => {
    const { config, secrets } = await readSsh({
      env: [
        `STRIPE_SECRET=${SECRET_ENV_VALUE}`,
        'DB_PASSWORD=hunter2',
        'GITHUB_TOKEN=ghp_abcdefghijklmnop',
        'api_key=k-123456',
        'AUTH_ENABLED=true',
        'LOG_LEVEL=debug',
        'DATABASE_URL=postgres://app:p%40ss-w0rd@db.internal:5432/app',
        'PUBLIC_URL=https://example.com/app'
      ].join('\n')
    })
    expect(config.env).toHaveLength(8)
    expect(secrets).toEqual(
      expect.arrayContaining([
        KEY.trim(),
        SECRET_ENV_VALUE,
        'hunter2',
        'ghp_abcdefghijklmnop',
        'k-123456',
        'p%40ss-w0rd',
        'p@ss-w0rd'
      ])
    )
    for (const plain of [
      'true',
      'debug',
      'https://example.com/app',
      'postgres://app:p%40ss-w0rd@db.internal:5432/app'
    ]) {
      expect(secrets).not.toContain(plain)
    }
  })

  test('environment-variables (ECS) are masked by the same rule', async () => {
    const { secrets } = await read('ecs-rolling', {
      'environment-variables': `API_TOKEN=${SECRET_ENV_VALUE}\nREGION=eu`
    })
    expect(secrets).toEqual([SECRET_ENV_VALUE])
  })

  test('a secret value is masked even when its line is rejected', async () => {
    const { log, secrets } = recordingLogger()
    await expect(
      readInputs(source({ ...BASE['ssh-rolling'], env: `OK=1\nMY-TOKEN=${SECRET_ENV_VALUE}` }), ENV, log, parseYaml)
    ).rejects.toThrow(/line 2/)
    expect(secrets).toContain(SECRET_ENV_VALUE)
  })
})

describe('configView', () => {
  test('ssh-rolling: no key, passphrase or env values; readable known hosts', async () => {
    const { config } = await readSsh({
      'ssh-private-key': ENCRYPTED_KEY,
      'ssh-passphrase': ENCRYPTED_KEY_PASSPHRASE,
      env: `API_TOKEN=${SECRET_ENV_VALUE}\nMODE=prod`,
      'health-check-url': 'https://probe:s3cr3t-pass@{host}/health'
    })
    const view = configView(config)
    const text = JSON.stringify(view)
    for (const secret of [...SECRETS, 's3cr3t-pass']) expect(text).not.toContain(secret)
    expect(view).not.toHaveProperty('privateKey')
    expect(view).not.toHaveProperty('passphrase')
    expect(view.env).toEqual(['API_TOKEN', 'MODE'])
    expect(view.image).toBe('registry.example.com/team/app:1.2.3')
    expect(view.healthCheck).toMatchObject({ url: 'https://probe:***@{host}/health' })
    expect(view.knownHosts).toContain('web-3.example.com SHA256:U/X/pBem4vLAuvMeOzulCKFxq/Vd04o7su6DYGS4pn0')
    expect(view.knownHosts).toContain('(hashed) ecdsa-sha2-nistp256')
    expect(view.hosts).toEqual(config.hosts)
  })

  test('ECS: no parsed documents, environment as keys', async () => {
    const { config } = await read('ecs-blue-green', {
      'task-definition': 'task-definition.json',
      'codedeploy-appspec': 'appspec.yaml',
      'environment-variables': `API_TOKEN=${SECRET_ENV_VALUE}`
    })
    const view = configView(config)
    expect(view).not.toHaveProperty('taskDefinitionDocument')
    expect(view).not.toHaveProperty('appspecDocument')
    expect(view).toMatchObject({
      taskDefinitionPath: 'task-definition.json',
      appspecPath: 'appspec.yaml',
      environmentVariables: ['API_TOKEN']
    })
    expect(JSON.stringify(view)).not.toContain(SECRET_ENV_VALUE)
  })
})

describe('pre-deploy-command on the ECS strategies', () => {
  test.each(['ecs', 'ecs-rolling', 'ecs-blue-green'] as const)('%s reads it for the one-off task', async (strategy) => {
    const { config } = await read(strategy, { 'pre-deploy-command': './manage.py migrate && echo done' })
    expect(config).toMatchObject({ strategy, preDeployCommand: './manage.py migrate && echo done' })
  })
})
