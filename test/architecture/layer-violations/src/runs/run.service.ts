import { server } from '../graphql/server.js';
import { job } from '../trainers/tfjs/job.js';

/** A domain service that imports transport and a trainer. */
export const runs = server + job;
