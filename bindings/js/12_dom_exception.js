// DOMException (Web IDL): an Error subclass with a legacy numeric `code` derived from its name.
(function (internal, global) {
  'use strict';
  const {ObjectDefineProperty, TypeError} = internal.primordials;

  // Web IDL's error names table: names with a legacy code, in code order (index + 1 = code).
  const kLegacyNames = [
    'IndexSizeError', 'DOMStringSizeError', 'HierarchyRequestError', 'WrongDocumentError',
    'InvalidCharacterError', 'NoDataAllowedError', 'NoModificationAllowedError', 'NotFoundError',
    'NotSupportedError', 'InUseAttributeError', 'InvalidStateError', 'SyntaxError',
    'InvalidModificationError', 'NamespaceError', 'InvalidAccessError', 'ValidationError',
    'TypeMismatchError', 'SecurityError', 'NetworkError', 'AbortError', 'URLMismatchError',
    'QuotaExceededError', 'TimeoutError', 'InvalidNodeTypeError', 'DataCloneError',
  ];
  const kConstants = [
    'INDEX_SIZE_ERR', 'DOMSTRING_SIZE_ERR', 'HIERARCHY_REQUEST_ERR', 'WRONG_DOCUMENT_ERR',
    'INVALID_CHARACTER_ERR', 'NO_DATA_ALLOWED_ERR', 'NO_MODIFICATION_ALLOWED_ERR', 'NOT_FOUND_ERR',
    'NOT_SUPPORTED_ERR', 'INUSE_ATTRIBUTE_ERR', 'INVALID_STATE_ERR', 'SYNTAX_ERR',
    'INVALID_MODIFICATION_ERR', 'NAMESPACE_ERR', 'INVALID_ACCESS_ERR', 'VALIDATION_ERR',
    'TYPE_MISMATCH_ERR', 'SECURITY_ERR', 'NETWORK_ERR', 'ABORT_ERR', 'URL_MISMATCH_ERR',
    'QUOTA_EXCEEDED_ERR', 'TIMEOUT_ERR', 'INVALID_NODE_TYPE_ERR', 'DATA_CLONE_ERR',
  ];
  const kCaptureStackTrace = Error.captureStackTrace;

  class DOMException extends internal.PlatformObject {
    #name;
    #message;
    constructor(message = undefined, name = undefined) {
      message = message === undefined ? '' : `${message}`;
      name = name === undefined ? 'Error' : `${name}`;
      super();
      this.#message = message;
      this.#name = name;
      // Error-like: an own `stack`, as V8 gives Error instances.
      kCaptureStackTrace(this, new.target);
    }
    static #check(self) {
      if (self === null || typeof self !== 'object' || !(#name in self)) {
        throw new TypeError("Illegal invocation: 'this' is not a DOMException");
      }
      return self;
    }
    get name() { return DOMException.#check(this).#name; }
    get message() { return DOMException.#check(this).#message; }
    get code() {
      const index = kLegacyNames.indexOf(DOMException.#check(this).#name);
      return index < 0 ? 0 : index + 1;
    }
    static {
      internal.isDOMException = (value) => value !== null && typeof value === 'object' && #name in value;
    }
  }
  Object.setPrototypeOf(DOMException.prototype, Error.prototype);
  // Serializable (Web IDL): name and message travel, and the stack as V8 does for Errors.
  internal.domExceptionCloneable = {
    is: (value) => internal.isDOMException(value),
    serialize: (e) => [e.name, e.message, e.stack],
    deserialize: ([name, message, stack]) => {
      const e = new DOMException(message, name);
      Object.defineProperty(e, 'stack', {value: stack, writable: true, configurable: true, enumerable: false});
      return e;
    },
  };
  internal.makeEnumerable(DOMException, ['name', 'message', 'code']);
  internal.setToStringTag(DOMException, 'DOMException');
  for (let i = 0; i < kConstants.length; i++) {
    const desc = {value: i + 1, writable: false, enumerable: true, configurable: false};
    ObjectDefineProperty(DOMException, kConstants[i], desc);
    ObjectDefineProperty(DOMException.prototype, kConstants[i], desc);
  }
  internal.DOMException = DOMException;
  internal.defineGlobal('DOMException', DOMException);
});
