"""Lesson 7: backpropagation and gradient magnitudes. Plain data: the tiny networks it trains."""

MOONS = {"dataset": "moons", "samples": 200, "noise": 0.15, "seed": 0}
DEEP = [16, 16, 16, 16, 16, 16]

LESSON = {
    "slug": "backprop",
    "title": "Backpropagation and gradient magnitudes",
    "page": "lessons/backprop.md",
    "networks": {
        # Small enough to draw every neuron and connection.
        "small": {
            **MOONS,
            "hidden": [6, 6],
            "activation": "tanh",
            "optimizer": "adam",
            "hyperparameters": {"lr": 0.03},
            "epochs": 300,
            "record": [0, 10, 50, 300],
        },
        # Six hidden layers: deep enough for sigmoid's gradients to fade on the way back.
        **{
            f"deep-{activation}": {
                **MOONS,
                "hidden": DEEP,
                "activation": activation,
                "optimizer": "adam",
                "hyperparameters": {"lr": 0.01},
                "epochs": 300,
                "record": [0, 10, 50, 100, 300],
            }
            for activation in ("sigmoid", "relu")
        },
    },
    "figures": {
        "network": {
            "title": "The network coloured by the gradient magnitudes of one real backward pass",
            "builder": "network_gradients",
            "inputs": ["small"],
        },
        "layers": {
            "title": "Gradient norm per layer, sigmoid against ReLU (log scale), and the training loss",
            "builder": "layer_gradients",
            "inputs": ["deep-sigmoid", "deep-relu"],
        },
    },
    "videos": {
        "backprop": {
            "title": "A backward pass through a tiny network, and gradients that vanish with sigmoid",
            "scene": "backprop.py",
            "class": "Backpropagation",
            "inputs": ["small", "deep-sigmoid", "deep-relu"],
        },
    },
}
