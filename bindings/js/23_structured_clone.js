// structuredClone(value, {transfer}) (HTML), natively on V8's serializer (structured_clone.cc).
// Platform objects are refused with a DataCloneError unless a serializer is registered for
// them here: internal.registerCloneable({is, serialize, deserialize}) -- serialize returns
// cloneable plain data, deserialize rebuilds the object from the clone of that data. Blob and
// friends register themselves the same way.
(function (internal, global) {
  'use strict';
  const {TypeError, SymbolIterator} = internal.primordials;
  const {DOMException} = internal;
  const {platformAdopt, PlatformObject} = internal;
  const clone = internal.structuredClone;
  const cloneables = [];

  internal.registerCloneable = (entry) => { cloneables.push(entry); };

  function serializeHost(object) {
    for (let tag = 0; tag < cloneables.length; tag++) {
      if (cloneables[tag].is(object)) return [tag, cloneables[tag].serialize(object)];
    }
    return undefined;
  }
  // `placeholder` is already in the clone's object graph: the constructor that deserialize()
  // runs first adopts it (bindings/platform_object.h), so deserialize must construct its
  // platform object before any other.
  function deserializeHost(tag, data, placeholder) {
    platformAdopt(placeholder);
    let result;
    try {
      result = cloneables[tag].deserialize(data);
    } finally {
      platformAdopt(undefined);
    }
    if (result !== placeholder) {
      throw new DOMException('A platform object could not be deserialized.', 'DataCloneError');
    }
  }
  let seed = null;

  internal.registerCloneable(internal.domExceptionCloneable);

  internal.defineGlobal('structuredClone', function structuredClone(value, options = undefined) {
    if (arguments.length === 0) {
      throw new TypeError("Failed to execute 'structuredClone': 1 argument required, but only 0 present.");
    }
    const transfer = [];
    if (options !== undefined && options !== null) {
      if (typeof options !== 'object' && typeof options !== 'function') {
        throw new TypeError("Failed to execute 'structuredClone': The provided value is not of type 'StructuredSerializeOptions'.");
      }
      const list = options.transfer;
      if (list !== undefined) {
        if (list === null || (typeof list !== 'object' && typeof list !== 'function') ||
            typeof list[SymbolIterator] !== 'function') {
          throw new TypeError("Failed to execute 'structuredClone': Failed to read the 'transfer' property from 'StructuredSerializeOptions': The provided value cannot be converted to a sequence.");
        }
        for (const item of list) {
          if (item === null || (typeof item !== 'object' && typeof item !== 'function')) {
            throw new TypeError("Failed to execute 'structuredClone': Failed to read the 'transfer' property from 'StructuredSerializeOptions': The provided value is not of type 'object'.");
          }
          transfer.push(item);
        }
      }
    }
    seed ??= new PlatformObject();
    return clone(value, transfer, DOMException, serializeHost, deserializeHost, seed);
  });
});
