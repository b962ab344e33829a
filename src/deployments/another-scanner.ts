import sharp from 'sharp';

/**
 * Images as "another scanner" would take them: intensities scaled by
 * `contrast` around mid-grey and shifted by `brightness` (0-255 units), then
 * clipped. A stand-in for the studies issue's BRIGHTNESS / CONTRAST
 * corruption of TEST (deriveDataset); the monitor demo and tests use it to
 * show input drift, and it can be swapped for that derivation once merged.
 */
export async function anotherScanner(bytes: Buffer, shift: { brightness?: number; contrast?: number } = {}): Promise<Buffer> {
  const contrast = shift.contrast ?? 1;
  const brightness = shift.brightness ?? 0;
  return sharp(bytes).linear(contrast, 128 * (1 - contrast) + brightness).png().toBuffer();
}
