// Durable referral intake over HTTP with many concurrent clients, side by side with the
// ceiling of a tight SQLite loop that inserts the same rows with one durable transaction per
// referral. Both run in one process, one after the other, on the same disk.
// Prints throughput, p50/p99 latency and the ratio server/ceiling.
#include <spdlog/spdlog.h>
#include <sqlite3.h>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <filesystem>
#include <iostream>
#include <thread>
#include <utility>  // before Asio: Boost 1.74 awaitable.hpp needs std::exchange

#include "api/app.h"
#include "directory/loader.h"
#include "domain/calendar.h"
#include "http/server.h"
#include "security/tokens.h"
#include "store/migrations.h"
#include "store/store.h"
#include "workflow/clinical_config.h"

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using namespace waymark;
using Clock = std::chrono::steady_clock;

const char* kBody =
    R"({"referrer":{"type":"self"},"youngPerson":{"givenName":"Bench","familyName":"Synthetic","dateOfBirth":"2011-05-14","nhsNumber":"9434765919","postcode":"LE1 5WW","gender":"Z","contact":{"phone":"07700 900123"}},"source":"B1","needs":["anxiety","sleep"],"risks":[],"context":[],"impact":"moderate","durationWeeks":6,"description":"Synthetic benchmark referral text about worry and sleep.","consent":{"youngPersonAgrees":true,"parentMayBeContacted":false}})";

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * v.size()))];
}

// The ceiling: the same three rows (referral, event, audit) per referral, one durable
// transaction each, prepared statements, WAL + synchronous=FULL.
double SqliteCeiling(const std::string& path, double seconds) {
  auto st = store::OpenSqliteStore({path});  // creates the schema
  st.value().reset();
  sqlite3* db;
  sqlite3_open(path.c_str(), &db);
  sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON",
               nullptr, nullptr, nullptr);
  sqlite3_stmt *r, *e, *a;
  sqlite3_prepare_v2(
      db,
      "INSERT INTO referrals (reference, token_hash, status, owner, received_at, "
      "updated_at, version, source, referrer_type, age_on_receipt, postcode_district, "
      "locality, gender, ethnic_category, crisis, submission) VALUES "
      "(?,?,'received','triage-team',?,?,1,'B1','self',15,'LE1','city','Z',NULL,0,?)",
      -1, &r, nullptr);
  sqlite3_prepare_v2(db,
                     "INSERT INTO events (id, reference, kind, actor, at, reason, data) VALUES "
                     "(?,?,'referral.received','public:self',?,NULL,'{}')",
                     -1, &e, nullptr);
  sqlite3_prepare_v2(db,
                     "INSERT INTO audit_log (seq, at, actor, role, action, record, fields, client, "
                     "reason) VALUES ((SELECT COALESCE(MAX(seq),0)+1 FROM audit_log),?,'public',"
                     "'self','referral.create',?,'all','127.0.0.1',NULL)",
                     -1, &a, nullptr);
  auto start = Clock::now();
  long n = 0;
  std::string body = kBody;
  while (std::chrono::duration<double>(Clock::now() - start).count() < seconds) {
    std::string ref = security::NewReference() + std::to_string(n);
    std::string now = "2026-11-23T00:00:00.000Z";
    std::string hash = security::HashSecret(security::NewSecret());
    sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
    sqlite3_bind_text(r, 1, ref.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(r, 2, hash.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(r, 3, now.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(r, 4, now.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(r, 5, body.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_step(r);
    sqlite3_reset(r);
    std::string id = security::NewId();
    sqlite3_bind_text(e, 1, id.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(e, 2, ref.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(e, 3, now.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_step(e);
    sqlite3_reset(e);
    std::string rec = "referral/" + ref;
    sqlite3_bind_text(a, 1, now.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(a, 2, rec.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_step(a);
    sqlite3_reset(a);
    if (sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK) {
      std::cerr << "commit failed: " << sqlite3_errmsg(db) << "\n";
      break;
    }
    ++n;
  }
  double secs = std::chrono::duration<double>(Clock::now() - start).count();
  sqlite3_finalize(r);
  sqlite3_finalize(e);
  sqlite3_finalize(a);
  sqlite3_close(db);
  return n / secs;
}

struct HttpResult {
  double perSecond = 0;
  double p50ms = 0, p99ms = 0;
  long ok = 0, failed = 0;
};

HttpResult ServerIntake(const std::string& path, int clients, double seconds) {
  auto store = store::OpenSqliteStore({path});
  domain::SystemClock clock;
  workflow::Intake intake(**store, clock);
  security::Accounts accounts(**store, clock);
  auto files = workflow::ReadAreaFiles("config/areas/example");
  if (!files.ok()) {
    std::cerr << files.status().message() << "\n";
    return {};
  }
  auto config = workflow::ClinicalConfig::Open(**store, clock, std::move(files.value()),
                                               {"bench", "system", "local"});
  if (!config.ok()) {
    std::cerr << config.status().message() << "\n";
    return {};
  }
  workflow::Navigation navigation(**store, clock, (*config)->area(), nullptr);
  http::EventHub hub;
  workflow::Confidentiality confidentiality(**store, clock);
  api::AppContext ctx{
      **store,  clock, intake, navigation, confidentiality, accounts, (*config)->area(),
      **config, hub,   "",     false};
  ctx.publicRatePerMinute = 0;  // every client is 127.0.0.1: the per-address limit would cap it
  http::Router router;
  api::AddRoutes(router, ctx);
  http::ServerOptions so;
  so.port = 0;
  so.threads = clients;
  http::Server server(so, router);
  if (!server.Start().ok()) return {};
  unsigned short port = server.port();

  std::vector<std::vector<double>> latencies(clients);
  std::atomic<long> ok{0}, failed{0};
  auto start = Clock::now();
  auto deadline = start + std::chrono::duration<double>(seconds);
  std::vector<std::thread> threads;
  for (int c = 0; c < clients; ++c) {
    threads.emplace_back([&, c] {
      asio::io_context ioc;
      beast::tcp_stream stream(ioc);
      stream.connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
      beast::flat_buffer buf;
      while (Clock::now() < deadline) {
        bhttp::request<bhttp::string_body> req{bhttp::verb::post, "/api/v1/referrals", 11};
        req.set(bhttp::field::host, "127.0.0.1");
        req.set(bhttp::field::content_type, "application/json");
        req.keep_alive(true);
        req.body() = kBody;
        req.prepare_payload();
        auto t0 = Clock::now();
        beast::error_code ec;
        bhttp::write(stream, req, ec);
        bhttp::response<bhttp::string_body> res;
        if (!ec) bhttp::read(stream, buf, res, ec);
        if (ec || res.result_int() != 201) {
          ++failed;
          if (ec) break;
          continue;
        }
        latencies[c].push_back(
            std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
        ++ok;
      }
    });
  }
  for (auto& t : threads) t.join();
  double secs = std::chrono::duration<double>(Clock::now() - start).count();
  server.Stop();
  std::vector<double> all;
  for (auto& v : latencies) all.insert(all.end(), v.begin(), v.end());
  return {ok / secs, Percentile(all, 0.50), Percentile(all, 0.99), ok.load(), failed.load()};
}

}  // namespace

int main(int argc, char** argv) {
  double seconds = 10;
  int clients = 64;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string a = argv[i];
    if (a == "--seconds") seconds = std::stod(argv[i + 1]);
    if (a == "--clients") clients = std::stoi(argv[i + 1]);
  }
  security::InitCrypto();
  spdlog::set_level(spdlog::level::warn);  // request logs would measure the terminal
  auto dir = std::filesystem::temp_directory_path() / ("waymark-bench-" + security::NewId());
  std::filesystem::create_directories(dir);
  double ceiling = SqliteCeiling((dir / "ceiling.db").string(), seconds);
  auto http = ServerIntake((dir / "server.db").string(), clients, seconds);
  std::filesystem::remove_all(dir);
  std::cout << "intake benchmark (" << seconds << " s each, " << clients << " HTTP clients)\n";
  std::cout << "  sqlite tight loop, 1 durable txn/referral: " << static_cast<long>(ceiling)
            << " referrals/s\n";
  std::cout << "  waymark HTTP intake (group commit):       " << static_cast<long>(http.perSecond)
            << " referrals/s, p50 " << http.p50ms << " ms, p99 " << http.p99ms << " ms, " << http.ok
            << " ok, " << http.failed << " failed\n";
  std::cout << "  ratio server/ceiling: " << (ceiling > 0 ? http.perSecond / ceiling : 0) << "\n";
  return http.failed == 0 ? 0 : 1;
}
