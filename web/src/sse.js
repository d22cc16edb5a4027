// Server-Sent Events over fetch() (EventSource cannot send the Authorization header).
// Reconnects after the server closes the stream or the network drops, with Last-Event-ID.
import { authHeaders } from './api.js';

export function openStream(path, onEvent, { onState = () => {} } = {}) {
  let lastId = null;
  let retry = 3000;
  let stopped = false;
  let controller = null;

  async function connect() {
    while (!stopped) {
      controller = new AbortController();
      try {
        const headers = authHeaders({ Accept: 'text/event-stream' });
        if (lastId) headers['Last-Event-ID'] = lastId;
        const response = await fetch(path, { headers, signal: controller.signal, cache: 'no-store' });
        if (response.status === 401 || response.status === 403) {
          onState('unauthorized');
          return;
        }
        if (!response.ok || !response.body) throw new Error(`HTTP ${response.status}`);
        onState('open');
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value.replace(/\r\n?/g, '\n');
          let cut;
          while ((cut = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, cut);
            buffer = buffer.slice(cut + 2);
            const event = { event: 'message', data: '', id: null };
            const data = [];
            for (const line of block.split('\n')) {
              if (!line || line.startsWith(':')) continue;
              const colon = line.indexOf(':');
              const name = colon < 0 ? line : line.slice(0, colon);
              const val = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
              if (name === 'data') data.push(val);
              else if (name === 'event') event.event = val;
              else if (name === 'id') event.id = val;
              else if (name === 'retry' && /^\d+$/.test(val)) retry = Number(val);
            }
            if (event.id) lastId = event.id;
            if (data.length) {
              event.data = data.join('\n');
              try {
                onEvent(event);
              } catch (err) {
                console.error(err);
              }
            }
          }
        }
      } catch (err) {
        if (stopped) return;
        onState('reconnecting');
      }
      if (!stopped) await new Promise((resolve) => setTimeout(resolve, retry));
    }
  }

  connect();
  return {
    close() {
      stopped = true;
      if (controller) controller.abort();
    },
  };
}
