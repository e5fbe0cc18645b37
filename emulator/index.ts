/** A local emulator of the ECS and CodeDeploy APIs the action uses (AWS JSON 1.1 over HTTP). */
export { startEmulator, type Emulator, type EmulatorOptions } from './server.js'
export type { Control, ConfigureInput, FailureInput, FaultRule, EmulatorState, NativeKnobsInput } from './control.js'
export { NATIVE_FIXTURE, STANDARD_FIXTURE, type Fixture } from './fixtures.js'
export type { Timings, CallRecord } from './model.js'
