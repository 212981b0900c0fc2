/* Which view the visualizer shows, and its text form in the page's address:
     ?model=2x16&dataset=moons&epoch=40&zoom=1
   Pure (no DOM): Node's tests import it. */

export function modelById(index, id) {
  return index.models.find((m) => m.id === id) || null;
}

export function hasCombination(index, dataset, modelId) {
  return Object.prototype.hasOwnProperty.call(index.combinations, `${dataset}/${modelId}`);
}

// The starting view: the address's values where valid, else the index's defaults. The epoch and
// zoom are null where the address has none (the combination's own default then).
export function initialState(index, search) {
  const params = new URLSearchParams(search || "");
  const def = index.default || {};
  let model = def.model || (index.models[0] && index.models[0].id);
  let dataset = def.dataset || (index.datasets[0] && index.datasets[0].id);
  const askedModel = params.get("model");
  const askedData = params.get("dataset");
  if (askedModel && modelById(index, askedModel)) model = askedModel;
  if (askedData && index.datasets.some((d) => d.id === askedData)) dataset = askedData;
  if (!hasCombination(index, dataset, model)) {
    // The address asked for a pair that was not built: the default pair.
    model = def.model;
    dataset = def.dataset;
    if (!hasCombination(index, dataset, model)) [dataset, model] = Object.keys(index.combinations)[0].split("/");
  }
  const epoch = Number(params.get("epoch"));
  const zoom = Number(params.get("zoom"));
  return {
    model, dataset,
    epoch: params.has("epoch") && Number.isFinite(epoch) ? epoch : null, // a real epoch number
    zoom: params.has("zoom") && zoom > 0 ? zoom : null,
  };
}

// A (layers, width) pick on a dataset: the model with those values, or the closest width that
// exists (among the models with those layers, if any).
export function pickModel(index, dataset, layers, width) {
  const usable = index.models.filter((m) => hasCombination(index, dataset, m.id));
  const sameLayers = usable.filter((m) => m.layers === layers);
  const pool = sameLayers.length ? sameLayers : usable;
  return pool.reduce((best, m) => (Math.abs(m.width - width) < Math.abs(best.width - width) ? m : best));
}
