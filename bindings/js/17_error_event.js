// ErrorEvent, and HTML's "report an exception": reportError(e), exceptions thrown by event
// listeners, timers and microtasks fire an 'error' ErrorEvent at the global object first; only
// if no listener cancels it is the error logged as uncaught.
(function (internal, global) {
  'use strict';
  const {TypeError} = internal.primordials;
  const {Event, eventState} = internal;
  const dispatchEvent = Function.prototype.call.bind(internal.EventTarget.prototype.dispatchEvent);
  const logUncaught = internal.reportError;

  class ErrorEvent extends Event {
    #message;
    #filename;
    #lineno;
    #colno;
    #error;
    constructor(type, eventInitDict = undefined) {
      if (arguments.length === 0) {
        throw new TypeError("Failed to construct 'ErrorEvent': 1 argument required, but only 0 present.");
      }
      super(type, eventInitDict);
      const d = eventInitDict === undefined || eventInitDict === null ? {} : eventInitDict;
      // ErrorEventInit members after EventInit's, in IDL (lexicographic) order.
      const colno = d.colno;
      const error = d.error;
      const filename = d.filename;
      const lineno = d.lineno;
      const message = d.message;
      this.#colno = colno === undefined ? 0 : colno >>> 0;
      this.#error = error;
      this.#filename = filename === undefined ? '' : `${filename}`;
      this.#lineno = lineno === undefined ? 0 : lineno >>> 0;
      this.#message = message === undefined ? '' : `${message}`;
    }
    static #check(self) {
      if (self === null || typeof self !== 'object' || !(#message in self)) {
        throw new TypeError("Illegal invocation: 'this' is not an ErrorEvent");
      }
      return self;
    }
    get message() { return ErrorEvent.#check(this).#message; }
    get filename() { return ErrorEvent.#check(this).#filename; }
    get lineno() { return ErrorEvent.#check(this).#lineno; }
    get colno() { return ErrorEvent.#check(this).#colno; }
    get error() { return ErrorEvent.#check(this).#error; }
  }
  internal.makeEnumerable(ErrorEvent, ['message', 'filename', 'lineno', 'colno', 'error']);
  internal.setToStringTag(ErrorEvent, 'ErrorEvent');

  let reporting = false;
  internal.reportError = function (error) {
    // An error thrown while the 'error' event is being handled is only logged (no recursion).
    if (reporting || internal.listenerMap(global).get('error') === undefined) {
      logUncaught(error);
      return;
    }
    let message = '';
    try {
      message = error instanceof Error ? `Uncaught ${error.name}: ${error.message}` : `Uncaught ${internal.inspect(error)}`;
    } catch { /* a hostile getter: keep the empty message */ }
    const event = new ErrorEvent('error', {cancelable: true, message, error});
    eventState(event).trusted = true;
    reporting = true;
    let notCanceled;
    try {
      notCanceled = dispatchEvent(global, event);
    } finally {
      reporting = false;
    }
    if (notCanceled) logUncaught(error);
  };

  internal.defineGlobal('ErrorEvent', ErrorEvent);
  internal.defineGlobal('reportError', function reportError(e) {
    if (arguments.length === 0) {
      throw new TypeError("Failed to execute 'reportError': 1 argument required, but only 0 present.");
    }
    internal.reportError(e);
  });
});
