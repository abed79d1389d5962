! Mandelbrot set rendered to packed RGB bytes, 3 per pixel, row after row from the top.
! The colour map is computed here, with + - * / only, so that the native build and the WASM
! build produce the same bytes (no libm call whose last bit could differ between libcs).
module mandelbrot_kernel
  use iso_c_binding
  implicit none
contains
  ! Renders rows [row0, row0 + nrows) of a w x h image of the region centred on (cx, cy) whose
  ! width is `span`; `rgb` receives 3 * w * nrows bytes. Returns the iterations spent, so a
  ! caller can check the work as a number as well as an image. Rendering a band at a time lets
  ! a WASM engine without on-stack replacement switch to optimized code between calls.
  function mandelbrot_rows(w, h, maxiter, cx, cy, span, row0, nrows, rgb) &
      result(total) bind(c, name="mandelbrot_rows")
    integer(c_int), value :: w, h, maxiter, row0, nrows
    real(c_double), value :: cx, cy, span
    integer(c_int8_t), intent(out) :: rgb(3 * w * nrows)
    integer(c_int64_t) :: total
    integer :: px, py, it, k, r, g, b
    real(c_double) :: step, x0, y0, x, y, x2, y2, t

    step = span / w
    total = 0
    k = 1
    do py = row0, row0 + nrows - 1
      y0 = cy + (py - 0.5d0 * h + 0.5d0) * step
      do px = 0, w - 1
        x0 = cx + (px - 0.5d0 * w + 0.5d0) * step
        x = 0
        y = 0
        x2 = 0
        y2 = 0
        it = 0
        do while (it < maxiter .and. x2 + y2 <= 4)
          y = 2 * x * y + y0
          x = x2 - y2 + x0
          x2 = x * x
          y2 = y * y
          it = it + 1
        end do
        total = total + it
        if (it >= maxiter) then
          r = 0
          g = 0
          b = 0
        else
          ! Bernstein-polynomial palette: dark blue -> orange -> yellow as t goes 0 -> 1.
          t = real(it, c_double) / maxiter
          r = int(9 * (1 - t) * t * t * t * 255)
          g = int(15 * (1 - t) * (1 - t) * t * t * 255)
          b = int(8.5d0 * (1 - t) * (1 - t) * (1 - t) * t * 255)
        end if
        rgb(k) = to_byte(r)
        rgb(k + 1) = to_byte(g)
        rgb(k + 2) = to_byte(b)
        k = k + 3
      end do
    end do
  end function mandelbrot_rows

  ! An unsigned 0..255 value in a signed byte (values above 127 wrap, as in C).
  pure integer(c_int8_t) function to_byte(v)
    integer, intent(in) :: v
    integer :: c
    c = min(max(v, 0), 255)
    if (c > 127) c = c - 256
    to_byte = int(c, c_int8_t)
  end function to_byte
end module mandelbrot_kernel
