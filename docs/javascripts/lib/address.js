/* The page's address: a widget keeps its settings in the query string, so that it can be shared. */

const DELAY_MS = 250; // coalesce history.replaceState calls (browsers throttle them)

// A query string with these [key, value] pairs set and its other keys kept; commas left as they
// are, which reads better.
export function mergeQuery(search, pairs) {
  const params = new URLSearchParams(search || "");
  for (const [key, value] of pairs) params.set(key, String(value));
  return params.toString().replace(/%2C/g, ",");
}

// A function that writes the address a moment after it was last called: pairs() then gives what
// to write (null: nothing). Stops with `life`.
export function addressWriter(life) {
  let timer = null;
  life.add(() => clearTimeout(timer));
  return (pairs) => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      const now = pairs();
      if (!now) return;
      const url = new URL(window.location.href);
      const query = mergeQuery(url.search, now);
      history.replaceState(history.state, "", url.pathname + (query ? `?${query}` : "") + url.hash);
    }, DELAY_MS);
  };
}
