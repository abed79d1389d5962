// hello: 200 "Hello, World!" (text/plain) for every request.
export default {
  fetch() {
    return new Response('Hello, World!');
  },
};
