"""The exercises' checks, one module per notebook (06's in three, to keep each short); the harness they share is `helpers.checks`.

- `helpers.exercises.rnn_basics`        01: many-to-many in NumPy, clipping, steps to vanish, BPTT by hand
- `helpers.exercises.lstm_from_scratch` 02: a GRU step, a peephole step, parameter counts
- `helpers.exercises.sign_sum`          03: a running sum with doubling, the units a read-out needs, zero-sum count
- `helpers.exercises.char_shakespeare`  04: top-k sampling, a GRU language model, windows, the shuffled-rows bug
- `helpers.exercises.word_aesop`        05: the loss floor, the most likely next words
- `helpers.exercises.word_ptb`          06: a unigram baseline, parameter count, a warm-up
- `helpers.exercises.word_ptb_tying`    06: the tying ablation
- `helpers.exercises.word_ptb_vectors`  06: the counts over a wider window
- `helpers.exercises.seq2seq_attention` 07: attention with a mask, teacher forcing, one step of beam search
- `helpers.exercises.after_the_lstm`    08: two steps as one, the flip, a Transformer block's parameters

Each notebook's check cell imports its check from here, e.g.
``from helpers.exercises.rnn_basics import check_many_to_many``.
"""
