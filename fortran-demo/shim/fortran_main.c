void _QQmain(void);
int main(void) {
  _QQmain();
  return 0;
}
