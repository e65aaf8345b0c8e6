import { Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The process's one registry. Every Lectern process is one service, so its series carry that
 * service's name as the `service` label, next to Prometheus's own `job` and `instance`.
 */
export const registry = new Registry();

let started: string | null = null;

/** Names the service and starts Node's process metrics (CPU, memory, event loop, GC); once per process. */
export function startMetrics(service: string): Registry {
  if (started === null) {
    started = service;
    registry.setDefaultLabels({ service });
    collectDefaultMetrics({ register: registry });
  }
  return registry;
}
