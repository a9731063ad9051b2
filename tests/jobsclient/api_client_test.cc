// ApiClient against a real loopback HTTP server: errors, retries, Retry-After, --debug log.
#include "inlet/jobsclient/api_client.h"

#include <gtest/gtest.h>

#include <atomic>
#include <sstream>

#include "fake_server.h"

namespace inlet::jobsclient {
namespace {

using testing::FakeServer;

class ApiClientTest : public ::testing::Test {
 protected:
  std::unique_ptr<ApiClient> Client(const std::string& host) {
    ApiClientOptions options;
    options.sleep = [this](Millis delay) { sleeps_.push_back(delay); };
    options.debug = debug_;
    options.debug_log = &log_;
    auto client = ApiClient::Make({host, "dapi-secret-token", "test", "test"}, options);
    EXPECT_TRUE(client.ok()) << client.status();
    return std::move(client).ValueOrDie();
  }

  FakeServer server_;
  std::vector<Millis> sleeps_;
  bool debug_ = false;
  std::ostringstream log_;
};

TEST(ErrorMapping, DatabricksErrorBodyBecomesCodeAndMessage) {
  Status status = ErrorFromResponse(
      404, R"({"error_code":"RESOURCE_DOES_NOT_EXIST","message":"Job 123 does not exist."})");
  EXPECT_TRUE(status.IsKeyError());
  EXPECT_EQ(status.message(), "RESOURCE_DOES_NOT_EXIST: Job 123 does not exist. (HTTP 404)");
}

TEST(ErrorMapping, StatusCodesPickTheStatusKind) {
  EXPECT_TRUE(
      ErrorFromResponse(400, R"({"error_code":"INVALID_PARAMETER_VALUE","message":"m"})").IsInvalid());
  EXPECT_TRUE(
      ErrorFromResponse(409, R"({"error_code":"RESOURCE_ALREADY_EXISTS","message":"m"})").IsAlreadyExists());
  Status unauthorized =
      ErrorFromResponse(401, R"({"error_code":"UNAUTHENTICATED","message":"Invalid token"})");
  EXPECT_TRUE(unauthorized.IsIOError());
  EXPECT_EQ(unauthorized.message(), "UNAUTHENTICATED: Invalid token (HTTP 401)");
}

TEST(ErrorMapping, BodyWithoutErrorCodeFallsBack) {
  EXPECT_EQ(ErrorFromResponse(403, R"({"error":"not allowed"})").message(), "not allowed (HTTP 403)");
  EXPECT_EQ(ErrorFromResponse(502, "<html>bad gateway</html>").message(),
            "Bad Gateway (<html>bad gateway</html>) (HTTP 502)");
  EXPECT_EQ(ErrorFromResponse(500, "").message(), "Internal Server Error (HTTP 500)");
}

TEST(HostAddress, HttpHostPortAndPrefix) {
  auto address = ParseHostAddress("http://127.0.0.1:8080/prefix/");
  ASSERT_TRUE(address.ok()) << address.status();
  EXPECT_EQ(address->host, "127.0.0.1");
  EXPECT_EQ(address->port, 8080);
  EXPECT_EQ(address->base_path, "/prefix");
  auto v6 = ParseHostAddress("http://[::1]:9");
  ASSERT_TRUE(v6.ok()) << v6.status();
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(ParseHostAddress("http://example.com")->port, 80);
}

TEST(HostAddress, HttpsSaysTlsIsNotSupported) {
  auto address = ParseHostAddress("https://adb-1.azuredatabricks.net");
  ASSERT_FALSE(address.ok());
  EXPECT_NE(address.status().message().find("TLS (https) is not supported by this build"), std::string::npos);
  EXPECT_FALSE(ParseHostAddress("http://h:99999").ok());
  EXPECT_FALSE(ParseHostAddress("ftp://h").ok());
}

TEST_F(ApiClientTest, GetSendsBearerTokenAndQuery) {
  server_.Get("/api/2.2/jobs/get", [](const httplib::Request&, httplib::Response& response) {
    response.set_content(R"({"job_id":7})", "application/json");
  });
  auto job = Client(server_.url())->Get("/api/2.2/jobs/get", {{"job_id", "7"}, {"name", "a b&c"}});
  ASSERT_TRUE(job.ok()) << job.status();
  EXPECT_EQ((*job)["job_id"], 7);
  auto seen = server_.seen();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].authorization, "Bearer dapi-secret-token");
  EXPECT_EQ(seen[0].params.find("name")->second, "a b&c");
}

TEST_F(ApiClientTest, NotFoundBecomesKeyErrorWithServerMessage) {
  server_.Get("/api/2.2/jobs/get", [](const httplib::Request&, httplib::Response& response) {
    response.status = 404;
    response.set_content(R"({"error_code":"RESOURCE_DOES_NOT_EXIST","message":"Job 123 does not exist."})",
                         "application/json");
  });
  auto job = Client(server_.url())->Get("/api/2.2/jobs/get", {{"job_id", "123"}});
  ASSERT_TRUE(job.status().IsKeyError());
  EXPECT_EQ(job.status().message(), "RESOURCE_DOES_NOT_EXIST: Job 123 does not exist. (HTTP 404)");
  EXPECT_TRUE(sleeps_.empty());  // 404 is not retried
}

TEST_F(ApiClientTest, TooManyRequestsIsRetriedAfterRetryAfter) {
  std::atomic<int> calls = 0;
  server_.Get("/api/2.2/jobs/list", [&](const httplib::Request&, httplib::Response& response) {
    int call = ++calls;
    if (call <= 2) {
      response.status = 429;
      response.set_header("Retry-After", call == 1 ? "0" : "1");
      response.set_content(R"({"error_code":"REQUEST_LIMIT_EXCEEDED","message":"slow down"})",
                           "application/json");
      return;
    }
    response.set_content(R"({"jobs":[]})", "application/json");
  });
  auto page = Client(server_.url())->Get("/api/2.2/jobs/list");
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_EQ(calls, 3);
  EXPECT_EQ(sleeps_, (std::vector<Millis>{Millis(0), Millis(1000)}));
}

TEST_F(ApiClientTest, UnavailableWithoutRetryAfterBacksOffExponentiallyAndGivesUp) {
  server_.Get("/api/2.2/jobs/list", [](const httplib::Request&, httplib::Response& response) {
    response.status = 503;
    response.set_content(R"({"error_code":"TEMPORARILY_UNAVAILABLE","message":"busy"})", "application/json");
  });
  auto page = Client(server_.url())->Get("/api/2.2/jobs/list");
  ASSERT_FALSE(page.ok());
  EXPECT_NE(
      page.status().message().find("TEMPORARILY_UNAVAILABLE: busy (HTTP 503) (gave up after 6 attempts)"),
      std::string::npos)
      << page.status();
  EXPECT_EQ(sleeps_,
            (std::vector<Millis>{Millis(500), Millis(1000), Millis(2000), Millis(4000), Millis(8000)}));
}

TEST_F(ApiClientTest, RetryAfterBeyondTheBudgetGivesUpWithoutWaiting) {
  server_.Get("/api/2.2/jobs/list", [](const httplib::Request&, httplib::Response& response) {
    response.status = 429;
    response.set_header("Retry-After", "3600");
    response.set_content(R"({"error_code":"REQUEST_LIMIT_EXCEEDED","message":"later"})", "application/json");
  });
  auto page = Client(server_.url())->Get("/api/2.2/jobs/list");
  ASSERT_FALSE(page.ok());
  EXPECT_NE(page.status().message().find("would exceed 60000 ms"), std::string::npos) << page.status();
  EXPECT_TRUE(sleeps_.empty());
}

TEST_F(ApiClientTest, RefusedConnectionIsRetriedThenReported) {
  std::string url;
  {
    FakeServer closed;  // a port that was free a moment ago and is closed now
    url = closed.url();
  }
  auto page = Client(url)->Post("/api/2.2/jobs/run-now", {{"job_id", 1}}, /*idempotent=*/false);
  ASSERT_FALSE(page.ok());
  EXPECT_NE(page.status().message().find("gave up after 6 attempts"), std::string::npos) << page.status();
  EXPECT_EQ(sleeps_.size(), 5u);  // never reached the server: safe to resend even run-now
}

TEST_F(ApiClientTest, DebugLogRedactsTokenHeaderAndBody) {
  debug_ = true;
  server_.Post("/api/2.0/token/create", [](const httplib::Request&, httplib::Response& response) {
    response.set_content(R"({"token_value":"dapi-new-secret","token_info":{"comment":"ci"}})",
                         "application/json");
  });
  auto created =
      Client(server_.url())->Post("/api/2.0/token/create", {{"comment", "ci"}, {"token", "x-secret"}}, true);
  ASSERT_TRUE(created.ok()) << created.status();
  std::string log = log_.str();
  EXPECT_NE(log.find("> POST " + server_.url() + "/api/2.0/token/create"), std::string::npos) << log;
  EXPECT_NE(log.find("> Authorization: Bearer **REDACTED**"), std::string::npos) << log;
  EXPECT_NE(log.find("< 200 OK"), std::string::npos) << log;
  EXPECT_NE(log.find("\"comment\":\"ci\""), std::string::npos) << log;
  EXPECT_EQ(log.find("dapi-secret-token"), std::string::npos) << log;
  EXPECT_EQ(log.find("dapi-new-secret"), std::string::npos) << log;
  EXPECT_EQ(log.find("x-secret"), std::string::npos) << log;
}

}  // namespace
}  // namespace inlet::jobsclient
