/**
 * What one Rekognition run is expected to cost before it starts, for a study's estimatedCostUsd
 * and maxCostUsd: the training hours assumed per run (AWS reports the real ones only afterwards;
 * docs/rekognition.md: 30 minutes to 24 hours) at the training price, plus, with
 * evaluateWithInference, half an hour of the inference units at the inference price. The prices
 * are the trainer's own settings (docs/rekognition.md), read on the API's machine.
 */
export const DEFAULT_TRAINING_HOURS_PER_RUN = 1;
export const INFERENCE_HOURS_PER_EVALUATION = 0.5;

function number(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a number of 0 or more, got "${raw}"`);
  return value;
}

export function estimateRekognitionRunCostUsd(settings: Record<string, unknown>, env: NodeJS.ProcessEnv = process.env): number {
  const hours = number(env, 'EPOCHAL_REKOGNITION_ESTIMATED_TRAINING_HOURS', DEFAULT_TRAINING_HOURS_PER_RUN);
  const trainingPrice = number(env, 'EPOCHAL_REKOGNITION_TRAINING_USD_PER_HOUR', 1);
  const inferencePrice = number(env, 'EPOCHAL_REKOGNITION_INFERENCE_USD_PER_UNIT_HOUR', 4);
  const units = typeof settings.minInferenceUnits === 'number' ? settings.minInferenceUnits : 1;
  const inference = settings.evaluateWithInference === true ? units * INFERENCE_HOURS_PER_EVALUATION * inferencePrice : 0;
  return hours * trainingPrice + inference;
}
