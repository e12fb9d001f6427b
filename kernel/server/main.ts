/**
 * The kernel process: JSON-RPC over node IPC when forked (the extension), else over stdio.
 * Plain Node: it never imports vscode. Logs go to stderr, which the extension shows.
 */
import { createMessageConnection, ResponseError, type CancellationToken, type MessageConnection } from 'vscode-jsonrpc/node';
import { IPCMessageReader, IPCMessageWriter, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import { requestParamSchemas } from '../protocol/schemas';
import type { Requests } from '../protocol/types';
import { KernelService, ServiceError } from './service';

export function serve(connection: MessageConnection): KernelService {
  const service = new KernelService((method, params) => {
    void connection.sendNotification(method, params);
  });
  for (const method of Object.keys(requestParamSchemas) as (keyof Requests)[]) {
    // vscode-jsonrpc calls a handler with (params, token), with (token) alone when a request has
    // no params (JSON-RPC allows that), and spreads positional params: take the params back out.
    connection.onRequest(method, async (...args: unknown[]) => {
      const params = args.length === 1 ? undefined : args.length === 2 ? args[0] : args.slice(0, -1);
      const token = args[args.length - 1] as CancellationToken;
      // JSON-RPC's $/cancelRequest, as the AbortSignal the kernel's cancellation points watch.
      const abort = new AbortController();
      const listener = token.onCancellationRequested(() => abort.abort());
      try {
        return await service.handle(method, params, abort.signal);
      } catch (e) {
        if (e instanceof ServiceError) return new ResponseError(e.code, e.message, e.data);
        process.stderr.write(`[kernel] ${method} failed: ${(e as Error).stack ?? e}\n`);
        return new ResponseError(-32603, `${method} failed: ${(e as Error).message}`);
      } finally {
        listener.dispose();
      }
    });
  }
  // The kernel takes no notifications; say so rather than ignore silently.
  connection.onNotification((method: string) => {
    process.stderr.write(`[kernel] ignored notification ${method}\n`);
  });
  return service;
}

if (require.main === module) {
  const connection = process.send
    ? createMessageConnection(new IPCMessageReader(process), new IPCMessageWriter(process))
    : createMessageConnection(new StreamMessageReader(process.stdin), new StreamMessageWriter(process.stdout));
  const service = serve(connection);
  connection.onClose(() => {
    service.cancelAll();
    setTimeout(() => process.exit(0), 200);
  });
  connection.listen();
  process.stderr.write(`[kernel] ready pid=${process.pid} node=${process.version}\n`);
}
