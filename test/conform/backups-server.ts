/**
 * A backup API in Azure's long-running-operation dialect, on plain `node:http`, serving
 * `fixtures/backups.yaml`: `PUT` answers 201 with `Azure-AsyncOperation`, the operation status is
 * `NotStarted` → `InProgress` → `Succeeded`, and the outcome is read from the original URI.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

const queuedMs = 100;
const durationMs = 800;

/** Starts the server on a free loopback port; resolves to its URL and a stop function. */
export async function startBackupsServer(): Promise<{ url: string; stop(): Promise<void> }> {
  const operations = new Map<string, { createdAt: number; backup: string }>();
  const backups = new Map<string, { retentionDays: number; operation: string }>();
  const status = (id: string) => {
    const elapsed = Date.now() - (operations.get(id)?.createdAt ?? 0);
    return elapsed < queuedMs ? 'NotStarted' : elapsed < durationMs ? 'InProgress' : 'Succeeded';
  };
  const provisioningState = (operation: string) =>
    ({ NotStarted: 'Accepted', InProgress: 'Provisioning', Succeeded: 'Succeeded' })[status(operation)];

  const server = createServer(async (request, response) => {
    let text = '';
    for await (const chunk of request) text += chunk;
    const url = new URL(request.url ?? '/', 'http://localhost');
    const backup = /^\/backups\/([a-z0-9-]{1,40})$/.exec(url.pathname)?.[1];
    if (backup !== undefined && request.method === 'PUT') {
      let body: { retentionDays?: unknown } = {};
      try {
        body = JSON.parse(text) as { retentionDays?: unknown };
      } catch {}
      const days = body.retentionDays;
      if (
        typeof days !== 'number' ||
        !Number.isInteger(days) ||
        days < 1 ||
        days > 365 ||
        Object.keys(body).length !== 1
      )
        return error(response, 400, 'InvalidRequestContent', 'retentionDays must be a whole number of days, 1 to 365.');
      const operation = randomUUID();
      operations.set(operation, { createdAt: Date.now(), backup });
      backups.set(backup, { retentionDays: days, operation });
      return json(
        response,
        201,
        { name: backup, retentionDays: days, provisioningState: 'Accepted' },
        {
          'Azure-AsyncOperation': `/operations/${operation}`,
          'Retry-After': '1',
        },
      );
    }
    const found = backup === undefined ? undefined : backups.get(backup);
    if (found && request.method === 'GET')
      return json(response, 200, {
        name: backup,
        retentionDays: found.retentionDays,
        provisioningState: provisioningState(found.operation),
      });
    const operation = /^\/operations\/([^/]+)$/.exec(url.pathname)?.[1];
    if (operation !== undefined && operations.has(operation) && request.method === 'GET') {
      const state = status(operation);
      return json(response, 200, { id: operation, status: state }, state === 'Succeeded' ? {} : { 'Retry-After': '1' });
    }
    return error(response, 404, 'NotFound', `No ${url.pathname}.`);
  });
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async stop() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

function json(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  response.writeHead(status, { 'Content-Type': 'application/json', ...headers }).end(JSON.stringify(body));
}

function error(response: ServerResponse, status: number, code: string, message: string) {
  json(response, status, { error: { code, message } });
}
