import { cpus } from 'node:os';
import type { Machine } from './result.js';

/** This machine as the report names it. */
export function machine(): Machine {
  const list = cpus();
  return { cpus: list.length, model: list[0]?.model.trim() ?? 'unknown', node: process.version };
}
