// tests/web/http_types_test.cc — request-target parsing, percent-decoding, header lookup.
#include "web/http_types.h"

#include <gtest/gtest.h>

namespace trellis::web {
namespace {

TEST(ParseTarget, DecodesPathAndQuery) {
  std::string path;
  QueryParams query;
  ASSERT_TRUE(
      ParseTarget("/people/Ann%20Lee?group=peer&group=manager&q=a+b%26c&flag", &path, &query).ok());
  EXPECT_EQ(path, "/people/Ann Lee");
  ASSERT_EQ(query.size(), 4u);
  EXPECT_EQ(*query.Get("group"), "peer");
  EXPECT_EQ(query.GetAll("group"), (std::vector<std::string>{"peer", "manager"}));
  EXPECT_EQ(*query.Get("q"), "a b&c");
  EXPECT_EQ(*query.Get("flag"), "");
  EXPECT_EQ(query.Get("missing"), nullptr);
}

TEST(ParseTarget, PlusIsLiteralInPath) {
  std::string path;
  QueryParams query;
  ASSERT_TRUE(ParseTarget("/a+b", &path, &query).ok());
  EXPECT_EQ(path, "/a+b");
  EXPECT_TRUE(query.empty());
}

TEST(ParseTarget, RootAndTrailingSlash) {
  std::string path;
  QueryParams query;
  ASSERT_TRUE(ParseTarget("/", &path, &query).ok());
  EXPECT_EQ(path, "/");
  ASSERT_TRUE(ParseTarget("/a/?x=1", &path, &query).ok());
  EXPECT_EQ(path, "/a/");
}

TEST(ParseTarget, RefusesTargetsThatCouldEscapeOrConfuse) {
  const char* bad[] = {
      "",                           // empty
      "static/x.css",               // not origin-form
      "http://evil.example/x",      // absolute-form
      "*",                          // asterisk-form
      "/static/../CMakeLists.txt",  // dot-dot
      "/static/./x.css",            // dot
      "/static/%2e%2e/CMakeLists.txt",
      "/static/%2E%2E/CMakeLists.txt",
      "/static/.%2e/CMakeLists.txt",
      "/static/%2e%2e%2fCMakeLists.txt",  // decodes to one segment "../CMakeLists.txt"
      "/static/..%2FCMakeLists.txt",
      "/static/x%5C..%5Cy",    // encoded backslash
      "/static/x\\y",          // literal backslash
      "/a%00b",                // NUL
      "/a%0d%0aSet-Cookie:x",  // CR LF
      "/a%zz",                 // bad escape
      "/a%2",                  // truncated escape
      "/a?x=%zz",              // bad escape in query
      "/..",
  };
  for (const char* target : bad) {
    std::string path;
    QueryParams query;
    Status s = ParseTarget(target, &path, &query);
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << "target: " << target;
  }
}

TEST(ParseTarget, AllowsDotsInsideNames) {
  std::string path;
  QueryParams query;
  ASSERT_TRUE(ParseTarget("/static/trellis.min.css", &path, &query).ok());
  ASSERT_TRUE(ParseTarget("/static/...", &path, &query).ok());  // not a dot segment
  EXPECT_EQ(path, "/static/...");
}

TEST(PercentDecode, DecodesAndRejectsMalformed) {
  EXPECT_EQ(PercentDecode("a%41%62+c", false), "aAb+c");
  EXPECT_EQ(PercentDecode("a%41%62+c", true), "aAb c");
  EXPECT_EQ(PercentDecode("%", false), std::nullopt);
  EXPECT_EQ(PercentDecode("%4", false), std::nullopt);
  EXPECT_EQ(PercentDecode("%g1", false), std::nullopt);
}

TEST(Headers, LookupIsCaseInsensitive) {
  Headers h;
  h.Add("Content-Type", "text/plain");
  h.Add("X-Thing", "1");
  h.Add("x-thing", "2");
  EXPECT_EQ(*h.Get("content-type"), "text/plain");
  EXPECT_EQ(*h.Get("X-THING"), "1");
  h.Set("X-Thing", "3");
  EXPECT_EQ(h.size(), 2u);
  EXPECT_EQ(*h.Get("x-thing"), "3");
  h.Remove("CONTENT-TYPE");
  EXPECT_FALSE(h.Has("Content-Type"));
}

TEST(MakeRequest, BuildsARequestOrFails) {
  Result<Request> r = MakeRequest("POST", "/x?a=1", "body");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->method, "POST");
  EXPECT_EQ(r->path, "/x");
  EXPECT_EQ(*r->Query("a"), "1");
  EXPECT_EQ(r->body, "body");
  EXPECT_FALSE(MakeRequest("GET", "/../x").ok());
}

}  // namespace
}  // namespace trellis::web
