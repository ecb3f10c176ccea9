// tests/web/static_files_test.cc — content types, caching, and every way out of the root.
#include "web/static_files.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "web/problem.h"
#include "web/server.h"

namespace trellis::web {
namespace {

namespace fs = std::filesystem;

class StaticFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    base_ = fs::temp_directory_path() /
            ("trellis_static_test_" + std::to_string(::getpid()) + "_" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(base_);
    fs::create_directories(base_ / "static" / "css");
    Write(base_ / "secret.txt", "top secret");
    Write(base_ / "static" / "app.js", "console.log(1);");
    Write(base_ / "static" / "css" / "site.css", "body{color:#111}");
    Write(base_ / "static" / ".env", "PASSWORD=x");
    fs::create_symlink(base_ / "secret.txt", base_ / "static" / "link.txt");
    ASSERT_TRUE(AddStaticRoutes(router_, base_ / "static").ok());
  }
  void TearDown() override { fs::remove_all(base_); }

  static void Write(const fs::path& p, std::string_view text) { std::ofstream(p) << text; }
  Response Get(std::string_view target, std::string_view if_none_match = "") {
    Result<Request> request = MakeRequest("GET", target);
    if (!request.ok()) return ErrorResponse(request.status());  // as the server does
    if (!if_none_match.empty()) request->headers.Set("If-None-Match", std::string(if_none_match));
    return HandleRequest(router_, *request);
  }

  fs::path base_;
  Router router_;
};

TEST_F(StaticFilesTest, ServesFilesWithContentTypeAndCaching) {
  Response css = Get("/static/css/site.css");
  EXPECT_EQ(css.status, 200);
  EXPECT_EQ(css.body, "body{color:#111}");
  EXPECT_EQ(css.content_type, "text/css; charset=utf-8");
  EXPECT_EQ(*css.headers.Get("Cache-Control"), "public, max-age=3600");
  ASSERT_NE(css.headers.Get("ETag"), nullptr);
  EXPECT_EQ(*css.headers.Get("X-Content-Type-Options"), "nosniff");

  Response js = Get("/static/app.js");
  EXPECT_EQ(js.content_type, "text/javascript; charset=utf-8");
}

TEST_F(StaticFilesTest, IfNoneMatchGives304) {
  Response first = Get("/static/app.js");
  std::string etag = *first.headers.Get("ETag");
  Response again = Get("/static/app.js", etag);
  EXPECT_EQ(again.status, 304);
  EXPECT_TRUE(again.body.empty());
  EXPECT_EQ(Get("/static/app.js", "W/" + etag).status, 304);
  EXPECT_EQ(Get("/static/app.js", "\"other\"").status, 200);
}

TEST_F(StaticFilesTest, NoWayOutOfTheRoot) {
  // Dot segments never reach the handler: the target is refused as a bad request.
  for (const char* target :
       {"/static/../secret.txt", "/static/%2e%2e/secret.txt", "/static/%2E%2E%2Fsecret.txt",
        "/static/css/../../secret.txt", "/static/..%2fsecret.txt", "/static/..%5csecret.txt"}) {
    EXPECT_EQ(Get(target).status, 400) << target;
  }
  // Whatever does reach it and is not a plain, visible file inside the root is a 404.
  for (const char* target :
       {"/static/link.txt", "/static/.env", "/static/css", "/static/css/", "/static/missing.css",
        "/static/a%20b.css", "/static/...", "/static/css//site.css"}) {
    EXPECT_EQ(Get(target).status, 404) << target;
  }
}

TEST_F(StaticFilesTest, HandlerRefusesTraversalEvenIfCalledDirectly) {
  StaticFiles files(base_ / "static");
  Request request;
  request.method = "GET";
  for (const char* path : {"../secret.txt", "css/../../secret.txt", "/etc/passwd", "", "."}) {
    EXPECT_EQ(files.Serve(request, {{"path", path}}).status, 404) << path;
  }
  EXPECT_EQ(files.Serve(request, {{"path", "css/site.css"}}).status, 200);
}

TEST(StaticFiles, ContentTypes) {
  EXPECT_EQ(ContentTypeFor("a.CSS"), "text/css; charset=utf-8");
  EXPECT_EQ(ContentTypeFor("a.svg"), "image/svg+xml");
  EXPECT_EQ(ContentTypeFor("a.woff2"), "font/woff2");
  EXPECT_EQ(ContentTypeFor("Makefile"), "application/octet-stream");
}

TEST(StaticFiles, ServesTheRealStylesheet) {
  Router router;
  ASSERT_TRUE(AddStaticRoutes(router, fs::path(TRELLIS_SOURCE_DIR) / "web" / "static").ok());
  Response r = HandleRequest(router, *MakeRequest("GET", "/static/trellis.css"));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.content_type, "text/css; charset=utf-8");
  EXPECT_FALSE(r.body.empty());
}

}  // namespace
}  // namespace trellis::web
