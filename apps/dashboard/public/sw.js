// The desk's app shell offline: index.html and the hashed assets it names, so a reload during an
// outage opens the desk (the session token is in localStorage; the outbox and the member copy in
// IndexedDB). Server routes (/api, /ws, health, metrics) are never cached: they go to the network.
const CACHE = 'av-gym-shell-v1';
const SERVER_PATH = /^\/(api|ws|healthz|readyz|metrics)(\/|$)/;
const ASSET_REF = /(?:src|href)="(\/assets\/[^"]+)"/g;

/** Caches index.html and every asset it references; a failure leaves the previous shell in place. */
async function cacheShell(response) {
  const cache = await caches.open(CACHE);
  const html = await response.clone().text();
  const assets = [...html.matchAll(ASSET_REF)].map((m) => m[1]);
  await cache.addAll(assets);
  await cache.put('/', response);
  // keep only what the current shell names (older builds' assets go)
  const keep = new Set(['/', ...assets]);
  for (const request of await cache.keys()) {
    const path = new URL(request.url).pathname;
    if (!keep.has(path) && path.startsWith('/assets/')) await cache.delete(request);
  }
}

self.addEventListener('install', (event) => {
  event.waitUntil(
    fetch('/', { cache: 'no-store' })
      .then((res) => (res.ok ? cacheShell(res) : undefined))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((n) => n !== CACHE).map((n) => caches.delete(n))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || SERVER_PATH.test(url.pathname)) return;
  if (request.mode === 'navigate') {
    // network first (a new build shows at once), the cached shell when the server is away
    event.respondWith(
      fetch(request)
        .then((res) => {
          if (res.ok && url.pathname === '/') event.waitUntil(cacheShell(res.clone()).catch(() => undefined));
          return res;
        })
        .catch(async () => (await caches.match('/')) ?? Response.error()),
    );
    return;
  }
  if (url.pathname.startsWith('/assets/')) {
    // content-hashed: a cached copy is the right one
    event.respondWith(
      caches.match(request).then(
        (hit) =>
          hit ??
          fetch(request).then(async (res) => {
            if (res.ok) await (await caches.open(CACHE)).put(request, res.clone());
            return res;
          }),
      ),
    );
  }
});
