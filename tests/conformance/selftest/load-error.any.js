// META: title=Runner self-test: load error
test(() => {}, 'defined before the throw');
throw new Error('thrown at load on purpose');
