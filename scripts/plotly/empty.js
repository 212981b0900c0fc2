// Stands in for a module the site never runs (see bundle.mjs).
