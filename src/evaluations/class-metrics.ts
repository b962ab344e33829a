/** Per-class metrics as the paper reported them, derived from a confusion matrix. */
export interface ClassMetrics {
  label: string;
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export interface DerivedMetrics {
  perClass: ClassMetrics[];
  accuracy: number;
  macroF1: number;
  testImages: number;
}

/**
 * Rows are true labels, columns predictions. A class never predicted has
 * precision 0, a class with no images recall 0 (sklearn's zero_division=0),
 * so every number is finite.
 */
export function deriveClassMetrics(labels: string[], matrix: number[][]): DerivedMetrics {
  const n = labels.length;
  let total = 0;
  let correct = 0;
  const perClass = labels.map((label, i) => {
    const support = matrix[i].reduce((a, b) => a + b, 0);
    let predicted = 0;
    for (let r = 0; r < n; r++) predicted += matrix[r][i];
    const tp = matrix[i][i];
    total += support;
    correct += tp;
    const precision = predicted === 0 ? 0 : tp / predicted;
    const recall = support === 0 ? 0 : tp / support;
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    return { label, precision, recall, f1, support };
  });
  const macroF1 = n === 0 ? 0 : perClass.reduce((sum, c) => sum + c.f1, 0) / n;
  return { perClass, accuracy: total === 0 ? 0 : correct / total, macroF1, testImages: total };
}

/** Why a matrix cannot be stored, or null when it is square, labelled and non-negative. */
export function confusionMatrixProblem(labels: string[], matrix: number[][]): string | null {
  if (labels.length === 0) return 'labels must not be empty';
  if (new Set(labels).size !== labels.length) return `labels must be unique; repeated: ${labels.filter((l, i) => labels.indexOf(l) !== i).join(', ')}`;
  if (labels.some((l) => l.trim() === '')) return 'labels must not be blank';
  if (matrix.length !== labels.length) return `confusionMatrix has ${matrix.length} rows; expected ${labels.length} (one per label)`;
  for (let r = 0; r < matrix.length; r++) {
    if (matrix[r].length !== labels.length) return `confusionMatrix row ${r} (${labels[r]}) has ${matrix[r].length} cells; expected ${labels.length}`;
    const bad = matrix[r].findIndex((v) => !Number.isInteger(v) || v < 0);
    if (bad >= 0) return `confusionMatrix[${r}][${bad}] is ${matrix[r][bad]}; counts must be integers >= 0`;
  }
  return null;
}
