import { z } from 'zod';
import { badInput } from '../../kernel/errors.js';
import { parseInput } from '../../kernel/validation.js';
import { SPLITS, type Derivation, type Split } from '../dataset.record.js';

export const CORRUPTIONS = ['SPECKLE', 'GAUSSIAN_NOISE', 'BLUR', 'JPEG', 'CONTRAST', 'BRIGHTNESS'] as const;
export type CorruptionKind = (typeof CORRUPTIONS)[number];

const fraction = (field: string) =>
  z.number({ error: `${field} must be a number` }).gt(0, `${field} must be above 0 (it is a share of TRAIN, in (0, 1])`).max(1, `${field} must be at most 1`);

const subsampleSchema = z
  .object({
    fraction: fraction('fraction').nullish(),
    perLabel: z.number().int().min(1, 'perLabel must be at least 1').max(1_000_000).nullish(),
  })
  .refine((s) => (s.fraction == null) !== (s.perLabel == null), 'give exactly one of fraction and perLabel');
const classImbalanceSchema = z.object({
  label: z.string().trim().min(1, 'label must not be empty').max(200),
  keepFraction: fraction('keepFraction'),
});
const labelNoiseSchema = z.object({
  rate: z.number().min(0, 'rate must be at least 0').lt(1, 'rate must be below 1 (a share of TRAIN images, in [0, 1))'),
});
const corruptionSchema = z.object({
  kind: z.enum(CORRUPTIONS),
  severity: z.number().int('severity must be a whole number').min(1, 'severity must be from 1 to 5').max(5, 'severity must be from 1 to 5'),
  splits: z
    .array(z.enum(SPLITS as [Split, ...Split[]]))
    .min(1, 'splits must name at least one split')
    .nullish()
    .transform((splits) => SPLITS.filter((s) => (splits ?? ['TEST']).includes(s))),
});

export const deriveInputSchema = z.object({
  parentId: z.string().nullish(),
  name: z.string().trim().min(1, 'name must not be empty').max(200, 'name must be at most 200 characters').nullish(),
  seed: z.number().int('seed must be a whole number').nullish().transform((v) => v ?? 1),
  subsample: subsampleSchema.nullish(),
  classImbalance: classImbalanceSchema.nullish(),
  labelNoise: labelNoiseSchema.nullish(),
  corruption: corruptionSchema.nullish(),
});

/** A checked DeriveDatasetInput: its parent, an optional name, and the one derivation it asks for. */
export interface DeriveRequest {
  parentId: string | null;
  name: string | null;
  derivation: Derivation;
}

const KINDS = { subsample: 'SUBSAMPLE', classImbalance: 'CLASS_IMBALANCE', labelNoise: 'LABEL_NOISE', corruption: 'CORRUPTION' } as const;

/** Parses a DeriveDatasetInput; BAD_USER_INPUT unless exactly one transformation is given and valid. */
export function parseDeriveInput(input: unknown, prefix = 'input'): DeriveRequest {
  const parsed = parseInput(deriveInputSchema, input, prefix);
  const given = (Object.keys(KINDS) as (keyof typeof KINDS)[]).filter((key) => parsed[key] != null);
  if (given.length !== 1) {
    throw badInput(`${prefix}: give exactly one of subsample, classImbalance, labelNoise, corruption; got ${given.length ? given.join(' and ') : 'none'}`);
  }
  const key = given[0];
  // Params hold only what was asked (no nulls), in a fixed key order: they identify the child.
  const raw = parsed[key] as Record<string, unknown>;
  const params = Object.fromEntries(Object.keys(raw).sort().filter((k) => raw[k] != null).map((k) => [k, raw[k]]));
  return { parentId: parsed.parentId || null, name: parsed.name ?? null, derivation: { kind: KINDS[key], params, seed: parsed.seed } };
}

/** "subsample 25%", "label noise 0.2", "corruption BLUR 3": a derivation in a few words, for names. */
export function describeDerivation(derivation: Derivation): string {
  const p = derivation.params;
  switch (derivation.kind) {
    case 'SUBSAMPLE':
      return p.fraction != null ? `subsample ${percent(p.fraction as number)}` : `subsample ${p.perLabel} per label`;
    case 'CLASS_IMBALANCE':
      return `${p.label} kept ${percent(p.keepFraction as number)}`;
    case 'LABEL_NOISE':
      return `label noise ${p.rate}`;
    case 'CORRUPTION':
      return `${String(p.kind).toLowerCase().replace('_', ' ')} ${p.severity}${(p.splits as string[]).join(',') === 'TEST' ? '' : ` on ${(p.splits as string[]).join('+')}`}`;
  }
}

function percent(value: number): string {
  return `${Math.round(value * 10_000) / 100}%`;
}
