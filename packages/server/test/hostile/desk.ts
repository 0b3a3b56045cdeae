import { TestClient } from '../helpers.js';

/** A well-behaved desk: one socket, one batch per action, and the time each ack took. */
export class Desk {
  private seq = 0;
  private counter = 0;
  readonly client: TestClient;

  constructor(
    wsUrl: string,
    private readonly token: string,
    readonly clientId: string,
  ) {
    this.client = new TestClient(wsUrl);
  }

  async open(): Promise<void> {
    await this.client.hello({ token: this.token, clientId: this.clientId });
  }

  /** Sends one message in its own batch; resolves with its outcome code (`accepted`, or the rejection code) and the ack time. */
  async act(type: string, data: unknown, timeoutMs = 15_000): Promise<{ code: string; ms: number }> {
    const seq = ++this.seq;
    const id = `${this.clientId}-${Date.now().toString(36)}-${(this.counter++).toString(36)}`;
    const from = this.client.frames.length;
    const started = performance.now();
    this.client.send({ type: 'batch', seq, batches: { [type]: [{ id, data }] } });
    const ack = (await this.client.next((f) => f.type === 'ack' && f.seq === seq, timeoutMs, from)) as {
      results: Record<string, { accepted?: string[]; duplicates?: string[]; rejected?: { code: string }[] }>;
    };
    const ms = performance.now() - started;
    const result = ack.results[type];
    if (result?.accepted?.includes(id)) return { code: 'accepted', ms };
    if (result?.duplicates?.includes(id)) return { code: 'duplicate', ms };
    return { code: result?.rejected?.[0]?.code ?? 'NO_RESULT', ms };
  }

  /** Checks each member in and out again, one at a time; every outcome and the median ack time. */
  async roundTrips(memberIds: readonly string[]): Promise<{ codes: string[]; p50Ms: number }> {
    const codes: string[] = [];
    const times: number[] = [];
    for (const memberId of memberIds) {
      for (const type of ['check_in', 'check_out']) {
        const { code, ms } = await this.act(type, { memberId, deskId: this.clientId });
        codes.push(code);
        times.push(ms);
      }
    }
    times.sort((a, b) => a - b);
    return { codes, p50Ms: times[Math.floor(times.length / 2)] ?? 0 };
  }

  close(): Promise<void> {
    return this.client.close();
  }
}
