/** The default CodeDeploy names of an ECS service: `AppECS-<cluster>-<service>` and `DgpECS-<cluster>-<service>`. */

/**
 * How much of the cluster name and of the service name the defaults keep: `AppECS-` + 46 + `-` + 46 is CodeDeploy's
 * limit of 100, and the AWS CLI's `ecs deploy` cuts each name at 46 the same way for these defaults.
 */
const NAME_PART_MAX = 46

export function defaultCodeDeployNames(cluster: string, service: string): { application: string; group: string } {
  const suffix = `${cluster.slice(0, NAME_PART_MAX)}-${service.slice(0, NAME_PART_MAX)}`
  return { application: `AppECS-${suffix}`, group: `DgpECS-${suffix}` }
}
