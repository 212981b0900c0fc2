// A playground.json of format 4 as contract section 2 describes it: two surfaces, the course's
// seven optimizers with their hyperparameters, ranges and scales, three schedules, the race
// lengths and the noise's range.

const hp = (def, symbol, label, range = null, scale = "linear") => ({ default: def, meaning: "", symbol, label, range, scale });
const LR = hp(null, "η", "Learning rate", [1e-4, 10], "log");
const MOMENTUM = hp(0.9, "β", "Momentum", [0, 0.99]);
const BETA1 = hp(0.9, "β₁", "First-moment decay", [0, 0.99]);
const BETA2 = hp(0.999, "β₂", "Second-moment decay", [0.5, 0.9999], "log1m");
const EPS = hp(1e-8, "ε", "Epsilon", [1e-10, 1e-2], "log");

const param = (def, symbol, label) => ({ default: def, meaning: "", symbol, label });

export function playgroundData() {
  return {
    format: 4,
    title: "Optimizer playground",
    surfaces: [
      { name: "bowl", title: "Bowl", family: "quadratic", params: { a: 1, b: 1 }, domain: [[-3, 3], [-3, 3]],
        start: [-2.5, 2], grid: 32, minima: [[0, 0]] },
      { name: "rosenbrock", title: "Rosenbrock", family: "rosenbrock", params: { a: 1, b: 100 },
        domain: [[-2, 2], [-1, 3]], start: [-1.5, 2.5], grid: 48, minima: [[1, 1]] },
    ],
    escape_widths: 10,
    initial: { lr: 0.01 },
    schedules: [
      { name: "constant", label: "Constant", parameters: {} },
      { name: "step", label: "Step decay", parameters: {
        gamma: param(0.5, "γ", "Decay factor at each drop"), period: param(0.25, "p", "Share of the run between drops") } },
      { name: "warmup_cosine", label: "Warmup, then cosine", parameters: {
        warmup: param(0.1, "w", "Share of the run spent warming up"),
        start: param(0.01, "s", "First step's rate, as a share of η"),
        floor: param(0, "η_min/η", "Lowest rate, as a share of η") } },
    ],
    lengths: [100, 200, 1000, 10000],
    noise: { range: [0.01, 100] },
    optimizers: [
      { name: "sgd", label: "SGD", colour: "#878f99", marker: "circle", hyperparameters: { lr: LR } },
      { name: "momentum", label: "Momentum", colour: "#e8710a", marker: "square",
        hyperparameters: { lr: LR, momentum: MOMENTUM, dampening: hp(0, "τ", "Dampening") } },
      { name: "nesterov", label: "Nesterov", colour: "#a05ce0", marker: "triangle-up",
        hyperparameters: { lr: LR, momentum: MOMENTUM } },
      { name: "adagrad", label: "AdaGrad", colour: "#a87a4e", marker: "diamond",
        hyperparameters: { lr: LR, lr_decay: hp(0, "δ", "Learning-rate decay"),
          initial_accumulator_value: hp(0, "s₀", "Initial accumulator"), eps: { ...EPS, default: 1e-10 } } },
      { name: "rmsprop", label: "RMSprop", colour: "#13a3a3", marker: "triangle-down",
        hyperparameters: { lr: LR, alpha: hp(0.99, "α", "Smoothing constant"), eps: EPS } },
      { name: "adam", label: "Adam", colour: "#e0489e", marker: "pentagon",
        hyperparameters: { lr: LR, beta1: BETA1, beta2: BETA2, eps: EPS } },
      { name: "adamw", label: "AdamW", colour: "#4a86e8", marker: "cross",
        hyperparameters: { lr: LR, beta1: BETA1, beta2: BETA2, eps: EPS, weight_decay: hp(0.01, "λ", "Weight decay") } },
    ],
  };
}
