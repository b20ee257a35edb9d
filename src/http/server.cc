// Beast server: async accept and read, synchronous handlers on the io_context's threads.
#include "http/server.h"

#include <spdlog/spdlog.h>

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <chrono>
#include <deque>
#include <nlohmann/json.hpp>
#include <sstream>

#include "http/event_stream.h"
#include "security/tokens.h"

namespace waymark::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;

int HttpStatusFor(ErrorCode code) {
  switch (code) {
    case ErrorCode::kOk:
      return 200;
    case ErrorCode::kInvalid:
      return 400;
    case ErrorCode::kUnauthenticated:
      return 401;
    case ErrorCode::kForbidden:
      return 403;
    case ErrorCode::kNotFound:
      return 404;
    case ErrorCode::kConflict:
      return 409;
    case ErrorCode::kTooLarge:
      return 413;
    case ErrorCode::kTooManyRequests:
      return 429;
    case ErrorCode::kUnavailable:
      return 503;
    case ErrorCode::kInternal:
      return 500;
  }
  return 500;
}

void AddSecurityHeaders(bhttp::response<bhttp::string_body>& res, bool is_api, bool tls) {
  if (tls) res.set("Strict-Transport-Security", "max-age=63072000; includeSubDomains");
  res.set("X-Content-Type-Options", "nosniff");
  res.set("Referrer-Policy", "no-referrer");
  res.set("X-Frame-Options", "DENY");
  res.set("Content-Security-Policy",
          "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
          "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
          "frame-ancestors 'none'");
  res.set("Cross-Origin-Opener-Policy", "same-origin");
  res.set("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
  if (is_api) res.set(bhttp::field::cache_control, "no-store");
}

// One connection. `Stream` is beast::tcp_stream, or an SSL stream over one for TLS.
template <typename Stream>
class Session : public std::enable_shared_from_this<Session<Stream>> {
 public:
  Session(Stream stream, const Router& router, const ServerOptions& options)
      : stream_(std::move(stream)), router_(router), options_(options) {}

  void Run() {
    if constexpr (kTls) {
      Lowest().expires_after(std::chrono::seconds(30));
      stream_.async_handshake(asio::ssl::stream_base::server,
                              [self = this->shared_from_this()](beast::error_code ec) {
                                if (ec) return;  // not TLS, or a failed handshake: drop it
                                self->DoRead();
                              });
    } else {
      DoRead();
    }
  }

 private:
  static constexpr bool kTls = !std::is_same_v<Stream, beast::tcp_stream>;
  using std::enable_shared_from_this<Session<Stream>>::shared_from_this;
  using std::enable_shared_from_this<Session<Stream>>::weak_from_this;

  beast::tcp_stream& Lowest() { return beast::get_lowest_layer(stream_); }

  void DoRead() {
    parser_.emplace();
    parser_->body_limit(options_.bodyLimit);
    parser_->header_limit(16 * 1024);
    Lowest().expires_after(std::chrono::seconds(30));
    bhttp::async_read(stream_, buffer_, *parser_,
                      beast::bind_front_handler(&Session::OnRead, shared_from_this()));
  }

  void OnRead(beast::error_code ec, std::size_t) {
    if (ec == bhttp::error::end_of_stream || ec == beast::error::timeout ||
        ec == asio::error::operation_aborted || ec == asio::error::connection_reset) {
      return Close();
    }
    if (ec == bhttp::error::body_limit) {
      Response r = Problem(Status::TooLarge("The request body is larger than 256 KiB."));
      return Send(MakeResponse(r, 11, false, "-", true), false);
    }
    if (ec) {
      Response r = Problem(Status::Invalid("The request could not be read as HTTP."));
      return Send(MakeResponse(r, 11, false, "-", true), false);
    }
    auto start = std::chrono::steady_clock::now();
    auto& breq = parser_->get();
    Request req;
    req.method = std::string(breq.method_string());
    std::string_view target = breq.target();
    auto qpos = target.find('?');
    req.path = PercentDecode(target.substr(0, qpos), false);
    if (qpos != std::string_view::npos) req.query = ParseQuery(target.substr(qpos + 1));
    for (const auto& f : breq) {
      std::string name(f.name_string());
      for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      req.headers[name] = std::string(f.value());
    }
    req.body = std::move(breq.body());
    beast::error_code aec;
    auto ep = Lowest().socket().remote_endpoint(aec);
    req.clientAddress = aec ? "unknown" : ep.address().to_string();
    req.requestId = security::NewId().substr(0, 16);

    Response res;
    bool path_matched = false;
    const Route* route = router_.Match(req, &path_matched);
    if (!route) {
      res = path_matched ? Problem(Status(ErrorCode::kInvalid, "This method is not allowed here."))
                         : Problem(Status::NotFound("There is nothing at this address."));
      if (path_matched) res.status = 405;
      req.route = path_matched ? "(method not allowed)" : "(no route)";
    } else {
      try {
        res = route->handler(req);
      } catch (const std::exception& e) {
        // A handler threw: a bug. Answer 500, log without request data, keep serving.
        spdlog::error(R"({{"event":"handler-exception","requestId":"{}","route":"{}"}})",
                      req.requestId, req.route);
        res = Problem(Status::Internal("Something went wrong on our side."));
      }
    }
    bool keep_alive = breq.keep_alive();
    bool is_api = req.path.rfind("/api/", 0) == 0;
    auto out = MakeResponse(res, breq.version(), keep_alive, req.requestId, is_api);
    if (req.method == "HEAD") out.body().clear();
    if (res.stream && res.status == 200) {
      spdlog::info(R"({{"event":"stream-open","requestId":"{}","route":"{}"}})", req.requestId,
                   req.route);
      return OpenStream(std::move(out), res.stream);
    }
    auto us = std::chrono::duration_cast<std::chrono::microseconds>(
                  std::chrono::steady_clock::now() - start)
                  .count();
    spdlog::info(
        R"({{"event":"request","requestId":"{}","method":"{}","route":"{}","status":{},"micros":{}}})",
        req.requestId, req.method, req.route, res.status, us);
    Send(std::move(out), keep_alive);
  }

  bhttp::response<bhttp::string_body> MakeResponse(const Response& r, unsigned version,
                                                   bool keep_alive, const std::string& request_id,
                                                   bool is_api) {
    bhttp::response<bhttp::string_body> res{static_cast<bhttp::status>(r.status), version};
    res.set(bhttp::field::server, "waymark");
    res.set(bhttp::field::content_type, r.contentType);
    res.set("X-Request-Id", request_id);
    AddSecurityHeaders(res, is_api, kTls);
    for (const auto& [k, v] : r.headers) res.insert(k, v);
    res.keep_alive(keep_alive);
    res.body() = r.body;
    res.prepare_payload();
    return res;
  }

  void Send(bhttp::response<bhttp::string_body> res, bool keep_alive) {
    auto sp = std::make_shared<bhttp::response<bhttp::string_body>>(std::move(res));
    bhttp::async_write(
        stream_, *sp,
        [self = shared_from_this(), sp, keep_alive](beast::error_code ec, std::size_t) {
          if (ec || !keep_alive) return self->Close();
          self->DoRead();
        });
  }

  void Close() {
    beast::error_code ec;
    if constexpr (kTls) {
      Lowest().expires_after(std::chrono::seconds(5));
      stream_.async_shutdown([self = shared_from_this()](beast::error_code) {
        beast::error_code ec2;
        self->Lowest().socket().shutdown(tcp::socket::shutdown_both, ec2);
      });
    } else {
      Lowest().socket().shutdown(tcp::socket::shutdown_send, ec);
    }
  }

  // Server-sent events: the head without a length, then messages as they come.
  void OpenStream(bhttp::response<bhttp::string_body> res, EventHub* hub) {
    res.set(bhttp::field::content_type, "text/event-stream");
    res.set(bhttp::field::cache_control, "no-store");
    res.set("X-Accel-Buffering", "no");
    res.keep_alive(true);
    std::string first = std::move(res.body());
    res.body().clear();
    res.content_length(boost::none);
    std::ostringstream head;
    head << res.base();
    hub_ = hub;
    Lowest().expires_never();
    pending_.push_back(head.str() + first);
    auto self = shared_from_this();
    auto exec = stream_.get_executor();
    sub_id_ = hub->Subscribe([weak = weak_from_this(), exec](const std::string& msg) {
      asio::post(exec, [weak, msg] {
        if (auto s = weak.lock()) s->Enqueue(msg);
      });
    });
    heartbeat_ = std::make_unique<asio::steady_timer>(exec);
    Heartbeat();
    WriteNext();
  }

  void Enqueue(const std::string& msg) {
    if (closed_) return;
    pending_.push_back(msg);
    if (pending_.size() == 1 && !writing_) WriteNext();
  }

  void WriteNext() {
    if (writing_ || pending_.empty() || closed_) return;
    writing_ = true;
    auto msg = std::make_shared<std::string>(std::move(pending_.front()));
    pending_.pop_front();
    asio::async_write(stream_, asio::buffer(*msg),
                      [self = shared_from_this(), msg](beast::error_code ec, std::size_t) {
                        self->writing_ = false;
                        if (ec) return self->EndStream();
                        self->WriteNext();
                      });
  }

  void Heartbeat() {
    heartbeat_->expires_after(std::chrono::seconds(15));
    heartbeat_->async_wait([self = shared_from_this()](beast::error_code ec) {
      if (ec || self->closed_) return;
      self->Enqueue(": keep-alive\n\n");
      self->Heartbeat();
    });
  }

  void EndStream() {
    if (closed_) return;
    closed_ = true;
    if (hub_) hub_->Unsubscribe(sub_id_);
    if (heartbeat_) heartbeat_->cancel();
    Close();
  }

 public:
  ~Session() {
    if (hub_ && !closed_) hub_->Unsubscribe(sub_id_);
  }

 private:
  EventHub* hub_ = nullptr;
  int sub_id_ = 0;
  bool writing_ = false;
  bool closed_ = false;
  std::deque<std::string> pending_;
  std::unique_ptr<asio::steady_timer> heartbeat_;

  Stream stream_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  const Router& router_;
  const ServerOptions& options_;
};

}  // namespace

struct Server::Impl {
  ServerOptions options;
  const Router& router;
  asio::io_context ioc;
  tcp::acceptor acceptor{ioc};
  std::vector<std::thread> threads;
  std::atomic<bool> stopped{false};
  std::mutex wait_mu;
  std::condition_variable wait_cv;

  std::unique_ptr<asio::ssl::context> tls;  // set when serving HTTPS

  Impl(ServerOptions o, const Router& r) : options(std::move(o)), router(r) {}

  void Accept() {
    acceptor.async_accept(asio::make_strand(ioc), [this](beast::error_code ec, tcp::socket s) {
      if (ec == asio::error::operation_aborted) return;
      if (ec) return Accept();
      if (tls) {
        std::make_shared<Session<TlsStream>>(TlsStream(std::move(s), *tls), router, options)->Run();
      } else {
        std::make_shared<Session<beast::tcp_stream>>(beast::tcp_stream(std::move(s)), router,
                                                     options)
            ->Run();
      }
      Accept();
    });
  }
};

Server::Server(ServerOptions options, const Router& router)
    : impl_(std::make_unique<Impl>(std::move(options), router)) {}

Server::~Server() { Stop(); }

Status Server::Start() {
  beast::error_code ec;
  if (!impl_->options.tlsCert.empty()) {
    auto ctx = std::make_unique<asio::ssl::context>(asio::ssl::context::tls_server);
    ctx->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                     asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                     asio::ssl::context::no_tlsv1_1 | asio::ssl::context::single_dh_use);
    ctx->use_certificate_chain_file(impl_->options.tlsCert, ec);
    if (ec)
      return Status::Invalid("cannot read --tls-cert " + impl_->options.tlsCert + ": " +
                             ec.message());
    ctx->use_private_key_file(impl_->options.tlsKey, asio::ssl::context::pem, ec);
    if (ec)
      return Status::Invalid("cannot read --tls-key " + impl_->options.tlsKey + ": " +
                             ec.message());
    impl_->tls = std::move(ctx);
  }
  auto address = asio::ip::make_address(impl_->options.address, ec);
  if (ec) return Status::Invalid("bad listen address " + impl_->options.address);
  tcp::endpoint ep{address, impl_->options.port};
  impl_->acceptor.open(ep.protocol(), ec);
  if (!ec) impl_->acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) impl_->acceptor.bind(ep, ec);
  if (!ec) impl_->acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return Status::Unavailable("cannot listen on " + impl_->options.address + ":" +
                               std::to_string(impl_->options.port) + ": " + ec.message());
  }
  impl_->Accept();
  for (int i = 0; i < std::max(1, impl_->options.threads); ++i) {
    impl_->threads.emplace_back([this] { impl_->ioc.run(); });
  }
  return Status::Ok();
}

unsigned short Server::port() const {
  beast::error_code ec;
  auto ep = impl_->acceptor.local_endpoint(ec);
  return ec ? 0 : ep.port();
}

void Server::Stop() {
  if (impl_->stopped.exchange(true)) return;
  beast::error_code ec;
  impl_->acceptor.close(ec);
  impl_->ioc.stop();
  for (auto& t : impl_->threads) {
    if (t.joinable()) t.join();
  }
  { std::lock_guard lock(impl_->wait_mu); }
  impl_->wait_cv.notify_all();
}

void Server::Wait() {
  std::unique_lock lock(impl_->wait_mu);
  impl_->wait_cv.wait(lock, [this] { return impl_->stopped.load(); });
}

Response Problem(const Status& status) {
  nlohmann::json fields = nlohmann::json::array();
  for (const auto& f : status.fields())
    fields.push_back({{"path", f.path}, {"message", f.message}});
  nlohmann::json body = {{"error",
                          {{"code", ErrorCodeName(status.code())},
                           {"message", status.message()},
                           {"fields", fields}}}};
  Response r;
  r.status = HttpStatusFor(status.code());
  r.contentType = "application/json";
  r.body = body.dump();
  return r;
}

Response Json(int status, const std::string& body) {
  Response r;
  r.status = status;
  r.body = body;
  return r;
}

}  // namespace waymark::http
