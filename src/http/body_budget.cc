#include "http/body_budget.h"

#include <algorithm>
#include <utility>

namespace connectplane::http {

bool BodyBudget::TryReserve(size_t bytes) {
  if (!waiters_.empty() || bytes > capacity_bytes_ - reserved_bytes_) {
    return false;
  }
  reserved_bytes_ += bytes;
  return true;
}

BodyBudget::Ticket BodyBudget::Enqueue(size_t bytes, Granted granted) {
  const Ticket ticket = next_ticket_++;
  if (closed_) {
    return ticket;
  }
  // No grant here: at rest the first waiter never fits (every change runs
  // GrantWaiters), so a newcomer queued behind it cannot fit either.
  waiters_.push_back(Waiter{ticket, bytes, std::move(granted)});
  return ticket;
}

void BodyBudget::Cancel(Ticket ticket) {
  auto waiter = std::find_if(waiters_.begin(), waiters_.end(),
                             [ticket](const Waiter& queued) { return queued.ticket == ticket; });
  if (waiter == waiters_.end()) {
    return;
  }
  const bool was_first = waiter == waiters_.begin();
  waiters_.erase(waiter);
  // A large first waiter may have been holding back smaller ones that fit.
  if (was_first) {
    GrantWaiters();
  }
}

void BodyBudget::Release(size_t bytes) {
  reserved_bytes_ -= std::min(bytes, reserved_bytes_);
  GrantWaiters();
}

void BodyBudget::Close() {
  closed_ = true;
  waiters_.clear();
}

void BodyBudget::GrantWaiters() {
  while (!waiters_.empty() && waiters_.front().bytes <= capacity_bytes_ - reserved_bytes_) {
    Waiter waiter = std::move(waiters_.front());
    waiters_.pop_front();
    reserved_bytes_ += waiter.bytes;
    waiter.granted();
  }
}

}  // namespace connectplane::http
