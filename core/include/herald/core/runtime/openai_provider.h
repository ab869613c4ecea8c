// The `openai` model provider: any OpenAI-compatible chat-completions server
// (OpenAI, Ollama, vLLM, llama.cpp's server, ...).
//
//  - Endpoints: POST {base}/v1/chat/completions and GET {base}/v1/models,
//    where {base} is `base_url` without a trailing "/" or "/v1" (so both
//    "http://127.0.0.1:11434" and "http://127.0.0.1:11434/v1" work).
//  - Models: `models` when configured; otherwise the ids of GET /v1/models,
//    kept for a minute (a failure is kept for ten seconds, so a server that
//    is down is not asked on every call).
//  - The API key: `auth` (when set) says which headers and query parameters
//    to add to each request: in heraldd, a Herald connection's live team
//    credentials applied by its auth-type plugin (e.g. bearer).
//  - Streaming (`stream`, default on): the request says "stream": true and
//    the answer's server-sent events are parsed as they arrive: each
//    choices[0].delta.content goes to the delta callback, the pieces of
//    delta.tool_calls are joined by their index. A server that answers a
//    streaming request with one JSON body is understood too.
//  - Errors are UNAVAILABLE "model server <base>: ..." (the status, or the
//    network reason); nothing of a credential or of the server's error body
//    is repeated.
//
// Thread-safety: ListModels and Complete from any thread.
#ifndef HERALD_CORE_RUNTIME_OPENAI_PROVIDER_H_
#define HERALD_CORE_RUNTIME_OPENAI_PROVIDER_H_

#include <herald/sdk/types.hpp>

#include <chrono>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "herald/core/runtime/model_provider.h"

namespace herald::runtime {

// The credentials to add to a request to `url` (already joined from base
// and path): headers and query parameters.
using ProviderAuth =
    std::function<StatusOr<sdk::AppliedAuth>(const std::string& method, const std::string& url)>;

struct OpenAiOptions {
  std::string name = "openai";
  std::string base_url;
  std::vector<std::string> models;  // empty: ask the server
  bool stream = true;
  int timeout_ms = 60000;
  ProviderAuth auth;  // empty: no credentials
};

class OpenAiProvider final : public ModelProvider {
 public:
  explicit OpenAiProvider(OpenAiOptions options);

  const std::string& name() const override { return options_.name; }
  StatusOr<std::vector<std::string>> ListModels() override;
  StatusOr<ChatResult> Complete(const ChatRequest& request, const DeltaCallback& on_delta) override;

  // The request body sent for `request` (exposed for tests).
  std::string RequestBody(const ChatRequest& request) const;

 private:
  StatusOr<std::vector<std::pair<std::string, std::string>>> AuthHeaders(const std::string& method,
                                                                         std::string* url) const;
  Status Failure(const Status& status) const;

  OpenAiOptions options_;
  std::string base_;  // without "/" or "/v1" at the end

  std::mutex mu_;
  std::optional<StatusOr<std::vector<std::string>>> listed_;  // guarded by mu_
  std::chrono::steady_clock::time_point listed_at_;           // guarded by mu_
};

}  // namespace herald::runtime

#endif  // HERALD_CORE_RUNTIME_OPENAI_PROVIDER_H_
