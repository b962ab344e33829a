import { createReadStream } from 'node:fs';
import express from 'express';
import type { Logger } from 'pino';
import { fileRoute, FileRouteError, localPathOf, queryParam, resolveInsideRoots, sniffImageType, type Authorize } from '../kernel/served-files.js';
import type { DatasetService } from './dataset.service.js';
import { SPLITS, type Split } from './dataset.record.js';

export interface DatasetImagesRouteOptions {
  datasets: DatasetService;
  log: Logger;
  /** Folders images may be read from: EPOCHAL_IMPORT_ROOTS and EPOCHAL_DATA_DIR (generated datasets live there). */
  roots: readonly string[];
  /** The API's key check (read scope); omitted: anyone who reaches the port may read. */
  authorize?: Authorize;
}

/**
 * GET /api/datasets/:datasetId/image?split=TRAIN&label=CNV&uri=<uri, as the API lists it>
 *
 * Serves one image of a dataset, for the dashboard's thumbnails. Only an image
 * registered in that dataset (split and label let the lookup use the
 * (dataset, split, label) index), only a local file inside `roots`, and only
 * when its first bytes say it is an image: a uri is user input, and this route
 * must not become a way to read the server's other files.
 */
export function datasetImagesRouter(options: DatasetImagesRouteOptions): express.Router {
  const router = express.Router();
  router.get('/api/datasets/:datasetId/image', fileRoute(options, async (req, res) => {
    const datasetId = String(req.params.datasetId);
    const uri = queryParam(req, 'uri');
    const split = queryParam(req, 'split').toUpperCase() as Split;
    const label = queryParam(req, 'label');
    if (!SPLITS.includes(split)) throw new FileRouteError(400, `split must be one of ${SPLITS.join(', ')}`);
    if (!(await options.datasets.hasImage({ datasetId, split, label, uri }))) throw new FileRouteError(404, `dataset ${datasetId} has no ${split} image labelled ${label} at ${uri}`);
    const local = localPathOf(uri);
    if (!local) throw new FileRouteError(404, `${uri} is not a local file: thumbnails are served for files on this server only`);
    const file = await resolveInsideRoots(local, options.roots);
    const type = await sniffImageType(file);
    if (!type) throw new FileRouteError(415, `${uri} is not a PNG, JPEG, GIF, WebP or BMP image`);
    res.setHeader('content-type', type);
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('cache-control', 'private, max-age=3600');
    await new Promise<void>((resolve, reject) => {
      createReadStream(file).on('error', reject).pipe(res).on('finish', resolve).on('error', reject);
    });
  }));
  return router;
}
