// Test support: the Standard Webhooks scheme implemented again, separately
// from the plugin's signer (standard_webhooks.cc uses OpenSSL; this uses
// Poco's SHA-2, HMAC and Base64), so that a test checks signatures the way a
// receiver would, not with the code that made them.
#ifndef HERALD_CHANNELS_WEBHOOK_INDEPENDENT_SIGNER_H_
#define HERALD_CHANNELS_WEBHOOK_INDEPENDENT_SIGNER_H_

#include <Poco/Base64Decoder.h>
#include <Poco/Base64Encoder.h>
#include <Poco/HMACEngine.h>
#include <Poco/SHA2Engine.h>

#include <sstream>
#include <string>
#include <vector>

namespace herald::webhook::testing {

// Poco's HMACEngine wants the block and digest sizes as constants.
class Sha256 : public Poco::SHA2Engine {
 public:
  enum { BLOCK_SIZE = 64, DIGEST_SIZE = 32 };
  Sha256() : Poco::SHA2Engine(Poco::SHA2Engine::SHA_256) {}
};

inline std::string PocoBase64(const std::string& bytes) {
  std::ostringstream out;
  Poco::Base64Encoder encoder(out);
  encoder.rdbuf()->setLineLength(0);
  encoder << bytes;
  encoder.close();
  return out.str();
}

inline std::string PocoUnbase64(const std::string& text) {
  std::istringstream in(text);
  Poco::Base64Decoder decoder(in);
  return std::string(std::istreambuf_iterator<char>(decoder), {});
}

// "v1,<base64(HMAC-SHA256(base64decode(secret without whsec_), id.ts.body))>"
inline std::string ExpectedSignature(const std::string& whsec, const std::string& id,
                                     const std::string& timestamp, const std::string& body) {
  std::string key = PocoUnbase64(whsec.substr(6));
  Poco::HMACEngine<Sha256> hmac(key);
  std::string content = id + "." + timestamp + "." + body;
  hmac.update(content.data(), content.size());
  const Poco::DigestEngine::Digest& d = hmac.digest();
  return "v1," + PocoBase64(std::string(d.begin(), d.end()));
}

// The signatures of a webhook-signature header value.
inline std::vector<std::string> SplitSignatures(const std::string& header) {
  std::vector<std::string> out;
  std::istringstream in(header);
  for (std::string s; in >> s;) out.push_back(s);
  return out;
}

}  // namespace herald::webhook::testing

#endif  // HERALD_CHANNELS_WEBHOOK_INDEPENDENT_SIGNER_H_
