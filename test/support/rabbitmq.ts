/**
 * A real RabbitMQ for the workers suites: the one this machine runs (`LONGRUN_TEST_AMQP_URL`, or
 * `amqp://guest:guest@127.0.0.1:5672`) when it answers, else Debian's `rabbitmq-server` started
 * here on free ports in a temporary directory (a fresh CI machine; `.ci/run` installs it).
 *
 * Every test gets its own name prefix, so suites running at once on one broker never share a queue.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'amqplib';

const DEFAULT_URL = process.env.LONGRUN_TEST_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const RABBITMQ_SERVER = '/usr/lib/rabbitmq/bin/rabbitmq-server';

/** A broker for one suite. */
export interface TestBroker {
  url: string;
  /** A fresh name prefix: queues and exchanges no other test uses. */
  newPrefix(): string;
  /** Deletes the queues and exchange under `prefix` (and `taskQueues`). */
  cleanUp(prefix: string, taskQueues: readonly string[]): Promise<void>;
  /** Stops the broker if this suite started it. */
  stop(): Promise<void>;
}

async function answers(url: string): Promise<boolean> {
  try {
    const connection = await connect(url);
    await connection.close();
    return true;
  } catch {
    return false;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function startOwnBroker(): Promise<{ url: string; stop(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'longrun-rabbitmq-'));
  const [port, distPort] = [await freePort(), await freePort()];
  const plugins = join(dir, 'enabled_plugins');
  await writeFile(plugins, '[].\n');
  const child: ChildProcess = spawn(RABBITMQ_SERVER, [], {
    env: {
      ...process.env,
      HOME: dir,
      RABBITMQ_NODENAME: `longrun-test-${port}@localhost`,
      RABBITMQ_NODE_IP_ADDRESS: '127.0.0.1',
      RABBITMQ_NODE_PORT: String(port),
      RABBITMQ_DIST_PORT: String(distPort),
      RABBITMQ_MNESIA_BASE: join(dir, 'mnesia'),
      RABBITMQ_LOG_BASE: join(dir, 'log'),
      RABBITMQ_ENABLED_PLUGINS_FILE: plugins,
      RABBITMQ_CONFIG_FILE: join(dir, 'rabbitmq'),
    },
    stdio: 'ignore',
  });
  const url = `amqp://guest:guest@127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  while (!(await answers(url))) {
    if (child.exitCode !== null) throw new Error(`rabbitmq-server exited with code ${child.exitCode}`);
    if (Date.now() > deadline) throw new Error('rabbitmq-server did not start within 60 s');
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return {
    url,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** The machine's broker, or one started for this suite. */
export async function startTestBroker(): Promise<TestBroker> {
  const own = (await answers(DEFAULT_URL)) ? undefined : await startOwnBroker();
  const url = own?.url ?? DEFAULT_URL;
  return {
    url,
    newPrefix: () => `longrun-test-${randomUUID().slice(0, 8)}`,
    async cleanUp(prefix, taskQueues) {
      const connection = await connect(url);
      const channel = await connection.createChannel();
      for (const queue of [`${prefix}.events`, `${prefix}.dead-letter`, ...taskQueues]) {
        await channel.deleteQueue(queue);
      }
      await channel.deleteExchange(`${prefix}.control`);
      await connection.close();
    },
    stop: async () => {
      await own?.stop();
    },
  };
}
