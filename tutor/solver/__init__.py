"""Every computation of the exam, in numpy, each with a step trace the UI can reveal line by line.

Why it exists: every number the tutor shows, grades with or proves in `itm528-tutor check` comes
from here, so the screens, the content check and the tests agree. What it must not depend on: the
UI and the algebra (no Textual, rich or sympy) and any I/O; it imports numpy and the standard
library only. Bad input raises ValueError with a plain sentence.
"""

from ._steps import Step, Traced, format_array, format_number
from .activations import (
    ActivationCurves,
    LayerProducts,
    activation_curves,
    format_product,
    gradient_through_layers,
)
from .conv import (
    bottleneck_params,
    conv_output_size,
    conv_params,
    conv_transpose_output_size,
    trace_bottleneck_params,
    trace_conv_output_size,
    trace_conv_params,
    trace_conv_transpose_output_size,
)
from .mlp import (
    ACTIVATIONS,
    ForwardResult,
    SquaredErrorResult,
    half_squared_error,
    mlp_forward,
    relu,
    sigmoid,
    tanh,
    trace_half_squared_error,
)
from .geometry import (
    ConvGeometry,
    ConvTransposeGeometry,
    PoolWindows,
    conv_geometry,
    conv_transpose_geometry,
    pool_windows,
    window_cells,
)
from .pooling import PoolResult, pool2d
from .regression import gaussian_nll, gaussian_nll_grad, mse, trace_gaussian_nll
from .softmax import (
    GradientResult,
    cross_entropy,
    log_softmax,
    softmax,
    softmax_cross_entropy_grad,
    trace_softmax_cross_entropy,
    two_layer_gradients,
)

__all__ = [
    "ACTIVATIONS",
    "ActivationCurves",
    "ConvGeometry",
    "ConvTransposeGeometry",
    "ForwardResult",
    "GradientResult",
    "LayerProducts",
    "PoolResult",
    "PoolWindows",
    "SquaredErrorResult",
    "Step",
    "Traced",
    "activation_curves",
    "bottleneck_params",
    "conv_geometry",
    "conv_output_size",
    "conv_params",
    "conv_transpose_geometry",
    "conv_transpose_output_size",
    "cross_entropy",
    "format_array",
    "format_number",
    "format_product",
    "gaussian_nll",
    "gaussian_nll_grad",
    "gradient_through_layers",
    "half_squared_error",
    "log_softmax",
    "mlp_forward",
    "mse",
    "pool2d",
    "pool_windows",
    "relu",
    "sigmoid",
    "softmax",
    "softmax_cross_entropy_grad",
    "tanh",
    "trace_bottleneck_params",
    "trace_conv_output_size",
    "trace_conv_params",
    "trace_conv_transpose_output_size",
    "trace_gaussian_nll",
    "trace_half_squared_error",
    "trace_softmax_cross_entropy",
    "two_layer_gradients",
    "window_cells",
]
