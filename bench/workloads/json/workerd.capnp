# workerd serve workerd.capnp [--socket-addr http=127.0.0.1:PORT]
using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [(name = "main", worker = .worker)],
  sockets = [(name = "http", address = "127.0.0.1:8787", http = (), service = "main")],
);

const worker :Workerd.Worker = (
  modules = [(name = "worker", esModule = embed "workerd.js")],
  compatibilityDate = "2024-09-23",
);
