/**
 * `openclaw start --workers N`: one process per core. The primary checks the config once, then
 * forks N workers (node:cluster); each runs a full gateway on the shared port, and the primary
 * hands them connections. It prints the ready line when all of them listen, replaces a worker
 * that dies after start-up, and on SIGINT/SIGTERM asks every worker to close (each lets its
 * gateway close as a single process would) and exits once they are all gone. Workers share
 * no memory: whatever instances must agree on lives in Redis or PostgreSQL (docs/cli.md).
 */
import cluster, { type Worker } from 'node:cluster';
import { isGatewayError } from '../errors/index.js';
import { reportFailure, type CliContext } from './io.js';
import { ignoredSourcesNote } from './notes.js';
import { loadForStart, readyLine, startFromConfig, type StartSettings } from './serve.js';
import { listenForShutdown } from './signals.js';

/** Messages from a worker to the primary. */
type FromWorker =
  | { type: 'openclaw:ready'; line: string }
  | { type: 'openclaw:failed'; code: string; message: string };

const SHUTDOWN = 'openclaw:shutdown';

function isFromWorker(value: unknown): value is FromWorker {
  const type = (value as { type?: unknown } | null)?.type;
  return type === 'openclaw:ready' || type === 'openclaw:failed';
}

function isShutdown(value: unknown): boolean {
  return (value as { type?: unknown } | null)?.type === SHUTDOWN;
}

function toPrimary(message: FromWorker): void {
  if (process.send !== undefined && process.connected) process.send(message);
}

/**
 * In a worker: start the gateway, tell the primary (its ready line, or why it failed), and
 * serve until the primary asks to stop, a signal arrives, or the primary is gone. Resolves with
 * the exit code. The failure itself is reported once, by the primary (with `OPENCLAW_DEBUG=1`
 * the worker also writes its stack trace).
 */
export async function runWorker(settings: StartSettings, ctx: CliContext): Promise<number> {
  const shutdown = listenForShutdown(ctx.stderr);
  const onMessage = (message: unknown): void => {
    if (isShutdown(message)) shutdown.stop('primary');
  };
  // Without its primary nothing would ever stop this worker.
  const onDisconnect = (): void => shutdown.stop('primary');
  process.on('message', onMessage);
  process.on('disconnect', onDisconnect);
  try {
    const { gateway, config } = await startFromConfig(settings, ctx, { fields: { worker: cluster.worker?.id }, quiet: true });
    toPrimary({ type: 'openclaw:ready', line: readyLine(gateway.url, config, gateway.adminUrl) });
    await shutdown.received;
    await gateway.close();
    return 0;
  } catch (error) {
    toPrimary({
      type: 'openclaw:failed',
      code: isGatewayError(error) ? error.code : 'INTERNAL_SERVER_ERROR',
      message: error instanceof Error ? error.message : String(error),
    });
    if (ctx.env.OPENCLAW_DEBUG === '1') reportFailure(error, ctx, false);
    return 1;
  } finally {
    shutdown.dispose();
    process.off('message', onMessage);
    process.off('disconnect', onDisconnect);
  }
}

/**
 * In the primary: check the config, fork `count` workers running this same command line, and
 * supervise them until a signal (exit 0 once every worker has closed; 1 if one failed to
 * close) or a worker that fails to start (its error reported once, the others stopped, 1).
 */
export async function runPrimary(count: number, settings: StartSettings, ctx: CliContext): Promise<number> {
  // A bad config is one error here, not one per worker.
  let loaded: Awaited<ReturnType<typeof loadForStart>>;
  try {
    loaded = await loadForStart(settings, ctx);
  } catch (error) {
    return reportFailure(error, ctx, false);
  }
  const { config, logger } = loaded;
  const note = ignoredSourcesNote(config);
  if (note !== undefined) logger.warn(note, { ignored: config.ignoredSources });

  const live = new Set<Worker>();
  const ready = new Set<Worker>();
  let phase: 'starting' | 'serving' | 'stopping' = 'starting';
  let exitCode = 0;
  let failure: { code: string; message: string } | undefined;
  let finish: (code: number) => void = () => undefined;
  const done = new Promise<number>((resolve) => {
    finish = resolve;
  });

  const shutdown = listenForShutdown(ctx.stderr, () => {
    for (const worker of live) worker.process.kill('SIGKILL');
    process.exit(130);
  });

  const stopAll = (code: number): void => {
    exitCode = Math.max(exitCode, code);
    if (phase === 'stopping') return;
    phase = 'stopping';
    for (const worker of live) {
      if (worker.isConnected()) worker.send({ type: SHUTDOWN });
      else worker.process.kill('SIGTERM');
    }
    if (live.size === 0) finish(exitCode);
  };

  const fork = (): void => {
    const worker = cluster.fork();
    live.add(worker);
    worker.on('message', (message: unknown) => {
      if (!isFromWorker(message)) return;
      if (message.type === 'openclaw:failed') {
        failure ??= { code: message.code, message: message.message };
        return;
      }
      ready.add(worker);
      if (phase === 'starting' && ready.size === count) {
        phase = 'serving';
        const pids = [...ready].map((each) => each.process.pid).join(', ');
        ctx.stdout.write(`Started ${count} worker${count === 1 ? '' : 's'} (pids ${pids}), each a full gateway on the same port.\n`);
        ctx.stdout.write(message.line);
      } else if (phase === 'serving') {
        logger.info('replacement worker ready', { worker: worker.id, pid: worker.process.pid });
      }
      // A worker that became ready after a stop began (it got the request while starting) closes by itself.
    });
    worker.on('exit', (code, signal) => {
      live.delete(worker);
      const wasReady = ready.delete(worker);
      if (phase === 'stopping') {
        if (code !== 0) exitCode = 1;
        if (live.size === 0) finish(exitCode);
      } else if (!wasReady) {
        const reason = failure ?? { code: 'INTERNAL_SERVER_ERROR', message: `worker ${worker.id} exited (${signal ?? `code ${code}`}) before it was ready.` };
        ctx.stderr.write(`error[${reason.code}]: ${reason.message}\n`);
        stopAll(1);
      } else {
        logger.error('worker exited; starting a replacement', { worker: worker.id, code, signal });
        fork();
      }
    });
  };

  void shutdown.received.then((reason) => {
    if (phase === 'stopping') return;
    ctx.stdout.write(`Received ${reason}; closing ${live.size} worker${live.size === 1 ? '' : 's'}.\n`);
    stopAll(0);
  });
  for (let index = 0; index < count; index += 1) fork();
  try {
    return await done;
  } finally {
    shutdown.dispose();
  }
}
