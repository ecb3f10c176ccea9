// web/form_errors.h — the errors of a submitted form as pages show them: an error summary at
// the top (role="alert", each entry a link to its field, GOV.UK-style) and a message next to
// each field. Service messages name fields as "field 'email': …"; those become links to the
// input with that id. Plain values; not shared between threads.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "web/pages.h"

namespace trellis::web {

class FormErrors {
 public:
  // Adds an error for the input with id `field` ("" when it belongs to no one field).
  void Add(std::string field, std::string message);
  // Adds each line of `status`'s message; a line naming "field 'x'" links to input `x`
  // (mapped through `field_ids` when given as pairs {service name, input id}).
  void AddStatus(const Status& status,
                 const std::vector<std::pair<std::string, std::string>>& field_ids = {});

  // Adds each line of `status`'s message as is, all linked to input `field` (a file upload:
  // the lines name file, line and column, not inputs of this form).
  void AddLines(const Status& status, const std::string& field);

  bool empty() const { return errors_.empty(); }
  std::size_t size() const { return errors_.size(); }

  // Sets has_errors, errors [{message, href}] and, per field, "<field>_error" on `data`.
  void Fill(PageData& data) const;
  // The first message for input `field`, or "" (for fields in a repeated section, whose
  // template key cannot carry the input's id).
  std::string MessageFor(std::string_view field) const;

 private:
  struct Error {
    std::string field;
    std::string message;
  };
  std::vector<Error> errors_;
};

}  // namespace trellis::web
