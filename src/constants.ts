/** Input, output and state names: defined once, used by action.yml, the README and the code. */

export const Inputs = {
  strategy: 'strategy',
  image: 'image',
  rollbackTo: 'rollback-to',
  timeoutMinutes: 'timeout-minutes',
  dryRun: 'dry-run',
  rollbackOnFailure: 'rollback-on-failure',
  verifyCommand: 'verify-command',
  verifyTimeout: 'verify-timeout',
  awsRegion: 'aws-region',
  cluster: 'cluster',
  service: 'service',
  taskDefinition: 'task-definition',
  containerName: 'container-name',
  environmentVariables: 'environment-variables',
  codedeployApplication: 'codedeploy-application',
  codedeployDeploymentGroup: 'codedeploy-deployment-group',
  codedeployAppspec: 'codedeploy-appspec',
  codedeployDeploymentConfig: 'codedeploy-deployment-config',
  waitUntil: 'wait-until',
  onActiveDeployment: 'on-active-deployment',
  hosts: 'hosts',
  sshUser: 'ssh-user',
  sshPort: 'ssh-port',
  sshPrivateKey: 'ssh-private-key',
  sshPassphrase: 'ssh-passphrase',
  sshKnownHosts: 'ssh-known-hosts',
  sshJumpHost: 'ssh-jump-host',
  sshInsecureSkipHostKeyCheck: 'ssh-insecure-skip-host-key-check',
  appDir: 'app-dir',
  composeFile: 'compose-file',
  composeServices: 'compose-services',
  env: 'env',
  imageVariable: 'image-variable',
  preDeployCommand: 'pre-deploy-command',
  pollInterval: 'poll-interval',
  postDeployCommand: 'post-deploy-command',
  healthCheckUrl: 'health-check-url',
  healthCheckCommand: 'health-check-command',
  healthCheckRetries: 'health-check-retries',
  healthCheckInterval: 'health-check-interval',
  healthCheckTimeout: 'health-check-timeout',
  healthCheckStartPeriod: 'health-check-start-period',
  updateOrder: 'update-order',
  switchDelay: 'switch-delay',
  containerCheck: 'container-check',
  batchSize: 'batch-size',
  firstBatchSize: 'first-batch-size',
  rollbackScope: 'rollback-scope',
  backupRetention: 'backup-retention',
  lockWaitSeconds: 'lock-wait-seconds'
} as const
export type InputName = (typeof Inputs)[keyof typeof Inputs]

export const Outputs = {
  status: 'status',
  taskDefinitionArn: 'task-definition-arn',
  previousTaskDefinitionArn: 'previous-task-definition-arn',
  deploymentId: 'deployment-id',
  consoleUrl: 'console-url',
  hostsDeployed: 'hosts-deployed',
  hostsRolledBack: 'hosts-rolled-back',
  hostsFailed: 'hosts-failed',
  report: 'report'
} as const
export type OutputName = (typeof Outputs)[keyof typeof Outputs]

export const State = {
  isPost: 'isPost',
  journal: 'journal',
  tempDir: 'tempDir'
} as const

export const Strategies = ['ecs', 'ecs-blue-green', 'ecs-native', 'ecs-rolling', 'ssh-rolling'] as const
export type StrategyName = (typeof Strategies)[number]
