import { describe, expect, it } from 'vitest';
import pino from 'pino';
import { registerConfiguredTrainers } from '../../../src/training/worker/configured-trainers.js';
import type { TrainingWorker } from '../../../src/training/worker/training-worker.js';
import { useTestApp } from '../../support/test-app.js';

const app = useTestApp();

function recordingWorker() {
  const registered: string[] = [];
  const worker = { register: (kind: string) => void registered.push(kind) } as unknown as TrainingWorker;
  return { worker, registered };
}

describe('registerConfiguredTrainers', () => {
  const log = pino({ level: 'silent' });

  it('registers nothing for REKOGNITION without EPOCHAL_S3_BUCKET', () => {
    const { worker, registered } = recordingWorker();
    registerConfiguredTrainers(worker, { services: app.services, log, env: {} });
    expect(registered).toEqual([]);
  });

  it('registers the Rekognition trainer when a bucket is configured', () => {
    const { worker, registered } = recordingWorker();
    registerConfiguredTrainers(worker, {
      services: app.services,
      log,
      env: { EPOCHAL_S3_BUCKET: 'bucket', AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL_REKOGNITION: 'http://127.0.0.1:9', AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:9', AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'y' },
    });
    expect(registered).toEqual(['REKOGNITION']);
  });

  it('refuses to start with an invalid AWS setting, naming it', () => {
    const { worker } = recordingWorker();
    expect(() => registerConfiguredTrainers(worker, { services: app.services, log, env: { EPOCHAL_S3_BUCKET: 'bucket', EPOCHAL_REKOGNITION_POLL_MS: 'soon' } })).toThrow(/EPOCHAL_REKOGNITION_POLL_MS/);
  });
});
