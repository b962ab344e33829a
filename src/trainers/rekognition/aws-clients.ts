import { RekognitionClient } from '@aws-sdk/client-rekognition';
import { S3Client } from '@aws-sdk/client-s3';
import type { RekognitionConfig } from './config.js';

export interface AwsClients {
  rekognition: RekognitionClient;
  s3: S3Client;
}

/**
 * The real SDK clients. Credentials come from the SDK's default chain; the
 * endpoints, when set, point at an S3-compatible store or a local fake.
 */
export function createAwsClients(config: RekognitionConfig, extra: { credentials?: { accessKeyId: string; secretAccessKey: string } } = {}): AwsClients {
  const common = {
    ...(config.region ? { region: config.region } : {}),
    maxAttempts: config.sdkMaxAttempts,
    // Only for tests against local fakes; the product uses the default chain.
    ...(extra.credentials ? { credentials: extra.credentials } : {}),
  };
  const rekognition = new RekognitionClient({
    ...common,
    ...(config.rekognitionEndpoint ? { endpoint: config.rekognitionEndpoint } : {}),
  });
  const s3 = new S3Client({
    ...common,
    ...(config.s3Endpoint
      ? {
          endpoint: config.s3Endpoint,
          // S3-compatible stores often reject the CRC32 checksum headers the SDK sends by default since 3.729.
          requestChecksumCalculation: 'WHEN_REQUIRED' as const,
          responseChecksumValidation: 'WHEN_REQUIRED' as const,
        }
      : {}),
    forcePathStyle: config.forcePathStyle,
  });
  return { rekognition, s3 };
}
