// mail/smtp_mailer.cc — SmtpMailer: composes an RFC 5322 message and uploads it with libcurl's
// SMTP support. Every curl error becomes a Status here.
#include "mail/smtp_mailer.h"

#include <curl/curl.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <ctime>
#include <memory>
#include <random>
#include <utility>

namespace trellis::mail {
namespace {

// curl_global_init is not thread-safe; run it once, before any handle is made.
void EnsureCurl() {
  static const CURLcode kInit = curl_global_init(CURL_GLOBAL_DEFAULT);
  (void)kInit;
}

bool IsAscii(std::string_view s) {
  for (unsigned char c : s)
    if (c >= 0x80) return false;
  return true;
}

std::string Base64(std::string_view in) {
  static constexpr char kTable[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    const unsigned v = (static_cast<unsigned char>(in[i]) << 16) |
                       (static_cast<unsigned char>(in[i + 1]) << 8) |
                       static_cast<unsigned char>(in[i + 2]);
    out += kTable[(v >> 18) & 63];
    out += kTable[(v >> 12) & 63];
    out += kTable[(v >> 6) & 63];
    out += kTable[v & 63];
  }
  if (i < in.size()) {
    unsigned v = static_cast<unsigned char>(in[i]) << 16;
    if (i + 1 < in.size()) v |= static_cast<unsigned char>(in[i + 1]) << 8;
    out += kTable[(v >> 18) & 63];
    out += kTable[(v >> 12) & 63];
    out += i + 1 < in.size() ? kTable[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

// Header values never carry a line break (header injection); non-ASCII text is RFC 2047
// encoded.
std::string HeaderText(std::string_view s) {
  std::string clean;
  for (char c : s) clean += (c == '\r' || c == '\n') ? ' ' : c;
  if (IsAscii(clean)) return clean;
  return "=?UTF-8?B?" + Base64(clean) + "?=";
}

bool IsSingleAddress(const std::string& s) {
  const size_t at = s.find('@');
  return at != std::string::npos && at > 0 && at + 1 < s.size() &&
         s.find('@', at + 1) == std::string::npos &&
         s.find_first_of(" \t\r\n,;<>\"") == std::string::npos;
}

// Normalises line ends to CRLF, as SMTP requires.
std::string CrLf(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 32);
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\r') {
      out += "\r\n";
      if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
    } else if (c == '\n') {
      out += "\r\n";
    } else {
      out += c;
    }
  }
  if (!out.ends_with("\r\n")) out += "\r\n";
  return out;
}

struct Upload {
  std::string_view data;
  size_t offset = 0;
};

size_t ReadPayload(char* buffer, size_t size, size_t nitems, void* userdata) {
  auto* upload = static_cast<Upload*>(userdata);
  const size_t n = std::min(size * nitems, upload->data.size() - upload->offset);
  std::memcpy(buffer, upload->data.data() + upload->offset, n);
  upload->offset += n;
  return n;
}

struct CurlDeleter {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct SlistDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

}  // namespace

SmtpMailer::SmtpMailer(SmtpConfig config) : config_(std::move(config)) { EnsureCurl(); }

std::string SmtpMailer::Compose(const std::string& to, const std::string& subject,
                                const std::string& text_body) const {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char date[64];
  std::strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S +0000", &tm);
  std::random_device rd;
  const std::string domain = config_.from.substr(config_.from.find('@') + 1);
  const std::string message_id = "<" + std::to_string(now) + "." + std::to_string(rd()) + "." +
                                 std::to_string(rd()) + "@" + domain + ">";
  std::string from = "<" + config_.from + ">";
  if (!config_.from_name.empty()) from = HeaderText(config_.from_name) + " " + from;
  std::string msg;
  msg += "Date: " + std::string(date) + "\r\n";
  msg += "From: " + from + "\r\n";
  msg += "To: <" + HeaderText(to) + ">\r\n";
  msg += "Subject: " + HeaderText(subject) + "\r\n";
  msg += "Message-ID: " + message_id + "\r\n";
  msg += "MIME-Version: 1.0\r\n";
  msg += "Content-Type: text/plain; charset=UTF-8\r\n";
  msg += "Content-Transfer-Encoding: 8bit\r\n";
  msg += "\r\n";
  msg += CrLf(text_body);
  return msg;
}

Status SmtpMailer::Send(const std::string& to, const std::string& subject,
                        const std::string& text_body) {
  if (config_.host.empty()) return Status::InvalidArgument("SMTP: no mail server host configured");
  if (!IsSingleAddress(config_.from)) {
    return Status::InvalidArgument("SMTP: the from address '" + config_.from +
                                   "' is not an email address");
  }
  if (!IsSingleAddress(to))
    return Status::InvalidArgument("'" + to + "' is not a single email address");
  const std::string server = config_.host + ":" + std::to_string(config_.port);

  std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
  if (!curl) return Status::Internal("SMTP: cannot create a curl handle");
  const std::string message = Compose(to, subject, text_body);
  Upload upload{message, 0};
  const std::string url = "smtp://" + server;
  const std::string mail_from = "<" + config_.from + ">";
  std::unique_ptr<curl_slist, SlistDeleter> rcpt(
      curl_slist_append(nullptr, ("<" + to + ">").c_str()));
  char error[CURL_ERROR_SIZE] = {0};

  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_MAIL_FROM, mail_from.c_str());
  curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt.get());
  curl_easy_setopt(c, CURLOPT_READFUNCTION, &ReadPayload);
  curl_easy_setopt(c, CURLOPT_READDATA, &upload);
  curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);  // threads: no SIGALRM for timeouts
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, static_cast<long>(config_.timeout_seconds));
  curl_easy_setopt(c, CURLOPT_TIMEOUT, static_cast<long>(config_.timeout_seconds));
  if (config_.starttls) curl_easy_setopt(c, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL));
  if (!config_.username.empty()) {
    curl_easy_setopt(c, CURLOPT_USERNAME, config_.username.c_str());
    curl_easy_setopt(c, CURLOPT_PASSWORD, config_.password.c_str());
  }

  const CURLcode rc = curl_easy_perform(c);
  if (rc == CURLE_OK) return Status::Ok();
  const std::string detail = error[0] != '\0' ? error : curl_easy_strerror(rc);
  switch (rc) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
      return Status::Unavailable("cannot reach the mail server " + server + ": " + detail +
                                 " (check the SMTP host and port, and that the server is running)");
    case CURLE_LOGIN_DENIED:
      return Status::Unavailable("mail server " + server + " refused the login for '" +
                                 config_.username + "': " + detail +
                                 " (check the SMTP username "
                                 "and password)");
    case CURLE_USE_SSL_FAILED:
      return Status::Unavailable("mail server " + server +
                                 " does not offer STARTTLS, which is required by the "
                                 "configuration: " +
                                 detail);
    default:
      return Status::Unavailable("mail server " + server + " did not accept the message to " + to +
                                 ": " + detail);
  }
}

}  // namespace trellis::mail
