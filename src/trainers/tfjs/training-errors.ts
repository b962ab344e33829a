import type { TfjsConfig } from './tfjs-config.js';

/** Run.error is for people: long stack-laden messages are cut. */
const MAX_ERROR_LENGTH = 2_000;

const OUT_OF_MEMORY = /out of memory|\boom\b|could not allocate|cannot allocate|allocation failed|array buffer allocation|memory access out of bounds|heap out of memory/i;

function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}

function clip(message: string): string {
  return message.length <= MAX_ERROR_LENGTH ? message : `${message.slice(0, MAX_ERROR_LENGTH - 1)}…`;
}

/**
 * Turns a training failure into Run.error: what went wrong and what to change.
 * The training library's own messages already name files and values (a missing
 * image names its path, a diverging loss says to lower the learning rate), so
 * they pass through; errors from below it (WASM, the OS) get advice added.
 */
export function describeTrainingError(error: unknown, config: TfjsConfig | null): string {
  const message = messageOf(error);
  if (OUT_OF_MEMORY.test(message)) {
    const sizes = config ? ` (imageSize ${config.imageSize}, batchSize ${config.batchSize}, ${config.architecture})` : '';
    return clip(`training ran out of memory${sizes}: start the run again with a smaller imageSize or batchSize, or on a worker with more memory. Cause: ${message}`);
  }
  if (config?.baseModelPath && message.includes('Cannot read a TensorFlow.js model from')) {
    return clip(
      `baseModelPath "${config.baseModelPath}" is not a TensorFlow.js layers model folder readable by this worker ` +
        `(it needs model.json and its weight files, e.g. from tensorflowjs_converter): ${message}`,
    );
  }
  if (/^Image file not found: /.test(message)) {
    return clip(`${message}. The dataset lists it but this worker cannot see it: restore the file, or run the worker where the dataset's files are`);
  }
  return clip(`training failed: ${message}`);
}
