// Loading the server's TLS certificate and key into an OpenSSL context for the
// HTTPS listener. The context is immutable once loaded and shared by every I/O
// thread (OpenSSL makes SSL objects from one SSL_CTX concurrently). Only this
// header's users see the type's name; Boost's SSL headers stay in the .cc files.
#pragma once

#include "absl/status/statusor.h"
#include <memory>
#include <string>

namespace boost::asio::ssl {
class context;
}  // namespace boost::asio::ssl

namespace connectplane::http {

// A TLS 1.2+ server context from PEM files: `certificate_file` holds the
// server certificate, optionally followed by its intermediate CAs;
// `private_key_file` its private key (unencrypted). Errors: InvalidArgument
// naming the file and OpenSSL's reason when a file cannot be read or parsed,
// or when the key does not belong to the certificate.
absl::StatusOr<std::shared_ptr<boost::asio::ssl::context>> LoadTlsContext(
    const std::string& certificate_file, const std::string& private_key_file);

}  // namespace connectplane::http
