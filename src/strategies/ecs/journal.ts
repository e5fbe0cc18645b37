/** What the ECS strategies record as they go, so the post step can finish a cut-short run. */

export type EcsPhase =
  /** A task definition revision was registered; nothing is deployed yet. */
  | 'registered'
  /** A CodeDeploy deployment was created / an ECS deployment was started and is being followed. */
  | 'deploying'
  /**
   * A rollback was requested (StopDeployment, StopServiceDeployment / ContinueServiceDeployment with ROLLBACK, or
   * UpdateService back to the previous task definition).
   */
  | 'rolling-back'
  /** Nothing left to do: the deployment ended, was rolled back, or was handed off on purpose (`wait-until`). */
  | 'finished'

export interface EcsJournal {
  done?: boolean
  /** The path strategy `ecs` picked for the service, so the post step recovers with the same one. */
  path?: 'ecs-blue-green' | 'ecs-rolling' | 'ecs-native'
  phase?: EcsPhase
  taskDefinitionArn?: string
  previousTaskDefinitionArn?: string
  /** The one-off task `pre-deploy-command` started; while the phase is `registered` it may still run. */
  oneOffTaskArn?: string
  /** CodeDeploy deployment id (`d-…`). */
  deploymentId?: string
  /** ARN of our service deployment (ecs-native): the deployment, and later its rollback, are followed by it. */
  serviceDeploymentArn?: string
  /** ECS deployment id (`ecs-svc/…`) of our rolling deployment. */
  ecsDeploymentId?: string
  /** When UpdateService returned `ecsDeploymentId` (ms since epoch): until a minute later a read may not show it yet. */
  ecsDeploymentAt?: number
  /** ECS deployment id of our rollback (UpdateService back to the previous task definition). */
  rollbackEcsDeploymentId?: string
  /** When the main step started deploying (ms since epoch), for the post step's explanations. */
  startedAt?: number
}
