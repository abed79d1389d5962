! Exercises every output path of shim/fortran_rt_shim.c. The test builds it twice, to WASM with
! the shim and natively with flang-16's own runtime, and requires byte-identical output.
program print_shim
  implicit none
  integer :: i = 42
  integer(8) :: big = -1234567890123_8
  real :: third = 1.0 / 3
  real(8) :: d(12) = [0.1d0, 1d-10, 1d20, -2.5d0, 0d0, 1d15, 123.456d0, 1d0 / 3, 5d0, &
                      9.999999999999999d14, 0.099999d0, -1d-300]
  real :: s(6) = [1.5, 0.0, -1e-5, 3e12, 7.0, 1e7]

  print *, 'i=', i, ' big=', big, third, .true., .false.
  print *, 'a', 'b', 1, 2, -3
  print *, 42, 'x'
  print *, 42, ' x'
  print *, 'a', 42, 'b', 'c', 1.5, 'd'
  print *, .true., 'x', .false.
  print *, d(1), d(2), d(3), d(4)
  print *, d(5), d(6), d(7), d(8)
  print *, d(9), d(10), d(11), d(12)
  print *, s(1), s(2), s(3), s(4), s(5), s(6)  ! a whole array would need OutputDescriptor
  print *, -0d0, huge(1d0), tiny(1d0)
  print *, huge(1), -huge(1_8) - 1
  print *, ''
  print *
  print '(a)', 'Content-Type: text/plain'
  print '(a)', ''
  print '(A)', 'no leading blank'
  stop 3
end program print_shim
