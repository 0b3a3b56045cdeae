import type { IncomingMessage } from 'node:http';
import fastifyCompress from '@fastify/compress';
import fastifyHelmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';

/** A Host header fit to name in a CSP source (host, IPv4, [IPv6], optional port); else undefined. */
function hostSource(req: IncomingMessage): string | undefined {
  const host = req.headers.host;
  return host && /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/.test(host) ? host : undefined;
}

/**
 * Security headers and compression for every response. The CSP allows only the server's own
 * scripts, styles, fonts and images (the built dashboard has no inline script or style element;
 * React's `style` props go through CSSOM, which CSP does not restrict), `data:` images (the
 * favicon), and connections to its own origin over HTTP and WebSocket. No framing
 * (`frame-ancestors 'none'`, `X-Frame-Options: DENY`), `nosniff`, `Referrer-Policy: no-referrer`.
 * gzip or brotli for compressible bodies of 1 KiB and more (JS, CSS, JSON, metrics text);
 * request bodies are never inflated.
 */
export function registerBrowserHardening(app: FastifyInstance): void {
  void app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        'default-src': ["'self'"],
        'script-src': ["'self'"],
        'script-src-attr': ["'none'"],
        'style-src': ["'self'"],
        'img-src': ["'self'", 'data:'],
        'font-src': ["'self'"],
        // 'self' covers ws:/wss: of the same host in CSP3 browsers; named too, for older ones.
        'connect-src': [
          "'self'",
          (req) => {
            const host = hostSource(req as IncomingMessage);
            return host ? `ws://${host} wss://${host}` : '';
          },
        ],
        'object-src': ["'none'"],
        'base-uri': ["'self'"],
        'form-action': ["'self'"],
        'frame-ancestors': ["'none'"],
      },
    },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
  });
  void app.register(fastifyCompress, {
    encodings: ['br', 'gzip'],
    threshold: 1024,
    globalDecompression: false,
  });
}
