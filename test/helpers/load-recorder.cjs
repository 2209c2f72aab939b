// Preloaded with -r by test/e2e/startup-modules.test.ts: records every module a process asks
// for (require), every file it loaded and every worker thread it started, and writes them as
// JSON to $TUNICOIN_LOAD_LOG at exit; a worker thread (which preloads it too) writes its own
// to $TUNICOIN_LOAD_LOG.worker. CommonJS, so it adds no ESM loader to the process.
const Module = require('node:module');
const { writeFileSync } = require('node:fs');
const threads = require('node:worker_threads');

const requested = new Set();
const load = Module._load;
Module._load = function (request, ...rest) {
  requested.add(request);
  return load.call(this, request, ...rest);
};
let workers = 0;
const Worker = threads.Worker;
threads.Worker = class extends Worker {
  constructor(...args) {
    workers++;
    super(...args);
  }
};
const record = () => {
  if (!process.env.TUNICOIN_LOAD_LOG) return;
  writeFileSync(
    `${process.env.TUNICOIN_LOAD_LOG}${threads.isMainThread ? '' : '.worker'}`,
    JSON.stringify({ requested: [...requested], files: Object.keys(require.cache), workers }),
  );
};
process.on('exit', record);
// a worker that is terminated emits no exit event: it records what it loaded as it goes
if (!threads.isMainThread) setInterval(record, 20).unref();
