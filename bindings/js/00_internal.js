// Captures the built-ins edgerun's own JS relies on before any user code can replace them.
(function (internal, global) {
  'use strict';
  internal.primordials = Object.freeze({
    ArrayIsArray: Array.isArray,
    ObjectFreeze: Object.freeze,
    ObjectDefineProperty: Object.defineProperty,
    PromiseResolve: Promise.resolve.bind(Promise),
    PromisePrototypeThen: Function.prototype.call.bind(Promise.prototype.then),
    JSONParse: JSON.parse,
    JSONStringify: JSON.stringify,
    SymbolToStringTag: Symbol.toStringTag,
    SymbolIterator: Symbol.iterator,
  });
});
