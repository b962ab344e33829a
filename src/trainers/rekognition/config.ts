import { z } from 'zod';

/**
 * Where the Rekognition trainer keeps its files and how often it polls. AWS
 * credentials are not configured here: the SDK's standard chain finds them
 * (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE, SSO, instance or task roles).
 */
export interface RekognitionConfig {
  /** Null: the SDK resolves it (AWS_DEFAULT_REGION, the profile's region). */
  region: string | null;
  bucket: string;
  /** Always ends with "/" (or is empty): images, manifests and model output live under it. */
  prefix: string;
  forcePathStyle: boolean;
  /** Null: the SDK's default endpoint (it also reads AWS_ENDPOINT_URL_REKOGNITION itself). */
  rekognitionEndpoint: string | null;
  s3Endpoint: string | null;
  /** First delay between status polls; it grows while nothing changes, up to maxPollMs. */
  pollMs: number;
  maxPollMs: number;
  /** Attempts per AWS call inside the SDK (its own retry of throttling and 5xx). */
  sdkMaxAttempts: number;
  /** Our own retries of throttling/5xx on top of the SDK's, with backoff from pollMs. */
  throttleRetries: number;
  /** For the cost estimate only; check your region's price list. */
  trainingUsdPerHour: number;
  inferenceUsdPerUnitHour: number;
}

const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', ''], { error: 'must be true or false' })
  .optional()
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
const url = (name: string) =>
  z
    .string()
    .optional()
    .transform((v) => (v ? v.trim() : undefined))
    .refine((v) => v === undefined || /^https?:\/\/[^\s/]+/.test(v), `${name} must be an http(s) URL such as http://127.0.0.1:9000`);
const positiveInt = (fallback: number, min: number, max: number) =>
  z.coerce.number({ error: 'must be a number' }).int('must be a whole number').min(min, `must be at least ${min}`).max(max, `must be at most ${max}`).default(fallback);
const price = (fallback: number) => z.coerce.number({ error: 'must be a number' }).min(0, 'must be >= 0').default(fallback);
// An empty string counts as "not set" for every variable, as shells often export them empty.
const emptyIsUnset = (env: Record<string, string | undefined>) =>
  Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));

const envSchema = z.object({
  AWS_REGION: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must be a region name such as us-east-1').optional(),
  AWS_DEFAULT_REGION: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must be a region name such as us-east-1').optional(),
  EPOCHAL_S3_BUCKET: z
    .string({ error: 'is required: the S3 bucket (in the same region as Rekognition) for images, manifests and model output' })
    .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be an S3 bucket name: 3-63 lower-case letters, digits, "." and "-"'),
  EPOCHAL_S3_PREFIX: z
    .string()
    .default('epochal/')
    .refine((p) => !p.startsWith('/'), 'must not start with "/"')
    .refine((p) => p.length <= 200, 'must be at most 200 characters')
    .transform((p) => (p === '' || p.endsWith('/') ? p : `${p}/`)),
  EPOCHAL_S3_FORCE_PATH_STYLE: booleanFlag,
  AWS_ENDPOINT_URL_REKOGNITION: url('AWS_ENDPOINT_URL_REKOGNITION'),
  AWS_ENDPOINT_URL_S3: url('AWS_ENDPOINT_URL_S3'),
  EPOCHAL_REKOGNITION_POLL_MS: positiveInt(30_000, 1, 3_600_000),
  EPOCHAL_REKOGNITION_MAX_POLL_MS: positiveInt(0, 0, 3_600_000),
  EPOCHAL_AWS_MAX_ATTEMPTS: positiveInt(3, 1, 20),
  EPOCHAL_REKOGNITION_THROTTLE_RETRIES: positiveInt(10, 0, 100),
  EPOCHAL_REKOGNITION_TRAINING_USD_PER_HOUR: price(1),
  EPOCHAL_REKOGNITION_INFERENCE_USD_PER_UNIT_HOUR: price(4),
});

/** Reads and checks the trainer's configuration; the error names every bad variable and why. */
export function loadRekognitionConfig(env: Record<string, string | undefined> = process.env): RekognitionConfig {
  const parsed = envSchema.safeParse(emptyIsUnset(env));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ');
    throw new Error(`The Rekognition trainer is not configured correctly: ${problems}. See docs/rekognition.md.`);
  }
  const e = parsed.data;
  const pollMs = e.EPOCHAL_REKOGNITION_POLL_MS;
  return {
    region: e.AWS_REGION ?? e.AWS_DEFAULT_REGION ?? null,
    bucket: e.EPOCHAL_S3_BUCKET,
    prefix: e.EPOCHAL_S3_PREFIX,
    forcePathStyle: e.EPOCHAL_S3_FORCE_PATH_STYLE,
    rekognitionEndpoint: e.AWS_ENDPOINT_URL_REKOGNITION ?? null,
    s3Endpoint: e.AWS_ENDPOINT_URL_S3 ?? null,
    pollMs,
    // Backoff while nothing changes: up to 4× the first delay, unless set.
    maxPollMs: Math.max(pollMs, e.EPOCHAL_REKOGNITION_MAX_POLL_MS || pollMs * 4),
    sdkMaxAttempts: e.EPOCHAL_AWS_MAX_ATTEMPTS,
    throttleRetries: e.EPOCHAL_REKOGNITION_THROTTLE_RETRIES,
    trainingUsdPerHour: e.EPOCHAL_REKOGNITION_TRAINING_USD_PER_HOUR,
    inferenceUsdPerUnitHour: e.EPOCHAL_REKOGNITION_INFERENCE_USD_PER_UNIT_HOUR,
  };
}
