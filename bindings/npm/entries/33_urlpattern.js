// URLPattern from the pinned urlpattern-polyfill package (it canonicalizes components through
// our URL class, 32_url.js, which runs before this file).
import {URLPattern} from 'urlpattern-polyfill/urlpattern';

internal.setToStringTag(URLPattern, 'URLPattern');
internal.defineGlobal('URLPattern', URLPattern);
