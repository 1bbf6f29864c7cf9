"""Helpers for the RNN course: the code that more than one notebook needs.

One module per idea, each naming the notebook where the idea is taught:

- `helpers.config`   fast mode, seeding, notebook set-up (every notebook)
- `helpers.data`     the course's data sets: cache, mirror, download (`keras.utils.get_file`), checksums
- `helpers.vocab`    `Vocabulary`: symbols to ids and back (notebooks 04-06)
- `helpers.batching` a token stream cut into batches that continue each other (`batch_producer`), or
                     into separate windows (`windows`), or windows at random places (`random_windows`) (04-06, 08)
- `helpers.checks`   `compare`, and the harness of the exercises' checks (raising under nbgrader)
- `helpers.exercises` each notebook's exercise checks, one module per notebook (01-08)
- `helpers.cells`    the hand-built LSTM, SimpleRNN and GRU cells, each equal to Keras' (02)
- `helpers.fast_lstm` `LSTM`: the layer the course trains, its backward pass written out (02, 04-06)
- `helpers.speed`    training speed: recurrent layers side by side, a model's time per update (02, 04, 06)
- `helpers.signsum`  the `+ - 0 I` task: sums, encodings, data sets (03)
- `helpers.models`   stacked-LSTM language models, stateful, and their batch-1 copies (04, 06)
- `helpers.training` `fit` for stateful language models: state resets, bits and perplexity, resume, the
                     progress bar and the time limit the notebooks use (03-06)
- `helpers.logs`     a run's log read back without TensorFlow: its files, `read_log`, bits, perplexity (04-06, 08)
- `helpers.trained`  the course's trained runs, shipped in data/trained/ and registered with `data`: load one,
                     build its model, measure it, or make one (04, 06, 08; `tools/ship_run.py`)
- `helpers.sampling` text generation with a temperature, keeping the state (04)
- `helpers.inside`   looking inside a trained character model: its gates and states, the units that follow
                     facts of the text, how far back its gradient reaches (04)
- `helpers.dynamic_eval` dynamic evaluation: a model that goes on learning from the text it scores (04, 06)
- `helpers.recipes`  the named training set-ups, full and fast, shared with `benchmarks/`: data only (04, 06, 08)
- `helpers.shakespeare` notebook 04's model: the Shakespeare split, the recipe, the model and its compilation (04, 08)
- `helpers.nextword` next word from a window of words: examples, ceiling, generation (05)
- `helpers.ptb`      the Penn Treebank as the TF tutorial read it, Zaremba et al.'s configurations (06, groundwork)
- `helpers.distributed` `tf.distribute` strategies by name, and the same training on several replicas or workers
                     as on one device: Keras 3 fixes (06)
- `helpers.dates`    the course's own translation task: dates as people write them, into ISO; the split (07)
- `helpers.seq2seq`  an encoder-decoder with a bidirectional encoder, with or without attention; greedy and
                     beam search (07)
- `helpers.min_rnn`  minGRU and minLSTM, run step by step or as a parallel scan (08)
- `helpers.transformer` a small causal Transformer, and the same blocks with a minGRU, trained on random windows (08)
- `helpers.plots`    training curves and side-by-side samples, one look (04-06)
- `helpers.interactive` the ipywidgets generation panel, with a plain fallback (04, 05)
- `helpers.cli`      the options the training scripts of `benchmarks/` share (`--fast`, `--precision`, `--set`,
                     `--run-dir`)

For the maintainers, behind the command lines of `tools/`:

- `helpers.grading`  the course as an nbgrader course: student copies, autograding (`make student`, `make grade`)
- `helpers.notebook_runs` a full-mode run of a notebook, saved with clean outputs (`make notebooks`)
- `helpers.book`     the course as a static site, from the committed notebooks (`make book`)

Importing `helpers` does not import TensorFlow; the modules that need it do.
"""

__version__ = "0.1.0"

# The package name under which Keras saves (and finds again) the course's own layers and losses.
PACKAGE = "rnn_course"
