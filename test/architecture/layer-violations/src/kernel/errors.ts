import { runs } from '../runs/run.service.js';

/** Kernel code that reaches up into a domain. */
export const kernelValue = runs;
