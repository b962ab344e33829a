import { fetchObjectUrl, request } from '../api';
import { fmtDate, h, notice, replace } from '../dom';
import { DATASET_IMAGES_QUERY, DATASETS_QUERY, SPLITS, type DatasetSummary } from '../queries';
import { errorNotice, type Page } from './page';

const THUMBNAILS_PER_CLASS = 4;

/** The URL the server serves a registered image file at (dataset-images.route.ts). */
export const imageUrl = (datasetId: string, image: { uri: string; split: string; label: string }) =>
  `/api/datasets/${datasetId}/image?${new URLSearchParams({ split: image.split, label: image.label, uri: image.uri })}`;

/** Datasets: class balance per split as bars, and a few thumbnails per class. */
export const datasetsPage: Page = (outlet) => {
  const objectUrls: string[] = [];
  replace(outlet, h('header', { class: 'page-header' }, h('h1', null, 'Datasets')), notice('loading', 'Loading datasets…'));
  void load();

  async function load() {
    let datasets: DatasetSummary[];
    try {
      datasets = (await request(DATASETS_QUERY)).datasets;
    } catch (error) {
      replace(outlet, h('header', { class: 'page-header' }, h('h1', null, 'Datasets')), errorNotice(error, () => void load()));
      return;
    }
    const wanted = location.hash.slice(1);
    replace(outlet,
      h('header', { class: 'page-header' }, h('h1', null, 'Datasets ', h('span', { class: 'muted small' }, `(${datasets.length})`))),
      datasets.length === 0
        ? notice('empty', 'No datasets yet. Register one with the importDataset mutation (a folder laid out as <split>/<label>/<image> inside EPOCHAL_IMPORT_ROOTS), createDataset (existing files or S3 objects), or generateSyntheticDataset for a quick OCT-like test set.')
        : datasets.map((d, i) => datasetCard(d, d.id === wanted || (!wanted && i === 0))));
    document.getElementById(wanted)?.scrollIntoView();
  }

  function datasetCard(dataset: DatasetSummary, open: boolean) {
    const thumbs = h('div', { class: 'thumbs' });
    let thumbsLoaded = false;
    const details = h('details', { class: 'card dataset', id: dataset.id, open, dataset: { datasetId: dataset.id },
      ontoggle: () => details.open && !thumbsLoaded && void loadThumbnails() },
    h('summary', null, h('strong', null, dataset.name), h('span', { class: 'muted small' },
      ` ${dataset.imageCount} images · ${dataset.labels.length} classes · ${fmtDate(dataset.createdAt)}`)),
    balanceBars(dataset),
    h('h3', null, 'Examples'), thumbs);
    if (open) queueMicrotask(() => void loadThumbnails());

    async function loadThumbnails() {
      thumbsLoaded = true;
      replace(thumbs, h('p', { class: 'muted' }, 'Loading thumbnails…'));
      try {
        const perLabel = await Promise.all(dataset.labels.map(async (label) => {
          const data = await request(DATASET_IMAGES_QUERY, { id: dataset.id, label, first: THUMBNAILS_PER_CLASS });
          return { label, images: data.dataset?.images ?? [] };
        }));
        replace(thumbs, perLabel.map(({ label, images }) => h('div', { class: 'thumb-row' }, h('span', { class: 'thumb-label' }, label),
          images.map((image) => thumbnail(dataset.id, { ...image, label })))));
      } catch (error) {
        thumbsLoaded = false;
        replace(thumbs, errorNotice(error, () => void loadThumbnails()));
      }
    }
    return details;
  }

  function thumbnail(datasetId: string, image: { uri: string; split: string; label: string }) {
    const uri = image.uri;
    const img = h('img', { alt: `${image.label} (${image.split.toLowerCase()})`, title: uri, width: 96, height: 96 });
    const frame = h('figure', { class: 'thumb' }, img);
    fetchObjectUrl(imageUrl(datasetId, image))
      .then((url) => {
        objectUrls.push(url);
        img.src = url;
      })
      .catch((error: Error) => replace(frame, h('span', { class: 'thumb-missing', title: error.message }, uri.startsWith('s3://') ? 'in S3' : 'not readable')));
    return frame;
  }

  return () => objectUrls.forEach((url) => URL.revokeObjectURL(url));
};

/** One bar per (split, label), scaled to the dataset's largest class. */
function balanceBars(dataset: DatasetSummary): HTMLElement {
  const max = Math.max(1, ...dataset.classCounts.map((c) => c.count));
  const count = (split: string, label: string) => dataset.classCounts.find((c) => c.split === split && c.label === label)?.count ?? 0;
  return h('div', { class: 'balance' }, SPLITS.filter((split) => dataset.classCounts.some((c) => c.split === split)).map((split) =>
    h('div', { class: 'balance-split' }, h('h3', null, split.toLowerCase()),
      dataset.labels.map((label) => {
        const n = count(split, label);
        return h('div', { class: 'bar-row', dataset: { split, label, count: n } }, h('span', { class: 'bar-label' }, label),
          h('span', { class: 'bar-track' }, h('span', { class: `bar bar-${split.toLowerCase()}`, style: `width: ${(n / max) * 100}%` })),
          h('span', { class: 'bar-count' }, String(n)));
      }))));
}
