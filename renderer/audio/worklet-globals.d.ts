/**
 * Globals of the AudioWorkletGlobalScope (TypeScript's DOM library does not declare them). Only
 * the *-worklet.ts files run in that scope.
 */

declare abstract class AudioWorkletProcessor {
  readonly port: MessagePort;
  constructor(options?: AudioWorkletNodeOptions);
  abstract process(inputs: Float32Array[][], outputs: Float32Array[][], parameters: Record<string, Float32Array>): boolean;
}

declare function registerProcessor(
  name: string,
  processorCtor: new (options?: AudioWorkletNodeOptions) => AudioWorkletProcessor,
): void;

/** Sample rate of the context the worklet runs in. */
declare const sampleRate: number;
/** Context frame of the render quantum being processed. */
declare const currentFrame: number;
