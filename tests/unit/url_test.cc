// URL / URLSearchParams behaviour a worker author relies on, beyond the WPT data tables.
#include <gtest/gtest.h>

#include "tests/unit/test_worker.h"

namespace edgerun::testing {
namespace {

TEST(Url, ResolvesAgainstBaseAndNormalizes) {
  EXPECT_EQ(EvalJs("const u = new URL('../c/./d?x=1#f', 'https://EXAMPLE.com:443/a/b/');"
                   "return [u.href, u.origin, u.host, u.pathname, u.search, u.hash].join('|');"),
            "https://example.com/a/c/d?x=1#f|https://example.com|example.com|/a/c/d|?x=1|#f");
}

TEST(Url, InvalidThrowsTypeErrorAndStaticsReport) {
  EXPECT_EQ(EvalJs("let e; try { new URL('/relative'); } catch (x) { e = x; }"
                   "return [e instanceof TypeError, URL.canParse('/x'), URL.canParse('/x', "
                   "'http://h'), URL.parse('nope'), URL.parse('/p', 'http://h').href].join('|');"),
            "true|false|true||http://h/p");
}

TEST(Url, IdnaAndIpHosts) {
  EXPECT_EQ(
      EvalJs("return [new URL('http://Bücher.de/').host, new URL('http://0x7f.1/').host,"
             "new URL('http://[0:0:0:0:0:0:0:1]:8080/').host, new URL('http://0300.0250.1/').host,"
             "new URL('foo://Opaque%41/').host].join('|');"),
      "xn--bcher-kva.de|127.0.0.1|[::1]:8080|192.168.0.1|Opaque%41");
  // Invalid Punycode next to a non-ASCII label, a space, too many IPv4 parts, a bidi violation.
  // (An all-ASCII host is only lowercased: "xn--a" alone is accepted, as the WPT data wants.)
  EXPECT_EQ(
      EvalJs("return ['http://xn--a.\u00df/', 'http://a b/', 'http://1.2.3.4.5/', "
             "'http://\u05d0a.com/', 'http://xn--a/'].map((u) => URL.canParse(u)).join('|');"),
      "false|false|false|false|true");
}

TEST(Url, SettersFollowStateOverrides) {
  EXPECT_EQ(EvalJs("const u = new URL('http://user@h:81/p?q#f');"
                   "u.protocol = 'https'; u.port = '443'; u.hostname = 'x.org'; u.pathname = 'a b';"
                   "u.hash = ''; u.username = ''; u.protocol = 'foo';"
                   "return u.href;"),
            "https://x.org/a%20b?q");
}

TEST(Url, SearchParamsIsLiveBothWays) {
  EXPECT_EQ(EvalJs("const u = new URL('http://h/?a=1&b=2'); const p = u.searchParams;"
                   "p.append('c', 'x y'); const s1 = u.search;"
                   "u.search = '?z=9'; const s2 = p.get('z') + ',' + p.has('a');"
                   "p.delete('z'); return [s1, s2, u.href, p === u.searchParams].join('|');"),
            "?a=1&b=2&c=x+y|9,false|http://h/|true");
}

TEST(UrlSearchParams, ConstructorsAndSerialization) {
  EXPECT_EQ(EvalJs("const a = new URLSearchParams('?x=%20&y=%E2%82%AC&x=2');"
                   "const b = new URLSearchParams([['k', 'v'], ['k', 'w']]);"
                   "const c = new URLSearchParams({q: 'a&b=c', n: 1});"
                   "return [a.getAll('x').join(','), a.get('y'), a.size, b.toString(), "
                   "c.toString()].join('|');"),
            " ,2|€|3|k=v&k=w|q=a%26b%3Dc&n=1");
  EXPECT_EQ(
      EvalJs("try { new URLSearchParams([['a']]); return 'no'; } catch (e) { return e.name; }"),
      "TypeError");
}

TEST(UrlSearchParams, SortIsStableAndIterationIsLive) {
  EXPECT_EQ(EvalJs("const p = new URLSearchParams('z=1&a=2&z=0&b=3'); p.sort();"
                   "const seen = []; for (const [k, v] of p) { seen.push(k + v);"
                   " if (seen.length === 1) p.append('zz', '4'); }"
                   "return seen.join(',') + '|' + Object.prototype.toString.call(p.keys()) + '|' + "
                   "p.has('z', '0') + p.has('z', '5');"),
            "a2,b3,z1,z0,zz4|[object URLSearchParams Iterator]|truefalse");
}

TEST(Url, RequestAndRedirectParseUrls) {
  EXPECT_EQ(EvalJs("const r = new Request('HTTP://Example.COM/a/../b c');"
                   "let e = 'none'; try { new Request('/relative'); } catch (x) { e = x.name; }"
                   "const loc = Response.redirect('https://x.org/?q=a b').headers.get('location');"
                   "let e2 = 'none'; try { Response.redirect('nope'); } catch (x) { e2 = x.name; }"
                   "return [r.url, e, loc, e2].join('|');"),
            "http://example.com/b%20c|TypeError|https://x.org/?q=a%20b|TypeError");
}

TEST(Url, LocationHookGivesRequestABase) {
  EXPECT_EQ(EvalJs("globalThis.location = {href: 'https://base.test/dir/'};"
                   "return new Request('page?x').url;"),
            "https://base.test/dir/page?x");
}

TEST(UrlPattern, RoutesWithGroups) {
  EXPECT_EQ(EvalJs("const p = new URLPattern({pathname: '/users/:id(\\\\d+)/*'});"
                   "const m = p.exec('https://x.org/users/42/posts/7');"
                   "const s = new URLPattern('/books/:slug', 'https://shop.test');"
                   "return [p.test('https://x.org/users/abc/'), m.pathname.groups.id, "
                   "m.pathname.groups[0], s.test('https://shop.test/books/dune'), "
                   "s.test('https://other.test/books/dune'), p.hasRegExpGroups, "
                   "Object.prototype.toString.call(p)].join('|');"),
            "false|42|posts/7|true|false|true|[object URLPattern]");
}

// URLPattern is made on first use (a getter on the global that replaces itself).
TEST(UrlPattern, GlobalLoadsOnFirstUseAndCanBeReplaced) {
  EXPECT_EQ(EvalJs("const before = Object.getOwnPropertyDescriptor(globalThis, 'URLPattern');"
                   "const P = URLPattern;"
                   "const after = Object.getOwnPropertyDescriptor(globalThis, 'URLPattern');"
                   "const same = URLPattern === P && new P({pathname: '/a'}) instanceof URLPattern;"
                   "globalThis.URLPattern = 5;"
                   "return [typeof before.get, before.enumerable, typeof P, after.value === P, "
                   "after.enumerable, same, URLPattern].join('|');"),
            "function|false|function|true|false|true|5");
}

TEST(UrlPattern, CanonicalizesHostnameAndPortLikeTheUrlParser) {
  EXPECT_EQ(EvalJs("const p = new URLPattern({hostname: 'example.com/ignored', port: '80 '});"
                   "const m = p.exec({hostname: 'example.com', port: '8\t0'});"
                   "return [p.hostname, p.port, m.port.input, m.inputs[0].port].join('|');"),
            "example.com|80|80|8\t0");
}

// The spec's serializer and parser agree: any href (and any href after any setter) parses back
// to itself. Random inputs built from the characters the state machine branches on.
TEST(Url, SerializedUrlsParseBackToThemselves) {
  isolates::TenantLimits limits;
  limits.cpu_ms = 60000;
  TestWorker w(Files{{"index.js", R"JS(
const parts = ['a', 'Z', '0', '9', 'x', '-', '.', ':', '/', '\\', '?', '#', '@', '[', ']', '%',
  '2e', ' ', '\t', '\u00e9', '\u200d', '\ud800', '0x', '::', '[::1]', 'xn--', 'http:', 'file:',
  '//', '..', '%2e', 'C:', '|', '^', '\uff0e'];
const bases = [undefined, 'http://h/a/b', 'file:///C:/x', 'sc://h/p?q', 'data:x'];
const keys = ['protocol', 'username', 'password', 'host', 'hostname', 'port', 'pathname',
  'search', 'hash'];
let seed = 1;
const rnd = (n) => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed % n; };
export default { fetch() {
  let parsed = 0; const bad = [];
  for (let i = 0; i < 20000 && bad.length < 5; i++) {
    let s = '';
    for (let j = rnd(12); j > 0; j--) s += parts[rnd(parts.length)];
    const u = URL.parse(s, bases[rnd(bases.length)]);
    if (u === null) continue;
    parsed++;
    if (URL.parse(u.href)?.href !== u.href) bad.push(`${JSON.stringify(s)} -> ${u.href}`);
    const key = keys[rnd(keys.length)];
    u[key] = s;
    if (URL.parse(u.href)?.href !== u.href) bad.push(`${key} = ${JSON.stringify(s)} -> ${u.href}`);
  }
  return new Response(`${parsed > 5000} ${bad.join(', ')}`);
} };
)JS"}},
               "index.js", isolates::ScriptFormat::kAuto, {}, limits);
  ASSERT_TRUE(w.started()) << w.start_error();
  auto r = w.Get("/");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "true ");
}

}  // namespace
}  // namespace edgerun::testing
