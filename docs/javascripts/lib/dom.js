/* Building and tearing down a widget's DOM. */

// An element with attributes ("class", "text" for its text, true for an empty attribute; null,
// undefined and false leave the attribute out) and children (null, undefined and false skipped).
export function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children) if (child !== null && child !== undefined && child !== false) node.append(child);
  return node;
}

// A text node whose content is set only when it changes (a live number rewritten many times a
// second costs nothing while it stays the same).
export function textSlot(initial) {
  const node = document.createTextNode(initial || "");
  return { node, set(text) { if (node.data !== text) node.data = text; } };
}

// What a widget must undo when its page goes: listeners, observers, timers.
export class Lifetime {
  constructor() {
    this.undo = [];
    this.alive = true;
  }

  add(fn) {
    this.undo.push(fn);
  }

  on(target, type, fn, options) {
    target.addEventListener(type, fn, options);
    this.add(() => target.removeEventListener(type, fn, options));
  }

  end() {
    this.alive = false;
    for (const fn of this.undo.splice(0)) fn();
  }
}

// A promise with its resolve and reject, for a widget's `ready`. A rejection nobody awaits is
// not an error: a failed load is shown in the page.
export function deferred() {
  let resolve;
  let reject;
  const promise = new Promise((res, rej) => { resolve = res; reject = rej; });
  promise.catch(() => {});
  return { promise, resolve, reject };
}
