// ArrayBuffer.prototype.transfer, transferToFixedLength and detached (ES2024), which V8 10.2
// lacks. Native rather than core-js: they have to detach the buffer, and a same-length transfer
// hands the memory over without copying it.
(function (internal, global) {
  'use strict';
  const {isArrayBuffer, arrayBufferWasDetached, arrayBufferTransfer} = internal;
  const {ObjectDefineProperty, TypeError, RangeError} = internal.primordials;

  function requireArrayBuffer(value, method) {
    if (!isArrayBuffer(value)) {
      throw new TypeError(`Method ArrayBuffer.prototype.${method} called on incompatible receiver ${typeof value === 'object' && value !== null ? '#<' + (value.constructor?.name ?? 'Object') + '>' : String(value)}`);
    }
  }

  // ECMAScript ToIndex.
  function toIndex(value) {
    let n = Number(value);
    n = Number.isNaN(n) ? 0 : Math.trunc(n);
    if (n < 0 || n > Number.MAX_SAFE_INTEGER) throw new RangeError(`Invalid array buffer length: ${value}`);
    return n + 0;  // -0 -> +0
  }

  const methods = {
    transfer(newLength = undefined) {
      requireArrayBuffer(this, 'transfer');
      return arrayBufferTransfer(this, newLength === undefined ? undefined : toIndex(newLength), 'transfer');
    },
    transferToFixedLength(newLength = undefined) {
      requireArrayBuffer(this, 'transferToFixedLength');
      return arrayBufferTransfer(this, newLength === undefined ? undefined : toIndex(newLength),
                                 'transferToFixedLength');
    },
  };
  for (const name of ['transfer', 'transferToFixedLength']) {
    ObjectDefineProperty(ArrayBuffer.prototype, name,
                         {value: methods[name], writable: true, enumerable: false, configurable: true});
  }
  const {get} = Object.getOwnPropertyDescriptor({
    get detached() {
      requireArrayBuffer(this, 'detached');
      return arrayBufferWasDetached(this);
    },
  }, 'detached');
  ObjectDefineProperty(ArrayBuffer.prototype, 'detached', {get, enumerable: false, configurable: true});
});
