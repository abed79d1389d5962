// WAGI workers ("type": "wagi"): the fetch handler that runs a WASI command once per request, the
// way CGI runs a program. The request becomes CGI variables in the environment (RFC 3875 plus
// WAGI's X_*) and the body its stdin; its stdout is a CGI response (header lines, a blank line,
// the body). The tenant loads the module through the process-wide cache and calls
// internal.wagiHandler(module, scriptName) once (isolates/tenant_wagi.cc).
(function (internal, global) {
  'use strict';
  const {TypeError, Uint8Array, StringPrototypeToUpperCase, StringPrototypeReplace,
         StringPrototypeSlice} = internal.primordials;
  const {decodeUtf8} = internal;
  // Not passed as HTTP_*: credentials (RFC 3875 4.1.18), and the two that are CONTENT_TYPE and
  // CONTENT_LENGTH already.
  const kHiddenHeaders = new Set(['authorization', 'proxy-authorization', 'content-type',
                                  'content-length']);
  const kNullBodyStatus = new Set([101, 103, 204, 205, 304]);
  const kStderrLogLimit = 4096;

  class MalformedOutput extends Error {}

  function cgiEnvironment(request, body, scriptName) {
    const url = new global.URL(request.url);
    let pathInfo = url.pathname;
    try {
      pathInfo = decodeURIComponent(pathInfo);
    } catch {
      // A path that is not valid percent-encoded UTF-8 is passed as it came.
    }
    const env = {
      AUTH_TYPE: '',
      CONTENT_LENGTH: String(body.length),
      CONTENT_TYPE: request.headers.get('content-type') ?? '',
      GATEWAY_INTERFACE: 'CGI/1.1',
      PATH_INFO: pathInfo,
      PATH_TRANSLATED: pathInfo,
      QUERY_STRING: StringPrototypeSlice(url.search, 1),
      REMOTE_USER: '',
      REQUEST_METHOD: request.method,
      REQUEST_URI: url.pathname + url.search,
      SCRIPT_NAME: '',
      SERVER_NAME: url.hostname,
      SERVER_PORT: url.port || (url.protocol === 'https:' ? '443' : '80'),
      SERVER_PROTOCOL: 'HTTP/1.1',
      SERVER_SOFTWARE: 'edgerun',
      X_FULL_URL: request.url,
      X_MATCHED_ROUTE: '/...',
      X_RAW_PATH_INFO: url.pathname,
      X_WAGI_MODULE: scriptName,
    };
    for (const [name, value] of request.headers) {
      if (kHiddenHeaders.has(name)) continue;
      env['HTTP_' + StringPrototypeReplace(StringPrototypeToUpperCase(name), /-/g, '_')] = value;
    }
    return env;
  }

  // stdout -> {status, statusText, headers: [[name, value]...], body: Uint8Array}
  function parseCgiOutput(out) {
    const headers = [];
    let status = 0;
    let statusText = '';
    let contentType = false;
    let location = false;
    let at = 0;
    for (;;) {
      const lf = out.indexOf(10, at);
      if (lf === -1) {
        throw new MalformedOutput('no blank line ends the CGI headers (write "Content-Type: text/plain\\n\\n" before the body)');
      }
      let end = lf;
      if (end > at && out[end - 1] === 13) end--;
      const line = decodeUtf8(out.subarray(at, end));
      at = lf + 1;
      if (line === '') break;
      const colon = line.indexOf(':');
      if (colon <= 0) throw new MalformedOutput(`CGI header line ${JSON.stringify(line)} has no "name:"`);
      const name = line.slice(0, colon).trim();
      const value = line.slice(colon + 1).trim();
      const lower = name.toLowerCase();
      if (lower === 'status') {
        const match = /^([1-5][0-9][0-9])(?:\s+(.*))?$/.exec(value);
        if (match === null || Number(match[1]) < 200) {
          throw new MalformedOutput(`CGI Status ${JSON.stringify(value)} is not "NNN reason" with NNN from 200 to 599`);
        }
        status = Number(match[1]);
        statusText = match[2] ?? '';
        continue;
      }
      if (lower === 'content-type') contentType = true;
      if (lower === 'location') location = true;
      headers.push([name, value]);
    }
    if (!contentType && !location) {
      throw new MalformedOutput('the CGI headers have neither Content-Type nor Location');
    }
    if (status === 0) status = location ? 302 : 200;
    return {status, statusText, headers, body: out.subarray(at)};
  }

  internal.wagiHandler = function (module, scriptName) {
    const {Module, Instance} = global.WebAssembly;
    const WASI = internal.wasiClass();
    const {Response, Headers} = global;
    const names = Module.exports(module).map((e) => e.name);
    if (!names.includes('_start') || !names.includes('memory')) {
      throw new TypeError(`${scriptName} is not a WASI command: a WAGI module must export _start and memory (build it as a command, not a reactor or library)`);
    }
    return async function wagi(request) {
      const body = new Uint8Array(await request.arrayBuffer());
      const wasi = new WASI({args: [scriptName], env: cgiEnvironment(request, body, scriptName), stdin: body});
      const instance = new Instance(module, wasi.getImportObject());
      const code = wasi.start(instance);
      const stderr = wasi.stderr;
      if (stderr.length > 0) {
        global.console.warn(`${scriptName} stderr: ${decodeUtf8(stderr.subarray(0, kStderrLogLimit))}`);
      }
      const out = wasi.stdout;
      if (out.length === 0) {
        throw new Error(`WAGI: ${scriptName} exited with code ${code} without writing a CGI response`);
      }
      let parsed;
      try {
        parsed = parseCgiOutput(out);
      } catch (e) {
        if (e instanceof MalformedOutput) {
          throw new Error(`WAGI: malformed CGI output from ${scriptName} (exit code ${code}): ${e.message}`);
        }
        throw e;
      }
      const headers = new Headers();
      for (const [name, value] of parsed.headers) {
        try {
          headers.append(name, value);
        } catch {
          throw new Error(`WAGI: malformed CGI output from ${scriptName}: invalid header ${JSON.stringify(name)}`);
        }
      }
      return new Response(kNullBodyStatus.has(parsed.status) ? null : parsed.body,
                          {status: parsed.status, statusText: parsed.statusText, headers});
    };
  };
})
