"""two_layer_gradients hands back z₁, h₁, z₂, ŷ, δ₁ and δ₂ beside the gradients (question 6's
formulas are evaluated on them): each agrees with the forward pass, and δ₁, δ₂ with central
finite differences of J taken in z₂ and z₁ themselves."""

import numpy as np
import pytest

from tutor.solver import cross_entropy, mlp_forward, softmax, two_layer_gradients


def network(seed: int, d_x: int = 3, d_h: int = 4, n_c: int = 2, flat: bool = False):
    rng = np.random.default_rng(seed)
    column = (lambda n: (n,)) if flat else (lambda n: (n, 1))
    y = np.zeros(column(n_c))
    y[int(rng.integers(n_c))] = 1
    return {"x": rng.normal(size=column(d_x)), "y": y, "W1": rng.normal(size=(d_h, d_x)),
            "b1": rng.normal(size=column(d_h)), "W2": rng.normal(size=(n_c, d_h)), "b2": rng.normal(size=column(n_c))}


@pytest.mark.parametrize("flat", [False, True])
@pytest.mark.parametrize("seed", range(5))
def test_the_intermediates_are_the_forward_pass_as_columns(seed, flat):
    args = network(seed, flat=flat)
    result = two_layer_gradients(**args)
    forward = mlp_forward(np.ravel(args["x"]), [(args["W1"].T, np.ravel(args["b1"]), "relu"),
                                                 (args["W2"].T, np.ravel(args["b2"]), "identity")])
    assert result.z1.shape == result.h1.shape == (4, 1) and result.z2.shape == (2, 1)
    assert np.allclose(result.z1.ravel(), forward.pre[0]) and np.allclose(result.h1.ravel(), forward.post[0])
    assert np.allclose(result.z2.ravel(), forward.output)
    assert np.allclose(np.ravel(result.probabilities), softmax(forward.output))
    # δ₁ = (ŷ − y)ᵀ, a row
    assert result.delta1.shape == (1, 2)
    assert np.allclose(result.delta1, (np.ravel(result.probabilities) - np.ravel(args["y"]))[None, :])
    for name in ("z1", "h1", "z2"):
        assert not getattr(result, name).flags.writeable


def test_the_deltas_are_the_slopes_of_j_in_z():
    args = network(11, d_x=3, d_h=5, n_c=4)
    result = two_layer_gradients(**args)
    y, h = np.ravel(args["y"]), 1e-6

    def loss_of_z2(z2):
        return cross_entropy(y, z2)

    def loss_of_z1(z1):
        h1 = np.maximum(z1, 0)
        return cross_entropy(y, args["W2"] @ h1 + np.ravel(args["b2"]))

    for loss, z, delta in ((loss_of_z2, result.z2.ravel(), result.delta1), (loss_of_z1, result.z1.ravel(), result.delta2)):
        slopes = []
        for i in range(z.size):
            step = np.zeros(z.size)
            step[i] = h
            # ∂J/∂zᵢ ≈ (J(z + h eᵢ) − J(z − h eᵢ))/2h
            slopes.append((loss(z + step) - loss(z - step)) / (2 * h))
        assert np.allclose(delta.ravel(), slopes, atol=1e-7)
    assert (result.z1 <= 0).any() and (result.z1 > 0).any()  # the ReLU matters in this network
