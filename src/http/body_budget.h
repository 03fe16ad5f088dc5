// BodyBudget: how many bytes of large request bodies one I/O thread's
// connections may hold in memory at once. A connection reserves a body's size
// before it reads the body; when the budget is spent it queues (first come,
// first served) and reads nothing meanwhile, so the sender's bytes wait in the
// kernel's socket buffers (TCP back-pressure) instead of in our heap.
// Not thread-safe: each I/O thread owns one, and only that thread uses it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>

namespace connectplane::http {

class BodyBudget {
 public:
  // Runs once the bytes are reserved for the waiter. Called from inside
  // Release(), i.e. possibly from another connection's teardown: it must only
  // record the grant and post the continuation, never run it inline.
  using Granted = std::function<void()>;
  using Ticket = uint64_t;

  explicit BodyBudget(size_t capacity_bytes) : capacity_bytes_(capacity_bytes) {}
  BodyBudget(const BodyBudget&) = delete;
  BodyBudget& operator=(const BodyBudget&) = delete;

  size_t capacity_bytes() const { return capacity_bytes_; }
  size_t reserved_bytes() const { return reserved_bytes_; }

  // Reserves `bytes` now when they fit and nobody is queued (a queued large
  // body is not overtaken forever by smaller ones). Precondition: bytes <=
  // capacity_bytes(). Returns false, reserving nothing, otherwise.
  [[nodiscard]] bool TryReserve(size_t bytes);
  // Queues a reservation of `bytes` (<= capacity_bytes()) after TryReserve(bytes)
  // returned false; `granted` runs from a later Release() or Cancel() once they
  // are reserved, never from inside Enqueue. The ticket cancels the wait.
  Ticket Enqueue(size_t bytes, Granted granted);
  // Withdraws a queued reservation (which may let the next waiters in). No
  // effect if it was already granted (the waiter then owns the bytes and must
  // Release them) or never existed.
  void Cancel(Ticket ticket);
  // Returns reserved bytes and grants queued waiters, in order, while they fit.
  void Release(size_t bytes);
  // Drops every queued waiter without granting it (server shutdown: their
  // event loops are going away). Later Enqueue calls are dropped the same way.
  void Close();

 private:
  struct Waiter {
    Ticket ticket;
    size_t bytes;
    Granted granted;
  };

  void GrantWaiters();

  const size_t capacity_bytes_;
  size_t reserved_bytes_ = 0;
  std::deque<Waiter> waiters_;
  Ticket next_ticket_ = 1;
  bool closed_ = false;
};

}  // namespace connectplane::http
