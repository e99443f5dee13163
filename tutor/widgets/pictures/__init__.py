"""Pictures that teach: the exam's concepts drawn in the terminal from the solver's numbers.

One module per picture, each imported only when its question opens (this package's `__init__`
imports nothing, so importing one picture does not load the others):

- `residual`: question 10(a), each choice as a block diagram, the model answer the same way.
- `activations`: question 5(a), sigmoid, tanh, ReLU and their derivatives, and the gradient left
  after n layers.
- `softmax_bars`: question 4(c), ŷ as bars beside the logits and ŷ − y as signed bars.
- `convolution`: question 7, padding and stride, and the transposed convolution the other way.
- `pooling`: question 8, each window's cells and its winner, linked to its output cell.

Every picture is a `base.Picture`: fed solver results (it computes no number of the exam), within
80 columns, readable without colour (glyphs carry what the tints do), and with `describe()`, the
numbers it shows in words, shown under it with NO_COLOR set or on the `d` key.
"""
