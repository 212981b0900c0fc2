// The playground's engine: exact fused multiply-add, the surfaces, and the update rules.
import assert from "node:assert/strict";
import { test } from "node:test";

import { fma, optimizer, RULES, Run, run, sample, surface } from "../../docs/javascripts/playground/engine.js";

test("fma rounds a * b + c once", () => {
  // Each where a * b + c in two roundings differs from the exact value, rounded once.
  const table = [
    [0.1, 10, -1, 5.551115123125783e-17], // 0.1 * 10 rounds to 1 exactly
    [1 + 2 ** -52, 1 - 2 ** -53, -1, 2 ** -53 - 2 ** -105],
    [3, 1 / 3, -1, -5.551115123125783e-17],
    [2 ** 500 + 1 * 2 ** 448, 2 ** 500, -(2 ** 1000), 2 ** 948],
    [1e308, 10, -Infinity, -Infinity],
    [0, 5, 7, 7],
    [5e-324, 0.5, 0, 0],
  ];
  for (const [a, b, c, exact] of table) assert.equal(fma(a, b, c), exact, `fma(${a}, ${b}, ${c})`);
  assert.ok(Number.isNaN(fma(NaN, 1, 1)));
});

const BOWL = { name: "bowl", family: "quadratic", params: { a: 1, b: 2 }, domain: [[-3, 3], [-3, 3]] };

test("a surface's sample is its value at numpy.linspace's points", () => {
  const s = surface(BOWL);
  const n = 7;
  const values = sample(s, n);
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) {
      const x = i === n - 1 ? 3 : -3 + i * (6 / (n - 1));
      const y = j === n - 1 ? 3 : -3 + j * (6 / (n - 1));
      assert.equal(values[j * n + i], x * x + 2 * (y * y));
    }
  }
  assert.deepEqual(s.grad([1, 1]), [2, 4]);
  assert.ok(s.contains([3, -3]) && !s.contains([3.01, 0]));
});

test("SGD on a bowl shrinks each coordinate by 1 − 2·a·lr a step", () => {
  const r = run(BOWL, "sgd", { lr: 0.1 }, [2, -1], 30, 10);
  for (let k = 0; k <= 30; k++) {
    const [x, y] = r.params[k];
    assert.ok(Math.abs(x - 2 * 0.8 ** k) <= 1e-14 * 2, `x at step ${k}`);
    assert.ok(Math.abs(y + 0.6 ** k) <= 1e-14, `y at step ${k}`);
  }
});

test("each rule's state, under torch.optim's names", () => {
  const hp = { lr: 0.1, momentum: 0.9, dampening: 0, lr_decay: 0, initial_accumulator_value: 0, eps: 1e-8,
    alpha: 0.99, beta1: 0.9, beta2: 0.999, weight_decay: 0.01, momentum_decay: 4e-3, beta2_decay: -0.8,
    eps2: 1e-3, d: 1, b1: 0.9, b2: 0.99, beta: 0.9, weight_lr_power: 2 };
  const table = [
    ["sgd", [], []],
    ["momentum", ["momentum_buffer"], ["momentum_buffer"]],
    ["nesterov", ["momentum_buffer"], ["momentum_buffer"]],
    ["adagrad", ["step", "sum"], ["step", "sum"]],
    ["rmsprop", ["step", "square_avg"], ["step", "square_avg"]],
    ["adam", ["step", "exp_avg", "exp_avg_sq"], ["step", "exp_avg", "exp_avg_sq"]],
    ["adamw", ["step", "exp_avg", "exp_avg_sq"], ["step", "exp_avg", "exp_avg_sq"]],
    ["nadam", ["step", "mu_product", "exp_avg", "exp_avg_sq"], ["step", "mu_product", "exp_avg", "exp_avg_sq"]],
    ["radam", ["step", "exp_avg", "exp_avg_sq"], ["step", "exp_avg", "exp_avg_sq"]],
    ["adafactor", ["step", "variance"], ["step", "variance"]],
    ["lion", ["step", "exp_avg"], ["step", "exp_avg"]],
    ["schedule_free_adamw", ["step", "exp_avg_sq", "z", "weight_sum", "step_count", "max_lr", "x"],
      ["step", "exp_avg_sq", "z", "weight_sum", "step_count", "max_lr", "x"]],
  ];
  // Muon steps weight matrices: the engine, which steps points, has no rule for it.
  assert.deepEqual(Object.keys(RULES), table.map(([name]) => name));
  // The counts a rule starts from: NAdam's product of momenta at 1, Schedule-Free's step count at 1.
  const starts = { mu_product: 1, step_count: 1 };
  for (const [name, before, after] of table) {
    const o = optimizer(name, hp);
    assert.deepEqual(Object.keys(o.state), before, `${name} before its first step`);
    assert.ok(Object.entries(o.state).every(([k, v]) => v === null || v === (starts[k] ?? 0)),
      `${name}: empty buffers before the first step`);
    o.step([1, -2], [0.5, 0.25]);
    assert.deepEqual(Object.keys(o.state).filter((k) => o.state[k] !== null), after, `${name} after a step`);
  }
});

test("first steps, by the update rules", () => {
  const p = [1, -2];
  const g = [0.5, -0.25];
  const first = (name, hp) => optimizer(name, hp).step(p, g);
  assert.deepEqual(first("sgd", { lr: 0.1 }), [1 - 0.05, -2 + 0.025]);
  // Momentum's buffer starts as the gradient: its first step is SGD's.
  assert.deepEqual(first("momentum", { lr: 0.1, momentum: 0.9, dampening: 0.5 }), first("sgd", { lr: 0.1 }));
  // Nesterov's first step is the gradient plus momentum times it.
  assert.deepEqual(first("nesterov", { lr: 0.1, momentum: 0.5 }), [1 - 0.1 * 0.75, -2 + 0.1 * 0.375]);
  // Adam's first step is lr · sign(g), to within ε.
  const adam = first("adam", { lr: 0.1, beta1: 0.9, beta2: 0.999, eps: 1e-8 });
  assert.ok(Math.abs(adam[0] - 0.9) < 1e-8 && Math.abs(adam[1] + 1.9) < 1e-8, String(adam));
  // AdamW also shrinks the weights by lr · weight_decay.
  const adamw = first("adamw", { lr: 0.1, beta1: 0.9, beta2: 0.999, eps: 1e-8, weight_decay: 0.5 });
  assert.ok(Math.abs(adamw[0] - (1 * 0.95 - 0.1)) < 1e-8 && Math.abs(adamw[1] - (-2 * 0.95 + 0.1)) < 1e-8, String(adamw));
  // AdaGrad's and RMSprop's first steps: lr · g / (|g| + ε) and lr · g / (|g|·√(1 − α) + ε).
  const adagrad = first("adagrad", { lr: 0.1, lr_decay: 0, initial_accumulator_value: 0, eps: 1e-10 });
  assert.ok(Math.abs(adagrad[0] - 0.9) < 1e-9 && Math.abs(adagrad[1] + 1.9) < 1e-9, String(adagrad));
  const rmsprop = first("rmsprop", { lr: 0.01, alpha: 0.99, eps: 1e-8 });
  assert.ok(Math.abs(rmsprop[0] - (1 - 0.1)) < 1e-7, String(rmsprop));
});

test("today's optimizers' first steps, by their update rules", () => {
  const p = [1, -2];
  const g = [0.5, -0.25];
  const first = (name, hp) => optimizer(name, hp).step(p, g);
  // RAdam's first steps are not rectified (rho_1 = 1 ≤ 5): momentum, bias-corrected, is g itself.
  assert.deepEqual(first("radam", { lr: 0.1, beta1: 0.9, beta2: 0.999, eps: 1e-8, weight_decay: 0 }),
    [1 - 0.5 * 0.1, -2 + 0.25 * 0.1]);
  // Lion moves each coordinate by lr against the sign of the blend (its momentum starts at 0).
  assert.deepEqual(first("lion", { lr: 0.1, b1: 0.9, b2: 0.99, weight_decay: 0 }), [1 + -0.1, -2 + 0.1]);
  // Adafactor's first variance is g², its update sign(g), scaled by the point's RMS times min(lr, 1).
  const rms = Math.sqrt((1 + 4) / 2);
  const adafactor = first("adafactor", { lr: 0.1, beta2_decay: -0.8, eps2: 1e-3, d: 1, weight_decay: 0 });
  assert.ok(Math.abs(adafactor[0] - (1 - 0.1 * rms)) < 1e-15 && Math.abs(adafactor[1] - (-2 + 0.1 * rms)) < 1e-15,
    String(adafactor));
  // NAdam's first step: (1 − μ₁)/(1 − μ₁) of the gradient step plus μ₂/(1 − μ₁μ₂) of the momentum
  // (1 − β₁) g, each over |g| (bias-corrected): lr · sign(g) · (1 + μ₂(1 − β₁)/(1 − μ₁μ₂)).
  const mu1 = 0.9 * (1 - 0.5 * 0.96 ** 0.004);
  const mu2 = 0.9 * (1 - 0.5 * 0.96 ** 0.008);
  const size = 0.1 * (1 + (mu2 * 0.1) / (1 - Math.fround(mu1) * mu2));
  const nadam = first("nadam", { lr: 0.1, beta1: 0.9, beta2: 0.999, eps: 1e-8, weight_decay: 0, momentum_decay: 0.004 });
  assert.ok(Math.abs(nadam[0] - (1 - size)) < 1e-7 && Math.abs(nadam[1] - (-2 + size)) < 1e-7, String(nadam));
});

test("Schedule-Free's x is the average of its iterates z, weighted by the largest rate so far squared", () => {
  const o = optimizer("schedule_free_adamw", { lr: 0.1, beta: 0.9, beta2: 0.999, eps: 1e-8, weight_decay: 0,
    weight_lr_power: 2 });
  const s = surface(BOWL);
  const rates = [0.02, 0.05, 0.1, 0.1, 0.07, 0.1, 0.03, 0.1];
  let y = [2, -1];
  const zs = [];
  const weights = [];
  let top = 0;
  for (const lr of rates) {
    y = o.step(y, s.grad(y), lr);
    top = Math.max(top, lr);
    zs.push(o.state.z.slice());
    weights.push(top ** 2);
    const total = weights.reduce((a, b) => a + b, 0);
    for (const i of [0, 1]) {
      const average = zs.reduce((a, z, k) => a + weights[k] * z[i], 0) / total;
      assert.ok(Math.abs(o.state.x[i] - average) < 1e-14, `x after ${zs.length} steps`);
      // The point the gradient is taken at is y = β x + (1 − β) z.
      assert.ok(Math.abs(y[i] - (0.9 * o.state.x[i] + 0.1 * o.state.z[i])) < 1e-14);
    }
  }
});

test("a rule is given every hyperparameter it reads, or refuses to start", () => {
  const table = [
    ["sgd", {}, /sgd needs a number for its hyperparameter lr, got undefined/],
    ["adam", { lr: 0.1, beta1: 0.9, eps: 1e-8 }, /adam needs a number for its hyperparameter beta2/],
    ["momentum", { lr: 0.1, momentum: 0.9 }, /momentum needs a number for its hyperparameter dampening/],
    ["adamw", { lr: 0.1, beta1: 0.9, beta2: 0.99, eps: 1e-8 }, /adamw needs a number for its hyperparameter weight_decay/],
    ["rmsprop", { lr: "0.1", alpha: 0.99, eps: 1e-8 }, /rmsprop needs a number for its hyperparameter lr/],
    ["nesterov", { lr: 0.1, momentum: 0 }, /Nesterov needs a momentum above 0/],
    ["lion", { lr: 0.1, b1: 0.9, b2: 0.99 }, /lion needs a number for its hyperparameter weight_decay/],
    ["adafactor", { lr: 0.1, beta2_decay: -0.8, eps2: 1e-3, weight_decay: 0 }, /adafactor needs a number for its hyperparameter d/],
    ["muon", { lr: 0.1 }, /no update rule for the optimizer "muon"/],
    ["adamax", { lr: 0.1 }, /no update rule for the optimizer "adamax"/],
  ];
  for (const [name, hp, error] of table) assert.throws(() => optimizer(name, hp), error, name);
});

test("a run stops at the step that diverges, and marks where it left the plot", () => {
  // lr above 1/a: SGD on the bowl grows by |1 − 2·a·lr| = 1.4 a step in x until it is 10 widths away.
  const r = run(BOWL, "sgd", { lr: 1.2 }, [1, 0], 500, 10);
  assert.ok(r.divergedStep > 0 && r.steps === r.divergedStep, `diverged at ${r.divergedStep}, ${r.steps} steps`);
  assert.ok(Math.abs(r.params.at(-1)[0]) <= 60 + 3 && 1.4 * Math.abs(r.params.at(-1)[0]) > 60);
  assert.equal(r.leftDomainStep, 3); // |x| = 1.4³ ≈ 2.7, then 3.8 after step 3
  assert.equal(r.step(), false);
  const calm = new Run(surface(BOWL), optimizer("sgd", { lr: 0.1 }), [1, 1], 10);
  assert.equal(calm.step(), true);
  assert.equal(calm.divergedStep, -1);
});
