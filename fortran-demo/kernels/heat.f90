! Explicit finite-difference heat equation on an n x n plate whose edges are held at 0: a hot
! square in the middle diffuses out. Only + - * are used, so every build gives the same bits.
module heat_kernel
  use iso_c_binding
  implicit none
contains
  ! Initial temperatures: 100 in the middle square (a quarter of the side wide), 0 elsewhere.
  subroutine heat_init(n, u) bind(c, name="heat_init")
    integer(c_int), value :: n
    real(c_double), intent(out) :: u(n, n)
    integer :: i, j
    do j = 1, n
      do i = 1, n
        if (4 * i > 3 * n / 2 .and. 4 * i <= 5 * n / 2 .and. &
            4 * j > 3 * n / 2 .and. 4 * j <= 5 * n / 2) then
          u(i, j) = 100
        else
          u(i, j) = 0
        end if
      end do
    end do
  end subroutine heat_init

  ! Advances `steps` time steps of u += r * laplacian(u) (r = 0.2, below the 0.25 stability
  ! bound), using `work` (n x n) as the second buffer; the result ends in `u`. Returns the total
  ! heat left on the plate (the sum of u, column by column).
  function heat_run(n, steps, u, work) result(total) bind(c, name="heat_run")
    integer(c_int), value :: n, steps
    real(c_double), intent(inout) :: u(n, n), work(n, n)
    real(c_double) :: total
    real(c_double), parameter :: r = 0.2d0
    integer :: s, i, j

    do j = 1, n
      work(1, j) = 0
      work(n, j) = 0
    end do
    do i = 1, n
      work(i, 1) = 0
      work(i, n) = 0
    end do
    do s = 1, steps
      do j = 2, n - 1
        do i = 2, n - 1
          work(i, j) = u(i, j) + r * (u(i - 1, j) + u(i + 1, j) + u(i, j - 1) + u(i, j + 1) &
                                      - 4 * u(i, j))
        end do
      end do
      do j = 2, n - 1
        do i = 2, n - 1
          u(i, j) = work(i, j)
        end do
      end do
    end do
    total = 0
    do j = 1, n
      do i = 1, n
        total = total + u(i, j)
      end do
    end do
  end function heat_run
end module heat_kernel
