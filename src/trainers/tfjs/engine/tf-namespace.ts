/**
 * The TensorFlow.js namespace a computation runs on. tfjs-node, the WASM
 * backend and the plain CPU backend are distinct module instances, and tensors
 * from one cannot be used by another, so data modules take the caller's
 * namespace as a parameter instead of importing tfjs themselves.
 */
export type TF = typeof import('@tensorflow/tfjs');
