#include "echo_channel.hpp"

#include <charconv>
#include <stdexcept>
#include <string>
#include <system_error>

namespace sample_echo {

namespace {

constexpr int64_t kDefaultMaxLength = 200;
constexpr int64_t kMaxMaxLength = 10000;

// The effective max_length. heraldd has already checked that the value is an
// int and filled in the default, but a plugin should not crash when called
// some other way (a unit test, another host), so the default applies here too.
int64_t MaxLength(const herald::sdk::Values& settings) {
  return settings.GetInt("max_length").value_or(kDefaultMaxLength);
}

}  // namespace

EchoChannel::EchoChannel(herald::sdk::Host host) : host_(host) {
  if (auto value = host_.Config("max_agents")) {
    int64_t n = 0;
    auto [end, ec] = std::from_chars(value->data(), value->data() + value->size(), n);
    if (ec != std::errc() || end != value->data() + value->size() || n < 0) {
      throw std::invalid_argument("plugins.sample_echo.max_agents must be a number >= 0, got '" +
                                  *value + "'");
    }
    max_agents_ = n;
  }
  host_.Info(max_agents_ == 0 ? "ready, no agent limit"
                              : "ready, at most " + std::to_string(max_agents_) + " agents");

  // ABI 1.1 services: feature-test, so that a 1.0 host still runs the plugin.
  if (host_.Has(herald::sdk::Service::kHttpRoutes) && host_.Has(herald::sdk::Service::kTurns)) {
    // The handler lives as long as the process; so does this instance, since
    // the host never serves a plugin's routes after shutting it down.
    herald::sdk::HostResult added = host_.AddRoute(
        "POST", "/{agent}/echo",
        [this](const herald::sdk::HttpRequest& request, const herald::sdk::HttpResponse& response) {
          HandleEcho(request, response);
        });
    if (!added.ok()) throw std::runtime_error("cannot add the echo route: " + added.message);
  } else {
    host_.Info("the host has no HTTP routes (ABI 1.0): announcing publishes only");
  }
}

std::vector<herald::sdk::SettingSpec> EchoChannel::DeclareSettings() {
  return {
      {.name = "greeting",
       .description = "Text that starts every announcement",
       .type = HERALD_SETTING_STRING,
       .required = true,
       .default_value = {}},
      {.name = "max_length",
       .description = "Longest announcement, in bytes (1 to 10000)",
       .type = HERALD_SETTING_INT,
       .required = false,
       .default_value = std::to_string(kDefaultMaxLength)},
  };
}

std::vector<herald::sdk::Problem> EchoChannel::Validate(const herald::sdk::Values& settings) {
  std::vector<herald::sdk::Problem> problems;
  if (settings.Get("greeting").empty()) {
    problems.push_back({"greeting", "must not be empty"});
  }
  if (settings.Has("max_length") && !settings.GetInt("max_length")) {
    problems.push_back({"max_length", "must be an integer"});
  } else {
    int64_t max_length = MaxLength(settings);
    if (max_length < 1 || max_length > kMaxMaxLength) {
      problems.push_back({"max_length", "must be between 1 and " + std::to_string(kMaxMaxLength) +
                                            ", got " + std::to_string(max_length)});
    }
  }
  return problems;
}

void EchoChannel::Publish(const herald::sdk::Snapshot& snapshot,
                          const herald::sdk::Values& settings) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    bool known = published_.find(snapshot.agent_id) != published_.end();
    if (!known && max_agents_ > 0 && static_cast<int64_t>(published_.size()) >= max_agents_) {
      // Thrown exceptions become the error shown in the deployment summary.
      throw std::runtime_error("sample_echo serves at most " + std::to_string(max_agents_) +
                               " agents");
    }
    published_[snapshot.agent_id] = Published{snapshot.version, settings.Get("greeting")};
  }
  std::string line = settings.Get("greeting") + " " + snapshot.agent_id + " is now at version " +
                     std::to_string(snapshot.version);
  auto max_length = static_cast<size_t>(MaxLength(settings));
  if (line.size() > max_length) line.resize(max_length);
  host_.Info(line);
}

void EchoChannel::Unpublish(std::string_view agent_id) {
  bool erased = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = published_.find(agent_id);
    if (it != published_.end()) {
      published_.erase(it);
      erased = true;
    }
  }
  // Unpublishing an agent that is not published is not an error.
  if (erased) host_.Info("unpublished " + std::string(agent_id));
}

herald::sdk::ChannelStatus EchoChannel::Status(std::string_view agent_id) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = published_.find(agent_id);
  if (it == published_.end()) return {herald::sdk::ChannelState::kNotPublished, {}};
  return {herald::sdk::ChannelState::kPublished, "version " + std::to_string(it->second.version)};
}

void EchoChannel::OnDeploymentEvent(const herald::sdk::DeploymentEvent& event) {
  // Runs inside the host's transaction for the deployment: record, never
  // send. A KvPut here commits or rolls back with the deployment itself.
  if (!host_.Has(herald::sdk::Service::kKeyValue)) return;
  std::string what;
  switch (event.kind) {
    case HERALD_EVENT_AGENT_DEPLOYED:
      what = "deployed version " + std::to_string(event.version);
      break;
    case HERALD_EVENT_AGENT_UNDEPLOYED:
      what = "undeployed";
      break;
    case HERALD_EVENT_DEPLOYMENT_FAILED:
      what = "failed to deploy version " + std::to_string(event.version);
      break;
  }
  host_.KvPut("last_deployment/" + event.agent_id, what);
}

void EchoChannel::HandleEcho(const herald::sdk::HttpRequest& request,
                             const herald::sdk::HttpResponse& response) {
  auto text = [&response](int status, const std::string& body) {
    response.SetStatus(status);
    response.AddHeader("Content-Type", "text/plain; charset=utf-8");
    response.Write(body);
  };
  const std::string agent_id = request.Param("agent");
  std::string greeting;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = published_.find(agent_id);
    if (it == published_.end()) return text(404, "agent is not live\n");
    greeting = it->second.greeting;
  }
  if (request.body.empty()) return text(400, "say something: the body is the message\n");

  herald::sdk::TurnRequest turn;
  turn.agent_id = agent_id;
  turn.message = request.body;
  herald::sdk::TurnResult result = host_.RunTurn(turn);
  if (!result.ok()) {
    // The host's turn messages are written to be shown to users.
    int status = result.result.status == HERALD_STATUS_NOT_FOUND          ? 404
                 : result.result.status == HERALD_STATUS_INVALID_ARGUMENT ? 400
                                                                          : 502;
    return text(status, result.result.message + "\n");
  }
  std::string body = "you said: " + request.body + "\n" + greeting + " " + result.reply + "\n" +
                     "version: " + std::to_string(result.version) + "\n";
  if (std::optional<int64_t> count = CountMessage(agent_id)) {
    body += "messages: " + std::to_string(*count) + "\n";
  }
  text(200, body);
}

std::optional<int64_t> EchoChannel::CountMessage(const std::string& agent_id) {
  if (!host_.Has(herald::sdk::Service::kKeyValue)) return std::nullopt;
  const std::string key = "count/" + agent_id;
  std::lock_guard<std::mutex> lock(count_mu_);
  std::string value;
  int64_t count = 0;
  herald::sdk::HostResult got = host_.KvGet(key, &value);
  if (got.ok()) {
    std::from_chars(value.data(), value.data() + value.size(), count);
  } else if (got.status != HERALD_STATUS_NOT_FOUND) {
    host_.Warn("cannot read the message count: " + got.message);
    return std::nullopt;
  }
  ++count;
  herald::sdk::HostResult put = host_.KvPut(key, std::to_string(count));
  if (!put.ok()) {
    host_.Warn("cannot store the message count: " + put.message);
    return std::nullopt;
  }
  return count;
}

}  // namespace sample_echo
