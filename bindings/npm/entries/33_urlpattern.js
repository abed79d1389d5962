// URLPattern from the pinned urlpattern-polyfill package (it canonicalizes components through
// our URL class, 32_url.js, which runs before this file).
//
// urlpattern-polyfill 10.1.0 predates the URL Pattern spec change that canonicalizes hostnames
// and ports with the URL parser's state overrides (so "example.com/path" canonicalizes to
// "example.com", "bad\nhost" to "badhost", port "80x" to "80"); it rejects those values instead.
// The subclass below canonicalizes such values first, the way the spec does, and hands the
// result to the polyfill.
//
// Loaded lazily: most workers never touch URLPattern, and every tenant's isolate would otherwise
// carry the polyfill's objects. `require` (not `import`) makes esbuild wrap the package in a
// function that runs on first call; the global is a getter that does that call and then replaces
// itself with the value (as Node does for its lazy globals).

const {urlSet} = internal;
const kHostnameSetter = 4, kPortSetter = 5;  // url::Setter numbers (bindings/url_parser.h)
const kPatternSyntax = ':(){}*?+';

// The literal text of a pattern that is one fixed-text part (escapes resolved), or null when it
// uses pattern syntax (names, regexps, wildcards, groups, modifiers).
function fixedText(pattern) {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      if (i + 1 === pattern.length) return null;
      out += pattern[++i];
    } else if (kPatternSyntax.includes(c)) {
      return null;
    } else {
      out += c;
    }
  }
  return out;
}

function escapePattern(text) {
  let out = '';
  for (const c of text) out += kPatternSyntax.includes(c) || c === '\\' ? '\\' + c : c;
  return out;
}

// Runs the URL setter on a dummy URL; null when the parser rejected the value.
function canonicalize(dummy, setter, value) {
  const r = urlSet(dummy, setter, value);
  const href = r[0];
  return setter === kHostnameSetter ? href.slice(r[6], r[7]) : href.slice(r[8], r[9]);
}

function canonicalHostname(value) {
  const out = canonicalize('https://dummy.invalid/', kHostnameSetter, value);
  return out === 'dummy.invalid' && value !== 'dummy.invalid' ? null : out;
}

function canonicalPort(value) {
  // A non-special dummy URL, so that no default port is dropped here (the polyfill does that
  // with the protocol it knows).
  const out = canonicalize('foo://dummy.invalid:1/', kPortSetter, value);
  return out === '1' && value !== '1' ? null : out;
}

function fixInit(init, isPattern) {
  if (init === null || typeof init !== 'object') return init;
  let copy = null;
  const fix = (key, canon) => {
    const value = init[key];
    if (typeof value !== 'string' || value === '') return;
    const text = isPattern ? fixedText(value) : value;
    if (text === null) return;
    const canonical = canon(text);
    if (canonical === null || canonical === value) return;
    copy ??= {...init};
    copy[key] = isPattern ? escapePattern(canonical) : canonical;
  };
  fix('hostname', canonicalHostname);
  fix('port', canonicalPort);
  return copy ?? init;
}

function makeURLPattern() {
  const {URLPattern: PolyfillURLPattern} = require('urlpattern-polyfill/urlpattern');
  return class URLPattern extends PolyfillURLPattern {
    constructor(...args) {
      if (args.length > 0) args[0] = fixInit(args[0], true);
      super(...args);
    }
    test(...args) {
      if (args.length > 0) args[0] = fixInit(args[0], false);
      return super.test(...args);
    }
    exec(...args) {
      const input = args[0];
      if (args.length > 0) args[0] = fixInit(input, false);
      const result = super.exec(...args);
      // The result reports the caller's input, not the canonicalized copy.
      if (result !== null && result !== undefined && args.length > 0) result.inputs[0] = input;
      return result;
    }
  };
}

internal.defineLazyGlobal('URLPattern', () => {
  const URLPattern = makeURLPattern();
  internal.setToStringTag(URLPattern, 'URLPattern');
  internal.makeEnumerable(URLPattern, ['test', 'exec']);
  return URLPattern;
});
