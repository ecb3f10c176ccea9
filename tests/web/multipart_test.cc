// tests/web/multipart_test.cc — the multipart/form-data parser and form bodies.
#include "web/multipart.h"

#include <gtest/gtest.h>

#include "web/form.h"

namespace trellis::web {
namespace {

TEST(Multipart, BoundaryFromContentType) {
  EXPECT_EQ(MultipartBoundary("multipart/form-data; boundary=abc"), "abc");
  EXPECT_EQ(MultipartBoundary("Multipart/Form-Data; charset=utf-8; boundary=\"a b;c\""), "a b;c");
  EXPECT_EQ(MultipartBoundary("multipart/form-data"), std::nullopt);
  EXPECT_EQ(MultipartBoundary("multipart/mixed; boundary=abc"), std::nullopt);
  EXPECT_EQ(MultipartBoundary("multipart/form-data; boundary=" + std::string(71, 'x')),
            std::nullopt);
}

TEST(Multipart, FieldsAndAFileAsChromeSendsThem) {
  std::string body =
      "------WebKitFormBoundaryX\r\n"
      "Content-Disposition: form-data; name=\"_csrf\"\r\n\r\n"
      "tok\r\n"
      "------WebKitFormBoundaryX\r\n"
      "Content-Disposition: form-data; name=\"file\"; filename=\"people.csv\"\r\n"
      "Content-Type: text/csv\r\n\r\n"
      "name,email\r\nA,a@x.org\r\n\r\n"
      "------WebKitFormBoundaryX--\r\n";
  Result<FormData> form = ParseMultipart(body, "----WebKitFormBoundaryX");
  ASSERT_TRUE(form.ok()) << form.status().ToString();
  EXPECT_EQ(form->Value("_csrf"), "tok");
  const UploadedFile* file = form->File("file");
  ASSERT_NE(file, nullptr);
  EXPECT_EQ(file->filename, "people.csv");
  EXPECT_EQ(file->content_type, "text/csv");
  // The content keeps its own CRLFs, including a trailing blank line.
  EXPECT_EQ(file->data, "name,email\r\nA,a@x.org\r\n");
}

TEST(Multipart, BinaryContentThatLooksLikeABoundaryPrefix) {
  std::string data = std::string("a\0b\r\n--b", 8) + "x\r\n-";
  std::string body =
      "--b\r\nContent-Disposition: form-data; name=\"f\"; filename=\"x.bin\"\r\n\r\n" + data +
      "\r\n--b--";
  Result<FormData> form = ParseMultipart(body, "b");
  ASSERT_TRUE(form.ok()) << form.status().ToString();
  EXPECT_EQ(form->File("f")->data, data);
}

TEST(Multipart, PreambleEmptyPartsQuotedNamesAndPathsInFilenames) {
  std::string body =
      "ignored preamble\r\n--B\r\n"
      "content-disposition: form-data; name=\"a;b\"\r\n\r\n"
      "\r\n--B\r\n"
      "Content-Disposition: form-data; name=file; filename=\"C:\\\\Users\\\\me\\\\f.json\"\r\n\r\n"
      "{}\r\n--B\r\n"
      "Content-Disposition: form-data; name=\"empty\"; filename=\"\"\r\n\r\n"
      "\r\n--B--\r\n";
  Result<FormData> form = ParseMultipart(body, "B");
  ASSERT_TRUE(form.ok()) << form.status().ToString();
  ASSERT_NE(form->Get("a;b"), nullptr);
  EXPECT_EQ(*form->Get("a;b"), "");
  ASSERT_NE(form->File("file"), nullptr);
  EXPECT_EQ(form->File("file")->filename, "f.json");
  EXPECT_EQ(form->File("empty"), nullptr) << "no file chosen";
  EXPECT_EQ(form->files.size(), 2u);
}

TEST(Multipart, MalformedBodiesAreRefused) {
  const char* cases[] = {
      "",                                                                      // nothing
      "--B\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nvalue",        // no close
      "--B\r\nContent-Disposition: form-data; name=\"a\"\r\nvalue\r\n--B--",   // no blank line
      "--B\r\nContent-Type: text/plain\r\n\r\nv\r\n--B--",                     // no disposition
      "--B\r\nContent-Disposition: attachment; name=\"a\"\r\n\r\nv\r\n--B--",  // not form-data
      "--Bxyz",                                                                // no CRLF
      "--B\r\nbroken header\r\n\r\nv\r\n--B--",                                // no colon
  };
  for (const char* body : cases) {
    SCOPED_TRACE(body);
    Result<FormData> form = ParseMultipart(body, "B");
    ASSERT_FALSE(form.ok());
    EXPECT_EQ(form.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(form.status().message().find("malformed multipart body"), std::string::npos);
  }
}

TEST(Form, UrlEncodedBodies) {
  Result<FormData> form = ParseUrlEncodedForm("a=1&b=x+y%21&&c&a=2");
  ASSERT_TRUE(form.ok());
  EXPECT_EQ(form->Value("a"), "1");
  EXPECT_EQ(form->Value("b"), "x y!");
  EXPECT_EQ(form->Value("c"), "");
  EXPECT_EQ(form->fields.size(), 4u);
  EXPECT_FALSE(ParseUrlEncodedForm("a=%zz").ok());
}

TEST(Form, BodyByContentType) {
  Request request = *MakeRequest("POST", "/x", "a=1");
  EXPECT_TRUE(ParseFormBody(request)->fields.empty()) << "no Content-Type: not a form";
  request.headers.Set("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8");
  EXPECT_EQ(ParseFormBody(request)->Value("a"), "1");
  request.headers.Set("Content-Type", "application/json");
  EXPECT_TRUE(ParseFormBody(request)->fields.empty());
  request.headers.Set("Content-Type", "multipart/form-data");
  EXPECT_FALSE(ParseFormBody(request).ok());
}

TEST(Form, PercentEncode) {
  EXPECT_EQ(PercentEncode("a b/c&d"), "a%20b%2Fc%26d");
  EXPECT_EQ(PercentEncode("/people/a b", true), "/people/a%20b");
}

}  // namespace
}  // namespace trellis::web
