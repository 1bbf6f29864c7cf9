"""Helpers for the RNN course: the code that more than one notebook needs.

One module per idea, each naming the notebook where the idea is taught:

- `helpers.config`   fast mode, seeding, notebook set-up (every notebook)
- `helpers.data`     the course's data sets: cache, mirror, download, checksums
- `helpers.vocab`    `Vocabulary`: symbols to ids and back (notebooks 04-06)
- `helpers.batching` `batch_producer`: a token stream into PTB-style batches
- `helpers.checks`   `compare` and the exercises' check functions
- `helpers.cells`    the hand-built LSTM, SimpleRNN and GRU cells, and the fast `LSTM` layer (02)
- `helpers.speed`    training throughput of recurrent layers, side by side (02, benchmarks)

Importing `helpers` does not import TensorFlow; the modules that need it do.
"""

__version__ = "0.1.0"
