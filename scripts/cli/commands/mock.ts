/**
 * `longrun mock --spec api.yaml [--stateful]`: a mock of any spec on http://127.0.0.1:4010 — Prism
 * answering the spec's examples, or the stateful mock whose operations move from `202` to their
 * outcome. Runs until interrupted.
 */
import { mockMain } from '../../mock/mock-main.ts';
import type { Command } from '../command.ts';

/** `longrun mock`. */
export const mockCommand: Command = {
  name: 'mock',
  summary: 'mock a spec: Prism answering its examples, or --stateful operations that run to their outcome',
  run: (args) =>
    mockMain(
      args,
      'longrun mock --spec api.yaml [--dynamic] | --stateful [--duration <ms>] [--bare | --proxy] [--port 4010] [--host 127.0.0.1]',
    ),
};
