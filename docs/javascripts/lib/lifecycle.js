/* Starting widgets on every page of mkdocs-material's instant navigation.

   A widget's script comes with the page's content, right after its mount point, so that it
   starts while the page is parsed. Instant navigation swaps the content without reloading the
   page, runs the scripts of the new content again, and announces the new page on the theme's
   `document$` (which replays the current page to a new subscriber). */

// Runs setup for this page and every later one. The first copy of a script to run keeps the
// job: a copy run again by a new page's content only asks it to look at that page.
export function everyPage(key, setup) {
  if (window[key]) {
    window[key]();
    return;
  }
  window[key] = setup;
  setup();
  // The theme's scripts are deferred: document$ exists once the document is parsed.
  const follow = () => {
    if (window.document$ && window.document$.subscribe) window.document$.subscribe(setup);
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", follow, { once: true });
  else follow();
}

// A setup for everyPage: start(root, n) for each new element matching the selector (n: its
// position among the page's matches), and the teardown start returned for each one that left.
export function mountEach(selector, start) {
  const instances = new Map(); // root element -> teardown
  return function setupPage() {
    for (const [root, teardown] of instances) {
      if (!root.isConnected) {
        teardown();
        instances.delete(root);
      }
    }
    document.querySelectorAll(selector).forEach((root, n) => {
      if (!instances.has(root)) instances.set(root, start(root, n));
    });
  };
}
