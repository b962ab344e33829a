import { createAwsClients, type AwsClients } from '../../src/trainers/rekognition/aws-clients.js';
import { loadRekognitionConfig, type RekognitionConfig } from '../../src/trainers/rekognition/config.js';
import { FakeRekognition, type FakeRekognitionOptions } from './fake-rekognition.js';
import { FAKE_CREDENTIALS, startFakeS3, type FakeS3 } from './fake-s3.js';

export interface RekognitionFakes {
  s3: FakeS3;
  rekognition: FakeRekognition;
  /** The variables a user would set to point Epochal at these fakes. */
  env: Record<string, string>;
  config: RekognitionConfig;
  /** The product's clients (real SDK) pointed at the fakes, with the fakes' credentials. */
  clients: AwsClients;
  stop(): Promise<void>;
}

/**
 * Both fakes on 127.0.0.1, configured exactly as a user would configure
 * Epochal: through environment variables read by loadRekognitionConfig. The
 * SDK's own retries are off (1 attempt) so tests see what the product does.
 */
export async function startRekognitionFakes(
  options: Omit<FakeRekognitionOptions, 's3'> = {},
  env: Record<string, string> = {},
): Promise<RekognitionFakes> {
  const s3 = await startFakeS3();
  const rekognition = await new FakeRekognition({ ...options, s3: s3.client }).start();
  const fullEnv = {
    AWS_REGION: rekognition.region,
    AWS_ENDPOINT_URL_REKOGNITION: rekognition.url,
    AWS_ENDPOINT_URL_S3: s3.endpoint,
    EPOCHAL_S3_BUCKET: s3.bucket,
    EPOCHAL_S3_PREFIX: 'epochal/',
    EPOCHAL_S3_FORCE_PATH_STYLE: 'true',
    EPOCHAL_REKOGNITION_POLL_MS: '2',
    EPOCHAL_REKOGNITION_MAX_POLL_MS: '10',
    EPOCHAL_AWS_MAX_ATTEMPTS: '1',
    ...env,
  };
  const config = loadRekognitionConfig(fullEnv);
  const clients = createAwsClients(config, { credentials: FAKE_CREDENTIALS });
  return {
    s3,
    rekognition,
    env: fullEnv,
    config,
    clients,
    async stop() {
      clients.rekognition.destroy();
      clients.s3.destroy();
      await rekognition.stop();
      await s3.stop();
    },
  };
}
