// web/questionnaire_pages.cc — see questionnaire_pages.h. Each handler parses the form, calls
// the QuestionnaireService, and renders: the questionnaire, the thank-you page, or a neutral
// error page. Nothing here reveals other raters: the service gives only this rater's view.
#include "web/questionnaire_pages.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdio>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "service/campaign_service.h"
#include "web/form_errors.h"
#include "web/problem.h"

namespace trellis::web {
namespace {

constexpr std::string_view kItemPrefix = "item_";
constexpr std::string_view kCommentPrefix = "comment_";
constexpr std::string_view kNotObserved = "na";

// What the rater sent: answers, domain comments, and the form's own fields.
struct RaterForm {
  std::vector<model::Answer> answers;
  std::vector<std::pair<std::string, std::string>> comments;
  std::string action;          // "save" or "submit"
  std::string submission_key;  // generated when the page was shown
  bool autosave = false;       // sent by trellis.js: answer 204, not a page
};

// Reads item_CODE=score|na and comment_DOMAIN=text. A value that is neither a whole number nor
// "na" is a problem on that item, added to `problems` as the service words its own (the
// service checks the scale).
RaterForm ParseRaterForm(const FormData& form, std::string& problems) {
  RaterForm out;
  for (const auto& [name, value] : form.fields) {
    std::string_view n = name;
    if (n.starts_with(kItemPrefix)) {
      std::string code(n.substr(kItemPrefix.size()));
      if (value.empty()) continue;
      if (value == kNotObserved) {
        out.answers.push_back({code, std::nullopt});
        continue;
      }
      int score = 0;
      auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), score);
      if (ec != std::errc() || end != value.data() + value.size()) {
        problems += "item '" + code + "': choose one of the answers\n";
        continue;
      }
      out.answers.push_back({code, score});
    } else if (n.starts_with(kCommentPrefix)) {
      out.comments.emplace_back(std::string(n.substr(kCommentPrefix.size())), value);
    }
  }
  out.action = form.Value("action");
  out.submission_key = form.Value("submission_key");
  out.autosave = form.Value("autosave") == "1";
  return out;
}

std::string Capitalised(std::string text) {
  if (!text.empty()) text[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(text[0])));
  return text;
}

// "2026-03-31" → "31 March 2026"; anything else unchanged.
std::string LongDate(const std::string& iso) {
  static constexpr const char* kMonths[] = {"January",   "February", "March",    "April",
                                            "May",       "June",     "July",     "August",
                                            "September", "October",  "November", "December"};
  int y = 0, m = 0, d = 0;
  if (iso.size() != 10 || std::sscanf(iso.c_str(), "%4d-%2d-%2d", &y, &m, &d) != 3 || m < 1 ||
      m > 12) {
    return iso;
  }
  return std::to_string(d) + " " + kMonths[m - 1] + " " + std::to_string(y);
}

std::string GroupPhrase(model::RaterGroup group) {
  switch (group) {
    case model::RaterGroup::kManager:
      return "line manager";
    case model::RaterGroup::kDirectReport:
      return "direct report";
    case model::RaterGroup::kPartner:
      return "colleague in a partner organisation";
    case model::RaterGroup::kCommunity:
      return "community partner";
    case model::RaterGroup::kPeer:
      return "peer";
    default:
      return "colleague";
  }
}

// The error summary links to the first radio of an item or to a domain's comment box.
std::string FieldFor(const std::string& message, const std::map<std::string, std::string>& first) {
  auto quoted = [&message](std::string_view prefix) -> std::optional<std::string> {
    if (!message.starts_with(prefix)) return std::nullopt;
    std::size_t end = message.find('\'', prefix.size());
    if (end == std::string::npos) return std::nullopt;
    return message.substr(prefix.size(), end - prefix.size());
  };
  if (auto item = quoted("item '")) {
    auto it = first.find(*item);
    return it == first.end() ? "" : it->second;
  }
  if (auto domain = quoted("comment on domain '")) return "comment-" + *domain;
  if (auto domain = quoted("domain '")) return "comment-" + *domain;
  return "";
}

// The values to show in the form: the saved draft, or what was just posted.
struct Values {
  std::map<std::string, std::optional<int>> answers;  // item code → score (nullopt: n/a)
  std::map<std::string, std::string> comments;        // domain code → text
};

Values ValuesOf(const std::vector<model::Answer>& answers,
                const std::vector<std::pair<std::string, std::string>>& comments) {
  Values v;
  for (const model::Answer& a : answers) v.answers[a.item_code] = a.score;
  for (const auto& [domain, text] : comments) v.comments[domain] = text;
  return v;
}

// Domains → items → scale options, for one framework. `with_comments` adds a comment box per
// domain. `field_errors`: field id (an item's first radio, "comment-DOMAIN") → message.
PageList DomainsData(const model::Framework& framework, const Values& values, bool with_comments,
                     const std::map<std::string, std::string>& field_errors) {
  PageList domains;
  for (const model::Domain& domain : framework.domains) {
    PageData d;
    d.set("title", domain.title);
    d.set("description", domain.description);
    d.set("has_description", !domain.description.empty());
    PageList items;
    for (const model::Competency& competency : domain.competencies) {
      for (const model::Item& item : competency.items) {
        PageData i;
        const std::string id = "item-" + item.code;
        i.set("id", id);
        i.set("name", std::string(kItemPrefix) + item.code);
        i.set("text", item.text);
        auto answered = values.answers.find(item.code);
        PageList options;
        for (int score = framework.scale.min; score <= framework.scale.max; ++score) {
          PageData o;
          o.set("id", id + "-" + std::to_string(score));
          o.set("value", std::to_string(score));
          auto label = framework.scale.labels.find(score);
          o.set("label", label == framework.scale.labels.end()
                             ? std::to_string(score)
                             : std::to_string(score) + " – " + label->second);
          o.set("checked", answered != values.answers.end() && answered->second == score);
          options.push_back(o);
        }
        PageData na;
        na.set("id", id + "-na");
        na.set("value", std::string(kNotObserved));
        na.set("label", std::string("Not observed"));
        na.set("checked", answered != values.answers.end() && !answered->second.has_value());
        options.push_back(na);
        i.set("options", options);
        auto error = field_errors.find(id + "-" + std::to_string(framework.scale.min));
        if (error != field_errors.end()) i.set("error", error->second);
        items.push_back(i);
      }
    }
    d.set("items", items);
    if (with_comments) {
      PageData c;
      c.set("id", "comment-" + domain.code);
      c.set("name", std::string(kCommentPrefix) + domain.code);
      auto text = values.comments.find(domain.code);
      c.set("text", text == values.comments.end() ? std::string() : text->second);
      auto error = field_errors.find("comment-" + domain.code);
      if (error != field_errors.end()) c.set("error", error->second);
      d.set("comment", c);
    }
    domains.push_back(d);
  }
  return domains;
}

// Item code → the id of its first radio (the error summary's link target), for the framework
// and the context check. Must match DomainsData's ids.
std::map<std::string, std::string> FirstRadios(const service::Questionnaire& q) {
  std::map<std::string, std::string> out;
  auto add = [&out](const model::Framework& f) {
    for (const model::Domain& d : f.domains) {
      for (const model::Competency& c : d.competencies) {
        for (const model::Item& i : c.items) {
          out[i.code] = "item-" + i.code + "-" + std::to_string(f.scale.min);
        }
      }
    }
  };
  add(q.framework);
  if (q.context_check) add(*q.context_check);
  return out;
}

Response NoStore(Response response) {
  response.headers.Set("Cache-Control", "no-store");
  return response;
}

// A link that leads to no questionnaire, a closed campaign, or trouble on our side. The
// service's messages are neutral: the same for unknown, replaced and declined links.
Response RaterError(const AppContext& ctx, const Status& status) {
  int http_status = HttpStatusFor(status.code());
  bool internal =
      status.code() == StatusCode::kInternal || status.code() == StatusCode::kUnavailable;
  PageData data;
  std::string title = "Questionnaire not available";
  if (status.code() == StatusCode::kNotFound) title = "This link is not valid";
  std::string message = internal ? std::string(
                                       "Something went wrong on our side. Your answers "
                                       "so far are kept; please try again in a moment.")
                                 : Capitalised(status.message());
  // "this campaign closed on 2026-03-31; thank you" reads better as two sentences.
  if (std::size_t semi = message.find("; thank you"); semi != std::string::npos) {
    message.replace(semi, 11, ". Thank you.");
  }
  data.set("message", message);
  Response response =
      ctx.pages.Render(nullptr, "questionnaire_unavailable", title, data, http_status);
  if (internal) response.log_note = status.ToString();
  return NoStore(std::move(response));
}

Response ThankYou(const AppContext& ctx, const service::Questionnaire* q, int status = 200) {
  PageData data;
  if (q != nullptr) {
    data.set("campaign_name", q->campaign_name);
    data.set("subject_name", q->subject_name);
    data.set("known", true);
  }
  return NoStore(ctx.pages.Render(nullptr, "questionnaire_thanks", "Thank you", data, status));
}

// The thank-you page after a submission names no campaign or subject, so it is the same for
// every rater: rendered once per status (200, or 409 for a link that submitted before) and
// copied after, instead of parsing and rendering the templates on every submission.
class SubmittedThanks {
 public:
  Response Get(const AppContext& ctx, int status) {
    std::call_once(rendered_, [&] {
      ok_ = ThankYou(ctx, nullptr, 200);
      conflict_ = ThankYou(ctx, nullptr, 409);
    });
    return status == 409 ? conflict_ : ok_;
  }

 private:
  std::once_flag rendered_;
  Response ok_;
  Response conflict_;
};

// The questionnaire page: `values` pre-filled, `errors` summarised at the top.
Response QuestionnairePage(const AppContext& ctx, const std::string& token,
                           const service::Questionnaire& q, const Values& values,
                           const std::string& submission_key, const FormErrors& errors,
                           const std::vector<std::pair<std::string, std::string>>& field_errors,
                           bool saved, int status) {
  std::map<std::string, std::string> by_field(field_errors.begin(), field_errors.end());
  PageData data;
  data.set("action", "/r/" + PercentEncode(token));
  data.set("campaign_name", q.campaign_name);
  data.set("subject_name", q.subject_name);
  data.set("is_self", q.group == model::RaterGroup::kSelf);
  data.set("group", GroupPhrase(q.group));
  data.set("privacy_statement", q.privacy_statement);
  data.set("closes_on", LongDate(q.closes_on));
  data.set("domains", DomainsData(q.framework, values, true, by_field));
  if (q.context_check) {
    data.set("has_context", true);
    data.set("context_domains", DomainsData(*q.context_check, values, false, by_field));
  }
  data.set("submission_key", submission_key);
  data.set("saved", saved);
  errors.Fill(data);
  std::string title = q.campaign_name;
  return NoStore(ctx.pages.Render(nullptr, "questionnaire", title, data, status));
}

Response Show(const AppContext& ctx, const WebRequest& r) {
  const std::string& token = r.params.at("token");
  Result<service::Questionnaire> q = ctx.services.questionnaires.Open(token, ctx.auth.Now());
  if (!q.ok()) return RaterError(ctx, q.status());
  if (q->submitted) return ThankYou(ctx, &*q);
  Values values;
  if (q->saved) values = ValuesOf(q->saved->answers, q->saved->comments);
  const std::string* saved = r.request.Query("saved");
  return QuestionnairePage(ctx, token, *q, values, service::NewRaterToken(), FormErrors{}, {},
                           saved != nullptr && *saved == "1", 200);
}

Response Post(const AppContext& ctx, SubmittedThanks& thanks, const WebRequest& r) {
  const std::string& token = r.params.at("token");
  std::string problems;
  RaterForm form = ParseRaterForm(r.form, problems);
  const service::TimePoint now = ctx.auth.Now();
  Status outcome = Status::Ok();
  if (!problems.empty()) {
    outcome = Status::InvalidArgument(problems);
  } else {
    if (form.action == "submit") {
      Result<storage::SubmitOutcome> submitted = ctx.services.questionnaires.Submit(
          token, form.answers, form.comments, form.submission_key, now);
      // A retry with the same key (kAlreadyRecorded) is thanked like the first time.
      if (submitted.ok()) return thanks.Get(ctx, 200);
      if (submitted.status().code() == StatusCode::kAlreadyExists) {
        return thanks.Get(ctx, 409);  // this link submitted before; nothing changed
      }
      outcome = submitted.status();
    } else {
      outcome = ctx.services.questionnaires.SaveDraft(token, form.answers, form.comments, now);
      if (outcome.ok()) {
        if (form.autosave) return NoStore(Response{204, "", {}, "", ""});
        return RedirectResponse("/r/" + PercentEncode(token) + "?saved=1");
      }
    }
    if (outcome.code() != StatusCode::kInvalidArgument) {
      if (form.autosave) return NoStore(Response{HttpStatusFor(outcome.code()), "", {}, "", ""});
      return RaterError(ctx, outcome);
    }
  }
  if (form.autosave) return NoStore(Response{400, "", {}, "", ""});
  // Show the page again with what was sent and the errors linked to their fields.
  Result<service::Questionnaire> q = ctx.services.questionnaires.Open(token, now);
  if (!q.ok()) return RaterError(ctx, q.status());
  if (q->submitted) return ThankYou(ctx, &*q);
  std::map<std::string, std::string> first_radio = FirstRadios(*q);
  FormErrors shown;
  std::vector<std::pair<std::string, std::string>> field_errors;
  const std::string& message = outcome.message();
  for (std::size_t start = 0; start < message.size();) {
    std::size_t end = std::min(message.find('\n', start), message.size());
    std::string line = message.substr(start, end - start);
    start = end + 1;
    if (line.empty()) continue;
    std::string field = FieldFor(line, first_radio);
    shown.Add(field, Capitalised(line));
    if (!field.empty()) field_errors.emplace_back(field, Capitalised(line));
  }
  Values values = ValuesOf(form.answers, form.comments);
  std::string key = form.submission_key.empty() ? service::NewRaterToken() : form.submission_key;
  return QuestionnairePage(ctx, token, *q, values, key, shown, field_errors, false, 400);
}

}  // namespace

Status AddQuestionnairePages(RouteTable& routes, const AppContext& ctx) {
  TRELLIS_RETURN_IF_ERROR(routes.Add("GET", "/r/{token}", Access::kRaterLink, Surface::kPage,
                                     [&ctx](const WebRequest& r) { return Show(ctx, r); }));
  auto thanks = std::make_shared<SubmittedThanks>();
  TRELLIS_RETURN_IF_ERROR(
      routes.Add("POST", "/r/{token}", Access::kRaterLink, Surface::kPage,
                 [&ctx, thanks](const WebRequest& r) { return Post(ctx, *thanks, r); }));
  return Status::Ok();
}

}  // namespace trellis::web
