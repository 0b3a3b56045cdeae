import { describe, expect, it } from 'vitest';
import { DEFAULT_ALERT_THRESHOLDS } from './alerts/alert-rules.js';
import { ConfigError, parseConfig } from './config.js';

describe('parseConfig: logs, history and alerts', () => {
  it('defaults to auto logs, 10 s samples and the documented alert thresholds', () => {
    const c = parseConfig({});
    expect(c.logFormat).toBe('auto');
    expect(c.nodeName).toBeUndefined();
    expect(c.historySampleIntervalMs).toBe(10_000);
    expect(c.alerts).toEqual(DEFAULT_ALERT_THRESHOLDS);
  });

  it('reads each variable', () => {
    const c = parseConfig({
      LOG_FORMAT: 'pretty',
      NODE_NAME: 'node-a',
      HISTORY_SAMPLE_SEC: '2',
      ALERT_QUALITY_MIN: '60',
      ALERT_QUALITY_FOR_SEC: '5',
      ALERT_OFFLINE_AFTER_SEC: '3',
      ALERT_ACK_P99_MS: '250',
      ALERT_RECONNECTS: '3',
      ALERT_DROP_RATE_PERCENT: '2',
      ALERT_QUEUE_BYTES: '1024',
      ALERT_FOR_SEC: '0',
      FORECAST_CAPACITY_MSGS_PER_SEC: '90000',
    });
    expect(c).toMatchObject({ logFormat: 'pretty', nodeName: 'node-a', historySampleIntervalMs: 2_000 });
    expect(c.alerts).toEqual({
      qualityMin: 60,
      qualityForMs: 5_000,
      offlineAfterMs: 3_000,
      ackP99Ms: 250,
      reconnects: 3,
      dropRatePercent: 2,
      queueBytes: 1024,
      forMs: 0,
      forecastCapacityMsgsPerSec: 90_000,
    });
    expect(parseConfig({}).alerts.forecastCapacityMsgsPerSec).toBe(0);
  });

  it('names the variable of a bad value', () => {
    for (const [name, value] of [
      ['LOG_FORMAT', 'xml'],
      ['NODE_NAME', 'has space'],
      ['HISTORY_SAMPLE_SEC', '-1'],
      ['ALERT_QUALITY_MIN', '101'],
      ['ALERT_OFFLINE_AFTER_SEC', '0'],
      ['FORECAST_CAPACITY_MSGS_PER_SEC', '-5'],
    ] as const) {
      expect(() => parseConfig({ [name]: value })).toThrow(ConfigError);
      expect(() => parseConfig({ [name]: value })).toThrow(new RegExp(`^${name}:`));
    }
  });
});
