"""The PyTorch reference for `npm run bench:train` (bench/train-throughput.ts).

Trains the same small CNN as Epochal's SMALL_CNN (conv16-BN-ReLU-pool, conv32-BN-ReLU-pool,
conv64-BN-ReLU, global average pool, dropout 0.2, dense 4; Adam 1e-3, batch 32) on the same
images, which the bench writes as raw bytes: a uint8 array [N, size, size] and a uint8 label
per image. Prints one JSON line per memory layout with training images per second.

Run with Debian's interpreter, which is the one that sees python3-torch:
  /usr/bin/python3 bench/train_throughput_torch.py --pixels x.bin --labels y.bin --size 64 --epochs 3
"""
import argparse
import json
import time

import numpy as np
import torch
from torch import nn


def small_cnn() -> nn.Module:
    def block(cin: int, cout: int) -> list:
        # momentum 0.1 in PyTorch's convention is Keras/TF.js momentum 0.9; epsilon as in Epochal.
        return [nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout, eps=1e-3, momentum=0.1), nn.ReLU()]

    return nn.Sequential(
        *block(1, 16), nn.MaxPool2d(2),
        *block(16, 32), nn.MaxPool2d(2),
        *block(32, 64),
        nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Dropout(0.2), nn.Linear(64, 4),
    )


def measure(x: torch.Tensor, y: torch.Tensor, epochs: int, batch: int, channels_last: bool) -> float:
    torch.manual_seed(1)
    model = small_cnn()
    if channels_last:
        model = model.to(memory_format=torch.channels_last)
        x = x.contiguous(memory_format=torch.channels_last)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    model.train()
    timings = []
    for epoch in range(epochs + 1):  # the first epoch warms up and is not counted
        order = torch.randperm(len(x))
        started = time.perf_counter()
        for i in range(0, len(x), batch):
            idx = order[i:i + batch]
            optimizer.zero_grad()
            loss = loss_fn(model(x[idx]), y[idx])
            loss.backward()
            optimizer.step()
        if epoch > 0:
            timings.append(len(x) / (time.perf_counter() - started))
    return float(np.median(timings))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument('--pixels', required=True)
    parser.add_argument('--labels', required=True)
    parser.add_argument('--size', type=int, required=True)
    parser.add_argument('--epochs', type=int, default=3)
    parser.add_argument('--batch', type=int, default=32)
    parser.add_argument('--threads', type=int, default=0, help='0: PyTorch default (one per core)')
    args = parser.parse_args()
    if args.threads > 0:
        torch.set_num_threads(args.threads)
    pixels = np.fromfile(args.pixels, dtype=np.uint8).reshape(-1, 1, args.size, args.size)
    x = torch.from_numpy(pixels.astype(np.float32) / 255.0)
    y = torch.from_numpy(np.fromfile(args.labels, dtype=np.uint8).astype(np.int64))
    threads = torch.get_num_threads()
    # The last line is per core: TF.js on WASM runs one thread in Node.
    for engine, channels_last, n in (('pytorch', False, threads), ('pytorch-channels-last', True, threads), ('pytorch-1-thread', False, 1)):
        torch.set_num_threads(n)
        rate = measure(x, y, args.epochs, args.batch, channels_last)
        print(json.dumps({'engine': engine, 'imagesPerSecond': rate, 'torch': torch.__version__, 'threads': n}), flush=True)


if __name__ == '__main__':
    main()
