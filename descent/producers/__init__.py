"""Producers: turn a planned artifact (and its stored inputs) into files for the store."""
