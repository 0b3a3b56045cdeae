import { Counter, type Registry } from 'prom-client';

/** The HTTP refusals counted, a closed set (each also an `error` code of the JSON body). */
export const HTTP_REFUSAL_CODES = ['UNAUTHENTICATED', 'BAD_CREDENTIALS', 'TOO_MANY_ATTEMPTS'] as const;
export type HttpRefusalCode = (typeof HTTP_REFUSAL_CODES)[number];

/** Counts of refused HTTP requests by code, exported as `avgym_http_refused_total{code}`. */
export class HttpRefusals {
  private readonly counts = new Map<HttpRefusalCode, number>();

  count(code: HttpRefusalCode): void {
    this.counts.set(code, (this.counts.get(code) ?? 0) + 1);
  }

  total(code: HttpRefusalCode): number {
    return this.counts.get(code) ?? 0;
  }

  /** Adds the pulled counter to a Prometheus registry. */
  register(registry: Registry): void {
    const counts = this.counts;
    new Counter({
      name: 'avgym_http_refused_total',
      help: 'HTTP requests refused, by code (no or bad token, wrong password, login throttled)',
      labelNames: ['code'],
      registers: [registry],
      collect() {
        this.reset();
        for (const code of HTTP_REFUSAL_CODES) this.inc({ code }, counts.get(code) ?? 0);
      },
    });
  }
}
