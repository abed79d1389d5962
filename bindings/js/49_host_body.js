// Bodies that flow through the host as streams: request bodies still arriving from the client
// (the host picks the id and hands it to dispatch in place of the bytes) and response bodies the
// host pulls chunk by chunk while it writes them to the socket (JS picks the id). Both are driven
// by the reader: nothing is read from the socket, or pulled from the worker's stream, before the
// other side can take it.
(function (internal, global) {
  'use strict';
  const streams = internal.streams;  // loaded on first use (35_streams)
  const {bodyRead, bodyCancel, bodyChunkOut} = internal;
  const {Promise, PromisePrototypeThen, TypeError, Uint8Array} = internal.primordials;
  const ArrayBufferIsView = ArrayBuffer.isView;

  const incoming = new Map();  // id -> {controller, resolve}: a pull waiting for the host
  const outgoing = new Map();  // id -> reader of a response body the host pulls
  let nextOutgoingId = 1;

  // `signal` (optional): aborting it errors the stream with its reason and drops the rest of the
  // body (a fetch() response body read after its request was aborted).
  internal.newHostBodyStream = function (id, signal = undefined) {
    return new streams.ReadableStream({
      type: 'bytes',
      start(controller) {
        if (signal === undefined) return;
        signal.addEventListener('abort', () => {
          const waiting = incoming.get(id);
          incoming.delete(id);
          bodyCancel(id);
          try {
            controller.error(signal.reason);
          } catch {}  // closed already: nothing left to abort
          if (waiting !== undefined) waiting.resolve();
        }, {once: true});
      },
      pull(controller) {
        return new Promise((resolve) => {
          incoming.set(id, {controller, resolve});
          bodyRead(id);
        });
      },
      cancel() {
        incoming.delete(id);
        bodyCancel(id);
      },
    });
  };

  internal.bodyChunk = function (id, chunk) {
    const waiting = incoming.get(id);
    if (waiting === undefined) return;
    incoming.delete(id);
    const {controller, resolve} = waiting;
    if (chunk === null) {
      controller.close();
      // A BYOB read waiting when the body ends gets its (empty) view back this way.
      if (controller.byobRequest) controller.byobRequest.respond(0);
    } else if (typeof chunk === 'string') {
      controller.error(new TypeError(`The request body could not be read: ${chunk}`));
    } else {
      controller.enqueue(chunk);
    }
    resolve();
  };

  // Takes the stream for the host to pull; returns its id (the response parts' body).
  internal.registerResponseBody = function (stream) {
    const id = nextOutgoingId++;
    if (nextOutgoingId > 0x7fffffff) nextOutgoingId = 1;
    outgoing.set(id, stream.getReader());
    return id;
  };

  function fail(id, reader, why) {
    outgoing.delete(id);
    PromisePrototypeThen(reader.cancel(why), undefined, () => {});
    bodyChunkOut(id, why);
  }

  internal.pullBody = function (id, cancel) {
    const reader = outgoing.get(id);
    if (reader === undefined) return;
    if (cancel) {
      outgoing.delete(id);
      PromisePrototypeThen(reader.cancel(), undefined, () => {});
      return;
    }
    PromisePrototypeThen(reader.read(), (result) => {
      if (!outgoing.has(id)) return;  // cancelled meanwhile
      if (result.done) {
        outgoing.delete(id);
        bodyChunkOut(id, null);
        return;
      }
      let chunk = result.value;
      if (chunk instanceof ArrayBuffer) chunk = new Uint8Array(chunk);
      else if (ArrayBufferIsView(chunk) && !(chunk instanceof Uint8Array)) {
        chunk = new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      }
      if (!(chunk instanceof Uint8Array)) {
        const type = chunk === null ? 'null' : typeof chunk;
        fail(id, reader, `the response body stream produced a chunk of type ${type}; ` +
                         'chunks must be Uint8Array (encode strings with TextEncoder or ' +
                         'pipe through a TextEncoderStream)');
        return;
      }
      bodyChunkOut(id, chunk);
    }, (error) => {
      if (!outgoing.has(id)) return;
      outgoing.delete(id);
      let text;
      try {
        text = error instanceof Error ? `${error.name}: ${error.message}` : `${error}`;
      } catch {
        text = 'an exception that cannot be printed';
      }
      bodyChunkOut(id, `the response body stream errored: ${text}`);
    });
  };
});
