// `connectplane healthcheck`: a probe for container health checks, so a runtime
// image needs no curl or wget. Stateless; safe to call from any thread.
#pragma once

#include <cstdint>
#include <string>

namespace connectplane {

// Sends `GET /healthz` to a server listening on `host`:`port` and reads the
// status line. A wildcard host (0.0.0.0, ::, empty) is probed on loopback of
// the same family. Returns 0 when the answer is 200 within `timeout_seconds`,
// else 1, after printing why on stderr (connection refused, timed out, the
// status line received).
int RunHealthcheck(const std::string& host, uint16_t port, double timeout_seconds);

}  // namespace connectplane
