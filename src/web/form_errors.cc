// web/form_errors.cc — see form_errors.h.
#include "web/form_errors.h"

#include <cctype>
#include <set>

namespace trellis::web {

void FormErrors::Add(std::string field, std::string message) {
  errors_.push_back({std::move(field), std::move(message)});
}

void FormErrors::AddStatus(const Status& status,
                           const std::vector<std::pair<std::string, std::string>>& field_ids) {
  std::string_view rest = status.message();
  while (!rest.empty()) {
    std::size_t eol = rest.find('\n');
    std::string_view line = rest.substr(0, eol);
    rest = eol == std::string_view::npos ? std::string_view() : rest.substr(eol + 1);
    if (line.empty()) continue;
    std::string field;
    constexpr std::string_view kMarker = "field '";
    if (std::size_t at = line.find(kMarker); at != std::string_view::npos) {
      std::size_t start = at + kMarker.size();
      std::size_t end = line.find('\'', start);
      if (end != std::string_view::npos) field = std::string(line.substr(start, end - start));
      for (const auto& [name, id] : field_ids) {
        if (name == field) field = id;
      }
    }
    std::string message(line);
    // A form's own field needs no "field 'name':" jargon: "Name: empty". Lines naming a file
    // ("people.csv:3: field 'email': …") keep their form, which says where to look.
    if (line.rfind(kMarker, 0) == 0) {
      std::size_t close = line.find("': ");
      if (close != std::string_view::npos) {
        std::string label(line.substr(kMarker.size(), close - kMarker.size()));
        if (label.size() > 3 && label.substr(label.size() - 3) == "_id")
          label.resize(label.size() - 3);
        for (char& c : label) c = c == '_' ? ' ' : c;
        if (!label.empty())
          label[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(label[0])));
        message = label + ": " + std::string(line.substr(close + 3));
      }
    }
    Add(std::move(field), std::move(message));
  }
}

void FormErrors::AddLines(const Status& status, const std::string& field) {
  std::string_view rest = status.message();
  while (!rest.empty()) {
    std::size_t eol = rest.find('\n');
    std::string_view line = rest.substr(0, eol);
    rest = eol == std::string_view::npos ? std::string_view() : rest.substr(eol + 1);
    if (!line.empty()) Add(field, std::string(line));
  }
}

std::string FormErrors::MessageFor(std::string_view field) const {
  for (const Error& e : errors_)
    if (e.field == field) return e.message;
  return "";
}

void FormErrors::Fill(PageData& data) const {
  data.set("has_errors", !errors_.empty());
  data.set("error_count", std::to_string(errors_.size()));
  PageList list;
  std::set<std::string> seen;
  for (const Error& e : errors_) {
    PageData item;
    item.set("message", e.message);
    if (!e.field.empty()) {
      item.set("href", "#" + e.field);
      // The first message for a field is shown next to it.
      if (seen.insert(e.field).second) data.set(e.field + "_error", e.message);
    }
    list.push_back(item);
  }
  data.set("errors", list);
}

}  // namespace trellis::web
