// Runs the in-process EventStoreDB test double as a standalone server, so the whole application
// can run against it without Docker:  tsx scripts/esdb-double.ts --port 2113 [--host 127.0.0.1]
// then EVENTSTORE_URL=esdb://127.0.0.1:2113?tls=false. The log lives in memory only.
import { parseArgs } from 'node:util';
import { startEsdbDouble } from '../test/support/esdb-double/esdb-double.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '2113' },
    host: { type: 'string', default: '127.0.0.1' },
    'no-batch-append': { type: 'boolean', default: false },
  },
});

const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65_535) {
  console.error(`--port must be an integer from 0 to 65535, got ${values.port}`);
  process.exit(2);
}

const double = await startEsdbDouble({ port, host: values.host, batchAppend: !values['no-batch-append'] });
console.log(`EventStoreDB test double listening: EVENTSTORE_URL=${double.connectionString}`);
console.log('In-memory only: everything is lost when it stops. Ctrl-C to stop.');

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void double.stop().then(() => process.exit(0));
  });
}
