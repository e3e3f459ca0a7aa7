// The load generator: autocannon, driven over IPC by the runner (lib/load.ts), in a process of
// its own on the runner's core. It keeps one load going and measures windows inside it, so a
// measured window never includes the ramp-up or the tail of requests still in flight at the
// end: the runner marks the window's start and asks for its report while the load goes on.
// Plain JavaScript so that the root type check never needs autocannon installed.
import autocannon from 'autocannon';

let instance;
let window;

function freshWindow() {
  return { started: performance.now(), latencies: [], ok: 0, non2xx: 0, errors: 0, timeouts: 0, bytes: 0 };
}

function percentile(sorted, p) {
  if (sorted.length === 0) return 0;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index];
}

function report() {
  const seconds = (performance.now() - window.started) / 1000;
  const sorted = Float64Array.from(window.latencies).sort();
  const requests = window.ok + window.non2xx;
  return {
    type: 'report',
    seconds,
    requests,
    ok: window.ok,
    non2xx: window.non2xx,
    errors: window.errors,
    timeouts: window.timeouts,
    bytes: window.bytes,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted.length === 0 ? 0 : sorted[sorted.length - 1],
  };
}

process.on('message', (message) => {
  switch (message.type) {
    case 'start': {
      window = freshWindow();
      instance = autocannon({
        url: message.url,
        method: 'POST',
        headers: message.headers,
        body: message.body,
        connections: message.connections,
        duration: message.maxSeconds,
        timeout: message.timeoutSeconds,
      });
      instance.on('response', (_client, statusCode, bytes, responseTime) => {
        if (statusCode >= 200 && statusCode < 300) window.ok += 1;
        else window.non2xx += 1;
        window.bytes += bytes;
        window.latencies.push(responseTime);
      });
      instance.on('reqError', (error) => {
        window.errors += 1;
        if (error && /timeout/i.test(String(error.code ?? error.message))) window.timeouts += 1;
      });
      // Results are read from the windows; autocannon's own summary is not printed.
      instance.on('done', () => process.send?.({ type: 'done' }));
      process.send?.({ type: 'started' });
      break;
    }
    case 'mark':
      window = freshWindow();
      process.send?.({ type: 'marked' });
      break;
    case 'report':
      process.send?.(report());
      if (message.reset) window = freshWindow();
      break;
    case 'stop':
      if (instance) instance.stop();
      else process.send?.({ type: 'done' });
      break;
    default:
      process.send?.({ type: 'error', message: `unknown message ${JSON.stringify(message)}` });
  }
});

process.on('disconnect', () => process.exit(0));
process.send?.({ type: 'ready' });
