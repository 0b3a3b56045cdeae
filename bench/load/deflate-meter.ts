import { constants, deflateRawSync } from 'node:zlib';

/**
 * What an application-level `deflate-raw` codec would put on the wire: each frame a desk writes
 * is compressed here (level 1, as a latency-minded codec would) and its size kept beside the
 * plain size, while `measuring`.
 */
export class DeflateMeter {
  plainBytes = 0;
  deflatedBytes = 0;
  frames = 0;
  private measuring = false;

  readonly tap = (text: string): void => {
    if (!this.measuring) return;
    const plain = Buffer.byteLength(text);
    this.plainBytes += plain;
    this.deflatedBytes += deflateRawSync(text, { level: constants.Z_BEST_SPEED }).length;
    this.frames++;
  };

  start(): void {
    this.measuring = true;
  }

  stop(): void {
    this.measuring = false;
  }

  totals(): { plainBytes: number; deflatedBytes: number; frames: number } {
    return { plainBytes: this.plainBytes, deflatedBytes: this.deflatedBytes, frames: this.frames };
  }
}
