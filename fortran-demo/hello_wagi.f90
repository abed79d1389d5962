! A WAGI command in Fortran: edgerun runs it per request (a WASI command) and reads its standard
! output as a CGI response: headers, a blank line, the body. The headers use the '(a)' format:
! list-directed `print *` starts every record with a blank, which would become part of the
! header name. The body is list-directed output, formatted by fortran-demo/shim.
program hello_wagi
  implicit none
  integer :: i
  real(8) :: x

  print '(a)', 'Content-Type: text/plain'
  print '(a)', ''
  print *, 'Hello from Fortran!'
  x = 0
  do i = 1, 10
    x = x + 1d0 / i
  end do
  print *, 'H(10) =', x, ' n =', i - 1, ' ok =', x > 2.9d0
end program hello_wagi
