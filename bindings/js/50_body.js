// The Fetch body mixin shared by Request and Response. A body is held as one of:
// null, a string (from a string init, encoded only when sent or read as bytes), or a Uint8Array
// the body owns (copied from the caller's buffer, so later writes to it don't change the body).
(function (internal, global) {
  'use strict';
  const {PromiseReject, JSONParse, TypeError, Uint8Array} = internal.primordials;
  const {decodeUtf8, encodeUtf8} = internal;

  // Returns {source, type}: type is the Content-Type the init implies, or null.
  function extractBody(init) {
    if (init === null || init === undefined) return {source: null, type: null};
    if (typeof init === 'string') return {source: init, type: 'text/plain;charset=UTF-8'};
    if (init instanceof ArrayBuffer) return {source: new Uint8Array(init.slice(0)), type: null};
    if (ArrayBuffer.isView(init)) {
      const bytes = new Uint8Array(init.buffer, init.byteOffset, init.byteLength);
      return {source: bytes.slice(), type: null};
    }
    return {source: `${init}`, type: 'text/plain;charset=UTF-8'};
  }

  class BodyState {
    constructor(source) {
      this.source = source;  // null | string | Uint8Array
      this.used = false;
    }
  }

  function take(state) {
    if (state.used) {
      return {error: new TypeError('Body has already been used. It can only be used once. Use clone() first if you need to read it twice.')};
    }
    if (state.source !== null) state.used = true;
    return {source: state.source};
  }

  function asText(source) {
    if (source === null) return '';
    return typeof source === 'string' ? source : decodeUtf8(source);
  }

  function asBytes(source) {
    if (source === null) return new Uint8Array(0);
    if (typeof source === 'string') return encodeUtf8(source);
    return source.slice();
  }

  // Installs text/json/arrayBuffer/bytes/bodyUsed on a class; `stateOf(obj)` returns its
  // BodyState or undefined when obj is not an instance (brand check).
  function installBodyMixin(ctor, name, stateOf) {
    const brand = (obj, method) => {
      const state = stateOf(obj);
      if (state === undefined) throw new TypeError(`Failed to execute '${method}' on '${name}': Illegal invocation`);
      return state;
    };
    const methods = {
      text() {
        let taken;
        try { taken = take(brand(this, 'text')); } catch (e) { return PromiseReject(e); }
        if (taken.error) return PromiseReject(taken.error);
        return Promise.resolve(asText(taken.source));
      },
      json() {
        let taken;
        try { taken = take(brand(this, 'json')); } catch (e) { return PromiseReject(e); }
        if (taken.error) return PromiseReject(taken.error);
        try {
          return Promise.resolve(JSONParse(asText(taken.source)));
        } catch (e) {
          return PromiseReject(e);
        }
      },
      arrayBuffer() {
        let taken;
        try { taken = take(brand(this, 'arrayBuffer')); } catch (e) { return PromiseReject(e); }
        if (taken.error) return PromiseReject(taken.error);
        return Promise.resolve(asBytes(taken.source).buffer);
      },
      bytes() {
        let taken;
        try { taken = take(brand(this, 'bytes')); } catch (e) { return PromiseReject(e); }
        if (taken.error) return PromiseReject(taken.error);
        return Promise.resolve(asBytes(taken.source));
      },
    };
    for (const key of Object.keys(methods)) {
      Object.defineProperty(ctor.prototype, key, {value: methods[key], writable: true, enumerable: true, configurable: true});
    }
    Object.defineProperty(ctor.prototype, 'bodyUsed', {
      get() { return brand(this, 'bodyUsed').used; },
      enumerable: true, configurable: true,
    });
  }

  internal.body = {extractBody, BodyState, installBodyMixin};
});
