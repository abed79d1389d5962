# ORIGIN_URL=http://127.0.0.1:18790/ workerd serve workerd.capnp [--socket-addr http=127.0.0.1:PORT]
# The worker's outbound fetch() goes through "loopback", a network service that may reach local
# addresses (workerd's default "internet" service only reaches public ones).
using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    (name = "main", worker = .worker),
    (name = "loopback", network = (allow = ["local"])),
  ],
  sockets = [(name = "http", address = "127.0.0.1:8787", http = (), service = "main")],
);

const worker :Workerd.Worker = (
  modules = [(name = "worker", esModule = embed "workerd.js")],
  bindings = [(name = "ORIGIN", fromEnvironment = "ORIGIN_URL")],
  globalOutbound = "loopback",
  compatibilityDate = "2024-09-23",
);
