// Math.f16round and DataView.prototype getFloat16/setFloat16 (ES2025; there is no Float16Array:
// V8 10.2's typed arrays cannot be extended), Math.sumPrecise (ES2026).
(function (internal, global) {
  'use strict';
  const {uncurryThis, toIntegerOrInfinity, defineMethods, TypeError, RangeError} = internal.es;
  const {Math, DataView, Reflect} = global;
  const {abs, floor, log2} = Math;
  const DataViewPrototype = DataView.prototype;
  const DataViewBuffer = uncurryThis(Reflect.getOwnPropertyDescriptor(DataViewPrototype, 'buffer').get);
  const DataViewPrototypeGetUint16 = uncurryThis(DataViewPrototype.getUint16);
  const DataViewPrototypeSetUint16 = uncurryThis(DataViewPrototype.setUint16);

  // Exponent e with 2^e <= a < 2^(e+1), for a positive finite a (log2 may be off by one).
  function exponentOf(a) {
    let e = floor(log2(a));
    if (2 ** e > a) e--;
    else if (2 ** (e + 1) <= a) e++;
    return e;
  }
  function roundTiesToEven(y) {  // 0 <= y < 2^52
    const f = floor(y), d = y - f;
    return d > 0.5 || (d === 0.5 && f % 2 !== 0) ? f + 1 : f;
  }
  // The binary16 value nearest to the Number n (ties to even), as a Number.
  function f16round(n) {
    if (n !== n || n === 0 || n === Infinity || n === -Infinity) return n;
    const a = abs(n);
    let r;
    if (a >= 65520) {  // halfway between 65504 (the largest half) and 2^16 rounds up
      r = Infinity;
    } else if (a < 2 ** -14) {  // subnormal halves: multiples of 2^-24
      r = roundTiesToEven(a * 2 ** 24) / 2 ** 24;
    } else {
      const quantum = 2 ** (exponentOf(a) - 10);
      r = roundTiesToEven(a / quantum) * quantum;
    }
    return n < 0 ? -r : r;
  }
  function toFloat16Bits(n) {
    if (n !== n) return 0x7E00;
    const r = f16round(n);
    const sign = r < 0 || (r === 0 && 1 / r < 0) ? 0x8000 : 0;
    const a = abs(r);
    if (a === Infinity) return sign | 0x7C00;
    if (a < 2 ** -14) return sign | (a * 2 ** 24);
    const e = exponentOf(a);
    return sign | ((e + 15) << 10) | (a / 2 ** e * 1024 - 1024);
  }
  function fromFloat16Bits(bits) {
    const exp = (bits >> 10) & 0x1F, frac = bits & 0x3FF;
    let a;
    if (exp === 0) a = frac * 2 ** -24;
    else if (exp === 31) a = frac === 0 ? Infinity : NaN;
    else a = (1024 + frac) * 2 ** (exp - 25);
    return bits & 0x8000 ? -a : a;
  }

  function thisDataView(view, method) {
    try {
      DataViewBuffer(view);
    } catch {
      throw new TypeError(`DataView.prototype.${method} called on incompatible receiver`);
    }
  }
  function toIndex(value) {
    const n = toIntegerOrInfinity(value);
    if (n < 0 || n > 9007199254740991) throw new RangeError(`Offset ${n} is outside the bounds of the DataView`);
    return n;
  }
  defineMethods(DataViewPrototype, {
    // The Uint16 accessors do the detached (TypeError) and bounds (RangeError) checks.
    getFloat16(byteOffset, littleEndian = undefined) {
      thisDataView(this, 'getFloat16');
      return fromFloat16Bits(DataViewPrototypeGetUint16(this, toIndex(byteOffset), littleEndian));
    },
    setFloat16(byteOffset, value, littleEndian = undefined) {
      thisDataView(this, 'setFloat16');
      const index = toIndex(byteOffset);
      DataViewPrototypeSetUint16(this, index, toFloat16Bits(+value), littleEndian);
    },
  });

  // Math.sumPrecise: Shewchuk's exact summation (as in Python's math.fsum), with sums past the
  // double range kept as a count of 2^1024 ("overflow") so that they can come back into range.
  const kMaxDouble = 1.7976931348623157e308;
  const kHalfUlpOfMax = 2 ** 970;
  function sumPrecise(items) {
    if (items == null) throw new TypeError('Math.sumPrecise: items must not be null or undefined');
    // 0: only -0 so far, 1: finite, 2: +Infinity, 3: -Infinity, 4: NaN
    let state = 0;
    let overflow = 0;
    const partials = [];
    for (const value of items) {
      if (typeof value !== 'number') {
        throw new TypeError(`Math.sumPrecise: every item must be a number, got ${typeof value}`);
      }
      if (state === 4) continue;
      if (value !== value) {
        state = 4;
      } else if (value === Infinity) {
        state = state === 3 ? 4 : 2;
      } else if (value === -Infinity) {
        state = state === 2 ? 4 : 3;
      } else if (state <= 1 && value !== 0) {
        state = 1;
        let x = value, used = 0;
        for (let i = 0; i < partials.length; i++) {
          let y = partials[i];
          if (abs(x) < abs(y)) {
            const t = x;
            x = y;
            y = t;
          }
          let hi = x + y;
          if (hi === Infinity || hi === -Infinity) {
            const sign = hi > 0 ? 1 : -1;
            overflow += sign;
            x = (x - sign * 2 ** 1023) - sign * 2 ** 1023;
            if (abs(x) < abs(y)) {
              const t = x;
              x = y;
              y = t;
            }
            hi = x + y;
          }
          const lo = y - (hi - x);
          if (lo !== 0) partials[used++] = lo;
          x = hi;
        }
        partials.length = used;
        if (x !== 0) partials[used] = x;
      } else if (state === 0 && value === 0 && 1 / value > 0) {
        state = 1;  // +0
      }
    }
    if (state !== 1) return state === 0 ? -0 : state === 2 ? Infinity : state === 3 ? -Infinity : NaN;

    let n = partials.length - 1;
    let hi = 0, lo = 0;
    if (overflow !== 0) {
      const next = n >= 0 ? partials[n--] : 0;
      if (abs(overflow) > 1 || (overflow > 0 && next > 0) || (overflow < 0 && next < 0)) {
        return overflow > 0 ? Infinity : -Infinity;
      }
      // overflow * 2^1024 + next, halved to stay in range.
      const x = overflow * 2 ** 1023, y = next / 2;
      hi = x + y;
      lo = (y - (hi - x)) * 2;
      if (abs(2 * hi) === Infinity) {
        // Exactly halfway between the largest double and 2^1024 rounds to even (infinity),
        // unless what remains below pulls it back.
        if (hi > 0) {
          return hi === 2 ** 1023 && lo === -kHalfUlpOfMax && n >= 0 && partials[n] < 0 ? kMaxDouble : Infinity;
        }
        return hi === -(2 ** 1023) && lo === kHalfUlpOfMax && n >= 0 && partials[n] > 0 ? -kMaxDouble : -Infinity;
      }
      if (lo !== 0) {
        partials[++n] = lo;
        lo = 0;
      }
      hi *= 2;
    }
    while (n >= 0) {
      const x = hi, y = partials[n--];
      hi = x + y;
      lo = y - (hi - x);
      if (lo !== 0) break;
    }
    // A remainder of exactly half an ulp: the next partial decides the rounding direction.
    if (n >= 0 && ((lo < 0 && partials[n] < 0) || (lo > 0 && partials[n] > 0))) {
      const y = lo * 2, x = hi + y;
      if (y === x - hi) hi = x;
    }
    return hi;
  }

  defineMethods(Math, {
    f16round(x) {
      return f16round(+x);
    },
    sumPrecise(items) {
      return sumPrecise(items);
    },
  });
});
