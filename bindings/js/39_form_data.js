// FormData (XMLHttpRequest Standard): an ordered list of (name, string | File) entries. There is
// no HTMLFormElement in a worker, so the constructor takes no form. Made on first use, like
// Blob (see 39_blob.js).
(function (internal, global) {
  'use strict';
  const {ArrayPrototypePush, IteratorPrototype, ObjectCreate, ReflectApply, SymbolIterator,
         SymbolToStringTag, TypeError} = internal.primordials;
  const ObjectAssign = Object.assign;
  const ObjectDefineProperty = Object.defineProperty;
  const DateNow = Date.now;
  const kState = Symbol('state');

  // Until the class exists no value is a FormData; load() replaces these.
  const api = internal.loadOnce({isFormData: () => false}, load);
  internal.formData = api;

  function load() {
    const B = internal.blob.load();
    const {isBlob, isFile, toUSVString} = B;

    // The spec's "create an entry": Blobs become Files (named "blob" unless a filename is given),
    // a File given a filename becomes a new File of that name.
    function makeEntry(name, value, filename, hasFilename) {
      name = toUSVString(name);
      if (!isBlob(value)) return [name, toUSVString(value)];
      if (hasFilename) filename = toUSVString(filename);
      if (isFile(value) && !hasFilename) return [name, value];
      const fileName = hasFilename ? filename : 'blob';
      const lastModified = isFile(value) ? B.lastModifiedOf(value) : DateNow();
      return [name, B.toFile(value, fileName, B.typeOf(value), lastModified)];
    }

    function entryArgs(method, args) {
      const context = `Failed to execute '${method}' on 'FormData'`;
      if (args.length < 2) {
        throw new TypeError(`${context}: 2 arguments required, but only ${args.length} present.`);
      }
      if (args.length > 2 && !isBlob(args[1])) {
        throw new TypeError(`${context}: parameter 2 is not of type 'Blob'.`);
      }
      return makeEntry(args[0], args[1], args[2], args.length > 2 && args[2] !== undefined);
    }

    let entriesOf;

    class FormData {
      #entries = [];

      constructor(form = undefined, submitter = undefined) {
        if (form !== undefined) {
          throw new TypeError("Failed to construct 'FormData': there is no HTMLFormElement in a worker; construct FormData without arguments.");
        }
      }

      append(name, value) {
        const entries = this.#entries;
        ArrayPrototypePush(entries, entryArgs('append', arguments));
      }

      delete(name) {
        const entries = this.#entries;
        name = toUSVString(requireName('delete', arguments));
        let kept = 0;
        for (let i = 0; i < entries.length; i++) {
          if (entries[i][0] !== name) entries[kept++] = entries[i];
        }
        entries.length = kept;
      }

      get(name) {
        const entries = this.#entries;
        name = toUSVString(requireName('get', arguments));
        for (let i = 0; i < entries.length; i++) {
          if (entries[i][0] === name) return entries[i][1];
        }
        return null;
      }

      getAll(name) {
        const entries = this.#entries;
        name = toUSVString(requireName('getAll', arguments));
        const out = [];
        for (let i = 0; i < entries.length; i++) {
          if (entries[i][0] === name) ArrayPrototypePush(out, entries[i][1]);
        }
        return out;
      }

      has(name) {
        const entries = this.#entries;
        name = toUSVString(requireName('has', arguments));
        for (let i = 0; i < entries.length; i++) {
          if (entries[i][0] === name) return true;
        }
        return false;
      }

      // Replaces the first entry of that name and removes the others (or appends).
      set(name, value) {
        const entries = this.#entries;
        const entry = entryArgs('set', arguments);
        let kept = 0, found = false;
        for (let i = 0; i < entries.length; i++) {
          if (entries[i][0] !== entry[0]) entries[kept++] = entries[i];
          else if (!found) { entries[kept++] = entry; found = true; }
        }
        entries.length = kept;
        if (!found) ArrayPrototypePush(entries, entry);
      }

      forEach(callback, thisArg = undefined) {
        const entries = this.#entries;
        if (typeof callback !== 'function') {
          throw new TypeError("Failed to execute 'forEach' on 'FormData': The callback provided as parameter 1 is not a function.");
        }
        // Live, like the iterators: entries added by the callback are visited too.
        for (let i = 0; i < entries.length; i++) {
          ReflectApply(callback, thisArg, [entries[i][1], entries[i][0], this]);
        }
      }

      entries() { return newIterator(this.#entries, 'entries'); }
      keys() { return newIterator(this.#entries, 'keys'); }
      values() { return newIterator(this.#entries, 'values'); }

      static {
        entriesOf = (fd) => fd.#entries;
        ObjectAssign(api, {
          isFormData: (v) => v !== null && typeof v === 'object' && #entries in v,
          entriesOf,
          // For formData(): a FormData over entries the parser made (already converted).
          fromEntries(list) {
            const fd = new FormData();
            fd.#entries = list;
            return fd;
          },
        });
      }
    }

    function requireName(method, args) {
      if (args.length < 1) {
        throw new TypeError(`Failed to execute '${method}' on 'FormData': 1 argument required, but only 0 present.`);
      }
      return args[0];
    }

    // Web IDL pair iterator: it walks the live list by index, so changes during iteration show.
    const FormDataIteratorPrototype = ObjectCreate(IteratorPrototype);
    ObjectDefineProperty(FormDataIteratorPrototype, 'next', {
      value: function next() {
        const state = this !== null && typeof this === 'object' ? this[kState] : undefined;
        if (state === undefined) {
          throw new TypeError("Failed to execute 'next' on 'FormData Iterator': Illegal invocation");
        }
        const {entries, kind} = state;
        if (state.index >= entries.length) return {value: undefined, done: true};
        const [name, value] = entries[state.index++];
        return {value: kind === 'keys' ? name : kind === 'values' ? value : [name, value], done: false};
      },
      writable: true, enumerable: true, configurable: true,
    });
    ObjectDefineProperty(FormDataIteratorPrototype, SymbolToStringTag,
                         {value: 'FormData Iterator', configurable: true});

    function newIterator(entries, kind) {
      const it = ObjectCreate(FormDataIteratorPrototype);
      ObjectDefineProperty(it, kState, {value: {entries, kind, index: 0}});
      return it;
    }

    ObjectDefineProperty(FormData.prototype, SymbolIterator, {
      value: FormData.prototype.entries, writable: true, configurable: true,
    });
    internal.installInterface(FormData, 'FormData', ['append', 'delete', 'get', 'getAll', 'has',
                                                     'set', 'forEach', 'entries', 'keys', 'values']);
    api.FormData = FormData;
  }

  internal.defineLazyGlobal('FormData', () => api.load().FormData);
});
