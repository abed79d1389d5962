// META: title=Runner self-test: timing out
// An interval keeps the event loop busy, so only the per-file timeout ends this file; the
// runner then calls timeout() and the unfinished subtest is reported as TIMEOUT.
test(() => {}, 'finished before the timeout');
setInterval(() => {}, 50);
promise_test(() => new Promise(() => {}), 'never settles');
