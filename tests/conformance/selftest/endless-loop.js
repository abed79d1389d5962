// Not a test file of the self-test suite (no .any.js): the unit test WptSelfTest.
// EndlessLoopIsTerminated runs it, as ctest would otherwise wait out the watchdog every run.
test(() => {}, 'finished before the loop');
promise_test(async () => {
  await null;
  for (;;) {}
}, 'loops forever');
