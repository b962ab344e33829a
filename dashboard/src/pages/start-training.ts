import { request } from '../api';
import { fmtDuration, h, link, replace } from '../dom';
import { navigate } from '../router';
import {
  ARCHITECTURES, DATASETS_QUERY, SERVER_INFO_QUERY, START_TRAINING, TRAINING_SPEED_QUERY,
  type Architecture, type DatasetSummary, type ServerInfo, type StartTrainingInput, type TrainerKind,
} from '../queries';
import { errorNotice } from './page';

interface TfjsChoice {
  architecture: Architecture;
  imageSize: number;
  epochs: number;
  fineTuneEpochs: number;
  augment: boolean;
}

/** The study's recipe (the server's defaults): hours per run without a GPU. */
const RECIPE: TfjsChoice = { architecture: 'VGG16', imageSize: 224, epochs: 50, fineTuneEpochs: 10, augment: true };
/** What a CPU-only engine trains in minutes: the small CNN at 64 px. */
const CPU_SIZED: TfjsChoice = { architecture: 'SMALL_CNN', imageSize: 64, epochs: 10, fineTuneEpochs: 0, augment: false };
/** Engines with libtensorflow's native kernels: the recipe is within reach. */
const FAST_ENGINES = ['tfjs-node-gpu'];
/** The recipe's validationSplit: held out of TRAIN when a dataset has no VALIDATION split. */
const VALIDATION_SHARE = 0.2;

/**
 * Start a training on the server: dataset, trainer, architecture, image size,
 * epochs, augmentation. It defaults to what this server's engine can do
 * (serverInfo), estimates the time from measured images/s, keeps the recipe one
 * click away, and disables trainers this server lacks, saying why. Opens the
 * new run's page.
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
    let server: ServerInfo;
    try {
      [datasets, server] = await Promise.all([request(DATASETS_QUERY).then((d) => d.datasets), request(SERVER_INFO_QUERY).then((d) => d.serverInfo)]);
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
    replace(body, form(datasets, server));
  }

  function form(datasets: DatasetSummary[], server: ServerInfo) {
    const message = h('div');
    const { trainer, reasons, firstAvailable } = trainerPicker(server);

    const fits = server.engine && FAST_ENGINES.includes(server.engine) ? RECIPE : CPU_SIZED;
    const architecture = h('select', { name: 'architecture' }, ARCHITECTURES.map((a) => h('option', { value: a }, a)));
    const imageSize = h('input', { name: 'imageSize', type: 'number', min: 16, max: 512, required: true });
    const epochs = h('input', { name: 'epochs', type: 'number', min: 1, max: 1000, required: true });
    const fineTuneEpochs = h('input', { name: 'fineTuneEpochs', type: 'number', min: 0, max: 1000, required: true });
    const augment = h('input', { name: 'augment', type: 'checkbox' });
    const dataset = h('select', { name: 'datasetId', required: true }, datasets.map((d) => h('option', { value: d.id }, `${d.name} (${d.imageCount} images)`)));
    const estimate = h('p', { class: 'estimate muted small', dataset: { testid: 'estimate' } });
    const choose = (choice: TfjsChoice) => {
      architecture.value = choice.architecture;
      imageSize.value = String(choice.imageSize);
      epochs.value = String(choice.epochs);
      fineTuneEpochs.value = String(choice.fineTuneEpochs);
      augment.checked = choice.augment;
      void updateEstimate();
    };
    const tfjsFields = h('fieldset', { class: 'inline' },
      h('label', null, 'Architecture ', architecture),
      h('label', null, 'Image size ', imageSize),
      h('label', null, 'Epochs ', epochs),
      h('label', null, 'Fine-tune epochs ', fineTuneEpochs),
      h('label', null, 'Augmentation ', augment));
    const presets = h('p', { class: 'presets small' },
      h('button', { type: 'button', class: 'small', dataset: { testid: 'use-recipe' }, onclick: () => choose(RECIPE) }, 'Use the study’s recipe (VGG16, 224 px, 50 + 10 epochs)'), ' ',
      fits === RECIPE ? null : h('button', { type: 'button', class: 'small', onclick: () => choose(CPU_SIZED) }, `Fit this machine (${server.engine ?? 'CPU'}: SMALL_CNN, 64 px)`));

    // The estimate follows every change; answers to older questions are dropped.
    let asked = 0;
    async function updateEstimate() {
      const question = ++asked;
      const size = Number(imageSize.value);
      if (trainer.value !== 'TFJS' || !Number.isInteger(size) || size < 16 || size > 1024) {
        estimate.textContent = '';
        return;
      }
      try {
        const { serverInfo } = await request(TRAINING_SPEED_QUERY, { architecture: architecture.value as Architecture, imageSize: size });
        if (question !== asked) return;
        const chosen = datasets.find((d) => d.id === dataset.value);
        estimate.textContent = estimateText(serverInfo.trainingSpeed, chosen, Number(epochs.value) + Number(fineTuneEpochs.value), server.engine);
      } catch {
        if (question === asked) estimate.textContent = '';
      }
    }
    for (const input of [architecture, imageSize, epochs, fineTuneEpochs, dataset]) input.addEventListener('change', () => void updateEstimate());
    trainer.addEventListener('change', () => {
      tfjsFields.disabled = trainer.value !== 'TFJS';
      void updateEstimate();
    });

    const submit = h('button', { type: 'submit', class: 'primary', disabled: !firstAvailable }, 'Start');
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
          architecture: architecture.value as Architecture, imageSize: Number(imageSize.value),
          epochs: Number(epochs.value), fineTuneEpochs: Number(fineTuneEpochs.value), augment: augment.checked,
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
        h('label', null, 'Name ', h('input', { name: 'name', required: true, maxlength: 200, placeholder: 'small-cnn-oct' })),
        h('label', null, 'Dataset ', dataset),
        h('label', null, 'Trainer ', trainer),
        h('label', null, 'Tags ', h('input', { name: 'tags', placeholder: 'study, oct' }))),
      reasons,
      tfjsFields,
      presets,
      estimate,
      h('p', { class: 'muted small' }, 'Everything else follows the study’s recipe (class weights, early stopping, fine-tuning learning rate); the run page shows the resolved config.'),
      submit, message);
    choose(fits);
    return formElement;
  }

  return details;
}

/** The trainer select, each trainer this server cannot run disabled, and why, in words. */
function trainerPicker(server: ServerInfo) {
  const availability = new Map(server.trainers.map((t) => [t.kind, t]));
  const option = (kind: TrainerKind, label: string) => {
    const info = availability.get(kind);
    return h('option', { value: kind, disabled: info ? !info.available : true, title: info?.reason ?? null }, info && !info.available ? `${label} (unavailable)` : label);
  };
  const trainer = h('select', { name: 'trainer', required: true },
    option('TFJS', `TFJS (on this server’s workers${server.engine ? `, ${server.engine}` : ''})`), option('REKOGNITION', 'Amazon Rekognition Custom Labels'));
  const firstAvailable = server.trainers.find((t) => t.available);
  if (firstAvailable) trainer.value = firstAvailable.kind;
  const reasons = h('div', { class: 'small', dataset: { testid: 'trainer-reasons' } },
    server.trainers.filter((t) => !t.available).map((t) => h('p', { class: 'trainer-reason', dataset: { trainer: t.kind } }, `${t.kind} is unavailable: ${t.reason}`)));
  return { trainer, reasons, firstAvailable };
}

/** The longest the training can take: TRAIN images seen per epoch × epochs ÷ images/s (early stopping may end it sooner). */
function estimateText(speed: { imagesPerSecond: number; basis: string } | null, dataset: DatasetSummary | undefined, passes: number, engine: string | null | undefined): string {
  if (!speed) return `No speed is known for ${engine ?? 'this engine'} yet: the first run measures it.`;
  const counts = dataset?.classCounts ?? [];
  const train = counts.filter((c) => c.split === 'TRAIN').reduce((sum, c) => sum + c.count, 0);
  // Without a VALIDATION split, the trainer holds out part of TRAIN.
  const seen = counts.some((c) => c.split === 'VALIDATION') ? train : Math.round(train * (1 - VALIDATION_SHARE));
  return `About ${fmtDuration((seen * passes / speed.imagesPerSecond) * 1000)} of training at most (${seen} images × ${passes} epochs at ≈ ${speed.imagesPerSecond} images/s; ${speed.basis}). Early stopping may end it sooner.`;
}
