#include "runtime/listener_socket.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace edgerun::runtime {
namespace {

bool MakeSockaddr(const ListenAddress& address, sockaddr_storage* storage, socklen_t* length) {
  std::memset(storage, 0, sizeof *storage);
  if (address.ipv6) {
    auto* sin6 = reinterpret_cast<sockaddr_in6*>(storage);
    sin6->sin6_family = AF_INET6;
    sin6->sin6_port = htons(address.port);
    *length = sizeof *sin6;
    return inet_pton(AF_INET6, address.host.c_str(), &sin6->sin6_addr) == 1;
  }
  auto* sin = reinterpret_cast<sockaddr_in*>(storage);
  sin->sin_family = AF_INET;
  sin->sin_port = htons(address.port);
  *length = sizeof *sin;
  return inet_pton(AF_INET, address.host.c_str(), &sin->sin_addr) == 1;
}

// Returns an fd bound to `address`, or -1 with errno set.
int BindSocket(const ListenAddress& address, bool reuse_port) {
  sockaddr_storage storage;
  socklen_t length;
  if (!MakeSockaddr(address, &storage, &length)) {
    errno = EINVAL;
    return -1;
  }
  int fd =
      ::socket(address.ipv6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (reuse_port) ::setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one);
  // "[::]" should not also claim 0.0.0.0: an IPv4 listen entry on the same port must work.
  if (address.ipv6) ::setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&storage), length) != 0) {
    int saved = errno;
    ::close(fd);
    errno = saved;
    return -1;
  }
  return fd;
}

}  // namespace

ListenerSockets::~ListenerSockets() {
  for (int fd : fds_) {
    if (fd >= 0) ::close(fd);
  }
}

bool ListenerSockets::Bind(const ListenAddress& address, unsigned count, std::string* error) {
  address_ = address;
  auto fail = [&](int err) {
    *error = address.ToString() + ": cannot listen: " + std::strerror(err);
    return false;
  };
  if (address.port != 0) {
    // SO_REUSEPORT would let us join another process's socket group on this port and silently
    // share its traffic. A bind without it fails if anyone holds the port.
    int probe = BindSocket(address, /*reuse_port=*/false);
    if (probe < 0) return fail(errno);
    ::close(probe);
  }
  for (unsigned i = 0; i < count; ++i) {
    int fd = BindSocket(address_, /*reuse_port=*/true);
    if (fd < 0) return fail(errno);
    fds_.push_back(fd);
    // Listen now, not when the loop thread gets to uv_listen: a client that connects as soon as
    // "listening on" is logged must be queued, not refused.
    if (::listen(fd, 1024) != 0) return fail(errno);
    if (address_.port == 0) {
      sockaddr_storage storage;
      socklen_t length = sizeof storage;
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&storage), &length);
      address_.port = ntohs(address.ipv6 ? reinterpret_cast<sockaddr_in6*>(&storage)->sin6_port
                                         : reinterpret_cast<sockaddr_in*>(&storage)->sin_port);
    }
  }
  return true;
}

int ListenerSockets::Take(unsigned i) {
  int fd = fds_.at(i);
  fds_[i] = -1;
  return fd;
}

}  // namespace edgerun::runtime
