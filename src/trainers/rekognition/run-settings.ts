import { z } from 'zod';

/** startTraining's `rekognition` input: what a REKOGNITION run is configured with (stored in its config). */
export const rekognitionConfigSchema = z.object({
  projectName: z.string().regex(/^[a-zA-Z0-9_.-]{1,255}$/, 'projectName: 1-255 letters, digits, "_", "." or "-"').nullish().transform((v) => v ?? null),
  versionName: z.string().regex(/^[a-zA-Z0-9_.-]{1,255}$/, 'versionName: 1-255 letters, digits, "_", "." or "-"').nullish().transform((v) => v ?? null),
  evaluateWithInference: z.boolean().nullish().transform((v) => v ?? false),
  minInferenceUnits: z.number().int().min(1, 'minInferenceUnits must be at least 1').max(100).nullish().transform((v) => v ?? 1),
});
