import { afterEach, describe, expect, it, vi } from 'vitest';
import { Api, ApiError, BAD_ANSWER, login } from './api.js';

const answer = (body: unknown, status = 200) =>
  vi.fn(
    async () =>
      new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } }),
  );

describe('Api', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  describe('answers', () => {
    it('returns a body that matches its protocol schema', async () => {
      const figures = { current: 3, capacity: 120, todayTotal: 9, averageStayMinutes: 41.5 };
      vi.stubGlobal('fetch', answer(figures));
      expect(await new Api('t').occupancy()).toEqual(figures);
    });

    it('refuses a body that does not match, naming the field', async () => {
      vi.stubGlobal(
        'fetch',
        answer({ current: 3, capacity: 120, todayTotal: 'nine', averageStayMinutes: 1 }),
      );
      const err = await new Api('t').occupancy().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ApiError);
      expect(err).toMatchObject({ status: 200, code: BAD_ANSWER });
      expect((err as ApiError).message).toContain('GET /api/occupancy');
      expect((err as ApiError).message).toContain('todayTotal');
    });

    it('refuses an answer that is not JSON', async () => {
      vi.stubGlobal(
        'fetch',
        vi.fn(async () => new Response('<html>proxy</html>', { status: 200 })),
      );
      await expect(login('admin', 'pw')).rejects.toMatchObject({ code: BAD_ANSWER });
    });
  });

  describe('errors', () => {
    it('carries the server error code and message, and Retry-After', async () => {
      vi.stubGlobal(
        'fetch',
        vi.fn(
          async () =>
            new Response(JSON.stringify({ error: 'TOO_MANY_ATTEMPTS', message: 'wait' }), {
              status: 429,
              headers: { 'retry-after': '7' },
            }),
        ),
      );
      await expect(login('admin', 'pw')).rejects.toMatchObject({
        status: 429,
        code: 'TOO_MANY_ATTEMPTS',
        message: 'wait',
        retryAfterSeconds: 7,
      });
    });

    it('tells the owner about a 401', async () => {
      vi.stubGlobal('fetch', answer({ error: 'UNAUTHENTICATED', message: 'no token' }, 401));
      const onUnauthorized = vi.fn();
      await expect(new Api('t', onUnauthorized).stats()).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
      expect(onUnauthorized).toHaveBeenCalledOnce();
    });
  });
});
