#include "turn_request.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <cctype>

#include "wav.h"

namespace herald::voice {
namespace {

bool IsWavType(const std::string& type) {
  return type == "audio/wav" || type == "audio/x-wav" || type == "audio/wave" ||
         type == "audio/vnd.wave";
}

StatusOr<TurnInput> ParseJson(const std::string& body) {
  Poco::JSON::Object::Ptr o;
  try {
    Poco::Dynamic::Var parsed = Poco::JSON::Parser().parse(body);
    if (parsed.type() == typeid(Poco::JSON::Object::Ptr)) {
      o = parsed.extract<Poco::JSON::Object::Ptr>();
    }
  } catch (const Poco::Exception& e) {
    return Status::InvalidArgument("the body is not valid JSON: " + e.displayText());
  }
  if (o.isNull()) return Status::InvalidArgument("the body must be a JSON object");
  TurnInput in;
  if (!o->has("text") || !o->get("text").isString()) {
    return Status::InvalidArgument("text: required, a string (the caller's words)");
  }
  in.text = o->getValue<std::string>("text");
  if (in.text.find_first_not_of(" \t\r\n") == std::string::npos) {
    return Status::InvalidArgument("text: must not be empty");
  }
  if (o->has("conversation_id") && !o->isNull("conversation_id")) {
    if (!o->get("conversation_id").isString()) {
      return Status::InvalidArgument("conversation_id: expected a string");
    }
    in.conversation_id = o->getValue<std::string>("conversation_id");
  }
  return in;
}

}  // namespace

std::string MediaType(const std::string& content_type) {
  std::string type = content_type.substr(0, content_type.find(';'));
  size_t begin = type.find_first_not_of(" \t");
  size_t end = type.find_last_not_of(" \t");
  type = begin == std::string::npos ? "" : type.substr(begin, end - begin + 1);
  for (char& c : type) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return type;
}

StatusOr<TurnInput> ParseTurnRequest(const sdk::HttpRequest& request, size_t max_body_bytes) {
  if (request.body.size() > max_body_bytes) {
    return Status(Code::kPayloadTooLarge, "the body is " + std::to_string(request.body.size()) +
                                              " bytes; the voice channel takes at most " +
                                              std::to_string(max_body_bytes));
  }
  const std::string type = MediaType(request.Header("content-type").value_or(""));
  StatusOr<TurnInput> input = Status::Internal("unreachable");
  if (IsWavType(type)) {
    StatusOr<std::vector<int16_t>> samples = ReadSpeechWav(request.body);
    if (!samples.ok()) return samples.status();
    TurnInput in;
    in.is_audio = true;
    in.samples = std::move(*samples);
    input = std::move(in);
  } else if (type == "application/json") {
    input = ParseJson(request.body);
    if (!input.ok()) return input.status();
  } else {
    return Status::UnsupportedMediaType(
        (type.empty() ? std::string("no Content-Type")
                      : "Content-Type '" + type + "' is not supported") +
        ": send audio/wav (16 kHz mono 16-bit PCM) or application/json {\"text\": ...}");
  }
  if (input->conversation_id.empty()) {
    input->conversation_id = request.Query("conversation_id").value_or("");
  }
  return input;
}

}  // namespace herald::voice
