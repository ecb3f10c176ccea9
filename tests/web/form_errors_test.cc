// tests/web/form_errors_test.cc — service errors as a page's error summary and field messages.
#include "web/form_errors.h"

#include <gtest/gtest.h>

namespace trellis::web {
namespace {

TEST(FormErrors, FieldMessagesLinkToTheirInputsInPlainWords) {
  FormErrors errors;
  errors.AddStatus(Status::InvalidArgument("field 'organisation': 'x' is not an organisation"),
                   {{"organisation", "organisation_id"}});
  errors.AddStatus(Status::InvalidArgument("field 'line_manager_id': unknown"));
  errors.AddStatus(
      Status::InvalidArgument("people.csv:3: field 'email': 'bob' is not an email address\n"
                              "people.csv: 1 errors; nothing was imported"));
  PageData data;
  errors.Fill(data);
  ASSERT_EQ(errors.size(), 4u);
  EXPECT_TRUE(data.get("has_errors")->is_true());
  EXPECT_EQ(data.get("organisation_id_error")->string_value(),
            "Organisation: 'x' is not an organisation");
  EXPECT_EQ(data.get("line_manager_id_error")->string_value(), "Line manager: unknown");
  // File lines keep their file:line; the total has no field and no link.
  const auto& list = data.get("errors")->list_value();
  EXPECT_EQ(list[2].get("message")->string_value(),
            "people.csv:3: field 'email': 'bob' is not an email address");
  EXPECT_EQ(list[2].get("href")->string_value(), "#email");
  EXPECT_EQ(list[3].get("href"), nullptr);
}

TEST(FormErrors, UploadErrorsAllBelongToTheFileInput) {
  FormErrors errors;
  errors.AddLines(Status::InvalidArgument("a.csv:2: field 'email': bad\n\na.csv: 1 errors"),
                  "file");
  PageData data;
  errors.Fill(data);
  const auto& list = data.get("errors")->list_value();
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0].get("href")->string_value(), "#file");
  EXPECT_EQ(list[1].get("message")->string_value(), "a.csv: 1 errors");
  EXPECT_EQ(data.get("email_error"), nullptr);
}

}  // namespace
}  // namespace trellis::web
