import { type MouseEvent, useSyncExternalStore } from 'react';

/** A tiny history-API router: the path picks the page, the query string holds the page's state. */
export interface Location {
  readonly path: string;
  readonly search: string;
}

const listeners = new Set<() => void>();
let current = read();

function read(): Location {
  return { path: window.location.pathname, search: window.location.search };
}

function notify(): void {
  current = read();
  for (const listener of listeners) listener();
}

window.addEventListener('popstate', notify);

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useLocation(): Location {
  return useSyncExternalStore(subscribe, () => current);
}

export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (to === window.location.pathname + window.location.search) return;
  if (options.replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  notify();
  window.scrollTo(0, 0);
}

/** onClick for an `<a href>` inside the app: plain clicks route in place, modified clicks open as usual. */
export function followLink(event: MouseEvent<HTMLAnchorElement>): void {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  event.preventDefault();
  navigate(event.currentTarget.getAttribute('href') ?? '/');
}
