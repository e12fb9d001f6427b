/**
 * An episode worker thread (see pool.ts): runs the tasks it is sent, one at a time, and replies
 * with each outcome under the task's id. Bundled as dist/ncap-worker.js.
 */
import { parentPort } from 'worker_threads';
import { BodyCache, runTask, type WorkerReply, type WorkerRequest } from './pool';

const bodies = new BodyCache();
const port = parentPort;
if (!port) throw new Error('ncap worker: not started as a worker thread');
port.on('message', async ({ id, task }: WorkerRequest) => {
  let reply: WorkerReply;
  try {
    reply = { id, outcome: await runTask(task, bodies) };
  } catch (e) {
    reply = { id, error: e instanceof Error ? e.message : String(e) };
  }
  port.postMessage(reply);
});
