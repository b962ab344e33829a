import { request } from '../api';
import { h, link, replace } from '../dom';
import { navigate } from '../router';
import { ARCHITECTURES, DATASETS_QUERY, START_TRAINING, type Architecture, type DatasetSummary, type StartTrainingInput, type TrainerKind } from '../queries';
import { errorNotice } from './page';

/**
 * Start a training on the server: dataset, trainer, architecture, image size,
 * epochs. Every other setting keeps the study's defaults (shown in the run's
 * resolved config). Opens the new run's page.
 */
export function startTrainingForm(): HTMLElement {
  const body = h('div', { class: 'start-body' }, h('p', { class: 'muted' }, 'Loading datasets…'));
  const details = h('details', { class: 'card start-training', ontoggle: () => details.open && void load() },
    h('summary', null, 'Start a training'), body);
  let loaded = false;

  async function load() {
    if (loaded) return;
    loaded = true;
    let datasets: DatasetSummary[];
    try {
      datasets = (await request(DATASETS_QUERY)).datasets;
    } catch (error) {
      loaded = false;
      replace(body, errorNotice(error, () => void load()));
      return;
    }
    if (datasets.length === 0) {
      replace(body, h('p', null, 'Training needs a dataset, and there is none yet. Create one with the ',
        h('code', null, 'importDataset'), ' or ', h('code', null, 'generateSyntheticDataset'), ' mutation, then come back. ', link('/datasets', 'Datasets')));
      return;
    }
    replace(body, form(datasets));
  }

  function form(datasets: DatasetSummary[]) {
    const message = h('div');
    const trainer = h('select', { name: 'trainer', required: true }, h('option', { value: 'TFJS' }, 'TFJS (on this server’s workers)'), h('option', { value: 'REKOGNITION' }, 'Amazon Rekognition Custom Labels'));
    const tfjsFields = h('fieldset', { class: 'inline' },
      h('label', null, 'Architecture ', h('select', { name: 'architecture' }, ARCHITECTURES.map((a) => h('option', { value: a, selected: a === 'VGG16' }, a)))),
      h('label', null, 'Image size ', h('input', { name: 'imageSize', type: 'number', min: 16, max: 512, value: 224, required: true })),
      h('label', null, 'Epochs ', h('input', { name: 'epochs', type: 'number', min: 1, max: 1000, value: 50, required: true })),
      h('label', null, 'Fine-tune epochs ', h('input', { name: 'fineTuneEpochs', type: 'number', min: 0, max: 1000, value: 10, required: true })));
    trainer.addEventListener('change', () => (tfjsFields.disabled = trainer.value !== 'TFJS'));
    const submit = h('button', { type: 'submit', class: 'primary' }, 'Start');
    const formElement = h('form', { class: 'start-form', onsubmit: async (e: Event) => {
      e.preventDefault();
      const values = new FormData(formElement);
      const input: StartTrainingInput = {
        name: String(values.get('name')).trim(),
        datasetId: values.get('datasetId') as string,
        trainer: trainer.value as TrainerKind,
        tags: String(values.get('tags') ?? '').split(',').map((t) => t.trim()).filter(Boolean),
      };
      if (trainer.value === 'TFJS') {
        input.tfjs = {
          architecture: values.get('architecture') as Architecture, imageSize: Number(values.get('imageSize')),
          epochs: Number(values.get('epochs')), fineTuneEpochs: Number(values.get('fineTuneEpochs')),
        };
      }
      submit.disabled = true;
      replace(message);
      try {
        const { startTraining } = await request(START_TRAINING, { input });
        navigate(`/runs/${startTraining.id}`);
      } catch (error) {
        replace(message, errorNotice(error));
      } finally {
        submit.disabled = false;
      }
    } },
      h('fieldset', { class: 'inline' },
        h('label', null, 'Name ', h('input', { name: 'name', required: true, maxlength: 200, placeholder: 'vgg16-oct' })),
        h('label', null, 'Dataset ', h('select', { name: 'datasetId', required: true }, datasets.map((d) => h('option', { value: d.id }, `${d.name} (${d.imageCount} images)`)))),
        h('label', null, 'Trainer ', trainer),
        h('label', null, 'Tags ', h('input', { name: 'tags', placeholder: 'study, oct' }))),
      tfjsFields,
      h('p', { class: 'muted small' }, 'Everything else follows the study’s recipe (augmentation, class weights, early stopping, fine-tuning); the run page shows the resolved config.'),
      submit, message);
    return formElement;
  }

  return details;
}
