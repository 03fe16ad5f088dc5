// ConnectionLimits: which new connections the server admits. Three rules keep
// one client from locking the others out: a cap on all connections, a cap per
// source address, and a reserve of slots that only "known" addresses may take
// (those that made an authenticated request recently). "Address" means an
// AddressKey: an IPv4 address, or an IPv6 /64. Every admitted
// connection holds a Lease until it closes. Safe for concurrent use: the
// accept thread admits, I/O threads mark and release.
#pragma once

#include "common/clock.h"

#include <boost/asio/ip/address.hpp>

#include "absl/time/time.h"
#include <cstddef>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace connectplane::http {

struct ConnectionLimitOptions {
  int max_connections = 4096;
  // Connections one address may hold at once. >= 1.
  int max_per_address = 409;
  // Slots that connections from unknown addresses cannot take, so clients that
  // authenticate can still connect while strangers hold everything else.
  // 0 <= reserved_for_known_addresses < max_connections.
  int reserved_for_known_addresses = 409;
  // How long an address stays known after its last authenticated request.
  // The SDKs close idle connections after seconds, so this must outlive them.
  absl::Duration known_address_memory = absl::Minutes(10);
};

class ConnectionLimits {
 public:
  enum class Verdict {
    kAdmitted,
    kServerFull,       // max_connections reached
    kAddressFull,      // max_per_address reached for this address
    kReservedForKnown  // only the reserve is left and the address is unknown
  };

  // One admitted connection. Move-only; releasing (destruction or Reset) frees
  // the slot. Not thread-safe itself: one connection uses it at a time.
  class Lease {
   public:
    Lease() = default;
    Lease(Lease&& other) noexcept;
    Lease& operator=(Lease&& other) noexcept;
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    ~Lease() { Reset(); }

    // True once the connection carried an authenticated request.
    bool authenticated() const { return authenticated_; }
    // Records an authenticated request on this connection: the connection
    // stops counting against the strangers' share and its address becomes
    // known for known_address_memory. Cheap to call on every such request (the
    // shared state is touched at most a few times per memory period).
    void MarkAuthenticated();
    void Reset();

   private:
    friend class ConnectionLimits;
    ConnectionLimits* limits_ = nullptr;
    std::string address_;
    bool stranger_ = false;  // counted in ConnectionLimits::strangers_
    bool authenticated_ = false;
    absl::Time marked_at_ = absl::InfinitePast();
  };

  // `clock` (for known_address_memory) must outlive this object and every Lease.
  ConnectionLimits(ConnectionLimitOptions options, const common::Clock& clock);
  ConnectionLimits(const ConnectionLimits&) = delete;
  ConnectionLimits& operator=(const ConnectionLimits&) = delete;

  // Admits a connection from `address` (an AddressKey) into `lease` (which must
  // be empty), or leaves `lease` empty and says why not.
  Verdict Admit(std::string_view address, Lease& lease);
  // Connections admitted and not yet released.
  int live_connections();
  // The most connections that were open at once since the previous call (or
  // construction); the count then restarts from those open now.
  int TakePeakConnections();

  // The unit the per-address cap counts: an IPv4 address (IPv4-mapped IPv6
  // included) or an IPv6 /64, since one IPv6 host usually owns a whole /64.
  static std::string AddressKey(const boost::asio::ip::address& address);

 private:
  struct AddressState {
    int live = 0;
    absl::Time last_authenticated = absl::InfinitePast();
  };

  bool IsKnown(const AddressState& state, absl::Time now) const;
  void Release(Lease& lease);
  void MarkAuthenticated(Lease& lease, absl::Time now);
  // Forgets addresses with no connection whose memory has expired; keeps the
  // table within a bound even when many addresses authenticate.
  void PruneLocked(absl::Time now);  // called with mu_ held

  const ConnectionLimitOptions options_;
  const common::Clock& clock_;
  // A std::mutex rather than absl::Mutex: every I/O thread contends for it on
  // accept and close, and absl::Mutex's contended path runs inside Debian's
  // uninstrumented Abseil, where ThreadSanitizer cannot see its ordering. The
  // fields below are guarded by it.
  std::mutex mu_;
  int live_ = 0;
  int peak_ = 0;  // see TakePeakConnections
  // Live connections admitted from unknown addresses that have not authenticated.
  int strangers_ = 0;
  std::unordered_map<std::string, AddressState> addresses_;
  // Sweep the table when it reaches this size: at least twice max_connections.
  const size_t prune_at_size_;
};

}  // namespace connectplane::http
