// service/mailer.h — how the campaign service sends rater invitations and reminders: one plain
// text email at a time. Implementations: mail/smtp_mailer.h (SMTP through libcurl) and test
// fakes that capture messages. The interface lives here so services do not depend on a
// transport; the mail module depends on the service module, not the other way round.
// Implementations must be safe to call from several threads at once.
#pragma once

#include <string>

#include "core/status.h"

namespace trellis::service {

class Mailer {
 public:
  virtual ~Mailer() = default;
  // Sends one UTF-8 plain-text message to `to` (one address). OK when the mail server accepted
  // it. kUnavailable when the server cannot be reached or refuses it (the message says which,
  // and the caller may retry later); kInvalidArgument if `to` is not an email address.
  virtual Status Send(const std::string& to, const std::string& subject,
                      const std::string& text_body) = 0;
};

}  // namespace trellis::service
