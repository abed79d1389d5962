! Dot product of two vectors: the memory-bound kernel.
module dot_kernel
  use iso_c_binding
  implicit none
contains
  ! x(i) = 1 / i, y(i) = sqrt(i): division and sqrt are correctly rounded everywhere (IEEE 754),
  ! so native and WASM get the same inputs.
  subroutine dot_init(n, x, y) bind(c, name="dot_init")
    integer(c_int), value :: n
    real(c_double), intent(out) :: x(n), y(n)
    integer :: i
    do i = 1, n
      x(i) = 1d0 / i
      y(i) = sqrt(real(i, c_double))
    end do
  end subroutine dot_init

  ! Sum of x(i) * y(i), in index order.
  function dot_run(n, x, y) result(s) bind(c, name="dot_run")
    integer(c_int), value :: n
    real(c_double), intent(in) :: x(n), y(n)
    real(c_double) :: s
    integer :: i
    s = 0
    do i = 1, n
      s = s + x(i) * y(i)
    end do
  end function dot_run
end module dot_kernel
