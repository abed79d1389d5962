// Everything one request owns inside its worker: how to answer it, the CPU time its JS used,
// the ctx.waitUntil() work still pending after the answer, the response body it may still be
// streaming, and the timers it started (cancelled when the request ends).
#pragma once

#include <cstdint>
#include <functional>
#include <list>
#include <unordered_map>
#include <vector>

#include "bindings/http_types.h"

namespace edgerun::isolates {

using RespondFn = std::function<void(HttpResponse)>;

struct RequestContext {
  uint64_t id = 0;
  RespondFn respond;             // empty once answered
  uint64_t cpu_used_ns = 0;      // over every entry into JS made for this request
  int wait_until = 0;            // ctx.waitUntil() promises not settled yet
  int streams = 0;               // response bodies still being pulled by the client's connection
  uint64_t subrequests = 0;      // fetch() calls made for it
  uint64_t deadline_ms = 0;      // uv_now() time: answer by (wall_ms), then finish waitUntil by
  std::vector<uint32_t> timers;  // setTimeout/setInterval ids it started that are still live

  bool answered() const { return !respond; }
};

// The requests of one tenant in two queues, each in deadline order because every deadline in a
// queue has the same length: unanswered requests (deadline: limits.wall_ms after arrival) and
// answered ones whose waitUntil() work is still running (deadline: limits.wait_until_ms after
// the answer); plus, without a deadline, answered requests whose response body is still being
// streamed (the client sets the pace; the CPU limit still applies). Lookup by id, O(1)
// insert/move/remove.
class RequestTable {
 public:
  RequestTable() = default;
  RequestTable(const RequestTable&) = delete;  // holds references into itself
  RequestTable& operator=(const RequestTable&) = delete;
  RequestContext& Add(uint64_t id, RespondFn respond, uint64_t deadline_ms) {
    unanswered_.push_back(RequestContext{});
    RequestContext& rc = unanswered_.back();
    rc.id = id;
    rc.respond = std::move(respond);
    rc.deadline_ms = deadline_ms;
    index_[id] = {std::prev(unanswered_.end()), kUnanswered};
    return rc;
  }
  RequestContext* Find(uint64_t id) {
    auto it = index_.find(id);
    return it == index_.end() ? nullptr : &*it->second.where;
  }
  // The request was answered but has waitUntil() work left: it now waits on the grace deadline.
  void MoveToLingering(uint64_t id, uint64_t deadline_ms) { Move(id, kLingering, deadline_ms); }
  // The request was answered with a streamed body: no deadline while the body flows.
  void MoveToStreaming(uint64_t id) { Move(id, kStreaming, 0); }
  void Remove(uint64_t id) {
    auto it = index_.find(id);
    if (it == index_.end()) return;
    queues_[it->second.queue].erase(it->second.where);
    index_.erase(it);
  }
  // The earliest deadline over both queues, or 0 when there is none.
  uint64_t NextDeadline() const {
    uint64_t next = 0;
    if (!unanswered_.empty()) next = unanswered_.front().deadline_ms;
    if (!lingering_.empty() && (next == 0 || lingering_.front().deadline_ms < next)) {
      next = lingering_.front().deadline_ms;
    }
    return next;
  }
  bool streaming(uint64_t id) const {
    auto it = index_.find(id);
    return it != index_.end() && it->second.queue == kStreaming;
  }
  // Ids of requests whose deadline is <= now.
  std::vector<uint64_t> Due(uint64_t now) const {
    std::vector<uint64_t> due;
    for (const auto* queue : {&unanswered_, &lingering_}) {
      for (const RequestContext& rc : *queue) {
        if (rc.deadline_ms > now) break;
        due.push_back(rc.id);
      }
    }
    return due;
  }
  std::vector<uint64_t> Ids() const {
    std::vector<uint64_t> ids;
    for (const auto& [id, entry] : index_)
      ids.push_back(id);
    return ids;
  }
  size_t unanswered() const { return unanswered_.size(); }
  size_t size() const { return index_.size(); }
  bool empty() const { return index_.empty(); }

 private:
  enum Queue { kUnanswered = 0, kLingering = 1, kStreaming = 2 };
  struct Entry {
    std::list<RequestContext>::iterator where;
    Queue queue;
  };
  void Move(uint64_t id, Queue to, uint64_t deadline_ms) {
    auto it = index_.find(id);
    if (it == index_.end() || it->second.queue == to) return;
    it->second.where->deadline_ms = deadline_ms;
    queues_[to].splice(queues_[to].end(), queues_[it->second.queue], it->second.where);
    it->second.queue = to;
  }
  std::list<RequestContext> queues_[3];
  std::list<RequestContext>& unanswered_ = queues_[kUnanswered];
  std::list<RequestContext>& lingering_ = queues_[kLingering];
  std::unordered_map<uint64_t, Entry> index_;
};

}  // namespace edgerun::isolates
