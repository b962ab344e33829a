import { isUuid } from '../kernel/errors.js';
import type { ProjectService } from '../projects/project.service.js';
import { DEFAULT_PROJECT_ID, type ProjectRecord } from '../projects/project.record.js';
import type { RunService } from '../runs/run.service.js';
import type { RunRecord, RunStatus } from '../runs/run.record.js';
import type { MetricService } from '../metrics/metric.service.js';
import { MAX_SERIES_POINTS } from '../metrics/metric.service.js';
import { alreadyExists, doesNotExist, invalidParameter } from './mlflow-errors.js';
import { filterFromMlflow, orderFromMlflow, STATUS_FROM_MLFLOW } from './mlflow-search.js';
import { metricPoints, parseLogBatch, type Body, optionalString, requiredString } from './mlflow-input.js';

/**
 * MLflow's tracking API over Epochal's model: experiments are projects, runs
 * are EXTERNAL runs, params are run parameters, tags are key/value tags. Every
 * write goes through the same services as GraphQL, so a run logged this way is
 * validated, stored and announced (runEvents) like any other.
 */

const STATUS_TO_MLFLOW: Record<RunStatus, string> = { QUEUED: 'SCHEDULED', RUNNING: 'RUNNING', SUCCEEDED: 'FINISHED', FAILED: 'FAILED', CANCELLED: 'KILLED' };
const MAX_SEARCH_PAGE = 200;

export const experimentIdOf = (projectId: string) => (projectId === DEFAULT_PROJECT_ID ? '0' : projectId);
export const artifactRootOf = (run: RunRecord) => `mlflow-artifacts:/${experimentIdOf(run.projectId)}/${run.id}/artifacts`;

export class MlflowService {
  constructor(
    private readonly projects: ProjectService,
    private readonly runs: RunService,
    private readonly metrics: MetricService,
  ) {}

  // -- experiments ---------------------------------------------------------
  async createExperiment(body: Body) {
    const name = requiredString(body, 'name');
    if (await this.projects.findByName(name)) throw alreadyExists(`Experiment '${name}' already exists.`);
    const project = await this.projects.create(name);
    return { experiment_id: experimentIdOf(project.id) };
  }

  async getExperiment(body: Body) {
    return { experiment: experimentJson(await this.projectOfExperiment(requiredString(body, 'experiment_id'))) };
  }

  async getExperimentByName(body: Body) {
    const name = requiredString(body, 'experiment_name');
    const project = await this.projects.findByName(name);
    if (!project) throw doesNotExist(`Could not find experiment with name '${name}'`);
    return { experiment: experimentJson(project) };
  }

  /** Every project (MLflow's default page is all of them); a filter on the name only. */
  async searchExperiments(body: Body) {
    const filter = optionalString(body, 'filter');
    let projects = await this.projects.list();
    if (filter) {
      const match = /^\s*(?:attributes\.)?name\s*(=|LIKE|ILIKE)\s*'([^']*)'\s*$/i.exec(filter);
      if (!match) throw invalidParameter(`filter: only name = '...' and name LIKE '...' are supported; got "${filter}"`);
      const [, op, value] = match;
      const pattern = new RegExp(`^${value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/%/g, '.*').replace(/_/g, '.')}$`, op.toUpperCase() === 'ILIKE' ? 'i' : '');
      projects = projects.filter((p) => (op === '=' ? p.name === value : pattern.test(p.name)));
    }
    return { experiments: projects.map(experimentJson) };
  }

  // -- runs ----------------------------------------------------------------
  async createRun(body: Body) {
    const project = await this.projectOfExperiment(optionalString(body, 'experiment_id') ?? '0');
    const tags = parseLogBatch({ tags: body.tags ?? [] }).tags;
    const tagValues = Object.fromEntries(tags.map((t) => [t.key, t.value]));
    const userId = optionalString(body, 'user_id');
    if (userId && !tagValues['mlflow.user']) tagValues['mlflow.user'] = userId;
    const name = optionalString(body, 'run_name') ?? tagValues['mlflow.runName'] ?? `run-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    tagValues['mlflow.runName'] = name;
    const run = await this.runs.createExternal({ name, project: project.name }, tagValues);
    return { run: await this.runJson(run) };
  }

  async getRun(body: Body) {
    return { run: await this.runJson(await this.requireRun(body)) };
  }

  /** MLflow's end_run: FINISHED → SUCCEEDED, FAILED, KILLED → CANCELLED; RUNNING changes nothing. */
  async updateRun(body: Body) {
    const run = await this.requireRun(body);
    const status = optionalString(body, 'status');
    if (status == null || status === 'RUNNING' || status === 'SCHEDULED') return { run_info: this.runInfo(run) };
    const to = STATUS_FROM_MLFLOW[status];
    if (!to) throw invalidParameter(`status must be one of ${Object.keys(STATUS_FROM_MLFLOW).join(', ')}; got "${status}"`);
    const finished = await this.runs.finish(run.id, to, to === 'FAILED' ? 'the MLflow client ended the run as FAILED' : null);
    return { run_info: this.runInfo(finished) };
  }

  async logMetric(body: Body) {
    const run = await this.requireRun(body);
    await this.metrics.logMetrics(run.id, metricPoints([body], 'metric'));
    return {};
  }

  async logParam(body: Body) {
    const run = await this.requireRun(body);
    const { params } = parseLogBatch({ params: [{ key: body.key, value: body.value }] });
    await this.runs.logParams(run.id, Object.fromEntries(params.map((p) => [p.key, p.value])));
    return {};
  }

  async setTag(body: Body) {
    const run = await this.requireRun(body);
    await this.runs.setTagValues(run.id, parseLogBatch({ tags: [{ key: body.key, value: body.value }] }).tags);
    return {};
  }

  /** Checked whole first (MLflow's limits included), then params, tags and metrics, each stored whole. */
  async logBatch(body: Body) {
    const run = await this.requireRun(body);
    const batch = parseLogBatch(body);
    const points = metricPoints(batch.metrics, 'metrics');
    if (batch.params.length) await this.runs.logParams(run.id, Object.fromEntries(batch.params.map((p) => [p.key, p.value])));
    if (batch.tags.length) await this.runs.setTagValues(run.id, batch.tags);
    if (points.length) await this.metrics.logMetrics(run.id, points);
    return {};
  }

  async searchRuns(body: Body) {
    const ids = body.experiment_ids ?? [];
    if (!Array.isArray(ids) || ids.length === 0 || ids.some((id) => typeof id !== 'string')) throw invalidParameter('experiment_ids must be a non-empty list of experiment ids');
    const projects = await Promise.all(ids.map((id: string) => this.projectOfExperiment(id)));
    const max = body.max_results == null ? MAX_SEARCH_PAGE : Number(body.max_results);
    if (!Number.isInteger(max) || max < 1) throw invalidParameter(`max_results must be a positive integer; got ${JSON.stringify(body.max_results)}`);
    const filter = { ...filterFromMlflow(optionalString(body, 'filter')), projectIds: projects.map((p) => p.id) };
    const page = await this.runs.page(filter, Math.min(max, MAX_SEARCH_PAGE), optionalString(body, 'page_token'), orderFromMlflow(body.order_by));
    const runs = await this.runsJson(page.edges.map((e) => e.node));
    return page.pageInfo.hasNextPage ? { runs, next_page_token: page.pageInfo.endCursor } : { runs };
  }

  async metricHistory(body: Body) {
    const run = await this.requireRun(body);
    const key = requiredString(body, 'metric_key');
    const series = await this.metrics.series(run.id, key, MAX_SERIES_POINTS, null);
    return { metrics: series.points.map((p) => ({ key, value: p.value, timestamp: p.time.getTime(), step: p.step })) };
  }

  // -- shared ----------------------------------------------------------------
  async requireRun(body: Body): Promise<RunRecord> {
    const given = optionalString(body, 'run_id') ?? optionalString(body, 'run_uuid');
    if (!given) throw invalidParameter("Missing value for required parameter 'run_id'");
    const id = /^[0-9a-f]{32}$/i.test(given) ? given.replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5') : given;
    const run = await this.runs.find(id);
    if (!run) throw doesNotExist(`Run '${given}' not found`);
    return run;
  }

  private async projectOfExperiment(experimentId: string): Promise<ProjectRecord> {
    const id = experimentId === '0' ? DEFAULT_PROJECT_ID : experimentId;
    const project = isUuid(id) ? await this.projects.find(id) : null;
    if (!project) throw doesNotExist(`No Experiment with id=${experimentId} exists`);
    return project;
  }

  runInfo(run: RunRecord) {
    return {
      run_id: run.id,
      run_uuid: run.id,
      run_name: run.name,
      experiment_id: experimentIdOf(run.projectId),
      user_id: run.tagValues['mlflow.user'] ?? '',
      status: STATUS_TO_MLFLOW[run.status],
      start_time: (run.startedAt ?? run.createdAt).getTime(),
      ...(run.finishedAt ? { end_time: run.finishedAt.getTime() } : {}),
      artifact_uri: artifactRootOf(run),
      lifecycle_stage: 'active',
    };
  }

  private async runJson(run: RunRecord) {
    return (await this.runsJson([run]))[0];
  }

  /** Runs as MLflow's Run: info, and data with each metric's latest value, the params and the tags. */
  private async runsJson(runs: RunRecord[]) {
    const ids = runs.map((r) => r.id);
    const [params, summaries] = await Promise.all([this.runs.paramsOfRuns(ids), this.metrics.summariesOfRuns(ids)]);
    return runs.map((run) => ({
      info: this.runInfo(run),
      data: {
        metrics: summaries.filter((s) => s.runId === run.id).map((s) => ({ key: s.key, value: s.last, timestamp: s.lastTime.getTime(), step: s.lastStep })),
        params: params.filter((p) => p.runId === run.id).map((p) => ({ key: p.key, value: p.value })),
        tags: [...Object.entries(run.tagValues).map(([key, value]) => ({ key, value })), ...run.tags.map((label) => ({ key: label, value: '' }))],
      },
      inputs: {},
    }));
  }
}

function experimentJson(project: ProjectRecord) {
  const id = experimentIdOf(project.id);
  const time = project.createdAt.getTime();
  return { experiment_id: id, name: project.name, artifact_location: `mlflow-artifacts:/${id}`, lifecycle_stage: 'active', creation_time: time, last_update_time: time, tags: [] };
}
