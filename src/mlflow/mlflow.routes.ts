import { createReadStream } from 'node:fs';
import express from 'express';
import type { Logger } from 'pino';
import type { Authorize } from '../kernel/served-files.js';
import { resolveInsideRoots } from '../kernel/served-files.js';
import { invalidParameter, MlflowError, mlflowErrorOf } from './mlflow-errors.js';
import type { Body } from './mlflow-input.js';
import type { MlflowArtifacts } from './mlflow-artifacts.js';
import type { MlflowService } from './mlflow.service.js';

export interface MlflowRouteOptions {
  mlflow: MlflowService;
  artifacts: MlflowArtifacts;
  log: Logger;
  roots: readonly string[];
  authorize: Authorize;
  authorizeWrite: Authorize;
}

const API = '/api/2.0/mlflow';
const ARTIFACTS = '/api/2.0/mlflow-artifacts/artifacts';
/** MLflow's own request limit (log-batch says "up to 1 MB"). */
const MAX_JSON_BYTES = 1024 * 1024;

type Handler = (body: Body, req: express.Request, res: express.Response) => Promise<unknown>;

/**
 * The MLflow tracking REST API (2.0) that training scripts call, under
 * /api/2.0/mlflow/ and /api/2.0/mlflow-artifacts/. Requests are checked like
 * any API call (MLFLOW_TRACKING_TOKEN arrives as a Bearer key: read scope for
 * reads, write scope for writes) and answered in MLflow's shapes, errors as
 * `{ error_code, message }`.
 */
export function mlflowRouter(options: MlflowRouteOptions): express.Router {
  const { mlflow } = options;
  const router = express.Router();
  const json = express.json({ limit: MAX_JSON_BYTES });

  const route = (scope: 'read' | 'write', handler: Handler): express.RequestHandler => async (req, res) => {
    try {
      await (scope === 'write' ? options.authorizeWrite : options.authorize)(req);
      const body: Body = req.method === 'GET' ? { ...req.query } : (req.body ?? {});
      const answer = await handler(body, req, res);
      if (!res.headersSent) res.json(answer ?? {});
    } catch (error) {
      answerError(options.log, res, error);
    }
  };
  const read = (path: string, handler: Handler) => router.get(`${API}${path}`, route('read', handler));
  const write = (path: string, handler: Handler) => router.post(`${API}${path}`, json, route('write', handler));

  write('/experiments/create', (b) => mlflow.createExperiment(b));
  read('/experiments/get', (b) => mlflow.getExperiment(b));
  read('/experiments/get-by-name', (b) => mlflow.getExperimentByName(b));
  router.post(`${API}/experiments/search`, json, route('read', (b) => mlflow.searchExperiments(b)));
  read('/experiments/search', (b) => mlflow.searchExperiments(b));
  read('/experiments/list', (b) => mlflow.searchExperiments(b)); // MLflow 1.x's name for it

  write('/runs/create', (b) => mlflow.createRun(b));
  read('/runs/get', (b) => mlflow.getRun(b));
  write('/runs/update', (b) => mlflow.updateRun(b));
  write('/runs/log-metric', (b) => mlflow.logMetric(b));
  write('/runs/log-parameter', (b) => mlflow.logParam(b));
  write('/runs/set-tag', (b) => mlflow.setTag(b));
  write('/runs/log-batch', (b) => mlflow.logBatch(b));
  router.post(`${API}/runs/search`, json, route('read', (b) => mlflow.searchRuns(b)));
  read('/metrics/get-history', (b) => mlflow.metricHistory(b));
  read('/artifacts/list', async (b) => {
    const run = await mlflow.requireRun(b);
    const root = mlflow.runInfo(run).artifact_uri;
    const files = await options.artifacts.list(run, typeof b.path === 'string' ? b.path : '');
    return { root_uri: root, files };
  });

  // The proxied artifact store: PUT uploads, GET downloads a file or (no path) lists a folder.
  router.put(`${ARTIFACTS}/*artifactPath`, route('write', async (_b, req) => {
    await options.artifacts.upload(artifactPathOf(req), req);
    return {};
  }));
  router.get(`${ARTIFACTS}/*artifactPath`, route('read', async (_b, req, res) => {
    const file = await resolveInsideRoots(await options.artifacts.fileOf(artifactPathOf(req)), options.roots);
    res.setHeader('content-type', 'application/octet-stream');
    res.setHeader('x-content-type-options', 'nosniff');
    await new Promise<void>((resolve, reject) => createReadStream(file).on('error', reject).on('end', resolve).pipe(res));
  }));
  router.get(ARTIFACTS, route('read', async (b) => {
    const listed = typeof b.path === 'string' ? b.path : '';
    const { run, relative } = await options.artifacts.locate(listed);
    const files = await options.artifacts.list(run, relative);
    // Paths relative to the listed folder, as MLflow's artifact server answers them.
    return { files: files.map((f) => ({ ...f, path: relative ? f.path.slice(relative.replace(/\/+$/, '').length + 1) : f.path })) };
  }));

  // Bodies that never reached a handler (bad JSON, too large), and unknown MLflow endpoints.
  router.use([API, ARTIFACTS], (error: { type?: string; status?: number }, _req: express.Request, res: express.Response, next: express.NextFunction) => {
    if (error.type === 'entity.parse.failed') answerError(options.log, res, invalidParameter('the request body is not valid JSON (NaN and Infinity are not JSON)'));
    else if (error.type === 'entity.too.large') answerError(options.log, res, invalidParameter(`the request body is larger than MLflow's limit of ${MAX_JSON_BYTES} bytes`));
    else next(error);
  });
  router.all(`${API}/*rest`, (req, res) => {
    answerError(options.log, res, new MlflowError('ENDPOINT_NOT_FOUND', `${req.method} ${req.path} is not part of the MLflow API this server offers (docs/mlflow.md lists it)`, 404));
  });
  return router;
}

function artifactPathOf(req: express.Request): string {
  const parts = req.params.artifactPath as unknown as string[] | string;
  return Array.isArray(parts) ? parts.join('/') : String(parts);
}

function answerError(log: Logger, res: express.Response, error: unknown): void {
  const mapped = mlflowErrorOf(error);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (!mapped) {
    log.error({ err: error }, 'MLflow API request failed');
    res.status(500).json({ error_code: 'INTERNAL_ERROR', message: 'internal server error; the server log has the details' });
    return;
  }
  res.status(mapped.status).json({ error_code: mapped.errorCode, message: mapped.message });
}
