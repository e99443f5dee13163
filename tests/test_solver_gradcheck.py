"""The solver's own finite-difference check of two_layer_gradients (used by the question 6 calculator)."""

import numpy as np
import pytest

from tutor.solver import gradcheck


@pytest.mark.parametrize("activation", ["relu", "sigmoid", "tanh", "identity"])
def test_check_gradients_agrees_on_random_networks(activation):
    rng = np.random.default_rng(7)
    d_x, d_h, n_c = 3, 4, 2
    y = np.zeros((n_c, 1))
    y[1] = 1
    result = gradcheck.check_gradients(
        rng.normal(size=(d_x, 1)), y, rng.normal(size=(d_h, d_x)), rng.normal(size=(d_h, 1)),
        rng.normal(size=(n_c, d_h)), rng.normal(size=(n_c, 1)), activation,
    )
    assert result.count == n_c * d_h + n_c + d_h * d_x + d_h + d_x
    assert result.max_difference < 1e-6


def test_check_gradients_sees_a_wrong_gradient(monkeypatch):
    real = gradcheck.two_layer_gradients

    def off_by_a_bit(*args, **kwargs):
        grads = dict(real(*args, **kwargs))
        grads["W1"] = grads["W1"] + 0.01
        return grads

    monkeypatch.setattr(gradcheck, "two_layer_gradients", off_by_a_bit)
    rng = np.random.default_rng(3)
    result = gradcheck.check_gradients(
        rng.normal(size=(2, 1)), np.array([[1.0], [0.0]]), rng.normal(size=(3, 2)),
        rng.normal(size=(3, 1)), rng.normal(size=(2, 3)), rng.normal(size=(2, 1)),
    )
    assert result.max_difference > 0.005
