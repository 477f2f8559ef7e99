"""PyTorch peer of bench/train-throughput.ts: the same architectures and protocol.

Why this exists: the issue's bar is a ratio to the tool a user would otherwise pick, measured on
the same cores in the same run. train-throughput.ts runs this script (with Debian's python3-torch)
and prints its numbers next to collabopt's.

Protocol (as the TypeScript side): rmsprop (Keras defaults: lr 1e-3, rho 0.9, eps 1e-7),
categorical cross-entropy, random inputs in [0, 1) and random one-hot labels, one warm-up step,
then whole training steps until --min-seconds have passed. Prints one JSON line per model, with
the wall and CPU seconds (time.process_time: every thread of the process) of the timed steps.

    /usr/bin/python3 bench/peer/train_throughput_torch.py --threads 2 --min-seconds 10
"""
import argparse
import json
import resource
import time

import torch
import torch.nn as nn


def mnist_node_cnn():
    return nn.Sequential(
        nn.Conv2d(1, 32, 3), nn.ReLU(), nn.Conv2d(32, 32, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3), nn.ReLU(), nn.Conv2d(64, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Dropout(0.25), nn.Linear(64 * 4 * 4, 512), nn.ReLU(), nn.Dropout(0.5),
        nn.Linear(512, 10))


def bn(c):
    # Keras BatchNormalization defaults: momentum 0.99 (torch: 0.01), epsilon 1e-3.
    return nn.BatchNorm2d(c, eps=1e-3, momentum=0.01)


def mobilenet_v1(alpha=0.25, classes=10):
    w = lambda f: int(round(f * alpha))
    layers = [nn.ZeroPad2d((0, 1, 0, 1)), nn.Conv2d(3, w(32), 3, 2, bias=False), bn(w(32)), nn.ReLU6()]
    c = w(32)
    blocks = [(64, 1), (128, 2), (128, 1), (256, 2), (256, 1), (512, 2), (512, 1), (512, 1),
              (512, 1), (512, 1), (512, 1), (1024, 2), (1024, 1)]
    for f, s in blocks:
        if s == 2:
            layers += [nn.ZeroPad2d((0, 1, 0, 1)), nn.Conv2d(c, c, 3, 2, groups=c, bias=False)]
        else:
            layers += [nn.Conv2d(c, c, 3, 1, 1, groups=c, bias=False)]
        layers += [bn(c), nn.ReLU6(), nn.Conv2d(c, w(f), 1, bias=False), bn(w(f)), nn.ReLU6()]
        c = w(f)
    layers += [nn.AdaptiveAvgPool2d(1), nn.Dropout(0.001), nn.Conv2d(c, classes, 1), nn.Flatten()]
    return nn.Sequential(*layers)


def ds_cnn(classes=10, filters=64, blocks=4, first_block_stride=1):
    """recipes/src/models/dsCnn.ts: S is 64 filters x 4 blocks, L 276 x 5 with a stride-2 first block."""
    f = filters
    # tfjs 'same' padding for 5x5 stride 2 on 28x28 pads 1 before and 2 after.
    layers = [nn.ZeroPad2d((1, 2, 1, 2)), nn.Conv2d(1, f, 5, 2, bias=False), bn(f), nn.ReLU()]
    for i in range(blocks):
        if i == 0 and first_block_stride == 2:
            # 'same' 3x3 stride 2 on the even 14x14 map: 0 before, 1 after.
            layers += [nn.ZeroPad2d((0, 1, 0, 1)), nn.Conv2d(f, f, 3, 2, groups=f, bias=False)]
        else:
            layers += [nn.Conv2d(f, f, 3, 1, 1, groups=f, bias=False)]
        layers += [bn(f), nn.ReLU(), nn.Conv2d(f, f, 1, bias=False), bn(f), nn.ReLU()]
    layers += [nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(f, classes)]
    return nn.Sequential(*layers)


MODELS = {
    'mnist-node': (mnist_node_cnn, (1, 28, 28)),
    'mobilenet': (mobilenet_v1, (3, 32, 32)),
    'ds-cnn': (ds_cnn, (1, 28, 28)),
    'ds-cnn-l': (lambda: ds_cnn(filters=276, blocks=5, first_block_stride=2), (1, 28, 28)),
}


def measure(build, shape, batch, min_seconds):
    torch.manual_seed(1)
    model = build()
    model.train()
    opt = torch.optim.RMSprop(model.parameters(), lr=1e-3, alpha=0.9, eps=1e-7)
    loss_fn = nn.CrossEntropyLoss()  # softmax + categorical cross-entropy on one-hot labels
    x = torch.rand(batch, *shape)
    y = torch.randint(0, 10, (batch,))

    def step():
        opt.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()

    step()
    steps, start, cpu0 = 0, time.perf_counter(), time.process_time()
    while steps == 0 or time.perf_counter() - start < min_seconds:
        step()
        steps += 1
    elapsed = time.perf_counter() - start
    return steps * batch / elapsed, steps, elapsed, time.process_time() - cpu0


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--threads', type=int, default=2)
    p.add_argument('--min-seconds', type=float, default=10)
    p.add_argument('--model', action='append', help='name[:batch], repeatable')
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    for spec in a.model or ['mnist-node:32', 'mobilenet:32', 'ds-cnn:64']:
        name, _, b = spec.partition(':')
        build, shape = MODELS[name]
        sps, steps, elapsed, cpu = measure(build, shape, int(b or 32), a.min_seconds)
        print(json.dumps({'model': name, 'samplesPerSecond': sps, 'steps': steps, 'seconds': elapsed, 'cpuSeconds': cpu,
                          'threads': a.threads,
                          'peakRssMiB': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 'torch': torch.__version__}), flush=True)


if __name__ == '__main__':
    main()
