// Listening sockets shared out to the loop threads: one socket per thread per address, all bound
// to the same port with SO_REUSEPORT so the kernel spreads new connections across threads and
// the threads share nothing on the accept path.
#pragma once

#include <string>
#include <vector>

#include "runtime/listen_address.h"

namespace edgerun::runtime {

class ListenerSockets {
 public:
  ListenerSockets() = default;
  ~ListenerSockets();  // closes sockets not yet taken by a loop thread
  ListenerSockets(const ListenerSockets&) = delete;
  ListenerSockets& operator=(const ListenerSockets&) = delete;

  // Binds `count` sockets to `address`. With port 0 the kernel picks a port and every socket
  // uses that one. Fails (with "ADDR: address already in use" etc.) if another process holds
  // the address, even one that also uses SO_REUSEPORT.
  bool Bind(const ListenAddress& address, unsigned count, std::string* error);

  const ListenAddress& address() const { return address_; }  // with the actual port
  // Hands socket `i` to a loop thread, which becomes responsible for closing it.
  int Take(unsigned i);

 private:
  ListenAddress address_;
  std::vector<int> fds_;
};

}  // namespace edgerun::runtime
