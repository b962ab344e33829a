import { describe, expect, it } from 'vitest';
import pino from 'pino';
import { trainerJobs, trainerPlugins } from '../../src/trainers/index.js';
import { useTestApp } from '../support/test-app.js';

const app = useTestApp();

describe('the trainer registry', () => {
  const log = pino({ level: 'silent' });
  const files = { importRoots: [], dataDir: '/nonexistent' };

  it('lists each trainer once, with the input field of its settings', () => {
    expect(trainerPlugins.map((t) => [t.kind, t.inputField])).toEqual([['TFJS', 'tfjs'], ['REKOGNITION', 'rekognition']]);
  });

  it('gives a worker TFJS only without EPOCHAL_S3_BUCKET', () => {
    expect(Object.keys(trainerJobs({ services: app.services, log, files, env: {} }))).toEqual(['TFJS']);
  });

  it('adds the Rekognition trainer when a bucket is configured', () => {
    const jobs = trainerJobs({
      services: app.services,
      log,
      files,
      env: { EPOCHAL_S3_BUCKET: 'bucket', AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL_REKOGNITION: 'http://127.0.0.1:9', AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:9', AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'y' },
    });
    expect(Object.keys(jobs)).toEqual(['TFJS', 'REKOGNITION']);
  });

  it('refuses to start with an invalid AWS setting, naming it', () => {
    expect(() => trainerJobs({ services: app.services, log, files, env: { EPOCHAL_S3_BUCKET: 'bucket', EPOCHAL_REKOGNITION_POLL_MS: 'soon' } })).toThrow(/EPOCHAL_REKOGNITION_POLL_MS/);
  });
});
