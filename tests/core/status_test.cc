// Tests for core/status.h.
#include "core/status.h"

#include <gtest/gtest.h>

namespace trellis {
namespace {

Result<int> Half(int x) {
  if (x % 2) return Status::InvalidArgument(std::to_string(x) + " is odd");
  return x / 2;
}

Status Chain(int x) {
  TRELLIS_RETURN_IF_ERROR(Half(x).status());
  return Status::Ok();
}

TEST(Status, CarriesCodeAndMessage) {
  Status s = Status::NotFound("framework 'x' not found");
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kNotFound);
  EXPECT_EQ(s.ToString(), "not_found: framework 'x' not found");
  EXPECT_EQ(Status::Ok().ToString(), "ok");
}

TEST(Result, HoldsValueOrStatus) {
  EXPECT_EQ(*Half(8), 4);
  Result<int> r = Half(3);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "3 is odd");
  EXPECT_EQ(Chain(5).code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(Chain(4).ok());
}

}  // namespace
}  // namespace trellis
