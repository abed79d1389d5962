! Dense matrix product with explicit loops (no `matmul` intrinsic: it needs the Flang runtime).
module matmul_kernel
  use iso_c_binding
  implicit none
contains
  ! Fills a (a Hilbert matrix) and b (n x n, column-major) from their indices. Division is
  ! correctly rounded everywhere, so every build starts from the same bits; the values are not
  ! short binary fractions, so the product's rounding errors are real and must match too.
  subroutine matmul_init(n, a, b) bind(c, name="matmul_init")
    integer(c_int), value :: n
    real(c_double), intent(out) :: a(n, n), b(n, n)
    integer :: i, j
    do j = 1, n
      do i = 1, n
        a(i, j) = 1d0 / (i + j - 1)
        b(i, j) = real(mod(i * 5 + j * 11, 23) - 11, c_double) / 7
      end do
    end do
  end subroutine matmul_init

  ! c = a * b (j-k-i loop order: unit stride through a and c). Returns a checksum: the sum of
  ! c(i, j) * (i + 2 j), which changes if any element or its position is wrong.
  function matmul_run(n, a, b, c) result(checksum) bind(c, name="matmul_run")
    integer(c_int), value :: n
    real(c_double), intent(in) :: a(n, n), b(n, n)
    real(c_double), intent(out) :: c(n, n)
    real(c_double) :: checksum, bkj
    integer :: i, j, k
    do j = 1, n
      do i = 1, n
        c(i, j) = 0
      end do
      do k = 1, n
        bkj = b(k, j)
        do i = 1, n
          c(i, j) = c(i, j) + a(i, k) * bkj
        end do
      end do
    end do
    checksum = 0
    do j = 1, n
      do i = 1, n
        checksum = checksum + c(i, j) * (i + 2 * j)
      end do
    end do
  end function matmul_run
end module matmul_kernel
