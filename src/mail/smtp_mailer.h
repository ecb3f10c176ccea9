// mail/smtp_mailer.h — a service::Mailer that delivers through an SMTP server with libcurl:
// plain-text UTF-8 messages (RFC 5322 headers, an RFC 2047 encoded subject when it is not
// ASCII), optional STARTTLS (required, not opportunistic, when asked for) and optional login.
// Used by the server wiring for rater invitations and reminders (docs/campaigns.md).
// Thread-safe: each Send uses its own curl handle; the configuration is immutable.
#pragma once

#include <string>

#include "core/status.h"
#include "service/mailer.h"

namespace trellis::mail {

struct SmtpConfig {
  std::string host;      // "smtp.example.org"
  int port = 587;        // 25, 587 (submission) …
  std::string username;  // empty: no login
  std::string password;
  std::string from;          // sender address, "trellis@example.org"
  std::string from_name;     // display name, may be empty: "Trellis"
  bool starttls = false;     // true: upgrade with STARTTLS and refuse to send without it
  int timeout_seconds = 30;  // connect + whole transfer
};

class SmtpMailer final : public service::Mailer {
 public:
  explicit SmtpMailer(SmtpConfig config);

  // Sends one message. kInvalidArgument if `to` is not a single address, or the configuration
  // has no host or from address; kUnavailable "cannot reach the mail server HOST:PORT: …" when
  // nothing accepts the connection, or "mail server HOST:PORT did not accept the message to
  // TO: …" when the server refuses (authentication, TLS, recipient).
  Status Send(const std::string& to, const std::string& subject,
              const std::string& text_body) override;

  // The full message as sent (headers and CRLF body), for tests and diagnostics.
  std::string Compose(const std::string& to, const std::string& subject,
                      const std::string& text_body) const;

 private:
  SmtpConfig config_;
};

}  // namespace trellis::mail
