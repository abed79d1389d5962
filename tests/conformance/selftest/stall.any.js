// META: title=Runner self-test: stalled
// Nothing is pending (no timer, no task), so nothing can ever settle the promise: the runner
// times the file out without waiting for the full per-file timeout.
promise_test(() => new Promise(() => {}), 'never settles, nothing pending');
