#include "herald/core/runtime/openai_provider.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>

#include <map>
#include <sstream>

#include "herald/core/runtime/http_client.h"
#include "herald/core/runtime/sse_parser.h"

namespace herald::runtime {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

constexpr auto kModelsFresh = std::chrono::seconds(60);
constexpr auto kFailureFresh = std::chrono::seconds(10);
constexpr size_t kMaxRawBytes = 4 << 20;

std::string Stringify(const Poco::Dynamic::Var& v) {
  std::ostringstream out;
  Poco::JSON::Stringifier::condense(v, out);
  return out.str();
}

Poco::Dynamic::Var ParseOr(const std::string& json, const char* fallback) {
  try {
    return Poco::JSON::Parser().parse(json.empty() ? fallback : json);
  } catch (const Poco::Exception&) {
    return Poco::JSON::Parser().parse(fallback);
  }
}

std::string StringOf(const Object::Ptr& o, const std::string& key) {
  if (o.isNull() || !o->has(key) || o->isNull(key)) return "";
  Poco::Dynamic::Var v = o->get(key);
  return v.isString() ? v.extract<std::string>() : v.toString();
}

// Tool call pieces of a stream, joined by index.
struct PartialCall {
  std::string id;
  std::string name;
  std::string arguments;
};

void AddToolCallDeltas(const Array::Ptr& calls, std::map<int, PartialCall>* partial) {
  if (calls.isNull()) return;
  for (size_t i = 0; i < calls->size(); ++i) {
    Object::Ptr c = calls->getObject(static_cast<unsigned>(i));
    if (c.isNull()) continue;
    int index = c->has("index") ? c->getValue<int>("index") : static_cast<int>(i);
    PartialCall& p = (*partial)[index];
    if (std::string id = StringOf(c, "id"); !id.empty()) p.id = id;
    Object::Ptr fn = c->getObject("function");
    if (!fn.isNull()) {
      p.name += StringOf(fn, "name");
      p.arguments += StringOf(fn, "arguments");
    }
  }
}

std::vector<ToolCall> Finish(std::map<int, PartialCall>& partial) {
  std::vector<ToolCall> out;
  for (auto& [index, p] : partial) {
    if (p.name.empty()) continue;
    if (p.id.empty()) p.id = "call_" + std::to_string(index + 1);
    out.push_back({p.id, p.name, p.arguments.empty() ? "{}" : p.arguments});
  }
  return out;
}

// A whole (non-streamed) completion.
Status ParseCompletion(const std::string& body, ChatResult* result) {
  try {
    Object::Ptr root = Poco::JSON::Parser().parse(body).extract<Object::Ptr>();
    Array::Ptr choices = root->getArray("choices");
    if (choices.isNull() || choices->size() == 0) {
      return Status::Unavailable("the answer has no choices");
    }
    Object::Ptr message = choices->getObject(0)->getObject("message");
    if (message.isNull()) return Status::Unavailable("the answer has no message");
    result->text = StringOf(message, "content");
    std::map<int, PartialCall> partial;
    AddToolCallDeltas(message->getArray("tool_calls"), &partial);
    result->tool_calls = Finish(partial);
    return Status::Ok();
  } catch (const Poco::Exception&) {
    return Status::Unavailable("the answer is not a chat completion");
  }
}

}  // namespace

OpenAiProvider::OpenAiProvider(OpenAiOptions options) : options_(std::move(options)) {
  base_ = options_.base_url;
  while (!base_.empty() && base_.back() == '/') base_.pop_back();
  if (base_.size() >= 3 && base_.compare(base_.size() - 3, 3, "/v1") == 0) {
    base_.resize(base_.size() - 3);
  }
}

Status OpenAiProvider::Failure(const Status& status) const {
  if (status.message() == kCancelledMessage) return status;
  // The base URL without any query: a key must not be echoed.
  std::string base = base_.substr(0, base_.find('?'));
  StatusCode code = status.code() == StatusCode::kDeadlineExceeded ? StatusCode::kDeadlineExceeded
                                                                   : StatusCode::kUnavailable;
  return Status(code, "model server " + base + ": " + status.message());
}

StatusOr<std::vector<std::pair<std::string, std::string>>> OpenAiProvider::AuthHeaders(
    const std::string& method, std::string* url) const {
  std::vector<std::pair<std::string, std::string>> headers;
  if (!options_.auth) return headers;
  StatusOr<sdk::AppliedAuth> applied = options_.auth(method, *url);
  if (!applied.ok()) {
    return Status::Unavailable("credentials: " + applied.status().message());
  }
  headers = applied->headers;
  for (const auto& [name, value] : applied->query) {
    *url += (url->find('?') == std::string::npos ? "?" : "&") + PercentEncode(name) + "=" +
            PercentEncode(value);
  }
  return headers;
}

StatusOr<std::vector<std::string>> OpenAiProvider::ListModels() {
  if (!options_.models.empty()) return options_.models;
  std::lock_guard<std::mutex> lock(mu_);
  const auto now = std::chrono::steady_clock::now();
  if (listed_ && now - listed_at_ < (listed_->ok() ? kModelsFresh : kFailureFresh)) {
    return *listed_;
  }
  auto fetch = [&]() -> StatusOr<std::vector<std::string>> {
    OutboundRequest request;
    request.url = base_ + "/v1/models";
    request.timeout_ms = std::min(options_.timeout_ms, 10000);
    auto headers = AuthHeaders("GET", &request.url);
    if (!headers.ok()) return Failure(headers.status());
    request.headers = *headers;
    StatusOr<OutboundResponse> response = SendHttp(request);
    if (!response.ok()) return Failure(response.status());
    if (response->status < 200 || response->status >= 300) {
      return Failure(Status::Unavailable("models: HTTP " + std::to_string(response->status)));
    }
    try {
      Object::Ptr root = Poco::JSON::Parser().parse(response->body).extract<Object::Ptr>();
      Array::Ptr data = root->getArray("data");
      if (data.isNull()) return Failure(Status::Unavailable("models: no \"data\" list"));
      std::vector<std::string> models;
      for (size_t i = 0; i < data->size(); ++i) {
        std::string id = StringOf(data->getObject(static_cast<unsigned>(i)), "id");
        if (!id.empty()) models.push_back(id);
      }
      return models;
    } catch (const Poco::Exception&) {
      return Failure(Status::Unavailable("models: the answer is not JSON"));
    }
  };
  listed_ = fetch();
  listed_at_ = now;
  return *listed_;
}

std::string OpenAiProvider::RequestBody(const ChatRequest& request) const {
  Object::Ptr body = new Object;
  body->set("model", request.model);
  Array::Ptr messages = new Array;
  for (const ChatMessage& m : request.messages) {
    Object::Ptr o = new Object;
    o->set("role", m.role);
    o->set("content", m.content);
    if (!m.tool_calls.empty()) {
      Array::Ptr calls = new Array;
      for (const ToolCall& c : m.tool_calls) {
        Object::Ptr call = new Object;
        call->set("id", c.id);
        call->set("type", "function");
        Object::Ptr fn = new Object;
        fn->set("name", c.name);
        fn->set("arguments", c.arguments_json);
        call->set("function", fn);
        calls->add(call);
      }
      o->set("tool_calls", calls);
    }
    if (m.role == "tool") {
      o->set("tool_call_id", m.tool_call_id);
      o->set("name", m.name);
    }
    messages->add(o);
  }
  body->set("messages", messages);
  if (!request.tools.empty()) {
    Array::Ptr tools = new Array;
    for (const ToolDefinition& t : request.tools) {
      Object::Ptr fn = new Object;
      fn->set("name", t.name);
      fn->set("description", t.description);
      fn->set("parameters", ParseOr(t.parameters_json, R"({"type":"object","properties":{}})"));
      Object::Ptr tool = new Object;
      tool->set("type", "function");
      tool->set("function", fn);
      tools->add(tool);
    }
    body->set("tools", tools);
  }
  body->set("stream", options_.stream);
  return Stringify(body);
}

StatusOr<ChatResult> OpenAiProvider::Complete(const ChatRequest& request,
                                              const DeltaCallback& on_delta) {
  OutboundRequest http;
  http.method = "POST";
  http.url = base_ + "/v1/chat/completions";
  http.timeout_ms = options_.timeout_ms;
  http.max_response_bytes = kMaxRawBytes;
  auto headers = AuthHeaders("POST", &http.url);
  if (!headers.ok()) return Failure(headers.status());
  http.headers = *headers;
  if (options_.stream) http.headers.emplace_back("Accept", "text/event-stream");
  http.body = RequestBody(request);

  ChatResult result;
  std::map<int, PartialCall> partial;
  std::string raw;  // the body, until it turns out to be a stream
  bool done = false;
  Status event_error;
  SseParser parser([&](const std::string& data) -> bool {
    if (data == "[DONE]") {
      done = true;
      return true;
    }
    try {
      Object::Ptr chunk = Poco::JSON::Parser().parse(data).extract<Object::Ptr>();
      Array::Ptr choices = chunk->getArray("choices");
      if (choices.isNull() || choices->size() == 0) return true;
      Object::Ptr delta = choices->getObject(0)->getObject("delta");
      if (delta.isNull()) return true;
      std::string text = StringOf(delta, "content");
      if (!text.empty()) {
        result.text += text;
        if (on_delta && !on_delta(text)) {
          event_error = Status::Unavailable(std::string(kCancelledMessage));
          return false;
        }
      }
      AddToolCallDeltas(delta->getArray("tool_calls"), &partial);
      return true;
    } catch (const Poco::Exception&) {
      event_error = Status::Unavailable("a streamed event is not JSON");
      return false;
    }
  });
  BodySink sink;
  if (options_.stream) {
    sink = [&](std::string_view piece) -> bool {
      if (parser.events() == 0 && raw.size() < kMaxRawBytes) raw.append(piece);
      return parser.Feed(piece);
    };
  }
  StatusOr<OutboundResponse> response = SendHttp(http, sink);
  if (!event_error.ok()) return Failure(event_error);
  if (!response.ok()) return Failure(response.status());
  if (response->status < 200 || response->status >= 300) {
    return Failure(Status::Unavailable("HTTP " + std::to_string(response->status)));
  }
  if (options_.stream) {
    if (!parser.Finish() && !event_error.ok()) return Failure(event_error);
    if (parser.events() > 0) {
      if (!done && result.text.empty() && partial.empty()) {
        return Failure(Status::Unavailable("the stream ended without an answer"));
      }
      result.tool_calls = Finish(partial);
      return result;
    }
  } else {
    raw = response->body;
  }
  // One JSON body: a server that does not stream (or was not asked to).
  Status parsed = ParseCompletion(raw, &result);
  if (!parsed.ok()) return Failure(parsed);
  if (!result.text.empty() && on_delta && !on_delta(result.text)) {
    return Status::Unavailable(std::string(kCancelledMessage));
  }
  return result;
}

}  // namespace herald::runtime
