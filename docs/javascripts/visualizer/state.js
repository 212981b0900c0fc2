/* Which view the visualizer shows, and its text form in the page's address:
     ?model=2x16&dataset=moons&training=adam&epoch=40&zoom=1
   A view is a combination (dataset, model, training) and an epoch and zoom within it.
   Pure (no DOM): Node's tests import it. */

export function modelById(index, id) {
  return index.models.find((m) => m.id === id) || null;
}

export function hasCombination(index, dataset, modelId, training) {
  return Object.prototype.hasOwnProperty.call(index.combinations, `${dataset}/${modelId}/${training}`);
}

// The combination's file name, relative to the index.
export function combinationFile(index, state) {
  return index.combinations[`${state.dataset}/${state.model}/${state.training}`];
}

// The starting view: the address's values where valid, else the index's defaults. The epoch and
// zoom are null where the address has none (the combination's own default then). An address
// without a training (written before there was a choice) shows the default training.
export function initialState(index, search) {
  const params = new URLSearchParams(search || "");
  const def = index.default || {};
  let model = def.model || (index.models[0] && index.models[0].id);
  let dataset = def.dataset || (index.datasets[0] && index.datasets[0].id);
  let training = def.training || (index.trainings[0] && index.trainings[0].id);
  const askedModel = params.get("model");
  const askedData = params.get("dataset");
  const askedTraining = params.get("training");
  if (askedModel && modelById(index, askedModel)) model = askedModel;
  if (askedData && index.datasets.some((d) => d.id === askedData)) dataset = askedData;
  if (askedTraining && index.trainings.some((t) => t.id === askedTraining)) training = askedTraining;
  if (!hasCombination(index, dataset, model, training)) {
    // The address asked for a combination that was not built: the default one.
    ({ model, dataset, training } = def);
    if (!hasCombination(index, dataset, model, training)) {
      [dataset, model, training] = Object.keys(index.combinations)[0].split("/");
    }
  }
  const epoch = Number(params.get("epoch"));
  const zoom = Number(params.get("zoom"));
  return {
    model, dataset, training,
    epoch: params.has("epoch") && Number.isFinite(epoch) ? epoch : null, // a real epoch number
    zoom: params.has("zoom") && zoom > 0 ? zoom : null,
  };
}

// The training to show for a dataset and model: the one asked for if it was built for them, else
// the first of the index's trainings that was (null if none).
export function pickTraining(index, dataset, modelId, training) {
  if (hasCombination(index, dataset, modelId, training)) return training;
  const built = index.trainings.find((t) => hasCombination(index, dataset, modelId, t.id));
  return built ? built.id : null;
}

// A (layers, width) pick on a dataset: the model with those values, or the closest width that
// exists (among the models with those layers, if any); models built with the given training
// first, then any model built for the dataset.
export function pickModel(index, dataset, layers, width, training) {
  const forData = index.models.filter((m) => index.trainings.some((t) => hasCombination(index, dataset, m.id, t.id)));
  const trained = forData.filter((m) => hasCombination(index, dataset, m.id, training));
  const usable = trained.length ? trained : forData;
  const sameLayers = usable.filter((m) => m.layers === layers);
  const pool = sameLayers.length ? sameLayers : usable;
  return pool.reduce((best, m) => (Math.abs(m.width - width) < Math.abs(best.width - width) ? m : best));
}

// A pick of dataset, model or training applied to a view: the other two kept where the new
// combination was built, else the nearest model and then a training that was.
export function choose(index, state, change) {
  const next = { dataset: state.dataset, model: state.model, training: state.training, ...change };
  if (!hasCombination(index, next.dataset, next.model, next.training)) {
    const model = modelById(index, next.model);
    if ("training" in change || !index.trainings.some((t) => hasCombination(index, next.dataset, next.model, t.id))) {
      next.model = pickModel(index, next.dataset, model.layers, model.width, next.training).id;
    }
    next.training = pickTraining(index, next.dataset, next.model, next.training);
  }
  return next;
}
