#include "http/connection_limits.h"

#include <boost/asio/ip/address_v6.hpp>

#include <algorithm>
#include <array>
#include <mutex>
#include <utility>
#include <vector>

namespace connectplane::http {
namespace {

// The table is not swept before it holds this many addresses.
constexpr size_t kMinPruneSize = 1024;

}  // namespace

ConnectionLimits::Lease::Lease(Lease&& other) noexcept { *this = std::move(other); }

ConnectionLimits::Lease& ConnectionLimits::Lease::operator=(Lease&& other) noexcept {
  if (this != &other) {
    Reset();
    limits_ = std::exchange(other.limits_, nullptr);
    address_ = std::move(other.address_);
    stranger_ = std::exchange(other.stranger_, false);
    authenticated_ = std::exchange(other.authenticated_, false);
    marked_at_ = std::exchange(other.marked_at_, absl::InfinitePast());
  }
  return *this;
}

void ConnectionLimits::Lease::MarkAuthenticated() {
  if (limits_ == nullptr) {
    return;
  }
  const absl::Time now = limits_->clock_.Now();
  // Refreshing the address's memory a few times per period is enough; this
  // keeps the shared lock off the path of every authenticated request.
  if (authenticated_ && now - marked_at_ < limits_->options_.known_address_memory / 4) {
    return;
  }
  limits_->MarkAuthenticated(*this, now);
}

void ConnectionLimits::Lease::Reset() {
  if (limits_ != nullptr) {
    limits_->Release(*this);
    limits_ = nullptr;
  }
}

ConnectionLimits::ConnectionLimits(ConnectionLimitOptions options, const common::Clock& clock)
    : options_(options),
      clock_(clock),
      prune_at_size_(std::max<size_t>(
          kMinPruneSize, 2 * static_cast<size_t>(std::max(options.max_connections, 0)))) {}

bool ConnectionLimits::IsKnown(const AddressState& state, absl::Time now) const {
  return now - state.last_authenticated < options_.known_address_memory;
}

ConnectionLimits::Verdict ConnectionLimits::Admit(std::string_view address, Lease& lease) {
  const absl::Time now = clock_.Now();
  std::lock_guard<std::mutex> lock(mu_);
  if (live_ >= options_.max_connections) {
    return Verdict::kServerFull;
  }
  auto [entry, inserted] = addresses_.try_emplace(std::string(address));
  AddressState& state = entry->second;
  if (state.live >= options_.max_per_address) {
    return Verdict::kAddressFull;
  }
  const bool stranger = !IsKnown(state, now);
  if (stranger && strangers_ >= options_.max_connections - options_.reserved_for_known_addresses) {
    if (inserted) {
      addresses_.erase(entry);
    }
    return Verdict::kReservedForKnown;
  }
  ++state.live;
  ++live_;
  peak_ = std::max(peak_, live_);
  if (stranger) {
    ++strangers_;
  }
  lease.limits_ = this;
  lease.address_ = entry->first;
  lease.stranger_ = stranger;
  if (inserted && addresses_.size() >= prune_at_size_) {
    PruneLocked(now);
  }
  return Verdict::kAdmitted;
}

int ConnectionLimits::live_connections() {
  std::lock_guard<std::mutex> lock(mu_);
  return live_;
}

int ConnectionLimits::TakePeakConnections() {
  std::lock_guard<std::mutex> lock(mu_);
  return std::exchange(peak_, live_);
}

void ConnectionLimits::MarkAuthenticated(Lease& lease, absl::Time now) {
  std::lock_guard<std::mutex> lock(mu_);
  auto entry = addresses_.find(lease.address_);
  if (entry != addresses_.end()) {
    entry->second.last_authenticated = now;
  }
  if (lease.stranger_) {
    lease.stranger_ = false;
    --strangers_;
  }
  lease.authenticated_ = true;
  lease.marked_at_ = now;
}

void ConnectionLimits::Release(Lease& lease) {
  const absl::Time now = clock_.Now();
  std::lock_guard<std::mutex> lock(mu_);
  --live_;
  if (lease.stranger_) {
    --strangers_;
  }
  auto entry = addresses_.find(lease.address_);
  if (entry == addresses_.end()) {
    return;
  }
  if (--entry->second.live == 0 && !IsKnown(entry->second, now)) {
    addresses_.erase(entry);
  }
}

void ConnectionLimits::PruneLocked(absl::Time now) {
  std::erase_if(addresses_, [&](const auto& entry) {
    return entry.second.live == 0 && !IsKnown(entry.second, now);
  });
  // Still large: many addresses authenticated within the memory period. Forget
  // the idle ones that authenticated longest ago, down to a quarter of the
  // bound. Live addresses number at most max_connections (half the bound), so
  // the table ends at most 3/4 full and sweeps stay amortized O(1) per admit.
  if (addresses_.size() >= prune_at_size_ / 4 * 3) {
    std::vector<absl::Time> idle_times;
    for (const auto& [key, state] : addresses_) {
      if (state.live == 0) {
        idle_times.push_back(state.last_authenticated);
      }
    }
    const size_t keep = prune_at_size_ / 4;
    if (idle_times.size() > keep) {
      const size_t drop = idle_times.size() - keep;
      std::nth_element(idle_times.begin(), idle_times.begin() + static_cast<ptrdiff_t>(drop - 1),
                       idle_times.end());
      const absl::Time cutoff = idle_times[drop - 1];
      std::erase_if(addresses_, [&](const auto& entry) {
        return entry.second.live == 0 && entry.second.last_authenticated <= cutoff;
      });
    }
  }
}

std::string ConnectionLimits::AddressKey(const boost::asio::ip::address& address) {
  if (address.is_v4()) {
    return address.to_string();
  }
  const boost::asio::ip::address_v6 v6 = address.to_v6();
  if (v6.is_v4_mapped()) {
    return boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, v6).to_string();
  }
  boost::asio::ip::address_v6::bytes_type bytes = v6.to_bytes();
  std::fill(bytes.begin() + 8, bytes.end(), 0);
  return boost::asio::ip::address_v6(bytes).to_string() + "/64";
}

}  // namespace connectplane::http
