// console.* : formats its arguments the way Node and browsers do (util.format / inspect, one
// line) and hands the text to the host, which logs it with the worker's name.
(function (internal, global) {
  'use strict';
  const {
    ArrayIsArray, ArrayPrototypeJoin, ArrayPrototypePush, ObjectGetPrototypeOf, ObjectKeys,
    ObjectPrototypeToString, ReflectOwnKeys, JSONStringify, kInspect,
  } = internal.primordials;
  const log = internal.log;
  const kDebug = 0, kInfo = 1, kWarn = 2, kError = 3;
  const kMaxItems = 100;
  const identifierRe = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

  function quote(s) {
    return "'" + s.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n') + "'";
  }

  function constructorName(value) {
    let proto = ObjectGetPrototypeOf(value);
    if (proto === null) return '[Object: null prototype]';
    const ctor = proto.constructor;
    return typeof ctor === 'function' && typeof ctor.name === 'string' ? ctor.name : 'Object';
  }

  function formatKey(key) {
    if (typeof key === 'symbol') return '[' + key.toString() + ']';
    return identifierRe.test(key) ? key : quote(key);
  }

  function inspectError(err) {
    try {
      const stack = err.stack;
      if (typeof stack === 'string' && stack.length > 0) return stack;
      return String(err.name) + ': ' + String(err.message);
    } catch {
      return '[Error]';
    }
  }

  function inspect(value, depth = 2, seen = []) {
    switch (typeof value) {
      case 'string': return quote(value);
      case 'number': return Object.is(value, -0) ? '-0' : String(value);
      case 'bigint': return String(value) + 'n';
      case 'boolean': case 'undefined': return String(value);
      case 'symbol': return value.toString();
      case 'function': {
        const text = Function.prototype.toString.call(value);
        if (text.startsWith('class')) return '[class ' + (value.name || '(anonymous)') + ']';
        return value.name ? '[Function: ' + value.name + ']' : '[Function (anonymous)]';
      }
    }
    if (value === null) return 'null';
    if (seen.includes(value)) return '[Circular]';
    if (typeof value[kInspect] === 'function') {
      try {
        const custom = value[kInspect](depth, {}, inspect);
        return typeof custom === 'string' ? custom : inspect(custom, depth, seen);
      } catch { /* fall through to the generic format */ }
    }
    if (value instanceof Error) return inspectError(value);
    if (value instanceof Date) return isNaN(value) ? 'Invalid Date' : value.toISOString();
    if (value instanceof RegExp) return String(value);
    if (value instanceof Promise) return 'Promise { <unknown> }';
    if (value instanceof WeakMap || value instanceof WeakSet) return constructorName(value) + ' { <items unknown> }';
    if (value instanceof ArrayBuffer) return 'ArrayBuffer { byteLength: ' + value.byteLength + ' }';
    if (depth < 0) return ArrayIsArray(value) ? '[Array]' : '[' + constructorName(value) + ']';

    seen.push(value);
    try {
      const parts = [];
      let prefix = '', open = '{', close = '}';
      if (ArrayIsArray(value) || ArrayBuffer.isView(value)) {
        open = '['; close = ']';
        if (!ArrayIsArray(value)) prefix = constructorName(value) + '(' + value.length + ') ';
        const n = Math.min(value.length, kMaxItems);
        for (let i = 0; i < n; i++) ArrayPrototypePush(parts, inspect(value[i], depth - 1, seen));
        if (value.length > n) ArrayPrototypePush(parts, '... ' + (value.length - n) + ' more items');
        if (ArrayIsArray(value)) {
          for (const key of ObjectKeys(value)) {
            if (!/^\d+$/.test(key)) ArrayPrototypePush(parts, formatKey(key) + ': ' + inspect(value[key], depth - 1, seen));
          }
        }
      } else if (value instanceof Map) {
        prefix = constructorName(value) + '(' + value.size + ') ';
        for (const [k, v] of value) ArrayPrototypePush(parts, inspect(k, depth - 1, seen) + ' => ' + inspect(v, depth - 1, seen));
      } else if (value instanceof Set) {
        prefix = constructorName(value) + '(' + value.size + ') ';
        for (const v of value) ArrayPrototypePush(parts, inspect(v, depth - 1, seen));
      } else {
        const name = constructorName(value);
        const tag = value[Symbol.toStringTag];
        if (name !== 'Object') prefix = name + ' ';
        else if (typeof tag === 'string' && tag !== '') prefix = 'Object [' + tag + '] ';
        for (const key of ReflectOwnKeys(value)) {
          const desc = Object.getOwnPropertyDescriptor(value, key);
          if (!desc.enumerable) continue;
          const shown = 'value' in desc ? inspect(desc.value, depth - 1, seen) : '[Getter' + (desc.set ? '/Setter' : '') + ']';
          ArrayPrototypePush(parts, formatKey(key) + ': ' + shown);
        }
      }
      if (parts.length === 0) return prefix + open + close;
      return prefix + open + ' ' + ArrayPrototypeJoin(parts, ', ') + ' ' + close;
    } finally {
      seen.pop();
    }
  }

  // util.format: printf-style specifiers in a leading string, the rest joined by spaces.
  function format(args) {
    let out = '';
    let i = 0;
    if (typeof args[0] === 'string') {
      const f = args[0];
      i = 1;
      let last = 0;
      for (let j = 0; j < f.length - 1; j++) {
        if (f.charCodeAt(j) !== 37 /* % */) continue;
        const c = f[j + 1];
        let piece;
        if (c === '%') { piece = '%'; }
        else if (i >= args.length) { continue; }
        else if (c === 's') { const a = args[i++]; piece = typeof a === 'string' ? a : (typeof a === 'object' && a !== null ? inspect(a, 1) : String(a)); }
        else if (c === 'd' || c === 'i') { const a = args[i++]; piece = typeof a === 'bigint' ? a + 'n' : String(c === 'i' ? parseInt(a) : Number(a)); }
        else if (c === 'f') { piece = String(parseFloat(args[i++])); }
        else if (c === 'j') { try { piece = JSONStringify(args[i++]); } catch { piece = '[Circular]'; } }
        else if (c === 'o' || c === 'O') { piece = inspect(args[i++], 4); }
        else if (c === 'c') { i++; piece = ''; }
        else { continue; }
        out += f.slice(last, j) + piece;
        last = j + 2;
        j++;
      }
      out += f.slice(last);
    }
    for (; i < args.length; i++) {
      const a = args[i];
      if (out.length > 0 || i > 0) out += ' ';
      out += typeof a === 'string' ? a : inspect(a);
    }
    return out;
  }

  let indent = '';
  function emit(level, args) {
    let text = format(args);
    if (indent) text = indent + text.replace(/\n/g, '\n' + indent);
    log(level, text);
  }

  const counts = new Map();
  const timers = new Map();
  const console = {
    log(...args) { emit(kInfo, args); },
    info(...args) { emit(kInfo, args); },
    debug(...args) { emit(kDebug, args); },
    warn(...args) { emit(kWarn, args); },
    error(...args) { emit(kError, args); },
    trace(...args) {
      const err = new Error(format(args));
      err.name = 'Trace';
      Error.captureStackTrace(err, console.trace);
      emit(kInfo, [err.stack]);
    },
    assert(condition, ...args) {
      if (condition) return;
      if (typeof args[0] === 'string') args[0] = 'Assertion failed: ' + args[0];
      else args.unshift('Assertion failed');
      emit(kError, args);
    },
    dir(value) { emit(kInfo, [inspect(value)]); },
    dirxml(...args) { emit(kInfo, args); },
    table(...args) { emit(kInfo, args); },
    count(label = 'default') {
      label = String(label);
      const n = (counts.get(label) || 0) + 1;
      counts.set(label, n);
      emit(kInfo, [label + ': ' + n]);
    },
    countReset(label = 'default') { counts.delete(String(label)); },
    time(label = 'default') { timers.set(String(label), Date.now()); },
    timeLog(label = 'default', ...args) {
      label = String(label);
      if (!timers.has(label)) return emit(kWarn, ["No such label '" + label + "' for console.timeLog()"]);
      emit(kInfo, [label + ': ' + (Date.now() - timers.get(label)) + 'ms', ...args]);
    },
    timeEnd(label = 'default') {
      label = String(label);
      if (!timers.has(label)) return emit(kWarn, ["No such label '" + label + "' for console.timeEnd()"]);
      emit(kInfo, [label + ': ' + (Date.now() - timers.get(label)) + 'ms']);
      timers.delete(label);
    },
    group(...args) { if (args.length) emit(kInfo, args); indent += '  '; },
    groupCollapsed(...args) { if (args.length) emit(kInfo, args); indent += '  '; },
    groupEnd() { indent = indent.slice(2); },
  };
  Object.defineProperty(console, Symbol.toStringTag, {value: 'console', configurable: true});

  internal.inspect = inspect;
  internal.inspectError = inspectError;
  internal.format = format;
  // An error the worker did not catch (in a timer, a microtask, an event listener).
  internal.reportError = function (error) {
    log(kError, 'Uncaught ' + (error instanceof Error ? inspectError(error) : inspect(error)));
  };
  internal.defineGlobal('console', console);
  internal.defineGlobal('reportError', function reportError(error) { internal.reportError(error); });
});
