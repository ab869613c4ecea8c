// herald webhooks deliveries|redeliver: the webhook channel's deliveries of
// an agent's events, one line per attempt, and sending an event again
// (/v1/channels/webhook/{agent}/deliveries, /v1/channels/webhook/deliveries/
// {id}/redeliver; see docs/channels/webhook.md).
#include <string>
#include <vector>

#include "cli/commands/agents_common.h"
#include "cli/commands/builtin.h"
#include "cli/commands/common.h"
#include "cli/exit_status.h"
#include "cli/json_fields.h"
#include "cli/report.h"
#include "cli/table.h"

namespace herald::cli {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

constexpr std::string_view kPrefix = "/v1/channels/webhook/";

int RunDeliveries(CommandContext& ctx) {
  const std::string agent = *ctx.args.Positional("AGENT");
  std::string path = std::string(kPrefix) + ApiClient::EscapeSegment(agent) + "/deliveries";
  if (std::optional<int> limit = PositiveIntValue(ctx.args, "limit")) {
    path += "?limit=" + std::to_string(*limit);
  }
  ApiResponse response = ctx.api.Get(path);
  if (auto done = ReportOrPrintJson(ctx, response)) return *done;
  Array::Ptr deliveries = ArrayField(AsObject(response.json), "deliveries");
  if (deliveries.isNull()) return ReportUnexpected("no \"deliveries\" list in the answer", ctx.err);
  if (deliveries->size() == 0) {
    ctx.out << "No webhook deliveries for " << agent << " yet.\n";
    return kExitOk;
  }
  Table table({"ID", "EVENT", "ENDPOINT", "STATE", "ATTEMPT", "AT", "CODE", "LATENCY", "OUTCOME"});
  table.SetAlign(4, Align::kRight);
  table.SetAlign(6, Align::kRight);
  table.SetAlign(7, Align::kRight);
  for (std::size_t i = 0; i < deliveries->size(); ++i) {
    Object::Ptr d = ObjectAt(deliveries, i);
    const std::vector<std::string> head = {StringField(d, "id"), StringField(d, "event"),
                                           StringField(d, "endpoint"), StringField(d, "state")};
    Array::Ptr attempts = ArrayField(d, "attempts");
    if (attempts.isNull() || attempts->size() == 0) {
      std::string next = StringField(d, "next_attempt_at");
      table.AddRow({head[0], head[1], head[2], head[3], "-", next.empty() ? "-" : "next " + next,
                    "-", "-", "-"});
      continue;
    }
    for (std::size_t j = 0; j < attempts->size(); ++j) {
      Object::Ptr a = ObjectAt(attempts, j);
      std::string outcome = StringField(a, "outcome");
      std::string detail = StringField(a, "detail");
      if (!detail.empty()) outcome += ": " + detail.substr(0, 60);
      table.AddRow({head[0], head[1], head[2], head[3], std::to_string(j + 1),
                    DashIfEmpty(StringField(a, "at")), DashIfEmpty(StringField(a, "response_code")),
                    StringField(a, "latency_ms") + " ms", outcome});
    }
  }
  table.Print(ctx.out);
  return kExitOk;
}

int RunRedeliver(CommandContext& ctx) {
  const std::string id = *ctx.args.Positional("ID");
  ApiResponse response = ctx.api.Post(std::string(kPrefix) + "deliveries/" +
                                      ApiClient::EscapeSegment(id) + "/redeliver");
  if (auto done = ReportOrPrintJson(ctx, response)) return *done;
  Object::Ptr d = ObjectField(AsObject(response.json), "delivery");
  ctx.out << "Delivery " << id << " queued again";
  if (!d.isNull()) {
    ctx.out << " (" << StringField(d, "event") << " to endpoint " << StringField(d, "endpoint")
            << ", " << StringField(d, "url") << ")";
  }
  ctx.out << ".\n";
  return kExitOk;
}

}  // namespace

std::vector<Command> WebhooksCommands() {
  std::vector<Command> commands;
  commands.push_back(Command{
      .name = "webhooks deliveries",
      .summary = "List an agent's webhook deliveries, one line per attempt",
      .args = {.options = {{.name = "limit",
                            .value_name = "N",
                            .help = "at most N deliveries (default 100, up to 1000)"}},
               .positionals = {AgentIdArg("AGENT")}},
      .run = RunDeliveries,
      .description = "Newest first: each event sent to each endpoint (ID is its webhook-id), its\n"
                     "state (pending, delivered, failed, disabled) and every attempt with its\n"
                     "time, the receiver's status code, the latency and the outcome.",
  });
  commands.push_back(Command{
      .name = "webhooks redeliver",
      .summary = "Send a webhook event again (same webhook-id and body)",
      .args = {.positionals = {{.name = "ID", .help = "the delivery's id (msg_...)"}}},
      .run = RunRedeliver,
      .description = "Queues a delivered, failed or disabled delivery again, due at once, on a\n"
                     "fresh retry schedule; an endpoint disabled by 410 Gone takes events again.",
  });
  return commands;
}

}  // namespace herald::cli
