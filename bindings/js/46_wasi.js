// The `WASI` global: WASI preview1 for WebAssembly commands and reactors, in the style of
// node:wasi and @cloudflare/workers-wasi. The system calls are C++ (bindings/wasi_host.h); this
// file checks options, builds the import object from the natives (bound to this instance's
// state and its memory) and runs _start / _initialize. Made on first use (a lazy global), so
// isolates that never touch WASI don't carry it.
(function (internal, global) {
  'use strict';
  const {wasiCreate, wasiOutput, wasiExitCode, wasiFunctionNames, encodeUtf8} = internal;
  const {TypeError, Uint8Array, ArrayIsArray, ObjectKeys, ObjectFreeze, ObjectCreate} =
      internal.primordials;
  // WebAssembly is installed on the context after the snapshot is made: taken at first use.
  let Instance, Memory;
  const kEnosys = 52;

  function toBytes(value, what) {
    if (typeof value === 'string') return encodeUtf8(value);
    if (value instanceof ArrayBuffer) return new Uint8Array(value);
    if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
    throw new TypeError(`WASI: ${what} must be a string, an ArrayBuffer or an ArrayBufferView`);
  }

  function noNul(s, what) {
    if (s.indexOf('\0') !== -1) throw new TypeError(`WASI: ${what} must not contain a NUL character`);
    return s;
  }

  function readOptions(options) {
    if (options === undefined) options = {};
    if (options === null || typeof options !== 'object') {
      throw new TypeError('WASI: options must be an object such as {args: ["prog"], env: {KEY: "value"}}');
    }
    const {args = [], env = {}, stdin, stdout, stderr, returnOnExit = true, version} = options;
    if (options.preopens !== undefined) {
      throw new TypeError('WASI: options.preopens is not supported: the directories a WASI program may read are set in the worker\'s config ("wasi": {"preopens": {...}})');
    }
    if (version !== undefined && version !== 'preview1') {
      throw new TypeError(`WASI: version must be "preview1" (the only one supported), got ${String(version)}`);
    }
    if (!ArrayIsArray(args)) throw new TypeError('WASI: options.args must be an array of strings');
    const argList = [];
    for (let i = 0; i < args.length; i++) {
      if (typeof args[i] !== 'string') {
        throw new TypeError(`WASI: options.args[${i}] must be a string, got ${typeof args[i]}`);
      }
      argList.push(noNul(args[i], `options.args[${i}]`));
    }
    if (env === null || typeof env !== 'object' || ArrayIsArray(env)) {
      throw new TypeError('WASI: options.env must be an object mapping names to strings');
    }
    const envList = [];
    for (const name of ObjectKeys(env)) {
      const value = env[name];
      if (typeof value !== 'string') {
        throw new TypeError(`WASI: options.env.${name} must be a string, got ${typeof value}`);
      }
      if (name === '' || name.indexOf('=') !== -1) {
        throw new TypeError(`WASI: options.env has an invalid name ${JSON.stringify(name)} (empty or containing "=")`);
      }
      envList.push(noNul(name, 'an env name') + '=' + noNul(value, `options.env.${name}`));
    }
    const stdinBytes = stdin === undefined ? undefined : toBytes(stdin, 'options.stdin');
    for (const [name, sink] of [['stdout', stdout], ['stderr', stderr]]) {
      if (sink !== undefined && (sink === null || typeof sink.getWriter !== 'function')) {
        throw new TypeError(`WASI: options.${name} must be a WritableStream, or left out to collect the bytes in wasi.${name}`);
      }
    }
    if (typeof returnOnExit !== 'boolean') throw new TypeError('WASI: options.returnOnExit must be a boolean');
    return {argList, envList, stdinBytes, stdout, stderr, returnOnExit};
  }

  function exportsOf(instance, method) {
    if (!(instance instanceof Instance)) {
      throw new TypeError(`WASI: ${method}() needs a WebAssembly.Instance`);
    }
    const exports = instance.exports;
    if (!(exports.memory instanceof Memory)) {
      throw new TypeError(`WASI: ${method}(): the instance must export its memory as "memory"`);
    }
    return exports;
  }

  function makeWASI() {
    ({Instance, Memory} = global.WebAssembly);
    class WASI {
      #handle;
      #pair;  // [handle, memory]: the first argument every import native is bound to
      #import;
      #started = false;
      #returnOnExit;
      #writers = [undefined, undefined, undefined];  // fd -> WritableStreamDefaultWriter

      constructor(options = undefined) {
        const o = readOptions(options);
        this.#handle = wasiCreate(o.argList, o.envList, o.stdinBytes);
        this.#pair = [this.#handle, undefined];
        this.#returnOnExit = o.returnOnExit;
        const imports = ObjectCreate(null);
        for (const name of wasiFunctionNames()) {
          const native = internal['wasi_' + name];
          imports[name] = native === undefined ? () => kEnosys : native.bind(undefined, this.#pair);
        }
        if (o.stdout !== undefined) this.#writers[1] = o.stdout.getWriter();
        if (o.stderr !== undefined) this.#writers[2] = o.stderr.getWriter();
        if (o.stdout !== undefined || o.stderr !== undefined) {
          // Streamed output: each write goes on to the stream as it happens.
          const write = imports.fd_write;
          imports.fd_write = (fd, iovs, count, nwritten) => {
            const result = write(fd, iovs, count, nwritten);
            const writer = fd === 1 || fd === 2 ? this.#writers[fd] : undefined;
            if (writer !== undefined) {
              const chunk = wasiOutput(this.#handle, fd, true);
              if (chunk.length > 0) writer.write(chunk).catch(() => {});
            }
            return result;
          };
        }
        this.#import = ObjectFreeze(imports);
      }

      // The wasi_snapshot_preview1 functions, for WebAssembly.instantiate's import object.
      get wasiImport() { return this.#import; }
      getImportObject() { return {wasi_snapshot_preview1: this.#import}; }

      // Runs a command's _start; returns its exit code (0 when it returns from main).
      start(instance) {
        const exports = exportsOf(instance, 'start');
        if (typeof exports._start !== 'function') {
          throw new TypeError('WASI: start(): the instance has no _start export (a reactor? use initialize())');
        }
        if (typeof exports._initialize === 'function') {
          throw new TypeError('WASI: start(): the instance exports both _start and _initialize');
        }
        this.#begin('start', exports.memory);
        let failure;
        try {
          exports._start();
          return 0;
        } catch (error) {
          const code = wasiExitCode(this.#handle);
          if (code < 0 || !this.#returnOnExit) {
            failure = error;
            throw error;
          }
          return code;
        } finally {
          this.#end(failure);
        }
      }

      // Prepares a reactor: calls its _initialize (if any) once; its exports are then usable.
      initialize(instance) {
        const exports = exportsOf(instance, 'initialize');
        if (typeof exports._start === 'function') {
          throw new TypeError('WASI: initialize(): the instance has a _start export (a command? use start())');
        }
        this.#begin('initialize', exports.memory);
        if (typeof exports._initialize === 'function') exports._initialize();
      }

      // Everything the program wrote to stdout / stderr so far (not streamed elsewhere).
      get stdout() { return wasiOutput(this.#handle, 1, false); }
      get stderr() { return wasiOutput(this.#handle, 2, false); }
      // The code the program passed to proc_exit (exit()), or null.
      get exitCode() {
        const code = wasiExitCode(this.#handle);
        return code < 0 ? null : code;
      }

      #begin(method, memory) {
        if (this.#started) {
          throw new TypeError(`WASI: ${method}(): this WASI object was already started; make a new one per instance`);
        }
        this.#started = true;
        this.#pair[1] = memory;
      }

      // Ends the output streams: closed after a normal end, errored with the failure (a trap,
      // a limit) otherwise, so a reader learns the output is incomplete.
      #end(failure) {
        for (const fd of [1, 2]) {
          const writer = this.#writers[fd];
          if (writer === undefined) continue;
          const rest = wasiOutput(this.#handle, fd, true);
          if (rest.length > 0) writer.write(rest).catch(() => {});
          (failure === undefined ? writer.close() : writer.abort(failure)).catch(() => {});
          this.#writers[fd] = undefined;
        }
      }
    }
    internal.setToStringTag(WASI, 'WASI');
    return WASI;
  }

  // WAGI and other builtins use the class without going through the (replaceable) global.
  let WASIClass;
  internal.wasiClass = () => (WASIClass ??= makeWASI());
  internal.defineLazyGlobal('WASI', internal.wasiClass);
})
