#include "channels/chat/chat_json.h"

#include "channels/chat/json_reader.h"

namespace herald::chat {
namespace {

// A field that may be given as a string; JSON null counts as absent. False
// with a problem naming the field when it is something else.
bool OptionalString(JsonField& field, std::string* out, std::string* problem) {
  if (!field.present || field.kind == JsonKind::kNull) return true;
  if (field.kind != JsonKind::kString) {
    *problem = std::string(field.name) + ": expected a string";
    return false;
  }
  *out = std::move(field.text);
  return true;
}

}  // namespace

bool ParseMessageRequest(std::string_view body, MessageRequest* out, std::string* problem) {
  JsonField fields[2] = {JsonField("message"), JsonField("conversation_id")};
  JsonField& message = fields[0];
  JsonField& conversation_id = fields[1];
  JsonKind kind;
  std::string error;
  if (!ReadJson(body, &kind, fields, &error)) {
    *problem = "body: malformed JSON: " + error;
    return false;
  }
  if (kind != JsonKind::kObject) {
    *problem = "body: expected a JSON object";
    return false;
  }
  *out = MessageRequest{};
  if (!OptionalString(message, &out->message, problem)) return false;
  if (out->message.empty()) {
    *problem = message.present ? "message: must not be empty" : "message: required";
    return false;
  }
  return OptionalString(conversation_id, &out->conversation_id, problem);
}

// The writers build their text directly: a chat turn writes one of these per
// request (and per streamed piece), and a DOM per answer was a tenth of the
// daemon's time under load (docs/benchmarks.md).
namespace {

// Appends `s` as a JSON string: quotes, backslashes and control characters
// escaped, UTF-8 passed through.
void AppendString(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.reserve(out.size() + s.size() + 2);
  out += '"';
  size_t plain = 0;  // start of the bytes not yet appended
  for (size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(s.data() + plain, i - plain);
    plain = i + 1;
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        out += "\\u00";
        out += kHex[c >> 4];
        out += kHex[c & 0xf];
    }
  }
  out.append(s.data() + plain, s.size() - plain);
  out += '"';
}

// {"k1":..,"k2":..}: keys in order, values already JSON.
class ObjectWriter {
 public:
  ObjectWriter& String(std::string_view key, std::string_view value) {
    Key(key);
    AppendString(out_, value);
    return *this;
  }
  ObjectWriter& Number(std::string_view key, uint64_t value) {
    Key(key);
    out_ += std::to_string(value);
    return *this;
  }
  ObjectWriter& Raw(std::string_view key, std::string_view json) {
    Key(key);
    out_ += json;
    return *this;
  }
  std::string Done() {
    out_ += '}';
    return std::move(out_);
  }

 private:
  void Key(std::string_view key) {
    out_ += out_.size() > 1 ? "," : "";
    AppendString(out_, key);
    out_ += ':';
  }
  std::string out_ = "{";
};

}  // namespace

std::string ErrorJson(std::string_view code, std::string_view message) {
  return ObjectWriter().Raw("error", ErrorEventJson(code, message)).Done();
}

std::string TurnJson(std::string_view conversation_id, uint64_t version, std::string_view reply,
                     const std::vector<ToolCall>& tool_calls) {
  std::string calls = "[";
  for (const ToolCall& call : tool_calls) {
    if (calls.size() > 1) calls += ',';
    calls += ToolCallEventJson(call.tool, call.outcome);
  }
  calls += ']';
  return ObjectWriter()
      .String("conversation_id", conversation_id)
      .Number("version", version)
      .String("reply", reply)
      .Raw("tool_calls", calls)
      .Done();
}

std::string BeginEventJson(std::string_view conversation_id, uint64_t version) {
  return ObjectWriter()
      .String("conversation_id", conversation_id)
      .Number("version", version)
      .Done();
}

std::string DeltaEventJson(std::string_view text) {
  return ObjectWriter().String("text", text).Done();
}

std::string ToolCallEventJson(std::string_view tool, std::string_view outcome) {
  return ObjectWriter().String("tool", tool).String("outcome", outcome).Done();
}

std::string EndEventJson(std::string_view reply, uint64_t version,
                         std::string_view conversation_id) {
  return ObjectWriter()
      .String("reply", reply)
      .Number("version", version)
      .String("conversation_id", conversation_id)
      .Done();
}

std::string ErrorEventJson(std::string_view code, std::string_view message) {
  return ObjectWriter().String("code", code).String("message", message).Done();
}

std::string AgentJson(std::string_view agent_id, const LiveAgent& live) {
  return ObjectWriter()
      .String("agent", agent_id)
      .Raw("live", "true")
      .Number("version", live.version)
      .String("access", AccessName(live.access))
      .Done();
}

}  // namespace herald::chat
