#include "http/tls_context.h"

#include <boost/asio/ssl/context.hpp>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "absl/status/status.h"
#include <cerrno>
#include <cstdio>
#include <cstring>

namespace connectplane::http {
namespace {

namespace ssl = boost::asio::ssl;

// OpenSSL's reason for the last failure, e.g. "no start line" for a file that
// is not PEM; "" when it left none.
std::string OpenSslReason(const boost::system::error_code& ec) {
  std::string reason = ec.message();
  ERR_clear_error();
  return reason;
}

// A readable regular file, or why not (OpenSSL's own message for a missing
// file is "system lib").
absl::Status CheckReadable(const std::string& what, const std::string& path) {
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) {
    return absl::InvalidArgumentError("cannot read TLS " + what + " " + path + ": " +
                                      std::strerror(errno));
  }
  std::fclose(file);
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::shared_ptr<ssl::context>> LoadTlsContext(const std::string& certificate_file,
                                                             const std::string& private_key_file) {
  if (absl::Status readable = CheckReadable("certificate", certificate_file); !readable.ok()) {
    return readable;
  }
  if (absl::Status readable = CheckReadable("key", private_key_file); !readable.ok()) {
    return readable;
  }
  auto context = std::make_shared<ssl::context>(ssl::context::tls_server);
  boost::system::error_code ec;
  // TLS 1.2 and 1.3 only; what every supported SDK and Terraform speak.
  context->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                           ssl::context::no_sslv3 | ssl::context::no_tlsv1 |
                           ssl::context::no_tlsv1_1 | ssl::context::single_dh_use,
                       ec);
  if (ec) {
    return absl::InternalError("cannot set TLS options: " + OpenSslReason(ec));
  }
  // An encrypted key must fail to load, not prompt on the terminal.
  context->set_password_callback(
      [](size_t, ssl::context::password_purpose) { return std::string(); }, ec);
  context->use_certificate_chain_file(certificate_file, ec);
  if (ec) {
    return absl::InvalidArgumentError("TLS certificate " + certificate_file +
                                      " is not a PEM certificate: " + OpenSslReason(ec));
  }
  context->use_private_key_file(private_key_file, ssl::context::pem, ec);
  if (ec && ERR_GET_REASON(static_cast<unsigned long>(ec.value())) == X509_R_KEY_VALUES_MISMATCH) {
    ERR_clear_error();
    return absl::InvalidArgumentError("TLS key " + private_key_file +
                                      " does not belong to the certificate in " + certificate_file);
  }
  if (ec) {
    return absl::InvalidArgumentError(
        "TLS key " + private_key_file +
        " is not an unencrypted PEM private key: " + OpenSslReason(ec));
  }
  if (SSL_CTX_check_private_key(context->native_handle()) != 1) {
    ERR_clear_error();
    return absl::InvalidArgumentError("TLS key " + private_key_file +
                                      " does not belong to the certificate in " + certificate_file);
  }
  return context;
}

}  // namespace connectplane::http
