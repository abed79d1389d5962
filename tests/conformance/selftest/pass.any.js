// META: title=Runner self-test: passing
// META: script=/common/utils.js
// Everything here passes: it checks what the runner provides (SOURCES.md "Harness contract").
test(() => {
  assert_true(true);
}, 'a passing subtest');

test(() => {
  assert_equals(location.href, 'http://web-platform.test:8000/selftest/pass.any.worker.js');
  assert_equals(location.pathname, '/selftest/pass.any.worker.js');
  assert_equals(location.search, '');
  assert_false(GLOBAL.isWindow());
  assert_true(GLOBAL.isWorker());
  assert_equals(self, globalThis);
}, 'location, GLOBAL and self');

test(() => {
  assert_equals(typeof token, 'function', 'common/utils.js defines token()');
}, 'META scripts run before the test');

promise_test(() => new Promise((resolve) => setTimeout(resolve, 5)), 'timers fire');

promise_test(async () => {
  const response = await fetch('../common/utils.js');
  assert_equals(response.status, 200);
  assert_equals(response.headers.get('content-type'), 'text/javascript; charset=utf-8');
  assert_true((await response.text()).includes('function token()'));
}, 'fetch() serves static files of the WPT tree');

promise_test(async (t) => {
  await promise_rejects_js(t, TypeError, fetch('http://example.com/'));
  await promise_rejects_js(t, TypeError, fetch('/no/such/file.json'));
}, 'fetch() rejects what it cannot serve with a TypeError');

// A lone surrogate cannot go to C++ as UTF-8: testharness.js names it U+d800 itself.
test(() => {}, 'name with a lone \uD800 surrogate');
