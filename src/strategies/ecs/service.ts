/** The ECS call both strategies share: register the new task definition. */
import {
  RegisterTaskDefinitionCommand,
  type ECSClient,
  type RegisterTaskDefinitionCommandInput
} from '@aws-sdk/client-ecs'
import { wrapError } from './errors.js'
import type { TaskDefinitionDocument } from './task-definition.js'
import { withSignal } from './clients.js'

/** Registers the task definition and returns the new revision's ARN. */
export async function registerTaskDefinition(
  ecs: ECSClient,
  taskDefinition: TaskDefinitionDocument,
  signal?: AbortSignal
): Promise<string> {
  try {
    // Unknown fields are kept in the document; the SDK leaves out whatever the API does not model.
    const input = taskDefinition as unknown as RegisterTaskDefinitionCommandInput
    const out = await ecs.send(new RegisterTaskDefinitionCommand(input), withSignal(signal))
    const arn = out.taskDefinition?.taskDefinitionArn
    if (!arn) throw new Error('the response holds no task definition ARN')
    return arn
  } catch (error) {
    throw wrapError(`Could not register task definition family '${String(taskDefinition.family)}'`, error)
  }
}
