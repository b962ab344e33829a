import type { DataSource } from 'typeorm';
import type { SqlRunner } from '../kernel/sql.js';
import type { AlertRecord, AlertRule, DeploymentRecord, DeploymentStatus, MonitorReference, PredictionRecord, WindowRecord } from './deployment.record.js';

const DEPLOYMENT = `id, name, run_id AS "runId", trainer, status, error, labels, window_size AS "windowSize", alert_rules AS "alertRules",
  reference, prediction_count AS "predictionCount", cost_per_hour_usd AS "costPerHourUsd", created_at AS "createdAt",
  active_since AS "activeSince", stopped_at AS "stoppedAt"`;
const PREDICTION = `p.id, p.deployment_id AS "deploymentId", p.seq, d.window_size AS "windowSize", p.uri, p.content_hash AS "contentHash", d.labels, p.label, p.confidence,
  p.scores, p.mean_intensity AS "meanIntensity", p.contrast, p.sharpness, p.truth, p.created_at AS "createdAt"`;
const WINDOW = `w.deployment_id AS "deploymentId", w.index, d.labels, w.start_time AS "start", w.end_time AS "end", w.predictions,
  w.predicted_share AS "predictedShare", w.mean_confidence AS "meanConfidence", w.predicted_class_psi AS "predictedClassPsi",
  w.input_drift AS "inputDrift", w.macro_f1 AS "macroF1"`;
const ALERT = `id, deployment_id AS "deploymentId", rule_index AS "ruleIndex", metric, window_index AS "window", value, threshold, created_at AS "createdAt"`;

export interface NewDeployment {
  name: string;
  runId: string;
  trainer: string;
  labels: string[];
  windowSize: number;
  alertRules: AlertRule[];
}

export interface NewPrediction {
  seq: number;
  uri: string | null;
  contentHash: string;
  label: string;
  confidence: number;
  scores: number[];
  meanIntensity: number;
  contrast: number;
  sharpness: number;
}

/** The only code with SQL on deployments, predictions, monitor windows and alerts. */
export class DeploymentRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(tx: SqlRunner, d: NewDeployment): Promise<DeploymentRecord> {
    const [row] = await tx.query(
      `/* insertDeployment */ INSERT INTO deployments (name, run_id, trainer, status, labels, window_size, alert_rules)
       VALUES ($1, $2, $3, 'STARTING', $4::text[], $5, $6::jsonb) RETURNING ${DEPLOYMENT}`,
      [d.name, d.runId, d.trainer, d.labels, d.windowSize, JSON.stringify(d.alertRules)],
    );
    return row;
  }

  findByIds(ids: readonly string[], runner: SqlRunner = this.dataSource): Promise<DeploymentRecord[]> {
    return runner.query(`/* findDeployments */ SELECT ${DEPLOYMENT} FROM deployments WHERE id = ANY($1::uuid[])`, [ids]);
  }

  /** The row locked for this transaction: predictions and truths of one deployment are written one transaction at a time. */
  async lock(tx: SqlRunner, id: string): Promise<DeploymentRecord | null> {
    const rows = await tx.query(`/* lockDeployment */ SELECT ${DEPLOYMENT} FROM deployments WHERE id = $1 FOR UPDATE`, [id]);
    return rows[0] ?? null;
  }

  list(): Promise<DeploymentRecord[]> {
    return this.dataSource.query(`/* listDeployments */ SELECT ${DEPLOYMENT} FROM deployments ORDER BY seq DESC`);
  }

  withStatus(statuses: readonly DeploymentStatus[]): Promise<DeploymentRecord[]> {
    return this.dataSource.query(`/* deploymentsWithStatus */ SELECT ${DEPLOYMENT} FROM deployments WHERE status = ANY($1::text[]) ORDER BY seq`, [statuses]);
  }

  ofRun(tx: SqlRunner, runId: string, statuses: readonly DeploymentStatus[]): Promise<DeploymentRecord[]> {
    return tx.query(`/* deploymentsOfRun */ SELECT ${DEPLOYMENT} FROM deployments WHERE run_id = $1 AND status = ANY($2::text[])`, [runId, statuses]);
  }

  /** Moves a deployment from one of `from` to `to`; null when it was in another state. */
  async transition(
    tx: SqlRunner,
    id: string,
    from: readonly DeploymentStatus[],
    to: DeploymentStatus,
    fields: { error?: string | null; reference?: MonitorReference; costPerHourUsd?: number | null } = {},
  ): Promise<DeploymentRecord | null> {
    const rows = await tx.query(
      `/* transitionDeployment */ WITH updated AS (UPDATE deployments SET status = $3, error = $4,
         reference = COALESCE($5::jsonb, reference), cost_per_hour_usd = COALESCE($6, cost_per_hour_usd),
         active_since = CASE WHEN $3 = 'ACTIVE' THEN now() ELSE active_since END,
         stopped_at = CASE WHEN $3 IN ('STOPPED', 'FAILED') THEN now() ELSE NULL END
       WHERE id = $1 AND status = ANY($2::text[]) RETURNING *)
       SELECT ${DEPLOYMENT} FROM updated`,
      [id, from, to, fields.error ?? null, fields.reference ? JSON.stringify(fields.reference) : null, fields.costPerHourUsd ?? null],
    );
    return rows[0] ?? null;
  }

  async setPredictionCount(tx: SqlRunner, id: string, count: number): Promise<void> {
    await tx.query(`/* setPredictionCount */ UPDATE deployments SET prediction_count = $2 WHERE id = $1`, [id, count]);
  }

  predictionsByHash(runner: SqlRunner, deploymentId: string, hashes: readonly string[]): Promise<PredictionRecord[]> {
    return runner.query(
      `/* predictionsByHash */ SELECT ${PREDICTION} FROM predictions p JOIN deployments d ON d.id = p.deployment_id
       WHERE p.deployment_id = $1 AND p.content_hash = ANY($2::text[])`,
      [deploymentId, hashes],
    );
  }

  async insertPredictions(tx: SqlRunner, deploymentId: string, rows: readonly NewPrediction[]): Promise<void> {
    if (rows.length === 0) return;
    const col = <K extends keyof NewPrediction>(key: K) => rows.map((r) => r[key]);
    await tx.query(
      `/* insertPredictions */ INSERT INTO predictions (deployment_id, seq, uri, content_hash, label, confidence, scores, mean_intensity, contrast, sharpness)
       SELECT $1, t.seq, t.uri, t.hash, t.label, t.confidence, ARRAY(SELECT jsonb_array_elements_text(t.scores)::float8), t.mean, t.contrast, t.sharpness
       FROM unnest($2::int[], $3::text[], $4::text[], $5::text[], $6::float8[], $7::jsonb[], $8::float8[], $9::float8[], $10::float8[])
         AS t(seq, uri, hash, label, confidence, scores, mean, contrast, sharpness)`,
      [deploymentId, col('seq'), col('uri'), col('contentHash'), col('label'), col('confidence'), rows.map((r) => JSON.stringify(r.scores)),
        col('meanIntensity'), col('contrast'), col('sharpness')],
    );
  }

  /** Predictions with seq in [from, to), in seq order. */
  predictionsInRange(runner: SqlRunner, deploymentId: string, from: number, to: number): Promise<PredictionRecord[]> {
    return runner.query(
      `/* predictionsInRange */ SELECT ${PREDICTION} FROM predictions p JOIN deployments d ON d.id = p.deployment_id
       WHERE p.deployment_id = $1 AND p.seq >= $2 AND p.seq < $3 ORDER BY p.seq`,
      [deploymentId, from, to],
    );
  }

  /** Newest first, `limit` predictions below `beforeSeq`. */
  pagePredictions(deploymentId: string, limit: number, beforeSeq: number | null): Promise<PredictionRecord[]> {
    return this.dataSource.query(
      `/* pagePredictions */ SELECT ${PREDICTION} FROM predictions p JOIN deployments d ON d.id = p.deployment_id
       WHERE p.deployment_id = $1 AND ($3::int IS NULL OR p.seq < $3) ORDER BY p.seq DESC LIMIT $2`,
      [deploymentId, limit, beforeSeq],
    );
  }

  /** Sets truths; answers the rows changed (predictions of other deployments are untouched). */
  setTruths(tx: SqlRunner, deploymentId: string, truths: readonly { predictionId: string; label: string }[]): Promise<{ id: string; seq: number }[]> {
    return tx.query(
      `/* setTruths */ WITH updated AS (UPDATE predictions p SET truth = t.label, truth_at = now()
         FROM unnest($2::uuid[], $3::text[]) AS t(id, label) WHERE p.id = t.id AND p.deployment_id = $1 RETURNING p.id, p.seq)
       SELECT id, seq FROM updated`,
      [deploymentId, truths.map((t) => t.predictionId), truths.map((t) => t.label)],
    );
  }

  /** (seq, predicted, truth) of predictions with a truth and seq below `to`. */
  truthsBelow(runner: SqlRunner, deploymentId: string, to: number): Promise<{ seq: number; label: string; truth: string }[]> {
    return runner.query(
      `/* truthsOfDeployment */ SELECT seq, label, truth FROM predictions WHERE deployment_id = $1 AND truth IS NOT NULL AND seq < $2 ORDER BY seq`,
      [deploymentId, to],
    );
  }

  async insertWindow(tx: SqlRunner, w: Omit<WindowRecord, 'labels'>): Promise<void> {
    await tx.query(
      `/* insertWindow */ INSERT INTO monitor_windows (deployment_id, index, start_time, end_time, predictions, predicted_share,
         mean_confidence, predicted_class_psi, input_drift, macro_f1)
       VALUES ($1, $2, $3, $4, $5, $6::float8[], $7, $8, $9, $10)`,
      [w.deploymentId, w.index, w.start, w.end, w.predictions, w.predictedShare, w.meanConfidence, w.predictedClassPsi, w.inputDrift, w.macroF1],
    );
  }

  async setWindowMacroF1(tx: SqlRunner, deploymentId: string, index: number, macroF1: number | null): Promise<void> {
    await tx.query(`/* setWindowMacroF1 */ UPDATE monitor_windows SET macro_f1 = $3 WHERE deployment_id = $1 AND index = $2`, [deploymentId, index, macroF1]);
  }

  /** The last `last` closed windows (all with null), oldest first. */
  windows(deploymentId: string, last: number | null, runner: SqlRunner = this.dataSource): Promise<WindowRecord[]> {
    return runner.query(
      `/* windowsOfDeployment */ SELECT * FROM (SELECT ${WINDOW} FROM monitor_windows w JOIN deployments d ON d.id = w.deployment_id
         WHERE w.deployment_id = $1 ORDER BY w.index DESC LIMIT $2) recent ORDER BY index`,
      [deploymentId, last],
    );
  }

  windowsByIndex(runner: SqlRunner, deploymentId: string, indexes: readonly number[]): Promise<WindowRecord[]> {
    return runner.query(
      `/* windowsByIndex */ SELECT ${WINDOW} FROM monitor_windows w JOIN deployments d ON d.id = w.deployment_id
       WHERE w.deployment_id = $1 AND w.index = ANY($2::int[]) ORDER BY w.index`,
      [deploymentId, indexes],
    );
  }

  /** Stores an alert once per rule and window; null when it was already raised. */
  async insertAlert(tx: SqlRunner, a: Omit<AlertRecord, 'id' | 'createdAt'>): Promise<AlertRecord | null> {
    const rows = await tx.query(
      `/* insertAlert */ INSERT INTO deployment_alerts (deployment_id, rule_index, metric, window_index, value, threshold)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT ON CONSTRAINT deployment_alerts_once DO NOTHING RETURNING ${ALERT}`,
      [a.deploymentId, a.ruleIndex, a.metric, a.window, a.value, a.threshold],
    );
    return rows[0] ?? null;
  }

  alerts(deploymentId: string): Promise<AlertRecord[]> {
    return this.dataSource.query(`/* alertsOfDeployment */ SELECT ${ALERT} FROM deployment_alerts WHERE deployment_id = $1 ORDER BY window_index, rule_index`, [deploymentId]);
  }
}
