// An https origin for tests: `openssl s_server -www` (it answers any GET with an HTTP/1.0 status
// page) with a certificate for localhost/127.0.0.1 from a throw-away CA made here with the
// openssl CLI. available() is false (tests skip) when the CLI is missing.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <string>
#include <thread>

namespace edgerun::testing {

class TlsOrigin {
 public:
  TlsOrigin() {
    if (std::system("command -v openssl >/dev/null 2>&1") != 0) return;
    char tmpl[] = "/tmp/edgerun_tls_XXXXXX";
    if (mkdtemp(tmpl) == nullptr) return;
    dir_ = tmpl;
    const std::string ec = " -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes ";
    const std::string script =
        "cd " + dir_ + " && openssl req -x509" + ec +
        "-keyout ca.key -out ca.pem -days 1 -subj /CN=edgerun-test-ca && openssl req" + ec +
        "-keyout srv.key -out srv.csr -subj /CN=localhost && "
        "printf 'subjectAltName=DNS:localhost,IP:127.0.0.1' > ext && "
        "openssl x509 -req -in srv.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out srv.pem "
        "-days 1 -extfile ext && openssl req -x509" +
        ec + "-keyout other.key -out other-ca.pem -days 1 -subj /CN=someone-else";
    if (std::system((script + " >/dev/null 2>&1").c_str()) != 0) return;
    // A free port: bind, read it, close (s_server binds it right after).
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    socklen_t len = sizeof addr;
    getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    close(fd);
    server_ = fork();
    if (server_ == 0) {
      const std::string accept = "127.0.0.1:" + std::to_string(port_);
      const std::string cert = dir_ + "/srv.pem", key = dir_ + "/srv.key";
      execlp("openssl", "openssl", "s_server", "-accept", accept.c_str(), "-cert", cert.c_str(),
             "-key", key.c_str(), "-www", "-quiet", static_cast<char*>(nullptr));
      _exit(127);
    }
    for (int i = 0; i < 100 && !up_; ++i) {  // until it accepts
      int probe = socket(AF_INET, SOCK_STREAM, 0);
      up_ = connect(probe, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
      close(probe);
      if (!up_) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }
  ~TlsOrigin() {
    if (server_ > 0) {
      kill(server_, SIGTERM);
      waitpid(server_, nullptr, 0);
    }
    if (!dir_.empty()) std::system(("rm -rf " + dir_).c_str());
  }
  TlsOrigin(const TlsOrigin&) = delete;
  TlsOrigin& operator=(const TlsOrigin&) = delete;

  bool available() const { return up_; }
  uint16_t port() const { return port_; }
  std::string ca_file() const { return dir_ + "/ca.pem"; }              // trusts the server
  std::string other_ca_file() const { return dir_ + "/other-ca.pem"; }  // does not

 private:
  std::string dir_;
  uint16_t port_ = 0;
  pid_t server_ = -1;
  bool up_ = false;
};

}  // namespace edgerun::testing
