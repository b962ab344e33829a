/**
 * Turns what AWS said into an error a user can act on: the operation, the
 * service's own message, and what to check. Also decides which errors are
 * worth retrying (throttling, 5xx, dropped connections).
 */

export interface AwsErrorContext {
  /** e.g. "CreateProject" or "PutObject". */
  operation: string;
  /** What the trainer was doing, e.g. "creating the project epochal-oct". */
  doing: string;
  bucket: string;
  region: string | null;
}

/** The run ended because a user cancelled it; the worker marks it CANCELLED. */
export class RekognitionCancelledError extends Error {
  override readonly name = 'CancelledError';
  readonly cancelled = true;
  constructor(message = 'cancelled by a user') {
    super(message);
  }
}

/** An error from AWS (or about AWS), already explained. `code` is AWS's error name. */
export class RekognitionTrainerError extends Error {
  override readonly name = 'RekognitionTrainerError';
  constructor(message: string, readonly code: string | null = null, options?: { cause?: unknown }) {
    super(message, options);
  }
}

const THROTTLING = new Set([
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'TooManyRequestsException',
  'ProvisionedThroughputExceededException',
  'LimitExceededException',
  'RequestLimitExceeded',
  'SlowDown',
]);
const TRANSIENT = new Set(['InternalServerError', 'InternalError', 'ServiceUnavailable', 'RequestTimeout', 'RequestTimeoutException']);
const NETWORK = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'TimeoutError']);

interface SdkLikeError {
  name?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
  $retryable?: { throttling?: boolean };
}

export function awsErrorName(error: unknown): string {
  const e = error as SdkLikeError;
  return e?.name && e.name !== 'Error' ? e.name : (e?.code ?? 'Error');
}

export function isThrottling(error: unknown): boolean {
  const e = error as SdkLikeError;
  return THROTTLING.has(awsErrorName(error)) || e?.$retryable?.throttling === true || e?.$metadata?.httpStatusCode === 429;
}

/** Throttling, a 5xx, or a dropped connection: the same call may succeed later. */
export function isRetryable(error: unknown): boolean {
  const e = error as SdkLikeError;
  const name = awsErrorName(error);
  const status = e?.$metadata?.httpStatusCode ?? 0;
  return isThrottling(error) || TRANSIENT.has(name) || status >= 500 || NETWORK.has(name) || NETWORK.has(e?.code ?? '');
}

/** What the user should check, by AWS error name (or HTTP status for S3's bare 403/404). */
function hintFor(name: string, status: number | undefined, ctx: AwsErrorContext): string {
  const where = `s3://${ctx.bucket}`;
  const region = ctx.region ?? '(the SDK default; set AWS_REGION)';
  switch (name) {
    case 'AccessDeniedException':
    case 'AccessDenied':
    case 'Forbidden':
    case 'UnrecognizedClientException':
    case 'InvalidSignatureException':
    case 'SignatureDoesNotMatch':
    case 'InvalidAccessKeyId':
    case 'ExpiredToken':
    case 'ExpiredTokenException':
      return `check the credentials and their IAM permissions: rekognition:${ctx.operation.startsWith('Get') || ctx.operation.startsWith('Put') || ctx.operation.startsWith('Head') ? '*' : ctx.operation} on the project, and s3:PutObject/s3:GetObject/s3:ListBucket on ${where} (without ListBucket S3 answers 403 for a missing object; KMS grants if the bucket uses SSE-KMS)`;
    case 'CredentialsProviderError':
      return 'no AWS credentials were found: set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE, or run with an IAM role';
    case 'NoSuchBucket':
    case 'PermanentRedirect':
    case 'AuthorizationHeaderMalformed':
    case 'IllegalLocationConstraintException':
      return `check that the bucket ${ctx.bucket} (EPOCHAL_S3_BUCKET) exists and is in region ${region}, the region Rekognition runs in`;
    case 'InvalidS3ObjectException':
    case 'NoSuchKey':
      return `check that the object exists in ${where}, that the bucket is in region ${region}, and that the caller may read it`;
    case 'ResourceNotFoundException':
      return `check that the project or model still exists and that AWS_REGION (${region}) is the region it was created in`;
    case 'ResourceInUseException':
    case 'ResourceAlreadyExistsException':
      return 'another operation is using this project or model (a training, a dataset update, a running model): wait for it to finish or choose another projectName/versionName';
    case 'LimitExceededException':
    case 'ServiceQuotaExceededException':
      return `check your Rekognition Custom Labels quotas in region ${region} (Service Quotas console: projects, concurrent trainings, running models) or stop models you no longer use`;
    case 'ThrottlingException':
    case 'ProvisionedThroughputExceededException':
      return 'AWS kept throttling after repeated retries: try again later or ask for a higher request quota';
    case 'InvalidImageFormatException':
    case 'ImageTooLargeException':
      return 'images must be PNG or JPEG, 64-4096 px per side, at most 15 MB in S3 (4 MB when sent as bytes)';
    case 'InvalidParameterException':
    case 'ValidationException':
      return 'check the project/version names (1-255 letters, digits, "_", "." or "-") and the run configuration';
    case 'InternalServerError':
      return 'Amazon Rekognition had an internal error: try the run again';
    default:
      if (/region/i.test(name)) return 'set AWS_REGION to the region of your bucket and Rekognition';
      if (NETWORK.has(name)) return 'check the network and the endpoint (AWS_ENDPOINT_URL_REKOGNITION / AWS_ENDPOINT_URL_S3 if set)';
      if (status === 403) return `check the IAM permissions on ${where} and that the bucket is in region ${region}`;
      if (status === 404) return `check that ${where} exists in region ${region}`;
      if (status === 301) return `the bucket ${ctx.bucket} is in another region than ${region}: set AWS_REGION to the bucket's region`;
      return `check the AWS credentials, permissions, the bucket ${ctx.bucket} and the region ${region}`;
  }
}

/** Wraps any failure of an AWS call into a RekognitionTrainerError whose message says what AWS said and what to check. */
export function explainAwsError(error: unknown, ctx: AwsErrorContext): Error {
  if (error instanceof RekognitionCancelledError || error instanceof RekognitionTrainerError) return error;
  const e = error as SdkLikeError;
  const name = awsErrorName(error);
  const status = e?.$metadata?.httpStatusCode;
  const said = (e?.message || '').trim() || (status ? `HTTP ${status}` : 'no message');
  const message = `${ctx.operation} failed while ${ctx.doing}: ${name}: ${said.replace(/\.?$/, '.')} What to check: ${hintFor(name, status, ctx)}.`;
  return new RekognitionTrainerError(message, name, { cause: error });
}

/** Known TRAINING_FAILED messages and what the user should do about each. */
export function explainTrainingFailure(statusMessage: string | undefined, ctx: { bucket: string; prefix: string; region: string | null }): string {
  const said = statusMessage?.trim() || 'Amazon Rekognition gave no reason.';
  const output = `s3://${ctx.bucket}/${ctx.prefix}output/`;
  const checks: [RegExp, string][] = [
    [/write to output/i, `let the caller (and Rekognition) write to ${output}`],
    [/permissions/i, `check the bucket policy and IAM permissions on s3://${ctx.bucket} (s3:GetObject, s3:PutObject; KMS grants for SSE-KMS)`],
    [/too few labels/i, 'the TRAIN and TEST splits each need images of at least 2 labels'],
    [/copy images/i, `check that s3://${ctx.bucket} is in the same region as Rekognition (${ctx.region ?? 'AWS_REGION'}) and readable by the caller`],
    [/manifest file is empty/i, 'the dataset has no usable images in a split'],
    [/invalid rows/i, 'some images were rejected: use PNG/JPEG images of 64-4096 px per side'],
    [/stopped/i, 'the training was stopped before it finished'],
  ];
  const hint = checks.find(([re]) => re.test(said))?.[1] ?? `check the datasets, the bucket s3://${ctx.bucket} and its region, and the Custom Labels quotas`;
  return `Amazon Rekognition training failed: ${said.replace(/\.?$/, '.')} What to check: ${hint}.`;
}
