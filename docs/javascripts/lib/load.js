/* Fetching a widget's data files, each once per page load. */

// A failure to say in the page as it is (the file and what went wrong), not as a crash.
export class LoadError extends Error {}

const requests = new Map(); // absolute URL -> Promise of the decoded file

// The file at `url`, decoded by decode(response); one request however many ask. A failure is
// forgotten, so that a later ask tries again.
export function fetchOnce(url, decode) {
  if (!requests.has(url)) {
    const promise = fetch(url)
      .catch((err) => { throw new LoadError(`Could not load ${url}: ${err.message}`); })
      .then((response) => {
        if (!response.ok) throw new LoadError(`Could not load ${url}: ${response.status} ${response.statusText}`.trim());
        return decode(response);
      });
    promise.catch(() => requests.delete(url));
    requests.set(url, promise);
  }
  return requests.get(url);
}

// A file that came with the page (a data attribute) takes the place of its request: make()
// decodes it, if it is not known yet.
export function provide(url, make) {
  if (!requests.has(url)) requests.set(url, Promise.resolve(make()));
}

// Bytes from base64 text (a plain loop: ten times faster than Uint8Array.from with a map).
export function base64Bytes(text) {
  const chars = atob(text);
  const bytes = new Uint8Array(chars.length);
  for (let i = 0; i < chars.length; i++) bytes[i] = chars.charCodeAt(i);
  return bytes;
}
