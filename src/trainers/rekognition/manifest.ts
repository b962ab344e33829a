import type { UploadedImage } from './image-upload.js';

/** The label attribute's name in our manifests; free-form for Ground Truth, fixed here. */
export const LABEL_ATTRIBUTE = 'epochal-class';

export interface ManifestBuild {
  /** JSON Lines, one image per line, newline-terminated. */
  body: string;
  lines: number;
  /** Images left out because their bytes (hence source-ref) repeat in this split. */
  duplicates: { uri: string; sameAs: string }[];
}

/**
 * A SageMaker Ground Truth image-classification manifest for one split: the
 * label as an integer (its index in `labels`) and a "-metadata" object beside
 * it with the class name. Rekognition drops repeated source-refs, so each
 * content appears once per split.
 */
export function buildManifest(images: readonly UploadedImage[], labels: readonly string[], creationDate: Date): ManifestBuild {
  const index = new Map(labels.map((label, i) => [label, i]));
  const seen = new Map<string, string>();
  const duplicates: ManifestBuild['duplicates'] = [];
  const date = creationDate.toISOString().slice(0, 23); // Ground Truth's form: no zone designator
  const lines: string[] = [];
  for (const image of images) {
    const first = seen.get(image.sourceRef);
    if (first !== undefined) {
      duplicates.push({ uri: image.uri, sameAs: first });
      continue;
    }
    seen.set(image.sourceRef, image.uri);
    const classIndex = index.get(image.label);
    if (classIndex === undefined) throw new Error(`label ${JSON.stringify(image.label)} of ${image.uri} is not among the run's labels`);
    lines.push(
      JSON.stringify({
        'source-ref': image.sourceRef,
        [LABEL_ATTRIBUTE]: classIndex,
        [`${LABEL_ATTRIBUTE}-metadata`]: {
          confidence: 1,
          'class-name': image.label,
          'human-annotated': 'yes',
          'creation-date': date,
          type: 'groundtruth/image-classification',
          'job-name': 'epochal',
        },
      }),
    );
  }
  return { body: lines.map((l) => `${l}\n`).join(''), lines: lines.length, duplicates };
}
