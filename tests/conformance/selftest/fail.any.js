// META: title=Runner self-test: failing
test(() => {
  assert_equals(1 + 1, 3, 'arithmetic');
}, 'a failing subtest');

test(() => {}, 'a passing subtest beside it');
