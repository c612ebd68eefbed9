import { startWordCounts } from './word-counts.ts';

// Served as in production: responses are checked on a sample and a bad one is logged, not answered 500.
const server = await startWordCounts({ dataDir: '.data', validateResponses: 'log' });
const { url } = await server.listen(Number(process.env.PORT ?? 3000));
console.log(`listening on ${url}`);
// Docker and Ctrl-C stop it cleanly: accepted operations stay in the store and resume on the next start.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void server.close());
