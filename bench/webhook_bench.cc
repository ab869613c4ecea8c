// Webhook deliveries per second (issue 6, section 3; results in
// docs/benchmarks.md): signed deliveries from the webhook channel's outbox to
// a local keep-alive receiver, through the real host services heraldd gives
// plugins (SqliteStore, WAL with synchronous=FULL: every outbox write is a
// durable commit; the credential vault for the sealed signing secret; the
// outbound client's keep-alive pool) and the built libherald_webhook.so.
//
//   herald_webhook_bench [EVENTS]      (default 5000)
//
// Phase 1 queues EVENTS agent.deployed events through the plugin's
// deployment_event with its worker off: each is committed to the outbox
// before anything is sent. Phase 2 starts the plugin again (as after a
// restart) with its worker on and times until the receiver has every event,
// each delivery's outcome also committed (history written, outbox entry
// deleted). Target: at least 2,000 deliveries per second. Always exits 0
// unless the set-up fails; prints met or missed.
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <herald/sdk/client.hpp>

#include <atomic>
#include <boost/dll/import.hpp>
#include <boost/dll/shared_library.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <thread>

#include "herald/core/credential_vault.h"
#include "herald/core/outbound_client.h"
#include "herald/core/plugin_host.h"
#include "herald/core/plugin_routes.h"
#include "herald/core/plugin_services.h"
#include "herald/core/sqlite_store.h"

namespace {

namespace fs = std::filesystem;

std::atomic<size_t> g_received{0};
std::atomic<size_t> g_signed{0};

// Answers 204 to everything, keeping connections alive.
class Receiver : public Poco::Net::HTTPRequestHandler {
 public:
  void handleRequest(Poco::Net::HTTPServerRequest& request,
                     Poco::Net::HTTPServerResponse& response) override {
    std::string body(std::istreambuf_iterator<char>(request.stream()), {});
    if (request.has("webhook-signature") && request.get("webhook-signature").starts_with("v1,")) {
      g_signed.fetch_add(1);
    }
    g_received.fetch_add(1);
    response.setStatus(Poco::Net::HTTPResponse::HTTP_NO_CONTENT);
    response.setKeepAlive(true);
    response.send();
  }
};

class Factory : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  Poco::Net::HTTPRequestHandler* createRequestHandler(
      const Poco::Net::HTTPServerRequest&) override {
    return new Receiver;
  }
};

template <typename T>
T Must(herald::StatusOr<T> v, const char* what) {
  if (!v.ok()) {
    std::cerr << "webhook_bench: " << what << ": " << v.status().ToString() << "\n";
    std::exit(1);
  }
  return std::move(v).value();
}

}  // namespace

int main(int argc, char** argv) {
  const size_t events = argc > 1 ? static_cast<size_t>(std::atol(argv[1])) : 5000;
  const fs::path dir =
      fs::temp_directory_path() / ("herald-webhook-bench-" + std::to_string(::getpid()));
  fs::create_directories(dir);

  auto store = Must(herald::SqliteStore::Open(dir / "herald.db"), "open the store");
  herald::MasterKeySource key;
  key.key_file = dir / "master.key";
  auto vault = Must(herald::CredentialVault::Open(*store, key), "open the vault");
  herald::PluginRoutes routes;
  herald::OutboundClientOptions outbound_options;
  for (const std::string& range : herald::DefaultOutboundDenyList()) {
    outbound_options.deny.push_back(Must(herald::AddressRange::Parse(range), "deny list"));
  }
  herald::OutboundClient outbound(std::move(outbound_options));
  herald::PluginServices services(routes, *store, *vault, outbound, std::nullopt);

  auto params = new Poco::Net::HTTPServerParams;
  params->setKeepAlive(true);
  params->setMaxKeepAliveRequests(0);  // unlimited
  params->setMaxThreads(8);
  Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0));
  Poco::Net::HTTPServer server(new Factory, socket, params);
  server.start();
  const std::string url = "http://127.0.0.1:" + std::to_string(socket.address().port()) + "/hooks";

  boost::dll::shared_library lib(
      HERALD_WEBHOOK_PLUGIN, boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local);
  auto entry = lib.get_alias<const herald_plugin_descriptor*()>(HERALD_PLUGIN_ENTRY_SYMBOL);
  const herald_plugin_descriptor* descriptor = entry();

  auto start = [&](std::map<std::string, std::string> config,
                   std::unique_ptr<herald::PluginHost>* host) {
    *host = std::make_unique<herald::PluginHost>(
        "webhook",
        [config](const std::string&, const std::string& k) -> std::optional<std::string> {
          auto it = config.find(k);
          if (it == config.end()) return std::nullopt;
          return it->second;
        },
        herald::SystemClockUnixMs, &services);
    void* instance = nullptr;
    std::string error;
    herald_string_sink sink{&error, [](void* ctx, herald_str v) {
                              static_cast<std::string*>(ctx)->assign(v.data, v.size);
                            }};
    if (descriptor->init((*host)->api(), &instance, &sink) != HERALD_STATUS_OK) {
      std::cerr << "webhook_bench: the plugin did not start: " << error << "\n";
      std::exit(1);
    }
    return instance;
  };

  // Phase 1: the outbox, committed.
  const std::string event_json =
      R"({"agent":"bench","version":2,"previous_version":1,"content_hash":")" +
      std::string(64, 'a') +
      R"(","time":"2024-06-02T08:00:00Z","author":"bench","comment":"benchmark",)"
      R"("channels":[{"channel":"hooks","plugin":"webhook","outcome":"published"}],)"
      R"("manifest":{"name":"Bench","tools":[],"knowledge":[]}})";
  const herald::sdk::Values settings{{"endpoints", R"([{"url":")" + url + R"("}])"}};
  {
    std::unique_ptr<herald::PluginHost> host;
    void* instance = start({{"delivery_threads", "0"}}, &host);
    herald::sdk::ChannelClient channel(descriptor->channel, instance);
    const auto t0 = std::chrono::steady_clock::now();
    for (size_t i = 0; i < events; ++i) {
      channel.DeploymentEvent(HERALD_EVENT_AGENT_DEPLOYED, "bench", 2, 1, event_json, settings);
    }
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::printf("queued %zu events in the outbox in %.2f s (%.0f commits/s)\n", events, s,
                events / s);
    descriptor->shutdown(instance);
  }

  // Phase 2: deliver.
  std::unique_ptr<herald::PluginHost> host;
  const auto t0 = std::chrono::steady_clock::now();
  void* instance = start({{"delivery_threads", "1"}, {"poll_ms", "5"}}, &host);
  while (g_received.load() < events) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
    if (std::chrono::steady_clock::now() - t0 > std::chrono::minutes(5)) break;
  }
  // Done when the last outcome is committed too: the outbox is empty.
  for (;;) {
    auto pending = Must(services.List("webhook", "q/"), "list the outbox");
    if (pending.empty()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  descriptor->shutdown(instance);
  host.reset();
  server.stop();

  const double rate = g_received.load() / seconds;
  std::printf("delivered %zu of %zu signed events (%zu with a v1 signature) in %.2f s\n",
              g_received.load(), events, g_signed.load(), seconds);
  std::printf("webhook deliveries: %.0f /s (target >= 2000 /s): %s\n", rate,
              rate >= 2000 ? "met" : "missed");
  std::error_code ec;
  fs::remove_all(dir, ec);
  return 0;
}
