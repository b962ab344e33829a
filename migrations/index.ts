import { InitialSchema1764115200000 } from './1764115200000-initial-schema.js';
import { RunHeartbeats1764201600000 } from './1764201600000-run-heartbeats.js';
import { ApiKeys1764288000000 } from './1764288000000-api-keys.js';
import { RunOutputs1764374400000 } from './1764374400000-run-outputs.js';
import { MetricRollups1764460800000 } from './1764460800000-metric-rollups.js';
import { EventPayloadsAsJson1764547200000 } from './1764547200000-event-payloads-as-json.js';
import { RunNotes1764633600000 } from './1764633600000-run-notes.js';

/** Every migration, in order: listed explicitly so bundlers and test runners find them. */
export const migrations = [InitialSchema1764115200000, RunHeartbeats1764201600000, ApiKeys1764288000000, RunOutputs1764374400000, MetricRollups1764460800000, EventPayloadsAsJson1764547200000, RunNotes1764633600000];
