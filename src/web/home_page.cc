// web/home_page.cc — see home_page.h.
#include "web/home_page.h"

#include "web/problem.h"

namespace trellis::web {
namespace {

constexpr const char* kHomePage = R"html(<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Trellis</title>
<link rel="stylesheet" href="/static/trellis.css">
<link rel="icon" href="data:,">
</head>
<body>
<a class="skip-link" href="#main">Skip to main content</a>
<header class="site-header">
  <div class="container">
    <a class="brand" href="/">Trellis</a>
  </div>
</header>
<main id="main" class="container">
  <h1>Management competencies for integrated care</h1>
  <p class="lead">Trellis helps a partnership of health, social care, voluntary and community
  organisations codify the management and leadership competencies its people need, assess them
  with 360&#8209;degree feedback, and grow them with development plans and shared data.</p>
  <ul class="cards">
    <li class="card">
      <h2>Codify</h2>
      <p>Agree a competency framework and role profiles for strategic and operational
      managers across the partnership.</p>
    </li>
    <li class="card">
      <h2>Assess</h2>
      <p>Run 360 assessments online. Raters answer from an emailed link; anonymous groups are
      only shown when they are large enough to protect everyone in them.</p>
    </li>
    <li class="card">
      <h2>Develop</h2>
      <p>Turn reports into development plans, and hold the partnership to account for its
      commitments with indicators on SPC charts.</p>
    </li>
  </ul>
  <p class="notice" role="status">Online assessment is being set up. Sign-in will appear here.</p>
</main>
<footer class="site-footer">
  <div class="container">
    <p>Trellis</p>
  </div>
</footer>
</body>
</html>
)html";

}  // namespace

Response HandleHomePage(const Request& /*request*/, const PathParams& /*params*/) {
  return HtmlResponse(kHomePage);
}

Status AddHomePageRoute(Router& router) { return router.Add("GET", "/", HandleHomePage); }

}  // namespace trellis::web
