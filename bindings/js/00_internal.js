// Captures the built-ins edgerun's own JS relies on before any user code can replace them, and
// defines helpers shared by the other builtin files (they run in file-name order).
(function (internal, global) {
  'use strict';
  const uncurryThis = (fn) => Function.prototype.call.bind(fn);
  internal.primordials = Object.freeze({
    ArrayIsArray: Array.isArray,
    ArrayPrototypePush: uncurryThis(Array.prototype.push),
    ArrayPrototypeJoin: uncurryThis(Array.prototype.join),
    ArrayPrototypeSort: uncurryThis(Array.prototype.sort),
    ArrayPrototypeMap: uncurryThis(Array.prototype.map),
    ArrayPrototypeSlice: uncurryThis(Array.prototype.slice),
    ObjectCreate: Object.create,
    ObjectDefineProperty: Object.defineProperty,
    ObjectDefineProperties: Object.defineProperties,
    ObjectFreeze: Object.freeze,
    ObjectGetPrototypeOf: Object.getPrototypeOf,
    ObjectKeys: Object.keys,
    ObjectPrototypeToString: uncurryThis(Object.prototype.toString),
    ObjectPrototypeHasOwnProperty: uncurryThis(Object.prototype.hasOwnProperty),
    FunctionPrototypeToString: uncurryThis(Function.prototype.toString),
    ReflectApply: Reflect.apply,
    ReflectOwnKeys: Reflect.ownKeys,
    Promise,
    PromiseResolve: Promise.resolve.bind(Promise),
    PromiseReject: Promise.reject.bind(Promise),
    PromisePrototypeThen: uncurryThis(Promise.prototype.then),
    JSONParse: JSON.parse,
    JSONStringify: JSON.stringify,
    RegExpPrototypeTest: uncurryThis(RegExp.prototype.test),
    StringPrototypeToLowerCase: uncurryThis(String.prototype.toLowerCase),
    StringPrototypeToUpperCase: uncurryThis(String.prototype.toUpperCase),
    StringPrototypeCharCodeAt: uncurryThis(String.prototype.charCodeAt),
    StringPrototypeSlice: uncurryThis(String.prototype.slice),
    StringPrototypeReplace: uncurryThis(String.prototype.replace),
    SymbolIterator: Symbol.iterator,
    SymbolToStringTag: Symbol.toStringTag,
    Uint8Array,
    TypeError,
    RangeError,
    MapPrototypeGet: uncurryThis(Map.prototype.get),
    MapPrototypeSet: uncurryThis(Map.prototype.set),
    MapPrototypeHas: uncurryThis(Map.prototype.has),
    MapPrototypeDelete: uncurryThis(Map.prototype.delete),
    IteratorPrototype: Object.getPrototypeOf(Object.getPrototypeOf([][Symbol.iterator]())),
    // Node's util.inspect hook: libraries use it to print their objects; so do our classes.
    kInspect: Symbol.for('nodejs.util.inspect.custom'),
  });

  // Defines properties the way Web IDL does for interface members: enumerable accessors/methods
  // on the prototype, and a @@toStringTag.
  internal.defineGlobal = function (name, value) {
    Object.defineProperty(global, name, {value, writable: true, configurable: true, enumerable: false});
  };
  internal.setToStringTag = function (ctor, tag) {
    Object.defineProperty(ctor.prototype, Symbol.toStringTag,
                          {value: tag, writable: false, enumerable: false, configurable: true});
  };
  // Web IDL members are enumerable; class syntax makes them non-enumerable.
  internal.makeEnumerable = function (ctor, names) {
    for (const name of names) {
      const desc = Object.getOwnPropertyDescriptor(ctor.prototype, name);
      desc.enumerable = true;
      Object.defineProperty(ctor.prototype, name, desc);
    }
  };
  // Web IDL interfaces without a parent are declared `class X extends internal.PlatformObject` so
  // that their instances are platform objects to V8's serializer (bindings/platform_object.h);
  // this puts Object.prototype back as the parent of X.prototype, as Web IDL specifies.
  internal.platformClass = function (ctor) {
    Object.setPrototypeOf(ctor.prototype, Object.prototype);
  };
  // A global made on first read, as Node does for its lazy globals: a getter that makes the value,
  // puts it in its own place and returns it; assigning before that replaces it as usual. Keeps
  // big APIs out of the heap of every isolate that never uses them.
  const defineProperty = Object.defineProperty;
  internal.defineLazyGlobal = function (name, make) {
    const define = (value) => defineProperty(global, name, {value, writable: true, configurable: true, enumerable: false});
    defineProperty(global, name, {
      get() {
        const value = make();
        define(value);
        return value;
      },
      set: define,
      enumerable: false, configurable: true,
    });
  };
  // A builtin whose body runs on first use: sets api.load to run `load` once and return `api`.
  internal.loadOnce = function (api, load) {
    let loaded = false;
    api.load = function () {
      if (!loaded) {
        loaded = true;
        load();
      }
      return api;
    };
    return api;
  };
  internal.defineGlobal('self', global);
});
